"""Sending one outbox row over its transport (docs/exchange.md, "Transports and jobs")."""

import logging
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directives.models import IssuedPdf
from exchange import edxml, services
from exchange.edxml import PackageInvalid, Party, Status
from exchange.models import Outgoing
from exchange.polling import inbox_poll
from exchange.transport import TransportError
from exchange.transports import LocalTransport, transport_for
from lib.errors import DomainError
from ops.background import CLAIM_TTL, backoff
from units.models import Agency, Organisation

log = logging.getLogger(__name__)

# Then the row is FAILED and a clerk may send it again; with the back-off (30 s doubling to 30 min)
# the attempts span half an hour to an hour.
MAX_SEND_ATTEMPTS = 8
# A document's package waits this long for its official PDF (rendered in the background after the
# issue) before the row fails; the wait counts no attempt.
PDF_PATIENCE = timedelta(days=1)


class _Wait(Exception):
    """Not sendable yet, through no fault: put the row back without counting an attempt."""


def outgoing_send(outgoing_id: int, *, now: datetime | None = None) -> str:
    """Send one ``Outgoing`` row over its transport; answer its state.

    At-least-once: the row is claimed by a conditional update (pending, due, and unclaimed or
    claimed more than ``CLAIM_TTL`` ago), so a doubled wake-up finds it claimed and stops; a worker
    that dies after the transport accepted the message and before the row is marked sends it again
    once the claim expires (the recipient recognises a package it has by its document id).
    A retryable ``TransportError`` puts the row back with a later due time (back-off) until
    ``MAX_SEND_ATTEMPTS``; a refusal fails it at once with the transport's Vietnamese message.
    A package whose official PDF is not rendered yet waits for it without counting an attempt.
    After a local send the local inbox is polled at once, so the arrival appears immediately.
    """
    now = now or timezone.now()
    State = Outgoing.State
    claimed = (
        Outgoing.objects.filter(pk=outgoing_id, state=State.PENDING, due_at__lte=now)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TTL))
        .update(claimed_at=now)
    )
    row = Outgoing.objects.select_related("agency", "organisation", "document").filter(pk=outgoing_id).first()
    if row is None or not claimed:
        return row.state if row else "gone"
    try:
        data = _bytes_of(row, now=now)
        name, transport = transport_for(row.to_id)
        if row.kind == Outgoing.Kind.PACKAGE:
            message_id = transport.send(data, to=[row.to_id])
        else:
            message_id = transport.send_status(data, to=row.to_id)
    except _Wait as wait:
        # Not a failure: the attempt is not counted; tried again at half the row's age (30 s … 30 min).
        again = min(timedelta(minutes=30), max(timedelta(seconds=30), (now - row.created_at) / 2))
        _put_back(row, due_at=now + again, error=str(wait), attempts=row.attempts)
        return State.PENDING
    except (TransportError, DomainError, PackageInvalid) as error:
        return _attempt_failed(row, now=now, error=_message(error), retryable=getattr(error, "retryable", False))
    except Exception as error:
        # A fault of ours: pushed forward like a retryable failure, so one row cannot crash-loop the recovery.
        _attempt_failed(row, now=now, error=f"{type(error).__name__}: {error}"[:2000], retryable=True)
        raise
    row.payload.save(f"{row.pk}.xml", ContentFile(data), save=False)
    Outgoing.objects.filter(pk=row.pk, state=State.PENDING).update(
        state=State.SENT,
        sent_at=timezone.now(),
        transport=name,
        message_id=message_id[:100],
        payload=row.payload.name,
        attempts=row.attempts + 1,
        claimed_at=None,
        error="",
    )
    if name == LocalTransport.name:
        transaction.on_commit(lambda: inbox_poll(names=[LocalTransport.name]))
    return State.SENT


def _attempt_failed(row: Outgoing, *, now: datetime, error: str, retryable: bool) -> str:
    """Count the attempt; back off while the failure may pass, fail for good when not or at the last."""
    attempts = row.attempts + 1
    final = not retryable or attempts >= MAX_SEND_ATTEMPTS
    _put_back(row, due_at=now + backoff(attempts), error=error, attempts=attempts, final=final)
    log.warning("exchange message %s to %s: attempt %s failed: %s", row.pk, row.to_id, attempts, error)
    return Outgoing.State.FAILED if final else Outgoing.State.PENDING


def _message(error: Exception) -> str:
    if isinstance(error, TransportError):
        return error.message_vi
    if isinstance(error, PackageInvalid):
        return _("Không lập được gói tin: %(faults)s") % {"faults": "; ".join(error.errors)}
    return str(getattr(error, "message", error))


def _put_back(row: Outgoing, *, due_at: datetime, error: str, attempts: int, final: bool = False) -> None:
    Outgoing.objects.filter(pk=row.pk, state=Outgoing.State.PENDING).update(
        state=Outgoing.State.FAILED if final else Outgoing.State.PENDING,
        attempts=attempts,
        due_at=due_at,
        claimed_at=None,
        error=error,
    )


def _bytes_of(row: Outgoing, *, now: datetime) -> bytes:
    """The edXML of the row: the document's package addressed to the row's one recipient, or the status."""
    if row.kind == Outgoing.Kind.PACKAGE:
        if not IssuedPdf.objects.filter(document_id=row.document_id, state=IssuedPdf.State.READY).exists():
            message = _("Đang chờ bản PDF chính thức của văn bản để gửi.")
            if now - row.created_at < PDF_PATIENCE:
                raise _Wait(message)
            raise DomainError(_("Văn bản chưa có bản PDF chính thức; hãy tạo lại bản PDF rồi gửi lại."))
        package = services.package_of_document(row.document)
        package.to = [party for party in package.to if party.organ_id == row.to_id] or [_party(row)]
        return edxml.package_build(package)
    agency = row.agency
    if not agency.exchange_id:
        raise DomainError(_("Cơ quan chưa có mã định danh điện tử nên chưa gửi liên thông được."))
    return edxml.status_build(
        Status(
            code=row.code,
            from_=Party(agency.exchange_id, agency.name, agency.parent_body),
            to=_party(row),
            document_id=row.package_document_id,
            code_notation=row.code_notation,
            # When it happened, not when a retry carried it.
            timestamp=row.created_at,
            description=row.description,
            staff=row.staff,
        )
    )


def _party(row: Outgoing) -> Party:
    """The recipient by its identity and name: the row's organisation, else whoever carries the identity."""
    if row.organisation is not None:
        return Party(row.to_id, row.organisation.name)
    name = (
        Organisation.objects.filter(exchange_id=row.to_id).values_list("name", flat=True).first()
        or Agency.objects.filter(exchange_id=row.to_id).values_list("name", flat=True).first()
        or row.to_id
    )
    return Party(row.to_id, name)
