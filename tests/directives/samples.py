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
    # Readers a thông báo has (the portal fills them from its recipients), but prints in
    # Nơi nhận only: a thông báo has no "Kính gửi:" block.
    "addressees": ["Các phòng, đơn vị thuộc Sở"],
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
    "addressees": ["Các phòng, đơn vị thuộc Sở"],  # not printed: a kế hoạch has no "Kính gửi:"
    "body": [
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt "
        "Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;",
        "Sở Khoa học và Công nghệ ban hành Kế hoạch chuyển đổi số năm 2021 như sau:",
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
        "Căn cứ Kế hoạch số 12/KH-SKHCN ngày 08 tháng 02 năm 2021 về chuyển đổi số của Sở;",
        "Theo đề nghị của Chánh Văn phòng Sở.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Thành lập Tổ Chuyển đổi số của Sở Khoa học và Công nghệ gồm các ông, bà có tên tại danh "
        "sách kèm theo.",
        "Điều 2. Tổ Chuyển đổi số có nhiệm vụ tham mưu Giám đốc Sở triển khai các nhiệm vụ chuyển đổi số năm 2021.",
        "Điều 3. Chánh Văn phòng Sở, Thủ trưởng các phòng, đơn vị và các ông, bà có tên tại Điều 1 chịu "
        "trách nhiệm thi hành Quyết định này./.",
    ],
    "signer": {"authority": None, "authority_title": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Công Danh"},
    "distribution": ["Như Điều 3", "UBND tỉnh (b/c)", "Lưu: VT, VP"],
}

CHI_THI = {
    "kind": "outgoing",
    "doc_type": "Chỉ thị",
    "type_abbr": "CT",
    "number": 3,
    "symbol": "03/CT-UBND",
    "parent_body": None,
    # A long issuer: it wraps inside the header's left column.
    "issuer": "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-04-15",
    "subject": "Về việc đẩy mạnh ứng dụng chữ ký số trong cơ quan nhà nước trên địa bàn tỉnh",
    "urgency": None,
    "confidentiality": None,
    "addressees": ["Các sở, ban, ngành", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
    "body": [
        "Thời gian qua, việc ứng dụng chữ ký số trong các cơ quan nhà nước trên địa bàn tỉnh đã đạt được "
        "nhiều kết quả; tuy nhiên, tỷ lệ văn bản điện tử được ký số ở một số đơn vị còn thấp.",
        "Để khắc phục tình trạng trên, Chủ tịch Ủy ban nhân dân tỉnh chỉ thị:",
        "1. Thủ trưởng các sở, ban, ngành bảo đảm 100% văn bản đi được ký số, trừ văn bản mật.",
        "2. Sở Thông tin và Truyền thông hướng dẫn, kiểm tra việc thực hiện Chỉ thị này./.",
    ],
    "signer": {"authority": "TM.", "authority_title": "ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn Thọ"},
    "distribution": ["Như trên", "Thường trực Tỉnh ủy (b/c)", "Lưu: VT, VP"],
}

TO_TRINH = {
    "kind": "outgoing",
    "doc_type": "Tờ trình",
    "type_abbr": "TTr",
    "number": 7,
    "symbol": "07/TTr-SKHCN",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-05-20",
    "subject": "Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2022",
    "urgency": None,
    "confidentiality": None,
    "addressees": ["Ủy ban nhân dân tỉnh"],
    "body": [
        "Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;",
        "Căn cứ Quyết định số 2593/QĐ-UBND ngày 12 tháng 9 năm 2016 của Ủy ban nhân dân tỉnh.",
        "Sở Khoa học và Công nghệ kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt danh mục 12 nhiệm vụ "
        "khoa học và công nghệ cấp tỉnh năm 2022 (danh mục kèm theo).",
        "Kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.",
    ],
    "signer": {"authority": None, "authority_title": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Công Danh"},
    "distribution": ["Như trên", "Lưu: VT, QLKH"],
}

# A regulation with chapters and titled articles (the quy chế a quyết định promulgates).
QUY_CHE = {
    "kind": "outgoing",
    "doc_type": "Quy chế",
    "type_abbr": "QC",
    "number": 2,
    "symbol": "02/QC-SKHCN",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place": "Bà Rịa - Vũng Tàu",
    "issued_on": "2021-06-01",
    "subject": "Làm việc của Sở Khoa học và Công nghệ",
    "urgency": None,
    "confidentiality": None,
    "addressees": [],
    "body": [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        "Quy chế này quy định nguyên tắc, chế độ trách nhiệm và quan hệ công tác của Sở.",
        "Chương II. Trách nhiệm và phạm vi giải quyết công việc",
        "Mục 1. Giám đốc Sở",
        "Điều 2. Giám đốc Sở chịu trách nhiệm trước Ủy ban nhân dân tỉnh về toàn bộ hoạt động của Sở./.",
    ],
    "signer": {"authority": None, "authority_title": None, "title": "GIÁM ĐỐC", "name": "Nguyễn Công Danh"},
    "distribution": ["Các phòng, đơn vị thuộc Sở", "Lưu: VT, VP"],
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
