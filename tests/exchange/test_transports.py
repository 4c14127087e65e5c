"""The transports of an installation: local (a mailbox table), a shared folder, the LGSP platform,
and which one carries a message (docs/exchange.md, "Transports and jobs")."""

import hashlib
from datetime import UTC, datetime

import pytest

from exchange import edxml
from exchange.edxml import Party, Status
from exchange.lgsp import LgspClient
from exchange.models import Mailbox
from exchange.transport import Transport, TransportError
from exchange.transports import FolderTransport, LocalTransport, message_peek, transport_for, transports_polled
from tests import factories
from tests.exchange.fake_lgsp import fake_lgsp_fixture  # noqa: F401 - the fixture `fake_lgsp`
from tests.exchange.test_edxml import a_package


def a_status_from(sender: str, to: str) -> bytes:
    return edxml.status_build(
        Status(
            code="03", from_=Party(sender, "Sở Công Thương"), to=Party(to, "Sở Khoa học và Công nghệ"),
            document_id="42", code_notation="01/TB-SKHCN", timestamp=datetime(2026, 12, 5, 8, tzinfo=UTC),
        )
    )  # fmt: skip


@pytest.fixture
def identities(agency, outsider):
    """SKHCN (H37.DN.001) and Sở Công Thương (H37.DN.002), both agencies of this installation."""
    agency.exchange_id = "H37.DN.001"
    agency.save(update_fields=["exchange_id"])
    outsider.agency.exchange_id = "H37.DN.002"
    outsider.agency.save(update_fields=["exchange_id"])
    return agency, outsider.agency


def test_every_transport_implements_the_interface(tmp_path):
    assert isinstance(LocalTransport(), Transport)
    assert isinstance(FolderTransport(tmp_path), Transport)


def test_a_message_peeked_names_its_kind_and_sender():
    package = edxml.package_build(a_package())
    assert message_peek(package) == ("package", a_package().from_.organ_id)
    assert message_peek(a_status_from("H37.DN.002", "H37.DN.001")) == ("status", "H37.DN.002")
    assert message_peek(b"<not xml") == ("package", "")
    assert message_peek(b'<!DOCTYPE x [<!ENTITY a "b">]><edXML/>') == ("package", "")


# --- local ---


def test_the_local_transport_delivers_to_another_agency_until_acknowledged(identities):
    local = LocalTransport()
    package = edxml.package_build(a_package(to=[Party("H37.DN.002", "Sở Công Thương")]))
    message_id = local.send(package, to=["H37.DN.002"])
    status_id = local.send_status(a_status_from("H37.DN.002", "H37.DN.001"), to="H37.DN.001")

    waiting = list(local.received())
    assert [(i.message_id, i.sender_id, i.kind) for i in waiting] == [
        (message_id, a_package().from_.organ_id, "package"),
        (status_id, "H37.DN.002", "status"),
    ]
    assert waiting[0].content() == package == local.get(message_id)
    local.acknowledge(message_id)
    local.acknowledge(message_id)  # twice is harmless
    assert [i.message_id for i in local.received()] == [status_id]
    assert Mailbox.objects.get(pk=message_id).acknowledged_at is not None


def test_the_local_transport_offers_only_messages_for_agencies_of_this_installation(identities):
    local = LocalTransport()
    local.send(b"<edXML/>", to=["H99.XX.001"])
    assert list(local.received()) == []
    assert list(local.organisations()) == []


def test_the_local_poll_reads_the_list_in_one_query_and_each_content_on_demand(identities, django_assert_num_queries):
    local = LocalTransport()
    for _ in range(20):
        local.send(b"<edXML/>", to=["H37.DN.002"])
    with django_assert_num_queries(2):  # the waiting rows, with the identities of the installation's agencies
        waiting = list(local.received())
        waiting[0].content()
    assert len(waiting) == 20


# --- folder ---


def test_the_folder_transport_writes_one_complete_file_per_recipient(tmp_path):
    folder = FolderTransport(tmp_path)
    ids = folder.send(b"<edXML/>", to=["H37.UBND", "000.00.12.H37"]).split(",")
    assert [path.relative_to(tmp_path / "out").as_posix() for path in sorted((tmp_path / "out").rglob("*"))] == [
        "000.00.12.H37", ids[1], "H37.UBND", ids[0],
    ]  # fmt: skip
    assert (tmp_path / "out" / ids[0]).read_bytes() == b"<edXML/>"
    assert not list((tmp_path / "out").rglob(".*"))  # no temporary file left behind


