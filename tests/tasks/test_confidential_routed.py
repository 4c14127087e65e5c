"""Routing a confidential incoming document makes a task; its subject must not travel with it.

Before issue #12 the task took the document's subject as its title, and with it the subject
reached every place a task title goes: lists, dashboards, the calendar feed, the weekly digest,
reminders, notices and their e-mails, to people who hold no grant on the document. The task now
gets a neutral title; whoever may see the document finds its subject one click away."""

import importlib
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse

from directives import services as document_services
from lib.workdays import VIETNAM_TZ
from notifications.models import Notification
from tasks import reminders
from tasks import services as task_services
from tasks.digest import digest_text
from tasks.feeds import task_calendar
from tasks.models import Task
from tests.conftest import SECRET_SUBJECT
from tests.factories import OrganisationFactory

SYMBOL = "15/BCA-MAT"
NEUTRAL = "Xử lý văn bản mật"
DEADLINE = date(2026, 11, 27)  # a Friday


def vn(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM_TZ)


@pytest.fixture
def deputy(planning_deputy):
    return planning_deputy


def route_secret(*, clerk, director, planning, planning_head, planning_staff, doc_type) -> Task:
    """alice registers a «Mật» document, carol routes it to the planning unit, henry gives it to ivy."""
    with time_machine.travel(vn(date(2026, 11, 16)), tick=False):
        document = document_services.incoming_register(
            by=clerk, sender=OrganisationFactory(name="Bộ Công an"), symbol=SYMBOL, issued_on=date(2026, 11, 12),
            doc_type=doc_type, subject=SECRET_SUBJECT, confidentiality="mat",
        )  # fmt: skip
        document_services.incoming_route(
            document=document, by=director, note="Phòng Kế hoạch chủ trì thực hiện.", lead_unit=planning,
            deadline=DEADLINE,
        )  # fmt: skip
        task = Task.objects.get(document=document)
        task_services.task_assign(task=task, by=planning_head, handler=planning_staff)
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def routed(clerk, director, deputy, planning, planning_head, planning_staff, notice_type):
    return route_secret(
        clerk=clerk, director=director, planning=planning, planning_head=planning_head,
        planning_staff=planning_staff, doc_type=notice_type,
    )  # fmt: skip


def assert_clean(text: str) -> None:
    assert SECRET_SUBJECT not in text
    assert SYMBOL not in text


def test_the_task_gets_a_neutral_title_and_the_document_only_for_who_may_see_it(
    client, routed, planning_head, planning_staff
):
    assert routed.title == NEUTRAL
    client.force_login(planning_staff)  # the handler: no grant
    body = client.get(reverse("tasks:detail", args=[routed.pk])).content.decode()
    assert_clean(body)
    assert NEUTRAL in body
    client.force_login(planning_head)  # the lead unit's head received the document: granted
    body = client.get(reverse("tasks:detail", args=[routed.pk])).content.decode()
    assert SECRET_SUBJECT in body


def test_the_handlers_list_and_calendar_feed_hold_no_subject(client, routed, planning_staff):
    client.force_login(planning_staff)
    body = client.get(reverse("tasks:mine")).content.decode()
    assert_clean(body)
    assert NEUTRAL in body
    feed = task_calendar(planning_staff).decode()
    assert_clean(feed)
    assert NEUTRAL in feed


def test_reminders_hold_no_subject(routed, planning_staff):
    reminders.reminders_sweep(at=vn(date(2026, 11, 24)))
    notices = list(Notification.objects.filter(kind__startswith="reminder", user=planning_staff))
    assert notices
    for notice in notices:
        assert_clean(notice.message)
        assert NEUTRAL in notice.message


def test_the_weekly_digest_holds_no_subject(routed, deputy):
    body, _counts = digest_text(deputy, at=vn(date(2026, 12, 7)))
    assert_clean(body)
    assert NEUTRAL in body


def test_the_dashboards_most_overdue_hold_no_subject(client, routed, deputy, planning):
    with time_machine.travel(vn(date(2026, 12, 7)), tick=False):
        client.force_login(deputy)
        for url in (reverse("tasks:dashboard"), reverse("tasks:unit_dashboard", args=[planning.pk])):
            response = client.get(url)
            assert response.status_code == 200
            body = response.content.decode()
            assert_clean(body)
            assert NEUTRAL in body


def test_notices_e_mails_and_the_send_log_hold_no_subject_or_symbol(
    client, django_capture_on_commit_callbacks, clerk, director, planning, planning_head, planning_staff, notice_type,
    administrator,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        route_secret(
            clerk=clerk, director=director, planning=planning, planning_head=planning_head,
            planning_staff=planning_staff, doc_type=notice_type,
        )  # fmt: skip
    notices = list(Notification.objects.all())
    assert {n.kind for n in notices} >= {"incoming_routing", "document_received", "task_received", "task_assigned"}
    for notice in notices:
        assert_clean(notice.message + notice.body)
    assert any("văn bản mật" in n.message for n in notices if n.kind == "document_received")
    assert mail.outbox
    for message in mail.outbox:
        assert_clean(message.subject + message.body + "".join(str(a[0]) for a in message.alternatives))
    for user, url in (
        (planning_staff, reverse("notifications:list")),
        (administrator, reverse("notifications:delivery_log")),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert_clean(response.content.decode())


def test_a_non_confidential_routed_document_still_gives_its_subject_as_title(
    clerk, director, science_unit, notice_type
):
    document = document_services.incoming_register(
        by=clerk, sender=OrganisationFactory(), symbol="16/UBND", issued_on=None, doc_type=notice_type,
        subject="Báo cáo tình hình quý IV",
    )  # fmt: skip
    document_services.incoming_route(document=document, by=director, note="Xử lý.", lead_unit=science_unit)
    assert Task.objects.get(document=document).title == "Báo cáo tình hình quý IV"


def test_the_migration_gives_existing_routed_tasks_the_neutral_title(routed, secret_task):
    Task.objects.filter(pk=routed.pk).update(title=SECRET_SUBJECT)  # as routing wrote it before
    migration = importlib.import_module("tasks.migrations.0013_confidential_routed_task_titles")
    migration.neutral_titles(apps, None)
    assert Task.objects.get(pk=routed.pk).title == NEUTRAL
    assert Task.objects.get(pk=secret_task.pk).title == "Chuẩn bị lực lượng theo điểm 2"  # its own words stay


def test_searching_for_the_subject_finds_neither_task_nor_document_without_a_grant(client, routed, planning_staff):
    client.force_login(planning_staff)
    tasks = client.get(reverse("tasks:mine"), {"q": "K-47"})
    assert not list(tasks.context["page"].object_list)
    documents = client.get(reverse("directives:search"), {"q": "K-47"})
    assert documents.status_code == 200
    for response in (tasks, documents):
        assert_clean(response.content.decode())
