"""The life of a task, and every action refused to the wrong person (nothing changes)."""

from datetime import date

import pytest
from django.http import Http404

from lib.errors import DomainError, NotAllowed
from notifications.models import Notification
from tasks import services
from tasks.models import Extension, Task, TaskEvent
from tasks.permissions import task_get_for, tasks_visible_to
from tasks.selectors import my_tasks, supervised_tasks, unit_tasks
from tests.factories import PersonFactory, UnitFactory
from units.roles import Role

T = Task.State


def test_the_whole_life_of_a_task(assigned, specialist, director, unit_head):
    task = assigned(deadline=date(2026, 12, 4), today=date(2026, 11, 20))
    assert (task.state, task.handler, task.supervisor) == (T.IN_PROGRESS, specialist, director)
    services.task_report(task=task, by=specialist, text="Đã rà soát 6/12 đề tài", percent=50)
    services.task_submit(task=task, by=specialist, result="Đã rà soát đủ 12 đề tài")
    services.task_return(task=task, by=unit_head, reason="Bổ sung đề xuất xử lý")
    task.refresh_from_db()
    assert task.state == T.RETURNED and task.submitted_at is None
    services.task_submit(task=task, by=specialist, result="Đã bổ sung đề xuất")
    # The agency's default ladder: the unit head accepts first, then the supervising director.
    services.task_accept(task=task, by=unit_head)
    services.task_accept(task=task, by=director)
    task.refresh_from_db()
    assert task.state == T.DONE and task.progress == 100
    actions = list(task.events.values_list("action", flat=True))
    assert actions == [
        "created", "assigned", "reported", "submitted", "returned", "submitted", "pre_accepted", "accepted",
    ]  # fmt: skip


def test_the_right_people_are_notified(make_task, unit_head, specialist, director):
    task = make_task()
    assert Notification.objects.filter(user=unit_head, kind="task_received").exists()
    services.task_assign(task=task, by=unit_head, handler=specialist)
    assert Notification.objects.filter(user=specialist, kind="task_assigned").exists()
    services.task_submit(task=task, by=specialist, result="Xong")
    # The head judges first; the director hears of it once the head has accepted.
    assert Notification.objects.filter(user=unit_head, kind="task_submitted").exists()
    assert not Notification.objects.filter(user=director, kind="task_submitted").exists()
    services.task_accept(task=task, by=unit_head)
    assert Notification.objects.filter(user=director, kind="task_submitted").exists()
    services.task_return(task=task, by=director, reason="Thiếu số liệu")
    assert Notification.objects.filter(user=specialist, kind="task_returned").exists()
    assert Notification.objects.filter(user=unit_head, kind="task_returned").exists()


@pytest.mark.parametrize("wrong", ["specialist", "director", "clerk", "outsider"])
def test_only_the_head_of_the_lead_unit_assigns(make_task, specialist, request, wrong):
    task = make_task()
    with pytest.raises(NotAllowed):
        services.task_assign(task=task, by=request.getfixturevalue(wrong), handler=specialist)
    task.refresh_from_db()
    assert task.handler is None and task.state == T.NEW


def test_the_handler_must_belong_to_the_lead_unit(make_task, unit_head, clerk):
    task = make_task()
    with pytest.raises(DomainError, match="đơn vị chủ trì"):
        services.task_assign(task=task, by=unit_head, handler=clerk)


@pytest.mark.parametrize("wrong", ["unit_head", "director", "clerk", "outsider"])
def test_only_handlers_report(assigned, request, wrong):
    task = assigned()
    with pytest.raises(NotAllowed):
        services.task_report(task=task, by=request.getfixturevalue(wrong), text="Báo cáo", percent=10)
    assert not task.reports.exists()


def test_a_cooperating_unit_head_adds_their_part(make_task, office, agency):
    task = make_task(cooperating_units=[office])
    office_head = PersonFactory(agency=agency, roles=[Role.UNIT_HEAD], unit=office, is_head=True)
    report = services.task_report(task=task, by=office_head, text="Văn phòng đã chuẩn bị phòng họp", percent=100)
    task.refresh_from_db()
    assert report.unit == office and task.progress == 0  # their part does not move the lead's progress


@pytest.mark.parametrize("bad", [-1, 101, 150])
def test_a_percentage_outside_0_100_is_refused(assigned, specialist, bad):
    task = assigned()
    with pytest.raises(DomainError, match="0 đến 100"):
        services.task_report(task=task, by=specialist, text="x", percent=bad)
    assert not task.reports.exists()


@pytest.mark.parametrize("wrong", ["unit_head", "director", "outsider"])
def test_only_the_main_handler_submits(assigned, request, wrong):
    task = assigned()
    with pytest.raises(NotAllowed):
        services.task_submit(task=task, by=request.getfixturevalue(wrong), result="Xong")
    task.refresh_from_db()
    assert task.state == T.IN_PROGRESS


@pytest.mark.parametrize("wrong", ["specialist", "director", "clerk", "outsider"])
def test_only_the_person_at_the_step_accepts_or_returns(assigned, specialist, request, wrong):
    """At the first step of the default ladder only the lead unit's head judges the result."""
    task = assigned()
    services.task_submit(task=task, by=specialist, result="Xong")
    person = request.getfixturevalue(wrong)
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=person)
    with pytest.raises(NotAllowed):
        services.task_return(task=task, by=person, reason="Chưa đạt")
    task.refresh_from_db()
    assert task.state == T.SUBMITTED


