"""Score the reading of received documents (issue #17) field by field over the fixture set.

Every ``<stem>.expected.json`` under ``tests/fixtures/documents/`` names one document: the file
beside it with the same stem (``.txt``, ``.pdf``, ``.docx``, ``.doc``; ``.source.*`` files are the
renderer's sources, not documents). Its text is read with ``intake.extract.text_of`` (and
``intake.extract.ocr`` when that answers ``needs_ocr``), then parsed with ``intake.parser.parse``
against the agency of ``directory.json`` built as unsaved model instances. The rules are in
docs/import-accuracy.md; in short:

- a scalar field is right when equal to the expected value after :func:`norm` (NFC, runs of
  white space as one space, ends stripped; case kept);
- ``addressees``, ``distribution`` and ``references`` are right when the whole list is equal
  (entries normalised, order kept; a reference compares its four keys);
- ``body`` scores the share of paragraphs matched in order: the longest matching run of
  normalised paragraphs (difflib) over the longer of the two lists, so a missing and an
  extra paragraph both cost;
- ``signer.*``: each of the four keys alone;
- ``items.*``: items are paired by label (normalised); every expected item and every parsed
  item left unpaired is one unit, and a sub-field is right only for a pair whose values are
  equal (lead and cooperating lists as whole lists, in order). An invented item costs as much
  as a missed one.

Sets: ``held-out`` (``held-out/``, never shown to the parser's author), ``tuning`` (everything
else: ``tuning/`` and the samples at the top level, which the parser's author reads).
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
SETS = ("tuning", "held-out")
SCALARS = (
    "kind", "doc_type", "type_abbr", "number", "symbol", "parent_body", "issuer", "place", "issued_on",
    "subject", "urgency", "confidentiality",
)  # fmt: skip
LISTS = ("addressees", "references", "distribution")
SIGNER = ("authority", "authority_title", "title", "name")
ITEM_FIELDS = ("label", "text", "lead_units", "cooperating_units", "deadline", "recurrence")
FIELDS = (
    *SCALARS, *LISTS, "body", *(f"signer.{key}" for key in SIGNER), *(f"items.{key}" for key in ITEM_FIELDS),
)  # fmt: skip
NOT_DOCUMENTS = (".expected.json", ".source.txt", ".source.html", ".json", ".md", ".py")


def norm(value):
    """NFC, white space collapsed, ends stripped; lists and dicts normalised inside; other values as they are."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, list):
        return [norm(entry) for entry in value]
    if isinstance(value, dict):
        return {key: norm(entry) for key, entry in value.items()}
    return value


@dataclass
class Case:
    path: Path
    expected: dict
    set: str

    @property
    def name(self) -> str:
        return str(self.path.relative_to(DOCUMENTS))


def cases(root: Path = DOCUMENTS) -> list[Case]:
    """Every document with an expected JSON beside it, in path order."""
    found = []
    for expected_path in sorted(root.rglob("*.expected.json")):
        stem = expected_path.name.removesuffix(".expected.json")
        documents = [
            path
            for path in expected_path.parent.glob(f"{stem}.*")
            if path.name.removeprefix(stem).count(".") == 1 and not path.name.endswith(NOT_DOCUMENTS)
        ]
        if len(documents) != 1:
            raise ValueError(f"{expected_path.name}: expected one document beside it, found {documents}")
        relative = expected_path.relative_to(root)
        set_name = "held-out" if relative.parts[0] == "held-out" else "tuning"
        found.append(Case(documents[0], json.loads(expected_path.read_text(encoding="utf-8")), set_name))
    return found


def directory(root: Path = DOCUMENTS):
    """The receiving agency of ``directory.json`` as unsaved ``Unit``, ``Organisation`` and ``Agency`` objects."""
    from units.models import Agency, Organisation, Unit

    data = json.loads((root / "directory.json").read_text(encoding="utf-8"))
    agency = Agency(name=data["agency"]["name"], abbreviation=data["agency"]["abbreviation"])
    units = [
        Unit(name=u["name"], abbreviation=u["abbreviation"], aliases="\n".join(u.get("aliases", [])), kind=u["kind"])
        for u in data["units"]
    ]
    organisations = [
        Organisation(name=o["name"], abbreviation=o.get("abbreviation", "")) for o in data["organisations"]
    ]
    return units, organisations, agency


def canonical_names(root: Path = DOCUMENTS) -> set[str]:
    units, organisations, agency = directory(root)
    return {unit.name for unit in units} | {org.name for org in organisations} | {agency.name}


@dataclass
class Reading:
    """What the code made of one document, and how its text was read."""

    case: Case
    answer: dict
    method: str = ""
    error: str = ""


def read(case: Case, *, units, organisations, agency) -> Reading:
    """Extract and parse one document. An extraction that fails leaves the text empty (scored, not raised)."""
    from intake import extract, parser

    data, error, method = case.path.read_bytes(), "", ""
    try:
        extracted = extract.text_of(data, name=case.path.name)
        if extracted.needs_ocr:
            extracted = extract.ocr(data, name=case.path.name)
        text, method = extracted.text, extracted.method
    except Exception as exc:  # any failure of the extraction is a wrong reading, reported
        text, error = "", f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
    answer = parser.parse(text, units=units, organisations=organisations, agency=agency)
    return Reading(case, answer, method, error)


