"""Registering a read document and routing it with its proposed tasks (issue #17, items 3–5).

A Reading's ``fields`` (intake.parser's answer) fill the clerk's register form; what the clerk
confirms is registered through ``directives.services.incoming_register`` together with the
sender (matched or created), the body, the references (linked both ways to documents already in
the register) and the original bytes, in one transaction with linking the reading. The
director's routing then turns the reading's points into tasks in the same transaction as the
routing (``route_with_tasks``).

Reading itself (keeping the file, OCR in the background) is ``intake.services``; who may see a
reading is ``intake.permissions``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from directives import permissions as document_rights
from directives import services as documents
from directives.models import Confidentiality, Document, DocumentType, Reference, Routing, Urgency
from intake import extract, permissions
from intake.models import Reading
from intake.services import READING_KINDS
from lib.errors import DomainError, NotAllowed
from lib.text import fold
from lib.uploads import upload_check
from tasks import services as tasks
from tasks.models import Task
from tasks.points import TITLE_MAX, first_sentence
from units.models import Organisation, Unit, User

# The register form's fields and the parser's keys they come from (the screen marks them).
FIELD_SOURCES = {
    "sender": ("issuer",),
    "doc_type": ("doc_type",),
    "symbol": ("symbol",),
    "issued_on": ("issued_on",),
    "subject": ("subject",),
    "urgency": ("urgency",),
    "confidentiality": ("confidentiality",),
}
REQUIRED = ("sender", "doc_type", "symbol", "subject")


# --- Reading a file within a request (the API's parse, the command) ----------------------


def text_read(*, checked) -> extract.Extracted:
    """The text of a checked upload (intake.extract); an unreadable file is a DomainError on ``file``."""
    checked.file.seek(0)
    data = checked.file.read()
    try:
        return extract.text_of(data, name=checked.original_name)
    except extract.Unreadable as error:
        raise DomainError(error.message, {"field": "file"}) from error
    except UnicodeDecodeError as error:
        raise DomainError(_("Không đọc được nội dung tệp này."), {"field": "file"}) from error


def file_checked(file):
    """An upload checked as a received document (any attachable kind, or plain text)."""
    return upload_check(file, allowed=READING_KINDS)


def _reading_kept(*, by: User, checked, extracted: extract.Extracted, fields: dict) -> Reading:
    """Store a reading already read in the request (the API, the command): the checked upload's
    bytes unchanged, the text and the parsed fields."""
    reading = Reading(
        agency_id=by.agency_id, created_by=by, state=Reading.State.DONE, file=checked.as_file(),
        name=checked.original_name, size=checked.size, sha256=checked.sha256, method=extracted.method,
        confidence=extracted.confidence, text=extracted.text, fields=fields,
    )  # fmt: skip
    reading.save()
    return reading


# --- What the form starts from -----------------------------------------------------------


def sender_match(fields: dict) -> Organisation | None:
    """The known outside body the document's issuer names: by name or abbreviation, blind to
    case and diacritics; with the parent body first («UBND TỈNH QUẢNG TRỊ» + «SỞ Y TẾ»), then
    the issuer alone. None when nothing matches exactly (never a guess)."""
    issuer, parent = (fields.get("issuer") or "").strip(), (fields.get("parent_body") or "").strip()
    if not issuer:
        return None
    wanted = [fold(f"{issuer} {parent}"), fold(f"{parent} {issuer}"), fold(issuer)] if parent else [fold(issuer)]
    known = {}
    for organisation in Organisation.objects.filter(is_active=True):
        for key in (organisation.name, organisation.abbreviation):
            if key:
                known.setdefault(fold(key), organisation)
    return next((known[key] for key in wanted if key in known), None)


def sender_name_proposed(fields: dict) -> str:
    """The name a new outside body would get: the issuer as the document writes it, its parent
    body after it when the issuer alone is a bare department («Sở Y tế tỉnh …» is left to the clerk)."""
    issuer = _as_name(fields.get("issuer") or "")
    parent = _as_name(fields.get("parent_body") or "")
    if not issuer:
        return ""
    if parent and fold(parent) not in fold(issuer):
        return f"{issuer} – {parent}"[:255]
    return issuer[:255]


# Kept in capitals when a heading in capitals becomes a name; the words after a place word are the place.
_ACRONYMS = {"UBND", "HĐND", "MTTQ", "BCĐ", "BCH", "TW", "TP", "TP."}
_PLACE_WORDS = {"tỉnh", "phố", "huyện", "quận", "xã", "phường", "thị"}


def _as_name(heading: str) -> str:
    """«UBND TỈNH QUẢNG TRỊ» → «UBND tỉnh Quảng Trị»: a heading in capitals as a name is written."""
    words = " ".join(heading.split()).split(" ")
    if not heading.strip() or not heading.isupper():
        return " ".join(words)
    out, place = [], False
    for index, word in enumerate(words):
        if word in _ACRONYMS:
            out.append(word)
        elif index == 0 or place:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(word.lower())
        place = place or word.lower() in _PLACE_WORDS and index + 1 < len(words)
    return " ".join(out)


def doc_type_match(fields: dict) -> DocumentType | None:
    name = fold(fields.get("doc_type") or "")
    if not name:
        return None
    return next((t for t in DocumentType.objects.filter(is_active=True) if fold(t.name) == name), None)


def date_of(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def form_initial(reading: Reading) -> dict:
    """The register form's starting values from the reading's fields; unknown stays empty."""
    fields = reading.fields or {}
    sender = sender_match(fields)
    doc_type = doc_type_match(fields)
    return {
        "sender": sender.pk if sender else None,
        "new_sender": sender is None and bool(fields.get("issuer")),
        "new_sender_name": "" if sender else sender_name_proposed(fields),
        "doc_type": doc_type.pk if doc_type else None,
        "symbol": fields.get("symbol") or "",
        "issued_on": date_of(fields.get("issued_on")),
        "subject": fields.get("subject") or "",
        "urgency": choice_of(Urgency, fields.get("urgency")),
        "confidentiality": choice_of(Confidentiality, fields.get("confidentiality")),
    }


def choice_of(choices, label) -> str:
    """The stored value of a choice the text names by its label («Thượng khẩn» → "thuong_khan"); "" when none."""
    wanted = fold(label or "")
    return next((value for value, name in choices.choices if value and fold(str(name)) == wanted), "")


def fields_to_check(reading: Reading, initial: dict) -> dict[str, str]:
    """Form field → why the clerk must look at it: «unknown» (nothing read) or «uncertain»."""
    uncertain = set((reading.fields or {}).get("uncertain") or ())
    marks = {}
    for name, sources in FIELD_SOURCES.items():
        if name in ("urgency", "confidentiality"):  # absent is the normal case, not an unknown
            if uncertain & set(sources):
                marks[name] = "uncertain"
            continue
        if not initial.get(name) and not (name == "sender" and initial.get("new_sender_name")):
            marks[name] = "unknown"
        elif uncertain & set(sources) or name == "sender" and initial.get("sender") is None:
            marks[name] = "uncertain"
    return marks


def body_html(paragraphs: Iterable[str]) -> str:
    """The parsed paragraphs as escaped <p> elements: what search and «tasks from points» read."""
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p and p.strip())


# --- Registering --------------------------------------------------------------------------


def _in_register(agency_id: int):
    """Documents of the agency's registers: received ones, and issued ones of its own."""
    return Document.objects.filter(agency_id=agency_id).filter(
        Q(direction=Document.Direction.INCOMING) | Q(state=Document.State.ISSUED)
    )


