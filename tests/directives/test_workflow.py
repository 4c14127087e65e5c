"""Draft → unit head → signature → approved → issued, each step only for the right person."""

import pytest

from directives import services
from directives.models import Document, Event
from lib.errors import DomainError, NotAllowed
from notifications.models import Notification

S = Document.State


def test_the_whole_journey_records_who_did_what(make_draft, specialist, unit_head, director, clerk, science_unit):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.REVIEW, unit_head)
    services.document_forward(document=document, by=unit_head, comment="Đồng ý, trình Giám đốc")
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.SIGNING, director)
    services.document_approve(document=document, by=director)
    services.document_issue(document=document, by=clerk)
    document.refresh_from_db()
    assert document.state == S.ISSUED and document.symbol.endswith("/TB-SKHCN")
    actions = list(document.events.values_list("action", "actor__username"))
    assert actions == [
        (Event.Action.CREATED, "dave"),
        (Event.Action.SUBMITTED, "dave"),
        (Event.Action.FORWARDED, "bob"),
        (Event.Action.APPROVED, "carol"),
        (Event.Action.ISSUED, "alice"),
    ]
    assert document.deliveries.filter(unit=science_unit).exists()


def test_each_step_notifies_the_next_person(make_draft, specialist, unit_head, director, clerk):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    assert Notification.objects.filter(user=unit_head, kind="document_review").exists()
    services.document_forward(document=document, by=unit_head)
    assert Notification.objects.filter(user=director, kind="document_signature").exists()
    services.document_approve(document=document, by=director)
    assert Notification.objects.filter(user=clerk, kind="document_approved").exists()
    services.document_issue(document=document, by=clerk)
    assert Notification.objects.filter(user=unit_head, kind="document_received").exists()


def test_each_notification_is_also_e_mailed_after_commit(
    make_draft, specialist, unit_head, mailoutbox, django_capture_on_commit_callbacks
):
    document = make_draft()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_submit(document=document, by=specialist)
    assert [m.to for m in mailoutbox] == [[unit_head.email]]
    assert "chờ anh/chị duyệt" in mailoutbox[0].subject
    assert f"/directives/{document.pk}/" in mailoutbox[0].body


@pytest.mark.parametrize("wrong", ["unit_head", "director", "clerk", "outsider"])
def test_only_the_author_submits(make_draft, request, wrong):
    document = make_draft()
    with pytest.raises(NotAllowed):
        services.document_submit(document=document, by=request.getfixturevalue(wrong))
    document.refresh_from_db()
    assert document.state == S.DRAFT


@pytest.mark.parametrize("wrong", ["specialist", "director", "clerk", "outsider"])
def test_only_the_unit_head_forwards(make_draft, specialist, request, wrong):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    with pytest.raises(NotAllowed):
        services.document_forward(document=document, by=request.getfixturevalue(wrong))
    document.refresh_from_db()
    assert document.state == S.REVIEW


@pytest.mark.parametrize("wrong", ["specialist", "unit_head", "clerk", "outsider"])
def test_only_the_signer_approves(make_draft, specialist, unit_head, request, wrong):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    with pytest.raises(NotAllowed):
        services.document_approve(document=document, by=request.getfixturevalue(wrong))
    document.refresh_from_db()
    assert document.state == S.SIGNING


@pytest.mark.parametrize("wrong", ["specialist", "unit_head", "director", "outsider"])
def test_only_the_clerk_issues(make_approved, request, wrong):
    document = make_approved()
    with pytest.raises(NotAllowed):
        services.document_issue(document=document, by=request.getfixturevalue(wrong))
    document.refresh_from_db()
    assert document.state == S.APPROVED and document.number is None


def test_a_draft_cannot_be_issued_before_it_is_signed(make_draft, clerk):
    document = make_draft()
    with pytest.raises(NotAllowed):
        services.document_issue(document=document, by=clerk)


