"""The exchange's screens (issue #18): the arrivals a clerk accepts or refuses, the recall she
answers, and the sender's «Liên thông» panel on the document page. Every action is taken by
posting the page's own form as the page rendered it."""

import datetime
import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directives import services as documents
from directives.models import Document
from exchange import edxml
from exchange.models import Outgoing, Received, StatusLog
from tests import factories, uploads
from tests.uploads import form_fields
from units.roles import Role

SENDER_ID, OUR_ID = "H37.DN.002", "H37.DN.001"
SUBJECT = "Đề nghị phối hợp kiểm tra an toàn thực phẩm dịp Tết Nguyên đán năm 2027 tại các chợ đầu mối"


def package_bytes(*, subject=SUBJECT, document_id="SCT-12", files=(("Công văn 12.pdf", uploads.PDF),)) -> bytes:
    package = edxml.Package(
        from_=edxml.Party(SENDER_ID, "Sở Công Thương"),
        to=[edxml.Party(OUR_ID, "Sở Khoa học và Công nghệ")],
        document_id=document_id,
        code_number="12",
        code_notation="SCT-KH",
        promulgation_date=datetime.date(2026, 11, 30),
        doc_type="Công văn",
        subject=subject,
        signer=edxml.Signer("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Ký"),
        attachments=[
            edxml.Attachment(str(n), name, "application/pdf", data) for n, (name, data) in enumerate(files, 1)
        ],
    )
    return edxml.package_build(package)


def make_arrival(agency, *, n=1, subject=SUBJECT, state=Received.State.WAITING, signatures=None, **fields) -> Received:
    """An arrival as the transports store it: the package's bytes and its copied fields."""
    data = fields.pop("data", None) or package_bytes(subject=subject, document_id=f"SCT-{n}")
    values = {
        "agency": agency, "state": state, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
        "shape": "qcvn102", "transport": "local", "sender_exchange_id": SENDER_ID,
        "package_document_id": f"SCT-{n}", "sender_name": "Sở Công Thương", "symbol": "12/SCT-KH",
        "issued_on": datetime.date(2026, 11, 30), "doc_type_name": "Công văn", "subject": subject,
        "signatures": signatures if signatures is not None else [{"name": "Công văn 12.pdf", "signatures": []}],
    }  # fmt: skip
    values.update(fields)
    arrival = Received(**values)
    arrival.package.save("goi-tin.xml", ContentFile(data), save=False)
    arrival.save()
    return arrival


def form_of(page: str, action: str) -> dict:
    """What the browser posts from the form whose action is ``action``, as rendered."""
    match = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert match, f"no form posting to {action}"
    assert "novalidate" in match.group(0)[: match.group(0).index(">")]
    return form_fields(match.group(1))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def ours(agency):
    agency.exchange_id = OUR_ID
    agency.save(update_fields=["exchange_id"])
    return agency


@pytest.fixture
def trade_clerk(outsider):
    agency = outsider.agency
    agency.exchange_id = SENDER_ID
    agency.save(update_fields=["exchange_id"])
    return factories.PersonFactory(
        username="olga", full_name="Phạm Thị Olga", agency=agency, roles=[Role.CLERK, Role.STAFF],
        unit=agency.units.first(), position="Văn thư",
    )  # fmt: skip


@pytest.fixture
def waiting(ours):
    return make_arrival(ours)


# --- «Văn bản liên thông» -------------------------------------------------------------------------


