"""The official PDF of a document: drafts rendered on demand, issued ones rendered once
(signed when the agency has a certificate), stored with their SHA-256 and only served after."""

import hashlib
import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directives import certificates, hooks, pdf, signing
from directives.models import Document, IssuedPdf, PersonalCertificate, SignerKind, SigningCertificate
from directives.permissions import can_retry_pdf
from directives.schema import document_as_schema
from lib.errors import DomainError, NotAllowed
from lib.text import shorten
from ops.background import CLAIM_TTL, WorkKind, backoff, oldest_due_of, requeue_due, wake
from units.models import Agency, User
from units.roles import Role

log = logging.getLogger(__name__)


@transaction.atomic
def signing_certificate_upload(
    *,
    agency: Agency,
    by: User,
    data: bytes | None = None,
    passphrase: str = "",
    kind: str = SignerKind.PKCS12,
    token_label: str = "",
    key_label: str = "",
    credential_id: str = "",
    seal: bytes | None = None,
) -> SigningCertificate:
    """Keep how ``agency`` signs (a PKCS#12 file re-encrypted, a token or HSM key, or a remote
    credential) and its seal image; refuse one that cannot sign today."""
    if not (by.is_superuser or (Role.ADMINISTRATOR in by.roles and by.agency_id in (None, agency.pk))):
        raise NotAllowed(_("Chỉ quản trị của cơ quan được cài chứng thư số."))
    record = SigningCertificate.objects.select_for_update().filter(agency=agency).first()
    record = record or SigningCertificate(agency=agency)
    certificates.agency_certificate_apply(
        record, kind=kind, data=data, passphrase=passphrase, token_label=token_label,
        key_label=key_label, credential_id=credential_id, image=seal,
    )  # fmt: skip
    record.uploaded_by = by
    record.save()
    return record


def draft_pdf(document: Document) -> bytes:
    """Render a document that is not issued yet, marked DỰ THẢO and without a number."""
    return pdf.render_pdf(document_as_schema(document), draft=True)


MAX_RENDER_ATTEMPTS = 4  # then the clerk sees «Tạo PDF không thành công» and may retry


def issued_pdf_render(document_id: int, *, now: datetime | None = None) -> str:
    """Render, sign and store the official PDF of an issued document, once; answer its state.

    The ``IssuedPdf`` row is the job: it is claimed by a conditional update (pending, and
    unclaimed or claimed more than ``CLAIM_TTL`` ago), so a doubled wake-up does nothing. A
    failed render is put back with a later due time (back-off: about 30 s, 1 min, 2 min) for
    the recovery job, and marked failed after ``MAX_RENDER_ATTEMPTS``. Two workers racing (a
    claim that outlived its TTL) would both render, but only the first to record its file
    wins (a conditional update on the state); the loser deletes its copy.
    """
    now = now or timezone.now()
    State = IssuedPdf.State
    claimed = (
        IssuedPdf.objects.filter(document_id=document_id, state=State.PENDING)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TTL))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    record = (
        IssuedPdf.objects.select_related("document__agency", "document__doc_type", "document__signer")
        .filter(document_id=document_id)
        .first()
    )
    if record is None or not claimed:
        return record.state if record else "gone"
    document = record.document
    try:
        if document.copy_form:
            from directives.copies import copy_pdf

            content = copy_pdf(document)
        else:
            content = pdf.render_pdf(document_as_schema(document), draft=False)
        content, signed = _sign_issued(document, content)
    except Exception as error:
        log.exception("official PDF of document %s failed (attempt %s)", document_id, record.attempts)
        final = record.attempts >= MAX_RENDER_ATTEMPTS
        IssuedPdf.objects.filter(pk=record.pk, state=State.PENDING).update(
            state=State.FAILED if final else State.PENDING,
            error=f"{type(error).__name__}: {error}"[:2000],
            claimed_at=None,
            due_at=timezone.now() + backoff(record.attempts),
        )
        return State.FAILED if final else State.PENDING
    digest = hashlib.sha256(content).hexdigest()
    name = f"{document.year}-{document.pk}-{digest[:12]}.pdf"
    record.file.save(name, ContentFile(content), save=False)
    won = (
        IssuedPdf.objects.filter(pk=record.pk)
        .exclude(state=State.READY)
        .update(
            state=State.READY,
            file=record.file.name,
            sha256=digest,
            size=len(content),
            signed=signed,
            rendered_at=timezone.now(),
            error="",
            claimed_at=None,
        )
    )
    if not won:
        record.file.storage.delete(record.file.name)
        return State.READY
    # What waited for the PDF goes now; a receiver's failure only leaves it to the recovery job.
    for receiver, answer in hooks.issued_pdf_ready.send_robust(sender=IssuedPdf, document_id=document_id):
        if isinstance(answer, Exception):
            log.error("after the PDF of document %s, %s failed", document_id, receiver, exc_info=answer)
    return State.READY


