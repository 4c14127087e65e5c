"""Every read the exchange's pages need (docs/exchange.md, "The flow"): a clerk's arrivals, the
sender's view of each recipient, a document's exchange history."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from directives import permissions as document_rights
from directives.models import Document
from exchange import edxml, models
from exchange.edxml import STATUS_LABELS
from exchange.models import Outgoing, Received, StatusLog
from exchange.permissions import arrivals_visible_to
from units.models import Organisation, User


@dataclass
class StatusLine:
    """One status message sent or received, as a line of a history."""

    direction: str  # StatusLog.Direction
    party_id: str
    code: str
    label: str
    description: str
    staff: str
    at: datetime

    @classmethod
    def of(cls, log: StatusLog) -> "StatusLine":
        return cls(
            log.direction, log.party_id, log.code, STATUS_LABELS.get(log.code, log.code), log.description, log.staff,
            log.at,
        )  # fmt: skip


@dataclass
class RecipientState:
    """Where a sent document stands with one recipient organisation (the sender's panel)."""

    name: str
    to_id: str
    organisation_id: int | None = None
    # The package's send job: its state (Outgoing.State; "" when none was queued), last error, tries.
    package_id: int | None = None
    package_state: str = ""
    package_state_label: str = ""
    error: str = ""
    attempts: int = 0
    sent_at: datetime | None = None
    # The recipient's last word (01 … 06, 15, 16), or None before any.
    last: StatusLine | None = None
    lines: list[StatusLine] = field(default_factory=list)
    # Our recall request and its answer: "" (none), "asked", "agreed", "refused" (Received.Recall).
    recall: str = ""
    recall_label: str = ""


#: An arrival list shows waiting arrivals first (the clerk's work), then the decided ones.
_WAITING_FIRST = Case(When(state=Received.State.WAITING, then=Value(0)), default=Value(1), output_field=IntegerField())


def arrivals_for(user: User, state: str | None = None) -> QuerySet[Received]:
    """The arrivals of ``user``'s agency (none unless they keep its register): those waiting,
    oldest first, then the decided ones, newest first; only those in ``state`` when given."""
    arrivals = arrivals_visible_to(user).select_related("document", "decided_by")
    if state:
        arrivals = arrivals.filter(state=state)
    # exchange_received_list (agency, state, received_at) serves the waiting list.
    if state == Received.State.WAITING:
        return arrivals.order_by("received_at", "pk")
    if state:
        return arrivals.order_by("-received_at", "-pk")
    return arrivals.annotate(waiting_first=_WAITING_FIRST).order_by(
        "waiting_first", Case(When(state=Received.State.WAITING, then="received_at")), "-received_at", "-pk"
    )


_RECALL_OF_CODE = {
    models.RECALL_ASKED: Received.Recall.ASKED,
    models.RECALL_AGREED: Received.Recall.AGREED,
    models.RECALL_REFUSED: Received.Recall.REFUSED,
}


def packages_of(document: Document) -> list[Outgoing]:
    """The send jobs of ``document``'s package, one per recipient it went to (none: never sent)."""
    return list(Outgoing.objects.filter(document=document, kind=Outgoing.Kind.PACKAGE).order_by("pk"))


def recipients_of(document: Document, *, packages: list[Outgoing] | None = None) -> list[RecipientState]:
    """Each recipient organisation with an identity of a sent ``document``, by name: its package's
    send job, its last status and every status line with it, and our recall request's state.
    Three queries, however many recipients and lines; two when the caller has read ``packages``."""
    organisations = Organisation.objects.filter(
        pk__in=document.recipients.values("organisation"), exchange_id__gt=""
    ).order_by("name")
    states = {o.exchange_id: RecipientState(o.name, o.exchange_id, o.pk) for o in organisations}
    if packages is None:
        packages = packages_of(document)
    for row in packages:
        state = states.setdefault(row.to_id, RecipientState(row.to_id, row.to_id))
        state.package_id, state.package_state, state.package_state_label = row.pk, row.state, row.get_state_display()
        state.error, state.attempts, state.sent_at = row.error, row.attempts, row.sent_at
    logs = StatusLog.objects.filter(document=document, party_id__in=list(states)).order_by("at", "pk")
    for log in logs:
        state, line = states[log.party_id], StatusLine.of(log)
        state.lines.append(line)
        if log.direction == StatusLog.Direction.IN:
            state.last = line
        if log.code in _RECALL_OF_CODE:
            state.recall = _RECALL_OF_CODE[log.code]
            state.recall_label = Received.Recall(state.recall).label
    return list(states.values())


def exchange_history(document: Document) -> list[StatusLine]:
    """Every status sent or received about ``document`` on this side, in time order: a sent
    document's recipients' statuses and our requests, or a received one's statuses to its sender."""
    logs = StatusLog.objects.filter(Q(document=document) | Q(received__document=document)).order_by("at", "pk")
    return [StatusLine.of(log) for log in logs]


# --- The screens' own reads (docs/exchange.md, "Screens") ----------------------------------------

#: The arrivals list's tabs, as the address names them.
TABS = ("waiting", "accepted", "refused", "recall")


def arrivals_tab(*, user: User, tab: str) -> QuerySet[Received]:
    """The rows of one tab of «Văn bản liên thông»: a state's arrivals as ``arrivals_for`` orders
    them (the waiting ones oldest first), or for «Lấy lại» every arrival a recall touched, newest first."""
    if tab == "recall":
        touched = ~Q(recall="") | Q(state=Received.State.RECALLED)
        return arrivals_for(user).filter(touched).order_by("-received_at", "-pk")
    return arrivals_for(user, tab)


def arrivals_waiting_count(user: User) -> int:
    """How many arrivals wait for ``user``'s decision (0 for anyone who decides none)."""
    return arrivals_visible_to(user).filter(state=Received.State.WAITING).count()


def arrival_of_document(document: Document) -> Received | None:
    """The arrival an incoming document was registered from, or None (typed in, read from a file)."""
    if document.direction != Document.Direction.INCOMING:
        return None
    return Received.objects.filter(document=document).first()


@dataclass
class ArrivalFile:
    index: int
    name: str
    size: int
    content_type: str
    signatures: list | None  # received_pdf_check's list for a PDF, None for any other file


def safe_filename(name: str, *, index: int) -> str:
    """The last part of the name the sender gave, without control characters; never empty."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return base or f"tep-{index + 1}"


def arrival_package(arrival: Received) -> edxml.Package | None:
    """The package as stored, read again; None when it cannot be read (it was refused for that)."""
    try:
        with arrival.package.open("rb") as stored:
            return edxml.package_read(stored.read())
    except (edxml.PackageInvalid, OSError, ValueError):
        return None


def arrival_files(arrival: Received, package: edxml.Package | None) -> list[ArrivalFile]:
    """The package's files, in order, each with the signatures found in it on arrival."""
    if package is None:
        return []
    checked = {entry.get("name"): entry.get("signatures") for entry in arrival.signatures or () if entry}
    return [
        ArrivalFile(
            index=index,
            name=safe_filename(attachment.name, index=index),
            size=len(attachment.data),
            content_type=attachment.content_type,
            signatures=checked.get(attachment.name),
        )
        for index, attachment in enumerate(package.attachments)
    ]


def package_sent_get_for(user: User, pk: int) -> tuple[Outgoing, Document]:
    """A document's package row and the document, if ``user`` may see the document; 404 otherwise."""
    row = Outgoing.objects.select_related("organisation").filter(pk=pk, kind=Outgoing.Kind.PACKAGE).first()
    if row is None or row.document_id is None:
        raise Http404
    return row, document_rights.document_get_for(user, row.document_id)


def recipient_recallable(recipient: RecipientState) -> bool:
    """The package reached this recipient and no recall is pending or agreed: it may be asked back."""
    return recipient.package_state == Outgoing.State.SENT and recipient.recall not in (
        Received.Recall.ASKED,
        Received.Recall.AGREED,
    )
