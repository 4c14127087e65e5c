"""Issue #15, items 1, 6 and 9: the drafter chooses who is next, the document says who holds it and
since when, an incomplete draft is refused with what it lacks named, a save without change leaves
no trace, a substitute acts «thay» a leader on leave, a waiting document changes signer, and
«TL.»/«TUQ.» are signed only by the people the agency authorises."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from directives import permissions, selectors, services
from directives.models import Document, Event, SigningAuthorisation
from lib.errors import DomainError, NotAllowed
from notifications.models import Notification
from tests import factories
from units import services as unit_services
from units.models import Delegation
from units.roles import Role
from units.selectors import principals_of

S = Document.State
TODAY = datetime.date(2027, 3, 10)


@pytest.fixture
def deputy(agency):
    return factories.PersonFactory(
        username="frank", full_name="Trần Văn Frank", agency=agency, roles=[Role.DEPUTY_DIRECTOR], title="Phó Giám đốc"
    )


@pytest.fixture
def second_head(science_unit):
    return factories.PersonFactory(
        username="gina", full_name="Hà Thị Gina", agency=science_unit.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=science_unit, position="Phó Trưởng phòng", is_head=True,
    )  # fmt: skip


@pytest.fixture
def office_head(office):
    return factories.PersonFactory(
        username="hugo", full_name="Lưu Văn Hugo", agency=office.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=office, position="Chánh Văn phòng", is_head=True,
    )  # fmt: skip


# --- 1. the next person is chosen ------------------------------------------------------------


def test_the_drafter_sends_to_the_head_he_chose(make_draft, specialist, unit_head, second_head):
    document = make_draft()
    services.document_submit(document=document, by=specialist, to=second_head)
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.REVIEW, second_head)
    event = document.events.get(action=Event.Action.SUBMITTED)
    assert event.sent_to == second_head
    assert Notification.objects.filter(user=second_head, kind="document_review").exists()
    assert not Notification.objects.filter(user=unit_head, kind="document_review").exists()


def test_the_suggestion_is_the_head_of_the_drafting_unit(make_draft, specialist, unit_head):
    document = make_draft()
    assert permissions.submit_suggestion(specialist, document) == unit_head
    assert list(permissions.submit_choices(specialist, document)) == [unit_head]


@pytest.mark.parametrize("wrong", ["director", "clerk", "outsider", "specialist"])
def test_a_drafter_cannot_send_to_someone_outside_the_allowed(make_draft, specialist, request, wrong):
    """Staff send to their unit's head; a leader, a clerk, someone of another agency or oneself is refused."""
    document = make_draft()
    with pytest.raises(DomainError, match="Chỉ chọn được: Trần Văn Bob") as refused:
        services.document_submit(document=document, by=specialist, to=request.getfixturevalue(wrong))
    if wrong == "outsider":
        assert "Oscar" not in refused.value.message
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.DRAFT, None)
    assert not document.events.filter(action=Event.Action.SUBMITTED).exists()


def test_a_unit_head_sends_straight_to_the_leader_he_chose_who_becomes_the_signer(
    make_draft, unit_head, director, deputy
):
    document = make_draft(by=unit_head)
    assert set(permissions.submit_choices(unit_head, document)) == {director, deputy}
    services.document_submit(document=document, by=unit_head, to=deputy)
    document.refresh_from_db()
    assert (document.state, document.pending_with, document.signer) == (S.SIGNING, deputy, deputy)
    # A deputy signs for the head: the signature block reads «KT. GIÁM ĐỐC».
    assert (document.signing_authority, document.authority_title) == ("KT.", "GIÁM ĐỐC")


def test_the_unit_head_forwards_to_the_signer_he_chose(make_draft, specialist, unit_head, director, deputy):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head, to=deputy, comment="Anh Frank ký thay")
    document.refresh_from_db()
    assert (document.state, document.pending_with, document.signer) == (S.SIGNING, deputy, deputy)
    assert Notification.objects.filter(user=deputy, kind="document_signature").exists()
    assert not Notification.objects.filter(user=director, kind="document_signature").exists()


def test_forwarding_to_someone_who_may_not_sign_is_refused(make_draft, specialist, unit_head, clerk):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    with pytest.raises(DomainError, match="Không chuyển được cho Nguyễn Thị Alice"):
        services.document_forward(document=document, by=unit_head, to=clerk)
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.REVIEW, unit_head)


