"""Signed-in pages and every API answer carry Cache-Control: private, no-store."""

from rest_framework.test import APIClient

from units.services import api_token_issue


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_signed_in_page_is_private_and_not_stored(client, specialist):
    client.force_login(specialist)
    response = client.get("/tasks/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_an_api_answer_is_private_and_not_stored(specialist):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=specialist)}")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_an_api_error_is_private_and_not_stored(db):
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 401
    assert {"private", "no-store"} <= directives(response)


def test_static_files_keep_their_public_caching(client, specialist):
    client.force_login(specialist)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_the_public_sign_in_page_is_not_stored_either(client, db):
    """Django's LoginView is never_cache: it holds a CSRF token tied to this browser."""
    response = client.get("/accounts/login/")
    assert "no-store" in directives(response)
