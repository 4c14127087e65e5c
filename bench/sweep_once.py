"""One reminder sweep as the beat runs it, then its e-mails sent as the workers would: bench/run's sweep.

Usage (on a database filled by bench/run):

    DATABASE_URL=postgres://…/portal_bench_full DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/sweep_once.py --at 2026-11-25T08:00

Prints one JSON line: ``sweep_seconds`` (``tasks.reminders.reminders_sweep``, a whole pass as each
rule's first pass of a day is: reminders created, claimed, their notices written and their e-mails
queued), ``send_seconds`` (those e-mails sent here and now by ``notifications.delivery.notices_deliver``,
the work the Celery workers share in production), and the counts. The broker is ``memory://``: queuing
costs what serialising the jobs costs, and no worker takes them, so the sending here is all of it.
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CELERY_BROKER_URL"] = "memory://"  # queue cheaply; no worker takes the jobs

import django

django.setup()

from lib.workdays import VIETNAM_TZ  # noqa: E402
from notifications.delivery import notices_deliver  # noqa: E402
from tasks.reminders import reminders_sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", required=True, help="the moment, Hà Nội time, e.g. 2026-11-25T08:00")
    at = datetime.fromisoformat(parser.parse_args().at).replace(tzinfo=VIETNAM_TZ)
    started = time.perf_counter()
    result = reminders_sweep(at=at)
    swept = time.perf_counter()
    deliveries = notices_deliver(notice_ids=result.notices)
    sent = time.perf_counter()
    print(json.dumps({
        "sweep_seconds": round(swept - started, 2),
        "send_seconds": round(sent - swept, 2),
        "queued": result.sent, "skipped": result.skipped, "failed": result.failed + deliveries["failed"],
        "sent": deliveries["sent"], "waiting": deliveries["pending"],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
