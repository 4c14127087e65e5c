"""Reading uploaded CSV and XLSX files as rows of text, within limits that keep a hostile file cheap.

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


def _read_csv(name: str, content: bytes, counter: _Counter) -> list[Sheet]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            _("Tệp CSV phải dùng bảng mã UTF-8. Trong Excel, chọn Lưu thành » CSV UTF-8 (phân tách bằng dấu phẩy).")
        ) from None
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


def _read_xlsx(content: bytes, counter: _Counter) -> list[Sheet]:
    if not content.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused(_("Tệp không phải là tệp Excel .xlsx hợp lệ."))
    broken = SpreadsheetRefused(_("Không mở được tệp Excel: tệp bị hỏng hoặc không phải .xlsx."))
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
    return _read_csv(name, content, counter) if suffix == ".csv" else _read_xlsx(content, counter)


# A spreadsheet program runs a cell that starts with one of these as a formula (or DDE call);
# tab and carriage return are on OWASP's list because some programs strip them first.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` as openpyxl should store it in an export: text stays text, never a formula.

    openpyxl writes any string starting with "=" as a formula; a name or title typed as
    "=HYPERLINK(…)" or "+1-2" would then run in the reader's spreadsheet program. Such strings
    are prefixed with an apostrophe (OWASP's advice for CSV injection), so the cell holds text
    whatever program opens it. Numbers, dates, booleans and None pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
