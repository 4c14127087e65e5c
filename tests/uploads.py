"""Files for upload tests, made here and small: good ones of each kind, and hostile ones.

Nothing is committed as a binary; the zip bombs compress to a few tens of kilobytes.
"""

import functools
import io
import struct
import zipfile
import zlib
from html.parser import HTMLParser

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def png(name: str = "anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def docx(name: str = "du-thao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes())


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Số liệu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(name: str = "so-lieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes())


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


# --- hostile -------------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03" + b"\x00" * 55 + struct.pack("<I", 64) + b"PE\x00\x00L\x01" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@functools.cache
def zip_bomb_bytes() -> bytes:
    """A DOCX-shaped zip whose one part inflates to 50 MB of zeros (about 50 KB on the wire)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            block = b"\x00" * 2**20
            for _ in range(50):
                part.write(block)
    return buffer.getvalue()


@functools.cache
def big_cell_xlsx_bytes(megabytes: int = 30) -> bytes:
    """A real workbook whose one cell holds ``megabytes`` MB of text (the import's memory bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, source.read(info.filename))
                continue
            with out.open(info.filename, "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
                )
                block = b"A" * 2**20
                for _ in range(megabytes):
                    sheet.write(block)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def hostile_uploads() -> dict[str, tuple[str, bytes]]:
    """name → (file name, content) of each kind the security review sent (over-size apart)."""
    return {
        "exe-as-pdf": ("ke-hoach.pdf", EXE),
        "html-as-pdf": ("cong-van.pdf", HTML),
        "html": ("trang.html", HTML),
        "svg": ("hinh.svg", SVG),
        "zip-bomb": ("bao-cao.docx", zip_bomb_bytes()),
        "big-cell-xlsx": ("so-lieu.xlsx", big_cell_xlsx_bytes()),
    }


# --- submitting a page's own form -------------------------------------------------------------


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser would send back from the page's form, as the page filled it in."""
    reader = _FormReader()
    reader.feed(html)
    return reader.fields
