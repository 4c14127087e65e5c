"""The LGSP client against a local fake platform over real HTTP (exchange/lgsp.py, tests/exchange/fake_lgsp.py)."""

import logging

import pytest
import time_machine

from exchange.lgsp import LgspClient
from exchange.transport import Incoming, Transport, TransportError
from tests.exchange.fake_lgsp import FakeLgsp, fake_lgsp_fixture  # noqa: F401 - the fixture `fake_lgsp`

PACKAGE = '<?xml version="1.0"?><edXML><Subject>Về việc báo cáo tháng</Subject></edXML>'.encode()


def client() -> LgspClient:
    return LgspClient.from_settings()


def test_it_is_a_transport(fake_lgsp):
    assert isinstance(client(), Transport)


def test_send_stores_the_package_and_answers_the_platform_id(fake_lgsp):
    message_id = client().send(PACKAGE, to=["H37.DN.001", "H37.DN.002"])

    assert fake_lgsp.sent[message_id] == {"messagetype": "edoc", "to": ["H37.DN.001", "H37.DN.002"], "content": PACKAGE}


def test_send_status_goes_to_one_agency_as_a_status_message(fake_lgsp):
    message_id = client().send_status(b"<Status>03</Status>", to="H37.DN.001")

    assert fake_lgsp.sent[message_id]["messagetype"] == "status"
    assert fake_lgsp.sent[message_id]["to"] == ["H37.DN.001"]


def test_token_fetched_once_and_reused_across_calls_and_clients(fake_lgsp):
    """The token lives in Django's cache: a second client (another process's) reuses it."""
    client().send(PACKAGE, to=["H37.DN.001"])
    client().send(PACKAGE, to=["H37.DN.001"])
    list(client().organisations())

    assert fake_lgsp.calls["token"] == 1
    assert fake_lgsp.calls["send"] == 2
    bearers = {a for a in fake_lgsp.authorizations if a.startswith("Bearer ")}
    assert len(bearers) == 1


