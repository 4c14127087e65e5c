"""Word in and out: a draft's body read from a .docx, and any document written as a .docx.

Word out (``render_docx``) lays a document out as Decree 30/2020 Appendix I prescribes, from the
very context the official PDF is printed from (``directives.pdf.document_context``) and the
body's typed blocks (``directives.body``), so the .docx and the PDF say the same thing: header
table, type name and subject, Kính gửi where the type has one, the body's structure, signature
block, Nơi nhận, Times New Roman, A4 and the PDF's margins.

Word in (``body_from_docx``) reads an uploaded .docx, already passed by ``lib.uploads``, into
clean HTML with mammoth and an explicit style map, then through the same
``lib.html.sanitize_body`` as pasted text. Paragraphs the portal itself wrote outside the
body (header, title, signature, Nơi nhận) carry styles of their own and are dropped, so a .docx
made by the portal reads back as its body alone.

Guarantees:
- the body's paragraphs carry their layout in paragraph styles (``ND30 ...``), not in run
  formatting, so reading them back yields the text without invented bold or italic; the
  author's own bold, italic and underline are direct run formatting and come back as such;
- ``body_from_docx`` returns sanitised HTML only and never saves anything; a file that is not a
  .docx, or cannot be read, raises ``DomainError`` with a Vietnamese message;
- no file is read from disk but python-docx's bundled template.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import IO, Any

from django.utils.translation import gettext as _

from directives import body, pdf
from lib.errors import DomainError
from lib.html import sanitize_body
from lib.text import shorten
from lib.uploads import UploadRefused, upload_checked

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"

# Page and sizes: the PDF's (docs/pdf.md, "Layout decisions"), in mm and pt.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LEFT_COLUMN_MM = pdf.ISSUER_COLUMN_MM
RIGHT_COLUMN_MM = 165 - pdf.ISSUER_COLUMN_MM
BODY_PT = 14
INDENT_MM = 12.7

# Paragraph styles of the body: their layout lives in the style. Word in maps them back to
# plain paragraphs; the structure is recognised again from the text (directives.body).
BODY_STYLES = {
    body.BASIS: "ND30 Basis",
    body.ENACTING: "ND30 Enacting",
    body.ARTICLE: "ND30 Article",
    body.SECTION: "ND30 Section",
    body.PART: "ND30 Part",
    body.PARAGRAPH: "ND30 Body",
}
# Everything the portal writes around the body: Word in drops paragraphs in these styles.
FRAME_STYLE = "ND30 Frame"
ARTICLE_HEADING_STYLE = "ND30 Article Heading"  # character style: bold
TABLE_HEADING_STYLE = "ND30 Table Heading"  # a header cell's paragraphs: bold, centred


# --- Word out ------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, lone surrogates, U+FFFE/F):
# python-docx refuses them, and typed or pasted text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _mm(value: float):
    from docx.shared import Mm

    return Mm(value)


def _set_font(target, *, size: float | None = None, bold=None, italic=None) -> None:
    """Times New Roman for every script (Vietnamese is Latin, but Word picks by script)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = target.font
    font.name = FONT
    r_pr = target.element.get_or_add_rPr() if hasattr(target.element, "get_or_add_rPr") else None
    if r_pr is not None:
        fonts = r_pr.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _set_font(normal, size=BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    def paragraph_style(name: str, **font) -> Any:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _set_font(style, **font)
        return style

    frame = paragraph_style(FRAME_STYLE)
    frame.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, name in BODY_STYLES.items():
        style = paragraph_style(
            name,
            size=BODY_PT,
            bold=kind in (body.ENACTING, body.SECTION, body.PART),
            italic=kind == body.BASIS,
        )
        fmt = style.paragraph_format
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.2
        if kind in (body.ENACTING, body.PART):
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_before = Pt(6)
        else:
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = _mm(INDENT_MM)
    table_heading = paragraph_style(TABLE_HEADING_STYLE, bold=True)
    table_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = doc.styles.add_style(ARTICLE_HEADING_STYLE, WD_STYLE_TYPE.CHARACTER)
    heading.font.bold = True


def _frame(cell_or_doc, text: str = "", *, size: float = BODY_PT, bold=False, italic=False, align="center", tracking=0):
    """One paragraph outside the body, in the frame style (dropped by Word in); ``tracking`` in
    twentieths of a point, as the PDF tracks the header's names by -0.1 pt."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = cell_or_doc.add_paragraph(style=FRAME_STYLE)
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    if text := _xml_safe(text):
        run = paragraph.add_run(text)
        _set_font(run, size=size, bold=bold, italic=italic)
        if tracking:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(tracking))
            run._r.get_or_add_rPr().insert_element_before(spacing, *_AFTER_SPACING)
    return paragraph


def _lines(cell, text: str, **kwargs) -> None:
    for line in text.splitlines() or [""]:
        _frame(cell, line, **kwargs)


# What follows w:spacing in w:rPr (ECMA-376 order).
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
)  # fmt: skip
# What follows w:pBdr in w:pPr (ECMA-376 order; Word refuses a file whose order is wrong).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule(cell_or_doc, *, width_mm: float, column_mm: float) -> None:
    """A short solid rule of ``width_mm``, centred in ``column_mm``: a bordered empty paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = _frame(cell_or_doc, size=2)
    side = max((column_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = _mm(side)
    paragraph.paragraph_format.right_indent = _mm(side)
    paragraph.paragraph_format.line_spacing = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_AFTER_PBDR)


def _boxed(cell_or_doc, text: str, *, size: float, align="center") -> None:
    """A mark in a single-line box (DỰ THẢO, KHẨN, MẬT): a bordered run."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = _frame(cell_or_doc, align=align)
    run = paragraph.add_run(f" {_xml_safe(text)} ")
    _set_font(run, size=size, bold=True)
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"), ("w:color", "000000")):
        border.set(qn(key), value)
    run._r.get_or_add_rPr().append(border)


def _plain_table(doc, rows: int, widths_mm: list[float]):
    """A borderless layout table of fixed column widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False  # a fixed layout: the columns keep their widths
    description = OxmlElement("w:tblDescription")  # the last child of tblPr: Word in drops these
    description.set(qn("w:val"), FRAME_STYLE)
    table._tbl.tblPr.append(description)
    margins = OxmlElement("w:tblCellMar")  # no cell padding: the columns are the decree's widths
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = _mm(width)  # the grid: LibreOffice lays the table out from it
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = _mm(width)
            # python-docx adds an empty paragraph to every new cell; the content brings its own.
            cell._tc.remove(cell.paragraphs[0]._p)
    return table


def _header(doc, ctx: dict[str, Any]) -> None:
    table = _plain_table(doc, 2, [LEFT_COLUMN_MM, RIGHT_COLUMN_MM])
    left, right = table.rows[0].cells
    if ctx["parent_body"]:
        _lines(left, ctx["parent_body"], size=13, tracking=-2)
    if ctx["issuer"]:
        _lines(left, ctx["issuer"], size=13, bold=True, tracking=-2)
        _rule(left, width_mm=ctx["issuer_rule_mm"], column_mm=LEFT_COLUMN_MM)
    if not left.paragraphs:
        _frame(left)  # a cell ends with a paragraph, or Word refuses the file
    _frame(right, ctx["national_title"], size=12, bold=True)
    _frame(right, ctx["motto"], size=14, bold=True)
    motto_mm = pdf.text_width_mm(ctx["motto"], face="bold", size_pt=14)
    _rule(right, width_mm=motto_mm, column_mm=RIGHT_COLUMN_MM)
    left, right = table.rows[1].cells
    number = f"Số: {ctx['number']}" if ctx["number"] else "Số:    "
    _frame(left, number + ctx["symbol_part"], size=13)
    if ctx["is_cong_van"]:
        _frame(left, f"V/v {ctx['subject']}", size=13)
    if ctx["confidentiality"]:
        _boxed(left, ctx["confidentiality"], size=13)
    if ctx["urgency"]:
        _boxed(left, ctx["urgency"], size=14)
    dateline = ctx["dateline"]
    day = f" {dateline['day']} " if dateline["day"] else "    "
    month = f" {dateline['month']} " if dateline["month"] else "    "
    place = f"{dateline['place']}, " if dateline["place"] else ""
    _frame(right, f"{place}ngày{day}tháng{month}năm {dateline['year']}", size=14, italic=True)


def _title(doc, ctx: dict[str, Any]) -> None:
    from docx.shared import Pt

    if not ctx["type_name"]:
        return
    _frame(doc, ctx["type_name"], size=14, bold=True).paragraph_format.space_before = Pt(12)
    if ctx["subject"]:
        _frame(doc, ctx["subject"], size=14, bold=True)
        _rule(doc, width_mm=ctx["subject_rule_mm"], column_mm=165)


def _addressees(doc, ctx: dict[str, Any]) -> None:
    from docx.shared import Pt

    entries = ctx["addressees"]
    if not entries:
        return
    if len(entries) == 1:
        _frame(doc, f"Kính gửi: {entries[0]}", size=14).paragraph_format.space_before = Pt(12)
        return
    _frame(doc, "Kính gửi:", size=14).paragraph_format.space_before = Pt(12)
    for entry in entries:
        _frame(doc, f"- {entry}", size=14)


# Inline HTML of a rich paragraph (already sanitised): which tags make which run format.
_RUN_FORMAT = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline"}


class _Runs(HTMLParser):
    """Inline sanitised HTML as (text, {bold, italic, underline}) runs; <br> as a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.runs: list[tuple[str, frozenset[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.runs.append(("\n", frozenset()))
        elif tag in _RUN_FORMAT:
            self.open.append(_RUN_FORMAT[tag])

    def handle_endtag(self, tag):
        if tag in _RUN_FORMAT and _RUN_FORMAT[tag] in self.open:
            self.open.reverse()
            self.open.remove(_RUN_FORMAT[tag])
            self.open.reverse()

    def handle_data(self, data):
        self.runs.append((data, frozenset(self.open)))


def _add_runs(paragraph, inline_html: str) -> None:
    parser = _Runs()
    parser.feed(inline_html)
    parser.close()
    for text, formats in parser.runs:
        if text == "\n":
            paragraph.add_run().add_break()
            continue
        run = paragraph.add_run(_xml_safe(text))
        run.bold = "bold" in formats or None
        run.italic = "italic" in formats or None
        run.underline = "underline" in formats or None


class _RichTree(HTMLParser):
    """A list or table of sanitised HTML as nested dicts: {"tag", "attrs", "children"} and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict = {"tag": "root", "attrs": {}, "children": []}
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "children": []}
        self.stack[-1]["children"].append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index]["tag"] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1]["children"].append(data)