def _references(fields: dict, *, by: User) -> list[dict]:
    """The cited documents as ``document_create`` takes them; one already in the register (same
    symbol, issued the same year, any direction) and visible to ``by`` becomes the target."""
    rows, seen = [], set()
    visible = document_rights.documents_visible_to(by)
    for ref in fields.get("references") or ():
        symbol = " ".join((ref.get("symbol") or "").split())[:60]
        if not symbol or symbol in seen:
            continue
        seen.add(symbol)
        issued_on = date_of(ref.get("issued_on"))
        target = None
        if issued_on is not None:
            target = (
                _in_register(by.agency_id)
                .filter(symbol=symbol, issued_on__year=issued_on.year, pk__in=visible.values("pk"))
                .order_by("pk")
                .first()
            )
        rows.append(
            {
                "target": target,
                "symbol": symbol,
                "doc_type": (ref.get("doc_type") or "")[:100],
                "issued_on": issued_on,
                "issuer": (ref.get("issuer") or "")[:255],
            }
        )
    return rows


def citations_link(*, document: Document) -> int:
    """Link the agency's earlier references that cite ``document`` (same symbol, same year) to
    it: the other half of «links both ways». Answers how many were linked."""
    if not document.symbol or document.issued_on is None:
        return 0
    return (
        Reference.objects.filter(
            document__agency_id=document.agency_id,
            target__isnull=True,
            symbol=document.symbol,
            issued_on__year=document.issued_on.year,
        )
        .exclude(document=document)
        .update(target=document)
    )


