"""API of reading received documents: import/parse keeps nothing; incoming takes a file alone
(issue #17, item 5). The parser's answer is fixed here where its content matters."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from directives.models import Document
from intake import extract, parser
from intake.models import Reading
from tests import factories
from tests.intake.test_register import SYMBOL, _fields
from tests.uploads import pdf
from units.models import Organisation

TEXT = "UBND TỈNH QUẢNG TRỊ\nSố: 2593/UBND-YT\nV/v tăng cường phòng chống dịch\n"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def parsed(monkeypatch):
    """The parser answers a known document; what it was given is kept in ``seen``."""
    seen = {}

    def parse(text, *, units=(), organisations=(), agency=None):
        seen.update(text=text, units=[u.name for u in units], agency=agency)
        return _fields()

    monkeypatch.setattr(parser, "parse", parse)
    return seen


def test_parse_answers_the_fields_of_a_pasted_text_and_stores_nothing(api, clerk, science_unit, parsed):
    api.force_authenticate(clerk)
    response = api.post("/api/v1/import/parse", {"text": TEXT}, format="json")
    assert response.status_code == 200
    assert response.json()["symbol"] == SYMBOL and response.json()["uncertain"] == ["subject"]
    assert response.json()["method"] == "text"
    assert parsed["text"] == TEXT and "Phòng Quản lý Khoa học" in parsed["units"]
    assert parsed["agency"] == clerk.agency
    assert not Reading.objects.exists() and not Document.objects.exists()


def test_parse_reads_an_uploaded_file(api, clerk, parsed):
    api.force_authenticate(clerk)
    upload = SimpleUploadedFile("cv.txt", TEXT.encode())
    response = api.post("/api/v1/import/parse", {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["method"] == "plain"
    assert parsed["text"] == TEXT
    assert not Reading.objects.exists()


def test_parse_with_the_real_parser_answers_every_schema_key(api, clerk):
    api.force_authenticate(clerk)
    answer = api.post("/api/v1/import/parse", {"text": TEXT}, format="json").json()
    assert set(parser.FIELDS) | {"uncertain"} <= set(answer)


def test_parse_refuses_a_scan_with_a_vietnamese_400(api, clerk, monkeypatch):
    monkeypatch.setattr(extract, "text_of", lambda data, *, name: extract.Extracted("", "ocr", needs_ocr=True))
    api.force_authenticate(clerk)
    response = api.post("/api/v1/import/parse", {"file": pdf("scan.pdf")}, format="multipart")
    assert response.status_code == 400
    assert "bản quét" in response.json()["message"]


def test_parse_wants_text_or_file(api, clerk):
    api.force_authenticate(clerk)
    response = api.post("/api/v1/import/parse", {"text": "  "}, format="json")
    assert response.status_code == 400 and "«text»" in response.json()["message"]


def test_parse_checks_rights_before_the_input(api, specialist, outsider):
    api.force_authenticate(specialist)
    assert api.post("/api/v1/import/parse", {}, format="json").status_code == 403
    assert api.post("/api/v1/import/parse", {"text": TEXT}, format="json").status_code == 403
    api.force_authenticate(None)
    assert api.post("/api/v1/import/parse", {"text": TEXT}, format="json").status_code == 401


def test_incoming_with_a_file_alone_fills_what_it_can(api, clerk, director, cong_van, parsed):
    data = TEXT.encode()
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/incoming", {"file": SimpleUploadedFile("cv-2593.txt", data), "received_on": "2020-04-02"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    assert (document.symbol, document.doc_type, document.urgency, str(document.issued_on)) == (
        SYMBOL, cong_van, "khan", "2020-03-31",
    )  # fmt: skip
    assert document.subject == "Tăng cường phòng chống dịch <COVID-19>"
    assert document.sender.name == "UBND tỉnh Quảng Trị"  # created: no known body matched
    assert document.attachments.get().sha256 == hashlib.sha256(data).hexdigest()
    reading = Reading.objects.get()
    assert reading.document == document and len(reading.fields["items"]) == 2  # kept for routing
    assert document.references.get().symbol == "16/CT-TTg"


def test_values_sent_win_over_what_the_file_says(api, clerk, director, notice_type, parsed):
    known = factories.OrganisationFactory(name="Văn phòng Chính phủ")
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/incoming",
        {"file": SimpleUploadedFile("cv.txt", TEXT.encode()), "sender": known.pk, "doc_type": notice_type.pk,
         "subject": "Trích yếu do văn thư ghi", "received_on": "2020-04-02"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert (document.sender, document.doc_type, document.subject) == (known, notice_type, "Trích yếu do văn thư ghi")
    assert document.symbol == SYMBOL
    assert Organisation.objects.count() == 1


def test_a_file_that_says_too_little_is_a_400_naming_what_is_missing(api, clerk):
    """A note that is no administrative document: every required value is missing; nothing is kept."""
    api.force_authenticate(clerk)
    response = api.post("/api/v1/incoming", {"file": SimpleUploadedFile("cv.txt", b"Noi dung")}, format="multipart")
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"sender", "doc_type", "symbol", "subject"}
    assert "Thiếu cơ quan gửi" in fields["sender"][0]
    assert not Reading.objects.exists() and not Document.objects.exists() and not Organisation.objects.exists()


def _scan_only(monkeypatch):
    monkeypatch.setattr(extract, "text_of", lambda data, *, name: extract.Extracted("", "ocr", needs_ocr=True))


def test_a_scan_sent_with_every_value_is_registered_and_kept_as_sent(api, clerk, director, notice_type, monkeypatch):
    """OCR never runs in a request, but the scan is the record: kept byte for byte."""
    _scan_only(monkeypatch)
    sender, upload = factories.OrganisationFactory(), pdf("scan.pdf")
    data = upload.read()
    upload.seek(0)
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/incoming",
        {"file": upload, "sender": sender.pk, "doc_type": notice_type.pk, "symbol": "15/TB-UBND",
         "subject": "Thông báo lịch tiếp công dân", "received_on": "2020-04-02"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert (document.symbol, document.sender) == ("15/TB-UBND", sender)
    assert document.attachments.get().sha256 == hashlib.sha256(data).hexdigest()


def test_a_scan_sent_alone_is_a_400_saying_why_and_what_is_missing(api, clerk, monkeypatch):
    _scan_only(monkeypatch)
    api.force_authenticate(clerk)
    response = api.post("/api/v1/incoming", {"file": pdf("scan.pdf")}, format="multipart")
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"sender", "doc_type", "symbol", "subject", "file"}
    assert "bản quét" in fields["file"][0]
    assert not Reading.objects.exists() and not Document.objects.exists()


def test_incoming_without_a_file_is_the_register_as_before(api, clerk, director, notice_type):
    sender = factories.OrganisationFactory()
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/incoming",
        {"sender": sender.pk, "symbol": "1/UBND", "doc_type": notice_type.pk, "subject": "Văn bản đến"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    assert not Reading.objects.exists()


def test_incoming_checks_rights_before_the_input(api, specialist):
    api.force_authenticate(specialist)
    response = api.post("/api/v1/incoming", {"file": SimpleUploadedFile("cv.txt", b"x")}, format="multipart")
    assert response.status_code == 403
    assert not Reading.objects.exists()


def test_a_refused_registration_keeps_neither_the_reading_nor_its_file(api, clerk, director, parsed, settings):
    api.force_authenticate(clerk)
    # The document's date (31/3/2020) after its arrival: incoming_register refuses.
    response = api.post(
        "/api/v1/incoming", {"file": SimpleUploadedFile("cv.txt", TEXT.encode()), "received_on": "2020-03-01"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400 and "Ngày văn bản không thể sau ngày đến." in response.json()["message"]
    assert not Reading.objects.exists() and not Document.objects.exists() and not Organisation.objects.exists()
    readings = settings.MEDIA_ROOT / "readings"
    assert not readings.exists() or not any(p.is_file() for p in readings.rglob("*"))
