"""bench/run's pure parts: the query budget check, the status check, percentiles and sizes.

The run itself (seeds, gunicorn, HTTP) is not started here: CI runs ``make bench-quick`` once.
"""

import json
from pathlib import Path

import pytest

from bench import harness

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
