"""A confidential document is named — by number, symbol or subject — only to whoever may see
it: in the acts that correct or cite it (page, API, revisions), in the registers (page, XLSX,
API), in the duplicate warning when registering, and in the notices its workflow sends
(issue #12, item 2). Others get «Văn bản mật» and no link."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from directives import services
from directives.models import Document
from notifications.models import Notification
from tests import factories
from tests.conftest import SECRET_SUBJECT
from units.roles import Role

PLACEHOLDER = "Văn bản mật"
MARCH = {"kind": "outgoing", "start": "2027-03-01", "end": "2027-03-31"}


@pytest.fixture
def deputy(agency):
    """dan, a deputy director who holds no grant: he sees every non-confidential document."""
    return factories.PersonFactory(username="dan", full_name="Mai Văn Dan", agency=agency, roles=[Role.DEPUTY_DIRECTOR])


@pytest.fixture
def correction(make_approved, clerk, director, science_unit):
    """A «Mật» notice issued on 2 March, and its correction, issued as a non-confidential act on
    5 March: the correction names and cites the original."""
    original = services.document_issue(
        document=make_approved(confidentiality="mat", subject=SECRET_SUBJECT), by=clerk, today=date(2027, 3, 2)
    )
    draft = services.document_follow_up(
        document=original, by=clerk, relation=Document.Relation.CORRECTS, subject="Đính chính lỗi chính tả"
    )
    services.document_update(
        document=draft, by=clerk, drafting_unit=science_unit, confidentiality="", body="<p>Đính chính điểm 2.</p>"
    )
    services.document_submit(document=draft, by=clerk)
    draft.refresh_from_db()
    if draft.state == Document.State.REVIEW:
        services.document_forward(document=draft, by=draft.pending_with)
    services.document_approve(document=draft, by=director)
    issued = services.document_issue(document=draft, by=clerk, today=date(2027, 3, 5))
    return original, issued


def body_of(client, user, url, params=None) -> str:
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def assert_hidden(text: str, original: Document) -> None:
    assert SECRET_SUBJECT not in text
    assert original.symbol not in text
    assert reverse("directives:detail", args=[original.pk]) not in text


def test_the_correction_page_names_the_original_only_to_whoever_may_see_it(client, correction, deputy, clerk):
    original, issued = correction
    body = body_of(client, deputy, reverse("directives:detail", args=[issued.pk]))
    assert_hidden(body, original)
    assert PLACEHOLDER in body  # "Đính chính: Văn bản mật" and the citation
    body = body_of(client, clerk, reverse("directives:detail", args=[issued.pk]))
    assert original.symbol in body and SECRET_SUBJECT in body
    assert reverse("directives:detail", args=[original.pk]) in body


def test_the_correction_api_and_revisions_name_the_original_only_to_whoever_may_see_it(correction, deputy, clerk):
    original, issued = correction
    api = APIClient()
    api.force_authenticate(deputy)
    detail = api.get(f"/api/v1/directives/{issued.pk}")
    listed = api.get("/api/v1/directives")
    revisions = api.get(f"/api/v1/directives/{issued.pk}/revisions")
    for response in (detail, listed, revisions):
        assert response.status_code == 200
        assert_hidden(response.content.decode(), original)
    assert detail.json()["references"] == [
        {"target": None, "doc_type": "", "symbol": PLACEHOLDER, "issued_on": None, "issuer": "", "hidden": True}
    ]
    api.force_authenticate(clerk)
    (reference,) = api.get(f"/api/v1/directives/{issued.pk}").json()["references"]
    assert reference["target"] == original.pk and reference["symbol"] == original.symbol
    assert original.symbol in api.get(f"/api/v1/directives/{issued.pk}/revisions").content.decode()


def test_the_revisions_page_names_the_original_only_to_whoever_may_see_it(client, correction, deputy, clerk):
    original, issued = correction
    url = reverse("directives:revisions", args=[issued.pk])
    revisions = list(issued.revisions.order_by("number").values_list("number", flat=True))
    # Compare the first revision with one citing nothing, so the citation shows as a change.
    issued.revisions.filter(number=revisions[-1]).update(
        content={**issued.revisions.get(number=revisions[-1]).content, "references": []}
    )
    params = {"a": revisions[0], "b": revisions[-1]}
    body = body_of(client, deputy, url, params)
    assert_hidden(body, original)
    assert PLACEHOLDER in body
    assert original.symbol in body_of(client, clerk, url, params)


def xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_the_outgoing_register_notes_the_correction_of_a_hidden_act_without_its_number(
    client, correction, deputy, clerk
):
    original, issued = correction
    api = reverse("api-register-outgoing")
    period = {"start": MARCH["start"], "end": MARCH["end"]}
    for_deputy = [
        body_of(client, deputy, reverse("directives:registers"), MARCH),
        body_of(client, deputy, api, period),
        xlsx_text(client.get(api, {**period, "format": "xlsx"}).content),
    ]
    for text in for_deputy:
        assert_hidden(text, original)
        assert "Đính chính văn bản mật" in text
    assert issued.symbol in for_deputy[0]
    for_clerk = [
        body_of(client, clerk, reverse("directives:registers"), MARCH),
        xlsx_text(client.get(api, {**period, "format": "xlsx"}).content),
    ]
    for text in for_clerk:
        assert f"Đính chính văn bản số {original.symbol}" in text


# --- The duplicate warning ------------------------------------------------------------------


@pytest.fixture
def second_clerk(office):
    """bella, a clerk who did not register the confidential document: no grant."""
    return factories.PersonFactory(
        username="bella", full_name="Trịnh Thị Bella", agency=office.agency, roles=[Role.CLERK, Role.STAFF],
        unit=office, position="Văn thư",
    )  # fmt: skip


@pytest.fixture
def secret_arrival(clerk, notice_type):
    return services.incoming_register(
        by=clerk, sender=factories.OrganisationFactory(name="Bộ Công an"), symbol="15/BCA-MAT",
        issued_on=timezone.localdate() - timedelta(days=2), doc_type=notice_type, subject=SECRET_SUBJECT,
        confidentiality="mat",
    )  # fmt: skip


def arrival_form(document, **extra):
    return {
        "sender": document.sender_id, "doc_type": document.doc_type_id, "symbol": document.symbol,
        "issued_on": document.issued_on.isoformat(), "received_on": timezone.localdate().isoformat(),
        "subject": "Vào sổ lần hai", **extra,
    }  # fmt: skip


def test_the_duplicate_warning_names_a_hidden_duplicate_only_by_the_placeholder(
    client, secret_arrival, second_clerk, clerk
):
    client.force_login(clerk)  # alice registered it: she holds a grant and sees what it is
    body = client.post(reverse("directives:incoming_register"), arrival_form(secret_arrival)).content.decode()
    assert SECRET_SUBJECT in body
    assert reverse("directives:detail", args=[secret_arrival.pk]) in body
    client.force_login(second_clerk)
    response = client.post(reverse("directives:incoming_register"), arrival_form(secret_arrival))
    assert response.status_code == 200
    body = response.content.decode()
    warning = body.split('data-testid="duplicate-warning"')[1].split("</div>")[0]
    assert SECRET_SUBJECT not in body
    assert reverse("directives:detail", args=[secret_arrival.pk]) not in body
    assert f"Số đến {secret_arrival.number}" not in warning
    assert PLACEHOLDER in warning
    assert Document.objects.filter(direction="incoming").count() == 1  # still asks to confirm
    confirmed = client.post(
        reverse("directives:incoming_register"), arrival_form(secret_arrival, confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Document.objects.filter(direction="incoming").count() == 2


def test_the_api_duplicate_answer_gives_no_id_of_a_hidden_duplicate(secret_arrival, second_clerk, clerk):
    payload = {
        "sender": secret_arrival.sender_id, "doc_type": secret_arrival.doc_type_id, "symbol": secret_arrival.symbol,
        "issued_on": secret_arrival.issued_on.isoformat(), "subject": "Vào sổ lần hai",
    }  # fmt: skip
    api = APIClient()
    api.force_authenticate(second_clerk)
    response = api.post("/api/v1/incoming", payload, format="json")
    assert response.status_code == 409
    assert response.json()["extra"] == {"duplicates": [], "hidden": 1}
    assert SECRET_SUBJECT not in response.content.decode()
    api.force_authenticate(clerk)
    assert api.post("/api/v1/incoming", payload, format="json").json()["extra"] == {
        "duplicates": [secret_arrival.pk], "hidden": 0,
    }  # fmt: skip


# --- Notices ----------------------------------------------------------------------------------


def test_the_workflow_notices_and_their_e_mails_never_carry_a_confidential_subject(
    django_capture_on_commit_callbacks, make_approved, clerk, specialist
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_approved(confidentiality="mat", subject=SECRET_SUBJECT)
        issued = services.document_issue(document=draft, by=clerk)
        returned = make_approved(confidentiality="mat", subject=SECRET_SUBJECT + " (bản 2)")
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"document_review", "document_signature", "document_approved", "document_received"} <= kinds
    for notice in Notification.objects.all():
        assert SECRET_SUBJECT not in notice.message
        assert issued.symbol not in notice.message
        assert PLACEHOLDER in notice.message or "văn bản mật" in notice.message
        assert notice.url in (
            reverse("directives:detail", args=[issued.pk]),
            reverse("directives:detail", args=[returned.pk]),
        )
    assert mail.outbox
    for message in mail.outbox:
        assert SECRET_SUBJECT not in message.subject + message.body
        assert issued.symbol not in message.subject + message.body


def test_notices_about_an_ordinary_document_still_quote_its_subject(make_approved, clerk):
    services.document_issue(document=make_approved(subject="Lịch trực Tết"), by=clerk)
    assert all("Lịch trực Tết" in n.message for n in Notification.objects.filter(kind__startswith="document_"))
