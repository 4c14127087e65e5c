"""A sender asks for a document back (13); the recipient agrees (15) or refuses (16) (issue #18)."""

import pytest

from directives import services as directives
from directives.models import Delivery, Document
from exchange import edxml
from exchange import services as exchange
from exchange.models import RECALL_AGREED, RECALL_ASKED, RECALL_REFUSED, Outgoing, Received, StatusLog
from lib.errors import DomainError, NotAllowed
from tasks import services as tasks
from tasks.models import Task, TaskEvent

REASON = "Văn bản có sai sót về thời hạn, sẽ ban hành văn bản thay thế."


@pytest.fixture
def arrival(sent, courier):
    (received,) = courier.carry_all(kind=Outgoing.Kind.PACKAGE)[0]
    courier.carry_all()
    return received


@pytest.fixture
def at_work(arrival, courier, sct_clerk, sct_director, sct_planning, sct_head, sct_staff):
    """SCT registered and routed the notice; sam works on its task."""
    document = exchange.arrival_accept(received=arrival, by=sct_clerk)
    directives.incoming_route(document=document, by=sct_director, note="KHTC chủ trì", lead_unit=sct_planning)
    task = Task.objects.get(document=document)
    tasks.task_assign(task=task, by=sct_head, handler=sct_staff)
    courier.carry_all()
    return document


def asked(sent, courier, clerk, **kwargs) -> Received:
    exchange.recall_request(document=sent, by=clerk, reason=REASON, **kwargs)
    courier.carry_all()
    return Received.objects.get(package_document_id=str(sent.pk))


def test_a_recall_request_goes_as_13_to_each_recipient_and_marks_the_arrival_asked(
    sent, arrival, courier, clerk, skhcn, sct
):
    (row,) = exchange.recall_request(document=sent, by=clerk, reason=REASON)
    assert (row.agency, row.to_id, row.code, row.description, row.staff, row.document) == (
        skhcn, "H37.DN.002", RECALL_ASKED, REASON, "Nguyễn Thị Alice", sent,
    )  # fmt: skip
    assert StatusLog.objects.filter(agency=skhcn, direction="out", code=RECALL_ASKED, document=sent).count() == 1
    log = courier.carry(row)
    arrival.refresh_from_db()
    assert (arrival.recall, arrival.recall_reason, arrival.state) == (
        Received.Recall.ASKED, REASON, Received.State.WAITING,
    )  # fmt: skip
    assert (log.agency, log.direction, log.received, log.code) == (sct, "in", arrival, RECALL_ASKED)
    assert courier.carry(row) == log  # delivered again: the same line, nothing more
    assert StatusLog.objects.filter(agency=sct, code=RECALL_ASKED).count() == 1


def test_a_recall_request_needs_the_issuing_clerk_a_reason_and_a_recipient(sent, arrival, clerk, specialist, sct_clerk):
    before = (Outgoing.objects.count(), StatusLog.objects.count())
    for person in (specialist, sct_clerk):
        with pytest.raises(NotAllowed, match="Chỉ văn thư của cơ quan ban hành yêu cầu lấy lại"):
            exchange.recall_request(document=sent, by=person, reason=REASON)
    with pytest.raises(DomainError, match="Hãy ghi lý do lấy lại."):
        exchange.recall_request(document=sent, by=clerk, reason=" ")
    with pytest.raises(DomainError, match="Văn bản không được gửi cho: H37.DN.009."):
        exchange.recall_request(document=sent, by=clerk, reason=REASON, to_ids=["H37.DN.009"])
    assert (Outgoing.objects.count(), StatusLog.objects.count()) == before


