"""The personal notification settings (e-mail mutes, calendar feed) and the administrator's send log."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from lib.workdays import local_today
from notifications.models import NotificationDelivery, NotificationMute
from notifications.selectors import daily_digest_wanted
from notifications.services import KINDS, notification_send
from tasks import services as task_services

SETTINGS = reverse("notifications:settings")
LOG = reverse("notifications:delivery_log")


def every_kind_but(*muted: str) -> dict:
    """The settings form posted with every box ticked but ``muted``; the daily digest is its own
    switch (``daily_digest``), not an e-mail box."""
    ticked = {f"email__{kind}": "on" for kind in KINDS if kind not in muted and kind != "daily_digest"}
    return ticked if "daily_digest" in muted else {**ticked, "daily_digest": "on"}


def email_state(user, kind: str) -> str:
    (notice,) = notification_send(users=[user], kind=kind, message="Thử", url="/tasks/")
    return notice.deliveries.get(channel="email").state


# --- Settings: mutes ---


def test_every_kind_is_on_by_e_mail_until_muted(client, specialist):
    client.force_login(specialist)
    page = client.get(SETTINGS).content.decode()
    for label in KINDS.values():
        assert str(label) in page
    assert page.count('type="checkbox"') == len(KINDS)
    assert page.count("checked") == len(KINDS)


def test_unticking_a_kind_mutes_its_e_mail_and_ticking_it_again_unmutes(client, specialist):
    client.force_login(specialist)
    response = client.post(SETTINGS, every_kind_but("reminder_before"))
    assert response.status_code == 302
    assert list(NotificationMute.objects.filter(user=specialist).values_list("kind", "channel")) == [
        ("reminder_before", "email")
    ]
    assert email_state(specialist, "reminder_before") == NotificationDelivery.State.SKIPPED
    assert email_state(specialist, "task_assigned") == NotificationDelivery.State.PENDING
    page = client.get(SETTINGS).content.decode()
    assert page.count("checked") == len(KINDS) - 1

    client.post(SETTINGS, every_kind_but())
    assert not NotificationMute.objects.filter(user=specialist).exists()
    assert email_state(specialist, "reminder_before") == NotificationDelivery.State.PENDING


def test_saving_with_nothing_ticked_mutes_every_kind(client, specialist):
    client.force_login(specialist)
    client.post(SETTINGS, {})
    # every kind muted but the daily digest, which is switched off rather than muted
    assert NotificationMute.objects.filter(user=specialist, channel="email").count() == len(KINDS) - 1
    assert not daily_digest_wanted(specialist)


def test_the_settings_page_is_linked_from_the_user_menu_and_the_notification_list(client, specialist):
    client.force_login(specialist)
    assert SETTINGS in client.get(reverse("notifications:list")).content.decode()
    assert SETTINGS in client.get(reverse("tasks:mine")).content.decode()


def test_the_settings_page_needs_a_sign_in(client):
    assert client.get(SETTINGS).status_code == 302


# --- Settings: calendar feed ---


@pytest.fixture
def open_task(director, unit_head, specialist, science_unit):
    task = task_services.task_create(
        by=director,
        title="Tổng hợp báo cáo đề tài quý IV",
        lead_unit=science_unit,
        deadline=local_today() + timedelta(days=30),
    )
    task_services.task_assign(task=task, by=unit_head, handler=specialist)
    return task


def issue(client) -> str:
    """Press "create a link"; return the feed's path, read from the page that shows it once."""
    response = client.post(reverse("notifications:calendar_issue"))
    assert response.status_code == 200
    assert 'data-testid="calendar-url"' in response.content.decode()
    url = response.context["feed_url"]
    assert url.startswith(settings.SITE_URL)
    return url.removeprefix(settings.SITE_URL)


def test_a_new_calendar_url_serves_the_persons_open_tasks(client, specialist, open_task):
    client.force_login(specialist)
    assert "calendar-url" not in client.get(SETTINGS).content.decode()

    response = client.post(reverse("notifications:calendar_issue"))
    path = response.context["feed_url"].removeprefix(settings.SITE_URL)
    assert settings.SITE_URL + path in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert "Đã tạo đường dẫn lịch" in response.content.decode()

    client.logout()  # calendar clients have no session
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Hạn: {open_task.title}"]
    assert events[0].decoded("dtstart") == open_task.deadline


