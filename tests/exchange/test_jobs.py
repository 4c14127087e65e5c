"""Sending outbox rows and polling what arrived (docs/exchange.md, "Transports and jobs").

The flow's services (exchange/services.py: arrival_store, status_apply) are replaced here by
recording fakes where a test is about the jobs' plumbing only; the one test of the whole journey
uses the real flow."""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from exchange import edxml, jobs, polling, sending
from exchange import services as flow
from exchange.models import Mailbox, Outgoing, Poll, Received, StatusLog
from exchange.outbox import outgoing_queue, outgoing_retry
from exchange.sending import MAX_SEND_ATTEMPTS, PDF_PATIENCE, outgoing_send
from lib.errors import DomainError, NotAllowed
from ops.background import GRACE, work_recover
from tests import factories
from tests.concurrency import at_once
from tests.exchange import test_commands
from tests.exchange.fake_lgsp import fake_lgsp_fixture  # noqa: F401 - the fixture `fake_lgsp`
from tests.exchange.test_edxml import a_package
from tests.exchange.test_transports import a_status_from
from units.models import Organisation, User

State = Outgoing.State
# SKHCN's issued notice to Sở Công Thương (another agency of the installation) and that agency's clerk.
issued, trade, trade_clerk = test_commands.issued, test_commands.trade, test_commands.trade_clerk


@pytest.fixture
def stored(monkeypatch):
    """The flow's arrival_store and status_apply replaced by fakes recording what they were given."""
    calls = []

    def arrival_store(*, data, transport, message_id="", sender_id=""):
        calls.append(("package", data, transport, message_id, sender_id))
        return []

    def status_apply(*, data, transport, message_id=""):
        calls.append(("status", data, transport, message_id, ""))

    monkeypatch.setattr(flow, "arrival_store", arrival_store)
    monkeypatch.setattr(flow, "status_apply", status_apply)
    return calls


@pytest.fixture
def ubnd(db):
    return factories.OrganisationFactory(name="UBND tỉnh Bà Rịa - Vũng Tàu", exchange_id="H37.UBND")


def a_status_row(agency, *, to_id="H37.DN.002", **fields) -> Outgoing:
    """A 03 from SKHCN about a document the recipient sent (written without waking a worker)."""
    agency.exchange_id = agency.exchange_id or "H37.DN.001"
    agency.save(update_fields=["exchange_id"])
    values = {"code": "03", "package_document_id": "77", "code_notation": "12/SCT-VP", "staff": "Nguyễn Thị Alice"}
    return Outgoing.objects.create(agency=agency, kind=Outgoing.Kind.STATUS, to_id=to_id, **values | fields)


def a_package_row(document, organisation) -> Outgoing:
    return Outgoing.objects.create(
        agency=document.agency, kind=Outgoing.Kind.PACKAGE, to_id=organisation.exchange_id,
        organisation=organisation, document=document,
    )  # fmt: skip


# --- sending ---


def test_a_package_goes_to_another_agency_at_once_and_its_arrival_is_polled_immediately(
    issued, trade, stored, django_capture_on_commit_callbacks
):
    second = factories.OrganisationFactory(name="Sở Tài chính", exchange_id="H37.DN.003")
    issued.recipients.create(organisation=second)
    row = a_package_row(issued, Organisation.objects.get(exchange_id="H37.DN.002"))
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_send(row.pk) == State.SENT

    row.refresh_from_db()
    assert (row.state, row.transport, row.attempts, row.error) == (State.SENT, "local", 1, "")
    mailbox = Mailbox.objects.get()
    assert row.message_id == str(mailbox.pk) and mailbox.to_id == "H37.DN.002" and mailbox.kind == "package"
    sent = edxml.package_read(bytes(mailbox.data))
    assert [party.organ_id for party in sent.to] == ["H37.DN.002"]  # only this row's recipient
    assert sent.document_id == str(issued.pk) and sent.code_notation == "TB-SKHCN"
    assert row.payload.open("rb").read() == bytes(mailbox.data)
    # The local poll ran after the send: stored, then acknowledged.
    assert stored == [("package", bytes(mailbox.data), "local", str(mailbox.pk), "H37.DN.001")]
    assert Mailbox.objects.get().acknowledged_at is not None


