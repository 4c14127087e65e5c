"""The production block of .env.example makes `check --deploy` clean; the embedded defaults stay HTTP."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    """The variables between PRODUCTION-BEGIN and PRODUCTION-END in .env.example."""
    text = (BASE_DIR / ".env.example").read_text()
    block = text.split("# PRODUCTION-BEGIN", 1)[1].split("# PRODUCTION-END", 1)[0]
    return dict(re.findall(r"^#\s+([A-Z_]+)=(.*)$", block, flags=re.MULTILINE))


def check_deploy(tmp_path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment never has it.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, "VAR_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(50), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_block_documents_every_https_switch():
    variables = production_environment()
    for name in (
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_PROXY_SSL_HEADER",
    ):
        assert name in variables


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    result = check_deploy(tmp_path, production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_on_the_embedded_defaults(tmp_path):
    """The embedded run is plain HTTP on 127.0.0.1: the HTTPS switches are off until production sets them."""
    result = check_deploy(tmp_path, {})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_proxy_header_names_the_forwarded_proto_header(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr
