"""The numbers of the dashboards and reports: tracking classes counted in the database.

Every function is one aggregate query (GROUP BY in SQL, never a Python loop over tasks), so
a page runs a fixed number of queries whatever the number of tasks. They read inside
``lib.replica.replica_reads()``: from the streaming replica when one is configured.

A period selects the tasks *due* in it (deadline in force within the period); tasks without a
deadline are selected by the day they were given. Cancelled tasks are left out.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from lib.replica import replica_reads
from lib.workdays import VIETNAM_TZ, deadline_end
from tasks.models import Task, TrackingClass
from tasks.permissions import tasks_visible_to
from tasks.tracking import class_filter, rates, with_tracking
from units.models import User

CLASSES = [TrackingClass.ON_TIME, TrackingClass.LATE, TrackingClass.WITHIN, TrackingClass.OVERDUE]
COUNTED = [*CLASSES, TrackingClass.NO_DEADLINE]  # every class a period counts; cancelled tasks are left out
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
    tasks = tasks_visible_to(user)
    if scope == "supervised":
        tasks = tasks.filter(lead_unit__supervisions__director=user)
    elif scope == "unit" and unit_id:
        tasks = tasks.filter(lead_unit_id=unit_id)
    return tasks


@replica_reads()
def class_counts(tasks: QuerySet[Task], *, at: datetime) -> dict:
    """Counts per tracking class (and without deadline), shares and the two rates: one query."""
    rows = with_tracking(tasks, at=at).values("tracking").annotate(n=Count("pk")).order_by()
    return summarize({row["tracking"]: row["n"] for row in rows})


def summarize(counts: dict) -> dict:
    """``class_counts``' answer from counts per tracking class (however they were counted)."""
    total = sum(counts.get(c, 0) for c in CLASSES)
    summary = {
        "counts": {c: counts.get(c, 0) for c in CLASSES},
        "no_deadline": counts.get(TrackingClass.NO_DEADLINE, 0),
        "total": total,
        "shares": {c: (counts.get(c, 0) / total if total else 0.0) for c in CLASSES},
    }
    summary.update(rates(counts))
    return summary


def _pivot(rows, key: str) -> dict:
    table: dict = {}
    for row in rows:
        table.setdefault(row[key], dict.fromkeys(COUNTED, 0))[row["tracking"]] = row["n"]
    return table


@replica_reads()
def by_unit(tasks: QuerySet[Task], *, at: datetime) -> list[dict]:
    """One row per lead unit: counts per class, rates; ordered by overdue count, then name. One query."""
    rows = (
        with_tracking(tasks, at=at)
        .values("lead_unit_id", "lead_unit__name", "tracking")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(rows)
    names = {row["lead_unit_id"]: row["lead_unit__name"] for row in rows}
    return unit_rows(names, _pivot(rows, "lead_unit_id"))


def unit_rows(names: dict, table: dict) -> list[dict]:
    """``by_unit``' answer from each unit's name and counts per class (all five keys)."""
    result = [{"unit_id": uid, "name": names[uid], "counts": counts, **rates(counts)} for uid, counts in table.items()]
    return sorted(result, key=lambda r: (-r["counts"][TrackingClass.OVERDUE], r["name"]))


@replica_reads()
def by_person(tasks: QuerySet[Task], *, at: datetime) -> list[dict]:
    """One row per main handler (unassigned tasks under None). One query."""
    rows = list(
        with_tracking(tasks, at=at)
        .values("handler_id", "handler__full_name", "tracking")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = {row["handler_id"]: row["handler__full_name"] or str(_("Chưa phân công")) for row in rows}
    table = _pivot(rows, "handler_id")
    result = [{"user_id": uid, "name": names[uid], "counts": counts, **rates(counts)} for uid, counts in table.items()]
    return sorted(result, key=lambda r: (-r["counts"][TrackingClass.OVERDUE], r["name"]))


@replica_reads()
def trend(tasks: QuerySet[Task], *, at: datetime, by: str = "week") -> list[dict]:
    """Counts per class for each week (or month) of the deadline. One query."""
    bucket = TruncWeek("deadline") if by == "week" else TruncMonth("deadline")
    rows = list(
        with_tracking(tasks.filter(deadline__isnull=False), at=at)
        .annotate(bucket=bucket)
        .values("bucket", "tracking")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = _pivot(rows, "bucket")
    return [{"bucket": key, "counts": table[key]} for key in sorted(table)]


@replica_reads()
def overdue_count(tasks: QuerySet[Task], *, at: datetime) -> int:
    """How many of the tasks are open past their deadline as of ``at``, whatever the period. One query."""
    return tasks.filter(class_filter(TrackingClass.OVERDUE, at=at)).count()


@replica_reads()
def most_overdue(tasks: QuerySet[Task], *, at: datetime, limit: int = 10) -> list[Task]:
    """The open tasks furthest past their deadline, with days late (calendar days). One query."""
    overdue = (
        tasks.filter(state__in=Task.OPEN_STATES, due_at__lt=at)
        .select_related("lead_unit", "handler")
        .order_by("due_at", "id")[:limit]
    )
    result = list(overdue)
    for task in result:
        task.days_late = (at.date() - task.deadline).days
    return result
