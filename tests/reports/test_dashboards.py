"""The dashboards count what a plain recount in Python counts, and every number links to exactly its tasks."""

import random
import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directives.models import Document, DocumentType
from lib.workdays import VIETNAM_TZ
from reports import dashboards as dashboard
from reports.province import task_summary_refresh
from tasks import periods, services
from tasks.models import Task, TrackingClass
from tasks.tracking import tracking_class
from tests import factories
from tests.ladder import accept_fully, decide_fully
from units.roles import Role

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=VIETNAM_TZ)  # a Wednesday
JUNE = (date(2026, 6, 1), date(2026, 6, 30))
CLASSES = [TrackingClass.ON_TIME, TrackingClass.LATE, TrackingClass.WITHIN, TrackingClass.OVERDUE]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def issued_notice(agency, director):
    return Document.objects.create(
        agency=agency,
        author=director,
        doc_type=DocumentType.objects.get(abbreviation="TB"),
        subject="Kết luận giao ban tháng 6",
        symbol="12/TB-SKHCN",
    )


@pytest.fixture
def other_unit(agency):
    """A unit carol does not supervise."""
    return factories.UnitFactory(agency=agency, abbreviation="TTr", name="Thanh tra Sở")


@pytest.fixture
def other_head(other_unit):
    return factories.PersonFactory(
        username="tom", full_name="Ngô Văn Tom", agency=other_unit.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=other_unit, position="Chánh Thanh tra", is_head=True,
    )  # fmt: skip


@pytest.fixture
def give(director, unit_head, specialist, office, other_unit, other_head, clerk):
    """A task with a deadline (or none) brought to an outcome through the services."""
    heads = {unit_head.memberships.get().unit_id: (unit_head, specialist)}
    office_head = factories.PersonFactory(
        username="olga", full_name="Lý Thị Olga", agency=office.agency, roles=[Role.UNIT_HEAD], unit=office,
        is_head=True, position="Chánh Văn phòng",
    )  # fmt: skip
    heads[office.pk] = (office_head, clerk)
    heads[other_unit.pk] = (other_head, other_head)

    def make(unit, deadline, outcome="open", *, finished_at=None, extended_to=None, title="Nhiệm vụ"):
        created_on = (deadline - timedelta(days=30)) if deadline else NOW.date()
        task = services.task_create(
            by=director, title=title, lead_unit=unit, deadline=deadline, today=min(created_on, NOW.date()),
            reporting_period="" if deadline else Task.Period.MONTHLY,
        )  # fmt: skip
        if outcome == "new":
            return task
        head, handler = heads[unit.pk]
        services.task_assign(task=task, by=head, handler=handler)
        if extended_to:
            extension = services.task_extension_request(task=task, by=handler, new_deadline=extended_to, reason="x")
            decide_fully(extension, grant=True)
        if outcome == "cancelled":
            services.task_cancel(task=task, by=director, reason="Dừng")
        elif outcome in ("done", "submitted"):
            services.task_submit(task=task, by=handler, result="Xong", at=finished_at)
            if outcome == "done":
                accept_fully(task)
        task.refresh_from_db()
        return task

    return make


@pytest.fixture
def world(give, science_unit, office, other_unit):
    """Every edge the Government Office's rules have, plus seeded random tasks across May-July."""
    june10 = date(2026, 6, 10)
    edges = {
        "at_2359": give(science_unit, june10, "done", finished_at=datetime.combine(june10, time(23, 59), VIETNAM_TZ)),
        "at_0001": give(
            science_unit, june10, "done", finished_at=datetime.combine(date(2026, 6, 11), time(0, 1), VIETNAM_TZ)
        ),
        "extended_within": give(science_unit, date(2026, 6, 12), extended_to=date(2026, 6, 25)),
        "extended_into_june_overdue": give(office, date(2026, 5, 28), extended_to=date(2026, 6, 5)),
        "extended_out_of_june": give(office, date(2026, 6, 20), extended_to=date(2026, 7, 3)),
        "extended_done_on_time": give(
            science_unit,
            date(2026, 6, 8),
            "done",
            extended_to=date(2026, 6, 15),
            finished_at=datetime(2026, 6, 12, 9, 0, tzinfo=VIETNAM_TZ),
        ),  # fmt: skip
        "overdue": give(other_unit, date(2026, 6, 16)),
        "submitted_late_waiting": give(
            science_unit, date(2026, 6, 3), "submitted", finished_at=datetime(2026, 6, 5, 8, tzinfo=VIETNAM_TZ)
        ),
        "no_deadline": give(science_unit, None),
        "no_deadline_new": give(office, None, "new"),
        "cancelled": give(science_unit, date(2026, 6, 20), "cancelled"),
    }
    rng = random.Random(30)
    units = [science_unit, office, other_unit]
    for index in range(24):
        deadline = date(2026, 5, 1) + timedelta(days=rng.randrange(0, 90))
        outcome = rng.choice(["open", "open", "new", "done", "done", "submitted", "cancelled"])
        finished = datetime.combine(deadline + timedelta(days=rng.randint(-6, 4)), time(rng.randrange(24)), VIETNAM_TZ)
        finished = min(finished, NOW - timedelta(hours=1))
        give(rng.choice(units), deadline, outcome, finished_at=finished, title=f"Nhiệm vụ ngẫu nhiên {index}")
    return edges


