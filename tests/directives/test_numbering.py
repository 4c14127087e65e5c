"""Numbers as Decree 30/2020 sets them: from 01 each 1 January, no gap, no duplicate."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError

from directives import numbering, services
from directives.models import Document, DocumentType
from tests.concurrency import at_once
from units.models import Agency


def issue(document, clerk, **kwargs):
    services.document_issue(document=document, by=clerk, **kwargs)
    document.refresh_from_db()
    return document


def test_symbols_follow_the_rule_for_the_type(make_approved, clerk, cong_van):
    assert issue(make_approved(), clerk).symbol == "01/TB-SKHCN"
    assert issue(make_approved(doc_type=cong_van), clerk).symbol == "02/SKHCN-QLKH"


def test_numbers_under_ten_take_a_leading_zero_and_then_grow(make_approved, clerk):
    symbols = [issue(make_approved(), clerk).symbol for _ in range(11)]
    assert symbols[0] == "01/TB-SKHCN" and symbols[8] == "09/TB-SKHCN" and symbols[10] == "11/TB-SKHCN"


def test_a_draft_has_no_number(make_draft, cong_van):
    assert make_draft().symbol == "/TB-SKHCN"
    assert make_draft(doc_type=cong_van).symbol == "/SKHCN-QLKH"


def test_a_failed_issue_consumes_no_number(make_approved, clerk, monkeypatch):
    first, second = make_approved(), make_approved()

    def broken_delivery(*args, **kwargs):
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(services, "_deliver", broken_delivery)
    with pytest.raises(RuntimeError):
        services.document_issue(document=first, by=clerk)
    first.refresh_from_db()
    assert first.state == Document.State.APPROVED and first.number is None
    monkeypatch.undo()
    assert issue(second, clerk).number == 1
    assert issue(first, clerk).number == 2


def test_numbering_restarts_on_1_january_in_vietnam_time(make_approved, clerk):
    # 31 Dec 2026 16:59 UTC is 23:59 in Hà Nội: still 2026.
    with time_machine.travel(datetime(2026, 12, 31, 16, 59, tzinfo=UTC), tick=False):
        late = issue(make_approved(), clerk)
    # 31 Dec 2026 17:00 UTC is 00:00 on 1 January 2027 in Hà Nội.
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        first_of_year = issue(make_approved(), clerk)
        second_of_year = issue(make_approved(), clerk)
    assert (late.year, late.number, late.issued_on) == (2026, 1, date(2026, 12, 31))
    assert (first_of_year.year, first_of_year.number, first_of_year.issued_on) == (2027, 1, date(2027, 1, 1))
    assert second_of_year.number == 2


def test_confidential_documents_have_their_own_series(make_approved, clerk):
    assert issue(make_approved(), clerk).number == 1
    secret = issue(make_approved(confidentiality="mat"), clerk)
    assert (secret.series, secret.number) == (numbering.CONFIDENTIAL_SERIES, 1)
    assert issue(make_approved(), clerk).number == 2


def test_an_agency_may_number_each_type_in_its_own_series(make_approved, clerk, agency):
    agency.numbering = Agency.Numbering.PER_TYPE
    agency.save()
    plan = DocumentType.objects.get(abbreviation="KH")
    assert issue(make_approved(), clerk).symbol == "01/TB-SKHCN"
    assert issue(make_approved(doc_type=plan), clerk).symbol == "01/KH-SKHCN"
    assert issue(make_approved(), clerk).symbol == "02/TB-SKHCN"


def test_the_database_refuses_a_duplicate_number(make_approved, clerk):
    """The unique constraint is the backstop behind the counter lock."""
    first = issue(make_approved(), clerk)
    second = make_approved()
    with pytest.raises(IntegrityError):
        Document.objects.filter(pk=second.pk).update(state="issued", number=first.number, year=first.year, series="")


def test_incoming_documents_get_arrival_numbers_of_their_own(clerk, make_approved, notice_type):
    from tests.factories import OrganisationFactory

    sender = OrganisationFactory(name="Sở Nội vụ")
    first = services.incoming_register(
        by=clerk, sender=sender, symbol="1104/SNV-CCHC", issued_on=date(2026, 7, 19), doc_type=notice_type,
        subject="Hướng dẫn thực hiện", received_on=date(2026, 7, 20),
    )  # fmt: skip
    issue(make_approved(), clerk)
    second = services.incoming_register(
        by=clerk, sender=sender, symbol="1105/SNV-CCHC", issued_on=date(2026, 7, 19), doc_type=notice_type,
        subject="Hướng dẫn khác", received_on=date(2026, 7, 20),
    )  # fmt: skip
    assert (first.number, second.number) == (1, 2)
    assert first.series == numbering.INCOMING_SERIES


@pytest.mark.postgres
@pytest.mark.slow
def test_fifty_clerks_issuing_at_once_get_consecutive_numbers(make_approved, clerk):
    documents = [make_approved() for _ in range(50)]
    errors = at_once([lambda d=d: services.document_issue(document=d, by=clerk) for d in documents])
    assert errors == []
    numbers = sorted(Document.objects.filter(state="issued").values_list("number", flat=True))
    assert numbers == list(range(1, 51))
