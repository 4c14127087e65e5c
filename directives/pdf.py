"""The official PDF of a document, laid out as Decree 30/2020/NĐ-CP Appendix I prescribes.

``render_pdf`` takes a plain dict shaped like ``document.schema.json`` (the directives models
will produce it) and returns the PDF bytes. Layout lives in ``templates/pdf/document.html`` and
``static/pdf/document.css``; this module only turns the dict into what the template prints
(dateline, number, marks, punctuation of the lists) and drives WeasyPrint.

WeasyPrint is imported lazily and its font configuration and stylesheet are built once per
process: importing it costs ~0.7 s and parsing the @font-face rules on every render would
double the time of a one-page letter. Render in a long-lived process (web worker, Celery worker).
"""

from __future__ import annotations

import atexit
import datetime
import functools
import logging
import threading
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from lib.html import sanitize_body

logger = logging.getLogger(__name__)

# The keys document.schema.json marks as required; render_pdf and the render_pdf command
# refuse a dict without them rather than print a document with holes.
REQUIRED_KEYS = ("doc_type", "symbol", "subject", "body", "signer")

# The named destination the template puts at the centre top of the signature space; the
# signing step reads it from the PDF to place the visible stamp between title and name.
SIGNATURE_ANCHOR = "signature-anchor"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"


class DocumentDataError(ValueError):
    """The dict given to ``render_pdf`` cannot be printed; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def static_dir() -> Path:
    """The project's ``static/`` directory: the only place the PDF may load files from."""
    return Path(settings.BASE_DIR) / "static"


def missing_keys(document: Any) -> list[str]:
    """Return the required schema keys absent from ``document`` (all of them if it is no dict)."""
    if not isinstance(document, dict):
        return list(REQUIRED_KEYS)
    return [key for key in REQUIRED_KEYS if key not in document]


def validate_document(document: Any) -> None:
    """Raise ``DocumentDataError`` (in Vietnamese) unless ``document`` can be printed.

    Checks the schema's required keys and the shapes the layout relies on; it is no full
    JSON Schema validation (the importer owns that).
    """
    if not isinstance(document, dict):
        raise DocumentDataError("Dữ liệu văn bản phải là một đối tượng JSON.")
    if missing := missing_keys(document):
        raise DocumentDataError("Dữ liệu văn bản thiếu trường bắt buộc: " + ", ".join(missing) + ".")
    if not isinstance(document["doc_type"], str) or not document["doc_type"].strip():
        raise DocumentDataError("Trường doc_type (tên loại văn bản) phải là chuỗi khác rỗng.")
    if not isinstance(document["body"], list) or not all(isinstance(p, str) for p in document["body"]):
        raise DocumentDataError("Trường body (nội dung) phải là danh sách các đoạn văn.")
    if not isinstance(document["signer"], dict):
        raise DocumentDataError("Trường signer (người ký) phải là một đối tượng.")
    for key in ("addressees", "distribution"):
        value = document.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise DocumentDataError(f"Trường {key} phải là danh sách chuỗi.")


# Widths from static/pdf/document.css the rules under the issuer and the subject are sized
# against; keep them in step with the stylesheet.
ISSUER_COLUMN_MM = 70.0
TITLE_SUBJECT_MM = 145.0
RULE_FRACTION = 0.4  # the decree asks for 1/3 to 1/2 of the line

FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold-italic": "LiberationSerif-BoldItalic.ttf",
}


def font_path(face: str = "regular") -> Path:
    """The bundled Liberation Serif file of ``face`` (regular, bold, italic, bold-italic)."""
    return static_dir() / "fonts" / "liberation-serif" / FONT_FILES[face]


