"""Fault tests: nothing is lost when the broker, a worker or a database connection fails.

On PostgreSQL, with a Redis each test starts itself on a free port (stopped by its own process
id; the shared Redis is never touched) and a real Celery worker subprocess. Recovery is driven
by calling the recovery job (what beat runs every minute) instead of waiting for beat, and
minutes are never slept: after the broker outage the waiting rows are aged by the outage (two
minutes) before the job runs; after the worker is killed the job is called at a clock moved
on, once within the claim's minute (nothing taken back) and once two minutes on (taken back).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from directives import numbering, services
from directives.models import Document, IssuedPdf
from lib.workdays import VIETNAM_TZ
from notifications.models import Notification, NotificationDelivery
from notifications.services import notification_send
from ops.background import CLAIM_TTL, work_recover
from tasks.models import Reminder
from tasks.reminders import reminder_rules_ensure, reminders_sweep
from units.models import User

ROOT = Path(__file__).resolve().parent.parent
State = NotificationDelivery.State

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout} s: {what}")


class Redis:
    """A redis-server of this test's own, on a free port; stopped and started by its process id."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, timeout=20, what="redis-server starts")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def reset_publisher() -> None:
    """Celery keeps the app's connection pool: forget it so the next publish uses the broker set
    now (kombu keeps one pool per broker URL, so the previous one is found again afterwards)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis(settings, monkeypatch):
    server = Redis()
    server.start()
    real = app.conf.broker_url
    settings.CELERY_BROKER_URL = app.conf.broker_url = server.url
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)  # Celery reads it before its configuration
    reset_publisher()
    app.conf.task_always_eager = False
    yield server
    server.stop()
    monkeypatch.undo()
    app.conf.broker_url = real
    reset_publisher()


@pytest.fixture
def start_worker(redis, tmp_path):
    """Start real workers on the test's Redis and database; each is killed at the end if still alive."""
    db = connection.settings_dict
    processes = []

    def start(**env_extra) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": redis.url,
            "VAR_DIR": str(tmp_path),  # its files (mail, media) land where this test reads them
            "SECRET_KEY": settings.SECRET_KEY,
            "PYTHONUNBUFFERED": "1",
            **env_extra,
        }
        env.pop("EMAIL_URL", None) if "EMAIL_URL" not in env_extra else None
        log = (tmp_path / f"worker-{len(processes)}.log").open("w")  # shown by pytest when a test fails
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    for log in sorted(tmp_path.glob("worker-*.log")):
        sys.stdout.write(f"{log.name}:\n{log.read_text()[-3000:]}\n")


def mails(folder: Path) -> str:
    return "".join(p.read_text() for p in folder.glob("*.log")) if folder.exists() else ""


def all_done() -> bool:
    return (
        not NotificationDelivery.objects.filter(state__in=[State.PENDING, State.SENDING]).exists()
        and not IssuedPdf.objects.exclude(state=IssuedPdf.State.READY).exists()
    )


