"""Word in and out: the .docx in the Decree 30 layout, the body read back from a .docx, the
draft form's «Lấy nội dung», the downloads' rights, and LibreOffice's render of a produced file."""

import io
import shutil
import subprocess

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from rest_framework.test import APIClient

from audit.models import AuditRecord
from directives import body, services, word
from directives.models import Document
from lib.errors import DomainError
from tests import uploads
from tests.directives.test_pages import _form_data

QUYET_DINH_BODY = (
    "<p>Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;</p>"
    "<p>Theo đề nghị của Chánh Văn phòng Sở.</p>"
    "<p>QUYẾT ĐỊNH:</p>"
    "<p>Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Sở.</p>"
    "<p>Điều 2. Hiệu lực thi hành</p>"
    "<p>Quyết định có hiệu lực từ ngày ký; chữ <strong>đậm</strong>, <em>nghiêng</em> và <u>gạch chân</u>.</p>"
    "<ol><li>Phòng Quản lý khoa học</li><li>Văn phòng Sở</li></ol>"
    "<ul><li>Gạch đầu dòng</li></ul>"
    "<table><thead><tr><th>Đơn vị</th><th>Số đề tài</th></tr></thead>"
    "<tbody><tr><td>Phòng A</td><td>3</td></tr><tr><td>Phòng B</td><td>5</td></tr></tbody></table>"
)
KE_HOACH_BODY = (
    "<p>I. MỤC ĐÍCH, YÊU CẦU</p><p>1. Mục đích</p><p>Triển khai kịp thời.</p>"
    "<p>II. NỘI DUNG</p><p>Chương II</p><p>TỔ CHỨC THỰC HIỆN</p><p>Các phòng phối hợp.</p>"
)
CONG_VAN_BODY = "<p>Căn cứ đề nghị của Phòng A, Sở đề nghị các đơn vị báo cáo.</p><p>Trân trọng./.</p>"


def _document(doc_type="Quyết định", abbr="QĐ", body_html=QUYET_DINH_BODY, **fields):
    document = {
        "doc_type": doc_type,
        "type_abbr": abbr,
        "symbol": f"{abbr}-SKHCN" if abbr else "SKHCN-VP",
        "number": None,
        "subject": "Về việc ban hành Quy chế làm việc",
        "parent_body": "UBND tỉnh Bà Rịa - Vũng Tàu",
        "issuer": "Sở Khoa học và Công nghệ",
        "place": "Bà Rịa - Vũng Tàu",
        "issued_on": None,
        "addressees": ["Các phòng thuộc Sở"],
        "body": [body_html],
        "body_format": "html",
        "signer": {"authority": "KT.", "authority_title": "Giám đốc", "title": "PHÓ GIÁM ĐỐC", "name": "Trần Thị B"},
        "distribution": ["Như Điều 3", "Lưu: VT, VP"],
    }
    document.update(fields)
    return document


def _upload(data: bytes, name: str = "du-thao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _texts(blocks):
    return [(b.kind, b.heading, b.text, str(b.html)) for b in blocks]


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "abbr", "body_html"),
    [
        ("Quyết định", "QĐ", QUYET_DINH_BODY),
        ("Kế hoạch", "KH", KE_HOACH_BODY),
        ("Công văn", None, CONG_VAN_BODY),
    ],
)
def test_a_docx_made_by_the_portal_reads_back_to_the_same_body(doc_type, abbr, body_html):
    document = _document(doc_type, abbr, body_html)
    data = word.render_docx(document)
    read = word.body_from_docx(_upload(data))
    legal_bases = doc_type != "Công văn"
    original = body.parse_body([body_html], rich=True, legal_bases=legal_bases)
    again = body.parse_body([read.html], rich=True, legal_bases=legal_bases)
    assert _texts(again) == _texts(original)
    # Nothing of the header, title, signature or Nơi nhận comes back into the body.
    for frame_text in ("CỘNG HÒA", "Độc lập", "Nơi nhận", "Trần Thị B", "Kính gửi", "Số:"):
        assert frame_text not in read.html


def test_reading_back_twice_changes_nothing():
    first = word.body_from_docx(_upload(word.render_docx(_document()))).html
    second = word.body_from_docx(_upload(word.render_docx(_document(body=[first])))).html
    assert second == first


# --- Word out: the layout ---------------------------------------------------------------------


