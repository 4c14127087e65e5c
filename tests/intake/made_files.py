"""Received files made in the tests: text-layer PDFs printed by WeasyPrint (the project's own
renderer), scans made from them (pdftoppm, then Pillow), Word files, and a PDF typed in the old
TCVN3 fonts, written by hand."""

import io
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from directives import pdf

HEADER_LEFT = ["UBND TỈNH BÀ RỊA - VŨNG TÀU", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 336/TB-SKHCN"]
HEADER_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Bà Rịa - Vũng Tàu, ngày 05 tháng 01 năm 2021",
]
TITLE = ["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 12 năm 2020"]
BODY = [
    "Ngày 30 tháng 12 năm 2020, Giám đốc Sở Khoa học và Công nghệ chủ trì cuộc họp giao ban định kỳ với "
    "lãnh đạo các phòng, đơn vị thuộc Sở. Sau khi nghe báo cáo, Giám đốc Sở kết luận như sau:",
    "1. Văn phòng Sở tổng hợp kết quả thực hiện nhiệm vụ năm 2020, hoàn thành trước ngày 15/01/2021.",
    "2. Phòng Quản lý khoa học chủ trì, phối hợp Phòng Kế hoạch - Tài chính rà soát các đề tài chậm tiến độ.",
]


def header_html(*, left=HEADER_LEFT, right=HEADER_RIGHT, title=TITLE, body=BODY, decomposed=False, pages=1) -> str:
    """A Decree 30 page: the two-column header table, the title, the body (``pages`` times over)."""

    def cell(lines):
        return "".join(f"<p>{line}</p>" for line in lines)

    paragraphs = "".join(f"<p>{line}</p>" for line in body) * pages
    html = (
        "<html><body style='font-size:13pt'><table style='width:100%'><tr>"
        f"<td style='width:45%;text-align:center;vertical-align:top'>{cell(left)}</td>"
        f"<td style='width:55%;text-align:center;vertical-align:top'>{cell(right)}</td></tr></table>"
        f"<div style='text-align:center'>{cell(title)}</div>{paragraphs}</body></html>"
    )
    return unicodedata.normalize("NFD", html) if decomposed else html


def text_pdf(**kwargs) -> bytes:
    return pdf.html_to_pdf(header_html(**kwargs))


def page_images(pdf_bytes: bytes, *, dpi: int = 300, first: int = 1, last: int = 2) -> list:
    """The pages rasterised by pdftoppm (greyscale), as Pillow images."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf_bytes)
        command = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(first), "-l", str(last)]
        subprocess.run([*command, str(source), f"{folder}/page"], check=True, capture_output=True)
        images = []
        for path in sorted(Path(folder).glob("page-*.png")):
            with Image.open(path) as image:
                images.append(image.copy())
        return images


def scan_pdf(pdf_bytes: bytes, *, dpi: int = 300, pages: int = 2) -> bytes:
    """A scan of ``pdf_bytes``: its first pages as images in a PDF with no text at all."""
    images = page_images(pdf_bytes, dpi=dpi, last=pages)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def image_bytes(pdf_bytes: bytes, *, kind: str = "PNG", dpi: int = 300) -> bytes:
    out = io.BytesIO()
    page_images(pdf_bytes, dpi=dpi, last=1)[0].save(out, kind, dpi=(dpi, dpi))
    return out.getvalue()


def docx_bytes(*, left=HEADER_LEFT, right=HEADER_RIGHT, title=TITLE, body=BODY) -> bytes:
    """A .docx laid out as Decree 30 asks: the header in a two-column table, then paragraphs."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for line in [*title, *body]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def legacy_pdf(lines: list[tuple[str, str]]) -> bytes:
    """A one-page PDF whose text is in old Vietnamese fonts, as Word printed them before Unicode:
    each line is (font name, text as the font's bytes read as Latin-1). The fonts are not
    embedded and use WinAnsi, so a reader gets the bytes back as Latin-1 letters."""
    fonts = sorted({font for font, _ in lines})
    content = ["BT", "14 TL"]
    y = 800
    for font, text in lines:
        escaped = text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content.append(f"/F{fonts.index(font)} 12 Tf 1 0 0 1 60 {y} Tm (" + escaped.decode("latin-1") + ") Tj")
        y -= 20
    content.append("ET")
    stream = "\n".join(content).encode("latin-1")
    font_refs = " ".join(f"/F{i} {5 + i} 0 R" for i in range(len(fonts)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        f"/Resources << /Font << {font_refs} >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    for font in fonts:
        objects.append(
            f"<< /Type /Font /Subtype /TrueType /BaseFont /{font} /Encoding /WinAnsiEncoding "
            "/FirstChar 32 /LastChar 255 >>".encode()
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
