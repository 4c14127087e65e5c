"""Reads about tasks, scoped to the person, with a fixed number of queries per page."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from directives.permissions import document_hidden_annotation
from lib.text import fold
from lib.workdays import local_now
from tasks import permissions as rights
from tasks.models import Extension, ProgressReport, Task, TaskEvent, TrackingClass
from tasks.periods import Period, in_period, in_scope, scoped
from tasks.tracking import class_filter, with_tracking
from units.models import Membership, User

T = Task.State
DUE_SOON = timedelta(days=3)


# Beyond the tracking classes, the two sets the dashboards count: every task with a deadline
# (the denominator of the shares) and every finished one (the numerator of the completion rate).
DATED = "dated"
FINISHED = "finished"
NO_HANDLER = 0


@dataclass(frozen=True)
class TaskFilters:
    """What a list may be narrowed to; every field optional. With ``start`` and ``end`` the list
    holds exactly the tasks a dashboard counts for that period (``tasks.periods.in_period``:
    due in it, or given in it when without a deadline, cancelled ones left out)."""

    state: str = ""
    tracking: str = ""
    unit: int | None = None
    q: str = ""
    start: date | None = None
    end: date | None = None
    handler: int | None = None  # NO_HANDLER (0): not yet assigned
    document: int | None = None
    date_from: date | None = None  # deadline on or after (tasks without a deadline left out)
    date_to: date | None = None  # deadline on or before


def tracking_filter(tracking: str, *, at: datetime) -> Q:
    """The filter behind a dashboard number: one tracking class, or every dated or finished task."""
    if tracking == DATED:
        return ~Q(state=T.CANCELLED) & Q(due_at__isnull=False)
    if tracking == FINISHED:
        return class_filter(TrackingClass.ON_TIME, at=at) | class_filter(TrackingClass.LATE, at=at)
    return class_filter(tracking, at=at)


# The lists' order: overdue and nearest deadlines first, then open tasks without a deadline, then
# finished ones; ``finished`` as an annotation.
FINISHED_LAST = Case(When(state__in=[T.DONE, T.CANCELLED], then=Value(1)), default=Value(0))
ORDER = ("finished", F("due_at").asc(nulls_last=True), "-priority", "id")


def _listed(tasks: QuerySet[Task], *, user: User, at: datetime) -> QuerySet[Task]:
    """Annotated with the tracking class, 'due soon' and whether the source document is a
    confidential one ``user`` may not see (``document_hidden``: show the placeholder), ordered by
    urgency: overdue and nearest deadlines first, then open tasks without a deadline, then finished ones."""
    return (
        with_tracking(tasks, at=at)
        .annotate(
            due_soon=Case(
                When(Q(state__in=Task.OPEN_STATES, due_at__gte=at, due_at__lt=at + DUE_SOON), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            finished=FINISHED_LAST,
            document_hidden=document_hidden_annotation(user, "document"),
        )
        .select_related("lead_unit", "handler", "supervisor", "document")
        .order_by(*ORDER)
    )


def task_rows(*, ids: QuerySet, user: User, at: datetime | None = None) -> QuerySet[Task]:
    """The tasks of ``ids`` (a query of ids, e.g. one page of a list's ``.values("pk")``) with
    everything a list's row shows, in the lists' order: the joins are made for these rows only."""
    return _listed(Task.objects.filter(pk__in=ids), user=user, at=at or local_now())


def _filtered(tasks: QuerySet[Task], filters: TaskFilters, *, at: datetime) -> QuerySet[Task]:
    if filters.state:
        tasks = tasks.filter(state=filters.state)
    if filters.tracking:
        tasks = tasks.filter(tracking_filter(filters.tracking, at=at))
    if filters.unit:
        tasks = tasks.filter(lead_unit_id=filters.unit)
    for word in fold(filters.q).split():
        # diacritics and case ignored, as in the document search: «ra soat» finds «Rà soát»
        tasks = tasks.filter(search_text__contains=word)
    if filters.date_from:
        tasks = tasks.filter(deadline__gte=filters.date_from)
    if filters.date_to:
        tasks = tasks.filter(deadline__lte=filters.date_to)
    if filters.start and filters.end:
        tasks = in_period(tasks, Period(filters.start, filters.end))
    if filters.handler == NO_HANDLER:
        tasks = tasks.filter(handler__isnull=True)
    elif filters.handler:
        tasks = tasks.filter(handler_id=filters.handler)
    if filters.document:
        tasks = tasks.filter(document_id=filters.document)
    return tasks


def my_tasks(*, user: User, filters: TaskFilters = TaskFilters(), at: datetime | None = None) -> QuerySet[Task]:
    """What I lead (as main handler) or support."""
    at = at or local_now()
    # The ids as a UNION of two index scans: with a join (or an OR with a subquery)
    # PostgreSQL read every task to find one person's (163 ms against 6 ms at 1,000,000).
    handled = Task.objects.filter(handler=user).order_by().values("pk")
    supported = Task.supporters.through.objects.filter(user_id=user.pk).values("task_id")
    mine = Task.objects.filter(pk__in=handled.union(supported))
    return _listed(_filtered(mine, filters, at=at), user=user, at=at)


def unit_tasks(
    *,
    user: User,
    filters: TaskFilters = TaskFilters(),
    at: datetime | None = None,
    waiting: rights.Waiting | None = None,
) -> QuerySet[Task]:
    """The tasks of the units I head, as lead unit or cooperating unit, and those waiting for
    someone I stand in for today (``waiting``: ``rights.waiting_for(user)`` if already read)."""
    at = at or local_now()
    units = Membership.objects.filter(user=user, is_head=True).values("unit_id")
    led = Task.objects.filter(lead_unit_id__in=units).order_by().values("pk")
    cooperating = Task.cooperating_units.through.objects.filter(unit_id__in=units).values("task_id")
    tasks = Task.objects.filter(pk__in=led.union(cooperating, *_waiting_as_substitute(user, waiting)))
    return _listed(_filtered(tasks, filters, at=at), user=user, at=at)


def unit_task_parts(
    *,
    user: User,
    filters: TaskFilters = TaskFilters(),
    at: datetime | None = None,
    waiting: rights.Waiting | None = None,
) -> list[QuerySet[Task]]:
    """``unit_tasks`` as two disjoint reads whose union is the same set, without annotations: the
    tasks my units lead (thousands for a large unit, read from the index tasks_task_lead_unit
    alone) and the others (cooperating, waiting as substitute: a few hundred). The unit list
    counts and orders these before it joins anything."""
    at = at or local_now()
    units = Membership.objects.filter(user=user, is_head=True).values("unit_id")
    led = Task.objects.filter(lead_unit_id__in=units)
    cooperating = Task.cooperating_units.through.objects.filter(unit_id__in=units).values("task_id")
    substitute = _waiting_as_substitute(user, waiting)
    others = Task.objects.filter(pk__in=cooperating.union(*substitute) if substitute else cooperating).exclude(
        lead_unit_id__in=units
    )
    return [_filtered(part.order_by(), filters, at=at) for part in (led, others)]


def supervised_tasks(
    *,
    user: User,
    filters: TaskFilters = TaskFilters(),
    at: datetime | None = None,
    waiting: rights.Waiting | None = None,
):
    """The tasks I supervise as a director, and those waiting for someone I stand in for today."""
    at = at or local_now()
    supervised = Task.objects.filter(supervisor=user).order_by().values("pk")
    tasks = Task.objects.filter(pk__in=supervised.union(*_waiting_as_substitute(user, waiting)))
    return _listed(_filtered(tasks, filters, at=at), user=user, at=at)


def _waiting_as_substitute(user: User, waiting: rights.Waiting | None) -> list[QuerySet]:
    """The ids of the tasks whose result or extension waits for someone ``user`` stands in for
    today (units.Delegation), as reads to add to a UNION: they join his unit and supervised lists,
    marked «thay <name>». From ``waiting`` when the caller read it (the list pages: the ladder is
    then planned once per request), else as a subquery."""
    if waiting is not None:
        ids = sorted(waiting.as_substitute)
        return [Task.objects.filter(pk__in=ids).order_by().values("pk")] if ids else []
    rule = rights.acceptance_awaiting_as_substitute(user) | rights.extension_awaiting_as_substitute(user)
    return [Task.objects.filter(rule, agency_id=user.agency_id).order_by().values("pk")]


def visible_tasks(
    *, user: User, filters: TaskFilters = TaskFilters(), at: datetime | None = None, scope: str = "agency"
):
    """Every task I may see, or (``scope="supervised"``) those of the units I supervise — the same
    sets as ``tasks.periods.scoped``, so a dashboard number and its list agree."""
    at = at or local_now()
    return _listed(_filtered(scoped(user, scope=scope), filters, at=at), user=user, at=at)


def visible_task_parts(
    *, user: User, filters: TaskFilters = TaskFilters(), at: datetime | None = None, scope: str = "agency"
) -> list[QuerySet[Task]]:
    """``visible_tasks`` of a person who is neither a leader nor a superuser as disjoint reads
    without annotations (``rights.tasks_visible_parts``): the list counts and orders these, as the
    unit list does its parts, before it joins anything."""
    at = at or local_now()
    parts = rights.tasks_visible_parts(user)
    if parts is None:
        raise ValueError("The agency's tasks are one plain read: use visible_tasks.")
    return [_filtered(in_scope(part, user, scope=scope), filters, at=at) for part in parts]


def task_detail(*, task: Task | None = None, pk: int | None = None, user: User, at: datetime | None = None) -> Task:
    """Everything the task page shows to ``user``, in a fixed number of queries; ``document_hidden``
    says the source document is confidential and hidden from them (show the placeholder).

    Given ``pk`` instead of a ``task`` already authorised, the task is read only if ``user`` may
    see it (``rights.tasks_visible_to``), in the same query: 404 otherwise."""
    at = at or local_now()
    tasks = Task.objects.filter(pk=task.pk) if task is not None else rights.tasks_visible_to(user).filter(pk=pk)
    detail = (
        with_tracking(tasks, at=at)
        .annotate(document_hidden=document_hidden_annotation(user, "document"))
        .select_related("lead_unit", "supervisor", "handler", "created_by", "document__doc_type", "agency")
        .prefetch_related(
            "cooperating_units",
            "supporters",
            Prefetch("events", queryset=TaskEvent.objects.select_related("actor", "acting_for")),
            Prefetch(
                "reports", queryset=ProgressReport.objects.select_related("author", "unit").prefetch_related("files")
            ),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
            "due_reports",
        )
        .first()
    )
    if detail is None:
        raise Http404
    return detail


def document_points_given(*, document) -> dict[str, list[Task]]:
    """The document's points that already have a task not cancelled, each with its tasks."""
    given: dict[str, list[Task]] = {}
    tasks = Task.objects.filter(document=document).exclude(point="").exclude(state=Task.State.CANCELLED)
    for task in tasks.only("pk", "point", "title", "state").order_by("pk"):
        given.setdefault(task.point, []).append(task)
    return given


def counts_over_parts(parts: list[QuerySet[Task]], shortcuts: dict[str, Q]) -> dict[str, int]:
    """The cards' counts and the total over disjoint ``parts``, in one query (a UNION ALL of one
    aggregate row per part)."""
    figures = {"total": Count("pk"), **{name: Count("pk", filter=rule) for name, rule in shortcuts.items()}}
    rows = [part.annotate(part=Value(i)).values("part").annotate(**figures) for i, part in enumerate(parts)]
    counts = dict.fromkeys(figures, 0)
    for row in rows[0].union(*rows[1:], all=True):
        for name in figures:
            counts[name] += row[name]
    return counts


def ids_ordered_over_parts(parts: list[QuerySet[Task]]) -> QuerySet:
    """The ids of ``parts`` in the lists' order, as one query to slice: no join, no annotation
    but the order's."""
    columns = [part.annotate(finished=FINISHED_LAST).values("id", "finished", "due_at", "priority") for part in parts]
    return columns[0].union(*columns[1:], all=True).order_by(*ORDER)