def _open(data: bytes):
    return DocxDocument(io.BytesIO(data))


def _cell_texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def test_the_docx_has_the_page_fonts_and_header_of_the_decree():
    doc = _open(word.render_docx(_document(number=5, symbol="05/QĐ-SKHCN", issued_on="2027-01-05")))
    section = doc.sections[0]
    # Word stores lengths in twips: compare to a hundredth of a millimetre.
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer  # no page number on page 1
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size == Pt(14)
    header = doc.tables[0]
    left, right = header.rows[0].cells
    assert _cell_texts(left) == ["UBND TỈNH BÀ RỊA - VŨNG TÀU", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold
    assert _cell_texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right.paragraphs[0].runs[0].font.size == Pt(12)
    left, right = header.rows[1].cells
    assert _cell_texts(left) == ["Số: 05/QĐ-SKHCN"]
    dateline = right.paragraphs[0]
    assert dateline.text == "Bà Rịa - Vũng Tàu, ngày 05 tháng 01 năm 2027" and dateline.runs[0].italic
    assert "DỰ THẢO" not in "\n".join(p.text for p in doc.paragraphs)
    titles = [p for p in doc.paragraphs if p.text in ("QUYẾT ĐỊNH", "Về việc ban hành Quy chế làm việc")]
    assert len(titles) == 2 and all(p.runs[0].bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in titles)


def test_the_body_keeps_its_structure_and_the_closing_its_place():
    doc = _open(word.render_docx(_document()))
    by_text = {p.text: p for p in doc.paragraphs}
    basis = by_text["Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;"]
    assert basis.style.font.italic and basis.paragraph_format.first_line_indent is None
    assert basis.style.paragraph_format.first_line_indent == Mm(word.INDENT_MM)
    enacting = by_text["QUYẾT ĐỊNH:"]
    assert enacting.style.font.bold and enacting.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    article = by_text["Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Sở."]
    assert article.runs[0].text == "Điều 1." and article.runs[0].style.font.bold and not article.runs[1].bold
    assert by_text["Điều 2. Hiệu lực thi hành"].runs[0].style.name == word.ARTICLE_HEADING_STYLE
    numbered = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert numbered == ["Phòng Quản lý khoa học", "Văn phòng Sở"]
    table = doc.tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Đơn vị", "Số đề tài"],
        ["Phòng A", "3"],
        ["Phòng B", "5"],
    ]
    # A quyết định has no Kính gửi: its readers are in Nơi nhận.
    assert not any(p.text.startswith("Kính gửi") for p in doc.paragraphs)
    recipients, signature = doc.tables[-1].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size == Pt(12)
    assert [p.text for p in recipients.paragraphs[1:]] == ["- Như Điều 3;", "- Lưu: VT, VP."]
    assert recipients.paragraphs[1].runs[0].font.size == Pt(11)
    assert _cell_texts(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị B"]
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)


def test_a_cong_van_prints_v_v_and_kinh_gui_and_a_draft_its_mark():
    doc = _open(word.render_docx(_document("Công văn", None, CONG_VAN_BODY, subject="Báo cáo tiến độ")))
    left = doc.tables[0].rows[1].cells[0]
    assert _cell_texts(left) == ["Số:    /SKHCN-VP", "V/v Báo cáo tiến độ"]
    texts = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Các phòng thuộc Sở" in texts and "DỰ THẢO" in texts[0]
    # The công văn's "Căn cứ ..." is a sentence of the letter: not a legal basis in italic.
    opening = "Căn cứ đề nghị của Phòng A, Sở đề nghị các đơn vị báo cáo."
    assert doc.paragraphs[texts.index(opening)].style.name == "ND30 Body"


# --- Word in ----------------------------------------------------------------------------------