def test_the_calendar_url_is_shown_once_and_only_its_digest_is_stored(client, specialist):
    client.force_login(specialist)
    path = issue(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    specialist.refresh_from_db()
    assert specialist.calendar_token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in specialist.calendar_token_digest
    later = client.get(SETTINGS).content.decode()
    assert token not in later
    assert 'data-testid="calendar-active"' in later
    assert reverse("notifications:calendar_issue") in later


def test_the_mute_form_on_the_once_page_saves_mutes_without_a_new_link(client, specialist):
    client.force_login(specialist)
    page = client.post(reverse("notifications:calendar_issue")).content.decode()
    assert f'action="{SETTINGS}"' in page
    digest = type(specialist).objects.get(pk=specialist.pk).calendar_token_digest
    client.post(SETTINGS, every_kind_but())
    assert type(specialist).objects.get(pk=specialist.pk).calendar_token_digest == digest


def test_a_revoked_calendar_url_answers_404(client, specialist, open_task):
    client.force_login(specialist)
    path = issue(client)
    client.post(reverse("notifications:calendar_revoke"))
    assert client.get(path).status_code == 404
    page = client.get(SETTINGS).content.decode()
    assert "calendar-url" not in page
    assert "calendar-active" not in page


def test_a_new_calendar_url_makes_the_old_one_404(client, specialist, open_task):
    client.force_login(specialist)
    old = issue(client)
    new = issue(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_calendar_buttons_only_take_a_post(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("notifications:calendar_issue")).status_code == 405
    assert client.get(reverse("notifications:calendar_revoke")).status_code == 405
    specialist.refresh_from_db()
    assert specialist.calendar_token_digest == ""


def test_the_settings_page_never_shows_someone_elses_calendar_url(client, specialist, unit_head):
    client.force_login(unit_head)
    theirs = issue(client)
    client.force_login(specialist)
    assert theirs not in client.get(SETTINGS).content.decode()
    mine = client.post(reverse("notifications:calendar_issue")).content.decode()
    assert theirs not in mine


def test_a_calendar_url_made_before_digests_keeps_working_after_the_migration(specialist, open_task, client):
    """Migration 0005 turns a stored plain token into its digest; the URL handed out earlier still works."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("units.migrations.0005_calendar_token_stored_as_digest")
    plain = "a-plain-token-from-before-the-digests-0123456789"
    type(specialist).objects.filter(pk=specialist.pk).update(calendar_token_digest=plain)
    migration.digest_existing_tokens(apps, None)
    assert client.get(reverse("calendar-feed", args=[plain])).status_code == 200
    specialist.refresh_from_db()
    assert specialist.calendar_token_digest != plain


# --- The send log ---


def rows(response) -> list[tuple[str, str, str]]:
    return [(d.notification.user.username, d.notification.kind, d.state) for d in response.context["page"].object_list]


@pytest.fixture
def log(specialist, unit_head, outsider):
    """Three notices in erin's agency (one about task 7, one muted by bob) and one for the outsider."""
    NotificationMute.objects.create(user=unit_head, kind="task_received", channel="email")
    notification_send(users=[specialist], kind="task_assigned", message="Giao việc 7", url="/tasks/7/")
    notification_send(users=[unit_head], kind="task_received", message="Đơn vị nhận việc 8", url="/tasks/8/")
    notification_send(users=[specialist], kind="document_received", message="Văn bản đến", url="/directives/1/")
    notification_send(users=[outsider], kind="task_assigned", message="Việc của Sở khác", url="/tasks/7/")


def test_the_send_log_is_for_administrators_only(client, specialist, administrator, log):
    client.force_login(specialist)
    assert client.get(LOG).status_code == 403
    client.force_login(administrator)
    response = client.get(LOG)
    assert response.status_code == 200
    assert rows(response) == [
        ("dave", "document_received", "pending"),
        ("bob", "task_received", "skipped"),
        ("dave", "task_assigned", "pending"),
    ]
    page = response.content.decode()
    assert "Văn bản đến đơn vị tôi" in page  # the kind's label
    assert "Cán bộ đã tắt loại thông báo này" in page  # the reason it was skipped
    assert "Việc của Sở khác" not in page


def test_the_send_log_is_linked_from_the_administrators_menu_only(client, specialist, administrator):
    client.force_login(administrator)
    assert LOG in client.get(reverse("notifications:list")).content.decode()
    client.force_login(specialist)
    assert LOG not in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"person": "dave"}, [("dave", "document_received", "pending"), ("dave", "task_assigned", "pending")]),
        ({"person": "Bob"}, [("bob", "task_received", "skipped")]),  # part of the full name
        ({"person": "oscar"}, []),  # another agency's person does not exist here
        ({"task": "7"}, [("dave", "task_assigned", "pending")]),
        ({"task": "70"}, []),
        ({"state": "skipped"}, [("bob", "task_received", "skipped")]),
        ({"kind": "document_received"}, [("dave", "document_received", "pending")]),
        ({"person": "dave", "state": "skipped"}, []),
    ],
)
def test_the_send_log_filters_return_exactly_the_matching_rows(client, administrator, log, query, expected):
    client.force_login(administrator)
    assert rows(client.get(LOG, query)) == expected


