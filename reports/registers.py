"""The three registers of Decree 30/2020 Appendix IV, for one agency and one period.

Each register is a fixed list of columns (the law's, in the law's order and words) and a
list of rows, one dict per document keyed by the columns' ``key``. Values are text, dates
and integers, ready for the page, the API, the XLSX and the PDF alike; a cell holding
several entries separates them with newlines.

The rows come from a fixed number of queries whatever their count, and only from what the
person may see (``documents_visible_to``), within their own agency.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from directives.models import Document, Recipient, Reference
from directives.permissions import can_view_registers, document_hidden_annotation, documents_visible_to
from lib.errors import DomainError, NotAllowed
from lib.workdays import local_today
from tasks.models import Task, TrackingClass
from tasks.tracking import with_tracking
from units.models import Agency, User

S = Document.State
D = Document.Direction

# A year and a day: a leap year's register fits, a longer export is refused (it would be
# the whole archive in one request).
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # Relative width: characters in the XLSX, shares of the line in the PDF and the page.
    width: float
    is_date: bool = False


@dataclass(frozen=True)
class Register:
    kind: str
    title: str
    slug: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return self.title.capitalize()

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


OUTGOING = Register(
    kind="outgoing",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    slug="so-van-ban-di",
    columns=(
        Column("symbol", "Số, ký hiệu", 19),
        Column("issued_on", "Ngày tháng", 14, is_date=True),
        Column("type_and_subject", "Tên loại và trích yếu", 34),
        Column("signer", "Người ký", 16),
        Column("recipients", "Nơi nhận", 26),
        Column("file_copies", "Đơn vị, người nhận bản lưu", 18),
        Column("copies", "Số lượng bản", 9),
        Column("sent_on", "Ngày chuyển", 14, is_date=True),
        Column("received_by", "Ký nhận", 12),
        Column("note", "Ghi chú", 14),
    ),
)

INCOMING = Register(
    kind="incoming",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    slug="so-van-ban-den",
    columns=(
        Column("received_on", "Ngày đến", 14, is_date=True),
        Column("arrival_number", "Số đến", 8),
        Column("sender", "Tác giả", 20),
        Column("symbol", "Số, ký hiệu", 19),
        Column("issued_on", "Ngày tháng", 14, is_date=True),
        Column("type_and_subject", "Tên loại và trích yếu", 38),
        Column("handled_by", "Đơn vị hoặc người nhận", 22),
        Column("sent_on", "Ngày chuyển", 14, is_date=True),
        Column("received_by", "Ký nhận", 12),
        Column("note", "Ghi chú", 14),
    ),
)

FOLLOW_UP = Register(
    kind="follow-up",
    title="SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
    slug="so-theo-doi-giai-quyet",
    columns=(
        Column("arrival_number", "Số đến", 8),
        Column("document", "Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành", 44),
        Column("handled_by", "Đơn vị hoặc người nhận", 24),
        Column("deadline", "Thời hạn giải quyết", 14, is_date=True),
        Column("progress", "Tiến độ giải quyết", 30),
        Column("replies", "Số, ký hiệu văn bản trả lời", 20),
        Column("note", "Ghi chú", 14),
    ),
)

REGISTERS: dict[str, Register] = {r.kind: r for r in (OUTGOING, INCOMING, FOLLOW_UP)}


@dataclass
class RegisterSheet:
    """One register of one agency over one period, as every output prints it."""

    register: Register
    agency: Agency
    start: date
    end: date
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return f"Từ ngày {_date(self.start)} đến ngày {_date(self.end)}"

    def cells(self) -> list[list[Any]]:
        """The rows as lists in column order (what the XLSX and PDF print)."""
        return [[row[column.key] for column in self.register.columns] for row in self.rows]


# --- Period ------------------------------------------------------------------------------


def period_default(today: date | None = None) -> tuple[date, date]:
    """This month in Vietnam, first to last day."""
    today = today or local_today()
    return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])


def period_check(start: date, end: date) -> None:
    """Refuse, in Vietnamese, a period that ends before it starts or is longer than 366 days."""
    if end < start:
        raise DomainError("Ngày kết thúc không được trước ngày bắt đầu.", {"field": "end"})
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise DomainError(
            f"Mỗi lần chỉ in được sổ của tối đa {MAX_PERIOD_DAYS} ngày; hãy chọn khoảng thời gian ngắn hơn.",
            {"field": "end"},
        )


# --- Text of the cells ---------------------------------------------------------------------


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _lines(*values: str) -> str:
    return "\n".join(v for v in values if v)


def _type_and_subject(document: Document) -> str:
    """The type on its own line, then the subject ("V/v …" for a công văn); a subject that
    already opens with the type's name ("Hướng dẫn xây dựng …") is not preceded by it again."""
    name, subject = document.doc_type.name, document.subject
    if document.doc_type.is_cong_van:
        return _lines(name, f"V/v {subject}")
    if subject.casefold().startswith(name.casefold()):
        return subject
    return _lines(name, subject)


