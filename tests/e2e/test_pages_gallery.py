"""Every page of `tests/e2e/pages.py`, opened in Chromium as its role on the demo department.

Each page must answer without a server error, in Vietnamese, with no console error, no
Content-Security-Policy violation and no browser date input (lib.forms.DateWidget instead).
Its picture goes to the artifacts folder, or straight into `docs/pages/` with
``PAGES_DIR=docs/pages`` (how the published pictures are retaken: `make pages`).
"""

from tests.e2e.conftest import pages_as_their_roles
from tests.e2e.pages import PAGES

NOT_FOUND = {"error-404"}


def test_every_page_opens_for_its_role(browser, live_server, demo_department, gallery_dir):
    failures = []
    for entry, page, response, problems in pages_as_their_roles(browser, live_server.url, PAGES):
        expected = 404 if entry.name in NOT_FOUND else 200
        if response.status != expected:
            failures.append(f"{entry.name}: HTTP {response.status}, expected {expected}")
        if entry.marked_vietnamese and page.locator("html").get_attribute("lang") != "vi":
            failures.append(f"{entry.name}: the page is not marked Vietnamese")
        if entry.name in NOT_FOUND:  # the browser logs the 404 answer itself
            problems[:] = [text for text in problems if "404" not in text]
        if page.locator("input[type=date]").count():  # its shape follows the browser's language
            failures.append(f"{entry.name}: a browser date input instead of the dd/mm/yyyy field")
        if problems:
            failures.append(f"{entry.name}: console errors {problems}")
        page.screenshot(path=str(gallery_dir / f"{entry.name}.png"), full_page=True)
    assert not failures, "\n".join(failures)