def recount(tasks, *, start: date, end: date, at=NOW) -> dict[str, set[int]]:
    """The Government Office's rule applied task by task, in Python: ids per class in the period."""
    found: dict[str, set[int]] = {c: set() for c in [*CLASSES, TrackingClass.NO_DEADLINE]}
    for task in tasks:
        if task.state == Task.State.CANCELLED:
            continue
        day = task.deadline or timezone.localtime(task.created_at, VIETNAM_TZ).date()
        if start <= day <= end:
            found[tracking_class(task, at=at)].add(task.pk)
    return found


def listed_ids(client, url: str) -> set[int]:
    page = client.get(url)
    assert page.status_code == 200, url
    assert page.context["page"].paginator.count <= 50, "one page is enough for these tests"
    return {task.pk for task in page.context["page"].object_list}


def links(html: str, testid: str | None = None) -> list[tuple[str, int]]:
    """(href, number) of every link to the task list whose text is a number."""
    found = re.findall(r'<a[^>]*href="(/tasks/all/[^"]*)"[^>]*>\s*(\d+)\s*</a>', html)
    return [(unescape(href), int(n)) for href, n in found]


# --- The numbers -----------------------------------------------------------------------------


def test_finished_at_2359_on_the_deadline_is_on_time_and_at_0001_next_day_late(world):
    assert tracking_class(world["at_2359"], at=NOW) == TrackingClass.ON_TIME
    assert tracking_class(world["at_0001"], at=NOW) == TrackingClass.LATE


def test_agency_counts_equal_a_plain_recount(client, director, world):
    client.force_login(director)
    for query, (start, end) in [
        ({}, JUNE),
        ({"period": "year"}, (date(2026, 1, 1), date(2026, 12, 31))),
        ({"period": "week"}, (date(2026, 6, 15), date(2026, 6, 21))),
        ({"period": "quarter"}, (date(2026, 4, 1), date(2026, 6, 30))),
        ({"period": "custom", "from": "2026-05-20", "to": "2026-06-12"}, (date(2026, 5, 20), date(2026, 6, 12))),
    ]:
        expected = recount(Task.objects.filter(agency=director.agency), start=start, end=end)
        cards = client.get(reverse("tasks:dashboard"), query).context["cards"]
        assert {c["key"]: c["count"] for c in cards["classes"]} == {c: len(expected[c]) for c in CLASSES}, query
        assert cards["no_deadline"] == len(expected[TrackingClass.NO_DEADLINE]), query
        assert cards["total"] == sum(len(expected[c]) for c in CLASSES)


def test_june_holds_each_edge_in_its_class_and_leaves_out_cancelled_and_extended_away(client, director, world):
    client.force_login(director)
    page = client.get(reverse("tasks:dashboard"))
    ids = {c["key"]: listed_ids(client, c["url"]) for c in page.context["cards"]["classes"]}
    assert world["at_2359"].pk in ids[TrackingClass.ON_TIME]
    assert world["at_0001"].pk in ids[TrackingClass.LATE]
    assert world["extended_within"].pk in ids[TrackingClass.WITHIN]
    assert world["extended_into_june_overdue"].pk in ids[TrackingClass.OVERDUE]
    assert world["extended_done_on_time"].pk in ids[TrackingClass.ON_TIME]
    assert world["submitted_late_waiting"].pk in ids[TrackingClass.OVERDUE]  # not finished until accepted
    everything = set().union(*ids.values())
    assert world["cancelled"].pk not in everything
    assert world["extended_out_of_june"].pk not in everything
    assert world["no_deadline"].pk in listed_ids(client, page.context["cards"]["no_deadline_url"])


