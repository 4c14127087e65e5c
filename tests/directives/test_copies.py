"""Copies (bản sao y, trích sao, sao lục; issue #16 item 2): numbered in the agency's shared
copies series, printed as the original followed by the copy block, signed by the agency,
registered and distributed; checked by reading the PDF back."""

import io
from datetime import date

import pdfplumber
import pytest
from django.urls import reverse

from directives import copies, official_pdf, services
from directives.models import CopyForm, Delivery, Document, IssuedPdf
from lib.errors import DomainError, NotAllowed
from notifications.models import Notification
from reports.registers import register_for
from tests.directives.certificates import PASSPHRASE

BODY = (
    "<p>Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;</p>"
    "<p>Theo đề nghị của Chánh Văn phòng Sở.</p>"
    "<p>QUYẾT ĐỊNH:</p>"
    "<p>Điều 1. Ban hành Quy chế công tác văn thư của Sở.</p>"
    "<p>Điều 2. Quyết định có hiệu lực kể từ ngày ký.</p>"
    "<p>Điều 3. Chánh Văn phòng, Trưởng các phòng chịu trách nhiệm thi hành Quyết định này.</p>"
)


@pytest.fixture
def original(make_approved, clerk, django_capture_on_commit_callbacks):
    from directives.models import DocumentType

    document = make_approved(
        doc_type=DocumentType.objects.get(abbreviation="QĐ"),
        subject="Ban hành Quy chế công tác văn thư",
        body=BODY,
        distribution="Như Điều 3;\nLưu: VT, VP.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.document_issue(document=document, by=clerk)
    document.refresh_from_db()
    return document


@pytest.fixture
def make_copy(clerk, director, science_unit, django_capture_on_commit_callbacks):
    def make(document, form=CopyForm.SAO_Y, **fields):
        fields.setdefault("signer", director)
        fields.setdefault("signing_authority", "KT.")
        fields.setdefault("authority_title", "Giám đốc")
        fields.setdefault("distribution", "Phòng Quản lý Khoa học;\nLưu: VT.")
        fields.setdefault("recipient_units", [science_unit])
        with django_capture_on_commit_callbacks(execute=True):
            copy = copies.copy_make(document=document, form=form, by=clerk, **fields)
        copy.refresh_from_db()
        return copy

    return make


def pdf_of(document) -> bytes:
    record = IssuedPdf.objects.get(document=document)
    assert record.state == IssuedPdf.State.READY, record.error
    return official_pdf.issued_pdf_read(record)


def words_of(content: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(content)) as document:
        words = []
        for number, page in enumerate(document.pages):
            for word in page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True):
                words.append({**word, "page": number})
        return words


