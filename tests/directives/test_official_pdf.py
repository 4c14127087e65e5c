"""The official PDF: rendered once at issue by a job, stored with its SHA-256, served from
storage, signed with the agency's certificate; drafts on demand."""

import base64
import hashlib
import io
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from directives import official_pdf, pdf, services
from directives.models import IssuedPdf
from lib.errors import DomainError, NotAllowed
from tests.directives.certificates import PASSPHRASE


def text_of(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() for page in document.pages)


@pytest.fixture
def issue_now(make_approved, clerk, django_capture_on_commit_callbacks):
    """Issue a document and run the jobs its commit enqueues, as the worker would."""

    def issue(**fields):
        document = make_approved(**fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.document_issue(document=document, by=clerk)
        document.refresh_from_db()
        return document

    return issue


def test_issuing_renders_and_stores_the_official_pdf_once(issue_now):
    document = issue_now()
    record = IssuedPdf.objects.get(document=document)
    assert record.state == IssuedPdf.State.READY
    stored = record.file.read()
    assert hashlib.sha256(stored).hexdigest() == record.sha256 and record.size == len(stored)
    text = text_of(stored)
    assert "01/TB-SKHCN" in text and "DỰ THẢO" not in text
    official_pdf.issued_pdf_render(document.pk)  # a redelivered job
    record.refresh_from_db()
    assert record.file.read() == stored


def test_the_issued_pdf_is_served_from_storage_never_rendered_again(issue_now, client, specialist, monkeypatch):
    document = issue_now()
    record = IssuedPdf.objects.get(document=document)

    def must_not_render(*args, **kwargs):
        raise AssertionError("an issued document must not be rendered again")

    monkeypatch.setattr(pdf, "render_pdf", must_not_render)
    client.force_login(specialist)
    response = client.get(reverse("directives:pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == record.file.read()
    digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"


def test_a_changed_stored_file_is_refused(issue_now, client, specialist):
    document = issue_now()
    record = IssuedPdf.objects.get(document=document)
    Path(record.file.path).write_bytes(record.file.read() + b"% changed\n")
    client.force_login(specialist)
    response = client.get(reverse("directives:pdf", args=[document.pk]))
    assert response.status_code == 409
    assert "không khớp mã băm" in response.content.decode()


def test_while_rendering_the_page_shows_progress_and_the_download_waits(make_approved, clerk, client, specialist):
    document = services.document_issue(document=make_approved(), by=clerk)  # the job has not run yet
    client.force_login(specialist)
    panel = client.get(reverse("directives:pdf_status", args=[document.pk])).content.decode()
    assert "Đang tạo bản PDF chính thức" in panel and 'hx-trigger="every 2s"' in panel
    assert client.get(reverse("directives:pdf", args=[document.pk])).status_code == 409


def test_a_draft_renders_on_demand_marked_as_draft_without_a_number(make_draft, client, specialist):
    document = make_draft()
    client.force_login(specialist)
    response = client.get(reverse("directives:pdf", args=[document.pk]))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "DỰ THẢO" in text and "Số: /TB-SKHCN" in text.replace("  ", " ")
    assert "Triển khai nhiệm vụ khoa học năm 2027".upper() in text.upper()


def test_an_outsider_gets_404_for_the_pdf_by_page_and_api(issue_now, make_draft, client, outsider):
    issued, draft = issue_now(), make_draft()
    client.force_login(outsider)
    api = APIClient()
    api.force_authenticate(outsider)
    for document in (issued, draft):
        assert client.get(reverse("directives:pdf", args=[document.pk])).status_code == 404
        assert client.get(reverse("directives:pdf_status", args=[document.pk])).status_code == 404
        assert api.get(f"/api/v1/directives/{document.pk}/pdf").status_code == 404


def test_the_api_serves_the_same_stored_pdf(issue_now, specialist):
    document = issue_now()
    api = APIClient()
    api.force_authenticate(specialist)
    response = api.get(f"/api/v1/directives/{document.pk}/pdf")
    assert response.status_code == 200
    assert response.content == IssuedPdf.objects.get(document=document).file.read()


def test_with_an_agency_certificate_the_pdf_is_signed_and_verifies(
    issue_now, agency, administrator, authority, client, specialist
):
    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    document = issue_now()
    record = IssuedPdf.objects.get(document=document)
    assert record.signed
    (result,) = official_pdf.issued_pdf_verify(record)
    assert result.valid and result.signer_common_name == "Nguyễn Công Danh"
    client.force_login(specialist)
    panel = client.get(reverse("directives:pdf_status", args=[document.pk])).content.decode()
    assert "Chữ ký số hợp lệ" in panel


def test_the_certificate_passphrase_is_not_stored(agency, administrator, authority):
    record = official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    assert bytes(record.bundle) != authority["pkcs12"]
    assert PASSPHRASE not in bytes(record.bundle)


def test_a_wrong_certificate_passphrase_is_refused_in_vietnamese(agency, administrator, authority):
    with pytest.raises(DomainError, match="mật khẩu không đúng"):
        official_pdf.signing_certificate_upload(
            agency=agency, by=administrator, data=authority["pkcs12"], passphrase="sai"
        )


def test_only_an_administrator_installs_a_certificate(agency, director, authority):
    with pytest.raises(NotAllowed):
        official_pdf.signing_certificate_upload(
            agency=agency, by=director, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
        )


def test_render_pdf_command_prints_a_stored_document(make_draft, tmp_path):
    document = make_draft()
    out = tmp_path / "van-ban.pdf"
    call_command("render_pdf", str(document.pk), "--out", str(out))
    assert "DỰ THẢO" in text_of(out.read_bytes())


def test_a_stored_draft_prints_its_body_structure_and_a_thong_bao_no_kinh_gui(make_draft):
    """The editor's HTML, as stored, goes through the same recognition; recipients of a thông báo
    are in Nơi nhận, never in a "Kính gửi:" block."""
    document = make_draft(
        body="<p>Căn cứ Kế hoạch số 12/KH-SKHCN;</p><p><strong>I. Mục đích</strong></p><p>1. Các phòng triển khai.</p>"
    )
    assert document.recipients.exists()
    with pdfplumber.open(io.BytesIO(official_pdf.draft_pdf(document))) as rendered:
        page = rendered.pages[0]
        assert "Kính gửi" not in page.extract_text()
        lines = {line["text"]: line["chars"] for line in page.extract_text_lines()}
        fonts = {text: {c["fontname"].split("+", 1)[-1] for c in chars} for text, chars in lines.items()}
    assert fonts["Căn cứ Kế hoạch số 12/KH-SKHCN;"] == {"LiberationSerif-Bundled-Italic"}
    assert fonts["I. MỤC ĐÍCH"] == {"LiberationSerif-Bundled-Bold"}
    assert fonts["1. Các phòng triển khai."] == {"LiberationSerif-Bundled"}
