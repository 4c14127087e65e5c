"""Documents to packages and packages to documents (docs/exchange.md)."""

import hashlib
import logging
import mimetypes
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directives import official_pdf
from directives.certificates import received_pdf_check
from directives.models import Delivery, Document, DocumentType, Event, IssuedPdf
from directives.services import attachment_add, incoming_register
from exchange import edxml, models
from exchange import permissions as rights
from exchange.edxml import Attachment, Package, Party, Signer
from exchange.models import Outgoing, Received, StatusLog
from exchange.outbox import outgoing_queue
from lib.errors import DomainError, NotAllowed
from lib.text import shorten
from tasks.models import Task, TaskEvent
from tasks.services import task_cancel
from units.models import Agency, Organisation, User

log = logging.getLogger(__name__)

#: The ``transport`` of a package registered at once from a file (``exchange_import``).
IMPORTED = "command"

URGENCY_PRIORITY = {urgency: priority for priority, urgency in edxml.PRIORITIES.items()}


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def package_of_document(document: Document, *, by: User | None = None) -> Package:
    """The package of an issued outgoing document: its fields, the official PDF, then its files.

    ``by`` (when a person asks) must be a clerk of the issuing agency. The recipients are the
    document's outside organisations that carry an electronic identity; a package with none is
    refused when built. Confidential documents never leave by the exchange.
    """
    if by is not None and not rights.can_export(by, document):
        raise NotAllowed(_("Chỉ văn thư của cơ quan ban hành gửi văn bản liên thông."))
    if document.direction != Document.Direction.OUTGOING or not document.is_issued:
        raise DomainError(_("Chỉ gửi liên thông được văn bản đi đã phát hành."))
    if document.is_confidential:
        raise DomainError(_("Văn bản mật không được gửi qua trục liên thông."))
    agency = document.agency
    if not agency.exchange_id:
        raise DomainError(_("Cơ quan chưa có mã định danh điện tử nên chưa gửi liên thông được."))
    record = IssuedPdf.objects.filter(document=document, state=IssuedPdf.State.READY).first()
    if record is None:
        raise DomainError(_("Văn bản chưa có bản PDF chính thức; hãy chờ hoặc tạo lại bản PDF."))
    number, _slash, notation = document.symbol.partition("/")
    pdf_name = f"{document.symbol.replace('/', '_')}.pdf"
    attachments = [Attachment("1", pdf_name, "application/pdf", official_pdf.issued_pdf_read(record))]
    for index, attachment in enumerate(document.attachments.order_by("pk"), start=2):
        with attachment.file.open("rb") as stored:
            data = stored.read()
        attachments.append(Attachment(str(index), attachment.name, _content_type(attachment.name), data))
    organisations = (
        Organisation.objects.filter(pk__in=document.recipients.values("organisation"))
        .exclude(exchange_id="")
        .order_by("name")
    )
    signer = document.signer
    return Package(
        from_=Party(agency.exchange_id, agency.name, agency.parent_body),
        to=[Party(organisation.exchange_id, organisation.name) for organisation in organisations],
        document_id=str(document.pk),
        code_number=number if notation else "",
        code_notation=notation or number,
        place=agency.place_name,
        promulgation_date=document.issued_on,
        doc_type=document.doc_type.name,
        subject=document.subject,
        signer=Signer(
            competence=" ".join(part for part in (document.signing_authority, document.authority_title) if part),
            position=signer.title if signer else "",
            full_name=signer.full_name if signer else "",
        ),
        to_places=[line.strip() for line in document.distribution.splitlines() if line.strip()],
        priority=URGENCY_PRIORITY.get(document.urgency, "0"),
        attachments=attachments,
    )


def _sender_for(party: Party) -> Organisation:
    """The outside organisation that sent ``party``'s package: by identity, else by name, else new."""
    sender = Organisation.objects.filter(exchange_id=party.organ_id).first()
    sender = sender or Organisation.objects.filter(name=party.name).first()
    if sender is None:
        sender = Organisation(name=party.name, exchange_id=party.organ_id)
        sender.full_clean()
        sender.save()
    return sender


