"""Background jobs of notices: the deliveries, kept as rows (ops.background), sent by workers.

``deliveries_enqueue`` only wakes workers; the rows are the jobs, so a lost wake-up is caught by
the recovery job (ops.jobs.background_recover), which calls ``DELIVERIES.recover``.
"""

from datetime import datetime

from celery import shared_task

from notifications import delivery
from notifications.delivery import CHUNK
from ops.background import WorkKind, wake


@shared_task
def deliveries_send(delivery_ids: list[int]) -> int:
    """Send a chunk of deliveries (e-mail, ...); at-least-once, see notifications.delivery.

    The ones that failed transiently wait as pending rows with a later due time (exponential
    back-off: 30 s, 1 min, 2 min, … at most 30 min, jittered); the recovery job
    (ops.jobs.background_recover) queues them again when due. Answers how many were claimed.
    """
    again = delivery.deliveries_send(delivery_ids)
    return len(delivery_ids) - len(again)


def deliveries_enqueue(ids: list[int]) -> bool:
    """Wake workers for the deliveries, in jobs of up to ``CHUNK`` published through one producer.

    Never raises: with the broker down this is logged and answers False, and the recovery job
    queues the deliveries again once it is back.
    """

    def publish():
        with deliveries_send.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), CHUNK):
                deliveries_send.apply_async((ids[start : start + CHUNK],), producer=producer)

    return wake(publish, what=f"{len(ids)} deliveries") if ids else True


def deliveries_requeue(now: datetime) -> int:
    """The recovery job's part for deliveries: re-queue the due and abandoned ones."""
    ids = delivery.deliveries_recover(now=now)
    deliveries_enqueue(ids)
    return len(ids)


DELIVERIES = WorkKind(name="deliveries", oldest_due=delivery.deliveries_oldest_due, recover=deliveries_requeue)