def _person_made_docx() -> bytes:
    """A .docx as an office drafts it in Word: headings, emphasis, a list, a table, a picture."""
    doc = DocxDocument()
    doc.add_paragraph("Mục tiêu chung", style="Heading 1")
    paragraph = doc.add_paragraph("Nâng cao ")
    paragraph.add_run("chất lượng").bold = True
    paragraph.add_run(" và ")
    paragraph.add_run("hiệu quả").italic = True
    doc.add_paragraph("Bước một", style="List Number")
    doc.add_paragraph("Bước hai", style="List Number")
    table = doc.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("A", "B"), ("1", "2")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    doc.add_paragraph().add_run().add_picture(io.BytesIO(uploads.png_bytes()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_file_becomes_clean_html_with_headings_lists_and_tables():
    html = word.body_from_docx(_upload(_person_made_docx())).html
    assert html.startswith("<p><strong>Mục tiêu chung</strong></p>")
    assert "<p>Nâng cao <strong>chất lượng</strong> và <em>hiệu quả</em></p>" in html
    assert "<ol><li>Bước một</li><li>Bước hai</li></ol>" in html
    assert "<table><tbody><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></tbody></table>" in html
    assert "<img" not in html and "data:" not in html


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (uploads.PDF, "Chỉ nhận tệp Word dạng .docx"),
        (uploads.xlsx_bytes(), "Chỉ nhận tệp Word dạng .docx"),
        (uploads.docx_bytes(), "Không đọc được nội dung tệp Word «du-thao.docx»"),
    ],
    ids=["pdf", "xlsx", "broken-docx"],
)
def test_a_file_that_is_no_readable_docx_is_refused_in_vietnamese(data, expected):
    with pytest.raises(DomainError) as refused:
        word.body_from_docx(_upload(data))
    assert expected in refused.value.message


# --- the draft form ---------------------------------------------------------------------------


