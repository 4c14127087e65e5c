"""The document API: drafting and the signing workflow, the incoming register, and who sees what."""

import pytest
from rest_framework.test import APIClient

from directives.models import Delivery, Document, DocumentType, Revision
from directives.services import FROZEN
from tests import factories
from units.services import api_token_issue


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def notice_type(db):
    return DocumentType.objects.get(abbreviation="TB")


@pytest.fixture
def sender(db):
    return factories.OrganisationFactory(name="UBND tỉnh Bà Rịa - Vũng Tàu")


@pytest.fixture
def people(clerk, unit_head, director, specialist):
    return {"alice": clerk, "bob": unit_head, "carol": director, "dave": specialist}


def as_(api, user):
    api.force_authenticate(user)
    return api


def draft_payload(doc_type, signer, **overrides):
    # Complete enough to submit (issue #15, item 6): a body and a Nơi nhận besides the signer.
    return {
        "doc_type": doc_type.pk, "subject": "Thông báo lịch họp giao ban", "signer": signer.pk,
        "body": "<p>Lịch họp giao ban tuần.</p>", "distribution": "Các phòng thuộc Sở;\nLưu: VT.", **overrides,
    }  # fmt: skip


def create_draft(api, author, doc_type, signer, **overrides):
    response = as_(api, author).post("/api/v1/directives", draft_payload(doc_type, signer, **overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def act(api, user, pk, action, data=None):
    return as_(api, user).post(f"/api/v1/directives/{pk}/{action}", data or {}, format="json")


def state_of(pk):
    return Document.objects.get(pk=pk).state


def to_state(api, people, doc_type, state):
    """A draft by dave with carol as signer, moved along the workflow up to ``state``."""
    pk = create_draft(api, people["dave"], doc_type, people["carol"])["id"]
    steps = [("review", "dave", "submit"), ("signing", "bob", "forward"), ("approved", "carol", "approve"),
             ("issued", "alice", "issue")]  # fmt: skip
    for reached, who, action in steps:
        if state_of(pk) == state:
            break
        assert act(api, people[who], pk, action).status_code == 200
        assert state_of(pk) == reached
    return pk


# --- The workflow ------------------------------------------------------------------


def test_full_workflow_issues_consecutive_numbers(api, people, notice_type, science_unit):
    """dave drafts, bob forwards, carol signs, alice issues: 01/TB-SKHCN then 02/TB-SKHCN."""
    first = create_draft(api, people["dave"], notice_type, people["carol"], body="<p>Nội dung</p>")
    assert first["state"] == "draft"
    assert first["state_label"] == "Dự thảo"
    assert first["doc_type"] == {"id": notice_type.pk, "name": "Thông báo", "abbreviation": "TB"}
    assert first["drafting_unit"]["abbreviation"] == "QLKH"
    assert first["author"]["full_name"] == "Phạm Văn Dave"
    assert first["signer"]["id"] == people["carol"].pk
    assert first["number"] is None

    submitted = act(api, people["dave"], first["id"], "submit").json()
    assert submitted["state"] == "review"
    assert submitted["pending_with"]["id"] == people["bob"].pk
    forwarded = act(api, people["bob"], first["id"], "forward", {"comment": "Đồng ý"}).json()
    assert forwarded["state"] == "signing"
    assert forwarded["pending_with"]["id"] == people["carol"].pk
    assert act(api, people["carol"], first["id"], "approve").json()["state"] == "approved"
    issued = act(api, people["alice"], first["id"], "issue").json()
    assert issued["state"] == "issued"
    assert issued["state_label"] == "Đã phát hành"
    assert issued["symbol"] == "01/TB-SKHCN"
    assert issued["number"] == 1
    assert [e["action"] for e in issued["events"]] == ["created", "submitted", "forwarded", "approved", "issued"]

    second = to_state(api, people, notice_type, "issued")
    body = as_(api, people["alice"]).get(f"/api/v1/directives/{second}").json()
    assert (body["number"], body["symbol"]) == (2, "02/TB-SKHCN")


def test_returned_draft_goes_back_to_its_author_with_the_comment(api, people, notice_type):
    pk = to_state(api, people, notice_type, "review")
    response = act(api, people["bob"], pk, "return", {"comment": "Bổ sung căn cứ pháp lý"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "returned"
    assert body["pending_with"]["id"] == people["dave"].pk
    assert body["events"][-1]["comment"] == "Bổ sung căn cứ pháp lý"


def test_return_without_a_comment_is_refused(api, people, notice_type):
    pk = to_state(api, people, notice_type, "review")
    response = act(api, people["bob"], pk, "return", {})
    assert response.status_code == 400
    assert "lý do trả lại" in response.json()["message"]
    assert state_of(pk) == "review"


@pytest.mark.parametrize(
    ("state", "who", "action"),
    [
        ("draft", "carol", "submit"),
        ("review", "dave", "forward"),
        ("review", "carol", "forward"),
        ("signing", "dave", "approve"),
        ("signing", "bob", "approve"),
        ("signing", "dave", "return"),
        ("approved", "alice", "approve"),
        ("approved", "bob", "issue"),
        ("approved", "dave", "issue"),
        ("approved", "carol", "issue"),
        ("issued", "dave", "issue"),
    ],
)
def test_each_step_is_refused_to_the_wrong_role(api, people, notice_type, state, who, action):
    pk = to_state(api, people, notice_type, state)
    response = act(api, people[who], pk, action, {"comment": "Thử"})
    assert response.status_code in (400, 403)
    assert response.status_code == (400 if state == "issued" else 403)
    assert set(response.json()) == {"message", "extra"}
    assert state_of(pk) == state
    assert Document.objects.get(pk=pk).number == (1 if state == "issued" else None)


def test_clerk_sees_a_document_waiting_for_signature_but_cannot_sign_it(api, people, notice_type):
    """The clerk keeps the leaders' signing queue (she may hand a document to another signer,
    issue #15), so she sees it (403, not 404); signing stays the leader's."""
    pk = to_state(api, people, notice_type, "signing")
    assert act(api, people["alice"], pk, "approve").status_code == 403
    assert state_of(pk) == "signing"


def test_recall_creates_a_new_draft_pointing_to_the_issued_document(api, people, notice_type):
    pk = to_state(api, people, notice_type, "issued")
    response = act(api, people["alice"], pk, "recall")
    assert response.status_code == 201
    draft = response.json()
    assert draft["id"] != pk
    assert draft["state"] == "draft"
    assert (draft["relation"], draft["related_to"]) == ("recalls", pk)
    assert [r["target"] for r in draft["references"]] == [pk]
    assert state_of(pk) == "issued"


def test_correct_creates_a_correction_draft(api, people, notice_type):
    pk = to_state(api, people, notice_type, "issued")
    response = act(api, people["dave"], pk, "correct", {"subject": "Đính chính Thông báo số 01/TB-SKHCN"})
    assert response.status_code == 201
    assert response.json()["relation"] == "corrects"
    assert response.json()["subject"] == "Đính chính Thông báo số 01/TB-SKHCN"


def test_recall_of_a_draft_is_refused(api, people, notice_type):
    pk = to_state(api, people, notice_type, "draft")
    count = Document.objects.count()
    assert act(api, people["dave"], pk, "recall").status_code == 403
    assert Document.objects.count() == count


def test_read_is_recorded_once_for_a_member_of_a_receiving_unit(api, people, notice_type, science_unit):
    pk = create_draft(api, people["dave"], notice_type, people["carol"], recipient_units=[science_unit.pk])["id"]
    for who, action in [("dave", "submit"), ("bob", "forward"), ("carol", "approve"), ("alice", "issue")]:
        assert act(api, people[who], pk, action).status_code == 200
    assert Delivery.objects.filter(document_id=pk, unit=science_unit).exists()
    assert act(api, people["bob"], pk, "read").json() == {"first_read": True}
    assert act(api, people["bob"], pk, "read").json() == {"first_read": False}


# --- Editing ----------------------------------------------------------------------------


def test_patch_saves_a_new_revision(api, people, notice_type, science_unit, office):
    pk = create_draft(api, people["dave"], notice_type, people["carol"])["id"]
    response = as_(api, people["dave"]).patch(
        f"/api/v1/directives/{pk}",
        {"subject": "Thông báo lịch họp tháng 7", "recipient_units": [office.pk, science_unit.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["subject"] == "Thông báo lịch họp tháng 7"
    assert body["signer"]["id"] == people["carol"].pk  # untouched fields stay
    assert {r["unit"]["abbreviation"] for r in body["recipients"]} == {"VP", "QLKH"}
    revisions = api.get(f"/api/v1/directives/{pk}/revisions").json()
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[1]["content"]["subject"] == "Thông báo lịch họp tháng 7"
    assert revisions[1]["author"]["full_name"] == "Phạm Văn Dave"


def test_put_is_not_offered(api, people, notice_type):
    pk = create_draft(api, people["dave"], notice_type, people["carol"])["id"]
    response = as_(api, people["dave"]).put(f"/api/v1/directives/{pk}", draft_payload(notice_type, people["carol"]))
    assert response.status_code == 405


def test_patch_of_an_issued_document_is_refused_and_changes_nothing(api, people, notice_type):
    pk = to_state(api, people, notice_type, "issued")
    before = Document.objects.get(pk=pk)
    revisions = Revision.objects.filter(document_id=pk).count()
    response = as_(api, people["dave"]).patch(f"/api/v1/directives/{pk}", {"subject": "Sửa lén"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"message": str(FROZEN), "extra": {}}
    after = Document.objects.get(pk=pk)
    assert (after.subject, after.symbol, after.number, after.updated_at) == (
        before.subject,
        before.symbol,
        before.number,
        before.updated_at,
    )
    assert Revision.objects.filter(document_id=pk).count() == revisions


def test_patch_of_a_submitted_draft_is_refused(api, people, notice_type):
    pk = to_state(api, people, notice_type, "review")
    response = as_(api, people["dave"]).patch(f"/api/v1/directives/{pk}", {"subject": "Sửa"}, format="json")
    assert response.status_code == 403
    assert Document.objects.get(pk=pk).subject == "Thông báo lịch họp giao ban"


# --- Bad input --------------------------------------------------------------------------


@pytest.fixture
def other_agency_unit(outsider):
    return outsider.memberships.get().unit


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"subject": None}, "subject", "bắt buộc"),
        ({"subject": "   "}, "subject", "không được bỏ trống"),
        ({"subject": "x" * 501}, "subject", "500 ký tự"),
        ({"doc_type": 99999}, "doc_type", "không hợp lệ"),
        ({"drafting_unit": "other"}, "drafting_unit", "không hợp lệ"),
        ({"recipient_units": "other"}, "recipient_units", "không hợp lệ"),
        ({"signer": "bob"}, "signer", "không hợp lệ"),
        ({"signer": "oscar"}, "signer", "không hợp lệ"),
        ({"references": "hidden"}, "references", "không hợp lệ"),
        ({"references": [{"issuer": "UBND tỉnh"}]}, "references", "số, ký hiệu"),
        ({"urgency": "rat_khan"}, "urgency", "lựa chọn hợp lệ"),
        ({"recipient_units": "abc"}, "recipient_units", "số nguyên"),
        ({"references": "x"}, "references", "danh sách"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_creates_nothing(
    api, people, notice_type, other_agency_unit, outsider, change, field, words
):
    hidden = Document.objects.create(
        agency=outsider.agency, author=outsider, doc_type=notice_type, subject="Văn bản của Sở khác"
    )
    values = {
        "other": other_agency_unit.pk,
        "bob": people["bob"].pk,
        "oscar": outsider.pk,
        "hidden": [{"target": hidden.pk}],
    }
    payload = draft_payload(notice_type, people["carol"])
    for key, value in change.items():
        if value is None:
            del payload[key]
            continue
        value = values.get(value, value) if isinstance(value, str) else value
        payload[key] = [value] if key == "recipient_units" else value
    count = Document.objects.count()
    response = as_(api, people["dave"]).post("/api/v1/directives", payload, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["message"].startswith("Dữ liệu không hợp lệ")
    assert words in body["message"]
    assert field in body["extra"]["fields"]
    assert Document.objects.count() == count


def test_an_id_of_another_agency_reads_like_an_unknown_id(api, people, notice_type, other_agency_unit):
    """No hint whether the unit exists elsewhere: the same message as for an id nobody has."""

    def error(unit_id):
        payload = draft_payload(notice_type, people["carol"], drafting_unit=unit_id)
        return as_(api, people["dave"]).post("/api/v1/directives", payload, format="json").json()["message"]

    assert error(other_agency_unit.pk).replace(str(other_agency_unit.pk), "N") == error(999999).replace("999999", "N")


# --- Outsiders ------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["submit", "forward", "return", "approve", "issue", "recall", "correct", "read"])
def test_outsider_gets_404_on_every_action(api, people, notice_type, outsider, action):
    pk = to_state(api, people, notice_type, "issued" if action in ("recall", "correct") else "review")
    before = state_of(pk)
    count = Document.objects.count()
    response = act(api, outsider, pk, action, {"comment": "x"})
    assert response.status_code == 404
    assert response.json()["message"] == "Không tìm thấy hoặc bạn không có quyền xem."
    assert state_of(pk) == before
    assert Document.objects.count() == count


def test_outsider_gets_404_on_get_patch_and_revisions(api, people, notice_type, outsider):
    pk = create_draft(api, people["dave"], notice_type, people["carol"])["id"]
    as_(api, outsider)
    assert api.get(f"/api/v1/directives/{pk}").status_code == 404
    assert api.get(f"/api/v1/directives/{pk}/revisions").status_code == 404
    assert api.patch(f"/api/v1/directives/{pk}", {"subject": "Của tôi"}, format="json").status_code == 404
    assert Document.objects.get(pk=pk).subject == "Thông báo lịch họp giao ban"


def test_lists_never_show_documents_of_another_agency(api, people, notice_type, outsider, sender):
    to_state(api, people, notice_type, "issued")
    as_(api, people["alice"]).post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json")
    mine = Document.objects.create(agency=outsider.agency, author=outsider, doc_type=notice_type, subject="Của Oscar")
    body = as_(api, outsider).get("/api/v1/directives").json()
    assert [d["id"] for d in body["results"]] == [mine.pk]
    assert as_(api, outsider).get("/api/v1/incoming").json()["count"] == 0
    leader_view = as_(api, people["carol"]).get("/api/v1/directives").json()
    assert mine.pk not in {d["id"] for d in leader_view["results"]}
    assert leader_view["count"] == 2


def test_unauthenticated_requests_are_refused(api, db):
    response = api.get("/api/v1/directives")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "extra"}


# --- Lists and search ---------------------------------------------------------------------


def test_search_ignores_diacritics(api, people, notice_type):
    plan = DocumentType.objects.get(abbreviation="PA")
    create_draft(api, people["dave"], plan, people["carol"], subject="Phương án cách ly y tế")
    create_draft(api, people["dave"], notice_type, people["carol"])
    body = as_(api, people["dave"]).get("/api/v1/directives", {"q": "cach ly"}).json()
    assert [d["subject"] for d in body["results"]] == ["Phương án cách ly y tế"]


def test_list_filters_by_state_and_type(api, people, notice_type):
    plan = DocumentType.objects.get(abbreviation="PA")
    issued = to_state(api, people, notice_type, "issued")
    create_draft(api, people["dave"], plan, people["carol"], subject="Phương án")
    as_(api, people["dave"])
    assert [d["id"] for d in api.get("/api/v1/directives", {"state": "issued"}).json()["results"]] == [issued]
    assert api.get("/api/v1/directives", {"doc_type": plan.pk}).json()["count"] == 1
    assert api.get("/api/v1/directives", {"year": 2001}).json()["count"] == 0
    response = api.get("/api/v1/directives", {"state": "lost"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Dữ liệu không hợp lệ")


def test_list_runs_the_same_number_of_queries_at_1_and_20_documents(
    api, people, notice_type, science_unit, sender, django_assert_num_queries, django_assert_max_num_queries
):
    """Bearer token so each request reads the person afresh, as in production."""
    token = api_token_issue(user=people["dave"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    extra = {"recipient_units": [science_unit.pk], "recipient_organisations": [sender.pk]}
    payload = draft_payload(notice_type, people["carol"], **extra, references=[{"symbol": "12/QĐ-UBND"}])
    assert api.post("/api/v1/directives", payload, format="json").status_code == 201
    with django_assert_max_num_queries(12) as one:
        assert api.get("/api/v1/directives").json()["count"] == 1
    at_one = len(one.captured_queries)  # read now: every request clears Django's query log
    for _n in range(19):
        assert api.post("/api/v1/directives", payload, format="json").status_code == 201
    with django_assert_num_queries(at_one):
        body = api.get("/api/v1/directives").json()
    assert body["count"] == 20
    assert all(d["recipients"] and d["references"] for d in body["results"])


# --- Incoming ------------------------------------------------------------------------------


def incoming_payload(sender, doc_type, **overrides):
    return {
        "sender": sender.pk,
        "symbol": "123/UBND-VX",
        "issued_on": "2025-06-02",
        "doc_type": doc_type.pk,
        "subject": "Về việc tăng cường phòng chống dịch",
        "received_on": "2025-06-04",
        **overrides,
    }


def test_incoming_register_gives_arrival_numbers_1_then_2(api, clerk, sender, notice_type):
    as_(api, clerk)
    first = api.post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["arrival_number"] == 1
    assert first.json()["state"] == "registered"
    assert first.json()["sender"]["name"] == "UBND tỉnh Bà Rịa - Vũng Tàu"
    second = api.post("/api/v1/incoming", incoming_payload(sender, notice_type, symbol="124/UBND-VX"), format="json")
    assert second.json()["arrival_number"] == 2
    listed = api.get("/api/v1/incoming").json()
    assert {d["arrival_number"] for d in listed["results"]} == {1, 2}
    assert {d["direction"] for d in listed["results"]} == {"incoming"}


def test_incoming_duplicate_needs_confirmation(api, clerk, sender, notice_type):
    as_(api, clerk)
    first = api.post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json").json()
    again = api.post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json")
    assert again.status_code == 409
    assert "đã được vào sổ" in again.json()["message"]
    assert again.json()["extra"] == {"duplicates": [first["id"]], "hidden": 0}
    assert Document.objects.filter(direction="incoming").count() == 1
    confirmed = api.post(
        "/api/v1/incoming", incoming_payload(sender, notice_type, confirm_duplicate=True), format="json"
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["arrival_number"] == 2


def test_incoming_register_accepts_a_file_by_multipart(api, clerk, sender, notice_type, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = as_(api, clerk).post(
        "/api/v1/incoming", {**incoming_payload(sender, notice_type), "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    detail = api.get(f"/api/v1/directives/{response.json()['id']}").json()
    [attachment] = detail["attachments"]
    assert attachment["name"] == "cong-van.pdf"
    assert attachment["url"] == f"/directives/{detail['id']}/files/{attachment['id']}/"


def test_only_the_clerk_registers_incoming(api, specialist, sender, notice_type):
    response = as_(api, specialist).post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json")
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_routing_delivers_to_the_lead_and_cooperating_units(
    api, clerk, director, sender, notice_type, science_unit, office
):
    pk = as_(api, clerk).post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json").json()["id"]
    response = as_(api, director).post(
        f"/api/v1/incoming/{pk}/route",
        {"note": "Giao Phòng QLKH chủ trì", "lead_unit": science_unit.pk, "cooperating_units": [office.pk],
         "deadline": "2099-01-05"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "routed"
    assert body["routing"]["lead_unit"]["abbreviation"] == "QLKH"
    assert [u["abbreviation"] for u in body["routing"]["cooperating_units"]] == ["VP"]
    assert set(Delivery.objects.filter(document_id=pk).values_list("unit__abbreviation", flat=True)) == {"QLKH", "VP"}


def test_routing_to_a_unit_of_another_agency_is_refused(api, clerk, director, sender, notice_type, outsider):
    pk = as_(api, clerk).post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json").json()["id"]
    foreign = outsider.memberships.get().unit
    response = as_(api, director).post(
        f"/api/v1/incoming/{pk}/route", {"note": "Giao", "lead_unit": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["message"]
    assert not Delivery.objects.exists()
    assert state_of(pk) == "registered"


def test_outsider_and_clerk_cannot_route(api, clerk, director, sender, notice_type, science_unit, outsider):
    pk = as_(api, clerk).post("/api/v1/incoming", incoming_payload(sender, notice_type), format="json").json()["id"]
    payload = {"note": "Giao", "lead_unit": science_unit.pk}
    assert as_(api, outsider).post(f"/api/v1/incoming/{pk}/route", payload, format="json").status_code == 404
    assert as_(api, clerk).post(f"/api/v1/incoming/{pk}/route", payload, format="json").status_code == 403
    assert state_of(pk) == "registered"


# --- Schema ----------------------------------------------------------------------------------


def test_openapi_schema_lists_the_document_endpoints(client, db):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/directives",
        "/api/v1/directives/{id}",
        "/api/v1/directives/{id}/approve",
        "/api/v1/directives/{id}/revisions",
        "/api/v1/incoming",
        "/api/v1/incoming/{id}/route",
    } <= paths
