"""Time the director's dashboard on a seeded PostgreSQL database (DESIGN §5: ≤ 30 ms p95).

Usage (after bench/seed_tasks.py, or bench/seed_dashboard.py, filled the database):

    DATABASE_URL=postgres://…/portal_bench_dashboard .venv/bin/python bench/bench_dashboard.py [--runs 30]

For the demo director (giamdoc), warm, N runs each: the dashboard page through Django's test
Client for several periods and scopes, with its number of SQL queries; the floor: the same SQL
statements replayed raw through connection.cursor(); and each aggregate of tasks.dashboard
alone. Prints a Markdown table (p50 / p95 in ms).
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from lib.workdays import local_now, local_today  # noqa: E402
from reports import dashboards as dashboard  # noqa: E402
from tasks import periods  # noqa: E402
from tasks.models import Task  # noqa: E402
from units.models import User  # noqa: E402

PAGES = {
    "this month, agency": "",
    "this year, agency": "period=year",
    "this year, supervised": "period=year&scope=supervised",
}


def timed(function, runs: int) -> tuple[float, float]:
    for _ in range(3):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    director = User.objects.get(username="giamdoc")
    client = Client()
    client.force_login(director)
    print(f"{Task.objects.count()} tasks on {connection.vendor}\n")
    print("| what | queries | p50 ms | p95 ms | floor p50 | floor p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, query in PAGES.items():
        url = f"/tasks/dashboard/?{query}"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        statements = [q["sql"] for q in captured.captured_queries]

        def replay(statements=statements):
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()

        page = timed(lambda url=url: client.get(url), args.runs)
        floor = timed(replay, args.runs)
        print(f"| page: {name} | {len(statements)} | {page[0]:.1f} | {page[1]:.1f} | {floor[0]:.1f} | {floor[1]:.1f} |")
    at, today = local_now(), local_today()
    for kind in ("month", "year"):
        tasks = periods.in_period(periods.scoped(director), periods.period_for(kind, today))
        for label, function in {
            "class_counts": lambda tasks=tasks: dashboard.class_counts(tasks, at=at),
            "by_unit": lambda tasks=tasks: dashboard.by_unit(tasks, at=at),
            "trend": lambda tasks=tasks, kind=kind: dashboard.trend(
                tasks, at=at, by="week" if kind == "month" else "month"
            ),
            "most_overdue": lambda: dashboard.most_overdue(periods.scoped(director), at=at),
        }.items():
            p50, p95 = timed(function, args.runs)
            print(f"| {label} ({kind}) | 1 | {p50:.1f} | {p95:.1f} | | |")


if __name__ == "__main__":
    main()
