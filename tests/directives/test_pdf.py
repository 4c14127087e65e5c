"""The official PDF, checked in the PDF itself: page, margins, font, sizes and styles of each
element as Decree 30/2020 Appendix I prescribes, and what user text can and cannot do."""

import datetime
import io
import json
import socket
import unicodedata

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from pdfminer.pdftypes import resolve1

from directives import pdf
from tests.directives import samples

MM = 72 / 25.4  # PDF points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, (210 - 15) * MM, 20 * MM, (297 - 20) * MM
TOLERANCE = 1.0  # pt (0.35 mm): a justified line's last advance may end a hair past the box


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def render(document: dict, **kwargs) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(pdf.render_pdf(document, **kwargs)))


def find(page, text: str) -> list[dict]:
    """Return the characters of the first occurrence of ``text`` on ``page``."""
    matches = page.search(text, regex=False, return_chars=True)
    assert matches, f"{text!r} not found on page {page.page_number}: {nfc(page.extract_text())!r}"
    return [char for char in matches[0]["chars"] if char["text"].strip()]


def style(chars: list[dict]) -> set[tuple[float, bool, bool]]:
    """The set of (size rounded, bold, italic) the characters are printed in."""
    return {(round(char["size"]), "Bold" in char["fontname"], "Italic" in char["fontname"]) for char in chars}


