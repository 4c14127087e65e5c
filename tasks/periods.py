"""Periods over tasks: which tasks a period selects, and whose tasks a scope covers.

A period selects the tasks *due* in it (deadline in force within the period); tasks without a
deadline are selected by the day they were given. Cancelled tasks are left out. The task lists
filter with these, and the dashboards and reports (the reports app) count with them, so a
dashboard number and the list it links to agree.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lib.workdays import VIETNAM_TZ, deadline_end
from tasks.models import Task
from tasks.permissions import tasks_visible_to
from units.models import User

PERIODS = {
    "week": _("Tuần này"),
    "month": _("Tháng này"),
    "quarter": _("Quý này"),
    "year": _("Năm nay"),
    "custom": _("Tùy chọn"),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "custom"


def period_for(kind: str, today: date, start: date | None = None, end: date | None = None) -> Period:
    """This week, month, quarter or year around ``today``, or the custom range given."""
    if kind == "week":
        first = today - timedelta(days=today.weekday())
        return Period(first, first + timedelta(days=6), kind)
    if kind == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        last_month = first_month + 2
        return Period(
            date(today.year, first_month, 1),
            date(today.year, last_month, month_calendar.monthrange(today.year, last_month)[1]),
            kind,
        )
    if kind == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31), kind)
    if kind == "custom" and start and end:
        return Period(start, end, kind)
    return Period(
        today.replace(day=1), today.replace(day=month_calendar.monthrange(today.year, today.month)[1]), "month"
    )


def in_period(tasks: QuerySet[Task], period: Period) -> QuerySet[Task]:
    """Tasks due in the period, and tasks without a deadline given in it (cancelled ones left out).

    Written as ranges on stored instants (a deadline day ends at ``due_at``; a day begins at
    00:00 in Vietnam) so both branches are index range scans, not a scan of every task.
    """
    first = datetime.combine(period.start, time.min, tzinfo=VIETNAM_TZ)
    after = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ)
    return tasks.exclude(state=Task.State.CANCELLED).filter(
        Q(due_at__range=(deadline_end(period.start), deadline_end(period.end)))
        | Q(due_at__isnull=True, created_at__gte=first, created_at__lt=after)
    )


def scoped(user: User, *, scope: str = "agency", unit_id: int | None = None) -> QuerySet[Task]:
    """The tasks of the whole agency, of the units I supervise, or of one unit — within what I may see."""
    return in_scope(tasks_visible_to(user), user, scope=scope, unit_id=unit_id)


def in_scope(tasks: QuerySet[Task], user: User, *, scope: str = "agency", unit_id: int | None = None) -> QuerySet[Task]:
    """``tasks`` narrowed to a scope of ``scope``: those of the units I supervise, or of one unit."""
    if scope == "supervised":
        tasks = tasks.filter(lead_unit__supervisions__director=user)
    elif scope == "unit" and unit_id:
        tasks = tasks.filter(lead_unit_id=unit_id)
    return tasks
