"""Background jobs of the intake app."""

from celery import shared_task

from intake import services


@shared_task
def reading_read(reading_id: int) -> str:
    """Read a received scan (OCR) or old .doc and parse it; answer the reading's state.

    At-least-once, and idempotent: the ``Reading`` row is the job, claimed by a conditional
    update, so a redelivered or doubled job finds it claimed or done and stops. A failed read
    waits as a row with a later due time; the recovery job queues it again (back-off).
    """
    return services.reading_read(reading_id)
