"""The submit, forward and hand-over dialogs through the pages, the holder and since shown on the
document page and the lists, and a draft saved without change (issue #15, items 1, 6 and 9)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directives import services
from directives.models import Document, Event
from tests import factories
from tests.directives.test_pages import _form_data, draft
from units import services as unit_services
from units.roles import Role

S = Document.State


@pytest.fixture
def deputy(agency):
    return factories.PersonFactory(
        username="frank", full_name="Trần Văn Frank", agency=agency, roles=[Role.DEPUTY_DIRECTOR], title="Phó Giám đốc"
    )


def _act(client, document, action, **data):
    return client.post(reverse("directives:act", args=[document.pk, action]), data, follow=True)


def test_the_submit_dialog_offers_the_units_head_preselected(client, specialist, unit_head, director):
    document = draft(specialist, director)
    client.force_login(specialist)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert 'id="submit-modal"' in page
    assert f'<option value="{unit_head.pk}" selected>Trần Văn Bob — Trưởng phòng</option>' in page
    assert f'<option value="{director.pk}"' not in page.split('id="submit-modal"')[1].split("</select>")[0]


def test_submitting_through_the_dialog_sends_to_the_chosen_person(client, specialist, unit_head, director):
    document = draft(specialist, director)
    client.force_login(specialist)
    page = _act(client, document, "submit", to=unit_head.pk, comment="Kính trình anh Bob").content.decode()
    assert "Đã trình dự thảo." in page
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.REVIEW, unit_head)
    assert "Đang ở:" in page and "Trần Văn Bob" in page.split('data-testid="holder"')[1][:300]


def test_submitting_to_someone_not_allowed_shows_why_and_changes_nothing(client, specialist, unit_head, director):
    document = draft(specialist, director)
    client.force_login(specialist)
    page = _act(client, document, "submit", to=director.pk).content.decode()
    assert "Không chuyển được cho Lê Thị Carol. Chỉ chọn được: Trần Văn Bob." in page
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.DRAFT, None)


def test_submitting_an_empty_draft_names_what_is_missing(client, specialist, unit_head, cong_van):
    document = services.document_create(by=specialist, doc_type=cong_van, subject="Về việc góp ý dự thảo")
    client.force_login(specialist)
    page = _act(client, document, "submit", to=unit_head.pk).content.decode()
    assert "Chưa trình được: dự thảo còn thiếu nội dung, nơi gửi đến (Kính gửi), người ký." in page
    document.refresh_from_db()
    assert document.state == S.DRAFT


def test_the_unit_head_forwards_to_the_leader_he_picks(client, specialist, unit_head, director, deputy):
    document = draft(specialist, director)
    services.document_submit(document=document, by=specialist)
    client.force_login(unit_head)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert f'<option value="{director.pk}" selected>Lê Thị Carol — Giám đốc</option>' in page
    _act(client, document, "forward", to=deputy.pk)
    document.refresh_from_db()
    assert (document.state, document.pending_with, document.signer) == (S.SIGNING, deputy, deputy)


def test_the_lists_say_who_holds_a_document_and_since_when(client, specialist, unit_head, director):
    document = draft(specialist, director)
    services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    since = document.pending_since.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    client.force_login(specialist)
    drafts = client.get(reverse("directives:drafts")).content.decode()
    holder = drafts.split('data-testid="holder"')[1][:400]
    assert "Trần Văn Bob" in holder and f"từ {since:%H:%M %d/%m/%Y}" in holder
    client.force_login(unit_head)
    desk = client.get(reverse("directives:desk")).content.decode()
    assert f"chờ từ {since:%H:%M %d/%m/%Y}" in desk


def test_the_substitute_signs_through_the_page_thay_the_director(
    client, specialist, unit_head, director, deputy, clerk
):
    today = timezone.localdate()
    unit_services.delegation_create(
        by=director, principal=director, substitute=deputy, starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )  # fmt: skip
    document = draft(specialist, director)
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    client.force_login(deputy)
    waiting = client.get(reverse("directives:waiting")).content.decode()
    assert "thay Lê Thị Carol" in waiting
    detail = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert "thay Lê Thị Carol" in detail and reverse("directives:act", args=[document.pk, "approve"]) in detail
    page = _act(client, document, "approve").content.decode()
    assert 'Trần Văn Frank</strong> <span class="text-muted">(thay Lê Thị Carol)</span> — Ký duyệt' in page
    document.refresh_from_db()
    assert document.state == S.APPROVED


def test_the_clerk_hands_a_waiting_document_to_another_signer(client, specialist, unit_head, director, deputy, clerk):
    document = draft(specialist, director)
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert 'id="hand-over-modal"' in page
    refused = _act(client, document, "hand_over", to=deputy.pk, comment="").content.decode()
    assert "Hãy ghi lý do chuyển người ký." in refused
    _act(client, document, "hand_over", to=deputy.pk, comment="Giám đốc đi công tác đến thứ Sáu")
    document.refresh_from_db()
    assert (document.pending_with, document.signer) == (deputy, deputy)
    assert document.events.filter(action=Event.Action.HANDED_OVER, actor=clerk).exists()


def test_saving_the_edit_form_unchanged_writes_no_revision(client, specialist, director, notice_type, science_unit):
    document = draft(specialist, director, units=[science_unit])
    document.refresh_from_db()
    client.force_login(specialist)
    data = _form_data(
        notice_type, subject=document.subject, body=document.body, signer=director.pk,
        drafting_unit=document.drafting_unit_id, recipient_units=[science_unit.pk], distribution=document.distribution,
    )  # fmt: skip
    page = client.post(reverse("directives:edit", args=[document.pk]), data, follow=True).content.decode()
    assert "Dự thảo không có thay đổi nào nên không lưu thêm bản sửa." in page
    assert document.revisions.count() == 1
    assert not document.events.filter(action=Event.Action.EDITED).exists()


def test_a_leader_sets_his_substitute_on_the_delegation_page(client, director, deputy):
    client.force_login(director)
    assert client.get(reverse("directives:delegations")).status_code == 200
    data = {"substitute": deputy.pk, "starts_on": "2027-03-09", "ends_on": "2027-03-12", "note": "Nghỉ phép"}
    page = client.post(reverse("directives:delegations"), data, follow=True).content.decode()
    assert "Đã đặt người xử lý thay." in page and "09/03/2027 – 12/03/2027" in page
    overlapping = client.post(reverse("directives:delegations"), {**data, "starts_on": "2027-03-12"}).content.decode()
    assert "trùng" in overlapping and 'value="Nghỉ phép"' in overlapping
    backwards = client.post(
        reverse("directives:delegations"), {**data, "starts_on": "2027-04-09", "ends_on": "2027-04-01"}
    )
    assert "Ngày kết thúc không thể trước ngày bắt đầu." in backwards.content.decode()
    assert director.delegations_given.count() == 1
