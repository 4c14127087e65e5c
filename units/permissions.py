"""Who may see and do what with agencies, units and people."""

from django.db.models import QuerySet

from units.models import Agency, Unit, User
from units.roles import Role


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Everyone sees the units of their own agency; an installation administrator sees all."""
    units = Unit.objects.select_related("agency", "parent")
    if user.is_superuser or (user.agency_id is None and Role.ADMINISTRATOR in user.roles):
        return units
    return units.filter(agency_id=user.agency_id)


def agencies_managed_by(user: User) -> QuerySet[Agency]:
    """An agency's administrator manages their own agency; an installation administrator manages all."""
    if user.is_superuser or (user.agency_id is None and Role.ADMINISTRATOR in user.roles):
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)


def can_import_people(user: User, agency: Agency | None = None) -> bool:
    """May import units and people from a file, into ``agency`` when one is given."""
    if not user.has_perm("units.import_people"):
        return False
    return agency is None or agencies_managed_by(user).filter(pk=agency.pk).exists()
