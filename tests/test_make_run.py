"""`make run` on the embedded defaults: it serves, each demo account lands on its
start page, and Ctrl-C leaves no process behind."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

START_PAGES = {
    "giamdoc": "/tasks/dashboard/",
    "phogiamdoc": "/tasks/dashboard/",
    "vanthu": "/directives/",
    "truongphong": "/tasks/unit/",
    "chuyenvien": "/tasks/",
    "quantri": "/admin/",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited early with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def sign_in(base: str, username: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": "demo12345", "csrfmiddlewaretoken": token})
    response = opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data.encode()))
    return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()


def test_make_run_serves_every_demo_account_and_ctrl_c_stops_everything(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL"}}
    env.update(VAR_DIR=str(tmp_path), PORTAL_ADDRESS=f"127.0.0.1:{port}")
    process = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/accounts/login/", process)
        for username, start_page in START_PAGES.items():
            path, html = sign_in(base, username)
            assert path == start_page, username
            assert "Cổng điều hành" in html
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output = process.communicate(timeout=60)[0].decode()
    assert "giamdoc" in output and "demo12345" in output  # the accounts are printed
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of the group is left
