"""Read an administrative document's formal elements from its plain text (issue #17).

CONTRACT (owned by the parser's author; the rest of the app builds on it):

    parse(text: str, *, units=(), organisations=(), agency=None) -> dict

- ``text``: any plain text, NFC or not (a PDF's text layer, a .docx's paragraphs, OCR output,
  a copy of a web page with menus around the article). Two columns merged on one line (a PDF's
  text layer) are told apart by a run of three or more spaces or a tab.
- ``units``: the receiving agency's ``units.Unit`` objects (saved or not: only ``name``,
  ``abbreviation``, ``aliases`` and ``kind`` are read); ``organisations``: known outside bodies
  (``units.Organisation``: ``name``, ``abbreviation``); ``agency``: the receiving ``Agency``
  (``name``, ``abbreviation``), itself a body a point may name. No queries, no network.
- Answers a dict with every key of ``document.schema.json`` (unknown → None or [] , never ""),
  plus ``"uncertain"``: the names of the top-level fields the parser found but is not sure of
  (the screen marks them), plus, per item, ``"recurrence"`` (None, "weekly", "monthly",
  "quarterly", "half-yearly", "yearly") when the point states a repeating deadline.
- ``items[].lead_units`` / ``cooperating_units`` hold the canonical names (``Unit.name``,
  ``Organisation.name``, ``Agency.name``) of the bodies named, never text that matched none.
- Every string is NFC. A value is read only from where Decree 30 puts it (or from a portal's table
  of particulars around a copied page); nothing is inferred from elsewhere: docs/reading.md states
  each rule, what stays null, and the conventions of the hand-written expected files.
- ``items`` are the leaf numbered points (``I.``/``1.``/``1.1.``/``a)``/``Điều N``; a Roman
  heading never is one), labelled with their parents' numbers (``II.3.a``), each with
  ``lead_units``, ``cooperating_units``, ``deadline`` (ISO date or None) and ``recurrence``.
- Pure and fast: no queries, no network, no state between calls; a 3-page text takes a few tens
  of milliseconds (bench/bench_parse.py). It never raises on any text.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tasks.points import name_candidates, unit_mentions

FIELDS = (
    "kind", "doc_type", "type_abbr", "number", "symbol", "parent_body", "issuer", "place", "issued_on",
    "subject", "urgency", "confidentiality", "addressees", "references", "body", "items", "signer",
    "distribution",
)  # fmt: skip

# Decree 30's type names (flattened → as spelled) and their abbreviations (Appendix III).
TYPES = {
    "nghi quyet": ("Nghị quyết", "NQ"),
    "quyet dinh": ("Quyết định", "QĐ"),
    "chi thi": ("Chỉ thị", "CT"),
    "quy che": ("Quy chế", "QC"),
    "quy dinh": ("Quy định", "QyĐ"),
    "thong cao": ("Thông cáo", "TC"),
    "thong bao": ("Thông báo", "TB"),
    "huong dan": ("Hướng dẫn", "HD"),
    "chuong trinh": ("Chương trình", "CTr"),
    "ke hoach": ("Kế hoạch", "KH"),
    "phuong an": ("Phương án", "PA"),
    "de an": ("Đề án", "ĐA"),
    "bao cao": ("Báo cáo", "BC"),
    "bien ban": ("Biên bản", "BB"),
    "to trinh": ("Tờ trình", "TTr"),
    "cong dien": ("Công điện", "CĐ"),
    "giay moi": ("Giấy mời", "GM"),
}
_TYPE_BY_ABBR = {abbr: name for name, abbr in TYPES.values()}
_ABBR_BY_TYPE = {name: abbr for name, abbr in TYPES.values()}
# Types a citation may name besides the typed documents.
_CITED_TYPES = {
    "cong van": "Công văn",
    "van ban": "Văn bản",
    "nghi dinh": "Nghị định",
    "thong tu lien tich": "Thông tư liên tịch",
    "thong tu": "Thông tư",
    "thong bao ket luan": "Thông báo kết luận",
    "luat": "Luật",
    "ket luan": "Kết luận",
    **{key: name for key, (name, _abbr) in TYPES.items()},
}
MARKS = {
    "hoa toc": ("urgency", "Hỏa tốc"),
    "thuong khan": ("urgency", "Thượng khẩn"),
    "khan": ("urgency", "Khẩn"),
    "tuyet mat": ("confidentiality", "Tuyệt mật"),
    "toi mat": ("confidentiality", "Tối mật"),
    "mat": ("confidentiality", "Mật"),
}
AUTHORITIES = ("KT.", "TL.", "TM.", "Q.", "TUQ.")

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


# --- lines and columns -------------------------------------------------------------------------

_COLUMNS_RE = re.compile(r"\t+| {3,}")
_NATIONAL_RE = re.compile(
    r"dang\s+cong\s+san\s+viet\s+nam|cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"
    r"|doc\s+lap\s*[-–—]\s*tu\s+do\s*[-–—]\s*hanh\s+phuc"
)
_RULE_RE = re.compile(r"^[\s_\-–—=*.]{3,}$")
_SO = "S[oOòóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ]"  # «Số», also as OCR misreads it («Sô», «Sồ»)
_SYMBOL_LINE_RE = re.compile(rf"^{_SO}\s*[:.]?\s*((?:\d+\s*(?:-\s*[A-ZĐ][\w]*\s*)?)?/\s*\S.*?)\s*$")
_DATELINE_RE = re.compile(
    r"^(?P<place>[^\W\d_][^,\d]{1,40}?)\s*,\s*(?P<date>(?:(?:ng[àa]y\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ng[àa]y\b.*?n[ăa]m\s*\d{4}))\s*\.?$",
    re.I,
)
_VV_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*(.*)$")
_KINH_GUI_FLAT_RE = re.compile(r"^kinh\s+gui\s*:?\s*")
_NOI_NHAN_FLAT_RE = re.compile(r"^noi\s+nhan\s*:?\s*")


class _Lead:
    """A line's leading words matched without diacritics («Kính gửi», OCR's «Kinh gừi»); ``group(1)``
    is what follows them, as printed."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def match(self, text: str) -> re.Match | None:
        found = self.pattern.match(flat(text))
        return re.match(rf"(?s)^.{{{found.end()}}}(.*)$", text) if found else None


