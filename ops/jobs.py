"""The recovery job: beat publishes it every minute (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from ops import background, idempotency


@shared_task
def background_recover() -> dict:
    """Re-queue due and abandoned work of every kind, write the worker's heartbeat, purge
    expired idempotency keys. Idempotent: running it twice queues wake-ups that find nothing."""
    counts = background.work_recover()
    counts["idempotency_keys_purged"] = idempotency.keys_purge()
    return counts
