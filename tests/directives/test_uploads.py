"""Uploads on the document paths: the draft page, the incoming page and API, and the downloads."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from directives import services
from directives.models import Attachment, Document, IssuedPdf
from tests import factories, uploads
from tests.directives.test_pages import _form_data, _incoming_data

HOSTILE = [*uploads.hostile_uploads(), "over-size"]


def hostile(case: str, settings) -> SimpleUploadedFile:
    if case == "over-size":
        settings.UPLOAD_MAX_BYTES = 1024
        return SimpleUploadedFile("lon.pdf", uploads.PDF + b"%" * 4096)
    name, content = uploads.hostile_uploads()[case]
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []


@pytest.fixture
def sender(db):
    return factories.OrganisationFactory(name="UBND tỉnh Bà Rịa - Vũng Tàu")


# --- each hostile kind refused on each path, nothing changed --------------------------------


@pytest.mark.parametrize("case", HOSTILE)
def test_the_draft_page_refuses_the_file_and_saves_nothing(client, specialist, notice_type, settings, case):
    upload = hostile(case, settings)
    client.force_login(specialist)
    response = client.post(reverse("directives:create"), _form_data(notice_type, files=[upload]))
    assert response.status_code == 200
    assert f"Tệp «{upload.name}»" in response.content.decode()
    assert not Document.objects.exists() and not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("case", HOSTILE)
def test_editing_a_draft_refuses_the_file_and_keeps_the_draft(client, specialist, make_draft, settings, case):
    document = make_draft()
    upload = hostile(case, settings)
    client.force_login(specialist)
    data = _form_data(document.doc_type, subject="Trích yếu mới", files=[upload])
    response = client.post(reverse("directives:edit", args=[document.pk]), data)
    assert f"Tệp «{upload.name}»" in response.content.decode()
    document.refresh_from_db()
    assert document.subject == "Triển khai nhiệm vụ khoa học năm 2027"
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("case", HOSTILE)
def test_the_incoming_page_refuses_the_file_and_registers_nothing(client, clerk, notice_type, sender, settings, case):
    upload = hostile(case, settings)
    client.force_login(clerk)
    response = client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type, file=upload))
    assert response.status_code == 200
    assert f"Tệp «{upload.name}»" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("case", HOSTILE)
def test_the_incoming_api_refuses_the_file_and_registers_nothing(clerk, notice_type, sender, settings, case):
    upload = hostile(case, settings)
    api = APIClient()
    api.force_authenticate(clerk)
    data = {**_incoming_data(sender, notice_type), "file": upload}
    response = api.post("/api/v1/incoming", data, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert f"Tệp «{upload.name}»" in body["message"]
    assert body["extra"]["fields"]["file"]
    assert not Document.objects.exists()


def test_the_service_itself_refuses_an_unchecked_file(clerk, notice_type, sender):
    """Whatever calls it (a command, a job), the service checks the file before taking a number."""
    from lib.uploads import UploadRefused

    with pytest.raises(UploadRefused):
        services.incoming_register(
            by=clerk, sender=sender, symbol="1/UBND", issued_on=None, doc_type=notice_type, subject="Thử",
            file=SimpleUploadedFile("a.pdf", uploads.HTML),
        )  # fmt: skip
    assert not Document.objects.exists()


# --- a body over the limit is refused before it is read -------------------------------------


def test_a_request_declaring_more_than_the_limit_gets_a_vietnamese_413_page(client, specialist, notice_type):
    client.force_login(specialist)
    response = client.post(reverse("directives:create"), _form_data(notice_type), CONTENT_LENGTH=str(30 * 2**20))
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    assert "20,0" in response.content.decode()
    assert not Document.objects.exists()


def test_the_api_answers_413_in_the_error_shape(clerk, notice_type, sender):
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/incoming", _incoming_data(sender, notice_type), format="multipart", CONTENT_LENGTH=str(30 * 2**20)
    )
    assert response.status_code == 413
    assert response.json()["message"].startswith("Dữ liệu gửi lên quá lớn")
    assert response.json()["extra"] == {"limit_bytes": 20 * 2**20}
    assert not Document.objects.exists()


def test_a_real_30_mb_upload_is_refused_with_413(client, clerk, notice_type, sender):
    client.force_login(clerk)
    big = SimpleUploadedFile("quet.pdf", uploads.PDF + b"\0" * 30 * 2**20)
    response = client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type, file=big))
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_upload_memory_settings_stay_within_the_limits(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_REQUEST_MAX_BYTES
    assert settings.UPLOAD_REQUEST_MAX_BYTES > settings.UPLOAD_MAX_BYTES


# --- accepted files: random names, original names back ---------------------------------------

ORIGINAL = "Kế hoạch tổ chức Hội nghị đợt 1.pdf"


def test_an_accepted_file_is_stored_under_a_random_name_and_downloads_under_its_own(
    client, specialist, notice_type, settings
):
    client.force_login(specialist)
    client.post(reverse("directives:create"), _form_data(notice_type, files=[uploads.pdf(ORIGINAL)]))
    attachment = Attachment.objects.get()
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert attachment.name == ORIGINAL
    response = client.get(reverse("directives:attachment", args=[attachment.document_id, attachment.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="Ke hoach to chuc Hoi nghi dot 1.pdf"; '
        "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20t%E1%BB%95%20ch%E1%BB%A9c%20H%E1%BB%99i%20ngh%E1%BB%8B"
        "%20%C4%91%E1%BB%A3t%201.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == uploads.PDF


def test_a_file_stored_before_random_names_still_downloads(client, specialist, make_draft, settings):
    document = make_draft()
    attachment = Attachment(document=document, name="Báo cáo cũ.docx", size=5, sha256="0", uploaded_by=specialist)
    attachment.file.name = "attachments/2025/01/Báo cáo cũ.docx"  # as stored before random names
    (settings.MEDIA_ROOT / "attachments/2025/01").mkdir(parents=True)
    (settings.MEDIA_ROOT / attachment.file.name).write_bytes(b"old!!")
    attachment.save()
    client.force_login(specialist)
    response = client.get(reverse("directives:attachment", args=[document.pk, attachment.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20c%C5%A9.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"old!!"


def test_with_the_accel_prefix_nginx_sends_the_file_after_the_rights_check(
    client, specialist, make_draft, outsider, settings
):
    settings.PROTECTED_MEDIA_ACCEL_PREFIX = "/_protected/"
    document = make_draft()
    attachment = services.attachment_add(document=document, by=specialist, file=uploads.pdf(ORIGINAL))
    client.force_login(specialist)
    response = client.get(reverse("directives:attachment", args=[document.pk, attachment.pk]))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{attachment.file.name}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''K%E1%BA%BF" in response["Content-Disposition"]
    client.force_login(outsider)
    response = client.get(reverse("directives:attachment", args=[document.pk, attachment.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_the_issued_pdf_is_verified_then_handed_to_nginx(
    client, make_approved, clerk, settings, django_capture_on_commit_callbacks
):
    settings.PROTECTED_MEDIA_ACCEL_PREFIX = "/_protected/"
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_issue(document=make_approved(), by=clerk)
    client.force_login(clerk)
    response = client.get(reverse("directives:pdf", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == b""
    stored = IssuedPdf.objects.get(document=document).file.name
    assert stored.startswith("issued/")
    assert response["X-Accel-Redirect"] == f"/_protected/{stored}"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["Repr-Digest"].startswith("sha-256=:")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- a failed form keeps what was uploaded -----------------------------------------------------


def _staged_tokens(html: str) -> list[str]:
    return uploads.form_fields(html).get("files__staged", []) or uploads.form_fields(html).get("file__staged", [])


def test_a_draft_that_fails_validation_keeps_its_files_through_the_page_s_own_form(
    client, specialist, notice_type, settings, django_capture_on_commit_callbacks
):
    client.force_login(specialist)
    data = _form_data(notice_type, subject="", files=[uploads.pdf(ORIGINAL), uploads.docx("Dự thảo.docx")])
    page = client.post(reverse("directives:create"), data).content.decode()
    assert "Hãy nhập trích yếu của văn bản." in page
    assert "Đã giữ tệp:" in page and ORIGINAL in page and "Dự thảo.docx" in page
    assert not Attachment.objects.exists()

    again = uploads.form_fields(page)
    assert len(again["files__staged"]) == 2
    again["subject"] = ["Thông báo lịch họp"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directives:create"), again)
    document = Document.objects.get()
    assert response["Location"] == reverse("directives:detail", args=[document.pk])
    assert sorted(a.name for a in document.attachments.all()) == sorted([ORIGINAL, "Dự thảo.docx"])
    assert hashlib.sha256(uploads.PDF).hexdigest() in {a.sha256 for a in document.attachments.all()}
    assert list((settings.MEDIA_ROOT / "staging").iterdir()) == []


def _failed_draft_with_a_file(client, notice_type) -> dict:
    """Post a draft with a file and no subject; answer the page's form, the subject filled in."""
    page = client.post(
        reverse("directives:create"), _form_data(notice_type, subject="", files=[uploads.pdf(ORIGINAL)])
    ).content.decode()
    again = uploads.form_fields(page)
    again["subject"] = ["Thông báo lịch họp"]
    return again


