"""Time the document lists, search, inbox and document page on a seeded PostgreSQL database.

Usage (after bench/seed_documents.py filled the database):

    DATABASE_URL=postgres://…/portal_bench DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/bench_documents.py [--runs 30]

For each persona of the largest agency (director, clerk, unit head, specialist, administrator)
it times, warm, N runs each:
- the selector queries, evaluated as a page does (first 50 rows, or the document page's queries);
- the full pages through Django's test Client, with the number of SQL queries per page;
- the floor: the same SQL statements the page (or selector) ran, captured and replayed raw
  through connection.cursor(), so page / floor is what the ORM, view and template add;
- the stock Django admin change list of documents as a superuser, with and without a search;
and prints the EXPLAIN (ANALYZE, BUFFERS) of the searches, then a Markdown table (p50 / p95 in ms).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from directives import permissions, selectors  # noqa: E402
from directives.selectors import DocumentFilters  # noqa: E402
from units.models import User  # noqa: E402

PERSONAS = {
    "director": "bench.giamdoc",
    "clerk": "bench.vanthu",
    "unit head": "bench.truongphong",
    "specialist": "bench.chuyenvien",
    "administrator": "bench.quantri",
}
PAGE = 50
RARE, COMMON = "cach ly", "kiem tra"
FILTERED = {"q": RARE, "year": 2024, "state": "issued"}


def timed(function, runs: int) -> tuple[float, float]:
    for _ in range(3):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def captured(function) -> list[str]:
    """The SELECT statements ``function`` runs, after one run that did any first-time writes
    (the document page records a read receipt once)."""
    function()
    with CaptureQueriesContext(connection) as context:
        function()
    return [q["sql"] for q in context.captured_queries]


def replay(statements: list[str]):
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return run


def first_page(queryset):
    return lambda: list(queryset[:PAGE])


def detail(user: User, pk: int):
    def run():
        document = permissions.document_get_for(user, pk)
        document = selectors.document_detail(document=document, user=user)
        list(document.events.all())

    return run


def explain(label: str, queryset) -> bool:
    sql, params = queryset[:PAGE].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    uses = any("directives_doc_search_trgm" in line for line in plan)
    print(f"\n#### EXPLAIN {label} (trigram index used: {uses})\n```")
    print("\n".join(plan[:14] + (["…"] if len(plan) > 16 else []) + plan[-2:]))
    print("```")
    return uses


class Table:
    def __init__(self):
        self.rows = []

    def add(self, persona, what, times, queries="", floor=None, rows=""):
        ratio = f"{times[1] / floor[1]:.1f}×" if floor else ""
        floor_text = f"{floor[0]:.1f} / {floor[1]:.1f}" if floor else ""
        timing = f"{times[0]:.1f} / {times[1]:.1f}"
        self.rows.append([persona, what, timing, str(queries), floor_text, ratio, str(rows)])
        print(" | ".join(self.rows[-1]), flush=True)

    def markdown(self) -> str:
        head = ["persona", "measure", "p50 / p95 ms", "queries", "floor p50 / p95 ms", "p95 / floor", "rows"]
        lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def bench_selectors(table: Table, name: str, user: User, runs: int, pk: int) -> None:
    cases = [
        ("visible, page 1", selectors.document_search(user=user, filters=DocumentFilters())),
        ("outgoing (issued), page 1", selectors.documents_outgoing(user=user)),
        (f"search «{RARE}»", selectors.document_search(user=user, filters=DocumentFilters(q=RARE))),
        (f"search «{COMMON}»", selectors.document_search(user=user, filters=DocumentFilters(q=COMMON))),
        ("search + year + state", selectors.document_search(user=user, filters=DocumentFilters(**FILTERED))),
        ("unit inbox, page 1", selectors.unit_inbox(user=user)),
    ]
    for what, queryset in cases:
        function = first_page(queryset)
        statements = captured(function)
        table.add(name, f"selector: {what}", timed(function, runs), len(statements), timed(replay(statements), runs),
                  len(function()))  # fmt: skip
    if pk is None:
        return  # nothing visible (an administrator without a unit): no document page to time
    function = detail(user, pk)
    statements = captured(function)
    table.add(name, "selector: document detail", timed(function, runs), len(statements),
              timed(replay(statements), runs))  # fmt: skip


def bench_pages(table: Table, name: str, client: Client, runs: int, pages: list[tuple[str, str]]) -> None:
    for what, url in pages:

        def function(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        statements = captured(function)
        table.add(name, f"page: {what}", timed(function, runs), len(statements), timed(replay(statements), runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench_documents measures PostgreSQL: set DATABASE_URL to the seeded database")
    setup_test_environment()
    table = Table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directives_document")
        total = cursor.fetchone()[0]
    print(f"{total} documents\n")
    for name, username in PERSONAS.items():
        user = User.objects.get(username=username)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM directives_document WHERE agency_id = %s", [user.agency_id])
            in_agency = cursor.fetchone()[0]
        visible = permissions.documents_visible_to(user)
        print(f"\n### {name} ({username}): {in_agency} documents in the agency, {visible.count()} visible")
        # The document page: the newest issued document delivered to the person's units, else the newest visible.
        inbox = selectors.unit_inbox(user=user).first()
        pk = inbox.pk if inbox else visible.order_by("-created_at").values_list("pk", flat=True).first()
        bench_selectors(table, name, user, args.runs, pk)
        client = Client()
        client.force_login(user)
        bench_pages(
            table,
            name,
            client,
            args.runs,
            [
                ("outgoing list", "/directives/outgoing/"),
                (f"search «{RARE}»", "/directives/search/?" + urlencode({"q": RARE})),
                (f"search «{COMMON}»", "/directives/search/?" + urlencode({"q": COMMON})),
                ("search + year + state", "/directives/search/?" + urlencode(FILTERED)),
                ("unit inbox", "/directives/inbox/"),
            ]
            + ([("document page", f"/directives/{pk}/")] if pk else []),
        )
        if name in ("director", "specialist"):
            explain(f"search «{RARE}», {name}", selectors.document_search(user=user, filters=DocumentFilters(q=RARE)))
            explain(
                f"search «{COMMON}», {name}", selectors.document_search(user=user, filters=DocumentFilters(q=COMMON))
            )
            explain(f"visible, page 1, {name}", selectors.document_search(user=user, filters=DocumentFilters()))

    superuser = User.objects.filter(username="bench.superuser").first()
    if superuser is None:
        superuser = User.objects.create_superuser("bench.superuser", "superuser@bench.vn", None, full_name="Quản trị")
    client = Client()
    client.force_login(superuser)
    bench_pages(
        table,
        "superuser",
        client,
        max(5, args.runs // 3),
        [
            ("search «cach ly», all agencies", "/directives/search/?" + urlencode({"q": RARE})),
            ("admin change list", "/admin/directives/document/"),
            ("admin change list, search «cách ly»", "/admin/directives/document/?" + urlencode({"q": "cách ly"})),
        ],
    )
    print("\n" + table.markdown())


if __name__ == "__main__":
    main()
