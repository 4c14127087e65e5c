"""Checking uploaded files by their content and size, and naming them for storage.

Every upload of the portal (draft attachments, the incoming document's file, task report
files, the people import) passes ``upload_check`` before anything is written:

- the type is read from the bytes by libmagic (python-magic), never from the file name or
  the browser's Content-Type; only the kinds in ``UPLOAD_ALLOWED_TYPES`` pass;
- a file larger than ``UPLOAD_MAX_BYTES`` is refused;
- an archive (DOCX, XLSX, ODT are zip files) is inspected with ``zipfile`` before any parser
  opens it: too many entries, or an uncompressed total out of proportion to the file, is
  refused. Only the central directory is read, so refusing a zip bomb costs almost nothing.

Stored files get random names (``RandomName``); the original name is kept in the database.
"""

import hashlib
import struct
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from lib.errors import DomainError

# libmagic reads no further than this; enough for every signature it knows of our kinds.
SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class FileKind:
    code: str  # as written in UPLOAD_ALLOWED_TYPES
    label: str  # as the person sees it in messages
    extension: str  # of the stored file
    content_type: str  # served with this
    mimes: frozenset[str]  # what libmagic may call it (zip kinds: read from the entries instead)


KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", ".pdf", "application/pdf", frozenset({"application/pdf"})),
        FileKind(
            "docx",
            "DOCX",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset(),
        ),
        FileKind(
            "xlsx",
            "XLSX",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            frozenset(),
        ),
        FileKind("odt", "ODT", ".odt", "application/vnd.oasis.opendocument.text", frozenset()),
        FileKind("doc", "DOC", ".doc", "application/msword", frozenset({"application/msword"})),
        FileKind("xls", "XLS", ".xls", "application/vnd.ms-excel", frozenset({"application/vnd.ms-excel"})),
        FileKind("jpg", "JPG", ".jpg", "image/jpeg", frozenset({"image/jpeg"})),
        FileKind("png", "PNG", ".png", "image/png", frozenset({"image/png"})),
        # Only where a caller asks for them (a received document's scan or text, read by
        # intake): not in the default list.
        FileKind("tif", "TIFF", ".tif", "image/tiff", frozenset({"image/tiff"})),
        FileKind("txt", "TXT", ".txt", "text/plain", frozenset()),
        # Only where a caller asks for it (the people import): never in the default list.
        FileKind("csv", "CSV", ".csv", "text/csv", frozenset({"application/csv"})),
    )
}
# What libmagic calls a zip container; which one it is comes from its entries (_zip_kind).
_ZIP_MIMES = frozenset(
    {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
    }
)
# Text that a browser would run or render: never accepted, not even as CSV.
_MARKUP = frozenset({"text/html", "text/xml", "application/xml", "image/svg+xml", "text/javascript"})
# An old Office file whose inner streams libmagic could not tell apart: DOC or XLS.
_OLE_GENERIC = frozenset({"application/vnd.ms-office", "application/x-ole-storage", "application/CDFV2"})


_TEXT = "text"  # _detect's answer for plain text


class UploadRefused(DomainError):
    """An uploaded file is refused; the message names it, in Vietnamese.

    ``extra["reason"]`` says why: size, empty, type, archive (out of proportion) or broken;
    intake adds unreadable (a file of an allowed kind whose text cannot be read).
    """


@dataclass
class CheckedUpload:
    """A file that passed ``upload_check``: its kind, size and digest are known."""

    file: IO[bytes]
    original_name: str
    kind: FileKind
    size: int
    sha256: str

    def as_file(self) -> File:
        """The content to hand to a FileField; the storage name comes from the field's ``RandomName``."""
        self.file.seek(0)
        return File(self.file, name=f"upload{self.kind.extension}")


def allowed_kinds(codes=None) -> list[FileKind]:
    """The kinds of the given codes, or of ``UPLOAD_ALLOWED_TYPES``."""
    codes = settings.UPLOAD_ALLOWED_TYPES if codes is None else codes
    return [KINDS[code] for code in codes]


