"""Background jobs about people and their uploads (notices have their own: notifications/jobs.py)."""

from celery import shared_task

from lib.staged_uploads import uploads_staging_clean


@shared_task
def staged_uploads_clean() -> int:
    """Delete staged uploads nobody adopted (lib.staged_uploads); idempotent, at-least-once."""
    return uploads_staging_clean()