def test_the_list_shows_the_waiting_arrivals_oldest_first_with_their_columns(client, clerk, ours):
    older = make_arrival(ours, n=1, subject="Công văn cũ hơn")
    newer = make_arrival(ours, n=2, subject=SUBJECT)
    Received.objects.filter(pk=older.pk).update(received_at=timezone.now() - datetime.timedelta(days=1))
    make_arrival(ours, n=3, subject="Đã từ chối trước đó", state=Received.State.REFUSED)
    client.force_login(clerk)
    page = client.get(reverse("exchange:arrivals")).content.decode()
    assert page.count('data-testid="arrival-row"') == 2
    assert page.index("Công văn cũ hơn") < page.index(reverse("exchange:arrival", args=[newer.pk]))
    assert "Đã từ chối trước đó" not in page
    for shown in ("Sở Công Thương", "12/SCT-KH", "30/11/2026", "Công văn", "Chờ tiếp nhận"):
        assert shown in page
    assert "Đề nghị phối hợp kiểm tra an toàn thực phẩm dịp Tết Nguyên đán năm 2027 tại các chợ đầu mối" in page
    assert 'data-testid="tab-waiting-count">2<' in page


def test_the_tabs_show_the_refused_accepted_and_recalled_arrivals(client, clerk, ours):
    make_arrival(ours, n=1, subject="Gói bị từ chối", state=Received.State.REFUSED, reason="Sai nơi nhận")
    make_arrival(ours, n=2, subject="Gói được yêu cầu lấy lại", state=Received.State.ACCEPTED, recall="asked")
    client.force_login(clerk)
    refused = client.get(reverse("exchange:arrivals") + "?tab=refused").content.decode()
    assert "Gói bị từ chối" in refused and "Gói được yêu cầu lấy lại" not in refused
    recall = client.get(reverse("exchange:arrivals") + "?tab=recall").content.decode()
    assert "Gói được yêu cầu lấy lại" in recall and "Nơi gửi yêu cầu lấy lại" in recall
    accepted = client.get(reverse("exchange:arrivals") + "?tab=accepted").content.decode()
    assert "Gói được yêu cầu lấy lại" in accepted and "Gói bị từ chối" not in accepted


def test_a_long_subject_is_shortened_in_the_list_only(client, clerk, ours):
    long_subject = "Về việc " + "tăng cường kiểm tra " * 20
    arrival = make_arrival(ours, subject=long_subject)
    client.force_login(clerk)
    page = client.get(reverse("exchange:arrivals")).content.decode()
    assert "…</a>" in page
    detail = client.get(reverse("exchange:arrival", args=[arrival.pk])).content.decode()
    assert long_subject.strip() in detail


def test_the_list_runs_the_same_queries_for_one_row_and_twenty(client, clerk, ours):
    make_arrival(ours, n=1)
    client.force_login(clerk)
    url = reverse("exchange:arrivals")
    client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 21):
        make_arrival(ours, n=n)
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(url).content.decode()
    assert page.count('data-testid="arrival-row"') == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_only_the_agency_clerks_have_the_list_and_see_only_their_agency(client, clerk, specialist, ours, trade_clerk):
    make_arrival(ours)
    client.force_login(specialist)
    assert client.get(reverse("exchange:arrivals")).status_code == 403
    client.force_login(trade_clerk)
    page = client.get(reverse("exchange:arrivals")).content.decode()
    assert 'data-testid="arrival-row"' not in page


def test_the_waiting_count_is_in_the_menu_the_desk_and_the_incoming_register(client, clerk, specialist, ours):
    make_arrival(ours, n=1)
    make_arrival(ours, n=2)
    client.force_login(clerk)
    desk = client.get(reverse("directives:desk")).content.decode()
    assert reverse("exchange:waiting_badge") in desk  # the menu fetches its badge after the page
    badge = client.get(reverse("exchange:waiting_badge")).content.decode()
    assert re.search(r'data-testid="exchange-waiting"[^>]*>2<', badge)
    assert "Có 2 văn bản liên thông chờ tiếp nhận." in desk
    register = client.get(reverse("directives:incoming_register")).content.decode()
    assert "Có 2 văn bản liên thông chờ tiếp nhận." in register
    assert reverse("exchange:arrivals") in register
    client.force_login(specialist)
    assert 'data-testid="exchange-waiting"' not in client.get(reverse("exchange:waiting_badge")).content.decode()
    assert reverse("exchange:waiting_badge") not in client.get(reverse("directives:desk")).content.decode()


# --- The arrival's page --------------------------------------------------------------------------


