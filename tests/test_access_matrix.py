"""The access matrix: every URL pattern and every API operation × every role × objects in and
out of reach (the confidential document included) → the status the person must get.

The rules (docs/security.md, STYLE.md rule 11): anonymous → 302 to the sign-in page for pages,
401 for the API; may not see → 404; may see but not do → 403; allowed → 200 (302 where the page
is a redirect). State-changing requests are tested only where they must be refused, and then
nothing may change. A URL pattern or API operation without a row fails
``test_every_url_pattern_has_a_row`` / ``test_every_api_operation_has_a_row``.

Besides the status, every answer is checked for what must never be in it: the confidential
document's subject for anyone without a grant, agency A's people and units for agency B (and the
other way round), an editable right-granting field in the admin's person form, an API error in
another shape than ``{"message", "extra"}``.

The world is built once for the module (tests/access_world.py) inside a transaction rolled back
at the end; each case runs in a savepoint of it, so a case that wrongly succeeds changes nothing
for the next one.
"""

import datetime
import json
import re
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Max
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lib.workdays import local_today
from ops.background import heartbeat_write
from tests import access_world
from tests.access_world import AGENCY_A_NAMES, SECRET_SUBJECT

ROLES = ["anonymous", "staff", "other_staff", "head", "other_head", "clerk", "director", "admin", "other_admin"]
SIGNED_IN = frozenset(ROLES[1:])
AGENCY_A = SIGNED_IN - {"other_admin"}
ADMINS = frozenset({"admin", "other_admin"})
NON_STAFF = SIGNED_IN - ADMINS
AGENCY_B_NAMES = ["Bùi Văn Bên Ngoài", "Văn phòng Sở Công Thương", "Đỗ Văn Quản Trị Khác"]

# Who may see each object. Everything else answers 404 to them.
SEES: dict[str, frozenset] = {
    "draft": frozenset({"staff", "director"}),  # the author's draft; the director leads the agency
    "issued": frozenset({"staff", "head", "director", "clerk"}),  # delivered to unit 1
    "incoming": frozenset({"clerk", "director"}),  # registered, not routed yet
    "secret": frozenset({"clerk", "director", "head"}),  # confidential: only the grants
    "foreign": frozenset(),  # agency B's draft
    "task_u1": frozenset({"staff", "head", "director"}),
    "task_u2": frozenset({"other_staff", "other_head", "director"}),
    "task_secret": frozenset({"staff", "head", "director"}),  # the task, not its document
    "notice": frozenset({"staff"}),
    None: SIGNED_IN,  # a URL without an object
}
for _file, _parent in [
    ("issued_file", "issued"),
    ("incoming_file", "incoming"),
    ("secret_file", "secret"),
    ("task_u1_file", "task_u1"),
    ("task_u2_file", "task_u2"),
    ("extension", "task_u1"),
]:
    SEES[_file] = SEES[_parent]
SEES["stray_file"] = SEES["stray_task_file"] = frozenset()
# A reading of a received document (intake): its agency's clerks only; agency B's: nobody here.
SEES["reading"] = frozenset({"clerk"})
SEES["reading_b"] = frozenset()
# An arrival over the exchange (and its files): its agency's clerks only; agency B's: nobody here.
SEES["arrival"] = SEES["arrival_file"] = frozenset({"clerk"})
SEES["arrival_b"] = SEES["arrival_b_file"] = frozenset()
SEES["outgoing_failed"] = SEES["issued"]  # a package row: whoever sees its document
SEES["token_a"] = frozenset({"staff"})  # an API token: its owner's only
# A person's signing certificate: themself, and their agency's administrator.
SEES["person_a"] = frozenset({"staff", "admin"})
SEES["person_b"] = frozenset({"other_admin"})
SEES["admin_self"] = frozenset({"admin"})

DOCUMENTS = ("draft", "issued", "incoming", "secret", "foreign")
COPYABLE = {d: frozenset({"clerk"}) for d in ("issued", "incoming", "secret")}
TASKS = ("task_u1", "task_u2", "task_secret")


