"""The dashboards: the director's start page, a unit's figures and a document's progress.

Every figure is one aggregate query: counted live by ``reports.dashboards``, or, for the whole
agency, read by ``reports.province`` from the minute-old summary (the cards, the bars per unit, the
trend and the count of overdue tasks; the most overdue tasks themselves are always read live).
Every number on the page is a link to the task list holding exactly the tasks it counts: the
list's filters (``tracking``, ``unit``, ``handler``, ``document``, ``scope``, ``from``/``to``)
apply the same ``scoped``, ``in_period`` and ``class_filter`` the numbers were counted with.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from directives import selectors as document_selectors
from directives.permissions import document_get_for
from lib.forms import form_status
from lib.workdays import local_now, local_today
from reports import dashboards as dashboard
from reports import province as summary
from reports.forms import DashboardForm
from tasks import periods
from tasks import permissions as rights
from tasks.forms import agency_units
from tasks.models import Task, TrackingClass
from tasks.permissions import tasks_visible_to
from tasks.selectors import DATED, FINISHED, NO_HANDLER
from units.models import Unit, User

# The Government Office's classes in the order the cards and charts show them, with the
# colours every chart and card uses (print-safe: distinct in grey too).
CLASS_STYLE = {
    TrackingClass.ON_TIME: ("success", "#198754"),
    TrackingClass.LATE: ("late", "#4f7a8a"),
    TrackingClass.WITHIN: ("primary", "#0d6efd"),
    TrackingClass.OVERDUE: ("danger", "#dc3545"),
}
OVERDUE_SHOWN = 8
DOCUMENTS_SHOWN = 5


@lru_cache(maxsize=16)
def _browse_url(script_prefix: str) -> str:
    return reverse("tasks:browse")


def list_url(**params) -> str:
    """The task list narrowed by ``params`` (empty values left out); ``start``/``end`` become from/to."""
    if params.get("start"):
        params["from"], params["to"] = params.pop("start").isoformat(), params.pop("end").isoformat()
    params.pop("start", None), params.pop("end", None)
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    # A dashboard links every number (a hundred and more): the list's address is reversed once.
    return _browse_url(get_script_prefix()) + (f"?{query}" if query else "")


def _first_and_count(documents, limit: int) -> tuple[list, int]:
    """The first ``limit`` documents and how many there are, in one query: the count rides on
    each row as a window over the whole selection (``COUNT(*) OVER ()``, taken before LIMIT)."""
    rows = list(documents.annotate(selection_size=Window(Count("pk")))[:limit])
    return rows, (rows[0].selection_size if rows else 0)


def _period_words(period: periods.Period) -> str:
    return f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"


def _cards(summary: dict, link: dict) -> dict:
    """The four class cards, the two rates, and the totals, each with the URL of its list."""
    classes = []
    for key, (css, _colour) in CLASS_STYLE.items():
        classes.append(
            {
                "key": key,
                "label": TrackingClass(key).label,
                "count": summary["counts"][key],
                "share": summary["shares"][key] * 100,
                "css": css,
                "url": list_url(**link, tracking=key),
            }
        )
    return {
        "classes": classes,
        "total": summary["total"],
        "total_url": list_url(**link, tracking=DATED),
        "no_deadline": summary["no_deadline"],
        "no_deadline_url": list_url(**link, tracking=TrackingClass.NO_DEADLINE),
        "finished": summary["finished"],
        "finished_url": list_url(**link, tracking=FINISHED),
        "overdue": summary["counts"][TrackingClass.OVERDUE],
        "overdue_url": list_url(**link, tracking=TrackingClass.OVERDUE),
        "on_time": summary["counts"][TrackingClass.ON_TIME],
        "on_time_url": list_url(**link, tracking=TrackingClass.ON_TIME),
        "completion_label": summary["completion_label"],
        "on_time_label": summary["on_time_label"],
    }


def _rows(rows: list[dict], link_for) -> list[dict]:
    """Table rows (per unit or per person) with the URL of each of their numbers."""
    for row in rows:
        link = link_for(row)
        row["cells"] = [
            {"key": key, "count": row["counts"][key], "url": list_url(**link, tracking=key)} for key in CLASS_STYLE
        ]
        row["total"] = sum(row["counts"][key] for key in CLASS_STYLE)
        row["total_url"] = list_url(**link, tracking=DATED)
        row["no_deadline"] = row["counts"][TrackingClass.NO_DEADLINE]
        row["no_deadline_url"] = list_url(**link, tracking=TrackingClass.NO_DEADLINE)
    return rows


def _series(labels: list[str], rows: list[dict]) -> dict:
    """Chart.js data: one dataset per class, with the URL behind each bar segment."""
    return {
        "labels": labels,
        "datasets": [
            {
                "key": key,
                "label": str(TrackingClass(key).label),
                "color": colour,
                "data": [row["counts"][key] for row in rows],
                "urls": [cell["url"] for row in rows for cell in row["cells"] if cell["key"] == key],
            }
            for key, (_css, colour) in CLASS_STYLE.items()
        ],
    }


def _trend_by(period: periods.Period) -> str:
    """The trend's step: weeks for periods up to a quarter, months beyond."""
    return "week" if (period.end - period.start).days <= 92 else "month"


