"""A person's task deadlines as a private iCalendar feed (Outlook, Thunderbird, phones subscribe).

The URL carries a secret token instead of a session: calendar clients cannot sign in.
Only the token's digest is stored (``User.calendar_token_digest``), like an API token's.
A revoked or unknown token answers 404, like anything else one may not see.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tasks.models import Task
from units.authentication import token_digest
from units.models import User

MAX_EVENTS = 500


def task_calendar(user: User) -> bytes:
    """All-day events on the deadline of each open task the person handles or supports."""
    tasks = (
        Task.objects.filter(Q(handler=user) | Q(supporters=user), state__in=Task.OPEN_STATES, deadline__isnull=False)
        .select_related("lead_unit")
        .distinct()
        .order_by("deadline")[:MAX_EVENTS]
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Cong dieu hanh van ban//vi")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Hạn nhiệm vụ — %(name)s") % {"name": user.get_full_name()})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for task in tasks:
        event = Event()
        event.add("uid", f"task-{task.pk}@{settings.SITE_URL.split('//')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.deadline)
        event.add("dtend", task.deadline + timedelta(days=1))
        event.add("summary", _("Hạn: %(title)s") % {"title": task.title})
        event.add("description", _("Đơn vị chủ trì: %(unit)s") % {"unit": task.lead_unit.name})
        event.add("url", f"{settings.SITE_URL}{reverse('tasks:detail', args=[task.pk])}")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_feed(request, token: str):
    if len(token) < 20:
        raise Http404
    user = User.objects.filter(calendar_token_digest=token_digest(token), is_active=True).first()
    if user is None:
        raise Http404
    response = HttpResponse(task_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="nhiem-vu.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
