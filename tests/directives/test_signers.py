"""The three signers behind one interface: a PKCS#12 bundle, a PKCS#11 token (SoftHSM2, made
in a temporary directory by the test) and a remote-signing service (a fake HTTP server on
127.0.0.1 started by the test: approve, refuse, timeout)."""

import base64
import datetime
import json
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from directives import pdf, signing
from directives.signers import (
    Pkcs11Signer,
    Pkcs12Signer,
    RemoteService,
    RemoteSigner,
    RemoteSigningRefused,
    RemoteSigningTimeout,
    SignerError,
)
from lib.errors import DomainError
from tests.directives import samples
from tests.directives.certificates import PASSPHRASE

SIGNED_AT = datetime.datetime(2021, 1, 5, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
AGENCY = "Sở Khoa học và Công nghệ"


@pytest.fixture(scope="module")
def unsigned():
    return pdf.render_pdf(samples.THONG_BAO)


def _sign(unsigned, signer, name="Nguyễn Công Danh"):
    return signing.sign_personal(
        unsigned, signer=signer, signer_name=name, agency_name=AGENCY, signed_at=SIGNED_AT, image_png=None
    )


def test_pkcs12_signer_signs(authority, unsigned):
    signed = _sign(unsigned, Pkcs12Signer(authority["pkcs12"], PASSPHRASE))
    (result,) = signing.verify_pdf_signatures(signed, trust_roots=[authority["ca"]])
    assert result.valid and result.signer_common_name == "Nguyễn Công Danh"


# -- PKCS#11 on SoftHSM2 ------------------------------------------------------------------

SOFTHSM_MODULES = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"]
SOFTHSM_MODULE = next((path for path in SOFTHSM_MODULES if Path(path).exists()), None)
needs_softhsm = pytest.mark.skipif(
    SOFTHSM_MODULE is None or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 is not installed here (Debian package softhsm2; CI installs it)",
)


TOKEN_PIN = "246810"


@pytest.fixture(scope="session")
def softhsm_store(tmp_path_factory, authority):
    """A fresh SoftHSM2 token, in a temporary directory of this run with its own SOFTHSM2_CONF,
    holding the deputy's key and certificate under the label "lan".

    One per test process: the PKCS#11 library reads SOFTHSM2_CONF once, when the process first
    loads it, so every test of the process must see the same token directory. (Module scope set
    it up again when the suite's ordering split this module's tests, and the second set-up wrote
    the key a second time into the token the library had already opened.)
    """
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass
    from pkcs11.util.ec import encode_named_curve_parameters

    tmp_path = tmp_path_factory.mktemp("softhsm")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    patch = pytest.MonkeyPatch()
    patch.setenv("SOFTHSM2_CONF", str(config))
    pin = TOKEN_PIN
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "thu-nghiem", "--so-pin", "135790", "--pin", pin],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(config)},
    )
    key, certificate = authority["authority"].issue("Trần Thị Lan")
    numbers = key.private_numbers()
    der_certificate = certificate.public_bytes(serialization.Encoding.DER)
    library = pkcs11.lib(SOFTHSM_MODULE)
    token = library.get_token(token_label="thu-nghiem")
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                Attribute.KEY_TYPE: KeyType.EC,
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.SIGN: True,
                Attribute.LABEL: "lan",
                Attribute.ID: b"\x01",
                Attribute.EC_PARAMS: encode_named_curve_parameters("1.2.840.10045.3.1.7"),
                Attribute.VALUE: numbers.private_value.to_bytes(32, "big"),
            }
        )
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "lan",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: certificate.subject.public_bytes(),
                Attribute.VALUE: der_certificate,
            }
        )
    yield
    patch.undo()


@pytest.fixture
def softhsm_token(softhsm_store, monkeypatch):
    """The token's signer, its PIN in the environment variable it names."""
    monkeypatch.setenv("TEST_TOKEN_PIN", TOKEN_PIN)
    return Pkcs11Signer(
        module_path=SOFTHSM_MODULE, token_label="thu-nghiem", key_label="lan", pin_variable="TEST_TOKEN_PIN"
    )


