"""The digests: figures sent to people on a schedule, each exactly once per person and day.

- The weekly digest: on Monday from 07:30, each director gets the tasks of the units they
  supervise by tracking class, overdue first, with the completion and on-time rates and the
  most overdue tasks (days late, a link to each).
- The daily digest: on working days from 07:00, each person who wants it (notifications'
  ``daily_digest_recipients``: staff by default) gets their open tasks that are overdue, due
  today and due in the next working days; a person with none of these gets nothing.

Both are sent in the agency's time zone (Asia/Ho_Chi_Minh). A ``Digest`` row per (person,
kind, day) is created set-wise, then claimed by a conditional update in the transaction that
writes the notice: a second run, or two runs at once, sends nothing more (at-most-once per
row; the e-mail itself is at-least-once, see notifications.services).
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import shorten
from lib.workdays import VIETNAM_TZ
from notifications.selectors import daily_digest_recipients
from notifications.services import notification_send
from tasks.calendar import calendar_current
from tasks.models import Digest, Task, TrackingClass
from tasks.tracking import rates, with_tracking
from units.models import User
from units.roles import Role

DIGEST_TIME = time(7, 30)
DAILY_TIME = time(7, 0)
DAILY_AHEAD = 2  # the daily digest lists what is due today and in the next two working days
OVERDUE_SHOWN = 10
TITLE_SHOWN = 120  # characters of a task's title in a digest, cut at a word boundary
ORDER = [TrackingClass.OVERDUE, TrackingClass.WITHIN, TrackingClass.LATE, TrackingClass.ON_TIME,
         TrackingClass.NO_DEADLINE]  # fmt: skip


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _task_rows(tasks, *, today: date) -> list[dict]:
    """What a digest shows of each task: short title, unit, deadline, days late, absolute link."""
    return [
        {
            "title": shorten(task.title, TITLE_SHOWN),
            "point": task.point,
            "unit": task.lead_unit.name,
            "deadline": task.deadline,
            "days_late": (today - task.deadline).days if task.deadline and task.deadline < today else 0,
            "url": _link(reverse("tasks:detail", args=[task.pk])),
        }
        for task in tasks
    ]


def weekly_digest(director: User, *, at: datetime) -> tuple[dict, dict]:
    """The weekly digest's figures for ``director`` (counts per class, rates, most overdue tasks) and
    the counts per tracking class.

    Two queries: the counts (one aggregate) and the most overdue tasks.
    """
    tasks = with_tracking(Task.objects.filter(lead_unit__supervisions__director=director), at=at)
    counts = dict(tasks.values_list("tracking").annotate(n=Count("pk")).order_by())
    summary = rates(counts)
    overdue = tasks.filter(tracking=TrackingClass.OVERDUE).select_related("lead_unit").order_by("due_at", "id")
    return {
        "date": at.date(),
        "classes": [{"label": TrackingClass(c).label, "count": counts.get(c, 0), "key": c} for c in ORDER],
        "total": sum(counts.get(c, 0) for c in ORDER),
        "completion": summary["completion_label"],
        "on_time": summary["on_time_label"],
        "overdue": _task_rows(overdue[:OVERDUE_SHOWN], today=at.date()),
        "overdue_count": counts.get(TrackingClass.OVERDUE, 0),
        "list_url": _link(reverse("tasks:supervised") + f"?tracking={TrackingClass.OVERDUE}"),
    }, counts


def digest_text(director: User, *, at: datetime) -> tuple[str, dict]:
    """The weekly digest's body (plain text) and its counts per tracking class."""
    figures, counts = weekly_digest(director, at=at)
    return render_to_string("email/digest_weekly.txt", figures).strip(), counts


