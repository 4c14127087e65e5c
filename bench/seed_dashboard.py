"""Fill a database with tasks for bench/bench_dashboard.py (until bench/seed_tasks.py exists).

Usage: DATABASE_URL=postgres://…/portal_bench_dashboard .venv/bin/python bench/seed_dashboard.py [--tasks 100000]

Runs migrate, loads the demo people (units/demo.py), then bulk-inserts tasks of the demo agency
spread over two years of deadlines, in every state, ~5 % without a deadline.
"""

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from lib.workdays import deadline_end, local_today  # noqa: E402
from tasks.models import Task  # noqa: E402
from units.demo import seed_people  # noqa: E402
from units.models import Membership, Unit, User  # noqa: E402

T = Task.State


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    agency = seed_people()
    director = User.objects.get(username="giamdoc")
    units = list(Unit.objects.filter(agency=agency))
    staff = {u.pk: list(User.objects.filter(memberships__unit=u)) for u in units}
    heads = {m.unit_id: m.user for m in Membership.objects.filter(unit__in=units, is_head=True)}
    rng, today = random.Random(1), local_today()
    batch = []
    for index in range(args.tasks):
        unit = rng.choice(units)
        deadline = None if rng.random() < 0.05 else today + timedelta(days=rng.randint(-540, 180))
        state = rng.choices([T.NEW, T.IN_PROGRESS, T.SUBMITTED, T.RETURNED, T.DONE, T.CANCELLED],
                            [8, 25, 5, 2, 57, 3])[0]  # fmt: skip
        if deadline and deadline > today and state == T.DONE and rng.random() < 0.5:
            state = T.IN_PROGRESS
        due_at = deadline_end(deadline) if deadline else None
        completed = None
        if state == T.DONE:
            base = due_at or deadline_end(today - timedelta(days=rng.randint(0, 300)))
            completed = min(base + timedelta(days=rng.randint(-20, 6)), deadline_end(today) - timedelta(days=1))
        people = staff.get(unit.pk) or [heads.get(unit.pk) or director]
        task = Task(
                agency=agency,
                title=f"Nhiệm vụ thử tải {index}",
                lead_unit=unit,
                created_by=director,
                supervisor=director,
                handler=None if state == T.NEW else rng.choice(people),
                state=state,
                deadline=deadline,
                original_deadline=deadline,
                due_at=due_at,
                completed_at=completed,
                progress=100 if state == T.DONE else rng.randint(0, 90),
            )  # fmt: skip
        task.search_text = task.search_text_for()  # bulk_create does not call save()
        batch.append(task)
        if len(batch) == 5000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)
    print(f"{Task.objects.filter(agency=agency).count()} tasks in {agency.name}")


if __name__ == "__main__":
    main()