@needs_softhsm
def test_pkcs11_signer_signs_with_a_key_on_softhsm2(authority, unsigned, softhsm_token):
    signed = _sign(unsigned, softhsm_token, name="Trần Thị Lan")
    (result,) = signing.verify_pdf_signatures(signed, trust_roots=[authority["ca"]])
    assert result.valid and result.covers_whole_file
    assert result.signer_common_name == "Trần Thị Lan"


@needs_softhsm
def test_pkcs11_signer_without_its_pin_in_the_environment_is_refused_in_vietnamese(
    unsigned, softhsm_token, monkeypatch
):
    monkeypatch.delenv("TEST_TOKEN_PIN")
    with pytest.raises(SignerError, match="Chưa cấu hình mã PIN"):
        _sign(unsigned, softhsm_token)


@needs_softhsm
def test_pkcs11_signer_with_an_unknown_token_is_refused(unsigned, softhsm_token):
    other = Pkcs11Signer(
        module_path=SOFTHSM_MODULE, token_label="khong-co", key_label="lan", pin_variable="TEST_TOKEN_PIN"
    )
    with pytest.raises(SignerError, match="Không mở được thiết bị ký số"):
        _sign(unsigned, other)


# -- Remote signing against a fake service ------------------------------------------------


class FakeService:
    """A remote-signing service on 127.0.0.1: answers ``pending`` ``pending_polls`` times, then
    ``outcome`` ("approved", "refused" or "pending" for ever)."""

    def __init__(self, key, certificates, outcome="approved", pending_polls=2):
        self.key, self.certificates = key, certificates
        self.outcome, self.pending_polls = outcome, pending_polls
        self.requests, self.polls, self.authorisations = {}, 0, set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                service.authorisations.add(self.headers.get("Authorization"))
                if self.path == "/credentials/lanh-dao-1":
                    return self._answer(200, {"certificates": service.certificates})
                if self.path.startswith("/signatures/"):
                    request = service.requests[self.path.rsplit("/", 1)[1]]
                    service.polls += 1
                    if service.polls <= service.pending_polls or service.outcome == "pending":
                        return self._answer(200, {"status": "pending"})
                    if service.outcome == "refused":
                        return self._answer(200, {"status": "refused"})
                    digest = base64.b64decode(request["digest"])
                    signature = service.key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
                    return self._answer(200, {"status": "approved", "signature": base64.b64encode(signature).decode()})
                return self._answer(404, {})

            def do_POST(self):
                service.authorisations.add(self.headers.get("Authorization"))
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                request_id = str(len(service.requests) + 1)
                service.requests[request_id] = body
                return self._answer(201, {"id": request_id})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote_credential(authority):
    key, certificate = authority["authority"].issue("Nguyễn Công Danh")
    encoded = [
        base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in (certificate, authority["ca"])
    ]
    return key, encoded


def _remote(fake, waits):
    service = RemoteService(endpoint=fake.url, token="bi-mat", poll_interval=3, timeout=9)
    return RemoteSigner(service=service, credential_id="lanh-dao-1", description="01/TB-SKHCN", sleep=waits.append)


def test_remote_signer_polls_until_the_signer_approves(authority, unsigned, remote_credential):
    key, certificates = remote_credential
    waits = []
    with FakeService(key, certificates, outcome="approved", pending_polls=2) as fake:
        signed = _sign(unsigned, _remote(fake, waits))
    (result,) = signing.verify_pdf_signatures(signed, trust_roots=[authority["ca"]])
    assert result.valid and result.signer_common_name == "Nguyễn Công Danh"
    assert waits == [3, 3]  # two pending answers, each followed by a wait of the poll interval
    (request,) = fake.requests.values()
    assert request["credential_id"] == "lanh-dao-1" and request["digest_algorithm"] == "sha256"
    assert request["description"] == "01/TB-SKHCN"
    assert fake.authorisations == {"Bearer bi-mat"}


