"""A task given from a confidential document names that document only to whoever may see it:
the handler, unit head and supervisor without a grant see «Văn bản mật», no number, no symbol,
no subject and no link to the document; with a grant, the real values (issue #12, item 2)."""

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from rest_framework.test import APIClient

from tasks.models import Task
from tests.conftest import SECRET_SUBJECT
from tests.factories import PersonFactory
from units.roles import Role

PLACEHOLDER = "Văn bản mật"


@pytest.fixture
def deputy(planning_deputy):
    return planning_deputy


@pytest.fixture
def supervised_by_deputy(secret_task, deputy):
    Task.objects.filter(pk=secret_task.pk).update(supervisor=deputy)
    return secret_task


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_hidden(body, document):
    assert SECRET_SUBJECT not in body
    assert document.symbol not in body
    assert reverse("directives:detail", args=[document.pk]) not in body
    assert PLACEHOLDER in body


def assert_shown(body, document):
    assert document.symbol in body
    assert PLACEHOLDER not in body


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("planning_staff", "tasks:mine"),
        ("planning_staff", "tasks:browse"),
        ("planning_head", "tasks:unit"),
        ("planning_head", "tasks:browse"),
        ("deputy", "tasks:supervised"),
        ("deputy", "tasks:browse"),
    ],
)
def test_task_lists_name_the_document_only_to_whoever_may_see_it(
    client, request, supervised_by_deputy, secret_document, who, url_name
):
    user = request.getfixturevalue(who)
    body = page(client, user, reverse(url_name))
    assert "Chuẩn bị lực lượng theo điểm 2" in body
    assert_hidden(body, secret_document)
    assign_perm("directives.view_document", user, secret_document)
    assert_shown(page(client, user, reverse(url_name)), secret_document)


@pytest.mark.parametrize("who", ["planning_staff", "planning_head"])
def test_task_page_names_the_document_only_to_whoever_may_see_it(client, request, secret_task, secret_document, who):
    user = request.getfixturevalue(who)
    body = page(client, user, reverse("tasks:detail", args=[secret_task.pk]))
    assert_hidden(body, secret_document)
    assign_perm("directives.view_document", user, secret_document)
    body = page(client, user, reverse("tasks:detail", args=[secret_task.pk]))
    assert_shown(body, secret_document)
    assert SECRET_SUBJECT in body
    assert reverse("directives:detail", args=[secret_document.pk]) in body


def api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


HIDDEN = {"id": None, "symbol": "", "subject": PLACEHOLDER, "hidden": True}


@pytest.mark.parametrize(
    ("who", "scope"),
    [("planning_staff", "mine"), ("planning_head", "unit"), ("deputy", "supervised"), ("deputy", "all")],
)
def test_task_api_lists_name_the_document_only_to_whoever_may_see_it(
    request, supervised_by_deputy, secret_document, who, scope
):
    user = request.getfixturevalue(who)
    response = api_as(user).get("/api/v1/tasks", {"scope": scope})
    assert response.status_code == 200
    assert SECRET_SUBJECT not in response.content.decode()
    assert secret_document.symbol not in response.content.decode()
    (row,) = response.json()["results"]
    assert row["document"] == HIDDEN
    assign_perm("directives.view_document", user, secret_document)
    (row,) = api_as(user).get("/api/v1/tasks", {"scope": scope}).json()["results"]
    assert row["document"]["subject"] == SECRET_SUBJECT


def test_task_api_detail_and_actions_give_only_the_placeholder(planning_staff, secret_task, secret_document):
    api = api_as(planning_staff)
    detail = api.get(f"/api/v1/tasks/{secret_task.pk}")
    assert detail.json()["document"] == HIDDEN
    acted = api.post(f"/api/v1/tasks/{secret_task.pk}/report", {"text": "Đã họp", "percent": 10}, format="json")
    assert acted.status_code == 200, acted.json()
    for response in (detail, acted):
        assert SECRET_SUBJECT not in response.content.decode()
        assert secret_document.symbol not in response.content.decode()


def test_task_api_gives_the_document_to_the_signer_and_a_superuser(director, secret_task, secret_document):
    root = PersonFactory(username="root", agency=secret_document.agency, roles=[Role.STAFF])
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    for user in (director, root):
        detail = api_as(user).get(f"/api/v1/tasks/{secret_task.pk}").json()
        assert detail["document"] == {
            "id": secret_document.pk, "symbol": secret_document.symbol, "subject": SECRET_SUBJECT, "hidden": False,
        }  # fmt: skip


def test_the_placeholder_costs_no_query_per_row(
    client, django_assert_num_queries, secret_document, director, planning, planning_head, planning_staff
):
    """The list's query count is the same with one or twenty tasks from a hidden document."""
    from tasks import services

    def give(n):
        for i in range(n):
            task = services.task_create(
                by=director, title=f"Việc {i}", document=secret_document, lead_unit=planning,
                deadline=secret_document.issued_on + datetime.timedelta(days=20),
            )  # fmt: skip
            services.task_assign(task=task, by=planning_head, handler=planning_staff)

    client.force_login(planning_staff)
    give(1)
    client.get(reverse("tasks:mine"))  # warm caches (session, calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tasks:mine"))
    give(19)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("tasks:mine")).content.decode()
    assert body.count(PLACEHOLDER) >= 20
