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


# --- Lockout by user name, by address, and the client address behind proxies ---


def test_a_forged_forwarded_for_per_attempt_still_locks_the_user_name(client, specialist, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "dave", "password": "sai-mat-khau"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}",
        )
    response = client.post(
        reverse("login"), {"username": "dave", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.200"
    )
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_name_is_locked_whatever_the_address(client, specialist, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dave", "password": "sai"}, REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    response = client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def spray(client, count, address="198.51.100.7"):
    """One wrong guess per account, each a different user name, from one address."""
    for attempt in range(count):
        client.post(reverse("login"), {"username": f"nguoi{attempt}", "password": "123456"}, REMOTE_ADDR=address)


def test_password_spraying_locks_the_address(client, specialist, settings):
    spray(client, settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
    refused = client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Tạm khóa đăng nhập" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # The person themself, from another address, is not locked.
    other = client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_failures(client, specialist, unit_head, settings):
    spray(client, settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1)
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(client, specialist, settings):
    spray(client, settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1)
    own = client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert own.status_code == 302
    client.logout()
    spray(client, 1)
    refused = client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429


def request_from(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.post("/accounts/login/", **extra)


def test_without_trusted_proxies_the_address_is_remote_addr_only(rf, settings):
    from units.lockout import client_address

    assert settings.AXES_IPWARE_PROXY_COUNT == 0
    assert client_address(request_from(rf, "192.0.2.10", "203.0.113.5")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One nginx (deploy/nginx.conf): the address it appended, right-most.
        (1, "198.51.100.9", "198.51.100.9"),
        # What a client writes itself stays on the left and is never read.
        (1, "203.0.113.66, 198.51.100.9", "198.51.100.9"),
        # Two proxies: the first appended the client, the second the first proxy.
        (2, "198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (2, "203.0.113.66, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        # No header, or one too short to hold the client: not through the proxies.
        (1, None, "127.0.0.1"),
        (2, "198.51.100.9", "127.0.0.1"),
    ],
)
def test_trusted_proxies_each_take_one_address_from_the_right(rf, settings, proxies, forwarded, expected):
    from units.lockout import client_address

    settings.AXES_IPWARE_PROXY_COUNT = proxies
    assert client_address(request_from(rf, "127.0.0.1", forwarded)) == expected


def test_behind_a_proxy_spraying_locks_the_sprayer_not_the_office_next_door(client, specialist, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    for attempt in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"nguoi{attempt}", "password": "123456"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}, 198.51.100.7, 10.0.0.2",
        )
    sprayer = client.post(
        reverse("login"),
        {"username": "dave", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2",
    )
    assert sprayer.status_code == 429
    neighbour = client.post(
        reverse("login"),
        {"username": "dave", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.20, 10.0.0.2",
    )
    assert neighbour.status_code == 302