def text_of(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def line(words: list[dict], start: str) -> dict:
    """The first word that starts with ``start``."""
    return next(w for w in words if w["text"].startswith(start))


def after(a: dict, b: dict) -> bool:
    """``b`` stands after ``a`` in reading order (a later page, or lower on the same one)."""
    return (b["page"], b["top"]) > (a["page"], a["top"])


def test_a_sao_y_prints_the_original_then_the_copy_block(original, make_copy):
    copy = make_copy(original)
    assert copy.symbol == "01/SY-SKHCN" and copy.state == Document.State.ISSUED
    content = pdf_of(copy)
    words = words_of(content)
    text = text_of(content)
    # The whole original, with its own number and signature block.
    assert "Số: 01/QĐ-SKHCN" in text and "Điều 3. Chánh Văn phòng" in text
    last_of_original = line(words, "Điều 3.")
    form = line(words, "SAO Y")
    number = line(words, "Số: 01/SY-SKHCN")
    assert after(last_of_original, form) and after(last_of_original, number)
    # Fonts as the decree says: the form bold 14, the number upright 13, the dateline italic 14.
    assert "Bold" in form["fontname"] and round(form["size"]) == 14
    assert "Bold" not in number["fontname"] and "Italic" not in number["fontname"] and round(number["size"]) == 13
    dates = [w for w in words if w["text"].startswith("Bà Rịa") or "ngày" in w["text"]]
    copy_date = [w for w in dates if after(form, w)][0]
    assert "Italic" in copy_date["fontname"] and round(copy_date["size"]) == 14
    received = [w for w in words if w["text"].startswith("Nơi nhận:")]
    assert len(received) == 2 and after(form, received[1])
    assert "Bold-Italic" in received[1]["fontname"] and round(received[1]["size"]) == 12
    authority = [w for w in words if w["text"].startswith("KT. GIÁM ĐỐC")][-1]
    assert after(form, authority) and "Bold" in authority["fontname"] and round(authority["size"]) == 14
    signer = [w for w in words if w["text"] == "Lê Thị Carol"][-1]
    assert after(authority, signer) and "Bold" in signer["fontname"]
    # A full rule separates the copy block from the original.
    with pdfplumber.open(io.BytesIO(content)) as document:
        page = document.pages[form["page"]]
        rules = [r for r in page.lines + page.rects if r["width"] > 150 * 72 / 25.4 and r["top"] < form["top"]]
    assert rules and rules[-1]["top"] > last_of_original["top"]


def test_a_trich_sao_prints_only_the_chosen_paragraphs(original, make_copy):
    paragraphs = copies.paragraphs_of(original)
    chosen = [i for i, p in enumerate(paragraphs) if p.startswith("Điều 2.")]
    copy = make_copy(original, form=CopyForm.TRICH_SAO, paragraphs=chosen)
    assert copy.symbol == "01/TrS-SKHCN"
    text = text_of(pdf_of(copy))
    assert "Điều 2. Quyết định có hiệu lực" in text
    assert "Điều 1." not in text and "Điều 3." not in text
    assert "TRÍCH SAO" in text and "Số: 01/TrS-SKHCN" in text
    assert text.index("Điều 2.") < text.index("TRÍCH SAO")


def test_a_sao_luc_of_a_sao_y_prints_both_blocks_in_order(original, make_copy):
    sao_y = make_copy(original)
    sao_luc = make_copy(sao_y, form=CopyForm.SAO_LUC)
    assert sao_luc.symbol == "02/SL-SKHCN"
    text = text_of(pdf_of(sao_luc))
    assert text.index("Điều 3.") < text.index("SAO Y") < text.index("SAO LỤC")
    assert "Số: 01/SY-SKHCN" in text and "Số: 02/SL-SKHCN" in text


def test_copies_share_one_series_numbered_consecutively_and_are_registered(original, make_copy, clerk):
    symbols = [
        make_copy(original).symbol,
        make_copy(original, form=CopyForm.TRICH_SAO, paragraphs=[3]).symbol,
        make_copy(original).symbol,
    ]
    assert symbols == ["01/SY-SKHCN", "02/TrS-SKHCN", "03/SY-SKHCN"]
    today = original.issued_on
    rows = register_for(kind="outgoing", user=clerk, start=today, end=today).rows
    listed = {row["symbol"]: row for row in rows}
    assert set(symbols) <= set(listed)
    assert "Sao y văn bản số 01/QĐ-SKHCN" in listed["01/SY-SKHCN"]["note"]


def test_a_copy_is_delivered_with_notices(original, make_copy, science_unit, unit_head):
    copy = make_copy(original)
    assert Delivery.objects.filter(document=copy, unit=science_unit).exists()
    assert Notification.objects.filter(user=unit_head, message__contains="01/SY-SKHCN").exists()


def test_a_copy_is_signed_by_the_agency(original, make_copy, agency, administrator, authority):
    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    copy = make_copy(original)
    record = IssuedPdf.objects.get(document=copy)
    assert record.signed
    (result,) = official_pdf.issued_pdf_verify(record)  # the agency's only: the copy's signer has none
    assert result.valid and result.covers_whole_file


def test_a_copy_of_a_confidential_document_stays_confidential(
    make_approved, clerk, make_copy, specialist, django_capture_on_commit_callbacks
):
    secret = make_approved(confidentiality="mat")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_issue(document=secret, by=clerk)
    copy = make_copy(secret, recipient_units=[], distribution="Lưu: VT.")
    assert copy.confidentiality == "mat"
    from directives.permissions import documents_visible_to

    assert not documents_visible_to(specialist).filter(pk=copy.pk).exists()
    assert documents_visible_to(clerk).filter(pk=copy.pk).exists()


def test_a_received_document_is_copied_with_its_pages_then_the_copy_block(clerk, make_copy, notice_type):
    from tests.factories import OrganisationFactory

    scan = _one_page_pdf("CÔNG VĂN CỦA SỞ NỘI VỤ SỐ 1104")
    from django.core.files.uploadedfile import SimpleUploadedFile

    received = services.incoming_register(
        by=clerk, sender=OrganisationFactory(), symbol="1104/SNV-CCHC", issued_on=date(2026, 11, 2),
        doc_type=notice_type, subject="Hướng dẫn", file=SimpleUploadedFile("cv.pdf", scan, "application/pdf"),
    )  # fmt: skip
    copy = make_copy(received)
    content = pdf_of(copy)
    with pdfplumber.open(io.BytesIO(content)) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    assert "CÔNG VĂN CỦA SỞ NỘI VỤ SỐ 1104" in pages[0]
    assert "SAO Y" in pages[-1] and "Số: 01/SY-SKHCN" in pages[-1]
    with pytest.raises(DomainError, match="trích sao"):
        copies.copy_make(document=received, form=CopyForm.TRICH_SAO, paragraphs=[0], by=clerk)


def test_a_copy_of_a_received_scan_is_signed_in_its_copy_block(
    clerk, make_copy, notice_type, agency, administrator, authority
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directives.signing import find_signature_space
    from tests.factories import OrganisationFactory

    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    scan = _one_page_pdf("CÔNG VĂN CỦA SỞ NỘI VỤ")
    received = services.incoming_register(
        by=clerk, sender=OrganisationFactory(), symbol="1105/SNV-CCHC", issued_on=None, doc_type=notice_type,
        subject="Hướng dẫn", file=SimpleUploadedFile("cv.pdf", scan, "application/pdf"),
    )  # fmt: skip
    joined = copies.copy_pdf(make_copy(received))
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert find_signature_space(PdfFileReader(io.BytesIO(joined)))[0] == 1  # the copy block's page
    record = IssuedPdf.objects.get(document__copy_of=received)
    assert record.signed and all(result.valid for result in official_pdf.issued_pdf_verify(record))


def _one_page_pdf(text: str) -> bytes:
    from directives import pdf

    return pdf.html_to_pdf(f"<p>{text}</p>")


def test_refusals_change_nothing(original, clerk, specialist, make_copy):
    with pytest.raises(NotAllowed):
        copies.copy_make(document=original, form=CopyForm.SAO_Y, by=specialist)
    with pytest.raises(DomainError, match="ít nhất một đoạn"):
        copies.copy_make(document=original, form=CopyForm.TRICH_SAO, paragraphs=[], by=clerk)
    with pytest.raises(DomainError, match="không có trong văn bản"):
        copies.copy_make(document=original, form=CopyForm.TRICH_SAO, paragraphs=[99], by=clerk)
    with pytest.raises(DomainError, match="không hợp lệ"):
        copies.copy_make(document=original, form="XX", by=clerk)
    assert not Document.objects.filter(copy_of=original).exists()
    assert make_copy(original).number == 1  # no number was consumed


def test_outsiders_get_404_on_the_page_and_the_api(client, original, outsider, specialist):
    for person in (outsider,):
        client.force_login(person)
        assert client.get(reverse("directives:copy", args=[original.pk])).status_code == 404
        response = client.post(
            reverse("api-directive-copies", args=[original.pk]), {"form": "SY"}, content_type="application/json"
        )
        assert response.status_code == 404
    assert not Document.objects.filter(copy_of=original).exists()


def test_the_clerk_makes_a_trich_sao_on_the_page(client, clerk, original, director):
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[original.pk])).content.decode()
    assert reverse("directives:copy", args=[original.pk]) in page
    form = client.get(reverse("directives:copy", args=[original.pk])).content.decode()
    assert "Điều 2. Quyết định có hiệu lực" in form
    paragraphs = copies.paragraphs_of(original)
    response = client.post(
        reverse("directives:copy", args=[original.pk]),
        {"form": "TrS", "paragraphs": [paragraphs.index(p) for p in paragraphs if p.startswith("Điều 2.")],
         "signer": director.pk, "signing_authority": "KT.", "authority_title": "Giám đốc",
         "distribution": "Lưu: VT."},
        follow=True,
    )  # fmt: skip
    assert "01/TrS-SKHCN" in response.content.decode()
    copy = Document.objects.get(copy_of=original)
    assert copy.copy_form == "TrS" and copy.copy_paragraphs


