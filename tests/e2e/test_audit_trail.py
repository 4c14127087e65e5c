"""The director opens the audit trail from her menu, sees a refused and a successful sign-in, filters."""

import re

from tests.e2e.conftest import screenshot, sign_in


def test_the_director_reads_the_trail_from_her_menu(page, demo):
    sign_in(page, "giamdoc", "sai-mat-khau")
    sign_in(page, "giamdoc")
    page.get_by_test_id("audit-menu").click()
    page.wait_for_url(re.compile(r"/audit/$"))
    assert page.get_by_role("heading", name="Nhật ký thay đổi").is_visible()
    rows = page.get_by_test_id("audit-row")
    assert rows.filter(has_text="Đăng nhập không thành công").count() >= 1
    screenshot(page, "audit-trail")
    page.get_by_label("Thao tác").select_option("sign_in")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"action=sign_in"))
    assert rows.count() >= 1
    assert rows.filter(has_text="Đăng nhập không thành công").count() == 0
    screenshot(page, "audit-trail-filtered")