def test_agreeing_withdraws_the_document_and_tells_15(sent, at_work, courier, clerk, sct_clerk, skhcn, sct_planning):
    received = asked(sent, courier, clerk)
    assert Delivery.objects.filter(document=at_work).exists()

    exchange.recall_answer(received=received, by=sct_clerk, agree=True)

    received.refresh_from_db()
    assert (received.state, received.recall) == (Received.State.RECALLED, Received.Recall.AGREED)
    assert not Delivery.objects.filter(document=at_work).exists()
    task = Task.objects.get(document=at_work)
    assert task.state == Task.State.CANCELLED
    cancelled = task.events.get(action=TaskEvent.Action.CANCELLED)
    assert (cancelled.actor, cancelled.comment) == (sct_clerk, f"Văn bản bị cơ quan gửi lấy lại: {REASON}")
    assert Document.objects.get(pk=at_work.pk).number == 1  # the register keeps its number
    (row,) = courier.pending()
    assert (row.code, row.staff) == (RECALL_AGREED, "Phạm Thị Olga")
    log = courier.carry(row)
    assert (log.agency, log.document, log.code) == (skhcn, sent, RECALL_AGREED)


def test_agreeing_while_the_arrival_waits_only_gives_it_back(sent, arrival, courier, clerk, sct, sct_clerk):
    received = asked(sent, courier, clerk)
    exchange.recall_answer(received=received, by=sct_clerk, agree=True)
    received.refresh_from_db()
    assert (received.state, received.document, received.decided_by) == (Received.State.RECALLED, None, sct_clerk)
    assert not Document.objects.filter(agency=sct).exists()
    with pytest.raises(DomainError, match="đã được xử lý"):
        exchange.arrival_accept(received=received, by=sct_clerk)


def test_refusing_needs_a_reason_and_tells_16_with_it(sent, at_work, courier, clerk, sct_clerk, skhcn):
    received = asked(sent, courier, clerk)
    with pytest.raises(DomainError, match="Hãy ghi lý do từ chối lấy lại."):
        exchange.recall_answer(received=received, by=sct_clerk, agree=False)
    exchange.recall_answer(received=received, by=sct_clerk, agree=False, reason="Đã triển khai xong.")
    received.refresh_from_db()
    assert (received.state, received.recall, received.recall_answer) == (
        Received.State.ACCEPTED, Received.Recall.REFUSED, "Đã triển khai xong.",
    )  # fmt: skip
    assert Delivery.objects.filter(document=at_work).exists()
    assert Task.objects.get(document=at_work).state == Task.State.IN_PROGRESS
    courier.carry_all()
    log = StatusLog.objects.get(agency=skhcn, direction="in", code=RECALL_REFUSED)
    assert (log.document, log.description) == (sent, "Đã triển khai xong.")


def answered(received: Received) -> tuple:
    received = Received.objects.get(pk=received.pk)
    return (received.state, received.recall, Outgoing.objects.count(), Delivery.objects.count(),
            list(Task.objects.values_list("state", flat=True)))  # fmt: skip


def test_only_the_receiving_clerk_answers_and_only_when_asked(
    sent, at_work, courier, clerk, outsider, sct_clerk, sct_director
):
    received = Received.objects.get(document=at_work)
    with pytest.raises(DomainError, match="Không có yêu cầu lấy lại nào đang chờ trả lời."):
        exchange.recall_answer(received=received, by=sct_clerk, agree=True)
    received = asked(sent, courier, clerk)
    before = answered(received)
    for person in (clerk, outsider, sct_director):
        with pytest.raises(NotAllowed, match="Chỉ văn thư của cơ quan nhận trả lời yêu cầu lấy lại"):
            exchange.recall_answer(received=received, by=person, agree=True)
    assert answered(received) == before


def test_a_status_that_cannot_be_read_or_is_about_nothing_here_is_dropped(sent, arrival, skhcn, sct):
    before = StatusLog.objects.count()
    assert exchange.status_apply(data=b"<Status>", transport="test") is None
    stranger = edxml.Status(
        "05", edxml.Party("H99.XX.001", "Cơ quan lạ"), edxml.Party("H37.DN.001", "Sở KH&CN"), str(sent.pk), "TB",
        arrival.received_at,
    )  # fmt: skip
    assert exchange.status_apply(data=edxml.status_build(stranger), transport="test") is None
    stranger.from_ = edxml.Party("H37.DN.002", "Sở Công Thương")
    stranger.document_id = "999999"
    assert exchange.status_apply(data=edxml.status_build(stranger), transport="test") is None
    assert StatusLog.objects.count() == before
