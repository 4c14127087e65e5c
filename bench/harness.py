"""bench/run: every page of issue #19 over HTTP, as a person gets it (bench/README.md).

Fills a PostgreSQL database with the seeds of bench/, starts gunicorn as in production (2 sync
workers, deploy/gunicorn.conf.py), signs in through the login form and times each page for one
client (and for 10 concurrent clients when asked), with the SQL queries each page made read from
the ``X-Query-Count`` header (lib/querycount.py, on only in this run). Prints a Markdown table,
writes JSON, and with ``--quick`` fails when a page is not 200 or makes more queries than
bench/budgets.json allows.

Nothing here imports Django before the database is filled: the seeds and gunicorn run as their own
processes; this one calls ``django.setup()`` only to prepare the personas and read the settings.
"""

import argparse
import json
import math
import os
import re
import secrets
import shlex
import socket
import subprocess  # nosec B404 - runs this checkout's own manage.py, seeds and gunicorn
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

from bench import extras

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUDGETS = ROOT / "bench" / "budgets.json"
DESIGN_MAX_QUERIES = 15  # docs DESIGN §5: every page at most 15 queries
PASSWORD = "Bench-" + "sign-in-2026"  # the bench personas' password, set on the bench database only
PROVINCE_ADMIN = "bench.tinh"
RARE, COMMON = "cach ly", "kiem tra"  # as bench/bench_documents.py
SWEEP_AT = "2026-11-24T08:00"  # seed_tasks.REFERENCE at 08:00: the reminder sweep fills the send log

# The full size of issue #19; a fraction scales documents and tasks, not the agencies or the people.
FULL = {"documents": 200_000, "tasks": 1_000_000, "people": 10_000, "agencies": 50}
# The smallest size where every page has rows: five agencies, the personas in the largest one.
QUICK = {"documents": 1_000, "tasks": 5_000, "people": 500, "agencies": 5}
NAMED_SIZES = {"quick": None, "small": 0.1, "full": 1.0}
EXTRAS = ["rights", "issuing", "pdf", "sweep"]  # measured after the pages (bench/extras.py)


def size_of(name: str) -> dict:
    """The seed arguments of a ``--size``: quick, small (10 %), full, or a fraction such as 0.3."""
    if name == "quick":
        return dict(QUICK)
    fraction = NAMED_SIZES[name] if name in NAMED_SIZES else float(name)
    if not 0 < fraction <= 1:
        raise ValueError(f"size must be quick, small, full or a fraction in (0, 1], not {name}")
    return {
        "documents": max(QUICK["documents"], round(FULL["documents"] * fraction)),
        "tasks": max(QUICK["tasks"], round(FULL["tasks"] * fraction)),
        "people": FULL["people"],
        "agencies": FULL["agencies"],
    }


# --- The budget check (pure: unit-tested in tests/test_bench.py) ------------------------------------


def check_budgets(queries: dict[str, int | None], budgets: dict[str, int]) -> list[str]:
    """One line for every page over its query budget, without a budget, or without a count; [] if all fit."""
    problems = []
    for page, count in queries.items():
        budget = budgets.get(page)
        if count is None:
            problems.append(f"{page}: no query count (is PORTAL_BENCH_QUERY_HEADER on?)")
        elif budget is None:
            problems.append(f"{page}: {count} queries, no budget in bench/budgets.json")
        elif count > budget:
            problems.append(f"{page}: {count} queries, over its budget of {budget}")
    return problems


def check_statuses(statuses: dict[str, list[int]], expected: dict[str, int]) -> list[str]:
    """One line for every page that answered anything but its expected status (200, or 302 for sign-in)."""
    problems = []
    for page, seen in statuses.items():
        wrong = sorted({s for s in seen if s != expected.get(page, 200)})
        if wrong:
            problems.append(f"{page}: status {', '.join(map(str, wrong))} (expected {expected.get(page, 200)})")
    return problems


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def summary(latencies_ms: list[float], seconds: float) -> dict:
    ordered = sorted(latencies_ms)
    return {
        "n": len(ordered),
        "p50": round(percentile(ordered, 50), 1),
        "p95": round(percentile(ordered, 95), 1),
        "p99": round(percentile(ordered, 99), 1),
        "rps": round(len(ordered) / seconds, 1) if seconds else None,
    }


# --- The database --------------------------------------------------------------------------------


def run(command: list[str], env: dict, log) -> float:
    """Run one step, its output to the log; its seconds. On failure show the log's end and stop."""
    started = time.perf_counter()
    log.write(f"$ {shlex.join(command)}\n")
    log.flush()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # nosec B603
    seconds = time.perf_counter() - started
    say(f"  {shlex.join(command[1:3])}: {seconds:.1f} s")
    if done.returncode:
        log.flush()
        sys.exit(f"failed ({done.returncode}): {shlex.join(command)}\n{tail(log.name)}")
    return seconds


