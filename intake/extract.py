"""The text of a received file (issue #17).

CONTRACT (owned by the extraction's author; the rest of the app builds on it):

    text_of(data: bytes, *, name: str) -> Extracted
        Plain text, .docx, .doc (LibreOffice where installed), a PDF's text layer (NFC; TCVN3
        or VNI detected and converted). Raises ``Unreadable`` (a Vietnamese message) for a kind
        it does not read. Answers ``Extracted(needs_ocr=True, text="")`` for a scan or an image:
        the caller queues the OCR job instead of waiting.
    ocr(data: bytes, *, name: str) -> Extracted
        ocrmypdf + tesseract (vie); slow (seconds per page): only in a background job or the
        command line, never in a request. ``confidence`` is the mean word confidence, 0–100;
        ``low_confidence_words`` the words tesseract was unsure of (below ``LOW_CONFIDENCE``).

The kind is read from the bytes (libmagic, as ``lib.uploads`` does), never from the name; the
name only appears in messages. Every text answered is NFC with ``\\n`` line ends.
"""

from __future__ import annotations

import codecs
import ctypes
import io
import logging
import os
import re
import shutil
import subprocess  # nosec B404  # soffice and ocrmypdf, with fixed arguments and no shell
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from intake import legacy

log = logging.getLogger(__name__)

# A PDF page with fewer letters than this on average has no real text layer (a scan, perhaps
# with a stamp or a page number drawn as text): it is read by OCR instead.
MIN_LETTERS_PER_PAGE = 40
# A converted TCVN3/VNI text with more unmapped bytes than this share of its letters is
# garbled some other way: OCR reads the page images instead.
MAX_LEGACY_UNKNOWN = 0.02
# Words tesseract scored below this (x_wconf, 0–100) are reported for the clerk to check.
LOW_CONFIDENCE = 60
DOC_TIMEOUT = 60  # seconds for LibreOffice to turn a .doc into a .docx
OCR_TIMEOUT = 300  # seconds for ocrmypdf; a 2-page scan takes about 5 s on 2 cores
OCR_JOBS = 2  # pages OCR'd in parallel
IMAGE_DPI = 300  # assumed for an image that does not say its resolution


class Unreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Extracted:
    """What was read from a file.

    ``low_confidence_words``: OCR only, the words (NFC, in reading order, each once) tesseract
    scored below ``LOW_CONFIDENCE``; the screen marks the fields whose value contains one.
    ``lines``: OCR only, each line's text with its mean word confidence, in reading order.
    """

    text: str
    method: str  # intake.models.Reading.Method value
    confidence: float | None = None
    needs_ocr: bool = False
    low_confidence_words: list[str] = field(default_factory=list)
    lines: list[tuple[str, float]] = field(default_factory=list)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\x00", "")


def _refused(name: str) -> Unreadable:
    return Unreadable(
        f"Không đọc được tệp «{name}»: chỉ đọc được văn bản thuần (.txt), PDF, Word (.docx, .doc) "
        "và ảnh quét (PNG, JPEG, TIFF)."
    )


# What libmagic calls the kinds read here (zip and OLE containers are looked into further).
_IMAGE_MIMES = frozenset({"image/png", "image/jpeg", "image/tiff"})
_OLE_MIMES = frozenset(
    {"application/msword", "application/vnd.ms-office", "application/x-ole-storage", "application/CDFV2"}
)
_MARKUP = frozenset({"text/html", "text/xml", "application/xml", "image/svg+xml", "text/javascript"})
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def kind_of(data: bytes) -> str:
    """ "pdf", "image", "docx", "doc", "text" or "" (not read here), from the bytes alone."""
    import magic  # libmagic is loaded on first use, as in lib.uploads

    if data.startswith(_BOMS):
        return "text"
    mime = magic.from_buffer(data[: 1 << 20], mime=True)
    if mime == "application/pdf":
        return "pdf"
    if mime in _IMAGE_MIMES:
        return "image"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else ""
        except zipfile.BadZipFile:
            return ""
    if mime in _OLE_MIMES:
        return "doc"
    if mime.startswith("text/") and mime not in _MARKUP:
        return "text"
    return ""


def text_of(data: bytes, *, name: str) -> Extracted:
    """Read the text of a received file, or say that it needs OCR.

    Raises ``Unreadable`` (Vietnamese) for a kind not read here, a broken file, or a .doc where
    LibreOffice is not installed.
    """
    kind = kind_of(data)
    if kind == "text":
        return _plain(data)
    if kind == "pdf":
        return _pdf(data, name=name)
    if kind == "image":
        return Extracted("", "ocr", needs_ocr=True)
    if kind == "docx":
        return _docx(data, name=name)
    if kind == "doc":
        return _docx(_doc_to_docx(data, name=name), name=name, method="doc")
    raise _refused(name)


