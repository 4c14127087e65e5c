"""Items: the numbered points of a body, their labels, the units they name and their deadlines or
recurrence."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

from tasks.points import unit_mentions

from .layout import _POINT_RE
from .text import _date, _squash, flat

_CLOSING_RE = re.compile(
    r"^(Trên đây|Nơi nhận|Yêu cầu (các|Thủ trưởng)|Đề nghị (các|Thủ trưởng)\b.*(nghiêm túc|thực hiện)|"
    r"Quyết định này có hiệu lực|Trong quá trình (tổ chức )?thực hiện,? nếu)",
)


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
