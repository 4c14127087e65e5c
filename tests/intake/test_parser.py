"""The parser reads a document's formal elements from its text (issue #17, item 1).

The three samples are checked field by field against expected values written by hand
(tests/fixtures/documents/<sample>.expected.json, conventions in docs/reading.md); each rule has
its own small test below."""

import json
from pathlib import Path

import pytest

from intake.parser import FIELDS, parse
from units.models import Agency, Organisation, Unit

DOCUMENTS = Path(__file__).parents[1] / "fixtures" / "documents"
SAMPLES = ["cong-van-khan-draft-brvt-2021", "news-report-caobang-2020", "news-tet-tasks-langson-2020"]
ITEM_KEYS = ("label", "text", "lead_units", "cooperating_units", "deadline", "recurrence")


def directory() -> dict:
    """The receiving agency's units, the known organisations and the agency, unsaved: the parser
    reads names, not rows."""
    data = json.loads((DOCUMENTS / "directory.json").read_text(encoding="utf-8"))
    return {
        "units": [
            Unit(name=u["name"], abbreviation=u["abbreviation"], aliases="\n".join(u["aliases"]), kind=u["kind"])
            for u in data["units"]
        ],
        "organisations": [Organisation(name=o["name"], abbreviation=o["abbreviation"]) for o in data["organisations"]],
        "agency": Agency(name=data["agency"]["name"], abbreviation=data["agency"]["abbreviation"]),
    }


def read(path: Path) -> dict:
    return parse(path.read_text(encoding="utf-8"), **directory())


