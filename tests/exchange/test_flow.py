"""Sending on issue, arrivals waiting for a clerk, accepting (03) and refusing (02) (issue #18)."""

import hashlib

import pytest
from django.http import Http404

from directives.models import Counter, Document
from exchange import edxml, permissions, selectors
from exchange import services as exchange
from exchange.models import ACCEPTED, ARRIVED, REFUSED, Outgoing, Received, StatusLog
from lib.errors import DomainError, NotAllowed
from tests import factories
from tests.exchange.test_commands import files_of


def lines(agency, direction) -> list[tuple[str, str, str]]:
    """An agency's status lines in one direction: (party, code, description)."""
    rows = StatusLog.objects.filter(agency=agency, direction=direction).order_by("pk")
    return list(rows.values_list("party_id", "code", "description"))


@pytest.fixture
def arrival(sent, courier, sct) -> Received:
    (package_row,) = courier.pending(kind=Outgoing.Kind.PACKAGE)
    (received,) = courier.carry(package_row)
    return received


def test_issuing_queues_the_package_for_each_recipient_with_an_identity(sent, skhcn):
    (row,) = Outgoing.objects.filter(kind=Outgoing.Kind.PACKAGE)
    assert (row.agency, row.to_id, row.organisation.name, row.document, row.state) == (
        skhcn, "H37.DN.002", "Sở Công Thương", sent, Outgoing.State.PENDING,
    )  # fmt: skip
    assert (row.package_document_id, row.code_notation) == (str(sent.pk), sent.symbol.partition("/")[2])


def test_a_confidential_document_or_an_agency_without_identity_sends_nothing(
    skhcn, sct_organisation, make_approved, clerk
):
    from directives import services as directives

    secret = make_approved(recipient_organisations=[sct_organisation], confidentiality="mat")
    directives.document_issue(document=secret, by=clerk)
    skhcn.exchange_id = ""
    skhcn.save(update_fields=["exchange_id"])
    plain = make_approved(recipient_organisations=[sct_organisation])
    directives.document_issue(document=plain, by=clerk)
    assert not Outgoing.objects.exists()


def test_an_arrival_waits_with_the_packages_fields_and_its_pdfs_signatures(sent, arrival, sct):
    assert (arrival.agency, arrival.state, arrival.transport, arrival.message_id) == (
        sct, Received.State.WAITING, "test", arrival.message_id,
    )  # fmt: skip
    assert (arrival.sender_exchange_id, arrival.sender_name, arrival.package_document_id) == (
        "H37.DN.001", "Sở Khoa học và Công nghệ", str(sent.pk),
    )  # fmt: skip
    assert (arrival.symbol, arrival.issued_on, arrival.doc_type_name, arrival.subject) == (
        sent.symbol, sent.issued_on, sent.doc_type.name, sent.subject,
    )  # fmt: skip
    data = arrival.package.read()
    assert arrival.sha256 == hashlib.sha256(data).hexdigest() and arrival.size == len(data)
    assert arrival.shape == "qcvn102" and arrival.document is None
    official, signed = arrival.signatures
    assert official["name"] == f"{sent.symbol.replace('/', '_')}.pdf"
    assert signed["name"] == "Quyết định đã ký.pdf"
    (signature,) = signed["signatures"]
    assert signature["signer"] == "Nguyễn Công Danh" and signature["intact"] is True
    assert not Document.objects.filter(agency=sct).exists()


def test_an_arrival_is_told_to_the_sender_with_01(sent, arrival, courier, skhcn, sct):
    assert lines(sct, StatusLog.Direction.OUT) == [("H37.DN.001", ARRIVED, "")]
    (row,) = courier.pending(kind=Outgoing.Kind.STATUS)
    assert (row.agency, row.to_id, row.code, row.package_document_id, row.received) == (
        sct, "H37.DN.001", ARRIVED, str(sent.pk), arrival,
    )  # fmt: skip
    log = courier.carry(row)
    assert (log.agency, log.direction, log.document, log.party_id, log.code) == (
        skhcn, StatusLog.Direction.IN, sent, "H37.DN.002", ARRIVED,
    )  # fmt: skip


