"""Reminders: the right people at each rule's moment, on working days in office hours, each once."""

import smtplib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from lib.workdays import VIETNAM_TZ
from notifications.channels import EmailChannel
from notifications.delivery import MAX_ATTEMPTS, delivery_send
from notifications.models import Notification, NotificationDelivery
from notifications.services import mutes_set
from tasks import reminders, services
from tasks.digest import weekly_digests_send
from tasks.models import Holiday, Reminder, ReminderRule, Task
from tests import factories
from tests.concurrency import at_once
from tests.ladder import accept_fully, decide_fully
from units.roles import Role

DEADLINE = date(2026, 11, 27)  # a Friday


def vn(day: date, hour: int = 8, minute: int = 0) -> datetime:
    """A moment in Hà Nội time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM_TZ)


def sent(**filters) -> list[tuple[str, str]]:
    notices = Notification.objects.filter(kind__startswith="reminder", **filters).order_by("id")
    return list(notices.values_list("user__username", "kind"))


@pytest.fixture
def task(assigned):
    return assigned(deadline=DEADLINE, today=date(2026, 11, 16))


def sweep_day(day: date, hour: int = 8) -> list[tuple[str, str]]:
    before = Notification.objects.filter(kind__startswith="reminder").count()
    reminders.reminders_sweep(at=vn(day, hour))
    return sent()[before:]


def test_the_right_people_get_the_right_reminder_at_each_rules_moment(task):
    assert sweep_day(date(2026, 11, 23)) == []  # four working days ahead: nothing yet
    assert sweep_day(date(2026, 11, 24)) == [("dave", "reminder_before")]  # 3 working days before
    assert sweep_day(date(2026, 11, 25)) == []
    assert sweep_day(date(2026, 11, 26)) == [("dave", "reminder_before")]  # 1 working day before
    assert sweep_day(date(2026, 11, 27)) == [("dave", "reminder_due_today")]  # the morning of the deadline
    assert sweep_day(date(2026, 11, 28)) == []  # Saturday
    assert sweep_day(date(2026, 11, 29)) == []  # Sunday
    assert sorted(sweep_day(date(2026, 11, 30))) == [("bob", "reminder_overdue"), ("dave", "reminder_overdue")]
    assert sweep_day(date(2026, 12, 1)) == []
    assert sweep_day(date(2026, 12, 2)) == [("carol", "reminder_overdue_supervisor")]  # 3 working days overdue
    assert sweep_day(date(2026, 12, 3)) == []


def test_the_message_is_vietnamese_and_links_to_the_task(task):
    reminders.reminders_sweep(at=vn(date(2026, 11, 26)))
    notice = Notification.objects.get(kind="reminder_before")
    assert notice.message == f"Nhiệm vụ «{task.title}» đến hạn ngày 27/11/2026 (còn 1 ngày làm việc)."
    assert notice.url == f"/tasks/{task.pk}/"


def test_nothing_goes_out_before_or_after_office_hours(task):
    assert sweep_day(date(2026, 11, 24), hour=7) == []  # 07:00
    assert sweep_day(date(2026, 11, 24), hour=18) == []  # 18:00
    assert sweep_day(date(2026, 11, 24), hour=9) == [("dave", "reminder_before")]


def test_nothing_goes_out_on_a_holiday(task):
    Holiday.objects.create(date=date(2026, 11, 26), name="Nghỉ bù", kind=Holiday.Kind.HOLIDAY)
    assert sweep_day(date(2026, 11, 26)) == []
    # With the 26th off, the day before is one working day before the deadline.
    from tasks.calendar import calendar_invalidate

    calendar_invalidate()
    assert sweep_day(date(2026, 11, 25)) == [("dave", "reminder_before")]


def test_a_muted_person_gets_the_notice_in_app_but_no_e_mail(task, specialist):
    mutes_set(user=specialist, muted_kinds=["reminder_before"])
    reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    notice = Notification.objects.get(kind="reminder_before", user=specialist)
    (delivery,) = notice.deliveries.all()
    assert delivery.state == NotificationDelivery.State.SKIPPED
    assert "tắt" in delivery.detail


def test_a_person_without_e_mail_is_logged_as_skipped_with_the_reason(task, specialist):
    specialist.email = ""
    specialist.save(update_fields=["email"])
    reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    delivery = NotificationDelivery.objects.get(notification__kind="reminder_before")
    assert delivery_send(delivery.pk) == NotificationDelivery.State.SKIPPED
    delivery.refresh_from_db()
    assert delivery.detail == "Cán bộ chưa có địa chỉ thư điện tử"
    assert Notification.objects.filter(kind="reminder_before", user=specialist).exists()


def test_running_the_sweep_twice_sends_each_reminder_once(task):
    first = reminders.reminders_sweep(at=vn(date(2026, 11, 30)))
    second = reminders.reminders_sweep(at=vn(date(2026, 11, 30), 9))
    assert (first.sent, first.skipped) == (2, 0)
    assert (second.sent, second.skipped) == (0, 2)
    assert len(sent()) == 2


def backdate(task, *, before: datetime) -> None:
    """As if the task had last changed before ``before`` (less the slack later passes allow)."""
    Task.objects.filter(pk=task.pk).update(updated_at=before - reminders.CHANGE_SLACK - timedelta(minutes=1))


def beat(day: date, hour: int = 8, minute: int = 0) -> list[tuple[str, str]]:
    """A sweep as the beat runs it: after a rule's first pass of the day, changed tasks only."""
    before = Notification.objects.filter(kind__startswith="reminder").count()
    reminders.reminders_sweep(at=vn(day, hour, minute), whole=False)
    return sent()[before:]


