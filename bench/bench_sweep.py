"""Time the reminder sweep on a database filled by bench/seed_tasks.py.

Usage:

    DATABASE_URL=postgres://…/portal_sweep DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/bench_sweep.py [--reset] [--tracemalloc] [--profile FILE]

Runs ``tasks.reminders.reminders_sweep`` as the beat would (``whole=False``), and once by hand:
1. at 08:00 Hà Nội on the reference day (the first sweep over a fresh database: every open
   overdue task is caught up at once, so this is the worst case, not a normal morning);
2. again five minutes later: must send nothing, and shows what a sweep costs when nothing is due
   (the beat runs one every five minutes; each rule reads only the tasks changed since its last pass);
3. five minutes later again, after ``--touch`` tasks (1,000 by default) were changed: a busy
   office's five minutes;
4. the same moment as a whole pass (``send_reminders`` by hand reads every task);
5. at 08:00 on the next working day: a normal day's worth (each rule's first pass of the day).

For each it prints the creation phase (``reminders._create``) and the claim-and-send phase
separately: wall time, SQL statements (counted by a ``connection.execute_wrapper``, nothing
kept), reminders created, sent and skipped; and the process's peak RSS so far
(``ru_maxrss``). ``--tracemalloc`` also reports the peak of Python allocations per sweep
(it slows Python down ~2×, so time with it off). ``--profile`` writes a cProfile of the first
sweep. ``--reset`` empties the reminders, notices and deliveries first, so the bench can be
rerun on the same tasks.

E-mail is enqueued, not sent: the broker is forced to ``memory://``, so each delivery's job is
serialised and put on an in-process queue (cost measured) that no worker reads. The queue is
emptied after each sweep; its messages count in the peak RSS of the sweep that made them.
"""

import argparse
import cProfile
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CELERY_BROKER_URL"] = "memory://"  # enqueue cheaply; no worker, nothing sent

import django

django.setup()

from django.db import connection  # noqa: E402

from bench.seed_tasks import REFERENCE  # noqa: E402
from config.celery import app  # noqa: E402
from lib.workdays import VIETNAM_TZ  # noqa: E402
from tasks import reminders  # noqa: E402
from tasks.calendar import calendar_current  # noqa: E402
from tasks.models import Reminder, Task  # noqa: E402


class Counter:
    """Counts SQL statements without keeping them (connection.queries would hold millions)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def purge_queue() -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.queue_purge(app.conf.task_default_queue) or 0


def touch(n: int, seed: int = 7) -> None:
    """Change ``n`` open tasks as people would (their ``updated_at`` moves), spread over the table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed / 100])
        cursor.execute(
            "UPDATE tasks_task SET updated_at = now() WHERE id IN"
            " (SELECT id FROM tasks_task WHERE state IN ('new', 'in_progress', 'returned') ORDER BY random() LIMIT %s)",
            [n],
        )


