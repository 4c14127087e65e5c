"""A person sees and revokes their API tokens, in the browser."""

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from units.models import ApiToken, User
from units.services import api_token_issue


def test_a_specialist_revokes_an_api_token_from_the_user_menu(page, demo):
    token = api_token_issue(user=User.objects.get(username="chuyenvien"))
    sign_in(page, "chuyenvien")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Mã truy cập API").click()
    expect(page.get_by_role("heading", name="Mã truy cập API")).to_be_visible()
    expect(page.get_by_test_id("api-token-row")).to_have_count(1)
    expect(page.get_by_test_id("api-token-row")).to_contain_text(token[:8])

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi mã truy cập")).to_be_visible()
    expect(page.get_by_text("Bạn không có mã truy cập nào đang hiệu lực.")).to_be_visible()
    assert not ApiToken.objects.exists()
