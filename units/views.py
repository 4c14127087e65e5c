from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from units import permissions, selectors, services
from units.roles import start_page_for

DELIVERY_LOG_PAGE_SIZE = 50


@login_required
def home(request):
    """Send each person to the start page of their role."""
    return redirect(start_page_for(request.user))


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """What django-axes answers once a user name is locked out: JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        message = _("Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, vui lòng thử lại sau.")
        return JsonResponse({"message": message, "extra": {}}, status=429)
    return render(request, "registration/locked_out.html", status=429)


@never_cache
@login_required
def api_tokens(request):
    """The person's API tokens that still work, each with a button to revoke it."""
    tokens = selectors.api_tokens_live(user=request.user)
    return render(
        request,
        "units/api_tokens.html",
        {"tokens": tokens, "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS},
    )


@require_POST
@login_required
def api_token_revoke(request, pk):
    token = permissions.api_token_get_for(request.user, pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(
        request,
        _("Đã thu hồi mã truy cập %(prefix)s… Ứng dụng dùng mã này sẽ không truy cập được nữa.")
        % {"prefix": token.prefix},
    )
    return redirect("notifications:api_tokens")
