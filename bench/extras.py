"""bench/run's parts beyond the pages: rights, issuing with 50 clerks at once, the PDF, the reminder sweep.

Each is called by bench/harness.py's ``main`` after the pages are measured (so that none disturbs
them); the pure helpers (``check_consecutive``, ``rights_ratio``, ``parse_pdf_bench``) are unit-tested
in tests/bench/test_harness.py.
"""

import json
import re
import subprocess  # nosec B404 - runs this checkout's own manage.py and bench/bench_pdf.py
import sys
import threading
import time
from datetime import date

import requests

# The same list for a person with wide rights and for one without special rights (DESIGN: "a person
# without special rights waits no longer than an administrator for the same list"): the clerk sees
# every document of the agency that is issued or incoming, the specialist only those they are involved
# in; the director sees every task of the agency, the specialist only theirs.
RIGHTS = [
    ("document list", "/directives/outgoing/", "bench.vanthu", "bench.chuyenvien"),
    ("search, rare word", "/directives/search/?q=cach+ly", "bench.vanthu", "bench.chuyenvien"),
    ("search, common word", "/directives/search/?q=kiem+tra", "bench.vanthu", "bench.chuyenvien"),
    ("all tasks", "/tasks/all/", "bench.giamdoc", "bench.chuyenvien"),
]
ISSUERS = 50
CLERK = "bench.vanthu"
FIRST_SWEEP_DAY = date(2026, 11, 24)  # harness.SWEEP_AT's day: the fill's catch-up sweep


def next_sweep_at() -> str:
    """08:00 of the working day after the last one the rules were swept on (the fill's catch-up, or an
    earlier run's normal day): a normal morning, whose reminders were never sent. Needs ``django.setup()``."""
    from tasks.calendar import calendar_current
    from tasks.models import ReminderRule

    last = max((day for day in ReminderRule.objects.values_list("swept_on", flat=True) if day), default=None)
    return f"{calendar_current().add_working_days(last or FIRST_SWEEP_DAY, 1).isoformat()}T08:00"


def rights_ratio(result: dict) -> float | None:
    """Narrow ÷ wide at p95: above 1 means the person without special rights waits longer."""
    wide, narrow = result.get("wide", {}).get("p95"), result.get("narrow", {}).get("p95")
    return round(narrow / wide, 2) if wide and narrow else None


def measure_rights(base: str, sessions: dict, runs: int, measure_interleaved) -> dict:
    """Each RIGHTS list for its wide and its narrow person, interleaved request by request."""
    results = {}
    for name, url, wide, narrow in RIGHTS:
        result = measure_interleaved(base, {"wide": (url, wide), "narrow": (url, narrow)}, sessions, runs)
        result |= {"wide_persona": wide, "narrow_persona": narrow, "narrow_over_wide": rights_ratio(result)}
        results[name] = result
    return results


# --- Issuing --------------------------------------------------------------------------------------


def check_consecutive(numbers: list[int | None]) -> list[str]:
    """Problems with the numbers a batch of issues got in one register: none missing, no duplicate, no gap."""
    problems = []
    if any(n is None for n in numbers):
        problems.append(f"{sum(n is None for n in numbers)} of {len(numbers)} documents got no number")
    given = sorted(n for n in numbers if n is not None)
    duplicates = sorted({n for n in given if given.count(n) > 1})
    if duplicates:
        problems.append(f"numbers given twice: {duplicates}")
    if given:
        missing = sorted(set(range(given[0], given[-1] + 1)) - set(given))
        if missing:
            problems.append(f"gaps in the numbers {given[0]}..{given[-1]}: {missing}")
    return problems


