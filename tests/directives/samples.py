"""Documents shaped like document.schema.json, one of each kind the PDF tests print.

The công văn is the Bà Rịa - Vũng Tàu Department of Science and Technology's 2021 draft from
the project's shared samples (cong-van-khan-draft-brvt-2021.txt), with its OCR slips corrected:
KHÂN → Khẩn, "chật ngoài" → "chặt ngoài", "Quản triệt" → "Quán triệt",
"Công nghệ thông tin điện tử" → "Cổng thông tin điện tử". The sample has no parent body; the
header uses UBND TỈNH BÀ RỊA - VŨNG TÀU, and the draft's dateline year comes from issued_on.
"""

import copy

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