@functools.lru_cache(maxsize=len(FONT_FILES))
def _advances(face: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(face), lazy=True)
    hmtx = font["hmtx"]
    return {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def text_width_mm(text: str, *, face: str, size_pt: float) -> float:
    """Return the advance width of one line of ``text`` in the bundled font (no kerning)."""
    advances, units_per_em = _advances(face)
    units = sum(advances.get(ord(char), units_per_em // 2) for char in unicodedata.normalize("NFC", text))
    return units / units_per_em * size_pt * 25.4 / 72


def rule_width_mm(text: str, *, face: str, size_pt: float, line_mm: float) -> float:
    """Return the length of the short rule under ``text``: 40 % of its longest printed line.

    Measured here because WeasyPrint cannot size a percentage rule against a shrink-to-fit
    box: the text then wraps word by word.
    """
    longest = max((text_width_mm(line, face=face, size_pt=size_pt) for line in text.splitlines()), default=0)
    return round(RULE_FRACTION * min(longest, line_mm), 1)


# --- What the template prints -----------------------------------------------------------


def _nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _upper(value: str | None) -> str:
    # Python's upper() handles every Vietnamese letter (ư → Ư, đ → Đ); CSS text-transform
    # would do the same on screen but leave the source text lower case for extraction.
    return _nfc(value).upper()


def format_dateline(place: str | None, issued_on: datetime.date | None, *, year: int) -> dict[str, Any]:
    """Return the parts of the dateline: place, day and month padded as Decree 30 wants.

    Days below 10 and the months January and February take a leading zero ("ngày 05 tháng 01");
    other months do not ("tháng 4"), so a date cannot be altered by writing a digit in front.
    ``issued_on`` None leaves day and month blank for a draft, with ``year`` printed.
    """
    if issued_on is None:
        return {"place": _nfc(place), "day": None, "month": None, "year": year}
    month = f"{issued_on.month:02d}" if issued_on.month <= 2 else str(issued_on.month)
    return {"place": _nfc(place), "day": f"{issued_on.day:02d}", "month": month, "year": issued_on.year}


def _number_text(document: dict[str, Any], *, draft: bool) -> tuple[str | None, str]:
    """Split what follows "Số:" into the number (None when blank) and the symbol part."""
    symbol = _nfc(document.get("symbol"))
    number = document.get("number")
    head, slash, tail = symbol.partition("/")
    symbol_part = slash + tail if slash else ("/" + symbol if symbol else "")
    if draft:
        return None, symbol_part
    if head:
        return head, symbol_part
    if number is not None:
        # Numbers under 10 are written with a leading zero (Appendix I, II.3).
        return f"{int(number):02d}", symbol_part
    return None, symbol_part


def _punctuated(entries: list[str], *, last: str) -> list[str]:
    """Strip the author's list punctuation and end each entry with ";" and the last with ``last``."""
    cleaned = [_nfc(entry).lstrip("-–+ ").rstrip(";.,") for entry in entries]
    cleaned = [entry for entry in cleaned if entry]
    return [entry + (last if i == len(cleaned) - 1 else ";") for i, entry in enumerate(cleaned)]


def _addressees(entries: list[str]) -> list[str]:
    """One addressee stands on the "Kính gửi:" line unpunctuated; several form a "- ...;" list."""
    cleaned = _punctuated(entries, last=".")
    if len(cleaned) == 1:
        return [cleaned[0].rstrip(".")]
    return cleaned


def _body(document: dict[str, Any]) -> list[dict[str, Any]]:
    rich = document.get("body_format") == "html"
    paragraphs = []
    for paragraph in document.get("body") or []:
        if rich:
            paragraphs.append({"rich": True, "html": mark_safe(sanitize_body(paragraph))})  # nosec B308, B703  # the HTML was just cleaned by nh3 (sanitize_body)
        else:
            # Plain text: the template autoescapes it, so "<script>" prints as typed.
            paragraphs.append({"rich": False, "text": _nfc(paragraph)})
    return paragraphs


def is_cong_van(document: dict[str, Any]) -> bool:
    """A công văn has no type abbreviation and prints its subject as "V/v ..." under the number."""
    return not document.get("type_abbr") and _nfc(document.get("doc_type")).casefold() == "công văn"


def document_context(document: dict[str, Any], *, draft: bool | None = None) -> dict[str, Any]:
    """Return the template context for ``document``; ``draft`` None means "a draft if unnumbered"."""
    validate_document(document)
    is_draft = document.get("number") is None if draft is None else draft
    issued_on = document.get("issued_on")
    if isinstance(issued_on, str):
        try:
            issued_on = datetime.date.fromisoformat(issued_on)
        except ValueError as exc:
            raise DocumentDataError(f"Ngày ban hành không hợp lệ: {issued_on!r} (cần dạng NNNN-TT-NN).") from exc
    year = issued_on.year if issued_on else timezone.localdate().year
    number, symbol_part = _number_text(document, draft=is_draft)
    signer = document.get("signer") or {}
    authority = _nfc(signer.get("authority"))
    authority_line = f"{authority} {_upper(signer.get('authority_title'))}".strip() if authority else ""
    cong_van = is_cong_van(document)
    issuer = _upper(document.get("issuer"))
    subject = _nfc(document.get("subject"))
    return {
        "draft": is_draft,
        "draft_mark": DRAFT_MARK,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "parent_body": _upper(document.get("parent_body")),
        "issuer": issuer,
        "issuer_rule_mm": rule_width_mm(issuer, face="bold", size_pt=13, line_mm=ISSUER_COLUMN_MM),
        "number": number,
        "symbol_part": symbol_part,
        "dateline": format_dateline(document.get("place"), None if is_draft else issued_on, year=year),
        "is_cong_van": cong_van,
        "type_name": "" if cong_van else _upper(document.get("doc_type")),
        "subject": subject,
        "subject_rule_mm": rule_width_mm(subject, face="bold", size_pt=14, line_mm=TITLE_SUBJECT_MM),
        "urgency": _upper(document.get("urgency")),
        "confidentiality": _upper(document.get("confidentiality")),
        "addressees": _addressees(document.get("addressees") or []),
        "paragraphs": _body(document),
        "authority_line": authority_line,
        "signer_title": _upper(signer.get("title")),
        "signer_name": _nfc(signer.get("name")),
        "distribution": _punctuated(document.get("distribution") or [], last="."),
        "signature_anchor": SIGNATURE_ANCHOR,
    }


def render_html(document: dict[str, Any], *, draft: bool | None = None) -> str:
    """Return the HTML that ``render_pdf`` prints (useful for inspecting the layout)."""
    return render_to_string("pdf/document.html", document_context(document, draft=draft))


# --- WeasyPrint ----------------------------------------------------------------------------

_engine_lock = threading.Lock()
_engine: dict[str, Any] = {}
# Drop the cached font configuration before interpreter shutdown: its destructor calls into
# cffi and fails noisily once module globals are torn down.
atexit.register(_engine.clear)


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Load ``file://`` URLs under ``static/`` and ``data:`` URLs; refuse everything else.

        Refusing raises, so WeasyPrint logs the failure and renders on without the resource:
        a document never reaches the network nor reads a file outside ``static/``.
        """

        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            logger.warning("PDF rendering refused to load %s", url)
            raise ValueError(f"Resource refused by the PDF URL fetcher: {url}")

    return StaticOnlyFetcher


def make_url_fetcher():
    """Return a fresh fetcher confined to ``static/``; its ``refused`` list records refusals."""
    return _static_fetcher_class()(static_dir())


def _get_engine(stylesheet: str = "document.css") -> dict[str, Any]:
    """Build the font configuration once per process, and each stylesheet once when first used.

    Every PDF the portal prints (documents, registers) shares the one font configuration and
    the one fetcher rule; only the stylesheet under ``static/pdf/`` differs.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if "font_config" not in _engine:
        _engine.update(font_config=FontConfiguration(), stylesheets={})
    if stylesheet not in _engine["stylesheets"]:
        css_path = static_dir() / "pdf" / stylesheet
        if not css_path.is_file():
            raise ImproperlyConfigured(f"The PDF stylesheet is missing: {css_path}")
        _engine["stylesheets"][stylesheet] = CSS(
            filename=str(css_path), font_config=_engine["font_config"], url_fetcher=make_url_fetcher()
        )
    return {"font_config": _engine["font_config"], "stylesheet": _engine["stylesheets"][stylesheet]}


def html_to_pdf(html: str, *, url_fetcher=None, stylesheet: str = "document.css") -> bytes:
    """Print ``html`` with a stylesheet of ``static/pdf/`` (the official one by default) and the
    bundled fonts; resources only from ``static/``.

    Serialised by a lock: the shared font configuration is not safe to use from two threads.
    """
    from weasyprint import HTML

    url_fetcher = url_fetcher or make_url_fetcher()
    with _engine_lock:
        engine = _get_engine(stylesheet)
        document = HTML(string=html, base_url=str(static_dir()) + "/", url_fetcher=url_fetcher)
        return document.write_pdf(stylesheets=[engine["stylesheet"]], font_config=engine["font_config"])


def render_pdf(document: dict[str, Any], *, draft: bool | None = None) -> bytes:
    """Render ``document`` (a dict shaped like document.schema.json) as its official PDF.

    The layout follows Decree 30/2020 Appendix I on A4 with the bundled Liberation Serif, the
    header only on page 1 and page numbers from page 2. ``draft`` None prints a draft (the
    DỰ THẢO mark, a blank number and dateline) exactly when the document has no number.
    User text is escaped, rich text sanitised, and no resource outside ``static/`` is loaded.
    Raises ``DocumentDataError`` when the dict lacks a required key or has the wrong shape.
    """
    return html_to_pdf(render_html(document, draft=draft))
