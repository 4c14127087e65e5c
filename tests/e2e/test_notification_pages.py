"""The notification settings page and the administrator's send log, in the browser."""

import re

from playwright.sync_api import expect

from notifications.models import NotificationDelivery, NotificationMute
from notifications.services import notification_send
from tests.e2e.conftest import screenshot, sign_in
from units.models import User


def test_a_specialist_mutes_a_kind_and_gets_a_calendar_url(page, demo):
    sign_in(page, "chuyenvien")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Cài đặt thông báo").click()
    expect(page.get_by_role("heading", name="Cài đặt thông báo")).to_be_visible()

    page.get_by_label("Tổng hợp hằng tuần — Thư điện tử").uncheck()
    page.get_by_role("button", name="Lưu cài đặt").click()
    expect(page.get_by_text("Đã lưu cài đặt thông báo.")).to_be_visible()
    expect(page.get_by_label("Tổng hợp hằng tuần — Thư điện tử")).not_to_be_checked()

    page.get_by_role("button", name="Tạo đường dẫn lịch").click()
    expect(page.get_by_test_id("calendar-url")).to_have_value(re.compile(r"/calendar/[\w-]{20,}\.ics$"))
    screenshot(page, "notification-settings")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Bạn chưa có đường dẫn lịch.")).to_be_visible()


def test_the_administrator_reads_the_send_log(page, demo):
    people = {u.username: u for u in User.objects.filter(username__in=["chuyenvien", "truongphong", "vanthu"])}
    NotificationMute.objects.create(user=people["truongphong"], kind="task_received", channel="email")
    notification_send(
        users=[people["truongphong"]],
        kind="task_received",
        message="Phòng Quản lý Khoa học được giao nhiệm vụ «Rà soát các đề tài chậm tiến độ»",
        url="/tasks/1/",
    )
    notification_send(
        users=[people["chuyenvien"]],
        kind="task_assigned",
        message="Bạn được phân công xử lý nhiệm vụ «Rà soát các đề tài chậm tiến độ»",
        url="/tasks/1/",
    )
    (failed,) = notification_send(
        users=[people["vanthu"]],
        kind="document_approved",
        message="Văn bản «Thông báo lịch kiểm tra đề tài» đã ký, chờ phát hành",
        url="/directives/1/",
    )
    failed.deliveries.update(
        state=NotificationDelivery.State.FAILED,
        attempts=5,
        detail="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    notification_send(
        users=[people["chuyenvien"]],
        kind="reminder_before",
        message="Nhiệm vụ «Rà soát các đề tài chậm tiến độ» đến hạn ngày 27/11/2026 (còn 1 ngày làm việc).",
        url="/tasks/1/",
    )

    sign_in(page, "quantri")  # lands in the Django admin
    page.goto("/notifications/")
    page.get_by_test_id("admin-menu").click()
    page.get_by_role("link", name="Nhật ký gửi thông báo").click()
    expect(page.get_by_test_id("delivery-row")).to_have_count(4)
    screenshot(page, "send-log")

    page.get_by_label("Cán bộ").fill("Lan")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("delivery-row")).to_have_count(2)
    page.get_by_test_id("state-failed").click()
    expect(page.get_by_test_id("delivery-row")).to_have_count(0)