def test_the_draft_form_fills_the_editor_from_a_docx_and_saves_nothing(client, specialist, notice_type):
    client.force_login(specialist)
    response = client.post(
        reverse("directives:create"),
        _form_data(notice_type, subject="", load_docx="1", body_docx=_upload(_person_made_docx())),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert not Document.objects.exists()
    assert "&lt;ol&gt;&lt;li&gt;Bước một&lt;/li&gt;" in page  # in the textarea the editor reads
    assert "Đã lấy nội dung từ tệp Word" in page
    assert "Hãy nhập trích yếu của văn bản." not in page  # not saved yet: no other errors


def test_loading_a_docx_into_an_edited_draft_keeps_its_revisions_until_saved(
    client, specialist, notice_type, make_draft
):
    document = make_draft()
    client.force_login(specialist)
    url = reverse("directives:edit", args=[document.pk])
    client.post(url, _form_data(notice_type, load_docx="1", body_docx=_upload(_person_made_docx())))
    document.refresh_from_db()
    assert document.body == "<p>Các phòng triển khai.</p>" and document.revisions.count() == 1
    html = word.body_from_docx(_upload(_person_made_docx())).html
    client.post(url, _form_data(notice_type, body=html))
    document.refresh_from_db()
    assert "<ol><li>Bước một</li>" in document.body and document.revisions.count() == 2


def test_the_draft_form_refuses_a_pdf_as_word_in_vietnamese(client, specialist, notice_type):
    client.force_login(specialist)
    response = client.post(
        reverse("directives:create"), _form_data(notice_type, load_docx="1", body_docx=uploads.pdf("a.pdf"))
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp Word dạng .docx" in response.content.decode()
    assert not Document.objects.exists()


# --- downloads and the API --------------------------------------------------------------------


def test_a_draft_downloads_as_docx_from_the_document_page(client, specialist, make_draft):
    document = make_draft()
    client.force_login(specialist)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert "Tải bản Word (.docx)" in page and reverse("directives:docx", args=[document.pk]) in page
    response = client.get(reverse("directives:docx", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == word.CONTENT_TYPE
    assert (
        "attachment" in response["Content-Disposition"]
        and f"du-thao-{document.pk}.docx" in response["Content-Disposition"]
    )
    doc = _open(response.content)
    assert "DỰ THẢO" in doc.paragraphs[0].text
    assert "TRIỂN KHAI NHIỆM VỤ KHOA HỌC NĂM 2027" not in [p.text for p in doc.paragraphs]
    assert "Triển khai nhiệm vụ khoa học năm 2027" in [p.text for p in doc.paragraphs]


def test_an_issued_document_downloads_with_its_number(client, specialist, make_approved, clerk):
    document = make_approved()
    services.document_issue(document=document, by=clerk)
    document.refresh_from_db()
    client.force_login(specialist)
    response = client.get(reverse("directives:docx", args=[document.pk]))
    assert "01_TB-SKHCN.docx" in response["Content-Disposition"]
    doc = _open(response.content)
    assert _cell_texts(doc.tables[0].rows[1].cells[0]) == ["Số: 01/TB-SKHCN"]
    assert "DỰ THẢO" not in "\n".join(p.text for p in doc.paragraphs)


def test_an_outsider_gets_404_for_the_docx_by_page_and_api(client, make_draft, outsider):
    document = make_draft()
    client.force_login(outsider)
    api = APIClient()
    api.force_authenticate(outsider)
    assert client.get(reverse("directives:docx", args=[document.pk])).status_code == 404
    assert api.get(f"/api/v1/directives/{document.pk}/docx").status_code == 404
    response = api.post(
        f"/api/v1/directives/{document.pk}/body-from-docx", {"file": _upload(_person_made_docx())}, format="multipart"
    )
    assert response.status_code == 404


def test_a_confidential_docx_download_is_audited(client, specialist, make_draft):
    document = make_draft(confidentiality="mat")
    client.force_login(specialist)
    before = AuditRecord.objects.count()
    assert client.get(reverse("directives:docx", args=[document.pk])).status_code == 200
    assert AuditRecord.objects.count() == before + 1


def test_the_api_fills_the_body_from_a_docx_as_a_new_revision(specialist, make_draft):
    document = make_draft()
    api = APIClient()
    api.force_authenticate(specialist)
    assert api.get(f"/api/v1/directives/{document.pk}/docx")["Content-Type"] == word.CONTENT_TYPE
    url = f"/api/v1/directives/{document.pk}/body-from-docx"
    refused = api.post(url, {"file": uploads.pdf("a.pdf")}, format="multipart")
    assert refused.status_code == 400 and "Chỉ nhận tệp Word dạng .docx" in str(refused.json())
    document.refresh_from_db()
    assert document.revisions.count() == 1
    response = api.post(url, {"file": _upload(_person_made_docx())}, format="multipart")
    assert response.status_code == 200
    document.refresh_from_db()
    assert "<ol><li>Bước một</li><li>Bước hai</li></ol>" in document.body and document.revisions.count() == 2


# --- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install --no-install-recommends libreoffice-writer-nogui",
)
def test_libreoffice_opens_the_docx_and_prints_it_in_the_layout(tmp_path):
    source = tmp_path / "quyet-dinh.docx"
    source.write_bytes(word.render_docx(_document(number=5, symbol="05/QĐ-SKHCN", issued_on="2027-04-16")))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "quyet-dinh.pdf") as printed:
        page = printed.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
        lines = page.extract_text().splitlines()
        words = page.extract_words(extra_attrs=["fontname", "size"])
    assert "UBND TỈNH BÀ RỊA - VŨNG TÀU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ Độc lập - Tự do - Hạnh phúc" in lines
    assert "Số: 05/QĐ-SKHCN Bà Rịa - Vũng Tàu, ngày 16 tháng 4 năm 2027" in lines
    assert "QUYẾT ĐỊNH:" in lines and "Nơi nhận: KT. GIÁM ĐỐC" in lines

    def font_of(text):
        return next(w for w in words if w["text"] == text)

    assert "Italic" in font_of("Căn")["fontname"]
    assert "Bold" in font_of("Điều")["fontname"]
    assert "Bold" in font_of("ĐỊNH:")["fontname"]
    assert round(font_of("Căn")["size"]) == 14 and round(font_of("Nơi")["size"]) == 12
    # The body's left edge: 30 mm from the paper's, plus the 12.7 mm first-line indent.
    assert font_of("Căn")["x0"] == pytest.approx((30 + 12.7) * 72 / 25.4, abs=1.5)


def test_saving_with_a_docx_chosen_loads_it_for_review_instead(client, specialist, notice_type):
    client.force_login(specialist)
    data = _form_data(notice_type, body_docx=_upload(_person_made_docx()))
    response = client.post(reverse("directives:create"), data)
    assert response.status_code == 200 and not Document.objects.exists()
    assert "Đã lấy nội dung từ tệp Word" in response.content.decode()


def test_control_characters_in_typed_or_pasted_text_do_not_break_the_download():
    document = _document(
        subject="Về việc\x01 kiểm tra", body=["<p>Điều 1. Nội\x0b dung.</p><p>Chữ <b>đậm\x02</b>\x1f</p>"]
    )
    doc = _open(word.render_docx(document))
    texts = [p.text for p in doc.paragraphs]
    assert "Về việc kiểm tra" in texts and "Điều 1. Nội dung." in texts and "Chữ đậm" in texts
