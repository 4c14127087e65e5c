"""The handlers Django calls for 400, 403, 404, 500 and a CSRF failure.

Under ``/api/`` each answers the API's JSON error shape; elsewhere a Vietnamese page in the
portal's layout. The 500 page is rendered without context processors and without a request
context, so it still shows when the database (which the header's processors query) is down.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from lib.errors import csrf_message, error_json, is_api, not_found_message, too_large_message


def _too_large(exception: Exception | None) -> bool:
    return isinstance(exception, RequestDataTooBig) or isinstance(
        getattr(exception, "__cause__", None), RequestDataTooBig
    )


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _too_large(exception):
        if is_api(request):
            return error_json(too_large_message(), status_code=413)
        return render(request, "400.html", {"message": too_large_message()}, status=413)
    if is_api(request):
        return error_json(_("Yêu cầu không hợp lệ."), status_code=400)
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A message written for people (PermissionDenied(_("Chỉ văn thư …"))) is shown; Django's bare one is not.
    message = str(exception) if exception is not None and str(exception) else ""
    if is_api(request):
        return error_json(message or _("Bạn không có quyền thực hiện thao tác này."), status_code=403)
    return render(request, "403.html", {"exception": message}, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(not_found_message(), status_code=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_json(
            _("Lỗi hệ thống: yêu cầu chưa được thực hiện. Vui lòng thử lại sau hoặc báo quản trị viên."),
            status_code=500,
        )
    # No request, no context processors: nothing here may need the database.
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was stale or forged; say so in Vietnamese and change nothing."""
    if is_api(request):
        return error_json(csrf_message(), status_code=403)
    return render(request, "403.html", {"exception": csrf_message()}, status=403)
