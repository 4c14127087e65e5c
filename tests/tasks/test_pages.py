"""The task pages: who sees what, what each action does, and what must never happen."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives.models import Document
from lib.workdays import local_today
from tasks import services
from tasks.models import ProgressReport, Task, TaskEvent
from tests import uploads
from tests.directives.test_pages import issued


def in_days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


@pytest.fixture
def make_task(director, science_unit):
    """A task carol gives to the science unit, due in ``days`` days."""

    def make(title="Tổng hợp báo cáo đề tài khoa học", days=30, by=None, **fields):
        fields.setdefault("deadline", in_days(days))
        return services.task_create(by=by or director, title=title, lead_unit=science_unit, **fields)

    return make


@pytest.fixture
def assigned(make_task, unit_head, specialist):
    """Carol's task, assigned by bob to dave."""
    task = make_task()
    return services.task_assign(task=task, by=unit_head, handler=specialist)


def reload(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# --- pages render for the right persona -------------------------------------------------


def test_my_tasks_is_the_staff_start_page(client, specialist, assigned):
    client.force_login(specialist)
    page = client.get(reverse("tasks:mine")).content.decode()
    assert 'data-testid="start-page">Nhiệm vụ của tôi' in page
    assert assigned.title in page
    assert reverse("tasks:act", args=[assigned.pk, "report"]) in page  # one click to report
    for label in ("Quá hạn", "Sắp đến hạn", "Đang thực hiện", "Chờ nghiệm thu"):
        assert label in page


def test_unit_tasks_shows_handler_and_assign_action(client, unit_head, make_task, specialist):
    task = make_task()
    client.force_login(unit_head)
    page = client.get(reverse("tasks:unit")).content.decode()
    assert 'data-testid="start-page">Nhiệm vụ đơn vị' in page
    assert "Chưa phân công" in page
    assert reverse("tasks:act", args=[task.pk, "assign"]) in page
    assert specialist.get_full_name() in page  # among the people to choose


def test_supervised_tasks_offers_accept_and_return(client, director, assigned, specialist, unit_head):
    services.task_submit(task=assigned, by=specialist, result="Đã tổng hợp xong.")
    services.task_accept(task=assigned, by=unit_head)  # the head's step of the default ladder
    client.force_login(director)
    page = client.get(reverse("tasks:supervised") + "?show=submitted").content.decode()
    assert "Nhiệm vụ tôi phụ trách" in page
    assert reverse("tasks:act", args=[assigned.pk, "accept"]) in page
    assert reverse("tasks:act", args=[assigned.pk, "return"]) in page


def test_supervised_tasks_is_for_leaders_only(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("tasks:supervised")).status_code == 403


@pytest.mark.parametrize(("persona", "name"), [("specialist", "tasks:mine"), ("unit_head", "tasks:unit"),
                                               ("director", "tasks:supervised")])  # fmt: skip
def test_the_supervised_scope_of_all_tasks_is_ignored_by_the_other_lists(client, request, assigned, persona, name):
    # ?scope=supervised belongs to «Tất cả nhiệm vụ»; a link carrying it to another list once gave a 500.
    client.force_login(request.getfixturevalue(persona))
    plain = client.get(reverse(name))
    scoped = client.get(reverse(name), {"scope": "supervised"})
    assert scoped.status_code == 200
    assert (assigned.title in scoped.content.decode()) == (assigned.title in plain.content.decode())


def test_list_filters_by_state_and_tracking(client, specialist, assigned, make_task, unit_head):
    other = services.task_assign(task=make_task(title="Rà soát hồ sơ nghiệm thu"), by=unit_head, handler=specialist)
    services.task_submit(task=other, by=specialist, result="Xong.")
    client.force_login(specialist)
    page = client.get(reverse("tasks:mine"), {"state": "submitted"}).content.decode()
    assert other.title in page and assigned.title not in page
    page = client.get(reverse("tasks:mine"), {"tracking": "overdue"}).content.decode()
    assert other.title not in page and assigned.title not in page


def test_detail_shows_everything_about_the_task(client, specialist, assigned):
    report = services.task_report(
        task=assigned, by=specialist, text="Đã thu thập số liệu.", percent=40,
        files=[uploads.xlsx("so-lieu.xlsx")],
    )  # fmt: skip
    client.force_login(specialist)
    page = client.get(reverse("tasks:detail", args=[assigned.pk])).content.decode()
    assert assigned.title in page
    assert "Đang thực hiện trong hạn" in page
    assert "Đã thu thập số liệu." in page
    assert reverse("tasks:file", args=[assigned.pk, report.files.get().pk]) in page
    assert 'value="40" max="100"' in page
    assert "Báo cáo hoàn thành" in page and "Xin gia hạn" in page
    assert "Nghiệm thu" not in page  # not dave's to accept


def test_detail_shows_original_deadline_after_an_extension(client, director, specialist, assigned):
    first = assigned.deadline
    extension = services.task_extension_request(
        task=assigned, by=specialist, new_deadline=in_days(40), reason="Chờ số liệu."
    )
    services.task_extension_decide(extension=extension, by=director, grant=True)
    client.force_login(director)
    page = client.get(reverse("tasks:detail", args=[assigned.pk])).content.decode()
    assert in_days(40).strftime("%d/%m/%Y") in page
    assert f"Hạn ban đầu: {first:%d/%m/%Y}" in page
    assert "Đồng ý gia hạn" in page


def test_create_form_gives_a_task(client, director, science_unit, office):
    client.force_login(director)
    assert client.get(reverse("tasks:create")).status_code == 200
    response = client.post(
        reverse("tasks:create"),
        {"title": "Chuẩn bị hội nghị tổng kết", "lead_unit": science_unit.pk, "cooperating_units": [office.pk],
         "deadline_kind": "days", "working_days": 5, "priority": 3},
    )  # fmt: skip
    task = Task.objects.get()
    assert response.url == reverse("tasks:detail", args=[task.pk])
    assert task.deadline > local_today() and list(task.cooperating_units.all()) == [office]
    assert task.supervisor == director


def test_create_form_refuses_a_past_deadline(client, director, science_unit):
    client.force_login(director)
    response = client.post(
        reverse("tasks:create"),
        {"title": "Việc đã qua", "lead_unit": science_unit.pk, "deadline_kind": "date",
         "deadline": in_days(-1).isoformat(), "priority": 2},
    )  # fmt: skip
    assert "Hạn xử lý không thể trước hôm nay." in response.content.decode()
    assert not Task.objects.exists()


def test_a_unit_head_may_task_only_own_units(client, unit_head, office):
    client.force_login(unit_head)
    response = client.post(
        reverse("tasks:create"),
        {"title": "Việc của văn phòng", "lead_unit": office.pk, "deadline_kind": "none",
         "reporting_period": "monthly", "priority": 2},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Task.objects.exists()


def test_staff_may_not_give_tasks(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("tasks:create")).status_code == 403


# --- from a document --------------------------------------------------------------------


@pytest.fixture
def plan(specialist, unit_head, director, clerk, science_unit, office):
    document = issued(specialist, director, clerk, units=[science_unit, office])
    document.body = (
        "<p>Giám đốc Sở yêu cầu:</p>"
        "<p>1. Phòng Quản lý Khoa học rà soát các đề tài chậm tiến độ.</p>"
        "<p>2. Văn phòng Sở bố trí lịch trực Tết.</p>"
    )
    document.save(update_fields=["body"])
    return document


def point_rows(rows):
    data = {"point-TOTAL_FORMS": len(rows), "point-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data.update({f"point-{i}-{k}": v for k, v in row.items()})
    return data


def test_document_page_offers_to_give_tasks(client, director, plan):
    client.force_login(director)
    page = client.get(reverse("directives:detail", args=[plan.pk])).content.decode()
    assert "Giao nhiệm vụ từ văn bản" in page


def test_from_document_prefills_one_row_per_point(client, director, plan, science_unit, office):
    client.force_login(director)
    page = client.get(reverse("tasks:create_from_document", args=[plan.pk])).content.decode()
    assert "rà soát các đề tài chậm tiến độ" in page and "bố trí lịch trực Tết" in page
    assert 'name="point-TOTAL_FORMS" value="3"' in page  # two points and an empty row
    assert f'<option value="{science_unit.pk}" selected>' in page
    assert f'<option value="{office.pk}" selected>' in page


def test_from_document_creates_all_rows(client, director, plan, science_unit, office):
    client.force_login(director)
    data = point_rows([
        {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(7).isoformat(),
         "priority": 2},
        {"point": "2", "title": "Lịch trực Tết", "lead_unit": office.pk, "working_days": 3, "priority": 3},
        {"point": "", "title": "", "priority": 2},
    ])  # fmt: skip
    response = client.post(reverse("tasks:create_from_document", args=[plan.pk]), data)
    assert response.status_code == 302
    assert list(plan.tasks.order_by("point").values_list("point", flat=True)) == ["1", "2"]
    page = client.get(reverse("directives:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="document-tasks"' in page and "Lịch trực Tết" in page


def test_from_document_creates_nothing_when_one_row_is_wrong(client, director, plan, science_unit, office):
    client.force_login(director)
    data = point_rows([
        {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(7).isoformat(),
         "priority": 2},
        {"point": "2", "title": "Lịch trực Tết", "lead_unit": office.pk, "deadline": in_days(-3).isoformat(),
         "priority": 2},
    ])  # fmt: skip
    page = client.post(reverse("tasks:create_from_document", args=[plan.pk]), data).content.decode()
    assert "Nhiệm vụ thứ 2: Hạn xử lý không thể trước hôm nay." in page
    assert not Task.objects.exists()


def test_from_document_names_the_row_without_lead_unit(client, director, plan, science_unit):
    client.force_login(director)
    data = point_rows([
        {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "priority": 2},
        {"point": "2", "title": "Lịch trực Tết", "priority": 2},
    ])  # fmt: skip
    page = client.post(reverse("tasks:create_from_document", args=[plan.pk]), data).content.decode()
    assert "Dòng 2 có lỗi." in page and "Hãy chọn đơn vị chủ trì." in page
    assert not Task.objects.exists()


def test_from_document_gives_a_standing_duty_with_its_reporting_period(client, director, plan, science_unit, office):
    client.force_login(director)
    url = reverse("tasks:create_from_document", args=[plan.pk])
    select = client.get(url).content.decode().split('name="point-0-reporting_period"')[1].split("</select>")[0]
    assert '<option value="" selected>' in select and ">Hằng quý</option>" in select
    data = point_rows([
        {"point": "1", "title": "Báo cáo tiến độ đề tài", "lead_unit": science_unit.pk, "reporting_period": "quarterly",
         "priority": 2},
        {"point": "2", "title": "Lịch trực Tết", "lead_unit": office.pk, "deadline": in_days(7).isoformat(),
         "reporting_period": "", "priority": 2},
    ])  # fmt: skip
    assert client.post(url, data).status_code == 302
    duty, dated = plan.tasks.order_by("point")
    assert (duty.deadline, duty.reporting_period) == (None, Task.Period.QUARTERLY)
    assert (dated.deadline, dated.reporting_period) == (in_days(7), "")


def test_from_document_refuses_a_deadline_with_a_reporting_period(client, director, plan, science_unit):
    from tasks.forms import PointFormSet

    rows = [
        {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(7).isoformat(),
         "reporting_period": "monthly", "priority": 2},
        {"point": "2", "title": "Báo cáo tháng", "lead_unit": science_unit.pk, "working_days": 5,
         "reporting_period": "weekly", "priority": 2},
    ]  # fmt: skip
    formset = PointFormSet(point_rows(rows), user=director, prefix="point")
    assert not formset.is_valid()
    message = "Nhiệm vụ có kỳ báo cáo là nhiệm vụ thường xuyên, không có hạn xử lý"
    assert [message in str(form.errors.get("reporting_period")) for form in formset.forms] == [True, True]
    client.force_login(director)
    page = client.post(reverse("tasks:create_from_document", args=[plan.pk]), point_rows(rows)).content.decode()
    assert "Dòng 1 có lỗi." in page and message in page
    assert not Task.objects.exists()


def test_from_document_needs_an_issued_document(client, director, specialist):
    from directives import services as document_services
    from directives.models import DocumentType

    draft = document_services.document_create(
        by=specialist, doc_type=DocumentType.objects.get(abbreviation="TB"), subject="Dự thảo", body="<p>1. Việc</p>"
    )
    assert draft.state == Document.State.DRAFT
    client.force_login(director)
    assert client.get(reverse("tasks:create_from_document", args=[draft.pk])).status_code in (403, 404)


# --- actions ------------------------------------------------------------------------------


def act(client, task, action, data=None):
    return client.post(reverse("tasks:act", args=[task.pk, action]), data or {})


def test_report_from_the_list_returns_to_the_list(client, specialist, assigned):
    client.force_login(specialist)
    response = act(
        client, assigned, "report",
        {"text": "Đã xong phần khảo sát.", "percent": 50, "next": reverse("tasks:mine"),
         "files": [SimpleUploadedFile("khao-sat.pdf", b"%PDF-1.4")]},
    )  # fmt: skip
    assert response.url == reverse("tasks:mine")
    task = reload(assigned)
    assert task.progress == 50
    assert ProgressReport.objects.get(task=task).files.get().name == "khao-sat.pdf"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "percent": 50}, "Hãy ghi nội dung báo cáo."),
        ({"text": "   ", "percent": 50}, "Hãy ghi nội dung báo cáo."),
        ({"text": "Đã làm", "percent": 150}, "Tiến độ phải từ 0 đến 100%."),
    ],
)
def test_bad_report_shows_the_error_and_changes_nothing(client, specialist, assigned, data, message):
    client.force_login(specialist)
    response = act(client, assigned, "report", data)
    assert response.status_code == 302
    assert message in client.get(response.url).content.decode()
    assert reload(assigned).progress == 0
    assert not ProgressReport.objects.exists()


def test_extension_into_the_past_is_refused(client, specialist, assigned):
    client.force_login(specialist)
    response = act(client, assigned, "extend", {"new_deadline": in_days(-2).isoformat(), "reason": "Bận"})
    assert "Hạn đề nghị phải sau hạn hiện tại." in client.get(response.url).content.decode()
    assert not assigned.extensions.exists()


def test_return_needs_a_reason(client, unit_head, specialist, assigned):
    services.task_submit(task=assigned, by=specialist, result="Xong.")
    client.force_login(unit_head)
    response = act(client, assigned, "return", {"reason": ""})
    assert "Hãy ghi lý do trả lại." in client.get(response.url).content.decode()
    assert reload(assigned).state == Task.State.SUBMITTED


def test_the_whole_life_through_the_act_endpoint(client, director, unit_head, specialist, make_task):
    task = make_task()
    client.force_login(unit_head)
    act(client, task, "assign", {"handler": specialist.pk})
    assert reload(task).handler == specialist
    client.force_login(specialist)
    act(client, task, "submit", {"result": "Báo cáo tổng hợp đã gửi."})
    client.force_login(unit_head)
    act(client, task, "return", {"reason": "Bổ sung số liệu quý IV."})
    client.force_login(specialist)
    act(client, task, "submit", {"result": "Đã bổ sung."})
    client.force_login(unit_head)
    act(client, task, "accept", {"note": "Đạt yêu cầu."})
    assert reload(task).state == Task.State.SUBMITTED and reload(task).pre_accepted_by == unit_head
    client.force_login(director)
    response = act(client, task, "accept")
    assert reload(task).state == Task.State.DONE
    assert "Hoàn thành đúng hạn" in client.get(response.url).content.decode()
    actions = list(TaskEvent.objects.filter(task=task).values_list("action", flat=True))
    assert actions == ["created", "assigned", "submitted", "returned", "submitted", "pre_accepted", "accepted"]


def test_extension_is_asked_and_granted(client, director, specialist, assigned):
    client.force_login(specialist)
    act(client, assigned, "extend", {"new_deadline": in_days(45).isoformat(), "reason": "Chờ số liệu."})
    extension = assigned.extensions.get()
    client.force_login(director)
    act(client, assigned, "extension-grant", {"extension": extension.pk, "note": "Đồng ý."})
    task = reload(assigned)
    assert task.deadline == in_days(45) and task.original_deadline == in_days(30)


def test_cancel_needs_a_reason_then_cancels(client, director, assigned):
    client.force_login(director)
    act(client, assigned, "cancel", {"reason": ""})
    assert reload(assigned).state == Task.State.IN_PROGRESS
    act(client, assigned, "cancel", {"reason": "Không còn phù hợp."})
    assert reload(assigned).state == Task.State.CANCELLED


def test_unknown_action_is_404(client, specialist, assigned):
    client.force_login(specialist)
    assert act(client, assigned, "explode").status_code == 404


def test_actions_are_post_only(client, specialist, assigned):
    client.force_login(specialist)
    assert client.get(reverse("tasks:act", args=[assigned.pk, "report"])).status_code == 405


# --- what must never happen -----------------------------------------------------------------


def test_the_outsider_gets_404_everywhere(client, outsider, specialist, assigned):
    report = services.task_report(task=assigned, by=specialist, text="Có tệp", percent=10, files=[uploads.pdf("a.pdf")])
    client.force_login(outsider)
    assert client.get(reverse("tasks:detail", args=[assigned.pk])).status_code == 404
    assert act(client, assigned, "report", {"text": "Xâm nhập", "percent": 10}).status_code == 404
    assert client.get(reverse("tasks:file", args=[assigned.pk, report.files.get().pk])).status_code == 404
    assert assigned.title not in client.get(reverse("tasks:mine")).content.decode()


def test_a_file_of_another_task_is_404(client, specialist, assigned, make_task, director):
    report = services.task_report(task=assigned, by=specialist, text="Có tệp", percent=10, files=[uploads.pdf("a.pdf")])
    other = make_task(title="Việc khác")
    client.force_login(director)
    url = reverse("tasks:file", args=[other.pk, report.files.get().pk])
    assert client.get(url).status_code == 404


def test_the_file_downloads_with_its_name(client, specialist, assigned):
    report = services.task_report(
        task=assigned, by=specialist, text="Có tệp", percent=10, files=[uploads.pdf("Báo cáo.pdf")]
    )
    client.force_login(specialist)
    response = client.get(reverse("tasks:file", args=[assigned.pk, report.files.get().pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == uploads.PDF


def test_dave_may_not_accept(client, specialist, assigned):
    services.task_submit(task=assigned, by=specialist, result="Xong.")
    client.force_login(specialist)
    response = act(client, assigned, "accept")
    assert response.status_code == 403
    assert "không phải người nghiệm thu" in response.content.decode()
    assert reload(assigned).state == Task.State.SUBMITTED


def test_bob_may_not_report_when_not_the_handler(client, unit_head, assigned):
    client.force_login(unit_head)
    response = act(client, assigned, "report", {"text": "Thay dave báo cáo", "percent": 90})
    assert response.status_code == 403
    assert reload(assigned).progress == 0
    assert not ProgressReport.objects.exists()


def test_carol_may_not_assign(client, director, specialist, make_task):
    task = make_task()
    client.force_login(director)
    response = act(client, task, "assign", {"handler": specialist.pk})
    assert response.status_code == 403
    assert reload(task).handler is None


def test_a_page_for_a_task_that_does_not_exist_is_404(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("tasks:detail", args=[999])).status_code == 404


# --- colours -----------------------------------------------------------------------------------


def row_of(page: str, task: Task) -> str:
    """The opening tag of the table row that links to ``task``."""
    return next(row for row in page.split("<tr")[1:] if f"/tasks/{task.pk}/" in row).split(">", 1)[0]


def test_overdue_row_is_red_and_due_soon_amber(client, time_machine, specialist, unit_head, make_task):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC))
    past = services.task_assign(task=make_task(title="Sẽ quá hạn", days=1), by=unit_head, handler=specialist)
    soon = services.task_assign(task=make_task(title="Sắp đến hạn", days=4), by=unit_head, handler=specialist)
    calm = services.task_assign(task=make_task(title="Còn lâu", days=20), by=unit_head, handler=specialist)
    time_machine.move_to(datetime.datetime(2027, 3, 3, 9, tzinfo=datetime.UTC))
    client.force_login(specialist)
    page = client.get(reverse("tasks:mine")).content.decode()
    assert "row-overdue" in row_of(page, past)
    assert "row-due-soon" in row_of(page, soon)
    assert "row-overdue" not in row_of(page, calm) and "row-due-soon" not in row_of(page, calm)


# --- a fixed number of queries ------------------------------------------------------------------


def many(make_task, unit_head, specialist, n):
    for i in range(n):
        services.task_assign(task=make_task(title=f"Nhiệm vụ số {i}", days=i + 1), by=unit_head, handler=specialist)


@pytest.mark.parametrize("n", [1, 20])
def test_my_tasks_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, make_task, unit_head, specialist, n
):
    many(make_task, unit_head, specialist, n)
    client.force_login(specialist)
    with django_assert_num_queries(MINE_QUERIES):
        page = client.get(reverse("tasks:mine")).content.decode()
    assert page.count('data-testid="task-row"') == n


@pytest.mark.parametrize("n", [1, 20])
def test_unit_tasks_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, make_task, unit_head, specialist, n
):
    many(make_task, unit_head, specialist, n)
    client.force_login(unit_head)
    with django_assert_num_queries(UNIT_QUERIES):
        page = client.get(reverse("tasks:unit")).content.decode()
    assert page.count('data-testid="task-row"') == n


