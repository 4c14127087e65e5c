"""A document's numbered points, read as tasks to give: their text and the units they name.

Pure functions over the body's text and a list of units; no queries. The person giving the
tasks checks every guess on the page, so a guess is a suggestion, never a decision.

Guarantees:
- a point's ``content`` is its whole text, every sub-paragraph ("a)", "-", "+", plain
  paragraphs) up to the next numbered point, section heading or the letter's closing lines;
- a point's ``title`` is its first sentence, cut only between words with "…" (``lib.text.shorten``);
- units are recognised by name, abbreviation, the aliases kept on the unit, and the usual ways
  a letter names them («Văn phòng Sở», «VP», «Chánh Văn phòng», «Phòng QLKH», «phòng Quản lý
  khoa học»), ignoring case and diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.html import body_text
from lib.text import fold, shorten
from units.models import Unit

TITLE_MAX = 250  # Task.title's column

# "1. …", "2) …", "II.3. …" at the start of a line: a point of the document.
POINT_RE = re.compile(r"^\s*((?:[IVXLC]+\.)?\d{1,2}(?:\.\d{1,2})*)[.)]\s+(\S.*)$")
# A section heading ("II. TỔ CHỨC THỰC HIỆN") ends the point before it.
_SECTION_RE = re.compile(r"^\s*[IVXLC]+\s*[.:]\s+\S")
# The letter's closing: what follows is no longer the last point's text.
_CLOSING_RE = re.compile(r"^\s*(Trên đây|Nơi nhận|Yêu cầu các|Đề nghị các .* nghiêm túc|Giám đốc Sở yêu cầu)", re.I)
# The end of the first sentence: a full stop, semicolon or colon followed by a space.
# "16/CT-TTg", "1.000" and "v.v." do not end it (no space, or lower case follows).
_SENTENCE_END_RE = re.compile(r"(?<=[^\s.][.;:!?])\s+(?=[A-ZĐÀ-Ỹ\"“(«-])")

# Words that introduce the unit in charge, and those that introduce the others.
_LEAD_AFTER = ("chu tri",)
_COOPERATE_BEFORE = ("phoi hop voi", "phoi hop cung", "phoi hop")
# A point addressed to every unit ("các phòng, đơn vị", "các đơn vị trực thuộc Sở").
_EVERY_UNIT = ("cac phong chuyen mon", "cac phong, don vi", "cac phong don vi", "cac don vi truc thuoc", "cac phong")

# How letters name a unit of each kind besides its full name: (prefix of its head's title, short names).
_KIND_WORDS = {
    Unit.Kind.VAN_PHONG: ("chanh van phong", "pho chanh van phong"),
    Unit.Kind.THANH_TRA: ("chanh thanh tra", "pho chanh thanh tra"),
    Unit.Kind.CHI_CUC: ("chi cuc truong", "pho chi cuc truong"),
    Unit.Kind.TRUNG_TAM: ("giam doc trung tam",),
    Unit.Kind.PHONG: ("truong phong", "pho truong phong"),
    Unit.Kind.TO: ("to truong",),
}
_KIND_PREFIX = {
    Unit.Kind.VAN_PHONG: "van phong",
    Unit.Kind.THANH_TRA: "thanh tra",
    Unit.Kind.CHI_CUC: "chi cuc",
    Unit.Kind.TRUNG_TAM: "trung tam",
    Unit.Kind.PHONG: "phong",
    Unit.Kind.TO: "to",
}


_KIND_VALUES = frozenset(Unit.Kind.values)


@dataclass
class Point:
    number: str
    title: str
    content: str
    lead: Unit | None = None
    cooperating: list[Unit] = field(default_factory=list)


def _key(text: str) -> str:
    """Folded text with punctuation as spaces: «Phòng Kế hoạch – Tài chính» ~ "phong ke hoach tai chinh"."""
    return " " + " ".join(re.sub(r"[^\w,]+", " ", fold(text)).replace(",", " , ").split()) + " "


def _kind(unit: Unit) -> str:
    """The unit's kind as its name says it («Văn phòng Sở» is a Văn phòng whatever was recorded)."""
    if unit.kind not in _KIND_VALUES:
        return ""  # a body outside the agency (an organisation): no kind words, no head's title
    name = fold(unit.name)
    for kind, prefix in sorted(_KIND_PREFIX.items(), key=lambda item: -len(item[1])):
        if name == prefix or name.startswith(prefix + " "):
            return kind
    return unit.kind