def _package_register(package: Package, *, agency: Agency, by: User) -> Document:
    """Register ``package`` in ``agency``'s incoming register with its fields and files as sent
    (the caller holds the transaction and keeps the package's bytes)."""
    if not rights.can_receive(by, agency):
        raise NotAllowed(_("Chỉ văn thư của cơ quan nhận vào sổ văn bản liên thông."))
    if not agency.exchange_id:
        raise DomainError(_("Cơ quan chưa có mã định danh điện tử nên chưa nhận được văn bản liên thông."))
    if agency.exchange_id not in {party.organ_id for party in package.to}:
        raise DomainError(_("Gói tin không gửi cho cơ quan này (mã định danh %(id)s).") % {"id": agency.exchange_id})
    doc_type = DocumentType.objects.filter(name__iexact=package.doc_type).first()
    if doc_type is None:
        raise DomainError(_("Loại văn bản «%(name)s» chưa có trong danh mục.") % {"name": package.doc_type})
    document = incoming_register(
        by=by,
        sender=_sender_for(package.from_),
        symbol=_symbol(package),
        issued_on=package.promulgation_date,
        doc_type=doc_type,
        subject=package.subject,
        urgency=edxml.PRIORITIES[package.priority],
    )
    for attachment in package.attachments:
        attachment_add(document=document, by=by, file=ContentFile(attachment.data, name=attachment.name))
    return document


def _symbol(package: Package) -> str:
    return f"{package.code_number}/{package.code_notation}" if package.code_number else package.code_notation


@transaction.atomic
def document_from_package(package: Package, *, agency: Agency, by: User, data: bytes) -> Document:
    """Register a received package in ``agency``'s incoming register at once, with its fields as sent.

    The symbol, date, type, subject and urgency are the package's own (nothing is read from the
    files); every file is attached byte for byte through the ordinary upload checks, and the
    package's bytes (``data``) are kept in an accepted ``Received`` row. Either all of it happens
    or none: a refused file or a package already received registers nothing and consumes no number.
    """
    if not rights.can_receive(by, agency):
        raise NotAllowed(_("Chỉ văn thư của cơ quan nhận vào sổ văn bản liên thông."))
    earlier = Received.objects.filter(
        agency=agency, sender_exchange_id=package.from_.organ_id, package_document_id=package.document_id
    ).first()
    if package.document_id and earlier is not None:
        if earlier.document_id is None:
            raise DomainError(
                _("Gói tin này đã được nhận (%(state)s).") % {"state": earlier.get_state_display().lower()}
            )
        raise DomainError(
            _("Gói tin này đã được nhận: văn bản đến số %(number)s.") % {"number": earlier.document.number}
        )
    document = _package_register(package, agency=agency, by=by)
    received = Received(
        agency=agency,
        document=document,
        received_by=by,
        decided_by=by,
        decided_at=timezone.now(),
        state=Received.State.ACCEPTED,
        transport=IMPORTED,
        **_package_fields(package, data),
    )
    received.package.save("package.xml", ContentFile(data), save=False)
    received.save()
    return document


def _package_fields(package: Package, data: bytes) -> dict:
    """What a ``Received`` row copies of a readable package (the lists show it without reading)."""
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "shape": edxml.package_shape(data),
        "sender_exchange_id": package.from_.organ_id,
        "package_document_id": package.document_id,
        "sender_name": package.from_.name,
        "symbol": _symbol(package),
        "issued_on": package.promulgation_date,
        "doc_type_name": package.doc_type,
        "subject": package.subject,
    }


def package_receive(*, data: bytes, agency: Agency, by: User) -> Document:
    """Read ``data`` (PackageInvalid names every fault) and register it in ``agency``."""
    return document_from_package(edxml.package_read(data), agency=agency, by=by, data=data)