def _sign_issued(document: Document, content: bytes) -> tuple[bytes, bool]:
    """Sign the rendered PDF twice, in order: the signer's own signature (when they keep a
    certificate) and then the agency's (when it has one), each an incremental revision.

    Both are made here, when the PDF exists with its number: the signer approved the text,
    and their signature is applied to the numbered document at issue (docs/pdf.md, "When the
    signer's signature is made"). A remote signer is asked on their phone now; a refusal
    fails this attempt.
    """
    personal = PersonalCertificate.objects.filter(user_id=document.signer_id).first() if document.signer_id else None
    agency_certificate = SigningCertificate.objects.filter(agency_id=document.agency_id).first()
    description = shorten(f"{document.symbol} — {document.subject}", 200)
    if personal is not None:
        content = signing.sign_personal(
            content,
            signer=certificates.signer_for(personal, description=description),
            signer_name=document.signer.get_full_name(),
            agency_name=document.agency.name,
            signed_at=timezone.now(),
            image_png=bytes(personal.image) or None,
        )
    if agency_certificate is not None:
        content = signing.sign_agency(
            content,
            signer=certificates.signer_for(agency_certificate, description=description),
            agency_name=document.agency.name,
            signed_at=timezone.now(),
            seal_png=bytes(agency_certificate.image) or None,
        )
    return content, personal is not None or agency_certificate is not None


def issued_pdf_wake(document_id: int) -> bool:
    """Publish a wake-up for the render job; never raises (the row is the job)."""
    from directives import jobs

    return wake(lambda: jobs.issued_pdf_render.delay(document_id), what=f"the official PDF of document {document_id}")


@transaction.atomic
def issued_pdf_retry(*, document: Document, by: User) -> IssuedPdf:
    """Try again to render a document's official PDF that failed for good.

    Only someone who may issue the agency's documents (the clerk) may ask; the render starts
    over with fresh attempts, after commit. Refused when the PDF is not failed.
    """
    if not can_retry_pdf(by, document):
        raise NotAllowed(_("Chỉ văn thư của cơ quan được tạo lại bản PDF chính thức."))
    now = timezone.now()
    changed = IssuedPdf.objects.filter(document=document, state=IssuedPdf.State.FAILED).update(
        state=IssuedPdf.State.PENDING, attempts=0, due_at=now, claimed_at=None, error=""
    )
    if not changed:
        raise DomainError(_("Bản PDF chính thức không ở trạng thái lỗi, không cần tạo lại."))
    log.info("official PDF of document %s: retry asked by user %s", document.pk, by.pk)
    transaction.on_commit(lambda: issued_pdf_wake(document.pk))
    return IssuedPdf.objects.get(document=document)


def issued_pdfs_retry_failed(*, now: datetime | None = None) -> list[int]:
    """Put every failed official PDF back to be rendered (the administrator's command); answer their documents."""
    now = now or timezone.now()
    failed = list(IssuedPdf.objects.filter(state=IssuedPdf.State.FAILED).values_list("document_id", flat=True))
    IssuedPdf.objects.filter(document_id__in=failed, state=IssuedPdf.State.FAILED).update(
        state=IssuedPdf.State.PENDING, attempts=0, due_at=now, claimed_at=None, error=""
    )
    return failed


def issued_pdfs_requeue(now: datetime) -> int:
    """The recovery job's part for PDFs: wake a render for each due, unclaimed (or abandoned) row."""
    pending = IssuedPdf.objects.filter(state=IssuedPdf.State.PENDING)
    return requeue_due(pending, now, key="document_id", wake=issued_pdf_wake, limit=500)


def issued_pdfs_oldest_due(now: datetime) -> datetime | None:
    return oldest_due_of(IssuedPdf.objects.filter(state=IssuedPdf.State.PENDING), now)


OFFICIAL_PDFS = WorkKind(name="official_pdfs", oldest_due=issued_pdfs_oldest_due, recover=issued_pdfs_requeue)


def issued_pdf_read(record: IssuedPdf) -> bytes:
    """The stored bytes, checked against the digest recorded at issue."""
    with record.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != record.sha256:
        log.error("official PDF of document %s does not match its recorded SHA-256", record.document_id)
        raise DomainError(_("Bản PDF lưu trữ không khớp mã băm SHA-256 đã ghi khi phát hành. Hãy báo quản trị."))
    return content


def issued_pdf_verify(record: IssuedPdf) -> list[signing.VerificationResult] | None:
    """Verify every signature of the stored PDF, in order, against the certificate chains the
    agency and the signer keep (None if unsigned). Raises DomainError when the file changed."""
    if not record.signed:
        return None
    document = record.document
    agency_certificate = SigningCertificate.objects.filter(agency_id=document.agency_id).first()
    personal = PersonalCertificate.objects.filter(user_id=document.signer_id).first() if document.signer_id else None
    roots = certificates.trust_roots(agency_certificate, personal)
    return signing.verify_pdf_signatures(issued_pdf_read(record), trust_roots=roots)
