"""Issue N approved documents from N concurrent clerks on PostgreSQL; report latency and numbering.

Run against a scratch database (it is filled with the demo department):

    createdb -h 127.0.0.1 -U postgres portal_issue_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_issue_bench
    python manage.py migrate -v0 && python manage.py seed_demo
    python bench/bench_issue.py --clerks 50
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from config.celery import app  # noqa: E402
from directives import services  # noqa: E402
from directives.models import Document, DocumentType  # noqa: E402
from units.models import Unit, User  # noqa: E402


def approved(count: int) -> list[Document]:
    people = {u.username: u for u in User.objects.filter(username__in=["chuyenvien", "truongphong", "giamdoc"])}
    notice = DocumentType.objects.get(abbreviation="TB")
    unit = Unit.objects.get(abbreviation="QLKH")
    documents = []
    for n in range(count):
        document = services.document_create(
            by=people["chuyenvien"], doc_type=notice, subject=f"Văn bản đo thời gian phát hành số {n}",
            signer=people["giamdoc"], recipient_units=[unit],
        )  # fmt: skip
        services.document_submit(document=document, by=people["chuyenvien"])
        services.document_forward(document=document, by=people["truongphong"])
        services.document_approve(document=document, by=people["giamdoc"])
        documents.append(document)
    return documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clerks", type=int, default=50)
    args = parser.parse_args()
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"  # enqueue the PDF jobs without rendering them here
    clerk = User.objects.get(username="vanthu")
    documents = approved(args.clerks)
    barrier = threading.Barrier(args.clerks)
    latencies, errors = [], []

    def issue(document: Document) -> None:
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            services.document_issue(document=document, by=clerk)
            latencies.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # collected and reported
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in documents]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - wall) * 1000
    numbers = sorted(Document.objects.filter(pk__in=[d.pk for d in documents]).values_list("number", flat=True))
    consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else False
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"clerks: {args.clerks}  errors: {len(errors)}  numbers {numbers[0]}..{numbers[-1]} consecutive: {consecutive}"
    )
    print(f"issue latency ms  p50 {statistics.median(latencies):.1f}  p95 {p95:.1f}  max {latencies[-1]:.1f}")
    print(f"wall for all {args.clerks}: {wall:.0f} ms ({args.clerks / wall * 1000:.0f} issues/s)")
    for error in errors[:5]:
        print("error:", error)
    floor(args.clerks, clerk.agency)


def floor(clerks: int, agency) -> None:
    """The same concurrency on a bare counter: lock, increment, commit, nothing else."""
    from django.db import transaction

    from directives.numbering import number_next

    barrier, latencies = threading.Barrier(clerks), []

    def take() -> None:
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            with transaction.atomic():
                number_next(agency=agency, direction="bench", year=2099, series="")
            latencies.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(clerks)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - wall) * 1000
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"floor (bare counter) ms  p50 {statistics.median(latencies):.1f}  p95 {p95:.1f}  "
          f"wall {wall:.0f} ms ({clerks / wall * 1000:.0f}/s)")  # fmt: skip


if __name__ == "__main__":
    main()
