"""Reading uploaded CSV and XLSX files as rows of text, within limits that keep a hostile file cheap,
and writing cells of exported workbooks so that no text can become a formula.

This knows nothing of what the rows mean; callers map the header to their columns.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText

from lib.uploads import UploadRefused, upload_check

# Reading no further than this many columns bounds the work one very wide row can cause.
MAX_COLUMNS = 40


class SpreadsheetRefused(Exception):
    """The file cannot be read as a spreadsheet; ``message`` says why, for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    name: str
    # (row number as Excel shows it, the cells as stripped NFC text); row 1 comes first.
    rows: list[tuple[int, list[str]]]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in Excel comes back as 913000000.0
    # NFC: text typed with some Vietnamese keyboards arrives decomposed and would not match.
    return unicodedata.normalize("NFC", str(value)).strip()


class _Counter:
    """Refuses the file once it holds more data rows than allowed, across all its sheets."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows, self.data_rows = max_rows, 0

    def limited(self, rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        too_many = _("Tệp có quá %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": self.max_rows}
        for line, cells in rows:
            # Blank rows cost little but are not free: a workbook may claim a million of them.
            if line > 2 * self.max_rows + 1:
                raise SpreadsheetRefused(too_many)
            if line > 1 and any(cells):
                self.data_rows += 1
                if self.data_rows > self.max_rows:
                    raise SpreadsheetRefused(too_many)
            yield line, cells


def _check_content(name: str, content: bytes, kind: str, broken: SpreadsheetRefused) -> None:
    """By content, not by name; for .xlsx this refuses a zip bomb before openpyxl opens it."""
    try:
        upload_check(io.BytesIO(content), name=name, allowed=[kind], max_bytes=len(content))
    except UploadRefused as refused:
        raise (broken if refused.extra.get("reason") == "broken" else SpreadsheetRefused(refused.message)) from None


def _read_csv(name: str, content: bytes, counter: _Counter) -> list[Sheet]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            _("Tệp CSV phải dùng bảng mã UTF-8. Trong Excel, chọn Lưu thành » CSV UTF-8 (phân tách bằng dấu phẩy).")
        ) from None
    _check_content(name, content, "csv", SpreadsheetRefused(_("Không đọc được tệp CSV.")))
    first_line = text.split("\n", 1)[0]
    # Excel on a Vietnamese Windows separates with ";" (the comma is the decimal mark there);
    # elsewhere with ",". The header line, which holds no free text, tells which.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(counter.limited((number, [_cell_text(c) for c in cells]) for number, cells in enumerate(reader, 1)))
    except csv.Error as error:
        raise SpreadsheetRefused(_("Không đọc được tệp CSV: %(reason)s") % {"reason": error}) from None
    return [Sheet(name=name, rows=rows)]


def _read_xlsx(name: str, content: bytes, counter: _Counter) -> list[Sheet]:
    if not content.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused(_("Tệp không phải là tệp Excel .xlsx hợp lệ."))
    broken = SpreadsheetRefused(_("Không mở được tệp Excel: tệp bị hỏng hoặc không phải .xlsx."))
    _check_content(name, content, "xlsx", broken)
    try:
        # openpyxl parses through defusedxml when it is installed (system check units.E002).
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a damaged or hostile workbook fails in many ways; all mean "cannot read it"
        raise broken from None
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            numbered = (
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1)
            )
            sheets.append(Sheet(name=worksheet.title, rows=list(counter.limited(numbered))))
    except SpreadsheetRefused:
        raise
    except Exception:  # the sheet XML is parsed lazily, so damage may only show here
        raise broken from None
    finally:
        workbook.close()
    return sheets


def read_sheets(*, name: str, content: bytes, max_bytes: int, max_rows: int) -> list[Sheet]:
    """Read every sheet of a .csv or .xlsx file as text.

    Raises SpreadsheetRefused, with a message for the person who sent the file, when
    it is empty, larger than ``max_bytes``, holds more than ``max_rows`` data rows,
    is of another type, or cannot be read.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise SpreadsheetRefused(
            _("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
        )
    if suffix not in {".csv", ".xlsx"}:
        raise SpreadsheetRefused(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    if len(content) > max_bytes:
        raise SpreadsheetRefused(
            _("Tệp lớn hơn %(limit)s MB; hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": max_bytes // 2**20}
        )
    if not content.strip():
        raise SpreadsheetRefused(_("Tệp rỗng."))
    counter = _Counter(max_rows)
    return _read_csv(name, content, counter) if suffix == ".csv" else _read_xlsx(name, content, counter)


# --- Writing ---------------------------------------------------------------------------

# What a spreadsheet program may read as the start of a formula (or of a DDE payload once
# the sheet is saved as CSV): "=", "+", "-", "@", and a leading tab or carriage return.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for text a spreadsheet would take for a formula if it were typed in."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(value):
    """Return ``value`` as it must be stored in an exported cell: never a formula.

    Numbers, dates and None pass through. Text is normalised to NFC and stripped of the
    control characters XML cannot hold. Text that starts like a formula is wrapped so that
    openpyxl stores it as a string (``data_type == "s"``), exactly as typed, never as
    ``=…``: openpyxl otherwise writes any text starting with "=" as a formula. Prefer
    ``write_cell``, which also sets Excel's quote prefix (the invisible leading apostrophe)
    so the text stays text when someone edits the cell.
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", value))
    if is_formula_like(text):
        return CellRichText([text])
    return text


def write_cell(worksheet, *, row: int, column: int, value):
    """Put ``safe_cell(value)`` in the cell and return the cell; formula-like text gets the quote prefix."""
    cell = worksheet.cell(row=row, column=column)
    cell.value = stored = safe_cell(value)
    if isinstance(stored, CellRichText):
        cell.quotePrefix = True
    return cell