def _marks(document: Document) -> list[str]:
    marks = []
    if document.urgency:
        marks.append(document.get_urgency_display())
    if document.confidentiality:
        marks.append(document.get_confidentiality_display())
    return marks


def _distribution(document: Document) -> tuple[list[str], str]:
    """The distribution lines other than "Như trên" and "Lưu", and the "Lưu: …" line."""
    others, archive = [], ""
    for raw in document.distribution.splitlines():
        line = raw.strip().lstrip("-–+ ").rstrip(";.,").strip()
        folded = line.casefold()
        if not line or folded.startswith("như trên"):
            continue  # "Như trên" (as above) are the addressees, already listed
        if folded.startswith("lưu"):
            archive = line
        else:
            others.append(line)
    return others, archive


def _archive_copies(archive: str) -> int:
    """ "Lưu: VT, QLKH" keeps two copies; a bare "Lưu" or "Lưu: VT" one."""
    _label, _colon, holders = archive.partition(":")
    return max(1, len([h for h in holders.replace(";", ",").split(",") if h.strip()]))


# --- The registers ---------------------------------------------------------------------------


def _mine(user: User) -> QuerySet[Document]:
    return documents_visible_to(user).filter(agency_id=user.agency_id)


def _outgoing_rows(user: User, start: date, end: date) -> list[dict[str, Any]]:
    documents = (
        _mine(user)
        .filter(direction=D.OUTGOING, state=S.ISSUED, issued_on__range=(start, end))
        .select_related("doc_type", "signer", "drafting_unit", "related_to", "copy_of")
        .annotate(related_hidden=document_hidden_annotation(user, "related_to"))
        .prefetch_related(
            Prefetch("recipients", queryset=Recipient.objects.select_related("unit", "organisation").order_by("id"))
        )
        .order_by("series", "year", "number")
    )
    rows = []
    for document in documents:
        addressees = [str(r.unit or r.organisation) for r in document.recipients.all()]
        others, archive = _distribution(document)
        unit = document.drafting_unit
        note = _marks(document)
        if document.relation and document.related_hidden:
            # A correction that is not itself confidential, of a confidential act this reader may not see.
            note.append(f"{document.get_relation_display()} văn bản mật")
        elif document.relation and document.related_to:
            note.append(f"{document.get_relation_display()} văn bản số {document.related_to.symbol}")
        if document.copy_form:
            # A copy keeps its original's confidentiality, so whoever sees it may see the original's symbol.
            note.append(f"{document.get_copy_form_display()} văn bản số {document.copy_of.symbol}")
        rows.append(
            {
                "document_id": document.pk,
                "symbol": document.symbol,
                "issued_on": document.issued_on,
                "type_and_subject": _type_and_subject(document),
                "signer": document.signer.get_full_name() if document.signer else "",
                "recipients": _lines(*addressees, *others),
                "file_copies": _lines(unit.name if unit else "", archive or "Lưu: VT"),
                "copies": len(addressees) + len(others) + _archive_copies(archive),
                "sent_on": document.issued_on,
                "received_by": "",
                "note": _lines(*note),
            }
        )
    return rows


def _incoming(user: User, start: date, end: date) -> QuerySet[Document]:
    return (
        _mine(user)
        .filter(direction=D.INCOMING, received_on__range=(start, end))
        .select_related("doc_type", "sender", "routing__lead_unit")
        .prefetch_related("routing__cooperating_units")
        .order_by("received_on", "year", "number")
    )


