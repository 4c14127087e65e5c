"""Notices to people: the in-app list and every channel, for events and reminders alike.

``notification_send`` writes the notice (the in-app list) and one delivery row per
channel in the caller's transaction, then, after commit, queues the deliveries in jobs of up
to ``CHUNK`` (a reminder sweep of 100,000 notices queues 500 messages, not 100,000).
Guarantees: the in-app notice exists exactly once, exactly when the action that caused it
committed. E-mail and other channels are at-least-once: a delivery is claimed by a
conditional update before the channel is called and marked sent after; a worker that dies
between the two leaves the claim stale, and the recovery sweep sends it again (a rare
duplicate rather than a lost notice). Failures are retried with back-off, and after the
last try the delivery shows as failed without holding up any other.

The delivery rows are the jobs (ops.background): publishing after commit only wakes a worker
and may fail without failing the action; a transient failure puts the delivery back to
pending with a later ``due_at`` (back-off), and the recovery job re-queues what is due.
"""

import time
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ops.background import CLAIM_TTL, GRACE, WorkKind, backoff, oldest_due_of, wake
from units.channels import TRANSIENT, Skip, channels
from units.models import Notification, NotificationDelivery, NotificationMute, User

# Every kind of notice, with the label people see on their settings page.
KINDS = {
    "reminder_before": _("Nhắc việc trước hạn"),
    "reminder_due_today": _("Nhắc việc đến hạn hôm nay"),
    "reminder_overdue": _("Nhắc việc quá hạn"),
    "reminder_overdue_supervisor": _("Báo lãnh đạo nhiệm vụ quá hạn"),
    "reminder_periodic_report": _("Nhắc nộp báo cáo định kỳ"),
    "reminder_returned": _("Nhắc nhiệm vụ bị trả lại chưa xử lý"),
    "weekly_digest": _("Tổng hợp hằng tuần"),
    "document_review": _("Dự thảo chờ tôi duyệt"),
    "document_signature": _("Văn bản chờ tôi ký"),
    "document_returned": _("Dự thảo của tôi bị trả lại"),
    "document_approved": _("Văn bản đã ký chờ phát hành"),
    "document_received": _("Văn bản đến đơn vị tôi"),
    "incoming_routing": _("Văn bản đến chờ phân công"),
    "task_received": _("Đơn vị được giao nhiệm vụ"),
    "task_assigned": _("Tôi được phân công nhiệm vụ"),
    "task_submitted": _("Báo cáo chờ tôi nghiệm thu"),
    "task_accepted": _("Nhiệm vụ được nghiệm thu"),
    "task_returned": _("Nhiệm vụ bị trả lại"),
    "extension_asked": _("Đề nghị gia hạn gửi tôi"),
    "extension_answered": _("Trả lời đề nghị gia hạn"),
}

# The detail of a delivery not made because the person muted this kind of notice on this channel.
_MUTED = _("Cán bộ đã tắt loại thông báo này")

MAX_ATTEMPTS = 5
STALE_CLAIM = CLAIM_TTL  # a job re-stamps its claims every CLAIM_TOUCH seconds, so an older one is abandoned
CLAIM_TOUCH = CLAIM_TTL.total_seconds() / 4
CHUNK = 200  # deliveries per job: one SMTP session each, few broker messages
RECOVER_LIMIT = 20 * CHUNK  # per recovery run (every minute): a backlog drains over several runs


def notification_send(
    *, users: Iterable[User], kind: str, message: str, url: str = "", body: str = ""
) -> list[Notification]:
    """Put a notice in each person's list and queue it on every channel they have not muted."""
    people = {u.pk: u for u in users if u is not None}
    return notifications_send(
        notices=[Notification(user=u, kind=kind, message=message[:500], url=url, body=body) for u in people.values()]
    )


def notifications_send(*, notices: list[Notification]) -> list[Notification]:
    """Write unsaved notices, each with its own person, kind and text, and queue them on every channel.

    The set-wise form of ``notification_send`` (one notice per row, a fixed number of queries
    whatever their number), for callers that write many different notices in one transaction,
    like the reminder sweep.
    """
    if not notices:
        return []
    for notice in notices:
        notice.message = notice.message[:500]
    pending = (_write_set_wise if connection.vendor == "postgresql" else _write)(notices)
    if pending:
        transaction.on_commit(lambda: deliveries_enqueue(pending))  # never raises: the rows are the jobs
    return notices


def _write(notices: list[Notification]) -> list[int]:
    """Save the notices and one delivery per channel (skipped where muted); return the pending deliveries' ids."""
    Notification.objects.bulk_create(notices)
    muted = set(
        NotificationMute.objects.filter(
            user_id__in={n.user_id for n in notices}, kind__in={n.kind for n in notices}
        ).values_list("user_id", "kind", "channel")
    )
    deliveries = []
    for notice in notices:
        for name in channels():
            if (notice.user_id, notice.kind, name) in muted:
                deliveries.append(NotificationDelivery(
                    notification=notice, channel=name, state=NotificationDelivery.State.SKIPPED,
                    detail=str(_MUTED), finished_at=timezone.now(),
                ))  # fmt: skip
            else:
                deliveries.append(NotificationDelivery(notification=notice, channel=name))
    created = NotificationDelivery.objects.bulk_create(deliveries)
    return [d.pk for d in created if d.state == NotificationDelivery.State.PENDING]