def test_a_pdf_whose_signatures_cannot_be_checked_is_kept_and_says_so(sent, courier, monkeypatch):
    def broken(data):
        raise ValueError("bad xref")

    monkeypatch.setattr(exchange, "received_pdf_check", broken)
    (received,) = courier.carry_all(kind=Outgoing.Kind.PACKAGE)[0]
    assert received.state == Received.State.WAITING
    assert [entry["error"] for entry in received.signatures] == ["Không kiểm tra được chữ ký số của tệp này."] * 2


def test_accepting_registers_the_arrival_numbered_with_its_files_as_sent(sent, arrival, sct, sct_clerk):
    document = exchange.arrival_accept(received=arrival, by=sct_clerk)

    assert (document.agency, document.direction, document.number, document.state) == (
        sct, Document.Direction.INCOMING, 1, Document.State.REGISTERED,
    )  # fmt: skip
    assert (document.symbol, document.subject, document.urgency) == (sent.symbol, sent.subject, "khan")
    official = sent.issued_pdf.file.open("rb").read()
    assert files_of(document) == [(f"{sent.symbol.replace('/', '_')}.pdf", official), *files_of(sent)]
    arrival.refresh_from_db()
    assert (arrival.state, arrival.document, arrival.decided_by) == (Received.State.ACCEPTED, document, sct_clerk)
    assert arrival.decided_at is not None


def test_accepting_is_told_to_the_sender_with_03_and_the_clerks_name(arrival, sent, courier, skhcn, sct, sct_clerk):
    courier.carry_all()  # the 01
    document = exchange.arrival_accept(received=arrival, by=sct_clerk)
    (row,) = courier.pending()
    assert (row.code, row.staff, row.received, row.document) == (ACCEPTED, "Phạm Thị Olga", arrival, document)
    courier.carry(row)
    assert lines(skhcn, StatusLog.Direction.IN) == [("H37.DN.002", ARRIVED, ""), ("H37.DN.002", ACCEPTED, "")]
    assert StatusLog.objects.get(agency=skhcn, code=ACCEPTED).staff == "Phạm Thị Olga"


def test_refusing_needs_a_reason_and_tells_the_sender_02_with_it(arrival, sent, courier, skhcn, sct, sct_clerk):
    courier.carry_all()
    with pytest.raises(DomainError, match="Hãy ghi lý do từ chối."):
        exchange.arrival_refuse(received=arrival, by=sct_clerk, reason="  ")
    assert Received.objects.get(pk=arrival.pk).state == Received.State.WAITING

    exchange.arrival_refuse(received=arrival, by=sct_clerk, reason="Gửi nhầm cơ quan.")
    arrival.refresh_from_db()
    assert (arrival.state, arrival.reason, arrival.decided_by) == (
        Received.State.REFUSED, "Gửi nhầm cơ quan.", sct_clerk,
    )  # fmt: skip
    assert not Document.objects.filter(agency=sct).exists()
    (row,) = courier.pending()
    assert (row.code, row.description) == (REFUSED, "Gửi nhầm cơ quan.")
    courier.carry(row)
    assert lines(skhcn, StatusLog.Direction.IN)[-1] == ("H37.DN.002", REFUSED, "Gửi nhầm cơ quan.")


def decided(received: Received) -> tuple:
    received = Received.objects.get(pk=received.pk)
    return (
        received.state, received.document_id, received.decided_by_id, Outgoing.objects.count(),
        StatusLog.objects.count(), list(Counter.objects.filter(agency=received.agency).values_list("last_number")),
    )  # fmt: skip


