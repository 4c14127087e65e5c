"""All tasks, for a person without special rights (issue #19, DESIGN §5: he waits no longer than an
administrator for the same list): his visible set is read as disjoint parts
(``tasks.permissions.tasks_visible_parts``), counted and ordered over the ids, and joined for the
page's rows only. The same rows, order, counts and filters as ``tasks_visible_to`` and
``visible_tasks``, the old definition.

dave (specialist of the science unit) sees tasks by every rule: his unit leads them, his unit
cooperates, he handles, supports, supervises or created them, or he stands in today for gina,
who heads the lab and supervises others. Nothing else of his agency, nothing of another.
"""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lib.workdays import local_today
from tasks import permissions as rights
from tasks import services
from tasks.models import Task
from tasks.selectors import TaskFilters, visible_tasks
from tests.factories import PersonFactory, UnitFactory
from units.models import Delegation
from units.roles import Role

T = Task.State


def in_days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


@pytest.fixture
def varied(director, unit_head, specialist, science_unit, office, agency, outsider):
    """About seventy tasks dave sees, by each rule and by several at once, some of them done,
    cancelled or without a deadline, and some of his agency and of another that he does not see."""
    lab = UnitFactory(agency=agency, abbreviation="PTN", name="Phòng Thí nghiệm")
    far = UnitFactory(agency=agency, abbreviation="TTr", name="Thanh tra Sở")
    gina = PersonFactory(
        username="gina", full_name="Vũ Thị Gina", agency=agency, roles=[Role.UNIT_HEAD, Role.STAFF], unit=lab,
        position="Trưởng phòng", is_head=True,
    )  # fmt: skip
    today = timezone.localdate()
    Delegation.objects.create(
        principal=gina, substitute=specialist, starts_on=today, ends_on=today + timedelta(days=2), created_by=gina
    )

    def give(title, unit, i, **fields):
        deadline = None if i % 6 == 0 else in_days(i % 9)
        task = services.task_create(
            by=director, title=title, lead_unit=unit, deadline=deadline, priority=i % 4 + 1, **fields
        )
        if deadline and i % 3 == 1:  # overdue by now
            past = timedelta(days=5)
            Task.objects.filter(pk=task.pk).update(deadline=task.deadline - past, due_at=task.due_at - past)
        return task

    seen = []
    for i in range(40):  # his unit leads them: some done, some cancelled, some his too
        task = give(f"Chủ trì {i}", science_unit, i)
        if i % 7 == 3:
            Task.objects.filter(pk=task.pk).update(state=T.DONE, completed_at=timezone.now())
        elif i % 11 == 5:
            Task.objects.filter(pk=task.pk).update(state=T.CANCELLED)
        elif i % 5 == 1:
            services.task_assign(task=task, by=unit_head, handler=specialist)
        seen.append(task.pk)
    for i in range(8):
        seen.append(give(f"Phối hợp {i}", office, i, cooperating_units=[science_unit]).pk)
    for i, rule in enumerate(["handler", "supervisor", "created_by", "supporter", "handler", "supporter"]):
        task = give(f"Cá nhân {rule} {i}", far, i + 1)
        if rule == "supporter":
            task.supporters.add(specialist)
        else:
            Task.objects.filter(pk=task.pk).update(**{rule: specialist})
        seen.append(task.pk)
    for i in range(4):  # as gina's substitute: her unit's tasks, and those she supervises
        seen.append(give(f"Thay trưởng phòng {i}", lab, i).pk)
        task = give(f"Thay phụ trách {i}", far, i + 2)
        Task.objects.filter(pk=task.pk).update(supervisor=gina)
        seen.append(task.pk)
    for i in range(5):  # of his agency, by no rule of his
        give(f"Không liên quan {i}", far, i)
    boss = PersonFactory(username="olga", full_name="Hồ Thị Olga", agency=outsider.agency, roles=[Role.DIRECTOR])
    services.task_create(by=boss, title="Của Sở khác", lead_unit=outsider.memberships.get().unit)
    return set(seen)


