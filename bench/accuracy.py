"""Print the reading accuracy table of docs/import-accuracy.md (issue #17).

Usage: .venv/bin/python bench/accuracy.py [--documents]

Reads every fixture with an expected JSON under tests/fixtures/documents/ (the scan through OCR:
allow a few seconds per page), parses it and prints the markdown table: each field's accuracy
over the tuning set, the held-out set and both. ``--documents`` adds one row per document
(how its text was read and its share of fields right). The rules are in tests/intake/accuracy.py.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from tests.intake import accuracy  # noqa: E402


def main(argv: list[str]) -> None:
    report = accuracy.run()
    print(accuracy.table(report))
    if "--documents" in argv:
        print()
        print(accuracy.documents_table(report))


if __name__ == "__main__":
    main(sys.argv[1:])