@pytest.mark.parametrize("to_id", ["..", ".", "../X", "h37"])
def test_the_folder_transport_refuses_a_recipient_that_is_not_an_identity(tmp_path, to_id):
    with pytest.raises(TransportError) as refused:
        FolderTransport(tmp_path / "share").send(b"<edXML/>", to=[to_id])
    assert not refused.value.retryable and "không hợp lệ" in refused.value.message_vi
    assert not (tmp_path / "share").exists()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def test_the_folder_transport_reads_arrivals_and_moves_them_to_done_when_acknowledged(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    package, status = edxml.package_build(a_package()), a_status_from("H37.DN.002", "H37.DN.001")
    (inbox / "b.xml").write_bytes(package)
    (inbox / "a.xml").write_bytes(status)
    (inbox / ".c.xml").write_bytes(b"being copied")
    (inbox / "d.part").write_bytes(b"being copied")
    folder = FolderTransport(tmp_path)

    waiting = list(folder.received())
    assert [(i.message_id, i.sender_id, i.kind) for i in waiting] == [
        (f"{digest(status)}-a.xml", "H37.DN.002", "status"),
        (f"{digest(package)}-b.xml", a_package().from_.organ_id, "package"),
    ]
    assert waiting[1].content() == package == folder.get(waiting[1].message_id)
    folder.acknowledge(waiting[1].message_id)
    folder.acknowledge(waiting[1].message_id)  # twice is harmless
    assert (inbox / "done" / waiting[1].message_id).read_bytes() == package
    assert [i.message_id for i in folder.received()] == [waiting[0].message_id]
    assert list(folder.organisations()) == []


def test_a_file_name_used_again_is_another_message_and_both_are_kept(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    folder = FolderTransport(tmp_path)
    (inbox / "goi-tin.xml").write_bytes(b"<edXML>1</edXML>")
    [first] = folder.received()
    folder.acknowledge(first.message_id)
    (inbox / "goi-tin.xml").write_bytes(b"<edXML>2</edXML>")
    [second] = folder.received()
    assert second.message_id != first.message_id
    folder.acknowledge(first.message_id)  # an old id never moves the new file
    assert (inbox / "goi-tin.xml").exists()
    folder.acknowledge(second.message_id)
    kept = sorted(path.read_bytes() for path in (inbox / "done").iterdir())
    assert kept == [b"<edXML>1</edXML>", b"<edXML>2</edXML>"]


def test_the_folder_transport_names_no_file_outside_its_inbox(tmp_path):
    (tmp_path / "secret.xml").write_bytes(b"x")
    for message_id in (f"{digest(b'x')}-../secret.xml", "secret.xml", f"{digest(b'x')}-.hidden.xml"):
        with pytest.raises(TransportError):
            FolderTransport(tmp_path / "share").get(message_id)


def test_a_missing_folder_is_a_failure_that_may_pass(tmp_path):
    (tmp_path / "share").write_bytes(b"a file where the folder should be")
    with pytest.raises(TransportError) as failed:
        FolderTransport(tmp_path / "share").send(b"<edXML/>", to=["H37.UBND"])
    assert failed.value.retryable


# --- which transport ---


def test_an_agency_of_the_installation_is_reached_locally_whatever_else_is_configured(
    identities, fake_lgsp, settings, tmp_path
):
    settings.EXCHANGE_FOLDER = str(tmp_path)
    assert transport_for("H37.DN.002")[0] == "local"
    name, transport = transport_for("H37.UBND")
    assert name == "lgsp" and isinstance(transport, LgspClient)
    assert [name for name, _ in transports_polled()] == ["local", "lgsp", "folder"]


def test_without_lgsp_an_outside_body_is_reached_through_the_folder(identities, settings, tmp_path):
    settings.EXCHANGE_LGSP_URL = ""
    settings.EXCHANGE_FOLDER = str(tmp_path)
    name, transport = transport_for("H37.UBND")
    assert name == "folder" and transport.root == tmp_path
    assert [name for name, _ in transports_polled()] == ["local", "folder"]


def test_without_any_connection_an_outside_body_is_refused_for_good(identities, settings):
    settings.EXCHANGE_LGSP_URL = settings.EXCHANGE_FOLDER = ""
    factories.OrganisationFactory(name="UBND tỉnh", exchange_id="H37.UBND")
    with pytest.raises(TransportError) as refused:
        transport_for("H37.UBND")
    assert not refused.value.retryable
    assert refused.value.message_vi.startswith("Chưa cấu hình kết nối liên thông")
    assert [name for name, _ in transports_polled()] == ["local"]


def test_system_checks_name_wrong_lgsp_settings_and_an_unusable_folder(settings, tmp_path):
    from exchange.checks import check_exchange_connections

    settings.EXCHANGE_LGSP_URL, settings.EXCHANGE_FOLDER = "ftp://lgsp.example.vn", str(tmp_path / "missing")
    assert [error.id for error in check_exchange_connections(None)] == ["exchange.E001", "exchange.E002"]
    settings.EXCHANGE_LGSP_URL, settings.EXCHANGE_FOLDER = "https://lgsp.example.vn", str(tmp_path)
    assert check_exchange_connections(None) == []
