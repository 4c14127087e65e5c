"""Text kept exactly (issue #15, item 5): what the clerk types is what every reader sees.

Before: a body sent as plain text containing "<" went to the HTML sanitiser, which kept its
characters but lost its paragraphs (all lines ran together on the page and in the PDF); the
editor sent a paragraph typed straight into it without tags, so the server escaped its
"&amp;" a second time («Sở KH&amp;CN … &lt; 50 triệu» on the page and in the PDF, see the
browser test); pasted blank lines stayed as empty paragraphs, a double gap each."""

import html
import io
import re
import unicodedata

import pdfplumber
import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from directives import pdf, services
from directives.models import Document
from directives.schema import document_as_schema
from lib.html import body_text, sanitize_body
from tests.directives.test_pages import _form_data

TYPED = "Sở KH&CN đề nghị cấp kinh phí < 50 triệu, > 10 triệu cho đề án \"Chuyển đổi số\" của Trung tâm 'TTUD'."
SECOND = "Đoạn hai: A&B <không phải thẻ>."
SUBJECT = "V/v kinh phí < 50 triệu của Sở KH&CN cho đề án \"Số hóa\" 'năm 2027'"

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head>'
    '<body><!--StartFragment--><p class="MsoNormal" style="mso-line-height-alt:14pt">'
    + html.escape(TYPED, quote=False)
    + '<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n<p class="MsoNormal"><br></p>'
    + f'<p class="MsoNormal"><span style="font-family:Times">{html.escape(SECOND, quote=False)}</span></p>'
    + "<!--EndFragment--></body></html>"
)
# What the editor sends since the fix: each paragraph in <p>, its text escaped once.
EDITOR = f"<p>{html.escape(TYPED, quote=False)}</p><p><br></p><p>{html.escape(SECOND, quote=False)}</p>"

BODIES = {
    "plain": f"{TYPED}\r\n\r\n\r\n\r\n{SECOND}",
    "editor": EDITOR,
    "word": WORD_PASTE,
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def assert_kept(stored: str) -> None:
    """Two paragraphs, escaped once, with nothing between them."""
    assert re.findall(r"<p>", stored) == ["<p>", "<p>"], stored
    assert [line.strip() for line in body_text(stored).splitlines() if line.strip()] == [TYPED, SECOND]
    for twice in ("&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;#"):
        assert twice not in stored


@pytest.mark.parametrize("kind", BODIES)
def test_sanitising_keeps_the_text_and_one_break_between_paragraphs(kind):
    assert_kept(sanitize_body(BODIES[kind]))


def test_a_bare_less_than_sign_is_text_not_a_tag():
    assert sanitize_body("a<b và x < y") == "<p>a&lt;b và x &lt; y</p>"
    assert sanitize_body("<script>alert(1)</script>") == ""


def issue(document, specialist, unit_head, director, clerk):
    services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    if document.state == Document.State.REVIEW:
        services.document_forward(document=document, by=document.pending_with)
    services.document_approve(document=document, by=director)
    return services.document_issue(document=document, by=clerk)


def check_everywhere(client, document, capture, *, specialist, unit_head, director, clerk, science_unit):
    """The page, the PDF, the e-mails and the register's XLSX show the text as typed."""
    document.refresh_from_db()
    assert_kept(document.body)
    assert document.subject == SUBJECT

    client.force_login(specialist)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    for twice in ("&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;quot;"):
        assert twice not in page
    shown = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert TYPED in shown and SECOND in shown and SUBJECT in shown

    pdf_text = nfc(
        "\n".join(
            p.extract_text() for p in pdfplumber.open(io.BytesIO(pdf.render_pdf(document_as_schema(document)))).pages
        )
    )
    flat = " ".join(pdf_text.split())
    assert "Sở KH&CN đề nghị cấp kinh phí < 50 triệu, > 10 triệu" in flat
    assert '"Chuyển đổi số"' in flat and "'TTUD'" in flat
    assert SECOND in flat
    assert "&amp;" not in flat and "&lt;" not in flat

    mail.outbox.clear()
    with capture(execute=True):
        issued = issue(document, specialist, unit_head, director, clerk)
    assert mail.outbox
    for message in mail.outbox:
        assert "&amp;" not in message.subject + message.body and "&lt;" not in message.body
    assert any(SUBJECT in message.body for message in mail.outbox)

    day = issued.issued_on.isoformat()
    client.force_login(clerk)
    response = client.get(reverse("api-register-outgoing"), {"start": day, "end": day, "format": "xlsx"})
    cells = [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert any(str(cell).endswith("\n" + SUBJECT) for cell in cells)  # "Thông báo\nV/v …"


@pytest.mark.parametrize("kind", BODIES)
def test_a_body_through_the_form_is_kept_exactly(
    kind, client, specialist, unit_head, director, clerk, science_unit, notice_type, django_capture_on_commit_callbacks
):
    client.force_login(specialist)
    data = _form_data(notice_type, subject=SUBJECT, body=BODIES[kind], signer=director.pk,
                      recipient_units=[science_unit.pk], drafting_unit=science_unit.pk)  # fmt: skip
    response = client.post(reverse("directives:create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    document = Document.objects.get()
    check_everywhere(client, document, django_capture_on_commit_callbacks, specialist=specialist,
                     unit_head=unit_head, director=director, clerk=clerk, science_unit=science_unit)  # fmt: skip


@pytest.mark.parametrize("kind", BODIES)
def test_a_body_through_the_api_is_kept_exactly(
    kind, client, specialist, unit_head, director, clerk, science_unit, notice_type, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(specialist)
    payload = {"doc_type": notice_type.pk, "subject": SUBJECT, "body": BODIES[kind], "signer": director.pk,
               "recipient_units": [science_unit.pk]}  # fmt: skip
    response = api.post("/api/v1/directives", payload, format="json")
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    check_everywhere(client, document, django_capture_on_commit_callbacks, specialist=specialist,
                     unit_head=unit_head, director=director, clerk=clerk, science_unit=science_unit)  # fmt: skip
