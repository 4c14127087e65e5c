"""The audit trail (issue #12, item 6): every change, sign-in and confidential download is recorded
with who, when, from where and the values before and after; nothing can change or remove a record;
directors and administrators read their own agency's trail."""

import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse

from audit.models import AuditRecord
from audit.views import changes_display
from directives import services as document_services
from tasks import services as task_services
from tasks.models import ReminderRule
from tasks.reminders import reminder_rules_ensure
from tests import factories
from tests.factories import PASSWORD
from units.roles import Role

pytestmark = pytest.mark.django_db
A = AuditRecord.Action
TRAIL = reverse("audit:trail")
EXPORT = reverse("audit:export")


def records(**filters):
    return list(AuditRecord.objects.filter(**filters).order_by("id"))


# --- what is recorded ---------------------------------------------------------------------


def test_an_admin_edit_is_recorded_with_person_address_channel_and_values(client, administrator, science_unit):
    client.force_login(administrator)
    data = {"agency": science_unit.agency_id, "name": "Phòng Khoa học", "abbreviation": "QLKH", "kind": "phong"}
    response = client.post(reverse("admin:units_unit_change", args=[science_unit.pk]), data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    (record,) = records(object_type="units.unit", action=A.UPDATE)
    assert record.actor == administrator
    assert record.actor_name == "Võ Thị Erin (erin)"
    assert record.address == "10.1.2.3"
    assert record.channel == AuditRecord.Channel.ADMIN
    assert record.agency_id == science_unit.agency_id
    assert record.object_id == str(science_unit.pk)
    assert record.changes == {"is_active": [True, False], "name": ["Phòng Quản lý Khoa học", "Phòng Khoa học"]}


def test_the_address_is_the_one_the_lockout_trusts_not_a_forged_header(client, administrator, science_unit, settings):
    """With no trusted proxy configured, a client's own X-Forwarded-For is not its address."""
    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    client.force_login(administrator)
    data = {"agency": science_unit.agency_id, "name": "Phòng mới", "abbreviation": "PM", "kind": "phong"}
    client.post(reverse("admin:units_unit_add"), data, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    record = records(object_type="units.unit", action=A.CREATE)[-1]
    assert record.object_repr == "Phòng mới"
    assert record.address == "10.1.2.3"


def test_a_password_set_in_the_admin_is_recorded_without_the_hash(client, administrator, specialist):
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[specialist.pk])
    client.post(url, {"password1": "Mat-khau-moi-123", "password2": "Mat-khau-moi-123"})
    record = records(object_type="units.user", action=A.UPDATE, object_id=str(specialist.pk))[-1]
    assert record.changes == {"password": ["***", "***"]}
    assert record.actor == administrator


def test_role_changes_are_recorded_by_name(specialist):
    from django.contrib.auth.models import Group

    specialist.groups.add(Group.objects.get(name=Role.CLERK))
    record = records(object_type="units.user", object_id=str(specialist.pk))[-1]
    assert record.changes == {"groups": {"added": [Role.CLERK.value]}}
    assert changes_display(record) == [("Các nhóm", "thêm: Văn thư")]


def test_a_documents_workflow_is_recorded_step_by_step(make_draft, specialist, unit_head):
    document = make_draft()
    document_services.document_submit(document=document, by=specialist)
    document_services.document_forward(document=document, by=unit_head)
    trail = records(object_type="directives.document", object_id=str(document.pk))
    assert trail[0].action == A.CREATE
    assert trail[0].object_repr == str(document)
    assert trail[0].changes["subject"] == [None, document.subject]
    states = [r.changes["state"] for r in trail if "state" in r.changes]
    assert ["draft", "review"] in states
    assert all(r.who == "Hệ thống" for r in trail)  # written outside a request: the system's


def test_a_confidential_documents_record_never_shows_its_number_symbol_or_subject(make_draft, specialist):
    secret = make_draft(confidentiality="mat", subject="Kế hoạch nhân sự tuyệt mật")
    document_services.document_submit(document=secret, by=specialist)
    trail = records(object_type="directives.document", object_id=str(secret.pk))
    assert trail
    for record in trail:
        assert record.object_repr == "Văn bản mật"
        assert "Kế hoạch nhân sự" not in str(record.changes)
    assert trail[0].changes["subject"] == [None, "***"]


def test_a_task_made_from_a_confidential_document_is_masked_too(make_draft, director, science_unit):
    secret = make_draft(confidentiality="mat", subject="Kế hoạch nhân sự tuyệt mật")
    task = task_services.task_create(
        by=director, title="Triển khai kế hoạch nhân sự", lead_unit=science_unit, document=secret
    )
    (record,) = records(object_type="tasks.task", object_id=str(task.pk))
    assert record.object_repr == "Nhiệm vụ từ văn bản mật"
    assert record.changes["title"] == [None, "***"]


def test_bulk_deactivation_of_rules_is_recorded_for_each_rule(db):
    """reminder_rules_activate changes the rows with update(), which sends no signal."""
    reminder_rules_ensure()
    root = factories.PersonFactory(username="root", agency=None, roles=[Role.ADMINISTRATOR])
    rules = list(ReminderRule.objects.values_list("pk", flat=True)[:2])
    task_services.reminder_rules_activate(rule_ids=rules, active=False, by=root)
    trail = records(object_type="tasks.reminderrule", action=A.UPDATE)
    assert sorted(int(r.object_id) for r in trail) == sorted(rules)
    assert all(r.changes == {"is_active": [True, False]} for r in trail)


def test_sign_ins_on_the_page_are_recorded_success_and_failure(client, specialist):
    client.post(reverse("login"), {"username": "dave", "password": "sai"}, REMOTE_ADDR="10.9.9.9")
    client.post(reverse("login"), {"username": "dave", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    failed, signed_in = records(action__in=[A.SIGN_IN, A.SIGN_IN_FAILED])
    assert (failed.action, failed.object_repr, failed.address, failed.actor) == (
        A.SIGN_IN_FAILED,
        "dave",
        "10.9.9.9",
        None,
    )
    assert failed.agency_id == specialist.agency_id
    assert (signed_in.action, signed_in.actor, signed_in.channel) == (A.SIGN_IN, specialist, AuditRecord.Channel.PAGE)


def test_token_sign_ins_on_the_api_are_recorded(client, specialist):
    url = "/api/v1/auth/token"
    client.post(url, {"username": "dave", "password": "sai"}, content_type="application/json")
    assert (
        client.post(url, {"username": "dave", "password": PASSWORD}, content_type="application/json").status_code == 201
    )
    failed, signed_in = records(action__in=[A.SIGN_IN, A.SIGN_IN_FAILED])
    assert failed.action == A.SIGN_IN_FAILED
    assert (signed_in.action, signed_in.actor, signed_in.channel) == (A.SIGN_IN, specialist, AuditRecord.Channel.API)


def test_a_failed_sign_in_under_an_unknown_name_is_recorded_for_the_installation(client, db):
    client.post(reverse("login"), {"username": "khong-co", "password": "sai"})
    (record,) = records(action=A.SIGN_IN_FAILED)
    assert (record.object_repr, record.object_id, record.agency_id) == ("khong-co", "", None)


def test_downloading_a_confidential_attachment_is_recorded_and_an_ordinary_one_is_not(client, make_draft, specialist):
    secret = make_draft(confidentiality="mat", subject="Kế hoạch nhân sự tuyệt mật")
    plain = make_draft()
    client.force_login(specialist)
    for document in [secret, plain]:
        attachment = document_services.attachment_add(
            document=document, by=specialist, file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test")
        )
        assert client.get(reverse("directives:attachment", args=[document.pk, attachment.pk])).status_code == 200
    (record,) = records(action=A.DOWNLOAD)
    assert (record.object_id, record.object_repr, record.actor) == (str(secret.pk), "Văn bản mật", specialist)
    assert record.detail == "Tệp đính kèm"


def test_downloading_a_report_file_of_a_task_from_a_confidential_document_is_recorded(
    client, make_draft, director, unit_head, specialist, science_unit
):
    secret = make_draft(confidentiality="mat", subject="Kế hoạch nhân sự tuyệt mật")
    task = task_services.task_create(by=director, title="Triển khai", lead_unit=science_unit, document=secret)
    task_services.task_assign(task=task, by=unit_head, handler=specialist)
    report = task_services.task_report(
        task=task, by=specialist, text="Có tệp", percent=10, files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4")]
    )
    client.force_login(director)
    assert client.get(reverse("tasks:file", args=[task.pk, report.files.get().pk])).status_code == 200
    (record,) = records(action=A.DOWNLOAD)
    assert (record.object_type, record.object_repr, record.actor) == ("tasks.task", "Nhiệm vụ từ văn bản mật", director)
    assert record.detail == "Tệp báo cáo tiến độ"


def test_downloading_a_confidential_pdf_is_recorded(client, make_draft, specialist):
    secret = make_draft(confidentiality="mat", subject="Kế hoạch nhân sự tuyệt mật")
    client.force_login(specialist)
    assert client.get(reverse("directives:pdf", args=[secret.pk])).status_code == 200
    (record,) = records(action=A.DOWNLOAD)
    assert (record.object_repr, record.detail) == ("Văn bản mật", "Bản PDF")


def test_a_certificate_upload_is_recorded_without_the_key(agency, administrator, authority):
    from directives import official_pdf
    from tests.directives.certificates import PASSPHRASE

    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    (record,) = records(object_type="directives.signingcertificate")
    assert (record.action, record.agency_id) == (A.CREATE, agency.pk)
    assert record.changes["bundle"] == [None, "***"]
    assert "subject" in record.changes


# --- append-only ---------------------------------------------------------------------------


def _one_record(science_unit):
    science_unit.name = "Phòng đổi tên"
    science_unit.save()
    return records(object_type="units.unit")[-1]


def test_the_model_refuses_to_change_or_delete_a_record(science_unit):
    record = _one_record(science_unit)
    record.detail = "sửa"
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()


def test_the_database_refuses_an_update_on_sqlite_and_postgresql(science_unit):
    record = _one_record(science_unit)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(detail="sửa")
    record.refresh_from_db()
    assert record.detail == ""


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete(science_unit):
    record = _one_record(science_unit)
    for attempt in [
        lambda: AuditRecord.objects.filter(pk=record.pk).update(actor_name="ai đó"),
        lambda: AuditRecord.objects.filter(pk=record.pk).delete(),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AuditRecord.objects.filter(pk=record.pk, actor_name="").exists()


def test_no_admin_page_or_form_writes_the_trail(client, director, science_unit):
    assert not admin.site.is_registered(AuditRecord)
    _one_record(science_unit)
    client.force_login(director)
    assert (
        client.post(TRAIL, {"detail": "x"}).status_code in (404, 405)
        or AuditRecord.objects.filter(detail="x").count() == 0
    )
    assert not AuditRecord.objects.filter(detail="x").exists()


# --- reading it ----------------------------------------------------------------------------


def test_the_director_reads_her_agencys_trail_and_not_another_agencys(client, director, science_unit, outsider):
    _one_record(science_unit)
    other_unit = outsider.memberships.get().unit
    other_unit.name = "Phòng của Sở khác"
    other_unit.save()
    client.force_login(director)
    page = client.get(TRAIL).content.decode()
    assert "Phòng đổi tên" in page
    assert "Phòng của Sở khác" not in page
    assert "Nhật ký thay đổi" in client.get(reverse("tasks:dashboard")).content.decode()  # in her menu


@pytest.mark.parametrize("persona", ["specialist", "unit_head", "clerk", "outsider"])
def test_everyone_else_gets_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(TRAIL).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_an_administrator_of_another_agency_does_not_see_ours(client, science_unit, outsider):
    _one_record(science_unit)
    their_admin = factories.PersonFactory(username="sct-admin", agency=outsider.agency, roles=[Role.ADMINISTRATOR])
    client.force_login(their_admin)
    assert "Phòng đổi tên" not in client.get(TRAIL).content.decode()


def test_the_filters_narrow_by_person_object_action_and_period(client, director, administrator, science_unit, office):
    client.force_login(administrator)
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        science_unit.name = "Đổi lần một"
        science_unit.save()
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=False):
        office.name = "Đổi lần hai"
        office.save()
    client.force_login(director)

    def shown(**params):
        context = client.get(TRAIL, params).context
        return {record.object_repr for record, _label, _changes in context["rows"]}

    assert shown(object_type="units.unit", start="2026-03-01", end="2026-03-05") == {"Đổi lần một"}
    assert shown(object_type="units.unit", object_id=office.pk, action="update") == {"Đổi lần hai"}
    assert shown(object_type="units.unit", action="delete") == set()
    assert "Đổi lần một" not in shown(person=director.pk)


def test_a_bad_filter_says_why_in_vietnamese_and_lists_nothing(client, director, science_unit):
    _one_record(science_unit)
    client.force_login(director)
    response = client.get(TRAIL, {"start": "2026-03-10", "end": "2026-03-01", "object_id": "18446744073709551616"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page
    assert response.context["rows"] == []


def test_the_trail_is_paginated(client, director, science_unit):
    for n in range(55):
        science_unit.name = f"Tên {n}"
        science_unit.save()
    client.force_login(director)
    first = client.get(TRAIL, {"object_type": "units.unit", "action": "update"})
    assert len(first.context["rows"]) == 50
    assert "Trang 1/2" in first.content.decode()
    assert len(client.get(TRAIL, {"object_type": "units.unit", "action": "update", "page": 2}).context["rows"]) == 5


def test_the_export_holds_the_filtered_rows_and_no_formula(client, director, science_unit, office):
    science_unit.name = '=HYPERLINK("http://x","bấm")'
    science_unit.save()
    office.name = "Văn phòng mới"
    office.save()
    client.force_login(director)
    response = client.get(EXPORT, {"object_type": "units.unit", "object_id": science_unit.pk, "action": "update"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời gian"
    assert len(rows) == 2
    cell = sheet.cell(row=2, column=6)
    assert cell.data_type == "s"
    assert str(cell.value).startswith("=HYPERLINK")
