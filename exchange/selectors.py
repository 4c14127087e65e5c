"""What the exchange's pages read, scoped to the person (docs/exchange.md, "Screens")."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from django.db.models import Q, QuerySet
from django.http import Http404

from directives import permissions as document_rights
from directives.models import Document
from exchange import edxml
from exchange import permissions as rights
from exchange.models import RECALL_AGREED, RECALL_ASKED, RECALL_REFUSED, Outgoing, Received, StatusLog
from units.models import User

# --- Arrivals (the receiving agency's clerks) ---------------------------------------------------


def arrivals_for(user: User, state: str | None = None) -> QuerySet[Received]:
    """The arrivals of ``user``'s agency when ``user`` is one of its clerks (none for anyone else),
    in one ``state`` when given; the list's columns need nothing more than the row."""
    if not rights.can_receive(user, user.agency if user.is_authenticated else None):
        return Received.objects.none()
    arrivals = Received.objects.filter(agency_id=user.agency_id)
    return arrivals if state is None else arrivals.filter(state=state)


#: The list's tabs: the key in the address, its label, and the rows it shows (docs/exchange.md).
TABS = ("waiting", "accepted", "refused", "recall")


def arrivals_tab(*, user: User, tab: str) -> QuerySet[Received]:
    """The rows of one tab of «Văn bản liên thông»: the waiting ones oldest first (the next to
    decide on top), the others newest first; «Lấy lại» holds every arrival a recall touched.
    Served by the index exchange_received_list (agency, state, received_at)."""
    if tab == "recall":
        touched = ~Q(recall="") | Q(state=Received.State.RECALLED)
        return arrivals_for(user).filter(touched).order_by("-received_at", "-pk")
    if tab == "waiting":
        return arrivals_for(user, Received.State.WAITING).order_by("received_at", "pk")
    return arrivals_for(user, tab).order_by("-received_at", "-pk")


def arrivals_waiting_count(user: User) -> int:
    """How many arrivals wait for ``user``'s decision (0 for anyone who decides none)."""
    return arrivals_for(user, Received.State.WAITING).count()


def arrival_get_for(user: User, pk: int) -> Received:
    """The arrival with this pk if ``user`` may see it (its agency's clerks); 404 otherwise."""
    arrival = Received.objects.select_related("agency", "document", "decided_by").filter(pk=pk).first()
    if arrival is None or not rights.can_see_arrival(user, arrival):
        raise Http404
    return arrival


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


# --- The sender's side: each recipient's progress -----------------------------------------------


@dataclass
class Recipient:
    """One recipient of a sent document, as the sender's panel shows it."""

    to_id: str
    name: str
    outgoing: Outgoing  # the package's row (the last one when sent more than once)
    history: list = field(default_factory=list)  # StatusLog lines received from this recipient, oldest first
    recall_asked: bool = False

    @property
    def last(self) -> StatusLog | None:
        return self.history[-1] if self.history else None

    @property
    def recall(self) -> str:
        """ "" (none asked), "asked", "agreed" or "refused": the recall's state at this recipient."""
        answers = [line.code for line in self.history if line.code in (RECALL_AGREED, RECALL_REFUSED)]
        if answers:
            return "agreed" if answers[-1] == RECALL_AGREED else "refused"
        return "asked" if self.recall_asked else ""

    @property
    def recallable(self) -> bool:
        """The package arrived there and no recall is pending or done: it may be asked back."""
        return self.outgoing.state == Outgoing.State.SENT and self.recall not in ("asked", "agreed")

    @property
    def sent_at(self) -> datetime | None:
        return self.outgoing.sent_at


def package_sent_get_for(user: User, pk: int) -> tuple[Outgoing, Document]:
    """A document's package row and the document, if ``user`` may see the document; 404 otherwise."""
    row = Outgoing.objects.select_related("organisation").filter(pk=pk, kind=Outgoing.Kind.PACKAGE).first()
    if row is None or row.document_id is None:
        raise Http404
    return row, document_rights.document_get_for(user, row.document_id)


def recipients_of(document: Document) -> list[Recipient]:
    """The recipients ``document`` was sent to over the exchange, in the order it was sent to them,
    with the state of the package, every status each sent back, and the recall (three queries)."""
    packages = Outgoing.objects.filter(document=document, kind=Outgoing.Kind.PACKAGE).select_related("organisation")
    found: dict[str, Recipient] = {}
    for row in packages.order_by("pk"):
        name = row.organisation.name if row.organisation_id else row.to_id
        if row.to_id in found:
            found[row.to_id].outgoing = row
        else:
            found[row.to_id] = Recipient(to_id=row.to_id, name=name, outgoing=row)
    if not found:
        return []
    lines = StatusLog.objects.filter(document=document, direction=StatusLog.Direction.IN).order_by("at", "pk")
    for line in lines:
        if line.party_id in found:
            found[line.party_id].history.append(line)
    asked = Outgoing.objects.filter(document=document, kind=Outgoing.Kind.STATUS, code=RECALL_ASKED)
    for to_id in asked.values_list("to_id", flat=True):
        if to_id in found:
            found[to_id].recall_asked = True
    return list(found.values())