def test_rates_follow_nd30_and_are_a_dash_when_undefined(client, director, world):
    client.force_login(director)
    cards = client.get(reverse("tasks:dashboard")).context["cards"]
    counts = {c["key"]: c["count"] for c in cards["classes"]}
    finished = counts[TrackingClass.ON_TIME] + counts[TrackingClass.LATE]
    completion = finished / (finished + counts[TrackingClass.OVERDUE])
    assert cards["completion_label"] == f"{completion * 100:.2f}".replace(".", ",") + " %"
    assert cards["on_time_label"] == f"{counts[TrackingClass.ON_TIME] / finished * 100:.2f}".replace(".", ",") + " %"
    empty = client.get(reverse("tasks:dashboard"), {"period": "custom", "from": "2030-01-01", "to": "2030-01-31"})
    assert empty.context["cards"]["completion_label"] == "—"
    assert empty.context["cards"]["on_time_label"] == "—"


def test_scopes_count_the_supervised_units_or_one_unit(client, director, world, science_unit, office, other_unit):
    client.force_login(director)
    tasks = Task.objects.filter(agency=director.agency)
    cases = [
        ({"scope": "supervised"}, tasks.filter(lead_unit__in=[science_unit, office])),
        ({"scope": "unit", "unit": other_unit.pk}, tasks.filter(lead_unit=other_unit)),
    ]
    for query, subset in cases:
        expected = recount(subset, start=JUNE[0], end=JUNE[1])
        page = client.get(reverse("tasks:dashboard"), {"period": "month", **query})
        cards = page.context["cards"]
        assert {c["key"]: c["count"] for c in cards["classes"]} == {c: len(expected[c]) for c in CLASSES}, query
        for card in cards["classes"]:
            assert listed_ids(client, card["url"]) == expected[card["key"]], (query, card["key"])


def test_by_unit_rows_equal_a_recount_per_unit(client, director, world):
    client.force_login(director)
    rows = client.get(reverse("tasks:dashboard")).context["by_unit"]
    assert rows, "the world has tasks in three units"
    for row in rows:
        expected = recount(Task.objects.filter(lead_unit_id=row["unit_id"]), start=JUNE[0], end=JUNE[1])
        assert {c: row["counts"][c] for c in CLASSES} == {c: len(expected[c]) for c in CLASSES}
        for cell in row["cells"]:
            assert listed_ids(client, cell["url"]) == expected[cell["key"]]


# --- Links ------------------------------------------------------------------------------------


def test_every_number_on_the_dashboard_links_to_exactly_the_tasks_it_counts(client, director, world):
    client.force_login(director)
    for query in [{}, {"period": "year", "scope": "supervised"}]:
        html = client.get(reverse("tasks:dashboard"), query).content.decode()
        found = links(html)
        assert len(found) > 30
        for href, number in found:
            assert len(listed_ids(client, href)) == number, href


def test_chart_segments_link_to_the_same_lists_as_the_table(client, director, world):
    client.force_login(director)
    page = client.get(reverse("tasks:dashboard"))
    data = page.context["chart_data"]["units"]
    rows = page.context["by_unit"]
    for dataset in data["datasets"]:
        for index, url in enumerate(dataset["urls"]):
            assert dataset["data"][index] == len(listed_ids(client, url))
            assert url == next(c["url"] for c in rows[index]["cells"] if c["key"] == dataset["key"])
    assert 'id="dashboard-data" type="application/json"' in page.content.decode()


def test_trend_buckets_add_up_to_the_period(client, director, world):
    client.force_login(director)
    page = client.get(reverse("tasks:dashboard"), {"period": "year"})
    assert page.context["trend_by"] == "month"
    cards = {c["key"]: c["count"] for c in page.context["cards"]["classes"]}
    for key in CLASSES:
        assert (
            sum(cell["count"] for row in page.context["trend"] for cell in row["cells"] if cell["key"] == key)
            == (cards[key])
        )


def test_unit_page_counts_each_staff_member_and_links_each_number(client, unit_head, world, science_unit):
    client.force_login(unit_head)
    page = client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk]))
    assert page.status_code == 200
    expected = recount(Task.objects.filter(lead_unit=science_unit), start=JUNE[0], end=JUNE[1])
    assert {c["key"]: c["count"] for c in page.context["cards"]["classes"]} == {c: len(expected[c]) for c in CLASSES}
    for row in page.context["people"]:
        handled = Task.objects.filter(lead_unit=science_unit, handler_id=row["user_id"])
        mine = recount(handled, start=JUNE[0], end=JUNE[1])
        for cell in row["cells"]:
            assert listed_ids(client, cell["url"]) == mine[cell["key"]]
    for href, number in links(page.content.decode()):
        assert len(listed_ids(client, href)) == number, href