def test_returned_draft_goes_back_to_its_author_with_the_comment(make_draft, specialist, unit_head, director):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    services.document_return(document=document, by=director, comment="Bổ sung thời hạn thực hiện")
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.RETURNED, specialist)
    notice = Notification.objects.get(user=specialist, kind="document_returned")
    assert "Bổ sung thời hạn thực hiện" in notice.message
    # The author edits and submits again.
    services.document_update(document=document, by=specialist, subject="Triển khai nhiệm vụ, có thời hạn")
    services.document_submit(document=document, by=specialist)
    document.refresh_from_db()
    assert document.state == S.REVIEW


def test_return_needs_a_comment(make_draft, specialist, unit_head):
    document = make_draft()
    services.document_submit(document=document, by=specialist)
    with pytest.raises(DomainError, match="lý do"):
        services.document_return(document=document, by=unit_head, comment="  ")
    document.refresh_from_db()
    assert document.state == S.REVIEW


def test_a_unit_head_author_goes_straight_to_signature(make_draft, unit_head, director):
    document = make_draft(by=unit_head)
    services.document_submit(document=document, by=unit_head)
    document.refresh_from_db()
    assert (document.state, document.pending_with) == (S.SIGNING, director)


def test_the_signer_must_lead_the_agency(make_draft, unit_head):
    with pytest.raises(DomainError, match="Người ký"):
        make_draft(signer=unit_head)
    assert not Document.objects.exists()


def test_every_save_keeps_a_revision(make_draft, specialist):
    document = make_draft(subject="Bản đầu")
    services.document_update(document=document, by=specialist, subject="Bản hai")
    services.document_update(document=document, by=specialist, body="<p>Nội dung mới</p>")
    subjects = list(document.revisions.order_by("number").values_list("number", "content__subject"))
    assert subjects == [(1, "Bản đầu"), (2, "Bản hai"), (3, "Bản hai")]
    assert document.revisions.get(number=3).content["body"] == "<p>Nội dung mới</p>"


def test_only_the_author_edits_a_draft(make_draft, unit_head):
    document = make_draft()
    with pytest.raises(NotAllowed):
        services.document_update(document=document, by=unit_head, subject="Sửa trộm")
    document.refresh_from_db()
    assert document.subject != "Sửa trộm"


def test_body_is_sanitised(make_draft):
    document = make_draft(body='<p style="color:red" onclick="x()">Nội <b>dung</b></p><script>alert(1)</script>')
    assert document.body == "<p>Nội <b>dung</b></p>"


def test_recall_is_a_new_draft_pointing_to_the_issued_document(make_approved, clerk):
    issued = services.document_issue(document=make_approved(), by=clerk)
    recall = services.document_follow_up(document=issued, by=clerk, relation=Document.Relation.RECALLS)
    assert recall.state == S.DRAFT and recall.related_to == issued
    assert recall.references.get().target == issued
    issued.refresh_from_db()
    assert issued.state == S.ISSUED


def test_an_issued_document_cannot_be_changed_through_the_admin(make_approved, clerk, admin_client):
    issued = services.document_issue(document=make_approved(), by=clerk)
    url = f"/admin/directives/document/{issued.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="document_form"')[-1]
    response = admin_client.post(url, {"subject": "Sửa qua trang quản trị", "state": "draft"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/directives/document/{issued.pk}/delete/", {"post": "yes"}).status_code == 403
    issued.refresh_from_db()
    assert (issued.subject, issued.state) == ("Triển khai nhiệm vụ khoa học năm 2027", Document.State.ISSUED)


def test_an_issued_document_cannot_be_edited_by_the_service(make_approved, clerk, specialist):
    issued = services.document_issue(document=make_approved(), by=clerk)
    with pytest.raises(DomainError, match="đã phát hành"):
        services.document_update(document=issued, by=specialist, subject="Sửa sau khi phát hành")
    issued.refresh_from_db()
    assert issued.subject == "Triển khai nhiệm vụ khoa học năm 2027"
