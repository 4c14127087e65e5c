"""Reads about agencies, units and people."""

from django.db.models import Prefetch

from units.models import Membership, Unit, User


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
