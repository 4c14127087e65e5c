"""Demo documents for the demo department, in every state of their life.

Built through the same services as the pages, so every document has its history,
revisions, deliveries and notifications. Idempotent: a document whose subject is
already there is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from directives import certificates, official_pdf, services, stamp_images
from directives.models import CopyForm, Document, DocumentType, PersonalCertificate, SigningCertificate
from directives.throwaway_ca import DemoAuthority
from units.models import Organisation, Unit, User

# The urgent công văn of Sở KH&CN Bà Rịa - Vũng Tàu (2021) from the shared samples, with its
# OCR slips corrected (KHÂN → Khẩn, "chật ngoài" → "chặt ngoài", "Quản triệt" → "Quán triệt").
CONG_VAN_BODY = [
    "Thực hiện công văn số 1104/SNV-CCHC&VTTL ngày 19/7/2021 của Sở Nội vụ v/v hướng dẫn thực hiện "
    "một số nội dung tại công văn số 8614/UBND-VP của UBND tỉnh về lĩnh vực nội vụ.",
    "Nhằm tiếp tục thực hiện tốt công tác phòng, chống dịch Covid-19, đảm bảo hoạt động chuyên môn trong "
    "thời gian áp dụng biện pháp giãn cách xã hội trên địa bàn tỉnh theo Chỉ thị số 16/CT-TTg của Thủ "
    "tướng Chính phủ,",
    "Giám đốc Sở Khoa học và Công nghệ yêu cầu Thủ trưởng các phòng, cơ quan, đơn vị và toàn thể CCVC-NLĐ "
    "tiếp tục chấp hành nghiêm các quy định về phòng, chống dịch Covid-19 tại nơi cư trú và nơi làm việc; "
    "chấp hành nghiêm túc, đầy đủ văn bản chỉ đạo của Tỉnh ủy, UBND tỉnh, BCĐ PCD Covid-19 tỉnh và của "
    "Giám đốc Sở.",
    "Quán triệt thực hiện Phương án làm việc như sau:",
    "1. Nguyên tắc",
    "- Kiên quyết không để “chặt ngoài lỏng trong”; xác định rõ đầu mối và trách nhiệm cụ thể của từng "
    "người, từng cấp trong phân công, chỉ đạo, điều hành, đôn đốc, thực hiện công việc.",
    "- Dừng toàn bộ các cuộc họp trực tiếp tại cơ quan (ngoại trừ các cuộc họp về phòng, chống dịch; các "
    "cuộc họp xử lý các vấn đề cấp bách của cơ quan và phải được thủ trưởng cơ quan quyết định và chịu "
    "trách nhiệm, nếu tổ chức thì không quá 10 người, bảo đảm nguyên tắc 5K).",
    "- Tăng cường ứng dụng CNTT làm việc tại nhà, làm việc trực tuyến; hạn chế số người đến làm việc tại cơ "
    "quan (không quá 1/3 số lượng). Chỉ những trường hợp thật sự cần thiết theo yêu cầu mới được xét duyệt "
    "đến làm việc tại công sở.",
    "2. Yêu cầu",
    "- Tập trung đôn đốc, đẩy nhanh tiến độ, không để đình trệ công việc, nhất là các công việc có thời "
    "hạn, thời hiệu theo quy định của pháp luật, các dịch vụ công phục vụ người dân, doanh nghiệp và các "
    "việc cấp bách theo chỉ đạo của Tỉnh ủy, UBND tỉnh.",
    "- Thực hiện nghiêm túc việc tiếp nhận, phân công, xử lý và sử dụng chữ ký số, phát hành văn bản điện "
    "tử trên phần mềm quản lý văn bản iDesk. Sử dụng hộp thư điện tử công vụ để xử lý công việc, không sử "
    "dụng thư điện tử cá nhân.",
    "- Theo dõi và phân công việc tiếp nhận, giải quyết và trả hồ sơ của tổ chức, công dân trên Cổng Dịch "
    "vụ công Quốc gia, Cổng Dịch vụ công của tỉnh và Hệ thống một cửa điện tử của tỉnh đảm bảo thời gian "
    "theo quy định.",
    "- Tổ CNTT, quản trị CNTT từng đơn vị tiến hành rà soát, đề xuất đảm bảo trang thiết bị công nghệ "
    "thông tin, trực và hỗ trợ kỹ thuật để đảm bảo hoạt động các hệ thống ứng dụng công nghệ thông tin "
    "cần thiết phục vụ làm việc trực tuyến, họp trực tuyến.",
    "+ Đối với việc họp trực tuyến: Sử dụng phần mềm họp trực tuyến Polycom RealPresence đối với những "
    "cuộc họp do Tỉnh ủy, UBND tỉnh chủ trì; sử dụng phần mềm họp trực tuyến Google Meet để tổ chức các "
    "cuộc họp trong nội bộ cơ quan.",
    "+ Tăng cường truy cập, khai thác, sử dụng các văn bản quy phạm pháp luật còn hiệu lực thi hành để "
    "phục vụ công tác chuyên môn từ Cổng thông tin điện tử chính thức của Chính phủ, Bộ, ngành, tỉnh...",
    "Trong quá trình thực hiện nếu có những sự cố, vướng mắc, khó khăn về lĩnh vực ứng dụng công nghệ "
    "thông tin cần chủ động liên hệ Sở Thông tin và Truyền thông để được hướng dẫn, hỗ trợ kịp thời.",
    "- CCVC-NLĐ đến cơ quan làm việc chủ động chuẩn bị mang theo đồ ăn uống (Đảm bảo an toàn vệ sinh thực "
    "phẩm và đảm bảo an toàn điều kiện phòng chống dịch). Giữ vệ sinh chung, hàng ngày tự thu dọn rác thải "
    "phát sinh từ đồ ăn uống cá nhân bỏ vào thùng rác chung, không để tồn đọng trong thùng rác tại phòng và "
    "thùng rác hành lang, nhà vệ sinh mỗi tầng.",
    "- Các Tổ An toàn Covid-19 tăng cường hoạt động, phát huy trách nhiệm trong công tác phòng, chống dịch; "
    "phối hợp cung cấp thông tin có liên quan và tham gia hỗ trợ truy vết các trường hợp F1, F2 khi có "
    "yêu cầu.",
    "3. Tổ chức thực hiện",
    "- Thủ trưởng các cơ quan, đơn vị trực thuộc chủ động có phương án và triển khai, đảm bảo phù hợp với "
    "điều kiện thực tế tại cơ quan, đơn vị. Thường xuyên báo cáo tiến độ công việc và tình hình phòng "
    "chống dịch đến Lãnh đạo Sở phụ trách.",
    "- Tổ CNTT tăng cường hướng dẫn, hỗ trợ, đề xuất trang thiết bị phục vụ làm việc, họp trực tuyến.",
    "- Văn phòng Sở chủ động đề xuất, bổ sung vật tư, dụng cụ cần thiết phòng, chống dịch tại trụ sở. Tăng "
    "cường đôn đốc công tác văn thư phục vụ chỉ đạo, điều hành; phối hợp các phòng, đơn vị trong việc xử "
    "lý tài liệu mật (nếu có) đúng quy định.",
    "Chánh văn phòng chỉ đạo, điều phối nhân viên lái xe phục vụ công tác của Lãnh đạo Sở (Ông Nguyễn "
    "Thanh Sơn thường trực lái xe phục vụ công tác của Giám đốc; ông Lưu Thanh Tuấn hỗ trợ công tác của "
    "các Phó Giám đốc và các phòng chuyên môn; các trường hợp phát sinh thì chủ động bố trí, phân công "
    "phù hợp).",
    "Trên đây là ý kiến của Giám đốc Sở Khoa học và Công nghệ, các phòng, đơn vị nghiêm túc triển khai thực hiện./.",
]

CONG_VAN_SUBJECT = (
    "Phương án tổ chức làm việc thực hiện giãn cách xã hội theo Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ"
)

TET_POINTS = [
    "1. Trưởng các phòng chuyên môn, các đơn vị trực thuộc Sở tổ chức triển khai đồng bộ, hiệu quả các giải pháp "
    "thực hiện kế hoạch nhiệm vụ và dự toán ngân sách nhà nước năm 2027 ngay từ những ngày đầu năm.",
    "2. Trung tâm Thông tin và Ứng dụng khoa học công nghệ chuẩn bị các điều kiện cần thiết để cung ứng đầy đủ, "
    "kịp thời các loại giống phục vụ các mô hình sản xuất vụ đông xuân.",
    "3. Phòng Kế hoạch - Tài chính chủ trì, phối hợp với các phòng, đơn vị quản lý thu, chi ngân sách chặt chẽ, "
    "tiết kiệm, không sử dụng ngân sách làm quà biếu trong dịp Tết Nguyên đán.",
    "4. Phòng Quản lý Khoa học phối hợp với các chủ nhiệm đề tài, dự án nghiệm thu, thanh quyết toán khối lượng "
    "công việc năm 2026, không để tồn đọng.",
    "5. Thanh tra Sở, Chi cục Tiêu chuẩn Đo lường Chất lượng phối hợp tổ chức thanh tra, kiểm tra đo lường, "
    "chất lượng, nhãn hàng hóa phục vụ Tết Nguyên đán.",
    "6. Phòng Quản lý Công nghệ và Quản lý chuyên ngành kiểm tra, bảo đảm an toàn hệ thống mạng, hệ thống văn "
    "phòng điện tử thông suốt trong dịp Tết.",
]


def _html(paragraphs: list[str]) -> str:
    from html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _flow(document: Document, *, to: str, author: User, head: User | None, signer: User | None, clerk: User):
    """Move a fresh draft along the workflow up to the state ``to``."""
    if to == Document.State.DRAFT:
        return document
    services.document_submit(document=document, by=author)
    document.refresh_from_db()
    if to == Document.State.RETURNED:
        services.document_return(
            document=document, by=head, comment="Đề nghị bổ sung số liệu năm 2026 và thời hạn hoàn thành."
        )
        return document
    if document.state == Document.State.REVIEW:
        if to == Document.State.REVIEW:
            return document
        services.document_forward(document=document, by=head, comment="Đồng ý, kính trình lãnh đạo Sở ký.")
    if to == Document.State.SIGNING:
        return document
    services.document_approve(document=document, by=signer)
    if to == Document.State.APPROVED:
        return document
    return services.document_issue(document=document, by=clerk)


DEMO_COPIED_SUBJECT = "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 10 năm 2026"


DEMO_CERTIFICATE_DAYS = 3650


def seed_certificates(people: dict[str, User]) -> None:
    """A throw-away CA (made here, its key never kept), personal certificates and signature
    images for the director and the deputy, and the agency's certificate and seal, each
    installed through the same services as the pages. Skipped for whoever already has one.
    """
    import secrets

    authority = DemoAuthority(common_name="CA thử nghiệm (chỉ dùng cho bản trình diễn)", days=DEMO_CERTIFICATE_DAYS)
    for username in ("giamdoc", "phogiamdoc"):
        person = people.get(username)
        if person is None or PersonalCertificate.objects.filter(user=person).exists():
            continue
        passphrase = secrets.token_urlsafe(16)
        certificates.personal_certificate_save(
            user=person,
            by=person,
            data=authority.pkcs12(person.get_full_name(), passphrase.encode()),
            passphrase=passphrase,
            image=stamp_images.signature_png(person.get_full_name()),
        )
    administrator = people.get("quantri")
    agency = administrator.agency if administrator else None
    if agency is not None and not SigningCertificate.objects.filter(agency=agency).exists():
        passphrase = secrets.token_urlsafe(16)
        official_pdf.signing_certificate_upload(
            agency=agency,
            by=administrator,
            data=authority.pkcs12(agency.name, passphrase.encode()),
            passphrase=passphrase,
            seal=stamp_images.seal_png(agency.name),
        )


@transaction.atomic
def seed_documents() -> None:
    people = {u.username: u for u in User.objects.filter(agency__abbreviation="SKHCN")}
    if not people:
        return
    seed_certificates(people)  # before anything is issued: its PDF is signed twice
    units = {u.abbreviation: u for u in Unit.objects.filter(agency__abbreviation="SKHCN")}
    types = {t.name: t for t in DocumentType.objects.all()}
    existing = set(Document.objects.filter(agency__abbreviation="SKHCN").values_list("subject", flat=True))
    union, _ = Organisation.objects.get_or_create(
        name="Ban Chấp hành Công đoàn cơ sở", defaults={"abbreviation": "BCHCĐCS"}
    )
    clerk, director, deputy = people["vanthu"], people["giamdoc"], people["phogiamdoc"]
    all_units = list(units.values())

    def draft(subject, *, author, type_name, state, head=None, signer=director, **fields):
        if subject in existing:
            return
        document = services.document_create(
            by=people[author], doc_type=types[type_name], subject=subject, signer=signer, **fields
        )
        _flow(document, to=state, author=people[author], head=people.get(head), signer=signer, clerk=clerk)

    draft(
        CONG_VAN_SUBJECT,
        author="vanthu",
        type_name="Công văn",
        state=Document.State.APPROVED,
        head="vp.chanh",
        drafting_unit=units["VP"],
        urgency="khan",
        body=_html(CONG_VAN_BODY),
        recipient_units=all_units,
        recipient_organisations=[union],
        distribution="Như trên\n2PGĐ sở\nBCHCĐCS\nLưu: VT_nmp",
        references=[
            {
                "doc_type": "Công văn",
                "symbol": "1104/SNV-CCHC&VTTL",
                "issued_on": datetime.date(2021, 7, 19),
                "issuer": "Sở Nội vụ",
            },
            {
                "doc_type": "Chỉ thị",
                "symbol": "16/CT-TTg",
                "issued_on": datetime.date(2020, 3, 31),
                "issuer": "Thủ tướng Chính phủ",
            },
        ],
    )
    draft(
        "Triển khai một số nhiệm vụ cấp bách trước, trong và sau Tết Nguyên đán Đinh Mùi 2027",
        author="vp.hanh",
        type_name="Kế hoạch",
        state=Document.State.ISSUED,
        head="vp.chanh",
        body=_html(
            [
                "Để tổ chức các hoạt động đón Tết Nguyên đán an toàn, tiết kiệm, lành mạnh, Giám đốc Sở yêu cầu "
                "các phòng, đơn vị thực hiện các nhiệm vụ sau:",
                *TET_POINTS,
                "Các phòng, đơn vị nghiêm túc triển khai thực hiện./.",
            ]
        ),
        recipient_units=all_units,
        distribution="Như trên\nUBND tỉnh (b/c)\nLưu: VT, VP",
    )
    draft(
        DEMO_COPIED_SUBJECT,
        author="vp.hanh",
        type_name="Thông báo",
        state=Document.State.ISSUED,
        head="vp.chanh",
        signer=deputy,
        signing_authority="KT.",
        authority_title="GIÁM ĐỐC",
        body=_html(
            [
                "Ngày 30 tháng 10 năm 2026, Giám đốc Sở chủ trì cuộc họp giao ban với lãnh đạo các phòng, đơn vị.",
                "1. Văn phòng Sở tổng hợp kết quả thực hiện nhiệm vụ 10 tháng, báo cáo trước ngày 15/11/2026.",
                "2. Phòng Quản lý Khoa học rà soát các đề tài chậm tiến độ, đề xuất biện pháp xử lý.",
            ]
        ),
        recipient_units=[units["VP"], units["QLKH"], units["KHTC"]],
        distribution="Như trên\nLưu: VT, VP",
    )
    # A sao y of the issued thông báo, for the Technology unit it was not sent to (issue #16):
    # signed by the Chánh Văn phòng "TL. GIÁM ĐỐC", as offices do for copies.
    notice = Document.objects.filter(
        agency__abbreviation="SKHCN", subject=DEMO_COPIED_SUBJECT, state=Document.State.ISSUED, copy_form=""
    ).first()
    if notice is not None and not notice.copies.exists():
        from directives.copies import copy_make

        copy_make(
            document=notice, form=CopyForm.SAO_Y, by=clerk, signer=people["vp.chanh"], signing_authority="TL.",
            authority_title="GIÁM ĐỐC", recipient_units=[units["QLCN"]],
            distribution="Phòng Quản lý Công nghệ và Quản lý chuyên ngành\nLưu: VT",
        )  # fmt: skip
    draft(
        "Báo cáo kết quả thực hiện đề tài khoa học cấp tỉnh năm 2026",
        author="chuyenvien",
        type_name="Báo cáo",
        state=Document.State.DRAFT,
        body="<p>Phòng Quản lý Khoa học báo cáo kết quả thực hiện các đề tài khoa học cấp tỉnh năm 2026 như sau:</p>",
    )
    draft(
        "Đề nghị phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2027",
        author="chuyenvien",
        type_name="Tờ trình",
        state=Document.State.REVIEW,
        head="truongphong",
        body="<p>Phòng Quản lý Khoa học kính trình Giám đốc Sở phê duyệt danh mục nhiệm vụ năm 2027.</p>",
        distribution="Như trên\nLưu: VT, QLKH",
    )
    draft(
        "Kiểm tra an toàn hệ thống mạng và văn phòng điện tử cuối năm 2026",
        author="qlcn.thao",
        type_name="Công văn",
        state=Document.State.SIGNING,
        head="qlcn.truong",
        signer=deputy,
        signing_authority="KT.",
        authority_title="GIÁM ĐỐC",
        body="<p>Để bảo đảm hệ thống mạng và văn phòng điện tử hoạt động thông suốt, đề nghị các đơn vị rà soát.</p>",
        recipient_units=all_units,
        distribution="Như trên\nLưu: VT, QLCN",
    )
    draft(
        "Dự toán kinh phí hoạt động khoa học và công nghệ năm 2027",
        author="khtc.quang",
        type_name="Báo cáo",
        state=Document.State.RETURNED,
        head="khtc.truong",
        body="<p>Phòng Kế hoạch - Tài chính báo cáo dự toán kinh phí năm 2027.</p>",
        distribution="Giám đốc Sở\nLưu: VT, KHTC",
    )
    senders = {o.abbreviation: o for o in Organisation.objects.all()}
    today = timezone.localdate()
    if "Tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ" not in existing:
        services.incoming_register(
            by=clerk,
            sender=senders["UBND"],
            symbol="25/CT-UBND",
            issued_on=today - datetime.timedelta(days=3),
            doc_type=types["Chỉ thị"],
            subject="Tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ",
            received_on=today - datetime.timedelta(days=1),
            urgency="khan",
        )
    if "Hướng dẫn xây dựng kế hoạch khoa học và công nghệ năm 2027" not in existing:
        incoming = services.incoming_register(
            by=clerk,
            sender=senders["BKHCN"],
            symbol="2593/BKHCN-KHTC",
            issued_on=today - datetime.timedelta(days=10),
            doc_type=types["Hướng dẫn"],
            subject="Hướng dẫn xây dựng kế hoạch khoa học và công nghệ năm 2027",
            received_on=today - datetime.timedelta(days=8),
        )
        services.incoming_route(
            document=incoming,
            by=director,
            note="Giao Phòng Quản lý Khoa học chủ trì, Phòng Kế hoạch - Tài chính phối hợp tham mưu.",
            lead_unit=units["QLKH"],
            cooperating_units=[units["KHTC"]],
            deadline=today + datetime.timedelta(days=20),
        )
