"""Six tasks from a six-point plan in at most ten interactions, each point given once; and a
body typed with "&" and "<" shown exactly as typed (issue #15, items 3 and 5)."""

import re

from playwright.sync_api import expect

from directives.demo import seed_documents
from directives.models import Document
from tasks.models import Task
from tests.e2e.conftest import Journey, screenshot, sign_in

PLAN = "Triển khai một số nhiệm vụ cấp bách trước, trong và sau Tết Nguyên đán Đinh Mùi 2027"
LEADS = [
    "Văn phòng Sở",
    "Trung tâm Thông tin và Ứng dụng khoa học công nghệ",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Quản lý Khoa học",
    "Thanh tra Sở",
    "Phòng Quản lý Công nghệ và Quản lý chuyên ngành",
]


def selected_label(select) -> str:
    return select.evaluate("s => s.selectedOptions.length ? s.selectedOptions[0].textContent.trim() : ''")


def test_a_director_gives_six_tasks_from_a_six_point_plan_once(page, demo):
    seed_documents()
    plan = Document.objects.get(subject=PLAN)
    sign_in(page, "giamdoc")
    page.goto(f"/directives/{plan.pk}/")

    journey = Journey(page)  # counted from the document's page
    journey.click(page.get_by_role("link", name="Giao nhiệm vụ từ văn bản"))
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(7)  # six points and an empty row
    for index, lead in enumerate(LEADS):
        row = rows.nth(index)
        assert selected_label(row.get_by_label("Đơn vị chủ trì")) == lead  # every lead unit guessed
        title = row.get_by_label("Tên nhiệm vụ").input_value()
        assert 0 < len(title) <= 250
    # Six deadlines, one per point, in working days from the plan's date.
    for index in range(6):
        journey.fill(rows.nth(index).get_by_label("hoặc số ngày làm việc"), "10")
    journey.click(page.get_by_role("button", name="Giao các nhiệm vụ"))
    expect(page.get_by_text("Đã giao 6 nhiệm vụ từ văn bản.")).to_be_visible()
    assert journey.count <= 10, journey.report()
    assert Task.objects.filter(document=plan).count() == 6
    fourth = Task.objects.get(document=plan, point="4")
    assert fourth.lead_unit.name == "Phòng Quản lý Khoa học"
    assert fourth.description.startswith("Phòng Quản lý Khoa học phối hợp với các chủ nhiệm đề tài")

    # Opened again, the page says each point already has its task, with a link to it.
    page.get_by_role("link", name="Giao nhiệm vụ từ văn bản").click()
    given = page.get_by_test_id("point-given")
    expect(given).to_have_count(6)
    expect(given.nth(3).get_by_role("link")).to_have_attribute("href", f"/tasks/{fourth.pk}/")
    expect(given.nth(0).get_by_label("Giao thêm nhiệm vụ cho điểm này")).not_to_be_checked()
    page.get_by_test_id("point-row").first.scroll_into_view_if_needed()
    screenshot(page, "tasks-from-document")

    # A second submit without the explicit choice gives nothing and says why.
    page.get_by_role("button", name="Giao các nhiệm vụ").click()
    expect(page.get_by_test_id("formset-errors")).to_contain_text("đã được giao thành nhiệm vụ nên không giao lại")
    assert Task.objects.filter(document=plan).count() == 6

    # Ticking «Giao thêm…» on one point gives that one point a second task, and only it.
    page.get_by_test_id("point-row").nth(1).get_by_label("Giao thêm nhiệm vụ cho điểm này").check()
    page.get_by_role("button", name="Giao các nhiệm vụ").click()
    expect(page.get_by_text("Đã giao 1 nhiệm vụ từ văn bản.")).to_be_visible()
    assert Task.objects.filter(document=plan, point="2").count() == 2
    assert Task.objects.filter(document=plan).count() == 7


def test_a_body_typed_with_ampersand_and_less_than_shows_as_typed(page, demo):
    typed = "Sở KH&CN đề nghị cấp kinh phí < 50 triệu cho đề án \"Số hóa\" 'năm 2027'."
    sign_in(page, "vanthu")
    page.goto("/directives/new/")
    page.get_by_label("Loại văn bản").select_option(label="Thông báo")
    page.get_by_label("Trích yếu").fill("Kinh phí đề án số hóa")
    editor = page.get_by_test_id("body-editor")
    editor.click()
    page.keyboard.type(typed)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    expect(page.locator(".doc-body")).to_have_text(typed)
    assert "&amp;amp;" not in page.content() and "&amp;lt;" not in page.content()
    document = Document.objects.get(subject="Kinh phí đề án số hóa")
    assert re.fullmatch(r"<p>[^<]*</p>", document.body), document.body
    assert "KH&amp;CN" in document.body and "&lt; 50" in document.body

    # Blank lines between two paragraphs are one paragraph break, not a gap.
    page.get_by_role("link", name="Sửa").first.click()
    editor = page.get_by_test_id("body-editor")
    editor.click()
    page.keyboard.press("Control+End")
    for _ in range(3):
        page.keyboard.press("Enter")
    page.keyboard.type("Đoạn hai & hết.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    paragraphs = page.locator(".doc-body p")
    expect(paragraphs).to_have_count(2)
    expect(paragraphs.nth(0)).to_have_text(typed)
    expect(paragraphs.nth(1)).to_have_text("Đoạn hai & hết.")
