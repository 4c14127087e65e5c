"""Uploads on the task paths: progress and completion reports, on the page and the API."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tasks import services
from tasks.models import ProgressReport, Task, TaskFile
from tests import uploads
from tests.directives.test_uploads import HOSTILE, hostile, stored_files

PAGE_DATA = {"report": {"text": "Đã khảo sát.", "percent": "50"}, "submit": {"result": "Đã hoàn thành."}}


@pytest.mark.parametrize("action", ["report", "submit"])
@pytest.mark.parametrize("case", HOSTILE)
def test_the_task_page_refuses_the_file_changes_nothing_and_reopens_the_dialog(
    client, specialist, assigned, settings, action, case
):
    task = assigned()
    before = (task.state, task.progress, task.updated_at)
    upload = hostile(case, settings)
    client.force_login(specialist)
    response = client.post(
        reverse("tasks:act", args=[task.pk, action]), {**PAGE_DATA[action], "files": [upload]}, follow=True
    )
    page = response.content.decode()
    assert f"Tệp «{upload.name}»" in page
    kept = response.context["kept_form"]  # the dialog opens again with the text typed, without the refused file
    assert kept["dialog"] == f"{action}-modal" and kept["files"] == []
    assert kept["values"][next(iter(PAGE_DATA[action]))] == [next(iter(PAGE_DATA[action].values()))]
    task.refresh_from_db()
    assert (task.state, task.progress, task.updated_at) == before
    assert not ProgressReport.objects.exists() and not TaskFile.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("action", ["report", "submit"])
@pytest.mark.parametrize("case", HOSTILE)
def test_the_task_api_refuses_the_file_and_changes_nothing(specialist, assigned, settings, action, case):
    task = assigned()
    upload = hostile(case, settings)
    api = APIClient()
    api.force_authenticate(specialist)
    response = api.post(
        f"/api/v1/tasks/{task.pk}/{action}", {**PAGE_DATA[action], "files": [upload]}, format="multipart"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
    assert f"Tệp «{upload.name}»" in response.json()["message"]
    assert not ProgressReport.objects.exists()
    assert Task.objects.get(pk=task.pk).state == task.state


def test_a_report_with_a_good_and_a_bad_file_stores_neither(specialist, assigned, settings):
    task = assigned()
    with pytest.raises(Exception, match="bị từ chối"):
        services.task_report(
            task=task, by=specialist, text="Hai tệp", percent=10,
            files=[uploads.pdf(), SimpleUploadedFile("b.pdf", uploads.HTML)],
        )  # fmt: skip
    assert not ProgressReport.objects.exists()
    assert stored_files(settings) == []


def test_a_report_file_is_stored_under_a_random_name_and_downloads_under_its_own(client, specialist, assigned):
    task = assigned()
    client.force_login(specialist)
    client.post(
        reverse("tasks:act", args=[task.pk, "report"]),
        {**PAGE_DATA["report"], "files": [uploads.xlsx("Số liệu quý 3.xlsx")]},
    )
    file = TaskFile.objects.get()
    assert re.fullmatch(r"tasks/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", file.file.name)
    assert file.name == "Số liệu quý 3.xlsx"
    response = client.get(reverse("tasks:file", args=[task.pk, file.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"So lieu quy 3.xlsx\"; filename*=UTF-8''S%E1%BB%91%20li%E1%BB%87u%20qu%C3%BD%203.xlsx"
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_report_file_goes_through_nginx_when_the_prefix_is_set(client, specialist, assigned, outsider, settings):
    settings.PROTECTED_MEDIA_ACCEL_PREFIX = "/_protected"
    task = assigned()
    report = services.task_report(task=task, by=specialist, text="Tệp", percent=5, files=[uploads.pdf("Biên bản.pdf")])
    file = report.files.get()
    client.force_login(specialist)
    response = client.get(reverse("tasks:file", args=[task.pk, file.pk]))
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{file.file.name}"
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(reverse("tasks:file", args=[task.pk, file.pk])).status_code == 404