def tail(path: str, lines: int = 40) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create ``name`` (a portal_bench* database only) on the server; its URL."""
    if not name.startswith("portal_bench"):
        sys.exit(f"refusing to drop {name}: bench/run creates only databases named portal_bench*")
    import psycopg2  # the portal's own PostgreSQL driver

    parts = urlsplit(server_url)
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return parts._replace(path=f"/{name}").geturl()


def database_exists(server_url: str, name: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(server_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def fill(env: dict, size: dict, log) -> dict:
    """Migrate and seed: documents and people, then tasks for those people, then a reminder sweep; the
    seconds of that first sweep (a catch-up: every reminder due since the tasks began)."""
    run([PYTHON, "manage.py", "migrate", "--noinput"], env, log)
    run([PYTHON, "manage.py", "load_holidays", "2026", "2027"], env, log)
    common = ["--people", str(size["people"]), "--agencies", str(size["agencies"])]
    run([PYTHON, "bench/seed_documents.py", "--documents", str(size["documents"]), *common], env, log)
    run([PYTHON, "bench/seed_tasks.py", "--tasks", str(size["tasks"]), *common], env, log)
    # The send log's rows: the reminders of the seed's reference day, as the morning sweep sends them.
    return {
        "at": SWEEP_AT,
        "seconds": round(run([PYTHON, "manage.py", "send_reminders", "--at", SWEEP_AT], env, log), 1),
    }


# --- Personas and pages (Django, after the seeds) -------------------------------------------------


@dataclass
class Page:
    name: str
    persona: str
    url: str
    expected: int = 200
    admin: str | None = None  # the stock admin's list (or change page) of the same rows, as PROVINCE_ADMIN
    result: dict = field(default_factory=dict)
    trio: dict = field(default_factory=dict)  # page, floor and admin measured interleaved (measure_interleaved)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z]+", "-", self.name).strip("-")

    @property
    def floor(self) -> str | None:
        """The page's floor (bench/floors.py): its rows by hand-written SQL, rendered by its template."""
        if self.name == "sign-in":
            return None
        return f"/_bench/floor/{self.slug}/?" + urlencode({"path": self.url})