def test_every_step_records_since_when_the_document_waits(make_draft, specialist, unit_head, director):
    with time_machine.travel(datetime.datetime(2027, 3, 10, 8, 0, tzinfo=datetime.UTC), tick=False):
        document = make_draft()
        services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    assert document.pending_since == datetime.datetime(2027, 3, 10, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2027, 3, 11, 9, 30, tzinfo=datetime.UTC), tick=False):
        services.document_forward(document=document, by=unit_head)
    document.refresh_from_db()
    assert (document.pending_with, document.pending_since) == (
        director,
        datetime.datetime(2027, 3, 11, 9, 30, tzinfo=datetime.UTC),
    )


# --- 6. submit is refused with what is missing named; a save without change leaves no trace ---


def test_an_empty_draft_is_refused_with_every_missing_item_named(specialist, unit_head, cong_van, science_unit):
    document = services.document_create(by=specialist, doc_type=cong_van, subject="Về việc báo cáo")
    with pytest.raises(DomainError) as refused:
        services.document_submit(document=document, by=specialist)
    assert refused.value.message == ("Chưa trình được: dự thảo còn thiếu nội dung, nơi gửi đến (Kính gửi), người ký.")
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.DRAFT, None)
    assert not Notification.objects.filter(user=unit_head).exists()


def test_an_authority_word_needs_the_heads_title(make_draft, specialist, deputy):
    document = make_draft(signer=deputy, signing_authority="KT.", authority_title="")
    with pytest.raises(DomainError, match="chức danh thủ trưởng sau «KT.»"):
        services.document_submit(document=document, by=specialist)


def test_a_typed_document_may_name_its_receivers_in_the_distribution_list(make_draft, specialist):
    document = make_draft(recipient_units=[], distribution="UBND tỉnh (b/c);\nLưu: VT, VP.")
    services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    assert document.state == S.REVIEW


def test_a_save_without_change_writes_no_event_and_no_revision(make_draft, specialist, science_unit):
    document = make_draft()
    recipient = list(document.recipients.values_list("unit_id", flat=True))
    saved = services.document_update(
        document=document, by=specialist, subject=document.subject, body=document.body,
        recipient_units=[science_unit], references=[],
    )  # fmt: skip
    assert saved.was_changed is False
    assert document.revisions.count() == 1
    assert not document.events.filter(action=Event.Action.EDITED).exists()
    assert list(document.recipients.values_list("unit_id", flat=True)) == recipient
    services.document_update(document=document, by=specialist, subject="Trích yếu mới")
    assert document.revisions.count() == 2
    assert document.events.filter(action=Event.Action.EDITED).count() == 1


# --- 9. delegation --------------------------------------------------------------------------------


@pytest.fixture
def on_leave(director, deputy):
    """carol is on leave from 9 to 12 March 2027; frank stands in for her."""
    return unit_services.delegation_create(
        by=director, principal=director, substitute=deputy, starts_on=datetime.date(2027, 3, 9),
        ends_on=datetime.date(2027, 3, 12), note="Nghỉ phép",
    )  # fmt: skip


def test_principals_of_names_whom_a_substitute_stands_in_for_that_day(on_leave, director, deputy):
    assert list(principals_of(deputy, TODAY)) == [director]
    assert list(principals_of(deputy, datetime.date(2027, 3, 13))) == []
    assert list(principals_of(director, TODAY)) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"substitute": "director"}, "chính mình"),
        ({"substitute": "outsider"}, "cùng cơ quan"),
        ({"substitute": "specialist"}, "quyền ký"),
        ({"ends_on": datetime.date(2027, 3, 1)}, "trước ngày bắt đầu"),
        ({"starts_on": datetime.date(2027, 3, 12), "ends_on": datetime.date(2027, 3, 20)}, "trùng"),
    ],
)
def test_a_delegation_is_validated(on_leave, director, deputy, request, change, message):
    fields = {"starts_on": datetime.date(2027, 4, 1), "ends_on": datetime.date(2027, 4, 5), "substitute": deputy}
    fields.update({k: request.getfixturevalue(v) if isinstance(v, str) else v for k, v in change.items()})
    with pytest.raises(ValidationError, match=message):
        unit_services.delegation_create(by=director, principal=director, **fields)
    assert Delegation.objects.count() == 1


def test_only_the_principal_or_an_administrator_sets_a_delegation(director, deputy, unit_head, administrator):
    with pytest.raises(NotAllowed):
        unit_services.delegation_create(
            by=unit_head, principal=director, substitute=deputy, starts_on=TODAY, ends_on=TODAY
        )
    unit_services.delegation_create(
        by=administrator, principal=director, substitute=deputy, starts_on=TODAY, ends_on=TODAY
    )
    assert Delegation.objects.count() == 1


