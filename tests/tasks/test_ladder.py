"""The acceptance ladder: who accepts a result and who decides an extension, per agency.

bob heads the science unit, dave works in it, carol (director) supervises it. The agency's
default is «head then leader» for results and «head» for extensions with 5 working days.
"""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lib.errors import DomainError, NotAllowed
from notifications.models import Notification
from tasks import permissions as rights
from tasks import services
from tasks.models import Extension, Task
from tests.factories import PersonFactory
from units.models import Agency
from units.roles import Role

T = Task.State
A = Agency.Approver


def set_ladder(agency, **fields) -> None:
    Agency.objects.filter(pk=agency.pk).update(**fields)
    agency.refresh_from_db()


@pytest.fixture
def submitted(assigned, specialist):
    """A task carol gave, bob assigned to dave, and dave reported done."""

    def make(**fields):
        task = assigned(**fields)
        services.task_submit(task=task, by=specialist, result="Đã rà soát đủ 12 đề tài")
        return Task.objects.get(pk=task.pk)

    return make


def reload(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# --- Acceptance -------------------------------------------------------------------------------


def test_existing_agencies_default_to_head_then_leader_and_five_working_days(agency):
    assert (agency.acceptance_by, agency.extension_by, agency.head_extension_days) == (A.HEAD_THEN_LEADER, A.HEAD, 5)


def test_head_then_leader_the_head_pre_accepts_and_the_director_gives_the_final_acceptance(
    submitted, unit_head, director, specialist
):
    task = submitted()
    assert rights.can_accept(unit_head, task) and not rights.can_accept(director, task)
    assert Notification.objects.filter(user=unit_head, kind="task_submitted").exists()

    services.task_accept(task=task, by=unit_head, note="Đơn vị đã kiểm tra")
    task = reload(task)
    assert task.state == T.SUBMITTED and task.pre_accepted_by == unit_head and task.completed_at is None
    assert Notification.objects.filter(user=director, kind="task_submitted").exists()
    assert not rights.can_accept(unit_head, task) and rights.can_accept(director, task)

    services.task_accept(task=task, by=director, note="Đạt")
    task = reload(task)
    assert task.state == T.DONE and task.completed_at == task.submitted_at
    assert Notification.objects.filter(user=specialist, kind="task_accepted").exists()
    assert Notification.objects.filter(user=unit_head, kind="task_accepted").exists()
    assert list(task.events.values_list("action", "comment"))[-2:] == [
        ("pre_accepted", "Đơn vị đã kiểm tra"),
        ("accepted", "Đạt"),
    ]


def test_head_mode_the_head_accepts_alone_and_the_director_may_not(submitted, unit_head, director, agency):
    set_ladder(agency, acceptance_by=A.HEAD)
    task = submitted()
    with pytest.raises(NotAllowed):
        services.task_accept(task=task, by=director)
    services.task_accept(task=task, by=unit_head)
    assert reload(task).state == T.DONE


def test_leader_mode_only_the_director_accepts_or_returns(submitted, unit_head, director, agency):
    set_ladder(agency, acceptance_by=A.LEADER)
    task = submitted()
    assert Notification.objects.filter(user=director, kind="task_submitted").exists()
    for act in (services.task_accept, services.task_return):
        with pytest.raises(NotAllowed):
            act(task=task, by=unit_head, **({"reason": "Chưa đạt"} if act is services.task_return else {}))
    assert reload(task).state == T.SUBMITTED
    services.task_accept(task=task, by=director)
    assert reload(task).state == T.DONE


def test_the_head_returns_with_a_reason_and_a_blank_reason_changes_nothing(submitted, unit_head, specialist):
    task = submitted()
    with pytest.raises(DomainError, match="Hãy ghi lý do trả lại."):
        services.task_return(task=task, by=unit_head, reason="   ")
    assert reload(task).state == T.SUBMITTED
    services.task_return(task=task, by=unit_head, reason="Bổ sung số liệu")
    assert reload(task).state == T.RETURNED
    assert Notification.objects.filter(user=specialist, kind="task_returned").exists()


def test_the_director_returning_a_pre_accepted_result_starts_the_ladder_again(
    submitted, unit_head, director, specialist
):
    task = submitted()
    services.task_accept(task=task, by=unit_head)
    services.task_return(task=task, by=director, reason="Thiếu đề xuất xử lý")
    task = reload(task)
    assert task.state == T.RETURNED and task.pre_accepted_by is None and task.pre_accepted_at is None
    assert Notification.objects.filter(user=unit_head, kind="task_returned").exists()
    services.task_submit(task=task, by=specialist, result="Đã bổ sung")
    assert rights.can_accept(unit_head, reload(task)) and not rights.can_accept(director, reload(task))


def test_a_head_never_accepts_his_own_result_it_goes_to_the_director(make_task, unit_head, director, agency):
    set_ladder(agency, acceptance_by=A.HEAD)
    task = make_task()
    services.task_assign(task=task, by=unit_head, handler=unit_head)
    services.task_submit(task=task, by=unit_head, result="Tự làm xong")
    task = reload(task)
    assert not rights.can_accept(unit_head, task) and rights.can_accept(director, task)


def test_a_unit_s_own_task_is_still_accepted_by_its_head_in_every_mode(unit_head, specialist, science_unit, agency):
    set_ladder(agency, acceptance_by=A.LEADER)
    task = services.task_create(by=unit_head, title="Sắp xếp hồ sơ lưu trữ", lead_unit=science_unit)
    services.task_assign(task=task, by=unit_head, handler=specialist)
    services.task_submit(task=task, by=specialist, result="Xong")
    services.task_accept(task=task, by=unit_head)
    assert reload(task).state == T.DONE


# --- Extensions -------------------------------------------------------------------------------


def ask(task, by, until: date) -> Extension:
    return services.task_extension_request(task=task, by=by, new_deadline=until, reason="Chờ số liệu của Sở Tài chính")


@pytest.fixture
def dated(assigned):
    """Due Wednesday 25 November 2026; five working days later is Wednesday 2 December."""
    return lambda: assigned(deadline=date(2026, 11, 25), today=date(2026, 11, 20))


def test_the_limit_counts_working_days_not_calendar_days(dated, specialist, unit_head, director):
    task = dated()
    extension = ask(task, specialist, date(2026, 12, 2))  # 7 calendar days, 5 working days
    assert extension.working_days == 5
    assert rights.can_decide_extension(unit_head, task, extension)
    assert not rights.can_decide_extension(director, task, extension)
    assert Notification.objects.filter(user=unit_head, kind="extension_asked").exists()
    services.task_extension_decide(extension=extension, by=unit_head, grant=True, note="Đồng ý")
    assert reload(task).deadline == date(2026, 12, 2)


def test_beyond_the_heads_limit_the_director_decides(dated, specialist, unit_head, director):
    task = dated()
    extension = ask(task, specialist, date(2026, 12, 3))  # 6 working days
    assert Notification.objects.filter(user=director, kind="extension_asked").exists()
    with pytest.raises(NotAllowed):
        services.task_extension_decide(extension=extension, by=unit_head, grant=True)
    assert reload(task).deadline == date(2026, 11, 25)
    services.task_extension_decide(extension=extension, by=director, grant=True)
    assert reload(task).deadline == date(2026, 12, 3)


def test_the_agency_sets_the_heads_limit(dated, specialist, unit_head, agency):
    set_ladder(agency, head_extension_days=10)
    task = dated()
    extension = ask(task, specialist, date(2026, 12, 9))  # 10 working days
    services.task_extension_decide(extension=extension, by=unit_head, grant=True)
    assert reload(task).deadline == date(2026, 12, 9)


def test_head_then_leader_beyond_the_limit_the_head_passes_it_on_then_the_director_decides(
    dated, specialist, unit_head, director, agency
):
    set_ladder(agency, extension_by=A.HEAD_THEN_LEADER)
    task = dated()
    extension = ask(task, specialist, date(2026, 12, 9))
    assert not rights.can_decide_extension(director, task, extension)
    services.task_extension_decide(extension=extension, by=unit_head, grant=True, note="Đồng ý, trình Giám đốc")
    extension.refresh_from_db()
    assert extension.state == Extension.State.PENDING and extension.endorsed_by == unit_head
    assert reload(task).deadline == date(2026, 11, 25)
    assert Notification.objects.filter(user=director, kind="extension_asked").exists()
    assert not rights.can_decide_extension(unit_head, task, extension)
    services.task_extension_decide(extension=extension, by=director, grant=False, note="Không đồng ý")
    extension.refresh_from_db()
    assert extension.state == Extension.State.REFUSED and reload(task).deadline == date(2026, 11, 25)


def test_head_then_leader_within_the_limit_the_heads_consent_grants_and_he_may_refuse_outright(
    dated, specialist, unit_head, agency
):
    set_ladder(agency, extension_by=A.HEAD_THEN_LEADER)
    task = dated()
    services.task_extension_decide(extension=ask(task, specialist, date(2026, 12, 1)), by=unit_head, grant=True)
    assert reload(task).deadline == date(2026, 12, 1)
    refused = ask(reload(task), specialist, date(2026, 12, 31))
    services.task_extension_decide(extension=refused, by=unit_head, grant=False)
    refused.refresh_from_db()
    assert refused.state == Extension.State.REFUSED and refused.decided_by == unit_head


def test_leader_mode_the_head_decides_no_extension(dated, specialist, unit_head, director, agency):
    set_ladder(agency, extension_by=A.LEADER)
    task = dated()
    extension = ask(task, specialist, date(2026, 11, 26))
    with pytest.raises(NotAllowed):
        services.task_extension_decide(extension=extension, by=unit_head, grant=True)
    services.task_extension_decide(extension=extension, by=director, grant=True)
    assert reload(task).deadline == date(2026, 11, 26)


def test_the_heads_own_request_goes_to_the_director(dated, unit_head, director):
    task = dated()
    extension = ask(task, unit_head, date(2026, 11, 26))
    assert not rights.can_decide_extension(unit_head, task, extension)
    assert rights.can_decide_extension(director, task, extension)


# --- The list form agrees with the one-task form ------------------------------------------------


def one_of_each_step(mode, agency, dated, specialist, unit_head) -> tuple[Task, Task, Task, Task]:
    """Under ladder ``mode``: two tasks with an extension asked (near and far deadlines), a result
    submitted, and one submitted earlier (accepted by the head, and the far extension endorsed by
    him, in the «head then leader» mode)."""
    set_ladder(agency, acceptance_by=mode, extension_by=mode)
    near, far = dated(), dated()
    ask(near, specialist, date(2026, 11, 27))
    ask(far, specialist, date(2026, 12, 10))
    result = dated()
    services.task_submit(task=result, by=specialist, result="Xong")
    pre = dated()
    services.task_submit(task=pre, by=specialist, result="Xong")
    if mode == A.HEAD_THEN_LEADER:
        services.task_accept(task=pre, by=unit_head)
        services.task_extension_decide(extension=far.extensions.get(), by=unit_head, grant=True)
    return near, far, result, pre


@pytest.mark.parametrize("mode", [A.HEAD, A.LEADER, A.HEAD_THEN_LEADER])
def test_lists_and_the_task_page_agree_on_who_acts(mode, agency, dated, specialist, unit_head, director, clerk):
    near, far, result, pre = one_of_each_step(mode, agency, dated, specialist, unit_head)
    for person in (specialist, unit_head, director, clerk):
        for task in map(reload, (near, far, result, pre)):
            listed = Task.objects.filter(pk=task.pk)
            assert listed.filter(rights.acceptance_awaiting(person)).exists() == rights.can_accept(person, task)
            assert listed.filter(rights.extension_awaiting(person)).exists() == (
                rights.can_decide_extension(person, task)
            ), (person.username, task.pk)


@pytest.mark.parametrize("mode", [A.HEAD, A.LEADER, A.HEAD_THEN_LEADER])
def test_what_waits_for_a_person_read_once_agrees_with_the_task_page(
    mode, agency, dated, specialist, unit_head, director, clerk, science_unit
):
    """``waiting_for`` (the lists' cards, rows and filter) decides by the one-task rules: the
    head, the supervisor, a second head of the unit (a deputy head) and nobody else."""
    deputy_head = PersonFactory(agency=agency, roles=[Role.STAFF], unit=science_unit, is_head=True)
    near, far, result, pre = one_of_each_step(mode, agency, dated, specialist, unit_head)
    seen = set()
    for person in (specialist, unit_head, deputy_head, director, clerk):
        waiting = rights.waiting_for(person)
        for task in map(reload, (near, far, result, pre)):
            assert (task.pk in waiting.acceptance) == rights.can_accept(person, task), (person.username, task.pk)
            assert (task.pk in waiting.extensions) == rights.can_decide_extension(person, task)
            seen |= {(person.username, "a")} if task.pk in waiting.acceptance else set()
        assert waiting.acting_for == {}
    assert (unit_head.username, "a") in seen or (director.username, "a") in seen  # not vacuous


# --- Pages ------------------------------------------------------------------------------------


def test_the_unit_list_offers_the_head_a_confirmation_dialog_not_a_one_click_accept(client, submitted, unit_head):
    task = submitted()
    client.force_login(unit_head)
    page = client.get(reverse("tasks:unit")).content.decode()
    url = reverse("tasks:act", args=[task.pk, "accept"])
    assert f'data-action="{url}"' in page and 'data-bs-target="#accept-modal"' in page
    assert f' action="{url}"' not in page  # no form posts the acceptance in one click
    assert 'id="accept-modal"' in page and 'id="return-modal"' in page
    assert 'data-testid="count-submitted">1<' in page


def test_the_head_accepts_from_the_list_with_a_note_and_returns_to_it(client, submitted, unit_head):
    task = submitted()
    client.force_login(unit_head)
    back = reverse("tasks:unit")
    response = client.post(reverse("tasks:act", args=[task.pk, "accept"]), {"note": "Đạt", "next": back})
    assert response.status_code == 302 and response.url == back
    task = reload(task)
    assert task.pre_accepted_by == unit_head and task.events.last().comment == "Đạt"


def kept_form(page: str) -> dict:
    """The refused dialog's input the page carries for static/js/app.js (lib/kept_forms.py)."""
    match = re.search(r'<script id="kept-form" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1)) if match else {}


def test_a_return_without_reason_reopens_the_dialog_with_the_error_and_changes_nothing(client, submitted, unit_head):
    task = submitted()
    client.force_login(unit_head)
    back = reverse("tasks:unit")
    response = client.post(reverse("tasks:act", args=[task.pk, "return"]), {"reason": "  ", "next": back})
    assert reload(task).state == T.SUBMITTED
    page = client.get(response.url).content.decode()
    kept = kept_form(page)
    assert 'id="return-modal"' in page and kept["dialog"] == "return-modal"
    assert "Hãy ghi lý do trả lại." in page
    assert kept["action"] == reverse("tasks:act", args=[task.pk, "return"])
    # once: the next visit shows the list as usual
    assert kept_form(client.get(back).content.decode()) == {}


def test_a_refused_extension_request_keeps_the_reason_typed(client, dated, specialist):
    task = dated()
    client.force_login(specialist)
    typed = "Chờ số liệu của Sở Tài chính & Kho bạc <quý IV>"
    response = client.post(
        reverse("tasks:act", args=[task.pk, "extend"]), {"new_deadline": "2026-11-24", "reason": typed}
    )
    page = client.get(response.url).content.decode()
    kept = kept_form(page)
    assert "Hạn đề nghị phải sau hạn hiện tại." in page
    assert 'id="extend-modal"' in page and kept["dialog"] == "extend-modal"
    assert kept["values"]["reason"] == [typed]
    assert "<quý IV>" not in page  # carried as escaped JSON, never as markup
    assert not task.extensions.exists()


def test_the_directors_list_counts_what_escalates_to_him(client, submitted, dated, specialist, unit_head, director):
    waiting_for_head = submitted()
    escalated = submitted()
    services.task_accept(task=escalated, by=unit_head)
    ask(dated(), specialist, date(2026, 12, 10))  # beyond the head's limit
    ask(dated(), specialist, date(2026, 11, 26))  # within it: the head's
    client.force_login(director)
    page = client.get(reverse("tasks:supervised")).content.decode()
    assert 'data-testid="count-submitted">1<' in page
    assert 'data-testid="count-extensions">1<' in page
    shown = client.get(reverse("tasks:supervised") + "?show=submitted").content.decode()
    assert reverse("tasks:detail", args=[escalated.pk]) in shown
    assert reverse("tasks:detail", args=[waiting_for_head.pk]) not in shown
    client.force_login(unit_head)
    page = client.get(reverse("tasks:unit")).content.decode()
    assert 'data-testid="count-submitted">1<' in page and 'data-testid="count-extensions">1<' in page


def test_the_task_page_tells_the_head_his_acceptance_goes_on_to_the_director(client, submitted, unit_head):
    task = submitted()
    client.force_login(unit_head)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Kết quả sẽ chuyển lãnh đạo phụ trách nghiệm thu lần cuối." in page


def test_the_administrator_sets_the_ladder_in_the_admin(client, administrator, agency):
    client.force_login(administrator)
    url = reverse("admin:units_agency_change", args=[agency.pk])
    page = client.get(url).content.decode()
    assert "Nghiệm thu và gia hạn nhiệm vụ" in page
    form = {
        "name": agency.name, "abbreviation": agency.abbreviation, "parent_body": agency.parent_body,
        "place_name": agency.place_name, "numbering": agency.numbering,
        "acceptance_by": A.LEADER, "extension_by": A.HEAD_THEN_LEADER, "head_extension_days": 3,
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    agency.refresh_from_db()
    assert (agency.acceptance_by, agency.extension_by, agency.head_extension_days) == (
        A.LEADER, A.HEAD_THEN_LEADER, 3,
    )  # fmt: skip


# --- API ------------------------------------------------------------------------------------


def test_the_api_follows_the_same_ladder(submitted, unit_head, director, agency):
    set_ladder(agency, acceptance_by=A.HEAD)
    task = submitted()
    api = APIClient()
    api.force_authenticate(director)
    refused = api.post(f"/api/v1/tasks/{task.pk}/accept", {}, format="json")
    assert refused.status_code == 403 and set(refused.json()) == {"message", "extra"}
    api.force_authenticate(unit_head)
    accepted = api.post(f"/api/v1/tasks/{task.pk}/accept", {"note": "Đạt"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "done"


def test_another_deputy_never_accepts(submitted, agency, unit_head):
    task = submitted()
    services.task_accept(task=task, by=unit_head)
    deputy = PersonFactory(agency=agency, roles=[Role.DEPUTY_DIRECTOR])
    with pytest.raises(NotAllowed):
        services.task_accept(task=reload(task), by=deputy)
