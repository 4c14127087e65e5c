"""exchange_export then exchange_import into another agency reproduces the document (issue #18)."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directives import services
from directives.models import Attachment, Counter, Document, IssuedPdf
from exchange import edxml
from exchange import services as exchange_services
from exchange.models import Received
from lib.errors import DomainError, NotAllowed
from lib.uploads import UploadRefused
from tests import factories, uploads
from units.models import Organisation


@pytest.fixture
def trade(sct):
    """Sở Công Thương, another agency of the installation, with its identity (tests/exchange/conftest.py)."""
    return sct


@pytest.fixture
def trade_clerk(sct_clerk):
    """olga, its clerk."""
    return sct_clerk


@pytest.fixture
def issued(agency, trade, make_draft, specialist, unit_head, director, clerk, django_capture_on_commit_callbacks):
    """An issued notice of SKHCN to Sở Công Thương, with one attached file and its official PDF."""
    agency.exchange_id = "H37.DN.001"
    agency.save(update_fields=["exchange_id"])
    addressee = factories.OrganisationFactory(name="Sở Công Thương", exchange_id="H37.DN.002")
    document = make_draft(recipient_organisations=[addressee], urgency="khan")
    services.attachment_add(document=document, by=specialist, file=uploads.pdf("Phụ lục kèm theo.pdf"))
    services.document_submit(document=document, by=specialist)
    services.document_forward(document=document, by=unit_head)
    services.document_approve(document=document, by=director)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_issue(document=Document.objects.get(pk=document.pk), by=clerk)
    document.refresh_from_db()
    assert document.issued_pdf.state == IssuedPdf.State.READY
    return document


def files_of(document: Document) -> list[tuple[str, bytes]]:
    result = []
    for attachment in document.attachments.order_by("pk"):
        with attachment.file.open("rb") as stored:
            result.append((attachment.name, stored.read()))
    return result


@pytest.mark.parametrize("shape", ["qcvn102", "vdxp"])
def test_export_then_import_into_another_agency_reproduces_fields_and_files(
    issued, trade, trade_clerk, tmp_path, shape
):
    path = tmp_path / "goi-tin.xml"
    call_command("exchange_export", str(issued.pk), "--out", str(path), "--shape", shape)
    call_command("exchange_import", str(path), "--agency", "SCT")

    received = Document.objects.get(agency=trade, direction=Document.Direction.INCOMING)
    assert (received.symbol, received.issued_on, received.doc_type, received.subject, received.urgency) == (
        issued.symbol, issued.issued_on, issued.doc_type, issued.subject, "khan",
    )  # fmt: skip
    assert received.sender.exchange_id == "H37.DN.001" and received.sender.name == "Sở Khoa học và Công nghệ"
    assert received.state == Document.State.REGISTERED and received.number == 1
    official = issued.issued_pdf.file.open("rb").read()
    assert files_of(received) == [(f"{issued.symbol.replace('/', '_')}.pdf", official), *files_of(issued)]
    kept = Received.objects.get(document=received)
    assert kept.package.read() == path.read_bytes() and kept.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (kept.agency, kept.received_by.username, kept.shape) == (trade, "olga", shape)


def test_the_receiving_agency_is_found_by_its_identity(issued, trade, trade_clerk, tmp_path):
    path = tmp_path / "goi-tin.xml"
    call_command("exchange_export", str(issued.pk), "--out", str(path))
    call_command("exchange_import", str(path))
    assert Document.objects.filter(agency=trade, symbol=issued.symbol).exists()


def test_a_known_sender_is_matched_by_identity_then_by_name(issued, trade, trade_clerk, tmp_path):
    by_name = factories.OrganisationFactory(name="Sở Khoa học và Công nghệ")
    data = edxml.package_build(exchange_services.package_of_document(issued))
    document = exchange_services.package_receive(data=data, agency=trade, by=trade_clerk)
    assert document.sender == by_name
    by_identity = factories.OrganisationFactory(name="Sở KH&CN tỉnh", exchange_id="H37.DN.001")
    package = edxml.package_read(data)
    package.document_id = "other"
    document = exchange_services.document_from_package(package, agency=trade, by=trade_clerk, data=data)
    assert document.sender == by_identity


def nothing_stored(trade) -> tuple:
    return (
        Document.objects.filter(agency=trade).count(),
        Attachment.objects.filter(document__agency=trade).count(),
        Received.objects.count(),
        list(Counter.objects.filter(agency=trade).values_list("last_number", flat=True)),
    )


def test_a_package_received_twice_registers_once(issued, trade, trade_clerk, tmp_path):
    path = tmp_path / "goi-tin.xml"
    call_command("exchange_export", str(issued.pk), "--out", str(path))
    call_command("exchange_import", str(path))
    before = nothing_stored(trade)
    with pytest.raises(CommandError, match="Gói tin này đã được nhận: văn bản đến số 1."):
        call_command("exchange_import", str(path))
    assert nothing_stored(trade) == before


def test_an_invalid_package_is_refused_with_its_errors_and_nothing_stored(issued, trade, trade_clerk, tmp_path):
    path = tmp_path / "goi-tin.xml"
    call_command("exchange_export", str(issued.pk), "--out", str(path))
    path.write_bytes(path.read_bytes().replace(b"H37.DN.001", b"h37-dn-001"))
    before = nothing_stored(trade)
    with pytest.raises(CommandError, match="Gói tin không hợp lệ:\n- Mã định danh «h37-dn-001» của cơ quan gửi"):
        call_command("exchange_import", str(path), "--agency", "SCT")
    assert nothing_stored(trade) == before and not Organisation.objects.filter(exchange_id="h37-dn-001").exists()


def test_a_refused_file_registers_nothing_and_takes_no_number(issued, trade, trade_clerk):
    package = exchange_services.package_of_document(issued)
    package.attachments.append(edxml.Attachment("9", "chay.exe", "application/octet-stream", b"MZ\x90\x00binary"))
    data = edxml.package_build(package)
    before = nothing_stored(trade)
    with pytest.raises(UploadRefused) as refused:
        exchange_services.package_receive(data=data, agency=trade, by=trade_clerk)
    assert "chay.exe" in refused.value.message
    assert nothing_stored(trade) == before
    assert not Organisation.objects.filter(exchange_id="H37.DN.001").exists()


def test_a_package_for_another_agency_or_of_an_unknown_type_is_refused(issued, trade, trade_clerk, agency, clerk):
    data = edxml.package_build(exchange_services.package_of_document(issued))
    with pytest.raises(DomainError, match=r"Gói tin không gửi cho cơ quan này \(mã định danh H37.DN.001\)."):
        exchange_services.package_receive(data=data, agency=agency, by=clerk)
    package = edxml.package_read(data)
    package.doc_type = "Công điện lạ"
    with pytest.raises(DomainError, match="Loại văn bản «Công điện lạ» chưa có trong danh mục."):
        exchange_services.document_from_package(package, agency=trade, by=trade_clerk, data=data)
    assert nothing_stored(trade)[:3] == (0, 0, 0)


def test_only_the_receiving_agencys_clerk_registers(issued, trade, trade_clerk, outsider, clerk):
    data = edxml.package_build(exchange_services.package_of_document(issued))
    for person in (outsider, clerk):
        with pytest.raises(NotAllowed, match="Chỉ văn thư của cơ quan nhận vào sổ văn bản liên thông."):
            exchange_services.package_receive(data=data, agency=trade, by=person)
    assert nothing_stored(trade)[:3] == (0, 0, 0)


def test_only_issued_documents_of_ones_agency_are_exported(issued, make_draft, trade_clerk, tmp_path):
    draft = make_draft()
    with pytest.raises(CommandError, match="Chỉ gửi liên thông được văn bản đi đã phát hành."):
        call_command("exchange_export", str(draft.pk), "--out", str(tmp_path / "x.xml"))
    with pytest.raises(CommandError, match="Chỉ văn thư của cơ quan ban hành gửi văn bản liên thông."):
        call_command("exchange_export", str(issued.pk), "--out", str(tmp_path / "x.xml"), "--by", "olga")
    with pytest.raises(CommandError, match="Không có văn bản mã 999999."):
        call_command("exchange_export", "999999", "--out", str(tmp_path / "x.xml"))
    assert not (tmp_path / "x.xml").exists()


def test_a_document_to_nobody_with_an_identity_is_not_exported(issued, tmp_path):
    Organisation.objects.filter(exchange_id="H37.DN.002").update(exchange_id="")
    with pytest.raises(CommandError, match="Gói tin phải có ít nhất một cơ quan nhận"):
        call_command("exchange_export", str(issued.pk), "--out", str(tmp_path / "x.xml"))


SAMPLE = Path(__file__).parent / "samples" / "public_style.edxml"


def test_a_package_in_the_public_clients_layout_imports_cleanly(trade, trade_clerk):
    """Slashed dates, ``cid:`` in the manifest only, a default namespace on the root (docs/exchange.md)."""
    package = edxml.package_read(SAMPLE.read_bytes())
    assert (package.code_number, package.code_notation, package.promulgation_date, package.due_date) == (
        "1234", "UBND-VP", date(2026, 11, 20), date(2026, 12, 15),
    )  # fmt: skip
    assert package.signer == edxml.Signer("TL. CHỦ TỊCH", "Chánh Văn phòng", "Trần Thị Bình")

    call_command("exchange_import", str(SAMPLE))

    document = Document.objects.get(agency=trade, direction=Document.Direction.INCOMING)
    assert (document.symbol, document.issued_on, document.doc_type.name, document.urgency) == (
        "1234/UBND-VP", date(2026, 11, 20), "Công văn", "thuong_khan",
    )  # fmt: skip
    assert document.subject == "V/v báo cáo tình hình thực hiện nhiệm vụ quý IV năm 2026"
    assert (document.sender.name, document.sender.exchange_id) == ("Văn phòng UBND tỉnh", "000.00.12.H37")
    assert files_of(document) == [("1234-UBND-VP.pdf", uploads.PDF)]
    assert Received.objects.get(document=document).package.read() == SAMPLE.read_bytes()


def test_an_agency_without_identity_or_unknown_is_refused(issued, trade, trade_clerk, tmp_path):
    path = tmp_path / "goi-tin.xml"
    call_command("exchange_export", str(issued.pk), "--out", str(path))
    with pytest.raises(CommandError, match="Không có cơ quan viết tắt «XYZ»."):
        call_command("exchange_import", str(path), "--agency", "XYZ")
    trade.exchange_id = ""
    trade.save(update_fields=["exchange_id"])
    with pytest.raises(CommandError, match="Cần --agency VIẾT_TẮT để biết vào sổ của cơ quan nào."):
        call_command("exchange_import", str(path))
    with pytest.raises(CommandError, match="Cơ quan chưa có mã định danh điện tử nên chưa nhận được"):
        call_command("exchange_import", str(path), "--agency", "SCT")
    assert nothing_stored(trade)[:3] == (0, 0, 0)
