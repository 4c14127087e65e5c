"""Putting messages in the outbox: the row is the job (ops.background; docs/exchange.md, "Transports and jobs").

Every action that must tell another agency something (issuing to organisations with an identity,
accepting or refusing an arrival, routing, task progress, a recall) writes ``Outgoing`` rows in its
own transaction through ``outgoing_queue``; after commit a worker is woken to send them
(``exchange.jobs.outgoing_send``). If the broker is down the row waits for the recovery job.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange import permissions as rights
from exchange.models import Outgoing
from lib.errors import DomainError, NotAllowed
from ops.background import WorkKind, oldest_due_of, requeue_due, wake
from units.models import User

log = logging.getLogger(__name__)


def outgoing_wake(outgoing_id: int) -> bool:
    """Wake a worker to send one row (never raises: the row is the job)."""

    def publish():
        from exchange import jobs  # inside the publish, so that even a failed import only logs

        return jobs.outgoing_send.delay(outgoing_id)

    return wake(publish, what=f"exchange message {outgoing_id}")


def outgoing_queue(**fields) -> Outgoing:
    """Write one ``Outgoing`` row (kind, agency, to_id and what it is about) and wake a worker after commit."""
    row = Outgoing.objects.create(**fields)
    transaction.on_commit(lambda: outgoing_wake(row.pk))
    return row


@transaction.atomic
def outgoing_retry(*, outgoing: Outgoing, by: User) -> Outgoing:
    """Send a failed message again, with fresh attempts, after commit.

    Only the sending agency's clerks (and its administrators) may ask; refused when the message
    is not failed (pending ones are being sent, sent ones are not sent twice).
    """
    if not rights.can_resend(by, outgoing):
        raise NotAllowed(_("Chỉ văn thư của cơ quan gửi được gửi lại thông điệp liên thông."))
    changed = Outgoing.objects.filter(pk=outgoing.pk, state=Outgoing.State.FAILED).update(
        state=Outgoing.State.PENDING, attempts=0, due_at=timezone.now(), claimed_at=None, error=""
    )
    if not changed:
        raise DomainError(_("Thông điệp không ở trạng thái gửi lỗi, không cần gửi lại."))
    log.info("exchange message %s: resend asked by user %s", outgoing.pk, by.pk)
    transaction.on_commit(lambda: outgoing_wake(outgoing.pk))
    return Outgoing.objects.get(pk=outgoing.pk)


def outgoings_requeue(now: datetime) -> int:
    """The recovery job's part for the exchange: wake a send for each due, unclaimed (or abandoned) row."""
    pending = Outgoing.objects.filter(state=Outgoing.State.PENDING)
    return requeue_due(pending, now, key="pk", wake=outgoing_wake, limit=500)


def outgoings_oldest_due(now: datetime) -> datetime | None:
    return oldest_due_of(Outgoing.objects.filter(state=Outgoing.State.PENDING), now)


EXCHANGE = WorkKind(name="exchange", oldest_due=outgoings_oldest_due, recover=outgoings_requeue)


def packages_release(document_id: int) -> int:
    """The official PDF of ``document_id`` is ready: its packages waiting for it leave now, not at
    their next back-off (exchange.receivers.issued_pdf_ready). Answers how many were woken."""
    waiting = Outgoing.objects.filter(
        document_id=document_id, kind=Outgoing.Kind.PACKAGE, state=Outgoing.State.PENDING, claimed_at=None
    )
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(due_at=timezone.now())
    for row_id in ids:
        transaction.on_commit(lambda row_id=row_id: outgoing_wake(row_id))
    return len(ids)
