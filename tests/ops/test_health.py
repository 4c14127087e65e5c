"""``/healthz`` and the delay notice: both read the worker's heartbeat and the oldest due job."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from directives import services
from ops.background import _STATE_KEY, heartbeat_write, work_recover

NOTICE = 'data-testid="background-late"'


@pytest.fixture
def cold_state():
    """No cached queue state: the page reads the heartbeat row."""
    cache.delete(_STATE_KEY)
    yield
    cache.delete(_STATE_KEY)


@pytest.fixture
def broker_down(monkeypatch):
    """A broker address where nothing listens (Celery reads the environment's first)."""
    real = app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    yield
    monkeypatch.undo()
    app.conf.broker_url = real


def test_healthz_answers_200_with_the_parts_when_all_is_well(client, db):
    work_recover()
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"
    assert body["worker_heartbeat_age_seconds"] < 60 and body["oldest_due_job_age_seconds"] is None


def test_healthz_needs_no_sign_in_and_shows_no_secrets(client, db, settings):
    text = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in text and "redis://" not in text and "postgres" not in text


def test_healthz_answers_503_without_a_worker_heartbeat(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker_heartbeat"] is None


def test_healthz_answers_503_when_the_oldest_due_job_is_late(client, make_approved, clerk):
    services.document_issue(document=make_approved(), by=clerk)  # its wake-up never ran
    heartbeat_write()
    assert client.get("/healthz").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        heartbeat_write()  # the worker lives, but the job is not drained (its wake-up was lost)
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["oldest_due_job_age_seconds"] > 300


def test_healthz_answers_503_with_the_broker_down(client, db, broker_down):
    work_recover()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "down"


def test_staff_see_a_discreet_notice_when_the_worker_is_silent(client, specialist, cold_state):
    client.force_login(specialist)
    page = client.get(reverse("tasks:mine")).content.decode()
    assert NOTICE in page and "Việc gửi e-mail và tạo bản PDF đang chậm hơn thường lệ" in page
    heartbeat_write()
    assert NOTICE not in client.get(reverse("tasks:mine")).content.decode()


def test_the_notice_costs_one_small_query_then_none_for_30_seconds(
    client, specialist, cold_state, django_assert_max_num_queries
):
    heartbeat_write(now=timezone.now() - timedelta(minutes=10))
    cache.delete(_STATE_KEY)
    client.force_login(specialist)
    url = reverse("tasks:mine")
    client.get(url)  # warm the session and the other caches
    cache.delete(_STATE_KEY)
    with django_assert_max_num_queries(100) as cold:
        assert NOTICE in client.get(url).content.decode()
    with django_assert_max_num_queries(100) as warm:
        assert NOTICE in client.get(url).content.decode()
    assert len(cold) == len(warm) + 1
    assert any("ops_heartbeat" in q["sql"] for q in cold.captured_queries)


def test_signed_out_pages_show_no_notice(client, db, cold_state):
    assert NOTICE not in client.get(reverse("login")).content.decode()
