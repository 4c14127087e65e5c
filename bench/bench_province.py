"""The province view: a live GROUP BY over every task against the summary the view reads.

Usage (against a PostgreSQL database of its own, after ``manage.py migrate``):

    DATABASE_URL=postgres://…/portal_bench_province .venv/bin/python bench/bench_province.py --tasks 200000

Fills the database with about 50 agencies (a unit and a person each) and the given number of
tasks spread over them (a few large agencies, many small), in every state: open with
deadlines around today, finished on time and late (some at the last second of the deadline
day), without a deadline, cancelled. Rows go in with COPY; an existing set of that size is
reused. Then it times, over ``--runs`` runs each: the live count (``province_counts_live``,
one GROUP BY over the tasks), a summary refresh (``task_summary_refresh``) and the province
view's read of the summary (``province_counts``), for this month and this year, and checks
that both give the same figures.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lib.workdays import deadline_end, local_today  # noqa: E402
from reports.province import province_counts, province_counts_live, task_summary_refresh  # noqa: E402
from tasks.models import Task  # noqa: E402
from tasks.periods import period_for  # noqa: E402
from units.models import Agency, Unit, User  # noqa: E402

AGENCIES = 50


@transaction.atomic
def _seed(count: int, rng: random.Random) -> None:
    agencies = [
        Agency(name=f"Cơ quan thử số {i:02d}", abbreviation=f"BENCH{i:02d}", place_name="Bà Rịa - Vũng Tàu")
        for i in range(AGENCIES)
    ]
    Agency.objects.bulk_create(agencies)
    units = Unit.objects.bulk_create(
        [Unit(agency=a, name=f"Văn phòng {a.abbreviation}", abbreviation="VP") for a in agencies]
    )
    people = User.objects.bulk_create(
        [User(username=f"bench.province.{a.pk}", full_name="Người giao việc", agency=a) for a in agencies]
    )
    weights = [1 / (i + 1) for i in range(AGENCIES)]  # a few large agencies, many small
    today = local_today()
    now = timezone.now()
    buffer = io.StringIO()
    for _ in range(count):
        i = rng.choices(range(AGENCIES), weights)[0]
        kind = rng.choices(["open", "on_time", "late", "none", "cancelled"], [35, 35, 12, 13, 5])[0]
        deadline = today + timedelta(days=rng.randint(-400, 90))
        created = datetime.combine(deadline - timedelta(days=rng.randint(1, 60)), datetime.min.time(), UTC)
        state, completed, due = "in_progress", None, deadline_end(deadline)
        if kind == "on_time":
            state, completed = "done", due - timedelta(seconds=rng.choice([0, 3600, 86400 * 3]))
        elif kind == "late":
            state, completed = "done", due + timedelta(seconds=rng.choice([1, 86400, 86400 * 20]))
        elif kind == "cancelled":
            state = "cancelled"
        elif kind == "none":
            deadline = due = None
            state = rng.choice(["in_progress", "done"])
            completed = created + timedelta(days=5) if state == "done" else None
        row = [
            agencies[i].pk, units[i].pk, people[i].pk, "Nhiệm vụ thử", "", "", 2, "", 0, "", state,
            deadline or r"\N", deadline or r"\N", due.isoformat() if due else r"\N",
            completed.isoformat() if completed else r"\N", created.isoformat(), now.isoformat(),
        ]  # fmt: skip
        buffer.write("\t".join(str(v) for v in row) + "\n")
    buffer.seek(0)
    columns = (
        "agency_id, lead_unit_id, created_by_id, title, point, description, priority, reporting_period, "
        "progress, result, state, deadline, original_deadline, due_at, "
        "completed_at, created_at, updated_at"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY tasks_task ({columns}) FROM STDIN", buffer)


def _time(fn, runs: int) -> tuple[float, float, object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…")
    have = Task.objects.count()
    if have < args.tasks:
        start = time.perf_counter()
        _seed(args.tasks - have, random.Random(2026))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tasks_task")
        print(f"seeded {args.tasks - have:,} tasks in {time.perf_counter() - start:.1f} s")
    print(f"{Task.objects.count():,} tasks over {Agency.objects.count()} agencies")
    p50, p95, rows = _time(task_summary_refresh, 5)
    print(f"summary refresh (INSERT … SELECT … GROUP BY): p50 {p50:.0f} ms, p95 {p95:.0f} ms, {rows:,} rows")
    now = timezone.now()
    for kind in ("month", "year"):
        period = period_for(kind, local_today())
        live_p50, live_p95, live = _time(lambda p=period: province_counts_live(period=p, at=now), args.runs)
        sum_p50, sum_p95, summed = _time(lambda p=period: province_counts(period=p, at=now), args.runs)
        same = [(r["agency_id"], r["values"]) for r in live] == [(r["agency_id"], r["values"]) for r in summed]
        received = sum(r["values"]["received"] for r in summed)
        print(
            f"{kind:>5} ({received:,} tasks in the period): live GROUP BY p50 {live_p50:.1f} ms p95 {live_p95:.1f} ms"
            f" | summary p50 {sum_p50:.1f} ms p95 {sum_p95:.1f} ms | same figures: {same}"
        )


if __name__ == "__main__":
    main()
