"""The portal on a phone (390 × 844, touch): no page wider than the screen, and the journey
staff make between meetings: open a task from *my tasks*, report 50 % with a photo, ask for
more time. Every step goes through the pages' own forms.

With ``PAGES_DIR=docs/pages`` (`make pages`) each page's phone picture goes to
`docs/pages/phone-<name>.png`.
"""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.e2e.conftest import assigned_task, pages_as_their_roles, sign_in
from tests.e2e.pages import PAGES

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,  # the pictures at CSS pixels: a quarter of the weight, the same layout
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
WIDTH = PHONE["viewport"]["width"]

WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll("body *"))
    .filter((el) => { const box = el.getBoundingClientRect(); return box.width && box.right > width + 1; })
    .filter((el) => !el.closest(".table-responsive, .modal, .dropdown-menu, .collapse:not(.show), .visually-hidden"))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`
      + ` right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


def test_no_page_is_wider_than_a_phone(browser, live_server, demo_department, gallery_dir):
    failures = []
    for entry, page, _response, _problems in pages_as_their_roles(browser, live_server.url, PAGES, **PHONE):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            failures.append(f"{entry.name}: {width} px wide; {page.evaluate(WIDER_THAN_THE_SCREEN)}")
        page.screenshot(path=str(gallery_dir / f"phone-{entry.name}.png"), full_page=True)
    assert not failures, "\n".join(failures)


def _photo() -> bytes:
    """A small JPEG, as a phone's camera would send."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (122, 28, 28)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_staff_report_progress_with_a_photo_and_ask_for_time_from_a_phone(phone, demo):
    from playwright.sync_api import expect

    from tasks.models import Extension, ProgressReport

    task = assigned_task("Tổng hợp ý kiến góp ý dự thảo quy chế")
    page = phone
    sign_in(page, "chuyenvien")
    page.goto(reverse("tasks:mine"))

    # My tasks are cards: the title, deadline and state readable at once, the next action at hand.
    card = page.get_by_test_id("task-row").filter(has_text=task.title)
    expect(card.get_by_role("link", name=task.title)).to_be_visible()
    expect(card.get_by_text(task.deadline.strftime("%d/%m/%Y"))).to_be_visible()
    expect(card.get_by_test_id("task-state")).to_be_visible()
    action = card.get_by_role("button", name="Báo cáo")
    expect(action).to_be_visible()
    for part in (card, action):  # within the screen's width, not scrolled off to the side
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    card.get_by_role("link", name=task.title).tap()
    expect(page.get_by_role("heading", name=task.title)).to_be_visible()

    page.get_by_role("button", name="Báo cáo tiến độ").first.tap()
    dialog = page.locator("#report-modal")
    dialog.get_by_label("Nội dung báo cáo").fill("Đã tổng hợp ý kiến của 6 phòng; ảnh biên bản họp kèm theo.")
    dialog.get_by_label("Tiến độ (%)").fill("50")
    dialog.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "bien-ban-hop.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    expect(dialog.get_by_test_id("chosen-files")).to_have_text("bien-ban-hop.jpg")
    dialog.get_by_role("button", name="Gửi báo cáo").tap()
    expect(page.get_by_text("Đã gửi báo cáo tiến độ.")).to_be_visible()
    report = ProgressReport.objects.get(task=task)
    assert report.percent == 50
    assert [file.name for file in report.files.all()] == ["bien-ban-hop.jpg"]
    task.refresh_from_db()
    assert task.progress == 50
    expect(page.get_by_test_id("report-file")).to_have_text("bien-ban-hop.jpg")

    page.get_by_role("button", name="Xin gia hạn").tap()
    dialog = page.locator("#extend-modal")
    new_deadline = task.deadline + datetime.timedelta(days=14)
    date_field = dialog.get_by_label("Hạn đề nghị")
    date_field.fill(new_deadline.strftime("%d/%m/%Y"))
    # The whole date shows in the field on a phone, the year not cut off.
    assert date_field.evaluate("el => el.scrollWidth <= el.clientWidth")
    dialog.get_by_label("Lý do").fill("Chờ ý kiến của Sở Tư pháp.")
    dialog.get_by_role("button", name="Gửi đề nghị").tap()
    expect(page.get_by_text("Đã gửi đề nghị gia hạn.")).to_be_visible()
    extension = Extension.objects.get(task=task)
    assert (extension.new_deadline, extension.reason, extension.state) == (
        new_deadline,
        "Chờ ý kiến của Sở Tư pháp.",
        Extension.State.PENDING,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.evaluate(WIDER_THAN_THE_SCREEN)


def test_a_register_on_a_phone_shows_its_chosen_columns_and_the_rest_on_demand(phone, demo):
    from playwright.sync_api import expect

    page = phone
    sign_in(page, "vanthu")
    page.goto(reverse("directives:registers"))
    shown = page.locator("#register-table thead th:visible")
    assert shown.all_inner_texts() == ["Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu"]
    button = page.get_by_role("button", name="Hiện đủ các cột")
    button.tap()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(shown).to_have_count(10)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # the table scrolls in its box
