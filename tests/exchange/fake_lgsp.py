"""A local fake of the provincial LGSP platform, served over real HTTP on 127.0.0.1 (docs/exchange-lgsp.md).

It implements the API shape exchange/lgsp.py follows: the OAuth2 token endpoint (Basic auth, tokens
that expire), send, the paged list of received messages, get, acknowledge and the paged directory of
organisations. Switches inject what a real platform does on a bad day: the next calls answer 503,
a body that is not JSON, a token the platform has forgotten (401), an answer slower than the client waits.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import itertools
import json
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from exchange.lgsp import DEFAULT_PATHS


class FakeLgsp:
    """The platform's state, inspected and steered by the tests."""

    def __init__(self, *, client_id: str, client_secret: str, token_lifetime: int = 3600, paths: dict | None = None):
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self.paths = {**DEFAULT_PATHS, **(paths or {})}
        self.page_size = 2
        self.tokens: dict[str, float] = {}  # token -> when it expires (time.time())
        self.sent: dict[str, dict] = {}  # docId -> {"messagetype", "to", "content": bytes}
        self.inbox: list[dict] = []  # waiting for the portal: {"docId", "from", "messagetype", "content"}
        self.acknowledged: list[str] = []
        self.organisations: list[dict] = []
        self.calls: collections.Counter = collections.Counter()  # endpoint -> requests answered
        self.authorizations: list[str] = []  # every Authorization header received, to check what was sent
        self._failures: list[tuple[str | None, int]] = []  # (endpoint or None for any API call, status)
        self._malformed: list[tuple[str | None, bool]] = []
        self._delays: list[tuple[str | None, float]] = []
        self._redirects: list[tuple[str | None, str]] = []
        self.reject_every_token = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._routes = [
            (name, re.compile("^" + re.escape(path).replace(re.escape("{id}"), "(?P<id>[^/]+)") + "$"))
            for name, path in self.paths.items()
        ]

    # --- switches -------------------------------------------------------------------------------

    def fail_next(self, count: int, *, status: int = 503, endpoint: str | None = None) -> None:
        """The next ``count`` API calls (of ``endpoint``, or any but the token's) answer ``status``."""
        self._failures.extend([(endpoint, status)] * count)

    def malformed_next(self, *, endpoint: str | None = None) -> None:
        """The next API call answers 200 with a body that is not JSON."""
        self._malformed.append((endpoint, True))

    def delay_next(self, seconds: float, *, endpoint: str | None = None) -> None:
        """The next API call waits ``seconds`` before answering (the server's stop ends the wait)."""
        self._delays.append((endpoint, seconds))

    def redirect_next(self, location: str, *, endpoint: str | None = None) -> None:
        """The next API call answers 302 to ``location`` (before looking at the token)."""
        self._redirects.append((endpoint, location))

    def forget_tokens(self) -> None:
        """Every token issued so far is refused with 401, as after a platform restart."""
        self.tokens.clear()

    def deliver(self, *, sender: str, content: bytes, messagetype: str = "edoc") -> str:
        """Put a message in the portal's inbox; answer its id."""
        doc_id = f"IN-{next(self._ids)}"
        self.inbox.append({"docId": doc_id, "from": sender, "messagetype": messagetype, "content": content})
        return doc_id

    # --- server ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeLgsp:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # --- requests ----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers, body: bytes) -> tuple[int, bytes]:
        parts = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(parts.query)
        endpoint, match = next(
            ((name, m) for name, pattern in self._routes if (m := pattern.match(parts.path))), (None, None)
        )
        if endpoint is None:
            return 404, _json({"message": "Không tìm thấy"})
        self.authorizations.append(headers.get("Authorization", ""))
        if endpoint == "token":
            with self._lock:
                self.calls["token"] += 1
            return self._token(method, headers, body)
        with self._lock:
            self.calls[endpoint] += 1
            delay = _take(self._delays, endpoint)
            failure = _take(self._failures, endpoint)
            malformed = _take(self._malformed, endpoint)
            redirect = _take(self._redirects, endpoint)
        if delay:
            self._stopping.wait(delay)
        if failure:
            return failure, _json({"message": "Hệ thống đang bảo trì"})
        if redirect:
            return 302, redirect
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if self.reject_every_token or self.tokens.get(token, 0) <= time.time():
            return 401, _json({"message": "Mã truy cập không hợp lệ hoặc đã hết hạn"})
        if malformed:
            return 200, b"<html>502 Bad Gateway</html>"
        payload = json.loads(body) if body else {}
        return getattr(self, f"_{endpoint}")(
            method=method, id=match.groupdict().get("id"), query=query, payload=payload
        )

    def _token(self, method, headers, body) -> tuple[int, bytes]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        form = urllib.parse.parse_qs(body.decode())
        if method != "POST" or headers.get("Authorization") != f"Basic {expected}":
            return 401, _json({"error": "invalid_client", "error_description": "Sai mã ứng dụng hoặc khóa bí mật"})
        if form.get("grant_type") != ["client_credentials"]:
            return 400, _json({"error": "unsupported_grant_type"})
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.time() + self.token_lifetime
        return 200, _json({"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime})

    def _send(self, *, method, id, query, payload) -> tuple[int, bytes]:
        to = payload.get("to")
        if not to or not all(isinstance(t, str) and re.fullmatch(r"[0-9A-Z.]{1,35}", t) for t in to):
            return 400, _json({"message": "Mã định danh nơi nhận không hợp lệ"})
        doc_id = f"OUT-{next(self._ids)}"
        self.sent[doc_id] = {
            "messagetype": payload["messagetype"],
            "to": to,
            "content": base64.b64decode(payload["content"]),
        }
        return 200, _json({"docId": doc_id})

    def _received(self, *, method, id, query, payload) -> tuple[int, bytes]:
        waiting = [
            {k: v for k, v in item.items() if k != "content"}
            for item in self.inbox
            if item["docId"] not in self.acknowledged
        ]
        page = int(query.get("page", ["1"])[0])
        chunk = waiting[(page - 1) * self.page_size : page * self.page_size]
        more = page * self.page_size < len(waiting)
        # Relative `next`, as some platforms answer; the directory answers absolute ones.
        return 200, _json({"data": chunk, "next": f"{self.paths['received']}?page={page + 1}" if more else None})

    def _get(self, *, method, id, query, payload) -> tuple[int, bytes]:
        item = next((i for i in self.inbox if i["docId"] == id), None)
        if item is None:
            return 404, _json({"message": "Không tìm thấy văn bản"})
        return 200, _json({"docId": id, "content": base64.b64encode(item["content"]).decode()})

    def _acknowledge(self, *, method, id, query, payload) -> tuple[int, bytes]:
        if not any(i["docId"] == id for i in self.inbox):
            return 404, _json({"message": "Không tìm thấy văn bản"})
        self.acknowledged.append(id)
        return 200, _json({"status": "OK"})

    def _organisations(self, *, method, id, query, payload) -> tuple[int, bytes]:
        page = int(query.get("page", ["1"])[0])
        chunk = self.organisations[(page - 1) * self.page_size : page * self.page_size]
        more = page * self.page_size < len(self.organisations)
        following = f"{self.url}{self.paths['organisations']}?page={page + 1}" if more else None
        return 200, _json({"data": chunk, "next": following})


def _take(queue: list, endpoint: str):
    """Pop and answer the first injected item aimed at ``endpoint`` (or at any endpoint)."""
    for index, (target, value) in enumerate(queue):
        if target in (None, endpoint):
            del queue[index]
            return value
    return None


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _handler(fake: FakeLgsp):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            status, body = fake.handle(self.command, self.path, self.headers, self.rfile.read(length))
            with contextlib.suppress(OSError):  # the client gave up waiting (timeout tests)
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", body)
                    body = b""
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        do_GET = do_POST = _serve

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    return Handler


@pytest.fixture(name="fake_lgsp")
def fake_lgsp_fixture(settings):
    """A running fake platform, and the settings pointing the portal at it (fresh credentials each test)."""
    fake = FakeLgsp(client_id=f"portal-{secrets.token_hex(4)}", client_secret=secrets.token_urlsafe(16)).start()
    settings.EXCHANGE_LGSP_URL = fake.url
    settings.EXCHANGE_LGSP_CLIENT_ID = fake.client_id
    settings.EXCHANGE_LGSP_CLIENT_SECRET = fake.client_secret
    settings.EXCHANGE_LGSP_TIMEOUT = 5
    settings.EXCHANGE_LGSP_PATHS = {}
    yield fake
    fake.stop()