def test_only_the_receiving_agencys_clerk_decides_and_a_refusal_changes_nothing(
    arrival, sct, sct_clerk, clerk, outsider
):
    before = decided(arrival)
    for person in (clerk, outsider):  # the other agency's clerk; a member of SCT who is no clerk
        with pytest.raises(NotAllowed, match="Chỉ văn thư của cơ quan nhận"):
            exchange.arrival_accept(received=arrival, by=person)
        with pytest.raises(NotAllowed, match="Chỉ văn thư của cơ quan nhận"):
            exchange.arrival_refuse(received=arrival, by=person, reason="Không")
    assert decided(arrival) == before


def test_an_arrival_is_decided_once(arrival, sct_clerk):
    exchange.arrival_accept(received=arrival, by=sct_clerk)
    before = decided(arrival)
    with pytest.raises(DomainError, match=r"Văn bản liên thông này đã được xử lý \(đã tiếp nhận\)."):
        exchange.arrival_accept(received=arrival, by=sct_clerk)
    with pytest.raises(DomainError, match="đã được xử lý"):
        exchange.arrival_refuse(received=arrival, by=sct_clerk, reason="Muộn")
    assert decided(arrival) == before


def test_an_arrival_whose_file_is_refused_stays_waiting_and_takes_no_number(sent, skhcn, sct, sct_clerk):
    package = exchange.package_of_document(sent)
    package.attachments.append(edxml.Attachment("9", "chay.exe", "application/octet-stream", b"MZ\x90\x00binary"))
    (received,) = exchange.arrival_store(data=edxml.package_build(package), transport="test", message_id="m1")
    before = decided(received)
    with pytest.raises(DomainError, match="chay.exe"):
        exchange.arrival_accept(received=received, by=sct_clerk)
    assert decided(received) == before and received.state == Received.State.WAITING


def test_a_package_delivered_twice_is_kept_once_and_answered_once(sent, courier, sct):
    (row,) = courier.pending(kind=Outgoing.Kind.PACKAGE)
    (first,) = courier.carry(row)
    (again,) = courier.carry(row)  # the same message id
    (other_message,) = courier.carry(row, message_id="another-id")  # the same document from the same sender
    assert first.pk == again.pk == other_message.pk
    assert Received.objects.count() == 1
    assert Outgoing.objects.filter(code=ARRIVED).count() == 1 and StatusLog.objects.count() == 1


def test_a_package_to_two_agencies_here_waits_in_each(sent, skhcn, sct, courier):
    third = factories.AgencyFactory(abbreviation="STC", name="Sở Tài chính", exchange_id="H37.DN.003")
    package = exchange.package_of_document(sent)
    package.to.append(edxml.Party("H37.DN.003", "Sở Tài chính"))
    data = edxml.package_build(package)
    rows = exchange.arrival_store(data=data, transport="test", message_id="twice", sender_id="H37.DN.001")
    assert [row.agency for row in rows] == [sct, third]
    assert exchange.arrival_store(data=data, transport="test", message_id="twice") == rows
    assert Outgoing.objects.filter(code=ARRIVED).count() == 2


def test_a_malformed_package_is_kept_refused_and_answered_02(sent, skhcn, sct):
    data = edxml.package_build(exchange.package_of_document(sent)).replace(b"H37.DN.001", b"h37-dn-001")
    (received,) = exchange.arrival_store(data=data, transport="test", message_id="bad", sender_id="H37.DN.001")
    assert (received.state, received.agency, received.sender_exchange_id) == (
        Received.State.REFUSED, None, "H37.DN.001",
    )  # fmt: skip
    assert "Mã định danh «h37-dn-001» của cơ quan gửi không hợp lệ" in received.reason
    assert received.package.read() == data and received.package_document_id == str(sent.pk)
    (row,) = Outgoing.objects.filter(code=REFUSED)
    # Sent from the installation's first agency with an identity (docs/decisions.md).
    assert (row.agency, row.to_id, row.description, row.package_document_id) == (
        skhcn, "H37.DN.001", received.reason, str(sent.pk),
    )  # fmt: skip
    assert edxml.status_build(
        edxml.Status(REFUSED, edxml.Party("H37.DN.001", "A"), edxml.Party("H37.DN.002", "B"), row.package_document_id,
                     row.code_notation, row.created_at, row.description)
    )  # fmt: skip
    assert exchange.arrival_store(data=data, transport="test", message_id="bad") == [received]
    assert Outgoing.objects.filter(code=REFUSED).count() == 1


