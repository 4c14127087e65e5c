"""edXML packages and status messages: both shapes round-trip, every rule refuses in Vietnamese,
and hostile XML is refused before it is read."""

import base64
import dataclasses
import re
from datetime import UTC, date, datetime

import pytest

from exchange import edxml
from exchange.edxml import Attachment, Package, PackageInvalid, Party, Signer, Status


def a_package(**changes) -> Package:
    package = Package(
        from_=Party("H37.DN.001", "Sở Khoa học và Công nghệ", "UBND tỉnh Bà Rịa - Vũng Tàu"),
        to=[Party("H37.DN.002", "Sở Công Thương"), Party("H37.DN.003", "Sở Tài chính")],
        document_id="4711",
        code_number="05",
        code_notation="TB-SKHCN",
        place="Bà Rịa - Vũng Tàu",
        promulgation_date=date(2026, 11, 30),
        doc_type="Thông báo",
        subject="Triển khai nhiệm vụ khoa học năm 2027 <đợt 1> & các việc liên quan",
        content="Các sở phối hợp triển khai.",
        signer=Signer("KT. GIÁM ĐỐC", "Phó Giám đốc", "Lê Văn Carol"),
        due_date=date(2026, 12, 31),
        to_places=["Như trên", "Lưu: VT"],
        priority="1",
        steering_type="1",
        response_for="4200",
        attachments=[
            Attachment("1", "05_TB-SKHCN.pdf", "application/pdf", b"%PDF-1.4 \x00\xff binary", "Bản chính"),
            Attachment("2", "Phụ lục.docx", "application/vnd.openxmlformats", bytes(range(256))),
        ],
    )
    return dataclasses.replace(package, **changes)


@pytest.mark.parametrize("shape", ["qcvn102", "vdxp"])
def test_a_package_reads_back_field_by_field_in_both_shapes(shape):
    package = a_package()
    data = edxml.package_build(package, shape=shape)

    read = edxml.package_read(data)

    assert read == package
    assert edxml.package_shape(data) == shape
    assert edxml.SHAPES[shape].encode() in data


def test_the_qcvn102_shape_nests_the_header_and_manifest_as_published():
    data = edxml.package_build(a_package())
    assert b"<edXML:edXML " in data and b"<edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>" in data
    assert b"<edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>" in data
    assert b"<AttachmentEncoded><Attachment><ContentId>1</ContentId><ContentTransferEncoded>" in data


def test_the_vdxp_shape_uses_its_own_root_and_names():
    data = edxml.package_build(a_package(), shape="vdxp")
    assert b'<EdXMLEnvelope xmlns="http://www.go.vn/eDoc"><EdXMLHeader><MessageHeader>' in data
    assert b"<OrganInCharge>" in data and b"<Manifest>" in data


def test_a_vdxp_package_with_promulgator_and_no_type_name_is_read():
    data = edxml.package_build(a_package(attachments=[]), shape="vdxp")
    data = re.sub(rb"<PromulgationInfo><Place>(.*?)</Place>", rb"<PromulgationInfo><Promulgator>\1</Promulgator>", data)
    data = re.sub(rb"<DocumentType><TypeName>(.*?)</TypeName>", rb"<DocumentType>\1", data)
    read = edxml.package_read(data)
    assert read.place == "Bà Rịa - Vũng Tàu" and read.doc_type == "Thông báo"


