"""Tasks follow delegation (issue #15, item 9): what waits for a leader or a unit head waits for
their substitute for today, who acts «thay» them, recorded on the task's timeline.

carol (director) supervises the science unit, bob heads it, dave works in it; frank (deputy
director) stands in for carol, hana (staff of the science unit) for bob.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lib.errors import NotAllowed
from notifications.models import Notification
from tasks import permissions as rights
from tasks import services
from tasks.models import Task, TaskEvent
from tests.factories import PersonFactory, UnitFactory
from units import services as unit_services
from units.models import Agency, Delegation
from units.roles import Role

T = Task.State
A = Agency.Approver


def set_ladder(agency, **fields) -> None:
    Agency.objects.filter(pk=agency.pk).update(**fields)
    agency.refresh_from_db()


def reload(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def deputy(agency):
    return PersonFactory(
        username="frank", full_name="Trần Văn Frank", agency=agency, roles=[Role.DEPUTY_DIRECTOR], title="Phó Giám đốc"
    )


@pytest.fixture
def hana(science_unit):
    return PersonFactory(
        username="hana", full_name="Ngô Thị Hana", agency=science_unit.agency, roles=[Role.STAFF],
        unit=science_unit, position="Chuyên viên chính",
    )  # fmt: skip


def delegate(principal, substitute, *, days=(0, 2)) -> Delegation:
    today = timezone.localdate()
    return unit_services.delegation_create(
        by=principal, principal=principal, substitute=substitute, starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]), note="Nghỉ phép",
    )  # fmt: skip


@pytest.fixture
def carol_away(director, deputy):
    return delegate(director, deputy)


@pytest.fixture
def bob_away(unit_head, hana):
    return delegate(unit_head, hana)


@pytest.fixture
def submitted(assigned, specialist):
    def make(**fields):
        task = assigned(**fields)
        services.task_submit(task=task, by=specialist, result="Đã rà soát đủ 12 đề tài")
        return reload(task)

    return make


def listed(client, user, name: str, show: str = "") -> str:
    client.force_login(user)
    return client.get(reverse(f"tasks:{name}") + (f"?show={show}" if show else "")).content.decode()


# --- The leader's step ------------------------------------------------------------------------


def test_the_leaders_substitute_accepts_for_him_and_the_timeline_says_so(
    client, carol_away, submitted, agency, director, deputy, unit_head
):
    set_ladder(agency, acceptance_by=A.LEADER)
    task = submitted()
    assert rights.can_accept(deputy, task) and rights.acceptance_acting_for(deputy, task) == director
    assert Notification.objects.filter(user=deputy, kind="task_submitted").exists()
    assert Notification.objects.filter(user=director, kind="task_submitted").exists()

    page = listed(client, deputy, "supervised", show="submitted")
    assert reverse("tasks:act", args=[task.pk, "accept"]) in page
    assert "thay Lê Thị Carol" in page
    assert listed(client, director, "supervised").count("thay Lê Thị Carol") == 0
    client.force_login(deputy)
    detail = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'data-testid="acting-for"' in detail

    services.task_accept(task=task, by=deputy, note="Đạt")
    task = reload(task)
    assert task.state == T.DONE
    event = task.events.get(action=TaskEvent.Action.ACCEPTED)
    assert (event.actor, event.acting_for) == (deputy, director)
    detail = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "(thay Lê Thị Carol)" in detail


def test_the_count_card_of_the_substitute_counts_what_waits_for_his_principal(
    client, carol_away, submitted, agency, deputy
):
    set_ladder(agency, acceptance_by=A.LEADER)
    submitted()
    client.force_login(deputy)
    response = client.get(reverse("tasks:supervised"))
    assert response.context["counts"]["submitted"] == 1
    assert response.content.decode().count('data-testid="task-row"') == 1


def test_the_substitute_of_the_leader_decides_an_extension_for_him(
    client, carol_away, assigned, agency, director, deputy, specialist
):
    set_ladder(agency, extension_by=A.LEADER)
    task = assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))
    extension = services.task_extension_request(
        task=task, by=specialist, new_deadline=date(2026, 12, 2), reason="Chờ số liệu"
    )
    assert rights.can_decide_extension(deputy, task, extension)
    assert Notification.objects.filter(user=deputy, kind="extension_asked").exists()
    client.force_login(deputy)
    response = client.get(reverse("tasks:supervised"))
    assert response.context["counts"]["extensions"] == 1
    assert 'data-testid="row-extension"' in response.content.decode()

    services.task_extension_decide(extension=extension, by=deputy, grant=True, note="Đồng ý")
    event = reload(task).events.get(action=TaskEvent.Action.EXTENSION_GRANTED)
    assert (event.actor, event.acting_for) == (deputy, director)
    assert reload(task).deadline == date(2026, 12, 2)


# --- The head's step --------------------------------------------------------------------------


def test_a_unit_heads_substitute_judges_for_him_at_the_heads_step(
    client, bob_away, submitted, agency, unit_head, hana, specialist, director
):
    task = submitted()  # default ladder: the head first
    assert rights.can_accept(hana, task) and rights.acceptance_acting_for(hana, task) == unit_head
    assert Notification.objects.filter(user=hana, kind="task_submitted").exists()
    page = listed(client, hana, "unit", show="submitted")
    assert reverse("tasks:act", args=[task.pk, "accept"]) in page
    assert "thay Trần Văn Bob" in page

    services.task_accept(task=task, by=hana, note="Đơn vị đã kiểm tra")  # pre-acceptance, for bob
    task = reload(task)
    assert task.state == T.SUBMITTED and task.pre_accepted_by == hana
    event = task.events.get(action=TaskEvent.Action.PRE_ACCEPTED)
    assert event.acting_for == unit_head
    assert not rights.can_accept(hana, task)  # now the director's step: hana stands in for bob only
    services.task_return(task=task, by=director, reason="Bổ sung số liệu")
    assert reload(task).events.get(action=TaskEvent.Action.RETURNED).acting_for is None


def test_the_substitute_returns_for_the_head(bob_away, submitted, unit_head, hana):
    task = submitted()
    services.task_return(task=task, by=hana, reason="Thiếu phụ lục")
    task = reload(task)
    assert task.state == T.RETURNED
    assert task.events.get(action=TaskEvent.Action.RETURNED).acting_for == unit_head


def test_nobody_judges_his_own_work_even_as_a_substitute(submitted, unit_head, specialist):
    delegate(unit_head, specialist)
    task = submitted()
    assert not rights.can_accept(specialist, task)
    assert not Task.objects.filter(rights.acceptance_awaiting(specialist), pk=task.pk).exists()
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=specialist)


# --- When a delegation has no effect ----------------------------------------------------------


def test_a_delegation_outside_its_period_has_no_effect(client, submitted, agency, director, deputy):
    set_ladder(agency, acceptance_by=A.LEADER)
    delegate(director, deputy, days=(-10, -1))  # last week
    delegate(director, deputy, days=(1, 5))  # from tomorrow
    task = submitted()
    assert not rights.can_accept(deputy, task)
    assert not Notification.objects.filter(user=deputy, kind="task_submitted").exists()
    assert 'data-testid="task-row"' not in listed(client, deputy, "supervised")
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=deputy)
    assert reload(task).state == T.SUBMITTED


def test_a_substitute_of_another_agency_is_impossible(client, submitted, agency, director, outsider):
    set_ladder(agency, acceptance_by=A.LEADER)
    today = timezone.localdate()
    # Written around the form, which refuses it: still without effect.
    Delegation.objects.create(
        principal=director, substitute=outsider, starts_on=today, ends_on=today, created_by=director
    )
    task = submitted()
    assert not rights.can_accept(outsider, task)
    assert not Notification.objects.filter(user=outsider).exists()
    client.force_login(outsider)
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=outsider)


def test_the_list_and_the_rule_agree_for_the_substitute(submitted, carol_away, bob_away, agency, deputy, hana):
    for mode in (A.LEADER, A.HEAD, A.HEAD_THEN_LEADER):
        set_ladder(agency, acceptance_by=mode)
        task = submitted()
        for person in (deputy, hana):
            listed_ = Task.objects.filter(rights.acceptance_awaiting(person), pk=task.pk).exists()
            assert listed_ == rights.can_accept(person, task), (mode, person)


# --- Query counts -----------------------------------------------------------------------------


SUPERVISED_QUERIES = 14  # what waits for him and for whom he stands in is read once (tasks.permissions.waiting_for)


@pytest.mark.parametrize("n", [1, 12])
def test_the_substitutes_supervised_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, carol_away, submitted, agency, deputy, n
):
    set_ladder(agency, acceptance_by=A.LEADER)
    for i in range(n):
        submitted(title=f"Nhiệm vụ số {i}")
    client.force_login(deputy)
    with django_assert_num_queries(SUPERVISED_QUERIES):
        page = client.get(reverse("tasks:supervised")).content.decode()
    assert page.count('data-testid="task-row"') == n
    assert page.count("thay Lê Thị Carol") == n


def test_what_waits_for_the_substitute_is_read_once_with_the_name_he_acts_for(
    submitted, carol_away, bob_away, agency, deputy, hana, unit_head, director
):
    """The substitute's lists take from ``waiting_for`` what waits for him and for whom, and it
    agrees with the task page's rules for the leader's and the head's substitute."""
    for mode in (A.LEADER, A.HEAD, A.HEAD_THEN_LEADER):
        set_ladder(agency, acceptance_by=mode)
        task = submitted()
        for person, principal in ((deputy, director), (hana, unit_head)):
            waiting = rights.waiting_for(person)
            assert (task.pk in waiting.acceptance) == rights.can_accept(person, task), (mode, person)
            acting_for = rights.acceptance_acting_for(person, task)
            assert waiting.acting_for.get(task.pk) == (acting_for.full_name if acting_for else None)
            if acting_for:
                assert acting_for == principal
    assert rights.waiting_for(hana).acting_for  # the head's substitute acts for bob in some mode


