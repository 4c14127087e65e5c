"""Reads that may come from a PostgreSQL streaming replica: the reports and dashboards.

Inside ``replica_reads()`` (a context manager and a decorator) the database router
(``config.db_router.ReplicaRouter``) sends reads to the ``replica`` alias when
DATABASE_REPLICA_URL configures one; writes, and every read outside, go to ``default``.
Without a replica nothing changes.

Only reads that may be a few seconds stale belong inside: aggregate figures of reports and
dashboards, which already read a summary recounted every minute. Never a read that decides a
write, a right that guards an action, or a list a person acts from ("waiting for me").
"""

from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def replica_reads():
    """Let the reads inside go to the replica, if one is configured."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_reads_active() -> bool:
    return _reading_replica.get()
