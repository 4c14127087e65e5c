"""The body structure and the Kính gửi rule of ND30-FORMAT.md ("Body structure"), and the clear
white between the header's columns, checked by reading each rendered PDF back: font faces,
x positions against the text area, what is printed and what is not."""

import io
import unicodedata

import pdfplumber
import pytest

from directives import pdf
from tests.directives import samples

MM = 72 / 25.4
LEFT, RIGHT = 30 * MM, (210 - 15) * MM
CENTRE = (LEFT + RIGHT) / 2
INDENT = LEFT + 12.7 * MM
LEFT_COLUMN_END = LEFT + 70 * MM  # the header's issuing-body column (static/pdf/document.css)
REGULAR = "LiberationSerif-Bundled"
BOLD, ITALIC = REGULAR + "-Bold", REGULAR + "-Italic"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def faces(chars: list[dict]) -> set[str]:
    """The font faces (subset prefix dropped) the characters are printed in."""
    return {char["fontname"].split("+", 1)[-1] for char in chars if char["text"].strip()}


def line(page, start: str) -> dict:
    """The first text line of ``page`` that begins with ``start``."""
    for text_line in page.extract_text_lines():
        if nfc(text_line["text"]).startswith(start):
            return text_line
    raise AssertionError(f"no line starts with {start!r}: {nfc(page.extract_text())!r}")


def chars_of(page, text: str) -> list[dict]:
    matches = page.search(text, regex=False, return_chars=True)
    assert matches, f"{text!r} not found: {nfc(page.extract_text())!r}"
    return [char for char in matches[0]["chars"] if char["text"].strip()]


def centre_x(chars: list[dict]) -> float:
    return (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2


def rendered(document: dict) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(pdf.render_pdf(document)))


def rendered_once(document: dict):
    """A module-scoped fixture rendering ``document`` once for all the module's tests."""

    @pytest.fixture(scope="module")
    def fixture():
        with rendered(document) as result:
            yield result

    return fixture


quyet_dinh = rendered_once(samples.QUYET_DINH)
chi_thi = rendered_once(samples.CHI_THI)
ke_hoach = rendered_once(samples.KE_HOACH)
thong_bao = rendered_once(samples.THONG_BAO)
to_trinh = rendered_once(samples.TO_TRINH)
quy_che = rendered_once(samples.QUY_CHE)
# A công văn opening with "Căn cứ ...": a sentence of the letter, not a legal basis.
cong_van = rendered_once(
    samples.document(
        samples.CONG_VAN_KHAN_DRAFT,
        body=[
            "Căn cứ Kế hoạch số 12/KH-SKHCN ngày 08/02/2021 của Sở, Giám đốc Sở đề nghị các phòng, đơn vị "
            "rà soát nhiệm vụ chuyển đổi số, báo cáo trước ngày 30/7/2021.",
            "Trân trọng./.",
        ],
    )
)

ALL_TYPES = ["quyet_dinh", "chi_thi", "ke_hoach", "thong_bao", "cong_van", "to_trinh", "quy_che"]


# --- Legal bases, enacting line, articles ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["quyet_dinh", "ke_hoach", "to_trinh"])
def test_legal_bases_are_italic_each_on_its_own_indented_line(kind, request):
    page = request.getfixturevalue(kind).pages[0]
    bases = [text_line for text_line in page.extract_text_lines() if nfc(text_line["text"]).startswith("Căn cứ")]
    assert bases
    for basis in bases:
        assert faces(basis["chars"]) == {ITALIC}
        assert basis["x0"] == pytest.approx(INDENT, abs=0.5 * MM)


def test_theo_de_nghi_closes_the_bases_in_italic(quyet_dinh):
    assert faces(line(quyet_dinh.pages[0], "Theo đề nghị của Chánh Văn phòng Sở.")["chars"]) == {ITALIC}


def test_the_enacting_line_stands_alone_centred_bold_upper_case(quyet_dinh):
    page = quyet_dinh.pages[0]
    enacting = line(page, "QUYẾT ĐỊNH:")
    assert nfc(enacting["text"]) == "QUYẾT ĐỊNH:"
    assert faces(enacting["chars"]) == {BOLD}
    assert centre_x(enacting["chars"]) == pytest.approx(CENTRE, abs=1 * MM)
    assert enacting["x0"] > INDENT + 20 * MM, "centred, not indented like a paragraph"
    assert enacting["top"] > line(page, "Theo đề nghị")["bottom"]
    assert enacting["bottom"] < line(page, "Điều 1.")["top"]


def test_articles_have_a_bold_upright_heading_indented_and_upright_text(quyet_dinh):
    page = quyet_dinh.pages[0]
    for number in (1, 2, 3):
        article = line(page, f"Điều {number}.")
        heading = chars_of(page, f"Điều {number}.")
        assert faces(heading) == {BOLD}
        assert article["x0"] == pytest.approx(INDENT, abs=0.5 * MM)
        after = [c for c in article["chars"] if c["x0"] > max(h["x1"] for h in heading) and c["text"].strip()]
        assert after and faces(after) == {REGULAR}


def test_an_article_title_is_bold_with_its_heading(quy_che):
    page = quy_che.pages[0]
    assert faces(line(page, "Điều 1. Phạm vi điều chỉnh")["chars"]) == {BOLD}
    assert faces(line(page, "Quy chế này quy định")["chars"]) == {REGULAR}


# --- Sections, parts, chapters, points ---------------------------------------------------------------


