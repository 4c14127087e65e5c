"""The world the access matrix (tests/test_access_matrix.py) asks its questions about.

Built once per module, through the same services the pages use, inside a transaction the
matrix rolls back at the end. Two agencies: in agency A two units (U1, U2) with a staff
member and a head each, the office with the clerk, a director and an administrator; in
agency B an administrator and a staff member. The objects are chosen so each role has some
in reach and some out of reach, and one confidential document is granted to some people of
its own unit and not to others.

Every name is distinctive, so a test can look for it in an answer's body.
"""

import datetime
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directives import official_pdf
from directives import services as documents
from directives.models import Document, DocumentType, SigningAuthorisation
from exchange import edxml
from exchange.models import Outgoing, Received
from intake.models import Reading
from lib.workdays import local_today
from notifications.models import Notification
from ops.background import heartbeat_write
from tasks import services as tasks
from tasks.models import Holiday, Reminder, ReminderRule, Task
from tests import factories
from tests.directives.certificates import PASSPHRASE, make_authority
from units import services as people
from units.models import Organisation
from units.roles import Role

# The confidential document's subject: it must never show to someone without a grant.
SECRET_SUBJECT = "Phương án bảo vệ bí mật nhà nước tại kho lưu trữ Q7"
SECRET_SYMBOL = "88/KH-BCA-MAT"

# Names of agency A's people and units: no answer to someone of agency B may show them.
AGENCY_A_NAMES = [
    "Phòng Quản lý Khoa học Nguyên Tử",
    "Phòng Kế hoạch Tài chính Lục Địa",
    "Văn phòng Sở Hải Đăng",
    "Phạm Văn Đệ Nhất",
    "Trần Văn Thủ Trưởng",
    "Hoàng Thị Đệ Nhị",
    "Lý Văn Thủ Phó",
    "Nguyễn Thị Văn Thư",
    "Lê Thị Giám Đốc",
    "Võ Thị Quản Trị",
]

# A minimal, well-formed one-page PDF: uploads are recognised by their bytes, not their name.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def arrival_make(agency, *, sender_id: str, document_id: str, subject: str) -> Received:
    """An edXML package waiting for ``agency``'s clerk, stored as the transports store one."""
    package = edxml.Package(
        from_=edxml.Party(sender_id, "Sở Xây dựng (ma trận quyền)"), to=[edxml.Party("H37.MT.001", agency.name)],
        document_id=document_id, code_number="21", code_notation="SXD-QLN", promulgation_date=local_today(),
        doc_type="Công văn", subject=subject,
        attachments=[edxml.Attachment("1", "cong-van-lien-thong.pdf", "application/pdf", PDF_BYTES)],
    )  # fmt: skip
    data = edxml.package_build(package)
    arrival = Received(
        agency=agency, sha256="0" * 64, size=len(data), shape="qcvn102", transport="local",
        sender_exchange_id=sender_id, package_document_id=document_id, sender_name="Sở Xây dựng (ma trận quyền)",
        symbol="21/SXD-QLN", issued_on=local_today(), doc_type_name="Công văn", subject=subject,
        signatures=[{"name": "cong-van-lien-thong.pdf", "signatures": []}],
    )  # fmt: skip
    arrival.package.save("goi-tin.xml", ContentFile(data), save=False)
    arrival.save()
    return arrival


@dataclass
class World:
    people: dict = field(default_factory=dict)  # role name → User (no entry for anonymous)
    objects: dict = field(default_factory=dict)  # object key → the values its URL parameters take
    grants: frozenset = frozenset()  # roles that may see the confidential document