def _trend(rows: list[dict], *, by: str, period: periods.Period, link: dict) -> list[dict]:
    """The trend's rows (``dashboard.trend``'s shape) labelled, each bucket's numbers linked to
    the part of the period it covers."""
    for row in rows:
        first = row["bucket"].date() if hasattr(row["bucket"], "date") else row["bucket"]
        if by == "week":
            last = first + timedelta(days=6)
            row["label"] = _("Tuần %(day)s") % {"day": first.strftime("%d/%m")}
        else:
            next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            last = next_month - timedelta(days=1)
            row["label"] = first.strftime("%m/%Y")
        bucket_link = {**link, "start": max(first, period.start), "end": min(last, period.end)}
        row["cells"] = [
            {"key": key, "count": row["counts"][key], "url": list_url(**bucket_link, tracking=key)}
            for key in CLASS_STYLE
        ]
    return rows


def _most_overdue(tasks, *, at, count: int, link: dict) -> dict:
    """The open tasks furthest past their deadline in the scope, whatever the period, and ``count``
    (how many are past their deadline)."""
    return {
        "tasks": dashboard.most_overdue(tasks, at=at, limit=OVERDUE_SHOWN),
        "count": count,
        "url": list_url(**link, tracking=TrackingClass.OVERDUE),
    }


@login_required
def agency_dashboard(request):
    """The director's start page: the tracking classes of the period and scope chosen, per unit
    and over time, the most overdue tasks and the documents waiting for the director."""
    user = request.user
    if not rights.can_see_dashboards(user):
        raise PermissionDenied(_("Chỉ Ban Giám đốc và quản trị viên xem bảng điều hành."))
    at, today = local_now(), local_today()
    units = list(agency_units(user).select_related("agency"))  # the agency's name comes with its units
    form = DashboardForm(request.GET or None, units=units)
    period, scope, unit_id = form.choice(today)
    base = periods.scoped(user, scope=scope, unit_id=unit_id)
    tasks = periods.in_period(base, period)
    scope_link = {"scope": "supervised" if scope == "supervised" else None, "unit": unit_id}
    link = {**scope_link, "start": period.start, "end": period.end}

    trend_by = _trend_by(period)
    figures = _agency_figures(user, scope, base, tasks, period=period, at=at, by=trend_by)
    by_unit = _rows(figures.by_unit, lambda row: {**link, "scope": None, "unit": row["unit_id"]})
    trend = _trend(figures.trend, by=trend_by, period=period, link=link)
    unit_query = urlencode({k: v for k, v in _period_query(form).items() if v})
    for row in by_unit:
        row["dashboard_url"] = reverse("tasks:unit_dashboard", args=[row["unit_id"]]) + (
            f"?{unit_query}" if unit_query else ""
        )
    context = {
        "form": form,
        "period": period,
        "period_label": periods.PERIODS.get(period.kind, ""),
        "period_words": _period_words(period),
        "scope_words": _scope_words(user, scope, unit_id, units),
        "cards": _cards(figures.class_counts, link),
        "by_unit": by_unit,
        "summary_refreshed_at": figures.refreshed_at,
        "trend": trend,
        "trend_by": trend_by,
        "overdue": _most_overdue(base, at=at, count=figures.overdue_count, link=scope_link),
        "chart_data": {
            "hint": _("Bấm để xem danh sách nhiệm vụ"),
            "units": _series([row["name"] for row in by_unit], by_unit),
            "trend": _series([row["label"] for row in trend], trend),
        },
    }
    waiting, waiting_count = _first_and_count(document_selectors.documents_waiting_for(user=user), DOCUMENTS_SHOWN)
    context.update(waiting=waiting, waiting_count=waiting_count)
    if user.is_leader:
        to_route, to_route_count = _first_and_count(document_selectors.documents_to_route(user=user), DOCUMENTS_SHOWN)
        context.update(
            to_route=to_route,
            to_route_count=to_route_count,
            to_route_url=reverse("directives:incoming") + "?" + urlencode({"state": "registered"}),
        )
    return render(request, "tasks/dashboard.html", context, status=form_status(form))


@dataclass(frozen=True)
class AgencyFigures:
    """The agency dashboard's aggregates, in the shapes of ``reports.dashboards``'s functions."""

    class_counts: dict
    by_unit: list[dict]
    trend: list[dict]
    overdue_count: int
    refreshed_at: datetime | None  # when the summary they come from was built; None: counted live