def mismatches(expected: dict, actual: dict) -> list[str]:
    """Every field (and every item's part) that differs, as readable lines."""
    lines = []
    for name in (*FIELDS, "uncertain"):
        if name == "items":
            continue
        if expected.get(name) != actual.get(name):
            lines.append(f"{name}: expected {expected.get(name)!r}, got {actual.get(name)!r}")
    want, got = expected.get("items", []), actual.get("items", [])
    if [i["label"] for i in want] != [i["label"] for i in got]:
        lines.append(f"items labels: expected {[i['label'] for i in want]}, got {[i['label'] for i in got]}")
    got_by_label = {i["label"]: i for i in got}
    for item in want:
        other = got_by_label.get(item["label"], {})
        for key in ITEM_KEYS[1:]:
            if item.get(key) != other.get(key):
                lines.append(f"items[{item['label']}].{key}: expected {item.get(key)!r}, got {other.get(key)!r}")
    return lines


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_is_read_right_field_by_field(name):
    expected = json.loads((DOCUMENTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    actual = read(DOCUMENTS / f"{name}.txt")
    assert mismatches(expected, actual) == []


def test_the_draft_cong_van_reads_its_header_signer_and_list():
    """The sample's values named one by one, so a reader sees what the expected file holds."""
    doc = read(DOCUMENTS / "cong-van-khan-draft-brvt-2021.txt")
    assert (doc["doc_type"], doc["type_abbr"], doc["number"], doc["symbol"]) == ("Công văn", None, None, "/SKHCN-VP")
    assert (doc["place"], doc["issued_on"]) == ("Bà Rịa - Vũng Tàu", None)  # «ngày   tháng   năm 2021»
    assert doc["subject"] == (
        "Phương án tổ chức làm việc thực hiện giãn cách xã hội theo Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ"
    )
    assert doc["urgency"] == "Khẩn" and doc["uncertain"] == ["urgency"]  # printed «KHÂN»
    assert doc["addressees"] == ["Các phòng, đơn vị thuộc Sở", "Ban chấp hành Công đoàn cơ sở"]
    assert [r["symbol"] for r in doc["references"]] == ["16/CT-TTg", "1104/SNV-CCHC&VTTL", "8614/UBND-VP"]
    assert doc["references"][1] == {
        "doc_type": "Công văn",
        "symbol": "1104/SNV-CCHC&VTTL",
        "issued_on": "2021-07-19",
        "issuer": "Sở Nội vụ",
    }
    assert doc["body"][0].startswith("Thực hiện công văn số 1104") and doc["body"][-1].endswith("thực hiện./.")
    assert [i["label"] for i in doc["items"]] == ["1", "2", "3"]
    assert doc["items"][2]["lead_units"] == ["Tổ Công nghệ thông tin", "Văn phòng Sở"]
    assert doc["signer"] == {
        "authority": None,
        "authority_title": None,
        "title": "GIÁM ĐỐC",
        "name": "Nguyễn Công Danh",
    }
    assert doc["distribution"] == ["Như trên", "2PGĐ sở", "BCHCĐCS", "Lưu: VT_nmp"]


def test_a_news_page_loses_its_menus_counters_and_byline():
    doc = read(DOCUMENTS / "news-report-caobang-2020.txt")
    text = "\n".join(doc["body"])
    for noise in ("Trang nhất", "Thứ ba - 12/05/2020", "Tác giả bài viết", "Tổng lượt truy cập", "Những tin"):
        assert noise not in text
    assert doc["doc_type"] is None and doc["uncertain"] == ["subject"]
    assert doc["body"][0].startswith("Chủ động thực hiện kế hoạch được giao")
    assert doc["signer"]["name"] is None
    langson = read(DOCUMENTS / "news-tet-tasks-langson-2020.txt")
    assert "Nguyễn Như Thủy" not in "\n".join(langson["body"])  # the byline is nobody's signature
    assert not any(p.startswith("Hội nghị tổng kết") for p in langson["body"])  # a link to another article


def test_a_reference_with_a_stray_space_and_a_worded_date():
    doc = read(DOCUMENTS / "news-report-caobang-2020.txt")
    by_symbol = {r["symbol"]: r for r in doc["references"]}
    assert by_symbol["100/QĐ-TTg"] == {
        "doc_type": "Quyết định",
        "symbol": "100/QĐ-TTg",
        "issued_on": "2019-01-19",
        "issuer": "Thủ tướng Chính phủ",
    }
    assert by_symbol["15/CT-TTg"]["issued_on"] == "2020-03-27"  # «ngày 27 tháng 3 năm 2020»
    assert by_symbol["15/CT-TTg"]["issuer"] == "Thủ tướng Chính phủ"  # «của Thủ tướng Chính phủ tại Chỉ thị …»
    assert by_symbol["16/CT-TTg"]["issuer"] is None  # the text names none for it: no guess


# --- rules, one by one ---------------------------------------------------------------------------

HEADER = (
    "UBND TỈNH QUẢNG TRỊ\nSỞ CÔNG THƯƠNG\nSố: 489/SCT-VP\n{dateline}\nV/v báo cáo\n\n"
    "Kính gửi: Sở Tài chính.\n\nNội dung.\n"
)


@pytest.mark.parametrize(
    ("dateline", "place", "issued_on"),
    [
        ("Quảng Trị, ngày 16 tháng 4 năm 2020", "Quảng Trị", "2020-04-16"),
        ("Quảng Trị, ngày 06 tháng 02 năm 2020", "Quảng Trị", "2020-02-06"),
        ("Quảng Trị, ngày 16/4/2020", "Quảng Trị", "2020-04-16"),
        ("Quảng Trị, 16/4/2020", "Quảng Trị", "2020-04-16"),
        ("Quảng Trị, ngày      tháng      năm 2021", "Quảng Trị", None),
        ("Quảng Trị, ngày 31 tháng 2 năm 2021", "Quảng Trị", None),  # no such day: unknown, not a guess
    ],
)
def test_dateline_variants(dateline, place, issued_on):
    doc = parse(HEADER.format(dateline=dateline))
    assert (doc["place"], doc["issued_on"]) == (place, issued_on)


def test_a_two_column_header_merged_on_its_lines():
    text = (
        "UBND TỈNH QUẢNG TRỊ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ CÔNG THƯƠNG                    Độc lập - Tự do - Hạnh phúc\n"
        "Số: 489/SCT-VP          Quảng Trị, ngày 16 tháng 4 năm 2020\n"
        "V/v tăng cường kiểm tra thị trường\n"
        "dịp cuối năm\n\n"
        "Kính gửi: Sở Khoa học và Công nghệ.\n\n"
        "Thực hiện chỉ đạo của UBND tỉnh, Sở Công Thương đề nghị phối hợp kiểm tra.\n"
    )
    doc = parse(text)
    assert (doc["parent_body"], doc["issuer"]) == ("UBND TỈNH QUẢNG TRỊ", "SỞ CÔNG THƯƠNG")
    assert (doc["number"], doc["symbol"], doc["issued_on"]) == (489, "489/SCT-VP", "2020-04-16")
    assert doc["subject"] == "tăng cường kiểm tra thị trường dịp cuối năm"
    assert doc["addressees"] == ["Sở Khoa học và Công nghệ"]
    assert doc["doc_type"] == "Công văn" and doc["uncertain"] == []


def test_a_typed_document_takes_its_subject_under_the_type_name():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 12/KH-UBND\nQuảng Trị, ngày 03 tháng 3 năm 2020\n\n"
        "KẾ HOẠCH\nTriển khai chuyển đổi số\nnăm 2020\n\nI. MỤC ĐÍCH\n1. Rõ ràng.\n"
    )
    doc = parse(text)
    assert (doc["doc_type"], doc["type_abbr"]) == ("Kế hoạch", "KH")
    assert doc["subject"] == "Triển khai chuyển đổi số năm 2020"
    assert (doc["parent_body"], doc["issuer"]) == (None, "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ")


def test_nested_points_get_full_labels_and_headings_are_not_items():
    body = (
        "KẾ HOẠCH\nThử\n\nI. MỤC ĐÍCH\n1. Nâng cao chất lượng.\nII. NHIỆM VỤ\n1. Đề tài\n"
        "a) Phòng Quản lý Khoa học rà soát đề tài.\nb) Thanh tra Sở kiểm tra.\n2. Giao Văn phòng Sở tổng hợp.\n"
        "2.1. Lập danh sách.\n"
    )
    doc = parse(body, **directory())
    assert [i["label"] for i in doc["items"]] == ["I.1", "II.1.a", "II.1.b", "II.2.1"]
    assert doc["items"][1]["lead_units"] == ["Phòng Quản lý Khoa học"]
    assert doc["items"][3]["lead_units"] == ["Văn phòng Sở"]  # inherited from its heading «2. Giao Văn phòng Sở …»


def test_articles_of_a_quyet_dinh_are_items_with_their_clauses():
    text = (
        "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\n\nQUYẾT ĐỊNH:\n"
        "Điều 1. Thành lập Tổ công tác.\n1. Tổ trưởng.\n2. Tổ viên.\n"
        "Điều 2. Văn phòng Sở chủ trì, phối hợp với Phòng Kế hoạch - Tài chính bố trí kinh phí trước ngày 15/5.\n"
    )
    doc = parse(text.replace("Thành", "Thành"), **directory())
    assert [i["label"] for i in doc["items"]] == ["Điều 1", "Điều 2"]
    assert doc["items"][0]["text"] == "Thành lập Tổ công tác.\n1. Tổ trưởng.\n2. Tổ viên."
    assert doc["items"][1]["lead_units"] == ["Văn phòng Sở"]
    assert doc["items"][1]["cooperating_units"] == ["Phòng Kế hoạch - Tài chính"]
    assert doc["subject"] == "thành lập Tổ công tác"


@pytest.mark.parametrize(
    ("point", "deadline", "recurrence"),
    [
        ("1. Báo cáo trước ngày 30/4/2020.", "2020-04-30", None),
        ("1. Hoàn thành trong tháng 4/2020.", "2020-04-30", None),
        ("1. Hoàn thành trong tháng 2 năm 2020.", "2020-02-29", None),
        ("1. Gửi kết quả trước ngày 15/5.", "2021-05-15", None),  # no year: the document's
        ("1. Nộp chậm nhất ngày 05 tháng 6 năm 2021.", "2021-06-05", None),
        ("1. Hoàn thành trong quý II/2021.", "2021-06-30", None),
        ("1. Báo cáo hằng quý về Văn phòng Sở.", None, "quarterly"),
        ("1. Báo cáo hàng tháng trước ngày 25.", None, "monthly"),
        ("1. Không quá 1/3 số người làm việc tại cơ quan.", None, None),
        ("1. Tiếp tục theo dõi.", None, None),
    ],
)
def test_deadline_forms(point, deadline, recurrence):
    text = "Số: 5/KH-SKHCN\nCao Bằng, ngày 02 tháng 3 năm 2021\n\nKẾ HOẠCH\nThử\n\n" + point + "\n"
    (item,) = parse(text)["items"]
    assert (item["deadline"], item["recurrence"]) == (deadline, recurrence)


def test_a_date_without_year_and_no_known_year_stays_null():
    (item,) = parse("KẾ HOẠCH\nThử\n\n1. Báo cáo trước ngày 15/5.\n")["items"]
    assert item["deadline"] is None


@pytest.mark.parametrize(
    ("block", "signer"),
    [
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nTrần Văn Bình", ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Bình")),
        ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n(Đã ký)\nLê Thị Hoa", ("TL.", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Lê Thị Hoa")),
        (
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nHoàng Nam",
            ("TM.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Hoàng Nam"),
        ),
        ("TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nĐỗ Minh", ("TUQ.", "CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Đỗ Minh")),
        ("GIÁM ĐỐC\n\nNguyễn Công Danh", (None, None, "GIÁM ĐỐC", "Nguyễn Công Danh")),
    ],
)
def test_signer_authority_forms(block, signer):
    text = "Số: 7/SKHCN-VP\nHà Nội, ngày 02/3/2021\nV/v thử\n\nKính gửi: Sở Y tế.\n\nNội dung cần làm./.\n\n"
    doc = parse(text + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n\n" + block + "\n")
    assert tuple(doc["signer"].values()) == signer
    assert doc["distribution"] == ["Như trên", "Lưu: VT, VP"]
    assert doc["body"] == ["Nội dung cần làm./."]


def test_a_signature_beside_noi_nhan_on_the_same_lines():
    text = (
        "Số: 7/SKHCN-VP\nHà Nội, ngày 02/3/2021\nV/v thử\n\nKính gửi: Sở Y tế.\n\nNội dung./.\n\n"
        "Nơi nhận:                                   KT. GIÁM ĐỐC\n"
        "- Như trên;                                 PHÓ GIÁM ĐỐC\n"
        "- Lưu: VT, VP.\n"
        "                                            Trần Văn Bình\n"
    )
    doc = parse(text)
    assert tuple(doc["signer"].values()) == ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Bình")
    assert doc["distribution"] == ["Như trên", "Lưu: VT, VP"]


@pytest.mark.parametrize(
    ("mark", "field", "value", "unsure"),
    [
        ("KHẨN", "urgency", "Khẩn", False),
        ("KHÂN", "urgency", "Khẩn", True),  # the sample's damaged mark: read, and marked to check
        ("HOẢ TỐC", "urgency", "Hỏa tốc", False),  # the tone mark's old place is no damage
        ("THƯỢNG KHẨN", "urgency", "Thượng khẩn", False),
        ("TỐI MẬT", "confidentiality", "Tối mật", False),
    ],
)
def test_urgency_and_confidentiality_marks(mark, field, value, unsure):
    doc = parse(f"Số: 7/SKHCN-VP\nV/v thử\n\n{mark}\n\nKính gửi: Sở Y tế.\n\nNội dung./.\n")
    assert doc[field] == value
    assert (field in doc["uncertain"]) is unsure


def test_kinh_gui_on_one_line_with_several_addressees():
    doc = parse("Số: 7/SKHCN-VP\nV/v thử\n\nKính gửi: Sở Y tế; Sở Tài chính.\n\nNội dung./.\n")
    assert doc["addressees"] == ["Sở Y tế", "Sở Tài chính"]


def test_kinh_gui_spaced_out_on_its_line():
    doc = parse("Số: 15/SKHCN-VP\nV/v thử\n\n      Kính gửi:        Sở Tài chính tỉnh Quảng Trị.\n\nThực hiện.\n")
    assert doc["addressees"] == ["Sở Tài chính tỉnh Quảng Trị"]


def test_kinh_gui_entries_one_a_line_without_dashes():
    doc = parse("Số: 15/SKHCN-VP\nV/v thử\n\nKính gửi:\nSở Tài chính;\nSở Nội vụ.\n\nThực hiện chỉ đạo.\n")
    assert doc["addressees"] == ["Sở Tài chính", "Sở Nội vụ"]
    assert doc["body"] == ["Thực hiện chỉ đạo."]


def test_units_as_lead_and_cooperating():
    text = "KẾ HOẠCH\nThử\n\n" + "\n".join(
        [
            "1. Phòng Quản lý Khoa học chủ trì, phối hợp với Văn phòng Sở, Thanh tra Sở rà soát.",
            "2. Giao Sở Tài chính bố trí kinh phí; liên hệ Sở Y tế khi cần.",
            "3. Các phòng, đơn vị triển khai thực hiện.",
            "4. Sử dụng phần mềm cho cuộc họp do UBND tỉnh chủ trì.",
            "5. Thực hiện Kế hoạch của UBND tỉnh, Sở KH&CN phối hợp với Công an tỉnh kiểm tra.",
            "6. Yêu cầu Giám đốc Sở Y tế chỉ đạo kiểm tra.",  # the head stands for the body
            "7. Văn phòng các sở, ngành kiểm tra thể thức văn bản.",  # someone else's Văn phòng
            "8. UBND tỉnh giao Sở KH&CN chủ trì, phối hợp với Sở Tài chính xây dựng đề án.",  # the giver leads not
            "9. Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Y tế chỉ đạo kiểm tra.",
            "10. Thanh tra việc chấp hành pháp luật về đo lường.",  # the verb, not the Thanh tra Sở
        ]
    )
    items = parse(text, **directory())["items"]
    assert [(i["lead_units"], i["cooperating_units"]) for i in items] == [
        (["Phòng Quản lý Khoa học"], ["Văn phòng Sở", "Thanh tra Sở"]),
        (["Sở Tài chính"], []),
        ([], []),  # a generic phrase names no unit: nothing guessed
        ([], []),  # «do UBND tỉnh chủ trì» names who chairs the meeting
        (["Sở Khoa học và Công nghệ"], ["Công an tỉnh"]),
        (["Sở Y tế"], []),
        ([], []),
        (["Sở Khoa học và Công nghệ"], ["Sở Tài chính"]),
        (["Sở Y tế"], []),
        ([], []),
    ]


def test_output_is_nfc_and_has_every_field():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", HEADER.format(dateline="Quảng Trị, ngày 16 tháng 4 năm 2020"))
    doc = parse(decomposed)
    assert set(doc) == {*FIELDS, "uncertain"}
    assert doc["issuer"] == "SỞ CÔNG THƯƠNG" and unicodedata.is_normalized("NFC", json.dumps(doc, ensure_ascii=False))


def test_empty_text_answers_every_field_unknown():
    doc = parse("")
    assert doc["doc_type"] is None and doc["body"] == [] and doc["signer"]["name"] is None


def test_columns_merged_with_single_spaces_and_an_e_signature_stamp():
    """A text layer may join the two columns with one space, and a signed PDF adds its stamp lines."""
    text = (
        "UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 489/SCT-VP Quảng Trị, ngày 16 tháng 4 năm 2020\n"
        "V/v tăng cường kiểm tra thị trường dịp Tết\n"
        "Kính gửi: Sở Khoa học và Công nghệ\n"
        "Thực hiện Chỉ thị số 05-CT/TU ngày 02/01/2020 của Ban Thường vụ Tỉnh ủy, Sở Công Thương đề nghị:\n"
        "1. Chi cục Tiêu chuẩn Đo lường Chất lượng kiểm tra đo lường. Thời hạn hoàn thành: 30/4/2020.\n"
        "2. Hoàn thành trong năm 2020.\n"
        "Người ký: Sở Công Thương\nEmail: sct@quangtri.gov.vn\n"
        "Nơi nhận: KT. GIÁM ĐỐC\n- Như trên; PHÓ GIÁM ĐỐC\n- Lưu: VT.\nLê Văn A\n"
    )
    doc = parse(text, **directory())
    assert (doc["parent_body"], doc["issuer"], doc["symbol"]) == ("UBND TỈNH QUẢNG TRỊ", "SỞ CÔNG THƯƠNG", "489/SCT-VP")
    assert (doc["place"], doc["issued_on"]) == ("Quảng Trị", "2020-04-16")
    assert doc["subject"] == "tăng cường kiểm tra thị trường dịp Tết"
    assert doc["references"] == [
        {"doc_type": "Chỉ thị", "symbol": "05-CT/TU", "issued_on": "2020-01-02", "issuer": "Ban Thường vụ Tỉnh ủy"}
    ]
    assert len(doc["body"]) == 3  # the stamp's lines are not the content
    assert [(i["lead_units"], i["deadline"]) for i in doc["items"]] == [
        (["Chi cục Tiêu chuẩn Đo lường Chất lượng"], "2020-04-30"),
        ([], "2020-12-31"),
    ]
    assert tuple(doc["signer"].values()) == ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn A")
    assert doc["distribution"] == ["Như trên", "Lưu: VT"]


def test_tab_separated_columns_and_an_upper_case_name_and_bare_distribution_entries():
    text = (
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "CỤC SỞ HỮU TRÍ TUỆ\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 55/SHTT-VP\tHà Nội, ngày 02 tháng 01 năm 2023\n"
        "V/v: hướng dẫn đăng ký sáng chế\n\nKính gửi: Sở Khoa học và Công nghệ các tỉnh\n\n"
        "Cục Sở hữu trí tuệ hướng dẫn như sau.\n\n"
        "Nơi nhận:\nNhư trên;\nLưu: VT.\n\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n\nNGUYỄN VĂN BÌNH\n"
    )
    doc = parse(text)
    assert (doc["parent_body"], doc["issuer"]) == ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "CỤC SỞ HỮU TRÍ TUỆ")
    assert (doc["symbol"], doc["place"], doc["issued_on"]) == ("55/SHTT-VP", "Hà Nội", "2023-01-02")
    assert doc["subject"] == "hướng dẫn đăng ký sáng chế"
    assert tuple(doc["signer"].values()) == ("KT.", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "NGUYỄN VĂN BÌNH")
    assert doc["distribution"] == ["Như trên", "Lưu: VT"]


