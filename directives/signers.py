"""Where a signature's key lives: three signers behind one interface.

Every signer gives ``directives.signing`` a pyHanko ``Signer`` for the time of one signature
(``with signer.open() as pyhanko_signer: ...``), so the PDF side never knows where the key is:

- ``Pkcs12Signer``: a PKCS#12 bundle held by the portal (today's agency certificate, or a
  leader's uploaded file), decrypted in memory for the signature.
- ``Pkcs11Signer``: a key that never leaves a token or HSM, reached through a PKCS#11 module
  (pyHanko's ``pkcs11`` support over python-pkcs11). The module path, token label and key
  label are configuration; the PIN is read from the environment variable the configuration
  names, never stored in the database or the code.
- ``RemoteSigner``: a remote-signing service (VNPT SmartCA, Viettel MySign and the like): the
  portal sends the digest to sign, the signer approves on their phone, the portal polls until
  the service answers approved (with the signed hash), refused, or the wait runs out.

Which one a person or an agency uses is stored with their certificate record
(``SignerSettings.kind``); ``signer_for`` builds it. See docs/pdf.md, "Signers".
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.sign import signers as pyhanko_signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


class SignerError(Exception):
    """A signature could not be made; ``message`` is Vietnamese and may be shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Signer(Protocol):
    """Anything that can lend pyHanko a signer for one signature."""

    def open(self) -> contextlib.AbstractContextManager[pyhanko_signers.Signer]:
        """Yield a ready pyHanko signer; release the key (session, memory) on exit."""
        ...


@dataclass(frozen=True)
class Pkcs12Signer:
    """A PKCS#12 bundle and its passphrase, both in memory only while signing."""

    bundle: bytes
    passphrase: bytes | None

    @contextlib.contextmanager
    def open(self) -> Iterator[pyhanko_signers.Signer]:
        try:
            signer = pyhanko_signers.SimpleSigner.load_pkcs12_data(
                self.bundle, other_certs=[], passphrase=self.passphrase
            )
        except ValueError as exc:
            raise SignerError(_("Không đọc được chứng thư số: tệp PKCS#12 hoặc mật khẩu không đúng.")) from exc
        yield signer


@dataclass(frozen=True)
class Pkcs11Signer:
    """A key on a PKCS#11 token or HSM.

    ``pin_variable`` names the environment variable holding the user PIN: the PIN itself is
    never an attribute of this object, so it is not in the database, a log line or a repr.
    """

    module_path: str
    token_label: str
    key_label: str
    pin_variable: str

    @contextlib.contextmanager
    def open(self) -> Iterator[pyhanko_signers.Signer]:
        from pkcs11 import PKCS11Error as LowLevelError
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        pin = os.environ.get(self.pin_variable)
        if not pin:
            raise SignerError(
                _("Chưa cấu hình mã PIN của thiết bị ký số (biến môi trường %(name)s).") % {"name": self.pin_variable}
            )
        try:
            session = pkcs11.open_pkcs11_session(
                self.module_path, token_criteria=TokenCriteria(label=self.token_label), user_pin=pin
            )
        except (LowLevelError, pkcs11.PKCS11Error, OSError, RuntimeError) as exc:
            raise SignerError(_("Không mở được thiết bị ký số «%(label)s».") % {"label": self.token_label}) from exc
        try:
            # hash in software, sign the digest on the token: USB tokens and SoftHSM2 lack
            # the combined hash-and-sign mechanisms for EC keys
            yield pkcs11.PKCS11Signer(
                session, key_label=self.key_label, cert_label=self.key_label, use_raw_mechanism=True
            )
        finally:
            session.close()


class RemoteSigningRefused(SignerError):
    """The signer refused the request on their phone."""


class RemoteSigningTimeout(SignerError):
    """The signer did not answer within the wait."""


