"""Reading a received document into the incoming register: the pre-filled form, the sender
matched or created, the body, references linked both ways, the original bytes (issue #17)."""

import datetime
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import services as documents
from directives.models import Document, Reference
from intake import registration
from intake.models import Reading
from tasks.models import Task
from tests import factories
from tests.uploads import docx_bytes
from units.models import Organisation
from units.roles import Role

SYMBOL = "2593/UBND-YT"


def _fields(**overrides) -> dict:
    """What the parser answers for a công văn of the provincial People's Committee."""
    fields = {
        "kind": None, "doc_type": "Công văn", "type_abbr": None, "number": 2593, "symbol": SYMBOL,
        "parent_body": None, "issuer": "UBND TỈNH QUẢNG TRỊ", "place": "Quảng Trị", "issued_on": "2020-03-31",
        "subject": "Tăng cường phòng chống dịch <COVID-19>", "urgency": "Khẩn", "confidentiality": None,
        "addressees": ["Các sở, ban, ngành"],
        "references": [
            {"doc_type": "Chỉ thị", "symbol": "16/CT-TTg", "issued_on": "2020-03-31", "issuer": "Thủ tướng Chính phủ"}
        ],
        "body": ["Thực hiện Chỉ thị 16/CT-TTg <khẩn>:", "1. Sở Khoa học và Công nghệ chủ trì rà soát."],
        "items": [
            {"label": "1", "text": "Phòng Quản lý Khoa học chủ trì rà soát các đề tài. Báo cáo kết quả.",
             "lead_units": ["Phòng Quản lý Khoa học"], "cooperating_units": ["Văn phòng Sở"],
             "deadline": "2031-04-30"},
            {"label": "2", "text": "Văn phòng Sở tổng hợp báo cáo.", "lead_units": ["Văn phòng Sở"],
             "cooperating_units": [], "deadline": None},
        ],
        "signer": {"authority": "KT.", "authority_title": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Hà Sỹ Đồng"},
        "distribution": [], "uncertain": ["subject"],
    }  # fmt: skip
    fields.update(overrides)
    return fields


def _reading(clerk, *, data: bytes = b"", name: str = "", **fields) -> Reading:
    reading = Reading(agency=clerk.agency, created_by=clerk, state=Reading.State.DONE, method=Reading.Method.TEXT)
    reading.fields = _fields(**fields)
    if data:
        reading.file.save(name, SimpleUploadedFile(name, data), save=False)
        reading.name, reading.size = name, len(data)
        reading.sha256 = hashlib.sha256(data).hexdigest()
        reading.method = Reading.Method.DOCX
    reading.save()
    return reading


def input_tag(page: str, name: str) -> str:
    """The whole <input> element named ``name`` in the page."""
    return re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page).group(0)


