"""Numbers as Decree 30/2020 sets them: from 01 each 1 January, no gap, no duplicate."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError

from directives import numbering, services
from directives.models import Document, DocumentType
from lib.errors import DomainError, NotAllowed
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


# --- Issue #16 item 4: the numbering mode is locked for the year; symbols are unique ----------


def decision_type():
    return DocumentType.objects.get(abbreviation="QĐ")


def test_switching_the_mode_mid_year_cannot_give_a_second_symbol(make_approved, clerk, agency):
    """The reported bug: one common series, then per type, gave 01/QĐ-SKHCN twice."""
    first = issue(make_approved(doc_type=decision_type()), clerk)
    assert first.symbol == "01/QĐ-SKHCN"
    # How the switch used to happen (the admin saved any mode at any time).
    Agency.objects.filter(pk=agency.pk).update(numbering=Agency.Numbering.PER_TYPE)
    second = make_approved(doc_type=decision_type())
    with pytest.raises(DomainError, match="01/QĐ-SKHCN đã được cấp"):
        services.document_issue(document=second, by=clerk)
    second.refresh_from_db()
    assert second.number is None and second.state == Document.State.APPROVED
    assert Document.objects.filter(symbol="01/QĐ-SKHCN").count() == 1


def test_the_database_refuses_a_symbol_given_twice_in_a_year(make_approved, clerk):
    first = issue(make_approved(), clerk)
    second = make_approved()
    with pytest.raises(IntegrityError, match="symbol_unique|UNIQUE"):
        Document.objects.filter(pk=second.pk).update(
            state="issued", number=99, year=first.year, series="TB", symbol=first.symbol
        )


def test_a_confidential_symbol_may_repeat_an_ordinary_one(make_approved, clerk):
    """Confidential documents have their own series: 01/TB-SKHCN (mật) beside 01/TB-SKHCN."""
    assert issue(make_approved(), clerk).symbol == issue(make_approved(confidentiality="mat"), clerk).symbol


def test_the_mode_cannot_change_once_a_number_of_the_year_is_used(make_approved, clerk, agency, administrator):
    with time_machine.travel(datetime(2026, 6, 1, 3, 0, tzinfo=UTC), tick=False):
        # No number yet this year: the agency may choose.
        numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.PER_TYPE, by=administrator)
        numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.COMMON, by=administrator)
        issue(make_approved(), clerk)
        with pytest.raises(DomainError, match="không thể đổi cách đánh số giữa năm"):
            numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.PER_TYPE, by=administrator)
    agency.refresh_from_db()
    assert agency.numbering == Agency.Numbering.COMMON
    # On 1 January (Vietnam time), before the first number of the year, it may change again.
    with time_machine.travel(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), tick=False):
        numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.PER_TYPE, by=administrator)
    agency.refresh_from_db()
    assert agency.numbering == Agency.Numbering.PER_TYPE


def test_only_an_administrator_changes_the_mode(agency, clerk):
    with pytest.raises(NotAllowed):
        numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.PER_TYPE, by=clerk)


def test_the_admin_refuses_a_mode_change_mid_year(client, make_approved, clerk, agency, administrator):
    from django.urls import reverse

    issue(make_approved(), clerk)
    client.force_login(administrator)
    url = reverse("admin:units_agency_change", args=[agency.pk])
    form = {
        "name": agency.name, "abbreviation": agency.abbreviation, "parent_body": agency.parent_body,
        "place_name": agency.place_name, "numbering": Agency.Numbering.PER_TYPE,
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 200
    assert "không thể đổi cách đánh số giữa năm" in response.content.decode()
    agency.refresh_from_db()
    assert agency.numbering == Agency.Numbering.COMMON


@pytest.mark.postgres
def test_a_mode_switch_racing_issues_never_repeats_a_symbol(make_approved, clerk, agency, administrator):
    """Whatever wins the race, the symbols of the year stay unique (the constraint is the backstop)."""
    documents = [make_approved(doc_type=decision_type()) for _ in range(8)]

    def switch():
        numbering.agency_numbering_set(agency=agency, numbering=Agency.Numbering.PER_TYPE, by=administrator)

    works = [lambda d=d: services.document_issue(document=d, by=clerk) for d in documents] + [switch]
    errors = at_once(works)
    assert all(isinstance(e, DomainError | IntegrityError) for e in errors)
    symbols = list(Document.objects.filter(state="issued").values_list("symbol", flat=True))
    assert len(symbols) == len(set(symbols)) >= 1


# --- Arrival numbers follow the time of registration -----------------------------------------


def register(clerk, received_on, symbol="1104/SNV-CCHC", **kwargs):
    from tests.factories import OrganisationFactory

    sender = kwargs.pop("sender", None) or OrganisationFactory()
    return services.incoming_register(
        by=clerk, sender=sender, symbol=symbol, issued_on=None, subject="Hướng dẫn thực hiện",
        doc_type=DocumentType.objects.get(abbreviation="TB"), received_on=received_on, **kwargs,
    )  # fmt: skip


def test_arrival_numbers_take_their_year_from_the_registration_not_the_typed_date(clerk):
    with time_machine.travel(datetime(2026, 12, 31, 9, 0, tzinfo=UTC), tick=False):
        last_of_year = register(clerk, date(2026, 12, 31))
    # Registered on 2 January 2027, received on 31 December: arrival 01 of 2027, date kept as typed.
    with time_machine.travel(datetime(2027, 1, 2, 2, 0, tzinfo=UTC), tick=False):
        late = register(clerk, date(2026, 12, 31), symbol="1200/SNV-CCHC")
    assert (last_of_year.year, last_of_year.number) == (2026, 1)
    assert (late.year, late.number, late.received_on) == (2027, 1, date(2026, 12, 31))


def test_a_back_dated_receipt_registers_with_a_warning(clerk):
    with time_machine.travel(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), tick=False):
        first = register(clerk, date(2026, 12, 4))
        warning = services.incoming_backdated_warning(agency_id=clerk.agency_id, received_on=date(2026, 11, 27))
        second = register(clerk, date(2026, 11, 27), symbol="1105/SNV-CCHC")
    assert "27/11/2026 sớm hơn ngày đến 04/12/2026" in warning
    assert (first.number, second.number) == (1, 2)
    assert services.incoming_backdated_warning(agency_id=clerk.agency_id, received_on=date(2026, 12, 4)) == ""


def test_the_page_warns_of_a_back_dated_receipt(client, clerk):
    from django.urls import reverse

    from tests.factories import OrganisationFactory

    sender = OrganisationFactory(name="Sở Tài chính")
    register(clerk, date(2026, 12, 4), sender=sender)
    client.force_login(clerk)
    form = {
        "sender": sender.pk, "symbol": "77/STC-NS", "issued_on": "2026-11-20", "doc_type": notice_type_pk(),
        "subject": "Dự toán", "received_on": "2026-11-27",
    }  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), tick=False):
        response = client.post(reverse("directives:incoming_register"), form, follow=True)
    page = response.content.decode()
    assert "Đã vào sổ văn bản đến. Số đến: 2" in page
    assert "Ngày đến 27/11/2026 sớm hơn ngày đến 04/12/2026" in page


def test_the_api_registers_a_back_dated_receipt_with_a_warning(client, clerk):
    from django.urls import reverse

    from tests.factories import OrganisationFactory

    sender = OrganisationFactory(name="Sở Tài chính")
    register(clerk, date(2026, 12, 4), sender=sender)
    client.force_login(clerk)
    body = {
        "sender": sender.pk, "symbol": "77/STC-NS", "doc_type": notice_type_pk(), "subject": "Dự toán",
        "received_on": "2026-11-27",
    }  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), tick=False):
        response = client.post(reverse("api-incoming"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["arrival_number"] == 2
    assert "sớm hơn ngày đến 04/12/2026" in response.json()["warnings"][0]
    with time_machine.travel(datetime(2026, 12, 4, 3, 0, tzinfo=UTC), tick=False):
        later = client.post(reverse("api-incoming"), {**body, "symbol": "78/STC-NS", "received_on": "2026-12-04"},
                            content_type="application/json")  # fmt: skip
    assert later.json()["warnings"] == []


def notice_type_pk():
    return DocumentType.objects.get(abbreviation="TB").pk