_KINH_GUI_RE = _Lead(_KINH_GUI_FLAT_RE)
_NOI_NHAN_RE = _Lead(_NOI_NHAN_FLAT_RE)
_AUTHORITY_RE = re.compile(r"^(KT|TL|TM|Q|TUQ)\s*\.\s*(\S.*)$|^(K/T|T/L|T/M)\s*\.?\s*(\S.*)$")
_SIGNED_RE = re.compile(r"^[(\[]?\s*(đã ký|da ky|ký|ky|đã duyệt)\b.*$", re.I)
# Words a header body's name begins with (a line beginning otherwise continues the line above).
_BODY_WORDS = (
    "ubnd", "uy ban", "hoi dong", "so ", "bo ", "van phong", "ban ", "chi cuc", "cuc ", "tong cuc",
    "trung tam", "thanh tra", "cong an", "tinh uy", "thanh uy", "huyen uy", "dang uy", "chinh phu",
    "thu tuong", "phong ", "vien ", "dang bo", "truong ", "benh vien", "bch", "ban chi dao", "to ", "doan ",
)  # fmt: skip

# Web page noise: a line that is dropped, and a line from which everything is dropped.
_NOISE_RE = re.compile(
    r"^(skip to (main )?content|trang chu\b|trang nhat\b"
    r"|(thu (hai|ba|tu|nam|sau|bay)|chu nhat)\s*[-,]?\s*\d"
    r"|\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}|\d{1,2}:\d{2}\s+\d{1,2}/\d{1,2}/\d{4}"
    r"|\(?(?:anh|nguon anh|video|clip)\s*:|luot xem|chia se\b|in bai( viet)?$|gui email"
    r"|\d{1,3}$|trang \d{1,3}( ?/ ?\d{1,3})?$"
    r"|nguoi ky\s*:|ky boi\s*:|thoi gian ky\s*:|email\s*:|co quan\s*:.*(?:@|\+07)"
    r"|facebook|twitter|zalo$|dang nhap$|tim kiem$|ngay dang\s*:|cap nhat\s*:|nguon\s*:)"
)
_END_RE = re.compile(
    r"^(tac gia( bai viet)?\s*:|tong so diem|click de danh gia|nhung tin moi hon|nhung tin cu hon|tin lien quan"
    r"|cac tin khac|bai viet lien quan|tin cung chuyen muc|xem them\s*:?$|thong ke truy cap|dang truy cap"
    r"|ban quyen|copyright|©|tai ve\b|y kien ban doc|binh luan|gui y kien|tin moi nhat|cac tin da dua|tin da dua"
    r"|lien ket website|ve dau trang|len dau trang|tep dinh kem|file dinh kem|van ban lien quan)"
)


_BLANK_DATE_RE = re.compile(r"(ng[àa]y|th[áa]ng)[\s.…_]{2,}(?=(?:\d{1,2}\s+)?(?:th[áa]ng|n[ăa]m))", re.I)


def _national(text: str, match: re.Match) -> bool:
    """The national title is printed in capitals, the motto stands alone: «thành lập Đảng Cộng sản
    Việt Nam» in a sentence is neither."""
    found = text[match.start() : match.end()]
    if match.group().startswith("doc"):
        return not text[: match.start()].strip(" -–") or not text[match.end() :].strip(" -–") or _is_upper(text)
    return _is_upper(found)


def _columns(line: str) -> list[str]:
    """The column fragments of a line, the national title and motto dropped."""
    line = _BLANK_DATE_RE.sub(r"\1 ", line)  # «ngày      tháng      năm 2021» is one fragment
    parts = []
    for part in _COLUMNS_RE.split(line):
        folded = flat(part)
        for match in reversed(list(_NATIONAL_RE.finditer(folded))):
            if not _national(part, match):
                continue
            part = part[: match.start()] + "   " + part[match.end() :]
            folded = flat(part)
        parts += [
            p
            for p in (_squash(p) for p in _COLUMNS_RE.split(part))
            if p and not _RULE_RE.match(p) and re.search(r"\w", p)
        ]  # a rule, or OCR's stray «|», is no text
    return [piece for part in parts for piece in _split_merged(part)]


_SYMBOL_PART_RE = re.compile(rf"^({_SO}\s*[:.]?\s*(?:\d+\s*)?/\s*[\w&.]+(?:\s?[-–]\s?[\w&.]+)*)\s+(\S.*)$")
_PLACE_WORD_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*|-|–)$")


def _split_merged(fragment: str) -> list[str]:
    """Split two columns a text layer merged with single spaces: «Số: 489/SCT-VP Quảng Trị, ngày …»,
    «V/v tăng cường … Quảng Trị, ngày …». The place is the run of capitalised words before «, ngày»."""
    symbol = _SYMBOL_PART_RE.match(fragment)
    if symbol and _DATELINE_RE.match(symbol.group(2)) is None and ", ng" not in symbol.group(2):
        return [fragment] if not re.match(r"^[A-ZĐ]", symbol.group(2)) else [symbol.group(1), symbol.group(2)]
    if symbol:
        return [symbol.group(1), *_split_merged(symbol.group(2))]
    comma = re.search(r",\s*ng[àa]y\b", fragment)
    if not comma or (_DATELINE_RE.match(fragment) and len(fragment[: comma.start()].split()) <= 6):
        return [fragment]  # no dateline, or a dateline alone
    words = fragment[: comma.start()].split()
    place: list[str] = []
    while words and _PLACE_WORD_RE.match(words[-1]) and len(place) < 6:
        place.insert(0, words.pop())
    while place and place[0] in "-–":
        words.append(place.pop(0))
    if not words or not place or not _DATELINE_RE.match(" ".join(place) + fragment[comma.start() :]):
        return [fragment]
    return [" ".join(words), " ".join(place) + fragment[comma.start() :]]


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


# --- the reader --------------------------------------------------------------------------------


@dataclass
class _Head:
    symbol: str | None = None
    bodies: list[str] = field(default_factory=list)
    place: str | None = None
    issued_on: str | None = None
    year: int | None = None
    doc_type: str | None = None
    vv: list[str] | None = None
    typed_subject: list[str] | None = None
    marks: dict[str, str] = field(default_factory=dict)
    damaged: set[str] = field(default_factory=set)
    addressees: list[str] | None = None


_OLD_TONES = str.maketrans({"Ò": "O", "Ó": "O", "Ỏ": "O", "Õ": "O", "Ọ": "O"})


