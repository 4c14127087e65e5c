"""Lines and columns: a text cleaned of a web page's noise, a portal's table of particulars, a line
cut into its column fragments, and a body's wrapped lines joined into paragraphs."""

from __future__ import annotations

import re

from .text import _is_upper, _nfc, _squash, flat

# --- lines and columns -------------------------------------------------------------------------

_COLUMNS_RE = re.compile(r"\t+| {3,}")
_NATIONAL_RE = re.compile(
    r"dang\s+cong\s+san\s+viet\s+nam|cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"
    r"|doc\s+lap\s*[-–—]\s*tu\s+do\s*[-–—]\s*hanh\s+phuc"
)
_RULE_RE = re.compile(r"^[\s_\-–—=*.]{3,}$")
_SO = "S[oOòóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ]"  # «Số», also as OCR misreads it («Sô», «Sồ»)
_DATELINE_RE = re.compile(
    r"^(?P<place>[^\W\d_][^,\d]{1,40}?)\s*,\s*(?P<date>(?:(?:ng[àa]y\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ng[àa]y\b.*?n[ăa]m\s*\d{4}))\s*\.?$",
    re.I,
)


class _Lead:
    """A line's leading words matched without diacritics («Kính gửi», OCR's «Kinh gừi»); ``group(1)``
    is what follows them, as printed."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def match(self, text: str) -> re.Match | None:
        found = self.pattern.match(flat(text))
        return re.match(rf"(?s)^.{{{found.end()}}}(.*)$", text) if found else None


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


def _title_like(line: str) -> bool:
    """A headline, a link or a caption: words without a sentence's final punctuation."""
    return len(line.split()) >= 3 and not re.search(r"[.:;!?…]\s*[\"”»)]?$", line) and not _POINT_RE.match(line)


def _paragraph_like(line: str) -> bool:
    return bool(re.search(r"[.:;!?…]\s*[\"”»)]?$", line)) and len(line) >= 40 or len(line) >= 200


def _clean(text: str) -> list[str]:
    text = _nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text).replace("\u200b", "").replace("\ufeff", "")
    return [line.rstrip() for line in text.split("\n")]


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


# --- the body ----------------------------------------------------------------------------------

_POINT_RE = re.compile(
    r"^(?:(?P<article>Điều\s+\d{1,3})\s*[.:]?|(?P<roman>[IVX]{1,5})\s*[.)]|(?P<decimal>\d{1,2}(?:\.\d{1,2})+)\.?"
    r"|(?P<arabic>\d{1,2})\s*[.)]|(?P<letter>[a-zđ])\s*[)]|(?P<letter2>[a-zđ])\.)\s+(?P<text>\S.*)$"
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
