"""Reads about agencies, units and people."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from units.authentication import password_fingerprint
from units.models import ApiToken, Membership, Unit, User


def person_profile(*, user_id: int) -> User:
    """The person with their agency, memberships (unit and position) and supervised units, in three queries."""
    return (
        User.objects.select_related("agency")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit__agency").order_by("unit__name")),
            Prefetch("supervised_units", queryset=Unit.objects.select_related("agency").order_by("name")),
        )
        .get(pk=user_id)
    )


def api_tokens_live(*, user: User) -> QuerySet[ApiToken]:
    """The person's API tokens that still work (not expired, issued under the current password), newest first."""
    return ApiToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), password_fingerprint=password_fingerprint(user)
    ).order_by("-created_at", "-id")
