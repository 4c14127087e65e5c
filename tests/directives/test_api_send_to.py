"""The API's submit and forward take the chosen next person (``to``), as the page does (issue #15,
items 1 and 9): rights before input, the service's rule for whom one may choose, Vietnamese 400s."""

import pytest
from rest_framework.test import APIClient

from directives import permissions
from directives.models import Document, DocumentType, Event
from tests import factories
from units.roles import Role


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def notice_type(db):
    return DocumentType.objects.get(abbreviation="TB")


@pytest.fixture
def second_head(science_unit):
    return factories.PersonFactory(
        username="gina", full_name="Hà Thị Gina", agency=science_unit.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=science_unit, position="Phó Trưởng phòng", is_head=True,
    )  # fmt: skip


@pytest.fixture
def deputy(agency):
    return factories.PersonFactory(
        username="frank", full_name="Trần Văn Frank", agency=agency, roles=[Role.DEPUTY_DIRECTOR], title="Phó Giám đốc"
    )


def act(api, user, pk, action, data=None):
    api.force_authenticate(user)
    return api.post(f"/api/v1/directives/{pk}/{action}", data or {}, format="json")


@pytest.fixture
def draft(api, specialist, director, notice_type):
    api.force_authenticate(specialist)
    payload = {
        "doc_type": notice_type.pk, "subject": "Thông báo lịch họp giao ban", "signer": director.pk,
        "body": "<p>Lịch họp giao ban tuần.</p>", "distribution": "Các phòng thuộc Sở;\nLưu: VT.",
    }  # fmt: skip
    response = api.post("/api/v1/directives", payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_submit_sends_to_the_head_chosen(api, draft, specialist, unit_head, second_head):
    document = Document.objects.get(pk=draft)
    chosen = unit_head if permissions.submit_suggestion(specialist, document) == second_head else second_head
    response = act(api, specialist, draft, "submit", {"to": chosen.pk, "comment": "Kính trình"})
    assert response.status_code == 200, response.json()
    assert response.json()["pending_with"]["id"] == chosen.pk
    assert document.events.get(action=Event.Action.SUBMITTED).sent_to == chosen


def test_submit_without_to_goes_to_the_suggestion(api, draft, specialist, unit_head):
    response = act(api, specialist, draft, "submit")
    assert response.status_code == 200
    assert response.json()["pending_with"]["id"] == unit_head.pk


def test_submit_to_someone_not_allowed_is_a_vietnamese_400_and_changes_nothing(
    api, draft, specialist, director, unit_head
):
    response = act(api, specialist, draft, "submit", {"to": director.pk})
    assert response.status_code == 400
    assert "Chỉ chọn được: Trần Văn Bob" in response.json()["message"]
    assert Document.objects.get(pk=draft).state == Document.State.DRAFT


@pytest.mark.parametrize("to", ["outsider", 999999, "abc"])
def test_submit_to_an_unknown_person_is_a_400_that_tells_nothing(api, draft, specialist, outsider, to):
    to = outsider.pk if to == "outsider" else to
    response = act(api, specialist, draft, "submit", {"to": to})
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("Dữ liệu không hợp lệ")
    assert "Oscar" not in message
    assert Document.objects.get(pk=draft).state == Document.State.DRAFT


def test_rights_come_before_the_input(api, draft, specialist, unit_head, outsider):
    """Someone who may not take the step gets 403 whatever ``to`` says; an outsider 404."""
    act(api, specialist, draft, "submit")
    assert act(api, specialist, draft, "submit", {"to": "abc"}).status_code == 403
    assert act(api, specialist, draft, "forward", {"to": 999999}).status_code == 403
    assert act(api, outsider, draft, "forward", {"to": "abc"}).status_code == 404
    assert Document.objects.get(pk=draft).pending_with == unit_head


def test_forward_sends_to_the_signer_chosen(api, draft, specialist, unit_head, deputy):
    act(api, specialist, draft, "submit")
    response = act(api, unit_head, draft, "forward", {"to": deputy.pk, "comment": "Đồng ý"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["pending_with"]["id"]) == ("signing", deputy.pk)
    assert Document.objects.get(pk=draft).signer == deputy


def test_forward_to_someone_who_cannot_sign_is_refused(api, draft, specialist, unit_head):
    act(api, specialist, draft, "submit")
    response = act(api, unit_head, draft, "forward", {"to": specialist.pk})
    assert response.status_code == 400
    assert "Chỉ chọn được" in response.json()["message"]
    assert Document.objects.get(pk=draft).state == Document.State.REVIEW


def test_the_schema_documents_to(api):
    schema = api.get("/api/v1/openapi.json").json()
    for action in ("submit", "forward"):
        body = schema["paths"][f"/api/v1/directives/{{id}}/{action}"]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"]["$ref"].endswith("/SendInputRequest")
    to = schema["components"]["schemas"]["SendInputRequest"]["properties"]["to"]
    assert to["type"] == "integer" and to["nullable"] and "Mã người nhận" in to["description"]
