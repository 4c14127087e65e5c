"""Tasks from the points of an issued plan, clicked through by the director, the head and the specialist."""

import datetime
import re

from playwright.sync_api import expect

from directives.demo import seed_documents
from lib.workdays import local_today
from tests import uploads
from tests.e2e.conftest import screenshot, sign_in

PLAN = "Triển khai một số nhiệm vụ cấp bách trước, trong và sau Tết Nguyên đán Đinh Mùi 2027"
POINT_4 = "Phòng Quản lý Khoa học phối hợp với các chủ nhiệm đề tài"


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def open_task(page, list_url: str) -> None:
    page.goto(list_url)
    page.get_by_test_id("task-row").filter(has_text=POINT_4).get_by_role("link").first.click()
    page.wait_for_load_state()


def test_tasks_from_a_plan_are_assigned_reported_returned_and_accepted(page, demo, tmp_path):
    seed_documents()
    deadline = local_today() + datetime.timedelta(days=5)

    # The director opens the issued plan and gives a task for each of its points.
    sign_in(page, "giamdoc")
    page.goto("/directives/outgoing/")
    page.get_by_role("link", name=PLAN).click()
    page.get_by_role("link", name="Giao nhiệm vụ từ văn bản").click()
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(7)  # six points and an empty row
    expect(rows.nth(3).get_by_label("Tên nhiệm vụ")).to_have_value(re.compile(POINT_4))
    expect(rows.nth(3).get_by_label("Đơn vị chủ trì")).to_have_value(re.compile(r"\d+"))
    rows.nth(0).get_by_label("Đơn vị chủ trì").select_option(label="Văn phòng Sở")
    rows.nth(0).get_by_label("hoặc số ngày làm việc").fill("10")
    rows.nth(3).get_by_label("Hạn xử lý").fill(deadline.strftime("%d/%m/%Y"))  # dd/mm/yyyy in any browser
    rows.nth(3).get_by_label("Hạn xử lý").press("Enter")
    rows.nth(3).get_by_label("Ưu tiên").select_option(label="Cao")
    screenshot(page, "tasks-from-document")
    page.get_by_role("button", name="Giao các nhiệm vụ").click()
    expect(page.get_by_text("Đã giao 6 nhiệm vụ từ văn bản.")).to_be_visible()
    expect(page.get_by_test_id("document-tasks")).to_contain_text(POINT_4)
    screenshot(page, "document-with-tasks")
    sign_out(page)

    # The head of the science unit gives it to a specialist, from the unit's list.
    sign_in(page, "truongphong")
    row = page.get_by_test_id("task-row").filter(has_text=POINT_4)
    expect(row).to_contain_text("Chưa phân công")
    row.get_by_role("button", name="Phân công").click()
    modal = page.locator("#assign-modal")
    modal.get_by_label("Người xử lý chính").select_option(label="Đỗ Thị Lan")
    modal.get_by_role("button", name="Phân công").click()
    expect(page.get_by_text("Đã phân công xử lý.")).to_be_visible()
    expect(page.get_by_test_id("task-row").filter(has_text=POINT_4)).to_contain_text("Đỗ Thị Lan")
    screenshot(page, "tasks-unit")
    sign_out(page)

    # The specialist reports half done with a file, straight from her list.
    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(uploads.PDF)
    sign_in(page, "chuyenvien")
    expect(page.get_by_test_id("start-page")).to_have_text("Nhiệm vụ của tôi")
    page.get_by_test_id("task-row").filter(has_text=POINT_4).get_by_role("button", name="Báo cáo").click()
    modal = page.locator("#report-modal")
    modal.get_by_label("Nội dung báo cáo").fill("Đã nghiệm thu 3/6 đề tài, đang thanh quyết toán.")
    modal.get_by_label("Tiến độ (%)").fill("50")
    modal.get_by_label("Tệp đính kèm").set_input_files(str(evidence))
    modal.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo tiến độ.")).to_be_visible()
    expect(page.get_by_test_id("task-row").filter(has_text=POINT_4)).to_contain_text("50%")
    screenshot(page, "tasks-mine")

    # ...then reports it done.
    open_task(page, "/tasks/")
    expect(page.get_by_test_id("report-file")).to_have_text("bien-ban-nghiem-thu.pdf")
    page.get_by_role("button", name="Báo cáo hoàn thành").click()
    page.locator("#submit-modal").get_by_label("Kết quả thực hiện").fill("Đã nghiệm thu, quyết toán 6/6 đề tài.")
    page.locator("#submit-modal").get_by_role("button", name="Gửi báo cáo hoàn thành").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Chờ nghiệm thu")
    sign_out(page)

    # The head of the unit, the first step of the agency's acceptance ladder, returns it with a reason.
    sign_in(page, "truongphong")
    page.get_by_test_id("card-submitted").click()
    page.get_by_test_id("task-row").filter(has_text=POINT_4).get_by_role("button", name="Trả lại").click()
    page.locator("#return-modal").get_by_label("Lý do trả lại").fill("Bổ sung biên bản thanh lý hợp đồng.")
    page.locator("#return-modal").get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại nhiệm vụ.")).to_be_visible()
    sign_out(page)

    # The specialist resubmits.
    sign_in(page, "chuyenvien")
    open_task(page, "/tasks/")
    expect(page.get_by_test_id("task-state")).to_have_text("Bị trả lại")
    expect(page.get_by_test_id("timeline")).to_contain_text("Bổ sung biên bản thanh lý hợp đồng.")
    page.get_by_role("button", name="Báo cáo hoàn thành").click()
    page.locator("#submit-modal").get_by_label("Kết quả thực hiện").fill("Đã bổ sung biên bản thanh lý.")
    page.locator("#submit-modal").get_by_role("button", name="Gửi báo cáo hoàn thành").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Chờ nghiệm thu")
    sign_out(page)

    # The head accepts from his list and passes it on to the director...
    sign_in(page, "truongphong")
    page.get_by_test_id("task-row").filter(has_text=POINT_4).get_by_test_id("row-accept").click()
    page.locator("#accept-modal").get_by_label("Ý kiến (không bắt buộc)").fill("Đã kiểm tra hồ sơ thanh lý.")
    page.locator("#accept-modal").get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("task-row").filter(has_text=POINT_4).get_by_test_id("pre-accepted")).to_be_visible()
    sign_out(page)

    # ...who gives the final acceptance: finished on time.
    sign_in(page, "giamdoc")
    open_task(page, "/tasks/supervised/")
    page.get_by_role("button", name="Nghiệm thu").click()
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Hoàn thành")
    expect(page.get_by_test_id("task-tracking")).to_have_text("Hoàn thành đúng hạn")
    expect(page.get_by_test_id("deadline")).to_contain_text(deadline.strftime("%d/%m/%Y"))
    screenshot(page, "task-detail")