def test_a_party_document_with_its_own_title_symbol_and_authority():
    text = (
        "ĐẢNG BỘ TỈNH QUẢNG NAM    ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\n"
        "Số: 15-CT/TU    Quảng Nam, ngày 10 tháng 5 năm 2021\n\nCHỈ THỊ\nVề tăng cường lãnh đạo chuyển đổi số\n\n"
        "1. Sở Khoa học và Công nghệ chủ trì nghiên cứu.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nPhan Việt Cường\n"
    )
    doc = parse(text, **directory())
    assert (doc["doc_type"], doc["number"], doc["symbol"]) == ("Chỉ thị", 15, "15-CT/TU")
    assert (doc["parent_body"], doc["issuer"]) == ("ĐẢNG BỘ TỈNH QUẢNG NAM", "TỈNH ỦY")
    assert tuple(doc["signer"].values()) == ("TM.", "BAN THƯỜNG VỤ", "BÍ THƯ", "Phan Việt Cường")
    assert doc["items"][0]["lead_units"] == ["Sở Khoa học và Công nghệ"]


def test_without_blank_lines_the_subject_stops_where_the_body_starts():
    quyet_dinh = parse(
        "UBND TỈNH CAO BẰNG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 5/QĐ-SKHCN\nCao Bằng, ngày 1/2/2022\n"
        "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\nGIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ\nCăn cứ Luật Khoa học;\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Thành lập Tổ công tác.\n"
    )
    assert quyet_dinh["subject"] == "thành lập Tổ công tác"
    assert quyet_dinh["body"][:2] == ["GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Căn cứ Luật Khoa học;"]
    letter = parse(
        "Số: 5/SKHCN-VP\nV/v thử nghiệm\nThực hiện Công văn số 12/UBND-VX ngày 2/3/2022 của UBND tỉnh, "
        "Sở Khoa học và Công nghệ đề nghị các đơn vị như sau:\n1. Báo cáo.\n"
    )
    assert letter["subject"] == "thử nghiệm"
    assert letter["body"][1] == "1. Báo cáo."


