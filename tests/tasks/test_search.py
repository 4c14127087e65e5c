"""The task search ignores diacritics and case, and the lists take a range of deadlines."""

import importlib
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from lib.workdays import VIETNAM_TZ
from tasks import selectors, services
from tasks.models import Task
from tasks.selectors import TaskFilters

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reviews(director, science_unit, office):
    """Six «Rà soát» tasks with deadlines 20–25 June, and one other."""
    tasks = [
        services.task_create(
            by=director,
            title=f"Rà soát thủ tục hành chính nhóm {n}",
            lead_unit=science_unit,
            point=f"II.{n}",
            deadline=date(2026, 6, 19 + n),
        )  # fmt: skip
        for n in range(1, 7)
    ]
    other = services.task_create(
        by=director, title="Sắp xếp kho lưu trữ", lead_unit=office, description="Đánh số hồ sơ đã chỉnh lý",
        deadline=date(2026, 7, 10),
    )  # fmt: skip
    return tasks, other


def found(user, **filters) -> set[int]:
    return set(selectors.visible_tasks(user=user, filters=TaskFilters(**filters)).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["ra soat", "rà soát", "RA SOÁT", "Rà  Soat"])
def test_search_without_diacritics_finds_the_six_tasks(reviews, director, query):
    """The defect: «ra soat» found 0 tasks, «rà soát» 6."""
    tasks, _other = reviews
    assert found(director, q=query) == {t.pk for t in tasks}


@pytest.mark.parametrize(
    "query",
    ["danh so ho so", "ĐÁNH SỐ", "van phong so", "kho luu tru"],  # description, lead unit's name, title
)
def test_search_reads_the_description_and_the_lead_unit(reviews, director, query):
    _tasks, other = reviews
    assert found(director, q=query) == {other.pk}


def test_search_reads_the_point(reviews, director):
    tasks, _other = reviews
    assert found(director, q="II.3") == {tasks[2].pk}


def test_every_word_must_match(reviews, director):
    assert found(director, q="ra soat luu tru") == set()


def test_search_follows_a_changed_title(reviews, director):
    task = reviews[0][0]
    task.title = "Kiểm tra đột xuất"
    task.save(update_fields=["title"])
    assert found(director, q="kiem tra dot xuat") == {task.pk}
    assert task.pk not in found(director, q="ra soat")


def test_a_save_of_other_fields_leaves_the_search_text(reviews, director):
    task = reviews[0][0]
    Task.objects.filter(pk=task.pk).update(search_text="stale")
    task.progress = 10
    task.save(update_fields=["progress"])
    assert Task.objects.get(pk=task.pk).search_text == "stale"


def test_the_migration_fills_the_search_text_of_existing_tasks(reviews, director):
    Task.objects.update(search_text="")
    migration = importlib.import_module("tasks.migrations.0016_task_search_text")
    migration.fill_search_text(apps, None)
    assert found(director, q="ra soat") == {t.pk for t in reviews[0]}


def test_deadline_range_with_open_ends(reviews, director):
    tasks, other = reviews
    assert found(director, date_from=date(2026, 6, 23)) == {t.pk for t in tasks[3:]} | {other.pk}
    assert found(director, date_to=date(2026, 6, 21)) == {tasks[0].pk, tasks[1].pk}
    assert found(director, date_from=date(2026, 6, 21), date_to=date(2026, 6, 22)) == {tasks[1].pk, tasks[2].pk}


def test_the_list_page_filters_by_deadline_and_searches_without_diacritics(client, reviews, director):
    tasks, other = reviews
    client.force_login(director)
    html = client.get(reverse("tasks:browse"), {"q": "ra soat", "date_from": "2026-06-24"}).content.decode()
    assert "Rà soát thủ tục hành chính nhóm 5" in html
    assert "Rà soát thủ tục hành chính nhóm 6" in html
    assert "nhóm 4" not in html
    assert other.title not in html
    assert 'name="date_from" value="2026-06-24"' in html


def test_a_reversed_range_is_refused_in_vietnamese_and_kept(client, reviews, director):
    client.force_login(director)
    html = client.get(reverse("tasks:browse"), {"date_from": "2026-06-24", "date_to": "2026-06-20"}).content.decode()
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in html
    assert 'name="date_from" value="2026-06-24"' in html


def test_the_api_searches_and_filters_the_same_way(reviews, director):
    tasks, _other = reviews
    api = APIClient()
    api.force_authenticate(director)
    rows = api.get("/api/v1/tasks", {"q": "ra soat", "date_to": "2026-06-21"}).json()["results"]
    assert {row["id"] for row in rows} == {tasks[0].pk, tasks[1].pk}
    response = api.get("/api/v1/tasks", {"date_from": "2026-06-24", "date_to": "2026-06-20"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in str(response.json())


@pytest.mark.postgres
def test_postgresql_serves_the_search_from_a_trigram_index(reviews, director):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'tasks_task_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
    assert found(director, q="ra soat") == {t.pk for t in reviews[0]}
