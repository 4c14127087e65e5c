"""The text of a received file (intake/extract.py): plain text, PDF text layers, Word files,
old encodings; scans and images are left to OCR; anything else is refused in Vietnamese."""

import codecs
import io
import shutil
import subprocess
import unicodedata
import zipfile

import pytest

from intake import extract
from intake.extract import Unreadable, kind_of, text_of
from tests import uploads
from tests.intake import made_files
from tests.intake.test_extract_legacy import MOTTO, MOTTO_VNI, TITLE_VNI

pytestmark = pytest.mark.django_db  # the PDFs are printed with the project's static fonts


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_plain_utf8_text_comes_out_nfc():
    decomposed = unicodedata.normalize("NFD", MOTTO)
    extracted = text_of(decomposed.encode("utf-8"), name="cong-van.txt")
    assert extracted.method == "plain"
    assert extracted.text == MOTTO
    assert not extracted.needs_ocr


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_plain_text_with_a_byte_order_mark(encoding):
    data = MOTTO.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert text_of(data, name="a.txt").text == MOTTO


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: precomposed where the code page has the
    letter, else the base letter and a combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            rest = unicodedata.normalize("NFC", base + "".join(m for m in marks if m != tone))
            out += rest.encode("cp1258") + tone.encode("cp1258")
    return out


def test_plain_text_in_windows_1258_is_read():
    extracted = text_of(_cp1258(MOTTO), name="cu.txt")
    assert extracted.text == MOTTO


def test_plain_text_in_vni_is_converted():
    extracted = text_of(MOTTO_VNI.encode("latin-1"), name="vni.txt")
    assert extracted.method == "legacy"
    assert extracted.text == MOTTO


def test_pdf_text_layer_is_nfc_and_keeps_the_header_columns_in_order():
    data = made_files.text_pdf(decomposed=True)  # WeasyPrint keeps the marks decomposed in the layer
    extracted = text_of(data, name="thong-bao.pdf")
    assert extracted.method == "pdf"
    assert unicodedata.is_normalized("NFC", extracted.text)
    lines = _lines(extracted.text)
    header = made_files.HEADER_LEFT + made_files.HEADER_RIGHT + made_files.TITLE
    assert lines[: len(header)] == header  # left column, then right column, then the title
    assert "Phòng Quản lý khoa học chủ trì" in extracted.text


def test_the_portals_own_official_pdf_reads_back():
    from directives import pdf
    from tests.directives import samples

    extracted = text_of(pdf.render_pdf(samples.THONG_BAO, draft=False), name="tb.pdf")
    lines = _lines(extracted.text)
    assert lines[:4] == [
        "UBND TỈNH BÀ RỊA - VŨNG TÀU",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert "336/TB-SKHCN" in extracted.text


def test_a_pdf_without_a_text_layer_needs_ocr():
    scan = made_files.scan_pdf(made_files.text_pdf(), dpi=100, pages=1)
    extracted = text_of(scan, name="scan.pdf")
    assert extracted.needs_ocr
    assert extracted.text == ""


def test_a_pdf_with_only_a_page_number_as_text_needs_ocr():
    from directives import pdf

    data = pdf.html_to_pdf("<html><body><p>Trang 1</p></body></html>")
    assert text_of(data, name="gan-trong.pdf").needs_ocr


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "TIFF"])
def test_images_need_ocr_whatever_their_name(kind):
    data = made_files.image_bytes(made_files.text_pdf(), kind=kind, dpi=72)
    assert kind_of(data) == "image"
    extracted = text_of(data, name="anh.txt")
    assert extracted.needs_ocr
    assert extracted.method == "ocr"


def test_docx_reads_the_header_table_cell_by_cell_then_the_paragraphs():
    extracted = text_of(made_files.docx_bytes(), name="cong-van.docx")
    assert extracted.method == "docx"
    header = made_files.HEADER_LEFT + made_files.HEADER_RIGHT + made_files.TITLE + made_files.BODY
    assert _lines(extracted.text) == header


def test_docx_merged_cells_are_read_once():
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(1, 1).text = "Hà Nội, ngày 01 tháng 02 năm 2026"
    out = io.BytesIO()
    document.save(out)
    lines = _lines(text_of(out.getvalue(), name="a.docx").text)
    assert lines == [
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Nội, ngày 01 tháng 02 năm 2026"
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_doc_is_read_through_libreoffice(tmp_path):
    source = tmp_path / "cong-van.docx"
    source.write_bytes(made_files.docx_bytes())
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = (tmp_path / "cong-van.doc").read_bytes()
    assert kind_of(data) == "doc"
    extracted = text_of(data, name="cong-van.doc")
    assert extracted.method == "doc"
    lines = _lines(extracted.text)
    assert lines[: len(made_files.HEADER_LEFT)] == made_files.HEADER_LEFT
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert made_files.BODY[1] in lines


def test_doc_without_libreoffice_is_refused_in_vietnamese(monkeypatch):
    monkeypatch.setattr(extract.shutil, "which", lambda name: None)
    with pytest.raises(Unreadable) as refused:
        extract._doc_to_docx(b"\xd0\xcf\x11\xe0", name="cu.doc")
    assert refused.value.message.startswith("Không đọc được tệp Word cũ «cu.doc» (.doc): máy chủ chưa cài LibreOffice.")


def test_tcvn3_pdf_is_converted_with_capitals_from_the_upper_case_font():
    data = made_files.legacy_pdf([
        (".VnTimeH", "céng hoµ x· héi chñ nghÜa viÖt nam"),
        (".VnTime", "§éc lËp - Tù do - H¹nh phóc"),
        (".VnTime", "Thùc hiÖn C«ng v¨n sè 2593/UBND-YT ngµy 31/3/2020 cña Uû ban nh©n d©n tØnh"),
    ])  # fmt: skip
    extracted = text_of(data, name="abc.pdf")
    assert extracted.method == "legacy"
    assert _lines(extracted.text) == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thực hiện Công văn số 2593/UBND-YT ngày 31/3/2020 của Uỷ ban nhân dân tỉnh",
    ]


