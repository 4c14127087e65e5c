"""The digests carry their figures: the weekly one its counts by class and the most overdue
tasks, the daily one each person's overdue and due tasks; each goes out once per person and day."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.urls import reverse

from lib.text import shorten
from lib.workdays import VIETNAM_TZ
from notifications.models import Notification
from notifications.selectors import daily_digest_recipients, daily_digest_wanted
from notifications.services import digest_subscription_set
from tasks import services
from tasks.digest import TITLE_SHOWN, daily_digests_send, weekly_digests_send
from tasks.jobs import daily_digests
from tasks.models import Digest, Holiday
from tests import factories
from units.roles import Role

LONG = (
    "Rà soát, đánh giá tình hình thực hiện các đề tài khoa học cấp tỉnh chậm tiến độ trong năm 2026 "
    "và đề xuất giải pháp xử lý dứt điểm trong quý IV <b>&</b> báo cáo Giám đốc Sở"
)


def vn(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM_TZ)


@pytest.fixture
def tasks(assigned, make_task, specialist):
    """Given on 2 Nov 2026 to dave: two overdue by Monday 30 Nov, one due that day, one due on
    2 Dec (two working days later), one far off; and one of another person."""
    given = date(2026, 11, 2)
    return {
        "long": assigned(title=LONG, deadline=date(2026, 11, 16), today=given),
        "overdue": assigned(title="Kiểm kê tài sản «phòng thí nghiệm»", deadline=date(2026, 11, 25), today=given),
        "today": assigned(title="Nộp báo cáo tháng", deadline=date(2026, 11, 30), today=given),
        "soon": assigned(title="Chuẩn bị hội đồng nghiệm thu", deadline=date(2026, 12, 2), today=given),
        "later": assigned(title="Tổng kết năm", deadline=date(2026, 12, 30), today=given),
        "unassigned": make_task(title="Việc chưa phân công", deadline=date(2026, 11, 20), today=given),
    }


def html_part(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_the_weekly_digest_email_carries_counts_by_class_and_the_most_overdue(
    tasks, director, django_capture_on_commit_callbacks
):
    """The defect: the e-mail had a title and a link and none of the digest's figures."""
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digests_send(at=vn(date(2026, 11, 30), 7, 45)) == 1
    (message,) = [m for m in mail.outbox if m.to == [director.email]]
    text, html = message.body, html_part(message)
    for part in (text, html):
        assert "Đang thực hiện quá hạn" in part
        assert "Đang thực hiện trong hạn" in part
        assert "Hoàn thành đúng hạn" in part
        assert "Tỷ lệ hoàn thành" in part
        assert "Kiểm kê tài sản" in part
    assert "- Đang thực hiện quá hạn: 3" in text
    assert "- Đang thực hiện trong hạn: 3" in text
    # the most overdue first, with days late and a link to the task
    assert text.index("Rà soát, đánh giá") < text.index("Kiểm kê tài sản")
    assert "quá 14 ngày" in text and "quá 5 ngày" in text
    assert reverse("tasks:detail", args=[tasks["long"].pk]) in text
    assert 'href="' in html and reverse("tasks:detail", args=[tasks["long"].pk]) in html
    # user text escaped in HTML, kept as typed in text; long titles shortened at a word boundary
    assert "<b>&</b>" not in html and "«phòng thí nghiệm»" in html
    assert shorten(LONG, TITLE_SHOWN) in text and LONG not in text
    assert "thực hiện các đề tài khoa học cấp tỉnh chậm tiến độ trong năm 2026 và đề xuất giải pháp xử…" in text


