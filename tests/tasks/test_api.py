"""The task API: giving tasks, the whole life of a task, who may do what, and who sees what."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from directives.models import Document, DocumentType
from lib.workdays import VIETNAM_TZ, local_today
from tasks import services
from tasks.models import Extension, ProgressReport, Task, TaskEvent
from units.services import api_token_issue


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def people(clerk, unit_head, director, specialist):
    return {"alice": clerk, "bob": unit_head, "carol": director, "dave": specialist}


@pytest.fixture
def other_agency_unit(outsider):
    return outsider.memberships.get().unit


@pytest.fixture
def document(agency, director):
    return Document.objects.create(
        agency=agency,
        author=director,
        doc_type=DocumentType.objects.get(abbreviation="TB"),
        subject="Kết luận giao ban tháng 11",
        symbol="12/TB-SKHCN",
    )


def as_(api, user):
    api.force_authenticate(user)
    return api


def in_days(n: int) -> str:
    return (local_today() + timedelta(days=n)).isoformat()


def create(api, by, unit, **overrides):
    payload = {"title": "Xây dựng kế hoạch chuyển đổi số", "lead_unit": unit.pk, "deadline": in_days(30), **overrides}
    return as_(api, by).post("/api/v1/tasks", payload, format="json")


def act(api, user, pk, action, data=None, **kwargs):
    kwargs.setdefault("format", "json")
    return as_(api, user).post(f"/api/v1/tasks/{pk}/{action}", data or {}, **kwargs)


def task_in(state, people, science_unit) -> Task:
    """A task carol gave the science unit, moved by services up to ``state`` (or a pending extension)."""
    carol, bob, dave = people["carol"], people["bob"], people["dave"]
    task = services.task_create(
        by=carol, title="Tổng hợp báo cáo đề tài", lead_unit=science_unit, deadline=local_today() + timedelta(days=30)
    )
    if state == "new":
        return task
    services.task_assign(task=task, by=bob, handler=dave)
    if state == "submitted":
        services.task_submit(task=task, by=dave, result="Đã tổng hợp xong")
    if state == "pending":
        services.task_extension_request(
            task=task, by=dave, new_deadline=local_today() + timedelta(days=45), reason="Chờ số liệu"
        )
    return task


def snapshot(pk):
    task = Task.objects.get(pk=pk)
    return (
        task.state,
        task.handler_id,
        task.deadline,
        task.progress,
        TaskEvent.objects.filter(task=task).count(),
        ProgressReport.objects.filter(task=task).count(),
        list(Extension.objects.filter(task=task).values_list("state", flat=True)),
    )


# --- The whole journey -----------------------------------------------------------------


def test_whole_journey_by_api_ends_on_time(api, people, science_unit, office):
    """carol gives, bob assigns dave, dave reports and submits, carol returns, dave resubmits, carol accepts."""
    response = create(api, people["carol"], science_unit, cooperating_units=[office.pk], priority=3, point="II.3")
    assert response.status_code == 201, response.json()
    task = response.json()
    pk = task["id"]
    assert task["state"] == "new"
    assert task["state_label"] == "Mới giao"
    assert task["lead_unit"]["abbreviation"] == "QLKH"
    assert [u["abbreviation"] for u in task["cooperating_units"]] == ["VP"]
    assert task["supervisor"]["id"] == people["carol"].pk
    assert (task["priority"], task["priority_label"]) == (3, "Cao")
    assert task["deadline"] == task["original_deadline"] == in_days(30)
    assert (task["tracking"], task["tracking_label"]) == ("within", "Đang thực hiện trong hạn")
    assert task["document"] is None

    assigned = act(api, people["bob"], pk, "assign", {"handler": people["dave"].pk})
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["handler"]["full_name"] == "Phạm Văn Dave"
    assert assigned.json()["state"] == "in_progress"

    reported = act(api, people["dave"], pk, "report", {"text": "Đã khảo sát các phòng", "percent": 50})
    assert reported.status_code == 200, reported.json()
    assert reported.json()["progress"] == 50
    assert reported.json()["reports"][0]["percent"] == 50

    assert act(api, people["dave"], pk, "submit", {"result": "Dự thảo kế hoạch"}).json()["state"] == "submitted"
    returned = act(api, people["bob"], pk, "return", {"reason": "Bổ sung kinh phí"})
    assert returned.json()["state"] == "returned"
    assert returned.json()["events"][-1]["comment"] == "Bổ sung kinh phí"
    assert act(api, people["dave"], pk, "submit", {"result": "Kế hoạch đã bổ sung"}).json()["state"] == "submitted"

    # The agency's default ladder: the unit head accepts, then the supervising director.
    pre_accepted = act(api, people["bob"], pk, "accept", {"note": "Đơn vị đã kiểm tra"})
    assert pre_accepted.status_code == 200, pre_accepted.json()
    assert pre_accepted.json()["state"] == "submitted"
    accepted = act(api, people["carol"], pk, "accept", {"note": "Đạt yêu cầu"})
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["state"] == "done"
    assert body["completed_at"] is not None
    assert (body["tracking"], body["tracking_label"]) == ("on_time", "Hoàn thành đúng hạn")
    assert [e["action"] for e in body["events"]] == [
        "created", "assigned", "reported", "submitted", "returned", "submitted", "pre_accepted", "accepted",
    ]  # fmt: skip
    listed = as_(api, people["carol"]).get("/api/v1/tasks", {"tracking": "on_time"}).json()
    assert [t["id"] for t in listed["results"]] == [pk]


def test_report_with_files_by_multipart_lists_them_with_their_download_path(api, people, science_unit):
    task = task_in("in_progress", people, science_unit)
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = {"text": "Đã họp", "percent": "30", "files": [upload]}
    response = act(api, people["dave"], task.pk, "report", data, format="multipart")
    assert response.status_code == 200, response.json()
    report = response.json()["reports"][0]
    assert [f["name"] for f in report["files"]] == ["bien-ban.pdf"]
    file_id = report["files"][0]["id"]
    assert report["files"][0]["url"] == f"/tasks/{task.pk}/files/{file_id}/"
    assert report["files"][0]["size"] == len(b"%PDF-1.4 test")
    detail = as_(api, people["bob"]).get(f"/api/v1/tasks/{task.pk}").json()
    assert detail["reports"] == [report]
    assert [e["action"] for e in detail["events"]] == ["created", "assigned", "reported"]
    assert detail["created_by"]["id"] == people["carol"].pk


# --- Rights ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "who", "action", "data"),
    [
        ("new", "dave", "assign", {"handler": "dave"}),
        ("new", "carol", "assign", {"handler": "dave"}),
        ("in_progress", "bob", "report", {"text": "Thử", "percent": 10}),
        ("in_progress", "carol", "report", {"text": "Thử", "percent": 10}),
        ("in_progress", "bob", "submit", {"result": "Thử"}),
        ("in_progress", "carol", "submit", {"result": "Thử"}),
        ("in_progress", "dave", "accept", {}),
        ("submitted", "dave", "accept", {}),
        ("submitted", "carol", "accept", {}),  # the head's step comes first (the default ladder)
        ("submitted", "dave", "return", {"reason": "Thử"}),
        ("submitted", "carol", "return", {"reason": "Thử"}),
        ("in_progress", "carol", "extension", {"new_deadline": "+60", "reason": "Thử"}),
        ("pending", "dave", "decide", {"grant": True}),
        ("pending", "bob", "decide", {"grant": True}),
        ("in_progress", "dave", "cancel", {"reason": "Thử"}),
        ("in_progress", "bob", "cancel", {"reason": "Thử"}),
    ],
)
def test_each_action_is_refused_to_the_wrong_person_and_changes_nothing(
    api, people, science_unit, state, who, action, data
):
    task = task_in(state, people, science_unit)
    data = dict(data)
    if "handler" in data:
        data["handler"] = people[data["handler"]].pk
    if data.get("new_deadline") == "+60":
        data["new_deadline"] = in_days(60)
    if action == "decide":
        action = f"extension/{task.extensions.get().pk}/decide"
    before = snapshot(task.pk)
    response = act(api, people[who], task.pk, action, data)
    assert response.status_code == 403, response.json()
    assert set(response.json()) == {"message", "extra"}
    assert snapshot(task.pk) == before


def test_only_leaders_clerks_and_unit_heads_give_tasks(api, people, science_unit, office):
    assert create(api, people["dave"], science_unit).status_code == 403
    refused = create(api, people["bob"], office)
    assert refused.status_code == 403
    assert "đơn vị mình phụ trách" in refused.json()["message"]
    assert Task.objects.count() == 0
    own = create(api, people["bob"], science_unit)
    assert own.status_code == 201
    assert own.json()["supervisor"] is None  # the unit's own task: bob accepts it
    assert create(api, people["alice"], science_unit).status_code == 201


def test_extension_from_another_task_reads_like_an_unknown_one(api, people, science_unit):
    pending = task_in("pending", people, science_unit)
    other = task_in("in_progress", people, science_unit)
    extension = pending.extensions.get()
    response = act(api, people["carol"], other.pk, f"extension/{extension.pk}/decide", {"grant": True})
    assert response.status_code == 404
    assert Extension.objects.get(pk=extension.pk).state == "pending"


# --- Outsiders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "data"),
    [
        ("new", "assign", {"handler": "dave"}),
        ("in_progress", "report", {"text": "Thử", "percent": 10}),
        ("in_progress", "submit", {"result": "Thử"}),
        ("submitted", "accept", {}),
        ("submitted", "return", {"reason": "Thử"}),
        ("in_progress", "extension", {"new_deadline": "+60", "reason": "Thử"}),
        ("pending", "decide", {"grant": True}),
        ("in_progress", "cancel", {"reason": "Thử"}),
    ],
)
def test_outsider_gets_404_on_every_action(api, people, science_unit, outsider, state, action, data):
    task = task_in(state, people, science_unit)
    data = dict(data)
    if "handler" in data:
        data["handler"] = people[data["handler"]].pk
    if data.get("new_deadline") == "+60":
        data["new_deadline"] = in_days(60)
    if action == "decide":
        action = f"extension/{task.extensions.get().pk}/decide"
    before = snapshot(task.pk)
    response = act(api, outsider, task.pk, action, data)
    assert response.status_code == 404
    assert response.json()["message"] == "Không tìm thấy hoặc bạn không có quyền xem."
    assert snapshot(task.pk) == before


def test_outsider_gets_404_on_the_task_and_never_sees_it_in_lists(api, people, science_unit, outsider):
    task = task_in("in_progress", people, science_unit)
    as_(api, outsider)
    assert api.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    for scope in ("mine", "unit", "supervised", "all"):
        assert api.get("/api/v1/tasks", {"scope": scope}).json()["count"] == 0
    assert as_(api, people["carol"]).get("/api/v1/tasks").json()["count"] == 1


def test_a_clerk_not_involved_does_not_see_the_task(api, people, science_unit):
    task = task_in("in_progress", people, science_unit)
    assert as_(api, people["alice"]).get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert api.get("/api/v1/tasks").json()["count"] == 0


def test_unauthenticated_requests_are_refused(api, db):
    response = api.get("/api/v1/tasks")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "extra"}


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"title": ""}, "nội dung nhiệm vụ"),
        ({"title": None}, "nội dung nhiệm vụ"),
        ({"lead_unit": "other"}, "không hợp lệ"),
        ({"cooperating_units": ["other"]}, "không hợp lệ"),
        ({"document": "hidden"}, "không hợp lệ"),
        ({"supervisor": "bob"}, "không hợp lệ"),
        ({"supervisor": "oscar"}, "không hợp lệ"),
        ({"deadline": "yesterday"}, "trước hôm nay"),
        ({"working_days": 3}, "không chọn cả hai"),
        ({"working_days": 0, "deadline": None}, "lớn hơn hoặc bằng 1"),
        ({"priority": 9}, "lựa chọn hợp lệ"),
        ({"reporting_period": "daily", "deadline": None}, "lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_creates_nothing(
    api, people, science_unit, other_agency_unit, outsider, change, words
):
    hidden = Document.objects.create(
        agency=outsider.agency,
        author=outsider,
        doc_type=DocumentType.objects.get(abbreviation="TB"),
        subject="Văn bản của Sở khác",
    )
    values = {
        "other": other_agency_unit.pk,
        "hidden": hidden.pk,
        "bob": people["bob"].pk,
        "oscar": outsider.pk,
        "yesterday": in_days(-1),
    }
    payload = {"title": "Xây dựng kế hoạch", "lead_unit": science_unit.pk, "deadline": in_days(30)}
    for key, value in change.items():
        if value is None:
            payload.pop(key)
        elif isinstance(value, list):
            payload[key] = [values[v] for v in value]
        else:
            payload[key] = values.get(value, value) if isinstance(value, str) else value
    response = as_(api, people["carol"]).post("/api/v1/tasks", payload, format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"message", "extra"}
    assert words in response.json()["message"]
    assert Task.objects.count() == 0


def test_a_unit_of_another_agency_reads_like_an_unknown_id(api, people, science_unit, other_agency_unit):
    def error(unit_id):
        return create(api, people["carol"], science_unit, lead_unit=unit_id).json()["message"]

    assert error(other_agency_unit.pk).replace(str(other_agency_unit.pk), "N") == error(999999).replace("999999", "N")


def test_a_percent_over_100_is_refused_and_records_nothing(api, people, science_unit):
    task = task_in("in_progress", people, science_unit)
    before = snapshot(task.pk)
    response = act(api, people["dave"], task.pk, "report", {"text": "Vượt", "percent": 150})
    assert response.status_code == 400
    assert "100" in response.json()["message"]
    assert "percent" in response.json()["extra"]["fields"]
    assert snapshot(task.pk) == before


def test_assigning_someone_of_another_agency_is_refused(api, people, science_unit, outsider):
    task = task_in("new", people, science_unit)
    response = act(api, people["bob"], task.pk, "assign", {"handler": outsider.pk})
    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["message"]
    assert Task.objects.get(pk=task.pk).handler_id is None


# --- Deadlines ------------------------------------------------------------------------------


def test_granted_extension_moves_the_deadline_and_keeps_the_original(api, people, science_unit):
    task = task_in("in_progress", people, science_unit)
    asked = act(api, people["dave"], task.pk, "extension", {"new_deadline": in_days(45), "reason": "Chờ số liệu"})
    assert asked.status_code == 200, asked.json()
    extension = asked.json()["extensions"][0]
    assert (extension["state"], extension["new_deadline"]) == ("pending", in_days(45))
    decided = act(
        api, people["carol"], task.pk, f"extension/{extension['id']}/decide", {"grant": True, "note": "Đồng ý"}
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["deadline"] == in_days(45)
    assert body["original_deadline"] == in_days(30)
    assert body["extensions"][0]["state"] == "granted"
    assert body["extensions"][0]["decided_by"]["id"] == people["carol"].pk
    assert body["events"][-1]["action"] == "ext_granted"


def test_refused_extension_keeps_the_deadline(api, people, science_unit):
    task = task_in("pending", people, science_unit)
    extension = task.extensions.get()
    body = act(api, people["carol"], task.pk, f"extension/{extension.pk}/decide", {"grant": False}).json()
    assert body["deadline"] == in_days(30)
    assert body["extensions"][0]["state"] == "refused"


@time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM_TZ), tick=False)
def test_working_days_deadline_skips_the_weekend(api, people, science_unit):
    """Friday 20/11/2026 plus 3 working days: Monday, Tuesday, Wednesday 25/11."""
    response = create(api, people["carol"], science_unit, deadline=None, working_days=3)
    assert response.status_code == 201, response.json()
    assert response.json()["deadline"] == date(2026, 11, 25).isoformat()
    assert response.json()["original_deadline"] == "2026-11-25"


def test_standing_duty_without_deadline_reports_monthly(api, people, science_unit):
    response = create(api, people["carol"], science_unit, deadline=None)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["deadline"], body["reporting_period"]) == (None, "monthly")
    assert body["tracking"] == "no_deadline"
    assert len(body["due_reports"]) == 1


# --- Bulk creation -------------------------------------------------------------------------------


def test_bulk_creates_one_task_per_point_of_the_document(api, people, science_unit, office, document):
    items = [
        {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(10)},
        {"point": "2", "title": "Tổng hợp kinh phí", "lead_unit": office.pk, "working_days": 5},
    ]
    response = as_(api, people["carol"]).post(
        "/api/v1/tasks/bulk", {"document": document.pk, "items": items}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(t["point"] for t in body) == ["1", "2"]
    assert all(
        t["document"] == {"id": document.pk, "symbol": "12/TB-SKHCN", "subject": document.subject, "hidden": False}
        for t in body
    )
    assert Task.objects.filter(document=document).count() == 2


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"lead_unit": "other"}, "không hợp lệ"),
        ({"deadline": "yesterday"}, "trước hôm nay"),
        ({"title": ""}, "nội dung"),
    ],
)
def test_bulk_is_all_or_none_and_names_the_refused_point(
    api, people, science_unit, document, other_agency_unit, bad, words
):
    good = {"point": "1", "title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(10)}
    values = {"other": other_agency_unit.pk, "yesterday": in_days(-1)}
    second = {**good, "point": "2", **{k: values.get(v, v) for k, v in bad.items()}}
    response = as_(api, people["carol"]).post(
        "/api/v1/tasks/bulk", {"document": document.pk, "items": [good, second, good]}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert "Nhiệm vụ thứ 2" in response.json()["message"]
    assert words in response.json()["message"]
    assert Task.objects.count() == 0


def test_bulk_refuses_a_document_the_person_cannot_see(api, people, science_unit, outsider):
    hidden = Document.objects.create(
        agency=outsider.agency, author=outsider, doc_type=DocumentType.objects.get(abbreviation="TB"), subject="Khác"
    )
    item = {"title": "Rà soát", "lead_unit": science_unit.pk, "deadline": in_days(10)}
    response = as_(api, people["carol"]).post(
        "/api/v1/tasks/bulk", {"document": hidden.pk, "items": [item]}, format="json"
    )
    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["message"]
    assert Task.objects.count() == 0


# --- Lists ----------------------------------------------------------------------------------------


def test_scopes_show_what_each_person_handles_heads_or_supervises(api, people, science_unit, office):
    assigned = task_in("in_progress", people, science_unit)
    waiting = task_in("new", people, science_unit)
    for_office = services.task_create(by=people["alice"], title="Sắp xếp kho lưu trữ", lead_unit=office)

    def ids(user, **params):
        return {t["id"] for t in as_(api, user).get("/api/v1/tasks", params).json()["results"]}

    assert ids(people["dave"], scope="mine") == {assigned.pk}
    assert ids(people["bob"], scope="unit") == {assigned.pk, waiting.pk}
    assert ids(people["carol"], scope="supervised") == {assigned.pk, waiting.pk, for_office.pk}
    assert ids(people["carol"]) == {assigned.pk, waiting.pk, for_office.pk}
    assert ids(people["carol"], state="new", unit=science_unit.pk) == {waiting.pk}
    assert ids(people["carol"], q="kho lưu") == {for_office.pk}
    assert ids(people["carol"], tracking="overdue") == set()
    response = as_(api, people["carol"]).get("/api/v1/tasks", {"scope": "everything"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Dữ liệu không hợp lệ")


def test_list_runs_the_same_number_of_queries_at_1_and_20_tasks(
    api, people, science_unit, office, document, django_assert_num_queries, django_assert_max_num_queries
):
    """Bearer token so each request reads the person afresh, as in production."""
    carol, bob, dave = people["carol"], people["bob"], people["dave"]

    def make():
        task = services.task_create(
            by=carol, title="Nhiệm vụ", lead_unit=science_unit, cooperating_units=[office], document=document,
            deadline=local_today() + timedelta(days=5),
        )  # fmt: skip
        services.task_assign(task=task, by=bob, handler=dave, supporters=[bob])

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=carol)}")
    make()
    api.get("/api/v1/me")  # the token's first use records it; later uses within the minute do not
    with django_assert_max_num_queries(12) as one:
        assert api.get("/api/v1/tasks").json()["count"] == 1
    at_one = len(one.captured_queries)  # read now: every request clears Django's query log
    for _n in range(19):
        make()
    with django_assert_num_queries(at_one):
        body = api.get("/api/v1/tasks").json()
    assert body["count"] == 20
    assert all(t["cooperating_units"] and t["supporters"] and t["document"] and t["handler"] for t in body["results"])


# --- Schema ---------------------------------------------------------------------------------------


def test_openapi_schema_lists_the_task_endpoints(client, db):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/tasks",
        "/api/v1/tasks/bulk",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/{id}/assign",
        "/api/v1/tasks/{id}/report",
        "/api/v1/tasks/{id}/submit",
        "/api/v1/tasks/{id}/accept",
        "/api/v1/tasks/{id}/return",
        "/api/v1/tasks/{id}/extension",
        "/api/v1/tasks/{id}/extension/{extension_id}/decide",
        "/api/v1/tasks/{id}/cancel",
    } <= paths


def test_cancel_needs_a_reason_and_takes_the_task_out_of_tracking(api, people, science_unit):
    task = task_in("in_progress", people, science_unit)
    refused = act(api, people["carol"], task.pk, "cancel", {"reason": "  "})
    assert refused.status_code == 400
    assert "lý do hủy" in refused.json()["message"]
    body = act(api, people["carol"], task.pk, "cancel", {"reason": "Không còn phù hợp"}).json()
    assert (body["state"], body["tracking"], body["tracking_label"]) == ("cancelled", "cancelled", "Đã hủy")
    assert act(api, people["dave"], task.pk, "report", {"text": "Thử", "percent": 10}).status_code == 403


def test_bulk_by_a_unit_head_for_another_unit_names_the_point_and_creates_nothing(
    api, people, science_unit, office, document
):
    """A refusal of one item keeps its kind (403 for rights) and names the item; nothing is created."""
    document.author = people["bob"]
    document.save(update_fields=["author"])
    items = [
        {"title": "Rà soát đề tài", "lead_unit": science_unit.pk, "deadline": in_days(10)},
        {"title": "Sắp xếp kho", "lead_unit": office.pk, "deadline": in_days(10)},
    ]
    response = as_(api, people["bob"]).post(
        "/api/v1/tasks/bulk", {"document": document.pk, "items": items}, format="json"
    )
    assert response.status_code == 403, response.json()
    assert response.json()["message"].startswith("Nhiệm vụ thứ 2: Bạn chỉ giao được")
    assert Task.objects.count() == 0
