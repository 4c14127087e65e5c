"""Reading the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from audit.models import AuditRecord
from audit.permissions import records_visible_to
from lib.workdays import VIETNAM_TZ
from units.models import User


@dataclass(frozen=True)
class TrailFilters:
    person: User | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None


def audit_trail(*, user: User, filters: TrailFilters) -> QuerySet[AuditRecord]:
    """The records ``user`` may read that match ``filters``, newest first. The period is in days of
    Asia/Ho_Chi_Minh, both ends included."""
    records = records_visible_to(user)
    if filters.person is not None:
        records = records.filter(actor_id=filters.person.pk)
    if filters.object_type:
        records = records.filter(object_type=filters.object_type)
    if filters.object_id:
        records = records.filter(object_id=filters.object_id)
    if filters.action:
        records = records.filter(action=filters.action)
    if filters.start is not None:
        records = records.filter(at__gte=datetime.combine(filters.start, time.min, tzinfo=VIETNAM_TZ))
    if filters.end is not None:
        records = records.filter(at__lt=datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ))
    return records.order_by("-id")
