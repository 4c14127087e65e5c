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

import re
from typing import Any

from tasks.points import name_candidates

# The reader by concern, each module importing only ones before it: text (flattening, dates) <
# layout (cleaning, columns, paragraphs) < header, closing (the signature and «Nơi nhận») <
# references, points (items, units, deadlines); parse below puts their answers together.
from .closing import AUTHORITIES, _read_tail, _tail_start
from .header import (
    _ABBR_BY_TYPE,
    _CITED_TYPES,
    _TYPE_BY_ABBR,
    _VV_RE,
    MARKS,
    TYPES,
    _Head,
    _header_bodies,
    _header_start,
    _read_head,
)
from .layout import _body_lines, _clean, _cut_noise, _metadata, _paragraph_like, _title_like
from .points import _candidates, _deadline, _points, _units_of
from .references import _references
from .text import _DATE_SLASH_RE, _date, _squash, flat

__all__ = ["AUTHORITIES", "FIELDS", "MARKS", "TYPES", "flat", "parse"]

FIELDS = (
    "kind", "doc_type", "type_abbr", "number", "symbol", "parent_body", "issuer", "place", "issued_on",
    "subject", "urgency", "confidentiality", "addressees", "references", "body", "items", "signer",
    "distribution",
)  # fmt: skip


def _empty() -> dict[str, Any]:
    answer: dict[str, Any] = dict.fromkeys(FIELDS)
    for key in ("addressees", "references", "body", "items", "distribution"):
        answer[key] = []
    answer["signer"] = {"authority": None, "authority_title": None, "title": None, "name": None}
    answer["uncertain"] = []
    return answer


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