# --- The flow (docs/exchange.md, "The flow") ---------------------------------------------------
# Contract shared by the transports and jobs (exchange/jobs.py, exchange/transports.py), the
# screens (exchange/views.py) and the hooks (exchange/receivers.py).


def _notation(symbol: str) -> str:
    """The ``CodeNotation`` half of a symbol («05/TB-SKHCN» → «TB-SKHCN»)."""
    number, _slash, notation = symbol.partition("/")
    return notation or number


def _staff(by: User | None) -> str:
    return by.get_full_name() if by is not None else ""


def _status_send(
    *,
    agency: Agency,
    to_id: str,
    code: str,
    package_document_id: str,
    code_notation: str,
    description: str = "",
    by: User | None = None,
    document: Document | None = None,
    received: Received | None = None,
) -> Outgoing:
    """Queue one status message and log it (``StatusLog(direction=out)``), in the caller's transaction."""
    said = {"code": code, "description": description, "staff": _staff(by), "document": document, "received": received}
    now = timezone.now()
    StatusLog.objects.create(agency=agency, direction=StatusLog.Direction.OUT, party_id=to_id, at=now, **said)
    return outgoing_queue(
        kind=Outgoing.Kind.STATUS,
        agency=agency,
        to_id=to_id,
        package_document_id=package_document_id,
        code_notation=code_notation,
        **said,
    )


def _arrival_status(received: Received, code: str, *, by: User | None = None, description: str = "") -> Outgoing:
    """Tell an arrival's sender ``code`` about it (from the receiving agency, about the sender's id)."""
    return _status_send(
        agency=received.agency,
        to_id=received.sender_exchange_id,
        code=code,
        package_document_id=received.package_document_id,
        code_notation=_notation(received.symbol),
        description=description,
        by=by,
        document=received.document,
        received=received,
    )


@transaction.atomic
def document_sent(document: Document) -> list[Outgoing]:
    """Queue the issued ``document``'s package for each recipient organisation with an identity
    (one ``Outgoing(kind=package)`` row each); nothing when the document is confidential, has no
    such recipient or its agency has no identity. Called in the issuing transaction.

    The package itself is built when the row is sent (the official PDF renders after the issue)."""
    if document.direction != Document.Direction.OUTGOING or not document.is_issued or document.is_confidential:
        return []
    agency = document.agency
    if not agency.exchange_id:
        return []
    organisations = (
        Organisation.objects.filter(pk__in=document.recipients.values("organisation"))
        .exclude(exchange_id="")
        .order_by("name")
    )
    return [
        outgoing_queue(
            kind=Outgoing.Kind.PACKAGE,
            agency=agency,
            to_id=organisation.exchange_id,
            organisation=organisation,
            document=document,
            package_document_id=str(document.pk),
            code_notation=_notation(document.symbol),
        )
        for organisation in organisations
    ]


UNCHECKED = gettext_lazy("Không kiểm tra được chữ ký số của tệp này.")


def _signatures(package: Package) -> list[dict]:
    """Each attached PDF's signatures, verified offline; a PDF that cannot be checked says so
    rather than stopping the arrival (the clerk decides, seeing it)."""
    results = []
    for attachment in package.attachments:
        if not (attachment.content_type == "application/pdf" or attachment.name.lower().endswith(".pdf")):
            continue
        try:
            results.append({"name": attachment.name, "signatures": received_pdf_check(attachment.data)})
        except Exception:  # any fault of a sender's PDF (pyhanko, a truncated file) is shown, not raised
            log.warning("could not check the signatures of %s", attachment.name, exc_info=True)
            results.append({"name": attachment.name, "signatures": [], "error": str(UNCHECKED)})
    return results


_LENIENT = {
    "package_document_id": re.compile(rb"<(?:[\w.-]+:)?DocumentId>\s*([^<\s]{1,15})\s*</"),
    "code_notation": re.compile(rb"<(?:[\w.-]+:)?CodeNotation>\s*([^<]{1,60}?)\s*</"),
}