# --- scoring -----------------------------------------------------------------------------------
@dataclass
class Tally:
    right: float = 0.0
    total: int = 0

    def add(self, right: float, total: int = 1) -> None:
        self.right += right
        self.total += total

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None


def body_score(expected: list, got: list) -> float:
    expected, got = norm(expected or []), norm(got or [])
    if not expected and not got:
        return 1.0
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / max(len(expected), len(got))


def _label(item: dict) -> str:
    return norm(item.get("label") or "")


def item_scores(expected: list, got: list) -> dict[str, Tally]:
    """Pair items by label; an unpaired item on either side is a wrong unit for every sub-field."""
    tallies = {key: Tally() for key in ITEM_FIELDS}
    remaining = list(got or [])
    for wanted in expected or []:
        pair = next((item for item in remaining if _label(item) == _label(wanted)), None)
        if pair is not None:
            remaining.remove(pair)
        for key in ITEM_FIELDS:
            if pair is None:
                tallies[key].add(0)
            else:
                tallies[key].add(float(norm(pair.get(key)) == norm(wanted.get(key))))
    for _extra in remaining:
        for key in ITEM_FIELDS:
            tallies[key].add(0)
    return tallies


def document_scores(expected: dict, answer: dict) -> dict[str, Tally]:
    """Per field: (right, total) for one document."""
    scores: dict[str, Tally] = {}
    for key in SCALARS:
        scores[key] = Tally(float(norm(answer.get(key)) == norm(expected.get(key))), 1)
    for key in LISTS:
        want, got = expected.get(key) or [], answer.get(key) or []
        if key == "references":
            want = [{k: ref.get(k) for k in ("doc_type", "symbol", "issued_on", "issuer")} for ref in want]
            got = [{k: ref.get(k) for k in ("doc_type", "symbol", "issued_on", "issuer")} for ref in got]
        scores[key] = Tally(float(norm(want) == norm(got)), 1)
    scores["body"] = Tally(body_score(expected.get("body"), answer.get("body")), 1)
    want_signer, got_signer = expected.get("signer") or {}, answer.get("signer") or {}
    for key in SIGNER:
        scores[f"signer.{key}"] = Tally(float(norm(got_signer.get(key)) == norm(want_signer.get(key))), 1)
    for key, tally in item_scores(expected.get("items"), answer.get("items")).items():
        scores[f"items.{key}"] = tally
    return scores


@dataclass
class Report:
    readings: list[Reading]
    by_set: dict[str, dict[str, Tally]] = field(default_factory=dict)
    per_document: dict[str, dict[str, Tally]] = field(default_factory=dict)

    def rate(self, field_name: str, set_name: str) -> float | None:
        """``set_name`` is ``tuning``, ``held-out`` or ``all``."""
        return self.by_set[set_name][field_name].rate

    def overall(self, set_name: str) -> float | None:
        tallies = self.by_set[set_name].values()
        total = sum(t.total for t in tallies)
        return sum(t.right for t in tallies) / total if total else None


def score(readings: list[Reading]) -> Report:
    report = Report(readings)
    report.by_set = {name: defaultdict(Tally) for name in (*SETS, "all")}
    for reading in readings:
        scores = document_scores(reading.case.expected, reading.answer)
        report.per_document[reading.case.name] = scores
        for key, tally in scores.items():
            for name in (reading.case.set, "all"):
                report.by_set[name][key].add(tally.right, tally.total)
    for name in report.by_set:
        for key in FIELDS:
            report.by_set[name][key]  # every field has a row, even with no unit
    return report


def run(root: Path = DOCUMENTS) -> Report:
    units, organisations, agency = directory(root)
    return score([read(case, units=units, organisations=organisations, agency=agency) for case in cases(root)])


# --- the table -----------------------------------------------------------------------------------
def _cell(tally: Tally) -> str:
    if not tally.total:
        return "–"
    right = f"{tally.right:.0f}" if tally.right == int(tally.right) else f"{tally.right:.2f}"
    return f"{100 * tally.rate:.1f} % ({right}/{tally.total})"


def table(report: Report) -> str:
    counts = {name: sum(1 for r in report.readings if name in ("all", r.case.set)) for name in (*SETS, "all")}
    head = " | ".join(f"{name} ({counts[name]} docs)" for name in (*SETS, "all"))
    lines = [f"| field | {head} |", "| --- | --- | --- | --- |"]
    for key in FIELDS:
        lines.append(f"| `{key}` | " + " | ".join(_cell(report.by_set[name][key]) for name in (*SETS, "all")) + " |")
    overall = [report.overall(name) for name in (*SETS, "all")]
    lines.append(
        "| **all fields** | " + " | ".join("–" if v is None else f"**{100 * v:.1f} %**" for v in overall) + " |"
    )
    return "\n".join(lines)


def documents_table(report: Report) -> str:
    lines = ["| document | set | read as | fields right |", "| --- | --- | --- | --- |"]
    for reading in report.readings:
        tallies = report.per_document[reading.case.name].values()
        right, total = sum(t.right for t in tallies), sum(t.total for t in tallies)
        how = reading.method or "–"
        if reading.error:
            how += f" (error: {reading.error})"
        lines.append(f"| {reading.case.name} | {reading.case.set} | {how} | {100 * right / total:.1f} % |")
    return "\n".join(lines)