# --- Plain text --------------------------------------------------------------------------


def text_read(text: str, *, method: str = "text") -> Extracted:
    """Text already decoded (pasted, or a text file's): NFC, and converted when it is TCVN3 or
    VNI mojibake (copied from an old PDF, say), then with method "legacy"."""
    encoding = legacy.legacy_detect(text)
    if encoding:
        return Extracted(_nfc(legacy.legacy_convert(text, encoding).text), "legacy")
    return Extracted(_nfc(text), method)


def _plain(data: bytes) -> Extracted:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else a one-byte encoding: TCVN3 or VNI
    when the text reads as one, Windows-1258 (Vietnamese Windows) otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return text_read(data.decode("utf-16"), method="plain")
    try:
        return text_read(data.decode("utf-8-sig"), method="plain")
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    if legacy.legacy_detect(latin):
        return text_read(latin, method="plain")
    return Extracted(_nfc(data.decode("cp1258", errors="replace")), "plain")


# --- PDF ---------------------------------------------------------------------------------


def _upper_font(font_name: str) -> bool:
    """A TCVN3 upper-case font (.VnTimeH, .VnArialH, "ABCDEF+.VnTimeH,Bold"): its bytes are capitals."""
    base = font_name.split("+", 1)[-1].lower()
    base = re.sub(r"[^a-z]", "", re.split(r"[,-]", base, maxsplit=1)[0])
    base = re.sub(r"(bold|italic|oblique)+$", "", base)
    return base.startswith("vn") and base.endswith("h")


def _page_fonts(textpage, count: int) -> list[str]:
    """The font name of each character of a pdfium text page."""
    import pypdfium2.raw as pdfium_c

    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    names = []
    for index in range(count):
        size = pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), ctypes.byref(flags))
        names.append(buffer.value.decode("utf-8", "replace") if 0 < size <= len(buffer) else "")
    return names


@dataclass
class _Segment:
    """A run of text on one line of a PDF page (pdfium's text rectangle) and where its
    characters start in the page's character index (-1 when not found)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    start: int


def _segments(textpage) -> list[_Segment]:
    """The page's text runs in drawing order. pdfium cuts a run where the text jumps (another
    column of the header table), so the two columns of a Decree 30 header stay apart even
    where their lines share a baseline."""
    full = textpage.get_text_range()
    segments = []
    cursor = 0
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top)
        at = full.find(text, cursor) if text else -1
        if at >= 0:
            cursor = at + len(text)
        segments.append(_Segment(text, left, bottom, right, top, at))
    if not segments and full.strip():
        segments.append(_Segment(full, 0, 0, 0, 0, 0))
    return segments


def _joined(segments: list[_Segment], texts: list[str]) -> str:
    """Lines from runs: a run continues the line when it sits on the same line right after the
    previous one (a word in bold, say); otherwise it starts a new line."""
    out = ""
    previous = None
    for segment, text in zip(segments, texts, strict=True):
        if previous is not None:
            height = max(previous.top - previous.bottom, segment.top - segment.bottom, 1)
            overlap = min(previous.top, segment.top) - max(previous.bottom, segment.bottom)
            gap = segment.left - previous.right
            if overlap > height / 2 and -1 <= gap < 1.5 * height:
                out += " " if gap > 0.15 * height and not out.endswith(" ") else ""
            else:
                out += "\n"
        out += text
        previous = segment
    return out


def _tcvn3_segment(segment: _Segment, fonts: list[str]) -> str:
    """Convert a TCVN3 run, each character by the table of its font (lower or upper case)."""
    if segment.start < 0 or segment.start + len(segment.text) > len(fonts):
        return legacy.tcvn3_to_unicode(segment.text)
    return "".join(
        legacy.tcvn3_to_unicode(ch, upper=_upper_font(fonts[segment.start + offset]))
        for offset, ch in enumerate(segment.text)
    )


# PDFium is not thread-safe (pypdfium2 says so): one reader at a time in a process that
# serves requests on threads.
_PDFIUM = threading.Lock()


def _pdf(data: bytes, *, name: str) -> Extracted:
    """The text layer, page by page, run by run in the order the PDF draws them (pdfium)."""
    with _PDFIUM:
        return _pdf_locked(data, name=name)


def _pdf_locked(data: bytes, *, name: str) -> Extracted:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise Unreadable(f"Tệp PDF «{name}» bị hỏng hoặc có mật khẩu, không đọc được.") from error
    pages: list[tuple[object, object, list[_Segment]]] = []
    try:
        for page in document:
            textpage = page.get_textpage()
            pages.append((page, textpage, _segments(textpage)))
        raw = "\n".join(_joined(segments, [s.text for s in segments]) for _, _, segments in pages)
        letters = sum(ch.isalpha() for ch in raw)
        if not pages or letters < MIN_LETTERS_PER_PAGE * len(pages):
            return Extracted("", "ocr", needs_ocr=True)
        encoding = legacy.legacy_detect(raw)
        if encoding is None:
            return Extracted(_nfc(raw), "pdf")
        converted = legacy.legacy_convert(raw, encoding)
        if converted.unknown_share > MAX_LEGACY_UNKNOWN:
            log.info("%s text layer of %r leaves %.1f%% unmapped: OCR", encoding, name, converted.unknown_share * 100)
            return Extracted("", "ocr", needs_ocr=True)
        if encoding == "vni":
            return Extracted(_nfc(converted.text), "legacy")
        texts = []
        for _, textpage, segments in pages:
            fonts = _page_fonts(textpage, pdfium_c.FPDFText_CountChars(textpage))
            texts.append(_joined(segments, [_tcvn3_segment(segment, fonts) for segment in segments]))
        return Extracted(_nfc("\n".join(texts)), "legacy")
    finally:
        for page, textpage, _ in pages:
            textpage.close()
            page.close()
        document.close()


# --- Word --------------------------------------------------------------------------------


def _block_lines(parent, paragraph_text) -> list[str]:
    """The paragraphs of a body or a cell, and the cells of its tables (row by row, each merged
    cell once), in the order they appear; ``paragraph_text`` gives a paragraph's text."""
    from docx.oxml.ns import qn
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in parent._element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(paragraph_text(Paragraph(child, parent)))
        elif child.tag == qn("w:tbl"):
            table = Table(child, parent)
            for row in table.rows:
                for tc in row._tr.tc_lst:
                    if tc.vMerge == "continue":  # the rest of a vertically merged cell: already read
                        continue
                    lines.extend(_block_lines(_Cell(tc, table), paragraph_text))
    return lines


