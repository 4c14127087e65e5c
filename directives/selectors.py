"""Reads about documents, each scoped to what the person may see."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404

from directives.models import Delivery, Document, Event, ReadReceipt, Recipient, Reference
from directives.permissions import document_hidden_annotation, documents_visible_to
from lib.text import fold
from lib.workdays import VIETNAM_TZ
from units.models import Membership, User
from units.selectors import principals_of

S = Document.State


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM_TZ)


def _listed(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("doc_type", "drafting_unit", "sender", "author", "pending_with")


@dataclass(frozen=True)
class DocumentFilters:
    """What a list or search can be narrowed by; empty values mean 'any'."""

    q: str = ""
    direction: str = ""
    doc_type: int | None = None
    year: int | None = None
    unit: int | None = None
    state: str = ""
    urgency: str = ""
    date_from: date | None = None
    date_to: date | None = None


def document_dated_within(start: date | None, end: date | None) -> Q:
    """Documents whose date is within [start, end] (either end open): the day of arrival of an
    incoming document, the day of issue of an outgoing one, the day a draft was created."""
    received, issued, created = Q(), Q(), Q()
    if start:
        received &= Q(received_on__gte=start)
        issued &= Q(issued_on__gte=start)
        created &= Q(created_at__gte=day_start(start))
    if end:
        received &= Q(received_on__lte=end)
        issued &= Q(issued_on__lte=end)
        created &= Q(created_at__lt=day_start(end + timedelta(days=1)))
    return (
        (Q(direction=Document.Direction.INCOMING) & received)
        | (Q(direction=Document.Direction.OUTGOING, issued_on__isnull=False) & issued)
        | (Q(direction=Document.Direction.OUTGOING, issued_on__isnull=True) & created)
    )


def document_search(*, user: User, filters: DocumentFilters) -> QuerySet[Document]:
    """Documents the person may see, narrowed by the filters. The text query ignores
    diacritics and case: every word must appear in the symbol, subject, body, type, sender
    organisation or signer (``search_text``, see ``directives.services._search_text``)."""
    documents = documents_visible_to(user)
    # Within one agency the words are matched through directives_doc_search_agency_trgm, whose
    # agency key the agency filter of documents_visible_to reaches (see there).
    for word in fold(filters.q).split():
        documents = documents.filter(search_text__contains=word)
    if filters.date_from or filters.date_to:
        documents = documents.filter(document_dated_within(filters.date_from, filters.date_to))
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    if filters.doc_type:
        documents = documents.filter(doc_type_id=filters.doc_type)
    if filters.year:
        documents = documents.filter(Q(year=filters.year) | Q(year__isnull=True, created_at__year=filters.year))
    if filters.unit:
        documents = documents.filter(
            Q(drafting_unit_id=filters.unit)
            | Exists(Delivery.objects.filter(document=OuterRef("pk"), unit_id=filters.unit))
        )
    if filters.state:
        documents = documents.filter(state=filters.state)
    if filters.urgency:
        documents = documents.filter(urgency=filters.urgency)
    return _listed(documents).order_by("-created_at", "-id")


def documents_outgoing(*, user: User) -> QuerySet[Document]:
    return _listed(documents_visible_to(user).filter(direction=Document.Direction.OUTGOING, state=S.ISSUED)).order_by(
        "-issued_at", "-id"
    )


def documents_incoming(*, user: User) -> QuerySet[Document]:
    return _listed(documents_visible_to(user).filter(direction=Document.Direction.INCOMING)).order_by(
        "-received_on", "-number"
    )


def documents_my_drafts(*, user: User) -> QuerySet[Document]:
    return _listed(
        Document.objects.filter(author=user, direction=Document.Direction.OUTGOING).exclude(state=S.ISSUED)
    ).order_by("-updated_at")


def documents_waiting_for(*, user: User) -> QuerySet[Document]:
    """Drafts waiting for this person's review or signature, and those waiting for someone they
    stand in for today (units.Delegation): ``acting_for_name`` names that person, "" otherwise.
    Oldest wait first."""
    # The person and his principals as one list of ids, read by the database itself: an OR of
    # the two kept PostgreSQL from the (pending_with, state) index, and it read every document in
    # review or signing of the installation; an IN over these few ids reads each one's own.
    people = User.objects.filter(pk=user.pk).order_by().values("pk").union(principals_of(user).order_by().values("pk"))
    return (
        _listed(Document.objects.filter(pending_with__in=people, state__in=[S.REVIEW, S.SIGNING]))
        .annotate(
            acting_for_name=Case(
                When(pending_with=user, then=Value("")), default=F("pending_with__full_name"),
                output_field=CharField(),
            )
        )
        .order_by("pending_since", "id")
    )  # fmt: skip


def documents_to_issue(*, user: User) -> QuerySet[Document]:
    """Signed documents of the clerk's agency waiting for a number."""
    return _listed(documents_visible_to(user).filter(state=S.APPROVED)).order_by("updated_at")