def organisation_for(*, name: str) -> Organisation:
    """The outside body called ``name`` (blind to case and diacritics), created when unknown."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Hãy ghi tên cơ quan gửi mới."), {"field": "new_sender_name"})
    wanted = fold(name)
    for organisation in Organisation.objects.all():
        if fold(organisation.name) == wanted or organisation.abbreviation and fold(organisation.abbreviation) == wanted:
            return organisation
    organisation = Organisation(name=name[:255])
    organisation.full_clean()
    organisation.save()
    return organisation


def _original(reading: Reading):
    """The reading's stored bytes, checked as an upload named as received (the sha256 is theirs)."""
    reading.file.open("rb")
    return upload_check(reading.file, name=reading.name, allowed=READING_KINDS)


@transaction.atomic
def reading_register(
    *,
    reading: Reading,
    by: User,
    sender: Organisation | None,
    doc_type: DocumentType,
    symbol: str,
    issued_on: date | None,
    subject: str,
    new_sender_name: str = "",
    received_on: date | None = None,
    urgency: str = "",
    confidentiality: str = "",
) -> Document:
    """Register the read document as incoming: the values the clerk confirmed, the parsed body and
    references, the original file; link the reading. All of it or nothing: a refusal (rights, a
    reading already registered, a date after the arrival) creates no sender, number or file.
    A new sender (``new_sender_name``, when ``sender`` is None) is created here and only here."""
    if not permissions.can_read(by):
        raise NotAllowed(_("Chỉ văn thư vào sổ văn bản đến."))
    locked = Reading.objects.select_for_update().filter(pk=reading.pk, agency_id=by.agency_id).first()
    if locked is None:
        raise Http404
    if locked.document_id is not None:
        raise DomainError(_("Văn bản này đã được vào sổ."))
    if locked.state != Reading.State.DONE:
        raise DomainError(_("Văn bản chưa đọc xong, chưa vào sổ được."))
    if sender is None:
        sender = organisation_for(name=new_sender_name)
    fields = locked.fields or {}
    document = documents.incoming_register(
        by=by,
        sender=sender,
        symbol=symbol,
        issued_on=issued_on,
        doc_type=doc_type,
        subject=subject,
        received_on=received_on,
        urgency=urgency,
        confidentiality=confidentiality,
        file=_original(locked) if locked.file else None,
        body=body_html(fields.get("body") or ()),
        references=_references(fields, by=by),
    )
    citations_link(document=document)
    locked.document = document
    locked.save(update_fields=["document"])
    return document