def as_api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_with_the_broker_down_every_request_succeeds_and_all_work_is_done_once_after(
    start_worker, redis, tmp_path, client, make_approved, clerk, director, unit_head, specialist, science_unit
):
    reminder_rules_ensure()
    start_worker()
    document = make_approved()
    wait_until(all_done, what="the drafting notices are sent while the broker is up")

    redis.stop()  # --- the broker is down ---
    started = time.monotonic()
    issued = as_api(clerk).post(f"/api/v1/directives/{document.pk}/issue", {}, format="json")
    deadline = date(2031, 3, 12)  # a Wednesday
    created = as_api(director).post(
        "/api/v1/tasks", {"title": "Báo cáo chuyển đổi số", "lead_unit": science_unit.pk, "deadline": str(deadline)},
        format="json",
    )  # fmt: skip
    assigned = as_api(unit_head).post(
        f"/api/v1/tasks/{created.json()['id']}/assign", {"handler": specialist.pk}, format="json"
    )
    swept = reminders_sweep(at=datetime(2031, 3, 12, 8, 0, tzinfo=VIETNAM_TZ))  # the beat's sweep, run in place
    assert (issued.status_code, created.status_code, assigned.status_code) == (200, 201, 200)
    assert swept.sent == 1 and swept.failed == 0 and Reminder.objects.get().notification_id
    assert time.monotonic() - started < 30  # a wake-up gives up fast
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["broker"] == "down"
    waiting = NotificationDelivery.objects.filter(state=State.PENDING).count()
    assert waiting >= 4  # document received, task received, task assigned, the reminder
    assert IssuedPdf.objects.get(document=document).state == IssuedPdf.State.PENDING

    redis.start()  # --- the broker is back (empty: it kept nothing) ---
    # What happened meanwhile is due since before the grace the recovery job leaves a wake-up:
    # age it by the outage rather than waiting a minute.
    outage = timezone.now() - timedelta(minutes=2)
    NotificationDelivery.objects.filter(state=State.PENDING).update(due_at=outage)
    IssuedPdf.objects.filter(state=IssuedPdf.State.PENDING).update(due_at=outage)

    def recovered() -> bool:
        work_recover()  # beat's every-minute job; repeating it must not double anything
        return all_done()

    wait_until(recovered, timeout=90, what="the recovery job and the worker catch up")
    assert IssuedPdf.objects.get(document=document).file.read().startswith(b"%PDF")
    sent = NotificationDelivery.objects.filter(state=State.SENT)
    assert sent.count() == Notification.objects.count() and sent.filter(attempts=1).count() == sent.count()
    assert mails(tmp_path / "mail").count("Message-ID:") == sent.count()  # each e-mail once
    assert client.get("/healthz").status_code == 200


class SlowSmtp:
    """An SMTP server that takes its time over each message, so a worker can be killed mid-job."""

    def __init__(self) -> None:
        self.to: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.4)
        self.to.append(envelope.rcpt_tos[0])
        return "250 OK"


@pytest.fixture
def slow_smtp():
    handler = SlowSmtp()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_a_worker_killed_mid_job_is_recovered_within_two_minutes_without_loss(start_worker, slow_smtp, agency):
    smtp, port = slow_smtp
    worker = start_worker(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    people = [User.objects.create(username=f"nguoi{i}", agency=agency, email=f"nguoi{i}@example.vn") for i in range(8)]
    notification_send(users=people, kind="task_assigned", message="Anh/chị được phân công nhiệm vụ")
    wait_until(lambda: len(smtp.to) >= 2, what="the worker is mid-job")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    killed_at = timezone.now()
    states = set(NotificationDelivery.objects.values_list("state", flat=True))
    assert State.SENDING in states  # the rest of the job is claimed by the dead worker

    start_worker(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    assert work_recover(now=killed_at + CLAIM_TTL / 2)["deliveries"] == 0  # a live claim is left alone
    assert work_recover(now=killed_at + timedelta(minutes=2))["deliveries"] > 0  # two minutes on: taken back
    wait_until(all_done, what="the new worker sends the rest")
    assert set(NotificationDelivery.objects.values_list("state", flat=True)) == {State.SENT}
    assert sorted(set(smtp.to)) == sorted(p.email for p in people)  # nobody missed
    assert len(smtp.to) - len(people) <= 1  # at most the one e-mail in flight went twice


def test_a_database_connection_killed_mid_issue_leaves_no_number_gap(make_approved, clerk, monkeypatch):
    first, second, third = make_approved(), make_approved(), make_approved()
    services.document_issue(document=first, by=clerk)
    real_number_next = numbering.number_next

    def killed_after_taking_a_number(**kwargs):
        number = real_number_next(**kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            killer.close()
        return number

    monkeypatch.setattr(numbering, "number_next", killed_after_taking_a_number)
    with pytest.raises((OperationalError, InterfaceError)):
        services.document_issue(document=second, by=clerk)
    connection.close()
    monkeypatch.undo()
    assert not Document.objects.get(pk=second.pk).is_issued
    services.document_issue(document=Document.objects.get(pk=second.pk), by=clerk)
    services.document_issue(document=third, by=clerk)
    numbers = list(Document.objects.filter(number__isnull=False).order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
