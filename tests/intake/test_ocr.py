"""OCR of scans (ocrmypdf + tesseract vie, for real) and the reading job around it
(intake/services.py, intake/jobs.py, intake/permissions.py)."""

import io
import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from intake import extract, parser, services
from intake.models import Reading
from intake.permissions import reading_get_for
from lib.errors import DomainError, NotAllowed
from lib.uploads import UploadRefused, upload_check
from ops.background import work_recover
from tests import factories, uploads
from tests.intake import made_files
from units.roles import Role

pytestmark = pytest.mark.django_db

# Words of the page the scan was printed from, with their marks (OCR must keep them).
EXPECTED_WORDS = ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc", "THÔNG BÁO", "Giám đốc Sở", "nhiệm vụ"]
CONFIDENCE_FLOOR = 80


@pytest.fixture(scope="module")
def scan(django_db_blocker):
    """A two-page scan: a Decree 30 notice printed by WeasyPrint, rasterised at 300 dpi, put in a
    PDF with no text (module-scoped: OCR takes seconds)."""
    with django_db_blocker.unblock():
        return made_files.scan_pdf(made_files.text_pdf(pages=8), pages=2)


@pytest.fixture(scope="module")
def scan_read(scan):
    return extract.ocr(scan, name="scan.pdf")


def _upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.slow
def test_a_scanned_pdf_is_read_by_ocr_with_its_vietnamese_and_a_confidence(scan, scan_read):
    assert extract.text_of(scan, name="scan.pdf").needs_ocr
    assert scan_read.method == "ocr"
    assert unicodedata.is_normalized("NFC", scan_read.text)
    for words in EXPECTED_WORDS:
        assert words in scan_read.text
    assert scan_read.confidence > CONFIDENCE_FLOOR
    assert scan_read.lines and all(0 <= confidence <= 100 for _, confidence in scan_read.lines)


@pytest.mark.slow
def test_ocr_keeps_the_two_header_columns_apart_in_reading_order(scan_read):
    lines = [line.strip() for line in scan_read.text.splitlines() if line.strip()]
    # tesseract reads the first row of the header as one line; it is cut at the gap.
    assert not any("UBND" in line and "CỘNG HÒA" in line for line in lines)
    assert lines.index("SỞ KHOA HỌC VÀ CÔNG NGHỆ") < lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "Độc lập - Tự do - Hạnh phúc" in lines  # a line of its own, not glued to the left column


@pytest.mark.slow
def test_an_image_is_read_by_ocr():
    image = made_files.image_bytes(made_files.text_pdf(), kind="PNG", dpi=300)
    extracted = extract.ocr(image, name="anh.png")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in extracted.text
    assert extracted.confidence > CONFIDENCE_FLOOR


def test_low_confidence_words_come_from_the_hocr():
    hocr = (
        "<html><body><div class='ocr_page'><p class='ocr_par'>"
        "<span class='ocr_line' title='bbox 0 0 500 40'>"
        "<span class='ocrx_word' title='bbox 0 0 100 40; x_wconf 95'>Giám</span> "
        "<span class='ocrx_word' title='bbox 110 0 200 40; x_wconf 31'>đ&#7889;c</span>"
        "</span></p></div></body></html>"
    )
    reader = extract._HocrReader()
    reader.feed(hocr)
    assert [(w.text, w.confidence) for w in reader.lines[0]] == [("Giám", 95.0), ("đốc", 31.0)]


def test_ocr_refuses_a_kind_it_cannot_read():
    with pytest.raises(extract.Unreadable, match="Chỉ nhận dạng chữ"):
        extract.ocr(made_files.docx_bytes(), name="a.docx")


# --- Readings ----------------------------------------------------------------------------


def test_pasted_text_is_parsed_at_once_with_the_agencys_units_and_organisations(clerk, office, monkeypatch):
    organisation = factories.OrganisationFactory(name="UBND tỉnh Bà Rịa - Vũng Tàu")
    other_agency_unit = factories.UnitFactory(abbreviation="KT")
    seen = {}

    def parse(text, *, units=(), organisations=(), agency=None):
        seen.update(text=text, units=list(units), organisations=list(organisations), agency=agency)
        return {"subject": "Kết luận", "uncertain": []}

    monkeypatch.setattr(parser, "parse", parse)
    reading = services.reading_create(by=clerk, text=unicodedata.normalize("NFD", "  Kết luận của Giám đốc  "))
    assert reading.state == Reading.State.DONE
    assert reading.method == Reading.Method.TEXT
    assert reading.text == "Kết luận của Giám đốc"
    assert reading.fields == {"subject": "Kết luận", "uncertain": []}
    assert seen["text"] == "Kết luận của Giám đốc"
    assert office in seen["units"] and other_agency_unit not in seen["units"]
    assert organisation in seen["organisations"]
    assert seen["agency"] == clerk.agency


