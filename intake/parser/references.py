"""The documents a text cites: type, symbol, date and issuer of each."""

from __future__ import annotations

import re

from .header import _CITED_TYPES
from .text import _date, _squash, flat

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
