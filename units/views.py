from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from units.models import Notification
from units.notifications import notifications_mark_read
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


@login_required
def notifications(request):
    """The person's notices, newest first; unread ones stand out."""
    notices = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    return render(request, "units/notifications.html", {"page": page})


@require_POST
@login_required
def notifications_read_all(request):
    notifications_mark_read(user=request.user)
    messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("notifications:list")


@login_required
def notification_open(request, pk):
    """Mark one of the person's notices read and follow its link (404 for anyone else's)."""
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notifications:list")


def notifications_badge(request):
    """The bell in the page header, polled by htmx every minute.

    Not behind login_required on purpose: once the session has expired, a redirect to the
    sign-in page would be swapped into the header. A signed-out poll gets 204, which htmx ignores.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "units/_bell.html")
