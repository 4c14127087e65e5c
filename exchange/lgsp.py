"""The provincial LGSP platform over HTTP: one ``Transport`` (docs/exchange-lgsp.md).

The client follows one documented API shape (OAuth2 client credentials, JSON over HTTPS, packages
base64 in JSON) whose paths are settings, so a province whose platform names them differently is
mapped without code. It moves bytes and JSON only: no database, no edXML parsing.

Never logged, never put in an error message: the client secret and the access token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from exchange.transport import Incoming, TransportError

logger = logging.getLogger(__name__)

# The API shape's paths (docs/exchange-lgsp.md, "API shape"); EXCHANGE_LGSP_PATHS overrides any of them.
# (B105: bandit takes the token endpoint's path for a password.)
DEFAULT_PATHS = {
    "token": "/oauth2/token",  # nosec B105
    "send": "/edocs",
    "received": "/edocs/received",
    "get": "/edocs/{id}",
    "acknowledge": "/edocs/{id}/status",
    "organisations": "/organizations",
}
# A list that never ends (a platform answering the same `next` forever) must not hang a poll.
MAX_PAGES = 1000
# The token is renewed this long before the platform says it expires, so a call never carries a
# token that dies in flight; short-lived tokens renew at 80 % of their life.
TOKEN_MARGIN_SECONDS = 60
KINDS = {"edoc": "package", "status": "status"}


class LgspClient:
    """The LGSP platform of one installation; every call either succeeds or raises ``TransportError``.

    The access token is kept in Django's cache under a key derived from the platform address and the
    client id, so every process sharing the cache (web, worker) uses one token until shortly before
    it expires. A call answered 401 renews the token once and is repeated once.
    """

    def __init__(
        self, *, url: str, client_id: str, client_secret: str, timeout: float = 30.0, paths: dict | None = None
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise TransportError(_("Địa chỉ nền tảng liên thông (EXCHANGE_LGSP_URL) không hợp lệ."), retryable=False)
        unknown = set(paths or {}) - set(DEFAULT_PATHS)
        if unknown:
            raise TransportError(
                _("EXCHANGE_LGSP_PATHS có khóa không biết: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
                retryable=False,
            )
        self.url = url.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.timeout = timeout
        self.paths = {**DEFAULT_PATHS, **(paths or {})}
        self._origin = _origin(self.url)
        digest = hashlib.sha256(f"{self.url}\n{client_id}".encode()).hexdigest()[:32]
        self._token_key = f"exchange:lgsp:token:{digest}"

    def __repr__(self) -> str:
        return f"LgspClient(url={self.url!r}, client_id={self.client_id!r})"

    @classmethod
    def from_settings(cls) -> LgspClient:
        """The client the settings describe; not configured (EXCHANGE_LGSP_URL empty) is a non-retryable error."""
        url = getattr(settings, "EXCHANGE_LGSP_URL", "")
        if not url:
            raise TransportError(_("Chưa cấu hình kết nối nền tảng liên thông (EXCHANGE_LGSP_URL)."), retryable=False)
        return cls(
            url=url,
            client_id=getattr(settings, "EXCHANGE_LGSP_CLIENT_ID", ""),
            client_secret=getattr(settings, "EXCHANGE_LGSP_CLIENT_SECRET", ""),
            timeout=float(getattr(settings, "EXCHANGE_LGSP_TIMEOUT", 30)),
            paths=getattr(settings, "EXCHANGE_LGSP_PATHS", None) or {},
        )

    # --- Transport -------------------------------------------------------------------------

    def send(self, package: bytes, *, to: list[str]) -> str:
        if not to:
            raise TransportError(_("Gói tin liên thông phải có ít nhất một nơi nhận."), retryable=False)
        return self._send("edoc", package, list(to))

    def send_status(self, status: bytes, *, to: str) -> str:
        return self._send("status", status, [to])

    def received(self) -> Iterator[Incoming]:
        seen = set()
        for item in self._pages("received"):
            message_id, sender_id = str(item.get("docId") or ""), str(item.get("from") or "")
            kind = KINDS.get(item.get("messagetype", "edoc"))
            if not message_id or kind is None:
                raise _malformed()
            if message_id in seen:  # a list that shifted between pages repeats an item; yield it once
                continue
            seen.add(message_id)
            yield Incoming(
                message_id=message_id, sender_id=sender_id, kind=kind, fetch=lambda m=message_id: self.get(m)
            )

    def get(self, message_id: str) -> bytes:
        answer = self._call("GET", self._path("get", message_id))
        try:
            return base64.b64decode(answer["content"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise _malformed() from exc

    def acknowledge(self, message_id: str) -> None:
        self._call("POST", self._path("acknowledge", message_id), {"status": "done"})

    def organisations(self) -> Iterator[dict]:
        for item in self._pages("organisations"):
            organ_id = str(item.get("organId") or "")
            if not organ_id:
                raise _malformed()
            yield {
                "organ_id": organ_id,
                "name": str(item.get("organName") or ""),
                "parent_id": str(item["parentId"]) if item.get("parentId") else None,
            }

    # --- HTTP -------------------------------------------------------------------------------

    def _send(self, messagetype: str, content: bytes, to: list[str]) -> str:
        answer = self._call(
            "POST",
            self._path("send"),
            {"messagetype": messagetype, "to": to, "content": base64.b64encode(content).decode()},
        )
        message_id = answer.get("docId")
        if not message_id:
            raise _malformed()
        return str(message_id)

    def _path(self, key: str, message_id: str = "") -> str:
        return self.url + self.paths[key].replace("{id}", urllib.parse.quote(message_id, safe=""))

    def _pages(self, key: str) -> Iterator[dict]:
        """Every item of a paged list: ``?page=1``, then each answer's ``next`` until it is empty."""
        url = self._path(key) + "?page=1"
        visited = set()
        while url and len(visited) < MAX_PAGES:
            visited.add(url)
            answer = self._call("GET", url)
            items = answer.get("data")
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise _malformed()
            yield from items
            following = answer.get("next")
            if not following:
                return
            url = urllib.parse.urljoin(url, str(following))
            # The bearer token goes only to the configured platform, never to a host a page names.
            if _origin(url) != self._origin:
                raise _malformed()
            if url in visited:
                return

    def _call(self, method: str, url: str, payload: dict | None = None) -> dict:
        """One authorised call answering JSON; a 401 renews the token and repeats the call once."""
        for attempt in (1, 2):
            token = self._token(renew=attempt == 2)
            status, body = self._http(method, url, payload=payload, token=token)
            if status != 401:
                return self._answer(status, body)
        raise TransportError(
            _("Nền tảng liên thông không chấp nhận mã truy cập của cổng, kể cả mã vừa cấp lại."), retryable=False
        )

    def _token(self, *, renew: bool) -> str:
        if not renew and (token := cache.get(self._token_key)):
            return token
        credentials = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode()
        status, body = self._http(
            "POST",
            self._path("token"),
            form={"grant_type": "client_credentials"},
            authorization=f"Basic {credentials}",
        )
        if status in (400, 401):
            raise TransportError(
                _("Nền tảng liên thông không chấp nhận mã ứng dụng và khóa bí mật (EXCHANGE_LGSP_CLIENT_ID, …)."),
                retryable=False,
            )
        answer = self._answer(status, body)
        token, expires_in = answer.get("access_token"), answer.get("expires_in", 300)
        if not isinstance(token, str) or not token or not isinstance(expires_in, int | float) or expires_in <= 0:
            raise _malformed()
        lifetime = int(expires_in - min(TOKEN_MARGIN_SECONDS, expires_in / 5))
        cache.set(self._token_key, token, lifetime)
        logger.info("LGSP token obtained for client %s, cached %d s", self.client_id, lifetime)
        return token

    def _http(
        self,
        method: str,
        url: str,
        *,
        payload: dict | None = None,
        form: dict | None = None,
        token: str = "",
        authorization: str = "",
    ) -> tuple[int, bytes]:
        """Answer (status, body) of one request; a network failure or timeout is a retryable error."""
        headers = {"Accept": "application/json"}
        data = None
        if payload is not None:
            data, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # B310: the scheme is http or https, checked in __init__; `next` pages keep the configured origin.
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # nosec B310
        # Unredirected: a redirect to another host must not carry the credentials with it.
        if token:
            request.add_unredirected_header("Authorization", f"Bearer {token}")
        elif authorization:
            request.add_unredirected_header("Authorization", authorization)
        where = urllib.parse.urlsplit(url).path
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            logger.warning("LGSP %s %s failed: %s", method, where, type(exc).__name__)
            raise TransportError(
                _("Không liên lạc được với nền tảng liên thông (mạng lỗi hoặc quá thời gian chờ); sẽ thử lại."),
                retryable=True,
            ) from exc
        logger.info("LGSP %s %s -> %s", method, where, status)
        return status, body

    def _answer(self, status: int, body: bytes) -> dict:
        if status == 429 or status >= 500:
            raise TransportError(
                _("Nền tảng liên thông đang bận hoặc gặp sự cố (HTTP %(status)s); sẽ thử lại.") % {"status": status},
                retryable=True,
            )
        if status >= 400:
            said = _platform_message(body)
            message = (
                _("Nền tảng liên thông từ chối yêu cầu (HTTP %(status)s): %(message)s")
                % {"status": status, "message": said}
                if said
                else _("Nền tảng liên thông từ chối yêu cầu (HTTP %(status)s).") % {"status": status}
            )
            raise TransportError(message, retryable=False)
        if status >= 300:
            raise TransportError(
                _("Nền tảng liên thông chuyển hướng yêu cầu (HTTP %(status)s); kiểm tra EXCHANGE_LGSP_URL.")
                % {"status": status},
                retryable=False,
            )
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise _malformed() from exc
        if not isinstance(answer, dict):
            raise _malformed()
        return answer


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.netloc


def _malformed() -> TransportError:
    return TransportError(_("Nền tảng liên thông trả lời không đúng định dạng."), retryable=False)


def _platform_message(body: bytes) -> str:
    """What the platform said about a refused call: ``message`` (or OAuth2's ``error_description``)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(answer, dict):
        return ""
    said = answer.get("message") or answer.get("error_description") or answer.get("error") or ""
    return str(said)[:300]
