"""Time the official PDF renderer in one long-lived process.

Usage: .venv/bin/python bench/bench_pdf.py [N]

Renders a two-page document N times (default 50) after a warm-up, then the same HTML through a
bare ``weasyprint.HTML(...).write_pdf()`` with a fresh font configuration and stylesheet each
time (what a naive caller does), and reports median and p95 in ms and the process's peak RSS.
"""

import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from directives import pdf  # noqa: E402
from tests.directives import samples  # noqa: E402


def two_page_document() -> dict:
    return samples.long_document(pages_of_text=2)


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    return f"{name:<44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   (n={len(times)})"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    document = two_page_document()
    # directives.pdf imports WeasyPrint lazily: the first render pays the import, the font
    # configuration and the stylesheet parse.
    first_start = time.perf_counter()
    pdf.render_pdf(document)
    first_ms = (time.perf_counter() - first_start) * 1000

    import pdfplumber
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    with pdfplumber.open(io.BytesIO(pdf.render_pdf(document))) as rendered:
        pages = len(rendered.pages)
    for _ in range(3):  # warm-up
        pdf.render_pdf(document)
    engine = timed(lambda: pdf.render_pdf(document), runs)

    html = pdf.render_html(document)
    css_path = pdf.static_dir() / "pdf" / "document.css"

    def bare() -> bytes:
        font_config = FontConfiguration()
        css = weasyprint.CSS(filename=str(css_path), font_config=font_config)
        return weasyprint.HTML(string=html, base_url=str(pdf.static_dir()) + "/").write_pdf(
            stylesheets=[css], font_config=font_config
        )

    bare()
    bare_times = timed(bare, runs)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"document: {pages} pages; WeasyPrint {weasyprint.__version__}; {os.cpu_count()} CPUs")
    print(f"first render (imports WeasyPrint, builds fonts and stylesheet): {first_ms:.0f} ms")
    print(summary("render_pdf (cached fonts + stylesheet)", engine))
    print(summary("bare WeasyPrint (new fonts + CSS each time)", bare_times))
    print(f"peak RSS: {peak_rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
