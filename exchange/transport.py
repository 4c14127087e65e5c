"""The one interface every exchange transport implements (docs/exchange-lgsp.md, "The transport interface").

A transport moves edXML packages and status messages between this installation and other
agencies: the provincial LGSP platform over HTTP (exchange/lgsp.py), and later the same-installation
and watched-folder transports. It moves bytes only: it never reads or writes the database and
never parses a package, so the code that records what was sent and received (and retries it)
is written once, above every transport.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable


class TransportError(Exception):
    """A transport call failed; ``message_vi`` says why to a person, ``retryable`` says what to do.

    ``retryable=True``: the platform was unreachable, slow or overloaded (network error, timeout,
    5xx, 429); the same call may succeed later, so a job retries it with back-off.
    ``retryable=False``: the platform refused the call (4xx, bad credentials, an answer it cannot
    have meant); repeating it unchanged fails the same way, so it is recorded for a person.
    """

    def __init__(self, message_vi: str, *, retryable: bool) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.retryable = retryable

    def __repr__(self) -> str:
        return f"TransportError({self.message_vi!r}, retryable={self.retryable})"


@dataclass(frozen=True)
class Incoming:
    """One message waiting for this installation on the transport.

    ``kind`` is "package" (an edXML document) or "status" (a status message about a document this
    side sent or received). ``fetch`` is either the message's bytes, when the transport has them
    already, or a callable that downloads them; read them through ``content()``.
    """

    message_id: str
    sender_id: str
    kind: Literal["package", "status"]
    fetch: bytes | Callable[[], bytes] = field(repr=False, compare=False)

    def content(self) -> bytes:
        return self.fetch if isinstance(self.fetch, bytes) else self.fetch()


@runtime_checkable
class Transport(Protocol):
    """Send and receive edXML packages and status messages.

    Every call either does what it says or raises ``TransportError``. Receiving is at-least-once:
    a message stays in ``received()`` until ``acknowledge()`` is called for it, so the caller
    stores a message first and acknowledges it second, and recognises a message it already has
    by ``message_id``.
    """

    def send(self, package: bytes, *, to: list[str]) -> str:
        """Send an edXML package to the agencies ``to`` (identifiers); answer the platform's message id."""
        ...

    def received(self) -> Iterator[Incoming]:
        """Yield every message waiting for this installation, each once, until acknowledged."""
        ...

    def get(self, message_id: str) -> bytes:
        """Answer the bytes of one received message."""
        ...

    def acknowledge(self, message_id: str) -> None:
        """Tell the platform the message is safely stored here, so it stops offering it."""
        ...

    def send_status(self, status: bytes, *, to: str) -> str:
        """Send a status message to one agency; answer the platform's message id."""
        ...

    def organisations(self) -> Iterator[dict]:
        """Yield the platform's directory: dicts with ``organ_id``, ``name`` and ``parent_id`` (or None)."""
        ...