def errors_of(package: Package) -> list[str]:
    """The errors of ``package`` both when built and when read from bytes built without checks."""
    with pytest.raises(PackageInvalid) as built:
        edxml.package_build(package)
    return built.value.errors


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"from_": None}, "Thiếu cơ quan gửi (phần tử From)."),
        ({"to": []}, "Gói tin phải có ít nhất một cơ quan nhận (phần tử To)."),
        ({"code_notation": ""}, "Thiếu số, ký hiệu (CodeNotation)."),
        ({"subject": " "}, "Thiếu trích yếu (Subject)."),
        ({"promulgation_date": None}, "Thiếu ngày ban hành (PromulgationDate)."),
        ({"doc_type": ""}, "Thiếu loại văn bản (DocumentType)."),
        ({"subject": "x" * 501}, "Subject dài 501 ký tự, quá giới hạn 500 ký tự."),
        ({"document_id": "1" * 16}, "DocumentId dài 16 ký tự, quá giới hạn 15 ký tự."),
        ({"code_number": "5a"}, "Số văn bản (CodeNumber) «5a» phải là chữ số."),
        ({"priority": "9"}, "Độ khẩn (Priority) «9» không hợp lệ."),
        (
            {"from_": Party("h37.dn-001", "Sở A")},
            "Mã định danh «h37.dn-001» của cơ quan gửi không hợp lệ: chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm,"
            " tối đa 35 ký tự.",
        ),
        ({"from_": Party("", "Sở A")}, "Thiếu mã định danh của cơ quan gửi."),
        ({"to": [Party("H37.DN.002", "")]}, "Thiếu tên của cơ quan nhận."),
        ({"to": [Party("H37.DN.002", "Sở B"), Party("H37.DN.002", "Sở B")]}, "Cơ quan nhận «H37.DN.002» bị lặp."),
        (
            {"attachments": [Attachment("1", "a.pdf", "application/pdf", b"1"), Attachment("1", "b.pdf", "", b"2")]},
            "ContentId «1» bị lặp.",
        ),
        (
            {"attachments": [Attachment("1", "", "application/pdf", b"1")]},
            "Tệp đính kèm «1» thiếu tên (AttachmentName).",
        ),
    ],
)
def test_a_package_breaking_a_rule_is_refused_with_its_message(changes, message):
    assert message in errors_of(a_package(**changes))


def test_an_identifier_of_36_characters_is_refused():
    assert any("A" * 36 in e for e in errors_of(a_package(to=[Party("A" * 36, "Sở B")])))


def test_an_attachment_over_the_upload_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 2**20
    package = a_package(attachments=[Attachment("1", "lon.pdf", "application/pdf", b"x" * (2**20 + 1))])
    assert "Tệp «lon.pdf» lớn hơn 1 MB, quá giới hạn cho phép." in errors_of(package)


def test_a_package_over_the_archive_limit_is_not_even_parsed(settings):
    data = edxml.package_build(a_package())
    settings.UPLOAD_ARCHIVE_MAX_BYTES = len(data) - 1
    with pytest.raises(PackageInvalid) as refused:
        edxml.package_read(data)
    assert refused.value.errors == ["Gói tin lớn hơn 0 MB, quá giới hạn cho phép."]


def read_errors(data: bytes) -> list[str]:
    with pytest.raises(PackageInvalid) as refused:
        edxml.package_read(data)
    return refused.value.errors


def test_a_listed_file_without_content_is_refused():
    data = edxml.package_build(a_package())
    start = data.index(b"<Attachment><ContentId>2</ContentId>")
    data = data[:start] + data[data.index(b"</Attachment>", start) + len(b"</Attachment>") :]
    assert read_errors(data) == ["Tệp «Phụ lục.docx» có trong danh mục nhưng thiếu nội dung."]


def test_a_file_missing_from_the_manifest_is_refused():
    data = edxml.package_build(a_package())
    data = data.replace(
        b"</AttachmentEncoded>",
        b"<Attachment><ContentId>9</ContentId><ContentTransferEncoded>QQ==</ContentTransferEncoded></Attachment></AttachmentEncoded>",
    )
    assert read_errors(data) == ["Tệp «9» không có trong danh mục (edXMLManifest)."]


def test_content_that_is_not_base64_is_refused():
    data = edxml.package_build(a_package())
    good = base64.b64encode(bytes(range(256)))
    data = data.replace(good, b"!!not base64!!")
    assert read_errors(data) == ["Nội dung tệp «Phụ lục.docx» không phải base64 hợp lệ."]


