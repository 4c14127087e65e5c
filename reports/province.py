"""The province summary: task counts per agency, lead unit, day and bucket, recounted every minute.

``task_summary_refresh`` recounts ``TaskSummary`` from the tasks with one SELECT … GROUP BY and
writes only the rows that differ, in one transaction; readers keep seeing the old rows until it
commits (no lock beyond the rows themselves), so the province view never sees a half-written
summary. ``province_counts`` derives the four classes at any moment S from it,
and ``summary_recount_matches`` checks the derivation against a plain recount of the tasks.
For the agency dashboard (scope "agency"), ``agency_counts`` gives its cards and bars per unit
in the shapes of ``dashboard.class_counts`` and ``dashboard.by_unit``, ``agency_trend`` its trend
in the shape of ``dashboard.trend`` and ``agency_overdue_count`` the count beside its most overdue
tasks; the list of those tasks is read live.
The readers run inside ``lib.replica.replica_reads()``: from the streaming replica when one is
configured (the refresh itself reads and writes the primary).
"""

from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from lib.replica import replica_reads
from reports.dashboards import COUNTED, summarize, unit_rows
from reports.models import TaskSummary, TaskSummaryRefresh
from reports.periodic import report_row
from tasks.models import Task, TrackingClass
from tasks.periods import Period, in_period
from tasks.tracking import with_tracking
from units.models import Agency

B = TaskSummary.Bucket
T = Task.State
# The buckets of tasks with a deadline: the ones the trend counts, as dashboard.trend does.
DEADLINE_BUCKETS = (B.OPEN, B.DONE_ON_TIME, B.DONE_LATE)
FINISHED = {B.DONE_ON_TIME: TrackingClass.ON_TIME, B.DONE_LATE: TrackingClass.LATE}