def test_document_progress_counts_its_tasks_by_unit(client, director, clerk, science_unit, office, issued_notice):
    document = issued_notice
    done = services.task_create(by=director, title="A", lead_unit=science_unit, document=document,
                                deadline=date(2026, 6, 30))  # fmt: skip
    services.task_create(by=director, title="B", lead_unit=office, document=document, deadline=date(2026, 6, 1),
                         today=date(2026, 5, 1))  # fmt: skip
    cancelled = services.task_create(by=director, title="C", lead_unit=office, document=document,
                                     deadline=date(2026, 6, 30))  # fmt: skip
    services.task_cancel(task=cancelled, by=director, reason="Dừng")
    client.force_login(director)
    page = client.get(reverse("tasks:document_progress", args=[document.pk]))
    counts = {c["key"]: c["count"] for c in page.context["cards"]["classes"]}
    assert counts[TrackingClass.WITHIN] == 1 and counts[TrackingClass.OVERDUE] == 1
    assert counts[TrackingClass.ON_TIME] == counts[TrackingClass.LATE] == 0
    assert page.context["cards"]["completion_label"] == "0,00 %"
    assert {row["name"] for row in page.context["by_unit"]} == {science_unit.name, office.name}
    for href, number in links(page.content.decode()):
        assert len(listed_ids(client, href)) == number, href
    assert done.pk in listed_ids(client, page.context["cards"]["total_url"])
    detail = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert reverse("tasks:document_progress", args=[document.pk]) in detail


# --- Who sees what ---------------------------------------------------------------------------


def test_staff_and_unit_heads_get_403_on_the_agency_dashboard(client, specialist, unit_head):
    for person in (specialist, unit_head):
        client.force_login(person)
        assert client.get(reverse("tasks:dashboard")).status_code == 403
        assert client.get(reverse("reports-progress")).status_code == 403


def test_a_unit_head_sees_only_the_units_they_head(client, unit_head, science_unit, office, specialist):
    client.force_login(unit_head)
    assert client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk])).status_code == 200
    assert client.get(reverse("tasks:unit_dashboard", args=[office.pk])).status_code == 403
    client.force_login(specialist)
    assert client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk])).status_code == 403


def test_the_outsider_never_sees_another_agencys_numbers(client, outsider, world, science_unit, issued_notice):
    leader = factories.PersonFactory(username="victor", full_name="Vũ Văn Victor", agency=outsider.agency,
                                     roles=[Role.DIRECTOR])  # fmt: skip
    client.force_login(leader)
    page = client.get(reverse("tasks:dashboard"), {"period": "year"})
    assert page.context["cards"]["total"] == 0 and page.context["by_unit"] == []
    assert page.context["overdue"]["count"] == 0
    assert client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk])).status_code == 404
    assert listed_ids(client, reverse("tasks:browse") + f"?unit={science_unit.pk}") == set()
    answer = client.get("/api/v1/reports/progress", {"scope": "unit", "unit": science_unit.pk})
    assert answer.status_code == 400
    client.force_login(outsider)
    assert client.get(reverse("tasks:dashboard")).status_code == 403
    assert client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk])).status_code == 404
    assert client.get(reverse("tasks:document_progress", args=[issued_notice.pk])).status_code == 404


def test_an_administrator_may_open_the_dashboard(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("tasks:dashboard")).status_code == 200


# --- The whole agency from the summary ---------------------------------------------------------


