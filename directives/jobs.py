"""Background jobs about documents."""

from celery import shared_task

from directives import official_pdf


@shared_task(autoretry_for=(OSError,), retry_backoff=10, max_retries=3)
def issued_pdf_render(document_id: int) -> None:
    """Render and store the official PDF of an issued document.

    At-least-once, and idempotent: a redelivered or retried job finds the PDF stored and stops.
    """
    official_pdf.issued_pdf_render(document_id)
