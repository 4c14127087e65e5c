"""Time the task start pages and the dashboard through Django's test client on a big database.

    DATABASE_URL=postgres://…/portal_sweep_1m python bench/bench_task_pages.py [--runs 20]

Picks the busiest handler, the head of the busiest unit and a director of the busiest agency,
then reports p50/p95 and the queries of: my tasks, unit tasks, the dashboard (this month and
this year), and the dashboard of a superuser (every agency) when the database has one.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tasks.models import Task  # noqa: E402
from units.models import Membership, User  # noqa: E402
from units.roles import Role  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    handler_id = (
        Task.objects.filter(state__in=Task.OPEN_STATES, handler__isnull=False)
        .values("handler")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]
    )
    handler = User.objects.get(pk=handler_id["handler"])
    busiest_unit = Task.objects.values("lead_unit").annotate(n=Count("pk")).order_by("-n")[0]["lead_unit"]
    head = Membership.objects.filter(unit_id=busiest_unit, is_head=True).select_related("user").first().user
    director = User.objects.filter(agency_id=head.agency_id, groups__name=Role.DIRECTOR).first()
    superuser = User.objects.filter(is_superuser=True).first()
    total = Task.objects.count()
    agency_tasks = Task.objects.filter(agency_id=head.agency_id).count()
    print(f"{total} tasks; the busiest agency has {agency_tasks}; handler {handler.username} "
          f"has {handler_id['n']} open; unit head {head.username}")  # fmt: skip
    print("| page | persona | queries | p50 ms | p95 ms |\n| --- | --- | --- | --- | --- |")
    for label, user, url in [
        ("my tasks", handler, "/tasks/"),
        ("unit tasks", head, "/tasks/unit/"),
        ("dashboard, this month", director, "/tasks/dashboard/"),
        ("dashboard, this year", director, "/tasks/dashboard/?period=year"),
        ("dashboard, this month, every agency", superuser, "/tasks/dashboard/"),
        ("dashboard, this year, every agency", superuser, "/tasks/dashboard/?period=year"),
    ]:
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        p50, p95, queries = measure(client, url, args.runs)
        print(f"| {label} | {user.username} | {queries} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
