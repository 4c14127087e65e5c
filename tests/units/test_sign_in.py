"""Signing in, out, the lockout and each role's start page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_page_is_vietnamese_even_for_an_english_browser(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_anonymous_home_goes_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_says_so_in_vietnamese_and_does_not_sign_in(client, specialist):
    response = sign_in(client, "dave", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona", "start_page"),
    [
        ("director", "tasks:dashboard"),
        ("clerk", "directives:desk"),
        ("unit_head", "tasks:unit"),
        ("specialist", "tasks:mine"),
        ("administrator", "admin:index"),
    ],
)
def test_each_role_lands_on_its_start_page(client, request, persona, start_page):
    person = request.getfixturevalue(persona)
    response = sign_in(client, person.username)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == reverse(start_page)
    assert client.get(home["Location"]).status_code == 200


def test_dashboard_is_refused_to_staff(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("tasks:dashboard")).status_code == 403


def test_lockout_after_repeated_failures_refuses_even_the_right_password(client, specialist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "dave", "sai-mat-khau")
    response = sign_in(client, "dave")
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, specialist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "dave", "sai-mat-khau")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = sign_in(client, "dave")
    assert response.status_code == 302


def test_lockout_of_one_user_does_not_lock_another(client, specialist, unit_head, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "dave", "sai-mat-khau")
    assert sign_in(client, "bob").status_code == 302


def test_success_before_the_limit_resets_the_count(client, specialist, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "dave", "sai-mat-khau")
    assert sign_in(client, "dave").status_code == 302
    client.logout()
    sign_in(client, "dave", "sai-mat-khau")
    assert sign_in(client, "dave").status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-42", "new_password2": "Mot-mat-khau-moi-42"},
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Mot-mat-khau-moi-42")


def test_password_change_with_mismatch_changes_nothing(client, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-42", "new_password2": "khac-hoan-toan-42"},
    )
    assert response.status_code == 200
    assert "không giống nhau" in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.check_password(PASSWORD)
