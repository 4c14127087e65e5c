"""Numbers and symbols of documents, as Decree 30/2020 sets them.

Numbers run from 01 on 1 January (Asia/Ho_Chi_Minh) in the order documents are
issued, one series per agency and year; confidential documents have their own;
incoming documents get arrival numbers on the same rule.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directives.models import Counter, Document
from lib.errors import DomainError, NotAllowed
from units.models import Agency, User
from units.roles import Role

INCOMING_SERIES = "DEN"
CONFIDENTIAL_SERIES = "MAT"
CONG_VAN_SERIES = "CV"
# Copies (sao y, trích sao, sao lục) share one yearly series of the agency (Decree 30, Art. 27).
COPIES_SERIES = "SAO"


def series_for(document: Document) -> str:
    """The series a document is numbered in."""
    if document.copy_form:
        return COPIES_SERIES
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
    if document.copy_form:
        return f"{format_number(number)}/{document.copy_form}-{agency}"
    if document.doc_type.abbreviation:
        tail = f"{document.doc_type.abbreviation}-{agency}"
    else:
        tail = f"{agency}-{document.drafting_unit.abbreviation}" if document.drafting_unit_id else agency
    return f"{format_number(number)}/{tail}"


def number_assign(document: Document, *, year: int) -> None:
    """Give ``document`` the next number of its series in ``year`` and its symbol (not saved).

    Call inside the transaction that saves it. Refuses (DomainError, the number rolled back
    with the transaction) a symbol another outgoing document of the agency already carries in
    the year: the friendly check in front of ``directives_document_symbol_unique`` (confidential
    documents have their own series, so their symbols are compared among themselves). It is
    reachable only if the numbering mode changed mid-year behind the service's back.
    """
    document.series = series_for(document)
    document.number = number_next(
        agency=document.agency, direction=document.direction, year=year, series=document.series
    )
    document.year = year
    document.symbol = symbol_for(document, document.number)
    found = Document.objects.filter(
        agency_id=document.agency_id, direction=Document.Direction.OUTGOING, year=year, symbol=document.symbol,
        number__isnull=False,
    ).exclude(pk=document.pk)  # fmt: skip
    found = found.exclude(confidentiality="") if document.is_confidential else found.filter(confidentiality="")
    if found.exists():
        raise DomainError(
            _("Số, ký hiệu %(symbol)s đã được cấp trong năm %(year)s. Hãy báo quản trị kiểm tra cách đánh số.")
            % {"symbol": document.symbol, "year": year}
        )


def numbering_change_refusal(*, agency: Agency, numbering: str, today: date | None = None) -> str | None:
    """Why ``agency`` may not switch to ``numbering`` today, or None when it may.

    The mode decides which series a document is numbered in; switching it once a number of the
    year is used would start a second series and give a symbol again (a second 01/QĐ-SKHCN).
    A switch therefore waits for 1 January, before the first number of the new year.
    """
    if numbering == agency.numbering:
        return None
    year = (today or timezone.localdate()).year
    used = Document.objects.filter(
        agency=agency, direction=Document.Direction.OUTGOING, year=year, number__isnull=False
    ).exists()
    if used:
        return _(
            "Năm %(year)s cơ quan đã cấp số văn bản đi theo cách đánh số hiện tại; không thể đổi cách "
            "đánh số giữa năm (sẽ trùng số, ký hiệu). Hãy đổi vào ngày 01/01, trước khi cấp số đầu tiên của năm."
        ) % {"year": year}
    return None


@transaction.atomic
def agency_numbering_set(*, agency: Agency, numbering: str, by: User) -> Agency:
    """Switch the agency between one common series and one series per type.

    Refused (DomainError) once an outgoing number of the current year is used; the agency row is
    locked so two administrators cannot both pass the check with different modes.
    """
    if not (by.is_superuser or (Role.ADMINISTRATOR in by.roles and by.agency_id == agency.pk)):
        raise NotAllowed(_("Chỉ quản trị của cơ quan được đổi cách đánh số văn bản."))
    if numbering not in Agency.Numbering.values:
        raise DomainError(_("Cách đánh số không hợp lệ."), {"field": "numbering"})
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    refusal = numbering_change_refusal(agency=agency, numbering=numbering)
    if refusal:
        raise DomainError(refusal, {"field": "numbering"})
    agency.numbering = numbering
    agency.save(update_fields=["numbering"])
    return agency
