"""Word in, in the browser: a .docx fills the editor for review, then the draft is saved."""

import re

from playwright.sync_api import expect

from directives.models import Document
from tests.directives.test_word import _person_made_docx
from tests.e2e.conftest import screenshot, sign_in


def test_a_docx_fills_the_editor_for_review_and_is_saved_only_on_request(page, demo, tmp_path):
    source = tmp_path / "Kế hoạch.docx"
    source.write_bytes(_person_made_docx())
    sign_in(page, "vanthu")
    page.goto("/directives/new/")
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Trích yếu").fill("Kế hoạch soạn từ Word")
    page.get_by_label("Lấy nội dung từ tệp Word (.docx)").set_input_files(str(source))
    page.get_by_role("button", name="Lấy nội dung", exact=True).click()

    expect(page.get_by_text("Đã lấy nội dung từ tệp Word", exact=False)).to_be_visible()
    editor = page.get_by_test_id("body-editor")
    expect(editor.locator("ol > li")).to_have_count(2)
    expect(editor.locator("table td")).to_have_count(4)
    expect(editor.locator("strong").first).to_have_text("Mục tiêu chung")
    expect(page.get_by_label("Trích yếu")).to_have_value("Kế hoạch soạn từ Word")
    assert not Document.objects.exists()
    screenshot(page, "draft-from-word")

    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    document = Document.objects.get()
    assert "<ol><li>Bước một</li><li>Bước hai</li></ol>" in document.body
    assert document.revisions.count() == 1
    expect(page.get_by_test_id("docx-link")).to_have_text("Tải bản Word (.docx)")