def sweep(label: str, at: datetime, counter: Counter, *, trace: bool, profile: str | None, whole: bool = False) -> dict:
    phases = {}
    real_create = reminders._create

    def timed_create(*args, **kwargs):
        started, queries = time.perf_counter(), counter.count
        try:
            return real_create(*args, **kwargs)
        finally:
            phases["create_s"] = time.perf_counter() - started
            phases["create_queries"] = counter.count - queries

    reminders._create = timed_create
    before = Reminder.objects.count()
    if trace:
        tracemalloc.reset_peak()
    profiler = cProfile.Profile() if profile else None
    started, queries = time.perf_counter(), counter.count
    try:
        if profiler:
            profiler.enable()
        result = reminders.reminders_sweep(at=at, whole=whole)
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        reminders._create = real_create
    total, total_queries = time.perf_counter() - started, counter.count - queries
    row = {
        "sweep": label,
        "created": Reminder.objects.count() - before,
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "create_s": phases["create_s"],
        "send_s": total - phases["create_s"],
        "total_s": total,
        "create_queries": phases["create_queries"],
        "send_queries": total_queries - phases["create_queries"],
        "peak_rss_mb": rss_mb(),
        "py_peak_mb": tracemalloc.get_traced_memory()[1] / 2**20 if trace else None,
        "queued": purge_queue(),
    }
    print(
        f"{label}: created {row['created']}, sent {row['sent']}, skipped {row['skipped']}, failed {row['failed']}; "
        f"create {row['create_s']:.2f} s / {row['create_queries']} queries, "
        f"send {row['send_s']:.2f} s / {row['send_queries']} queries; "
        f"peak RSS {row['peak_rss_mb']:.0f} MB"
        + (f", Python peak {row['py_peak_mb']:.0f} MB" if trace else "")
        + f"; {row['queued']} e-mail jobs queued",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="empty reminders, notices and deliveries first")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python's allocation peak")
    parser.add_argument("--profile", help="write a cProfile of the first sweep to this file")
    parser.add_argument("--touch", type=int, default=1000, help="tasks changed before the third sweep")
    parser.add_argument("--mail", type=int, default=0, help="then send this many e-mails to a local SMTP server")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_sweep runs on the PostgreSQL database seed_tasks.py filled: set DATABASE_URL")
    if args.reset:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tasks_reminder, units_notificationdelivery, units_notification")
            cursor.execute("VACUUM ANALYZE tasks_reminder")
    if Reminder.objects.exists():
        sys.exit("reminders were already sent on this database: pass --reset")
    with connection.cursor() as cursor:
        # The seed dates tasks around its reference day, which may be after the real today;
        # later passes compare updated_at with the real clock, as they would in service.
        cursor.execute("UPDATE tasks_task SET updated_at = now() - interval '1 day' WHERE updated_at > now()")
        if cursor.rowcount:
            print(f"{cursor.rowcount} tasks changed 'in the future' by the seed moved to yesterday")
            cursor.execute("VACUUM ANALYZE tasks_task")
    tasks = Task.objects.count()
    print(f"{tasks} tasks, {Task.objects.filter(state__in=Task.OPEN_STATES).count()} open; broker memory://")
    next_day = calendar_current().next_working_day(REFERENCE)

    def at(day, minute=0):
        return datetime.combine(day, datetime.min.time().replace(hour=8, minute=minute), tzinfo=VIETNAM_TZ)

    if args.tracemalloc:
        tracemalloc.start()
    counter = Counter()
    purge_queue()
    rows = []
    options = {"trace": args.tracemalloc}
    with connection.execute_wrapper(counter):
        rows.append(sweep("first sweep (catch-up)", at(REFERENCE), counter, profile=args.profile, **options))
        rows.append(sweep("5 min later, nothing changed", at(REFERENCE, 5), counter, profile=None, **options))
        touch(args.touch)
        label = f"5 min later, {args.touch:,} tasks changed"
        rows.append(sweep(label, at(REFERENCE, 10), counter, profile=None, **options))
        rows.append(sweep("same moment, whole pass", at(REFERENCE, 10), counter, profile=None, whole=True, **options))
        rows.append(sweep("next working day", at(next_day), counter, profile=None, **options))
    print()
    print("| sweep | created | sent | skipped | creation | claim + send | queries (create + send) | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['sweep']} | {r['created']:,} | {r['sent']:,} | {r['skipped']:,} | {r['create_s']:.2f} s "
            f"| {r['send_s']:.2f} s | {r['create_queries']:,} + {r['send_queries']:,} | {r['peak_rss_mb']:.0f} MB"
            + (f" (Python {r['py_peak_mb']:.0f} MB)" if args.tracemalloc else "")
            + " |"
        )
    if args.mail:
        send_mail(args.mail)


def send_mail(n: int) -> None:
    """Send ``n`` of the pending e-mail deliveries as the worker does (``deliveries_send`` per chunk)
    to a real SMTP server on this machine (aiosmtpd, discarding), and print the rate."""
    from django.conf import settings

    from notifications.delivery import CHUNK, deliveries_send
    from notifications.models import NotificationDelivery

    port = 8025
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(1.5)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        pending = NotificationDelivery.objects.filter(state=NotificationDelivery.State.PENDING, channel="email")
        ids = list(pending.order_by("pk").values_list("pk", flat=True)[:n])
        started = time.perf_counter()
        for start in range(0, len(ids), CHUNK):
            deliveries_send(ids[start : start + CHUNK])
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    sent = NotificationDelivery.objects.filter(pk__in=ids, state=NotificationDelivery.State.SENT).count()
    print(
        f"\ne-mail: {sent:,} of {len(ids):,} deliveries sent to a local SMTP server in {elapsed:.1f} s "
        f"({sent / elapsed:.0f}/s, {1000 * elapsed / max(sent, 1):.2f} ms each, one connection per {CHUNK})"
    )


if __name__ == "__main__":
    main()