def _new_tones(text: str) -> str:
    """«HOẢ TỐC» and «HỎA TỐC» are one word: the tone mark's old and new places (oa, oe, uy)."""
    return re.sub(
        r"([OU])([ÀÁẢÃẠ]|[ÈÉẺẼẸ]|[ỲÝỶỸỴ])",
        lambda m: _tone_to(m.group(1), m.group(2)),
        text,
    )


def _tone_to(first: str, second: str) -> str:
    base = unicodedata.normalize("NFD", second)
    return unicodedata.normalize("NFC", first + base[1:]) + base[0]


def _mark(fragment: str) -> tuple[str, str, bool] | None:
    key = " ".join(re.sub(r"[^\w]+", " ", flat(fragment)).split())
    if key in MARKS and _is_upper(fragment):
        name, value = MARKS[key]
        printed = _new_tones(fragment.strip(" .").upper())
        return name, value, printed != value.upper()
    return None


def _type_line(fragment: str) -> str | None:
    key = " ".join(flat(fragment).split())
    if key in TYPES and _is_upper(fragment):
        return TYPES[key][0]
    return None


def _starts_body(fragment: str) -> bool:
    key = flat(fragment) + " "
    return key.startswith(_BODY_WORDS)


def _is_anchor(line: str) -> bool:
    if any(_national(line, match) for match in _NATIONAL_RE.finditer(flat(line))):
        return True
    for fragment in _columns(line):
        if _SYMBOL_LINE_RE.match(fragment) or _DATELINE_RE.match(fragment) or _type_line(fragment):
            return True
        if _VV_RE.match(fragment) and fragment[:3].lower() == "v/v":
            return True
    return False


def _title_like(line: str) -> bool:
    """A headline, a link or a caption: words without a sentence's final punctuation."""
    return len(line.split()) >= 3 and not re.search(r"[.:;!?…]\s*[\"”»)]?$", line) and not _POINT_RE.match(line)


def _paragraph_like(line: str) -> bool:
    return bool(re.search(r"[.:;!?…]\s*[\"”»)]?$", line)) and len(line) >= 40 or len(line) >= 200


def _clean(text: str) -> list[str]:
    text = _nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text).replace("\u200b", "").replace("\ufeff", "")
    return [line.rstrip() for line in text.split("\n")]


def _read_head(lines: list[str], start: int) -> tuple[_Head, int]:
    """Read the header from ``start``; answer it and the index of the body's first line."""
    head = _Head()
    state = "head"
    i = start
    subject_done = False
    listing = False  # the last addressee ended with «;»: another follows
    while i < len(lines):
        line = lines[i]
        fragments = _columns(line)
        blank_before = i > start and not lines[i - 1].strip()
        if not fragments:
            if (state == "vv" and head.vv) or (state == "typed" and head.typed_subject):
                state, subject_done = "head", True
            elif state == "addressees" and head.addressees:
                state = "after_addressees"
            i += 1
            continue
        first = fragments[0]
        if state == "after_addressees":
            if re.match(r"^[-+•]", first):
                state = "addressees"
            elif listing and len(first) < 100 and not blank_before:
                # entries without their dash, one a line, the one above ending with «;»
                head.addressees.append(_strip_entry(" ".join(fragments)))
                listing = first.endswith(";")
                i += 1
                continue
            else:
                return head, i
        if state == "addressees":
            if re.match(r"^[-+•]", first):
                head.addressees.append(_strip_entry(" ".join(fragments)))
                i += 1
                continue
            if not head.addressees and len(first) < 100:
                head.addressees.append(_strip_entry(" ".join(fragments)))
                state = "after_addressees"
                listing = first.endswith(";")
                i += 1
                continue
            return head, i
        kinh = _KINH_GUI_RE.match(" ".join(fragments))  # «Kính gửi:      Sở Tài chính» spaced out
        if kinh:
            head.addressees = [a for a in (_strip_entry(p) for p in kinh.group(1).split(";")) if a]
            state = "addressees"
            i += 1
            continue
        if state == "typed":
            if re.match(r"^(Căn cứ|Điều\s+\d|[IVX]+\.|\d+\.)", first) or (
                # a subject is a few short lines in sentence case; the enacting authority's line
                # («GIÁM ĐỐC SỞ …») or a paragraph after it, without a blank line, is the body
                head.typed_subject
                and (
                    len(head.typed_subject) >= 4
                    or _is_upper(first)
                    or len(first) > 120
                    or first.endswith((".", ":", ";"))
                )
            ):
                return head, i
            head.typed_subject = (head.typed_subject or []) + [" ".join(fragments)]
            i += 1
            continue
        body_line = True
        for position, fragment in enumerate(fragments):
            if (
                state == "vv"
                and position == 0
                and not (_DATELINE_RE.match(fragment) or _mark(fragment) or _SYMBOL_LINE_RE.match(fragment))
                and len(fragment) <= 100  # a V/v block is a narrow column; a long line is the body
                and not fragment.endswith((":", ";"))
            ):
                head.vv.append(fragment)
                body_line = False
                continue
            symbol = _SYMBOL_LINE_RE.match(fragment)
            dateline = _DATELINE_RE.match(fragment)
            if symbol and not head.symbol:
                head.symbol = re.sub(r"\s+", "", symbol.group(1))
                body_line = False
                continue
            if dateline and not head.place:
                head.place = _squash(dateline.group("place"))
                head.issued_on, head.year = _dateline_date(dateline.group("date"))
                body_line = False
                continue
            mark = _mark(fragment)
            if mark:
                head.marks[mark[0]] = mark[1]
                if mark[2]:
                    head.damaged.add(mark[0])
                body_line = False
                continue
            if flat(fragment).strip(" .") == "du thao":
                body_line = False
                continue
            vv = _VV_RE.match(fragment)
            if vv and head.vv is None and head.doc_type is None:
                head.vv = [vv.group(1)] if vv.group(1) else []
                state = "vv"
                body_line = False
                continue
            doc_type = _type_line(fragment)
            if doc_type and head.doc_type is None and head.vv is None:
                head.doc_type = doc_type
                state = "typed"
                body_line = False
                continue
            if _is_upper(fragment) and not subject_done and head.vv is None and head.doc_type is None:
                if head.symbol is None:
                    head.bodies.append(fragment)
                body_line = False
                continue
        if body_line and state in ("head", "vv"):
            return head, i
        if state == "vv" and subject_done:
            state = "head"
        i += 1
    return head, i