def _routing(document: Document):
    try:
        return document.routing
    except Document.routing.RelatedObjectDoesNotExist:
        return None


def _routed_units(routing) -> str:
    if routing is None:
        return ""
    cooperating = ", ".join(u.name for u in routing.cooperating_units.all())
    return _lines(f"Chủ trì: {routing.lead_unit.name}", f"Phối hợp: {cooperating}" if cooperating else "")


def _incoming_rows(user: User, start: date, end: date) -> list[dict[str, Any]]:
    rows = []
    for document in _incoming(user, start, end):
        routing = _routing(document)
        rows.append(
            {
                "document_id": document.pk,
                "received_on": document.received_on,
                "arrival_number": document.number,
                "sender": document.sender.name if document.sender else "",
                "symbol": document.symbol,
                "issued_on": document.issued_on,
                "type_and_subject": _type_and_subject(document),
                "handled_by": _routed_units(routing),
                "sent_on": timezone.localdate(routing.routed_at) if routing else None,
                "received_by": "",
                "note": _lines(*_marks(document), "" if routing else "Chưa phân công"),
            }
        )
    return rows


def _progress(task: Task) -> str:
    state = task.get_state_display()
    if task.is_open and task.progress:
        state = f"{state} ({task.progress} %)"
    tracking = TrackingClass(task.tracking).label
    return f"{state} — {tracking}" if task.state != Task.State.CANCELLED else state


def _follow_up_rows(user: User, start: date, end: date) -> list[dict[str, Any]]:
    replies = _mine(user).filter(direction=D.OUTGOING, state=S.ISSUED)
    tasks = with_tracking(Task.objects.select_related("handler"), at=timezone.now()).order_by("created_at", "id")
    documents = _incoming(user, start, end).prefetch_related(
        Prefetch("tasks", queryset=tasks, to_attr="register_tasks"),
        Prefetch(
            "cited_by",
            queryset=Reference.objects.filter(document__in=replies)
            .select_related("document")
            .order_by("document__issued_on", "document__number"),
            to_attr="register_replies",
        ),
    )
    rows = []
    for document in documents:
        routing = _routing(document)
        handlers = [t.handler.get_full_name() for t in document.register_tasks if t.handler]
        deadline = next((t.deadline for t in document.register_tasks), None)
        if deadline is None and routing is not None:
            deadline = routing.deadline
        progress = [_progress(t) for t in document.register_tasks]
        if not progress:
            progress = ["Đã phân công, chưa giao nhiệm vụ" if routing else "Chưa phân công"]
        described = f"{document.doc_type.name} số {document.symbol}"
        if document.issued_on:
            described += f" ngày {_date(document.issued_on)}"
        if document.sender:
            described += f" của {document.sender.name}"
        rows.append(
            {
                "document_id": document.pk,
                "arrival_number": document.number,
                "document": _lines(described, document.subject),
                "handled_by": _lines(_routed_units(routing), *(f"Người xử lý: {name}" for name in handlers)),
                "deadline": deadline,
                "progress": _lines(*progress),
                "replies": _lines(
                    *(f"{r.document.symbol} ngày {_date(r.document.issued_on)}" for r in document.register_replies)
                ),
                "note": _lines(*_marks(document)),
            }
        )
    return rows


_ROWS = {"outgoing": _outgoing_rows, "incoming": _incoming_rows, "follow-up": _follow_up_rows}


def register_for(*, user: User, kind: str, start: date, end: date) -> RegisterSheet:
    """The register ``kind`` of the person's agency from ``start`` to ``end`` (both included).

    Raises NotAllowed unless ``can_view_registers(user)``, DomainError (Vietnamese) for an
    unknown kind or a bad period. Rows are only documents the person may see.
    """
    if not can_view_registers(user):
        raise NotAllowed("Chỉ văn thư và lãnh đạo cơ quan được xem sổ văn bản.")
    if kind not in REGISTERS:
        raise DomainError("Loại sổ không hợp lệ.", {"field": "kind"})
    period_check(start, end)
    rows = _ROWS[kind](user, start, end)
    return RegisterSheet(register=REGISTERS[kind], agency=user.agency, start=start, end=end, rows=rows)
