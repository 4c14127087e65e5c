"""The weekly digest: on Monday from 07:30, each director gets the tasks of the units they
supervise by tracking class, overdue first, with the completion and on-time rates."""

from datetime import datetime, time

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import shorten
from lib.workdays import VIETNAM_TZ
from notifications.services import notification_send
from tasks.models import Digest, Task, TrackingClass
from tasks.tracking import rates, with_tracking
from units.models import User
from units.roles import Role

DIGEST_TIME = time(7, 30)
ORDER = [TrackingClass.OVERDUE, TrackingClass.WITHIN, TrackingClass.LATE, TrackingClass.ON_TIME,
         TrackingClass.NO_DEADLINE]  # fmt: skip


def digest_text(director: User, *, at: datetime) -> tuple[str, dict]:
    """The digest's body (plain text) and its counts, from one aggregate query."""
    tasks = with_tracking(Task.objects.filter(lead_unit__supervisions__director=director), at=at)
    counts = dict(tasks.values_list("tracking").annotate(n=Count("pk")).order_by())
    summary = rates(counts)
    lines = [_("Nhiệm vụ của các đơn vị anh/chị phụ trách, tính đến %(date)s:") % {"date": at.strftime("%d/%m/%Y")}]
    lines += [f"- {TrackingClass(c).label}: {counts.get(c, 0)}" for c in ORDER]
    lines.append(_("Tỷ lệ hoàn thành: %(rate)s") % {"rate": summary["completion_label"]})
    lines.append(_("Tỷ lệ đúng hạn: %(rate)s") % {"rate": summary["on_time_label"]})
    overdue = tasks.filter(tracking=TrackingClass.OVERDUE).select_related("lead_unit").order_by("due_at")[:10]
    if overdue:
        lines.append("")
        lines.append(_("Quá hạn lâu nhất:"))
        lines += [f"- {shorten(t.title, 120)} ({t.lead_unit.name}, hạn {t.deadline:%d/%m/%Y})" for t in overdue]
    return "\n".join(lines), counts


def weekly_digests_send(*, at: datetime | None = None) -> int:
    """Send this week's digest to every director and deputy who has not had it; exactly once each."""
    at = (at or timezone.now()).astimezone(VIETNAM_TZ)
    if at.weekday() != 0 or at.time() < DIGEST_TIME:
        return 0
    week_start = at.date()
    directors = User.objects.filter(
        groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR], is_active=True, supervisions__isnull=False
    ).distinct()
    Digest.objects.bulk_create([Digest(user=d, week_start=week_start) for d in directors], ignore_conflicts=True)
    sent = 0
    for digest in Digest.objects.filter(week_start=week_start, claimed_at=None).select_related("user"):
        with transaction.atomic():
            if not Digest.objects.filter(pk=digest.pk, claimed_at=None).update(claimed_at=timezone.now()):
                continue
            body, _counts = digest_text(digest.user, at=at)
            notification_send(
                users=[digest.user],
                kind="weekly_digest",
                message=_("Tổng hợp nhiệm vụ tuần từ %(date)s") % {"date": week_start.strftime("%d/%m/%Y")},
                url=reverse("tasks:supervised"),
                body=body,
            )
            sent += 1
    return sent
