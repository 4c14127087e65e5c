"""A throw-away certificate authority for the demo (and the tests): not for real documents.

``DemoAuthority`` makes a self-signed root and issues signing certificates (P-256 keys,
digitalSignature + nonRepudiation) bundled as PKCS#12, the form a leader or an agency uploads.
"""

import datetime
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def certificate(subject, issuer, public_key, signing_key, *, ca: bool, days: int = 30) -> x509.Certificate:
    """A certificate valid from yesterday for ``days``: a CA's, or a signing one."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signing_key, hashes.SHA256())


@dataclass
class DemoAuthority:
    """A root made at construction; ``issue`` signs a new key's certificate with it."""

    organisation: str = "Sở Khoa học và Công nghệ"
    common_name: str = "CA thử nghiệm"
    days: int = 30
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    def __post_init__(self) -> None:
        name = _name(self.common_name, self.organisation)
        self.certificate = certificate(name, name, self.key.public_key(), self.key, ca=True, days=self.days)

    def issue(self, common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = certificate(
            _name(common_name, self.organisation),
            self.certificate.subject,
            key.public_key(),
            self.key,
            ca=False,
            days=self.days,
        )
        return key, cert

    def pkcs12(self, common_name: str, passphrase: bytes) -> bytes:
        """A new key and certificate for ``common_name`` with this root, as PKCS#12."""
        key, cert = self.issue(common_name)
        return pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, [self.certificate], serialization.BestAvailableEncryption(passphrase)
        )
