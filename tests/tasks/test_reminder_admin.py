"""Reminder rules kept by the administrator in the Django admin, and the read-only list of reminders sent."""

from datetime import date

import pytest
from django.urls import reverse

from tasks import reminders
from tasks.models import Reminder, ReminderRule
from tests import factories
from units.roles import Role

ADD = reverse("admin:tasks_reminderrule_add")
RULES = reverse("admin:tasks_reminderrule_changelist")
SENT = reverse("admin:tasks_reminder_changelist")


def rule_form(**fields) -> dict:
    data = {"name": "Nhắc 2 ngày trước hạn", "kind": "before", "days": "2", "send_at": "08:00"}
    data.update({"to_handlers": "on", "is_active": "on"})
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def rules_client(client, db):
    """The rules apply to every agency: an installation administrator (of no agency) keeps them."""
    client.force_login(factories.PersonFactory(username="root", agency=None, roles=[Role.ADMINISTRATOR]))
    return client


def test_the_administrator_role_carries_the_reminder_and_send_log_permissions(administrator):
    for perm in [
        "tasks.add_reminderrule",
        "tasks.change_reminderrule",
        "tasks.view_reminderrule",
        "tasks.view_reminder",
        "notifications.view_notificationdelivery",
    ]:
        assert administrator.has_perm(perm), perm
    assert not administrator.has_perm("tasks.delete_reminderrule")


def test_the_administrator_adds_a_rule(rules_client):
    response = rules_client.post(ADD, rule_form())
    assert response.status_code == 302
    rule = ReminderRule.objects.get(name="Nhắc 2 ngày trước hạn")
    assert (rule.kind, rule.days, rule.send_at.hour, rule.to_handlers) == ("before", 2, 8, True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"send_at": "03:00"}, "Giờ gửi phải trong giờ hành chính (07:30–17:00)."),
        ({"days": "-1"}, "Số ngày làm việc không được âm."),
        ({"kind": "overdue", "days": "0"}, "Nhắc quá hạn hoặc bị trả lại phải sau ít nhất 1 ngày làm việc."),
        ({"to_handlers": None}, "Hãy chọn ít nhất một người nhận."),
        ({"days": "300"}, "Số ngày làm việc không quá 250"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_in_vietnamese_and_nothing_is_saved(rules_client, fields, message):
    before = ReminderRule.objects.count()
    response = rules_client.post(ADD, rule_form(**fields))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Constraint" not in page  # the database's own wording never reaches the administrator
    assert ReminderRule.objects.count() == before


def test_the_list_shows_each_rules_moment_and_recipients(admin_client):
    reminders.reminder_rules_ensure()
    page = admin_client.get(RULES).content.decode()
    assert "Báo lãnh đạo phụ trách khi quá hạn 3 ngày làm việc" in page
    assert "gửi người xử lý, gửi lãnh đạo đơn vị chủ trì" in page


def test_the_administrator_changes_and_deactivates_a_rule_but_cannot_delete_it(rules_client):
    reminders.reminder_rules_ensure()
    rule = ReminderRule.objects.get(kind="periodic")
    change = reverse("admin:tasks_reminderrule_change", args=[rule.pk])
    assert rules_client.post(change, rule_form(name=rule.name, kind="periodic", days="5")).status_code == 302
    rule.refresh_from_db()
    assert rule.days == 5

    rules_client.post(RULES, {"action": "deactivate", "_selected_action": [rule.pk]})
    rule.refresh_from_db()
    assert not rule.is_active
    assert ReminderRule.objects.filter(is_active=True).count() == len(reminders.DEFAULT_RULES) - 1

    assert rules_client.get(reverse("admin:tasks_reminderrule_delete", args=[rule.pk])).status_code == 403


def test_a_specialist_cannot_reach_the_rules(client, specialist):
    client.force_login(specialist)
    assert client.get(RULES).status_code == 302  # to the admin's sign-in: not staff


def test_the_reminders_sent_are_listed_read_only_for_support(admin_client, assigned, outsider):
    reminders.reminder_rules_ensure()
    task = assigned(deadline=date(2026, 11, 27), today=date(2026, 11, 16))
    from tests.tasks.test_reminders import vn

    reminders.reminders_sweep(at=vn(date(2026, 11, 26)))
    reminder = Reminder.objects.get()
    page = admin_client.get(SENT).content.decode()
    assert task.title in page
    assert "Phạm Văn Dave" in page
    assert admin_client.get(reverse("admin:tasks_reminder_change", args=[reminder.pk])).status_code == 200
    assert admin_client.get(reverse("admin:tasks_reminder_add")).status_code == 403
    response = admin_client.post(reverse("admin:tasks_reminder_change", args=[reminder.pk]), {"attempts": "9"})
    assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.attempts == 0


def test_another_agencys_administrator_does_not_see_our_reminders(client, assigned, outsider):
    from tests import factories
    from tests.tasks.test_reminders import vn
    from units.roles import Role

    reminders.reminder_rules_ensure()
    assigned(deadline=date(2026, 11, 27), today=date(2026, 11, 16))
    reminders.reminders_sweep(at=vn(date(2026, 11, 26)))
    assert Reminder.objects.exists()
    stranger = factories.PersonFactory(username="olga", agency=outsider.agency, roles=[Role.ADMINISTRATOR])
    client.force_login(stranger)
    response = client.get(SENT)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    # Nor can she open one by its address: 404, not a redirect saying it exists.
    reminder = Reminder.objects.first()
    assert client.get(reverse("admin:tasks_reminder_change", args=[reminder.pk])).status_code == 404