def _header_bodies(fragments: list[str]) -> tuple[str | None, str | None]:
    names: list[str] = []
    for fragment in fragments:
        if names and not _starts_body(fragment):
            names[-1] += " " + fragment
        else:
            names.append(fragment)
    if not names:
        return None, None
    if len(names) == 1:
        return None, names[0]
    return names[0], " ".join(names[1:])


def _header_start(lines: list[str]) -> int | None:
    """The first line of the header, or None when the text has none (a web article)."""
    for index, line in enumerate(lines[:60]):
        if _is_anchor(line):
            start = index
            j = index - 1
            collected = 0
            while j >= 0 and index - j <= 6:
                fragments = _columns(lines[j])
                if fragments and not all(_is_upper(f) for f in fragments):
                    break
                if not fragments and collected >= 2:
                    break  # parent and issuer found: a line in capitals above a gap is a site's banner
                if fragments:
                    start, collected = j, collected + 1
                j -= 1
            while start < index and not (_starts_body(lines[start].strip()) or _mark(lines[start].strip())):
                start += 1
            return start
    return None


# --- the tail: Nơi nhận and the signature --------------------------------------------------------


_RANK_RE = re.compile(r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|úy|tướng)|(?:PGS\.\s?|GS\.\s?)?TS\.|ThS\.|KS\.|BS\.)\s+")


def _name_like(fragment: str) -> bool:
    fragment = _RANK_RE.sub("", fragment)  # «Đại tá Lê Minh Tuấn», «TS. Trần Văn A»: the rank is printed with the name
    words = fragment.split()
    return (
        2 <= len(words) <= 6
        and all(w[0].isupper() for w in words)
        and not re.search(r"[\d:;,.()/]", fragment)
        and not _is_title(fragment)
    )


_TITLE_WORDS_RE = re.compile(
    r"^(giam doc|pho |chu tich|truong|chanh|bo truong|thu truong|cuc truong|chi cuc truong|tong|thu tuong"
    r"|ke toan|(kt|tl|tm|q|tuq)\s*\.|uy vien|bi thu|thu ky|nguoi|trinh|ban|uy ban|to truong)"
)


def _is_title(fragment: str) -> bool:
    return _is_upper(fragment) and bool(_TITLE_WORDS_RE.match(flat(fragment)))


def _sig_like(line: str) -> bool:
    fragments = _columns(line)
    return bool(fragments) and all(
        _AUTHORITY_RE.match(f) or (_is_upper(f) and len(f.split()) <= 8 and not re.search(r"\d", f))
        or _SIGNED_RE.match(f) or _name_like(f)
        for f in fragments
    )  # fmt: skip


def _tail_start(lines: list[str], start: int) -> int:
    """The index of the first line after the body: «Nơi nhận» or the signature block."""
    end = len(lines)
    for index in range(start, len(lines)):
        fragments = _columns(lines[index])
        if fragments and any(_NOI_NHAN_RE.match(f) for f in fragments):
            end = index
            break
    index = end - 1
    top = end
    while index >= start:
        line = lines[index].strip()
        if not line:
            index -= 1
            continue
        if not _sig_like(line):
            break
        top = index
        index -= 1
    # a signature block has a title or authority line; a lone name line ends a web article
    return top


def _read_tail(lines: list[str]) -> tuple[dict, list[str]]:
    signer = {"authority": None, "authority_title": None, "title": None, "name": None}
    distribution: list[str] = []
    signature: list[str] = []
    in_list = False
    fragments = []
    for line in lines:
        for fragment in _columns(line):
            # the signature column merged with single spaces: «- Như trên; PHÓ GIÁM ĐỐC»
            merged = re.match(r"^((?:[-+•]|Lưu).*?[;.]|Nơi nhận\s*:)\s+(\S.*)$", fragment)
            other = merged.group(2) if merged else ""
            if merged and (
                _AUTHORITY_RE.match(other) or (_is_upper(other) and len(other.split()) >= 2) or _name_like(other)
            ):
                fragments += [merged.group(1), merged.group(2)]
            else:
                fragments.append(fragment)
    for fragment in fragments:
        noi = _NOI_NHAN_RE.match(fragment)
        if noi:
            in_list = True
            if noi.group(1):
                distribution.append(_strip_entry(noi.group(1)))
            continue
        if re.match(r"^[-+•]", fragment) or re.match(r"^Lưu\b", fragment):
            distribution.append(_strip_entry(fragment))
            continue
        if in_list and re.search(r"[;.]$", fragment) and not _is_upper(fragment) and not _name_like(fragment):
            distribution.append(_strip_entry(fragment))  # an entry whose «-» a .docx's bullet list lost
            continue
        if in_list and distribution and fragment[0].islower():
            distribution[-1] = _strip_entry(distribution[-1] + " " + fragment)
            continue
        signature.append(fragment)
    titles = []
    for fragment in signature:
        authority = _AUTHORITY_RE.match(fragment)
        if authority:
            if signer["authority"] is None:  # the Party's «T/M» is the State's «TM.»
                signer["authority"] = (authority.group(1) or authority.group(3)).replace("/", "") + "."
                signer["authority_title"] = _squash(authority.group(2) or authority.group(4))
            continue
        if _SIGNED_RE.match(fragment):
            continue
        if _is_upper(fragment) and (not titles or _is_title(fragment)) and signer["name"] is None:
            titles.append(_squash(fragment))
        elif _name_like(fragment) or (_is_upper(fragment) and titles):
            signer["name"] = _squash(fragment)
    if titles:
        signer["title"] = titles[-1]
    return signer, [d for d in distribution if d]


# --- the body ----------------------------------------------------------------------------------

_POINT_RE = re.compile(
    r"^(?:(?P<article>Điều\s+\d{1,3})\s*[.:]?|(?P<roman>[IVX]{1,5})\s*[.)]|(?P<decimal>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<arabic>\d{1,2})\s*[.)]|(?P<letter>[a-zđ])\s*[)]|(?P<letter2>[a-zđ])\.)\s+(?P<text>\S.*)$"
)
_CLOSING_RE = re.compile(
    r"^(Trên đây|Nơi nhận|Yêu cầu (các|Thủ trưởng)|Đề nghị (các|Thủ trưởng)\b.*(nghiêm túc|thực hiện)|"
    r"Quyết định này có hiệu lực|Trong quá trình (tổ chức )?thực hiện,? nếu)",
)