def _guess(data: bytes, field: str) -> str:
    """A field of a package that could not be read, found in its text (never parsed as XML), so a
    02 can still name the document for its sender; "" when not found."""
    found = _LENIENT[field].search(data[: 1 << 20])
    return found.group(1).decode("utf-8", "replace") if found else ""


def _answering_agency() -> Agency | None:
    """The agency a refusal of an unusable package is sent from: none of ours could take it, so
    the installation's first agency with an identity answers (docs/decisions.md)."""
    return Agency.objects.exclude(exchange_id="").order_by("pk").first()


def _arrival_refused(
    *, data: bytes, transport: str, message_id: str, sender_id: str, errors: list[str], package: Package | None
) -> Received:
    """Keep an unusable package refused with its faults, and tell its sender (02) when known."""
    reason = "\n".join(errors)
    received = Received(
        agency=None,
        state=Received.State.REFUSED,
        transport=transport,
        message_id=message_id,
        reason=reason,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        sender_exchange_id=sender_id[:35],
        package_document_id=(package.document_id if package else _guess(data, "package_document_id"))[:15],
        symbol=(_symbol(package) if package else _guess(data, "code_notation"))[:80],
        decided_at=timezone.now(),
    )
    if package is not None:
        received.sender_name, received.subject = package.from_.name[:255], package.subject
    received.package.save("package.xml", ContentFile(data), save=False)
    received.save()
    agency = _answering_agency()
    if sender_id and agency is not None:
        _status_send(
            agency=agency,
            to_id=sender_id,
            code=models.REFUSED,
            package_document_id=received.package_document_id,
            code_notation=_notation(received.symbol) or "?",
            description=reason,
            received=received,
        )
    return received


def _arrival_keep(package: Package, data: bytes, *, agency: Agency, transport: str, message_id: str):
    """One waiting arrival for ``agency``, or the row kept before (None, row) when it is a repeat."""
    fields = _package_fields(package, data)
    earlier = Received.objects.filter(
        agency=agency, sender_exchange_id=fields["sender_exchange_id"], package_document_id=package.document_id
    ).first()
    if package.document_id and earlier is not None:
        return None, earlier
    received = Received(
        agency=agency,
        state=Received.State.WAITING,
        transport=transport,
        message_id=message_id,
        signatures=_signatures(package),
        **fields,
    )
    received.package.save("package.xml", ContentFile(data), save=False)
    try:
        # A concurrent delivery of the same package: the unique constraints decide who keeps it.
        with transaction.atomic():
            received.save()
    except IntegrityError:
        received.package.delete(save=False)
        kept = Received.objects.filter(
            Q(agency=agency, sender_exchange_id=package.from_.organ_id, package_document_id=package.document_id)
            | Q(transport=transport, message_id=message_id) & ~Q(message_id="")
        ).first()
        if kept is None:
            raise
        return None, kept
    return received, received


@transaction.atomic
def arrival_store(*, data: bytes, transport: str, message_id: str = "", sender_id: str = "") -> list[Received]:
    """Keep a package that arrived: one ``Received(state=WAITING)`` per recipient agency of this
    installation named in its ``To``, with the package's fields copied, its PDFs' signatures
    verified (``signatures``), a 01 logged and queued back to the sender. A package that cannot be
    read is kept refused (``reason`` = the Vietnamese faults) and a 02 is queued to ``sender_id``
    when known. A message already kept (same transport and message id, or same agency, sender and
    document id) answers the rows kept before and queues nothing.

    The message id is kept on the first agency's row only (it is unique per transport); the other
    agencies' rows of the same message are found again by sender and document id."""
    if message_id:
        first = Received.objects.filter(transport=transport, message_id=message_id).first()
        if first is not None:
            return _same_message(first)
    try:
        package = edxml.package_read(data)
    except edxml.PackageInvalid as error:
        return [
            _arrival_refused(
                data=data, transport=transport, message_id=message_id, sender_id=sender_id, errors=error.errors,
                package=None,
            )
        ]  # fmt: skip
    named = [party.organ_id for party in package.to]
    agencies = list(Agency.objects.filter(exchange_id__in=named).exclude(exchange_id="").order_by("pk"))
    if not agencies:
        error = _("Gói tin không gửi cho cơ quan nào dùng hệ thống này (mã định danh nơi nhận: %(ids)s).") % {
            "ids": ", ".join(named)
        }
        return [
            _arrival_refused(
                data=data, transport=transport, message_id=message_id, sender_id=sender_id or package.from_.organ_id,
                errors=[error], package=package,
            )
        ]  # fmt: skip
    rows = []
    for index, agency in enumerate(agencies):
        created, row = _arrival_keep(
            package, data, agency=agency, transport=transport, message_id=message_id if index == 0 else ""
        )
        if created is not None:
            _arrival_status(created, models.ARRIVED)
        rows.append(row)
    return rows