def approved_drafts(count: int) -> list[int]:
    """``count`` drafts of the personas' agency, submitted, forwarded and signed through the services (as
    the tests do), waiting for the clerk to issue them; their ids. Needs ``django.setup()`` done."""
    from directives import services
    from directives.models import DocumentType
    from units.models import Membership, User

    people = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    author, head, director = people["bench.chuyenvien"], people["bench.truongphong"], people["bench.giamdoc"]
    notice = DocumentType.objects.filter(abbreviation="TB").first() or DocumentType.objects.first()
    unit = Membership.objects.filter(user=head, is_head=True).select_related("unit").first().unit
    ids = []
    for n in range(count):
        document = services.document_create(
            by=author, doc_type=notice, subject=f"Văn bản đo thời gian phát hành đồng thời số {n + 1}",
            body="<p>Nội dung văn bản đo thời gian phát hành.</p>", signer=director, recipient_units=[unit],
        )  # fmt: skip
        services.document_submit(document=document, by=author, to=head)
        services.document_forward(document=document, by=head, to=director)
        services.document_approve(document=document, by=director)
        ids.append(document.pk)
    return ids


def issue_concurrently(base: str, session: requests.Session, ids: list[int], csrf_field) -> dict:
    """Every document issued at once, one thread each, through the clerk's form (POST …/act/issue/)."""
    page = session.get(f"{base}/directives/{ids[0]}/", timeout=60)
    token = csrf_field.search(page.text)
    if not token:
        sys.exit(f"no CSRF token on the document page ({page.status_code})")
    barrier = threading.Barrier(len(ids))
    results: dict[int, tuple[float, int]] = {}

    def issue(pk: int) -> None:
        client = requests.Session()
        client.cookies.update(session.cookies)
        url = f"{base}/directives/{pk}/act/issue/"
        barrier.wait(timeout=120)
        started = time.perf_counter()
        response = client.post(
            url, data={"csrfmiddlewaretoken": token.group(1)}, headers={"Referer": url}, allow_redirects=False,
            timeout=300,
        )  # fmt: skip
        results[pk] = ((time.perf_counter() - started) * 1000, response.status_code)

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in ids]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"wall_ms": round((time.perf_counter() - wall) * 1000), "results": results}


def issued_numbers(ids: list[int]) -> tuple[list[int | None], list[tuple]]:
    """The numbers the documents got, and the registers (agency, year, series) they were taken from."""
    from directives.models import Document

    rows = list(Document.objects.filter(pk__in=ids).values_list("number", "agency_id", "year", "series"))
    return [number for number, *_ in rows], sorted({tuple(register) for _n, *register in rows})


# --- Commands timed in their own process ----------------------------------------------------------


def sweep(python: str, root, env: dict, at: str) -> dict:
    """One sweep of ``at`` as the beat runs it, then its e-mails sent (bench/sweep_once.py): the seconds of
    each, the whole process's seconds, and the counts (queued, skipped, failed, sent, waiting)."""
    started = time.perf_counter()
    done = subprocess.run(  # nosec B603
        [python, "bench/sweep_once.py", "--at", at], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    seconds = round(time.perf_counter() - started, 1)
    lines = done.stdout.strip().splitlines()
    counts = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
    return {"at": at, "seconds": seconds, "exit": done.returncode, "counts": counts,
            "stderr": done.stderr[-2000:] if done.returncode else ""}  # fmt: skip


PDF_LINE = re.compile(r"^(render_pdf|bare WeasyPrint).*?median\s+([\d.]+) ms\s+p95\s+([\d.]+) ms\s+\(n=(\d+)\)", re.M)


def parse_pdf_bench(output: str) -> dict:
    """bench/bench_pdf.py's two summary lines as {"official": {...}, "bare": {...}} (median, p95 in ms, n)."""
    found = {}
    for name, median, p95, n in PDF_LINE.findall(output):
        found["official" if name == "render_pdf" else "bare"] = {
            "median": float(median),
            "p95": float(p95),
            "n": int(n),
        }
    pages = re.search(r"^document: (\d+) pages", output, re.M)
    return found | {"pages": int(pages.group(1)) if pages else None}


def pdf(python: str, root, env: dict, runs: int) -> dict:
    """bench/bench_pdf.py in its own process: the 2-page official PDF beside the bare WeasyPrint render."""
    done = subprocess.run(  # nosec B603
        [python, "bench/bench_pdf.py", str(runs)], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    return parse_pdf_bench(done.stdout) | {"exit": done.returncode, "runs": runs}