def test_ocr_misread_diacritics_on_the_layout_words():
    doc = parse(
        "Sô: 12/SKHCN-VP\nV/v thử\n\nKinh gừi: Sở Y tế.\n\nNội dung./.\n\n"
        "Noi nhân:\n- Lưu: VT.\n\nGIÁM ĐỐC\n\nLê Văn A\n"
    )
    assert (doc["symbol"], doc["addressees"], doc["distribution"]) == ("12/SKHCN-VP", ["Sở Y tế"], ["Lưu: VT"])
    assert doc["signer"]["name"] == "Lê Văn A"


def test_a_portals_table_of_particulars_fills_what_the_page_has_no_header_for():
    text = (
        "Trang chủ » Văn bản » Văn bản chỉ đạo điều hành\n"
        "Số ký hiệu\t1234/UBND-KT\nNgày ban hành\t05/04/2022\nLoại văn bản\tCông văn\n"
        "Cơ quan ban hành\tUBND tỉnh Quảng Bình\nNgười ký\tTrần Phong\n"
        "Trích yếu\tV/v triển khai Đề án hỗ trợ doanh nghiệp đổi mới sáng tạo\n\n"
        "Thực hiện Quyết định số 844/QĐ-TTg ngày 18/5/2016 của Thủ tướng Chính phủ, UBND tỉnh có ý kiến như sau:\n"
        "1. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính hướng dẫn, hoàn thành trước ngày 30/6.\n"
        "Lượt xem: 120\n"
    )
    doc = parse(text, **directory())
    assert (doc["doc_type"], doc["number"], doc["symbol"]) == ("Công văn", 1234, "1234/UBND-KT")
    assert (doc["issuer"], doc["issued_on"]) == ("UBND tỉnh Quảng Bình", "2022-04-05")
    assert doc["subject"] == "triển khai Đề án hỗ trợ doanh nghiệp đổi mới sáng tạo" and doc["uncertain"] == []
    assert doc["signer"]["name"] == "Trần Phong"
    assert len(doc["body"]) == 2
    assert doc["items"][0]["deadline"] == "2022-06-30"  # the year the table gives