def test_a_text_pdf_is_read_at_once_and_its_bytes_kept_unchanged(clerk, django_capture_on_commit_callbacks):
    import hashlib

    data = made_files.text_pdf()
    with django_capture_on_commit_callbacks() as callbacks:
        reading = services.reading_create(by=clerk, file=_upload(data, "Thông báo 336.pdf"))
    assert callbacks == []  # nothing queued
    assert reading.state == Reading.State.DONE
    assert reading.method == Reading.Method.PDF
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in reading.text
    assert reading.name == "Thông báo 336.pdf"
    assert reading.sha256 == hashlib.sha256(data).hexdigest()
    assert reading.size == len(data)
    with reading.file.open("rb") as stored:
        assert stored.read() == data
    assert reading.agency == clerk.agency and reading.created_by == clerk


@pytest.mark.parametrize(
    ("name", "data", "method"),
    [
        ("cong-van.docx", made_files.docx_bytes(), Reading.Method.DOCX),
        ("cong-van.txt", "Kính gửi: Văn phòng Sở".encode(), Reading.Method.PLAIN),
    ],
)
def test_word_and_text_files_are_read_at_once(clerk, name, data, method):
    reading = services.reading_create(by=clerk, file=_upload(data, name))
    assert (reading.state, reading.method) == (Reading.State.DONE, method)


@pytest.mark.slow
def test_a_scan_waits_for_the_job_which_reads_it_once(clerk, scan, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks() as callbacks:
        reading = services.reading_create(by=clerk, file=_upload(scan, "scan.pdf"))
    assert reading.state == Reading.State.PENDING
    assert reading.method == Reading.Method.OCR
    assert reading.text == ""
    assert len(callbacks) == 1  # the job is queued after commit

    calls = []
    real_ocr = extract.ocr

    def counted(data, *, name):
        calls.append(name)
        return real_ocr(data, name=name)

    monkeypatch.setattr(extract, "ocr", counted)
    monkeypatch.setattr(services, "reading_wake", lambda pk: None)
    from intake import jobs

    assert jobs.reading_read(reading.pk) == Reading.State.DONE
    assert jobs.reading_read(reading.pk) == Reading.State.DONE  # a doubled wake-up
    assert calls == ["scan.pdf"]
    reading.refresh_from_db()
    assert reading.state == Reading.State.DONE
    assert reading.method == Reading.Method.OCR
    assert reading.confidence > CONFIDENCE_FLOOR
    assert "Độc lập - Tự do - Hạnh phúc" in reading.text
    assert reading.attempts == 1 and reading.claimed_at is None


def test_the_queued_wake_up_runs_the_job(clerk, django_capture_on_commit_callbacks, monkeypatch):
    image = made_files.image_bytes(made_files.text_pdf(), kind="PNG", dpi=72)
    monkeypatch.setattr(extract, "ocr", lambda data, *, name: extract.Extracted("Công văn", "ocr", confidence=88.0))
    with django_capture_on_commit_callbacks(execute=True):
        reading = services.reading_create(by=clerk, file=_upload(image, "anh.png"))
    reading.refresh_from_db()  # the eager job ran in the callback
    assert (reading.state, reading.text, reading.confidence) == (Reading.State.DONE, "Công văn", 88.0)


def test_low_confidence_words_mark_the_fields_that_hold_them(clerk, monkeypatch):
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, file=SimpleUploadedFile("a.png", b"x"), due_at=timezone.now()
    )
    monkeypatch.setattr(extract, "text_of", lambda data, *, name: extract.Extracted("", "ocr", needs_ocr=True))
    monkeypatch.setattr(
        extract,
        "ocr",
        lambda data, *, name: extract.Extracted(
            "Số: 33б/TB", "ocr", confidence=70.0, low_confidence_words=["33б/TB", "o."]
        ),
    )
    monkeypatch.setattr(
        parser,
        "parse",
        lambda text, **kw: {
            "symbol": "33б/TB",
            "subject": "Kết luận",
            "issuer": "Sở Y tế o.",
            "distribution": ["Lưu: 33б/TB."],
            "uncertain": ["subject"],
        },  # fmt: skip
    )
    assert services.reading_read(reading.pk) == Reading.State.DONE
    reading.refresh_from_db()
    # A one-letter scrap («o.») marks nothing: it would match half the document.
    assert reading.fields["uncertain"] == ["subject", "symbol", "distribution"]
    assert reading.fields["low_confidence_words"] == ["33б/TB", "o."]