def _post(fields: dict, **overrides) -> dict:
    data = {
        "sender": "", "new_sender": "on", "new_sender_name": "UBND tỉnh Quảng Trị", "doc_type": fields["doc_type"],
        "symbol": SYMBOL, "issued_on": "31/03/2020", "subject": "Tăng cường phòng chống dịch",
        "urgency": "khan", "confidentiality": "", "received_on": "02/04/2020",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def cong_van_pk(cong_van):
    return cong_van.pk


def test_the_form_comes_filled_from_the_reading_with_doubtful_fields_marked(client, clerk, cong_van):
    reading = _reading(clerk, symbol=None)
    client.force_login(clerk)
    page = client.get(reverse("intake:register", args=[reading.pk])).content.decode()
    assert "Tăng cường phòng chống dịch &lt;COVID-19&gt;" in page  # escaped, pre-filled
    assert f'<option value="{cong_van.pk}" selected>' in page
    assert 'value="2020-03-31"' in page or 'value="31/03/2020"' in page
    # Unknown symbol, uncertain subject, a sender to create: each says so in words.
    assert 'data-testid="field-symbol" data-mark="unknown"' in page
    assert 'data-testid="field-subject" data-mark="uncertain"' in page
    assert "Chưa đọc được" in page and "Cần kiểm tra" in page
    assert 'value="UBND tỉnh Quảng Trị"' in page  # the new sender's name, proposed
    assert " checked" in input_tag(page, "new_sender")
    assert "Văn bản trích dẫn" in page and "16/CT-TTg" in page
    assert '<option value="khan" selected>' in page  # «Khẩn» as the text writes it


def test_the_sender_is_matched_blind_to_case_and_diacritics(clerk):
    known = factories.OrganisationFactory(name="Ủy ban nhân dân tỉnh Quảng Trị", abbreviation="UBND tỉnh Quảng Trị")
    assert registration.sender_match({"issuer": "UBND TỈNH QUẢNG TRỊ"}) == known
    assert registration.sender_match({"issuer": "uy ban nhan dan tinh quang tri"}) == known
    assert registration.sender_match({"issuer": "UBND TỈNH QUẢNG NAM"}) is None
    assert registration.sender_match({"issuer": None}) is None
    health = factories.OrganisationFactory(name="Sở Y tế tỉnh Quảng Trị")
    assert registration.sender_match({"issuer": "SỞ Y TẾ", "parent_body": "TỈNH QUẢNG TRỊ"}) == health


def test_registering_stores_every_field_the_body_the_references_and_the_original_bytes(
    client, clerk, director, cong_van
):
    data = docx_bytes()
    reading = _reading(clerk, data=data, name="cong-van-2593.docx")
    client.force_login(clerk)
    response = client.post(reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}))
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get(direction="incoming")
    assert (document.symbol, document.issued_on, document.doc_type, document.urgency) == (
        SYMBOL, datetime.date(2020, 3, 31), cong_van, "khan",
    )  # fmt: skip
    assert document.sender.name == "UBND tỉnh Quảng Trị"  # created on registration, not before
    assert document.body == (
        "<p>Thực hiện Chỉ thị 16/CT-TTg &lt;khẩn&gt;:</p><p>1. Sở Khoa học và Công nghệ chủ trì rà soát.</p>"
    )
    assert "16/ct-ttg" in document.search_text
    assert list(document.references.values_list("symbol", "doc_type", "issuer")) == [
        ("16/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ")
    ]
    attachment = document.attachments.get()
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() == reading.sha256
    assert attachment.name == "cong-van-2593.docx"
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    reading.refresh_from_db()
    assert reading.document == document
    # Opening the reading again leads to the registered document, never to a second registration.
    again = client.post(reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}))
    assert again.status_code == 302 and again.url == reverse("directives:detail", args=[document.pk])
    assert Document.objects.filter(direction="incoming").count() == 1


def test_no_sender_chosen_nor_created_changes_nothing(client, clerk, cong_van):
    reading = _reading(clerk)
    client.force_login(clerk)
    page = client.post(
        reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}, new_sender="")
    ).content.decode()
    assert "Hãy chọn cơ quan gửi trong danh sách" in page
    blank = client.post(
        reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}, new_sender_name=" ")
    ).content.decode()
    assert "Hãy ghi tên cơ quan gửi mới." in blank
    assert not Document.objects.exists() and not Organisation.objects.exists()


def test_a_refused_registration_creates_no_sender(client, clerk, cong_van):
    reading = _reading(clerk)
    client.force_login(clerk)
    # The document's date after its arrival: incoming_register refuses, the new sender is rolled back.
    page = client.post(
        reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}, issued_on="05/04/2020")
    ).content.decode()
    assert "Ngày văn bản không thể sau ngày đến." in page
    assert not Organisation.objects.exists() and not Document.objects.exists()
    assert Reading.objects.get(pk=reading.pk).document is None


def test_a_known_sender_is_chosen_and_none_is_created(client, clerk, cong_van):
    known = factories.OrganisationFactory(name="Ủy ban nhân dân tỉnh Quảng Trị", abbreviation="UBND tỉnh Quảng Trị")
    reading = _reading(clerk)
    client.force_login(clerk)
    page = client.get(reverse("intake:register", args=[reading.pk])).content.decode()
    assert f'<option value="{known.pk}" selected>' in page
    client.post(reverse("intake:register", args=[reading.pk]), _post({"doc_type": cong_van.pk}, sender=known.pk))
    assert Document.objects.get().sender == known
    assert Organisation.objects.count() == 1


