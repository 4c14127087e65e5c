"""Small text helpers every part of the reader uses: flattening, squashing, dates."""

from __future__ import annotations

import datetime
import re
import unicodedata

# --- flattening: one character in, one character out, so positions stay valid -----------------


def _flat_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


_FLAT_TABLE = {code: _flat_char(chr(code)) for code in range(0xC0, 0x1F00)} | {
    code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)
}


def flat(text: str) -> str:
    """Lower case without diacritics, the same length as ``text`` (NFC in)."""
    return text.translate(_FLAT_TABLE)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _strip_entry(text: str) -> str:
    text = _squash(text)
    text = re.sub(r"^[-+•*–]\s*", "", text)
    return text.rstrip(" ;,.").strip()


# --- dates -------------------------------------------------------------------------------------


def _date(day, month, year) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


_DATE_WORDS_RE = re.compile(r"ngày\s+(\d{1,2})\s*tháng\s+(\d{1,2})\s*năm\s+(\d{4})", re.I)
_DATE_SLASH_RE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def _dateline_date(text: str) -> tuple[str | None, int | None]:
    """(ISO date or None, year or None) of a dateline's date part."""
    for pattern in (_DATE_WORDS_RE, _DATE_SLASH_RE):
        match = pattern.search(text)
        if match:
            return _date(*match.groups()), int(match.group(3))
    year = re.search(r"(\d{4})\s*\.?$", text)
    return None, int(year.group(1)) if year else None