def test_a_v_v_subject_makes_a_cong_van_whatever_its_symbol_looks_like():
    doc = parse("THANH TRA SỞ\nSố: 15/TTr-VP\nV/v kiểm tra đo lường\n\nKính gửi: Chi cục TĐC.\n\nNội dung./.\n")
    assert (doc["doc_type"], doc["type_abbr"]) == ("Công văn", None)
    assert doc["uncertain"] == ["doc_type"]  # «TTr» is also Tờ trình's abbreviation: the screen asks


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "Số:",
        "Số: /",
        "Kính gửi:",
        "Nơi nhận:",
        "KT.",
        "1.",
        "Điều",
        "V/v",
        "ngày tháng năm",
        "a" * 50000,
    ],
)
def test_odd_texts_never_raise(text):
    doc = parse(text)
    assert set(doc) == {*FIELDS, "uncertain"}


def test_a_menu_entry_above_the_content_is_no_footer():
    doc = parse(
        "Trang chủ\nVăn bản liên quan\nXem thêm\nSố: 15/SKHCN-VP\nV/v thử\n\nKính gửi: Sở Y tế.\n\n"
        "Thực hiện chỉ đạo của UBND tỉnh về việc này, đề nghị thực hiện.\n\nGIÁM ĐỐC\nLê Văn An\n"
        "Tin liên quan\nMột bài khác của trang, dài và có dấu chấm cuối câu cho đủ độ dài.\n"
    )
    assert doc["symbol"] == "15/SKHCN-VP"
    assert doc["body"] == ["Thực hiện chỉ đạo của UBND tỉnh về việc này, đề nghị thực hiện."]
    assert doc["signer"]["name"] == "Lê Văn An"


def test_a_sites_banner_above_the_header_is_no_body_but_a_gap_between_bodies_is_allowed():
    page = "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẾN TRE\n\nUBND TỈNH BẾN TRE\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 25/KH-SKHCN\n"
    doc = parse(page + "\nKẾ HOẠCH\nKiểm tra\n\n1. Làm.\n")
    assert (doc["parent_body"], doc["issuer"]) == ("UBND TỈNH BẾN TRE", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    spaced = parse("UBND TỈNH X\n\nSỞ Y TẾ\n\nSố: 15/SYT-VP\nV/v thử\n\nKính gửi: A.\n\nNội dung của văn bản.\n")
    assert (spaced["parent_body"], spaced["issuer"]) == ("UBND TỈNH X", "SỞ Y TẾ")