def test_later_passes_of_the_day_read_the_tasks_changed_since(task, assigned):
    assert beat(date(2026, 11, 26)) == [("dave", "reminder_before")]
    first_pass = ReminderRule.objects.get(kind="before", days=1).swept_from
    assert first_pass is not None
    due_tomorrow = assigned(deadline=DEADLINE, today=date(2026, 11, 16))  # given after the first pass
    assert beat(date(2026, 11, 26), minute=5) == [("dave", "reminder_before")]
    assert Reminder.objects.filter(task=due_tomorrow).count() == 1

    unseen = assigned(deadline=DEADLINE, today=date(2026, 11, 16))
    backdate(unseen, before=first_pass)  # unchanged since the last pass: not read again today
    assert beat(date(2026, 11, 26), minute=10) == []
    # A whole pass (send_reminders) reads it, as the next day's first pass would.
    assert sweep_day(date(2026, 11, 26), hour=9) == [("dave", "reminder_before")]
    assert Reminder.objects.filter(task=unseen).count() == 1


def test_the_next_days_first_pass_reads_every_task(task, assigned):
    beat(date(2026, 11, 26))
    unseen = assigned(deadline=DEADLINE, today=date(2026, 11, 16))
    backdate(unseen, before=ReminderRule.objects.get(kind="before", days=1).swept_from)
    assert beat(date(2026, 11, 26), minute=5) == []
    assert beat(date(2026, 11, 27)) == [("dave", "reminder_due_today"), ("dave", "reminder_due_today")]


def test_an_edited_rule_or_holiday_makes_the_next_pass_read_every_task(task, assigned):
    # The rules and the calendar are every agency's: an installation administrator keeps them.
    administrator = factories.PersonFactory(username="root", agency=None, roles=[Role.ADMINISTRATOR])
    beat(date(2026, 11, 26))
    rule = ReminderRule.objects.get(kind="before", days=1)
    unseen = assigned(deadline=DEADLINE, today=date(2026, 11, 16))
    backdate(unseen, before=rule.swept_from)
    rule.name = "Nhắc trước 1 ngày làm việc"
    services.reminder_rule_save(rule=rule, by=administrator)
    assert beat(date(2026, 11, 26), minute=5) == [("dave", "reminder_before")]

    another = assigned(deadline=DEADLINE, today=date(2026, 11, 16))
    backdate(another, before=ReminderRule.objects.get(pk=rule.pk).swept_from)
    services.holiday_save(holiday=Holiday(date=date(2026, 12, 24), name="Ngày nghỉ thử"), by=administrator)
    assert beat(date(2026, 11, 26), minute=10) == [("dave", "reminder_before")]


