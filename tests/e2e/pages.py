"""Every page people use, as each role reaches it on the demo department.

One list for the gallery (`tests/e2e/test_pages_gallery.py`, which opens each page in
Chromium and takes its picture) and for any check that must cover every page: a new page
is covered by adding one row here. A row names the picture, the demo account that opens
the page, and its address, either fixed or found on the demo data.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def _document(subject_start: str, **filters) -> int:
    from directives.models import Document

    return Document.objects.filter(subject__startswith=subject_start, **filters).values_list("pk", flat=True).first()


def _issued_plan() -> int:
    from directives.models import Document

    return Document.objects.filter(state=Document.State.ISSUED, tasks__isnull=False).values_list("pk", flat=True)[0]


def _task_with_reports() -> int:
    from tasks.models import Task

    return Task.objects.filter(reports__isnull=False).order_by("pk").values_list("pk", flat=True)[0]


def _task_handled_by(username: str) -> int:
    """A task the person handles and may still report on, complete or ask more time for."""
    from tasks.models import Task

    working = Task.objects.filter(handler__username=username, state__in=["new", "in_progress", "returned"])
    return working.exclude(deadline=None).order_by("pk").values_list("pk", flat=True)[0]


def _draft_of(username: str) -> int:
    from directives.models import Document

    drafts = Document.objects.filter(state=Document.State.DRAFT, author__username=username).order_by("pk")
    return drafts.values_list("pk", flat=True)[0]


def _unit_of(username: str) -> int:
    from units.models import Membership

    return Membership.objects.filter(user__username=username).values_list("unit_id", flat=True)[0]


def _reading_waiting() -> int:
    from intake.models import Reading

    return Reading.objects.filter(document=None, state="done").values_list("pk", flat=True)[0]


def _read_document_to_route() -> int:
    from intake.models import Reading

    return Reading.objects.filter(document__state="registered").values_list("document_id", flat=True)[0]


def _arrival_waiting() -> int:
    from exchange.models import Received

    return Received.objects.filter(state="waiting").order_by("received_at").values_list("pk", flat=True)[0]


def _document_sent_over_exchange() -> int:
    from exchange.models import Outgoing

    return Outgoing.objects.filter(kind="package").values_list("document_id", flat=True)[0]


# The demo department is one agency; the province view belongs to the administrator of a
# multi-agency installation, whom the gallery adds (an administrator of no agency).
PROVINCE_ADMINISTRATOR = "quantri.tinh"


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    url: str | Callable[[], str]
    # Swagger UI's own controls are English and its page has no language mark; the API's
    # descriptions in it are Vietnamese. Every other page is marked and written in Vietnamese.
    marked_vietnamese: bool = True

    def address(self) -> str:
        return self.url if isinstance(self.url, str) else self.url()


PAGES = [
    Page("sign-in", "", "/accounts/login/"),
    Page("tasks-mine", "chuyenvien", reverse("tasks:mine")),
    Page("tasks-unit", "truongphong", reverse("tasks:unit")),
    Page("tasks-supervised", "giamdoc", reverse("tasks:supervised")),
    Page("tasks-all", "giamdoc", reverse("tasks:browse")),
    Page("task-create", "giamdoc", reverse("tasks:create")),
    Page("task-detail", "truongphong", lambda: reverse("tasks:detail", args=[_task_with_reports()])),
    Page("task-detail-handler", "chuyenvien", lambda: reverse("tasks:detail", args=[_task_handled_by("chuyenvien")])),
    Page(
        "tasks-from-document",
        "giamdoc",
        lambda: reverse("tasks:create_from_document", args=[_issued_plan()]),
    ),
    Page("dashboard", "giamdoc", reverse("tasks:dashboard")),
    Page("dashboard-unit", "truongphong", lambda: reverse("tasks:unit_dashboard", args=[_unit_of("truongphong")])),
    Page("reports", "giamdoc", reverse("tasks:reports")),
    Page("province", PROVINCE_ADMINISTRATOR, reverse("tasks:province")),
    Page("desk-clerk", "vanthu", reverse("directives:desk")),
    Page("desk-director", "giamdoc", reverse("directives:desk")),
    Page("documents-outgoing", "vanthu", reverse("directives:outgoing")),
    Page("documents-incoming", "vanthu", reverse("directives:incoming")),
    Page("documents-inbox", "chuyenvien", reverse("directives:inbox")),
    Page("documents-search", "chuyenvien", reverse("directives:search") + "?q=ke+hoach"),
    Page("draft-form", "vanthu", reverse("directives:create")),
    Page("draft-edit", "chuyenvien", lambda: reverse("directives:edit", args=[_draft_of("chuyenvien")])),
    Page("document-detail", "vanthu", lambda: reverse("directives:detail", args=[_issued_plan()])),
    Page("document-progress", "giamdoc", lambda: reverse("tasks:document_progress", args=[_issued_plan()])),
    Page("revisions", "vanthu", lambda: reverse("directives:revisions", args=[_issued_plan()])),
    Page("incoming-register", "vanthu", reverse("directives:incoming_register")),
    Page("intake-read", "vanthu", reverse("intake:read")),
    Page("intake-register", "vanthu", lambda: reverse("intake:register", args=[_reading_waiting()])),
    Page("intake-route", "giamdoc", lambda: reverse("intake:route", args=[_read_document_to_route()])),
    Page("exchange-arrivals", "vanthu", reverse("exchange:arrivals")),
    Page("exchange-arrival", "vanthu", lambda: reverse("exchange:arrival", args=[_arrival_waiting()])),
    Page("exchange-sent", "vanthu", lambda: reverse("directives:detail", args=[_document_sent_over_exchange()])),
    Page("copy-form", "vanthu", lambda: reverse("directives:copy", args=[_issued_plan()])),
    Page("registers", "vanthu", reverse("directives:registers")),
    Page("personal-certificate", "giamdoc", reverse("directives:personal_certificate")),
    Page("delegations", "giamdoc", reverse("directives:delegations")),
    Page("notifications", "chuyenvien", reverse("notifications:list")),
    Page("notification-settings", "chuyenvien", reverse("notifications:settings")),
    Page("api-tokens", "chuyenvien", reverse("notifications:api_tokens")),
    Page("send-log", "quantri", reverse("notifications:delivery_log")),
    Page("audit-trail", "giamdoc", reverse("audit:trail")),
    Page("api-docs", "chuyenvien", reverse("api-docs"), marked_vietnamese=False),
    Page("error-404", "chuyenvien", "/directives/999999/"),
]