def test_cited_documents_in_the_register_are_linked_both_ways(clerk, director, cong_van, notice_type):
    sender = factories.OrganisationFactory(name="Thủ tướng Chính phủ")
    # Already registered: the directive the new document cites (same symbol, same year).
    cited = documents.incoming_register(
        by=clerk, sender=sender, symbol="16/CT-TTg", issued_on=datetime.date(2020, 3, 31), doc_type=notice_type,
        subject="Chỉ thị về cách ly xã hội", received_on=datetime.date(2020, 4, 1),
    )  # fmt: skip
    # Registered before: a document citing the one we are about to register, not yet linked.
    earlier = documents.incoming_register(
        by=clerk, sender=sender, symbol="99/SYT", issued_on=datetime.date(2020, 4, 1), doc_type=notice_type,
        subject="Hướng dẫn", received_on=datetime.date(2020, 4, 1),
        references=[{"symbol": SYMBOL, "issued_on": datetime.date(2020, 3, 31), "doc_type": "Công văn"}],
    )  # fmt: skip
    # Same symbol, another year: not the same document, left alone.
    other_year = Reference.objects.create(document=cited, symbol=SYMBOL, issued_on=datetime.date(2019, 3, 31))
    reading = _reading(clerk)
    document = registration.reading_register(
        reading=reading, by=clerk, sender=None, new_sender_name="UBND tỉnh Quảng Trị", doc_type=cong_van,
        symbol=SYMBOL, issued_on=datetime.date(2020, 3, 31), subject="Phòng chống dịch",
        received_on=datetime.date(2020, 4, 2),
    )  # fmt: skip
    assert document.references.get().target == cited
    assert earlier.references.get().target == document
    other_year.refresh_from_db()
    assert other_year.target is None


def test_the_document_page_shows_both_directions(client, clerk, director, cong_van, notice_type):
    sender = factories.OrganisationFactory(name="Thủ tướng Chính phủ")
    cited = documents.incoming_register(
        by=clerk, sender=sender, symbol="16/CT-TTg", issued_on=datetime.date(2020, 3, 31), doc_type=notice_type,
        subject="Chỉ thị về cách ly xã hội", received_on=datetime.date(2020, 4, 1),
    )  # fmt: skip
    document = registration.reading_register(
        reading=_reading(clerk), by=clerk, sender=None, new_sender_name="UBND tỉnh Quảng Trị", doc_type=cong_van,
        symbol=SYMBOL, issued_on=datetime.date(2020, 3, 31), subject="Phòng chống dịch",
        received_on=datetime.date(2020, 4, 2),
    )  # fmt: skip
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert "Văn bản trích dẫn" in page and reverse("directives:detail", args=[cited.pk]) in page
    cited_page = client.get(reverse("directives:detail", args=[cited.pk])).content.decode()
    assert "Được trích dẫn bởi" in cited_page and reverse("directives:detail", args=[document.pk]) in cited_page


def test_pasting_a_text_creates_a_reading_and_opens_its_form(client, clerk, cong_van):
    """End to end through the real names: reading_create, then the register page."""
    client.force_login(clerk)
    response = client.post(reverse("intake:read"), {"text": "UBND TỈNH QUẢNG TRỊ\nSố: 2593/UBND-YT\n"})
    reading = Reading.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:register", args=[reading.pk])
    assert (reading.state, reading.method, reading.agency, reading.created_by) == (
        Reading.State.DONE, Reading.Method.TEXT, clerk.agency, clerk,
    )  # fmt: skip
    assert "SỐ: 2593/UBND-YT".lower() in reading.text.lower()
    assert set(reading.fields) >= {"symbol", "issuer", "items", "uncertain"}
    page = client.get(response.url).content.decode()
    assert "Vào sổ văn bản đến" in page and 'name="symbol"' in page


def test_uploading_a_file_keeps_its_bytes(client, clerk):
    data = "CÔNG VĂN\nSố: 12/SYT-NV\n".encode()
    client.force_login(clerk)
    client.post(reverse("intake:read"), {"file": SimpleUploadedFile("cv.txt", data)})
    reading = Reading.objects.get()
    assert reading.name == "cv.txt" and reading.sha256 == hashlib.sha256(data).hexdigest()
    with reading.file.open("rb") as stored:
        assert stored.read() == data


