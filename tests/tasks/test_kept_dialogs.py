"""A refused dialog keeps what was typed: the next page carries it back (lib/kept_forms.py)."""

import datetime
import json
import re

from django.urls import reverse

from lib.workdays import local_today
from tasks.models import TaskFile
from tests import uploads


def _kept(page: str) -> dict:
    match = re.search(r'<script id="kept-form" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1)) if match else {}


def test_a_refused_extension_request_comes_back_with_its_reason(client, specialist, assigned):
    task = assigned()
    client.force_login(specialist)
    reason = "Chờ ý kiến <Hội đồng> & thẩm định"
    response = client.post(reverse("tasks:act", args=[task.pk, "extend"]), {"reason": reason}, follow=True)
    kept = _kept(response.content.decode())
    assert kept["dialog"] == "extend-modal"
    assert kept["action"] == reverse("tasks:act", args=[task.pk, "extend"])
    assert kept["values"]["reason"] == [reason]
    assert kept["errors"]["new_deadline"] == ["Hãy chọn hạn đề nghị."]
    assert "<Hội đồng>" not in response.content.decode()  # the JSON is escaped in the page
    assert not task.extensions.exists()
    # Shown once: the next page does not open the dialog again.
    assert _kept(client.get(reverse("tasks:detail", args=[task.pk])).content.decode()) == {}


def test_a_service_refusal_comes_back_with_its_message(client, specialist, assigned):
    task = assigned(deadline=local_today() + datetime.timedelta(days=10))
    client.force_login(specialist)
    earlier = local_today().strftime("%d/%m/%Y")  # before the current deadline: the service refuses
    response = client.post(
        reverse("tasks:act", args=[task.pk, "extend"]), {"new_deadline": earlier, "reason": "Lý do"}, follow=True
    )
    kept = _kept(response.content.decode())
    assert kept["message"] and kept["values"]["reason"] == ["Lý do"]
    assert kept["values"]["new_deadline"] == [earlier]


def test_a_refused_report_keeps_its_file_and_the_resubmission_stores_it(client, specialist, assigned):
    task = assigned()
    client.force_login(specialist)
    url = reverse("tasks:act", args=[task.pk, "report"])
    response = client.post(url, {"text": "", "percent": "30", "files": [uploads.pdf("Biên bản.pdf")]}, follow=True)
    kept = _kept(response.content.decode())
    assert [f["name"] for f in kept["files"]] == ["Biên bản.pdf"]
    assert kept["errors"]["text"] == ["Hãy ghi nội dung báo cáo."]
    assert not TaskFile.objects.exists()

    client.post(url, {"text": "Đã làm 30%.", "percent": "30", "files__staged": [kept["files"][0]["token"]]})
    assert [f.name for f in TaskFile.objects.filter(report__task=task)] == ["Biên bản.pdf"]


def test_a_staged_file_of_someone_else_is_not_adopted(client, specialist, unit_head, assigned):
    task = assigned()
    client.force_login(specialist)
    url = reverse("tasks:act", args=[task.pk, "report"])
    kept = _kept(client.post(url, {"percent": "30", "files": [uploads.pdf("a.pdf")]}, follow=True).content.decode())
    client.force_login(unit_head)
    client.post(url, {"text": "x", "percent": "30", "files__staged": [kept["files"][0]["token"]]})
    assert not TaskFile.objects.exists()


def test_a_refused_document_return_reopens_its_dialog(client, director, make_draft, specialist, unit_head):
    from directives import services as document_services

    document = make_draft()
    document_services.document_submit(document=document, by=specialist)
    document_services.document_forward(document=document, by=unit_head)
    client.force_login(director)
    response = client.post(reverse("directives:act", args=[document.pk, "return"]), {"comment": " "}, follow=True)
    kept = _kept(response.content.decode())
    assert kept["dialog"] == "return-modal" and kept["message"].startswith("Hãy ghi lý do trả lại")
    assert 'id="return-modal"' in response.content.decode()
