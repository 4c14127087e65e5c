"""One error shape: Vietnamese pages in the portal's layout, JSON {"message", "extra"} under /api/."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from lib.error_pages import server_error
from units.services import api_token_issue

VIETNAMESE = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ"


def is_vietnamese(text: str) -> bool:
    return any(letter in text.lower() for letter in VIETNAMESE)


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert isinstance(body["extra"], dict)
    assert is_vietnamese(body["message"]), body["message"]
    return body


@pytest.fixture
def api(director):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=director)}")
    return client


# --- The API ------------------------------------------------------------------------


def test_an_unmatched_api_url_answers_json_not_the_404_page(api):
    assert_error_shape(api.get("/api/v1/nothing-here"), 404)


def test_a_non_numeric_id_answers_json_404(api):
    assert_error_shape(api.get("/api/v1/tasks/abc"), 404)
    assert_error_shape(api.post("/api/v1/directives/abc/submit", {}, format="json"), 404)


def test_a_wrong_method_answers_vietnamese_json_405(api):
    body = assert_error_shape(api.delete("/api/v1/me"), 405)
    assert "DELETE" in body["message"]


def test_no_credentials_answer_vietnamese_json(db):
    assert_error_shape(APIClient().get("/api/v1/me"), 401)


def test_a_malformed_authorization_header_answers_vietnamese_json(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert_error_shape(client.get("/api/v1/me"), 401)


def test_malformed_json_answers_vietnamese_json_400(api):
    response = api.post("/api/v1/tasks", data="{not json", content_type="application/json")
    assert_error_shape(response, 400)


def test_an_unsupported_content_type_answers_vietnamese_json_415(api):
    assert_error_shape(api.post("/api/v1/tasks", data="x", content_type="text/plain"), 415)


def test_an_unacceptable_accept_header_answers_vietnamese_json_406(api):
    assert_error_shape(api.get("/api/v1/me", HTTP_ACCEPT="application/xml"), 406)


def test_a_csrf_failure_on_the_api_answers_vietnamese_json_403(specialist):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(specialist)
    response = client.post("/api/v1/tasks", {"title": "x"}, format="json")
    assert_error_shape(response, 403)


@pytest.mark.urls("tests.lib.urls_crash")
def test_a_crash_under_the_api_answers_json_500(db):
    response = Client(raise_request_exception=False).get("/api/v1/crash")
    body = assert_error_shape(response, 500)
    assert "a bug" not in body["message"]


@pytest.mark.urls("tests.lib.urls_crash")
def test_a_body_too_large_under_the_api_answers_json_413(db):
    assert_error_shape(Client().get("/api/v1/too-big"), 413)


def test_a_form_body_too_large_for_the_api_answers_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.post("/api/v1/tasks", data="title=" + "x" * 4096, content_type="application/x-www-form-urlencoded")
    assert_error_shape(response, 413)


# --- Pages ----------------------------------------------------------------------------


def assert_page(response, status: int, text: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert text in page
    assert 'class="navbar-brand"' in page or "Cổng điều hành" in page  # the portal's layout


def test_an_unknown_page_is_the_vietnamese_404_page(client, specialist):
    client.force_login(specialist)
    assert_page(client.get("/no-such-page/"), 404, "Không tìm thấy trang")


def test_a_stale_form_is_the_vietnamese_403_page(specialist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist)
    response = client.post("/tasks/new/", {"title": "x"})
    assert_page(response, 403, "tải lại trang")


@pytest.mark.urls("tests.lib.urls_crash")
def test_a_crash_is_the_vietnamese_500_page(db):
    response = Client(raise_request_exception=False).get("/crash/")
    assert_page(response, 500, "Lỗi hệ thống")
    assert "a bug" not in response.content.decode()


@pytest.mark.urls("tests.lib.urls_crash")
def test_a_body_too_large_is_the_vietnamese_page_413(db):
    assert_page(Client().get("/too-big/"), 413, "quá lớn")


def test_a_form_too_large_for_a_page_is_refused_with_413(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/accounts/login/", data="username=" + "x" * 4096, content_type="application/x-www-form-urlencoded"
    )
    assert_page(response, 413, "quá lớn")


def test_the_500_page_renders_without_the_database():
    """No ``db`` fixture: pytest-django fails any query, as a database that is down would."""
    response = server_error(RequestFactory().get("/tasks/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi hệ thống" in page
    assert "bootstrap.min.css" in page


def test_the_400_page_is_vietnamese(rf, db):
    from django.contrib.auth.models import AnonymousUser

    from lib.error_pages import bad_request

    request = rf.get("/tasks/")
    request.user = AnonymousUser()
    response = bad_request(request, ValueError("x"))
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
