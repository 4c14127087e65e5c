"""API tokens expire, are listed and revoked by their owner, and die with a password change."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from units.models import ApiToken, User
from units.services import api_token_issue, person_save

NEW_PASSWORD = "Mot-mat-khau-moi-42"


@pytest.fixture
def api():
    return APIClient()


def me(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/me")


def assert_refused(response, message="Mã truy cập không hợp lệ hoặc đã bị thu hồi."):
    assert response.status_code == 401
    assert response.json() == {"message": message, "extra": {}}


# --- Expiry ---


def test_a_token_works_until_it_expires_after_thirty_days(specialist, settings):
    assert settings.API_TOKEN_LIFETIME_DAYS == 30
    token = api_token_issue(user=specialist)
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert me(token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        assert_refused(me(token), "Mã truy cập đã hết hạn. Hãy đăng nhập lại để lấy mã mới.")


def test_the_lifetime_is_configurable(specialist, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 2
    token = api_token_issue(user=specialist)
    assert ApiToken.objects.get().expires_at - ApiToken.objects.get().created_at < timedelta(days=2, seconds=1)
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert me(token).status_code == 401


def test_a_new_token_clears_the_persons_dead_ones(specialist):
    api_token_issue(user=specialist)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        api_token_issue(user=specialist)
    assert ApiToken.objects.filter(user=specialist).count() == 1


# --- A password change by any path ---


def test_the_password_form_ends_every_token(client, specialist):
    token = api_token_issue(user=specialist)
    client.force_login(specialist)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert_refused(me(token))


def test_a_password_set_in_the_admin_ends_every_token(admin_client, specialist):
    token = api_token_issue(user=specialist)
    url = reverse("admin:auth_user_password_change", args=[specialist.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password(NEW_PASSWORD)
    assert_refused(me(token))


def test_set_password_in_code_ends_every_token_even_with_the_same_password(specialist):
    token = api_token_issue(user=specialist)
    user = User.objects.get(pk=specialist.pk)
    user.set_password(PASSWORD)
    user.save()
    assert_refused(me(token))


def test_the_people_service_setting_a_password_ends_every_token(specialist):
    token = api_token_issue(user=specialist)
    person_save(username="dave", full_name=specialist.full_name, agency=specialist.agency, password=NEW_PASSWORD)
    assert_refused(me(token))


def test_changepassword_command_ends_every_token(specialist, monkeypatch):
    token = api_token_issue(user=specialist)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "dave", stdout=io.StringIO())
    assert_refused(me(token))


def test_a_token_issued_after_the_change_works(specialist):
    api_token_issue(user=specialist)
    specialist.set_password(NEW_PASSWORD)
    specialist.save()
    assert me(api_token_issue(user=specialist)).status_code == 200


# --- Listing and revoking through the API ---


def test_the_api_lists_only_my_live_tokens_and_never_the_secret(api, specialist, unit_head):
    mine = api_token_issue(user=specialist)
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        api_token_issue(user=specialist)  # long expired
    api_token_issue(user=unit_head)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {mine}")
    response = api.get("/api/v1/auth/tokens")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["prefix"] for row in rows] == [mine[:8]]
    assert rows[0]["current"] is True
    assert set(rows[0]) == {"id", "prefix", "created_at", "last_used_at", "expires_at", "current"}
    assert mine not in response.content.decode()


def test_the_api_revokes_my_token(api, specialist):
    kept, revoked = api_token_issue(user=specialist), api_token_issue(user=specialist)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {kept}")
    pk = ApiToken.objects.get(prefix=revoked[:8]).pk
    assert api.delete(f"/api/v1/auth/tokens/{pk}").status_code == 204
    assert_refused(me(revoked))
    assert me(kept).status_code == 200


def test_the_api_answers_404_for_someone_elses_token(api, specialist, unit_head):
    theirs = api_token_issue(user=unit_head)
    api.force_authenticate(specialist)
    pk = ApiToken.objects.get(user=unit_head).pk
    response = api.delete(f"/api/v1/auth/tokens/{pk}")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
    assert me(theirs).status_code == 200


def test_token_endpoints_need_authentication(api, db):
    assert api.get("/api/v1/auth/tokens").status_code == 401


def test_the_schema_describes_listing_and_revoking(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/auth/tokens"]
    assert "delete" in paths["/api/v1/auth/tokens/{id}"]


# --- The page ---


def test_the_page_lists_my_tokens_and_not_others(client, specialist, unit_head):
    mine, theirs = api_token_issue(user=specialist), api_token_issue(user=unit_head)
    client.force_login(specialist)
    page = client.get(reverse("notifications:api_tokens"))
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"]
    body = page.content.decode()
    assert "Mã truy cập API" in body
    assert mine[:8] in body
    assert theirs[:8] not in body
    assert mine not in body


def test_the_user_menu_links_to_the_page(client, specialist):
    client.force_login(specialist)
    assert reverse("notifications:api_tokens") in client.get(reverse("tasks:mine")).content.decode()


def test_revoking_on_the_page_ends_the_token(client, specialist):
    token = api_token_issue(user=specialist)
    client.force_login(specialist)
    pk = ApiToken.objects.get().pk
    response = client.post(reverse("notifications:api_token_revoke", args=[pk]), follow=True)
    assert "Đã thu hồi mã truy cập" in response.content.decode()
    assert_refused(me(token))


def test_the_page_cannot_revoke_someone_elses_token(client, specialist, unit_head):
    theirs = api_token_issue(user=unit_head)
    client.force_login(specialist)
    pk = ApiToken.objects.get().pk
    assert client.post(reverse("notifications:api_token_revoke", args=[pk])).status_code == 404
    assert client.get(reverse("notifications:api_token_revoke", args=[pk])).status_code == 405
    assert me(theirs).status_code == 200


def test_tokens_made_before_the_migration_keep_working_for_their_lifetime(specialist):
    """Migration 0004 gives an existing token an expiry from its creation and binds it to the current password."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("units.migrations.0004_api_token_expiry_and_password_binding")
    token = api_token_issue(user=specialist)
    ApiToken.objects.update(expires_at=timezone.now(), password_fingerprint="")
    migration.bind_existing_tokens(apps, None)
    assert me(token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert me(token).status_code == 401
