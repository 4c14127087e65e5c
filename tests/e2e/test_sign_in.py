"""Each demo account signs in and lands on its own start page."""

import re

import pytest

from tests.e2e.conftest import screenshot, sign_in


@pytest.mark.parametrize(
    ("username", "path", "heading"),
    [
        ("giamdoc", "/tasks/dashboard/", "Bảng điều hành"),
        ("phogiamdoc", "/tasks/dashboard/", "Bảng điều hành"),
        ("vanthu", "/directives/", "Văn bản"),
        ("truongphong", "/tasks/unit/", "Nhiệm vụ đơn vị"),
        ("chuyenvien", "/tasks/", "Nhiệm vụ của tôi"),
        ("quantri", "/admin/", "Thiết lập cơ quan, đơn vị, cán bộ"),
    ],
)
def test_demo_account_lands_on_its_start_page(page, demo, username, path, heading):
    sign_in(page, username)
    assert page.url.endswith(path)
    assert page.get_by_text(heading).first.is_visible()
    screenshot(page, f"start-{username}")


def test_wrong_password_stays_on_sign_in_with_a_vietnamese_message(page, demo):
    sign_in(page, "chuyenvien", "sai-mat-khau")
    assert re.search(r"/accounts/login/$", page.url)
    assert page.get_by_role("alert").inner_text().startswith("Tên đăng nhập hoặc mật khẩu không đúng")


def test_sign_out_from_the_user_menu(page, demo):
    sign_in(page, "chuyenvien")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto("/tasks/")
    assert "/accounts/login/" in page.url