def test_a_status_is_built_from_the_row_and_sent(agency, trade, stored, django_capture_on_commit_callbacks):
    row = a_status_row(agency, description="Đã vào sổ")
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_send(row.pk) == State.SENT
    status = edxml.status_read(bytes(Mailbox.objects.get().data))
    assert (status.code, status.from_.organ_id, status.to.organ_id, status.to.name) == (
        "03", "H37.DN.001", "H37.DN.002", "Sở Công Thương",
    )  # fmt: skip
    assert (status.document_id, status.code_notation, status.staff) == ("77", "12/SCT-VP", "Nguyễn Thị Alice")
    assert status.timestamp == row.created_at  # when it happened, whatever retry carried it
    assert [call[0] for call in stored] == ["status"]


def test_a_package_waits_for_its_official_pdf_without_counting_an_attempt(issued, trade):
    issued.issued_pdf.state = "pending"
    issued.issued_pdf.save(update_fields=["state"])
    row = a_package_row(issued, Organisation.objects.get(exchange_id="H37.DN.002"))
    assert outgoing_send(row.pk) == State.PENDING
    row.refresh_from_db()
    assert (row.attempts, row.claimed_at, row.error) == (0, None, "Đang chờ bản PDF chính thức của văn bản để gửi.")
    assert row.due_at > timezone.now() and not Mailbox.objects.exists()

    assert outgoing_send(row.pk, now=row.created_at + PDF_PATIENCE) == State.FAILED
    row.refresh_from_db()
    assert row.error == "Văn bản chưa có bản PDF chính thức; hãy tạo lại bản PDF rồi gửi lại."


def test_a_row_not_due_or_claimed_by_another_worker_is_left_alone(agency, trade):
    row = a_status_row(agency)
    Outgoing.objects.filter(pk=row.pk).update(claimed_at=timezone.now())
    assert outgoing_send(row.pk) == State.PENDING
    Outgoing.objects.filter(pk=row.pk).update(claimed_at=None, due_at=timezone.now() + timedelta(minutes=5))
    assert outgoing_send(row.pk) == State.PENDING
    assert not Mailbox.objects.exists()
    assert outgoing_send(row.pk + 1000) == "gone"


@pytest.mark.postgres
def test_two_workers_sending_one_row_at_once_send_it_once(agency, trade, stored):
    row = a_status_row(agency)
    assert at_once([lambda: outgoing_send(row.pk)] * 4) == []
    assert Mailbox.objects.count() == 1
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 1


def test_without_any_connection_a_message_to_an_outside_body_fails_at_once(agency, ubnd, settings):
    settings.EXCHANGE_LGSP_URL = settings.EXCHANGE_FOLDER = ""
    row = a_status_row(agency, to_id="H37.UBND")
    assert outgoing_send(row.pk) == State.FAILED
    row.refresh_from_db()
    assert row.attempts == 1 and row.error.startswith("Chưa cấu hình kết nối liên thông")


def test_a_fault_of_ours_pushes_the_row_forward_before_it_is_raised(agency, trade, monkeypatch):
    row = a_status_row(agency)

    def broken(to_id):
        raise RuntimeError("bug")

    monkeypatch.setattr(sending, "transport_for", broken)
    with pytest.raises(RuntimeError):
        outgoing_send(row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.claimed_at, row.error) == (State.PENDING, 1, None, "RuntimeError: bug")
    assert row.due_at > timezone.now()


# --- over the LGSP platform (the fake, over real HTTP) ---