def unit_names(unit: Unit) -> tuple[list[str], list[str]]:
    """The folded ways a letter names ``unit``: (names that stand anywhere, names that count only
    as the sentence's subject). «Văn phòng» alone names the Văn phòng only at a point's start:
    "hệ thống văn phòng điện tử" is not the unit."""
    name = fold(unit.name)
    kind = _kind(unit)
    prefix = _KIND_PREFIX.get(kind, "")
    anywhere = {name, fold(unit.abbreviation)}
    bare = name
    for suffix in (" so", " thuoc so"):
        bare = bare.removesuffix(suffix)
    if bare != prefix:
        anywhere.add(bare)
    if prefix and bare.startswith(prefix + " ") and bare != prefix:
        rest = bare[len(prefix) + 1 :]
        if len(rest.split()) >= 2:
            anywhere.add(rest)  # "quản lý khoa học" for Phòng Quản lý Khoa học
        anywhere.add(f"{prefix} {fold(unit.abbreviation)}")  # "phòng qlkh"
    for head in _KIND_WORDS.get(kind, ()):
        if kind in (Unit.Kind.VAN_PHONG, Unit.Kind.THANH_TRA):
            anywhere.add(head)  # "Chánh Văn phòng": the agency has one Văn phòng, one Thanh tra
        elif prefix and bare.startswith(prefix + " "):
            anywhere.add(f"{head} {bare[len(prefix) + 1 :]}")  # "trưởng phòng quản lý khoa học"
    anywhere |= {fold(alias) for alias in (getattr(unit, "aliases", "") or "").splitlines() if alias.strip()}
    subject = {prefix} if kind in (Unit.Kind.VAN_PHONG, Unit.Kind.THANH_TRA) else set()
    # cleaned as ``_key`` cleans the text, commas kept as tokens, so an alias with a comma matches
    clean = [" ".join(re.sub(r"[^\w,]+", " ", n).replace(",", " , ").split()) for n in anywhere]
    return [n for n in clean if n], sorted(subject)


def name_candidates(units) -> list[tuple[str, object, bool]]:
    """(folded name, unit, counts only as the subject) for every way ``units`` are named, longest
    first: what ``_mentions`` looks for. Computed once, it serves every paragraph of a document."""
    candidates = []
    for unit in units:
        anywhere, subject = unit_names(unit)
        candidates += [(name, unit, False) for name in anywhere]
        candidates += [(name, unit, True) for name in subject]
    return sorted(candidates, key=lambda c: -len(c[0]))


def _mentions(text: str, units: list[Unit], candidates=None, key=None) -> list[tuple[int, int, Unit]]:
    """(start, end, unit) of every unit named in ``text``, longest names first, not overlapping."""
    key = key if key is not None else _key(text)
    found: list[tuple[int, int, Unit]] = []
    for name, unit, subject_only in candidates if candidates is not None else name_candidates(units):
        needle = f" {name} "
        start = key.find(needle)
        while start >= 0:
            end = start + len(needle)
            if (not subject_only or start == 0) and not any(s < end and start < e for s, e, _u in found):
                found.append((start, end, unit))
            start = key.find(needle, start + 1)
    return sorted(found, key=lambda m: m[0])


def unit_mentions(text: str, units=(), *, candidates=None, key=None) -> list[tuple[int, int, object]]:
    """(start, end, unit) of every body named in ``text``, positions in ``_key(text)`` (or in
    ``key``, the caller's own folding of it, computed once); ``units`` may hold any objects with
    ``name``, ``abbreviation``, ``aliases`` and ``kind`` (intake's parser passes organisations with
    an empty kind), or ``candidates`` their ``name_candidates``."""
    return _mentions(text, list(units), candidates, key)


def guess_units(text: str, units: list[Unit]) -> tuple[Unit | None, list[Unit]]:
    """The lead unit and the cooperating units a point's text names.

    The lead is the unit followed by «chủ trì», else the first named outside a «phối hợp với …»
    phrase (the sentence's subject); the others named are cooperating. A point addressed to every
    unit («các phòng, đơn vị») and naming none is led by the Văn phòng, which gathers the
    units' results, with every other unit cooperating; «phối hợp với các phòng, đơn vị» makes
    every other unit cooperating.
    """
    key = _key(text)
    mentions = _mentions(text, units)
    lead = None
    for _start, end, unit in mentions:
        if any(key[end:].startswith(f"{word} ") for word in _LEAD_AFTER):
            lead = unit
            break
    if lead is None:
        for start, _end, unit in mentions:
            before = key[max(0, start - 20) : start]
            if not any(before.rstrip().endswith(word) for word in _COOPERATE_BEFORE):
                lead = unit
                break
    if lead is None and mentions:
        lead = mentions[0][2]
    every = any(f" {phrase} " in key for phrase in _EVERY_UNIT)
    if lead is None and every:
        lead = next((u for u in units if _kind(u) == Unit.Kind.VAN_PHONG), None)
    cooperating: list[Unit] = []
    for _s, _e, unit in mentions:
        if unit != lead and unit not in cooperating:
            cooperating.append(unit)
    if lead is not None and every and (not mentions or any(f" {word} cac " in key for word in _COOPERATE_BEFORE)):
        cooperating = [u for u in units if u != lead]
    return lead, cooperating


def first_sentence(text: str) -> str:
    """The point's first sentence without its final punctuation, cut between words to fit a title."""
    sentence = _SENTENCE_END_RE.split(" ".join(text.split()), maxsplit=1)[0]
    return shorten(sentence.rstrip(" .;:"), TITLE_MAX)


def document_points(body: str, units) -> list[Point]:
    """Split a document's body into its numbered points, each with its sub-paragraphs, a title
    and the units it names."""
    units = list(units)
    points: list[Point] = []
    current: list[str] | None = None
    number = ""

    def close() -> None:
        if current:
            content = "\n".join(current)
            lead, cooperating = guess_units(content, units)
            points.append(Point(number, first_sentence(current[0]), content, lead, cooperating))

    for raw in body_text(body).splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        match = POINT_RE.match(line)
        if match:
            close()
            number, text = match.groups()
            current = [text]
        elif current is not None and (_SECTION_RE.match(line) or _CLOSING_RE.match(line)):
            close()
            current = None
        elif current is not None:
            current.append(line)
    close()
    return points