def _agency_figures(
    user: User, scope: str, base, tasks, *, period: periods.Period, at: datetime, by: str
) -> AgencyFigures:
    """The cards' class counts, the rows per unit, the trend by ``by`` (of ``tasks``, the scope's
    tasks in the period) and the count of overdue tasks (of ``base``, the scope's, any period).

    They come from the summary (``reports.province``), up to a minute old, when the scope is the
    whole agency, what the user may see is exactly the agency's tasks (a leader) or every task
    (a superuser), and the summary has been built; otherwise they are counted live from the
    tasks. Four queries either way, after the one asking when the summary was refreshed (for
    the scopes it may serve).
    """
    if scope == "agency" and (user.is_superuser or (user.is_leader and user.agency_id)):
        refreshed_at = summary.summary_refreshed_at()
        if refreshed_at is not None:
            agency_id = None if user.is_superuser else user.agency_id
            class_counts, by_unit = summary.agency_counts(agency_id=agency_id, period=period, at=at)
            return AgencyFigures(
                class_counts=class_counts,
                by_unit=by_unit,
                trend=summary.agency_trend(agency_id=agency_id, period=period, at=at, by=by),
                overdue_count=summary.agency_overdue_count(agency_id=agency_id, at=at),
                refreshed_at=refreshed_at,
            )
    return AgencyFigures(
        class_counts=dashboard.class_counts(tasks, at=at),
        by_unit=dashboard.by_unit(tasks, at=at),
        trend=dashboard.trend(tasks, at=at, by=by),
        overdue_count=dashboard.overdue_count(base, at=at),
        refreshed_at=None,
    )


def _period_query(form: DashboardForm) -> dict:
    """The period part of the dashboard's query string, carried over to a unit's page."""
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "period": data.get("period") or "",
        "from": data["from"].isoformat() if data.get("from") else "",
        "to": data["to"].isoformat() if data.get("to") else "",
    }


def _scope_words(user: User, scope: str, unit_id: int | None, units: list[Unit]) -> str:
    if scope == "supervised":
        return _("Các đơn vị tôi phụ trách")
    if scope == "unit":
        return next((unit.name for unit in units if unit.pk == unit_id), _("Đơn vị không xác định"))
    if units:  # read with the agency (agency_dashboard): no query for its name
        return units[0].agency.name
    return user.agency.name if user.agency_id else _("Toàn cơ quan")


def _unit_for(user: User, unit_pk: int) -> Unit:
    """A unit of my agency whose figures I may see: as its head, or as a leader or administrator."""
    unit = get_object_or_404(Unit, pk=unit_pk, agency_id=user.agency_id)
    if not (rights.can_see_dashboards(user) or user.memberships.filter(unit=unit, is_head=True).exists()):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị và Ban Giám đốc xem số liệu của đơn vị."))
    return unit


@login_required
def unit_dashboard(request, unit_pk: int):
    """A unit's figures for the period: the classes, each staff member's, the trend and the most overdue."""
    user = request.user
    unit = _unit_for(user, unit_pk)
    at, today = local_now(), local_today()
    form = DashboardForm(request.GET or None, with_scope=False)
    period, _scope, _unit = form.choice(today)
    base = periods.scoped(user, scope="unit", unit_id=unit.pk)
    tasks = periods.in_period(base, period)
    link = {"unit": unit.pk, "start": period.start, "end": period.end}
    people = _rows(
        dashboard.by_person(tasks, at=at),
        lambda row: {**link, "handler": NO_HANDLER if row["user_id"] is None else row["user_id"]},
    )
    trend_by = _trend_by(period)
    trend = _trend(dashboard.trend(tasks, at=at, by=trend_by), by=trend_by, period=period, link=link)
    context = {
        "unit": unit,
        "form": form,
        "period": period,
        "period_label": periods.PERIODS.get(period.kind, ""),
        "period_words": _period_words(period),
        "cards": _cards(dashboard.class_counts(tasks, at=at), link),
        "people": people,
        "trend": trend,
        "trend_by": trend_by,
        "overdue": _most_overdue(base, at=at, count=dashboard.overdue_count(base, at=at), link={"unit": unit.pk}),
        "chart_data": {
            "hint": _("Bấm để xem danh sách nhiệm vụ"),
            "units": _series([row["name"] for row in people], people),
            "trend": _series([row["label"] for row in trend], trend),
        },
    }
    return render(request, "tasks/unit_dashboard.html", context, status=form_status(form))


@login_required
def document_progress(request, document_pk: int):
    """How the tasks given from a document stand: per lead unit and tracking class, with the rates."""
    user = request.user
    document = document_get_for(user, document_pk)
    at = local_now()
    tasks = tasks_visible_to(user).filter(document=document).exclude(state=Task.State.CANCELLED)
    link = {"document": document.pk}
    units = _rows(dashboard.by_unit(tasks, at=at), lambda row: {**link, "unit": row["unit_id"]})
    context = {
        "document": document,
        "cards": _cards(dashboard.class_counts(tasks, at=at), link),
        "by_unit": units,
        "chart_data": {
            "hint": _("Bấm để xem danh sách nhiệm vụ"),
            "units": _series([row["name"] for row in units], units),
            "trend": None,
        },
    }
    return render(request, "tasks/document_progress.html", context)
