"""WCAG 2.1 AA on every page of `tests/e2e/pages.py`, checked by axe-core in Chromium.

axe-core's own script is the vendored one (`tests/e2e/vendor/axe.min.js`, 4.14.1), run by
axe-playwright-python; no rule is switched off (docs/accessibility.md). A page added to
`pages.py` is checked here for its role without any change to this file.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e import test_pages_gallery
from tests.e2e.conftest import assigned_task, pages_as_their_roles, sign_in
from tests.e2e.pages import PAGES

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe(axe_script=AXE_SCRIPT.read_text(encoding="utf-8"))


# A rule is set aside on a page only for a third-party widget whose markup we cannot change,
# each with its reason in docs/accessibility.md ("Exceptions").
THIRD_PARTY = {
    # Swagger UI draws each operation's header as a role=button holding its own buttons.
    "api-docs": {"nested-interactive"},
}

# What axe-core leaves to review: references to ids that are not on the page and ids used twice.
ID_REFERENCES = """() => {
  const problems = [];
  const count = new Map();
  document.querySelectorAll("[id]").forEach((el) => count.set(el.id, (count.get(el.id) || 0) + 1));
  for (const [id, n] of count) if (n > 1) problems.push(`duplicate-id: #${id} on ${n} elements`);
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    document.querySelectorAll(`[${attr}]`).forEach((el) => {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (document.getElementById(id)) continue;
        problems.push(`missing-id: ${attr} of <${el.tagName} id="${el.id}"> names #${id}`);
      }
    });
  }
  document.querySelectorAll("label[for]").forEach((label) => {
    if (!document.getElementById(label.htmlFor)) problems.push(`missing-id: <label for="${label.htmlFor}">`);
  });
  return problems;
}"""


def violations_of(axe, page, *, set_aside=frozenset()) -> list[str]:
    """One line per failing element: rule, impact, target selectors, what axe says."""
    options = WCAG_AA | {"rules": {rule: {"enabled": False} for rule in set_aside}}
    results = axe.run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"{violation['id']} [{violation['impact']}] {node['target']}: {summary}")
    return lines + page.evaluate(ID_REFERENCES)


def test_the_vendored_axe_core_is_the_one_that_runs(browser, live_server, axe):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        axe.run(page, options=WCAG_AA)
        assert page.evaluate("axe.version") == "4.14.1"
    finally:
        context.close()


def test_the_gallery_and_this_check_share_one_list_of_pages():
    assert test_pages_gallery.PAGES is PAGES
    names = [entry.name for entry in PAGES]
    assert len(names) == len(set(names)), "two pages share a picture name"


def test_every_page_meets_wcag_21_aa_for_its_role(browser, live_server, demo_department, axe):
    failures = []
    for entry, page, _response, _problems in pages_as_their_roles(browser, live_server.url, PAGES):
        lines = violations_of(axe, page, set_aside=THIRD_PARTY.get(entry.name, frozenset()))
        failures += [f"{entry.name} ({entry.user or 'signed out'}): {line}" for line in lines]
    assert not failures, f"{len(failures)} axe-core violations:\n" + "\n".join(failures)


def test_a_violation_is_reported_with_rule_impact_and_target(browser, live_server, axe):
    """The check itself sees a failure: a nameless button on the sign-in page."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.evaluate("document.querySelector('main').append(document.createElement('button'))")
        lines = violations_of(axe, page)
        assert any(line.startswith("button-name [critical] ['#main > button']") for line in lines), lines
    finally:
        context.close()


def test_the_first_tab_stop_skips_to_the_main_content(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, "chuyenvien")
        page.goto(reverse("tasks:mine"))
        page.keyboard.press("Tab")
        focused = page.evaluate("(el => [el.textContent.trim(), el.getAttribute('href')])(document.activeElement)")
        assert focused == ["Bỏ qua, đến nội dung chính", "#main"]
        assert page.locator(".skip-link").is_visible()  # shown when focused, hidden otherwise
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert ring == "3px"
    finally:
        context.close()


def test_the_language_changes_only_when_confirmed(browser, live_server, demo, settings):
    """Moving through the language list with the arrow keys stays on the page; the button sends it."""
    settings.LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        sent = []
        page.on("request", lambda request: sent.append(request) if "/i18n/setlang/" in request.url else None)
        page.goto("/accounts/login/")
        page.get_by_label("Ngôn ngữ").focus()
        page.keyboard.press("ArrowDown")
        assert page.get_by_label("Ngôn ngữ").input_value() == "en"
        with page.expect_navigation():
            page.get_by_role("button", name="Đổi ngôn ngữ").click()
        assert ["language=en" in (request.post_data or "") for request in sent] == [True]
    finally:
        context.close()


def _described_by(field) -> str:
    return field.evaluate(
        "el => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)"
        ".map((id) => document.getElementById(id).textContent.trim()).join(' | ')"
    )


def test_errors_are_tied_to_their_fields_on_pages_and_in_dialogs(browser, live_server, demo, axe):
    from playwright.sync_api import expect

    task = assigned_task("Rà soát danh mục thiết bị phòng thí nghiệm")
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, "giamdoc")
        page.goto(reverse("tasks:create"))
        page.get_by_role("button", name="Giao nhiệm vụ").click()  # nothing typed: refused by the server
        title = page.get_by_label("Nội dung nhiệm vụ")
        expect(title).to_have_attribute("aria-invalid", "true")
        assert "Hãy ghi nội dung nhiệm vụ." in _described_by(title)
        assert violations_of(axe, page) == []

        context.clear_cookies()
        sign_in(page, "chuyenvien")
        page.goto(reverse("tasks:detail", args=[task.pk]))
        page.get_by_role("button", name="Xin gia hạn").click()
        dialog = page.locator("#extend-modal")
        dialog.get_by_label("Lý do").fill("Chờ ý kiến thẩm định")
        dialog.get_by_role("button", name="Gửi đề nghị").click()  # no new deadline: the dialog opens again
        deadline = dialog.get_by_label("Hạn đề nghị")
        expect(deadline).to_have_attribute("aria-invalid", "true")
        assert "Hãy chọn hạn đề nghị." in _described_by(deadline)
        expect(dialog.locator(".modal-dialog")).to_have_css("transform", "none")  # the opening has finished
        assert violations_of(axe, page) == []
    finally:
        context.close()