def test_a_platform_down_once_is_retried_with_back_off_then_sent(agency, ubnd, fake_lgsp):
    row = a_status_row(agency, to_id="H37.UBND")
    fake_lgsp.fail_next(1, status=503, endpoint="send")
    assert outgoing_send(row.pk) == State.PENDING
    row.refresh_from_db()
    assert row.attempts == 1 and row.claimed_at is None and "HTTP 503" in row.error
    assert timedelta(seconds=15) <= row.due_at - timezone.now() <= timedelta(seconds=30)
    assert outgoing_send(row.pk) == State.PENDING and fake_lgsp.sent == {}  # not due yet

    assert outgoing_send(row.pk, now=row.due_at) == State.SENT
    row.refresh_from_db()
    assert (row.state, row.transport, row.attempts, row.error) == (State.SENT, "lgsp", 2, "")
    assert fake_lgsp.sent[row.message_id]["to"] == ["H37.UBND"]
    assert fake_lgsp.sent[row.message_id]["messagetype"] == "status"
    assert edxml.status_read(fake_lgsp.sent[row.message_id]["content"]).to.name == ubnd.name


def test_a_platform_down_at_every_attempt_fails_the_row_after_the_last(agency, ubnd, fake_lgsp):
    row = a_status_row(agency, to_id="H37.UBND", attempts=MAX_SEND_ATTEMPTS - 1)
    fake_lgsp.fail_next(1, status=503, endpoint="send")
    assert outgoing_send(row.pk) == State.FAILED
    row.refresh_from_db()
    assert row.attempts == MAX_SEND_ATTEMPTS and "HTTP 503" in row.error


def test_a_refusal_by_the_platform_fails_the_row_with_its_vietnamese_message(agency, ubnd, fake_lgsp):
    row = a_status_row(agency, to_id="H37.UBND")
    fake_lgsp.fail_next(1, status=400, endpoint="send")
    assert outgoing_send(row.pk) == State.FAILED
    row.refresh_from_db()
    assert row.error == "Nền tảng liên thông từ chối yêu cầu (HTTP 400): Hệ thống đang bảo trì"
    assert row.attempts == 1 and fake_lgsp.sent == {}


def test_the_poll_follows_the_pages_stores_then_acknowledges_each_message(agency, fake_lgsp, stored):
    package = edxml.package_build(a_package())
    ids = [fake_lgsp.deliver(sender="H37.DN.009", content=package) for _ in range(4)]
    status_id = fake_lgsp.deliver(sender="H37.DN.009", content=b"<Status/>", messagetype="status")
    fake_lgsp.forget_tokens()  # the token the poll had expired: renewed, once

    assert polling.inbox_poll() == {"local": 0, "lgsp": 5}
    assert [(kind, transport, message_id, sender) for kind, _, transport, message_id, sender in stored] == [
        *(("package", "lgsp", message_id, "H37.DN.009") for message_id in ids),
        ("status", "lgsp", status_id, ""),
    ]
    assert stored[0][1] == package
    assert fake_lgsp.acknowledged == [*ids, status_id]
    assert polling.inbox_poll() == {"local": 0, "lgsp": 0}
    assert Poll.objects.get(transport="lgsp").error == ""


def test_a_malformed_package_on_the_platform_is_handed_to_the_flow_and_acknowledged(agency, fake_lgsp, stored):
    message_id = fake_lgsp.deliver(sender="H37.DN.009", content=b"<edXML><broken")
    polling.inbox_poll()
    assert stored == [("package", b"<edXML><broken", "lgsp", message_id, "H37.DN.009")]
    assert fake_lgsp.acknowledged == [message_id]


def test_a_message_that_cannot_be_stored_stays_on_the_platform_and_the_others_go_on(
    agency, fake_lgsp, monkeypatch, caplog
):
    first = fake_lgsp.deliver(sender="H37.DN.009", content=b"<edXML>1</edXML>")
    second = fake_lgsp.deliver(sender="H37.DN.009", content=b"<edXML>2</edXML>")
    kept = []

    def arrival_store(*, data, transport, message_id="", sender_id=""):
        if message_id == first:
            raise RuntimeError("disk full")
        kept.append(message_id)

    monkeypatch.setattr(flow, "arrival_store", arrival_store)
    with caplog.at_level(logging.ERROR, logger="exchange.polling"):
        assert polling.inbox_poll()["lgsp"] == 1
    assert kept == [second] and fake_lgsp.acknowledged == [second]
    assert "Không lưu được thông điệp IN-1: RuntimeError: disk full" in Poll.objects.get(transport="lgsp").error


