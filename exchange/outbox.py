"""Putting messages in the outbox: the row is the job (ops.background; docs/exchange.md, "Sending").

Every action that must tell another agency something (issuing to organisations with an identity,
accepting or refusing an arrival, routing, task progress, a recall) writes ``Outgoing`` rows in its
own transaction through ``outgoing_queue``; after commit a worker is woken to send them
(``exchange.jobs.outgoing_send``). If the broker is down the row waits for the recovery job.
"""

from django.db import transaction

from exchange.models import Outgoing
from ops.background import wake


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
