from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from units.roles import start_page_for


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
