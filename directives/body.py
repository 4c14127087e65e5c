"""The structure of a document's body, recognised from the text the clerk typed.

Decree 30/2020/NĐ-CP Appendix I, II.8 (summarised in the shared ND30-FORMAT.md, "Body
structure") gives some body lines a layout of their own: legal bases in italic, the enacting
line ``QUYẾT ĐỊNH:`` centred and bold, ``Điều 1.`` bold, Roman-numbered section headings bold
upper case, ``Phần``/``Chương``/``Mục`` headings centred. The clerk types plain paragraphs (or
pastes rich text); ``parse_body`` turns them into a list of typed ``Block``s and the PDF
template lays each kind out. Pure functions: no database, no Django settings.

Guarantees:
- every line of text the clerk typed is in exactly one block, in order; empty lines are dropped;
- ``Block.text`` and ``Block.heading`` are plain text (the template escapes them);
  ``Block.html`` is only ever built here from ``lib.html.sanitize_body``'s output, re-serialised
  tag by tag with every text and attribute value escaped, and is marked safe;
- numbered points (``1.``, ``a)``, ``-``) and anything not recognised stay plain paragraphs;
  lists and tables of rich text are kept whole as ``rich`` blocks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from lib.html import sanitize_body

BASIS = "basis"  # "Căn cứ ...", "Theo đề nghị của ...": italic, each its own line
ENACTING = "enacting"  # "QUYẾT ĐỊNH:": alone, centred, upper case, bold
ARTICLE = "article"  # "Điều 1. ...": the heading bold, the text upright
SECTION = "section"  # "I. MỤC ĐÍCH, YÊU CẦU": bold, upper case
PART = "part"  # "Phần I", "Chương II", "Mục 1" and a title: centred, bold, title upper case
PARAGRAPH = "paragraph"  # everything else, numbered points included
RICH = "rich"  # a list or table of rich text, kept as it was sanitised

# Lines that open the legal bases. "Xét đề nghị" is the older wording of "Theo đề nghị".
_BASIS_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Xét đề nghị)\b", re.IGNORECASE)
# The enacting words of the types that have one (Quyết định, Nghị quyết); a colon ends them.
_ENACTING_WORDS = ("QUYẾT ĐỊNH", "QUYẾT NGHỊ")
_ENACTING_RE = re.compile(r"^(" + "|".join(_ENACTING_WORDS) + r")\s*:?$")
_ARTICLE_RE = re.compile(r"^(?P<word>Điều|ĐIỀU)\s+(?P<number>\d{1,3}[a-zđ]?)\s*\.\s*(?P<rest>.*)$")
# Sections use I-XXXIX only: C., D., L., M. are far more often letters of a list than numerals.
_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_SECTION_RE = re.compile(r"^(?P<number>" + _ROMAN + r")\s*[.:]\s+(?P<rest>\S.*)$")
_PART_RE = re.compile(
    r"^(?P<word>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+"
    r"(?P<number>[IVXL]+|\d{1,3}|(?:thứ|THỨ)\s+\w+)"
    r"(?P<separator>\s*[.:\-–]\s*|\s+|$)(?P<rest>.*)$"
)
# An article's text rather than its title: it ends a sentence or announces what follows.
_SENTENCE_END = (".", ";", ":", ",", "!", "?", "./.")
_TITLE_MAX = 200  # characters; a longer remainder is the article's text


@dataclass(frozen=True)
class Block:
    """One printed unit of the body; ``kind`` is one of the module's kind constants."""

    kind: str
    text: str = ""
    heading: str = ""
    html: SafeString | str = ""


@dataclass(frozen=True)
class _Line:
    text: str  # normalised plain text
    html: str = ""  # sanitised inline HTML of the same line ("" for typed plain text)


def _normalise(text: str) -> str:
    """NFC, non-breaking and other spaces as plain spaces, runs of white collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    return " ".join(text.split())


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text).upper()


# --- Rich text: top-level elements of sanitised HTML --------------------------------------

_VOID = {"br"}
_INLINE = {"strong", "b", "em", "i", "u", "br"}


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag] + [f'{name}="{html.escape(value or "", quote=True)}"' for name, value in attrs]
    return "<" + " ".join(parts) + ">"


class _TopLevel(HTMLParser):
    """Splits sanitised HTML into top-level items: paragraphs (cut at their ``<br>``s into
    lines of inline HTML) and whole lists and tables. Text outside any element, or inline
    elements at the top, form paragraphs of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self.depth = 0
        self.current: dict | None = None

    def _open(self, tag: str | None) -> dict:
        self.current = {"tag": tag, "pieces": [[]], "html": []}
        self.items.append(self.current)
        return self.current

    def _paragraph(self) -> dict:
        if self.current is not None and self.current["tag"] is None and self.depth == 0:
            return self.current
        return self._open(None)

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            if tag not in _INLINE:
                item = self._open(tag)
                if tag != "p":
                    item["html"].append(_start_tag(tag, attrs))
                self.depth += 1
                return
            item = self._paragraph()
            if tag == "br":
                item["pieces"].append([])
                return
        item = self.current
        if item["tag"] == "p" and tag == "br" and self.depth == 1:
            item["pieces"].append([])
            return
        if item["tag"] in ("p", None):
            item["pieces"][-1].append((_start_tag(tag, attrs), ""))
        else:
            item["html"].append(_start_tag(tag, attrs))
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth = max(self.depth - 1, 0)
        item = self.current
        if item is None:
            return
        if self.depth == 0 and item["tag"] == tag:
            if tag != "p":
                item["html"].append(f"</{tag}>")
            self.current = None
            return
        if item["tag"] in ("p", None):
            item["pieces"][-1].append((f"</{tag}>", ""))
        else:
            item["html"].append(f"</{tag}>")

    def handle_data(self, data):
        item = self.current if self.depth > 0 else self._paragraph()
        if item["tag"] in ("p", None):
            item["pieces"][-1].append((html.escape(data, quote=False), data))
        else:
            item["html"].append(html.escape(data, quote=False))


