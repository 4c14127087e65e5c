"""The registers of Decree 30 Appendix IV as files: an XLSX workbook and a PDF for binding.

Both print every column of ``reports.registers`` in the law's order. The XLSX writes
every cell through ``lib.spreadsheets.write_cell``, so a subject such as ``=HYPERLINK(…)``
is stored as text and never runs as a formula. The PDF goes through the same WeasyPrint
engine, bundled font and static-only fetcher as the official documents (``directives.pdf``).
"""

import io
from datetime import date

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from directives.pdf import html_to_pdf
from lib.spreadsheets import write_cell
from reports.registers import RegisterSheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"

FONT = "Times New Roman"
# Rows of the sheet: agency, title, period, a blank line, then the column headers.
HEADER_ROW = 5
# Inches (openpyxl's unit): the left margin leaves room to bind the printed register.
MARGINS = PageMargins(left=1.0, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)

_thin = Side(style="thin", color="000000")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def filename(sheet: RegisterSheet, extension: str) -> str:
    """``so-van-ban-di_2026-03-01_2026-03-31.xlsx``: ASCII, so every browser keeps it."""
    return f"{sheet.register.slug}_{sheet.start.isoformat()}_{sheet.end.isoformat()}.{extension}"


def register_xlsx(sheet: RegisterSheet) -> bytes:
    """The register as an XLSX workbook laid out to print on landscape A4, one page wide."""
    register = sheet.register
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = register.title.title()[:31]
    last = get_column_letter(len(register.columns))

    for row, text, font in (
        (1, sheet.agency.name.upper(), Font(name=FONT, size=13, bold=True)),
        (2, register.title, Font(name=FONT, size=14, bold=True)),
        (3, sheet.period_label, Font(name=FONT, size=13, italic=True)),
    ):
        worksheet.merge_cells(f"A{row}:{last}{row}")
        cell = write_cell(worksheet, row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")

    header_font = Font(name=FONT, size=13, bold=True)
    body_font = Font(name=FONT, size=12)
    for index, column in enumerate(register.columns, 1):
        cell = write_cell(worksheet, row=HEADER_ROW, column=index, value=column.header)
        cell.font = header_font
        cell.border = _border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        worksheet.column_dimensions[get_column_letter(index)].width = column.width

    for offset, values in enumerate(sheet.cells(), 1):
        row = HEADER_ROW + offset
        for index, (column, value) in enumerate(zip(register.columns, values, strict=True), 1):
            cell = write_cell(worksheet, row=row, column=index, value=value)
            cell.font = body_font
            cell.border = _border
            centred = column.is_date or isinstance(value, int)
            cell.alignment = Alignment(horizontal="center" if centred else "left", vertical="top", wrap_text=True)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"

    worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    worksheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    worksheet.page_setup.orientation = worksheet.ORIENTATION_LANDSCAPE
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins = MARGINS
    worksheet.oddFooter.center.text = "Trang &P/&N"
    worksheet.oddFooter.center.font = f"{FONT},Regular"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_html(sheet: RegisterSheet) -> str:
    """The HTML ``register_pdf`` prints (useful for inspecting the layout)."""
    total = sum(column.width for column in sheet.register.columns)
    columns = [
        {"header": c.header, "percent": f"{100 * c.width / total:.2f}", "is_date": c.is_date}
        for c in sheet.register.columns
    ]
    rows = [
        [
            {
                "value": value,
                "lines": value.split("\n") if isinstance(value, str) and value else [],
                "is_date": column.is_date,
                "is_number": isinstance(value, int),
            }
            for column, value in zip(sheet.register.columns, row, strict=True)
        ]
        for row in sheet.cells()
    ]
    return render_to_string("pdf/register.html", {"sheet": sheet, "columns": columns, "rows": rows})


def register_pdf(sheet: RegisterSheet) -> bytes:
    """The register on landscape A4 with a binding margin, its header row on every page."""
    return html_to_pdf(register_html(sheet), stylesheet="register.css")
