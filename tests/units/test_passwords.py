"""Passwords are stored as Argon2id at OWASP's minimum parameters; older hashes still sign in and are
rewritten (units/passwords.py)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import PASSWORD

ARGON2ID_OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def project_hashers(settings):
    """The hashers of config/settings.py, not the suite's fast MD5 (tests/conftest.py)."""
    from config import settings as config

    settings.PASSWORD_HASHERS = config.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0] == "units.passwords.PortalArgon2PasswordHasher"
    return settings


def test_a_new_password_is_stored_as_argon2id_with_owasp_parameters(project_hashers, specialist):
    specialist.set_password("Mật-khẩu-mới-2026")
    specialist.save()

    specialist.refresh_from_db()
    assert specialist.password.startswith(ARGON2ID_OWASP)
    assert specialist.check_password("Mật-khẩu-mới-2026")
    assert not specialist.check_password("mat-khau-moi-2026")


def test_an_older_pbkdf2_hash_signs_in_through_the_form_and_is_rewritten(project_hashers, client, specialist):
    specialist.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    specialist.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": specialist.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(specialist.pk)
    specialist.refresh_from_db()
    assert specialist.password.startswith(ARGON2ID_OWASP)


def test_the_project_never_configures_the_suites_fast_hasher():
    # The suite's MD5 hasher (tests/conftest.py) must never be what the project itself configures.
    from config import settings as config

    assert "MD5" not in " ".join(config.PASSWORD_HASHERS)
