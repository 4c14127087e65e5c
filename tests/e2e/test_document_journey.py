"""A Thông báo from draft to the read receipt, clicked through in the browser by each person."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def open_from_desk(page, subject: str) -> None:
    page.goto("/directives/")
    page.get_by_role("link", name=subject).first.click()
    page.wait_for_load_state()


def test_a_notice_travels_from_draft_to_read_receipt(page, demo):
    subject = "Thông báo lịch kiểm tra các đề tài khoa học năm nay"

    # The clerk drafts it and submits it to the head of her unit.
    sign_in(page, "vanthu")
    screenshot(page, "desk-clerk-empty")
    page.get_by_role("link", name="Soạn văn bản").first.click()
    page.get_by_label("Loại văn bản").select_option(label="Thông báo")
    page.get_by_label("Trích yếu").fill(subject)
    editor = page.get_by_test_id("body-editor")
    editor.click()
    page.keyboard.type("Sở Khoa học và Công nghệ thông báo lịch kiểm tra như sau:")
    page.get_by_role("button", name="In đậm", exact=True).click()  # the toolbar's «B»
    page.keyboard.type(" đề nghị các phòng chuẩn bị hồ sơ.")
    page.locator("#id_recipient_units-ts-control").click()  # addressees: a searchable list with chips
    page.keyboard.type("quản lý khoa")
    expect(page.locator(".ts-dropdown .option.active")).to_contain_text("Phòng Quản lý Khoa học")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_label("Người ký").select_option(label="Nguyễn Công Danh")
    page.get_by_label("Chức danh thủ trưởng").fill("GIÁM ĐỐC")
    page.get_by_label("Nơi nhận").fill("Như trên\nLưu: VT, VP")
    page.get_by_label("Số, ký hiệu").first.fill("2593/UBND-YT")
    page.get_by_label("Cơ quan ban hành").first.fill("UBND tỉnh")
    screenshot(page, "draft-form")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    expect(page.locator(".doc-body").locator("b, strong")).to_contain_text("đề nghị các phòng")
    page.get_by_role("button", name="Trình", exact=True).click()
    # The dialog offers the head of her unit, preselected.
    expect(page.get_by_label("Người duyệt (lãnh đạo đơn vị)")).to_have_value(re.compile(r"\d+"))
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    expect(page.get_by_test_id("holder")).to_contain_text("Lưu Thanh Tuấn")
    sign_out(page)

    # The head of the office forwards it for signature.
    sign_in(page, "vp.chanh")
    open_from_desk(page, subject)
    page.get_by_role("button", name="Chuyển trình ký").click()
    page.get_by_test_id("confirm-forward").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ ký")
    sign_out(page)

    # The director signs.
    sign_in(page, "giamdoc")
    page.goto("/directives/")
    screenshot(page, "desk-director")
    open_from_desk(page, subject)
    page.get_by_role("button", name="Ký duyệt").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã ký, chờ phát hành")
    sign_out(page)

    # The clerk issues it: it gets the next number of the year.
    sign_in(page, "vanthu")
    screenshot(page, "desk-clerk")
    open_from_desk(page, subject)
    page.get_by_role("button", name="Phát hành").click()
    page.get_by_test_id("confirm-issue").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã phát hành")
    symbol = page.get_by_test_id("symbol").inner_text()
    assert re.fullmatch(r"\d{2,}/TB-SKHCN", symbol), symbol
    sign_out(page)

    # A member of the addressed unit finds it unread in the unit inbox and opens it.
    sign_in(page, "chuyenvien")
    page.goto("/directives/inbox/")
    row = page.get_by_test_id("document-row").filter(has_text=subject)
    expect(row).to_have_class(re.compile("row-unread"))
    expect(row.get_by_text("Chưa đọc")).to_be_visible()
    screenshot(page, "inbox-unread")
    row.get_by_role("link", name=subject).click()
    expect(page.get_by_test_id("symbol")).to_have_text(symbol)
    page.goto("/directives/inbox/")
    expect(page.get_by_test_id("document-row").filter(has_text=subject)).not_to_have_class(re.compile("row-unread"))
    sign_out(page)

    # The clerk sees who has read it.
    sign_in(page, "vanthu")
    page.goto("/directives/outgoing/")
    page.get_by_role("link", name=subject).click()
    receipts = page.get_by_test_id("read-receipts")
    expect(receipts.get_by_role("row").filter(has_text="Đỗ Thị Lan")).not_to_contain_text("Chưa đọc")
    expect(receipts).to_contain_text(re.compile(r"Đã đọc 1/\d+"))
    screenshot(page, "document-detail")
    page.goto("/directives/search/?q=kiem+tra+de+tai")
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    screenshot(page, "search")
    page.goto("/directives/outgoing/")
    page.get_by_role("link", name=subject).click()
    page.get_by_role("link", name="Các lần sửa").click()
    screenshot(page, "revisions")


ITEM = (
    "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
    "<span style='mso-list:Ignore'>{n}.<span> </span></span>{text}</p>"
)
WORD_HTML = "\n".join(
    [
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body>",
        "<p class=MsoNormal><b>Điều 1.</b> Giao nhiệm vụ <i>khẩn</i>:</p>",
        ITEM.format(n=1, text="Phòng Quản lý Khoa học chủ trì;"),
        ITEM.format(n=2, text="Văn phòng <span style='font-weight:bold'>phối hợp</span>."),
        "<script>alert(1)</script>",
        "</body></html>",
    ]
)


def test_pasting_from_word_keeps_paragraphs_numbering_and_emphasis(page, demo):
    sign_in(page, "vanthu")
    page.goto("/directives/new/")
    page.get_by_label("Loại văn bản").select_option(label="Thông báo")
    page.get_by_label("Trích yếu").fill("Giao nhiệm vụ dán từ Word")
    editor = page.get_by_test_id("body-editor")
    editor.click()
    editor.evaluate(
        """(area, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_HTML,
    )
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    body = page.locator(".doc-body")
    expect(body.locator("ol")).to_have_count(1)
    expect(body.locator("ol > li")).to_have_count(2)
    expect(body.locator("ol > li").first).to_have_text("Phòng Quản lý Khoa học chủ trì;")
    expect(body.locator("b, strong").first).to_have_text("Điều 1.")
    expect(body.locator("i, em")).to_have_text("khẩn")
    expect(body.locator("ol b, ol strong")).to_have_text("phối hợp")
    assert "alert" not in body.inner_html()
    screenshot(page, "pasted-from-word")