def _join(paragraphs: list[tuple[str, bool]]) -> list[str]:
    """Join a wrapped paragraph's lines: (line, blank line before it) in, paragraphs out."""
    out: list[str] = []
    for line, after_blank in paragraphs:
        previous = out[-1] if out else None
        wrapped = (
            previous is not None
            and not after_blank
            and not _POINT_RE.match(line)
            and not re.match(r"^[-+•]\s", line)
            and not re.search(r"[.:;!?]\s*[\"”»)]?$|\./\.$", previous)
            and (line[0].islower() or len(previous) >= 70)
            and not _is_upper(previous)  # a heading in capitals stands alone
        )
        if wrapped:
            out[-1] = previous + " " + line
        else:
            out.append(line)
    return out


def _body_lines(lines: list[str], web: bool, headline: str | None) -> list[str]:
    kept: list[tuple[str, bool]] = []
    blank = True
    for raw in lines:
        line = _squash(raw)
        if not line:
            blank = True
            continue
        if _RULE_RE.match(line):
            continue
        if web and (_title_like(line) or (headline and flat(line) == flat(headline))):
            continue
        kept.append((line, blank))
        blank = False
    return _join(kept)


# --- references --------------------------------------------------------------------------------

_CITED_WORDS = "|".join(sorted((re.escape(k) for k in _CITED_TYPES), key=len, reverse=True))
_SYM = (
    r"(?:\d{1,5}(?:\s?/\s?\d{4})?\s?/\s?[A-ZĐ][A-Za-zĐđ&]*(?:\s?[-–]\s?[A-ZĐ][A-Za-zĐđ&]*)*"
    r"|\d{1,4}\s?-\s?[A-ZĐ][A-Za-zĐđ]*\s?/\s?[A-ZĐ][A-Za-zĐđ&]*)"  # the Party's «05-CT/TU»
)
_CITE_RE = re.compile(
    rf"(?<![\w])(?P<type>{_CITED_WORDS})\s+(?:so\s*:?\s*)?(?P<symbol>{_SYM.lower()})(?![\w/])"
    r"(?:\s*,?\s*(?:ban hanh\s+)?ngay\s+(?:(?P<d1>\d{1,2})\s*[/.-]\s*(?P<m1>\d{1,2})\s*[/.-]\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4})))?"
)
_ISSUER_STOP_RE = re.compile(
    r"\s+(?:về|v/v|V/v|ban hành|phê duyệt|giao|tại|theo|để|nhằm|đối với|quy định|hướng dẫn|triển khai|thực hiện|gồm|"
    r"đề nghị|yêu cầu|gửi|báo cáo|chỉ đạo|thông báo|"
    r"trong|"
    r"và\s+(?:các|công văn|văn bản|chỉ thị|quyết định|kế hoạch|thông báo))\b|[,.;:()\"“”]|\s+-\s+[a-zđ]"
)


def _references(text: str) -> list[dict]:
    """Every cited document in order of first citation, each symbol once."""
    folded = flat(text)
    found: dict[str, dict] = {}
    for match in _CITE_RE.finditer(folded):
        symbol = re.sub(r"\s+", "", text[match.start("symbol") : match.end("symbol")]).replace("–", "-")
        if not re.search(r"[A-ZĐ]", symbol):
            continue
        day, month, year = match.group("d1", "m1", "y1") if match.group("d1") else match.group("d2", "m2", "y2")
        issued_on = _date(day, month, year) if year else None
        issuer = None
        after = text[match.end() :]
        of = re.match(r"\s*,?\s*của\s+(\S.*)", after, re.S)
        if of:
            rest = of.group(1)[:120]
            stop = _ISSUER_STOP_RE.search(rest)
            candidate = _squash(rest[: stop.start()] if stop else rest)
            if candidate and len(candidate.split()) <= 10 and candidate[0].isupper():
                issuer = candidate
        if issuer is None:
            before = re.search(r"của\s+(\S[^,.;:]{1,60}?)\s+tại\s*$", text[max(0, match.start() - 80) : match.start()])
            if before:
                issuer = _squash(before.group(1))
        entry = found.get(symbol)
        if entry is None:
            found[symbol] = {
                "doc_type": _CITED_TYPES[" ".join(match.group("type").split())],
                "symbol": symbol,
                "issued_on": issued_on,
                "issuer": issuer,
            }
        else:
            entry["issued_on"] = entry["issued_on"] or issued_on
            entry["issuer"] = entry["issuer"] or issuer
    return list(found.values())


# --- items: nested points, their units, deadlines ------------------------------------------------


@dataclass
class _Node:
    level: int
    label: str
    paragraphs: list[str]
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)


_LEVELS = {"roman": 0, "article": 1, "arabic": 1, "decimal": 2, "letter": 3, "letter2": 3}


def _points(body: list[str]) -> list[_Node]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    current: _Node | None = None
    for paragraph in body:
        match = _POINT_RE.match(paragraph)
        kind = next((k for k in _LEVELS if match and match.group(k)), None) if match else None
        in_article = any(n.label.startswith("Điều") for n in stack)
        if kind and in_article and kind != "article" and kind != "roman":
            kind = None  # an article's clauses stay in its text
        if kind is None:
            if _CLOSING_RE.match(paragraph) or paragraph.endswith("./."):
                current = None
                stack = [n for n in stack if n.level == 0]
            elif current is not None:
                current.paragraphs.append(paragraph)
            continue
        level = _LEVELS[kind]
        number = _squash(match.group(kind))
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        label = number if parent is None else f"{parent.label}.{number}"
        if kind == "decimal" and parent is not None and number.startswith(parent.label.split(".")[-1] + "."):
            # «2.1.» under «2.» repeats its parent's number: II › 2 › 2.1 is «II.2.1»
            label = number if parent.parent is None else f"{parent.parent.label}.{number}"
        node = _Node(level, label, [match.group("text")], parent)
        (parent.children if parent else roots).append(node)
        stack.append(node)
        current = node
    leaves: list[_Node] = []

    def walk(nodes: list[_Node]) -> None:
        for node in nodes:
            if node.children:
                walk(node.children)
            elif node.level > 0:  # a Roman heading is a part of the document, never a task
                leaves.append(node)

    walk(roots)
    return leaves