def test_the_arrival_page_shows_the_fields_as_sent_the_files_and_their_signatures(client, clerk, ours):
    signature = {"signer": "Trần Văn Ký", "signed_at": "30/11/2026 09:00", "intact": True, "trusted": True,
                 "valid": True, "covers_whole_file": True}  # fmt: skip
    arrival = make_arrival(ours, signatures=[{"name": "Công văn 12.pdf", "signatures": [signature]}])
    client.force_login(clerk)
    page = client.get(reverse("exchange:arrival", args=[arrival.pk])).content.decode()
    signer = "<div>KT. GIÁM ĐỐC</div><div>PHÓ GIÁM ĐỐC</div><div>Trần Văn Ký</div>"
    for shown in ("12/SCT-KH", SUBJECT, "Sở Công Thương", SENDER_ID, "30/11/2026", signer):
        assert shown in page
    assert reverse("exchange:arrival_file", args=[arrival.pk, 0]) in page
    assert "Công văn 12.pdf" in page
    assert "Chữ ký số hợp lệ" in page and "bao trùm toàn bộ tệp" in page
    assert "Tiếp nhận và vào sổ" in page and "Từ chối tiếp nhận" in page


def test_a_file_is_served_from_the_package_with_its_type_and_a_safe_name(client, clerk, ours):
    data = package_bytes(files=[("Công văn 12.pdf", uploads.PDF), ("../../trang.html", b"<script>alert(1)</script>")])
    arrival = make_arrival(ours, data=data)
    client.force_login(clerk)
    pdf = client.get(reverse("exchange:arrival_file", args=[arrival.pk, 0]))
    assert pdf.status_code == 200 and pdf.content == uploads.PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="Cong van 12.pdf"')
    hostile = client.get(reverse("exchange:arrival_file", args=[arrival.pk, 1]))
    assert hostile["Content-Type"] == "application/octet-stream"  # never the sender's text/html
    assert hostile["Content-Disposition"] == 'attachment; filename="trang.html"'
    assert hostile["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("exchange:arrival_file", args=[arrival.pk, 2])).status_code == 404


def test_outsiders_get_404_on_the_arrival_and_its_files(client, waiting, specialist, director, trade_clerk):
    for person in (specialist, director, trade_clerk):
        client.force_login(person)
        assert client.get(reverse("exchange:arrival", args=[waiting.pk])).status_code == 404
        assert client.get(reverse("exchange:arrival_file", args=[waiting.pk, 0])).status_code == 404
        for name in ("arrival_accept", "arrival_refuse", "recall_agree", "recall_refuse"):
            response = client.post(reverse(f"exchange:{name}", args=[waiting.pk]), {"reason": "x"})
            assert response.status_code == 404, name
    waiting.refresh_from_db()
    assert waiting.state == Received.State.WAITING


def test_the_actions_take_posts_only(client, clerk, waiting, sent):
    client.force_login(clerk)
    for name in ("arrival_accept", "arrival_refuse", "recall_agree", "recall_refuse"):
        assert client.get(reverse(f"exchange:{name}", args=[waiting.pk])).status_code == 405
    assert client.get(reverse("exchange:recall_request", args=[sent.pk])).status_code == 405
    failed = Outgoing.objects.get(state="failed")
    assert client.get(reverse("exchange:outgoing_retry", args=[failed.pk])).status_code == 405


def test_accepting_registers_the_arrival_and_opens_the_new_document(client, clerk, waiting, ours):
    client.force_login(clerk)
    action = reverse("exchange:arrival_accept", args=[waiting.pk])
    page = client.get(reverse("exchange:arrival", args=[waiting.pk])).content.decode()
    response = client.post(action, form_of(page, action), follow=True)
    waiting.refresh_from_db()
    assert waiting.state == Received.State.ACCEPTED and waiting.document is not None
    assert response.redirect_chain[-1][0] == reverse("directives:detail", args=[waiting.document.pk])
    number = waiting.document.number
    assert any(m.startswith(f"Đã vào sổ văn bản đến số {number}") for m in messages_of(response))
    assert waiting.document.subject == SUBJECT and waiting.document.symbol == "12/SCT-KH"
    # The document's page says where it came from and what the sender was told.
    document_page = response.content.decode()
    assert 'data-testid="exchange-arrival"' in document_page and "Sở Công Thương" in document_page
    history = document_page.split('data-testid="exchange-history"')[1].split("</details>")[0]
    assert "Đã tiếp nhận" in history
    # The arrival now links to it, and has no decision left to take.
    page = client.get(reverse("exchange:arrival", args=[waiting.pk])).content.decode()
    assert reverse("directives:detail", args=[waiting.document.pk]) in page
    assert action not in page


def test_refusing_without_a_reason_is_refused_and_changes_nothing(client, clerk, waiting):
    client.force_login(clerk)
    action = reverse("exchange:arrival_refuse", args=[waiting.pk])
    page = client.get(reverse("exchange:arrival", args=[waiting.pk])).content.decode()
    data = form_of(page, action)
    assert data["reason"] == [""]
    response = client.post(action, data, follow=True)
    assert "Hãy ghi lý do từ chối tiếp nhận." in messages_of(response)
    assert "kept-form" in response.content.decode()  # the dialog opens again with the message
    waiting.refresh_from_db()
    assert waiting.state == Received.State.WAITING
    assert not Outgoing.objects.exists()


def test_refusing_with_a_reason_records_it_and_shows_it(client, clerk, waiting):
    client.force_login(clerk)
    action = reverse("exchange:arrival_refuse", args=[waiting.pk])
    page = client.get(reverse("exchange:arrival", args=[waiting.pk])).content.decode()
    response = client.post(action, {**form_of(page, action), "reason": ["Văn bản gửi nhầm cơ quan"]}, follow=True)
    waiting.refresh_from_db()
    assert waiting.state == Received.State.REFUSED
    assert "Đã từ chối tiếp nhận; nơi gửi được báo lý do." in messages_of(response)
    page = response.content.decode()
    assert "Văn bản gửi nhầm cơ quan" in page and 'data-testid="refused-reason"' in page
    assert action not in page


def test_a_decided_arrival_cannot_be_decided_again(client, clerk, ours):
    refused = make_arrival(ours, state=Received.State.REFUSED, reason="Sai")
    client.force_login(clerk)
    response = client.post(reverse("exchange:arrival_accept", args=[refused.pk]), follow=True)
    assert "Văn bản liên thông này đã được xử lý." in messages_of(response)
    refused.refresh_from_db()
    assert refused.state == Received.State.REFUSED and refused.document is None


# --- A recall request to answer ------------------------------------------------------------------


@pytest.fixture
def recalled(client, clerk, waiting):
    """The arrival accepted through its page, then asked back by the sender."""
    client.force_login(clerk)
    client.post(reverse("exchange:arrival_accept", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.document is not None
    Received.objects.filter(pk=waiting.pk).update(recall=Received.Recall.ASKED, recall_reason="Văn bản ban hành nhầm")
    waiting.refresh_from_db()
    return waiting


def test_the_recall_request_shows_on_the_arrival_and_on_the_document(client, clerk, recalled, specialist):
    client.force_login(clerk)
    pages = [reverse("exchange:arrival", args=[recalled.pk]), reverse("directives:detail", args=[recalled.document_id])]
    for url in pages:
        page = client.get(url).content.decode()
        assert "Nơi gửi yêu cầu lấy lại:</strong> Văn bản ban hành nhầm" in page
        assert "Đồng ý trả lại" in page and reverse("exchange:recall_refuse", args=[recalled.pk]) in page


def test_refusing_a_recall_needs_a_reason(client, clerk, recalled):
    client.force_login(clerk)
    detail = reverse("directives:detail", args=[recalled.document_id])
    action = reverse("exchange:recall_refuse", args=[recalled.pk])
    data = form_of(client.get(detail).content.decode(), action)
    assert data["next"] == [detail]
    response = client.post(action, data, follow=True)
    assert "Hãy ghi lý do từ chối trả lại văn bản." in messages_of(response)
    assert response.redirect_chain[-1][0] == detail
    recalled.refresh_from_db()
    assert recalled.recall == Received.Recall.ASKED

    data = form_of(client.get(detail).content.decode(), action)  # a fresh idempotency key: a new attempt
    response = client.post(action, {**data, "reason": ["Văn bản đã được triển khai"]}, follow=True)
    assert "Đã từ chối yêu cầu lấy lại; nơi gửi được báo lý do." in messages_of(response)
    recalled.refresh_from_db()
    assert recalled.recall == Received.Recall.REFUSED


def test_agreeing_to_a_recall_gives_the_document_back(client, clerk, recalled):
    client.force_login(clerk)
    action = reverse("exchange:recall_agree", args=[recalled.pk])
    page = client.get(reverse("exchange:arrival", args=[recalled.pk])).content.decode()
    response = client.post(action, form_of(page, action), follow=True)
    assert "Đã đồng ý trả lại văn bản; nơi gửi được báo «Đồng ý lấy lại»." in messages_of(response)
    recalled.refresh_from_db()
    assert recalled.recall == Received.Recall.AGREED and recalled.state == Received.State.RECALLED


def test_a_document_not_from_the_exchange_has_no_exchange_panel(client, clerk, cong_van):
    typed = documents.incoming_register(
        by=clerk, sender=factories.OrganisationFactory(), symbol="5/UBND", issued_on=datetime.date(2026, 11, 1),
        doc_type=cong_van, subject="Công văn vào sổ tay", file=uploads.pdf(),
    )  # fmt: skip
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[typed.pk])).content.decode()
    assert 'data-testid="exchange-arrival"' not in page and 'data-testid="exchange-recipients"' not in page


# --- The sender's panel --------------------------------------------------------------------------


@pytest.fixture
def sent(ours, make_approved, clerk):
    """An issued notice sent over the exchange to two bodies: one has answered, one failed."""
    trade = factories.OrganisationFactory(name="Sở Công Thương", exchange_id=SENDER_ID)
    health = factories.OrganisationFactory(name="Sở Y tế", exchange_id="H37.DN.003")
    document = make_approved(recipient_organisations=[trade, health])
    document = documents.document_issue(document=Document.objects.get(pk=document.pk), by=clerk)
    Outgoing.objects.filter(document=document).delete()  # whatever issuing queued: the rows below are the story
    now = timezone.now()
    Outgoing.objects.create(agency=ours, kind="package", to_id=SENDER_ID, organisation=trade, document=document,
                            state="sent", sent_at=now - datetime.timedelta(hours=2), attempts=1)  # fmt: skip
    Outgoing.objects.create(agency=ours, kind="package", to_id="H37.DN.003", organisation=health, document=document,
                            state="failed", error="Trục liên thông không trả lời.", attempts=5)  # fmt: skip
    for code, minutes, note in (("01", 100, ""), ("03", 60, "Văn thư Olga"), ("05", 30, "Phòng Kế hoạch đang xử lý")):
        StatusLog.objects.create(agency=ours, direction="in", party_id=SENDER_ID, document=document, code=code,
                                 description=note, at=now - datetime.timedelta(minutes=minutes))  # fmt: skip
    return document


def test_the_sender_sees_each_recipient_send_state_last_status_and_history(client, clerk, sent):
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[sent.pk])).content.decode()
    panel = page.split('data-testid="exchange-recipients"')[1].split("</section>")[0]
    assert panel.count('data-testid="exchange-recipient"') == 2
    assert "Sở Công Thương" in panel and "Đã gửi" in panel
    assert '<span class="badge text-bg-primary" data-testid="last-status">Đang xử lý</span>' in panel
    assert "Phòng Kế hoạch đang xử lý" in panel
    assert "Lịch sử (3)" in panel and "Đã đến" in panel and "Đã tiếp nhận" in panel
    assert "Sở Y tế" in panel and "Gửi lỗi" in panel and "Trục liên thông không trả lời" in panel
    assert "Chưa có phản hồi" in panel
    failed = Outgoing.objects.get(state="failed")
    assert reverse("exchange:outgoing_retry", args=[failed.pk]) in panel
    assert "Yêu cầu lấy lại" in panel


