"""The transports of this installation and which one carries a message (docs/exchange.md,
"Transports and jobs").

- ``local``: between agencies of this installation, through the ``Mailbox`` table, at once.
- ``lgsp``: the provincial platform over HTTP (exchange/lgsp.py), when EXCHANGE_LGSP_URL is set.
- ``folder``: files in a shared folder (EXCHANGE_FOLDER), for offices that move packages by hand.

Each implements ``exchange.transport.Transport``; the jobs (exchange/jobs.py) record what was sent
and received, once, above them.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange import edxml
from exchange.lgsp import LgspClient
from exchange.models import Mailbox
from exchange.transport import Incoming, Transport, TransportError
from units.models import Agency


def _name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def message_peek(data: bytes) -> tuple[str, str]:
    """(kind, sender identity) of a message whose transport does not say them: a ``Status`` root is a
    status message, anything else a package; the sender is the first ``From/OrganId``. Unreadable
    bytes answer ("package", ""): the arrival is then kept refused with its faults (arrival_store)."""
    if len(data) > settings.UPLOAD_ARCHIVE_MAX_BYTES:
        return "package", ""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except Exception:  # any XML error or defusedxml refusal: arrival_store names the fault
        return "package", ""
    kind = "status" if _name(root.tag) == "Status" else "package"
    sender = next((node for node in root.iter() if _name(node.tag) == "From"), [])
    organ_id = next((child.text or "" for child in sender if _name(child.tag) == "OrganId"), "")
    return kind, organ_id.strip()


def _local_ids() -> Q:
    return Q(to_id__in=Agency.objects.exclude(exchange_id="").values("exchange_id"))


class LocalTransport:
    """Between agencies of this installation: a row per recipient in ``Mailbox``, offered to the
    local poll until acknowledged. The one transport that reads and writes the database; a row
    written is a message accepted, as a platform's answer would be."""

    name = "local"

    def send(self, package: bytes, *, to: list[str]) -> str:
        kind, sender_id = message_peek(package)
        rows = [Mailbox.objects.create(to_id=to_id, sender_id=sender_id, kind=kind, data=package) for to_id in to]
        return ",".join(str(row.pk) for row in rows)

    def send_status(self, status: bytes, *, to: str) -> str:
        return self.send(status, to=[to])

    def received(self) -> Iterator[Incoming]:
        waiting = Mailbox.objects.filter(_local_ids(), acknowledged_at=None).order_by("pk")
        for pk, sender_id, kind in waiting.values_list("pk", "sender_id", "kind"):
            yield Incoming(message_id=str(pk), sender_id=sender_id, kind=kind, fetch=lambda pk=pk: self.get(str(pk)))

    def get(self, message_id: str) -> bytes:
        data = Mailbox.objects.filter(pk=int(message_id)).values_list("data", flat=True).first()
        if data is None:
            raise TransportError(_("Không tìm thấy thông điệp %(id)s.") % {"id": message_id}, retryable=False)
        return bytes(data)

    def acknowledge(self, message_id: str) -> None:
        Mailbox.objects.filter(pk=int(message_id), acknowledged_at=None).update(acknowledged_at=timezone.now())

    def organisations(self) -> Iterator[dict]:
        return iter(())


