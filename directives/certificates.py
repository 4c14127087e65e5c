"""Signing certificates of people and agencies: kept, described, and turned into signers.

A person (a leader who signs documents) keeps theirs on their profile page; an agency's is
installed by its administrator. Either is a PKCS#12 file (re-encrypted with a key derived from
SECRET_KEY, the uploaded passphrase never kept), a key on a PKCS#11 token or HSM, or a
credential at the remote-signing service (``SignerKind``). ``signer_for`` gives the
``directives.signers`` signer the issue job signs with.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from directives import signers
from directives.models import PersonalCertificate, SignerKind, SignerSettings, SigningCertificate
from directives.permissions import can_manage_personal_certificate
from lib.errors import DomainError, NotAllowed
from units.models import User

IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_MAX_PIXELS = 2000


def bundle_passphrase(record: SignerSettings) -> bytes:
    """The key a stored bundle is encrypted with: derived from SECRET_KEY and its owner, never stored."""
    if isinstance(record, SigningCertificate):
        seed = f"portal-signing-key:{record.agency_id}"  # the agency's, as before persons had theirs
    else:
        seed = f"portal-personal-key:{record.user_id}"
    digest = hashlib.sha256(f"{seed}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def pin_variable(token_label: str) -> str:
    """The environment variable holding a token's PIN: per token if set, else the shared one."""
    specific = "SIGNING_PKCS11_PIN_" + re.sub(r"[^A-Z0-9]", "_", token_label.upper())
    return specific if os.environ.get(specific) else "SIGNING_PKCS11_PIN"


def signer_for(record: SignerSettings, *, description: str = "") -> signers.Signer:
    """The signer ``record`` says to use; ``description`` is shown on a remote signer's phone."""
    if record.kind == SignerKind.PKCS11:
        if not settings.SIGNING_PKCS11_MODULE:
            raise signers.SignerError(_("Hệ thống chưa cấu hình thư viện PKCS#11 (SIGNING_PKCS11_MODULE)."))
        return signers.Pkcs11Signer(
            module_path=settings.SIGNING_PKCS11_MODULE,
            token_label=record.pkcs11_token_label,
            key_label=record.pkcs11_key_label,
            pin_variable=pin_variable(record.pkcs11_token_label),
        )
    if record.kind == SignerKind.REMOTE:
        return signers.RemoteSigner(
            service=signers.RemoteService.from_environment(),
            credential_id=record.remote_credential_id,
            description=description,
        )
    return signers.Pkcs12Signer(bundle=bytes(record.bundle), passphrase=bundle_passphrase(record))


def trust_roots(*records: SignerSettings | None) -> list[x509.Certificate]:
    """The certificates that vouch for these records' certificates (for verifying)."""
    roots = []
    for record in records:
        if record is not None and record.chain_pem:
            roots.extend(x509.load_pem_x509_certificates(record.chain_pem.encode()))
    return roots


def _describe(certificate: x509.Certificate, chain: list[x509.Certificate]) -> dict:
    now = timezone.now()
    if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
        raise DomainError(_("Chứng thư số đã hết hạn hoặc chưa có hiệu lực."))
    roots = chain or [certificate]
    return {
        "subject": certificate.subject.rfc4514_string()[:255],
        "issuer": certificate.issuer.rfc4514_string()[:255],
        "not_after": certificate.not_valid_after_utc,
        "chain_pem": "".join(c.public_bytes(Encoding.PEM).decode() for c in roots),
    }


def _from_pkcs12(data: bytes, passphrase: str, *, encrypt_with: bytes) -> dict:
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, (passphrase or "").encode() or None)
    except ValueError as error:
        raise DomainError(_("Không đọc được tệp chứng thư số: tệp PKCS#12 hoặc mật khẩu không đúng.")) from error
    if key is None or certificate is None:
        raise DomainError(_("Tệp PKCS#12 phải có cả khóa bí mật và chứng thư số."))
    fields = _describe(certificate, list(chain or []))
    fields["bundle"] = pkcs12.serialize_key_and_certificates(
        name=b"signer", key=key, cert=certificate, cas=chain or None,
        encryption_algorithm=BestAvailableEncryption(encrypt_with),
    )  # fmt: skip
    return fields


def _from_signer(record: SignerSettings) -> dict:
    """Open the token or the remote credential once to read its certificate: a setting that
    cannot sign is refused now rather than at issue."""
    try:
        with signer_for(record).open() as pyhanko_signer:
            certificate = pyhanko_signer.signing_cert
            others = [c for c in pyhanko_signer.cert_registry if c != certificate]
    except signers.SignerError as error:
        raise DomainError(error.message) from error
    except Exception as error:  # a token library's own failure (no key, no certificate)
        raise DomainError(_("Không đọc được chứng thư số trên thiết bị hoặc dịch vụ ký số.")) from error
    if certificate is None:
        raise DomainError(_("Không tìm thấy chứng thư số trên thiết bị hoặc dịch vụ ký số."))

    def to_crypto(c: asn1_x509.Certificate) -> x509.Certificate:
        return x509.load_der_x509_certificate(c.dump())

    return _describe(to_crypto(certificate), [to_crypto(c) for c in others])


