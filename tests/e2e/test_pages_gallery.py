"""Every page of `tests/e2e/pages.py`, opened in Chromium as its role on the demo department.

Each page must answer without a server error, in Vietnamese, with no console error, no
Content-Security-Policy violation and no browser date input (lib.forms.DateWidget instead).
Its picture goes to the artifacts folder, or straight into `docs/pages/` with
``PAGES_DIR=docs/pages`` (how the published pictures are retaken: `make pages`).
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.e2e.pages import PAGES, PROVINCE_ADMINISTRATOR

NOT_FOUND = {"error-404"}


@pytest.fixture(scope="module")
def gallery_dir() -> Path:
    target = Path(os.environ.get("PAGES_DIR") or ARTIFACTS / "pages")
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def demo_department(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth.models import Group

    from units.demo import DEMO_PASSWORD
    from units.models import User
    from units.roles import Role

    administrator = User.objects.create_user(PROVINCE_ADMINISTRATOR, password=DEMO_PASSWORD, full_name="Quản trị tỉnh")
    administrator.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))


def test_every_page_opens_for_its_role(browser, live_server, demo_department, gallery_dir):
    failures = []
    contexts = {}
    try:
        for entry in PAGES:
            if entry.user not in contexts:
                context = browser.new_context(
                    base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(10_000)
                if entry.user:
                    sign_in(page, entry.user)
                contexts[entry.user] = (context, page)
            page = contexts[entry.user][1]
            problems: list[str] = []

            def console(message, problems=problems):
                if message.type == "error":
                    problems.append(message.text)

            page.on("console", console)
            response = page.goto(entry.address())
            page.wait_for_load_state("networkidle")
            page.remove_listener("console", console)
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
    finally:
        for context, _page in contexts.values():
            context.close()
    assert not failures, "\n".join(failures)