def test_nothing_given_is_refused_and_stores_nothing(client, clerk):
    client.force_login(clerk)
    page = client.post(reverse("intake:read"), {"text": "   "}).content.decode()
    assert "Hãy chọn tệp văn bản hoặc dán nội dung văn bản." in page
    assert not Reading.objects.exists()


def test_a_scan_waits_and_the_page_polls_until_done(client, clerk):
    reading = Reading.objects.create(
        agency=clerk.agency, created_by=clerk, state=Reading.State.PENDING, method=Reading.Method.OCR, name="scan.pdf"
    )
    client.force_login(clerk)
    page = client.get(reverse("intake:register", args=[reading.pk])).content.decode()
    assert "Đang nhận dạng…" in page and reverse("intake:status", args=[reading.pk]) in page
    assert 'name="symbol"' not in page
    assert "Đang nhận dạng…" in client.get(reverse("intake:status", args=[reading.pk])).content.decode()
    Reading.objects.filter(pk=reading.pk).update(state=Reading.State.DONE, confidence=71.5, fields=_fields())
    done = client.get(reverse("intake:status", args=[reading.pk]))
    assert done["HX-Redirect"] == reverse("intake:register", args=[reading.pk])
    form = client.get(reverse("intake:register", args=[reading.pk])).content.decode()
    assert "Độ tin cậy nhận dạng chữ: 72%" in form and "Thấp: hãy đối chiếu kỹ" in form


def test_only_clerks_read_and_only_their_agency_s_readings(client, clerk, specialist, outsider):
    reading = _reading(clerk)
    client.force_login(specialist)
    assert client.get(reverse("intake:read")).status_code == 403
    assert client.get(reverse("intake:register", args=[reading.pk])).status_code == 404  # readings are the clerks'
    other_clerk = factories.PersonFactory(agency=outsider.agency, roles=[Role.CLERK])
    client.force_login(other_clerk)
    assert client.get(reverse("intake:register", args=[reading.pk])).status_code == 404
    assert client.post(reverse("intake:register", args=[reading.pk]), _post({"doc_type": 1})).status_code == 404
    assert client.get(reverse("intake:status", args=[reading.pk])).status_code == 404


def test_the_route_link_of_a_read_document_leads_to_the_proposals(client, clerk, director, cong_van):
    document = registration.reading_register(
        reading=_reading(clerk), by=clerk, sender=None, new_sender_name="UBND tỉnh Quảng Trị", doc_type=cong_van,
        symbol=SYMBOL, issued_on=datetime.date(2020, 3, 31), subject="Phòng chống dịch",
        received_on=datetime.date(2020, 4, 2),
    )  # fmt: skip
    client.force_login(director)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert reverse("intake:route", args=[document.pk]) in page
    assert not Task.objects.exists()


def test_a_file_of_a_refused_kind_is_refused_and_stores_nothing(client, clerk, settings):
    client.force_login(clerk)
    upload = SimpleUploadedFile("trang.html", b"<html><script>alert(1)</script></html>")
    page = client.post(reverse("intake:read"), {"file": upload}).content.decode()
    assert "bị từ chối" in page
    assert not Reading.objects.exists()
    assert not (settings.MEDIA_ROOT / "readings").exists()


def test_a_document_already_registered_is_shown_and_needs_confirming(client, clerk, cong_van):
    known = factories.OrganisationFactory(name="Ủy ban nhân dân tỉnh Quảng Trị")
    client.force_login(clerk)
    first, second = _reading(clerk), _reading(clerk)
    client.post(reverse("intake:register", args=[first.pk]), _post({"doc_type": cong_van.pk}, sender=known.pk))
    url = reverse("intake:register", args=[second.pk])
    page = client.post(url, _post({"doc_type": cong_van.pk}, sender=known.pk)).content.decode()
    assert 'data-testid="duplicate-warning"' in page and "Số đến 1" in page
    assert "Văn bản này có vẻ đã được vào sổ." in page and 'name="confirm_duplicate"' in page
    assert Document.objects.count() == 1
    response = client.post(url, _post({"doc_type": cong_van.pk}, sender=known.pk, confirm_duplicate="on"))
    assert response.status_code == 302 and Document.objects.count() == 2
