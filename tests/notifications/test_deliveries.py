"""Deliveries over a real SMTP server: jobs of up to CHUNK, one connection per job, temporary
failures retried with the others still sent."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications import jobs
from notifications.channels import EmailChannel
from notifications.delivery import CHUNK, MAX_ATTEMPTS, STALE_CLAIM, deliveries_recover, deliveries_send
from notifications.models import Notification, NotificationDelivery
from notifications.services import mutes_set, notifications_send
from ops.background import work_recover

State = NotificationDelivery.State


class Recorder:
    """An SMTP server's handler: keeps each message with the connection it came on; can refuse some."""

    def __init__(self) -> None:
        self.messages: list[tuple[int, str]] = []
        self.refuse = 0  # answer this many messages with a temporary failure (451)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Máy chủ bận, thử lại sau"
        self.messages.append((id(session), envelope.rcpt_tos[0]))
        return "250 OK"

    @property
    def connections(self) -> int:
        return len({session for session, _to in self.messages})


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield recorder
    controller.stop()


def pending_deliveries(user, n: int) -> list[int]:
    """``n`` notices to ``user``, their e-mail deliveries written and not yet sent."""
    notices = notifications_send(
        notices=[Notification(user=user, kind="task_assigned", message=f"Thông báo số {i}") for i in range(n)]
    )
    return list(
        NotificationDelivery.objects.filter(notification__in=notices, channel="email")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_a_jobs_e_mails_go_over_one_connection(smtp, specialist):
    ids = pending_deliveries(specialist, 5)
    assert deliveries_send(ids) == []
    assert len(smtp.messages) == 5 and smtp.connections == 1
    assert set(NotificationDelivery.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.SENT}


def test_a_temporary_refusal_is_retried_and_the_others_still_go(smtp, specialist):
    ids = pending_deliveries(specialist, 3)
    smtp.refuse = 1
    assert deliveries_send(ids) == [ids[0]]
    refused = NotificationDelivery.objects.get(pk=ids[0])
    assert (refused.state, refused.attempts) == (State.PENDING, 1) and "451" in refused.detail
    assert len(smtp.messages) == 2  # the connection was reopened for the next ones
    assert deliveries_send([ids[0]]) == []
    refused.refresh_from_db()
    assert (refused.state, refused.attempts) == (State.SENT, 2)
    assert len(smtp.messages) == 3


def test_a_refused_delivery_waits_its_back_off_then_the_recovery_job_sends_it_or_fails_it(smtp, specialist):
    """No retry waits in the broker: the row keeps its next due time, the beat's recovery job
    queues it when due (run here at a moved clock instead of waiting)."""
    (sent_later,) = pending_deliveries(specialist, 1)
    smtp.refuse = 2
    jobs.deliveries_send.apply(args=([sent_later],))
    row = NotificationDelivery.objects.get(pk=sent_later)
    assert (row.state, row.attempts) == (State.PENDING, 1) and row.due_at > timezone.now()
    assert work_recover()["deliveries"] == 0  # backing off: not due yet
    clock = timezone.now()
    for _ in range(2):
        clock += timedelta(hours=1)
        work_recover(now=clock)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.SENT, 3)

    (never,) = pending_deliveries(specialist, 1)
    smtp.refuse = MAX_ATTEMPTS + 1
    jobs.deliveries_send.apply(args=([never],))
    for _ in range(MAX_ATTEMPTS + 2):
        clock += timedelta(hours=1)
        work_recover(now=clock)
    failed = NotificationDelivery.objects.get(pk=never)
    assert (failed.state, failed.attempts) == (State.FAILED, MAX_ATTEMPTS) and failed.finished_at
    assert len(smtp.messages) == 1


def test_notices_are_queued_in_jobs_of_up_to_a_chunk(
    specialist, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    published = []
    real = jobs.deliveries_send.apply_async

    def spy(args, **options):
        published.append(len(args[0]))
        return real(args, **options)

    monkeypatch.setattr(jobs.deliveries_send, "apply_async", spy)
    with django_capture_on_commit_callbacks(execute=True):
        pending_deliveries(specialist, 2 * CHUNK + 3)
    assert published == [CHUNK, CHUNK, 3]
    assert len(mailoutbox) == 2 * CHUNK + 3


def test_each_notice_written_is_its_own_row_and_a_muted_kind_is_skipped(specialist, unit_head):
    mutes_set(user=unit_head, muted_kinds=["task_assigned"])
    wanted = [(specialist, "task_assigned"), (unit_head, "task_assigned"), (unit_head, "task_submitted")]
    notices = notifications_send(
        notices=[Notification(user=user, kind=kind, message=f"{user.username}: {kind}") for user, kind in wanted]
    )
    for notice in notices:
        row = Notification.objects.get(pk=notice.pk)
        assert (row.user_id, row.kind, row.message) == (notice.user_id, notice.kind, notice.message)
    deliveries = NotificationDelivery.objects.select_related("notification__user")
    assert {(d.notification.user.username, d.notification.kind): (d.state, d.detail) for d in deliveries} == {
        ("dave", "task_assigned"): (State.PENDING, ""),
        ("bob", "task_assigned"): (State.SKIPPED, "Cán bộ đã tắt loại thông báo này"),
        ("bob", "task_submitted"): (State.PENDING, ""),
    }


def test_a_worker_that_dies_mid_job_leaves_the_rest_to_the_recovery_sweep(smtp, specialist, monkeypatch):
    ids = pending_deliveries(specialist, 3)
    real_send, calls = EmailChannel.send, []

    class WorkerDied(BaseException):
        pass

    def dies_on_the_second(self, notification):
        calls.append(notification.pk)
        if len(calls) == 2:
            raise WorkerDied
        return real_send(self, notification)

    monkeypatch.setattr(EmailChannel, "send", dies_on_the_second)
    with pytest.raises(WorkerDied):
        deliveries_send(ids)
    monkeypatch.undo()
    states = dict(NotificationDelivery.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: State.SENT, ids[1]: State.SENDING, ids[2]: State.SENDING}
    assert deliveries_send(ids) == []  # claimed by the dead worker: not sent twice meanwhile
    assert len(smtp.messages) == 1
    recovered = deliveries_recover(now=timezone.now() + STALE_CLAIM + timedelta(minutes=1))
    assert sorted(recovered) == ids[1:]
    assert deliveries_send(recovered) == []
    assert sorted(to for _session, to in smtp.messages) == ["dave@example.vn"] * 3
    assert set(NotificationDelivery.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.SENT}
