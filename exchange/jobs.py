"""Background jobs of the electronic exchange (docs/exchange.md, "Transports and jobs")."""

from celery import shared_task

from exchange import directory, polling, sending


@shared_task
def outgoing_send(outgoing_id: int) -> str:
    """Send one outbox row over its transport; answer its state.

    At-least-once, and idempotent for the row: the ``Outgoing`` row is the job, claimed by a
    conditional update, so a redelivered or doubled job finds it claimed or sent and stops. A
    failure the transport says may pass waits as a row with a later due time; the recovery job
    queues it again (back-off).
    """
    return sending.outgoing_send(outgoing_id)


@shared_task
def inbox_poll() -> dict:
    """Store what arrived on every configured transport, then acknowledge it (beat, every
    EXCHANGE_POLL_SECONDS). At-least-once; the flow recognises a message delivered twice."""
    return polling.inbox_poll()


@shared_task
def directory_sync() -> dict | None:
    """Copy the LGSP platform's directory of organisations (beat, weekly); nothing without LGSP."""
    return directory.directory_sync()
