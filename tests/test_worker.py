"""A real Celery worker on the configured broker (Redis in CI's second run) carries an e-mail
delivery from the database to the mail folder."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from notifications.models import NotificationDelivery
from notifications.services import notification_send

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def worker(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (CI's PostgreSQL + Redis run sets it)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "VAR_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    app.conf.task_always_eager = False
    yield tmp_path
    process.terminate()
    process.wait(timeout=30)


def test_a_worker_on_redis_sends_the_e_mail_once(worker, specialist):
    (notice,) = notification_send(users=[specialist], kind="task_assigned", message="Anh/chị được phân công nhiệm vụ")
    delivery = NotificationDelivery.objects.get(notification=notice, channel="email")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.state == NotificationDelivery.State.SENT:
            break
        time.sleep(0.5)
    assert delivery.state == NotificationDelivery.State.SENT and delivery.attempts == 1
    mail = "".join(p.read_text() for p in (worker / "mail").glob("*.log"))
    assert mail.count("To: dave@example.vn") == 1