def test_missing_required_elements_are_all_named_when_read():
    data = edxml.package_build(a_package())
    data = re.sub(rb"<edXML:(Subject|CodeNotation)>.*?</edXML:\1>", b"", data)
    assert read_errors(data) == ["Thiếu số, ký hiệu (CodeNotation).", "Thiếu trích yếu (Subject)."]


def test_a_bad_date_is_named():
    data = edxml.package_build(a_package()).replace(b"2026/11/30", b"30/11/2026")
    assert read_errors(data) == [
        "Ngày ban hành «30/11/2026» không phải ngày hợp lệ (YYYY/MM/DD hoặc YYYY-MM-DD).",
        "Thiếu ngày ban hành (PromulgationDate).",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<not xml", "Gói tin không phải XML hợp lệ"),
        (b"<root/>", "Gốc «root» không phải gói tin edXML."),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><edXML>&lol3;</edXML>',
            "Gói tin chứa khai báo DTD hoặc thực thể XML, không được chấp nhận.",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXML>&xxe;</edXML>',
            "Gói tin chứa khai báo DTD hoặc thực thể XML, không được chấp nhận.",
        ),
    ],
    ids=["broken", "foreign root", "billion laughs", "external entity"],
)
def test_hostile_or_broken_xml_is_refused_before_reading(data, message):
    errors = read_errors(data)
    assert len(errors) == 1 and errors[0].startswith(message)


def a_status(**changes) -> Status:
    status = Status(
        code="03",
        from_=Party("H37.DN.002", "Sở Công Thương"),
        to=Party("H37.DN.001", "Sở Khoa học và Công nghệ"),
        document_id="4711",
        code_notation="TB-SKHCN",
        timestamp=datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
        description="Đã vào sổ, số đến 12",
        staff="Nguyễn Thị Alice",
    )
    return dataclasses.replace(status, **changes)


@pytest.mark.parametrize("shape", ["qcvn102", "vdxp"])
@pytest.mark.parametrize("code", sorted(edxml.STATUS_LABELS))
def test_every_status_reads_back_in_both_shapes(shape, code):
    status = a_status(code=code)
    assert edxml.status_read(edxml.status_build(status, shape=shape)) == status


def test_status_codes_carry_their_vietnamese_labels():
    assert a_status(code="02").label == "Từ chối tiếp nhận"
    assert a_status(code="16").label == "Từ chối lấy lại"
    assert set(edxml.STATUS_LABELS) == {"01", "02", "03", "04", "05", "06", "13", "15", "16"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "07"}, "Mã trạng thái «07» không hợp lệ."),
        ({"code": "02", "description": ""}, "Từ chối phải nêu lý do (Description)."),
        ({"timestamp": datetime(2026, 12, 1, 8, 30)}, "Thiếu thời điểm (Timestamp) có múi giờ."),
        (
            {"document_id": "", "code_notation": ""},
            "Thông điệp trạng thái phải nêu văn bản (DocumentId hoặc CodeNotation).",
        ),
        (
            {"to": Party("sct", "Sở Công Thương")},
            "Mã định danh «sct» của cơ quan nhận không hợp lệ: chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm,"
            " tối đa 35 ký tự.",
        ),
    ],
)
def test_a_status_breaking_a_rule_is_refused(changes, message):
    with pytest.raises(PackageInvalid) as refused:
        edxml.status_build(a_status(**changes))
    assert message in refused.value.errors


def test_a_status_with_an_unreadable_timestamp_is_named_once():
    data = edxml.status_build(a_status()).replace(b"2026-12-01T08:30:00+00:00", b"hom qua")
    with pytest.raises(PackageInvalid) as refused:
        edxml.status_read(data)
    assert refused.value.errors == ["Thời điểm «hom qua» không hợp lệ."]


def test_optional_dates_and_answers_are_left_out_when_empty():
    package = a_package(due_date=None, response_for="")
    data = edxml.package_build(package)
    assert b"DueDate" not in data and b"ResponseFor" not in data
    assert edxml.package_read(data) == package
