"""Background jobs about tasks. Beat runs them (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from tasks import reminders, services
from tasks.digest import daily_digests_send, weekly_digests_send


@shared_task
def reminders_sweep() -> dict:
    """One sweep: create due reminders set-wise and send each once (see tasks.reminders).

    Safe to run twice at once or to be redelivered: the unique key and the conditional
    claim make every reminder go out once. After a rule's first pass of the day, it reads
    only the tasks changed since its last pass.
    """
    result = reminders.reminders_sweep(whole=False).as_dict()
    result["digests"] = weekly_digests_send()
    return result


@shared_task
def daily_digests() -> int:
    """Send today's daily digests (working days from 07:00, Vietnam time); see tasks.digest.

    Beat runs it at 07:00 and again in the morning, so a worker down at 07:00 catches up; the
    digest rows make each person's digest go out once per day however often it runs.
    """
    return daily_digests_send()


@shared_task
def due_reports_schedule() -> int:
    """Create the periodic reports standing duties owe for the current period (idempotent)."""
    return services.due_reports_schedule()
