"""Documents shaped like document.schema.json, one of each kind the PDF tests print.

The công văn is the Bà Rịa - Vũng Tàu Department of Science and Technology's 2021 draft from
the project's shared samples (cong-van-khan-draft-brvt-2021.txt), with its OCR slips corrected:
KHÂN → Khẩn, "chật ngoài" → "chặt ngoài", "Quản triệt" → "Quán triệt",
"Công nghệ thông tin điện tử" → "Cổng thông tin điện tử". The sample has no parent body; the
header uses UBND TỈNH BÀ RỊA - VŨNG TÀU, and the draft's dateline year comes from issued_on.
"""

import copy

from directives.demo import CONG_VAN_BODY  # the sample's corrected text, shared with the demo data

CONG_VAN_KHAN_DRAFT = {
    "kind": "outgoing",
    "doc_type": "Công văn",
    "type_abbr": None,
    "number": None,
    "symbol": "/SKHCN-VP",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-07-22",
    "subject": "Phương án tổ chức làm việc thực hiện giãn cách xã hội theo Chỉ thị số 16/CT-TTg "
    "của Thủ tướng Chính phủ",
    "urgency": "Khẩn",
    "confidentiality": None,
    "addressees": ["Các phòng, đơn vị thuộc Sở", "Ban chấp hành Công đoàn cơ sở"],
    "body": CONG_VAN_BODY,
    "signer": {"authority": None, "authority_title": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Công Danh"},
    "distribution": ["Như trên", "2PGĐ sở", "BCHCĐCS", "Lưu: VT_nmp"],
}

THONG_BAO = {
    "kind": "outgoing",
    "doc_type": "Thông báo",
    "type_abbr": "TB",
    "number": 336,
    "symbol": "336/TB-SKHCN",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-01-05",
    "subject": "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 12 năm 2020",
    "urgency": None,
    "confidentiality": None,
    "addressees": [],
    "body": [
        "Ngày 30 tháng 12 năm 2020, Giám đốc Sở Khoa học và Công nghệ chủ trì cuộc họp giao ban định kỳ "
        "với lãnh đạo các phòng, đơn vị thuộc Sở. Sau khi nghe báo cáo, Giám đốc Sở kết luận như sau:",
        "1. Văn phòng Sở tổng hợp kết quả thực hiện nhiệm vụ năm 2020, hoàn thành trước ngày 15/01/2021.",
        "2. Phòng Quản lý khoa học chủ trì, phối hợp Phòng Kế hoạch - Tài chính rà soát các đề tài chậm "
        "tiến độ, đề xuất biện pháp xử lý.",
        "3. Trung tâm Thông tin và Ứng dụng tiến bộ khoa học và công nghệ đẩy mạnh ứng dụng chữ ký số "
        "trong phát hành văn bản điện tử.",
        "Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện./.",
    ],
    "signer": {
        "authority": "TL.",
        "authority_title": "GIÁM ĐỐC",
        "title": "CHÁNH VĂN PHÒNG",
        "name": "Trần Thị Hồng Vân",
    },
    "distribution": ["Giám đốc, các PGĐ Sở (b/c)", "Các phòng, đơn vị thuộc Sở", "Lưu: VT, VP"],
}

KE_HOACH = {
    "kind": "outgoing",
    "doc_type": "Kế hoạch",
    "type_abbr": "KH",
    "number": 12,
    "symbol": "12/KH-SKHCN",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-02-08",
    "subject": "Chuyển đổi số trong hoạt động của Sở Khoa học và Công nghệ năm 2021",
    "urgency": None,
    "confidentiality": None,
    "addressees": [],
    "body": [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích: nâng cao hiệu quả chỉ đạo, điều hành trên môi trường điện tử; 100% văn bản đi được "
        "ký số, trừ văn bản mật.",
        "2. Yêu cầu: các phòng, đơn vị xác định rõ nhiệm vụ, thời hạn và người chịu trách nhiệm.",
        "II. NHIỆM VỤ",
        "1. Văn phòng Sở chủ trì triển khai hệ thống quản lý văn bản và điều hành, hoàn thành trong quý II.",
        "2. Trung tâm Thông tin và Ứng dụng tiến bộ khoa học và công nghệ phối hợp hướng dẫn sử dụng.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Thủ trưởng các phòng, đơn vị tổ chức triển khai Kế hoạch này; định kỳ hằng quý báo cáo kết quả "
        "về Văn phòng Sở để tổng hợp./.",
    ],
    "signer": {"authority": "KT.", "authority_title": "GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Lê Văn Bảy"},
    "distribution": [
        "Sở Thông tin và Truyền thông",
        "Giám đốc, các PGĐ Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Lưu: VT, VP",
    ],
}

QUYET_DINH = {
    "kind": "outgoing",
    "doc_type": "Quyết định",
    "type_abbr": "QĐ",
    "number": 5,
    "symbol": "05/QĐ-SKHCN",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-03-09",
    "subject": "Về việc thành lập Tổ Chuyển đổi số của Sở Khoa học và Công nghệ",
    "urgency": None,
    "confidentiality": None,
    "addressees": [],
    "body": [
        "Căn cứ Quyết định số 2593/QĐ-UBND ngày 12 tháng 9 năm 2016 của Ủy ban nhân dân tỉnh quy định chức "
        "năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ;",
        "Theo đề nghị của Chánh Văn phòng Sở.",
        "Điều 1. Thành lập Tổ Chuyển đổi số của Sở Khoa học và Công nghệ gồm các ông, bà có tên tại danh "
        "sách kèm theo.",
        "Điều 2. Tổ Chuyển đổi số có nhiệm vụ tham mưu Giám đốc Sở triển khai các nhiệm vụ chuyển đổi số năm 2021.",
        "Điều 3. Chánh Văn phòng Sở, Thủ trưởng các phòng, đơn vị và các ông, bà có tên tại Điều 1 chịu "
        "trách nhiệm thi hành Quyết định này./.",
    ],
    "signer": {"authority": None, "authority_title": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Công Danh"},
    "distribution": ["Như Điều 3", "UBND tỉnh (b/c)", "Lưu: VT, VP"],
}


def document(base: dict, **changes) -> dict:
    """A deep copy of ``base`` with ``changes`` applied, so tests never share mutable dicts."""
    result = copy.deepcopy(base)
    result.update(changes)
    return result


def long_document(pages_of_text: int = 3) -> dict:
    """A thông báo long enough to run over ``pages_of_text`` pages."""
    paragraph = (
        "Các phòng, đơn vị thuộc Sở rà soát toàn bộ nhiệm vụ được giao trong năm, xác định rõ kết quả đã "
        "đạt được, những việc còn tồn đọng, nguyên nhân và đề xuất giải pháp khắc phục cụ thể, bảo đảm "
        "đúng thời hạn và chất lượng theo yêu cầu của Ủy ban nhân dân tỉnh."
    )
    body = [f"{i}. {paragraph}" for i in range(1, 9 * pages_of_text - 1)]
    return document(THONG_BAO, body=body)
