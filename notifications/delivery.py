"""Carrying notices over their channels: claim, send, record, recover (notifications.services writes them).

At-least-once: a delivery is claimed by a conditional update (pending → sending) before its
channel is called and marked sent after; a worker that dies between the two leaves the claim
stale, and ``deliveries_recover`` puts it back. A transient failure waits as a pending row with a
later ``due_at`` (back-off) until the last attempt, which is recorded as failed.
"""

import time
from contextlib import ExitStack, contextmanager, suppress
from datetime import datetime

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext

from notifications.channels import TRANSIENT, Skip, channels
from notifications.models import NotificationDelivery
from ops.background import CLAIM_TTL, GRACE, backoff, oldest_due_of

MAX_ATTEMPTS = 5
STALE_CLAIM = CLAIM_TTL  # a job re-stamps its claims every CLAIM_TOUCH seconds, so an older one is abandoned
CLAIM_TOUCH = CLAIM_TTL.total_seconds() / 4
CHUNK = 200  # deliveries per job: one SMTP session each, few broker messages
RECOVER_LIMIT = 20 * CHUNK  # per recovery run (every minute): a backlog drains over several runs


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
        stack.enter_context(_commits_not_waiting_for_disk())
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


@contextmanager
def _commits_not_waiting_for_disk():
    """On PostgreSQL, for the run: commit the claims and outcomes without waiting for their WAL
    to reach the disk (``synchronous_commit`` off for this session, then reset).

    Every outcome is its own commit, and waiting for the disk was most of a run's time (3 ms
    an e-mail on a busy disk: 16 s of the 23 s that ``send_reminders`` spent sending 4,903
    e-mails). A worker that dies loses nothing more than before; only a crash of the database
    server itself can lose the last fraction of a second of outcomes (wal_writer_delay), whose
    deliveries are then sent again, as at-least-once allows.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:  # a broken connection is dropped anyway
            cursor.execute("RESET synchronous_commit")


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


def deliveries_oldest_due(now: datetime) -> datetime | None:
    """When the oldest pending delivery became due (None if none is)."""
    return oldest_due_of(NotificationDelivery.objects.filter(state=NotificationDelivery.State.PENDING), now)
