"""Who may read the audit trail. Nobody may change it: there is no page, API or admin for that."""

from django.db.models import QuerySet

from audit.models import AuditRecord
from units.models import User
from units.permissions import is_installation_administrator
from units.roles import Role


def can_browse_trail(user: User) -> bool:
    """Directors and administrators read their agency's trail; an installation administrator reads all."""
    if not user.is_active:
        return False
    return is_installation_administrator(user) or (
        user.agency_id is not None and user.has_role(Role.DIRECTOR, Role.ADMINISTRATOR)
    )


def records_visible_to(user: User) -> QuerySet[AuditRecord]:
    """The records a person may read: their own agency's, every record for an installation
    administrator (including what every agency shares: the calendar, the rules), none for others."""
    records = AuditRecord.objects.all()
    if not can_browse_trail(user):
        return records.none()
    if is_installation_administrator(user):
        return records
    return records.filter(agency_id=user.agency_id)
