"""Background jobs about people: carrying notices over their channels."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from lib.staged_uploads import uploads_staging_clean
from units import notifications


@shared_task(bind=True, max_retries=None)  # each delivery counts its own attempts (MAX_ATTEMPTS)
def deliveries_send(self, delivery_ids: list[int]) -> int:
    """Send a chunk of deliveries (e-mail, ...); at-least-once, see units.notifications.

    The ones that failed transiently are retried as a smaller job with exponential back-off
    (30 s, 1 min, 2 min, … at most 30 min, jittered) until they are sent or fail for good.
    """
    again = notifications.deliveries_send(delivery_ids)
    if again:
        countdown = get_exponential_backoff_interval(30, self.request.retries, 1800, full_jitter=True)
        raise self.retry(args=(again,), countdown=countdown)
    return len(delivery_ids)


@shared_task
def deliveries_recover() -> int:
    """Re-queue deliveries left claimed by a worker that died mid-send."""
    ids = notifications.deliveries_recover()
    notifications.deliveries_enqueue(ids)
    return len(ids)


@shared_task
def staged_uploads_clean() -> int:
    """Delete staged uploads nobody adopted (lib.staged_uploads); idempotent, at-least-once."""
    return uploads_staging_clean()