# --- Rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One URL pattern (by name, or route when unnamed) or API operation, with one method.

    ``do`` gives, per object, the roles allowed to do what the URL does; roles that see the
    object but are not in ``do`` must get 403. ``status`` overrides everything: role → status.
    """

    key: str
    method: str = "GET"
    objects: tuple = (None,)
    do: Any = SIGNED_IN  # frozenset, or dict object → frozenset
    ok: int = 200
    write: bool = False
    status: Any = None  # dict role → status, or callable (role, obj) → status
    anonymous: int | None = None
    data: Any = None  # body: a dict, or a callable (world, object) → dict
    query: str = ""
    fixed: tuple = ()  # URL parameters that are not objects: (("action", "submit"),)
    # object → how everyone who sees it is refused when its state (not their rights) forbids the
    # action: a domain error, 400 in the API, the page's message and a redirect (302)
    refused: Any = None
    api: bool = False
    audience: str | None = None  # whose data the answer holds when not the caller's (calendar feed)

    def expected(self, role: str, obj) -> int | None:
        """The status ``role`` must get on ``obj``; None: allowed write, not exercised."""
        if self.status is not None:
            found = self.status(role, obj) if callable(self.status) else self.status.get(role)
            if found is not None:
                return found
        if role == "anonymous":
            return self.anonymous or (401 if self.api else 302)
        if role not in SEES[obj]:
            return 404
        allowed = self.do.get(obj, frozenset()) if isinstance(self.do, dict) else self.do
        if role in allowed:
            return None if self.write else self.ok
        return (self.refused or {}).get(obj, 403)


def public(status: int, signed_in: int | None = None, anonymous: int | None = None):
    return lambda role, obj: (anonymous or status) if role == "anonymous" else (signed_in or status)


def everyone(status: int):
    return lambda role, obj: status


def only(roles: frozenset, status: int = 200):
    """A page for ``roles`` alone; to everyone else signed in it does not exist (404)."""
    return lambda role, obj: None if role == "anonymous" else (status if role in roles else 404)


PAGES: list[Row] = [
    # Sign-in, password, language: public pages and Django's auth views.
    Row("home", status=public(302)),
    Row("login", status=public(200, signed_in=302)),
    Row("logout", status=everyone(405)),
    Row("password_change"),
    Row("password_change_done"),
    Row("password_reset", status=everyone(200)),
    Row("password_reset_done", status=everyone(200)),
    Row("password_reset_confirm", objects=("reset_link",), status=everyone(200)),
    Row("password_reset_complete", status=everyone(200)),
    Row("set_language", status=everyone(302)),  # GET without "next": back to the start
    # Documents
    *[Row(f"directives:{name}") for name in ("desk", "outgoing", "incoming", "drafts", "waiting", "inbox", "search")],
    Row("directives:incoming_register", do=frozenset({"clerk"})),
    Row("directives:incoming_register", method="POST", do=frozenset({"clerk"}), write=True),
    Row("directives:registers", do=frozenset({"clerk", "director"})),
    # Reading a received document (intake): the clerk reads, checks the filled form, registers.
    Row("intake:read", do=frozenset({"clerk"})),
    Row("intake:read", method="POST", do=frozenset({"clerk"}), write=True, data={"text": "Công văn thử"}),
    Row("intake:register", objects=("reading", "reading_b")),
    Row("intake:register", method="POST", objects=("reading", "reading_b"), write=True),
    Row("intake:status", objects=("reading", "reading_b"), ok=204),
    # Routing with the proposed tasks: as directives:route.
    Row("intake:route", objects=DOCUMENTS, do={"incoming": frozenset({"director"})}),
    Row(
        "intake:route",
        method="POST",
        objects=DOCUMENTS,
        do={"incoming": frozenset({"director"})},
        write=True,
        data=lambda w, obj: {"note": "Chuyển trái phép", "lead_unit": w.objects["unit_u1"]},
    ),  # fmt: skip
    # The exchange (liên thông): arrivals for the clerk; the sender's actions from the document page.
    Row("exchange:arrivals", do=frozenset({"clerk"})),
    Row("exchange:waiting_badge"),
    Row("exchange:arrival", objects=("arrival", "arrival_b")),
    Row("exchange:arrival_file", objects=("arrival_file", "arrival_b_file")),
    Row("exchange:arrival_accept", method="POST", objects=("arrival", "arrival_b"), write=True),
    Row(
        "exchange:arrival_refuse",
        method="POST",
        objects=("arrival", "arrival_b"),
        write=True,
        data={"reason": "Từ chối trái phép"},
    ),  # fmt: skip
    # No recall is asked of the arrival: its clerk is told so (the page's message), nothing changes.
    *[
        Row(
            f"exchange:{name}",
            method="POST",
            objects=("arrival", "arrival_b"),
            do={},
            write=True,
            data={"reason": "Trả lời trái phép"},
            refused={"arrival": 302},
        )
        for name in ("recall_agree", "recall_refuse")
    ],  # fmt: skip
    # The issuing agency's clerk asks back; on an incoming document there is nobody to ask (a message).
    Row(
        "exchange:recall_request",
        method="POST",
        objects=DOCUMENTS,
        do={"issued": frozenset({"clerk"})},
        write=True,
        data={"reason": "Lấy lại trái phép"},
        status=lambda role, obj: 302 if role == "clerk" and obj in ("incoming", "secret") else None,
    ),  # fmt: skip
    Row(
        "exchange:outgoing_retry",
        method="POST",
        objects=("outgoing_failed",),
        do={"outgoing_failed": frozenset({"clerk"})},
        write=True,
    ),  # fmt: skip
    Row("directives:create"),
    Row("directives:delegations"),
    Row("directives:delegations", method="POST", write=True),
    Row("directives:create", method="POST", write=True),
    Row("directives:detail", objects=DOCUMENTS),
    Row("directives:edit", objects=DOCUMENTS, do={"draft": frozenset({"staff"})}),
    Row(
        "directives:edit",
        method="POST",
        objects=DOCUMENTS,
        do={"draft": frozenset({"staff"})},
        write=True,
        data={"subject": "Sửa trái phép"},
    ),  # fmt: skip
    Row("directives:revisions", objects=DOCUMENTS),
    Row("directives:route", objects=DOCUMENTS, do={"incoming": frozenset({"director"})}),
    Row(
        "directives:route",
        method="POST",
        objects=DOCUMENTS,
        do={"incoming": frozenset({"director"})},
        write=True,
        data=lambda w, obj: {"note": "Chuyển trái phép", "lead_unit": w.objects["unit_u1"]},
    ),  # fmt: skip
    Row("directives:attachment", objects=("issued_file", "incoming_file", "secret_file", "stray_file")),
    Row("directives:pdf", objects=DOCUMENTS),
    Row("directives:pdf_status", objects=DOCUMENTS),
    Row("directives:docx", objects=DOCUMENTS),
    Row("directives:personal_certificate"),
    Row("directives:personal_certificate_for", objects=("person_a", "person_b", "admin_self")),
    Row(
        "directives:personal_certificate_for",
        method="POST",
        objects=("person_a", "person_b", "admin_self"),
        write=True,
        data={"remove": "1"},
    ),  # fmt: skip
    # Copies: the clerk, of what is issued or registered and seen (the confidential one by grant).
    Row("directives:copy", objects=DOCUMENTS, do=COPYABLE),
    Row("directives:copy", method="POST", objects=DOCUMENTS, do=COPYABLE, write=True),
    # Only the clerk may ask; an issued document whose PDF did not fail is refused with a message.
    Row(
        "directives:pdf_retry",
        method="POST",
        objects=DOCUMENTS,
        do={},
        write=True,
        status=lambda role, obj: 302 if (role, obj) == ("clerk", "issued") else None,
    ),  # fmt: skip
    # Tasks
    *[Row(f"tasks:{name}") for name in ("mine", "unit", "browse")],
    Row("tasks:supervised", do=frozenset({"director"})),
    Row("tasks:dashboard", do=frozenset({"director", "admin", "other_admin"})),
    Row("tasks:unit_dashboard", objects=("unit_u1", "unit_u2", "unit_b")),  # status: see UNIT_DASHBOARD
    Row("tasks:document_progress", objects=DOCUMENTS),
    Row("tasks:create", do=frozenset({"director", "clerk", "head", "other_head"})),
    Row("tasks:create", method="POST", do=frozenset({"director", "clerk", "head", "other_head"}), write=True),
    Row(
        "tasks:create_from_document",
        objects=DOCUMENTS,
        do={d: frozenset({"director", "clerk", "head", "other_head"}) for d in ("issued", "incoming", "secret")},
    ),
    Row(
        "tasks:create_from_document",
        method="POST",
        objects=DOCUMENTS,
        write=True,
        do={d: frozenset({"director", "clerk", "head", "other_head"}) for d in ("issued", "incoming", "secret")},
    ),
    Row("tasks:detail", objects=TASKS),
    Row("tasks:file", objects=("task_u1_file", "task_u2_file", "stray_task_file")),
    Row("tasks:reports", do=frozenset({"director", "clerk", "admin", "other_admin"})),
    Row("tasks:report_xlsx", do=frozenset({"director", "clerk", "admin", "other_admin"})),
    Row("tasks:report_pdf", do=frozenset({"director", "clerk", "admin", "other_admin"})),
    Row("tasks:province", do=frozenset()),  # only an administrator of no agency (none here)
    # Notifications and the person's own settings
    Row("notifications:list"),
    Row("notifications:read_all", method="POST", write=True),
    Row("notifications:badge", anonymous=204),
    Row("notifications:open", objects=("notice",), ok=302),
    Row("notifications:settings"),
    Row("notifications:settings", method="POST", write=True),
    Row("notifications:calendar_issue", method="POST", write=True),
    Row("notifications:calendar_revoke", method="POST", write=True),
    Row("notifications:delivery_log", do=ADMINS),
    Row("notifications:api_tokens"),
    Row(
        "notifications:api_token_revoke",
        method="POST",
        objects=("token_a",),
        do={"token_a": frozenset({"staff"})},
        write=True,
    ),  # fmt: skip
    # The audit trail: directors and administrators, each of their own agency.
    Row("audit:trail", status=only(frozenset({"director", "admin", "other_admin"}))),
    Row("audit:export", status=only(frozenset({"director", "admin", "other_admin"}))),
    # The health check: public, no data, no sign-in.
    Row("healthz", status=everyone(200)),
    # The icon browsers ask for at a fixed path: public, no data.
    Row("favicon", status=everyone(200)),
    # The calendar feed: the token is the credential, whoever asks.
    Row(
        "calendar-feed",
        objects=("calendar", "calendar_unknown"),
        audience="staff",
        status=lambda role, obj: 200 if obj == "calendar" else 404,
    ),  # fmt: skip
    # The API's own pages
    Row("openapi", status=everyone(200)),  # the schema is public: it describes, it holds no data
    Row("api-docs", status=everyone(200)),
]


def _unit_dashboard(role, obj):
    if role == "anonymous":
        return None
    if obj == "unit_b":
        return 200 if role == "other_admin" else 404
    if role == "other_admin":
        return 404
    heads = {"unit_u1": "head", "unit_u2": "other_head"}
    return 200 if role in {"director", "admin", heads[obj]} else 403


PAGES = [replace(r, status=_unit_dashboard) if r.key == "tasks:unit_dashboard" else r for r in PAGES]

# The workflow's actions: refused ones only. ``do`` lists who would succeed (not exercised).
DOCUMENT_ACTIONS = {
    "submit": {"draft": frozenset({"staff"})},
    "forward": {},
    "return": {},
    "approve": {},
    "issue": {},
    "correct": {"issued": frozenset({"staff", "clerk", "director"})},
    "recall": {"issued": frozenset({"staff", "clerk", "director"})},
}
# An issued document cannot be issued again, by anyone: a domain error before any right is asked.
ISSUED_AGAIN = {"issued": 302}
for _action, _do in DOCUMENT_ACTIONS.items():
    PAGES.append(Row("directives:act", fixed=(("action", _action),), method="POST", objects=DOCUMENTS, do=_do,
                     write=True, data={"comment": "Không được phép"},
                     refused=ISSUED_AGAIN if _action == "issue" else None))  # fmt: skip
PAGES.append(Row("directives:act", fixed=(("action", "fly"),), method="POST", objects=("issued",), do={}, write=True,
                 status=lambda role, obj: None if role == "anonymous" else 404))  # fmt: skip

_HANDLERS = {"task_u1": "staff", "task_u2": "other_staff", "task_secret": "staff"}
_HEADS = {"task_u1": "head", "task_u2": "other_head", "task_secret": "head"}


def _task_do(action: str) -> dict:
    """Who would succeed with ``action`` on each task of the world."""
    do = {}
    for task in TASKS:
        handler, head = _HANDLERS[task], _HEADS[task]
        do[task] = {
            "report": {handler},
            "submit": {handler},
            "accept": set(),  # nothing is submitted
            "return": set(),
            # task_u1 has a pending request already: nobody may ask for another
            "extend": {handler, head} if task != "task_u1" else set(),
            "extension-grant": {"director"},
            "extension-refuse": {"director"},
            "assign": {head},
            "cancel": {"director"},
        }[action]
    return {task: frozenset(roles) for task, roles in do.items()}


def _task_form(action: str):
    def data(world, obj):
        person = world.people[_HANDLERS[obj]].pk
        later = (local_today() + datetime.timedelta(days=90)).isoformat()
        return {
            "report": {"text": "Báo cáo trái phép", "percent": 90},
            "submit": {"result": "Hoàn thành trái phép"},
            "accept": {"note": "Nghiệm thu trái phép"},
            "return": {"reason": "Trả lại trái phép"},
            "extend": {"new_deadline": later, "reason": "Gia hạn trái phép"},
            "extension-grant": {"extension": world.objects["extension"][1], "note": "x"},
            "extension-refuse": {"extension": world.objects["extension"][1], "note": "x"},
            "assign": {"handler": person},
            "cancel": {"reason": "Hủy trái phép"},
        }[action]

    return data


for _action in ("report", "submit", "accept", "return", "extend", "extension-grant", "extension-refuse", "assign",
                "cancel"):  # fmt: skip
    # The decision names unit 1's request: on another task it is a request that does not exist there.
    stray = {"task_u2": 404, "task_secret": 404} if _action.startswith("extension-") else None
    PAGES.append(Row("tasks:act", fixed=(("action", _action),), method="POST", objects=TASKS, do=_task_do(_action),
                     write=True, data=_task_form(_action), refused=stray))  # fmt: skip
PAGES.append(Row("tasks:act", fixed=(("action", "fly"),), method="POST", objects=("task_u1",), write=True,
                 status=lambda role, obj: None if role == "anonymous" else 404))  # fmt: skip


# --- The API: one row per operation of the OpenAPI schema ----------------------------------


def api(method, path, **kwargs) -> Row:
    return Row(f"{method} {path}", method=method, api=True, **kwargs)


D = "/api/v1/directives/{id}"
T = "/api/v1/tasks/{id}"
LEADERS_AND_HEADS = frozenset({"director", "clerk", "head", "other_head"})

API: list[Row] = [
    api("POST", "/api/v1/auth/token", status=everyone(400), data={}),  # no credentials: refused, no sign-in
    api("GET", "/api/v1/me"),
    api("GET", "/api/v1/auth/tokens"),
    api("DELETE", "/api/v1/auth/tokens/{id}", objects=("token_a",), do={"token_a": frozenset({"staff"})}, write=True),
    api("GET", "/api/v1/units"),
    api("GET", "/api/v1/directives"),
    api("POST", "/api/v1/directives", write=True),
    api("GET", D, objects=DOCUMENTS),
    api("GET", D + "/docx", objects=DOCUMENTS),
    api("POST", D + "/copies", objects=DOCUMENTS, do=COPYABLE, write=True),
    # Like PATCH: only the author's draft; frozen documents are a domain error for everyone.
    api(
        "POST",
        D + "/body-from-docx",
        objects=DOCUMENTS,
        do={"draft": frozenset({"staff"})},
        write=True,
        refused={"issued": 400, "secret": 400},
    ),  # fmt: skip
    # Issued, or incoming and routed: frozen for everyone, a domain error whatever the person's rights.
    api(
        "PATCH",
        D,
        objects=DOCUMENTS,
        do={"draft": frozenset({"staff"})},
        write=True,
        data={"subject": "Sửa trái phép"},
        refused={"issued": 400, "secret": 400},
    ),  # fmt: skip
    *[
        api(
            "POST",
            f"{D}/{action}",
            objects=DOCUMENTS,
            do=do,
            write=True,
            data={"comment": "Không được phép"},
            refused={"issued": 400} if action == "issue" else None,
        )
        for action, do in DOCUMENT_ACTIONS.items()
    ],
    api("POST", f"{D}/read", objects=DOCUMENTS, do={d: SEES[d] for d in DOCUMENTS}, write=True),
    api("GET", f"{D}/revisions", objects=DOCUMENTS),
    api("GET", f"{D}/pdf", objects=DOCUMENTS),
    api("GET", "/api/v1/incoming"),
    api("POST", "/api/v1/incoming", do=frozenset({"clerk"}), write=True),
    api("POST", "/api/v1/import/parse", do=frozenset({"clerk"}), data={"text": "Công văn thử"}),
    api(
        "POST",
        "/api/v1/incoming/{id}/route",
        objects=DOCUMENTS,
        do={"incoming": frozenset({"director"})},
        write=True,
        data=lambda w, obj: {"note": "Chuyển trái phép", "lead_unit": w.objects["unit_u1"]},
    ),
    *[
        api(
            "GET",
            f"/api/v1/registers/{kind}",
            do=frozenset({"clerk", "director"}),
            query="start=2026-01-01&end=2026-12-31",
        )
        for kind in ("outgoing", "incoming", "follow-up")
    ],
    api("GET", "/api/v1/reports/progress", do=frozenset({"director", "admin", "other_admin"})),
    api("GET", "/api/v1/reports/province", do=frozenset()),
    api("GET", "/api/v1/tasks"),
    api("POST", "/api/v1/tasks", do=LEADERS_AND_HEADS, write=True),
    api("POST", "/api/v1/tasks/bulk", do=LEADERS_AND_HEADS, write=True),
    api("GET", T, objects=TASKS),
    *[
        api("POST", f"{T}/{path}", objects=TASKS, do=_task_do(action), write=True, data=_task_form(action))
        for path, action in [
            ("assign", "assign"),
            ("report", "report"),
            ("submit", "submit"),
            ("accept", "accept"),
            ("return", "return"),
            ("extension", "extend"),
            ("cancel", "cancel"),
        ]
    ],  # fmt: skip
    api(
        "POST",
        T + "/extension/{extension_id}/decide",
        objects=("extension",),
        write=True,
        do={"extension": frozenset({"director"})},
        data={"grant": True, "note": "Quyết định trái phép"},
    ),
]


# --- The admin: every URL of every registered model, generated from one line per model -------


@dataclass(frozen=True)
class AdminModel:
    """What the administrator role may do with a model, and which administrator reaches each object."""

    perms: frozenset  # of "view", "change", "add", "delete"
    objects: dict  # object key → the administrators who reach it (same agency, or shared)


def _perms(words: str) -> frozenset:
    return frozenset(words.split())


BOTH, OWN_A, OWN_B = ADMINS, frozenset({"admin"}), frozenset({"other_admin"})
ADMIN_MODELS: dict[str, AdminModel] = {
    # An agency administrator edits their own agency; creating agencies is the installation's.
    "units.agency": AdminModel(_perms("view change"), {"agency_a": OWN_A, "agency_b": OWN_B}),
    "units.unit": AdminModel(_perms("view change add"), {"unit_u1": OWN_A, "unit_b": OWN_B}),
    "units.organisation": AdminModel(_perms("view change add"), {"organisation": BOTH}),
    "units.user": AdminModel(_perms("view change add"), {"person_a": OWN_A, "person_b": OWN_B, "admin_self": OWN_A}),
    "units.apitoken": AdminModel(_perms(""), {"token_a": OWN_A}),
    "units.delegation": AdminModel(_perms("view change add delete"), {"delegation_a": OWN_A}),
    "directives.signingauthorisation": AdminModel(_perms("view change add delete"), {"authorisation_a": OWN_A}),
    # What every agency shares is the installation's to change: an agency administrator looks.
    "directives.documenttype": AdminModel(_perms("view"), {"doc_type": BOTH}),
    "directives.document": AdminModel(_perms(""), {"issued": OWN_A, "secret": OWN_A}),
    "directives.signingcertificate": AdminModel(
        _perms("view change add"), {"certificate_a": OWN_A, "certificate_b": OWN_B}
    ),
    # The holiday calendar and the reminder rules have no agency: shared, kept by the installation.
    "tasks.holiday": AdminModel(_perms("view"), {"holiday": BOTH}),
    "tasks.reminderrule": AdminModel(_perms("view"), {"rule": BOTH}),
    "tasks.reminder": AdminModel(_perms("view"), {"reminder_a": OWN_A}),
    # The exchange's records (exchange/admin.py): no role is granted them; the installation's superusers read them.
    "exchange.received": AdminModel(_perms(""), {}),
    "exchange.outgoing": AdminModel(_perms(""), {}),
    "exchange.statuslog": AdminModel(_perms(""), {}),
    "exchange.mailbox": AdminModel(_perms(""), {}),
    "exchange.poll": AdminModel(_perms(""), {}),
    "auth.group": AdminModel(_perms(""), {"group": BOTH}),
    "axes.accessattempt": AdminModel(_perms(""), {"access_attempt": BOTH}),
    "axes.accesslog": AdminModel(_perms(""), {"access_log": BOTH}),
    "axes.accessfailurelog": AdminModel(_perms(""), {"access_failure": BOTH}),
}

# The admin's URLs of one model, by the end of their name (or route, for the unnamed redirect).
ADMIN_KINDS = {
    "changelist": None,
    "add": "add",
    "change": "view",
    "history": "view",
    "delete": "delete",
    "password_change": "change",
    "import": None,
    "redirect": None,
}


def _admin_status(model: AdminModel, kind: str):
    def status(role, obj):
        if role == "anonymous" or role in NON_STAFF:
            return 302  # to the admin's sign-in page
        if kind == "redirect":
            return 302  # "<id>/" → "<id>/change/"
        if kind == "import":
            return 200  # the administrator role imports into their own agency
        if kind == "changelist":
            return 200 if model.perms & {"view", "change"} else 403
        if kind == "add":
            return 200 if "add" in model.perms else 403
        if role not in model.objects[obj]:
            return 404  # another agency's row does not exist for this administrator
        if not model.perms & {"view", "change"}:
            return 403
        need = ADMIN_KINDS[kind]
        if need == "view" or need in model.perms:
            return 200
        return 403

    return status


def _admin_kind(label: str, name: str | None, route: str) -> str:
    if name is None:
        return "redirect"
    app, model = label.split(".")
    for prefix in (f"{app}_{model}_", "auth_user_", "units_user_"):
        if name.startswith(prefix) and name[len(prefix) :] in ADMIN_KINDS:
            return name[len(prefix) :]
    raise LookupError(f"admin URL {name!r} ({route}) of {label} has no kind in ADMIN_KINDS")


def _admin_rows() -> list[Row]:
    rows = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        spec = ADMIN_MODELS.get(label)
        if spec is None:
            continue  # reported by test_every_url_pattern_has_a_row
        for pattern in model_admin.get_urls():
            kind = _admin_kind(label, pattern.name, str(pattern.pattern))
            has_object = "<" in str(pattern.pattern)
            key = f"admin:{pattern.name}" if pattern.name else f"admin/{label.replace('.', '/')}/{pattern.pattern}"
            rows.append(Row(key, objects=tuple(spec.objects) if has_object else (None,),
                            status=_admin_status(spec, kind)))  # fmt: skip
    return rows


def _site_status(staff: int, non_staff: int = 302, anonymous: int = 302):
    def status(role, obj):
        if role == "anonymous":
            return anonymous
        return staff if role in ADMINS else non_staff

    return status


ADMIN: list[Row] = [
    Row("admin:index", status=_site_status(200)),
    Row("admin:login", status=_site_status(302, non_staff=200, anonymous=200)),
    Row("admin:logout", status=_site_status(405)),
    Row("admin:password_change", status=_site_status(200)),
    Row("admin:password_change_done", status=_site_status(200)),
    Row("admin:autocomplete", status=_site_status(200), query="app_label=units&model_name=unit&field_name=parent"),
    Row("admin:jsi18n", status=_site_status(200)),
    Row("admin:view_on_site", objects=("on_site",), status=_site_status(404)),  # no model has a public page
    Row("admin:app_list", objects=("app_units",), status=_site_status(200)),
    Row("admin/(?P<url>.*)$", objects=("nowhere",), status=_site_status(404)),
    *_admin_rows(),
]

ROWS: list[Row] = [*PAGES, *API, *ADMIN]


# --- The URL patterns and API operations the rows must cover --------------------------------


def url_patterns() -> dict[str, str]:
    """Every URL pattern of config.urls: key (namespaced name, or route when unnamed) → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                key = f"{namespace}{pattern.name}" if pattern.name else route
                if key.startswith("admin/") and not pattern.name:
                    key = _unnamed_admin_key(route)
                found.setdefault(key, route)

    walk(get_resolver().url_patterns, "", "")
    return found