def test_the_api_makes_a_copy(client, clerk, original, director):
    client.force_login(clerk)
    response = client.post(
        reverse("api-directive-copies", args=[original.pk]),
        {"form": "SY", "signer": director.pk, "signing_authority": "KT.", "authority_title": "Giám đốc"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["symbol"] == "01/SY-SKHCN"
    assert (response.json()["copy_form"], response.json()["copy_of"]) == ("SY", original.pk)
    bad = client.post(
        reverse("api-directive-copies", args=[original.pk]), {"form": "TrS", "paragraphs": []},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400 and "đoạn" in bad.json()["message"]


def test_the_pages_link_the_copy_and_its_original(client, clerk, original, make_copy):
    copy = make_copy(original)
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[original.pk])).content.decode()
    assert reverse("directives:detail", args=[copy.pk]) in page and "01/SY-SKHCN" in page
    page = client.get(reverse("directives:detail", args=[copy.pk])).content.decode()
    assert "Sao y của văn bản" in page and reverse("directives:detail", args=[original.pk]) in page


@pytest.mark.postgres
@pytest.mark.slow
def test_clerks_copying_at_once_get_consecutive_numbers(original, clerk, director):
    from tests.concurrency import at_once

    def make():
        copies.copy_make(document=original, form=CopyForm.SAO_Y, by=clerk, signer=director)

    assert at_once([make for _ in range(10)]) == []
    numbers = sorted(Document.objects.filter(copy_of=original).values_list("number", flat=True))
    assert numbers == list(range(1, 11))


def test_a_person_who_sees_the_document_but_is_no_clerk_gets_403(client, original, specialist):
    client.force_login(specialist)
    assert client.get(reverse("directives:detail", args=[original.pk])).status_code == 200
    assert (
        reverse("directives:copy", args=[original.pk])
        not in client.get(reverse("directives:detail", args=[original.pk])).content.decode()
    )
    assert client.get(reverse("directives:copy", args=[original.pk])).status_code == 403
    response = client.post(
        reverse("api-directive-copies", args=[original.pk]), {"form": "SY"}, content_type="application/json"
    )
    assert response.status_code == 403
