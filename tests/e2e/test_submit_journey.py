"""Issue #15, items 1 and 9 in the browser: the clerk drafts a công văn and submits it to the
person she chooses, who sees it waiting with since when; the director is on leave and his
deputy signs it «thay» him."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import Journey, screenshot, sign_in
from tests.e2e.test_document_journey import sign_out

SUBJECT = "V/v góp ý dự thảo Kế hoạch chuyển đổi số năm 2027"


def test_a_clerk_submits_a_cong_van_to_the_person_she_chooses_and_a_substitute_signs_it(page, demo):
    from units import services as unit_services
    from units.models import User

    director, deputy = User.objects.get(username="giamdoc"), User.objects.get(username="phogiamdoc")
    today = timezone.localdate()
    unit_services.delegation_create(
        by=director, principal=director, substitute=deputy, starts_on=today, ends_on=today + datetime.timedelta(days=3),
        note="Nghỉ phép",
    )  # fmt: skip

    page.emulate_media(reduced_motion="reduce")  # dialogs open without their fade, for the screenshots
    # The clerk drafts and submits, choosing whom it goes to: counted.
    sign_in(page, "vanthu")
    journey = Journey(page)
    journey.click(page.get_by_role("link", name="Soạn văn bản").first)
    expect(page.get_by_label("Loại văn bản").locator("option:checked")).to_have_text("Công văn")  # the default
    journey.fill(page.get_by_label("Trích yếu"), SUBJECT)
    journey.type(page.get_by_test_id("body-editor"), "Sở Khoa học và Công nghệ đề nghị các phòng góp ý dự thảo.")
    # addressees: a searchable list with chips; typing part of a name finds it
    journey.type(page.locator("#id_recipient_units-ts-control"), "quản lý khoa")
    expect(page.locator(".ts-dropdown .option.active")).to_contain_text("Phòng Quản lý Khoa học")
    journey.press("Enter")
    journey.select(page.get_by_label("Người ký"), label="Nguyễn Công Danh")
    journey.click(page.get_by_role("button", name="Lưu dự thảo"))
    expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
    journey.click(page.get_by_role("button", name="Trình", exact=True))
    chooser = page.get_by_label("Người duyệt (lãnh đạo đơn vị)")
    expect(page.locator("#submit-modal.show")).to_be_visible()
    expect(chooser.locator("option:checked")).to_have_text("Lưu Thanh Tuấn — Chánh Văn phòng")
    screenshot(page, "submit-dialog")
    journey.click(page.get_by_test_id("confirm-submit"))
    expect(page.get_by_test_id("state")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    expect(page.get_by_test_id("holder")).to_contain_text("Lưu Thanh Tuấn")
    expect(page.get_by_test_id("since")).to_contain_text(re.compile(r"từ \d\d:\d\d \d\d/\d\d/\d{4}"))
    screenshot(page, "document-holder")
    assert journey.count <= 12, journey.report()
    sign_out(page)

    # The chosen person sees it waiting, with since when, and forwards it to the director.
    sign_in(page, "vp.chanh")
    page.goto("/directives/waiting/")
    row = page.get_by_test_id("document-row").filter(has_text=SUBJECT)
    expect(row.get_by_test_id("since")).to_contain_text("từ ")
    row.get_by_role("link", name=SUBJECT).click()
    page.get_by_role("button", name="Chuyển trình ký").click()
    expect(page.get_by_label("Lãnh đạo ký")).to_have_value(str(director.pk))
    page.get_by_test_id("confirm-forward").click()
    expect(page.get_by_test_id("holder")).to_contain_text("Nguyễn Công Danh")
    sign_out(page)

    # The director is on leave: his deputy sees it «thay» him and signs.
    sign_in(page, "phogiamdoc")
    page.goto("/directives/waiting/")
    row = page.get_by_test_id("document-row").filter(has_text=SUBJECT)
    expect(row.get_by_test_id("acting-for")).to_have_text("thay Nguyễn Công Danh")
    row.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_test_id("acting-for")).to_contain_text("thay Nguyễn Công Danh")
    page.get_by_role("button", name="Ký duyệt").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã ký, chờ phát hành")
    expect(page.locator(".timeline")).to_contain_text("Trần Văn Hùng (thay Nguyễn Công Danh) — Ký duyệt")
    screenshot(page, "document-signed-thay")
