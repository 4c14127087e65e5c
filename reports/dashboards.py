"""The numbers of the dashboards and reports: tracking classes counted in the database.

Every function is one aggregate query (GROUP BY in SQL, never a Python loop over tasks), so
a page runs a fixed number of queries whatever the number of tasks. They read inside
``lib.replica.replica_reads()``: from the streaming replica when one is configured.

A period selects the tasks *due* in it (deadline in force within the period); tasks without a
deadline are selected by the day they were given. Cancelled tasks are left out.
"""

from datetime import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from lib.replica import replica_reads
from tasks.models import Task, TrackingClass
from tasks.tracking import class_filter, rates, with_tracking

CLASSES = [TrackingClass.ON_TIME, TrackingClass.LATE, TrackingClass.WITHIN, TrackingClass.OVERDUE]
COUNTED = [*CLASSES, TrackingClass.NO_DEADLINE]  # every class a period counts; cancelled tasks are left out


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