def test_catch_up_after_downtime_sends_only_what_is_still_relevant(task, assigned):
    finished = assigned(deadline=DEADLINE, today=date(2026, 11, 16))
    services.task_submit(task=finished, by=finished.handler, result="Xong")
    # Down on the 24th and 25th: on the 26th only the 1-day reminder goes out, once.
    assert sweep_day(date(2026, 11, 26)) == [("dave", "reminder_before")]
    assert Reminder.objects.get().rule.days == 1
    assert not Reminder.objects.filter(task=finished).exists()


def test_a_later_deadline_brings_its_own_reminders(task, specialist, director):
    reminders.reminders_sweep(at=vn(date(2026, 11, 26)))
    extension = services.task_extension_request(task=task, by=specialist, new_deadline=date(2026, 12, 4), reason="x")
    decide_fully(extension, grant=True)
    assert sweep_day(date(2026, 11, 27)) == []  # no longer due today
    assert sweep_day(date(2026, 12, 3)) == [("dave", "reminder_before")]


def test_each_reminder_sent_points_at_its_own_notice(task):
    reminders.reminders_sweep(at=vn(date(2026, 11, 30)))
    pairs = list(Reminder.objects.values_list("user__username", "notification__user__username", "notification__kind"))
    assert sorted(pairs) == [("bob", "bob", "reminder_overdue"), ("dave", "dave", "reminder_overdue")]


def test_a_crash_between_claim_and_send_neither_loses_nor_doubles(task, monkeypatch):
    """The claim and the notice commit together: a crash rolls both back, the next sweep sends once."""

    class WorkerDied(BaseException):
        pass

    def crash(**kwargs):
        raise WorkerDied

    monkeypatch.setattr(reminders, "notifications_send", crash)
    with pytest.raises(WorkerDied):
        reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    assert Reminder.objects.get().claimed_at is None and sent() == []
    monkeypatch.undo()
    assert reminders.reminders_sweep(at=vn(date(2026, 11, 24), 9)).sent == 1
    assert reminders.reminders_sweep(at=vn(date(2026, 11, 24), 10)).sent == 0
    assert sent() == [("dave", "reminder_before")]


