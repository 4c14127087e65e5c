"""Figures that agree, in a browser: the dashboard's period box and its cards count the same
period; a task search without diacritics finds the task; the digests' e-mails as a mail reader shows them."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

from django.core import mail
from playwright.sync_api import expect

from directives.demo import seed_documents
from lib.workdays import VIETNAM_TZ, local_today
from tasks.demo import seed_tasks
from tests.e2e.conftest import ARTIFACTS, Journey, screenshot, sign_in
from units.models import User


def period_of_cards(page) -> tuple[str, str]:
    """The period the cards count: the from/to of the list their total links to."""
    query = parse_qs(urlparse(page.get_by_test_id("card-overdue").get_attribute("href")).query)
    return query["from"][0], query["to"][0]


def test_the_period_box_and_the_cards_agree_after_a_change_and_a_reload(page, demo):
    seed_documents()
    seed_tasks()
    today = local_today()
    sign_in(page, "giamdoc")
    page.goto("/tasks/dashboard/")
    period = page.get_by_label("Kỳ")

    # The default: this month, and the box says so (it said «Tuần này»).
    expect(period).to_have_value("month")
    expect(page.get_by_test_id("period-words")).to_contain_text("Tháng này")
    assert period_of_cards(page)[0] == today.replace(day=1).isoformat()
    screenshot(page, "figures_dashboard_month")

    # A change applies at once: the box, the words and the cards all say this week.
    journey = Journey(page)
    with page.expect_navigation():
        journey.select(period, label="Tuần này")
    monday = today - timedelta(days=today.weekday())
    expect(period).to_have_value("week")
    expect(page.get_by_test_id("period-words")).to_contain_text("Tuần này")
    assert period_of_cards(page) == (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
    assert journey.count == 1

    # A reload keeps what is counted and what is shown together.
    page.reload()
    expect(period).to_have_value("week")
    assert period_of_cards(page)[0] == monday.isoformat()

    # A query the form refuses: the default is counted and shown, with the message.
    page.goto("/tasks/dashboard/?period=custom&from=2026-06-20&to=2026-06-10")
    expect(period).to_have_value("month")
    expect(page.get_by_test_id("form-errors")).to_contain_text("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    expect(page.get_by_test_id("period-words")).to_contain_text("Tháng này")
    screenshot(page, "figures_dashboard_refused")


def test_a_task_search_without_diacritics_finds_the_task(page, demo):
    seed_documents()
    seed_tasks()
    sign_in(page, "giamdoc")
    page.goto("/tasks/all/")
    journey = Journey(page)
    journey.fill(page.get_by_role("searchbox"), "ra soat ho so luu tru")
    with page.expect_navigation():
        journey.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Rà soát danh mục hồ sơ lưu trữ năm 2026"))).to_be_visible()
    assert journey.count == 2
    screenshot(page, "figures_task_search")


def test_the_digest_emails_read_well_in_a_browser(page, demo):
    """The weekly and daily digests' HTML parts, opened as a mail reader would show them."""
    from tasks.digest import daily_digests_send, weekly_digests_send

    seed_documents()
    seed_tasks()
    today = local_today()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    morning = datetime.combine(monday, time(8), tzinfo=VIETNAM_TZ)
    mail.outbox.clear()
    assert weekly_digests_send(at=morning) >= 1
    assert daily_digests_send(at=morning) >= 1
    director = User.objects.get(username="giamdoc")
    ARTIFACTS.mkdir(exist_ok=True)
    for name, who, subject in (("weekly", director.email, "Tổng hợp nhiệm vụ tuần"), ("daily", None, "Việc ngày")):
        message = next(m for m in mail.outbox if subject in m.subject and (who is None or m.to == [who]))
        html = next(content for content, kind in message.alternatives if kind == "text/html")
        path = ARTIFACTS / f"figures_digest_{name}.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        expect(page.get_by_text("Xem chi tiết")).to_be_visible()
        if name == "weekly":
            expect(page.get_by_text("Đang thực hiện quá hạn")).to_be_visible()
            expect(page.get_by_text("Quá hạn lâu nhất")).to_be_visible()
        else:
            expect(page.get_by_text("Tắt hoặc bật bản tin này")).to_be_visible()
        screenshot(page, f"figures_digest_{name}")