def test_remote_signer_refused_on_the_phone_is_a_vietnamese_error(unsigned, remote_credential):
    key, certificates = remote_credential
    with (
        FakeService(key, certificates, outcome="refused") as fake,
        pytest.raises(RemoteSigningRefused, match="từ chối"),
    ):
        _sign(unsigned, _remote(fake, []))


def test_remote_signer_gives_up_after_its_timeout(unsigned, remote_credential):
    key, certificates = remote_credential
    waits = []
    with FakeService(key, certificates, outcome="pending") as fake, pytest.raises(RemoteSigningTimeout):
        _sign(unsigned, _remote(fake, waits))
    assert sum(waits) == 9  # the configured timeout, counted in poll intervals, not the wall clock


def test_remote_signer_unreachable_service_is_a_vietnamese_error(unsigned):
    service = RemoteService(endpoint="http://127.0.0.1:9", token="", request_timeout=1)
    with pytest.raises(SignerError, match="Không liên lạc được"):
        _sign(unsigned, RemoteSigner(service=service, credential_id="x"))


def test_remote_service_is_configured_from_the_environment(monkeypatch):
    monkeypatch.delenv("REMOTE_SIGNING_URL", raising=False)
    with pytest.raises(SignerError, match="REMOTE_SIGNING_URL"):
        RemoteService.from_environment()
    monkeypatch.setenv("REMOTE_SIGNING_URL", "https://ky-so.example.vn/api/")
    monkeypatch.setenv("REMOTE_SIGNING_TOKEN", "t")
    monkeypatch.setenv("REMOTE_SIGNING_TIMEOUT_SECONDS", "120")
    service = RemoteService.from_environment()
    assert service.endpoint == "https://ky-so.example.vn/api" and service.token == "t" and service.timeout == 120


# -- Configured on a leader's profile -----------------------------------------------------


@needs_softhsm
def test_a_leader_configures_their_token_and_its_certificate_is_read_from_it(
    softhsm_token, director, settings, monkeypatch, unsigned, authority
):
    from directives import certificates
    from directives.models import SignerKind

    settings.SIGNING_PKCS11_MODULE = SOFTHSM_MODULE
    monkeypatch.setenv("SIGNING_PKCS11_PIN_THU_NGHIEM", os.environ["TEST_TOKEN_PIN"])
    record = certificates.personal_certificate_save(
        user=director, by=director, kind=SignerKind.PKCS11, token_label="thu-nghiem", key_label="lan"
    )
    assert "Trần Thị Lan" in record.subject and not bytes(record.bundle)
    assert "CA thử nghiệm" in record.issuer and record.chain_pem
    signed = _sign(unsigned, certificates.signer_for(record), name="Trần Thị Lan")
    (result,) = signing.verify_pdf_signatures(signed, trust_roots=certificates.trust_roots(record))
    assert result.valid


def test_a_leader_configures_a_remote_credential_checked_against_the_service(director, remote_credential, monkeypatch):
    from directives import certificates
    from directives.models import SignerKind

    key, encoded = remote_credential
    with FakeService(key, encoded) as fake:
        monkeypatch.setenv("REMOTE_SIGNING_URL", fake.url)
        record = certificates.personal_certificate_save(
            user=director, by=director, kind=SignerKind.REMOTE, credential_id="lanh-dao-1"
        )
        assert "Nguyễn Công Danh" in record.subject and record.remote_credential_id == "lanh-dao-1"
        with pytest.raises(DomainError, match="Không liên lạc được"):
            monkeypatch.setenv("REMOTE_SIGNING_URL", "http://127.0.0.1:9")
            certificates.personal_certificate_save(
                user=director, by=director, kind=SignerKind.REMOTE, credential_id="khac"
            )
    record.refresh_from_db()
    assert record.remote_credential_id == "lanh-dao-1"  # the refused setting changed nothing