def _tcvn3_paragraph(paragraph) -> str:
    """A paragraph typed in TCVN3 fonts, each run by the table of its font (.VnTimeH: capitals)."""
    from docx.text.hyperlink import Hyperlink

    style_font = paragraph.style.font.name if paragraph.style is not None else None
    out = []
    for item in paragraph.iter_inner_content():
        for run in item.runs if isinstance(item, Hyperlink) else [item]:
            out.append(legacy.tcvn3_to_unicode(run.text, upper=_upper_font(run.font.name or style_font or "")))
    return "".join(out)


def _docx(data: bytes, *, name: str, method: str = "docx") -> Extracted:
    """Paragraphs and table cells in reading order: the Decree 30 header is a two-column table,
    read left cell then right cell, row by row. A document typed in TCVN3 or VNI fonts is
    converted (method "legacy")."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise Unreadable(f"Tệp Word «{name}» bị hỏng, không đọc được.") from error
    text = "\n".join(_block_lines(document._body, lambda paragraph: paragraph.text))
    encoding = legacy.legacy_detect(text)
    if encoding == "vni":
        text, method = legacy.vni_to_unicode(text), "legacy"
    elif encoding == "tcvn3":
        text, method = "\n".join(_block_lines(document._body, _tcvn3_paragraph)), "legacy"
    return Extracted(_nfc(text).strip("\n"), method)


def _doc_to_docx(data: bytes, *, name: str) -> bytes:
    """A .doc converted by LibreOffice (``soffice --headless``) in a private temporary folder."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise Unreadable(
            f"Không đọc được tệp Word cũ «{name}» (.doc): máy chủ chưa cài LibreOffice. "
            "Hãy lưu tệp thành .docx hoặc PDF rồi gửi lại."
        )
    with tempfile.TemporaryDirectory(prefix="intake-doc-") as folder:
        source = Path(folder) / "received.doc"
        source.write_bytes(data)
        command = [
            soffice, f"-env:UserInstallation={Path(folder, 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "docx", "--outdir", folder, str(source),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=DOC_TIMEOUT, check=True)  # nosec B603
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as error:
            log.warning("soffice could not convert %r: %s", name, error)
            raise Unreadable(f"Tệp Word cũ «{name}» (.doc) bị hỏng, không chuyển đổi được.") from error
        target = Path(folder) / "received.docx"
        if not target.exists():
            raise Unreadable(f"Tệp Word cũ «{name}» (.doc) bị hỏng, không chuyển đổi được.")
        return target.read_bytes()


# --- OCR ---------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    confidence: float
    left: int
    right: int


class _HocrReader(HTMLParser):
    """The lines of tesseract's hOCR (each a list of words with their confidence, x_wconf, and
    horizontal extent); an empty line between paragraphs. ``heights`` holds each line's height."""

    _LINES = ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat")

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[list[_Word]] = []
        self.heights: list[int] = []
        self._stack: list[str] = []
        self._word: list[str] | None = None
        self._title = ""

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        kind = "line" if any(c in self._LINES for c in classes) else "word" if "ocrx_word" in classes else ""
        self._stack.append(kind)
        if kind == "line":
            box = _BBOX.search(attributes.get("title") or "")
            self.lines.append([])
            self.heights.append(int(box.group(4)) - int(box.group(2)) if box else 0)
        elif "ocr_par" in classes and self.lines and self.lines[-1]:
            self.lines.append([])  # a blank line between paragraphs
            self.heights.append(0)
        elif kind == "word":
            self._title = attributes.get("title") or ""
            self._word = []

    def handle_endtag(self, tag) -> None:
        kind = self._stack.pop() if self._stack else ""
        if kind == "word" and self._word is not None:
            word = unicodedata.normalize("NFC", "".join(self._word)).strip()
            confidence = re.search(r"x_wconf\s+(\d+(?:\.\d+)?)", self._title)
            box = _BBOX.search(self._title)
            if word and self.lines and box:
                score = float(confidence.group(1)) if confidence else 0.0
                self.lines[-1].append(_Word(word, score, int(box.group(1)), int(box.group(3))))
            self._word = None

    def handle_data(self, data) -> None:
        if self._word is not None:
            self._word.append(data)


_BBOX = re.compile(r"bbox\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)")
# Words further apart than this many times the line's usual gap, and than this share of its
# height, belong to two columns (the Decree 30 header: issuer on the left, national motto and
# dateline on the right, printed side by side). A justified line stretches every gap alike.
COLUMN_GAP = 3
COLUMN_GAP_HEIGHT = 0.8


def _cut(line: list[_Word], height: int) -> int | None:
    """Where a line splits into two columns (the index of the first right-hand word), or None."""
    gaps = [line[i].left - line[i - 1].right for i in range(1, len(line))]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0
    wide = max(COLUMN_GAP * max(usual, 1), COLUMN_GAP_HEIGHT * height)
    return next((i + 1 for i, gap in enumerate(gaps) if height and gap > wide), None)


def _columns(lines: list[list[_Word]], heights: list[int]) -> list[list[_Word]]:
    """Lines in reading order: where consecutive lines each split in two at a wide gap, the
    left parts of the run come first, then the right parts (as a PDF's text layer and a .docx
    table give them).

    The header's first row (two long capitalised names) often leaves a narrower gap than the
    rows below: the line just before a run is cut too where a gap lies between the run's left
    and right parts.
    """
    cuts = [_cut(line, height) for line, height in zip(lines, heights, strict=True)]
    for index, cut in enumerate(cuts):
        if cut is None or (index and cuts[index - 1] is not None):
            continue
        run = [i for i in range(index, len(lines)) if lines[i]]
        run = [i for i in run[: next((k for k, i in enumerate(run) if cuts[i] is None), len(run))]]
        left_end = max(lines[i][cuts[i] - 1].right for i in run)
        right_start = min(lines[i][cuts[i]].left for i in run)
        before = next((i for i in range(index - 1, -1, -1) if lines[i]), None)
        if before is None or cuts[before] is not None:
            continue
        line = lines[before]
        gaps = [line[i].left - line[i - 1].right for i in range(1, len(line))]
        usual = sorted(gaps)[len(gaps) // 2] if gaps else 0
        cuts[before] = next(
            (
                i
                for i in range(1, len(line))
                if line[i - 1].right < right_start and line[i].left > left_end and gaps[i - 1] > 1.5 * usual
            ),
            None,
        )
    out: list[list[_Word]] = []
    lefts: list[list[_Word]] = []
    rights: list[list[_Word]] = []

    def flush() -> None:
        out.extend(lefts)
        out.extend(rights)
        lefts.clear()
        rights.clear()

    for line, cut in zip(lines, cuts, strict=True):
        if not line and lefts:
            continue  # a paragraph break inside the two columns
        if cut is None:
            flush()
            out.append(line)
        else:
            lefts.append(line[:cut])
            rights.append(line[cut:])
    flush()
    return out


def _ocr_input(data: bytes, workdir: Path, *, name: str) -> tuple[Path, list[str]]:
    """The file handed to ocrmypdf, and the options its kind needs."""
    kind = kind_of(data)
    if kind == "pdf":
        source = workdir / "received.pdf"
        source.write_bytes(data)
        return source, []
    if kind == "image":
        from PIL import Image, UnidentifiedImageError

        # Re-saved losslessly (PNG, or LZW TIFF for several pages) without transparency, which
        # ocrmypdf's image-to-PDF step refuses, and with a resolution: IMAGE_DPI when it has none.
        try:
            with Image.open(io.BytesIO(data)) as image:
                dpi = image.info.get("dpi")
                resolution = round(float(dpi[0])) if dpi and float(dpi[0]) >= 72 else IMAGE_DPI
                frames = []
                for index in range(getattr(image, "n_frames", 1)):
                    image.seek(index)
                    frames.append(image.convert("L" if image.mode in ("1", "L", "LA", "I;16") else "RGB"))
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
            raise Unreadable(f"Ảnh quét «{name}» bị hỏng, không đọc được.") from error
        if len(frames) == 1:
            source = workdir / "received.png"
            frames[0].save(source, "PNG", dpi=(resolution, resolution))
        else:
            source = workdir / "received.tif"
            frames[0].save(
                source, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw",
                dpi=(resolution, resolution),
            )  # fmt: skip
        return source, ["--image-dpi", str(resolution)]
    raise Unreadable("Chỉ nhận dạng chữ (OCR) được tệp PDF hoặc ảnh quét (PNG, JPEG, TIFF).")


def ocr(data: bytes, *, name: str) -> Extracted:
    """Read a scan (PDF or image) with ocrmypdf and tesseract's Vietnamese model; pages are
    recognised once, ``OCR_JOBS`` at a time.

    tesseract's hOCR (kept in a private temporary folder) gives both the text and each word's
    confidence. Every page is recognised (``--force-ocr``: a scan with a stamp drawn as text is
    still a scan); no output PDF is assembled (``--output-type none``): the received bytes are
    the record. Raises ``Unreadable`` when ocrmypdf is
    missing or fails.
    """
    ocrmypdf = shutil.which("ocrmypdf")
    if ocrmypdf is None:
        raise Unreadable("Máy chủ chưa cài công cụ nhận dạng chữ (ocrmypdf), không đọc được tệp quét.")
    with tempfile.TemporaryDirectory(prefix="intake-ocr-") as folder:
        workdir = Path(folder)
        source, options = _ocr_input(data, workdir, name=name)
        temporary = workdir / "tmp"
        temporary.mkdir()
        command = [
            ocrmypdf, "-l", "vie", "--jobs", str(OCR_JOBS), "--optimize", "0", "--output-type", "none",
            "--pdf-renderer", "hocr", "--keep-temporary-files", "--force-ocr", "--quiet",
            *options, str(source), "-",
        ]  # fmt: skip
        # ocrmypdf puts its working folder (with each page's hOCR) under TMPDIR.
        environment = {**os.environ, "TMPDIR": str(temporary), "OMP_THREAD_LIMIT": "1"}
        try:
            subprocess.run(  # nosec B603
                command, capture_output=True, timeout=OCR_TIMEOUT, check=True, env=environment
            )
        except subprocess.TimeoutExpired as error:
            raise Unreadable(f"Nhận dạng chữ tệp «{name}» quá lâu, đã dừng.") from error
        except subprocess.CalledProcessError as error:
            log.warning("ocrmypdf failed on %r: %s", name, error.stderr.decode("utf-8", "replace")[-2000:])
            raise Unreadable(f"Không nhận dạng được chữ trong tệp «{name}».") from error
        pages = sorted(temporary.glob("*/*_ocr_hocr.hocr"))
        lines: list[list[_Word]] = []
        for page in pages:
            reader = _HocrReader()
            reader.feed(page.read_text(encoding="utf-8"))
            lines.extend(_columns(reader.lines, reader.heights))
            lines.append([])  # a blank line between pages
    words = [word for line in lines for word in line]
    confidence = round(sum(w.confidence for w in words) / len(words), 1) if words else 0.0
    unsure = [w.text for w in words if w.confidence < LOW_CONFIDENCE]
    text = _nfc("\n".join(" ".join(w.text for w in line) for line in lines))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    per_line = [
        (" ".join(w.text for w in line), round(sum(w.confidence for w in line) / len(line), 1))
        for line in lines
        if line
    ]
    return Extracted(
        text, "ocr", confidence=confidence, low_confidence_words=list(dict.fromkeys(unsure)), lines=per_line
    )
