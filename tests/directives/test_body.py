"""The body's structure recognised from the clerk's text (directives/body.py): which lines are
legal bases, enacting lines, articles, sections, parts; in typed text and in pasted rich text."""

import pytest

from directives import body
from directives.body import ARTICLE, BASIS, ENACTING, PARAGRAPH, PART, RICH, SECTION, Block


def kinds(blocks: list[Block]) -> list[tuple[str, str, str]]:
    return [(block.kind, block.heading, block.text) for block in blocks]


def test_a_quyet_dinh_has_bases_an_enacting_line_and_articles():
    text = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "Căn cứ Quyết định số 2593/QĐ-UBND ngày 12 tháng 9 năm 2016 của Ủy ban nhân dân tỉnh;\n"
        "Theo đề nghị của Chánh Văn phòng Sở.\n"
        "QUYẾT ĐỊNH:\n"
        "Điều 1. Thành lập Tổ Chuyển đổi số.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./."
    )
    assert kinds(body.parse_body([text], rich=False)) == [
        (BASIS, "", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
        (BASIS, "", "Căn cứ Quyết định số 2593/QĐ-UBND ngày 12 tháng 9 năm 2016 của Ủy ban nhân dân tỉnh;"),
        (BASIS, "", "Theo đề nghị của Chánh Văn phòng Sở."),
        (ENACTING, "", "QUYẾT ĐỊNH:"),
        (ARTICLE, "Điều 1.", "Thành lập Tổ Chuyển đổi số."),
        (ARTICLE, "Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký./."),
    ]


@pytest.mark.parametrize("line", ["Quyết định:", "QUYẾT ĐỊNH :", "quyết định", "QUYẾT NGHỊ:"])
def test_the_enacting_line_is_printed_upper_case_with_its_colon(line):
    (block,) = body.parse_body([line], rich=False)
    assert block.kind == ENACTING
    assert block.text == line.upper().replace(" :", ":").rstrip(":") + ":"


def test_an_article_title_is_part_of_the_bold_heading_but_article_text_is_not():
    blocks = body.parse_body(
        [
            "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
            "Điều 2. Phê duyệt Kế hoạch như sau:",
            "Điều 12a. Sửa đổi",
        ],
        rich=False,
    )
    assert kinds(blocks) == [
        (ARTICLE, "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng", ""),
        (ARTICLE, "Điều 2.", "Phê duyệt Kế hoạch như sau:"),
        (ARTICLE, "Điều 12a. Sửa đổi", ""),
    ]


def test_roman_sections_are_upper_cased_and_numbered_points_stay_paragraphs():
    blocks = body.parse_body(
        ["I. Mục đích, yêu cầu", "1. Mục đích: nâng cao hiệu quả.", "a) Điểm a;", "- Gạch đầu dòng;", "IV. NHIỆM VỤ"],
        rich=False,
    )
    assert kinds(blocks) == [
        (SECTION, "", "I. MỤC ĐÍCH, YÊU CẦU"),
        (PARAGRAPH, "", "1. Mục đích: nâng cao hiệu quả."),
        (PARAGRAPH, "", "a) Điểm a;"),
        (PARAGRAPH, "", "- Gạch đầu dòng;"),
        (SECTION, "", "IV. NHIỆM VỤ"),
    ]


@pytest.mark.parametrize("line", ["C. Đề xuất", "D. Kiến nghị", "M. Khác", "Vì vậy, đề nghị"])
def test_list_letters_that_look_roman_are_no_sections(line):
    assert body.parse_body([line], rich=False)[0].kind == PARAGRAPH


def test_parts_chapters_and_sub_sections_take_their_title_on_the_same_or_the_next_line():
    blocks = body.parse_body(
        ["Phần thứ nhất", "TÌNH HÌNH THỰC HIỆN", "Chương I. Quy định chung", "Chương II", "Mục 1 - Trách nhiệm"],
        rich=False,
    )
    assert kinds(blocks) == [
        (PART, "Phần thứ nhất", "TÌNH HÌNH THỰC HIỆN"),
        (PART, "Chương I", "QUY ĐỊNH CHUNG"),
        (PART, "Chương II", ""),
        (PART, "Mục 1", "TRÁCH NHIỆM"),
    ]


@pytest.mark.parametrize(
    "line",
    ["Mục đích: nâng cao hiệu quả.", "Mục 2 Điều 5 của Luật được sửa đổi.", "Phần việc còn lại giao Văn phòng."],
)
def test_words_that_only_begin_like_a_heading_stay_paragraphs(line):
    assert body.parse_body([line], rich=False)[0].kind == PARAGRAPH


def test_legal_bases_stand_only_at_the_top():
    blocks = body.parse_body(
        ["Căn cứ Luật A;", "Sở ban hành Kế hoạch như sau:", "Căn cứ kết quả rà soát, ..."], rich=False
    )
    assert [block.kind for block in blocks] == [BASIS, PARAGRAPH, PARAGRAPH]


def test_a_cong_van_opening_with_can_cu_is_a_sentence_not_a_legal_basis():
    blocks = body.parse_body(
        ["Căn cứ Công văn số 123 của UBND tỉnh, Sở đề nghị các đơn vị rà soát."], rich=False, legal_bases=False
    )
    assert blocks[0].kind == PARAGRAPH


def test_empty_lines_are_dropped_and_white_space_is_normalised():
    blocks = body.parse_body(["  Căn cứ\u00a0Luật   A;  \n\n\n", "", "Điều  1 .  Nội dung."], rich=False)
    assert kinds(blocks) == [(BASIS, "", "Căn cứ Luật A;"), (ARTICLE, "Điều 1.", "Nội dung.")]


def test_plain_text_is_kept_as_text_for_the_template_to_escape():
    (block,) = body.parse_body(["<script>alert(1)</script> & <b>x</b>"], rich=False)
    assert block.kind == PARAGRAPH
    assert block.text == "<script>alert(1)</script> & <b>x</b>"
    assert block.html == ""


# --- Rich text (the editor's sanitised HTML, often pasted from Word) --------------------------------


def test_rich_text_paragraphs_and_line_breaks_are_recognised_like_typed_lines():
    html = (
        '<p class="MsoNormal" style="margin:0"><em>Căn cứ Luật A;</em><br>Theo đề nghị của Chánh Văn phòng.</p>'
        "<p><strong>QUYẾT ĐỊNH:</strong></p>"
        "<p><strong>Điều 1.</strong> Thành lập Tổ &lt;công tác&gt; &amp; giao nhiệm vụ.</p>"
        "<p>&nbsp;</p>"
        "<p>I. mục đích</p>"
    )
    assert kinds(body.parse_body([html], rich=True)) == [
        (BASIS, "", "Căn cứ Luật A;"),
        (BASIS, "", "Theo đề nghị của Chánh Văn phòng."),
        (ENACTING, "", "QUYẾT ĐỊNH:"),
        (ARTICLE, "Điều 1.", "Thành lập Tổ <công tác> & giao nhiệm vụ."),
        (SECTION, "", "I. MỤC ĐÍCH"),
    ]


def test_rich_paragraphs_keep_their_inline_formatting_escaped_and_lists_and_tables_stay_whole():
    html = (
        "<p>1. Đoạn <strong>đậm</strong> &amp; <em>nghiêng</em> &lt;script&gt;</p>"
        '<ul><li onclick="x()">Mục một</li></ul>'
        '<table><tr><td colspan="2" style="x">Ô &amp; bảng</td></tr></table>'
        "Chữ rời <b>đậm</b>"
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    blocks = body.parse_body([html], rich=True)
    assert [(block.kind, str(block.html)) for block in blocks] == [
        (PARAGRAPH, "1. Đoạn <strong>đậm</strong> &amp; <em>nghiêng</em> &lt;script&gt;"),
        (RICH, "<ul><li>Mục một</li></ul>"),
        (RICH, '<table><tbody><tr><td colspan="2">Ô &amp; bảng</td></tr></tbody></table>'),
        (PARAGRAPH, "Chữ rời <b>đậm</b>"),
    ]
    assert blocks[0].text == "1. Đoạn đậm & nghiêng <script>"


def test_plain_text_stored_as_rich_text_becomes_one_line_per_paragraph():
    # lib.html.sanitize_body turns tagless text into one <p> per line, as the editor stores it.
    blocks = body.parse_body(["Căn cứ Luật A;\nQUYẾT ĐỊNH:\nĐiều 1. Nội dung."], rich=True)
    assert [block.kind for block in blocks] == [BASIS, ENACTING, ARTICLE]
