"""Background jobs about documents."""

from celery import shared_task

from directives import official_pdf


@shared_task
def issued_pdf_render(document_id: int) -> str:
    """Render and store the official PDF of an issued document; answer its state.

    At-least-once, and idempotent: the ``IssuedPdf`` row is the job, claimed by a conditional
    update, so a redelivered or doubled job finds it claimed or stored and stops. A failed
    render waits as a row with a later due time; the recovery job queues it again (back-off).
    """
    return official_pdf.issued_pdf_render(document_id)