MINE_QUERIES = 9  # the paginator takes its total from the cards' count
UNIT_QUERIES = 13  # with the agency (the accept dialog); what waits read once; counts, page ids, rows; the people once


@pytest.mark.parametrize("n", [1, 6])
def test_the_task_page_runs_a_fixed_number_of_queries_within_the_budget(
    client, django_assert_num_queries, specialist, unit_head, director, make_task, office, n
):
    """The handler's task page, whatever the number of reports, files, supporters, events and
    extensions: the visible-task check and the page's read are one query, the rights read the
    rows already loaded (DESIGN §5: at most 15 a page)."""
    task = make_task(cooperating_units=[office], deadline=in_days(10))
    services.task_assign(task=task, by=unit_head, handler=specialist, supporters=[unit_head])
    for i in range(n):
        services.task_report(
            task=task, by=specialist, text=f"Báo cáo lần {i}", percent=10 + i, files=[uploads.xlsx(f"so-lieu-{i}.xlsx")]
        )
    extension = services.task_extension_request(task=task, by=specialist, new_deadline=in_days(40), reason="Chờ.")
    services.task_extension_decide(extension=extension, by=director, grant=True)
    client.force_login(specialist)
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert page.count("Báo cáo lần") == 2 * n and "Báo cáo hoàn thành" in page and "Xin gia hạn" in page
    assert DETAIL_QUERIES <= 15


