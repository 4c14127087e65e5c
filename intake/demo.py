"""Demo readings for the demo department: one received document read and waiting for the
clerk's check, one registered from its reading and waiting for the director's routing."""

import datetime

from django.db import transaction

from directives.models import DocumentType
from intake import registration
from intake.models import Reading
from lib.workdays import local_today
from units.models import Organisation, User


def _fields(*, number: int, subject: str, today: datetime.date) -> dict:
    """What the parser answers for a công văn of the provincial People's Committee."""
    issued = today - datetime.timedelta(days=3)
    return {
        "kind": "incoming", "doc_type": "Công văn", "type_abbr": None, "number": number,
        "symbol": f"{number}/UBND-VX", "parent_body": None, "issuer": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
        "place": "Bà Rịa - Vũng Tàu", "issued_on": issued.isoformat(), "subject": subject, "urgency": "Khẩn",
        "confidentiality": None, "addressees": ["Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông"],
        "references": [
            {"doc_type": "Chỉ thị", "symbol": "16/CT-TTg", "issued_on": "2020-03-31", "issuer": "Thủ tướng Chính phủ"}
        ],
        "body": [
            "Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh yêu cầu:",
            "1. Phòng Quản lý Khoa học chủ trì, phối hợp với Văn phòng Sở rà soát các đề tài khoa học đang "
            "triển khai, báo cáo kết quả.",
            "2. Trung tâm Thông tin và Ứng dụng khoa học công nghệ cập nhật cơ sở dữ liệu đề tài trên cổng "
            "thông tin của Sở.",
            "3. Văn phòng Sở tổng hợp, báo cáo Ủy ban nhân dân tỉnh hằng quý.",
        ],
        "items": [
            {"label": "1", "text": "Phòng Quản lý Khoa học chủ trì, phối hợp với Văn phòng Sở rà soát các đề tài "
             "khoa học đang triển khai, báo cáo kết quả.", "lead_units": ["Phòng Quản lý Khoa học"],
             "cooperating_units": ["Văn phòng Sở"], "deadline": (today + datetime.timedelta(days=30)).isoformat(),
             "recurrence": None},
            {"label": "2", "text": "Trung tâm Thông tin và Ứng dụng khoa học công nghệ cập nhật cơ sở dữ liệu đề "
             "tài trên cổng thông tin của Sở.",
             "lead_units": ["Trung tâm Thông tin và Ứng dụng khoa học công nghệ"], "cooperating_units": [],
             "deadline": None, "recurrence": None},
            {"label": "3", "text": "Văn phòng Sở tổng hợp, báo cáo Ủy ban nhân dân tỉnh hằng quý.",
             "lead_units": ["Văn phòng Sở"], "cooperating_units": [], "deadline": None, "recurrence": "quarterly"},
        ],
        "signer": {"authority": "KT.", "authority_title": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Lê Ngọc Khánh"},
        "distribution": ["Như trên", "Lưu: VT, VX"],
        "uncertain": ["subject"],
    }  # fmt: skip


@transaction.atomic
def seed_readings() -> None:
    if Reading.objects.exists():
        return
    clerk = User.objects.filter(username="vanthu").first()
    if clerk is None:
        return
    today = local_today()
    waiting = _fields(number=1452, subject="Rà soát, cập nhật các đề tài khoa học đang triển khai", today=today)
    Reading.objects.create(
        agency=clerk.agency, created_by=clerk, state=Reading.State.DONE, method=Reading.Method.TEXT,
        text="\n".join(waiting["body"]), fields=waiting,
    )  # fmt: skip
    routed = _fields(number=1398, subject="Triển khai số hóa hồ sơ đề tài khoa học", today=today)
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, state=Reading.State.DONE, method=Reading.Method.TEXT,
        text="\n".join(routed["body"]), fields=routed,
    )  # fmt: skip
    registration.reading_register(
        reading=reading, by=clerk, sender=registration.sender_match(routed) or Organisation.objects.first(),
        doc_type=DocumentType.objects.get(name="Công văn"), symbol=routed["symbol"],
        issued_on=datetime.date.fromisoformat(routed["issued_on"]), subject=routed["subject"], urgency="khan",
    )  # fmt: skip
