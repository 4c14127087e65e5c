"""Every tuning document is read right field by field (issue #17, item 6: the parser's tuning set).

Each ``tests/fixtures/documents/tuning/<name>.txt`` has its ``<name>.expected.json`` written by hand
(conventions in docs/reading.md). A failure lists every field that differs, so a regression
names the rule it broke. ``bench/bench_parse.py --accuracy`` prints the per-field table."""

import json
from pathlib import Path

import pytest

from intake.parser import FIELDS
from tests.intake.test_parser import DOCUMENTS, ITEM_KEYS, mismatches, read

TUNING = sorted((DOCUMENTS / "tuning").glob("*.txt"))


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_the_tuning_set_is_varied_enough():
    expected = [expected_of(path) for path in TUNING]
    assert len(expected) >= 14
    types = {e["doc_type"] for e in expected}
    assert {"Công văn", "Kế hoạch", "Quyết định", "Chỉ thị", "Thông báo", "Giấy mời", "Công điện"} <= types
    assert {"Hướng dẫn", "Báo cáo", None} <= types
    assert {e["signer"]["authority"] for e in expected} >= {"KT.", "TL.", "TM.", "TUQ.", "Q.", None}


@pytest.mark.parametrize("path", TUNING, ids=[p.stem for p in TUNING])
def test_each_tuning_document_is_read_right(path):
    assert mismatches(expected_of(path), read(path)) == []


def score(paths) -> dict[str, tuple[int, int]]:
    """Right / total per top-level field and per item part (items matched by label)."""
    table: dict[str, list[int]] = {}
    for path in paths:
        expected, actual = expected_of(path), read(path)
        for name in (*FIELDS, "uncertain"):
            right = expected.get(name) == actual.get(name)
            cell = table.setdefault(name, [0, 0])
            cell[0] += right
            cell[1] += 1
        got = {i["label"]: i for i in actual["items"]}
        for item in expected["items"]:
            for key in ITEM_KEYS:
                cell = table.setdefault(f"items.{key}", [0, 0])
                cell[0] += item[key] == got.get(item["label"], {}).get(key)
                cell[1] += 1
    return {name: (right, total) for name, (right, total) in table.items()}


def table(paths) -> str:
    rows = ["| field | right | total | accuracy |", "| --- | ---: | ---: | ---: |"]
    right_all = total_all = 0
    for name, (right, total) in score(paths).items():
        rows.append(f"| {name} | {right} | {total} | {100 * right / total:.1f} % |")
        if not name.startswith("items."):
            right_all, total_all = right_all + right, total_all + total
    rows.append(f"| **all top-level fields** | {right_all} | {total_all} | {100 * right_all / total_all:.1f} % |")
    return "\n".join(rows)
