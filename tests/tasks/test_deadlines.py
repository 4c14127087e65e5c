"""Deadlines in working days, and the tracking class at its edges (Asia/Ho_Chi_Minh)."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from lib.workdays import deadline_end
from tasks import services
from tasks.models import Task, TrackingClass
from tasks.tracking import tracking_class, with_tracking
from tests.ladder import accept_fully, decide_fully

VN_NOON = 5  # 12:00 in Hà Nội is 05:00 UTC


def at(day: date, hour_utc: int = VN_NOON, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour_utc, minute, tzinfo=UTC)


def classes(task: Task, moment: datetime) -> tuple[str, str]:
    """The class computed in Python and in SQL: they must agree."""
    in_sql = with_tracking(Task.objects.filter(pk=task.pk), at=moment).get().tracking
    return tracking_class(task, at=moment), in_sql


def test_working_days_skip_the_weekend(make_task):
    # Friday 20 November 2026 + 3 working days → Wednesday 25 November.
    task = make_task(working_days=3, today=date(2026, 11, 20))
    assert task.deadline == date(2026, 11, 25)
    assert task.original_deadline == date(2026, 11, 25)


def test_working_days_skip_the_tet_holiday_week(make_task):
    # Tết Bính Ngọ: 16-20 February 2026 are public holidays (loaded on migrate).
    task = make_task(working_days=3, today=date(2026, 2, 12))
    assert task.deadline == date(2026, 2, 24)


def test_working_days_count_from_the_documents_issue_date(make_task, make_approved, clerk):
    from directives import services as documents

    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        document = documents.document_issue(document=make_approved(), by=clerk)
        task = make_task(document=document, working_days=1)
    assert task.deadline == date(2026, 11, 23)


def test_a_deadline_is_the_end_of_that_day_in_vietnam(make_task):
    task = make_task(deadline=date(2026, 12, 1), today=date(2026, 11, 20))
    assert task.due_at == deadline_end(date(2026, 12, 1))
    assert task.due_at.isoformat() == "2026-12-01T23:59:59.999999+07:00"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(date(2026, 11, 25)), TrackingClass.WITHIN),  # due today, at noon
        (datetime(2026, 11, 25, 16, 59, 59, tzinfo=UTC), TrackingClass.WITHIN),  # 23:59:59 local, still today
        (datetime(2026, 11, 25, 17, 0, 0, tzinfo=UTC), TrackingClass.OVERDUE),  # 00:00 the next day local
        (at(date(2026, 11, 26)), TrackingClass.OVERDUE),  # due yesterday
    ],
)
def test_in_progress_within_or_past_the_deadline(make_task, now, expected):
    task = make_task(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    assert classes(task, now) == (expected, expected)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (datetime(2026, 11, 25, 16, 59, tzinfo=UTC), TrackingClass.ON_TIME),  # 23:59 local on the due date
        (datetime(2026, 11, 25, 17, 1, tzinfo=UTC), TrackingClass.LATE),  # 00:01 local the day after
    ],
)
def test_finished_on_the_due_date_at_23_59_is_on_time(assigned, specialist, director, finished, expected):
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    services.task_submit(task=task, by=specialist, result="Đã hoàn thành", at=finished)
    # Accepted days later: the completion time is when it was reported done.
    with time_machine.travel(at(date(2026, 11, 30)), tick=False):
        accept_fully(task)
    task.refresh_from_db()
    assert task.completed_at == finished
    assert classes(task, at(date(2026, 12, 10))) == (expected, expected)


def test_an_extension_moves_the_deadline_in_force_and_keeps_the_original(assigned, specialist, director):
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    extension = services.task_extension_request(
        task=task, by=specialist, new_deadline=date(2026, 12, 4), reason="Chờ số liệu của Sở Tài chính"
    )
    decide_fully(extension, grant=True)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (date(2026, 12, 4), date(2026, 11, 25))
    assert classes(task, at(date(2026, 11, 30))) == (TrackingClass.WITHIN, TrackingClass.WITHIN)
    history = list(task.events.values_list("action", "data__old", "data__new").filter(action="ext_granted"))
    assert history == [("ext_granted", "2026-11-25", "2026-12-04")]


def test_a_refused_extension_changes_nothing(assigned, specialist, director):
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    extension = services.task_extension_request(task=task, by=specialist, new_deadline=date(2026, 12, 4), reason="x")
    decide_fully(extension, grant=False, note="Không có lý do chính đáng")
    task.refresh_from_db()
    assert task.deadline == date(2026, 11, 25)


def test_a_standing_duty_has_no_deadline_and_owes_periodic_reports(make_task):
    task = make_task(reporting_period=Task.Period.MONTHLY, today=date(2026, 11, 20))
    assert task.deadline is None and task.due_at is None
    assert classes(task, at(date(2027, 1, 1))) == (TrackingClass.NO_DEADLINE, TrackingClass.NO_DEADLINE)
    (due,) = task.due_reports.all()
    assert (due.period_start, due.period_end, due.due_on) == (date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30))


def test_a_deadline_in_the_past_is_refused(make_task):
    from lib.errors import DomainError

    with pytest.raises(DomainError, match="trước hôm nay"):
        make_task(deadline=date(2026, 11, 19), today=date(2026, 11, 20))
    assert not Task.objects.exists()