def test_a_superuser_sees_every_agencys_deliveries(client, administrator, log):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    assert ("oscar", "task_assigned", "pending") in rows(client.get(LOG))


# session, user, their roles, two permission reads, the unread count for the bell,
# the counts by outcome (capped; the page's count is their sum), the page of rows (person and notice joined in)
LOG_QUERIES = 8


def test_the_send_log_reads_a_fixed_number_of_queries_whatever_the_rows(
    client, administrator, specialist, django_assert_num_queries
):
    client.force_login(administrator)
    notification_send(users=[specialist], kind="task_assigned", message="Việc 1", url="/tasks/1/")
    with django_assert_num_queries(LOG_QUERIES):
        assert len(rows(client.get(LOG))) == 1
    for n in range(19):
        notification_send(users=[specialist], kind="reminder_before", message=f"Việc {n}", url=f"/tasks/{n}/")
    with django_assert_num_queries(LOG_QUERIES):
        assert len(rows(client.get(LOG))) == 20


def test_the_send_log_shows_pending_and_failed_deliveries_with_their_reason(client, administrator, log):
    waiting, failed = NotificationDelivery.objects.filter(state="pending").order_by("pk")[:2]
    NotificationDelivery.objects.filter(pk=waiting.pk).update(attempts=1, detail="SMTPDataError: 451 Máy chủ bận")
    NotificationDelivery.objects.filter(pk=failed.pk).update(state="failed", attempts=5, detail="SMTPDataError: 550")
    client.force_login(administrator)
    page = client.get(LOG).content.decode()
    assert "451 Máy chủ bận" in page and 'data-testid="retry-at"' in page and "Thử lại lúc" in page
    assert "SMTPDataError: 550" in page and "Gửi lỗi" in page


def test_beyond_the_cap_the_send_log_says_more_than(client, administrator, log, monkeypatch):
    """Each outcome is counted up to the cap; above it the page says "hơn …" instead of a number."""
    monkeypatch.setattr("notifications.selectors.COUNT_CAP", 1)
    client.force_login(administrator)
    response = client.get(LOG)
    page = response.content.decode()
    assert "hơn 2 lượt gửi" in page  # 2 pending (more than 1) and 1 skipped: more than 1 + 1
    assert ">hơn 1</span>" in page  # the badge of "Chờ gửi"
    assert len(rows(response)) == 3
    pending = client.get(LOG, {"state": "pending"}).content.decode()
    assert "hơn 1 lượt gửi" in pending
    monkeypatch.setattr("notifications.selectors.COUNT_CAP", 10_000)
    assert "3 lượt gửi" in client.get(LOG).content.decode()


def test_a_capped_count_is_written_with_a_dot_between_thousands():
    from units.templatetags.portal import thousands

    assert (thousands(10_000), thousands(1_234_567), thousands(999)) == ("10.000", "1.234.567", "999")


def test_a_delivery_stays_in_the_log_of_the_agency_its_person_was_in(client, administrator, specialist, outsider):
    """The log lists the deliveries to the agency's people as they were when the notice was written."""
    notification_send(users=[specialist], kind="task_assigned", message="Giao việc trước khi chuyển", url="/tasks/1/")
    specialist.agency = outsider.agency
    specialist.save(update_fields=["agency"])
    notification_send(users=[specialist], kind="task_assigned", message="Giao việc sau khi chuyển", url="/tasks/2/")
    client.force_login(administrator)
    page = client.get(LOG).content.decode()
    assert "Giao việc trước khi chuyển" in page
    assert "Giao việc sau khi chuyển" not in page


@pytest.mark.postgres
def test_an_agencys_send_log_reads_its_own_rows_by_index(client, administrator, specialist):
    """Neither the rows nor the counts join every notice of the installation: both start from the
    agency's deliveries in index units_delivery_agency(_state)."""
    notification_send(users=[specialist], kind="task_assigned", message="Việc 1", url="/tasks/1/")
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as queries:
        client.get(LOG)
    log_queries = [q["sql"] for q in queries.captured_queries if "units_notificationdelivery" in q["sql"]]
    assert len(log_queries) == 2  # the counts, the rows
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its index
        for sql in log_queries:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "units_delivery_agency" in plan, plan
