"""Read an administrative document's formal elements from its plain text (issue #17).

CONTRACT (owned by the parser's author; the rest of the app builds on it):

    parse(text: str, *, units=(), organisations=(), agency=None) -> dict

- ``text``: any plain text, NFC or not (a PDF's text layer, a .docx's paragraphs, OCR output,
  a copy of a web page with menus around the article).
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
"""

from __future__ import annotations

from typing import Any

FIELDS = (
    "kind", "doc_type", "type_abbr", "number", "symbol", "parent_body", "issuer", "place", "issued_on",
    "subject", "urgency", "confidentiality", "addressees", "references", "body", "items", "signer",
    "distribution",
)  # fmt: skip


def parse(text: str, *, units=(), organisations=(), agency=None) -> dict[str, Any]:
    """PLACEHOLDER until the parser lands: every field unknown."""
    answer: dict[str, Any] = dict.fromkeys(FIELDS)
    for key in ("addressees", "references", "body", "items", "distribution"):
        answer[key] = []
    answer["signer"] = {"authority": None, "authority_title": None, "title": None, "name": None}
    answer["uncertain"] = []
    return answer
