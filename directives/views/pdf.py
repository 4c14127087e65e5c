"""The PDF button: a draft rendered on demand, an issued document's stored official PDF."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_download
from directives import official_pdf, permissions
from directives.models import IssuedPdf
from lib.downloads import file_headers, stored_file_response
from lib.errors import DomainError, NotAllowed
from ops.idempotency import idempotent_form


def pdf_response(document, request) -> HttpResponse:
    """The PDF of a document the caller may see (checked by the caller); the download of a
    confidential one is recorded in the audit trail.

    Issued: the stored file, with its SHA-256 in Repr-Digest; never re-rendered.
    Not issued: rendered now, marked DỰ THẢO. Raises DomainError while the official
    PDF is still being made or when it failed.
    """
    if not document.is_issued:
        response = HttpResponse(official_pdf.draft_pdf(document), content_type="application/pdf")
        file_headers(response, filename=f"du-thao-{document.pk}.pdf", inline=True)
    else:
        record = IssuedPdf.objects.filter(document=document).first()
        if record is None or record.state != IssuedPdf.State.READY:
            raise DomainError(_("Bản PDF chính thức đang được tạo, vui lòng thử lại sau ít giây."))
        name = f"{document.symbol.replace('/', '_')}.pdf"
        if settings.PROTECTED_MEDIA_ACCEL_PREFIX:
            # Verified here (issued_pdf_read compares the digest), then sent by nginx.
            official_pdf.issued_pdf_read(record)
            response = stored_file_response(record.file, filename=name, inline=True, content_type="application/pdf")
        else:
            response = HttpResponse(official_pdf.issued_pdf_read(record), content_type="application/pdf")
            file_headers(response, filename=name, inline=True)
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(record.sha256)).decode()}:"
    if document.is_confidential:
        audit_download(obj=document, what=_("Bản PDF"), request=request)
    return response


@login_required
def document_pdf(request, pk):
    document = permissions.document_get_for(request.user, pk)
    try:
        return pdf_response(document, request)
    except DomainError as error:
        return render(request, "directives/pdf_unavailable.html", {"document": document, "error": error}, status=409)


@login_required
def pdf_status(request, pk):
    """The PDF panel of the document page; htmx polls it until the official PDF is ready."""
    document = permissions.document_get_for(request.user, pk)
    return render(request, "directives/_pdf_panel.html", pdf_panel_context(document, user=request.user))


@login_required
@require_POST
@idempotent_form
def pdf_retry(request, pk):
    """The clerk's «Tạo lại PDF» button on a failed official PDF."""
    document = permissions.document_get_for(request.user, pk)
    try:
        official_pdf.issued_pdf_retry(document=document, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đang tạo lại bản PDF chính thức."))
    return redirect("directives:detail", pk=document.pk)


def pdf_panel_context(document, *, user=None) -> dict:
    record = None
    if document.is_issued:
        try:
            record = document.issued_pdf  # no query when the page read it with the document
        except IssuedPdf.DoesNotExist:
            record = None
    verification = None
    if record is not None and record.state == IssuedPdf.State.READY and record.signed:
        try:
            verification = official_pdf.issued_pdf_verify(record)
        except DomainError:
            verification = False
    can_retry = (
        record is not None
        and record.state == IssuedPdf.State.FAILED
        and user is not None
        and permissions.can_retry_pdf(user, document)
    )
    return {
        "document": document,
        "record": record,
        "verification": verification,
        "states": IssuedPdf.State,
        "can_retry_pdf": can_retry,
    }
