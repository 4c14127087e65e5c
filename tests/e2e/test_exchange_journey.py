"""Two departments of one installation exchange a document, each person in the browser (issue #18):
the sender's clerk issues it → the recipient's clerk accepts it → its director routes it → the
task is done → the sender's document page shows «Hoàn thành» for that recipient."""

import re

from playwright.sync_api import expect

from directives import services as documents
from directives.models import Document, DocumentType
from exchange.demo import seed_exchange
from exchange.models import Received
from tasks import services as tasks
from tasks.models import Task
from tests.e2e.conftest import Journey, screenshot, sign_in
from units.models import Agency, Organisation, User

SUBJECT = "Phối hợp triển khai nền tảng số dùng chung năm 2027"


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def signed_notice() -> Document:
    """A notice of Sở Khoa học và Công nghệ to Sở Thông tin và Truyền thông, signed, waiting for the clerk."""
    people = {name: User.objects.get(username=name) for name in ("vanthu", "vp.chanh", "giamdoc")}
    peer = Organisation.objects.get(name="Sở Thông tin và Truyền thông")
    document = documents.document_create(
        by=people["vanthu"],
        doc_type=DocumentType.objects.get(name="Thông báo"),
        subject=SUBJECT,
        body="<p>Đề nghị Sở Thông tin và Truyền thông phối hợp triển khai.</p>",
        signer=people["giamdoc"],
        authority_title="GIÁM ĐỐC",
        recipient_organisations=[peer],
        distribution="Như trên;\nLưu: VT, VP.",
    )
    documents.document_submit(document=document, by=people["vanthu"])
    documents.document_forward(document=document, by=people["vp.chanh"])
    documents.document_approve(document=document, by=people["giamdoc"])
    return document


def test_a_document_sent_to_a_peer_department_comes_back_done(page, demo):
    seed_exchange()
    peer = Agency.objects.get(abbreviation="STTTT")
    peer.acceptance_by = Agency.Approver.HEAD  # the unit head's acceptance is final in this department
    peer.save(update_fields=["acceptance_by"])
    document = signed_notice()

    # The sender's clerk issues it: the official PDF is made and the package leaves at once.
    sign_in(page, "vanthu")
    page.goto(f"/directives/{document.pk}/")
    page.get_by_role("button", name="Phát hành").click()
    page.get_by_test_id("confirm-issue").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã phát hành")
    recipient = page.get_by_test_id("exchange-recipient").filter(has_text="Sở Thông tin và Truyền thông")
    expect(recipient).to_contain_text("Đã gửi")
    expect(recipient.get_by_test_id("last-status")).to_have_text("Đã đến")
    sign_out(page)

    # The recipient's clerk finds it waiting and accepts it: it is numbered in her register.
    sign_in(page, "stttt.vanthu")
    expect(page.get_by_test_id("exchange-waiting")).to_contain_text("1")
    journey = Journey(page)
    page.goto("/exchange/")
    journey.click(page.get_by_test_id("arrival-row").filter(has_text=SUBJECT).get_by_role("link").first)
    expect(page.get_by_test_id("state")).to_have_text("Chờ tiếp nhận")
    expect(page.get_by_test_id("as-sent")).to_contain_text(SUBJECT)
    expect(page.get_by_test_id("arrival-file").first).to_contain_text(".pdf")
    screenshot(page, "exchange-arrival-waiting")
    journey.click(page.get_by_role("button", name="Tiếp nhận và vào sổ"))
    journey.click(page.get_by_test_id("confirm-accept"))
    expect(page.get_by_text(re.compile(r"Đã vào sổ văn bản đến số 1"))).to_be_visible()
    assert journey.count <= 3, journey.report()
    received = Received.objects.get(agency=peer)
    assert received.state == Received.State.ACCEPTED and received.document.number == 1
    sign_out(page)

    # Its director routes it to the unit that carries it out.
    sign_in(page, "stttt.giamdoc")
    page.goto(f"/directives/{received.document_id}/")
    page.get_by_role("link", name="Phân công xử lý").click()
    page.get_by_label("Ý kiến chỉ đạo (bút phê)").fill("Giao Phòng Bưu chính, Viễn thông chủ trì thực hiện.")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Bưu chính, Viễn thông")
    page.get_by_role("button", name="Phân công").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã phân công xử lý")
    sign_out(page)

    # The unit's work (assigned, reported done) is the tasks' own journey; here the head accepts it.
    task = Task.objects.get(document=received.document)
    head, staff = User.objects.get(username="stttt.truongphong"), User.objects.get(username="stttt.chuyenvien")
    tasks.task_assign(task=task, by=head, handler=staff)
    tasks.task_submit(task=task, by=staff, result="Đã phối hợp triển khai, gửi kèm báo cáo.")
    sign_in(page, "stttt.truongphong")
    page.goto(f"/tasks/{task.pk}/")
    page.get_by_role("button", name="Nghiệm thu").first.click()
    page.locator("#accept-modal").get_by_test_id("confirm-accept").click()
    expect(page.get_by_text("Đã nghiệm thu nhiệm vụ.")).to_be_visible()
    sign_out(page)

    # The sender sees the recipient's whole answer on its document page.
    sign_in(page, "vanthu")
    page.goto(f"/directives/{document.pk}/")
    recipient = page.get_by_test_id("exchange-recipient").filter(has_text="Sở Thông tin và Truyền thông")
    expect(recipient.get_by_test_id("last-status")).to_have_text("Hoàn thành")
    recipient.locator("summary").click()
    for label in ("Đã đến", "Đã tiếp nhận", "Phân công", "Đang xử lý", "Hoàn thành"):
        expect(recipient).to_contain_text(label)
    screenshot(page, "exchange-sender-done")