def test_a_staged_file_can_be_removed_before_saving(client, specialist, notice_type):
    client.force_login(specialist)
    again = _failed_draft_with_a_file(client, notice_type)
    again["files__remove"] = again["files__staged"]
    client.post(reverse("directives:create"), again)
    assert Document.objects.get().attachments.count() == 0


def test_a_good_file_stays_attached_when_a_bad_one_is_refused(client, specialist, notice_type):
    client.force_login(specialist)
    data = _form_data(notice_type, files=[uploads.pdf(ORIGINAL), SimpleUploadedFile("x.pdf", uploads.HTML)])
    page = client.post(reverse("directives:create"), data).content.decode()
    assert "Tệp «x.pdf» bị từ chối" in page
    assert "Đã giữ tệp:" in page and ORIGINAL in page
    client.post(reverse("directives:create"), uploads.form_fields(page))
    assert [a.name for a in Document.objects.get().attachments.all()] == [ORIGINAL]


def test_another_person_s_staged_token_is_ignored(client, specialist, unit_head, notice_type):
    client.force_login(specialist)
    again = _failed_draft_with_a_file(client, notice_type)
    client.force_login(unit_head)
    client.post(reverse("directives:create"), again)
    assert Document.objects.get().attachments.count() == 0


def test_the_incoming_page_keeps_its_file_through_the_duplicate_warning(client, clerk, notice_type, sender, director):
    client.force_login(clerk)
    client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type))
    page = client.post(
        reverse("directives:incoming_register"), _incoming_data(sender, notice_type, file=uploads.pdf(ORIGINAL))
    ).content.decode()
    assert "Văn bản này có vẻ đã được vào sổ." in page
    assert "Đã giữ tệp:" in page and ORIGINAL in page
    again = uploads.form_fields(page)
    again["confirm_duplicate"] = ["on"]
    client.post(reverse("directives:incoming_register"), again)
    second = Document.objects.order_by("pk").last()
    assert [a.name for a in second.attachments.all()] == [ORIGINAL]