@time_machine.travel(datetime.datetime(2027, 3, 10, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_the_substitute_sees_and_signs_what_waits_for_the_leader(
    on_leave, make_draft, specialist, unit_head, director, deputy, clerk
):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    assert Notification.objects.filter(user=deputy, kind="document_signature", message__contains="thay Lê Thị Carol")
    waiting = list(selectors.documents_waiting_for(user=deputy))
    assert [(d.pk, d.acting_for_name) for d in waiting] == [(document.pk, "Lê Thị Carol")]
    document.refresh_from_db()
    assert permissions.can_approve(deputy, document)
    services.document_approve(document=document, by=deputy)
    document.refresh_from_db()
    assert document.state == S.APPROVED
    # The substitute signs in his own name, for the head.
    assert (document.signer, document.signing_authority, document.authority_title) == (deputy, "KT.", "GIÁM ĐỐC")
    event = document.events.get(action=Event.Action.APPROVED)
    assert (event.actor, event.acting_for) == (deputy, director)
    assert event.comment.startswith("Ký thay Lê Thị Carol.")


@time_machine.travel(datetime.datetime(2027, 3, 20, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_after_the_period_the_substitute_has_nothing_of_the_leaders(
    on_leave, make_draft, specialist, unit_head, deputy
):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    assert not selectors.documents_waiting_for(user=deputy).exists()
    with pytest.raises(NotAllowed):
        services.document_approve(document=document, by=deputy)


# --- hand-over -----------------------------------------------------------------------------------


@pytest.fixture
def signing(make_draft, specialist, unit_head):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("by", ["clerk", "director"])
def test_a_waiting_document_is_handed_to_another_signer(signing, director, deputy, request, by):
    services.document_hand_over(
        document=signing, by=request.getfixturevalue(by), to=deputy, note="Giám đốc đi công tác"
    )
    signing.refresh_from_db()
    assert (signing.state, signing.pending_with, signing.signer) == (S.SIGNING, deputy, deputy)
    event = signing.events.get(action=Event.Action.HANDED_OVER)
    assert event.sent_to == deputy and "Giám đốc đi công tác" in event.comment
    assert Notification.objects.filter(user=deputy, kind="document_signature").exists()
    assert not selectors.documents_waiting_for(user=director).exists()
    assert list(selectors.documents_waiting_for(user=deputy)) == [signing]


@pytest.mark.parametrize("by", ["specialist", "unit_head", "deputy", "outsider"])
def test_only_the_clerk_or_the_signer_hands_over(signing, deputy, request, by):
    with pytest.raises(NotAllowed):
        services.document_hand_over(document=signing, by=request.getfixturevalue(by), to=deputy, note="Lý do")
    signing.refresh_from_db()
    assert signing.pending_with.username == "carol"


def test_hand_over_needs_a_note_and_a_signer(signing, clerk, deputy, unit_head):
    with pytest.raises(DomainError, match="lý do"):
        services.document_hand_over(document=signing, by=clerk, to=deputy, note=" ")
    with pytest.raises(DomainError, match="Chỉ chọn được: Trần Văn Frank"):
        services.document_hand_over(document=signing, by=clerk, to=unit_head, note="Lý do")
    signing.refresh_from_db()
    assert signing.pending_with.username == "carol"


# --- TL. / TUQ. --------------------------------------------------------------------------------


def test_tl_is_refused_for_someone_the_agency_has_not_authorised(make_draft, office_head):
    with pytest.raises(DomainError, match="Ký «TL.» chỉ dành cho người được cơ quan giao ký thừa lệnh"):
        make_draft(signer=office_head, signing_authority="TL.", authority_title="GIÁM ĐỐC")
    assert not Document.objects.exists()


def test_an_authorised_person_signs_tl_and_the_pdf_prints_the_authority(
    make_draft, specialist, unit_head, office_head, agency
):
    from directives import official_pdf
    from tests.directives.test_official_pdf import text_of

    SigningAuthorisation.objects.create(agency=agency, user=office_head, authority="TL.", title="Chánh Văn phòng")
    document = make_draft(signer=office_head, signing_authority="TL.", authority_title="GIÁM ĐỐC")
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head, to=office_head)
    services.document_approve(document=document, by=office_head)
    document.refresh_from_db()
    text = text_of(official_pdf.draft_pdf(document))
    assert "TL. GIÁM ĐỐC" in text and "CHÁNH VĂN PHÒNG" in text and "Lưu Văn Hugo" in text


def test_a_delegation_and_a_tl_authorisation_go_to_the_audit_trail(on_leave, agency, office_head):
    from audit.models import AuditRecord

    SigningAuthorisation.objects.create(agency=agency, user=office_head, authority="TL.", title="Chánh Văn phòng")
    recorded = set(AuditRecord.objects.values_list("object_type", "agency_id"))
    assert {("units.delegation", agency.pk), ("directives.signingauthorisation", agency.pk)} <= recorded