def _summary_rows() -> QuerySet:
    """The SELECT that feeds the summary: one row per (agency, lead unit, day, bucket) with its count."""
    bucket = Case(
        When(deadline__isnull=True, state=T.DONE, then=Value(B.NO_DEADLINE_DONE)),
        When(deadline__isnull=True, then=Value(B.NO_DEADLINE_OPEN)),
        When(Q(state=T.DONE, completed_at__lte=F("due_at")), then=Value(B.DONE_ON_TIME)),
        When(state=T.DONE, then=Value(B.DONE_LATE)),
        default=Value(B.OPEN),
        output_field=CharField(),
    )
    # The day a period selects the task by, as in_period does: its deadline, or the day it
    # was given (in Vietnam) when it has none.
    given_on = TruncDate("created_at", tzinfo=timezone.get_default_timezone())
    day = Coalesce("deadline", given_on, output_field=DateField())
    return (
        Task.objects.exclude(state=T.CANCELLED)
        .annotate(summary_day=day, summary_bucket=bucket)
        .values("agency_id", "lead_unit_id", "summary_day", "summary_bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )


# The recount's temporary table, and how one of its rows matches a summary row.
RECOUNT = "task_summary_recount"
SAME_GROUP = (
    "r.agency_id = {t}.agency_id AND r.lead_unit_id = {t}.lead_unit_id"
    " AND r.summary_day = {t}.day AND r.summary_bucket = {t}.bucket"
)


def task_summary_refresh(*, at: datetime | None = None) -> int:
    """Recount the summary from the tasks; return how many summary rows it holds.

    One SELECT … GROUP BY recounts every group (agency, lead unit, day, bucket) into a
    temporary table; then, in the same transaction, the groups that are gone are deleted, the
    counts that changed updated and the new groups inserted. Afterwards the summary is exactly
    that recount, and readers see either the old summary or the new one. Writing only the
    difference (a few rows a minute, where rewriting every row cost most of the refresh and
    left as many dead rows behind) is why it is not a delete and a full insert.

    The refresh row (``TaskSummaryRefresh``) is locked first: two refreshes at once run one
    after the other, the second recounting after the first has committed.
    """
    at = at or timezone.now()
    select_sql, params = _summary_rows().query.sql_with_params()
    table = connection.ops.quote_name(TaskSummary._meta.db_table)
    count = connection.ops.quote_name("count")
    same = SAME_GROUP.format(t=table)
    with transaction.atomic():
        refresh, _created = TaskSummaryRefresh.objects.select_for_update().get_or_create(
            pk=1, defaults={"refreshed_at": at, "rows": 0}
        )
        with connection.cursor() as cursor:
            # The SELECT's columns: agency_id, lead_unit_id, summary_day, summary_bucket, n.
            cursor.execute(f"CREATE TEMPORARY TABLE {RECOUNT} AS {select_sql}", params)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {RECOUNT}")  # autovacuum never sees temporary tables
            cursor.execute(f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {RECOUNT} r WHERE {same})")  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            cursor.execute(f"UPDATE {table} SET {count} = r.n FROM {RECOUNT} r WHERE {same} AND {table}.{count} <> r.n")  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            # The new groups: conflicts (the groups that exist, just updated) found through the
            # unique index. An anti-join here was planned as a nested loop over the summary
            # whenever its statistics said empty (a first build: 119 s at 1,000,000 tasks).
            # `WHERE true` lets SQLite parse ON CONFLICT after INSERT … SELECT.
            cursor.execute(
                f"INSERT INTO {table} (agency_id, lead_unit_id, day, bucket, {count})"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
                f" SELECT r.agency_id, r.lead_unit_id, r.summary_day, r.summary_bucket, r.n FROM {RECOUNT} r"
                " WHERE true ON CONFLICT (agency_id, day, lead_unit_id, bucket) DO NOTHING"
            )
            cursor.execute(f"SELECT COUNT(*) FROM {RECOUNT}")  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            (rows,) = cursor.fetchone()
            cursor.execute(f"DROP TABLE {RECOUNT}")
        refresh.refreshed_at, refresh.rows = at, rows
        refresh.save(update_fields=["refreshed_at", "rows"])
    return rows


@replica_reads()
def province_counts(*, period: Period, at: datetime) -> list[dict]:
    """One row per agency (those without tasks too): the classes as of ``at``, rates. Two queries.

    Open tasks with a deadline on or after ``at``'s date (in Vietnam) are within the deadline:
    the deadline runs to the end of that day. Figures are as fresh as the last refresh.
    """
    today = timezone.localdate(at)
    # Grouped by (agency, bucket) with two plain sums: cheaper per summary row than one
    # filtered sum per class over a join with the agencies (measured in docs/performance.md).
    grouped = (
        TaskSummary.objects.filter(day__range=(period.start, period.end))
        .values("agency_id", "bucket")
        .annotate(**_sums(today))
        .order_by()
    )
    table: dict[int, dict] = {}
    for row in grouped:
        _count_into(table.setdefault(row["agency_id"], {}), row)
    return [_row(agency, table.get(agency.pk, {})) for agency in Agency.objects.order_by("name")]


def _sums(today: date) -> dict:
    """The sums a grouped read of the summary needs: all the group's tasks, and those due from ``today``."""
    return {"n": Sum("count"), "from_today": Sum("count", filter=Q(day__gte=today))}


def _count_into(counts: dict, row: dict) -> None:
    """Add one grouped summary row (its ``bucket``, ``n`` and ``from_today``) to counts per class.

    An open task due on or after the report's date is within the deadline (the deadline runs
    to the end of its day), one due before it is past the deadline.
    """
    bucket, n = row["bucket"], row["n"]
    if bucket == B.OPEN:
        within = row["from_today"] or 0
        counts[TrackingClass.WITHIN] = counts.get(TrackingClass.WITHIN, 0) + within
        counts[TrackingClass.OVERDUE] = counts.get(TrackingClass.OVERDUE, 0) + n - within
    else:
        key = FINISHED.get(bucket, TrackingClass.NO_DEADLINE)
        counts[key] = counts.get(key, 0) + n


def _row(agency: Agency, counts: dict) -> dict:
    return {"agency_id": agency.pk, "abbreviation": agency.abbreviation, **report_row(agency.name, counts)}


@replica_reads()
def province_counts_live(*, period: Period, at: datetime) -> list[dict]:
    """The same figures as ``province_counts``, counted from the tasks (one GROUP BY): the yardstick."""
    grouped = (
        with_tracking(in_period(Task.objects.all(), period), at=at)
        .values("agency_id", "tracking")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[int, dict] = {}
    for row in grouped:
        table.setdefault(row["agency_id"], {})[row["tracking"]] = row["n"]
    rows = []
    for agency in Agency.objects.order_by("name"):
        rows.append(_row(agency, table.get(agency.pk, {})))
    return rows


def summary_recount_matches(*, period: Period, at: datetime | None = None) -> bool:
    """Whether the summary's figures equal a plain recount of the tasks for ``period`` as of ``at``.

    Meaningful right after a refresh with no write in between (tests, the bench, a quiet
    night): any task changed since the last refresh is a difference by design.
    """
    at = at or timezone.now()
    summary = [(row["agency_id"], row["values"]) for row in province_counts(period=period, at=at)]
    live = [(row["agency_id"], row["values"]) for row in province_counts_live(period=period, at=at)]
    return summary == live


@replica_reads()
def summary_refreshed_at() -> datetime | None:
    """When the summary was last recounted; None if it never was. One query."""
    return TaskSummaryRefresh.objects.values_list("refreshed_at", flat=True).first()


def _of_agency(rows: QuerySet, agency_id: int | None) -> QuerySet:
    """``rows`` of one agency; ``agency_id`` None keeps every agency (a superuser's whole scope)."""
    return rows if agency_id is None else rows.filter(agency_id=agency_id)


@replica_reads()
def agency_counts(*, agency_id: int | None, period: Period, at: datetime) -> tuple[dict, list[dict]]:
    """``dashboard.class_counts`` and ``dashboard.by_unit`` of an agency's tasks in ``period`` as of
    ``at``, from the summary. One query for both.

    ``agency_id`` None reads every agency (a superuser's whole scope). Same derivation as
    ``province_counts``: an open task with a deadline on or after ``at``'s date is within it.
    """
    rows = _of_agency(TaskSummary.objects.filter(day__range=(period.start, period.end)), agency_id)
    grouped = (
        rows.values("lead_unit_id", "lead_unit__name", "bucket").annotate(**_sums(timezone.localdate(at))).order_by()
    )
    names: dict[int, str] = {}
    table: dict[int, dict] = {}
    for row in grouped:
        names[row["lead_unit_id"]] = row["lead_unit__name"]
        _count_into(table.setdefault(row["lead_unit_id"], dict.fromkeys(COUNTED, 0)), row)
    totals = {key: sum(counts[key] for counts in table.values()) for key in COUNTED}
    return summarize(totals), unit_rows(names, table)


@replica_reads()
def agency_trend(*, agency_id: int | None, period: Period, at: datetime, by: str = "week") -> list[dict]:
    """``dashboard.trend`` of an agency's tasks in ``period`` as of ``at``, from the summary. One query.

    Only the buckets of tasks with a deadline count, as in the live trend, and a summary row's
    day is then the deadline; weeks (from Monday) and months are cut from it in the database by
    the same functions as the live trend, so each row's ``bucket`` is the same date.
    """
    first_day = TruncWeek("day") if by == "week" else TruncMonth("day")
    rows = _of_agency(
        TaskSummary.objects.filter(day__range=(period.start, period.end), bucket__in=DEADLINE_BUCKETS), agency_id
    )
    grouped = (
        rows.annotate(first_day=first_day)
        .values("first_day", "bucket")
        .annotate(**_sums(timezone.localdate(at)))
        .order_by()
    )
    table: dict[date, dict] = {}
    for row in grouped:
        _count_into(table.setdefault(row["first_day"], dict.fromkeys(COUNTED, 0)), row)
    return [{"bucket": key, "counts": table[key]} for key in sorted(table)]


@replica_reads()
def agency_overdue_count(*, agency_id: int | None, at: datetime) -> int:
    """How many of an agency's tasks are open past their deadline as of ``at``, whatever the
    period, from the summary: ``dashboard.overdue_count`` of its tasks. One query.

    Past the deadline means a deadline day before ``at``'s date: a task due today is within
    its deadline until 23:59:59.999999, as ``tracking.class_filter`` counts it.
    """
    rows = _of_agency(TaskSummary.objects.filter(bucket=B.OPEN, day__lt=timezone.localdate(at)), agency_id)
    return rows.aggregate(n=Coalesce(Sum("count"), 0))["n"]


def province_totals(rows: list[dict]) -> dict:
    """The province's row: the agencies' classes summed, rates from the sums."""
    summed = {key: sum(row["values"][key] for row in rows) for key in COUNTED}
    return report_row("Toàn tỉnh", summed)