def _same_message(first: Received) -> list[Received]:
    """The rows kept from one message: the first agency's, and the other agencies' of the same package."""
    if not first.package_document_id or first.agency_id is None:
        return [first]
    return list(
        Received.objects.filter(
            sender_exchange_id=first.sender_exchange_id,
            package_document_id=first.package_document_id,
            sha256=first.sha256,
        ).order_by("pk")
    )


def _arrival_locked(received: Received) -> Received:
    # Two clerks deciding the same arrival at once: the second waits here, then sees it decided.
    return Received.objects.select_for_update(of=("self",)).select_related("agency", "document").get(pk=received.pk)


def _arrival_decidable(received: Received, by: User) -> None:
    if not rights.can_receive(by, received.agency):
        raise NotAllowed(_("Chỉ văn thư của cơ quan nhận tiếp nhận hoặc từ chối văn bản liên thông."))
    if received.state != Received.State.WAITING:
        raise DomainError(
            _("Văn bản liên thông này đã được xử lý (%(state)s).") % {"state": received.get_state_display().lower()}
        )


@transaction.atomic
def arrival_accept(*, received: Received, by: User) -> Document:
    """Register a waiting arrival in its agency's incoming register (numbered, with its fields and
    files exactly as sent) and queue 03 to the sender. Refused unless ``rights.can_decide``.

    Either all of it happens or none: a refused file or a type not in the catalogue registers
    nothing, takes no number and leaves the arrival waiting."""
    received = _arrival_locked(received)
    _arrival_decidable(received, by)
    with received.package.open("rb") as stored:
        package = edxml.package_read(stored.read())
    document = _package_register(package, agency=received.agency, by=by)
    received.document, received.state = document, Received.State.ACCEPTED
    received.received_by, received.decided_by, received.decided_at = by, by, timezone.now()
    received.save(update_fields=["document", "state", "received_by", "decided_by", "decided_at"])
    _arrival_status(received, models.ACCEPTED, by=by)
    return document