def clean_name(name: str) -> str:
    """The name a person gave the file, safe to keep and show: NFC, no folders, no control characters."""
    name = unicodedata.normalize("NFC", PurePath(str(name).replace("\\", "/")).name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name or "tep"


def _size_of(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, 2)
    return size


def _zip_directory_count(file: IO[bytes], size: int) -> tuple[int, int] | None:
    """(entries, central directory size) from the end record, read without parsing the directory.

    None when there is no end record or it is a zip64 one (no office document needs zip64).
    """
    tail_size = min(size, 22 + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    _sig, _disk, _cd_disk, _here, total, cd_size, _offset, _comment = struct.unpack("<4s4H2LH", tail[at : at + 22])
    if total == 0xFFFF or cd_size == 0xFFFFFFFF or tail.rfind(b"PK\x06\x07", 0, at) >= 0:
        return None
    return total, cd_size


def _zip_kind(file: IO[bytes], size: int, name: str) -> str:
    """Inspect a zip's directory; answer docx, xlsx, odt or "" and refuse an archive out of proportion."""
    bomb = UploadRefused(
        _(
            "Tệp «%(name)s» bị từ chối: khi giải nén, nội dung lớn bất thường so với kích thước tệp "
            "(có thể là tệp nén độc hại)."
        )
        % {"name": name},
        {"file": name, "reason": "archive"},
    )
    broken = UploadRefused(
        _("Tệp «%(name)s» bị hỏng, không đọc được.") % {"name": name}, {"file": name, "reason": "broken"}
    )
    counted = _zip_directory_count(file, size)
    if counted is None:
        raise broken
    entries, directory_bytes = counted
    # A directory entry is at least 46 bytes plus its name: a directory much larger than the count
    # claims would make zipfile build an object per hidden entry.
    max_entries = settings.UPLOAD_ARCHIVE_MAX_ENTRIES
    if entries > max_entries or directory_bytes > max_entries * 1024:
        raise bomb
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            # zipfile stops at each entry's declared size, so these sums bound what any
            # zipfile-based parser (openpyxl, python-docx) will ever inflate.
            if len(infos) > max_entries or total > settings.UPLOAD_ARCHIVE_MAX_BYTES:
                raise bomb
            if total > settings.UPLOAD_ARCHIVE_RATIO_FLOOR and total > settings.UPLOAD_ARCHIVE_MAX_RATIO * size:
                raise bomb
            names = {info.filename for info in infos}
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            mimetype = archive.getinfo("mimetype") if "mimetype" in names else None
            odt = b"application/vnd.oasis.opendocument.text"
            if mimetype is not None and mimetype.file_size < 100 and archive.read(mimetype).strip() == odt:
                return "odt"
            return ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError):
        raise broken from None


def _detect(file: IO[bytes], size: int, name: str) -> str:
    """The code of the file's kind as its bytes say, or "" for anything else."""
    import magic  # libmagic is loaded on first use, not at import (system check units.E003)

    file.seek(0)
    head = file.read(SNIFF_BYTES)
    mime = magic.from_buffer(head, mime=True)
    # Anything that starts like a zip is inspected as one, whatever libmagic made of the rest.
    if mime in _ZIP_MIMES or head.startswith(b"PK\x03\x04"):
        return _zip_kind(file, size, name)
    if mime in _OLE_GENERIC:
        # The container is an old Office file; only then does the name choose between DOC and XLS.
        suffix = PurePath(name).suffix.lower().lstrip(".")
        return suffix if suffix in ("doc", "xls") else ""
    if mime.startswith("text/") and mime not in _MARKUP:
        # libmagic guesses at plain text (a CSV may come out as "text/x-c"): plain text is CSV
        # or TXT as the caller allows (upload_check), never a kind of its own.
        return _TEXT
    return next((kind.code for kind in KINDS.values() if mime in kind.mimes), "")


def upload_check(file: IO[bytes], *, name: str | None = None, allowed=None, max_bytes: int | None = None):
    """Check one uploaded file; answer a CheckedUpload or raise UploadRefused naming the file.

    ``allowed`` lists kind codes (default: ``UPLOAD_ALLOWED_TYPES``); ``max_bytes`` defaults to
    ``UPLOAD_MAX_BYTES``. Nothing is read from the name but what is shown in messages.
    """
    name = clean_name(name if name is not None else getattr(file, "name", ""))
    max_bytes = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    size = _size_of(file)
    if size > max_bytes:
        raise UploadRefused(
            _("Tệp «%(name)s» có dung lượng %(size)s, vượt giới hạn %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            {"file": name, "reason": "size"},
        )
    if size == 0:
        raise UploadRefused(_("Tệp «%(name)s» rỗng.") % {"name": name}, {"file": name, "reason": "empty"})
    kinds = allowed_kinds(allowed)
    code = _detect(file, size, name)
    if code == _TEXT:
        # The people import reads text as CSV data; a received document's text is TXT.
        code = "csv" if KINDS["csv"] in kinds else "txt"
    kind = KINDS.get(code)
    if kind is None or kind not in kinds:
        raise UploadRefused(
            _(
                "Tệp «%(name)s» bị từ chối: nội dung tệp không thuộc loại được phép (%(allowed)s). "
                "Loại tệp được xác định theo nội dung, không theo tên tệp."
            )
            % {"name": name, "allowed": ", ".join(k.label for k in kinds)},
            {"file": name, "reason": "type"},
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(file=file, original_name=name, kind=kind, size=size, sha256=digest.hexdigest())


def upload_checked(file, **kwargs) -> CheckedUpload:
    """``file`` itself when already checked (or staged), else ``upload_check(file)``: services call this."""
    if isinstance(file, CheckedUpload) or hasattr(file, "as_file") and hasattr(file, "kind"):
        return file
    return upload_check(file, **kwargs)


@deconstructible
class RandomName:
    """``upload_to`` for stored uploads: ``<dated folder>/<uuid><extension>``.

    The folder is formatted with strftime like Django's own ``upload_to``; the extension is the
    stored kind's (``CheckedUpload.as_file``), lower case and never longer than a few letters,
    so nothing of the original name reaches the disk.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        if not (suffix[1:].isalnum() and suffix[1:].isascii() and len(suffix) <= 6):
            suffix = ""
        return f"{timezone.localtime().strftime(self.folder)}{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than ``UPLOAD_REQUEST_MAX_BYTES``, unread.

    The Content-Length header is trusted only to refuse: a body longer than it declares is cut
    by the server, and one without it (chunked) yields no form data in Django at all. The API
    answers the one error shape, pages a Vietnamese page; both with 413.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_REQUEST_MAX_BYTES
        if length > limit:
            return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit: int):
        from django.http import JsonResponse
        from django.shortcuts import render

        message = _(
            "Dữ liệu gửi lên quá lớn: mỗi lần gửi, tệp đính kèm cộng lại không được quá %(limit)s. "
            "Hãy gửi tệp nhỏ hơn hoặc chia thành nhiều lần."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        if request.path.startswith("/api/"):
            extra = {"limit_bytes": settings.UPLOAD_MAX_BYTES}
            return JsonResponse({"message": message, "extra": extra}, status=413)
        return render(request, "413.html", {"message": message}, status=413)