def test_roman_sections_are_bold_upright_upper_case(ke_hoach):
    page = ke_hoach.pages[0]
    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN"):
        section = line(ke_hoach.pages[0] if heading != "III. TỔ CHỨC THỰC HIỆN" else ke_hoach.pages[-1], heading)
        assert nfc(section["text"]) == heading
        assert faces(section["chars"]) == {BOLD}
    assert line(page, "I. MỤC ĐÍCH")["x0"] == pytest.approx(INDENT, abs=0.5 * MM)


@pytest.mark.parametrize(
    ("kind", "start"), [("ke_hoach", "1. Mục đích"), ("thong_bao", "1. Văn phòng"), ("chi_thi", "1. Thủ")]
)
def test_numbered_points_stay_plain_indented_paragraphs(kind, start, request):
    point = line(request.getfixturevalue(kind).pages[0], start)
    assert faces(point["chars"]) == {REGULAR}
    assert point["x0"] == pytest.approx(INDENT, abs=0.5 * MM)


@pytest.mark.parametrize(
    "text",
    ["Chương I", "QUY ĐỊNH CHUNG", "Chương II", "TRÁCH NHIỆM VÀ PHẠM VI GIẢI QUYẾT CÔNG VIỆC", "Mục 1", "GIÁM ĐỐC SỞ"],
)
def test_chapters_and_their_titles_are_centred_bold_upper_case(quy_che, text):
    heading = line(quy_che.pages[0], text)
    assert nfc(heading["text"]) == text
    assert faces(heading["chars"]) == {BOLD}
    assert centre_x(heading["chars"]) == pytest.approx(CENTRE, abs=1 * MM)


def test_body_text_without_structure_stays_plain(thong_bao, chi_thi):
    assert faces(line(thong_bao.pages[0], "Ngày 30 tháng 12")["chars"]) == {REGULAR}
    assert faces(line(chi_thi.pages[0], "Thời gian qua")["chars"]) == {REGULAR}


def test_a_cong_van_opening_with_can_cu_is_an_upright_sentence(cong_van):
    opening = line(cong_van.pages[0], "Căn cứ Kế hoạch")
    assert faces(opening["chars"]) == {REGULAR}


def test_user_text_is_escaped_in_structural_lines():
    document = samples.document(
        samples.QUYET_DINH, body=["QUYẾT ĐỊNH:", "Điều 1. Giao <b>Tổ</b> & <script>x</script>."]
    )
    html = pdf.render_html(document)
    assert "<b>Tổ</b>" not in html and "<script>" not in html
    with rendered(document) as result:
        article = line(result.pages[0], "Điều 1.")
    assert "Giao <b>Tổ</b> & <script>x</script>." in nfc(article["text"])


# --- Kính gửi -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["quyet_dinh", "chi_thi", "ke_hoach", "thong_bao", "quy_che"])
def test_types_without_kinh_gui_print_none_even_with_readers(kind, request):
    document = request.getfixturevalue(kind)
    assert all("Kính gửi" not in nfc(page.extract_text()) for page in document.pages)


@pytest.mark.parametrize(
    ("kind", "addressee"), [("cong_van", "- Các phòng, đơn vị thuộc Sở;"), ("to_trinh", "Ủy ban nhân dân tỉnh")]
)
def test_cong_van_and_to_trinh_print_kinh_gui(kind, addressee, request):
    page = request.getfixturevalue(kind).pages[0]
    label = chars_of(page, "Kính gửi:")
    assert faces(label) == {REGULAR}
    assert addressee in nfc(page.extract_text())


def test_an_addressed_giay_moi_prints_kinh_gui():
    document = samples.document(
        samples.TO_TRINH, doc_type="Giấy mời", type_abbr="GM", symbol="07/GM-SKHCN", body=["Trân trọng kính mời."]
    )
    with rendered(document) as result:
        assert "Kính gửi: Ủy ban nhân dân tỉnh" in nfc(result.pages[0].extract_text())


# --- The header's columns ---------------------------------------------------------------------------


def header_chars(page) -> list[dict]:
    """The characters above the type name (typed documents) or the Kính gửi block (công văn)."""
    lines = page.extract_text_lines()
    dateline = next(i for i, text_line in enumerate(lines) if "năm 20" in text_line["text"])
    after = [
        text_line
        for text_line in lines[dateline + 1 :]
        if text_line["x0"] > LEFT + 40 * MM or "Kính gửi" in text_line["text"]
    ]
    bottom = after[0]["top"] if after else page.height
    return [char for char in page.chars if char["text"].strip() and char["bottom"] <= bottom]


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_header_left_block_keeps_two_mm_of_white_before_the_right_block_on_every_line(kind, request):
    page = request.getfixturevalue(kind).pages[0]
    chars = header_chars(page)
    left = [c for c in chars if (c["x0"] + c["x1"]) / 2 < LEFT_COLUMN_END]
    right = [c for c in chars if (c["x0"] + c["x1"]) / 2 >= LEFT_COLUMN_END]
    gaps = [
        r["x0"] - l_["x1"]
        for l_ in left
        for r in right
        if min(l_["bottom"], r["bottom"]) - max(l_["top"], r["top"]) > 1  # side by side on one line
    ]
    assert gaps
    assert min(gaps) >= 2 * MM, f"{min(gaps) / MM:.2f} mm of white between the header's columns"


def test_a_long_issuer_wraps_inside_its_column(chi_thi):
    page = chi_thi.pages[0]
    text = nfc(page.extract_text())
    assert "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" not in text.replace("\n", " \n")
    issuer = [c for c in header_chars(page) if "Bold" in c["fontname"] and (c["x0"] + c["x1"]) / 2 < LEFT_COLUMN_END]
    assert len({round(c["top"]) for c in issuer}) == 2, "two lines"
    assert max(c["x1"] for c in issuer) <= LEFT_COLUMN_END
