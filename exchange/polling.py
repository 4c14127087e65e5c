"""Fetching what arrived on every transport (docs/exchange.md, "Transports and jobs")."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange import services
from exchange.models import Poll
from exchange.transport import Transport, TransportError
from exchange.transports import transports_polled

log = logging.getLogger(__name__)


def inbox_poll(*, names: list[str] | None = None) -> dict[str, int]:
    """Store every message waiting on each polled transport (or those ``names``), then acknowledge
    it; answer how many were stored per transport.

    Stored first, acknowledged second: a crash between the two delivers the message again and the
    flow recognises it (same transport and message id), so nothing is lost and nothing doubled.
    A transport that fails is recorded in its ``Poll`` row and logged, never raised: the other
    transports are still polled and the next poll tries again. A message whose storing fails is
    left unacknowledged (it comes back next poll) and does not stop the ones after it.
    """
    return {name: _poll(name, transport) for name, transport in transports_polled() if names is None or name in names}


def _poll(name: str, transport: Transport) -> int:
    stored, errors = 0, []
    try:
        # The whole list first: acknowledging while paging would shift the platform's pages under
        # the reader and skip messages (they would wait for the next poll).
        for incoming in list(transport.received()):
            data = incoming.content()
            try:
                with transaction.atomic():
                    if incoming.kind == "package":
                        services.arrival_store(
                            data=data, transport=name, message_id=incoming.message_id, sender_id=incoming.sender_id
                        )
                    else:
                        services.status_apply(data=data, transport=name, message_id=incoming.message_id)
            except Exception as error:
                log.exception("exchange %s: message %s could not be stored", name, incoming.message_id)
                errors.append(
                    _("Không lưu được thông điệp %(id)s: %(error)s")
                    % {"id": incoming.message_id, "error": f"{type(error).__name__}: {error}"[:300]}
                )
                continue
            transport.acknowledge(incoming.message_id)
            stored += 1
    except TransportError as error:
        log.warning("exchange %s: poll failed: %s", name, error.message_vi)
        errors.append(error.message_vi)
    now = timezone.now()
    defaults = {"polled_at": now, "received": stored, "error": "\n".join(errors)}
    if not errors:
        defaults["succeeded_at"] = now
    Poll.objects.update_or_create(transport=name, defaults=defaults)
    return stored


def poll_state() -> list[Poll]:
    """The last poll of each transport, for the admin and the status pages."""
    return list(Poll.objects.order_by("transport"))
