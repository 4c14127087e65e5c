"""The demo's exchange (``manage.py seed_demo``).

- A second department in the same installation, Sở Thông tin và Truyền thông, to send to and
  receive from: each department has an electronic identity and is an outside organisation of the
  other with it, so issuing a document addressed to it sends it (same-installation transport).
- For the screens: arrivals waiting for the demo clerk, one refused, and an issued notice sent to
  two outside bodies, one of which has answered and one failed — written as the transports and the
  flow leave their rows.

Idempotent like units.demo: rows are found by their natural keys and created only when missing.
Identifiers are in the shape of Decision 20/2020/QĐ-TTg; illustrative, not the province's real codes.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from directives.demo import DEMO_COPIED_SUBJECT
from directives.models import Document, Recipient
from exchange import edxml
from exchange.models import ACCEPTED, ARRIVED, IN_PROGRESS, Outgoing, Received, StatusLog
from units import demo as units_demo
from units.models import Agency, Organisation, Unit
from units.roles import Role

OUR_ID = "000.00.21.H37"
PEER_ID = "000.00.25.H37"

PEER = {
    "abbreviation": "STTTT",
    "name": "Sở Thông tin và Truyền thông",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "place_name": "Bà Rịa - Vũng Tàu",
    "exchange_id": PEER_ID,
}
PEER_UNITS = [
    ("VP", "Văn phòng Sở", Unit.Kind.VAN_PHONG),
    ("BCVT", "Phòng Bưu chính, Viễn thông", Unit.Kind.PHONG),
]
# (user name, full name, roles, title, unit, position, heads the unit)
PEER_PEOPLE = [
    ("stttt.giamdoc", "Trịnh Quang Vinh", [Role.DIRECTOR], "Giám đốc", None, "", False),
    ("stttt.vanthu", "Lương Thị Hồng", [Role.CLERK, Role.STAFF], "", "VP", "Văn thư", False),
    ("stttt.truongphong", "Văn Đức Thịnh", [Role.UNIT_HEAD, Role.STAFF], "", "BCVT", "Trưởng phòng", True),
    ("stttt.chuyenvien", "Hà Minh Châu", [Role.STAFF], "", "BCVT", "Chuyên viên", False),
]


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# (sender identity, sender, document id, number, notation, type, subject, state, reason)
ARRIVALS = [
    ("000.00.22.H37", "Sở Công Thương", "SCT-1203", "1203", "SCT-QLTM", "Công văn",
     "Đề nghị phối hợp kiểm tra an toàn thực phẩm dịp Tết Nguyên đán Đinh Mùi 2027 tại các chợ đầu mối và "
     "cơ sở sản xuất trên địa bàn tỉnh", Received.State.WAITING, ""),
    ("000.00.01.H37", "UBND tỉnh Bà Rịa - Vũng Tàu", "UBND-8842", "8842", "UBND-VP", "Công văn",
     "Triển khai Kế hoạch chuyển đổi số tỉnh năm 2027", Received.State.WAITING, ""),
    ("000.00.23.H37", "Sở Tài chính", "STC-517", "517", "STC-HCSN", "Thông báo",
     "Thông báo thẩm định dự toán kinh phí nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2027",
     Received.State.WAITING, ""),
    ("000.00.24.H37", "Sở Giáo dục và Đào tạo", "SGD-77", "77", "SGDĐT-VP", "Công văn",
     "Về việc cử cán bộ tham gia tập huấn", Received.State.REFUSED,
     "Văn bản gửi nhầm cơ quan: nội dung thuộc thẩm quyền Sở Nội vụ."),
]  # fmt: skip
SIGNED = {
    "signer": "Nguyễn Văn Phong", "signed_at": "02/12/2026 08:15", "intact": True, "trusted": True, "valid": True,
    "covers_whole_file": True, "covers_revision": True,
}  # fmt: skip


def _arrival(agency: Agency, row: tuple, received_at: datetime.datetime) -> None:
    sender_id, sender, document_id, number, notation, doc_type, subject, state, reason = row
    if Received.objects.filter(agency=agency, sender_exchange_id=sender_id, package_document_id=document_id).exists():
        return
    name = f"{number}-{notation}.pdf"
    package = edxml.Package(
        from_=edxml.Party(sender_id, sender), to=[edxml.Party(OUR_ID, agency.name)], document_id=document_id,
        code_number=number, code_notation=notation, promulgation_date=received_at.date(), doc_type=doc_type,
        subject=subject, place="Bà Rịa - Vũng Tàu",
        signer=edxml.Signer("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", SIGNED["signer"]),
        attachments=[
            edxml.Attachment("1", name, "application/pdf", PDF),
            edxml.Attachment("2", "Phụ lục.pdf", "application/pdf", PDF),
        ],
    )  # fmt: skip
    data = edxml.package_build(package)
    arrival = Received(
        agency=agency, state=state, sha256=hashlib.sha256(data).hexdigest(), size=len(data), shape="qcvn102",
        transport="local", sender_exchange_id=sender_id, package_document_id=document_id, sender_name=sender,
        symbol=f"{number}/{notation}", issued_on=received_at.date(), doc_type_name=doc_type, subject=subject,
        signatures=[{"name": name, "signatures": [SIGNED]}, {"name": "Phụ lục.pdf", "signatures": []}], reason=reason,
        decided_at=received_at + datetime.timedelta(hours=1) if reason else None,
    )  # fmt: skip
    arrival.package.save("goi-tin.xml", ContentFile(data), save=False)
    arrival.save()
    Received.objects.filter(pk=arrival.pk).update(received_at=received_at)


def _sent(agency: Agency, now: datetime.datetime) -> None:
    notice = Document.objects.filter(
        agency=agency, subject=DEMO_COPIED_SUBJECT, state=Document.State.ISSUED, copy_form=""
    ).first()
    if notice is None or Outgoing.objects.filter(document=notice, kind=Outgoing.Kind.PACKAGE).exists():
        return
    trade, _ = Organisation.objects.get_or_create(exchange_id="000.00.22.H37", defaults={"name": "Sở Công Thương"})
    finance, _ = Organisation.objects.get_or_create(exchange_id="000.00.23.H37", defaults={"name": "Sở Tài chính"})
    for organisation in (trade, finance):  # addressed in «Kính gửi», as issuing would have sent it
        Recipient.objects.get_or_create(document=notice, organisation=organisation)
    Outgoing.objects.create(
        agency=agency, kind=Outgoing.Kind.PACKAGE, to_id=trade.exchange_id, organisation=trade, document=notice,
        state=Outgoing.State.SENT, attempts=1, sent_at=now, transport="local",
    )  # fmt: skip
    Outgoing.objects.create(
        agency=agency, kind=Outgoing.Kind.PACKAGE, to_id=finance.exchange_id, organisation=finance, document=notice,
        state=Outgoing.State.FAILED, attempts=5, transport="lgsp",
        error="Trục liên thông không trả lời sau 5 lần thử (hết thời gian chờ).",
    )  # fmt: skip
    # The notice is issued as the demo is seeded: its answers come in the same minutes.
    for code, seconds, note, staff in (
        (ARRIVED, 5, "", ""),
        (ACCEPTED, 20, "Đã vào sổ văn bản đến số 1542.", "Lê Thị Hoa"),
        (IN_PROGRESS, 40, "Giao Phòng Quản lý thương mại chủ trì.", "Trần Quốc Bảo"),
    ):
        StatusLog.objects.create(
            agency=agency, direction=StatusLog.Direction.IN, party_id=trade.exchange_id, document=notice, code=code,
            description=note, staff=staff, at=now + datetime.timedelta(seconds=seconds),
        )  # fmt: skip


def _peer_seed(home: Agency) -> Agency:
    """Seed the demo department's peer, each an outside organisation of the other; answer the peer."""
    peer, _ = Agency.objects.get_or_create(abbreviation=PEER["abbreviation"], defaults=PEER)
    units = {
        abbreviation: Unit.objects.get_or_create(
            agency=peer, abbreviation=abbreviation, defaults={"name": name, "kind": kind}
        )[0]
        for abbreviation, name, kind in PEER_UNITS
    }
    units_demo.people_seed(peer, units, PEER_PEOPLE, email_domain="stttt.example.vn")
    # Each department is an outside organisation of the other, with the other's identity.
    for agency, identity in ((peer, peer.exchange_id), (home, home.exchange_id)):
        organisation = Organisation.objects.filter(name=agency.name).first()
        if organisation is None:
            Organisation.objects.create(name=agency.name, abbreviation=agency.abbreviation, exchange_id=identity)
        elif not organisation.exchange_id:
            organisation.exchange_id = identity
            organisation.save(update_fields=["exchange_id"])
    return peer


@transaction.atomic
def seed_exchange() -> None:
    agency = Agency.objects.filter(abbreviation=units_demo.AGENCY["abbreviation"]).first()
    if agency is None:
        return
    if not agency.exchange_id:
        agency.exchange_id = OUR_ID
        agency.save(update_fields=["exchange_id"])
    _peer_seed(agency)
    now = timezone.now()
    for hours, row in zip((26, 5, 1, 30), ARRIVALS, strict=True):
        _arrival(agency, row, now - datetime.timedelta(hours=hours))
    _sent(agency, now)