def weekly_digests_send(*, at: datetime | None = None) -> int:
    """Send this week's digest to every director and deputy who has not had it; exactly once each."""
    at = (at or timezone.now()).astimezone(VIETNAM_TZ)
    if at.weekday() != 0 or at.time() < DIGEST_TIME:
        return 0
    week_start = at.date()
    directors = User.objects.filter(
        groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR], is_active=True, supervisions__isnull=False
    ).distinct()
    Digest.objects.bulk_create(
        [Digest(user=d, kind=Digest.Kind.WEEKLY, week_start=week_start) for d in directors], ignore_conflicts=True
    )
    sent = 0
    for digest in _unclaimed(Digest.Kind.WEEKLY, week_start):
        with transaction.atomic():
            if not _claim(digest):
                continue
            figures, _counts = weekly_digest(digest.user, at=at)
            notification_send(
                users=[digest.user],
                kind="weekly_digest",
                message=_("Tổng hợp nhiệm vụ tuần từ %(date)s") % {"date": week_start.strftime("%d/%m/%Y")},
                url=reverse("tasks:supervised"),
                body=render_to_string("email/digest_weekly.txt", figures).strip(),
                body_html=render_to_string("email/digest_weekly.html", figures),
            )
            sent += 1
    return sent


def daily_digest(user: User, *, at: datetime) -> dict | None:
    """What ``user`` has to do: their open tasks (as main handler or supporter) overdue, due
    today, and due in the next ``DAILY_AHEAD`` working days. None when there is nothing. One query."""
    today = at.date()
    horizon = calendar_current().add_working_days(today, DAILY_AHEAD)
    tasks = list(
        Task.objects.filter(Q(handler=user) | Q(supporters=user))
        .filter(state__in=Task.REMINDED_STATES, deadline__lte=horizon)
        .select_related("lead_unit")
        .distinct()
        .order_by("deadline", "id")
    )
    if not tasks:
        return None
    return {
        "date": today,
        "horizon": horizon,
        "overdue": _task_rows([t for t in tasks if t.deadline < today], today=today),
        "today": _task_rows([t for t in tasks if t.deadline == today], today=today),
        "soon": _task_rows([t for t in tasks if t.deadline > today], today=today),
        "list_url": _link(reverse("tasks:mine")),
    }


def daily_digests_send(*, at: datetime | None = None) -> int:
    """Send today's daily digest, once, to each active person who wants it and has something
    due or overdue. Nothing on days off or before 07:00 (Vietnam). Answers how many were sent."""
    at = (at or timezone.now()).astimezone(VIETNAM_TZ)
    day = at.date()
    if at.time() < DAILY_TIME or not calendar_current().is_working_day(day):
        return 0
    Digest.objects.bulk_create(
        [Digest(user_id=pk, kind=Digest.Kind.DAILY, week_start=day) for pk in daily_digest_recipients().values_list(
            "pk", flat=True
        )],
        ignore_conflicts=True,
    )  # fmt: skip
    sent = 0
    for digest in _unclaimed(Digest.Kind.DAILY, day):
        with transaction.atomic():
            if not _claim(digest):
                continue
            if not digest.user.is_active:
                continue  # left since the row was made: claimed, nothing sent
            figures = daily_digest(digest.user, at=at)
            if figures is None:
                continue  # nothing to say: claimed, so not looked at again today
            counts = {"overdue": len(figures["overdue"]), "today": len(figures["today"]), "soon": len(figures["soon"])}
            notification_send(
                users=[digest.user],
                kind="daily_digest",
                message=_("Việc ngày %(date)s: %(overdue)s quá hạn, %(today)s đến hạn hôm nay, %(soon)s sắp đến hạn")
                % {"date": day.strftime("%d/%m/%Y"), **counts},
                url=reverse("tasks:mine"),
                body=render_to_string("email/digest_daily.txt", figures).strip(),
                body_html=render_to_string("email/digest_daily.html", figures),
            )
            sent += 1
    return sent


def _unclaimed(kind: str, day: date):
    return Digest.objects.filter(kind=kind, week_start=day, claimed_at=None).select_related("user").order_by("pk")


def _claim(digest: Digest) -> bool:
    """Take the row for this run; False when another run took it first."""
    return Digest.objects.filter(pk=digest.pk, claimed_at=None).update(claimed_at=timezone.now()) == 1
