"""Bench-only views for bench/run: each page's floor, and a stock admin of the same rows (bench/README.md).

Mounted by config/urls.py only when ``PORTAL_BENCH_QUERY_HEADER`` is on (never in production):

- ``/_bench/floor/<page>/?path=<the page's path>`` is the page's *floor*: the same rows fetched by
  one or two hand-written SQL statements (``FLOOR_SQL``), then the page's own template rendered.
  The template and its context are those the real view built for the same person, captured once
  per worker (the real view is called once, and the outermost ``Template.render`` of that call is
  intercepted); every later request runs the SQL, fetches every row and renders that template with
  that context. A floor request goes through the same middleware (session, signed-in person,
  context processors) as the page, so page ÷ floor is what the page's own Python and ORM cost.
- ``/_bench/admin/`` is a stock Django admin (``admin.ModelAdmin`` with its default options, only
  ``search_fields`` added for the searches) of the models the pages list: the portal registers no
  admin for tasks and deliveries, and a customised one for documents.
"""

from unittest import mock
from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, QueryDict
from django.template.backends.django import Template
from django.urls import path, resolve

from directives.models import Document
from lib.text import fold
from notifications.models import NotificationDelivery
from tasks.models import Task

# Open states first, then by deadline (nulls last), priority and id: the task lists' order.
_TASK_ROWS = """
    SELECT t.id, t.title, t.state, t.deadline, t.due_at, t.priority, t.progress,
           u.name, h.full_name, s.full_name, d.symbol, d.confidentiality
    FROM tasks_task t
    LEFT JOIN units_unit u ON u.id = t.lead_unit_id
    LEFT JOIN units_user h ON h.id = t.handler_id
    LEFT JOIN units_user s ON s.id = t.supervisor_id
    LEFT JOIN directives_document d ON d.id = t.document_id
    WHERE t.id IN ({ids})
    ORDER BY t.state IN ('done', 'cancelled'), t.due_at ASC NULLS LAST, t.priority DESC, t.id
    LIMIT 50
"""
_TASK_COUNTS = "SELECT t.state, count(*) FROM tasks_task t WHERE t.id IN ({ids}) GROUP BY t.state"
_MINE = "SELECT id FROM tasks_task WHERE handler_id = %(user)s UNION SELECT task_id FROM tasks_task_supporters WHERE user_id = %(user)s"  # noqa: E501
_HEADED = "SELECT unit_id FROM units_membership WHERE user_id = %(user)s AND is_head"
_UNIT = (
    f"SELECT id FROM tasks_task WHERE lead_unit_id IN ({_HEADED}) "
    f"UNION SELECT task_id FROM tasks_task_cooperating_units WHERE unit_id IN ({_HEADED})"
)
_DOCUMENT_ROWS = """
    SELECT d.id, d.symbol, d.subject, d.state, d.urgency, d.issued_at, d.received_on,
           t.name, u.name, a.full_name
    FROM directives_document d
    LEFT JOIN directives_documenttype t ON t.id = d.doc_type_id
    LEFT JOIN units_unit u ON u.id = d.drafting_unit_id
    LEFT JOIN units_user a ON a.id = d.author_id
    WHERE d.agency_id = %(agency)s AND {where}
    ORDER BY {order}
    LIMIT 50
"""
_SEARCH_COUNT = "SELECT count(*) FROM directives_document d WHERE d.agency_id = %(agency)s AND {where}"
_SEARCH = "d.confidentiality = '' AND d.search_text LIKE ALL(%(words)s)"