def reading_register_new(*, by: User, checked, extracted, fields: dict, **values) -> Document:
    """Keep a file just read and register it in one go (the API and the command): the reading and
    the document exist together or not at all, and a refusal removes the stored file too."""
    reading = None
    try:
        with transaction.atomic():
            reading = _reading_kept(by=by, checked=checked, extracted=extracted, fields=fields)
            return reading_register(reading=reading, by=by, **values)
    except Exception:
        if reading is not None and reading.file:
            reading.file.delete(save=False)  # the row is rolled back; its bytes must not stay behind
        raise


# --- Routing with the proposed tasks -----------------------------------------------------


def _units_named(names: Iterable[str], units: list[Unit]) -> list[Unit]:
    by_name = {}
    for unit in units:
        for key in (unit.name, unit.abbreviation):
            if key:
                by_name.setdefault(fold(key), unit)
    found = []
    for name in names or ():
        unit = by_name.get(fold(name or ""))
        if unit is not None and unit not in found:
            found.append(unit)
    return found


def _period_of(recurrence, *, deadline: date | None) -> dict:
    """A point's recurrence as the row's «Kỳ báo cáo» when it is one (weekly, monthly, quarterly)
    and the point has no deadline; otherwise kept as ``recurrence`` for a hint, the period blank."""
    recurrence = recurrence or ""
    if recurrence and deadline is None and recurrence in Task.Period.values:
        return {"reporting_period": recurrence, "recurrence": ""}
    return {"reporting_period": "", "recurrence": recurrence}


def proposals_of(*, document: Document, units: list[Unit]) -> list[dict]:
    """The tasks the document's reading proposes, as rows of tasks.forms.PointForm: the point's
    label, a short title and its whole text, the lead unit (the first the point names), the
    cooperating units, the deadline or the reporting period of a standing duty. Empty for a document typed by hand."""
    reading = Reading.objects.filter(document=document).only("fields").first()
    if reading is None:
        return []
    rows = []
    for item in (reading.fields or {}).get("items") or ():
        text = " ".join((item.get("text") or "").split())
        if not text:
            continue
        leads = _units_named(item.get("lead_units"), units)
        cooperating = [u for u in _units_named(item.get("cooperating_units"), units) if u not in leads[:1]]
        deadline = date_of(item.get("deadline"))
        rows.append(
            {
                "accept": True,
                "point": (item.get("label") or "")[:30],
                "title": first_sentence(text)[:TITLE_MAX],
                "description": text,
                "lead_unit": leads[0].pk if leads else None,
                "cooperating_units": [u.pk for u in [*leads[1:], *cooperating]],
                "deadline": deadline,
                **_period_of(item.get("recurrence"), deadline=deadline),
            }
        )
    return rows


def routing_initial(proposals: list[dict]) -> dict:
    """The routing form's units from the proposals: the first point's lead unit leads, every other
    unit the points name cooperates. Empty when no point names a unit."""
    leads = [row["lead_unit"] for row in proposals if row["lead_unit"]]
    if not leads:
        return {}
    others = []
    for row in proposals:
        for pk in [row["lead_unit"], *row["cooperating_units"]]:
            if pk and pk != leads[0] and pk not in others:
                others.append(pk)
    return {"lead_unit": leads[0], "cooperating_units": others}


@transaction.atomic
def route_with_tasks(
    *,
    document: Document,
    by: User,
    note: str,
    lead_unit: Unit,
    cooperating_units: Iterable[Unit] = (),
    deadline: date | None = None,
    items: Iterable[dict] = (),
) -> tuple[Routing, list]:
    """Route the document and give the accepted points as tasks, all or nothing.

    With no point accepted the direction note becomes the lead unit's task, as for any routing;
    with points accepted, the points are the tasks and the note makes none (a second task for the
    same work would be counted twice in every report)."""
    items = list(items)
    routing = documents.incoming_route(
        document=document, by=by, note=note, lead_unit=lead_unit, cooperating_units=cooperating_units,
        deadline=deadline, note_task=not items,
    )  # fmt: skip
    created = tasks.tasks_create_from_document(by=by, document=document, items=items) if items else []
    return routing, created
