"""A received document's progress goes back to its sender: 04 routed, 05 in progress, 06 done (issue #18)."""

import pytest

from directives import services as directives
from exchange import services as exchange
from exchange.models import ASSIGNED, DONE, IN_PROGRESS, Outgoing, StatusLog
from tasks import services as tasks
from tasks.models import Task
from tests.ladder import accept_fully

NOTE = "Giao Phòng Kế hoạch - Tài chính chủ trì, phối hợp với Sở Khoa học và Công nghệ triển khai " * 6


@pytest.fixture
def accepted(sent, courier, sct_clerk):
    """SKHCN's notice arrived at SCT and olga registered it; everything so far carried back."""
    (received,) = courier.carry_all(kind=Outgoing.Kind.PACKAGE)[0]
    document = exchange.arrival_accept(received=received, by=sct_clerk)
    courier.carry_all()
    return document


@pytest.fixture
def routed(accepted, sct_director, sct_planning):
    directives.incoming_route(document=accepted, by=sct_director, note=NOTE, lead_unit=sct_planning)
    return Task.objects.get(document=accepted)


def told(agency) -> list[tuple[str, str, str]]:
    rows = StatusLog.objects.filter(agency=agency, direction=StatusLog.Direction.IN).order_by("pk")
    return list(rows.values_list("code", "staff", "description"))


def test_routing_a_received_document_tells_the_sender_04_with_the_note_shortened(routed, courier, skhcn, sent):
    (row,) = courier.pending()
    assert (row.code, row.staff) == (ASSIGNED, "Hoàng Văn Quentin")
    assert len(row.description) <= exchange.PROGRESS_NOTE_LIMIT and row.description.endswith("…")
    assert NOTE.startswith(row.description[:-1].rstrip())
    log = courier.carry(row)
    assert (log.agency, log.document, log.code) == (skhcn, sent, ASSIGNED)


def test_work_starting_tells_05_once_and_the_last_task_done_tells_06(
    routed, courier, skhcn, sct_head, sct_staff, sct_director, sct_planning
):
    courier.carry_all()  # the 04
    tasks.task_assign(task=routed, by=sct_head, handler=sct_staff)
    tasks.task_report(task=routed, by=sct_staff, text="Đã họp triển khai.", percent=40)
    second = tasks.task_create(
        by=sct_director, title="Báo cáo kết quả", lead_unit=sct_planning, document=routed.document
    )
    tasks.task_assign(task=second, by=sct_head, handler=sct_staff)
    assert [row.code for row in courier.pending()] == [IN_PROGRESS]
    courier.carry_all()

    tasks.task_submit(task=routed, by=sct_staff, result="Đã hoàn thành.")
    accept_fully(routed)
    assert courier.pending() == []  # one task of the document is still open
    tasks.task_cancel(task=second, by=sct_director, reason="Không cần nữa")
    assert courier.pending() == []  # cancelling is not finishing

    third = tasks.task_create(by=sct_director, title="Tổng kết", lead_unit=sct_planning, document=routed.document)
    tasks.task_assign(task=third, by=sct_head, handler=sct_staff)
    tasks.task_submit(task=third, by=sct_staff, result="Đã tổng kết.")
    accept_fully(third)
    (row,) = courier.pending()
    assert row.code == DONE
    courier.carry(row)
    assert [code for code, _staff, _note in told(skhcn)] == ["01", "03", ASSIGNED, IN_PROGRESS, DONE]


def test_documents_that_did_not_come_by_the_exchange_tell_nothing(
    skhcn, sct, sct_clerk, sct_director, sct_planning, sct_head, sct_staff, cong_van
):
    from tests import factories

    document = directives.incoming_register(
        by=sct_clerk, sender=factories.OrganisationFactory(name="Báo Bà Rịa - Vũng Tàu"), symbol="12/BBR",
        issued_on=None, doc_type=cong_van, subject="Đề nghị cung cấp thông tin",
    )  # fmt: skip
    directives.incoming_route(document=document, by=sct_director, note="Phòng KHTC trả lời", lead_unit=sct_planning)
    task = Task.objects.get(document=document)
    tasks.task_assign(task=task, by=sct_head, handler=sct_staff)
    tasks.task_submit(task=task, by=sct_staff, result="Đã trả lời.")
    accept_fully(task)
    assert not Outgoing.objects.exists() and not StatusLog.objects.exists()


def test_a_package_imported_from_a_file_tells_nothing_when_routed(sent, sct, sct_clerk, sct_director, sct_planning):
    from exchange import edxml

    data = edxml.package_build(exchange.package_of_document(sent))
    document = exchange.package_receive(data=data, agency=sct, by=sct_clerk)
    directives.incoming_route(document=document, by=sct_director, note="KHTC chủ trì", lead_unit=sct_planning)
    assert not Outgoing.objects.filter(kind=Outgoing.Kind.STATUS).exists() and not StatusLog.objects.exists()
