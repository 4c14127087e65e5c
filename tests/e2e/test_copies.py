"""The clerk makes a trích sao of the demo's issued plan in the browser; the demo's sao y is there."""

from playwright.sync_api import expect

from directives.demo import DEMO_COPIED_SUBJECT, seed_documents
from directives.models import Document
from tests.e2e.conftest import sign_in


def test_the_clerk_makes_a_trich_sao_and_finds_the_demo_sao_y(page, demo):
    seed_documents()
    original = Document.objects.get(subject=DEMO_COPIED_SUBJECT, copy_form="")
    sign_in(page, "vanthu")
    page.goto(f"/directives/{original.pk}/")
    # The demo's sao y is listed on the original's page.
    expect(page.get_by_role("link", name="01/SY-SKHCN")).to_be_visible()
    page.get_by_role("link", name="Sao văn bản").click()
    page.get_by_label("Trích sao").check()
    page.get_by_label("2. Phòng Quản lý Khoa học rà soát các đề tài chậm tiến độ", exact=False).check()
    page.get_by_label("Thẩm quyền ký").select_option("TL.")
    page.get_by_label("Chức danh thủ trưởng").fill("GIÁM ĐỐC")
    page.get_by_label("Người ký bản sao").select_option(label="Lưu Thanh Tuấn")
    page.get_by_label("Nơi nhận").fill("Lưu: VT")
    page.get_by_role("button", name="Sao và phát hành").click()
    expect(page.get_by_text("Đã sao văn bản, số 02/TrS-SKHCN.")).to_be_visible()
    expect(page.get_by_text("Trích sao của văn bản")).to_be_visible()