def test_who_may_see_the_document_sees_the_panel_without_its_buttons(client, specialist, sent):
    client.force_login(specialist)  # the author: sees the page, sends nothing
    page = client.get(reverse("directives:detail", args=[sent.pk])).content.decode()
    assert 'data-testid="exchange-recipients"' in page
    assert 'data-testid="retry"' not in page and "recall-request-modal" not in page


def test_a_recall_request_needs_a_reason_and_a_recipient(client, clerk, sent):
    client.force_login(clerk)
    detail = reverse("directives:detail", args=[sent.pk])
    action = reverse("exchange:recall_request", args=[sent.pk])
    data = form_of(client.get(detail).content.decode(), action)
    assert data["to_ids"] == [SENDER_ID]  # only where it arrived: the failed one has nothing to give back
    response = client.post(action, data, follow=True)
    assert "Hãy ghi lý do lấy lại văn bản." in messages_of(response)
    data = form_of(client.get(detail).content.decode(), action)  # a fresh idempotency key: a new attempt
    response = client.post(action, {**data, "to_ids": [], "reason": ["Ban hành nhầm"]}, follow=True)
    assert "Hãy chọn ít nhất một nơi nhận." in messages_of(response)
    assert not Outgoing.objects.filter(kind="status").exists()


def test_a_recall_request_asks_the_chosen_recipients(client, clerk, sent):
    client.force_login(clerk)
    detail = reverse("directives:detail", args=[sent.pk])
    action = reverse("exchange:recall_request", args=[sent.pk])
    data = {**form_of(client.get(detail).content.decode(), action), "reason": ["Văn bản ban hành nhầm"]}
    response = client.post(action, data, follow=True)
    assert "Đã gửi yêu cầu lấy lại tới 1 nơi nhận." in messages_of(response)
    asked = Outgoing.objects.get(kind="status", code="13")
    assert (asked.to_id, asked.description) == (SENDER_ID, "Văn bản ban hành nhầm")
    page = client.get(detail).content.decode()
    assert "Đã yêu cầu lấy lại" in page and "recall-request-modal" not in page


