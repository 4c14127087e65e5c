"""The notice pages: a person's notices and the bell, their notification settings (with the
calendar feed link), and the administrator's send log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lib.pagination import CappedPaginator
from notifications import selectors
from notifications.channels import channels
from notifications.forms import DeliveryLogFilterForm, NotificationSettingsForm
from notifications.models import Notification, NotificationDelivery
from notifications.permissions import can_view_delivery_log
from notifications.selectors import daily_digest_wanted
from notifications.services import KINDS, digest_subscription_set, mutes_set, notifications_mark_read
from units.services import calendar_token_issue, calendar_token_revoke

DELIVERY_LOG_PAGE_SIZE = 50


@login_required
def notifications(request):
    """The person's notices, newest first; unread ones stand out."""
    notices = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {"page": page})


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
    return render(request, "notifications/_bell.html")


# Never cached: right after "create a link" the page shows the person's private calendar URL.
@never_cache
@login_required
def notification_settings(request):
    """The person's own choices: which kinds of notice also come by e-mail, and their calendar feed."""
    user = request.user
    # Not `request.POST or None`: a form with every box unticked posts nothing, and that is a choice.
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for channel in form.channels:
                mutes_set(user=user, muted_kinds=form.muted_kinds(channel.name), channel=channel.name)
            if form.cleaned_data["daily_digest"] != daily_digest_wanted(user):
                digest_subscription_set(user=user, daily=form.cleaned_data["daily_digest"])
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect("notifications:settings")
    return _settings_page(request, form)


def _settings_page(request, form, feed_url: str = ""):
    context = {"form": form, "feed_url": feed_url, "has_feed": bool(request.user.calendar_token_digest)}
    return render(request, "notifications/notification_settings.html", context)


@never_cache
@require_POST
@login_required
def calendar_issue(request):
    """Give the person a new calendar-feed URL and show it, this once; the previous one stops working at once.

    Only the secret's digest is kept, so the page is rendered in answer to the POST (not
    after a redirect): the URL appears in this response and nowhere else.
    """
    had_one = bool(request.user.calendar_token_digest)
    token = calendar_token_issue(user=request.user)
    if had_one:
        messages.success(request, _("Đã tạo đường dẫn lịch mới. Đường dẫn cũ không còn dùng được."))
    else:
        messages.success(request, _("Đã tạo đường dẫn lịch. Hãy thêm nó vào ứng dụng lịch của bạn."))
    feed_url = settings.SITE_URL + reverse("calendar-feed", args=[token])
    return _settings_page(request, NotificationSettingsForm(None, user=request.user), feed_url=feed_url)


@require_POST
@login_required
def calendar_revoke(request):
    calendar_token_revoke(user=request.user)
    messages.success(request, _("Đã thu hồi đường dẫn lịch. Ứng dụng lịch sẽ không nhận được hạn nhiệm vụ nữa."))
    return redirect(reverse("notifications:settings") + "#calendar")


@login_required
def delivery_log(request):
    """Every delivery of every notice to the administrator's agency, newest first, with its outcome."""
    if not can_view_delivery_log(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên xem được nhật ký gửi thông báo."))
    form = DeliveryLogFilterForm(request.GET)
    filters = form.filters()
    deliveries = selectors.delivery_log(user=request.user, filters=filters)
    cap = selectors.COUNT_CAP
    counts = selectors.delivery_counts(user=request.user, filters=filters, cap=cap)
    # Each state is counted up to cap + 1; the rows shown are one state's, or all of them.
    total, capped = sum(min(n, cap) for n in counts.values()), any(n > cap for n in counts.values())
    if filters.state:
        listed, listed_capped = min(counts[filters.state], cap), counts[filters.state] > cap
    else:
        listed, listed_capped = total, capped
    # Past a capped count the pages stop where the count does (the filters narrow the log further).
    page = CappedPaginator(deliveries, DELIVERY_LOG_PAGE_SIZE, count=listed + listed_capped).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    without_state = query.copy()
    without_state.pop("state", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "query_without_state": without_state.urlencode(),
        "state_counts": [
            (state, label, min(counts[state], cap), counts[state] > cap)
            for state, label in NotificationDelivery.State.choices
        ],
        "total": total,  # with total_capped: more than this many
        "total_capped": capped,
        "listed": listed,  # the rows the filters select; with listed_capped: more than this many
        "listed_capped": listed_capped,
        "current_state": filters.state,
        "kind_labels": KINDS,
        "channel_labels": {name: channel.label for name, channel in channels().items()},
    }
    return render(request, "notifications/delivery_log.html", context)