@pytest.fixture
def clock_cache(settings):
    """A memory cache, whose expiry follows the travelling clock (a Redis server keeps its own time)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_token_renewed_shortly_before_it_expires(fake_lgsp, clock_cache):
    fake_lgsp.token_lifetime = 600
    with time_machine.travel("2026-12-05 09:00 +0700", tick=False) as traveller:
        client().send(PACKAGE, to=["H37.DN.001"])
        traveller.shift(560)  # inside the platform's 600 s, but within the client's 60 s renewal margin
        client().send(PACKAGE, to=["H37.DN.001"])

    assert fake_lgsp.calls["token"] == 2
    assert fake_lgsp.calls["send"] == 2  # no call was answered 401: the old token was never used late


def test_token_still_fresh_is_not_renewed(fake_lgsp, clock_cache):
    fake_lgsp.token_lifetime = 600
    with time_machine.travel("2026-12-05 09:00 +0700", tick=False) as traveller:
        client().send(PACKAGE, to=["H37.DN.001"])
        traveller.shift(400)
        client().send(PACKAGE, to=["H37.DN.001"])

    assert fake_lgsp.calls["token"] == 1


def test_a_401_renews_the_token_once_and_repeats_the_call(fake_lgsp):
    client().send(PACKAGE, to=["H37.DN.001"])
    fake_lgsp.forget_tokens()

    message_id = client().send(PACKAGE, to=["H37.DN.002"])

    assert fake_lgsp.sent[message_id]["to"] == ["H37.DN.002"]
    assert fake_lgsp.calls["token"] == 2
    assert fake_lgsp.calls["send"] == 3  # the first, the refused one, the repeat


def test_a_second_401_is_not_retried_again(fake_lgsp):
    fake_lgsp.reject_every_token = True

    with pytest.raises(TransportError) as caught:
        client().send(PACKAGE, to=["H37.DN.001"])

    assert caught.value.retryable is False
    assert "mã truy cập" in caught.value.message_vi
    assert fake_lgsp.calls["token"] == 2
    assert fake_lgsp.calls["send"] == 2
    assert fake_lgsp.sent == {}


def test_wrong_credentials_are_not_retryable(fake_lgsp, settings):
    settings.EXCHANGE_LGSP_CLIENT_SECRET = "not-the-secret"

    with pytest.raises(TransportError) as caught:
        client().send(PACKAGE, to=["H37.DN.001"])

    assert caught.value.retryable is False
    assert fake_lgsp.calls["send"] == 0


def test_received_pages_yield_every_item_once(fake_lgsp):
    ids = [fake_lgsp.deliver(sender=f"H37.DN.00{n}", content=f"gói {n}".encode()) for n in range(1, 6)]
    fake_lgsp.deliver(sender="H37.DN.009", content=b"<Status>06</Status>", messagetype="status")

    incoming = list(client().received())

    assert [i.message_id for i in incoming] == [*ids, "IN-6"]
    assert fake_lgsp.calls["received"] == 3  # 6 items, 2 a page
    assert [i.kind for i in incoming] == ["package"] * 5 + ["status"]
    assert incoming[0].sender_id == "H37.DN.001"
    assert incoming[2].content() == "gói 3".encode()


def test_received_after_acknowledge_no_longer_offers_the_message(fake_lgsp):
    first = fake_lgsp.deliver(sender="H37.DN.001", content=PACKAGE)
    second = fake_lgsp.deliver(sender="H37.DN.002", content=PACKAGE)
    transport = client()

    transport.acknowledge(first)

    assert [i.message_id for i in transport.received()] == [second]
    assert fake_lgsp.acknowledged == [first]


def test_get_answers_the_bytes(fake_lgsp):
    message_id = fake_lgsp.deliver(sender="H37.DN.001", content=PACKAGE)

    assert client().get(message_id) == PACKAGE


def test_get_of_an_unknown_message_is_refused_with_the_platform_message(fake_lgsp):
    with pytest.raises(TransportError) as caught:
        client().get("IN-404")

    assert caught.value.retryable is False
    assert caught.value.message_vi == "Nền tảng liên thông từ chối yêu cầu (HTTP 404): Không tìm thấy văn bản"


def test_incoming_with_bytes_needs_no_download():
    assert Incoming(message_id="1", sender_id="H37", kind="package", fetch=b"x").content() == b"x"


def test_send_failing_with_503_is_retryable_and_succeeds_on_retry(fake_lgsp):
    fake_lgsp.fail_next(1, status=503, endpoint="send")
    transport = client()

    with pytest.raises(TransportError) as caught:
        transport.send(PACKAGE, to=["H37.DN.001"])
    assert caught.value.retryable is True
    assert fake_lgsp.sent == {}

    message_id = transport.send(PACKAGE, to=["H37.DN.001"])

    assert list(fake_lgsp.sent) == [message_id]


def test_429_is_retryable(fake_lgsp):
    fake_lgsp.fail_next(1, status=429)

    with pytest.raises(TransportError) as caught:
        list(client().received())

    assert caught.value.retryable is True


def test_400_is_not_retryable_and_carries_the_platform_message(fake_lgsp):
    with pytest.raises(TransportError) as caught:
        client().send(PACKAGE, to=["not an id"])

    assert caught.value.retryable is False
    assert caught.value.message_vi == (
        "Nền tảng liên thông từ chối yêu cầu (HTTP 400): Mã định danh nơi nhận không hợp lệ"
    )


def test_malformed_json_is_refused(fake_lgsp):
    fake_lgsp.deliver(sender="H37.DN.001", content=PACKAGE)
    fake_lgsp.malformed_next(endpoint="received")

    with pytest.raises(TransportError) as caught:
        list(client().received())

    assert caught.value.retryable is False
    assert caught.value.message_vi == "Nền tảng liên thông trả lời không đúng định dạng."


def test_organisations_sync_follows_every_page(fake_lgsp):
    fake_lgsp.organisations = [
        {"organId": "H37", "organName": "UBND tỉnh Ninh Bình", "parentId": None},
        {"organId": "H37.DN", "organName": "Các sở, ngành", "parentId": "H37"},
        {"organId": "H37.DN.001", "organName": "Sở Khoa học và Công nghệ", "parentId": "H37.DN"},
        {"organId": "H37.DN.002", "organName": "Sở Tài chính", "parentId": "H37.DN"},
        {"organId": "H37.DN.003", "organName": "Sở Nội vụ", "parentId": "H37.DN"},
    ]

    organisations = list(client().organisations())

    assert [o["organ_id"] for o in organisations] == ["H37", "H37.DN", "H37.DN.001", "H37.DN.002", "H37.DN.003"]
    assert organisations[0] == {"organ_id": "H37", "name": "UBND tỉnh Ninh Bình", "parent_id": None}
    assert organisations[2]["parent_id"] == "H37.DN"
    assert fake_lgsp.calls["organisations"] == 3


def test_a_next_page_on_another_host_is_refused():
    """The bearer token is sent only to the configured platform."""
    fake = FakeLgsp(client_id="portal", client_secret="s3cret").start()
    try:
        fake.organisations = [{"organId": f"H37.{n}", "organName": "x"} for n in range(3)]
        transport = LgspClient(
            url=fake.url.replace("127.0.0.1", "localhost"), client_id="portal", client_secret="s3cret"
        )
        # The fake names its own address (127.0.0.1) in `next`: another origin than the configured one.
        with pytest.raises(TransportError):
            list(transport.organisations())
        assert fake.calls["organisations"] == 1
    finally:
        fake.stop()


def test_the_token_never_follows_a_redirect_to_another_host(fake_lgsp):
    elsewhere = FakeLgsp(client_id="other", client_secret="other").start()
    try:
        elsewhere.organisations = [{"organId": "X1", "organName": "Nơi khác"}]
        fake_lgsp.redirect_next(f"{elsewhere.url}/organizations?page=1", endpoint="organisations")
        fake_lgsp.redirect_next(f"{elsewhere.url}/organizations?page=1", endpoint="organisations")

        with pytest.raises(TransportError) as caught:
            list(client().organisations())

        assert caught.value.retryable is False
        assert elsewhere.calls["organisations"] == 2  # followed, renewed once, followed again
        assert elsewhere.authorizations == ["", ""]
    finally:
        elsewhere.stop()


def test_a_call_slower_than_the_timeout_is_a_retryable_error(fake_lgsp, settings):
    settings.EXCHANGE_LGSP_TIMEOUT = 0.2
    fake_lgsp.delay_next(30, endpoint="send")

    with pytest.raises(TransportError) as caught:
        client().send(PACKAGE, to=["H37.DN.001"])

    assert caught.value.retryable is True


def test_an_unreachable_platform_is_a_retryable_error(settings):
    fake = FakeLgsp(client_id="portal", client_secret="s3cret").start()
    url = fake.url
    fake.stop()  # nothing listens on the port any more

    with pytest.raises(TransportError) as caught:
        LgspClient(url=url, client_id="portal", client_secret="s3cret").send(PACKAGE, to=["H37.DN.001"])

    assert caught.value.retryable is True


def test_not_configured_is_not_retryable(settings):
    settings.EXCHANGE_LGSP_URL = ""

    with pytest.raises(TransportError) as caught:
        LgspClient.from_settings()

    assert caught.value.retryable is False
    assert "EXCHANGE_LGSP_URL" in caught.value.message_vi


def test_a_province_paths_are_mapped_by_setting(settings):
    paths = {"received": "/api/lgspedoc/received-edocs", "get": "/api/lgspedoc/get-edoc/{id}"}
    fake = FakeLgsp(client_id="portal", client_secret="s3cret", paths=paths).start()
    try:
        settings.EXCHANGE_LGSP_URL = fake.url
        settings.EXCHANGE_LGSP_CLIENT_ID = "portal"
        settings.EXCHANGE_LGSP_CLIENT_SECRET = "s3cret"
        settings.EXCHANGE_LGSP_PATHS = paths
        message_id = fake.deliver(sender="H37.DN.001", content=PACKAGE)

        [incoming] = client().received()

        assert incoming.content() == PACKAGE
        assert fake.calls["received"] == 1
        assert fake.calls["get"] == 1
    finally:
        fake.stop()
        assert message_id == "IN-1"


def test_an_unknown_path_key_is_refused(settings):
    with pytest.raises(TransportError):
        LgspClient(url="https://lgsp.example.vn", client_id="c", client_secret="s", paths={"inbox": "/x"})


def test_secret_and_token_never_logged(fake_lgsp, caplog):
    caplog.set_level(logging.DEBUG)
    fake_lgsp.fail_next(1, status=503)
    transport = client()
    with pytest.raises(TransportError):
        transport.send(PACKAGE, to=["H37.DN.001"])
    transport.send(PACKAGE, to=["H37.DN.001"])
    fake_lgsp.forget_tokens()
    transport.send(PACKAGE, to=["H37.DN.001"])

    tokens = [a.removeprefix("Bearer ") for a in fake_lgsp.authorizations if a.startswith("Bearer ")]
    basics = [a for a in fake_lgsp.authorizations if a.startswith("Basic ")]
    assert len(set(tokens)) == 2
    assert caplog.records  # the calls were logged
    for secret in [fake_lgsp.client_secret, *tokens, *(b.removeprefix("Basic ") for b in basics)]:
        assert secret not in caplog.text
    assert fake_lgsp.client_secret not in repr(transport)