def test_vni_pdf_is_converted():
    data = made_files.text_pdf(
        left=["UÛY BAN NHAÂN DAÂN TÆNH"], right=["COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM"],
        title=["COÂNG VAÊN"], body=["Thöïc hieän Coâng vaên soá 2593/UBND-YT cuûa UÛy ban nhaân daân tænh."],
    )  # fmt: skip
    extracted = text_of(data, name="vni.pdf")
    assert extracted.method == "legacy"
    # The VNI spellings are wider than the letters: the right cell wraps, which changes nothing.
    assert " ".join(_lines(extracted.text)) == (
        "ỦY BAN NHÂN DÂN TỈNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM CÔNG VĂN "
        "Thực hiện Công văn số 2593/UBND-YT của Ủy ban nhân dân tỉnh."
    )


def test_a_legacy_layer_that_leaves_too_much_unmapped_goes_to_ocr():
    # 0xC0–0xC2 are no TCVN3 letter: three of them among about a hundred letters.
    garbled = "céng hoµ x· héi chñ nghÜa \xc0 §éc lËp - Tù do - H¹nh phóc \xc1 Thùc hiÖn C«ng v¨n sè 2593 \xc2"
    data = made_files.legacy_pdf([(".VnTime", garbled), (".VnTime", "ngµy 31/3/2020 cña Uû ban nh©n d©n tØnh")])
    extracted = text_of(data, name="hong.pdf")
    assert extracted.needs_ocr


def test_real_unicode_pdf_is_never_converted():
    extracted = text_of(made_files.text_pdf(body=[MOTTO + " Café, résumé, à la carte."] * 3), name="a.pdf")
    assert extracted.method == "pdf"
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc." in extracted.text
    assert "Café, résumé, à la carte." in extracted.text


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.html", b"<!DOCTYPE html><html><body><p>Xin ch\xc3\xa0o</p></body></html>"),
        ("bang.xlsx", uploads.xlsx_bytes()),
        ("nen.zip", _zip({"a.txt": b"abc"})),
        ("chay.exe", uploads.EXE),
        ("rac.bin", bytes(range(256)) * 8),
    ],
)
def test_other_kinds_are_refused_in_vietnamese(name, data):
    with pytest.raises(Unreadable) as refused:
        text_of(data, name=name)
    assert refused.value.message == (
        f"Không đọc được tệp «{name}»: chỉ đọc được văn bản thuần (.txt), PDF, Word (.docx, .doc) "
        "và ảnh quét (PNG, JPEG, TIFF)."
    )


def test_a_broken_pdf_is_refused_in_vietnamese():
    with pytest.raises(Unreadable, match="Tệp PDF «hong.pdf» bị hỏng"):
        text_of(b"%PDF-1.4\n" + b"\0" * 200, name="hong.pdf")


def test_docx_typed_in_tcvn3_fonts_is_converted_with_capitals_from_the_upper_case_font():
    import docx

    document = docx.Document()
    title = document.add_paragraph().add_run("céng hoµ x· héi chñ nghÜa viÖt nam")
    title.font.name = ".VnTimeH"
    body = document.add_paragraph().add_run("Thùc hiÖn C«ng v¨n sè 2593/UBND-YT cña Uû ban nh©n d©n tØnh")
    body.font.name = ".VnTime"
    out = io.BytesIO()
    document.save(out)
    extracted = text_of(out.getvalue(), name="abc.docx")
    assert extracted.method == "legacy"
    assert _lines(extracted.text) == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Thực hiện Công văn số 2593/UBND-YT của Uỷ ban nhân dân tỉnh",
    ]


def test_docx_in_vni_is_converted():
    data = made_files.docx_bytes(left=["UÛY BAN NHAÂN DAÂN TÆNH"], right=[TITLE_VNI], title=[], body=[MOTTO_VNI])
    extracted = text_of(data, name="v.docx")
    assert extracted.method == "legacy"
    assert _lines(extracted.text) == ["ỦY BAN NHÂN DÂN TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO]


def test_utf8_text_holding_legacy_mojibake_is_converted():
    # Copied from an old PDF into a modern editor: the mojibake itself is saved as UTF-8.
    extracted = text_of(MOTTO_VNI.encode("utf-8"), name="chep.txt")
    assert (extracted.method, extracted.text) == ("legacy", MOTTO)
    assert extract.text_read(MOTTO).method == "text"