def _write_set_wise(notices: list[Notification]) -> list[int]:
    """``_write`` on PostgreSQL in two statements, the rows passed as arrays (``unnest``).

    The reminder sweep writes notices by the hundred thousand, and bulk_create's work per
    object was most of its time (docs/performance.md). The notices' ids come back in the
    order given (``WITH ORDINALITY … ORDER BY``, as bulk_create relies on for its VALUES);
    the deliveries join the mutes in SQL.
    """
    now = timezone.now()
    State = NotificationDelivery.State
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} (user_id, kind, message, url, body, created_at)"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " SELECT t.u, t.k, t.m, t.l, t.b, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])"
            " WITH ORDINALITY AS t(u, k, m, l, b, i) ORDER BY t.i RETURNING id",
            [now, *([getattr(n, name) for n in notices] for name in ("user_id", "kind", "message", "url", "body"))],
        )
        for notice, (pk,) in zip(notices, cursor.fetchall(), strict=True):
            notice.pk, notice.created_at = pk, now
            notice._state.adding, notice._state.db = False, connection.alias
        muted = "m.id IS NOT NULL"
        cursor.execute(
            f"INSERT INTO {NotificationDelivery._meta.db_table}"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " (notification_id, channel, state, attempts, detail, finished_at, due_at)"
            f" SELECT n.id, c.name, CASE WHEN {muted} THEN %s ELSE %s END, 0,"
            f" CASE WHEN {muted} THEN %s ELSE '' END, CASE WHEN {muted} THEN %s::timestamptz END, %s"
            f" FROM {Notification._meta.db_table} n CROSS JOIN unnest(%s::text[]) AS c(name)"
            f" LEFT JOIN {NotificationMute._meta.db_table} m"
            " ON m.user_id = n.user_id AND m.kind = n.kind AND m.channel = c.name"
            " WHERE n.id = ANY(%s) RETURNING id, state",
            [State.SKIPPED, State.PENDING, str(_MUTED), now, now, list(channels()), [n.pk for n in notices]],
        )
        return sorted(pk for pk, state in cursor.fetchall() if state == State.PENDING)


def deliveries_enqueue(ids: list[int]) -> bool:
    """Wake workers for the deliveries, in jobs of up to ``CHUNK`` published through one producer.

    Never raises: with the broker down this is logged and answers False, and the recovery job
    queues the deliveries again once it is back.
    """
    from units import jobs

    def publish():
        with jobs.deliveries_send.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), CHUNK):
                jobs.deliveries_send.apply_async((ids[start : start + CHUNK],), producer=producer)

    return wake(publish, what=f"{len(ids)} deliveries") if ids else True


def deliveries_send(delivery_ids: list[int]) -> list[int]:
    """Claim the pending ones among these deliveries at once, then hand each to its channel in
    turn, each channel holding one session open for the run (one SMTP connection for a job's
    e-mails); return the ids to try again later.

    Each outcome is recorded as soon as it is known, so a worker that dies mid-run re-sends at
    most the delivery it was on; the ones it had not reached are put back by the recovery
    sweep. A delivery that fails for good is recorded and does not stop the others.
    """
    again = []
    with ExitStack() as stack:
        for channel in channels().values():
            stack.enter_context(channel.session())
        claimed = _claim(delivery_ids)
        stamped = time.monotonic()
        for index, delivery in enumerate(claimed):
            if time.monotonic() - stamped > CLAIM_TOUCH:  # still working: keep the rest from looking abandoned
                _touch([d.pk for d in claimed[index:]])
                stamped = time.monotonic()
            try:
                _deliver(delivery)
            except TRANSIENT:
                again.append(delivery.pk)
    return again


def _touch(ids: list[int]) -> None:
    NotificationDelivery.objects.filter(pk__in=ids, state=NotificationDelivery.State.SENDING).update(
        claimed_at=timezone.now()
    )


def notices_deliver(*, notice_ids: list[int]) -> dict[str, int]:
    """Send now, in this process, the pending deliveries of these notices; answer every one of
    their deliveries' states, counted (``sent``, ``pending``: waiting for a retry or claimed by
    a worker, ``skipped``, ``failed``).

    For commands run by hand, which must report what really happened whether or not a worker
    and a broker are running. The claims are the same as the jobs', so nothing is sent twice.
    """
    State = NotificationDelivery.State
    counts = dict.fromkeys(State.values, 0)
    for start in range(0, len(notice_ids), CHUNK):
        chunk = notice_ids[start : start + CHUNK]
        deliveries = NotificationDelivery.objects.filter(notification_id__in=chunk)
        deliveries_send(list(deliveries.filter(state=State.PENDING).values_list("pk", flat=True)))
        for state in deliveries.values_list("state", flat=True):
            counts[state] += 1
    counts["pending"] += counts.pop("sending")
    return counts