def _inline_html(node: dict) -> str:
    """The inline markup under ``node`` (bold, italic, underline, breaks and text), re-serialised."""
    import html

    parts = []
    for child in node["children"]:
        if isinstance(child, str):
            parts.append(html.escape(child, quote=False))
        elif child["tag"] == "br":
            parts.append("<br>")
        elif child["tag"] in _RUN_FORMAT:
            parts.append(f"<{child['tag']}>{_inline_html(child)}</{child['tag']}>")
        else:
            parts.append(_inline_html(child))
    return "".join(parts)


def _cell_paragraphs(node: dict) -> list[str]:
    """The paragraphs of a table cell or list item: its <p>s, or its inline content as one."""
    paragraphs = [_inline_html(child) for child in node["children"] if isinstance(child, dict) and child["tag"] == "p"]
    if paragraphs:
        return paragraphs
    return [_inline_html(node)]


def _rich(doc, html_text: str) -> None:
    tree = _RichTree()
    tree.feed(str(html_text))
    tree.close()
    for node in tree.root["children"]:
        if not isinstance(node, dict):
            continue
        if node["tag"] in ("ol", "ul"):
            _list(doc, node, level=1)
        elif node["tag"] == "table":
            _table(doc, node)


def _list(doc, node: dict, *, level: int) -> None:
    from docx.shared import Pt

    base = "List Number" if node["tag"] == "ol" else "List Bullet"
    style = base if level == 1 else f"{base} {min(level, 3)}"
    for item in node["children"]:
        if not isinstance(item, dict) or item["tag"] != "li":
            continue
        nested = [c for c in item["children"] if isinstance(c, dict) and c["tag"] in ("ol", "ul")]
        inline = {**item, "children": [c for c in item["children"] if not any(c is n for n in nested)]}
        for text in _cell_paragraphs(inline):
            paragraph = doc.add_paragraph(style=style)
            _set_font(paragraph.style, size=BODY_PT)
            # Numbers stand where a paragraph's first line starts; the text hangs after them.
            paragraph.paragraph_format.left_indent = _mm(INDENT_MM + 6.35 * level)
            paragraph.paragraph_format.first_line_indent = _mm(-6.35)
            paragraph.paragraph_format.space_after = Pt(6)
            _add_runs(paragraph, text)
        for child in nested:
            _list(doc, child, level=level + 1)