def test_a_failing_job_is_retried_then_failed_with_a_vietnamese_error(clerk, monkeypatch, time_machine):
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, file=SimpleUploadedFile("a.png", b"x"), due_at=timezone.now()
    )

    def broken(data, *, name):
        raise RuntimeError("tesseract crashed")

    monkeypatch.setattr(extract, "text_of", lambda data, *, name: extract.Extracted("", "ocr", needs_ocr=True))
    monkeypatch.setattr(extract, "ocr", broken)
    for attempt in range(1, services.MAX_READ_ATTEMPTS):
        assert services.reading_read(reading.pk) == Reading.State.PENDING
        reading.refresh_from_db()
        assert reading.attempts == attempt and reading.due_at > timezone.now()
    assert services.reading_read(reading.pk) == Reading.State.FAILED
    reading.refresh_from_db()
    assert reading.state == Reading.State.FAILED
    assert reading.error == "Không đọc được tệp sau nhiều lần thử; hãy nhập các trường bằng tay."


def test_an_unreadable_scan_fails_at_once_with_its_message(clerk, monkeypatch):
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, file=SimpleUploadedFile("a.png", b"x"), due_at=timezone.now()
    )
    assert services.reading_read(reading.pk) == Reading.State.FAILED  # b"x" is no kind at all
    reading.refresh_from_db()
    assert reading.error.startswith("Không đọc được tệp «")
    assert reading.attempts == 1


def test_a_claimed_reading_is_not_read_by_a_second_job(clerk, monkeypatch):
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, file=SimpleUploadedFile("a.png", b"x"), due_at=timezone.now(),
        claimed_at=timezone.now(),
    )  # fmt: skip
    monkeypatch.setattr(extract, "text_of", lambda *a, **k: pytest.fail("read twice"))
    assert services.reading_read(reading.pk) == Reading.State.PENDING
    assert services.reading_read(10**9) == "gone"


def test_the_recovery_job_requeues_a_stale_reading(clerk, monkeypatch):
    woken = []
    monkeypatch.setattr(services, "reading_wake", lambda pk: woken.append(pk) or True)
    stale = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, due_at=timezone.now() - timedelta(minutes=5),
        claimed_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip
    Reading.objects.create(agency=clerk.agency, created_by=clerk, due_at=timezone.now())  # its wake-up is on the way
    Reading.objects.create(agency=clerk.agency, created_by=clerk, state=Reading.State.DONE)
    assert work_recover()["readings"] == 1
    assert woken == [stale.pk]


# --- Refusals and rights -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.html", b"<!DOCTYPE html><html><body><p>Xin chao</p></body></html>"),
        ("bang.xlsx", uploads.xlsx_bytes()),
        ("chay.pdf", uploads.EXE),
    ],
)
def test_kinds_not_read_are_refused_and_nothing_is_stored(clerk, settings, name, data):
    with pytest.raises(UploadRefused) as refused:
        services.reading_create(by=clerk, file=_upload(data, name))
    assert f"«{name}»" in refused.value.message
    assert "PDF, DOCX, DOC, TXT, JPG, PNG, TIFF" in refused.value.message
    assert not Reading.objects.exists()
    assert _media_files(settings) == []


def test_a_broken_file_of_an_allowed_kind_is_refused_in_vietnamese(clerk, settings):
    with pytest.raises(UploadRefused) as refused:
        services.reading_create(by=clerk, file=_upload(b"%PDF-1.4\n" + b"\0" * 300, "hong.pdf"))
    assert refused.value.message.startswith("Tệp PDF «hong.pdf» bị hỏng")
    assert refused.value.extra == {"file": "hong.pdf", "reason": "unreadable"}
    assert not Reading.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize("who", ["specialist", "director", "outsider"])