def test_a_malformed_package_from_an_unknown_sender_is_kept_and_answered_nothing(skhcn):
    (received,) = exchange.arrival_store(data=b"<not-xml", transport="test")
    assert (received.state, received.agency, received.sender_exchange_id) == (Received.State.REFUSED, None, "")
    assert received.reason and not Outgoing.objects.exists()


def test_a_package_to_no_agency_here_is_refused_02(sent, skhcn, sct):
    package = exchange.package_of_document(sent)
    package.to = [edxml.Party("H99.XX.001", "Cơ quan ở tỉnh khác")]
    (received,) = exchange.arrival_store(data=edxml.package_build(package), transport="test")
    assert received.state == Received.State.REFUSED and received.agency is None
    assert "H99.XX.001" in received.reason
    (row,) = Outgoing.objects.filter(code=REFUSED)
    assert (row.agency, row.to_id) == (skhcn, "H37.DN.001")


def test_the_import_command_still_registers_at_once(sent, sct, sct_clerk):
    data = edxml.package_build(exchange.package_of_document(sent))
    document = exchange.package_receive(data=data, agency=sct, by=sct_clerk)
    received = Received.objects.get(document=document)
    assert (received.state, received.symbol, received.sender_name) == (
        Received.State.ACCEPTED, sent.symbol, "Sở Khoa học và Công nghệ",
    )  # fmt: skip
    with pytest.raises(DomainError, match="Gói tin này đã được nhận: văn bản đến số 1."):
        exchange.package_receive(data=data, agency=sct, by=sct_clerk)


# --- What the pages read (exchange/selectors.py) ---


def make_arrivals(agency, count: int) -> list[Received]:
    """``count`` arrivals of ``agency``: every third one refused, the others waiting."""
    rows = [
        Received(
            agency=agency, sha256="0" * 64, package=f"exchange/test/{n}.xml", sender_exchange_id="H37.DN.001",
            package_document_id=str(1000 + n), subject=f"Văn bản {n}",
            state=Received.State.REFUSED if n % 3 == 0 else Received.State.WAITING,
        )
        for n in range(count)
    ]  # fmt: skip
    return Received.objects.bulk_create(rows)


@pytest.mark.parametrize("count", [1, 20])
def test_a_clerks_arrivals_list_waiting_oldest_first_in_constant_queries(
    sct, sct_clerk, django_assert_num_queries, count
):
    made = make_arrivals(sct, count)
    assert sct_clerk.has_perm("directives.register_incoming")  # the permission cache, read once per request
    with django_assert_num_queries(1):
        rows = [(row.pk, row.state, row.document, row.decided_by) for row in selectors.arrivals_for(sct_clerk)]
    waiting = [r.pk for r in made if r.state == Received.State.WAITING]
    refused = [r.pk for r in reversed(made) if r.state == Received.State.REFUSED]
    assert [pk for pk, *_rest in rows] == waiting + refused
    assert [r.pk for r in selectors.arrivals_for(sct_clerk, Received.State.WAITING)] == waiting


def test_arrivals_are_seen_only_by_their_agencys_clerks(sct, sct_clerk, clerk, outsider):
    make_arrivals(sct, 2)
    assert selectors.arrivals_for(clerk).count() == selectors.arrivals_for(outsider).count() == 0
    with pytest.raises(Http404):
        permissions.arrival_get_for(clerk, Received.objects.first().pk)
    assert permissions.arrival_get_for(sct_clerk, Received.objects.first().pk).agency == sct