@transaction.atomic
def arrival_refuse(*, received: Received, by: User, reason: str) -> Received:
    """Refuse a waiting arrival with a required reason and queue 02 (with the reason) to the sender."""
    received = _arrival_locked(received)
    _arrival_decidable(received, by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy ghi lý do từ chối."), {"field": "reason"})
    received.state, received.reason = Received.State.REFUSED, reason
    received.decided_by, received.decided_at = by, timezone.now()
    received.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    _arrival_status(received, models.REFUSED, by=by, description=reason)
    return received


def _status_known(status: edxml.Status, agency: Agency, **about) -> StatusLog | None:
    """The line a status message left when it came before (a transport delivering it again):
    same agency, sender, code and timestamp, about the same thing."""
    return StatusLog.objects.filter(
        agency=agency, direction=StatusLog.Direction.IN, party_id=status.from_.organ_id, code=status.code,
        at=status.timestamp, **about,
    ).first()  # fmt: skip


def _status_log(status: edxml.Status, agency: Agency, **about) -> StatusLog:
    return _status_known(status, agency, **about) or StatusLog.objects.create(
        agency=agency,
        direction=StatusLog.Direction.IN,
        party_id=status.from_.organ_id,
        code=status.code,
        description=status.description,
        staff=status.staff[:150],
        at=status.timestamp,
        **about,
    )


@transaction.atomic
def status_apply(*, data: bytes, transport: str, message_id: str = "") -> StatusLog | None:
    """Record a status message that arrived (``StatusLog(direction=in)``) against the document it is
    about on this side; a 13 marks the arrival ``recall=ASKED``; a 15 or 16 answers our request.
    An unreadable status or one about no document here is logged and answers None.

    A message delivered again (same sender, code and timestamp about the same thing) answers the
    line it left and changes nothing."""
    try:
        status = edxml.status_read(data)
    except edxml.PackageInvalid as error:
        log.warning("unreadable status message %s/%s: %s", transport, message_id, "; ".join(error.errors))
        return None
    agency = Agency.objects.filter(exchange_id=status.to.organ_id).exclude(exchange_id="").first()
    if agency is None:
        log.warning("status message %s/%s for no agency here (%s)", transport, message_id, status.to.organ_id)
        return None
    if status.code == models.RECALL_ASKED:
        return _recall_asked(status, agency, transport=transport, message_id=message_id)
    # Every other code is a recipient telling us, the sender, about one of our documents that
    # was sent to it: the package row proves both.
    sent = (
        Outgoing.objects.filter(
            agency=agency, kind=Outgoing.Kind.PACKAGE, to_id=status.from_.organ_id,
            package_document_id=status.document_id, document__isnull=False,
        )
        .select_related("document")
        .first()
    )  # fmt: skip
    if sent is None:
        log.warning(
            "status %s %s/%s about document %r not sent to %s",
            status.code, transport, message_id, status.document_id, status.from_.organ_id,
        )  # fmt: skip
        return None
    return _status_log(status, agency, document=sent.document)


def _recall_asked(status: edxml.Status, agency: Agency, *, transport: str, message_id: str) -> StatusLog | None:
    received = (
        Received.objects.select_for_update()
        .filter(agency=agency, sender_exchange_id=status.from_.organ_id, package_document_id=status.document_id)
        .exclude(package_document_id="")
        .first()
    )
    if received is None:
        log.warning("recall %s/%s of a package not received here: %r", transport, message_id, status.document_id)
        return None
    known = _status_known(status, agency, received=received)
    if known is not None:
        return known
    # A refused or already given back arrival has nothing left to give: the request is only logged.
    if received.state in (Received.State.WAITING, Received.State.ACCEPTED):
        received.recall, received.recall_reason, received.recall_answer = Received.Recall.ASKED, status.description, ""
        received.save(update_fields=["recall", "recall_reason", "recall_answer"])
    return _status_log(status, agency, received=received, document=received.document)


def _sent_to(document: Document) -> list[str]:
    """The identities ``document``'s package was queued for, in order."""
    rows = Outgoing.objects.filter(document=document, kind=Outgoing.Kind.PACKAGE).order_by("to_id")
    return list(dict.fromkeys(rows.values_list("to_id", flat=True)))


@transaction.atomic
def recall_request(*, document: Document, by: User, reason: str, to_ids: list[str] | None = None) -> list[Outgoing]:
    """Ask the recipients (``to_ids``, default all it was sent to) to give ``document`` back: 13 with
    the required reason. Refused unless ``rights.can_recall``."""
    if not rights.can_recall(by, document):
        raise NotAllowed(_("Chỉ văn thư của cơ quan ban hành yêu cầu lấy lại văn bản đã gửi liên thông."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy ghi lý do lấy lại."), {"field": "reason"})
    sent = _sent_to(document)
    if not sent:
        raise DomainError(_("Văn bản này chưa được gửi liên thông cho cơ quan nào."))
    to_ids = sent if to_ids is None else list(dict.fromkeys(to_ids))
    unknown = [to_id for to_id in to_ids if to_id not in sent]
    if unknown or not to_ids:
        raise DomainError(
            _("Văn bản không được gửi cho: %(ids)s.") % {"ids": ", ".join(unknown) or "—"}, {"field": "to_ids"}
        )
    return [
        _status_send(
            agency=document.agency,
            to_id=to_id,
            code=models.RECALL_ASKED,
            package_document_id=str(document.pk),
            code_notation=_notation(document.symbol),
            description=reason,
            by=by,
            document=document,
        )
        for to_id in to_ids
    ]


def _withdraw(received: Received, by: User, reason: str) -> None:
    """Take a registered document given back out of its agency: out of its units' inboxes, its
    open tasks cancelled (the register keeps its number: numbers are never reused)."""
    document = received.document
    Delivery.objects.filter(document=document, unit__agency_id=received.agency_id).delete()
    note = _("Văn bản bị cơ quan gửi lấy lại: %(reason)s") % {"reason": reason or received.recall_reason}
    for task in Task.objects.filter(document=document, state__in=Task.OPEN_STATES).order_by("pk"):
        task_cancel(task=task, by=by, reason=note, withdrawn=True)


@transaction.atomic
def recall_answer(*, received: Received, by: User, agree: bool, reason: str = "") -> Received:
    """Answer a recall request: agree (15) withdraws the document from this agency (its units'
    inboxes emptied of it, its open tasks cancelled, the arrival ``RECALLED``); refuse (16) needs a
    reason. Refused unless ``rights.can_answer_recall``."""
    received = _arrival_locked(received)
    if not rights.can_receive(by, received.agency):
        raise NotAllowed(_("Chỉ văn thư của cơ quan nhận trả lời yêu cầu lấy lại văn bản."))
    if received.recall != Received.Recall.ASKED:
        raise DomainError(_("Không có yêu cầu lấy lại nào đang chờ trả lời."))
    reason = (reason or "").strip()
    if not agree and not reason:
        raise DomainError(_("Hãy ghi lý do từ chối lấy lại."), {"field": "reason"})
    fields = ["recall", "recall_answer"]
    if agree:
        if received.document_id is not None:
            _withdraw(received, by, reason)
        received.recall, received.state = Received.Recall.AGREED, Received.State.RECALLED
        fields.append("state")
        if received.decided_at is None:  # it was still waiting: given back undecided
            received.decided_by, received.decided_at = by, timezone.now()
            fields += ["decided_by", "decided_at"]
    else:
        received.recall = Received.Recall.REFUSED
    received.recall_answer = reason
    received.save(update_fields=fields)
    _arrival_status(received, models.RECALL_AGREED if agree else models.RECALL_REFUSED, by=by, description=reason)
    return received


def progress_tell(*, document: Document, code: str, event: Event | TaskEvent) -> Outgoing | None:
    """Tell the sender of a document that came by the exchange how it goes, once per code: 04 when
    it is routed (the direction note, shortened), 05 when work on one of its tasks starts, 06
    when every task of it not cancelled is done. Nothing for any other document.

    Called by the receivers of directives' and tasks' rows (exchange/receivers.py), inside the
    step's transaction."""
    # A package imported from a file (``exchange_import``) told its sender nothing, so neither does its progress.
    received = (
        Received.objects.filter(document=document, state=Received.State.ACCEPTED)
        .exclude(transport=IMPORTED)
        .select_related("agency")
        .first()
    )
    if received is None:
        return None
    if StatusLog.objects.filter(received=received, direction=StatusLog.Direction.OUT, code=code).exists():
        return None
    if code == models.DONE and document.tasks.exclude(state__in=[Task.State.DONE, Task.State.CANCELLED]).exists():
        return None
    description = shorten(event.comment, PROGRESS_NOTE_LIMIT) if code == models.ASSIGNED else ""
    return _arrival_status(received, code, by=event.actor, description=description)


#: The direction note told to the sender with a 04 is cut to this many characters.
PROGRESS_NOTE_LIMIT = 300