FLOOR_SQL: dict[str, list[str]] = {
    "my-tasks": [_TASK_COUNTS.format(ids=_MINE), _TASK_ROWS.format(ids=_MINE)],
    "unit-tasks": [_TASK_COUNTS.format(ids=_UNIT), _TASK_ROWS.format(ids=_UNIT)],
    "task-page": [
        _TASK_ROWS.format(ids="%(pk)s"),
        "SELECT e.id, e.action, e.at, a.full_name FROM tasks_taskevent e"
        " LEFT JOIN units_user a ON a.id = e.actor_id WHERE e.task_id = %(pk)s ORDER BY e.at, e.id",
    ],
    "agency-dashboard": [
        "SELECT lead_unit_id, state, count(*), count(*) FILTER (WHERE due_at < now()) FROM tasks_task"
        " WHERE agency_id = %(agency)s GROUP BY lead_unit_id, state"
    ],
    "province-view": ["SELECT agency_id, bucket, sum(count) FROM tasks_tasksummary GROUP BY agency_id, bucket"],
    "document-list": [
        _DOCUMENT_ROWS.format(
            where="d.direction = 'outgoing' AND d.state = 'issued' AND d.confidentiality = ''",
            order="d.issued_at DESC, d.id DESC",
        )
    ],
    "document-page": [
        _DOCUMENT_ROWS.format(where="d.id = %(pk)s", order="d.id"),
        "SELECT e.id, e.action, e.at, a.full_name FROM directives_event e"
        " LEFT JOIN units_user a ON a.id = e.actor_id WHERE e.document_id = %(pk)s ORDER BY e.at, e.id",
    ],
    "search-rare-word": [
        _SEARCH_COUNT.format(where=_SEARCH),
        _DOCUMENT_ROWS.format(where=_SEARCH, order="d.created_at DESC, d.id DESC"),
    ],
    "search-common-word": [
        _SEARCH_COUNT.format(where=_SEARCH),
        _DOCUMENT_ROWS.format(where=_SEARCH, order="d.created_at DESC, d.id DESC"),
    ],
    "send-log": [
        "SELECT x.state, count(*) FROM units_notificationdelivery x WHERE x.agency_id = %(agency)s GROUP BY x.state",
        "SELECT x.id, x.channel, x.state, x.attempts, x.finished_at, n.kind, n.message, p.full_name, p.username"
        " FROM units_notificationdelivery x JOIN units_notification n ON n.id = x.notification_id"
        " JOIN units_user p ON p.id = n.user_id WHERE x.agency_id = %(agency)s ORDER BY x.id DESC LIMIT 50",
    ],
}

# (page, person, path) -> (template, context): what the real view rendered, once per worker.
_captured: dict[tuple, tuple] = {}


def floor_params(user, *, kwargs: dict, query: QueryDict) -> dict:
    """The SQL parameters of a floor: the person, their agency, the page's object and search words."""
    words = fold(query.get("q", "")).split()
    return {"user": user.pk, "agency": user.agency_id, "pk": kwargs.get("pk"), "words": [f"%{w}%" for w in words]}


def _capture(request, page_path: str):
    """Call the real view of ``page_path`` once; the (template, context) of its outermost render."""
    parts = urlsplit(page_path)
    match = resolve(parts.path)
    request.GET = QueryDict(parts.query)
    seen = []
    original = Template.render

    def spy(template, context=None, request=None):
        if not seen:
            seen.append((template, dict(context or {})))
        return original(template, context, request)

    with mock.patch.object(Template, "render", spy):
        response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200 or not seen:
        raise Http404(f"{page_path} answered {response.status_code} without a template")
    return seen[0][0], seen[0][1], match.kwargs


@login_required
def floor(request, page: str):
    """The page's rows by hand-written SQL, then its own template with the context its view built."""
    if page not in FLOOR_SQL:
        raise Http404(page)
    page_path = request.GET.get("path", "")
    key = (page, request.user.pk, page_path)
    if key not in _captured:
        _captured[key] = _capture(request, page_path)
    template, context, kwargs = _captured[key]
    params = floor_params(request.user, kwargs=kwargs, query=QueryDict(urlsplit(page_path).query))
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL[page]:
            cursor.execute(sql, params)
            cursor.fetchall()
    return HttpResponse(template.render(context, request))


class StockAdminSite(admin.AdminSite):
    site_header = "bench: stock admin"


stock_admin = StockAdminSite(name="bench_admin")
stock_admin.register(Task, admin.ModelAdmin)
stock_admin.register(Document, type("DocumentAdmin", (admin.ModelAdmin,), {"search_fields": ["search_text"]}))
stock_admin.register(
    NotificationDelivery,
    type("DeliveryAdmin", (admin.ModelAdmin,), {"list_filter": ["notification__user__agency"]}),
)

urlpatterns = [
    path("_bench/floor/<slug:page>/", floor, name="bench-floor"),
    path("_bench/admin/", stock_admin.urls),
]