@dataclass
class _Body:
    """An organisation or the agency, named like a unit but without a unit's kind words."""

    name: str
    abbreviation: str = ""
    aliases: str = ""
    kind: str = ""


def _short_forms(name: str) -> list[str]:
    """«Sở Khoa học và Công nghệ» is written «Sở KH&CN»; «UBND tỉnh» «Ủy ban nhân dân tỉnh»."""
    forms = []
    match = re.match(r"^(Sở|Bộ)\s+(.+\s+và\s+.+)$", name)
    if match:
        parts = match.group(2).split(" và ")
        initials = "&".join("".join(w[0].upper() for w in part.split()) for part in parts)
        forms.append(f"{match.group(1)} {initials}")
    if "UBND" in name:
        forms.append(name.replace("UBND", "Ủy ban nhân dân"))
    return forms


def _candidates(units, organisations, agency) -> list[Any]:
    bodies: list[Any] = list(units)
    for organisation in organisations:
        # an outside body's abbreviation («TU», «CAT») is a common syllable once folded: names only
        bodies.append(_Body(organisation.name, "", "\n".join(_short_forms(organisation.name))))
    if agency is not None:
        bodies.append(_Body(agency.name, agency.abbreviation or "", "\n".join(_short_forms(agency.name))))
    return bodies


_KIND_WORDS = {"van phong", "thanh tra"}
_ASSIGNING = ("giao ", "de nghi ", "yeu cau ", "kinh de nghi ", "kinh trinh ")
# «… giao Sở X», «Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Y tế …»: the one asked is the subject of the work
_ASKED_RE = re.compile(
    r"(?:^| )(?:giao(?: cho)?|de nghi|yeu cau)(?: (?:giam doc|chu tich|thu truong|lanh dao|truong|chanh)(?: cac)?)?$"
)
_INSPECT = ("viec ", "tai ", "doi voi ", "chuyen nganh ", "dot xuat ", "hanh chinh ", "ve ", "kiem tra ")
_LABEL_RE = re.compile(r"(?:chu tri|phoi hop)\s*:$")
_OTHER_OFFICE = (
    "cac ",
    "ubnd ",
    "uy ban ",
    "tinh ",
    "huyen ",
    "bo ",
    "chinh phu ",
    "trung uong ",
    "hdnd ",
    "thanh pho ",
)
_CLAUSE_SPLIT_RE = re.compile(r"(?<=[.!?:;])\s+(?=[-+]?\s*[A-ZĐÀ-Ỹ])|\n")
# What may stand before a sentence's subject: «Giao», «Đề nghị», and a head's title («Giám đốc Sở Y
# tế», «Chủ tịch UBND tỉnh»: the head stands for the body).
_SUBJECT_OPENER_RE = re.compile(
    r"^(?:(?:dong thoi |ngoai ra )?(?:giao(?: cho)?|de nghi|yeu cau)|dong thoi|ngoai ra|cac)?"
    r"\s*(?:(?:giam doc|chu tich|thu truong|lanh dao|truong|chanh|pho giam doc|pho chu tich)(?: cac)?)?$"
)
_INTRO_RE = re.compile(r"^(thuc hien|de |nham|theo|trong|sau|truoc|doi voi|can cu|tren co so|ve |tu nay|dinh ky|hang )")
_COOPERATE_RE = re.compile(r"phoi hop(?: chat che)?(?: voi| cung)?(?: cac)?$")
# «phối hợp với Sở Công Thương, Sở Khoa học và Công nghệ»: a known body after an unknown one in the list
_COOPERATE_LIST_RE = re.compile(r"phoi hop(?: chat che)?(?: voi| cung)? (?P<rest>(?:\S+ ){1,8}),$")


def _key(text: str) -> str:
    """``tasks.points._key`` through ``flat`` (a translation table, not a character loop): the
    same folded words, commas kept as tokens, for Vietnamese text."""
    return " " + " ".join(re.sub(r"[^\w,]+", " ", flat(text)).replace(",", " , ").split()) + " "


def _clause_units(clause: str, bodies: list[Any]) -> tuple[list[Any], list[Any]]:
    """The bodies a sentence makes lead (its subject, or «X chủ trì») and cooperating («phối hợp
    với X»). A body listed right after another («A, B», «A và B») shares its role unless its own
    place gives it one."""
    key = _key(clause)
    leads: list[Any] = []
    cooperating: list[Any] = []
    previous: tuple[int, str | None, str] | None = None  # (end, role, text before its list) of the last mention
    for start, end, body in unit_mentions(clause, candidates=bodies, key=key):
        if key[start:end].strip() in _KIND_WORDS and key[end:].startswith(_OTHER_OFFICE):
            continue  # «Văn phòng các sở, ngành», «Thanh tra tỉnh», «Văn phòng Bộ»: someone else's office
        if key[start:end].strip() == "thanh tra" and key[end:].startswith(_INSPECT):
            continue  # «Thanh tra việc chấp hành …»: the verb, not the unit
        before = " ".join(key[:start].split())
        opener = before.rsplit(",", 1)
        role = None
        if _COOPERATE_RE.search(before) or _COOPERATE_LIST_RE.search(before):
            role = "cooperating"
        elif (
            re.search(r"(?:^| )don vi chu tri$", before)
            or _ASKED_RE.search(before)
            or _SUBJECT_OPENER_RE.match(before)
            or (len(opener) == 2 and _SUBJECT_OPENER_RE.match(opener[1].strip()) and _INTRO_RE.match(before))
        ):
            role = "lead"
        listed = previous is not None and all(
            w in {",", "va", "cac", "cung", "so"} for w in key[previous[0] - 1 : start + 1].split()
        )
        if listed and role is None:
            role = previous[1]
        list_before = previous[2] if listed else before
        if role == "lead" and key[end:].startswith(_ASSIGNING):
            role = None  # «UBND tỉnh giao Sở … chủ trì»: who gives the work does not lead it
        chaired = re.search(r"(?:^| )(do|cua|duoc)$", list_before)  # «do UBND tỉnh chủ trì»: who chairs a meeting
        if key[end:].startswith("chu tri ") and not chaired and (role or not re.search(r"(?:^| )(voi|cho)$", before)):
            role = "lead"
        if role == "lead":
            leads.append(body)
        elif role == "cooperating":
            cooperating.append(body)
        previous = (end, role, list_before)
    return leads, cooperating


