"""`make run` on the embedded defaults: it serves, each demo account lands on its
start page, and Ctrl-C leaves no process behind."""

import email
import email.policy
import http.cookiejar
import json
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


DUE_TOMORROW = """
from datetime import date
from tasks import services
from units.models import Unit, User

people = {u.username: u for u in User.objects.filter(username__in=["giamdoc", "truongphong", "chuyenvien"])}
task = services.task_create(
    by=people["giamdoc"], title="Nộp báo cáo thử nghiệm nhắc việc", lead_unit=Unit.objects.get(abbreviation="QLKH"),
    deadline=date(2031, 3, 12), today=date(2031, 3, 10),
)
services.task_assign(task=task, by=people["truongphong"], handler=people["chuyenvien"])
"""


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def wait_for_mail(folder: Path, to: str, subject_part: str, timeout: float = 60) -> email.message.EmailMessage:
    """The first message to ``to`` whose subject contains ``subject_part``, as the file backend wrote it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log")) if folder.exists() else []:
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(raw.strip(), policy=email.policy.default)
                if message["to"] == to and subject_part in (message["subject"] or ""):
                    return message
        time.sleep(0.5)
    raise AssertionError(f"no e-mail to {to} about {subject_part!r} within {timeout} s")


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
        # A task due tomorrow: one sweep, and the running worker writes its e-mail under var/.
        manage(env, "shell", "-c", DUE_TOMORROW)
        swept = manage(env, "send_reminders", "--at", "2031-03-11T08:00", "--json")
        assert json.loads(swept.splitlines()[-1])["sent"] >= 1
        mail = wait_for_mail(tmp_path / "mail", "chuyenvien@skhcn.example.vn", "đến hạn ngày 12/03/2031")
        assert "Nộp báo cáo thử nghiệm nhắc việc" in mail["subject"]
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output = process.communicate(timeout=60)[0].decode()
    assert "giamdoc" in output and "demo12345" in output  # the accounts are printed
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of the group is left


@pytest.mark.parametrize(
    ("override", "missing"),
    [
        ("LDCONFIG=/bin/true", "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libmagic1"),
        ("TESSERACT=/bin/false", "tesseract-ocr-vie"),
        ("OCRMYPDF=no-such-ocrmypdf", "ocrmypdf"),
        (None, None),
    ],
)
def test_make_run_stops_with_the_set_up_line_when_a_library_is_missing(override, missing):
    """Without Pango, HarfBuzz's subsetter or the OCR tools `make run` stops before installing
    anything and prints the README's set-up line; with them it goes on."""
    args = ["make", "--no-print-directory", "system"] + ([override] if override else [])
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
    readme_line = re.search(r"^apt-get install .*$", (ROOT / "README.md").read_text(), re.MULTILINE).group(0)
    if missing is None:
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == ""
    else:
        assert done.returncode != 0
        assert f"Thiếu gói hệ thống: {missing}" in done.stdout
        assert readme_line in done.stdout