def clean_image(data: bytes | None) -> bytes | None:
    """A transparent PNG of sensible size, re-encoded (metadata dropped); None for no image."""
    if not data:
        return None
    if len(data) > IMAGE_MAX_BYTES:
        raise DomainError(_("Ảnh chữ ký hoặc con dấu không được lớn hơn 1 MB."))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise DomainError(_("Ảnh chữ ký hoặc con dấu phải là tệp PNG nền trong suốt."))
        if max(image.size) > IMAGE_MAX_PIXELS:
            raise DomainError(_("Ảnh chữ ký hoặc con dấu quá lớn (tối đa 2000 điểm ảnh mỗi chiều)."))
        image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise DomainError(_("Ảnh chữ ký hoặc con dấu phải là tệp PNG nền trong suốt.")) from error
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _apply(
    record: SignerSettings,
    *,
    kind: str,
    data: bytes | None,
    passphrase: str,
    token_label: str,
    key_label: str,
    credential_id: str,
    image: bytes | None,
) -> None:
    """Fill ``record`` (unsaved) from the form's values, checking the signer can be used."""
    if kind not in SignerKind.values:
        raise DomainError(_("Cách ký số không hợp lệ."))
    record.kind = kind
    if kind == SignerKind.PKCS12:
        if data:
            fields = _from_pkcs12(data, passphrase, encrypt_with=bundle_passphrase(record))
        elif record.pk and record.bundle:
            fields = {}  # keep the stored file, change only the image
        else:
            raise DomainError(_("Hãy chọn tệp chứng thư số (.p12, .pfx)."))
        record.pkcs11_token_label, record.pkcs11_key_label, record.remote_credential_id = "", "", ""
    elif kind == SignerKind.PKCS11:
        if not (token_label.strip() and key_label.strip()):
            raise DomainError(_("Hãy nhập nhãn thiết bị ký số và nhãn khóa."))
        record.pkcs11_token_label, record.pkcs11_key_label = token_label.strip()[:64], key_label.strip()[:64]
        record.bundle, record.remote_credential_id = b"", ""
        fields = _from_signer(record)
    else:
        if not credential_id.strip():
            raise DomainError(_("Hãy nhập mã tài khoản ký số từ xa."))
        record.remote_credential_id = credential_id.strip()[:128]
        record.bundle, record.pkcs11_token_label, record.pkcs11_key_label = b"", "", ""
        fields = _from_signer(record)
    for name, value in fields.items():
        setattr(record, name, value)
    cleaned = clean_image(image)
    if cleaned is not None:
        record.image = cleaned


@transaction.atomic
def personal_certificate_save(
    *,
    user: User,
    by: User,
    kind: str = SignerKind.PKCS12,
    data: bytes | None = None,
    passphrase: str = "",
    token_label: str = "",
    key_label: str = "",
    credential_id: str = "",
    image: bytes | None = None,
) -> PersonalCertificate:
    """Keep how ``user`` signs: a PKCS#12 file (re-encrypted), a token key or a remote credential,
    and their signature image. Only the person themself or an administrator of their agency;
    a setting that cannot sign today (wrong passphrase, expired, token or service unreachable)
    is refused in Vietnamese and nothing changes."""
    if not can_manage_personal_certificate(by, user):
        raise NotAllowed(_("Chỉ chính người ký hoặc quản trị được cài chứng thư số này."))
    record = PersonalCertificate.objects.select_for_update().filter(user=user).first()
    record = record or PersonalCertificate(user=user)
    _apply(record, kind=kind, data=data, passphrase=passphrase, token_label=token_label,
           key_label=key_label, credential_id=credential_id, image=image)  # fmt: skip
    record.uploaded_by = by
    record.save()
    return record


@transaction.atomic
def personal_certificate_remove(*, user: User, by: User) -> bool:
    """Forget how ``user`` signs; their documents are then signed by the agency only."""
    if not can_manage_personal_certificate(by, user):
        raise NotAllowed(_("Chỉ chính người ký hoặc quản trị được gỡ chứng thư số này."))
    deleted, _rows = PersonalCertificate.objects.filter(user=user).delete()
    return bool(deleted)


def agency_certificate_apply(record: SigningCertificate, **values) -> None:
    """The agency's form: the same choices as a person's (``_apply``), the seal as its image."""
    _apply(record, **values)


def _installation_roots() -> list[x509.Certificate]:
    """Every chain the installation knows (its agencies' and people's), and the operator's
    trusted roots file (``SIGNING_TRUST_ROOTS_FILE``, PEM: e.g. the national root CA)."""
    roots = []
    for model in (SigningCertificate, PersonalCertificate):
        for chain in model.objects.exclude(chain_pem="").values_list("chain_pem", flat=True):
            roots.extend(x509.load_pem_x509_certificates(chain.encode()))
    if settings.SIGNING_TRUST_ROOTS_FILE:
        with open(settings.SIGNING_TRUST_ROOTS_FILE, "rb") as handle:
            roots.extend(x509.load_pem_x509_certificates(handle.read()))
    return roots


def received_pdf_check(content: bytes) -> list[dict]:
    """The signatures of a received PDF, in order, verified offline (``signing.verify_pdf_signatures``)
    against the roots the installation trusts; as plain data to keep with the attachment."""
    from directives import signing

    results = signing.verify_pdf_signatures(content, trust_roots=_installation_roots())
    return [
        {
            "signer": result.signer_common_name or "",
            "signed_at": result.signed_at.isoformat() if result.signed_at else "",
            "intact": result.intact,
            "trusted": result.trusted,
            "valid": result.valid,
            "covers_whole_file": result.covers_whole_file,
            "covers_revision": result.covers_revision,
        }
        for result in results
    ]
