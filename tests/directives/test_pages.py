"""The document pages: who sees what, what each action does, and what must never happen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import services
from directives.models import Document, DocumentType
from lib.errors import DomainError
from tests import factories, uploads


def draft(author, signer, *, subject="Thông báo về công tác phòng chống dịch", units=(), **fields):
    # A draft complete enough to submit: body, signer and a Nơi nhận (issue #15, item 6).
    fields.setdefault("distribution", "Như trên;\nLưu: VT, VP.")
    return services.document_create(
        by=author,
        doc_type=DocumentType.objects.get(abbreviation="TB"),
        subject=subject,
        body="<p>Nội dung <strong>quan trọng</strong></p>",
        signer=signer,
        recipient_units=units,
        **fields,
    )


def issued(author, signer, clerk, **kwargs):
    """A document taken through the whole workflow with the services."""
    document = draft(author, signer, **kwargs)
    services.document_submit(document=document, by=author)
    document.refresh_from_db()
    if document.state == Document.State.REVIEW:
        services.document_forward(document=document, by=document.pending_with)
    services.document_approve(document=document, by=signer)
    return services.document_issue(document=document, by=clerk)


@pytest.fixture
def signing(specialist, unit_head, director):
    """Dave's draft, reviewed by Bob, now waiting for Carol's signature."""
    document = draft(specialist, director)
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    return document


# --- pages render for the right persona -------------------------------------------------


def test_the_clerk_desk_shows_what_waits_for_issue(client, clerk, specialist, unit_head, director, signing):
    services.document_approve(document=signing, by=director)
    client.force_login(clerk)
    page = client.get(reverse("directives:desk")).content.decode()
    assert 'data-testid="start-page"' in page
    assert "Chờ phát hành" in page
    assert "Vào sổ văn bản đến" in page
    assert signing.subject in page


def test_the_director_desk_shows_what_waits_for_signature(client, director, signing):
    client.force_login(director)
    page = client.get(reverse("directives:desk")).content.decode()
    assert "Chờ tôi ký" in page
    assert signing.subject in page


@pytest.mark.parametrize("name", ["desk", "outgoing", "incoming", "drafts", "waiting", "inbox", "search", "create"])
def test_every_list_page_renders(client, specialist, name):
    client.force_login(specialist)
    assert client.get(reverse(f"directives:{name}")).status_code == 200


def test_detail_revisions_and_edit_render_for_the_author(client, specialist, director):
    document = draft(specialist, director)
    services.document_update(document=document, by=specialist, subject="Thông báo đã sửa trích yếu")
    client.force_login(specialist)
    detail = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert "Dự thảo" in detail and "Thông báo đã sửa trích yếu" in detail
    assert reverse("directives:act", args=[document.pk, "submit"]) in detail
    assert client.get(reverse("directives:edit", args=[document.pk])).status_code == 200
    revisions = client.get(reverse("directives:revisions", args=[document.pk])).content.decode()
    assert "<del>" in revisions and "<ins>" in revisions


def test_revision_diff_escapes_what_people_typed(client, specialist, director):
    document = draft(specialist, director, subject="Trích yếu cũ")
    services.document_update(document=document, by=specialist, subject="Trích yếu <b>mới</b>")
    client.force_login(specialist)
    page = client.get(reverse("directives:revisions", args=[document.pk])).content.decode()
    assert "&lt;b&gt;mới&lt;/b&gt;" in page


# --- the outsider sees nothing -------------------------------------------------------------


def test_the_outsider_gets_404_everywhere(client, specialist, director, outsider):
    document = draft(specialist, director)
    attachment = services.attachment_add(
        document=document, by=specialist, file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test")
    )
    client.force_login(outsider)
    assert client.get(reverse("directives:detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("directives:revisions", args=[document.pk])).status_code == 404
    assert client.get(reverse("directives:edit", args=[document.pk])).status_code == 404
    assert client.get(reverse("directives:attachment", args=[document.pk, attachment.pk])).status_code == 404
    response = client.post(reverse("directives:act", args=[document.pk, "submit"]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT


def test_the_author_downloads_an_attachment_under_its_own_name(client, specialist, director):
    document = draft(specialist, director)
    attachment = services.attachment_add(
        document=document, by=specialist, file=SimpleUploadedFile("Kế hoạch.pdf", b"%PDF-1.4 test")
    )
    client.force_login(specialist)
    response = client.get(reverse("directives:attachment", args=[document.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]


# --- actions ------------------------------------------------------------------------------


def test_a_specialist_cannot_approve_and_nothing_changes(client, specialist, signing):
    client.force_login(specialist)
    response = client.post(reverse("directives:act", args=[signing.pk, "approve"]))
    assert response.status_code == 403
    assert "Chỉ lãnh đạo được trình ký mới ký duyệt" in response.content.decode()
    signing.refresh_from_db()
    assert signing.state == Document.State.SIGNING


def test_actions_are_post_only_and_unknown_ones_404(client, director, signing):
    client.force_login(director)
    assert client.get(reverse("directives:act", args=[signing.pk, "approve"])).status_code == 405
    assert client.post(reverse("directives:act", args=[signing.pk, "explode"])).status_code == 404


def test_the_workflow_through_the_pages(client, specialist, unit_head, director, clerk, science_unit):
    document = draft(specialist, director, units=[science_unit])
    for user, action in [(specialist, "submit"), (unit_head, "forward"), (director, "approve"), (clerk, "issue")]:
        client.force_login(user)
        response = client.post(reverse("directives:act", args=[document.pk, action]))
        assert response.status_code == 302, action
    document.refresh_from_db()
    assert document.state == Document.State.ISSUED
    assert document.symbol == "01/TB-SKHCN"
    page = client.get(response["Location"]).content.decode()
    assert "Đã phát hành văn bản số 01/TB-SKHCN" in page
    assert "Đã đọc 0/2" in page


def test_returning_without_a_comment_shows_the_reason_and_changes_nothing(client, director, signing):
    client.force_login(director)
    response = client.post(reverse("directives:act", args=[signing.pk, "return"]), {"comment": " "}, follow=True)
    assert "Hãy ghi lý do trả lại" in response.content.decode()
    signing.refresh_from_db()
    assert signing.state == Document.State.SIGNING
    client.post(reverse("directives:act", args=[signing.pk, "return"]), {"comment": "Sửa mục 2"})
    signing.refresh_from_db()
    assert signing.state == Document.State.RETURNED


def test_a_correction_opens_a_new_draft(client, specialist, unit_head, director, clerk):
    document = issued(specialist, director, clerk)
    client.force_login(clerk)
    response = client.post(reverse("directives:act", args=[document.pk, "correct"]))
    correction = Document.objects.get(related_to=document)
    assert response["Location"] == reverse("directives:edit", args=[correction.pk])
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert "Đính chính" in page


# --- search and lists ------------------------------------------------------------------------


def test_search_ignores_diacritics(client, specialist, director):
    draft(specialist, director, subject="Tăng cường cách ly y tế")
    draft(specialist, director, subject="Kế hoạch kiểm tra")
    client.force_login(specialist)
    page = client.get(reverse("directives:search"), {"q": "cach ly"}).content.decode()
    assert "Tăng cường cách ly y tế" in page
    assert "Kế hoạch kiểm tra" not in page


def test_the_inbox_shows_unread_then_read(client, specialist, unit_head, director, clerk, science_unit):
    document = issued(specialist, director, clerk, units=[science_unit])
    client.force_login(unit_head)
    page = client.get(reverse("directives:inbox")).content.decode()
    assert "row-unread" in page and "Chưa đọc" in page
    client.get(reverse("directives:detail", args=[document.pk]))
    page = client.get(reverse("directives:inbox")).content.decode()
    assert document.subject in page
    assert "row-unread" not in page


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("directives:outgoing", {}),
        ("directives:inbox", {}),
        ("directives:search", {"q": "thong bao"}),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, specialist, unit_head, director, clerk, science_unit, url, params
):
    client.force_login(unit_head)
    issued(specialist, director, clerk, units=[science_unit])
    full_url = reverse(url) + ("?q=" + params["q"] if params else "")
    client.get(full_url)  # warm caches that are not per-row (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(full_url)
    for _ in range(19):
        issued(specialist, director, clerk, units=[science_unit])
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(full_url).content.decode()
    assert page.count('data-testid="document-row"') == 20


# --- the draft form ----------------------------------------------------------------------------


def _form_data(notice_type, **overrides):
    data = {
        "doc_type": notice_type.pk,
        "subject": "Thông báo lịch họp giao ban",
        "body": "<p>Nội dung</p>",
        "urgency": "",
        "confidentiality": "",
        "signing_authority": "",
        "authority_title": "",
        "distribution": "Như trên\nLưu: VT, VP",
        "ref-TOTAL_FORMS": "1",
        "ref-INITIAL_FORMS": "0",
        "ref-MIN_NUM_FORMS": "0",
        "ref-MAX_NUM_FORMS": "1000",
        "ref-0-target": "",
        "ref-0-doc_type": "",
        "ref-0-symbol": "",
        "ref-0-issued_on": "",
        "ref-0-issuer": "",
    }
    data.update(overrides)
    return data


def test_an_empty_subject_shows_a_vietnamese_error_and_creates_nothing(client, specialist, notice_type):
    client.force_login(specialist)
    response = client.post(reverse("directives:create"), _form_data(notice_type, subject=""))
    assert response.status_code == 200
    assert "Hãy nhập trích yếu của văn bản." in response.content.decode()
    assert not Document.objects.exists()


def test_a_draft_is_created_with_references_recipients_and_files(
    client, specialist, director, science_unit, notice_type
):
    client.force_login(specialist)
    response = client.post(
        reverse("directives:create"),
        _form_data(
            notice_type,
            signer=director.pk,
            recipient_units=[science_unit.pk],
            **{"ref-0-symbol": "2593/UBND-YT", "ref-0-issued_on": "2020-03-31", "ref-0-issuer": "UBND tỉnh"},
            files=[uploads.pdf("a.pdf"), uploads.docx("b.docx")],
        ),
    )
    document = Document.objects.get()
    assert response["Location"] == reverse("directives:detail", args=[document.pk])
    assert document.signer == director
    assert [r.unit for r in document.recipients.all()] == [science_unit]
    assert document.references.get().symbol == "2593/UBND-YT"
    assert sorted(a.name for a in document.attachments.all()) == ["a.pdf", "b.docx"]


def test_a_failing_attachment_undoes_the_draft(client, specialist, notice_type, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("Tệp quá lớn.")

    monkeypatch.setattr(services, "attachment_add", refuse)
    client.force_login(specialist)
    response = client.post(reverse("directives:create"), _form_data(notice_type, files=[uploads.pdf("a.pdf")]))
    assert response.status_code == 200
    assert "Tệp quá lớn." in response.content.decode()
    assert not Document.objects.exists()


def test_pasted_scripts_are_removed_and_the_editor_shows_the_clean_body(client, specialist, notice_type):
    client.force_login(specialist)
    client.post(
        reverse("directives:create"),
        _form_data(notice_type, body='<p>Giữ <b>đậm</b></p><script>alert(1)</script><p onclick="x()">Hai</p>'),
    )
    document = Document.objects.get()
    assert "<script" not in document.body and "onclick" not in document.body
    assert "<b>đậm</b>" in document.body
    page = client.get(reverse("directives:edit", args=[document.pk])).content.decode()
    assert "alert(1)" not in page


# --- incoming and routing -----------------------------------------------------------------------


def _incoming_data(sender, notice_type, **overrides):
    return {
        "sender": sender.pk,
        "symbol": "2593/UBND-YT",
        "issued_on": "2020-03-31",
        "doc_type": notice_type.pk,
        "subject": "Về việc tăng cường phòng chống dịch",
        "urgency": "khan",
        "confidentiality": "",
        "received_on": "2020-04-02",
        **overrides,
    }


def test_the_clerk_registers_incoming_and_is_warned_of_duplicates(client, clerk, notice_type, director):
    sender = factories.OrganisationFactory(name="UBND tỉnh")
    client.force_login(clerk)
    response = client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type), follow=True)
    assert "Số đến: 1" in response.content.decode()
    response = client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type))
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in response.content.decode()
    assert Document.objects.filter(direction="incoming").count() == 1
    client.post(reverse("directives:incoming_register"), _incoming_data(sender, notice_type, confirm_duplicate="on"))
    assert Document.objects.filter(direction="incoming").count() == 2


def test_only_the_clerk_registers_incoming(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("directives:incoming_register")).status_code == 403


def test_the_director_routes_an_incoming_document(client, clerk, director, notice_type, science_unit, office):
    document = services.incoming_register(
        by=clerk,
        sender=factories.OrganisationFactory(),
        symbol="12/UBND",
        issued_on=None,
        doc_type=notice_type,
        subject="Văn bản đến",
    )
    client.force_login(director)
    assert "Phân công xử lý" in client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    response = client.post(
        reverse("directives:route", args=[document.pk]),
        {"note": "Giao QLKH chủ trì", "lead_unit": science_unit.pk, "cooperating_units": [office.pk]},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == Document.State.ROUTED
    client.force_login(clerk)
    assert client.get(reverse("directives:route", args=[document.pk])).status_code == 403


def test_a_deadline_in_the_past_is_refused(client, clerk, director, notice_type, science_unit):
    document = services.incoming_register(
        by=clerk,
        sender=factories.OrganisationFactory(),
        symbol="1/X",
        issued_on=None,
        doc_type=notice_type,
        subject="Văn bản đến",
    )
    client.force_login(director)
    response = client.post(
        reverse("directives:route", args=[document.pk]),
        {"note": "Giao", "lead_unit": science_unit.pk, "deadline": "2000-01-01"},
    )
    assert "Hạn xử lý không thể trước hôm nay." in response.content.decode()
    document.refresh_from_db()
    assert document.state == Document.State.REGISTERED
