"""Background work whose truth is in the database; the broker only wakes workers up.

Every job the portal needs is a row written in the transaction of the action that needs it
(an official PDF to render is ``IssuedPdf(state=pending)``, an e-mail to send is
``NotificationDelivery(state=pending)``). After commit the caller publishes a wake-up through
``wake``: if the broker is down that is logged and the request still succeeds. Each app
registers its kinds of work here (``work_kind_register``, in its ``ready()``); the recovery job
(``ops.jobs.background_recover``, beat every minute) asks every kind to re-queue what is due and
unclaimed, or whose claim has expired, and writes the worker's heartbeat.

Timing: a claim older than ``CLAIM_TTL`` counts as abandoned (a job that runs longer re-stamps
its claims); a due row is re-queued once it has waited ``GRACE`` (its own wake-up is probably in
the queue before that). So after an outage every row is picked up within
``GRACE`` + the beat interval, and a crashed job's rows within ``CLAIM_TTL`` + the beat interval:
two minutes.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from ops.models import Heartbeat

log = logging.getLogger(__name__)

CLAIM_TTL = timedelta(seconds=60)
GRACE = timedelta(seconds=60)
# Pages warn that e-mails and PDFs are late past these ages.
LATE_JOB = timedelta(minutes=5)
LATE_HEARTBEAT = timedelta(minutes=3)
WORKER = "worker"
_STATE_KEY = "ops:queue-state"
_STATE_SECONDS = 30


@dataclass(frozen=True)
class WorkKind:
    """One kind of background work kept as rows.

    ``oldest_due(now)`` answers the due time of the oldest row due and not done (None if none);
    ``recover(now)`` re-queues the rows due and unclaimed or with an expired claim and answers
    how many it re-queued.
    """

    name: str
    oldest_due: Callable[[datetime], datetime | None]
    recover: Callable[[datetime], int]


_KINDS: dict[str, WorkKind] = {}


def work_kind_register(kind: WorkKind) -> None:
    _KINDS[kind.name] = kind


def work_kinds() -> list[WorkKind]:
    return list(_KINDS.values())


def wake(publish: Callable[[], object], *, what: str) -> bool:
    """Publish a wake-up; answer whether it went. Never raises: the row is the job.

    A broker that is down (or any error publishing) is logged; the recovery job queues the
    row again when the broker is back.
    """
    try:
        publish()
    except Exception:
        log.warning("could not publish %s; the recovery job will queue it again", what, exc_info=True)
        return False
    return True


def backoff(attempts: int, *, base: float = 30, cap: float = 1800) -> timedelta:
    """The wait before attempt ``attempts + 1``: ``base`` doubling per attempt, at most ``cap``, jittered."""
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # nosec B311  # jitter, not security


def oldest_due_of(pending, now: datetime) -> datetime | None:
    """When the oldest row of ``pending`` (a queryset of rows with a ``due_at``) became due; None if none is."""
    return pending.filter(due_at__lte=now).order_by("due_at").values_list("due_at", flat=True).first()


def requeue_due(pending, now: datetime, *, key: str, wake: Callable[[object], bool], limit: int) -> int:
    """Wake the job for each row of ``pending`` (a queryset of rows with ``due_at`` and
    ``claimed_at``) that has been due for ``GRACE`` and is unclaimed or whose claim has expired,
    oldest first, at most ``limit``; ``wake`` is called with each row's ``key`` value. Stops at the
    first wake-up that does not go (the broker is down: the next run tries again). Answers how
    many rows were due."""
    ids = list(
        pending.filter(due_at__lte=now - GRACE)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TTL))
        .order_by("due_at")
        .values_list(key, flat=True)[:limit]
    )
    for row_id in ids:
        if not wake(row_id):
            break
    return len(ids)


def work_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Re-queue every kind's due and abandoned work; write the worker's heartbeat.

    Answers how many rows of each kind were re-queued. Safe to run twice at once: every job
    claims its rows by a conditional update, so a doubled wake-up does nothing.
    """
    now = now or timezone.now()
    counts = {kind.name: kind.recover(now) for kind in work_kinds()}
    heartbeat_write(now=now)
    return counts


def oldest_due(*, now: datetime | None = None) -> datetime | None:
    """The due time of the oldest job waiting, over every kind (None when nothing waits)."""
    now = now or timezone.now()
    times = [t for t in (kind.oldest_due(now) for kind in work_kinds()) if t is not None]
    return min(times, default=None)


def heartbeat_write(*, now: datetime | None = None) -> None:
    """Record that the worker ran, with the oldest due job it sees now."""
    now = now or timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": now, "oldest_due_at": oldest_due(now=now)})
    cache.delete(_STATE_KEY)


@dataclass(frozen=True)
class QueueState:
    heartbeat_at: datetime | None
    oldest_due_at: datetime | None

    def late(self, now: datetime) -> bool:
        """True when the queue is not draining: no recent heartbeat, or a job waiting too long."""
        if self.heartbeat_at is None or now - self.heartbeat_at > LATE_HEARTBEAT:
            return True
        return self.oldest_due_at is not None and now - self.oldest_due_at > LATE_JOB


def queue_state() -> QueueState:
    """The worker's last heartbeat and the oldest due job it saw: one primary-key read, cached 30 s."""
    state = cache.get(_STATE_KEY)
    if state is None:
        row = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", "oldest_due_at").first()
        state = QueueState(*(row or (None, None)))
        cache.set(_STATE_KEY, state, _STATE_SECONDS)
    return state