def _units_of(text: str, bodies: list[Any]) -> tuple[list[str], list[str]]:
    leads: list[str] = []
    cooperating: list[str] = []
    clauses: list[str] = []
    for clause in _CLAUSE_SPLIT_RE.split(text):
        # «Đơn vị chủ trì: Phòng QLKH», «Đơn vị phối hợp: …»: the label and its bodies are one clause
        if clauses and _LABEL_RE.search(flat(clauses[-1])):
            clauses[-1] += " " + clause
        else:
            clauses.append(clause)
    for clause in clauses:
        if not clause.strip():
            continue
        clause_leads, clause_cooperating = _clause_units(clause, bodies)
        for body in clause_leads:
            if body.name not in leads:
                leads.append(body.name)
        for body in clause_cooperating:
            if body.name not in cooperating:
                cooperating.append(body.name)
    return leads, [name for name in cooperating if name not in leads]


_RECURRENCE = (
    (re.compile(r"\bh[ằà]ng\s+tuần\b|\bđịnh kỳ\s+(?:hằng\s+)?tuần\b", re.I), "weekly"),
    (re.compile(r"\bh[ằà]ng\s+tháng\b(?!\s+\d)|\bđịnh kỳ\s+(?:hằng\s+)?tháng\b", re.I), "monthly"),
    (re.compile(r"\bh[ằà]ng\s+quý\b(?!\s+(?:IV|I{1,3})\b|\s+\d)|\bđịnh kỳ\s+(?:hằng\s+)?quý\b", re.I), "quarterly"),
    (
        re.compile(
            r"\b(?:6|sáu)\s+tháng\s+(?:một lần|\d|đầu năm|cuối năm)|\bđịnh kỳ\s+(?:6|sáu)\s+tháng|\bnửa năm một lần",
            re.I,
        ),
        "half-yearly",
    ),
    (re.compile(r"\bh[ằà]ng\s+năm\b(?!\s+\d)|\bđịnh kỳ\s+(?:hằng\s+)?năm\b", re.I), "yearly"),
)
_CUE = (
    r"(?:trước(?:\s+\d{1,2}\s*(?:giờ|h)(?:\s*\d{2})?(?:\s*phút)?)?|chậm nhất(?:\s+là)?(?:\s+vào)?"
    r"|(?:thời\s+)?hạn(?:\s+chót|\s+cuối|\s+hoàn thành|\s+thực hiện|\s+báo cáo)?(?:\s+là)?\s*:?"
    r"|đến hết|xong trước|hoàn thành trước)"
)
_DEADLINE_DAY_RE = re.compile(
    rf"{_CUE}\s+(?:ngày\s+)?(?:(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})(?:\s*[/.-]\s*(\d{{4}}))?(?![\d/])"
    r"|(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?)",
    re.I,
)
_DEADLINE_YEAR_RE = re.compile(
    r"(?:trong|hết|cuối|(?:thời gian|thời hạn|hạn)(?: hoàn thành)?\s*:)\s+năm\s+(\d{4})(?![\d/])", re.I
)
_MONTH_CUE = r"(?:trong|hết|cuối|đến|(?:thời gian|thời hạn|hạn)(?: hoàn thành| thực hiện)?\s*:)"
_DEADLINE_MONTH_RE = re.compile(_MONTH_CUE + r"\s+tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?(?![\d/])", re.I)
_DEADLINE_QUARTER_RE = re.compile(_MONTH_CUE + r"\s+quý\s+(IV|III|II|I|[1-4])(?:\s*(?:/|năm)\s*(\d{4}))?", re.I)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _deadline(text: str, year: int | None) -> tuple[str | None, str | None]:
    for pattern, recurrence in _RECURRENCE:
        if pattern.search(text):
            return None, recurrence
    found: list[tuple[int, str | None]] = []
    for match in _DEADLINE_DAY_RE.finditer(text):
        day, month, y = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        y = y or year
        found.append((match.start(), _date(day, month, y) if y else None))
    for match in _DEADLINE_MONTH_RE.finditer(text):
        month, y = int(match.group(1)), match.group(2) or year
        if y and 1 <= month <= 12:
            found.append((match.start(), _date(calendar.monthrange(int(y), month)[1], month, y)))
    for match in _DEADLINE_YEAR_RE.finditer(text):
        found.append((match.start(), _date(31, 12, match.group(1))))
    for match in _DEADLINE_QUARTER_RE.finditer(text):
        quarter, y = _QUARTERS[match.group(1).lower()], match.group(2) or year
        if y:
            found.append((match.start(), _date(calendar.monthrange(int(y), quarter * 3)[1], quarter * 3, y)))
    found.sort(key=lambda f: f[0])
    return (found[0][1] if found else None), None


# --- parse ---------------------------------------------------------------------------------------


def _empty() -> dict[str, Any]:
    answer: dict[str, Any] = dict.fromkeys(FIELDS)
    for key in ("addressees", "references", "body", "items", "distribution"):
        answer[key] = []
    answer["signer"] = {"authority": None, "authority_title": None, "title": None, "name": None}
    answer["uncertain"] = []
    return answer


def _menu(line: str) -> bool:
    """A breadcrumb («Trang chủ » Tin tức » …») or a menu bar («Trang chủ | Giới thiệu | …»): short
    parts between separators, no sentence; a guillemet inside a sentence («Bưởi Luận Văn») is text."""
    parts = re.split(r"\s[»›>|]\s|\s[»›]$", line.strip())
    return len(parts) >= 2 and all(len(part) <= 60 for part in parts) and not re.search(r"[.;!?]$", line.strip())


def _cut_noise(lines: list[str]) -> list[str]:
    """The lines without a web page's noise; from a footer's first line on, nothing. A menu entry
    («Văn bản liên quan») above the content is no footer: the cut needs a paragraph before it."""
    kept = []
    content = False
    for line in lines:
        key = flat(line.strip())
        if key and _END_RE.match(key) and content:
            break
        content = content or _paragraph_like(_squash(line))
        if key and (_NOISE_RE.match(key) or _menu(line)):
            continue
        kept.append(line)
    return kept