DETAIL_QUERIES = 13  # was 16: the visibility check and the read are one query, the rights use loaded rows


def test_the_unit_list_pages_its_rows_in_the_selectors_order(client, director, unit_head, office, science_unit):
    """The unit list counts and orders its two parts (led, cooperating) apart, then joins one page:
    the same rows in the same order as ``unit_tasks``, over two pages, filtered or not."""
    from tasks.selectors import TaskFilters, unit_tasks

    for i in range(40):  # led by bob's unit, some without a deadline, some done late
        services.task_create(
            by=director, title=f"Nhiệm vụ chủ trì {i}", lead_unit=science_unit,
            deadline=in_days(i % 7) if i % 5 else None, priority=i % 4 + 1,
        )  # fmt: skip
    for i in range(25):  # led by the office, bob's unit cooperating
        services.task_create(
            by=director, title=f"Nhiệm vụ phối hợp {i}", lead_unit=office, cooperating_units=[science_unit],
            deadline=in_days(i % 4),
        )  # fmt: skip
    client.force_login(unit_head)
    titles = []
    for number in (1, 2):
        page = client.get(reverse("tasks:unit"), {"page": number}).content.decode()
        titles += [line.split(">")[1].split("<")[0] for line in page.split('class="doc-link fw-semibold"')[1:]]
    expected = [task.title for task in unit_tasks(user=unit_head)]
    assert len(expected) == 65 and titles == expected
    page = client.get(reverse("tasks:unit"), {"q": "phoi hop", "show": "soon"}).content.decode()
    soon = [t.title for t in unit_tasks(user=unit_head, filters=TaskFilters(q="phoi hop")).filter(due_soon=True)]
    assert soon and all(title in page for title in soon) and page.count('data-testid="task-row"') == len(soon)
    assert f"{len(soon)} nhiệm vụ" in page
