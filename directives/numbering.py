"""Numbers and symbols of documents, as Decree 30/2020 sets them.

Numbers run from 01 on 1 January (Asia/Ho_Chi_Minh) in the order documents are
issued, one series per agency and year; confidential documents have their own;
incoming documents get arrival numbers on the same rule.
"""

from django.db import transaction

from directives.models import Counter, Document
from units.models import Agency

INCOMING_SERIES = "DEN"
CONFIDENTIAL_SERIES = "MAT"
CONG_VAN_SERIES = "CV"


def series_for(document: Document) -> str:
    """The series a document is numbered in."""
    if document.direction == Document.Direction.INCOMING:
        return INCOMING_SERIES + ("-" + CONFIDENTIAL_SERIES if document.confidentiality else "")
    if document.confidentiality:
        return CONFIDENTIAL_SERIES
    if document.agency.numbering == Agency.Numbering.PER_TYPE:
        return document.doc_type.abbreviation or CONG_VAN_SERIES
    return ""


def number_next(*, agency: Agency, direction: str, year: int, series: str) -> int:
    """Take the next number of the series. Call inside the transaction that stores it.

    The counter row is locked until that transaction ends, so concurrent issuers queue:
    no gap (a rolled-back issue gives its number back) and no duplicate. SQLite ignores
    the lock, but its IMMEDIATE transactions already serialise writers.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next() must run inside the transaction that uses the number")
    counter, _created = Counter.objects.get_or_create(agency=agency, direction=direction, year=year, series=series)
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_number(number: int | None) -> str:
    """Numbers under 10 take a leading zero: 05, 10, 336."""
    return f"{number:02d}" if number else ""


def symbol_for(document: Document, number: int | None) -> str:
    """``336/TB-SKHCN`` for a typed document, ``328/SKHCN-VP`` for a công văn; no number on a draft."""
    agency = document.agency.abbreviation
    if document.doc_type.abbreviation:
        tail = f"{document.doc_type.abbreviation}-{agency}"
    else:
        tail = f"{agency}-{document.drafting_unit.abbreviation}" if document.drafting_unit_id else agency
    return f"{format_number(number)}/{tail}"