def centre_x(chars: list[dict]) -> float:
    return (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2


@pytest.fixture(scope="module")
def cong_van():
    with render(samples.CONG_VAN_KHAN_DRAFT) as document:
        yield document


@pytest.fixture(scope="module")
def thong_bao():
    with render(samples.THONG_BAO) as document:
        yield document


@pytest.fixture(scope="module")
def ke_hoach():
    with render(samples.KE_HOACH) as document:
        yield document


@pytest.fixture(scope="module")
def quyet_dinh():
    with render(samples.QUYET_DINH) as document:
        yield document


@pytest.fixture(scope="module")
def long_document():
    with render(samples.long_document()) as document:
        yield document


KINDS = ["cong_van", "thong_bao", "ke_hoach", "quyet_dinh", "long_document"]


# --- Page, margins, font ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_a4_portrait(kind, request):
    document = request.getfixturevalue(kind)
    for page in document.pages:
        assert page.width == pytest.approx(595.28, abs=1)
        assert page.height == pytest.approx(841.89, abs=1)


@pytest.mark.parametrize("kind", KINDS)
def test_text_stays_inside_the_margins(kind, request):
    """Left 30 mm, right 15 mm, bottom 20 mm; only the page number sits in the top margin."""
    document = request.getfixturevalue(kind)
    for page in document.pages:
        chars = [c for c in page.chars if c["text"].strip()]
        body = [c for c in chars if c["top"] >= TOP - TOLERANCE]
        assert min(c["x0"] for c in chars) >= LEFT - TOLERANCE
        assert max(c["x1"] for c in chars) <= RIGHT + TOLERANCE
        assert max(c["bottom"] for c in chars) <= BOTTOM + TOLERANCE
        in_top_margin = {c["text"] for c in chars if c not in body}
        assert in_top_margin <= set("0123456789")


@pytest.mark.parametrize("kind", KINDS)
def test_every_glyph_is_the_bundled_liberation_serif(kind, request):
    """The CSS family name exists only in the bundled files: a fallback font would show here."""
    document = request.getfixturevalue(kind)
    fonts = {c["fontname"].split("+", 1)[-1] for page in document.pages for c in page.chars}
    assert fonts
    assert all(font.startswith("LiberationSerif-Bundled") for font in fonts), fonts


def test_long_documents_paginate_with_the_header_on_page_one_only(long_document):
    pages = long_document.pages
    assert len(pages) == 3
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in nfc(pages[0].extract_text())
    for page in pages[1:]:
        text = nfc(page.extract_text())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
        assert "Số:" not in text
    assert "Trần Thị Hồng Vân" in nfc(pages[-1].extract_text())


def test_page_numbers_are_centred_in_the_top_margin_from_page_two(long_document):
    first, *others = long_document.pages
    assert not [c for c in first.chars if c["top"] < TOP]
    for number, page in enumerate(others, start=2):
        in_margin = [c for c in page.chars if c["bottom"] <= TOP]
        assert "".join(c["text"] for c in in_margin) == str(number)
        assert style(in_margin) == {(13, False, False)}
        assert centre_x(in_margin) == pytest.approx((LEFT + RIGHT) / 2, abs=2 * MM)


# --- The header ------------------------------------------------------------------------------


def test_header_elements_have_the_decree_sizes_and_styles(thong_bao):
    page = thong_bao.pages[0]
    assert style(find(page, "UBND TỈNH BÀ RỊA - VŨNG TÀU")) == {(13, False, False)}
    assert style(find(page, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")) == {(13, True, False)}
    assert style(find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) == {(12, True, False)}
    assert style(find(page, "Độc lập - Tự do - Hạnh phúc")) == {(14, True, False)}
    assert style(find(page, "Số: 336/TB-SKHCN")) == {(13, False, False)}
    assert style(find(page, "Bà Rịa - Vũng Tàu, ngày 05 tháng 01 năm 2021")) == {(14, False, True)}


def test_header_puts_the_issuer_left_and_the_national_title_right(thong_bao):
    page = thong_bao.pages[0]
    issuer, title = find(page, "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    number, dateline = find(page, "Số: 336/TB-SKHCN"), find(page, "Bà Rịa - Vũng Tàu, ngày 05")
    assert max(c["x1"] for c in issuer) < min(c["x0"] for c in title)
    assert centre_x(number) == pytest.approx(centre_x(issuer), abs=1 * MM)
    assert number[0]["top"] > issuer[0]["bottom"]
    assert dateline[0]["top"] > find(page, "Độc lập")[0]["bottom"]


def test_motto_has_a_rule_exactly_as_long_as_the_motto(thong_bao):
    page = thong_bao.pages[0]
    motto = find(page, "Độc lập - Tự do - Hạnh phúc")
    left, right, bottom = min(c["x0"] for c in motto), max(c["x1"] for c in motto), motto[0]["bottom"]
    rules = [r for r in page.edges if r["orientation"] == "h" and 0 < r["top"] - bottom < 4]
    assert any(r["x0"] == pytest.approx(left, abs=1) and r["x1"] == pytest.approx(right, abs=1) for r in rules)


def test_issuer_has_a_centred_rule_a_third_to_half_its_width(thong_bao):
    page = thong_bao.pages[0]
    issuer = find(page, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    width = max(c["x1"] for c in issuer) - min(c["x0"] for c in issuer)
    bottom = issuer[0]["bottom"]
    rules = [r for r in page.edges if r["orientation"] == "h" and 0 < r["top"] - bottom < 5]
    assert rules
    rule = rules[0]
    assert width / 3 <= rule["x1"] - rule["x0"] <= width / 2
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx(centre_x(issuer), abs=1)


def test_typed_document_prints_its_type_name_and_subject_centred_and_bold(thong_bao):
    page = thong_bao.pages[0]
    type_name = find(page, "THÔNG BÁO")
    subject = find(page, "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 12 năm 2020")
    assert style(type_name) == {(14, True, False)}
    assert style(subject) == {(14, True, False)}
    assert centre_x(type_name) == pytest.approx((LEFT + RIGHT) / 2, abs=1 * MM)
    assert type_name[0]["top"] > find(page, "Số: 336")[0]["bottom"]
    assert "V/v" not in nfc(page.extract_text())


def test_quyet_dinh_keeps_its_leading_zero_number(quyet_dinh):
    page = quyet_dinh.pages[0]
    assert find(page, "Số: 05/QĐ-SKHCN")
    assert style(find(page, "QUYẾT ĐỊNH")) == {(14, True, False)}
    assert find(page, "Bà Rịa - Vũng Tàu, ngày 09 tháng 3 năm 2021")


def test_cong_van_prints_its_subject_under_the_number_and_the_addressees(cong_van):
    page = cong_van.pages[0]
    text = nfc(page.extract_text())
    assert "V/v Phương án tổ chức làm việc" in text
    vv = find(page, "V/v Phương án")
    assert style(vv) == {(13, False, False)}
    assert vv[0]["top"] > find(page, "Số:")[0]["bottom"]
    assert style(find(page, "Kính gửi:")) == {(14, False, False)}
    assert "- Các phòng, đơn vị thuộc Sở;" in text
    assert "- Ban chấp hành Công đoàn cơ sở." in text
    assert "CÔNG VĂN" not in text


def test_urgency_mark_is_bold_and_boxed_under_the_number(cong_van):
    page = cong_van.pages[0]
    mark = find(page, "KHẨN")
    assert style(mark) == {(14, True, False)}
    assert mark[0]["top"] > find(page, "Số:")[0]["bottom"]
    x0, x1 = min(c["x0"] for c in mark), max(c["x1"] for c in mark)
    top, bottom = mark[0]["top"], mark[0]["bottom"]
    boxes = [r for r in page.rects if r["x0"] < x0 and r["x1"] > x1 and r["top"] < top and r["bottom"] > bottom]
    assert boxes and boxes[0]["height"] < 2 * (bottom - top), "a single-line box"


def test_confidentiality_mark_is_bold_under_the_number():
    document = samples.document(samples.THONG_BAO, confidentiality="Mật")
    with render(document) as rendered:
        page = rendered.pages[0]
        mark = find(page, "MẬT")
        assert all(size >= 13 and bold for size, bold, _italic in style(mark))
        assert mark[0]["top"] > find(page, "Số: 336/TB-SKHCN")[0]["bottom"]


# --- Drafts ----------------------------------------------------------------------------------


def test_draft_prints_a_boxed_mark_top_right_and_no_number(cong_van):
    page = cong_van.pages[0]
    mark = find(page, "DỰ THẢO")
    assert style(mark) == {(14, True, False)}
    assert mark[0]["bottom"] < find(page, "CỘNG HÒA")[0]["top"]
    assert max(c["x1"] for c in mark) > RIGHT - 10 * MM
    x0, x1 = min(c["x0"] for c in mark), max(c["x1"] for c in mark)
    assert [r for r in page.rects if r["x0"] < x0 and r["x1"] > x1 and r["top"] < mark[0]["top"]]
    number_line = next(line["text"] for line in page.extract_text_lines() if line["text"].startswith("Số:"))
    assert nfc(number_line).split()[:2] == ["Số:", "/SKHCN-VP"]


def test_draft_dateline_leaves_day_and_month_blank(cong_van):
    text = nfc(cong_van.pages[0].extract_text())
    assert "Bà Rịa - Vũng Tàu, ngày tháng năm 2021" in " ".join(text.split())
    assert "22" not in text.split("ngày", 1)[1].split("\n", 1)[0]


def test_draft_flag_blanks_a_numbered_document():
    with render(samples.THONG_BAO, draft=True) as rendered:
        text = nfc(rendered.pages[0].extract_text())
    assert "DỰ THẢO" in text
    assert "336" not in text
    assert "/TB-SKHCN" in text


def test_numbered_document_is_no_draft(thong_bao):
    assert "DỰ THẢO" not in nfc(thong_bao.pages[0].extract_text())


# --- Body and signature ----------------------------------------------------------------------


def test_body_is_14pt_justified_with_a_first_line_indent_and_space_between(thong_bao):
    page = thong_bao.pages[0]
    lines = [line for line in page.extract_text_lines() if line["text"].startswith(("Ngày 30", "cuộc họp", "1. Văn"))]
    first, second, next_paragraph = lines
    assert style(first["chars"]) == {(14, False, False)}
    assert first["x0"] == pytest.approx(LEFT + 12.7 * MM, abs=0.5 * MM)
    assert second["x0"] == pytest.approx(LEFT, abs=0.5)
    assert first["x1"] == pytest.approx(RIGHT, abs=1), "justified: full lines reach the right margin"
    leading = second["top"] - first["top"]
    assert 14 * 1.15 <= leading <= 14 * 1.3
    third_line_top = second["top"] + leading
    assert next_paragraph["top"] - third_line_top >= 6 - 0.5


def test_body_text_extracts_back_as_written(cong_van):
    # Below the top margin only, so page numbers do not split paragraphs that run over a page.
    pages = [page.crop((0, TOP, page.width, page.height)).extract_text() for page in cong_van.pages]
    text = " ".join(nfc("\n".join(pages)).split())
    for paragraph in samples.CONG_VAN_BODY:
        assert " ".join(nfc(paragraph).split()) in text


def test_signature_block_with_kt_authority(ke_hoach):
    page = ke_hoach.pages[-1]
    authority, title, name = find(page, "KT. GIÁM ĐỐC"), find(page, "PHÓ GIÁM ĐỐC"), find(page, "Lê Văn Bảy")
    for element in (authority, title, name):
        assert style(element) == {(14, True, False)}
        assert centre_x(element) == pytest.approx(centre_x(authority), abs=1)
    assert centre_x(authority) > (LEFT + RIGHT) / 2
    assert title[0]["top"] > authority[0]["bottom"]
    assert name[0]["top"] - title[0]["bottom"] > 20 * MM, "room for the signature"


def test_recipients_stand_bottom_left_level_with_the_title(ke_hoach):
    page = ke_hoach.pages[-1]
    label = find(page, "Nơi nhận:")
    assert style(label) == {(12, True, True)}
    assert min(c["x0"] for c in label) == pytest.approx(LEFT, abs=1)
    assert label[0]["top"] == pytest.approx(find(page, "KT. GIÁM ĐỐC")[0]["top"], abs=4)
    left_column = page.crop((0, 0, (LEFT + RIGHT) / 2, page.height))
    entries = [
        nfc(line["text"])
        for line in left_column.extract_text_lines()
        if line["top"] > label[0]["bottom"] - 1 and line["x0"] < LEFT + 2 and line["text"].startswith("-")
    ]
    assert entries == [
        "- Sở Thông tin và Truyền thông;",
        "- Giám đốc, các PGĐ Sở;",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, VP.",
    ]
    assert style(find(page, "Sở Thông tin và Truyền thông;")) == {(11, False, False)}


def test_signer_without_authority_prints_the_title_alone(quyet_dinh):
    text = nfc(quyet_dinh.pages[-1].extract_text())
    assert "GIÁM ĐỐC" in text
    assert "KT." not in text
    assert "Nguyễn Công Danh" in text


def test_signature_space_is_a_named_destination_for_the_stamp(thong_bao):
    """The signing step finds where to put the visible stamp: centred between title and name."""
    names = resolve1(resolve1(resolve1(thong_bao.doc.catalog["Names"])["Dests"])["Names"])
    destination = dict(zip(names[::2], names[1::2], strict=True))[pdf.SIGNATURE_ANCHOR.encode()]
    x, y = destination[2], destination[3]
    page = thong_bao.pages[-1]
    title, name = find(page, "CHÁNH VĂN PHÒNG"), find(page, "Trần Thị Hồng Vân")
    assert x == pytest.approx(centre_x(title), abs=1)
    assert title[0]["bottom"] <= page.height - y < name[0]["top"]


# --- Untrusted text --------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a network connection; record the attempts."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network access in a PDF test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def test_plain_text_body_is_printed_as_typed_never_as_markup(no_network):
    document = samples.document(samples.THONG_BAO, body=['<script>alert(1)</script> <b>không đậm</b> & "x"'])
    with render(document) as rendered:
        page = rendered.pages[0]
        assert '<script>alert(1)</script> <b>không đậm</b> & "x"' in nfc(page.extract_text())
        assert style(find(page, "không đậm")) == {(14, False, False)}
    assert no_network == []


def test_rich_text_body_keeps_formatting_and_drops_scripts_images_and_styles(no_network):
    body = [
        '<p style="position:absolute;top:0">Đoạn <strong>đậm</strong> và <em>nghiêng</em>.</p>'
        "<script>alert('xss')</script>"
        '<img src="http://example.com/track.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.com/x.css">'
        "<ul><li>Mục một</li></ul>",
    ]
    document = samples.document(samples.THONG_BAO, body=body, body_format="html")
    html = pdf.render_html(document)
    assert "<script" not in html and "<img" not in html and 'style="position' not in html
    assert "example.com" not in html
    with render(document) as rendered:
        page = rendered.pages[0]
        text = nfc(page.extract_text())
        assert "alert" not in text
        assert "Mục một" in text
        assert style(find(page, "đậm")) == {(14, True, False)}
        assert style(find(page, "nghiêng")) == {(14, False, True)}
    assert no_network == []


def test_url_fetcher_refuses_the_network_and_files_outside_static(no_network, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the PDF")
    html = (
        '<img src="http://example.com/a.png"><img src="https://example.com/b.png">'
        f'<img src="{secret.as_uri()}"><img src="file:///etc/passwd">'
        '<img src="../../../../etc/hostname"><p>Vẫn in được.</p>'
    )
    fetcher = pdf.make_url_fetcher()
    content = pdf.html_to_pdf(html, url_fetcher=fetcher)
    assert set(fetcher.refused) >= {
        "http://example.com/a.png",
        "https://example.com/b.png",
        secret.as_uri(),
        "file:///etc/passwd",
    }
    assert any(url.endswith("/etc/hostname") for url in fetcher.refused)
    assert no_network == []
    with pdfplumber.open(io.BytesIO(content)) as rendered:
        assert "Vẫn in được." in nfc(rendered.pages[0].extract_text())


def test_url_fetcher_loads_the_bundled_fonts_from_static():
    fetcher = pdf.make_url_fetcher()
    response = fetcher.fetch(pdf.font_path("bold").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


# --- Data ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "day", "month"),
    [
        (datetime.date(2021, 1, 5), "05", "01"),
        (datetime.date(2021, 2, 28), "28", "02"),
        (datetime.date(2020, 4, 16), "16", "4"),
        (datetime.date(2021, 12, 9), "09", "12"),
    ],
)
def test_dateline_pads_days_below_ten_and_january_and_february(issued_on, day, month):
    dateline = pdf.format_dateline("Quảng Trị", issued_on, year=issued_on.year)
    assert (dateline["day"], dateline["month"], dateline["year"]) == (day, month, issued_on.year)


def test_missing_required_keys_are_named_in_vietnamese():
    with pytest.raises(pdf.DocumentDataError) as excinfo:
        pdf.render_pdf({"doc_type": "Công văn", "body": []})
    assert excinfo.value.message == "Dữ liệu văn bản thiếu trường bắt buộc: symbol, subject, signer."


def test_wrong_shapes_are_refused():
    with pytest.raises(pdf.DocumentDataError, match="body"):
        pdf.render_pdf(samples.document(samples.THONG_BAO, body="một chuỗi"))


# --- The render_pdf command ------------------------------------------------------------------


def test_command_renders_a_pdf_from_json(tmp_path):
    source, out = tmp_path / "cv.json", tmp_path / "cv.pdf"
    source.write_text(json.dumps(samples.CONG_VAN_KHAN_DRAFT, ensure_ascii=False), encoding="utf-8")
    call_command("render_pdf", "--from-json", str(source), "--out", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF-")


def test_command_refuses_json_without_required_keys_and_writes_nothing(tmp_path):
    source, out = tmp_path / "bad.json", tmp_path / "bad.pdf"
    source.write_text(json.dumps({"doc_type": "Công văn"}), encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu trường bắt buộc: symbol, subject, body, signer"):
        call_command("render_pdf", "--from-json", str(source), "--out", str(out))
    assert not out.exists()


def test_command_refuses_invalid_json(tmp_path):
    source, out = tmp_path / "bad.json", tmp_path / "bad.pdf"
    source.write_text("{không phải json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ"):
        call_command("render_pdf", "--from-json", str(source), "--out", str(out))
    assert not out.exists()


def test_command_by_unknown_document_id_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="Không có văn bản mã 7"):
        call_command("render_pdf", "7", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_system_check_reports_missing_fonts(monkeypatch, tmp_path):
    from directives import checks

    assert checks.check_pdf_fonts(None) == []
    monkeypatch.setattr(pdf, "static_dir", lambda: tmp_path)
    (error,) = checks.check_pdf_fonts(None)
    assert error.id == "directives.E001"
