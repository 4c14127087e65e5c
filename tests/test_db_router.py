"""With DATABASE_REPLICA_URL set, the reads of reports and dashboards go to the replica and
everything else (other reads, every write) to default. Without it nothing changes."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.db_router import ReplicaRouter
from lib.replica import replica_reads
from tasks.models import Task

ROOT = Path(__file__).resolve().parent.parent

AS_CONFIGURED = """
import json
from datetime import date
from django.db import connections
from django.utils import timezone
from lib.replica import replica_reads
from reports import dashboards as dashboard
from tasks import periods
from tasks.periods import Period
from tasks.models import Task
from reports.periodic import report_build
from units.models import Agency

now = timezone.now()
everything = Period(date(2000, 1, 1), date(2100, 12, 31))
report = report_build(agency=Agency.objects.get(abbreviation="SKHCN"), period=everything, at=now)
first = Task.objects.order_by("pk").first()
with replica_reads():
    Task.objects.filter(pk=first.pk).update(title="Đã đổi tên")  # a write inside: still to default
    title_on_replica = Task.objects.get(pk=first.pk).title
print(json.dumps({
    "aliases": sorted(connections.settings),
    "tasks": Task.objects.count(),
    "report": report.totals["values"]["received"],
    "dashboard": dashboard.class_counts(Task.objects.all(), at=now)["no_deadline"],
    "title": Task.objects.get(pk=first.pk).title,
    "title_on_replica": title_on_replica,
}))
"""


def test_the_router_sends_reads_to_the_replica_only_inside_replica_reads_and_only_if_configured(settings, monkeypatch):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Task) is None  # no replica configured: default
    monkeypatch.setitem(settings.DATABASES, "replica", {"ENGINE": "django.db.backends.sqlite3", "NAME": "replica"})
    assert router.db_for_read(Task) is None
    with replica_reads():
        assert router.db_for_read(Task) == "replica"
        assert router.db_for_write(Task) is None
    assert router.db_for_read(Task) is None
    assert router.allow_migrate("replica", "tasks") is False and router.allow_migrate("default", "tasks") is None


def snapshot(path: Path) -> None:
    """Copy the test database as it is now into a file (SQLite's online backup)."""
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_a_replica_the_report_and_dashboard_read_it_and_the_rest_reads_default(
    tmp_path, agency, science_unit, director
):
    if connection.vendor != "sqlite":
        pytest.skip("two SQLite files stand for the primary and its replica")

    def give(count: int) -> None:
        for number in range(count):
            Task.objects.create(agency=agency, lead_unit=science_unit, created_by=director, title=f"Việc {number}")

    give(3)
    snapshot(tmp_path / "replica.sqlite3")  # the replica lags: it has not seen the last two tasks
    give(2)
    snapshot(tmp_path / "primary.sqlite3")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update(
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", AS_CONFIGURED],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["aliases"] == ["default", "replica"]
    assert seen["report"] == 3 and seen["dashboard"] == 3  # the replica's tasks
    assert seen["tasks"] == 5  # any other read: the primary's
    assert seen["title"] == "Đã đổi tên" and seen["title_on_replica"] == "Việc 0"  # the write went to default