def test_a_platform_down_is_recorded_and_never_stops_the_other_transports(agency, trade, fake_lgsp, stored):
    from exchange.transports import LocalTransport

    a_status_row(agency)  # gives SKHCN its identity, H37.DN.001
    LocalTransport().send(a_status_from("H37.DN.002", "H37.DN.001"), to=["H37.DN.001"])
    fake_lgsp.fail_next(1, status=503, endpoint="received")
    assert jobs.inbox_poll.delay().get() == {"local": 1, "lgsp": 0}
    lgsp = Poll.objects.get(transport="lgsp")
    assert "HTTP 503" in lgsp.error and lgsp.succeeded_at is None and lgsp.polled_at is not None
    assert Poll.objects.get(transport="local").succeeded_at is not None
    assert [poll.transport for poll in polling.poll_state()] == ["lgsp", "local"]


def test_wrong_lgsp_settings_are_recorded_by_the_poll_and_refuse_the_sends(agency, ubnd, settings, stored):
    settings.EXCHANGE_LGSP_URL = "ftp://lgsp.example.vn"
    assert polling.inbox_poll() == {"local": 0, "lgsp": 0}
    assert Poll.objects.get(transport="lgsp").error == "Địa chỉ nền tảng liên thông (EXCHANGE_LGSP_URL) không hợp lệ."
    row = a_status_row(agency, to_id="H37.UBND")
    assert outgoing_send(row.pk) == State.FAILED


def test_through_the_shared_folder_a_status_goes_out_and_an_arrival_comes_in(agency, ubnd, settings, tmp_path, stored):
    settings.EXCHANGE_LGSP_URL, settings.EXCHANGE_FOLDER = "", str(tmp_path)
    row = a_status_row(agency, to_id="H37.UBND")
    assert outgoing_send(row.pk) == State.SENT
    row.refresh_from_db()
    assert row.transport == "folder" and (tmp_path / "out" / row.message_id).read_bytes() == row.payload.read()

    (tmp_path / "in").mkdir()
    package = edxml.package_build(a_package())
    (tmp_path / "in" / "tu-ubnd.xml").write_bytes(package)
    assert polling.inbox_poll() == {"local": 0, "folder": 1}
    [(kind, data, transport, message_id, sender)] = stored
    assert (kind, data, transport, sender) == ("package", package, "folder", "H37.DN.001")
    assert (tmp_path / "in" / "done" / message_id).read_bytes() == package
    assert not (tmp_path / "in" / "tu-ubnd.xml").exists()


# --- the broker, the recovery job, and sending again ---


def test_with_the_broker_down_the_row_waits_and_the_recovery_job_sends_it(
    agency, trade, stored, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobs.outgoing_send, "delay", refuse)
    with caplog.at_level(logging.WARNING, logger="ops.background"), django_capture_on_commit_callbacks(execute=True):
        row = outgoing_queue(
            agency=a_status_row(agency).agency, kind="status", to_id="H37.DN.002", code="03",
            package_document_id="78", code_notation="13/SCT-VP",
        )  # fmt: skip
    assert "the recovery job will queue it again" in caplog.text
    row.refresh_from_db()
    assert row.state == State.PENDING

    monkeypatch.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        counts = work_recover(now=timezone.now() + 2 * GRACE)
    assert counts["exchange"] == 2  # this row and the one a_status_row wrote without a wake-up
    assert Outgoing.objects.filter(state=State.SENT).count() == 2


def test_a_clerk_sends_a_failed_message_again(agency, trade, clerk, stored, django_capture_on_commit_callbacks):
    row = a_status_row(agency)
    Outgoing.objects.filter(pk=row.pk).update(state=State.FAILED, attempts=8, error="HTTP 400")
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_retry(outgoing=row, by=clerk)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (State.SENT, 1, "")
    with pytest.raises(DomainError, match="không ở trạng thái gửi lỗi"):
        outgoing_retry(outgoing=row, by=clerk)


def test_only_the_sending_agencys_clerks_send_again(agency, trade, trade_clerk, specialist):
    row = a_status_row(agency)
    Outgoing.objects.filter(pk=row.pk).update(state=State.FAILED)
    for person in (trade_clerk, specialist):
        with pytest.raises(NotAllowed):
            outgoing_retry(outgoing=row, by=person)
    row.refresh_from_db()
    assert row.state == State.FAILED


