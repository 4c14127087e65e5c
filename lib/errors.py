"""One shape for every domain error, on pages and in the API."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A rule of the domain refused an action; ``message`` is shown to the user as is."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotAllowed(DomainError):
    """The user may see the object but may not do this to it (403)."""

    status_code = status.HTTP_403_FORBIDDEN


def _flatten(detail: Any) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    if isinstance(detail, dict | list):
        return _flatten(detail)
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Answer every API error as ``{"message": ..., "extra": {...}}``."""
    if isinstance(exc, DomainError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy hoặc bạn không có quyền xem."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        message = _("Dữ liệu không hợp lệ: %(reason)s") % {"reason": _flatten(detail)}
        extra = {"fields": detail} if isinstance(detail, dict) else {"errors": detail}
    else:
        message = _flatten(detail)
        extra = {}
    response.data = {"message": message, "extra": extra}
    return response
