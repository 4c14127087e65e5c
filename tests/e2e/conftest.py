"""Headless Chromium driving the real pages (Debian's chromium, never a downloaded browser)."""

import os
import shutil
from pathlib import Path

import pytest

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


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = "demo12345") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


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