def test_only_registering_clerks_may_create_readings(request, who):
    person = request.getfixturevalue(who)
    with pytest.raises(NotAllowed, match="Chỉ văn thư"):
        services.reading_create(by=person, text="Công văn")
    assert not Reading.objects.exists()


def test_text_and_file_together_or_neither_are_refused(clerk):
    with pytest.raises(DomainError, match="chỉ một trong hai"):
        services.reading_create(by=clerk)
    with pytest.raises(DomainError, match="chỉ một trong hai"):
        services.reading_create(by=clerk, text="a", file=_upload(b"abc", "a.txt"))
    with pytest.raises(DomainError, match="đang trống"):
        services.reading_create(by=clerk, text="  \n ")


def test_a_reading_is_seen_only_by_its_agencys_registering_clerks(clerk, specialist, director, outsider):
    reading = services.reading_create(by=clerk, text="Công văn số 12")
    assert reading_get_for(clerk, reading.pk) == reading
    other_clerk = factories.PersonFactory(agency=outsider.agency, roles=[Role.CLERK, Role.STAFF])
    for person in (specialist, director, outsider, other_clerk):
        with pytest.raises(Http404):
            reading_get_for(person, reading.pk)
    with pytest.raises(Http404):
        reading_get_for(clerk, reading.pk + 1000)


# --- The upload kinds a reading needs ----------------------------------------------------


def test_tiff_and_text_are_kinds_only_where_asked_for():
    tiff = made_files.image_bytes(made_files.text_pdf(), kind="TIFF", dpi=50)
    assert upload_check(io.BytesIO(tiff), name="a", allowed=["tif"]).kind.code == "tif"
    assert upload_check(io.BytesIO(b"Kinh gui"), name="a", allowed=["txt"]).kind.code == "txt"
    # The people import still gets its text as CSV, and the default list takes neither.
    assert upload_check(io.BytesIO(b"a,b\n1,2\n"), name="a", allowed=["csv", "txt"]).kind.code == "csv"
    for data in (tiff, b"Kinh gui"):
        with pytest.raises(UploadRefused):
            upload_check(io.BytesIO(data), name="a")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_an_old_doc_is_converted_in_the_job_not_in_the_request(clerk, tmp_path, django_capture_on_commit_callbacks):
    source = tmp_path / "cong-van.docx"
    source.write_bytes(made_files.docx_bytes())
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        reading = services.reading_create(by=clerk, file=_upload((tmp_path / "cong-van.doc").read_bytes(), "cv.doc"))
    assert (reading.state, reading.method, len(callbacks)) == (Reading.State.PENDING, Reading.Method.DOC, 1)
    assert services.reading_read(reading.pk) == Reading.State.DONE
    reading.refresh_from_db()
    assert reading.method == Reading.Method.DOC
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in reading.text


def test_a_file_checked_for_another_purpose_is_refused(clerk):
    checked = upload_check(io.BytesIO(uploads.xlsx_bytes()), name="bang.xlsx", allowed=["xlsx"])
    with pytest.raises(UploadRefused, match="«bang.xlsx» không phải loại văn bản đọc được"):
        services.reading_create(by=clerk, file=checked)
    assert not Reading.objects.exists()


def test_pasted_legacy_mojibake_is_converted(clerk):
    from tests.intake.test_extract_legacy import MOTTO, MOTTO_VNI

    reading = services.reading_create(by=clerk, text=MOTTO_VNI)
    assert (reading.method, reading.text) == (Reading.Method.TEXT, MOTTO)


def test_the_system_check_warns_when_ocr_cannot_run(monkeypatch):
    from intake import checks

    assert checks.check_ocr_tools(None) == []  # installed here, and in CI
    monkeypatch.setattr(checks, "_tesseract_languages", lambda: {"eng", "osd"})
    assert [warning.id for warning in checks.check_ocr_tools(None)] == ["intake.W002"]
    monkeypatch.setattr(checks.shutil, "which", lambda name: None)
    assert [warning.id for warning in checks.check_ocr_tools(None)] == ["intake.W001"]