def delivery_send(delivery_id: int) -> str:
    """Claim one pending delivery and hand it to its channel; return its new state.

    Raises the channel's transient error after recording it, so the caller can retry.
    """
    claimed = _claim([delivery_id])
    if not claimed:
        return "not-pending"  # sent, skipped or claimed by another worker: nothing to do
    return _deliver(claimed[0])


def _claim(ids: list[int]) -> list[NotificationDelivery]:
    """Claim the pending deliveries among ``ids`` in one conditional update (pending → sending,
    counting the attempt) and read the ones this call won, with their notice and person.

    A delivery another worker claimed first fails the condition and is not returned.
    RETURNING: PostgreSQL, SQLite ≥ 3.35.
    """
    if not ids:
        return []
    State = NotificationDelivery.State
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {NotificationDelivery._meta.db_table} SET state = %s, claimed_at = %s, attempts = attempts + 1"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            f" WHERE state = %s AND id IN ({marks}) RETURNING id",
            [State.SENDING, timezone.now(), State.PENDING, *ids],
        )
        won = [row[0] for row in cursor.fetchall()]
    return list(NotificationDelivery.objects.filter(pk__in=won).select_related("notification__user").order_by("pk"))


def _deliver(delivery: NotificationDelivery) -> str:
    """Hand a claimed delivery to its channel and record the outcome; return its new state.

    Raises the channel's transient error after recording it, unless that was the last attempt.
    """
    channel = channels().get(delivery.channel)
    try:
        if channel is None:
            raise Skip(gettext("Kênh %(channel)s không còn được cấu hình") % {"channel": delivery.channel})
        channel.send(delivery.notification)
    except Skip as reason:
        return _finish(delivery, NotificationDelivery.State.SKIPPED, str(reason))
    except TRANSIENT as error:
        final = delivery.attempts >= MAX_ATTEMPTS
        state = NotificationDelivery.State.FAILED if final else NotificationDelivery.State.PENDING
        due = None if final else timezone.now() + backoff(delivery.attempts)
        _finish(delivery, state, f"{type(error).__name__}: {error}"[:500], final=final, due_at=due)
        if final:
            return state
        raise
    except Exception as error:  # a permanent failure: record it, never block the others
        return _finish(delivery, NotificationDelivery.State.FAILED, f"{type(error).__name__}: {error}"[:500])
    return _finish(delivery, NotificationDelivery.State.SENT, "")


def _finish(
    delivery: NotificationDelivery, state: str, detail: str, *, final: bool = True, due_at: datetime | None = None
) -> str:
    fields = {"state": state, "detail": detail, "finished_at": timezone.now() if final else None}
    if due_at is not None:
        fields["due_at"] = due_at
    NotificationDelivery.objects.filter(pk=delivery.pk).update(**fields)
    return state


def deliveries_recover(*, now: datetime | None = None) -> list[int]:
    """Put back the deliveries whose worker died after claiming them (at-least-once), and answer
    the ids of the pending ones due for at least ``GRACE`` (their wake-up was lost, or their
    back-off is over), oldest first, at most ``RECOVER_LIMIT``."""
    now = now or timezone.now()
    State = NotificationDelivery.State
    NotificationDelivery.objects.filter(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=State.PENDING
    )
    due = NotificationDelivery.objects.filter(state=State.PENDING, due_at__lte=now - GRACE).order_by("due_at")
    return list(due.values_list("pk", flat=True)[:RECOVER_LIMIT])


def deliveries_requeue(now: datetime) -> int:
    """The recovery job's part for deliveries: re-queue the due and abandoned ones."""
    ids = deliveries_recover(now=now)
    deliveries_enqueue(ids)
    return len(ids)


def deliveries_oldest_due(now: datetime) -> datetime | None:
    """When the oldest pending delivery became due (None if none is)."""
    return oldest_due_of(NotificationDelivery.objects.filter(state=NotificationDelivery.State.PENDING), now)


DELIVERIES = WorkKind(name="deliveries", oldest_due=deliveries_oldest_due, recover=deliveries_requeue)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read (all of them when ``ids`` is None); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def mutes_set(*, user: User, muted_kinds: Iterable[str], channel: str = "email") -> None:
    """Make ``muted_kinds`` exactly the kinds ``user`` receives in-app only."""
    kinds = set(muted_kinds) & set(KINDS)
    with transaction.atomic():
        NotificationMute.objects.filter(user=user, channel=channel).exclude(kind__in=kinds).delete()
        NotificationMute.objects.bulk_create(
            [NotificationMute(user=user, kind=k, channel=channel) for k in kinds], ignore_conflicts=True
        )
