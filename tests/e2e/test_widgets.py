"""The widgets people expect, in an English browser: chips, dd/mm/yyyy dates, Vietnamese
messages, files and dialogs that keep what was typed, the icon and the API docs."""

import datetime
import re

from playwright.sync_api import expect

from directives.models import Document
from lib.workdays import local_today
from tasks import services as task_services
from tasks.models import Task, TaskFile
from tests import uploads
from tests.e2e.conftest import ARTIFACTS, Journey, screenshot, sign_in
from units.models import Unit, User


def _assigned_task(title: str) -> Task:
    """A task of the science unit, given by the director and assigned to chuyenvien."""
    director = User.objects.get(username="giamdoc")
    head = User.objects.get(username="truongphong")
    task = task_services.task_create(
        by=director,
        title=title,
        lead_unit=Unit.objects.get(abbreviation="QLKH"),
        deadline=local_today() + datetime.timedelta(days=10),
    )
    task_services.task_assign(task=task, by=head, handler=User.objects.get(username="chuyenvien"))
    return task


def test_addressees_are_chosen_with_chips_by_keyboard_and_mouse_and_all_at_once(page, demo):
    sign_in(page, "chuyenvien")
    page.goto("/directives/new/")
    expect(page.get_by_label("Loại văn bản")).to_have_value(
        str(Document._meta.get_field("doc_type").related_model.objects.get(name="Công văn").pk)
    )
    journey = Journey(page)
    control = page.locator("#id_recipient_units-ts-control")

    # Keyboard: type to search, Enter picks, Backspace removes the last chip.
    journey.type(control, "thanh tra")
    expect(page.locator(".ts-dropdown .option.active")).to_contain_text("Thanh tra Sở")
    journey.press("Enter")
    chips = page.locator(".ts-wrapper:has(#id_recipient_units-ts-control) .item")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("Thanh tra Sở")
    journey.press("Backspace")
    expect(chips).to_have_count(0)
    journey.press("Escape")

    # Mouse: open the list and click a unit, then remove its chip with its ×.
    journey.click(control)
    journey.click(page.locator(".ts-dropdown .option", has_text="Văn phòng Sở"))
    expect(chips).to_have_count(1)
    journey.click(chips.first.locator(".remove"))
    expect(chips).to_have_count(0)

    # «Tất cả đơn vị thuộc Sở» picks every unit in one click.
    units = Unit.objects.filter(is_active=True, agency__isnull=False).count()
    journey.click(page.get_by_role("button", name="Tất cả đơn vị thuộc Sở"))
    expect(chips).to_have_count(units)
    page.get_by_label("Trích yếu").fill("Về việc rà soát đề tài khoa học và công nghệ cấp tỉnh năm 2027")
    page.mouse.click(5, 5)
    screenshot(page, "draft-form-chips")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    document = Document.objects.get(subject__startswith="Về việc rà soát")
    assert document.recipients.filter(unit__isnull=False).count() == units
    assert document.doc_type.name == "Công văn"
    # The tab says what the draft is about, not its unnumbered symbol «/SKHCN-…».
    expect(page).to_have_title(re.compile(r"^Về việc rà soát đề tài"))


def test_dates_read_and_write_dd_mm_yyyy_in_an_english_browser(page, demo):
    sign_in(page, "giamdoc")
    page.goto("/tasks/new/")
    deadline = page.get_by_label("Hạn xử lý")
    day = local_today() + datetime.timedelta(days=40)

    # Typed as dd/mm/yyyy.
    page.get_by_label("Nội dung nhiệm vụ").fill("Tổng hợp báo cáo đánh giá đề tài")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Quản lý Khoa học")
    deadline.fill(day.strftime("%d/%m/%Y"))
    deadline.press("Enter")
    expect(deadline).to_have_value(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.get_by_text("Đã giao nhiệm vụ", exact=False)).to_be_visible()
    assert Task.objects.get(title="Tổng hợp báo cáo đánh giá đề tài").deadline == day

    # Picked on the calendar (Vietnamese month names), written back as dd/mm/yyyy.
    page.goto("/tasks/new/")
    page.get_by_label("Nội dung nhiệm vụ").fill("Chuẩn bị hội nghị tổng kết")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Quản lý Khoa học")
    page.get_by_label("Hạn xử lý").click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text(re.compile("CN|T2"))
    calendar.locator(".flatpickr-next-month").click()
    screenshot(page, "date-picker-open")
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^15$")).click()
    picked = page.get_by_label("Hạn xử lý").input_value()
    assert re.fullmatch(r"15/\d{2}/\d{4}", picked)
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.get_by_text("Đã giao nhiệm vụ", exact=False)).to_be_visible()
    dd, mm, yyyy = (int(part) for part in picked.split("/"))
    assert Task.objects.get(title="Chuẩn bị hội nghị tổng kết").deadline == datetime.date(yyyy, mm, dd)