@pytest.mark.parametrize("n", [1, 12])
def test_the_unit_list_of_a_head_standing_in_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, submitted, make_task, agency, unit_head, n
):
    """A head who stands in for another unit's head: his own rows and those waiting for the
    other head, without a query per row."""
    other_unit = UnitFactory(agency=agency, name="Phòng Kế hoạch - Tài chính")
    other_head = PersonFactory(agency=agency, roles=[Role.STAFF], unit=other_unit, is_head=True)
    other_staff = PersonFactory(agency=agency, roles=[Role.STAFF], unit=other_unit)
    delegate(other_head, unit_head)
    set_ladder(agency, acceptance_by=A.HEAD)
    for i in range(n):
        submitted(title=f"Nhiệm vụ số {i}")
        theirs = make_task(title=f"Nhiệm vụ của phòng khác {i}", lead_unit=other_unit, supervisor=None)
        services.task_assign(task=theirs, by=other_head, handler=other_staff)
        services.task_submit(task=reload(theirs), by=other_staff, result="Xong")
    client.force_login(unit_head)
    with django_assert_num_queries(UNIT_STANDING_IN_QUERIES):
        page = client.get(reverse("tasks:unit")).content.decode()
    assert page.count('data-testid="task-row"') == 2 * n
    assert page.count("thay " + other_head.full_name) == n
    assert page.count('data-testid="row-accept"') == 2 * n


UNIT_STANDING_IN_QUERIES = 14  # the unit list's 13, and the heads of the tasks waiting for the other head