def titles_of(page: str) -> list[str]:
    return [line.split(">")[1].split("<")[0] for line in page.split('class="doc-link fw-semibold"')[1:]]


def listed(client, **query) -> tuple[list[str], str]:
    """The titles of every page of the list, in order, and the first page's HTML."""
    first = client.get(reverse("tasks:browse"), query).content.decode()
    titles, number = titles_of(first), 2
    while f"page={number}" in first and len(titles) < 50 * (number - 1) + 1:
        titles += titles_of(client.get(reverse("tasks:browse"), {**query, "page": number}).content.decode())
        number += 1
    return titles, first


def test_the_parts_are_disjoint_and_hold_exactly_the_visible_tasks(varied, specialist, unit_head):
    for person in (specialist, unit_head):
        parts = [set(part.values_list("pk", flat=True)) for part in rights.tasks_visible_parts(person)]
        assert not set.intersection(*parts) or len(parts) == 1
        assert set().union(*parts) == set(rights.tasks_visible_to(person).values_list("pk", flat=True))
    assert set(rights.tasks_visible_to(specialist).values_list("pk", flat=True)) == varied


def test_leaders_and_superusers_read_the_agency_in_one_part(director):
    assert rights.tasks_visible_parts(director) is None


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "thay"},
        {"state": T.DONE},
        {"tracking": "no_deadline"},
        {"show": "overdue"},
        {"scope": "supervised"},
    ],
)
def test_the_specialists_list_is_the_old_definitions(client, varied, specialist, science_unit, query):
    """Rows, order and total as ``visible_tasks`` (the OR of ``tasks_visible_to``), filtered or not."""
    specialist.supervisions.create(unit=science_unit)  # so that «units I supervise» has rows
    client.force_login(specialist)
    titles, first = listed(client, **query)
    show = query.get("show")
    filters = TaskFilters(**{k: v for k, v in query.items() if k in ("q", "state", "tracking")})
    expected = visible_tasks(user=specialist, filters=filters, scope=query.get("scope", "agency"))
    if show:
        from tasks.views import _shortcuts

        expected = expected.filter(_shortcuts(timezone.now(), waiting=None)[show])
    expected = [task.title for task in expected]
    assert expected and titles == expected
    assert f"{len(expected)} nhiệm vụ" in first


def test_the_specialists_cards_count_as_the_old_definition(client, varied, specialist):
    from tasks.views import _shortcuts

    shortcuts = _shortcuts(timezone.now(), waiting=None)
    everything = visible_tasks(user=specialist).order_by()
    client.force_login(specialist)
    response = client.get(reverse("tasks:browse"))
    counts = response.context["counts"]
    assert counts == {name: everything.filter(rule).count() for name, rule in shortcuts.items()}
    assert response.context["page"].paginator.count == len(varied)


def test_the_specialists_list_reads_the_union_not_the_or(client, varied, specialist):
    """No query of the page tests every task of the agency against the OR of the rules."""
    client.force_login(specialist)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("tasks:browse"))
    assert not [
        q for q in captured.captured_queries if 'EXISTS(SELECT 1 AS "a" FROM "tasks_task_supporters"' in q["sql"]
    ]
    assert any("UNION" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("n", [1, 20])
def test_all_tasks_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, director, unit_head, specialist, science_unit, office, n
):
    for i in range(n):
        task = services.task_create(by=director, title=f"Nhiệm vụ {i}", lead_unit=science_unit, deadline=in_days(i))
        services.task_assign(task=task, by=unit_head, handler=specialist, supporters=[unit_head])
        services.task_create(by=director, title=f"Phối hợp {i}", lead_unit=office, cooperating_units=[science_unit])
    for person, queries in ((specialist, ALL_QUERIES), (unit_head, ALL_QUERIES - 2)):  # a head may give tasks
        client.force_login(person)
        with django_assert_num_queries(queries):
            page = client.get(reverse("tasks:browse")).content.decode()
        assert page.count('data-testid="task-row"') == 2 * n


ALL_QUERIES = 10  # session, user, roles, units; counts, the page's ids, its rows; permissions (2); notices