def documents_to_route(*, user: User) -> QuerySet[Document]:
    return _listed(documents_visible_to(user).filter(state=S.REGISTERED)).order_by("received_on", "number")


def unit_inbox(*, user: User) -> QuerySet[Document]:
    """Documents delivered to the person's units, newest first, each marked read or unread for them."""
    my_units = Membership.objects.filter(user=user).values("unit_id")
    return (
        _listed(documents_visible_to(user).filter(deliveries__unit_id__in=my_units))
        .annotate(is_read=Exists(ReadReceipt.objects.filter(document=OuterRef("pk"), user=user)))
        .distinct()
        .order_by("-issued_at", "-created_at", "-id")
    )


def document_detail(*, document: Document, user: User) -> Document:
    """Everything the document page shows to ``user``, in a fixed number of queries.

    ``related_hidden`` on the document and ``target_hidden`` on each reference say that the
    document named there is confidential and hidden from ``user``: show the placeholder.
    """
    return (
        Document.objects.annotate(related_hidden=document_hidden_annotation(user, "related_to"))
        .select_related(
            "doc_type", "agency", "drafting_unit", "author", "signer", "pending_with", "issued_by", "sender",
            "related_to", "routing__lead_unit", "routing__director", "copy_of",
        )
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("actor", "acting_for", "sent_to")),
            Prefetch(
                "references",
                queryset=Reference.objects.select_related("target").annotate(
                    target_hidden=document_hidden_annotation(user, "target")
                ),
            ),
            Prefetch("cited_by", queryset=Reference.objects.select_related("document")),
            "recipients__unit",
            "recipients__organisation",
            "attachments",
            "related_acts",
            "routing__cooperating_units",
        )
        .get(pk=document.pk)
    )  # fmt: skip


@dataclass
class DocumentPage:
    """What the document page shows besides the document: its citations, the documents around it
    and which of those ``user`` may open (``visible``)."""

    document: Document
    references: list[Reference]
    cited_by: list[Reference]
    related_acts: list[Document]
    copies: list[Document]
    visible: set[int]