# --- the whole journey, with the real flow ---


def test_an_issued_document_arrives_in_the_other_agency_and_its_01_comes_back(
    issued, trade, django_capture_on_commit_callbacks
):
    # A send that ran before the official PDF was rendered waits: the recovery job sends it later.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        work_recover()
    received = Received.objects.get(agency=trade)
    assert received.state == Received.State.WAITING and received.transport == "local"
    assert StatusLog.objects.filter(document=issued, direction="in", code="01", party_id="H37.DN.002").exists()
    assert not Outgoing.objects.exclude(state=State.SENT).exists()


def test_the_job_answers_the_rows_state(agency, trade, stored):
    row = a_status_row(agency)
    assert jobs.outgoing_send.delay(row.pk).get() == State.SENT
    assert sending.outgoing_send(row.pk) == State.SENT  # a doubled wake-up sends nothing more
    assert Mailbox.objects.count() == 1


def test_the_admin_lists_the_outbox_and_sends_failed_rows_again(
    agency, trade, stored, client, django_capture_on_commit_callbacks
):
    row = a_status_row(agency)
    refusal = "Nền tảng liên thông từ chối yêu cầu (HTTP 400)."
    Outgoing.objects.filter(pk=row.pk).update(state=State.FAILED, error=refusal)
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "x", full_name="Quản trị hệ thống"))
    page = client.get("/admin/exchange/outgoing/")
    assert page.status_code == 200 and refusal in page.content.decode()
    assert client.get(f"/admin/exchange/outgoing/{row.pk}/change/").status_code == 200  # read-only view
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/admin/exchange/outgoing/", {"action": "resend", "_selected_action": [row.pk]}, follow=True)
    assert "Đã đặt gửi lại 1 thông điệp." in done.content.decode()
    row.refresh_from_db()
    assert row.state == State.SENT
    for model in ("received", "statuslog", "mailbox", "poll"):
        assert client.get(f"/admin/exchange/{model}/").status_code == 200


def test_beat_polls_every_minute_and_syncs_the_directory_weekly(settings):
    from config.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["exchange-poll"] == {"task": "exchange.jobs.inbox_poll", "schedule": 60.0}
    assert schedule["exchange-directory"]["task"] == "exchange.jobs.directory_sync"
    assert {"exchange.jobs.inbox_poll", "exchange.jobs.directory_sync", "exchange.jobs.outgoing_send"} <= set(app.tasks)


def test_cache_url_gives_every_process_one_redis_cache(tmp_path):
    """Web processes and workers then share the LGSP token; without it each keeps its own memory."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"

    def cache_of(**variables):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)}
        environment.pop("CACHE_URL", None)
        run = subprocess.run(
            [sys.executable, "-c", code], env=environment | variables, capture_output=True, text=True, timeout=60
        )
        return run.stdout

    shared = cache_of(CACHE_URL="redis://127.0.0.1:6379/1")
    assert "django.core.cache.backends.redis.RedisCache" in shared and "redis://127.0.0.1:6379/1" in shared
    assert "LocMemCache" in cache_of()


@pytest.mark.parametrize("model", ["outgoing", "received", "statuslog", "mailbox", "poll"])
def test_the_admin_lists_run_the_same_queries_for_1_and_20_rows(agency, trade, client, model):
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "x", full_name="Quản trị hệ thống"))

    def add_row(n):
        a_status_row(agency, package_document_id=str(n))
        Mailbox.objects.create(to_id="H37.DN.002", sender_id="H37.DN.001", kind="status", data=b"<Status/>")
        StatusLog.objects.create(agency=agency, direction="out", party_id="H37.DN.002", code="03", at=timezone.now())
        Received.objects.create(agency=trade, sha256="0" * 64, transport="local", message_id=str(n))
        Poll.objects.create(transport=f"t{n}", polled_at=timezone.now())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/admin/exchange/{model}/").status_code == 200
        return len(captured)

    add_row(0)
    one = queries()
    for n in range(1, 20):
        add_row(n)
    assert queries() == one
