"""Serving stored files after the caller checked rights: one place for the headers.

Every view that answers a stored file (a document's attachment, a task report's file, the
official PDF) calls ``stored_file_response``. It names the file by its original name in
``Content-Disposition`` (RFC 6266, with the UTF-8 form of RFC 5987 for Vietnamese names and
an ASCII fallback), forbids content sniffing, and, when ``PROTECTED_MEDIA_ACCEL_PREFIX`` is
set, hands the transfer to nginx with ``X-Accel-Redirect`` (an ``internal`` location that
aliases MEDIA_ROOT) instead of streaming the bytes through Django.
"""

from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse

from lib.text import fold
from lib.uploads import KINDS

_BY_EXTENSION = {kind.extension: kind.content_type for kind in KINDS.values()}


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266 § 4.3, RFC 5987)."""
    disposition = "inline" if inline else "attachment"
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in _ascii(filename))
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def _ascii(filename: str) -> str:
    """Vietnamese letters without their marks, case kept: "Báo cáo" → "Bao cao"."""
    return "".join(_ascii_letter(ch) for ch in filename)


def _ascii_letter(ch: str) -> str:
    if ch.isascii() or not (folded := fold(ch)):
        return ch
    return folded.upper() if ch.isupper() else folded


def file_headers(response: HttpResponse, *, filename: str, inline: bool = False) -> HttpResponse:
    """Set the download headers every served file carries (stored or made on the fly)."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_type_of(stored_name: str) -> str:
    """The type of a stored file by the extension we gave it; unknown ones are plain bytes."""
    return _BY_EXTENSION.get(PurePath(stored_name).suffix.lower(), "application/octet-stream")


def stored_file_response(
    file: FieldFile, *, filename: str, inline: bool = False, content_type: str | None = None
) -> HttpResponse:
    """Answer a stored file the caller has already authorised.

    With ``PROTECTED_MEDIA_ACCEL_PREFIX`` the answer has no body and
    ``X-Accel-Redirect: <prefix><path relative to MEDIA_ROOT>``; without it, the file itself.
    """
    content_type = content_type or content_type_of(file.name)
    prefix = settings.PROTECTED_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name.lstrip("/"))
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    return file_headers(response, filename=filename, inline=inline)
