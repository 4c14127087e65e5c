"""Headless Chromium driving the real pages (Debian's chromium, never a downloaded browser)."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
# from inside one unless told it is safe, which it is in tests (one thread drives both).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread while the browser is open, which breaks later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def gallery_dir() -> Path:
    """Where the pictures of the pages go: the artifacts, or `docs/pages/` with PAGES_DIR (`make pages`)."""
    target = Path(os.environ.get("PAGES_DIR") or ARTIFACTS / "pages")
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def page(browser, live_server):
    # An English browser: the portal must still answer in Vietnamese.
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    from units.demo import seed_people

    return seed_people()


@pytest.fixture
def demo_department(transactional_db):
    """The demo department of `seed_demo`, plus the province administrator of `pages.py`."""
    from tests.e2e.pages import PROVINCE_ADMINISTRATOR

    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth.models import Group

    from units.demo import DEMO_PASSWORD
    from units.models import User
    from units.roles import Role

    administrator = User.objects.create_user(PROVINCE_ADMINISTRATOR, password=DEMO_PASSWORD, full_name="Quản trị tỉnh")
    administrator.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))


def assigned_task(title: str):
    """A task of the science unit with a deadline in 10 days, given by giamdoc, handled by chuyenvien."""
    import datetime

    from lib.workdays import local_today
    from tasks import services as task_services
    from units.models import Unit, User

    task = task_services.task_create(
        by=User.objects.get(username="giamdoc"),
        title=title,
        lead_unit=Unit.objects.get(abbreviation="QLKH"),
        deadline=local_today() + datetime.timedelta(days=10),
    )
    head = User.objects.get(username="truongphong")
    task_services.task_assign(task=task, by=head, handler=User.objects.get(username="chuyenvien"))
    return task


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = "demo12345") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def pages_as_their_roles(browser, base_url: str, pages, **context_options):
    """Open each page of `pages` signed in as its role, one browser context per role.

    Yields ``(entry, page, response, console_errors)`` once the page has settled; the
    contexts are closed when the loop ends or breaks. Context options (viewport, phone)
    are Playwright's; the browser speaks English so the portal must choose Vietnamese.
    """
    options = {"locale": "en-US", "viewport": {"width": 1366, "height": 900}} | context_options
    contexts = {}
    try:
        for entry in pages:
            if entry.user not in contexts:
                context = browser.new_context(base_url=base_url, **options)
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
            yield entry, page, response, problems
    finally:
        for context, _page in contexts.values():
            context.close()


class Journey:
    """A person's way through the pages, counted the way a person counts it.

    One interaction is one thing the person does: a click, a choice in a list, a field
    filled, a key pressed, an address opened from the bookmarks. Waiting for a page,
    reading it and the test's own assertions are not interactions. Every step of a
    counted journey goes through this object, so ``count`` is what the person did.
    """

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.steps: list[str] = []

    def _did(self, what: str) -> None:
        self.count += 1
        self.steps.append(what)

    def goto(self, url: str) -> None:
        self._did(f"open {url}")
        self.page.goto(url)

    def click(self, locator) -> None:
        self._did(f"click {locator}")
        locator.click()

    def fill(self, locator, text: str) -> None:
        self._did(f"fill {locator}")
        locator.fill(text)

    def type(self, locator, text: str) -> None:
        """Type into a field (an editor, a search box) as one interaction."""
        self._did(f"type {locator}")
        locator.click()
        self.page.keyboard.type(text)

    def select(self, locator, **option) -> None:
        self._did(f"select {locator}")
        locator.select_option(**option)

    def check(self, locator) -> None:
        self._did(f"check {locator}")
        locator.check()

    def press(self, key: str) -> None:
        self._did(f"press {key}")
        self.page.keyboard.press(key)

    def set_files(self, locator, files) -> None:
        self._did(f"files {locator}")
        locator.set_input_files(files)

    def report(self) -> str:
        return "\n".join(f"{n:2}. {step}" for n, step in enumerate(self.steps, 1))