@dataclass(frozen=True)
class RemoteService:
    """How to reach a remote-signing service: endpoint and credentials from the environment.

    The service speaks a small JSON protocol (docs/pdf.md, "Remote signing"):
    ``GET {endpoint}/credentials/{id}`` → ``{"certificates": [base64 DER, ...]}`` (the signer's
    first); ``POST {endpoint}/signatures`` with ``{"credential_id", "digest", "digest_algorithm",
    "description"}`` → ``{"id"}``; ``GET {endpoint}/signatures/{id}`` → ``{"status": "pending" |
    "approved" | "refused", "signature": base64}`` where the signature is the signed hash
    (a DER ECDSA signature or PKCS#1 v1.5 RSA signature over the digest).
    """

    endpoint: str
    token: str
    poll_interval: float = 2.0
    timeout: float = 300.0
    request_timeout: float = 10.0

    @classmethod
    def from_environment(cls) -> RemoteService:
        endpoint = os.environ.get("REMOTE_SIGNING_URL", "")
        if not endpoint:
            raise SignerError(_("Chưa cấu hình dịch vụ ký số từ xa (REMOTE_SIGNING_URL)."))
        return cls(
            endpoint=endpoint.rstrip("/"),
            token=os.environ.get("REMOTE_SIGNING_TOKEN", ""),
            poll_interval=float(os.environ.get("REMOTE_SIGNING_POLL_SECONDS", "2")),
            timeout=float(os.environ.get("REMOTE_SIGNING_TIMEOUT_SECONDS", "300")),
        )

    def call(self, method: str, path: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # nosec B310 - the endpoint is configuration, checked http(s) below
            self.endpoint + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        if not request.full_url.startswith(("http://", "https://")):
            raise SignerError(_("Địa chỉ dịch vụ ký số từ xa không hợp lệ."))
        try:
            with urllib.request.urlopen(request, timeout=self.request_timeout) as response:  # nosec B310
                return json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SignerError(_("Không liên lạc được với dịch vụ ký số từ xa.")) from exc


class _RemotePyhankoSigner(pyhanko_signers.Signer):
    """A pyHanko signer whose raw signature comes from the remote service."""

    def __init__(self, service: RemoteService, credential_id: str, description: str, sleep: Callable) -> None:
        answer = service.call("GET", f"/credentials/{credential_id}")
        try:
            certificates = [asn1_x509.Certificate.load(base64.b64decode(c)) for c in answer["certificates"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise SignerError(_("Dịch vụ ký số từ xa trả về chứng thư số không hợp lệ.")) from exc
        if not certificates:
            raise SignerError(_("Dịch vụ ký số từ xa không có chứng thư số cho người ký này."))
        super().__init__(signing_cert=certificates[0], cert_registry=SimpleCertificateStore.from_certs(certificates))
        self.service = service
        self.credential_id = credential_id
        self.description = description
        self.sleep = sleep

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:  # pyHanko sizes the signature's space; an RSA-4096 signature is 512 bytes
            return bytes(512)
        digest = hashlib.new(digest_algorithm, data).digest()
        request = self.service.call(
            "POST",
            "/signatures",
            {
                "credential_id": self.credential_id,
                "digest": base64.b64encode(digest).decode(),
                "digest_algorithm": digest_algorithm,
                "description": self.description,
            },
        )
        request_id = str(request.get("id", ""))
        if not request_id:
            raise SignerError(_("Dịch vụ ký số từ xa không nhận yêu cầu ký."))
        waited = 0.0
        while True:
            state = self.service.call("GET", f"/signatures/{request_id}")
            status = state.get("status")
            if status == "approved":
                try:
                    return base64.b64decode(state["signature"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise SignerError(_("Dịch vụ ký số từ xa trả về chữ ký không hợp lệ.")) from exc
            if status == "refused":
                raise RemoteSigningRefused(_("Người ký đã từ chối yêu cầu ký số trên điện thoại."))
            if status != "pending":
                raise SignerError(_("Dịch vụ ký số từ xa trả lời không hợp lệ."))
            if waited >= self.service.timeout:
                raise RemoteSigningTimeout(_("Hết thời gian chờ người ký xác nhận trên điện thoại."))
            self.sleep(self.service.poll_interval)
            waited += self.service.poll_interval


@dataclass(frozen=True)
class RemoteSigner:
    """A credential at a remote-signing service; ``description`` is shown on the signer's phone."""

    service: RemoteService
    credential_id: str
    description: str = ""
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    @contextlib.contextmanager
    def open(self) -> Iterator[pyhanko_signers.Signer]:
        yield _RemotePyhankoSigner(self.service, self.credential_id, self.description, self.sleep)


__all__ = [
    "Pkcs11Signer",
    "Pkcs12Signer",
    "RemoteService",
    "RemoteSigner",
    "RemoteSigningRefused",
    "RemoteSigningTimeout",
    "Signer",
    "SignerError",
]