def test_after_a_refresh_the_agency_cards_and_units_come_from_the_summary_and_equal_a_recount(client, director, world):
    task_summary_refresh()
    client.force_login(director)
    for query, (start, end) in [
        ({}, JUNE),
        ({"period": "quarter"}, (date(2026, 4, 1), date(2026, 6, 30))),
        ({"period": "year"}, (date(2026, 1, 1), date(2026, 12, 31))),
        ({"period": "custom", "from": "2026-05-20", "to": "2026-06-12"}, (date(2026, 5, 20), date(2026, 6, 12))),
    ]:
        page = client.get(reverse("tasks:dashboard"), query)
        assert page.context["summary_refreshed_at"] == NOW
        assert "tổng hợp lúc 10:00:00 17/06/2026" in page.content.decode()
        expected = recount(Task.objects.filter(agency=director.agency), start=start, end=end)
        cards = page.context["cards"]
        assert {c["key"]: c["count"] for c in cards["classes"]} == {c: len(expected[c]) for c in CLASSES}, query
        assert cards["no_deadline"] == len(expected[TrackingClass.NO_DEADLINE]), query
        for card in cards["classes"]:
            assert listed_ids(client, card["url"]) == expected[card["key"]], (query, card["key"])
        agency_tasks = Task.objects.filter(agency=director.agency)
        in_period = periods.in_period(agency_tasks, periods.Period(start, end))
        live = dashboard.by_unit(in_period, at=NOW)
        assert [(row["unit_id"], row["name"], row["counts"]) for row in page.context["by_unit"]] == [
            (row["unit_id"], row["name"], row["counts"]) for row in live
        ]
        trend = dashboard.trend(in_period, at=NOW, by=page.context["trend_by"])
        assert [(row["bucket"], row["counts"]) for row in page.context["trend"]] == [
            (row["bucket"], row["counts"]) for row in trend
        ]
        overdue = recount(agency_tasks, start=date.min, end=date.max)[TrackingClass.OVERDUE]
        assert page.context["overdue"]["count"] == len(overdue)
        assert page.context["overdue"]["count"] == len(listed_ids(client, page.context["overdue"]["url"]))


def test_the_agency_figures_lag_the_tasks_until_the_next_refresh(client, director, administrator, give, office):
    give(office, date(2026, 6, 20))
    task_summary_refresh()
    client.force_login(director)

    def figures(**query):
        page = client.get(reverse("tasks:dashboard"), query).context
        return page["cards"]["classes"][2]["count"], page["summary_refreshed_at"]

    assert figures() == (1, NOW)
    give(office, date(2026, 6, 25))
    assert figures() == (1, NOW)  # the summary: up to a minute old, and the page says when
    assert figures(scope="supervised") == (2, None)  # other scopes are counted live
    client.force_login(administrator)
    assert figures()[1] is None  # an administrator sees part of the agency: counted live
    client.force_login(director)
    task_summary_refresh()
    assert figures() == (2, NOW)


def test_the_agency_trend_and_overdue_count_lag_but_the_most_overdue_list_is_live(client, director, give, office):
    give(office, date(2026, 6, 10))
    task_summary_refresh()
    client.force_login(director)

    def seen(**query):
        page = client.get(reverse("tasks:dashboard"), query).context
        trend = {row["bucket"]: [cell["count"] for cell in row["cells"]] for row in page["trend"]}
        return trend, page["overdue"]["count"], len(page["overdue"]["tasks"])

    june8 = date(2026, 6, 8)  # the Monday of 10 June's week
    assert seen() == ({june8: [0, 0, 0, 1]}, 1, 1)
    give(office, date(2026, 6, 12))  # overdue too, given after the refresh
    assert seen() == ({june8: [0, 0, 0, 1]}, 1, 2)  # the list is live, the figures from the summary
    assert seen(scope="supervised") == ({june8: [0, 0, 0, 2]}, 2, 2)  # other scopes: all live
    task_summary_refresh()
    assert seen() == ({june8: [0, 0, 0, 2]}, 2, 2)


