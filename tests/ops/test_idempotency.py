"""Idempotency keys: a retried action (API header or the web form's hidden field) lands on the
first answer instead of acting twice or answering «đã được phát hành»."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from directives.models import Document, Event
from ops.models import IdempotencyKey
from tasks.models import Task
from tests.concurrency import at_once


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def issue(api, document, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(f"/api/v1/directives/{document.pk}/issue", {}, format="json", **headers)


def test_a_retried_issue_with_the_same_key_answers_the_first_result(make_approved, clerk):
    document = make_approved()
    api = api_as(clerk)
    first = issue(api, document, key="phat-hanh-1")
    again = issue(api, document, key="phat-hanh-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.json()["symbol"] == "01/TB-SKHCN"
    assert again["Idempotent-Replayed"] == "true"
    assert Event.objects.filter(document=document, action=Event.Action.ISSUED).count() == 1


def test_without_a_key_the_retry_is_refused_as_already_issued(make_approved, clerk):
    document = make_approved()
    api = api_as(clerk)
    assert issue(api, document).status_code == 200
    refused = issue(api, document)
    assert refused.status_code == 400 and "đã được phát hành" in refused.json()["message"]


def test_a_key_is_per_person_and_endpoint(make_approved, clerk, specialist):
    document = make_approved()
    assert issue(api_as(clerk), document, key="k").status_code == 200
    other = issue(api_as(specialist), document, key="k")  # someone else's key: acts (and is refused) on its own
    assert other.status_code in (400, 403) and "Idempotent-Replayed" not in other


def test_a_refused_request_releases_its_key_so_the_corrected_one_acts(clerk, unit_head, science_unit):
    api = api_as(unit_head)
    payload = {"title": "Kế hoạch chuyển đổi số", "lead_unit": science_unit.pk, "deadline": "2000-01-01"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "tao-1"}
    refused = api.post("/api/v1/tasks", payload, format="json", **headers)
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    payload["deadline"] = (timezone.localdate() + timedelta(days=30)).isoformat()
    created = api.post("/api/v1/tasks", payload, format="json", **headers)
    again = api.post("/api/v1/tasks", payload, format="json", **headers)
    assert created.status_code == again.status_code == 201 and again.json() == created.json()
    assert Task.objects.count() == 1


def test_a_key_expires_after_a_day(unit_head, science_unit):
    api = api_as(unit_head)
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    payload = {"title": "Kế hoạch chuyển đổi số", "lead_unit": science_unit.pk, "deadline": deadline}
    assert api.post("/api/v1/tasks", payload, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert api.post("/api/v1/tasks", payload, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert Task.objects.count() == 2


def hidden_key(page: str, action_url: str) -> str:
    form = page[page.index(f'action="{action_url}"') :]
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form).group(1)


def test_the_issue_form_carries_a_key_and_a_double_submit_lands_on_the_first_result(make_approved, clerk, client):
    document = make_approved()
    client.force_login(clerk)
    url = reverse("directives:act", args=[document.pk, "issue"])
    key = hidden_key(client.get(reverse("directives:detail", args=[document.pk])).content.decode(), url)
    first = client.post(url, {"idempotency_key": key})
    again = client.post(url, {"idempotency_key": key})
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    page = client.get(again["Location"]).content.decode()
    assert "đã được phát hành" not in page and "Đã phát hành văn bản số 01/TB-SKHCN" in page
    assert Event.objects.filter(document=document, action=Event.Action.ISSUED).count() == 1


@pytest.mark.postgres
def test_two_copies_of_one_request_at_once_act_once(make_approved, clerk):
    document = make_approved()
    answers = []

    def send():
        answers.append(issue(api_as(clerk), document, key="cung-luc"))

    assert at_once([send, send]) == []
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert Document.objects.get(pk=document.pk).number == 1
    assert Event.objects.filter(document=document, action=Event.Action.ISSUED).count() == 1