def _unnamed_admin_key(route: str) -> str:
    """The admin's unnamed redirect "<app>/<model>/<path:object_id>/" is keyed like _admin_rows() keys it."""
    match = re.fullmatch(r"admin/(\w+)/(\w+)/(<path:object_id>/)", route)
    if match:
        return f"admin/{match[1]}/{match[2]}/{match[3]}"
    return route


def api_operations() -> set[str]:
    """Every operation of the OpenAPI schema, as "METHOD /path"."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "put", "patch", "delete"}
    return {
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item if method in methods
    }


def _api_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else "{" + m[1] + "}", route)


def rows_missing() -> list[str]:
    """The URL patterns (and registered admin models) the table has no row for."""
    keys = {row.key for row in ROWS}
    api_paths = {row.key.split(" ", 1)[1] for row in API}
    missing = [
        f"{key}  ({route})"
        for key, route in url_patterns().items()
        if key not in keys and not (route.startswith("api/v1/") and _api_path(route) in api_paths)
    ]
    registered = {model._meta.label_lower for model in admin.site._registry}
    missing += [f"admin model {label}: add it to ADMIN_MODELS" for label in sorted(registered - set(ADMIN_MODELS))]
    return missing


def test_every_url_pattern_has_a_row():
    """A new URL cannot escape the matrix: each pattern needs a row (an API pattern, an operation row)."""
    missing = rows_missing()
    assert not missing, "URL patterns without a row in tests/test_access_matrix.py:\n" + "\n".join(missing)


def test_a_url_pattern_without_a_row_is_named():
    with override_settings(ROOT_URLCONF="tests.access_matrix_urls"):
        assert rows_missing() == ["directives:secret-export  (directives/secret-export/)"]


def test_every_api_operation_has_a_row():
    operations = api_operations()
    missing = sorted(operations - {row.key for row in API})
    assert not missing, "API operations without a row in tests/test_access_matrix.py:\n" + "\n".join(missing)


def test_every_row_names_a_url_that_exists():
    """A row left behind by a removed URL would test nothing: it fails instead."""
    patterns, operations = url_patterns(), api_operations()
    stale = [row.key for row in PAGES + ADMIN if row.key not in patterns]
    stale += [row.key for row in API if row.key not in operations]
    assert not stale, "rows for URLs that no longer exist:\n" + "\n".join(stale)


# --- The world, signed in once per role ------------------------------------------------------


@dataclass
class Session:
    world: access_world.World
    cookies: dict  # role → session key


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the world once, sign each role in once, and roll everything back at the end."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = access_world.world_build()
            built.objects.update(
                reset_link={"uidb64": "MQ", "token": "set-password-0"},
                on_site={"content_type_id": built.objects["document_ct"], "object_id": built.objects["issued"]},
                app_units={"app_label": "units"},
                nowhere={"url": "khong-co/"},
            )
            cookies = {}
            for role, user in built.people.items():
                client = Client()
                client.force_login(user)
                cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield Session(built, cookies)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


@pytest.fixture(autouse=True)
def _media_in_tmp():
    """Overrides the suite's per-test media folder: the world's files were written once, for the module."""


# --- One case: role × URL × object ----------------------------------------------------------

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _value(world: access_world.World, obj, name: str):
    value = world.objects.get(obj)
    if isinstance(value, dict):
        return value[name]
    if name in ("user_id",):
        return world.objects["person_a"]
    if name in ("group_id",):
        return world.objects["group"]
    if isinstance(value, tuple):
        return value[1] if name in ("attachment_pk", "file_pk", "extension_id") else value[0]
    return value


def _url(row: Row, world: access_world.World, obj) -> str:
    fixed = dict(row.fixed)
    if row.api:
        path = row.key.split(" ", 1)[1]
        return re.sub(r"\{(\w+)\}", lambda m: str(_value(world, obj, "pk" if m[1] == "id" else m[1])), path)
    route = url_patterns()[row.key]

    def fill(match):
        name = match[1] or match[2]
        return str(fixed[name] if name in fixed else _value(world, obj, name))

    return "/" + _PARAM.sub(fill, route).replace("^", "").replace("$", "")


def _body(row: Row, world: access_world.World, obj) -> dict:
    data = row.data
    if callable(data):
        data = data(world, obj)
    return dict(data or {})


FOOTPRINT_MODELS = [
    ("directives.Document", "updated_at"), ("directives.Event", None), ("directives.Attachment", None),
    ("directives.Revision", None), ("directives.Delivery", None), ("directives.Routing", None),
    ("directives.ReadReceipt", None), ("directives.DocumentUserObjectPermission", None),
    ("tasks.Task", "updated_at"), ("tasks.TaskEvent", None), ("tasks.ProgressReport", None), ("tasks.TaskFile", None),
    ("tasks.Extension", None), ("notifications.Notification", None), ("units.User", None), ("units.Unit", None),
    ("units.Membership", None), ("units.ApiToken", None), ("units.Organisation", None), ("intake.Reading", None),
    ("exchange.Received", "decided_at"), ("exchange.Outgoing", "due_at"), ("exchange.StatusLog", None),
]  # fmt: skip


def footprint() -> list:
    """Row counts (and last change) of everything a write could touch."""
    from django.apps import apps

    marks = []
    for label, stamp in FOOTPRINT_MODELS:
        aggregates = {"n": Count("pk")} | ({"last": Max(stamp)} if stamp else {})
        marks.append((label, apps.get_model(label).objects.aggregate(**aggregates)))
    return marks


def _case_id(row: Row, role: str, obj) -> str:
    action = "".join(f"/{value}" for _name, value in row.fixed)
    target = f"{row.key}{action}" if not row.api else row.key.split(" ", 1)[1]
    return f"{role}-{row.method} {target}-{obj or 'none'}"


CASES = [
    pytest.param(row, role, obj, id=_case_id(row, role, obj))
    for row in ROWS
    for obj in row.objects
    for role in ROLES
    if row.expected(role, obj) is not None
]

RIGHT_GRANTING_FIELDS = ['name="is_superuser"', 'name="is_staff"', 'name="user_permissions"']


@pytest.mark.parametrize(("row", "role", "obj"), CASES)
def test_access(world, db, row, role, obj):
    expected = row.expected(role, obj)
    w = world.world
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.cookies[role]
    url = _url(row, w, obj) + (f"?{row.query}" if row.query else "")
    if row.key == "healthz":
        heartbeat_write()  # a worker is alive now, however long the matrix has run
    before = footprint() if row.method != "GET" else None
    body = _body(row, w, obj)
    if row.method == "GET":
        response = client.get(url)
    elif row.api:
        response = client.generic(row.method, url, json.dumps(body), content_type="application/json")
    else:
        response = client.generic(row.method, url, _form(body), content_type="application/x-www-form-urlencoded")
    text = _text(response)

    assert response.status_code == expected, f"{role} {row.method} {url}: {response.status_code}, not {expected}"
    if expected == 302 and _must_sign_in(row, role):
        sign_in = reverse("admin:login") if row.key.startswith("admin") else reverse("login")
        assert response["Location"].startswith(sign_in), f"{url} sends {role} to {response['Location']}"
    if before is not None and expected != 200:
        assert footprint() == before, f"{role} {row.method} {url} was refused ({expected}) but changed data"
    if row.api and response.status_code >= 400:
        shape = json.loads(text) if text.strip().startswith("{") else None
        assert shape is not None and set(shape) >= {"message", "extra"}, (
            f"{url}: not the API's error shape: {text[:200]}"
        )
    if response.status_code == 200 and text:
        reader = row.audience or role
        if reader not in w.grants:
            assert SECRET_SUBJECT not in text, f"{url} shows the confidential subject to {reader} (no grant)"
        if reader == "other_admin":
            leaked = [name for name in AGENCY_A_NAMES if name in text]
            assert not leaked, f"{url} shows agency A's {leaked} to agency B's administrator"
        elif reader in AGENCY_A:
            leaked = [name for name in AGENCY_B_NAMES if name in text]
            assert not leaked, f"{url} shows agency B's {leaked} to {reader} of agency A"
        if row.key == "admin:units_user_change":
            editable = [field for field in RIGHT_GRANTING_FIELDS if field in text]
            assert not editable, f"{url}: {role} may edit {editable} (only a superuser may)"


def _must_sign_in(row: Row, role: str) -> bool:
    """The redirect is to the sign-in page: a guarded page to the anonymous, the admin to non-staff."""
    if row.key.startswith("admin"):
        return (role == "anonymous" or role in NON_STAFF) and row.key not in ("admin:logout", "admin:login")
    return role == "anonymous" and row.status is None


def _form(body: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(body, doseq=True)


def _text(response) -> str:
    """The body as text when it is text (HTML, JSON, iCalendar); binary files and streams are skipped."""
    if getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if not kind.startswith(("text/", "application/json", "application/problem+json")):
        return ""
    text = response.content.decode("utf-8", "replace")
    if kind.startswith("text/calendar"):
        text = text.replace("\r\n ", "")  # iCalendar folds lines at 75 octets
    return text


def test_the_matrix_asks_about_every_role_and_object_kind():
    """The table is not trivially small: every role and every object of the world appears."""
    roles = {case.values[1] for case in CASES}
    objects = {case.values[2] for case in CASES}
    assert roles == set(ROLES)
    assert {"draft", "issued", "incoming", "secret", "foreign", "task_secret", "secret_file"} <= objects
