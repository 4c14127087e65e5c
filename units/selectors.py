"""Reads about agencies, units and people."""

from datetime import date

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


def principals_of(user: User, day: date | None = None) -> QuerySet[User]:
    """The people ``user`` stands in for on ``day`` (today, Asia/Ho_Chi_Minh, by default): the
    principals of the delegations (units.Delegation) naming ``user`` as substitute that cover it.

    The one read of the delegation rule: directives shows the principals' waiting documents to
    the substitute and lets them act «thay»; tasks may use it the same way (accept, decide an
    extension for a principal) by allowing ``by`` when ``task.<who must act> in principals_of(by)``.
    """
    day = day or timezone.localdate()
    return User.objects.filter(
        delegations_given__substitute=user,
        delegations_given__starts_on__lte=day,
        delegations_given__ends_on__gte=day,
        is_active=True,
    ).distinct()
