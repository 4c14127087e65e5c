"""Word in and out on the pages: the «Tải bản Word (.docx)» download and the draft form's
«Lấy nội dung từ tệp Word» step."""

from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.utils.translation import gettext as _

from audit.services import audit_download
from directives import permissions, word
from directives.schema import document_as_schema
from lib.downloads import file_headers
from lib.errors import DomainError


def docx_response(document, request) -> HttpResponse:
    """The .docx of a document the caller may see (checked by the caller), made now.

    A draft prints DỰ THẢO with a blank number and dateline, as its PDF does; an issued document
    prints its number and date. The download of a confidential one is recorded in the audit trail.
    """
    data = word.render_docx(document_as_schema(document), draft=not document.is_issued)
    response = HttpResponse(data, content_type=word.CONTENT_TYPE)
    if document.is_issued and document.symbol:
        name = f"{document.symbol.replace('/', '_')}.docx"
    else:
        name = f"du-thao-{document.pk}.docx"
    file_headers(response, filename=name)
    if document.is_confidential:
        audit_download(obj=document, what=_("Bản Word"), request=request)
    return response


@login_required
def document_docx(request, pk):
    """«Tải bản Word (.docx)»: the same rights as the PDF (outsiders get 404)."""
    return docx_response(permissions.document_get_for(request.user, pk), request)


def load_docx_into_form(form, file) -> str | None:
    """Fill the bound draft ``form``'s body from an uploaded .docx for review; nothing is saved.

    Answers the sanitised HTML for the editor, or None with the Vietnamese error on the form's
    ``body_docx`` field. The form's other errors are cleared: the person has not saved yet.
    """
    form.full_clean()
    form._errors = ErrorDict()
    if not file:
        form.add_error("body_docx", _("Hãy chọn tệp Word (.docx) để lấy nội dung."))
        return None
    try:
        result = word.body_from_docx(file, name=getattr(file, "name", None))
    except DomainError as error:
        form.add_error("body_docx", error.message)
        return None
    return result.html