def _table(doc, node: dict) -> None:
    from docx.oxml import OxmlElement

    rows = []
    for child in node["children"]:
        if isinstance(child, dict) and child["tag"] in ("thead", "tbody"):
            head = child["tag"] == "thead"
            rows += [(r, head) for r in child["children"] if isinstance(r, dict) and r["tag"] == "tr"]
        elif isinstance(child, dict) and child["tag"] == "tr":
            rows.append((child, False))
    if not rows:
        return
    width = max(sum(1 for c in r["children"] if isinstance(c, dict) and c["tag"] in ("td", "th")) for r, _h in rows)
    if width == 0:
        return
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = doc.styles["Table Grid"]
    for (row_node, in_head), row in zip(rows, table.rows, strict=True):
        cells = [c for c in row_node["children"] if isinstance(c, dict) and c["tag"] in ("td", "th")]
        if in_head:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell_node, cell in zip(cells, row.cells, strict=False):
            cell._tc.remove(cell.paragraphs[0]._p)
            for text in _cell_paragraphs(cell_node):
                paragraph = cell.add_paragraph(style=TABLE_HEADING_STYLE if cell_node["tag"] == "th" else None)
                _add_runs(paragraph, text)
    doc.add_paragraph(style=FRAME_STYLE)  # Word joins two adjacent tables into one