def prepare() -> tuple[list[Page], dict]:
    """Give the personas a password, make the province administrator, refresh the province summary;
    the pages to measure and the row counts. Needs ``django.setup()`` done."""
    from django.db import connection
    from django.db.models import Count

    from directives import permissions as document_rights
    from directives import selectors as document_selectors
    from notifications.models import NotificationDelivery
    from reports.province import task_summary_refresh
    from tasks.models import Task
    from units.models import Agency, Membership, User

    for user in User.objects.filter(username__startswith="bench."):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    admin, _ = User.objects.get_or_create(
        username=PROVINCE_ADMIN, defaults={"full_name": "Quản trị cấp tỉnh", "is_superuser": True, "is_staff": True}
    )
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    task_summary_refresh()

    specialist = User.objects.get(username="bench.chuyenvien")
    director = User.objects.get(username="bench.giamdoc")
    task = (
        Task.objects.filter(handler=specialist).order_by("-state", "-pk").first()
        or Task.objects.filter(agency_id=specialist.agency_id).order_by("-pk").first()
    )
    inbox = document_selectors.unit_inbox(user=director).first()
    visible = document_rights.documents_visible_to(director)
    document = inbox.pk if inbox else visible.order_by("-created_at").values_list("pk", flat=True).first()
    headed = Membership.objects.filter(user__username="bench.truongphong", is_head=True)
    head_unit = headed.values_list("unit_id", flat=True).first()
    agency = director.agency_id
    tasks_admin, documents_admin = "/_bench/admin/tasks/task/", "/_bench/admin/directives/document/"
    deliveries_admin = f"/_bench/admin/{NotificationDelivery._meta.app_label}/notificationdelivery/"
    pages = [
        Page("my tasks", "bench.chuyenvien", "/tasks/", admin=f"{tasks_admin}?handler={specialist.pk}"),
        Page("unit tasks", "bench.truongphong", "/tasks/unit/", admin=f"{tasks_admin}?lead_unit={head_unit}"),
        Page("task page", "bench.chuyenvien", f"/tasks/{task.pk}/", admin=f"{tasks_admin}?id__exact={task.pk}"),
        Page("agency dashboard", "bench.giamdoc", "/tasks/dashboard/", admin=f"{tasks_admin}?agency={agency}"),
        Page("province view", PROVINCE_ADMIN, "/tasks/province/", admin=tasks_admin),
        Page("document list", "bench.giamdoc", "/directives/outgoing/",
             admin=f"{documents_admin}?agency={agency}&direction=outgoing&state=issued"),
        Page("document page", "bench.giamdoc", f"/directives/{document}/",
             admin=f"{documents_admin}?id__exact={document}"),
        Page("search, rare word", "bench.giamdoc", "/directives/search/?" + urlencode({"q": RARE}),
             admin=f"{documents_admin}?agency={agency}&" + urlencode({"q": RARE})),
        Page("search, common word", "bench.giamdoc", "/directives/search/?" + urlencode({"q": COMMON}),
             admin=f"{documents_admin}?agency={agency}&" + urlencode({"q": COMMON})),
        Page("send log", "bench.quantri", "/notifications/log/",
             admin=f"{deliveries_admin}?notification__user__agency__id__exact={agency}"),
        Page("sign-in", "bench.chuyenvien", "/accounts/login/", expected=302),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directives_document")
        documents = cursor.fetchone()[0]
    rows = {
        "agencies": Agency.objects.count(),
        "people": User.objects.count(),
        "documents": documents,
        "tasks": Task.objects.count(),
        "deliveries": NotificationDelivery.objects.count(),
        "my tasks": Task.objects.filter(handler=specialist).count(),
        "unit tasks": Task.objects.filter(lead_unit__memberships__user__username="bench.truongphong").count(),
        "agency tasks": Task.objects.filter(agency_id=director.agency_id).count(),
        "busiest handler": Task.objects.values("handler").annotate(n=Count("pk")).order_by("-n")[0]["n"],
    }
    return pages, rows


POSTGRES_SETTINGS = ["server_version", "autovacuum", "jit", "shared_buffers", "effective_cache_size", "work_mem",
                     "maintenance_work_mem", "random_page_cost", "max_connections"]  # fmt: skip


def postgres_settings(database_url: str) -> dict:
    """The server's settings as a new connection gets them: through psycopg2 without the portal's own
    connection options (config/settings.py turns jit off per connection, which would hide the server's)."""
    import psycopg2

    values = {}
    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        for name in POSTGRES_SETTINGS:
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
    connection.close()
    return values


def settings_warnings(settings: dict) -> list[str]:
    """Loud warnings for a server unlike production's (docs/deployment.md, "PostgreSQL settings")."""
    warnings = []
    if settings.get("autovacuum") != "on":
        warnings.append("AUTOVACUUM IS OFF on this server: these numbers do not stand for production (bench/README.md)")
    if settings.get("jit") == "on":
        warnings.append("JIT IS ON on this server: list queries pay ~27 ms of compiling; production runs jit = off")
    if settings.get("shared_buffers") == "128MB":
        warnings.append("SHARED_BUFFERS IS AT THE 128MB DEFAULT: production gives it ~25 % of the memory")
    return warnings


def machine() -> dict:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {"cpus": os.cpu_count(), "ram_gb": round(pages / 2**30, 1), "python": sys.version.split()[0]}


# --- gunicorn and the clients ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn as deploy/Procfile starts it (deploy/gunicorn.conf.py), 2 sync workers on a free port."""
    port = free_port()
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "PORTAL_BENCH_QUERY_HEADER": "1"}
    log = log_path.open("w")
    command = [str(Path(PYTHON).parent / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # nosec B603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped ({process.returncode}):\n{tail(str(log_path))}")
        try:
            if requests.get(base + "/accounts/login/", timeout=30).status_code == 200:
                return process, base
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a worker still loading
            pass
        time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 60 s:\n{tail(str(log_path))}")


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(base: str, username: str) -> tuple[requests.Session, requests.Response]:
    """Sign in like a browser: the form's page, its CSRF token, the POST; the session and the POST's answer."""
    session = requests.Session()
    form = session.get(base + "/accounts/login/", timeout=30)
    token = CSRF_FIELD.search(form.text)
    if not token:
        sys.exit(f"no CSRF token on the sign-in page ({form.status_code})")
    answer = session.post(
        base + "/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD, "next": "/"},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        sys.exit(f"signing in as {username} failed: {answer.status_code}")
    return session, answer


def one_request(base: str, page: Page, session: requests.Session | None) -> tuple[float, int, int | None]:
    """Time one request of ``page``: milliseconds, status and query count (sign-in: a new session each time)."""
    started = time.perf_counter()
    if page.name == "sign-in":
        _session, response = sign_in(base, page.persona)
    else:
        response = session.get(base + page.url, allow_redirects=False, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    count = response.headers.get("X-Query-Count")
    return elapsed, response.status_code, int(count) if count is not None else None


def measure(base: str, page: Page, sessions: dict, runs: int, clients: int) -> dict:
    """``runs`` requests from each of ``clients`` threads (after one warm-up each); latencies, statuses, queries."""
    cookies = sessions[page.persona].cookies if page.persona in sessions else None

    def client(_index: int) -> list[tuple[float, int, int | None]]:
        session = requests.Session()
        if cookies is not None:
            session.cookies.update(cookies)
        one_request(base, page, session)
        return [one_request(base, page, session) for _ in range(runs)]

    started = time.perf_counter()
    if clients == 1:
        results = [client(0)]
    else:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - started
    flat = [r for rs in results for r in rs]
    counts = [q for _ms, _status, q in flat if q is not None]
    return {
        **summary([ms for ms, _status, _q in flat], seconds),
        "statuses": sorted({status for _ms, status, _q in flat}),
        "queries": usual_count(counts),
        "queries_min_max": [min(counts), max(counts)] if counts else None,
    }


def measure_interleaved(base: str, kinds: dict[str, tuple[str, str]], sessions: dict, runs: int) -> dict:
    """Each of ``kinds`` (name -> (URL, persona)) request by request in turn (p, f, a, p, f, a …) from one
    client, so that noise hits all alike; one warm-up lap first (the floor's captures the view's context)."""
    clients = {kind: requests.Session() for kind in kinds}
    for kind, (_url, persona) in kinds.items():
        clients[kind].cookies.update(sessions[persona].cookies)
    seen = {kind: [] for kind in kinds}
    for lap in range(runs + 1):
        for kind, (url, _persona) in kinds.items():
            started = time.perf_counter()
            response = clients[kind].get(base + url, allow_redirects=False, timeout=120)
            count = response.headers.get("X-Query-Count")
            result = ((time.perf_counter() - started) * 1000, response.status_code, int(count) if count else None)
            if lap:
                seen[kind].append(result)
    out = {}
    for kind, flat in seen.items():
        counts = [q for _ms, _status, q in flat if q is not None]
        out[kind] = {
            **summary([ms for ms, _status, _q in flat], 0),
            "statuses": sorted({status for _ms, status, _q in flat}),
            "queries": usual_count(counts),
        }
    return out


def page_floor_admin(page: Page) -> dict[str, tuple[str, str]]:
    """The page, its floor and its stock admin (as the province administrator), for measure_interleaved."""
    kinds = {"page": (page.url, page.persona), "floor": (page.floor, page.persona)}
    return {kind: spec for kind, spec in (kinds | {"admin": (page.admin, PROVINCE_ADMIN)}).items() if spec[0]}


def ratios(result: dict) -> dict:
    """page ÷ floor and admin ÷ page at p95 (DESIGN §5: a page ≤ 3× its floor, ≥ 10× faster than the admin)."""
    page, floor, admin = (result.get(kind, {}).get("p95") for kind in ("page", "floor", "admin"))
    return {
        "page_over_floor": round(page / floor, 2) if page and floor else None,
        "admin_over_page": round(admin / page, 1) if page and admin else None,
    }


def check_ratios(by_page: dict[str, dict], *, floor_max: float = 3, admin_min: float = 10) -> list[str]:
    """One line for every page slower than ``floor_max`` × its floor or not ``admin_min`` × faster than the admin."""
    problems = []
    for name, r in by_page.items():
        if r.get("page_over_floor") is not None and r["page_over_floor"] > floor_max:
            problems.append(f"{name}: {r['page_over_floor']}× its floor at p95 (DESIGN §5: at most {floor_max}×)")
        if r.get("admin_over_page") is not None and r["admin_over_page"] < admin_min:
            problems.append(f"{name}: {r['admin_over_page']}× faster than the stock admin (DESIGN §5: ≥ {admin_min}×)")
    return problems


def worker_peak_rss_mb(master_pid: int) -> dict[int, float]:
    """Each gunicorn worker's peak resident memory (VmHWM of /proc/<pid>/status), in MB, by pid. A worker
    is replaced after max_requests (deploy/gunicorn.conf.py): read it often to see every worker's peak."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = {}
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if match:
            peaks[pid] = round(int(match.group(1)) / 1024, 1)
    return peaks


def usual_count(counts: list[int]) -> int | None:
    """The count most requests made (the lower on a tie): a page's queries without the occasional extra
    read of a cached value (the worker heartbeat, read once every 30 s by each gunicorn worker)."""
    if not counts:
        return None
    return min(set(counts), key=lambda n: (-counts.count(n), n))


# --- Output ---------------------------------------------------------------------------------------


def markdown(pages: list[Page], budgets: dict, clients: list[int]) -> str:
    head = ["page", "queries", "budget"]
    for n in clients:
        label = "1 client" if n == 1 else f"{n} clients"
        head += [f"{label} p50 ms", "p95", "p99", "req/s"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for page in pages:
        first = page.result[str(clients[0])]
        cells = [page.name, str(first["queries"]), str(budgets.get(page.name, "–"))]
        for n in clients:
            r = page.result[str(n)]
            cells += [f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{r['p99']:.1f}", f"{r['rps']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_floors(trios: dict[str, dict]) -> str:
    """Each page beside its floor and the stock admin of the same rows, measured interleaved (ms)."""
    head = ["page", "page p50", "p95", "floor p50", "p95", "admin p50", "p95", "page ÷ floor (p95)",
            "admin ÷ page (p95)", "queries page / floor / admin"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    def cell(value, spec=".1f"):
        return "–" if value is None else format(value, spec)

    for name, trio in trios.items():
        page, floor, admin = (trio.get(kind, {}) for kind in ("page", "floor", "admin"))
        r = trio.get("ratios") or ratios(trio)
        cells = [
            name,
            cell(page.get("p50")),
            cell(page.get("p95")),
            cell(floor.get("p50")),
            cell(floor.get("p95")),
            cell(admin.get("p50")),
            cell(admin.get("p95")),
            cell(r["page_over_floor"], ".2f"),
            cell(r["admin_over_page"]),
            " / ".join(str(k.get("queries", "–")) for k in (page, floor, admin)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_extras(report: dict) -> str:
    """The rights, issuing, PDF, sweep and memory tables of a report (whichever were measured)."""
    parts = []
    if report.get("rights"):
        lines = ["| list | wide rights | p50 | p95 | no special rights | p50 | p95 | narrow ÷ wide (p95) |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for name, r in report["rights"].items():
            wide, narrow = r["wide"], r["narrow"]
            lines.append(f"| {name} | {r['wide_persona']} | {wide['p50']} | {wide['p95']} | {r['narrow_persona']} | "
                         f"{narrow['p50']} | {narrow['p95']} | {r['narrow_over_wide']} |")  # fmt: skip
        parts.append("\n".join(lines))
    if report.get("issuing"):
        i = report["issuing"]
        parts.append(
            "| issuing | issuers | gunicorn workers | p50 ms | p95 | p99 | wall ms | numbers | consecutive |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            f"| POST /directives/<pk>/act/issue/ at once | {i['issuers']} | {i['workers']} | {i['p50']} | {i['p95']} | "
            f"{i['p99']} | {i['wall_ms']} | {i['numbers']} | {'yes' if not i['problems'] else 'NO'} |"
        )
    if report.get("pdf"):
        p = report["pdf"]
        official, bare = p.get("official", {}), p.get("bare", {})
        parts.append(
            "| 2-page PDF | median ms | p95 | runs |\n| --- | --- | --- | --- |\n"
            f"| official (render_pdf) | {official.get('median')} | {official.get('p95')} | {p['runs']} |\n"
            f"| bare WeasyPrint | {bare.get('median')} | {bare.get('p95')} | {p['runs']} |"
        )
    if report.get("sweeps"):
        lines = ["| reminder sweep | at | sweep s | its e-mails sent s | whole process s | queued | e-mails sent |",
                 "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for name, sweep in report["sweeps"].items():
            if sweep:
                counts = sweep.get("counts") or {}
                cells = [name.replace("_", " "), sweep["at"], counts.get("sweep_seconds", "–"),
                         counts.get("send_seconds", "–"), sweep["seconds"], counts.get("queued", "–"),
                         counts.get("sent", "–")]  # fmt: skip
                lines.append("| " + " | ".join(map(str, cells)) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def issuing_report(issued: dict, drafts: list[int]) -> dict:
    """The concurrent issue's latencies, and the problems: a POST not answered 302, a number missing, given
    twice or skipped in its register."""
    latencies = [ms for ms, _status in issued["results"].values()]
    statuses = sorted({status for _ms, status in issued["results"].values()})
    numbers, registers = extras.issued_numbers(drafts)
    problems = [f"issuing: {p}" for p in extras.check_consecutive(numbers)]
    if statuses != [302]:
        problems.append(f"issuing: statuses {statuses} (expected 302)")
    if len(registers) != 1:
        problems.append(f"issuing: the documents went to {len(registers)} registers: {registers}")
    given = sorted(n for n in numbers if n is not None)
    return {
        "issuers": len(drafts), "workers": 2, **summary(latencies, issued["wall_ms"] / 1000),
        "wall_ms": issued["wall_ms"], "statuses": statuses, "numbers": [given[0], given[-1]] if given else None,
        "registers": registers, "problems": problems,
    }  # fmt: skip


# --- Growth: the pages at several sizes --------------------------------------------------------------

GROWTH_ROWS = ["documents", "tasks", "my tasks", "unit tasks", "agency tasks"]


def growth_table(reports: dict[str, dict]) -> str:
    """Per page its 1-client p95 at each size, then the rows at each size (the installation's and the
    person's own): what a person waits for should follow their own rows, not the installation's."""
    sizes = list(reports)
    head = ["page", *[f"p95 ms at {size}" for size in sizes]]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    pages = [p["page"] for p in next(iter(reports.values()))["pages"]] if reports else []
    for page in pages:
        cells = []
        for size in sizes:
            found = [p for p in reports[size]["pages"] if p["page"] == page]
            cells.append(f"{found[0]['clients']['1']['p95']:.1f}" if found and "1" in found[0]["clients"] else "–")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    for row in GROWTH_ROWS:
        cells = [f"{reports[size]['rows'].get(row, '–'):,}" if isinstance(reports[size]["rows"].get(row), int)
                 else "–" for size in sizes]  # fmt: skip
        lines.append(f"| *rows: {row}* | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth(args: argparse.Namespace) -> int:
    """bench/run at each ``--growth`` size, each on its own database portal_bench_<size> (``--database``
    replaces the portal_bench prefix); the growth table."""
    reports, workdir = {}, Path(tempfile.mkdtemp(prefix="bench-growth-"))
    for size in args.growth:
        out = workdir / f"{size}.json"
        database = f"{args.database or 'portal_bench'}_{size.replace('.', '_')}"  # e.g. portal_bench_0_3
        reuse = args.reuse and database_exists(args.server, database)  # filled by an earlier run
        command = [PYTHON, str(ROOT / "bench" / "run"), "--size", size, "--runs", str(args.runs), "--no-floors",
                   "--extras", "none", "--out", str(out), "--server", args.server, "--database", database,
                   *(["--reuse"] if reuse else [])]  # fmt: skip
        say(f"growth: {shlex.join(command[1:])}")
        subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)  # nosec B603
        if out.exists():
            reports[size] = json.loads(out.read_text())
            reports[size]["command"] = re.sub(r" --out \S+", "", reports[size]["command"])  # a temporary file
    table = growth_table(reports)
    print(table)
    if args.write_docs:
        command = "bench/run " + shlex.join(args.argv)
        DOCS.write_text(replace_marked(DOCS.read_text(), f"`{command}`\n\n{table}", start=GROWTH_START, end=GROWTH_END))
        say(f"wrote the growth table into {DOCS.relative_to(ROOT)}")
    if args.out:
        Path(args.out).write_text(json.dumps({"growth": reports, "table": table}, indent=2, ensure_ascii=False) + "\n")
    return 0 if len(reports) == len(args.growth) else 1


DOCS = ROOT / "docs" / "performance.md"
DOCS_START, DOCS_END = "<!-- bench/run tables: start -->", "<!-- bench/run tables: end -->"
GROWTH_START, GROWTH_END = "<!-- bench/run growth: start -->", "<!-- bench/run growth: end -->"


def replace_marked(text: str, block: str, *, start: str = DOCS_START, end: str = DOCS_END) -> str:
    """``text`` with what lies between the ``start`` and ``end`` markers replaced by ``block``."""
    before, found, rest = text.partition(start)
    _old, found_end, after = rest.partition(end)
    if not found or not found_end:
        raise ValueError(f"the markers {start} and {end} are not both in the text")
    return f"{before}{start}\n{block.strip()}\n{end}{after}"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description="Every page over HTTP (bench/README.md).")
    parser.add_argument("--size", default="small", help="quick, small (10 %%), full, or a fraction like 0.3")
    parser.add_argument("--quick", action="store_true", help="--size quick, one client, few requests; fail over budget")
    parser.add_argument("--clients", default="1", help="comma-separated client counts, e.g. 1,10")
    parser.add_argument("--runs", type=int, help="timed requests per client and page (default 5 quick, 20 else)")
    parser.add_argument("--out", help="write the JSON here")
    parser.add_argument("--markdown", action="store_true", help="print the table with its command and machine")
    parser.add_argument("--database", help="the portal_bench* database to (re)create (default portal_bench_<size>)")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL with the right to create databases (env BENCH_POSTGRES_URL)",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the rows as they are: migrate, no seed")
    parser.add_argument("--no-floors", dest="floors", action="store_false", help="skip the floors and the stock admin")
    parser.add_argument("--floor-runs", type=int, help="interleaved page/floor/admin laps (default --runs; 2 quick)")
    parser.add_argument(
        "--extras",
        help="comma-separated: rights, issuing, pdf, sweep (default all; none with --quick); 'none' for none",
    )
    parser.add_argument("--pdf-runs", type=int, default=10, help="renders of the 2-page PDF (bench/bench_pdf.py)")
    parser.add_argument("--write-docs", action="store_true", help="put the tables in docs/performance.md (markers)")
    parser.add_argument("--growth", help="comma-separated sizes, e.g. 0.1,0.3,1: the pages at each (own database)")
    parser.add_argument("--check-budgets", action="store_true", help="fail over budget (always on with --quick)")
    args = parser.parse_args(argv)
    args.argv = argv
    if args.quick:
        args.size, args.clients, args.check_budgets = "quick", "1", True
    args.clients = [int(n) for n in args.clients.split(",")]
    args.growth = args.growth.split(",") if args.growth else []
    args.runs = args.runs or (5 if args.size == "quick" else 20)
    args.floor_runs = args.floor_runs or (2 if args.quick else args.runs)  # CI: query counts, not times
    if args.extras is None:
        args.extras = "none" if args.quick else ",".join(EXTRAS)
    args.extras = [] if args.extras == "none" else args.extras.split(",")
    if set(args.extras) - set(EXTRAS):
        parser.error(f"--extras: choose among {', '.join(EXTRAS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.growth:
        return growth(args)
    started = time.perf_counter()
    size = size_of(args.size)
    budgets = json.loads(BUDGETS.read_text())
    workdir = Path(tempfile.mkdtemp(prefix="bench-run-"))
    env = dict(os.environ)
    if os.environ.get("DATABASE_URL") and not args.database:
        say("using DATABASE_URL as given (it must be empty unless --reuse)")
    else:
        name = args.database or f"portal_bench_{args.size.replace('.', '_')}"
        if args.reuse:
            env["DATABASE_URL"] = urlsplit(args.server)._replace(path=f"/{name}").geturl()
        else:
            env["DATABASE_URL"] = fresh_database(args.server, name)
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(40)}  # fmt: skip
    catch_up = None
    with (workdir / "seed.log").open("w") as log:
        if args.reuse:  # the rows as they are, the schema as this checkout has it (new indexes included)
            run([PYTHON, "manage.py", "migrate", "--noinput"], env, log)
        else:
            say(f"filling {urlsplit(env['DATABASE_URL']).path[1:]} at size {args.size}: {size}")
            catch_up = fill(env, size, log)
    seeded = time.perf_counter()

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    pages, rows = prepare()
    settings = postgres_settings(env["DATABASE_URL"])
    drafts = []
    if "issuing" in args.extras:
        say(f"preparing {extras.ISSUERS} approved drafts to issue")
        drafts = extras.approved_drafts(extras.ISSUERS)
    from django.db import connections

    connections.close_all()
    warnings = settings_warnings(settings)
    for warning in warnings:
        say(f"\n!!! WARNING: {warning} !!!\n")

    server, base = start_gunicorn(env, workdir / "gunicorn.log")
    rights, issued = None, None
    try:
        sessions = {}
        personas = {page.persona for page in pages if page.name != "sign-in"} | {PROVINCE_ADMIN, extras.CLERK}
        for persona in personas | {person for *_r, wide, narrow in extras.RIGHTS for person in (wide, narrow)}:
            sessions[persona], _ = sign_in(base, persona)
        memory: dict[int, float] = {}  # pid -> peak MB, sampled after every page: workers are recycled
        for page in pages:
            for n in args.clients:
                page.result[str(n)] = measure(base, page, sessions, args.runs, n)
            say(f"  {page.name}: {page.result[str(args.clients[0])]}")
            if args.floors and page.floor:
                page.trio = measure_interleaved(base, page_floor_admin(page), sessions, args.floor_runs)
                page.trio["ratios"] = ratios(page.trio)
                shown = {kind: (r["p50"], r["p95"]) for kind, r in page.trio.items() if "p50" in r}
                say(f"    interleaved p50/p95: {shown}")
            memory |= worker_peak_rss_mb(server.pid)
        say(f"  gunicorn workers' peak RSS: {memory} MB")
        if "rights" in args.extras:
            rights = extras.measure_rights(base, sessions, args.floor_runs, measure_interleaved)
            say(f"  rights: { {name: r['narrow_over_wide'] for name, r in rights.items()} }")
        if drafts:
            issued = extras.issue_concurrently(base, sessions[extras.CLERK], drafts, CSRF_FIELD)
    finally:
        server.terminate()
        server.wait(timeout=30)
    issuing = issuing_report(issued, drafts) if drafts else None
    sweeps = None
    if "sweep" in args.extras:
        morning = extras.next_sweep_at()
        normal = extras.sweep(PYTHON, ROOT, env, morning)
        again = extras.sweep(PYTHON, ROOT, env, morning)
        sweeps = {"catch_up": catch_up, "normal_day": normal, "same_day_again": again}
        say(f"  sweeps: {sweeps}")
    pdf = extras.pdf(PYTHON, ROOT, env, args.pdf_runs) if "pdf" in args.extras else None
    if pdf:
        say(f"  PDF: {pdf}")

    queries = {page.name: page.result[str(args.clients[0])]["queries"] for page in pages}
    statuses = {page.name: [s for r in page.result.values() for s in r["statuses"]] for page in pages}
    statuses |= {f"{page.name} ({kind})": r["statuses"] for page in pages for kind, r in page.trio.items()
                 if kind != "ratios"}  # fmt: skip
    problems = check_statuses(statuses, {page.name: page.expected for page in pages})
    problems += issuing["problems"] if issuing else []
    if sweeps and (sweeps["same_day_again"]["counts"] or {}).get("queued"):
        problems.append(f"reminder sweep: the same day's second run queued {sweeps['same_day_again']['counts']}")
    for name, sweep in (sweeps or {}).items():
        if sweep and sweep.get("exit"):
            problems.append(f"reminder sweep ({name}): exit {sweep['exit']}")
    floor_problems = check_ratios({page.name: page.trio["ratios"] for page in pages if page.trio})
    over = check_budgets(queries, budgets)
    above_design = [f"{page}: {n} queries, above DESIGN §5's {DESIGN_MAX_QUERIES}" for page, n in queries.items()
                    if n is not None and n > DESIGN_MAX_QUERIES]  # fmt: skip
    command = "bench/run " + shlex.join(sys.argv[1:] if argv is None else argv)
    report = {
        "command": command.strip(),
        "size": {"name": args.size, **size},
        "rows": rows,
        "machine": machine(),
        "postgresql": settings,
        "warnings": warnings,
        "runs_per_client": args.runs,
        "clients": args.clients,
        "seconds": {"seed": round(seeded - started, 1), "total": round(time.perf_counter() - started, 1)},
        "pages": [{"page": p.name, "persona": p.persona, "url": p.url, **{"clients": p.result}} for p in pages],
        "floors_and_admin": {page.name: page.trio for page in pages if page.trio},
        "workers": {"count": 2, "peak_rss_mb": memory, "max_peak_rss_mb": max(memory.values(), default=None)},
        "design_ratio_problems": floor_problems,
        "rights": rights,
        "issuing": issuing,
        "pdf": pdf,
        "sweeps": sweeps,
        "over_budget": over,
        "above_design": above_design,
        "status_problems": problems,
    }
    table = markdown(pages, budgets, args.clients)
    if any(page.trio for page in pages):
        table += "\n\n" + markdown_floors({page.name: page.trio for page in pages if page.trio})
    peak = report["workers"]["max_peak_rss_mb"]
    table += (f"\n\ngunicorn: 2 sync workers ({len(memory)} over the run, recycled after ~1,000 requests as in "
              f"production); the largest peak RSS (VmHWM, read after every page): {peak} MB")  # fmt: skip
    if more := markdown_extras(report):
        table += "\n\n" + more
    m = report["machine"]
    heading = (f"`{report['command']}` — {m['cpus']} CPUs, {m['ram_gb']} GB RAM, Python {m['python']}; "
               f"rows {json.dumps(rows, ensure_ascii=False)}; PostgreSQL {json.dumps(settings)}"
               + "".join(f"\n\n**WARNING: {w}**" for w in warnings))  # fmt: skip
    if args.markdown:
        print(heading + "\n")
    print(table)
    if args.write_docs:
        DOCS.write_text(replace_marked(DOCS.read_text(), heading + "\n\n" + table))
        say(f"wrote the tables into {DOCS.relative_to(ROOT)}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    say(f"done in {report['seconds']['total']} s (seeding {report['seconds']['seed']} s); logs in {workdir}")
    failed = problems + (over if args.check_budgets else [])
    for line in failed:
        print(f"FAIL {line}", file=sys.stderr)
    if not args.check_budgets:
        for line in over:
            say(f"over budget: {line}")
    for line in floor_problems:
        say(f"DESIGN §5 not met: {line}")
    return 1 if failed else 0
