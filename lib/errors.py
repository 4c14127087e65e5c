"""One shape for every error, on pages and in the API.

Pages show a Vietnamese message in the portal's layout (``templates/400.html`` … ``500.html``,
served by ``lib.error_pages``). Every answer under ``/api/`` — a DRF error, a URL that matches
nothing, a CSRF failure, a body too large, a crash — is JSON ``{"message": …, "extra": {…}}``
with the message in Vietnamese.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


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


def is_api(request: HttpRequest) -> bool:
    """True for a request the API answers: its errors are JSON, never a page."""
    return request.path_info.startswith(API_PREFIX)


def error_json(message: str, *, status_code: int, extra: dict[str, Any] | None = None) -> JsonResponse:
    """The API's error shape outside DRF (a URL that matches nothing, a crash, a CSRF failure)."""
    return JsonResponse(
        {"message": str(message), "extra": extra or {}}, status=status_code, json_dumps_params={"ensure_ascii": False}
    )


def not_found_message() -> str:
    return _("Không tìm thấy hoặc bạn không có quyền xem.")


def too_large_message() -> str:
    return _("Dữ liệu gửi lên quá lớn: tối đa %(size)s MB.") % {
        "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    }


def csrf_message() -> str:
    return _("Phiên làm việc đã hết hạn hoặc yêu cầu thiếu mã CSRF: hãy tải lại trang rồi thử lại.")


def _flatten(detail: Any) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    if isinstance(detail, dict | list):
        return _flatten(detail)
    return str(detail)


def _drf_says(exc: exceptions.APIException, *english: str) -> bool:
    """True when ``exc`` carries one of DRF's own messages (``english`` as written in DRF's source,
    in whatever language DRF's catalogue rendered it), not one written by this project."""
    said = str(exc.detail)
    return any(said == _(message) for message in english)


def _vietnamese(exc: exceptions.APIException, request) -> str | None:
    """Our Vietnamese message for an error DRF raised with its own (often English) text."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Bạn cần đăng nhập: gửi tiêu đề Authorization: Bearer <mã truy cập>.")
    if isinstance(exc, exceptions.AuthenticationFailed) and _drf_says(
        exc,
        "Incorrect authentication credentials.",
        "Invalid token header. No credentials provided.",
        "Invalid token header. Token string should not contain spaces.",
        "Invalid token header. Token string should not contain invalid characters.",
        "Invalid token.",
        "User inactive or deleted.",
        "Invalid username/password.",
        "Invalid basic header. No credentials provided.",
    ):
        return _("Mã truy cập không hợp lệ: tiêu đề cần có dạng Authorization: Bearer <mã truy cập>.")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF Failed"):
            return csrf_message()
        if _drf_says(exc, "You do not have permission to perform this action."):
            return _("Bạn không có quyền thực hiện thao tác này.")
    if isinstance(exc, exceptions.NotFound) and _drf_says(exc, "Not found.", "Invalid page."):
        return not_found_message()
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Địa chỉ này không nhận phương thức %(method)s.") % {"method": request.method if request else ""}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không trả lời được theo tiêu đề Accept của yêu cầu: API chỉ trả lời JSON.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu nội dung của yêu cầu không được hỗ trợ: hãy gửi application/json (hoặc multipart/form-data).")
    if isinstance(exc, exceptions.ParseError):
        return _("Không đọc được nội dung yêu cầu: JSON hoặc biểu mẫu không hợp lệ.")
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu: vui lòng thử lại sau.")
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Answer every API error as ``{"message": ..., "extra": {...}}``, in Vietnamese."""
    if isinstance(exc, DomainError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response({"message": too_large_message(), "extra": {}}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(not_found_message())
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
        message = _vietnamese(exc, context.get("request")) or _flatten(detail)
        extra = {}
    response.data = {"message": message, "extra": extra}
    return response