def world_build() -> World:
    """Create both agencies, their people and every object the matrix reaches for."""
    world = World()
    p = world.people
    agency = factories.AgencyFactory(abbreviation="SKHCN", name="Sở Khoa học và Công nghệ")
    unit1 = factories.UnitFactory(agency=agency, abbreviation="QLKH", name="Phòng Quản lý Khoa học Nguyên Tử")
    unit2 = factories.UnitFactory(agency=agency, abbreviation="KHTC", name="Phòng Kế hoạch Tài chính Lục Địa")
    office = factories.UnitFactory(agency=agency, abbreviation="VP", name="Văn phòng Sở Hải Đăng", kind="van_phong")
    other = factories.AgencyFactory(abbreviation="SCT", name="Sở Công Thương")
    other_unit = factories.UnitFactory(agency=other, abbreviation="VPCT", name="Văn phòng Sở Công Thương")

    def person(role_name, username, full_name, agency, roles, unit=None, **kwargs):
        p[role_name] = factories.PersonFactory(
            username=username, full_name=full_name, agency=agency, roles=roles, unit=unit, **kwargs
        )
        return p[role_name]

    person("staff", "matrix_staff", "Phạm Văn Đệ Nhất", agency, [Role.STAFF], unit1)
    person("head", "matrix_head", "Trần Văn Thủ Trưởng", agency, [Role.UNIT_HEAD, Role.STAFF], unit1,
           position="Trưởng phòng", is_head=True)  # fmt: skip
    person("other_staff", "matrix_staff2", "Hoàng Thị Đệ Nhị", agency, [Role.STAFF], unit2)
    person("other_head", "matrix_head2", "Lý Văn Thủ Phó", agency, [Role.UNIT_HEAD, Role.STAFF], unit2,
           position="Trưởng phòng", is_head=True)  # fmt: skip
    person("clerk", "matrix_clerk", "Nguyễn Thị Văn Thư", agency, [Role.CLERK, Role.STAFF], office,
           position="Văn thư")  # fmt: skip
    director = person("director", "matrix_director", "Lê Thị Giám Đốc", agency, [Role.DIRECTOR], title="Giám đốc")
    people.supervision_set(director=director, units=[unit1, unit2, office])
    person("admin", "matrix_admin", "Võ Thị Quản Trị", agency, [Role.ADMINISTRATOR])
    person("other_admin", "matrix_admin_b", "Đỗ Văn Quản Trị Khác", other, [Role.ADMINISTRATOR])
    other_staff_b = factories.PersonFactory(
        username="matrix_staff_b", full_name="Bùi Văn Bên Ngoài", agency=other, roles=[Role.STAFF], unit=other_unit
    )
    for user in p.values():
        assert user.is_staff == (Role.ADMINISTRATOR in user.roles), user

    staff, head, other_staff, other_head, clerk = (p[k] for k in ("staff", "head", "other_staff", "other_head",
                                                                  "clerk"))  # fmt: skip
    notice_type = DocumentType.objects.get(abbreviation="TB")
    plan_type = DocumentType.objects.get(abbreviation="KH")
    sender = Organisation.objects.create(name="Bộ Công an (ma trận quyền)", abbreviation="BCA")

    # Outgoing: a draft, and a document issued to unit 1 with an attachment and its official PDF.
    draft = documents.document_create(
        by=staff, doc_type=notice_type, subject="Dự thảo thông báo lịch trực tháng mười",
        body="<p>Các phòng bố trí trực.</p>", signer=director, recipient_units=[unit1],
    )  # fmt: skip
    issued = documents.document_create(
        by=staff, doc_type=notice_type, subject="Thông báo kết luận giao ban khoa học",
        body="<p>1. Phòng Quản lý Khoa học rà soát đề tài.</p>", signer=director, recipient_units=[unit1],
    )  # fmt: skip
    issued_file = documents.attachment_add(document=issued, by=staff, file=pdf_upload("ket-luan.pdf"))
    documents.document_submit(document=issued, by=staff)
    documents.document_forward(document=issued, by=head)
    documents.document_approve(document=issued, by=director)
    issued = documents.document_issue(document=Document.objects.get(pk=issued.pk), by=clerk)
    # Jobs enqueued on commit never run inside the world's transaction: render the PDF here.
    official_pdf.issued_pdf_render(issued.pk)

    # Incoming: one registered and waiting for the director's routing.
    incoming = documents.incoming_register(
        by=clerk, sender=sender, symbol="15/CV-BCA", issued_on=local_today(), doc_type=plan_type,
        subject="Công văn đề nghị phối hợp kiểm tra an toàn", file=pdf_upload("cong-van-den.pdf"),
    )  # fmt: skip
    incoming_file = incoming.attachments.get()
    # Readings of received documents (intake): the clerk's, not registered yet, and one of agency B.
    fields = {"symbol": "7/UBND-MT", "subject": "Kiểm tra môi trường Ngọc Trai", "uncertain": ["subject"]}
    reading = Reading.objects.create(
        agency=agency, created_by=clerk, state=Reading.State.DONE, method=Reading.Method.TEXT, fields=fields
    )
    reading_b = Reading.objects.create(
        agency=other, created_by=other_staff_b, state=Reading.State.DONE, method=Reading.Method.TEXT, fields=fields
    )

    # Confidential: registered by the clerk (granted), routed by the director (granted) to unit 1,
    # whose head is granted on delivery; the task made from it goes to unit 1's staff member, who
    # has no grant, nor has anyone of unit 2 or the administrators.
    secret = documents.incoming_register(
        by=clerk, sender=sender, symbol=SECRET_SYMBOL, issued_on=local_today(), doc_type=plan_type,
        subject=SECRET_SUBJECT, confidentiality="mat", file=pdf_upload("mat.pdf"),
    )  # fmt: skip
    secret_file = secret.attachments.get()
    documents.incoming_route(
        document=Document.objects.get(pk=secret.pk), by=director, note="Phòng Quản lý Khoa học chủ trì.",
        lead_unit=unit1, deadline=local_today() + datetime.timedelta(days=30),
    )  # fmt: skip
    task_secret = Task.objects.get(document=secret)
    tasks.task_assign(task=task_secret, by=head, handler=staff)
    world.grants = frozenset({"clerk", "director", "head"})

    # Exchange: an arrival waiting for agency A's clerk and one for agency B; the issued document's
    # package to an outside body, whose sending failed (the clerk may send it again).
    arrival = arrival_make(agency, sender_id="H37.XD.001", document_id="XD-1", subject="Công văn liên thông Sao Mai")
    arrival_b = arrival_make(other, sender_id="H37.XD.001", document_id="XD-2", subject="Công văn liên thông Bắc Đẩu")
    outgoing_failed = Outgoing.objects.create(
        agency=agency, kind=Outgoing.Kind.PACKAGE, to_id="H37.XD.001", document=issued, state=Outgoing.State.FAILED,
        error="Trục liên thông không trả lời.", attempts=5,
    )  # fmt: skip

    # Agency B's own draft: out of everyone's reach in agency A.
    foreign = documents.document_create(
        by=other_staff_b, doc_type=notice_type, subject="Dự thảo của Sở Công Thương", signer=None
    )

    # Tasks: one per unit, each assigned and reported on with a file; unit 1's has a pending extension.
    deadline = local_today() + datetime.timedelta(days=40)
    task1 = tasks.task_create(by=director, title="Tổng hợp đề tài chậm tiến độ", lead_unit=unit1, deadline=deadline)
    tasks.task_assign(task=task1, by=head, handler=staff)
    report1 = tasks.task_report(task=task1, by=staff, text="Đã rà soát", percent=40, files=[pdf_upload("rs.pdf")])
    extension = tasks.task_extension_request(
        task=Task.objects.get(pk=task1.pk), by=staff, new_deadline=deadline + datetime.timedelta(days=10),
        reason="Chờ số liệu",
    )  # fmt: skip
    task2 = tasks.task_create(by=director, title="Lập dự toán năm sau", lead_unit=unit2, deadline=deadline)
    tasks.task_assign(task=task2, by=other_head, handler=other_staff)
    report2 = tasks.task_report(task=task2, by=other_staff, text="Đang lập", percent=20, files=[pdf_upload("dt.pdf")])

    # What the administrators keep.
    rule = ReminderRule.objects.create(name="Nhắc trước hạn 3 ngày (ma trận)", kind="before", days=3)
    reminder = Reminder.objects.create(task=task1, rule=rule, occasion=deadline, user=staff)
    holiday = Holiday.objects.create(date=datetime.date(2031, 6, 10), name="Ngày nghỉ thử (ma trận)")
    authority = make_authority()
    certificate_a = official_pdf.signing_certificate_upload(
        agency=agency, by=p["admin"], data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    certificate_b = official_pdf.signing_certificate_upload(
        agency=other, by=p["other_admin"], data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    # The sign-in records django-axes keeps (read-only in the admin, for no agency's administrator).
    # (a stranger's failures: a person's own successful sign-in clears theirs)
    attempt = AccessAttempt.objects.create(
        username="nguoi_la", ip_address="10.0.0.7", user_agent="matrix", http_accept="*/*", path_info="/",
        attempt_time=timezone.now(), get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    failure = AccessFailureLog.objects.create(
        username="matrix_staff", ip_address="10.0.0.7", user_agent="matrix", http_accept="*/*", path_info="/",
        attempt_time=timezone.now(), locked_out=False,
    )  # fmt: skip
    access = AccessLog.objects.create(
        username="matrix_staff", ip_address="10.0.0.7", user_agent="matrix", http_accept="*/*", path_info="/",
        attempt_time=timezone.now(),
    )  # fmt: skip
    heartbeat_write()  # a worker is alive: /healthz answers 200
    token_owner = staff
    calendar_token = people.calendar_token_issue(user=token_owner)
    people.api_token_issue(user=staff)
    notice = Notification.objects.filter(user=staff).order_by("pk").first()
    assert notice is not None, "the assignment above notifies the staff member"

    # A delegation that starts next month (so it changes nobody's reach today) and a TL. signer.
    start = local_today() + datetime.timedelta(days=30)
    delegation = people.delegation_create(
        by=p["admin"], principal=head, substitute=p["other_head"], starts_on=start, ends_on=start, note="Nghỉ phép"
    )
    authorisation = SigningAuthorisation.objects.create(agency=agency, user=clerk, authority="TL.", title="Văn thư")

    o = world.objects
    o.update(
        {
            # documents: their pk; files: (document pk, file pk)
            "draft": draft.pk,
            "issued": issued.pk,
            "incoming": incoming.pk,
            "secret": secret.pk,
            "foreign": foreign.pk,
            "issued_file": (issued.pk, issued_file.pk),
            "incoming_file": (incoming.pk, incoming_file.pk),
            "reading": reading.pk,
            "reading_b": reading_b.pk,
            # arrivals: their pk; a file of an arrival: its pk and its index in the package
            "arrival": arrival.pk,
            "arrival_b": arrival_b.pk,
            "arrival_file": {"pk": arrival.pk, "index": 0},
            "arrival_b_file": {"pk": arrival_b.pk, "index": 0},
            "outgoing_failed": outgoing_failed.pk,
            "secret_file": (secret.pk, secret_file.pk),
            "stray_file": (issued.pk, incoming_file.pk),  # a real file, but not of this document
            # tasks: their pk; report files: (task pk, file pk); the extension: (task pk, extension pk)
            "task_u1": task1.pk,
            "task_u2": task2.pk,
            "task_secret": task_secret.pk,
            "task_u1_file": (task1.pk, report1.files.get().pk),
            "task_u2_file": (task2.pk, report2.files.get().pk),
            "stray_task_file": (task1.pk, report2.files.get().pk),
            "extension": (task1.pk, extension.pk),
            # units
            "unit_u1": unit1.pk,
            "unit_u2": unit2.pk,
            "unit_b": other_unit.pk,
            # the staff member's own notice, and their calendar feed
            "notice": notice.pk,
            "calendar": calendar_token,
            "calendar_unknown": "x" * 43,
            # admin objects: agency A's and agency B's, or shared by every agency
            "agency_a": agency.pk,
            "agency_b": other.pk,
            "person_a": staff.pk,
            "person_b": other_staff_b.pk,
            "admin_self": p["admin"].pk,
            "organisation": sender.pk,
            "token_a": staff.api_tokens.get().pk,
            "delegation_a": delegation.pk,
            "authorisation_a": authorisation.pk,
            "doc_type": notice_type.pk,
            "certificate_a": certificate_a.pk,
            "certificate_b": certificate_b.pk,
            "holiday": holiday.pk,
            "rule": rule.pk,
            "reminder_a": reminder.pk,
            "group": Group.objects.get(name=Role.STAFF).pk,
            "access_attempt": attempt.pk,
            "access_failure": failure.pk,
            "access_log": access.pk,
            "document_ct": ContentType.objects.get_for_model(Document).pk,
        }
    )
    world.token_owner = "staff"
    world.built_at = timezone.now()
    return world