def _rich_items(paragraph: str) -> list[_Line | Block]:
    parser = _TopLevel()
    parser.feed(sanitize_body(paragraph))
    parser.close()
    result: list[_Line | Block] = []
    for item in parser.items:
        if item["tag"] in ("p", None):
            for piece in item["pieces"]:
                text = _normalise("".join(text for _markup, text in piece))
                if text:
                    result.append(_Line(text=text, html="".join(markup for markup, _text in piece).strip()))
        else:
            # Safe to mark (B308, B703): rebuilt tag by tag from nh3-sanitised HTML, every text and attribute escaped
            result.append(Block(kind=RICH, html=mark_safe("".join(item["html"]))))  # nosec B308, B703
    return result


# --- Recognition --------------------------------------------------------------------------


def _is_title(text: str) -> bool:
    """A heading's title: no sentence punctuation at the end, short, letters present."""
    return bool(text) and len(text) <= _TITLE_MAX and not text.endswith(_SENTENCE_END)


def _is_upper_title(text: str) -> bool:
    """A separate title line under ``Chương I``: upper case, short, not a sentence."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and text == _upper(text) and _is_title(text)


def _classify(lines: list[_Line | Block], *, legal_bases: bool) -> list[Block]:
    blocks: list[Block] = []
    preamble = legal_bases  # legal bases stand only at the top of the body
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if isinstance(line, Block):
            blocks.append(line)
            preamble = False
            continue
        text = line.text
        if _ENACTING_RE.match(_upper(text).rstrip()):
            blocks.append(Block(kind=ENACTING, text=_upper(text).rstrip(" :") + ":"))
            preamble = False
            continue
        if (match := _PART_RE.match(text)) and (
            match["separator"].strip() or not match["rest"] or _is_upper_title(match["rest"])
        ):
            rest = _normalise(match["rest"])
            following = lines[index] if index < len(lines) else None
            if not rest and isinstance(following, _Line) and _is_upper_title(following.text):
                rest = following.text
                index += 1
            if not rest or _is_title(rest):
                heading = f"{match['word'].capitalize()} {match['number']}"
                blocks.append(Block(kind=PART, heading=heading, text=_upper(rest)))
                preamble = False
                continue
        if match := _ARTICLE_RE.match(text):
            rest = match["rest"]
            heading = f"Điều {match['number']}."
            if _is_title(rest):
                blocks.append(Block(kind=ARTICLE, heading=f"{heading} {rest}"))
            else:
                blocks.append(Block(kind=ARTICLE, heading=heading, text=rest))
            preamble = False
            continue
        if (match := _SECTION_RE.match(text)) and match["number"]:
            blocks.append(Block(kind=SECTION, text=f"{match['number']}. {_upper(match['rest'])}"))
            preamble = False
            continue
        if preamble and _BASIS_RE.match(text):
            blocks.append(Block(kind=BASIS, text=text))
            continue
        preamble = False
        # Safe to mark (B308, B703): line.html was rebuilt from nh3-sanitised HTML with every text escaped (_lines)
        blocks.append(Block(kind=PARAGRAPH, text=text, html=mark_safe(line.html) if line.html else ""))  # nosec B308, B703
    return blocks


def parse_body(paragraphs: list[str], *, rich: bool, legal_bases: bool = True) -> list[Block]:
    """Return the typed blocks of a body given as a list of paragraphs.

    ``rich`` paragraphs are HTML (sanitised here first); plain ones are text, one printed
    paragraph per line. ``legal_bases`` False (a công văn, whose opening "Căn cứ ..." is a
    sentence of the letter, not a legal basis) keeps such lines plain paragraphs. Structural
    lines of rich text are printed from their text, without their inline formatting: their
    layout is the decree's, not the author's.
    """
    lines: list[_Line | Block] = []
    for paragraph in paragraphs:
        if rich:
            lines += _rich_items(paragraph)
        else:
            lines += [_Line(text=text) for raw in (paragraph or "").splitlines() if (text := _normalise(raw))]
    return _classify(lines, legal_bases=legal_bases)
