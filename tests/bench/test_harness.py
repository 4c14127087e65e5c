"""bench/run's pure parts: the query budget check, the status check, percentiles and sizes.

The run itself (seeds, gunicorn, HTTP) is not started here: CI runs ``make bench-quick`` once.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from bench import extras, harness

BUDGETS = {"my tasks": 11, "document page": 21}


def test_every_page_within_its_budget_passes():
    assert harness.check_budgets({"my tasks": 11, "document page": 3}, BUDGETS) == []


def test_a_page_over_its_budget_fails_with_one_line_each():
    problems = harness.check_budgets({"my tasks": 12, "document page": 22}, BUDGETS)
    assert problems == [
        "my tasks: 12 queries, over its budget of 11",
        "document page: 22 queries, over its budget of 21",
    ]


def test_a_page_without_a_budget_or_without_a_count_fails():
    problems = harness.check_budgets({"my tasks": None, "new page": 2}, BUDGETS)
    assert problems == [
        "my tasks: no query count (is PORTAL_BENCH_QUERY_HEADER on?)",
        "new page: 2 queries, no budget in bench/budgets.json",
    ]


def test_a_page_not_answering_its_status_fails():
    expected = {"sign-in": 302}
    assert harness.check_statuses({"my tasks": [200], "sign-in": [302]}, expected) == []
    assert harness.check_statuses({"my tasks": [200, 500], "sign-in": [200]}, expected) == [
        "my tasks: status 500 (expected 200)",
        "sign-in: status 200 (expected 302)",
    ]


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert [harness.percentile(values, p) for p in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]
    assert harness.summary([5.0, 1.0, 3.0], 0.5) == {"n": 3, "p50": 3.0, "p95": 5.0, "p99": 5.0, "rps": 6.0}


def test_sizes():
    assert harness.size_of("quick") == harness.QUICK
    assert harness.size_of("full") == harness.FULL
    assert harness.size_of("0.3") == {"documents": 60_000, "tasks": 300_000, "people": 10_000, "agencies": 50}
    with pytest.raises(ValueError):
        harness.size_of("2")


def test_budgets_cover_every_page_and_stay_at_most_design_max_except_the_documented_ones():
    budgets = json.loads(harness.BUDGETS.read_text())
    pages = {"my tasks", "unit tasks", "task page", "agency dashboard", "province view", "document list",
             "document page", "search, rare word", "search, common word", "send log", "sign-in"}  # fmt: skip
    assert set(budgets) == pages
    readme = (Path(harness.ROOT) / "bench" / "README.md").read_text()
    for page, budget in budgets.items():
        if budget > harness.DESIGN_MAX_QUERIES:
            assert f"*{page}*" in readme, f"{page} is above DESIGN §5's 15 queries: say so in bench/README.md"


def test_the_query_count_is_what_most_requests_made():
    assert harness.usual_count([12, 11, 11, 11, 12]) == 11
    assert harness.usual_count([11, 12]) == 11
    assert harness.usual_count([]) is None


def test_ratios_are_page_over_floor_and_admin_over_page_at_p95():
    trio = {"page": {"p95": 30.0}, "floor": {"p95": 12.0}, "admin": {"p95": 600.0}}
    assert harness.ratios(trio) == {"page_over_floor": 2.5, "admin_over_page": 20.0}
    assert harness.ratios({"page": {"p95": 30.0}}) == {"page_over_floor": None, "admin_over_page": None}


def test_a_page_over_three_floors_or_not_ten_times_faster_than_the_admin_is_named():
    by_page = {
        "fine": {"page_over_floor": 3.0, "admin_over_page": 10.0},
        "slow": {"page_over_floor": 3.5, "admin_over_page": 4.0},
        "unmeasured": {"page_over_floor": None, "admin_over_page": None},
    }
    assert harness.check_ratios(by_page) == [
        "slow: 3.5× its floor at p95 (DESIGN §5: at most 3×)",
        "slow: 4.0× faster than the stock admin (DESIGN §5: ≥ 10×)",
    ]


def test_the_floor_table_has_one_row_per_page_with_its_ratios():
    trio = {
        "page": {"p50": 20.0, "p95": 30.0, "queries": 8},
        "floor": {"p50": 10.0, "p95": 12.0, "queries": 3},
        "admin": {"p50": 500.0, "p95": 600.0, "queries": 9},
    }
    table = harness.markdown_floors({"my tasks": trio}).splitlines()
    assert len(table) == 3
    assert table[2] == "| my tasks | 20.0 | 30.0 | 10.0 | 12.0 | 500.0 | 600.0 | 2.50 | 20.0 | 8 / 3 / 9 |"


def test_every_page_but_sign_in_has_a_floor_url_carrying_its_path():
    page = harness.Page("search, rare word", "bench.giamdoc", "/directives/search/?q=cach+ly")
    assert page.floor == "/_bench/floor/search-rare-word/?path=%2Fdirectives%2Fsearch%2F%3Fq%3Dcach%2Bly"
    assert harness.Page("sign-in", "bench.chuyenvien", "/accounts/login/").floor is None


def test_issued_numbers_must_be_consecutive_without_gap_duplicate_or_missing_number():
    from bench import extras

    assert extras.check_consecutive([12, 10, 11, 13]) == []
    assert extras.check_consecutive([10, 11, 11, 13, None]) == [
        "1 of 5 documents got no number",
        "numbers given twice: [11]",
        "gaps in the numbers 10..13: [12]",
    ]


def test_rights_ratio_is_narrow_over_wide_at_p95():
    from bench import extras

    assert extras.rights_ratio({"wide": {"p95": 40.0}, "narrow": {"p95": 50.0}}) == 1.25
    assert extras.rights_ratio({"wide": {"p95": 40.0}}) is None


def test_the_pdf_bench_output_is_read_line_by_line():
    from bench import extras

    output = (
        "document: 2 pages; WeasyPrint 66.0; 2 CPUs\n"
        "first render (imports WeasyPrint, builds fonts and stylesheet): 900 ms\n"
        "render_pdf (cached fonts + stylesheet)       median   158.5 ms   p95   159.5 ms   (n=3)\n"
        "bare WeasyPrint (new fonts + CSS each time)  median   254.2 ms   p95   270.5 ms   (n=3)\n"
    )
    assert extras.parse_pdf_bench(output) == {
        "official": {"median": 158.5, "p95": 159.5, "n": 3},
        "bare": {"median": 254.2, "p95": 270.5, "n": 3},
        "pages": 2,
    }


def test_the_extras_tables_show_what_was_measured_only():
    assert harness.markdown_extras({"rights": None, "issuing": None}) == ""
    issuing = {"issuers": 50, "workers": 2, "p50": 1.0, "p95": 2.0, "p99": 3.0, "wall_ms": 9, "numbers": [1, 50],
               "problems": ["issuing: gaps"]}  # fmt: skip
    table = harness.markdown_extras({"issuing": issuing})
    last = table.splitlines()[-1]
    assert last == "| POST /directives/<pk>/act/issue/ at once | 50 | 2 | 1.0 | 2.0 | 3.0 | 9 | [1, 50] | NO |"


def test_the_sweep_table_keeps_the_sweep_apart_from_sending_its_e_mails():
    normal = {"at": "2026-11-25T08:00", "seconds": 9.4, "exit": 0,
              "counts": {"sweep_seconds": 3.1, "send_seconds": 5.2, "queued": 4903, "sent": 4903}}  # fmt: skip
    catch_up = {"at": "2026-11-24T08:00", "seconds": 80.0}
    table = harness.markdown_extras({"sweeps": {"catch_up": catch_up, "normal_day": normal}}).splitlines()
    assert table[2] == "| catch up | 2026-11-24T08:00 | – | – | 80.0 | – | – |"
    assert table[3] == "| normal day | 2026-11-25T08:00 | 3.1 | 5.2 | 9.4 | 4903 | 4903 |"


def test_a_server_unlike_production_is_warned_about():
    production = {"autovacuum": "on", "jit": "off", "shared_buffers": "2GB"}
    assert harness.settings_warnings(production) == []
    warnings = harness.settings_warnings({"autovacuum": "off", "jit": "on", "shared_buffers": "128MB"})
    assert [w.split(" ")[0] for w in warnings] == ["AUTOVACUUM", "JIT", "SHARED_BUFFERS"]


def test_the_growth_table_has_a_column_per_size_and_the_rows_at_each():
    def report(p95, tasks, mine):
        return {"pages": [{"page": "my tasks", "clients": {"1": {"p95": p95}}}],
                "rows": {"tasks": tasks, "my tasks": mine}}  # fmt: skip

    table = harness.growth_table({"0.1": report(30.0, 100_000, 40), "1": report(31.5, 1_000_000, 41)}).splitlines()
    assert table[0] == "| page | p95 ms at 0.1 | p95 ms at 1 |"
    assert table[2] == "| my tasks | 30.0 | 31.5 |"
    assert "| *rows: tasks* | 100,000 | 1,000,000 |" in table
    assert "| *rows: my tasks* | 40 | 41 |" in table
    assert "| *rows: documents* | – | – |" in table


def test_write_docs_replaces_only_the_marked_section():
    text = f"# Performance\nkept\n{harness.DOCS_START}\nold table\n{harness.DOCS_END}\nalso kept\n"
    assert harness.replace_marked(text, "| new |\n") == (
        f"# Performance\nkept\n{harness.DOCS_START}\n| new |\n{harness.DOCS_END}\nalso kept\n"
    )
    with pytest.raises(ValueError):
        harness.replace_marked("# no markers\n", "| new |")


def test_the_performance_doc_has_the_markers():
    text = harness.DOCS.read_text()
    assert harness.replace_marked(text, "x").count(harness.DOCS_START) == 1


@pytest.mark.django_db
def test_the_normal_morning_is_the_working_day_after_the_last_sweep():
    from tasks.models import ReminderRule

    assert ReminderRule.objects.exists()  # the default rules (migration)
    ReminderRule.objects.update(swept_on=None)
    assert extras.next_sweep_at() == "2026-11-25T08:00"  # after the fill's catch-up of Tuesday 24/11
    ReminderRule.objects.update(swept_on=date(2026, 11, 27))  # a Friday: next is Monday
    assert extras.next_sweep_at() == "2026-11-30T08:00"
