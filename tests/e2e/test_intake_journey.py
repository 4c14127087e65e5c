"""A received công văn pasted by the clerk becomes a registered document, and its points become
tasks with the director's routing (issue #17, item 4).

The parser has tests of its own; here its answer is fixed (the demo's công văn) so the journey
checks the screen: what the form is filled with, what it marks, what one routing creates.
"""

import datetime

import pytest
from playwright.sync_api import expect

from directives.models import Document
from intake import parser
from intake.demo import _fields
from intake.models import Reading
from lib.workdays import local_today
from tasks.models import Task
from tests.e2e.conftest import Journey, screenshot, sign_in

PASTED = """ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU
Số: 1452/UBND-VX
V/v rà soát, cập nhật các đề tài khoa học đang triển khai
Kính gửi: Sở Khoa học và Công nghệ
1. Phòng Quản lý Khoa học chủ trì, phối hợp với Văn phòng Sở rà soát các đề tài khoa học.
2. Trung tâm Thông tin và Ứng dụng khoa học công nghệ cập nhật cơ sở dữ liệu đề tài.
3. Văn phòng Sở tổng hợp, báo cáo Ủy ban nhân dân tỉnh hằng quý.
"""
SUBJECT = "Rà soát, cập nhật các đề tài khoa học đang triển khai"


@pytest.fixture
def parsed(monkeypatch):
    answer = _fields(number=1452, subject=SUBJECT, today=local_today())
    monkeypatch.setattr(parser, "parse", lambda text, **context: answer if "1452/UBND-VX" in text else {})
    return answer


def test_a_pasted_document_is_registered_and_routed_with_its_proposed_tasks(page, demo, parsed):
    sign_in(page, "vanthu")
    page.goto("/directives/incoming/new/")
    journey = Journey(page)  # counted from the incoming register
    journey.click(page.get_by_test_id("read-offer").get_by_role("link", name="Đọc văn bản"))
    journey.fill(page.get_by_label("hoặc dán nội dung văn bản"), PASTED)
    journey.click(page.get_by_role("button", name="Đọc văn bản"))

    # The form comes filled; what the clerk must check says so in words.
    expect(page.get_by_role("heading", name="Vào sổ văn bản đến")).to_be_visible()
    expect(page.get_by_label("Số, ký hiệu của văn bản")).to_have_value("1452/UBND-VX")
    expect(page.get_by_label("Trích yếu")).to_have_value(SUBJECT)
    expect(page.get_by_test_id("field-subject")).to_contain_text("Cần kiểm tra")
    sender = page.get_by_label("Cơ quan gửi", exact=True)
    assert sender.evaluate("s => s.selectedOptions[0].textContent.trim()") == "UBND tỉnh Bà Rịa - Vũng Tàu"
    expect(page.get_by_label("Loại văn bản")).to_have_value(str(_type_pk("Công văn")))
    expect(page.get_by_test_id("read-items")).to_contain_text("Phòng Quản lý Khoa học chủ trì")
    screenshot(page, "intake-register-filled")
    journey.click(page.get_by_role("button", name="Vào sổ"))
    expect(page.get_by_text("Đã vào sổ văn bản đến. Số đến: 1")).to_be_visible()
    assert journey.count <= 4, journey.report()
    document = Document.objects.get(symbol="1452/UBND-VX")
    assert document.subject == SUBJECT and document.urgency == "khan"
    assert document.issued_on == datetime.date.fromisoformat(parsed["issued_on"])
    assert Reading.objects.get().document == document
    expect(page.get_by_test_id("references")).to_contain_text("16/CT-TTg")

    # The director routes it: the three points are proposed, ticked; one is dropped.
    page.context.clear_cookies()
    sign_in(page, "giamdoc")
    page.goto(f"/directives/{document.pk}/")
    director = Journey(page)
    director.click(page.get_by_role("link", name="Phân công xử lý"))
    proposals = page.get_by_test_id("proposal")
    expect(proposals).to_have_count(3)
    screenshot(page, "intake-route-proposals")  # before any click: a full-page picture shifts the layout
    expect(proposals.nth(0).get_by_label("Giao nhiệm vụ này — điểm 1")).to_be_checked()
    lead = proposals.nth(0).get_by_label("Đơn vị chủ trì")
    assert lead.evaluate("s => s.selectedOptions[0].textContent.trim()") == "Phòng Quản lý Khoa học"
    director.fill(page.get_by_label("Ý kiến chỉ đạo (bút phê)"), "Giao các đơn vị thực hiện theo đề xuất.")
    # The routing starts from the points: the first point's lead unit leads.
    assert page.locator("#id_lead_unit").evaluate("s => s.selectedOptions[0].textContent.trim()") == (
        "Phòng Quản lý Khoa học"
    )
    director.click(proposals.nth(1).get_by_label("Giao nhiệm vụ này — điểm 2"))
    director.click(page.get_by_role("button", name="Phân công"))
    expect(page.get_by_text("Đã phân công xử lý văn bản và giao 2 nhiệm vụ.")).to_be_visible()
    assert director.count <= 4, director.report()
    document.refresh_from_db()
    assert document.state == Document.State.ROUTED
    tasks = Task.objects.filter(document=document).order_by("point")
    assert [(t.point, t.lead_unit.name) for t in tasks] == [("1", "Phòng Quản lý Khoa học"), ("3", "Văn phòng Sở")]
    assert list(tasks[0].cooperating_units.values_list("name", flat=True)) == ["Văn phòng Sở"]


def _type_pk(name: str) -> int:
    from directives.models import DocumentType

    return DocumentType.objects.get(name=name).pk


def test_a_scan_being_read_opens_its_form_by_itself_when_done(page, demo):
    from units.models import User

    clerk = User.objects.get(username="vanthu")
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, state=Reading.State.PENDING, method=Reading.Method.OCR,
        name="cong-van-quet.pdf",
    )  # fmt: skip
    sign_in(page, "vanthu")
    page.goto(f"/intake/{reading.pk}/")
    expect(page.get_by_test_id("reading-pending")).to_contain_text("Đang nhận dạng…")
    fields = _fields(number=1452, subject=SUBJECT, today=local_today())
    Reading.objects.filter(pk=reading.pk).update(state=Reading.State.DONE, confidence=64.0, fields=fields)
    # No reload: the page polls and the form opens.
    expect(page.get_by_label("Số, ký hiệu của văn bản")).to_have_value("1452/UBND-VX", timeout=8_000)
    expect(page.get_by_test_id("ocr-confidence")).to_contain_text("Độ tin cậy nhận dạng chữ: 64%")
    expect(page.get_by_test_id("ocr-confidence")).to_contain_text("Thấp")