def test_sending_again_is_for_the_issuing_clerks_and_outsiders_get_404(client, clerk, specialist, outsider, sent):
    failed = Outgoing.objects.get(state="failed")
    url = reverse("exchange:outgoing_retry", args=[failed.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert client.post(reverse("exchange:recall_request", args=[sent.pk]), {"reason": "x"}).status_code == 404
    client.force_login(specialist)
    assert client.post(url).status_code == 403
    assert client.post(reverse("exchange:recall_request", args=[sent.pk]), {"reason": "x"}).status_code == 403
    failed.refresh_from_db()
    assert failed.state == Outgoing.State.FAILED
    assert not Outgoing.objects.filter(kind="status").exists()


def test_sending_again_queues_the_failed_package(client, clerk, sent):
    failed = Outgoing.objects.get(state="failed")
    client.force_login(clerk)
    detail = reverse("directives:detail", args=[sent.pk])
    action = reverse("exchange:outgoing_retry", args=[failed.pk])
    response = client.post(action, form_of(client.get(detail).content.decode(), action), follow=True)
    assert "Đã đưa văn bản vào hàng gửi lại tới Sở Y tế." in messages_of(response)
    failed.refresh_from_db()
    assert failed.state != Outgoing.State.FAILED
    sent_one = Outgoing.objects.get(state="sent")
    assert client.post(reverse("exchange:outgoing_retry", args=[sent_one.pk]), follow=True).status_code == 200
    sent_one.refresh_from_db()
    assert sent_one.state == Outgoing.State.SENT
