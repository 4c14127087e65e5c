"""Fill a migrated PostgreSQL database with a province's tasks, for the reminder sweep's bench.

Usage (against a database of its own, after ``manage.py migrate`` and ``load_holidays``):

    DATABASE_URL=postgres://…/portal_sweep DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/seed_tasks.py --tasks 1000000

People come from ``seed_documents.seed_people`` (about 50 agencies, 400 units, 10,000 people)
unless the database already holds them (``seed_documents.py`` ran first), in which case the
tasks are given to those. Deadlines are working days spread over ±90 days around a fixed
reference day (``REFERENCE``, a Tuesday), ``due_at`` is ``lib.workdays.deadline_end`` as
``tasks.services`` sets it. States follow the deadline: most tasks due later are open, most
tasks due earlier are done, and a share of those are overdue, submitted or returned. Handlers
are set on most tasks (an unassigned one reminds its unit's head), some have supporters, most a
supervising leader; a few are standing duties with a monthly report due. Each task has its
"created" event, each returned one its "returned" event. Rows go in with COPY, not through the
services. Seeded: the same arguments give the same rows.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.seed_documents import (  # noqa: E402
    ACTIONS,
    DISTRICTS,
    SCOPES,
    TOPICS,
    Copier,
    next_id,
    reset_sequences,
    seed_people,
)
from lib.text import fold  # noqa: E402
from lib.workdays import deadline_end  # noqa: E402
from tasks.calendar import calendar_current  # noqa: E402
from tasks.models import Holiday, ReminderRule, Task  # noqa: E402
from units.models import Agency, Membership, Unit, User  # noqa: E402
from units.roles import Role  # noqa: E402

REFERENCE = date(2026, 11, 24)  # a Tuesday, a working day; the bench sweeps at 08:00 that day
SPREAD = 90  # calendar days either side
St = Task.State
# (state, weight) by whether the deadline is still ahead on the reference day
STATES_AHEAD = [(St.NEW, 30), (St.IN_PROGRESS, 55), (St.SUBMITTED, 7), (St.RETURNED, 3), (St.DONE, 5)]
STATES_PAST = [
    (St.DONE, 75), (St.CANCELLED, 3), (St.SUBMITTED, 4), (St.RETURNED, 3), (St.IN_PROGRESS, 10), (St.NEW, 5)
]  # fmt: skip


class Directory:
    """Agencies, units and people read back from a database seeded earlier."""

    def __init__(self) -> None:
        self.agencies = list(Agency.objects.order_by("pk"))
        self.units_of = {a.pk: [] for a in self.agencies}
        for unit in Unit.objects.order_by("pk"):
            self.units_of[unit.agency_id].append(unit)
        self.members = {u.pk: [] for units in self.units_of.values() for u in units}
        self.heads = {}
        for user_id, unit_id, is_head in Membership.objects.order_by("pk").values_list("user_id", "unit_id", "is_head"):
            self.members[unit_id].append(user_id)
            if is_head:
                self.heads[unit_id] = user_id
        self.leaders = {a.pk: [] for a in self.agencies}
        leaders = User.objects.filter(groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR]).order_by("pk")
        for user_id, agency_id in leaders.values_list("pk", "agency_id").distinct():
            self.leaders[agency_id].append(user_id)
        self.weights = [1 / (i + 1) ** 0.5 for i in range(len(self.agencies))]


def working_days_around(day: date) -> list[date]:
    calendar = calendar_current()
    span = (day + timedelta(days=d) for d in range(-SPREAD, SPREAD + 1))
    return [d for d in span if calendar.is_working_day(d)]


def month_end_report_due(day: date) -> tuple[date, date, date]:
    """(period start, period end, due on) of the monthly period holding ``day``, as services schedule it."""
    calendar = calendar_current()
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    due = end if calendar.is_working_day(end) else calendar.previous_working_day(end)
    return start, end, due


def seed(*, tasks: int, people: int, agencies: int, rng: random.Random) -> None:
    started = time.perf_counter()
    directory = Directory() if Agency.objects.exists() else seed_people(people=people, agencies=agencies, rng=rng)
    units_of, members, heads, leaders = directory.units_of, directory.members, directory.heads, directory.leaders
    days = working_days_around(REFERENCE)
    standing_period = month_end_report_due(REFERENCE)

    task_copy = Copier(
        "tasks_task",
        ["id", "agency_id", "point", "title", "description", "lead_unit_id", "supervisor_id", "created_by_id",
         "handler_id", "priority", "state", "deadline", "original_deadline", "due_at", "reporting_period",
         "progress", "result", "completed_at", "submitted_at", "created_at", "updated_at", "search_text"],
    )  # fmt: skip
    supporter_copy = Copier("tasks_task_supporters", ["task_id", "user_id"])
    cooperating_copy = Copier("tasks_task_cooperating_units", ["task_id", "unit_id"])
    event_copy = Copier("tasks_taskevent", ["task_id", "actor_id", "action", "comment", "data", "at"])
    due_copy = Copier("tasks_duereport", ["task_id", "period_start", "period_end", "due_on"])
    task_id = next_id("tasks_task")
    ahead_names, ahead_weights = zip(*STATES_AHEAD, strict=True)
    past_names, past_weights = zip(*STATES_PAST, strict=True)
    for agency in rng.choices(directory.agencies, weights=directory.weights, k=tasks):
        unit = rng.choice(units_of[agency.pk])
        staff = [u for u in members[unit.pk] if u != heads.get(unit.pk)] or members[unit.pk]
        giver = rng.choice(leaders[agency.pk]) if leaders[agency.pk] else heads[unit.pk]
        supervisor = rng.choice(leaders[agency.pk]) if leaders[agency.pk] and rng.random() < 0.8 else None
        handler = rng.choice(staff) if staff and rng.random() < 0.92 else None
        title = f"{rng.choice(ACTIONS).capitalize()} {rng.choice(TOPICS)} {rng.choice(SCOPES)}".strip()
        title = title.format(district=rng.choice(DISTRICTS))
        standing = rng.random() < 0.01
        if standing:
            deadline, period = None, "monthly"
            state = rng.choices([St.NEW, St.IN_PROGRESS], weights=[1, 4])[0]
            created = datetime(2026, 1, 5, 1, 0, tzinfo=UTC) + timedelta(minutes=rng.randrange(200_000))
        else:
            deadline, period = rng.choice(days), ""
            if deadline >= REFERENCE:
                state = rng.choices(ahead_names, weights=ahead_weights)[0]
            else:
                state = rng.choices(past_names, weights=past_weights)[0]
            created = datetime.combine(deadline, datetime.min.time(), tzinfo=UTC) - timedelta(
                days=rng.randint(10, 60), minutes=rng.randrange(600)
            )
        due_at = deadline_end(deadline) if deadline else None
        progress = {St.NEW: 0, St.IN_PROGRESS: rng.randrange(10, 90, 10), St.SUBMITTED: 100, St.RETURNED: 80}
        submitted = completed = None
        if state in (St.SUBMITTED, St.RETURNED, St.DONE):
            submitted = created + timedelta(days=rng.randint(3, 40))
        if state == St.DONE:
            completed = submitted + timedelta(days=rng.randint(0, 3))
        if state == St.CANCELLED:
            handler = None
        point = f"{rng.randint(1, 9)}.{rng.randint(1, 12)}"
        task_copy.add(
            task_id, agency.pk, point, title, "", unit.pk, supervisor, giver,
            handler, rng.choices([1, 2, 3, 4], weights=[10, 70, 15, 5])[0], state, deadline, deadline, due_at,
            period, progress.get(state, 100), "", completed, submitted, created, completed or submitted or created,
            fold(f"{point} {title} {unit.name}"),  # as Task.search_text_for (no description here)
        )  # fmt: skip
        event_copy.add(task_id, giver, "created", "", "{}", created)
        if state == St.RETURNED:
            event_copy.add(task_id, supervisor or giver, "returned", "Bổ sung số liệu", "{}", submitted)
        if handler and len(staff) > 2 and rng.random() < 0.3:
            for supporter in rng.sample([s for s in staff if s != handler], rng.randint(1, 2)):
                supporter_copy.add(task_id, supporter)
        if rng.random() < 0.2:
            cooperating_copy.add(task_id, rng.choice([u for u in units_of[agency.pk] if u.pk != unit.pk]).pk)
        if standing:
            due_copy.add(task_id, *standing_period)
        task_id += 1
        if task_copy.count % 100_000 == 0:
            print(f"  {task_copy.count} tasks, {time.perf_counter() - started:.0f} s", flush=True)
    for copier in (task_copy, supporter_copy, cooperating_copy, event_copy, due_copy):
        copier.flush()
    reset_sequences(
        ["tasks_task", "tasks_task_supporters", "tasks_task_cooperating_units", "tasks_taskevent", "tasks_duereport"]
    )
    print(
        f"{task_copy.count} tasks, {supporter_copy.count} supporters, {cooperating_copy.count} cooperating units, "
        f"{event_copy.count} events, {due_copy.count} due reports in {time.perf_counter() - started:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("seed_tasks needs PostgreSQL (COPY): set DATABASE_URL")
    if Task.objects.exists():
        sys.exit("the database already holds tasks: seed an empty, migrated one")
    if not Holiday.objects.filter(date__year__in=[REFERENCE.year, REFERENCE.year + 1]).exists():
        sys.exit(f"load the holidays first: manage.py load_holidays {REFERENCE.year} {REFERENCE.year + 1}")
    if not ReminderRule.objects.exists():
        sys.exit("no reminder rules: run manage.py migrate (it creates the default rules)")
    with transaction.atomic():
        seed(tasks=args.tasks, people=args.people, agencies=args.agencies, rng=random.Random(args.seed))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