def _body(doc, blocks: list[body.Block]) -> None:
    for block in blocks:
        if block.kind == body.RICH:
            _rich(doc, block.html)
            continue
        if block.kind == body.PART:
            doc.add_paragraph(_xml_safe(block.heading), style=BODY_STYLES[body.PART])
            if block.text:
                doc.add_paragraph(_xml_safe(block.text), style=BODY_STYLES[body.PART])
            continue
        paragraph = doc.add_paragraph(style=BODY_STYLES[block.kind])
        if block.kind == body.ARTICLE:
            paragraph.add_run(_xml_safe(block.heading), style=ARTICLE_HEADING_STYLE)
            if block.text:
                paragraph.add_run(" " + _xml_safe(block.text))
        elif block.kind == body.PARAGRAPH and block.html:
            _add_runs(paragraph, block.html)
        else:
            paragraph.add_run(_xml_safe(block.text))


def _closing(doc, ctx: dict[str, Any]) -> None:
    from docx.shared import Pt

    _frame(doc)
    table = _plain_table(doc, 1, [82.5, 82.5])
    left, right = table.rows[0].cells
    if ctx["distribution"]:
        _frame(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
        for entry in ctx["distribution"]:
            _frame(left, f"- {entry}", size=11, align="left")
    else:
        _frame(left)
    if ctx["authority_line"]:
        _frame(right, ctx["authority_line"], size=14, bold=True)
    if ctx["signer_title"]:
        _frame(right, ctx["signer_title"], size=14, bold=True)
    space = _frame(right)
    space.paragraph_format.space_after = Pt(60)  # the signature space
    if ctx["signer_name"]:
        _frame(right, ctx["signer_name"], size=14, bold=True)


def _page_numbers(section) -> None:
    """Page numbers centred in the top margin from page 2; none on page 1."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    section.header_distance = _mm(10)


def render_docx(document: dict[str, Any], *, draft: bool | None = None) -> bytes:
    """Return ``document`` (a dict shaped like document.schema.json) as a .docx in the official layout.

    The same context as ``directives.pdf.render_pdf`` (``draft`` None: a draft when unnumbered,
    marked DỰ THẢO with a blank number and dateline); A4 portrait, margins 20/20/30/15 mm,
    Times New Roman, the decree's sizes. Raises ``pdf.DocumentDataError`` like the PDF.
    """
    from docx import Document as DocxDocument

    ctx = pdf.document_context(document, draft=draft)
    doc = DocxDocument()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = (_mm(v) for v in PAGE_MM)
    section.top_margin = _mm(MARGINS_MM["top"])
    section.bottom_margin = _mm(MARGINS_MM["bottom"])
    section.left_margin = _mm(MARGINS_MM["left"])
    section.right_margin = _mm(MARGINS_MM["right"])
    _page_numbers(section)
    core = doc.core_properties
    core.title = shorten(_xml_safe(" ".join(filter(None, [ctx["type_name"], ctx["subject"]]))), 255)
    core.author = _xml_safe(ctx["issuer"])[:255]
    if ctx["draft"]:
        _boxed(doc, ctx["draft_mark"], size=14, align="right")
    _header(doc, ctx)
    _title(doc, ctx)
    _addressees(doc, ctx)
    _frame(doc)
    _body(doc, ctx["blocks"])
    _closing(doc, ctx)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Word in --------------------------------------------------------------------------------

# mammoth drops what it does not map: headings, bold, italic, underline and the portal's own
# styles are mapped explicitly. Headings become bold paragraphs (the body has no <h1>).
STYLE_MAP = "\n".join(
    [
        "b => strong",
        "i => em",
        "u => u",
        "strike => ",
        *(f"p[style-name='Heading {n}'] => p:fresh > strong" for n in range(1, 7)),
        "p[style-name='Title'] => p:fresh > strong",
        "p[style-name='Subtitle'] => p:fresh > em",
        *(f"p[style-name='{name}'] => p:fresh" for name in [*BODY_STYLES.values(), TABLE_HEADING_STYLE]),
        f"p[style-name='{FRAME_STYLE}'] => !",
        f"r[style-name='{ARTICLE_HEADING_STYLE}'] => ",
    ]
)


@dataclass(frozen=True)
class WordBody:
    """A body read from a .docx: sanitised HTML, and what mammoth could not keep (for the person)."""

    html: str
    dropped: list[str]


_SINGLE_P = re.compile(r"<(td|th|li)([^>]*)>\s*<p>((?:(?!</?p>).)*)</p>\s*</\1>", re.DOTALL)


def _unwrap_single_paragraphs(html_text: str) -> str:
    """``<td><p>x</p></td>`` as ``<td>x</td>``: how the editor writes cells and items."""
    return _SINGLE_P.sub(lambda m: f"<{m[1]}{m[2]}>{m[3]}</{m[1]}>", html_text)


def body_from_docx(file: IO[bytes], *, name: str | None = None) -> WordBody:
    """Read the body of an uploaded .docx as sanitised HTML; nothing is saved.

    The file is checked by content first (``lib.uploads``: only DOCX, size and archive limits);
    a refused or unreadable file raises ``DomainError`` with a Vietnamese message. Tables,
    lists, bold, italic and underline are kept; images, links, colours and fonts are dropped.
    A .docx the portal wrote gives back its body alone (the header, title, signature and Nơi
    nhận are in the frame style and tables the portal marks).
    """
    import mammoth

    try:
        checked = upload_checked(file, name=name, allowed=["docx"])
    except UploadRefused as refused:
        raise DomainError(
            refused.message + " " + _("Chỉ nhận tệp Word dạng .docx (Word 2007 trở lên)."), refused.extra
        ) from None
    checked.file.seek(0)
    data = io.BytesIO(checked.file.read())
    try:
        data = io.BytesIO(_without_frame_tables(data.getvalue()))
        result = mammoth.convert_to_html(
            data,
            style_map=STYLE_MAP,
            include_default_style_map=True,
            convert_image=mammoth.images.img_element(lambda image: {"alt": ""}),
        )
    except Exception as error:  # mammoth raises anything from KeyError to XML errors on a broken file
        raise DomainError(
            _("Không đọc được nội dung tệp Word «%(name)s»: tệp bị hỏng hoặc không đúng định dạng .docx.")
            % {"name": checked.original_name},
            {"file": checked.original_name, "reason": "broken"},
        ) from error
    cleaned = sanitize_body(_unwrap_single_paragraphs(result.value))
    dropped = sorted({str(message.message) for message in result.messages if message.type == "warning"})
    return WordBody(html=cleaned, dropped=dropped)


def _without_frame_tables(data: bytes) -> bytes:
    """The .docx without the layout tables the portal writes (header and signature block).

    They are marked by a table description ``ND30 Frame`` (``w:tblDescription``); a table a
    person made is left alone. The zip was checked by ``lib.uploads`` before this reads it.
    """
    import zipfile

    from docx.oxml.ns import qn
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml")
    if FRAME_STYLE.encode() not in xml:
        return data
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    for description in root.iter(qn("w:tblDescription")):
        if description.get(qn("w:val")) == FRAME_STYLE:
            table = description.getparent().getparent()
            table.getparent().remove(table)
    document_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, document_xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()
