"""Integers past 64 bits, dates out of range and bad page numbers are field errors (400), never a 500."""

import pytest
from rest_framework.test import APIClient

from units.services import api_token_issue

HUGE = "18446744073709551616"


@pytest.fixture
def api(director):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=director)}")
    return client


def field_error(response, field: str) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"message", "extra"}
    return str(body["extra"]["fields"][field][0])


# --- API ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/tasks", "/api/v1/directives", "/api/v1/incoming"])
def test_an_id_past_64_bits_in_a_filter_is_a_field_error(api, url):
    assert field_error(api.get(url, {"unit": HUGE}), "unit") == "Phải nhỏ hơn hoặc bằng 9223372036854775807."


def test_an_id_past_64_bits_in_a_body_is_a_field_error(api, science_unit):
    response = api.post("/api/v1/tasks", {"title": "Rà soát", "lead_unit": int(HUGE)}, format="json")
    assert "không hợp lệ" in field_error(response, "lead_unit")


def test_a_date_out_of_range_is_a_field_error(api):
    response = api.get("/api/v1/reports/province", {"period": "custom", "start": "0001-01-01", "end": "9999-12-31"})
    # Only the province administrator reads it; the bounds hold for everyone's inputs, checked below.
    assert response.status_code in (400, 403)
    response = api.post("/api/v1/tasks", {"title": "Rà soát", "lead_unit": 1, "deadline": "9999-12-31"}, format="json")
    assert field_error(response, "deadline") == "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100."


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", HUGE])
def test_a_bad_page_number_is_a_vietnamese_field_error(api, page):
    assert "không tồn tại" in field_error(api.get("/api/v1/tasks", {"page": page}), "page")


@pytest.mark.parametrize("body", [None, {}, {"document": 1}, {"items": []}])
def test_bulk_creation_without_a_body_is_a_field_error_not_a_crash(api, body):
    response = api.post("/api/v1/tasks/bulk", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"message", "extra"}
    assert "fields" in response.json()["extra"]


# --- Pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{"handler": HUGE}, {"unit": HUGE}, {"document": HUGE}])
def test_a_task_list_with_an_id_past_64_bits_shows_the_form_error(client, director, query):
    client.force_login(director)
    response = client.get("/tasks/all/", query)
    assert response.status_code == 400
    assert "Số quá lớn." in response.content.decode()


def test_a_report_with_dates_out_of_range_shows_the_form_error(client, director):
    client.force_login(director)
    response = client.get("/tasks/reports/", {"period": "custom", "start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 400
    assert "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100." in response.content.decode()


def test_a_dashboard_with_dates_out_of_range_shows_the_form_error(client, director):
    client.force_login(director)
    response = client.get("/tasks/dashboard/", {"period": "custom", "from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 400
    assert "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100." in response.content.decode()


def test_a_task_form_with_a_unit_id_past_64_bits_is_refused(client, director, science_unit):
    client.force_login(director)
    response = client.post(
        "/tasks/new/",
        {"title": "Rà soát", "lead_unit": science_unit.pk, "cooperating_units": [HUGE], "deadline_kind": "none"},
    )
    assert response.status_code == 200
    assert f"Mã «{HUGE}» không hợp lệ." in response.content.decode()


def test_dates_out_of_range_in_the_progress_report_api_are_field_errors(api, science_unit):
    """Its ``from`` and ``to`` are added in ``get_fields``, after InputSerializer's own."""
    response = api.get("/api/v1/reports/progress", {"period": "custom", "from": "0001-01-01", "to": "9999-12-31"})
    assert field_error(response, "from") == "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100."


@pytest.mark.parametrize("url", [f"/tasks/{HUGE}/", f"/tasks/dashboard/unit/{HUGE}/", f"/api/v1/tasks/{HUGE}"])
def test_an_id_past_64_bits_in_a_path_is_not_found(client, director, url):
    client.force_login(director)
    assert client.get(url).status_code == 404
