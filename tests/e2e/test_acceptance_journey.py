"""The unit head judges his staff's results from the list he lands on: a confirmation dialog
to accept (with an optional note) or return (with a reason), by mouse and by keyboard."""

import datetime

from playwright.sync_api import expect

from lib.workdays import local_today
from tasks import services
from tests.e2e.conftest import Journey, screenshot, sign_in
from units.models import Unit, User

FIRST = "Tổng hợp kết quả nghiệm thu đề tài cấp tỉnh năm 2026"
SECOND = "Rà soát hồ sơ thanh lý hợp đồng khoa học & công nghệ"
THIRD = "Cập nhật cơ sở dữ liệu nhiệm vụ khoa học"


def settled(page) -> None:
    """Wait for the open dialog's fade to end, so its screenshot is the dialog a person reads."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.modal.show')].every((m) => getComputedStyle(m).opacity === '1')"
    )


def submitted(title: str):
    """A task the director gave the science unit, assigned to Đỗ Thị Lan and reported done."""
    director, head, staff = (User.objects.get(username=name) for name in ("giamdoc", "truongphong", "chuyenvien"))
    unit = Unit.objects.get(abbreviation="QLKH")
    task = services.task_create(
        by=director, title=title, lead_unit=unit, deadline=local_today() + datetime.timedelta(days=10)
    )
    services.task_assign(task=task, by=head, handler=staff)
    return services.task_submit(task=task, by=staff, result="Đã hoàn thành, gửi kèm báo cáo tổng hợp.")


def test_a_unit_head_accepts_in_two_clicks_and_returns_with_a_reason(page, demo):
    submitted(FIRST)
    submitted(SECOND)
    sign_in(page, "truongphong")
    expect(page.get_by_test_id("start-page")).to_have_text("Nhiệm vụ đơn vị")
    expect(page.get_by_test_id("count-submitted")).to_have_text("2")
    screenshot(page, "tasks-unit-waiting")

    # Accept: the row's button, then the dialog's confirmation.
    journey = Journey(page)
    journey.click(page.get_by_test_id("task-row").filter(has_text=FIRST).get_by_test_id("row-accept"))
    dialog = page.locator("#accept-modal")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(FIRST)
    expect(dialog).to_contain_text("Kết quả sẽ chuyển lãnh đạo phụ trách nghiệm thu lần cuối.")
    expect(dialog.get_by_label("Ý kiến (không bắt buộc)")).to_be_focused()
    settled(page)
    screenshot(page, "task-accept-dialog")
    journey.click(dialog.get_by_test_id("confirm-accept"))
    expect(page.get_by_text("Đã nghiệm thu, chuyển lãnh đạo phụ trách nghiệm thu lần cuối.")).to_be_visible()
    assert journey.count <= 3, journey.report()
    expect(page.get_by_test_id("task-row").filter(has_text=FIRST).get_by_test_id("pre-accepted")).to_be_visible()
    expect(page.get_by_test_id("count-submitted")).to_have_text("1")

    # Return: an empty reason is refused by the server and the dialog comes back with the error.
    journey = Journey(page)
    journey.click(page.get_by_test_id("task-row").filter(has_text=SECOND).get_by_test_id("row-return"))
    dialog = page.locator("#return-modal")
    expect(dialog).to_be_visible()
    journey.click(dialog.get_by_test_id("confirm-return"))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("dialog-error")).to_have_text("Hãy ghi lý do trả lại.")
    expect(dialog).to_contain_text(SECOND)
    settled(page)
    screenshot(page, "task-return-dialog-error")
    journey.fill(dialog.get_by_label("Lý do trả lại"), "Bổ sung biên bản thanh lý hợp đồng.")
    journey.click(dialog.get_by_test_id("confirm-return"))
    expect(page.get_by_text("Đã trả lại nhiệm vụ.")).to_be_visible()
    expect(page.get_by_test_id("task-row").filter(has_text=SECOND).get_by_test_id("task-state")).to_have_text(
        "Bị trả lại"
    )
    assert journey.count <= 4, journey.report()
    screenshot(page, "tasks-unit-judged")

    # The director sees what the head passed on, and gives the final acceptance.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "giamdoc")
    page.goto("/tasks/supervised/")
    expect(page.get_by_test_id("count-submitted")).to_have_text("1")
    row = page.get_by_test_id("task-row").filter(has_text=FIRST)
    row.get_by_test_id("row-accept").click()
    expect(page.locator("#accept-modal")).to_contain_text("Nhiệm vụ được ghi nhận hoàn thành")
    page.locator("#accept-modal").get_by_test_id("confirm-accept").click()
    expect(page.get_by_text("Đã nghiệm thu nhiệm vụ.")).to_be_visible()


def test_the_dialog_works_by_keyboard(page, demo):
    submitted(THIRD)
    sign_in(page, "truongphong")
    journey = Journey(page)
    button = page.get_by_test_id("task-row").filter(has_text=THIRD).get_by_test_id("row-accept")
    button.focus()
    journey.press("Enter")
    dialog = page.locator("#accept-modal")
    note = dialog.get_by_label("Ý kiến (không bắt buộc)")
    expect(note).to_be_focused()
    journey.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()  # the focus goes back where it was
    journey.press("Enter")
    expect(note).to_be_focused()
    page.keyboard.type("Đạt yêu cầu.")
    journey.press("Tab")  # «Hủy»
    journey.press("Tab")  # «Xác nhận nghiệm thu»
    expect(dialog.get_by_test_id("confirm-accept")).to_be_focused()
    journey.press("Enter")
    expect(page.get_by_text("Đã nghiệm thu, chuyển lãnh đạo phụ trách nghiệm thu lần cuối.")).to_be_visible()