def test_another_director_who_does_not_supervise_cannot_accept(assigned, specialist, agency):
    task = assigned()
    services.task_submit(task=task, by=specialist, result="Xong")
    deputy = PersonFactory(agency=agency, roles=[Role.DEPUTY_DIRECTOR])
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=deputy)


def test_a_task_the_unit_gave_itself_is_accepted_by_its_head(unit_head, specialist, science_unit):
    task = services.task_create(by=unit_head, title="Sắp xếp hồ sơ lưu trữ", lead_unit=science_unit)
    assert task.supervisor is None
    services.task_assign(task=task, by=unit_head, handler=specialist)
    services.task_submit(task=task, by=specialist, result="Xong")
    services.task_accept(task=task, by=unit_head)
    task.refresh_from_db()
    assert task.state == T.DONE


def test_a_unit_head_gives_tasks_only_to_their_own_unit(unit_head, office):
    with pytest.raises(NotAllowed):
        services.task_create(by=unit_head, title="Việc của đơn vị khác", lead_unit=office)
    assert not Task.objects.exists()


def test_staff_cannot_give_tasks(specialist, science_unit):
    with pytest.raises(NotAllowed):
        services.task_create(by=specialist, title="Tự giao", lead_unit=science_unit)


@pytest.mark.parametrize("wrong", ["specialist", "unit_head", "outsider"])
def test_only_the_supervisor_decides_an_extension_beyond_the_heads_limit(assigned, specialist, request, wrong):
    """Nine working days: beyond the head's five, so the supervising director decides."""
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    extension = services.task_extension_request(task=task, by=specialist, new_deadline=date(2026, 12, 8), reason="x")
    with pytest.raises(NotAllowed):
        services.task_extension_decide(extension=extension, by=request.getfixturevalue(wrong), grant=True)
    extension.refresh_from_db()
    task.refresh_from_db()
    assert extension.state == Extension.State.PENDING and task.deadline == date(2026, 11, 25)


def test_one_pending_extension_at_a_time(assigned, specialist):
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    services.task_extension_request(task=task, by=specialist, new_deadline=date(2026, 12, 1), reason="x")
    with pytest.raises(NotAllowed):
        services.task_extension_request(task=task, by=specialist, new_deadline=date(2026, 12, 2), reason="y")


def test_tasks_from_a_document_are_all_created_or_none(director, science_unit, office, make_approved, clerk):
    from directives import services as documents

    document = documents.document_issue(document=make_approved(), by=clerk)
    items = [
        {"point": "1", "title": "Tổng hợp kết quả", "lead_unit": office, "deadline": date(2027, 1, 15)},
        {"point": "2", "title": "", "lead_unit": science_unit},
    ]
    with pytest.raises(DomainError, match="Nhiệm vụ thứ 2"):
        services.tasks_create_from_document(by=director, document=document, items=items)
    assert not Task.objects.exists()
    items[1]["title"] = "Rà soát đề tài"
    tasks = services.tasks_create_from_document(by=director, document=document, items=items)
    assert [(t.point, t.document_id) for t in tasks] == [("1", document.pk), ("2", document.pk)]


def test_routing_an_incoming_document_creates_its_task(director, clerk, science_unit, office, notice_type):
    from directives import services as documents
    from tests.factories import OrganisationFactory

    incoming = documents.incoming_register(
        by=clerk, sender=OrganisationFactory(), symbol="25/CT-UBND", issued_on=None, doc_type=notice_type,
        subject="Tăng cường kỷ luật hành chính",
    )  # fmt: skip
    documents.incoming_route(
        document=incoming, by=director, note="Giao Phòng QLKH chủ trì", lead_unit=science_unit,
        cooperating_units=[office], deadline=date(2099, 1, 5),
    )  # fmt: skip
    task = Task.objects.get(document=incoming)
    assert (task.lead_unit, task.supervisor, task.deadline) == (science_unit, director, date(2099, 1, 5))
    assert list(task.cooperating_units.all()) == [office]


def test_who_sees_a_task(make_task, specialist, unit_head, director, clerk, outsider, agency, office):
    task = make_task(cooperating_units=[office])
    elsewhere = PersonFactory(agency=agency, roles=[Role.STAFF], unit=UnitFactory(agency=agency))
    for person in (specialist, unit_head, director, clerk):  # lead unit, head, supervisor, cooperating unit
        assert task_get_for(person, task.pk) == task
    for person in (elsewhere, outsider):
        assert not tasks_visible_to(person).exists()
        with pytest.raises(Http404):
            task_get_for(person, task.pk)


def test_task_lists_run_a_fixed_number_of_queries(assigned, specialist, unit_head, director, django_assert_num_queries):
    def count(selector, user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            [
                (t.lead_unit.name, t.handler_id and t.handler.full_name, t.tracking, t.due_soon)
                for t in selector(user=user)
            ]
        return len(queries)

    assigned()
    before = [count(my_tasks, specialist), count(unit_tasks, unit_head), count(supervised_tasks, director)]
    for _ in range(19):
        assigned()
    after = [count(my_tasks, specialist), count(unit_tasks, unit_head), count(supervised_tasks, director)]
    assert before == after == [1, 1, 1]
    assert my_tasks(user=specialist).count() == 20
    assert TaskEvent.objects.filter(action="assigned").count() == 20
