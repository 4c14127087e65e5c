"""Background jobs of the reporting side. Beat runs them (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from reports import province


@shared_task
def task_summary_refresh() -> int:
    """Recount the province summary from the tasks (see reports.province); return its row count.

    At-least-once and idempotent: a redelivered or doubled run waits for the other one and
    finds nothing more to write.
    """
    return province.task_summary_refresh()
