"""The header: issuing bodies, number and symbol, place and date, type and subject, marks and
addressees, read from where Decree 30 puts them on the first page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .layout import _DATELINE_RE, _NATIONAL_RE, _SO, _columns, _Lead, _national
from .text import _dateline_date, _is_upper, _squash, _strip_entry, flat

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


_SYMBOL_LINE_RE = re.compile(rf"^{_SO}\s*[:.]?\s*((?:\d+\s*(?:-\s*[A-ZĐ][\w]*\s*)?)?/\s*\S.*?)\s*$")
_VV_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*(.*)$")
_KINH_GUI_FLAT_RE = re.compile(r"^kinh\s+gui\s*:?\s*")
_KINH_GUI_RE = _Lead(_KINH_GUI_FLAT_RE)


# Words a header body's name begins with (a line beginning otherwise continues the line above).
_BODY_WORDS = (
    "ubnd", "uy ban", "hoi dong", "so ", "bo ", "van phong", "ban ", "chi cuc", "cuc ", "tong cuc",
    "trung tam", "thanh tra", "cong an", "tinh uy", "thanh uy", "huyen uy", "dang uy", "chinh phu",
    "thu tuong", "phong ", "vien ", "dang bo", "truong ", "benh vien", "bch", "ban chi dao", "to ", "doan ",
)  # fmt: skip


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
