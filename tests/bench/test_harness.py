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