def test_the_daily_digest_job_sends_each_person_their_due_and_overdue_tasks(
    tasks, specialist, unit_head, clerk, director, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(vn(date(2026, 11, 30), 7, 5), tick=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        daily_digests.delay()  # the Celery job, run eagerly
    notices = Notification.objects.filter(kind="daily_digest")
    assert [n.user for n in notices] == [specialist]  # bob and alice (staff) have nothing due; carol opted out
    (message,) = [m for m in mail.outbox if m.to == [specialist.email]]
    assert "2 quá hạn, 1 đến hạn hôm nay, 1 sắp đến hạn" in message.subject
    text, html = message.body, html_part(message)
    for part in (text, html):
        assert "Quá hạn" in part and "Đến hạn hôm nay" in part and "Sắp đến hạn (đến 02/12/2026)" in part
        assert "Kiểm kê tài sản" in part and "Nộp báo cáo tháng" in part and "Chuẩn bị hội đồng" in part
        assert "Tổng kết năm" not in part and "Việc chưa phân công" not in part
    assert "quá 14 ngày" in text
    assert reverse("tasks:detail", args=[tasks["today"].pk]) in html


def test_the_daily_digest_goes_out_once_a_day_on_working_days_from_seven(tasks, specialist):
    assert daily_digests_send(at=vn(date(2026, 11, 30), 6, 55)) == 0  # before 07:00
    assert daily_digests_send(at=vn(date(2026, 11, 30), 7, 0)) == 1
    assert daily_digests_send(at=vn(date(2026, 11, 30), 9, 30)) == 0  # the same day again
    assert daily_digests_send(at=vn(date(2026, 12, 5), 8, 0)) == 0  # Saturday
    Holiday.objects.create(date=date(2026, 12, 1), name="Nghỉ bù", kind=Holiday.Kind.HOLIDAY)
    from tasks.calendar import calendar_invalidate

    calendar_invalidate()
    assert daily_digests_send(at=vn(date(2026, 12, 1), 8, 0)) == 0  # a holiday
    assert daily_digests_send(at=vn(date(2026, 12, 2), 8, 0)) == 1
    assert Digest.objects.filter(user=specialist, kind=Digest.Kind.DAILY).count() == 2


def test_people_with_nothing_to_say_or_inactive_get_nothing(tasks, specialist):
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])
    assert daily_digests_send(at=vn(date(2026, 11, 30), 8, 0)) == 0
    assert not Notification.objects.filter(kind="daily_digest").exists()


def test_the_daily_digest_is_on_for_staff_and_off_for_others_until_chosen(
    tasks, specialist, director, clerk, unit_head
):
    assert daily_digest_wanted(specialist) and daily_digest_wanted(clerk)
    assert not daily_digest_wanted(director)
    assert set(daily_digest_recipients()) == {specialist, clerk, unit_head}
    digest_subscription_set(user=specialist, daily=False)
    digest_subscription_set(user=director, daily=True)
    assert set(daily_digest_recipients()) == {director, clerk, unit_head}
    assert daily_digests_send(at=vn(date(2026, 11, 30), 8, 0)) == 0  # dave opted out; carol handles nothing


def test_a_leader_who_opts_in_gets_the_tasks_they_handle(make_task, unit_head, agency, science_unit):
    leader = factories.PersonFactory(
        username="vic", full_name="Vũ Văn Vic", agency=agency, roles=[Role.DEPUTY_DIRECTOR], unit=science_unit,
    )  # fmt: skip
    assert not daily_digest_wanted(leader)
    task = make_task(title="Chủ trì hội nghị", deadline=date(2026, 11, 30), today=date(2026, 11, 2))
    services.task_assign(task=task, by=unit_head, handler=leader)
    assert daily_digests_send(at=vn(date(2026, 11, 30), 8, 0)) == 0
    Digest.objects.all().delete()
    digest_subscription_set(user=leader, daily=True)
    assert daily_digests_send(at=vn(date(2026, 11, 30), 8, 0)) == 1


def test_the_switch_on_the_settings_page(client, specialist):
    client.force_login(specialist)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="daily_digest"' in page and "Bản tin việc hằng ngày" in page
    client.post(reverse("notifications:settings"), {})
    assert not daily_digest_wanted(specialist)
    client.post(reverse("notifications:settings"), {"daily_digest": "on"})
    assert daily_digest_wanted(specialist)


def test_the_beat_runs_the_daily_digest_in_the_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["daily-digests"]
    assert entry["task"] == "tasks.jobs.daily_digests"
    assert entry["schedule"].hour == {7, 8, 9, 10}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