# A portal's page about a document lists its particulars in a table («Số ký hiệu | 123/UBND-VX»).
_META_LABELS = {
    "so ky hieu": "symbol",
    "so hieu": "symbol",
    "ky hieu": "symbol",
    "ngay ban hanh": "issued_on",
    "loai van ban": "doc_type",
    "co quan ban hanh": "issuer",
    "nguoi ky": "signer",
    "trich yeu": "subject",
    "trich yeu noi dung": "subject",
}
_META_RE = re.compile(r"^(?P<label>[^\W\d_][^:\t]{2,25}?)\s*(?::|\t|\s{2,})\s*(?P<value>\S.*)?$")


def _metadata(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The particulars a portal's table states, and the lines without them; nothing unless the
    table has two labels at least (a lone «Người ký:» is a signed PDF's stamp)."""
    found: dict[str, str] = {}
    kept: list[str] = []
    pending = None
    for line in lines:
        stripped = line.strip()
        if pending and stripped:
            found.setdefault(pending, _squash(stripped))
            pending = None
            continue
        match = _META_RE.match(stripped)
        label = match.group("label") if match else stripped.rstrip(" :")
        name = _META_LABELS.get(" ".join(flat(label).replace(",", " ").split()))
        if name and match and match.group("value"):
            found.setdefault(name, _squash(match.group("value")))
            continue
        if name and len(stripped) <= 30:  # the label alone, its value on the next line
            pending = name
            continue
        kept.append(line)
    return (found, kept) if len(found) >= 2 else ({}, lines)


def parse(text: str, *, units=(), organisations=(), agency=None) -> dict[str, Any]:
    """Read ``text`` into the fields of document.schema.json (see the module's CONTRACT)."""
    answer = _empty()
    uncertain: set[str] = set()
    meta, lines = _metadata(_clean(text or ""))
    lines = _cut_noise(lines)
    start = _header_start(lines)
    web = start is None
    headline = None
    if web:
        head = _Head()
        first_paragraph = next((i for i, line in enumerate(lines) if _paragraph_like(_squash(line))), len(lines))
        titles = [_squash(line) for line in lines[:first_paragraph] if _title_like(_squash(line))]
        headline = titles[-1] if titles else None
        body_start = first_paragraph
    else:
        head, body_start = _read_head(lines, start)
    tail = _tail_start(lines, body_start)
    body = _body_lines(lines[body_start:tail], web, headline)
    if not web:
        answer["signer"], answer["distribution"] = _read_tail(lines[tail:])

    if meta.get("symbol") and head.symbol is None:
        head.symbol = re.sub(r"\s+", "", meta["symbol"]).removeprefix("Số:")
    if meta.get("doc_type") and head.doc_type is None:
        head.doc_type = _CITED_TYPES.get(" ".join(flat(meta["doc_type"]).split()), meta["doc_type"])
    # the type, from the type line, else the symbol, else the letter's shape
    type_abbr_of_symbol = None
    if head.symbol:
        group = re.match(r"^[^/]*(?:/\d{4})?/([^-]+)", head.symbol)
        type_abbr_of_symbol = group.group(1) if group and group.group(1) in _TYPE_BY_ABBR else None
    if head.doc_type:
        answer["doc_type"] = head.doc_type
    elif head.vv is not None:  # only a công văn has a «V/v» subject (the symbol of a Thanh tra's is «…/TTr-…»)
        answer["doc_type"] = "Công văn"
        if not head.symbol or type_abbr_of_symbol:
            uncertain.add("doc_type")
    elif type_abbr_of_symbol:
        answer["doc_type"] = _TYPE_BY_ABBR[type_abbr_of_symbol]
    elif head.symbol or head.addressees is not None:
        answer["doc_type"] = "Công văn"
        uncertain.add("doc_type")
    answer["type_abbr"] = _ABBR_BY_TYPE.get(answer["doc_type"])
    answer["symbol"] = head.symbol
    number = re.match(r"^(\d+)[/-]", head.symbol or "")
    answer["number"] = int(number.group(1)) if number and int(number.group(1)) > 0 else None
    answer["parent_body"], answer["issuer"] = _header_bodies([_squash(b) for b in head.bodies])
    answer["place"], answer["issued_on"] = head.place, head.issued_on

    if meta:  # a portal's table: what the document's own header did not say
        answer["issuer"] = answer["issuer"] or meta.get("issuer")
        if answer["issued_on"] is None and meta.get("issued_on"):
            date = _DATE_SLASH_RE.search(meta["issued_on"])
            answer["issued_on"] = _date(*date.groups()) if date else None
            head.year = head.year or (int(date.group(3)) if date else None)
        if answer["signer"]["name"] is None and meta.get("signer"):
            answer["signer"]["name"] = meta["signer"]
    subject_lines = head.vv if head.vv is not None else head.typed_subject
    if meta.get("subject") and not subject_lines:
        subject_lines = [meta["subject"]]
    if subject_lines:
        subject = _squash(" ".join(subject_lines))
        vv = _VV_RE.match(subject)
        subject = (vv.group(1) if vv else subject).rstrip(" .")
        answer["subject"] = subject or None
    elif headline:
        answer["subject"] = headline
        uncertain.add("subject")
    answer["urgency"] = head.marks.get("urgency")
    answer["confidentiality"] = head.marks.get("confidentiality")
    uncertain |= head.damaged
    answer["addressees"] = head.addressees or []
    answer["body"] = body
    answer["references"] = _references("\n".join([answer["subject"] or "", *body]))

    year = head.year
    bodies = name_candidates(_candidates(units, organisations, agency))
    items = []
    for leaf in _points(body):
        text_ = "\n".join(leaf.paragraphs)
        leads, cooperating = _units_of(text_, bodies)
        ancestor = leaf.parent
        while ancestor is not None and not leads:
            leads, inherited = _units_of(ancestor.paragraphs[0], bodies)
            cooperating = cooperating or inherited
            ancestor = ancestor.parent
        deadline, recurrence = _deadline(text_, year)
        items.append(
            {
                "label": leaf.label,
                "text": text_,
                "lead_units": leads,
                "cooperating_units": [c for c in cooperating if c not in leads],
                "deadline": deadline,
                "recurrence": recurrence,
            }
        )
    answer["items"] = items
    answer["uncertain"] = [name for name in FIELDS if name in uncertain]
    return answer