def recipient_view(state: selectors.RecipientState) -> tuple:
    return (
        state.name, state.to_id, state.package_state, state.attempts, state.sent_at is not None,
        state.last and (state.last.code, state.last.label), [(line.direction, line.code) for line in state.lines],
        state.recall,
    )  # fmt: skip


def test_the_senders_panel_shows_each_recipients_send_job_statuses_and_recall(
    sent, arrival, courier, clerk, sct_clerk, django_assert_num_queries
):
    with django_assert_num_queries(3):
        (before,) = selectors.recipients_of(sent)
    assert recipient_view(before) == ("Sở Công Thương", "H37.DN.002", "sent", 0, True, None, [], "")

    courier.carry_all()  # 01
    exchange.arrival_accept(received=arrival, by=sct_clerk)
    exchange.recall_request(document=sent, by=clerk, reason="Sai sót")
    courier.carry_all()  # 03, 13
    (state,) = selectors.recipients_of(sent)
    assert recipient_view(state) == (
        "Sở Công Thương", "H37.DN.002", "sent", 0, True, ("03", "Đã tiếp nhận"),
        [("in", "01"), ("in", "03"), ("out", "13")], "asked",
    )  # fmt: skip

    exchange.recall_answer(received=Received.objects.get(pk=arrival.pk), by=sct_clerk, agree=False, reason="Không")
    courier.carry_all()
    (state,) = selectors.recipients_of(sent)
    assert (state.recall, state.recall_label, state.last.description) == ("refused", "Đã từ chối lấy lại", "Không")
    history = selectors.exchange_history(sent)
    assert [(line.direction, line.code) for line in history] == [
        ("in", "01"),
        ("in", "03"),
        ("out", "13"),
        ("in", "16"),
    ]
    received_history = selectors.exchange_history(Received.objects.get(pk=arrival.pk).document)
    assert [(line.direction, line.code) for line in received_history] == [
        ("out", "01"), ("out", "03"), ("in", "13"), ("out", "16"),
    ]  # fmt: skip


def test_the_senders_panel_costs_the_same_for_many_recipients(skhcn, make_approved, clerk, django_assert_num_queries):
    from directives import services as directives

    organisations = [factories.OrganisationFactory(exchange_id=f"H37.DN.1{n:02}") for n in range(12)]
    document = make_approved(recipient_organisations=organisations)
    directives.document_issue(document=document, by=clerk)
    for row in Outgoing.objects.all():
        StatusLog.objects.create(agency=skhcn, direction="in", party_id=row.to_id, document=document, code=ARRIVED,
                                 at=row.created_at)  # fmt: skip
    with django_assert_num_queries(3):
        states = selectors.recipients_of(document)
    assert len(states) == 12 and all(state.last.code == ARRIVED for state in states)


# --- At once (PostgreSQL) ---


@pytest.mark.postgres
@pytest.mark.slow
def test_two_clerks_accepting_at_once_register_it_once(arrival, sct, sct_clerk):
    from tests.concurrency import at_once

    errors = at_once([lambda: exchange.arrival_accept(received=arrival, by=sct_clerk) for _ in range(2)])
    assert [error.message for error in errors] == ["Văn bản liên thông này đã được xử lý (đã tiếp nhận)."]
    assert Document.objects.filter(agency=sct).count() == 1
    assert Outgoing.objects.filter(code=ACCEPTED).count() == 1


@pytest.mark.postgres
@pytest.mark.slow
def test_one_package_delivered_twice_at_once_is_kept_once(sent, sct):
    from tests.concurrency import at_once

    data = edxml.package_build(exchange.package_of_document(sent))
    kept = []

    def deliver(message_id):
        return lambda: kept.extend(exchange.arrival_store(data=data, transport="test", message_id=message_id))

    assert at_once([deliver("first"), deliver("second"), deliver("first")]) == []
    assert Received.objects.count() == 1 and {row.pk for row in kept} == {Received.objects.get().pk}
    assert Outgoing.objects.filter(code=ARRIVED).count() == 1