class FolderTransport:
    """Files in a shared folder: packages to send are written to ``out/<recipient id>/<uuid>.xml``
    (a temporary name renamed when complete, so a reader never sees half a file), arrivals are read
    from ``in/*.xml`` and moved to ``in/done/`` once stored (message id: the content's digest and
    the file's name, at most 100 characters in all). Whoever fills ``in/`` must do the same:
    write under another name (a leading dot or another extension), then rename to ``.xml``."""

    name = "folder"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def send(self, package: bytes, *, to: list[str]) -> str:
        names = []
        for to_id in to:
            if not edxml.IDENTIFIER.fullmatch(to_id) or set(to_id) == {"."}:
                raise TransportError(_("Mã định danh nơi nhận «%(id)s» không hợp lệ.") % {"id": to_id}, retryable=False)
            folder = self.root / "out" / to_id
            name = f"{uuid.uuid4().hex}.xml"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                temporary = folder / f".{name}.part"
                temporary.write_bytes(package)
                os.replace(temporary, folder / name)
            except OSError as exc:
                raise _unreachable() from exc
            names.append(f"{to_id}/{name}")
        return ",".join(names)

    def send_status(self, status: bytes, *, to: str) -> str:
        return self.send(status, to=[to])

    def received(self) -> Iterator[Incoming]:
        try:
            paths = sorted(
                path for path in (self.root / "in").glob("*.xml") if path.is_file() and not path.name.startswith(".")
            )
            found = [(path.name, path.read_bytes()) for path in paths]
        except OSError as exc:
            raise _unreachable() from exc
        for name, data in found:
            kind, sender_id = message_peek(data)
            yield Incoming(message_id=_folder_id(name, data), sender_id=sender_id, kind=kind, fetch=data)

    def _inbox_file(self, message_id: str) -> Path:
        """The file a message id names (``<digest>-<file name>``), never outside ``in/``."""
        name = message_id.partition("-")[2]
        if not name or Path(name).name != name or name.startswith("."):
            raise TransportError(_("Không tìm thấy thông điệp %(id)s.") % {"id": message_id}, retryable=False)
        return self.root / "in" / name

    def get(self, message_id: str) -> bytes:
        path = self._inbox_file(message_id)
        try:
            data = path.read_bytes() if path.is_file() else b""
        except OSError as exc:
            raise _unreachable() from exc
        if _folder_id(path.name, data) != message_id:
            raise TransportError(_("Không tìm thấy thông điệp %(id)s.") % {"id": message_id}, retryable=False)
        return data

    def acknowledge(self, message_id: str) -> None:
        """Move the file to ``in/done/<message id>``; nothing when it is gone or holds another message."""
        path, done = self._inbox_file(message_id), self.root / "in" / "done"
        try:
            if path.is_file() and _folder_id(path.name, path.read_bytes()) == message_id:
                done.mkdir(exist_ok=True)
                os.replace(path, done / message_id)
        except OSError as exc:
            raise _unreachable() from exc

    def organisations(self) -> Iterator[dict]:
        return iter(())


def _folder_id(name: str, data: bytes) -> str:
    """A file's message id: its content's digest and its name, so a later file under a name used
    before is another message (people reuse names), and its copy in ``done/`` does not replace the first."""
    return f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"


def _unreachable() -> TransportError:
    return TransportError(_("Không đọc, ghi được thư mục liên thông (EXCHANGE_FOLDER); sẽ thử lại."), retryable=True)


def _folder() -> FolderTransport | None:
    return FolderTransport(Path(settings.EXCHANGE_FOLDER)) if settings.EXCHANGE_FOLDER else None


def transport_for(to_id: str) -> tuple[str, Transport]:
    """The transport that carries a message to ``to_id``: the local one for an agency of this
    installation, else the LGSP platform when configured, else the folder when configured."""
    if to_id and Agency.objects.filter(exchange_id=to_id).exists():
        return LocalTransport.name, LocalTransport()
    if settings.EXCHANGE_LGSP_URL:
        return "lgsp", LgspClient.from_settings()
    if folder := _folder():
        return folder.name, folder
    raise TransportError(
        _(
            "Chưa cấu hình kết nối liên thông (EXCHANGE_LGSP_URL hoặc EXCHANGE_FOLDER) "
            "nên chưa gửi được tới %(id)s, đơn vị ngoài hệ thống."
        )
        % {"id": to_id},
        retryable=False,
    )


class _Refusing:
    """A configured transport whose settings are wrong: every call raises the error that says why,
    so a poll records it for that transport and goes on with the others."""

    def __init__(self, error: TransportError) -> None:
        self.error = error

    def __getattr__(self, name: str):
        raise self.error


def transports_polled() -> list[tuple[str, Transport]]:
    """Every transport to poll for arrivals: the local one always, the LGSP platform and the folder when configured."""
    polled: list[tuple[str, Transport]] = [(LocalTransport.name, LocalTransport())]
    if settings.EXCHANGE_LGSP_URL:
        try:
            polled.append(("lgsp", LgspClient.from_settings()))
        except TransportError as error:  # e.g. an address that is not http(s), an unknown path key
            polled.append(("lgsp", _Refusing(error)))
    if folder := _folder():
        polled.append((folder.name, folder))
    return polled
