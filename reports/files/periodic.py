"""The report on assigned tasks as files: an XLSX workbook and a PDF, both A4 landscape.

Both print exactly the figures of ``reports.periodic.report_build``. In the workbook every text
cell goes through ``lib.spreadsheets.write_cell`` (a unit named "=…" stays text), numbers are
numbers, rates are fractions shown as "0.00%", and the totals row holds values, not formulas,
so the file reads the same in any program and cannot be edited into disagreeing with itself.
"""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from directives.pdf import MOTTO, NATIONAL_TITLE, html_to_pdf
from lib.spreadsheets import write_cell
from reports.periodic import COLUMNS, RATE_KEYS, TITLE, Report

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PERCENT = "0.00%"
COUNT = "#,##0"


def _sections(report: Report) -> list[tuple[str, str, str, list[dict]]]:
    """(sheet name, section heading, name column header, rows) of the two tables."""
    return [
        ("Theo đơn vị", "I. THEO ĐƠN VỊ CHỦ TRÌ", "Đơn vị chủ trì", report.units),
        ("Theo lãnh đạo phụ trách", "II. THEO LÃNH ĐẠO PHỤ TRÁCH", "Lãnh đạo phụ trách", report.supervisors),
    ]


def headers(name_header: str) -> list[str]:
    """The column headers of a table, in order."""
    return ["STT", name_header, *[str(header) for _key, header in COLUMNS]]


def _made_at(report: Report) -> str:
    return f"Số liệu tính đến {timezone.localtime(report.at):%H:%M} ngày {timezone.localtime(report.at):%d/%m/%Y}"


# --- XLSX -------------------------------------------------------------------------------


def _font(**kwargs) -> Font:
    return Font(name=FONT, size=kwargs.pop("size", 12), **kwargs)


def _write_table(ws: Worksheet, report: Report, heading: str, name_header: str, rows: list[dict]) -> None:
    width = 2 + len(COLUMNS)
    last = get_column_letter(width)
    lines = [
        (report.agency.name.upper(), _font(bold=True, size=12)),
        (TITLE, _font(bold=True, size=14)),
        (report.period_label, _font(italic=True)),
        (_made_at(report), _font(italic=True, size=11)),
        (heading, _font(bold=True)),
    ]
    for number, (text, font) in enumerate(lines, 1):
        cell = write_cell(ws, row=number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="left" if number == len(lines) else "center")
        if number < len(lines):
            ws.merge_cells(f"A{number}:{last}{number}")
    header_row = len(lines) + 1
    for column, text in enumerate(headers(name_header), 1):
        cell = write_cell(ws, row=header_row, column=column, value=text)
        cell.font = _font(bold=True, size=11)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_row].height = 48

    def write_row(row_number: int, first, row: dict, *, bold: bool) -> None:
        cells = [first, row["name"], *[row["values"][key] for key, _header in COLUMNS]]
        for column, value in enumerate(cells, 1):
            cell = write_cell(ws, row=row_number, column=column, value=value)
            cell.font = _font(bold=bold, size=11)
            cell.border = BOX
            key = COLUMNS[column - 3][0] if column > 2 else None
            if key in RATE_KEYS:
                cell.number_format = PERCENT
            elif key is not None:
                cell.number_format = COUNT
            cell.alignment = Alignment(
                horizontal="left" if column == 2 else ("right" if column > 2 else "center"),
                vertical="center",
                wrap_text=column == 2,
            )

    for offset, row in enumerate(rows, 1):
        write_row(header_row + offset, offset, row, bold=False)
    total_row = header_row + len(rows) + 1
    write_row(total_row, None, report.totals, bold=True)
    ws.cell(row=total_row, column=2).alignment = Alignment(horizontal="center", vertical="center")

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 38
    for column in range(3, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 13
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"C{header_row + 1}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: one sheet per table, ready to print on A4 landscape."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name, heading, name_header, rows in _sections(report):
        _write_table(workbook.create_sheet(sheet_name), report, heading, name_header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------


def report_html(report: Report) -> str:
    local = timezone.localtime(report.at)
    month = f"{local.month:02d}" if local.month <= 2 else str(local.month)
    tables = [
        {
            "heading": heading,
            "headers": headers(name_header),
            "rows": rows,
            "totals": report.totals["cells"],
        }
        for _sheet, heading, name_header, rows in _sections(report)
    ]
    return render_to_string(
        "tasks/report_pdf.html",
        {
            "report": report,
            "title": TITLE,
            "national_title": NATIONAL_TITLE,
            "motto": MOTTO,
            "dateline": {"place": report.agency.place_name, "day": f"{local.day:02d}", "month": month},
            "year": local.year,
            "made_at": _made_at(report),
            "tables": tables,
        },
    )


def report_pdf(report: Report) -> bytes:
    """The report as a PDF on A4 landscape, through the official PDF engine (bundled font, static/ only)."""
    return html_to_pdf(report_html(report))