def test_required_fields_show_the_servers_vietnamese_message(page, demo):
    sign_in(page, "giamdoc")
    page.goto("/tasks/new/")
    page.get_by_role("button", name="Giao nhiệm vụ").click()  # nothing typed: the browser must not stop it
    expect(page.get_by_text("Hãy ghi nội dung nhiệm vụ.")).to_be_visible()
    expect(page.get_by_text("Hãy chọn đơn vị chủ trì.")).to_be_visible()
    page.goto("/directives/new/")
    assert page.evaluate("Array.from(document.forms).every((form) => form.noValidate)")
    # The file input speaks Vietnamese: «Chọn tệp…» and what was chosen, never "Choose File".
    expect(page.get_by_text("Chọn tệp…").first).to_be_visible()
    expect(page.get_by_test_id("chosen-files").first).to_have_text("Chưa chọn tệp nào")


def test_the_extension_dialog_opens_again_with_its_reason_and_the_error(page, demo):
    task = _assigned_task("Rà soát hồ sơ nghiệm thu đề tài")
    sign_in(page, "chuyenvien")
    page.goto(f"/tasks/{task.pk}/")
    page.get_by_role("button", name="Xin gia hạn").click()
    modal = page.locator("#extend-modal")
    reason = "Chờ ý kiến thẩm định của Hội đồng khoa học"
    modal.get_by_label("Lý do").fill(reason)
    modal.get_by_role("button", name=re.compile("Gửi")).click()  # no new deadline chosen

    expect(modal).to_be_visible()
    expect(modal.get_by_label("Lý do")).to_have_value(reason)
    expect(modal.get_by_text("Hãy chọn hạn đề nghị.")).to_be_visible()
    expect(modal.locator(".modal-dialog")).to_have_css("transform", "none")  # the opening has finished
    screenshot(page, "dialog-reopened-with-error")
    new_deadline = local_today() + datetime.timedelta(days=30)
    modal.get_by_label("Hạn đề nghị").fill(new_deadline.strftime("%d/%m/%Y"))
    modal.get_by_role("button", name=re.compile("Gửi")).click()
    expect(page.get_by_text("Đã gửi đề nghị gia hạn.")).to_be_visible()
    assert task.extensions.get().reason == reason


def test_a_report_keeps_its_file_after_a_refusal(page, demo, tmp_path):
    task = _assigned_task("Lập danh mục đề tài chuyển tiếp")
    evidence = tmp_path / "Danh mục đề tài.pdf"
    evidence.write_bytes(uploads.PDF)
    sign_in(page, "chuyenvien")
    page.goto(f"/tasks/{task.pk}/")
    page.get_by_role("button", name="Báo cáo tiến độ").first.click()
    modal = page.locator("#report-modal")
    modal.get_by_label("Tiến độ (%)").fill("40")
    modal.get_by_label("Tệp đính kèm").set_input_files(str(evidence))
    expect(modal.get_by_test_id("chosen-files")).to_have_text("Danh mục đề tài.pdf")
    modal.get_by_role("button", name="Gửi báo cáo").click()  # no text: refused

    expect(modal).to_be_visible()
    expect(modal.get_by_text("Hãy ghi nội dung báo cáo.")).to_be_visible()
    expect(modal.get_by_test_id("staged-upload")).to_contain_text("Đã giữ tệp: Danh mục đề tài.pdf")
    expect(modal.get_by_label("Tiến độ (%)")).to_have_value("40")
    modal.get_by_label("Nội dung báo cáo").fill("Đã lập xong danh mục.")
    modal.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo tiến độ.")).to_be_visible()
    assert [f.name for f in TaskFile.objects.filter(report__task=task)] == ["Danh mục đề tài.pdf"]


def test_the_favicon_and_the_api_docs_without_csp_errors(page, demo):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    response = page.goto("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg")
    sign_in(page, "chuyenvien")
    assert page.locator("link[rel=icon]").get_attribute("href").endswith("favicon.svg")
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Authorization: Bearer <token>")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))  # the top of the page: the long list says nothing more
    assert violations == []
