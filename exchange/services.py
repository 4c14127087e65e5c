"""Documents to packages and packages to documents (docs/exchange.md)."""

import hashlib
import mimetypes

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from directives import official_pdf
from directives.models import Document, DocumentType, IssuedPdf
from directives.services import attachment_add, incoming_register
from exchange import edxml
from exchange import permissions as rights
from exchange.edxml import Attachment, Package, Party, Signer
from exchange.models import Outgoing, Received, StatusLog
from lib.errors import DomainError, NotAllowed
from units.models import Agency, Organisation, User

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


@transaction.atomic
def document_from_package(package: Package, *, agency: Agency, by: User, data: bytes) -> Document:
    """Register a received package in ``agency``'s incoming register, with its fields as sent.

    The symbol, date, type, subject and urgency are the package's own (nothing is read from the
    files); every file is attached byte for byte through the ordinary upload checks, and the
    package's bytes (``data``) are kept in a ``Received`` row. Either all of it happens or none:
    a refused file or a package already received registers nothing and consumes no number.
    """
    if not rights.can_receive(by, agency):
        raise NotAllowed(_("Chỉ văn thư của cơ quan nhận vào sổ văn bản liên thông."))
    if not agency.exchange_id:
        raise DomainError(_("Cơ quan chưa có mã định danh điện tử nên chưa nhận được văn bản liên thông."))
    if agency.exchange_id not in {party.organ_id for party in package.to}:
        raise DomainError(_("Gói tin không gửi cho cơ quan này (mã định danh %(id)s).") % {"id": agency.exchange_id})
    earlier = Received.objects.filter(
        agency=agency, sender_exchange_id=package.from_.organ_id, package_document_id=package.document_id
    ).first()
    if package.document_id and earlier is not None:
        raise DomainError(
            _("Gói tin này đã được nhận: văn bản đến số %(number)s.") % {"number": earlier.document.number}
        )
    doc_type = DocumentType.objects.filter(name__iexact=package.doc_type).first()
    if doc_type is None:
        raise DomainError(_("Loại văn bản «%(name)s» chưa có trong danh mục.") % {"name": package.doc_type})
    symbol = f"{package.code_number}/{package.code_notation}" if package.code_number else package.code_notation
    document = incoming_register(
        by=by,
        sender=_sender_for(package.from_),
        symbol=symbol,
        issued_on=package.promulgation_date,
        doc_type=doc_type,
        subject=package.subject,
        urgency=edxml.PRIORITIES[package.priority],
    )
    for attachment in package.attachments:
        attachment_add(document=document, by=by, file=ContentFile(attachment.data, name=attachment.name))
    received = Received(
        agency=agency,
        document=document,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        shape=edxml.package_shape(data),
        sender_exchange_id=package.from_.organ_id,
        package_document_id=package.document_id,
        received_by=by,
        state=Received.State.ACCEPTED,
        transport="command",
    )
    received.package.save("package.xml", ContentFile(data), save=False)
    received.save()
    return document


def package_receive(*, data: bytes, agency: Agency, by: User) -> Document:
    """Read ``data`` (PackageInvalid names every fault) and register it in ``agency``."""
    return document_from_package(edxml.package_read(data), agency=agency, by=by, data=data)


# --- The flow (docs/exchange.md, "The flow") ---------------------------------------------------
# Contract shared by the transports and jobs (exchange/jobs.py, exchange/transports.py), the
# screens (exchange/views.py) and the hooks (exchange/receivers.py).


def document_sent(document: Document) -> list[Outgoing]:
    """Queue the issued ``document``'s package for each recipient organisation with an identity
    (one ``Outgoing(kind=package)`` row each); nothing when the document is confidential, has no
    such recipient or its agency has no identity. Called in the issuing transaction."""
    raise NotImplementedError


def arrival_store(*, data: bytes, transport: str, message_id: str = "", sender_id: str = "") -> list[Received]:
    """Keep a package that arrived: one ``Received(state=WAITING)`` per recipient agency of this
    installation named in its ``To``, with the package's fields copied, its PDFs' signatures
    verified (``signatures``), a 01 logged and queued back to the sender. A package that cannot be
    read is kept refused (``reason`` = the Vietnamese faults) and a 02 is queued to ``sender_id``
    when known. A message already kept (same transport and message id, or same agency, sender and
    document id) answers the rows kept before and queues nothing."""
    raise NotImplementedError


def status_apply(*, data: bytes, transport: str, message_id: str = "") -> StatusLog | None:
    """Record a status message that arrived (``StatusLog(direction=in)``) against the document it is
    about on this side; a 13 marks the arrival ``recall=ASKED``; a 15 or 16 answers our request.
    An unreadable status or one about no document here is logged and answers None."""
    raise NotImplementedError


def arrival_accept(*, received: Received, by: User) -> Document:
    """Register a waiting arrival in its agency's incoming register (numbered, with its fields and
    files exactly as sent) and queue 03 to the sender. Refused unless ``rights.can_decide``."""
    raise NotImplementedError


def arrival_refuse(*, received: Received, by: User, reason: str) -> Received:
    """Refuse a waiting arrival with a required reason and queue 02 (with the reason) to the sender."""
    raise NotImplementedError


def recall_request(*, document: Document, by: User, reason: str, to_ids: list[str] | None = None) -> list[Outgoing]:
    """Ask the recipients (``to_ids``, default all it was sent to) to give ``document`` back: 13 with
    the required reason. Refused unless ``rights.can_recall``."""
    raise NotImplementedError


def recall_answer(*, received: Received, by: User, agree: bool, reason: str = "") -> Received:
    """Answer a recall request: agree (15) withdraws the document from this agency (its units'
    inboxes emptied of it, its open tasks cancelled, the arrival ``RECALLED``); refuse (16) needs a
    reason. Refused unless ``rights.can_answer_recall``."""
    raise NotImplementedError