def test_a_failing_reminder_is_retried_then_pushed_forward(task, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(reminders, "notifications_send", broken)
    for hour in range(8, 8 + reminders.MAX_ATTEMPTS):
        assert reminders.reminders_sweep(at=vn(date(2026, 11, 24), hour)).failed == 1
    reminder = Reminder.objects.get()
    assert reminder.claimed_at is not None and reminder.attempts == reminders.MAX_ATTEMPTS
    assert reminders.reminders_sweep(at=vn(date(2026, 11, 24), 12)).failed == 0


def test_dry_run_sends_nothing(task):
    result = reminders.reminders_sweep(at=vn(date(2026, 11, 24)), dry_run=True)
    assert result.sent == 1 and not Reminder.objects.exists() and sent() == []


def test_send_reminders_command_prints_json_counts(task, capsys):
    from django.core.management import call_command

    call_command("send_reminders", "--at", "2026-11-30T08:00", "--json")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == '{"queued": 2, "sent": 2, "waiting": 0, "skipped": 0, "failed": 0}'
    call_command("send_reminders", "--at", "2026-11-30T08:00", "--json")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == '{"queued": 0, "sent": 0, "waiting": 0, "skipped": 2, "failed": 0}'


def test_send_reminders_sends_without_a_worker_and_fails_when_one_fails(task, capsys, settings, monkeypatch):
    """The broker and the worker may be down: the command sends what it queued itself and says
    truthfully what failed, exiting non-zero."""
    from django.core.management import CommandError, call_command
    from kombu.exceptions import OperationalError

    from notifications import jobs

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobs.deliveries_send, "apply_async", broker_down)
    settings.EMAIL_BACKEND = "tests.tasks.test_reminders.RefusingBackend"
    with pytest.raises(CommandError, match="lỗi"):
        call_command("send_reminders", "--at", "2026-11-30T08:00", "--json")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == '{"queued": 2, "sent": 0, "waiting": 0, "skipped": 0, "failed": 2}'
    reminded = NotificationDelivery.objects.filter(notification__kind__startswith="reminder")
    assert set(reminded.values_list("detail", flat=True)) == {"ValueError: hộp thư không tồn tại"}


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message for good."""

    def send_messages(self, messages):
        raise ValueError("hộp thư không tồn tại")


def test_a_bad_at_is_refused_in_vietnamese(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("send_reminders", "--at", "thứ hai")


def test_the_weekly_digest_reaches_each_director_once_with_the_rates(task, assigned, specialist, director):
    done = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 16))
    services.task_submit(task=done, by=specialist, result="Xong", at=vn(date(2026, 11, 24)))
    accept_fully(done)
    monday = vn(date(2026, 11, 30), 7, 45)
    assert weekly_digests_send(at=vn(date(2026, 11, 30), 7, 0)) == 0  # before 07:30
    assert weekly_digests_send(at=monday) == 1
    assert weekly_digests_send(at=monday) == 0
    digest = Notification.objects.get(kind="weekly_digest", user=director)
    lines = digest.body.splitlines()
    assert lines[1] == "- Đang thực hiện quá hạn: 1"  # overdue first
    assert "- Hoàn thành đúng hạn: 1" in lines
    assert "Tỷ lệ hoàn thành: 50,00 %" in lines  # 1 finished ÷ (1 finished + 1 overdue)
    assert "Tỷ lệ đúng hạn: 100,00 %" in lines
    assert any(task.title in line for line in lines)


def test_an_smtp_failure_is_retried_and_recorded(task, monkeypatch, mailoutbox):
    reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    delivery = NotificationDelivery.objects.get(notification__kind="reminder_before")
    real_send, calls = EmailChannel.send, []

    def flaky(self, notification):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("máy chủ thư ngắt kết nối")
        return real_send(self, notification)

    monkeypatch.setattr(EmailChannel, "send", flaky)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1) and "SMTPServerDisconnected" in delivery.detail
    assert delivery_send(delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.finished_at is not None) == ("sent", 2, True)
    assert len(mailoutbox) == 1 and "đến hạn" in mailoutbox[0].subject


def test_after_the_last_try_a_delivery_shows_as_failed(task, monkeypatch):
    reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    delivery = NotificationDelivery.objects.get(notification__kind="reminder_before")

    def down(self, notification):
        raise smtplib.SMTPConnectError(421, "dịch vụ không sẵn sàng")

    monkeypatch.setattr(EmailChannel, "send", down)
    for _attempt in range(MAX_ATTEMPTS - 1):
        with pytest.raises(smtplib.SMTPConnectError):
            delivery_send(delivery.pk)
    assert delivery_send(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("days", "send_at", "message"),
    [
        (-1, time(8, 0), "không được âm"),
        (1, time(3, 0), "giờ hành chính"),
        (1, time(21, 30), "giờ hành chính"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(db, days, send_at, message):
    from django.core.exceptions import ValidationError

    rule = ReminderRule(name="Quy tắc thử", kind="before", days=days, send_at=send_at)
    with pytest.raises(ValidationError, match=message):
        rule.full_clean()


@pytest.mark.postgres
def test_two_sweeps_at_the_same_moment_in_two_processes_send_once(task):
    moment = vn(date(2026, 11, 30))
    # A sweep by hand and the beat's, each on its own connection, released together.
    errors = at_once(
        [lambda: reminders.reminders_sweep(at=moment), lambda: reminders.reminders_sweep(at=moment, whole=False)]
    )
    assert errors == []
    assert sorted(sent()) == [("bob", "reminder_overdue"), ("dave", "reminder_overdue")]
    assert Reminder.objects.count() == 2
