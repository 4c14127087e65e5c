"""Background jobs about people: carrying notices over their channels."""

from celery import shared_task

from lib.staged_uploads import uploads_staging_clean
from units import notifications


@shared_task
def deliveries_send(delivery_ids: list[int]) -> int:
    """Send a chunk of deliveries (e-mail, ...); at-least-once, see units.notifications.

    The ones that failed transiently wait as pending rows with a later due time (exponential
    back-off: 30 s, 1 min, 2 min, … at most 30 min, jittered); the recovery job
    (ops.jobs.background_recover) queues them again when due. Answers how many were claimed.
    """
    again = notifications.deliveries_send(delivery_ids)
    return len(delivery_ids) - len(again)


@shared_task
def staged_uploads_clean() -> int:
    """Delete staged uploads nobody adopted (lib.staged_uploads); idempotent, at-least-once."""
    return uploads_staging_clean()
