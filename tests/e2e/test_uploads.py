"""A draft that fails validation keeps its file, in the browser: attach, fail, fix, save."""

import re

from playwright.sync_api import expect

from directives.models import Document
from tests import uploads
from tests.e2e.conftest import screenshot, sign_in


def test_a_draft_keeps_its_attachment_when_the_form_fails(page, demo, tmp_path):
    plan = tmp_path / "Kế hoạch kiểm tra.pdf"
    plan.write_bytes(uploads.PDF)
    disguised = tmp_path / "trang.pdf"
    disguised.write_bytes(uploads.HTML)

    sign_in(page, "vanthu")
    page.goto("/directives/new/")
    page.get_by_label("Loại văn bản").select_option(label="Thông báo")
    page.get_by_label("Tệp đính kèm").set_input_files([str(plan), str(disguised)])
    page.get_by_role("button", name="Lưu dự thảo").click()  # no subject yet

    expect(page.get_by_text("Hãy nhập trích yếu của văn bản.")).to_be_visible()
    expect(page.get_by_text("Tệp «trang.pdf» bị từ chối", exact=False)).to_be_visible()
    expect(page.get_by_test_id("staged-upload")).to_have_count(1)
    expect(page.get_by_test_id("staged-upload")).to_contain_text("Đã giữ tệp: Kế hoạch kiểm tra.pdf")
    screenshot(page, "draft-staged-upload")

    page.get_by_label("Trích yếu").fill("Thông báo lịch kiểm tra đề tài")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    expect(page.get_by_role("link", name="Kế hoạch kiểm tra.pdf")).to_be_visible()
    document = Document.objects.get(subject="Thông báo lịch kiểm tra đề tài")
    assert [a.name for a in document.attachments.all()] == ["Kế hoạch kiểm tra.pdf"]
