"""Time the OCR of a two-page scan, as the reading job runs it.

Usage: .venv/bin/python bench/bench_ocr.py [N]

Prints a two-page Decree 30 notice with WeasyPrint, rasterises it at 300 dpi (pdftoppm) into a
PDF with no text, then reads it N times (default 3) with ``intake.extract.ocr`` (ocrmypdf,
tesseract vie, ``OCR_JOBS`` pages at a time) and reports each run, the median, the mean word
confidence and the number of words under ``LOW_CONFIDENCE``. Issue #17 asks for ≤ 20 s on 2 cores.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from intake import extract  # noqa: E402
from tests.intake import made_files  # noqa: E402


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    scan = made_files.scan_pdf(made_files.text_pdf(pages=8), pages=2)
    assert extract.text_of(scan, name="scan.pdf").needs_ocr
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extracted = extract.ocr(scan, name="scan.pdf")
        times.append(time.perf_counter() - start)
    print(f"cores: {os.cpu_count()}   OCR_JOBS: {extract.OCR_JOBS}   scan: 2 pages at 300 dpi, {len(scan) // 1024} KiB")
    print("runs (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"median {statistics.median(times):.2f} s   max {max(times):.2f} s   (limit 20 s)")
    print(
        f"confidence {extracted.confidence:.1f}   words {len(extracted.text.split())}   "
        f"low-confidence words {len(extracted.low_confidence_words)}"
    )


if __name__ == "__main__":
    main()