# --- Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("from_summary", [False, True], ids=["live", "summary"])
def test_the_dashboard_runs_the_same_number_of_queries_at_1_and_20_tasks(
    client, director, give, science_unit, office, other_unit, django_assert_num_queries, from_summary
):
    give(science_unit, date(2026, 6, 16))
    if from_summary:
        task_summary_refresh()
    client.force_login(director)
    url = reverse("tasks:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    units = [science_unit, office, other_unit]
    for index in range(19):
        outcome = ["open", "done", "new"][index % 3]
        deadline = date(2026, 6, 1) + timedelta(days=index)
        give(units[index % 3], deadline, outcome, finished_at=NOW - timedelta(days=index % 5))
    if from_summary:
        task_summary_refresh()
    with django_assert_num_queries(len(one)):
        page = client.get(url)
    assert bool(page.context["summary_refreshed_at"]) == from_summary
    assert len(one) == (DASHBOARD_QUERIES if from_summary else DASHBOARD_QUERIES_LIVE)


# session, user, roles, the agency's units (with the agency's name), when the summary was built,
# the counts by unit, the trend, the overdue count, the most overdue tasks, the documents waiting
# for a signature and those to route (each with its count), the unread count for the bell
DASHBOARD_QUERIES = 12
# counted live (no summary built yet): asked when it was built, then the class counts too
DASHBOARD_QUERIES_LIVE = 13


def test_the_dashboard_counts_the_documents_waiting_beyond_the_five_it_shows(
    client, director, agency, specialist, clerk, django_assert_num_queries
):
    notice = DocumentType.objects.get(abbreviation="TB")
    client.force_login(director)
    url = reverse("tasks:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        page = client.get(url)
    assert (page.context["waiting"], page.context["waiting_count"]) == ([], 0)
    for n in range(7):
        Document.objects.create(
            agency=agency, author=specialist, doc_type=notice, subject=f"Dự thảo {n}",
            state=Document.State.SIGNING, pending_with=director, pending_since=NOW - timedelta(hours=n),
        )  # fmt: skip
        Document.objects.create(
            agency=agency, author=clerk, doc_type=notice, subject=f"Văn bản đến {n}", number=n + 1,
            state=Document.State.REGISTERED, direction=Document.Direction.INCOMING, received_on=NOW.date(),
        )  # fmt: skip
    with django_assert_num_queries(len(none)):
        page = client.get(url)
    assert [d.subject for d in page.context["waiting"]] == [f"Dự thảo {n}" for n in (6, 5, 4, 3, 2)]
    assert page.context["waiting_count"] == 7
    assert 'data-testid="waiting-count">7<' in page.content.decode()
    assert len(page.context["to_route"]) == 5
    assert page.context["to_route_count"] == 7


def test_the_unit_page_runs_the_same_number_of_queries_at_1_and_20_tasks(
    client, unit_head, give, science_unit, django_assert_num_queries
):
    give(science_unit, date(2026, 6, 16))
    client.force_login(unit_head)
    url = reverse("tasks:unit_dashboard", args=[science_unit.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(19):
        give(science_unit, date(2026, 6, 1) + timedelta(days=index), ["open", "done", "new"][index % 3],
             finished_at=NOW - timedelta(days=1))  # fmt: skip
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_the_most_overdue_indexes_hold_exactly_the_open_states():
    """most_overdue filters state__in=OPEN_STATES; a partial index with another list would not
    serve it (the planner would fall back to reading finished tasks too)."""
    for name in ("tasks_task_agency_overdue", "tasks_task_overdue"):
        index = next(index for index in Task._meta.indexes if index.name == name)
        assert index.condition == Q(state__in=list(Task.OPEN_STATES)), name


# --- The form and the API ------------------------------------------------------------------------


def test_a_bad_custom_period_says_so_and_shows_this_month(client, director):
    client.force_login(director)
    page = client.get(reverse("tasks:dashboard"), {"period": "custom", "from": "2026-06-30", "to": "2026-06-01"})
    assert page.status_code == 400  # the page still shows, with the form's message
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in page.content.decode()
    assert (page.context["period"].start, page.context["period"].end) == JUNE


def test_the_api_gives_the_pages_numbers(client, director, world):
    client.force_login(director)
    for query in [{}, {"period": "year", "scope": "supervised"}, {"period": "custom", "from": "2026-05-20",
                                                                   "to": "2026-06-12"}]:  # fmt: skip
        page = client.get(reverse("tasks:dashboard"), query).context
        answer = client.get("/api/v1/reports/progress", query)
        assert answer.status_code == 200
        body = answer.json()
        assert body["period"]["start"] == page["period"].start.isoformat()
        assert body["totals"]["counts"] == {c["key"]: c["count"] for c in page["cards"]["classes"]}
        assert body["totals"]["no_deadline"] == page["cards"]["no_deadline"]
        assert body["totals"]["completion_label"] == page["cards"]["completion_label"]
        assert [(u["unit_id"], u["counts"]) for u in body["units"]] == [
            (row["unit_id"], {str(c): n for c, n in row["counts"].items()}) for row in page["by_unit"]
        ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom"}, "from"),
        ({"period": "custom", "from": "2026-06-30", "to": "2026-06-01"}, "to"),
        ({"period": "decade"}, "period"),
        ({"from": "30/06/2026"}, "from"),
        ({"scope": "unit"}, "unit"),
    ],
)
def test_the_api_refuses_a_bad_period_in_vietnamese(client, director, query, field):
    client.force_login(director)
    answer = client.get("/api/v1/reports/progress", query)
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"].startswith("Dữ liệu không hợp lệ")
    assert field in body["extra"].get("fields", body["extra"]) or field in str(body["extra"])