def document_page(*, user: User, pk: int) -> DocumentPage:
    """The document page of ``pk`` for ``user`` in a fixed number of queries, whatever the number of
    events, citations, recipients, files or related documents; 404 when ``user`` may not see it.

    One query reads the document with what it points to and, for ``user``, whether it was
    delivered to one of their units (``reader_delivered``) and whether they opened it
    (``reader_has_read``). The documents around it (the one it corrects or copies, the ones that
    correct, copy, cite or are cited by it) come in one more query, each marked ``is_visible`` and
    ``is_hidden`` for ``user``, instead of one query per relation: the planner spends more time on
    one wide join than on two narrow ones (docs/decisions.md, "Document pages at province size").
    """
    found = list(
        documents_visible_to(user)
        .filter(pk=pk)
        .annotate(
            # a join, not ``unit_id__in=<subquery>``: the planner took 4 ms more over that form
            reader_delivered=Exists(Delivery.objects.filter(document=OuterRef("pk"), unit__memberships__user=user)),
            reader_has_read=Exists(ReadReceipt.objects.filter(document=OuterRef("pk"), user=user)),
        )
        .select_related(
            "doc_type", "agency", "drafting_unit", "author", "signer", "pending_with", "issued_by", "sender",
            "routing__lead_unit", "routing__director", "issued_pdf",
        )
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("actor", "acting_for", "sent_to")),
            "attachments",
        )
    )  # fmt: skip
    if not found:
        raise Http404("No document matches the given query.")
    (document,) = found  # read as a list, not .get(): its LIMIT 21 tripled the planning of this wide join
    if document.direction == Document.Direction.OUTGOING:
        recipients = Recipient.objects.select_related("unit", "organisation").order_by("pk")
        prefetch_related_objects([document], Prefetch("recipients", queryset=recipients))
    elif getattr(document, "routing", None) is not None:
        prefetch_related_objects([document], "routing__cooperating_units")
    citations = list(Reference.objects.filter(Q(document=document) | Q(target=document)).order_by("pk"))
    references = [r for r in citations if r.document_id == document.pk]
    citing = [r for r in citations if r.target_id == document.pk]
    around = {document.related_to_id, document.copy_of_id} | {r.target_id for r in references}
    around |= {r.document_id for r in citing}
    around.discard(None)
    visible_ids = documents_visible_to(user).filter(pk=OuterRef("pk"))
    neighbours = {
        d.pk: d
        for d in Document.objects.filter(Q(pk__in=around) | Q(related_to=document) | Q(copy_of=document)).annotate(
            is_visible=Exists(visible_ids), is_hidden=document_hidden_annotation(user, "")
        )
    }
    visible = {pk for pk, d in neighbours.items() if d.is_visible}
    if document.related_to_id:
        document.related_to = neighbours[document.related_to_id]
    document.related_hidden = bool(document.related_to_id and document.related_to.is_hidden)
    if document.copy_of_id:
        document.copy_of = neighbours[document.copy_of_id]
    for ref in references:
        ref.target_hidden = bool(ref.target_id and neighbours[ref.target_id].is_hidden)
    for ref in citing:
        ref.document = neighbours[ref.document_id]
    return DocumentPage(
        document=document,
        references=references,
        cited_by=[r for r in citing if r.document_id in visible],
        related_acts=sorted(
            (d for d in neighbours.values() if d.related_to_id == document.pk and d.is_visible),
            key=lambda d: (d.created_at, d.pk),
            reverse=True,
        ),
        copies=sorted(
            (d for d in neighbours.values() if d.copy_of_id == document.pk and d.is_visible),
            key=lambda d: (d.number is None, d.number or 0, d.pk),
        ),
        visible=visible,
    )


@dataclass
class ReadStatus:
    unit_name: str
    user_name: str
    read_at: object


def read_receipts(*, document: Document) -> list[ReadStatus]:
    """Who, in the units the document reached, has and has not opened it (unread first)."""
    read_at = ReadReceipt.objects.filter(document=document, user=OuterRef("user_id")).values("read_at")[:1]
    members = (
        Membership.objects.filter(unit__deliveries__document=document, user__is_active=True)
        .select_related("user", "unit")
        .annotate(read_at=Subquery(read_at))
        .order_by("unit__name", "user__full_name")
    )  # one query: each member's receipt is a subquery, not a second read matched in Python
    rows = [ReadStatus(m.unit.name, m.user.get_full_name(), m.read_at) for m in members]
    return sorted(rows, key=lambda r: r.read_at is not None)


def arrivals_in(*, agency_id: int, start: date, end: date) -> QuerySet[Document]:
    return Document.objects.filter(
        agency_id=agency_id, direction=Document.Direction.INCOMING, received_on__range=(start, end)
    ).order_by("number")


def duplicates_named_for(*, user: User, duplicates: QuerySet[Document]) -> list[Document | None]:
    """The possible duplicates of an incoming document, each one ``user`` may not see (a
    confidential one without a grant) as None: the warning still stands, with no link,
    arrival number or subject. Two queries."""
    visible = documents_visible_to(user).filter(pk__in=duplicates.values("pk"))
    named = {d.pk: d for d in visible}
    return [named.get(pk) for pk in duplicates.order_by("number").values_list("pk", flat=True)]
