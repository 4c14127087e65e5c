"""Background jobs about people: carrying notices over their channels."""

from celery import shared_task

from units import notifications
from units.channels import TRANSIENT


@shared_task(
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=notifications.MAX_ATTEMPTS,
)
def delivery_send(delivery_id: int) -> str:
    """Send one delivery (e-mail, ...). At-least-once; see units.notifications."""
    return notifications.delivery_send(delivery_id)


@shared_task
def deliveries_recover() -> int:
    """Re-queue deliveries left claimed by a worker that died mid-send."""
    ids = notifications.deliveries_recover()
    for pk in ids:
        delivery_send.delay(pk)
    return len(ids)
