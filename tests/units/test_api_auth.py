"""The API's token sign-in, /me and /units."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from units.models import ApiToken


@pytest.fixture
def api():
    return APIClient()


def obtain(api, username, password=PASSWORD):
    return api.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


def test_token_sign_in_then_bearer_reaches_me(api, specialist, science_unit):
    response = obtain(api, "dave")
    assert response.status_code == 201
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = api.get("/api/v1/me").json()
    assert me["username"] == "dave"
    assert me["roles"] == ["staff"]
    assert me["agency"] == "SKHCN"
    assert [m["unit"]["abbreviation"] for m in me["memberships"]] == ["QLKH"]


def test_token_is_stored_only_as_a_digest(api, specialist):
    token = obtain(api, "dave").json()["token"]
    stored = ApiToken.objects.get(user=specialist)
    assert token not in (stored.digest, stored.prefix)
    assert not ApiToken.objects.filter(digest=token).exists()


def test_wrong_password_gets_a_vietnamese_message_and_no_token(api, specialist):
    response = obtain(api, "dave", "sai")
    assert response.status_code == 400
    assert response.json() == {"message": "Tên đăng nhập hoặc mật khẩu không đúng.", "extra": {}}
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(api, db):
    response = api.post("/api/v1/auth/token", {"username": "dave"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("Dữ liệu không hợp lệ")
    assert "password" in body["extra"]["fields"]


def test_api_sign_in_is_locked_out_after_repeated_failures(api, specialist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        obtain(api, "dave", "sai")
    response = obtain(api, "dave")
    assert response.status_code == 429
    assert "tạm khóa" in response.json()["message"]
    assert not ApiToken.objects.exists()


def test_unknown_or_revoked_token_is_refused(api, specialist):
    token = obtain(api, "dave").json()["token"]
    ApiToken.objects.all().delete()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["message"] == "Mã truy cập không hợp lệ hoặc đã bị thu hồi."


def test_token_of_a_deactivated_person_is_refused(api, specialist):
    token = obtain(api, "dave").json()["token"]
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me").status_code == 401


def test_me_needs_authentication(api, db):
    response = api.get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "extra"}


def test_units_lists_only_my_agency(api, specialist, office, outsider):
    api.force_authenticate(specialist)
    body = api.get("/api/v1/units").json()
    assert {u["abbreviation"] for u in body["results"]} == {"QLKH", "VP"}
    assert {u["agency"] for u in body["results"]} == {"SKHCN"}


def test_units_list_runs_a_fixed_number_of_queries(api, specialist, agency, django_assert_max_num_queries):
    from tests.factories import UnitFactory

    api.force_authenticate(specialist)
    with django_assert_max_num_queries(3) as one:
        api.get("/api/v1/units")
    UnitFactory.create_batch(20, agency=agency)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api.get("/api/v1/units").json()["count"] == 21


def test_me_runs_a_fixed_number_of_queries(api, director, django_assert_num_queries):
    api.force_authenticate(director)
    with django_assert_num_queries(4):
        body = api.get("/api/v1/me").json()
    assert {u["abbreviation"] for u in body["supervised_units"]} == {"QLKH", "VP"}


def test_openapi_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/units"} <= set(schema["paths"])
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())


def test_browsable_docs_are_served_offline(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()


def test_api_lockout_ignores_a_forged_forwarded_for(api, specialist, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post(
            "/api/v1/auth/token",
            {"username": "dave", "password": "sai"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}",
        )
    response = api.post(
        "/api/v1/auth/token",
        {"username": "dave", "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert response.status_code == 429
    assert response.json() == {
        "message": "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, vui lòng thử lại sau.",
        "extra": {},
    }
    assert not ApiToken.objects.exists()


def test_api_password_spraying_locks_the_address(api, specialist, settings):
    for attempt in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        obtain(api, f"nguoi{attempt}", "123456")
    response = obtain(api, "dave")
    assert response.status_code == 429
    assert set(response.json()) == {"message", "extra"}
    assert not ApiToken.objects.exists()
