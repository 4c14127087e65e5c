"""The Government Office's tracking classes, computed the same way in Python and in SQL.

With D the end of the deadline day in Vietnam (``due_at``), C the completion time and S the
moment of the report: finished on time C ≤ D; finished late C > D; in progress within S ≤ D;
in progress past S > D. Tasks without a deadline are counted apart, cancelled ones not at all.
"""

from datetime import datetime

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from tasks.models import Task, TrackingClass

T = Task.State


def tracking_class(task: Task, *, at: datetime) -> str:
    """The class of one task as of ``at``."""
    if task.state == T.CANCELLED:
        return TrackingClass.CANCELLED
    if task.due_at is None:
        return TrackingClass.NO_DEADLINE
    if task.state == T.DONE:
        return TrackingClass.ON_TIME if task.completed_at <= task.due_at else TrackingClass.LATE
    return TrackingClass.WITHIN if at <= task.due_at else TrackingClass.OVERDUE


def tracking_case(*, at: datetime) -> Case:
    """The same rule as a database expression."""
    return Case(
        When(state=T.CANCELLED, then=Value(TrackingClass.CANCELLED)),
        When(due_at__isnull=True, then=Value(TrackingClass.NO_DEADLINE)),
        When(Q(state=T.DONE, completed_at__lte=F("due_at")), then=Value(TrackingClass.ON_TIME)),
        When(state=T.DONE, then=Value(TrackingClass.LATE)),
        When(due_at__gte=at, then=Value(TrackingClass.WITHIN)),
        default=Value(TrackingClass.OVERDUE),
        output_field=CharField(),
    )


def with_tracking(tasks: QuerySet[Task], *, at: datetime) -> QuerySet[Task]:
    return tasks.annotate(tracking=tracking_case(at=at))


def class_filter(tracking: str, *, at: datetime) -> Q:
    """A filter selecting the tasks of one class as of ``at`` (usable with indexes on state and due_at)."""
    done = Q(state=T.DONE)
    open_ = Q(state__in=Task.OPEN_STATES)
    return {
        TrackingClass.ON_TIME: done & Q(completed_at__lte=F("due_at")),
        TrackingClass.LATE: done & Q(completed_at__gt=F("due_at")),
        TrackingClass.WITHIN: open_ & Q(due_at__gte=at),
        TrackingClass.OVERDUE: open_ & Q(due_at__lt=at),
        TrackingClass.NO_DEADLINE: ~Q(state=T.CANCELLED) & Q(due_at__isnull=True),
        TrackingClass.CANCELLED: Q(state=T.CANCELLED),
    }[tracking]


def rates(counts: dict[str, int]) -> dict:
    """The Government Office's rates from class counts.

    Completion = finished ÷ (finished + in progress past the deadline); on-time = finished on
    time ÷ finished. None when the denominator is zero.
    """
    finished = counts.get(TrackingClass.ON_TIME, 0) + counts.get(TrackingClass.LATE, 0)
    overdue = counts.get(TrackingClass.OVERDUE, 0)
    completion = finished / (finished + overdue) if finished + overdue else None
    on_time = counts.get(TrackingClass.ON_TIME, 0) / finished if finished else None

    def label(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.2f}".replace(".", ",") + " %"

    return {
        "finished": finished,
        "completion": completion,
        "on_time": on_time,
        "completion_label": label(completion),
        "on_time_label": label(on_time),
    }
