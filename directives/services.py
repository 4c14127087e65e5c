"""Every write to documents: drafting, the signing workflow, issuing, distribution,
the incoming register and routing. Views, API, admin, jobs and commands all call these."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from directives import certificates, hooks, numbering, official_pdf
from directives import permissions as rights
from directives.models import (
    Attachment,
    Delivery,
    Document,
    DocumentType,
    Event,
    IssuedPdf,
    ReadReceipt,
    Recipient,
    Reference,
    Revision,
    Routing,
)
from lib.errors import DomainError, NotAllowed
from lib.html import body_text, sanitize_body
from lib.text import fold, shorten
from lib.uploads import upload_checked
from notifications.services import notification_send
from units.models import Organisation, Unit, User
from units.roles import Role

S = Document.State

# The fields a draft's author edits; each revision keeps all of them.
DRAFT_FIELDS = [
    "doc_type", "subject", "body", "urgency", "confidentiality", "drafting_unit",
    "signer", "signing_authority", "authority_title", "distribution",
]  # fmt: skip

DELEGATED_KIND = {"TL.": _("thừa lệnh"), "TUQ.": _("thừa ủy quyền")}

FROZEN = _("Văn bản đã phát hành, không thể sửa. Muốn đính chính hay thu hồi, hãy tạo văn bản mới.")


def _link(document: Document) -> str:
    return reverse("directives:detail", args=[document.pk])


def _search_text(document: Document) -> str:
    parts = [document.symbol, document.subject, body_text(document.body), document.doc_type.name]
    if document.sender_id:
        parts.append(document.sender.name)
    if document.signer_id:
        parts.append(document.signer.full_name)
    return fold(" ".join(p for p in parts if p))


def _event(
    document: Document,
    by: User,
    action: str,
    comment: str = "",
    *,
    acting_for: User | None = None,
    sent_to: User | None = None,
) -> Event:
    return Event.objects.create(
        document=document, actor=by, action=action, comment=comment, acting_for=acting_for, sent_to=sent_to
    )


def _grant(document: Document, users: Iterable[User]) -> None:
    """Confidential documents are seen only through explicit grants: give one to each person involved."""
    if document.is_confidential:
        for user in users:
            assign_perm("directives.view_document", user, document)


def _named(document: Document) -> str:
    """The subject a notice may quote: a confidential subject never goes into a notice (stored,
    mailed, shown in the send log), only the placeholder; the link says the rest to whoever may see."""
    return str(rights.SECRET_LABEL) if document.is_confidential else document.subject


def _snapshot_fields(document: Document) -> dict:
    return {
        name: getattr(document, f"{name}_id" if name in ("doc_type", "drafting_unit", "signer") else name)
        for name in DRAFT_FIELDS
    }


def _snapshot(document: Document) -> dict:
    content = _snapshot_fields(document)
    recipients = list(document.recipients.all())
    content["recipient_units"] = sorted(r.unit_id for r in recipients if r.unit_id)
    content["recipient_organisations"] = sorted(r.organisation_id for r in recipients if r.organisation_id)
    content["references"] = [
        {"target": r.target_id, "doc_type": r.doc_type, "symbol": r.symbol,
         "issued_on": r.issued_on.isoformat() if r.issued_on else None, "issuer": r.issuer}
        for r in document.references.all()
    ]  # fmt: skip
    return content


def _revise(document: Document, by: User) -> Revision:
    last = document.revisions.aggregate(n=Max("number"))["n"] or 0
    return Revision.objects.create(document=document, number=last + 1, author=by, content=_snapshot(document))


def _validate_draft(document: Document, by: User) -> None:
    if document.drafting_unit_id and document.drafting_unit.agency_id != document.agency_id:
        raise DomainError(_("Đơn vị soạn thảo phải thuộc cơ quan của bạn."))
    if document.signing_authority in rights.DELEGATED_AUTHORITIES and (
        document.signer_id is None or not rights.may_sign(document.signer, document)
    ):
        raise DomainError(
            _(
                "Ký «%(authority)s» chỉ dành cho người được cơ quan giao ký %(kind)s; "
                "hãy chọn một người trong danh sách đó."
            )
            % {"authority": document.signing_authority, "kind": DELEGATED_KIND[document.signing_authority]},
            {"field": "signing_authority"},
        )
    if document.signer_id and not rights.may_sign(document.signer, document):
        raise DomainError(_("Người ký phải là lãnh đạo cơ quan (Giám đốc hoặc Phó Giám đốc)."), {"field": "signer"})
    if document.doc_type.is_cong_van and not document.drafting_unit_id:
        raise DomainError(_("Công văn cần có đơn vị soạn thảo để ghi ký hiệu (ví dụ SKHCN-VP)."))
    if not document.doc_type.is_active:
        raise DomainError(_("Loại văn bản này không còn được dùng."))


def _set_recipients(document: Document, units: Iterable[Unit], organisations: Iterable[Organisation]) -> None:
    units, organisations = list(units), list(organisations)
    if any(u.agency_id != document.agency_id for u in units):
        raise DomainError(_("Chỉ gửi được tới các đơn vị thuộc cơ quan của bạn."))
    document.recipients.all().delete()
    Recipient.objects.bulk_create(
        [Recipient(document=document, unit=u) for u in units]
        + [Recipient(document=document, organisation=o) for o in organisations]
    )


def _set_references(document: Document, references: Iterable[dict], by: User) -> None:
    document.references.all().delete()
    rows = []
    for ref in references:
        target = ref.get("target")
        if target is not None and not rights.documents_visible_to(by).filter(pk=target.pk).exists():
            raise DomainError(_("Không tìm thấy văn bản được dẫn chiếu."))
        if target is None and not (ref.get("symbol") or "").strip():
            raise DomainError(_("Văn bản dẫn chiếu cần có số, ký hiệu."))
        rows.append(
            Reference(
                document=document,
                target=target,
                doc_type=ref.get("doc_type") or (target.doc_type.name if target else ""),
                symbol=(ref.get("symbol") or (target.symbol if target else "")).strip(),
                issued_on=ref.get("issued_on") or (target.issued_on if target else None),
                issuer=ref.get("issuer") or (target.agency.name if target else ""),
            )
        )
    Reference.objects.bulk_create(rows)


@transaction.atomic
def document_create(
    *,
    by: User,
    doc_type: DocumentType,
    subject: str,
    body: str = "",
    drafting_unit: Unit | None = None,
    recipient_units: Iterable[Unit] = (),
    recipient_organisations: Iterable[Organisation] = (),
    references: Iterable[dict] = (),
    **fields,
) -> Document:
    """Create a draft by ``by`` and keep it as revision 1."""
    if by.agency_id is None:
        raise NotAllowed(_("Tài khoản của bạn chưa thuộc cơ quan nào nên không soạn được văn bản."))
    if drafting_unit is None:
        membership = by.memberships.select_related("unit").first()
        drafting_unit = membership.unit if membership else None
    document = Document(
        agency_id=by.agency_id,
        author=by,
        doc_type=doc_type,
        subject=subject.strip(),
        body=sanitize_body(body),
        drafting_unit=drafting_unit,
        **{k: v for k, v in fields.items() if k in DRAFT_FIELDS},
    )
    document.symbol = numbering.symbol_for(document, None)
    document.full_clean(exclude=["search_text"])
    _validate_draft(document, by)
    document.search_text = _search_text(document)
    document.save()
    _set_recipients(document, recipient_units, recipient_organisations)
    _set_references(document, references, by)
    _grant(document, [by])
    _revise(document, by)
    _event(document, by, Event.Action.CREATED)
    return document


def document_edit_check(*, document: Document, by: User) -> None:
    """Raise unless ``by`` may save a new revision of ``document`` now: frozen documents are a
    domain error for everyone, anyone else's draft is NotAllowed. Callers that read an upload
    first ask this, so a refused person is told so before their file is looked at."""
    if document.is_issued or document.direction == Document.Direction.INCOMING and document.state != S.REGISTERED:
        raise DomainError(FROZEN)
    if not rights.can_edit(by, document):
        raise NotAllowed(_("Chỉ người soạn được sửa dự thảo khi dự thảo chưa trình."))


@transaction.atomic
def document_update(
    *,
    document: Document,
    by: User,
    recipient_units: Iterable[Unit] | None = None,
    recipient_organisations: Iterable[Organisation] | None = None,
    references: Iterable[dict] | None = None,
    **fields,
) -> Document:
    """Save a new revision of a draft. Refused once the document has left its author's hands."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    document_edit_check(document=document, by=by)
    before = _snapshot(document)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise DomainError(_("Không sửa được các trường: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(document, name, sanitize_body(value) if name == "body" else value)
    document.subject = document.subject.strip()
    document.symbol = numbering.symbol_for(document, None)
    document.full_clean(exclude=["search_text"])
    _validate_draft(document, by)
    document.search_text = _search_text(document)
    if any(before[name] != value for name, value in _snapshot_fields(document).items()):
        document.save()
    if recipient_units is not None or recipient_organisations is not None:
        current = list(document.recipients.all())
        _set_recipients(
            document,
            recipient_units if recipient_units is not None else [r.unit for r in current if r.unit_id],
            recipient_organisations
            if recipient_organisations is not None
            else [r.organisation for r in current if r.organisation_id],
        )
    if references is not None:
        _set_references(document, references, by)
    # A save that changes nothing leaves no revision and no «Sửa dự thảo» in the history.
    document.was_changed = _snapshot(document) != before
    if document.was_changed:
        _revise(document, by)
        _event(document, by, Event.Action.EDITED)
    return document


def _move(document: Document, *, state: str, pending_with: User | None) -> None:
    document.state = state
    document.pending_with = pending_with
    document.pending_since = timezone.now()
    document.save(update_fields=["state", "pending_with", "pending_since", "updated_at"])


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("doc_type", "agency", "drafting_unit")
        .get(pk=document.pk)
    )


def _missing_for_submit(document: Document) -> list[str]:
    """What an official document needs before anyone reviews or signs it (Decree 30/2020, Art. 8):
    a body, its addressees (Kính gửi, for a công văn) or receivers (Nơi nhận), a signer, and the
    head's title after an authority word («KT. GIÁM ĐỐC»)."""
    missing = []
    if not body_text(document.body).strip():
        missing.append(_("nội dung"))
    has_recipients = document.recipients.exists()
    if document.doc_type.is_cong_van and not has_recipients:
        missing.append(_("nơi gửi đến (Kính gửi)"))
    elif not has_recipients and not document.distribution.strip():
        missing.append(_("nơi nhận"))
    if not document.signer_id:
        missing.append(_("người ký"))
    if document.signing_authority and not document.authority_title.strip():
        missing.append(_("chức danh thủ trưởng sau «%(authority)s»") % {"authority": document.signing_authority})
    return missing


def _substitutes_of(user: User) -> list[User]:
    """The people standing in for ``user`` today: told of what now waits for him, and let see it."""
    today = timezone.localdate()
    return list(
        User.objects.filter(
            delegations_received__principal=user,
            delegations_received__starts_on__lte=today,
            delegations_received__ends_on__gte=today,
            is_active=True,
        ).distinct()
    )


def _send_to(document: Document, person: User, *, kind: str, message: str) -> None:
    """Tell ``person`` (and whoever stands in for him today) that ``document`` waits for them."""
    substitutes = _substitutes_of(person)
    _grant(document, [person, *substitutes])
    notification_send(users=[person], kind=kind, message=message, url=_link(document))
    if substitutes:
        notification_send(
            users=substitutes,
            kind=kind,
            message=_("%(message)s (thay %(name)s)") % {"message": message, "name": person.get_full_name()},
            url=_link(document),
        )


def _head_title(document: Document) -> str:
    """The agency head's title in capitals, as printed after «KT.» («GIÁM ĐỐC»)."""
    head = User.objects.filter(agency_id=document.agency_id, groups__name=Role.DIRECTOR, is_active=True).first()
    return ((head.title if head else "") or _("Giám đốc")).upper()


def _set_signer(document: Document, signer: User) -> None:
    """Make ``signer`` the one whose name is printed, keeping the signature block right: a deputy
    signs «KT. <head>», the head signs in his own name; «TL.»/«TUQ.» stay as they are."""
    document.signer = signer
    if document.signing_authority in rights.DELEGATED_AUTHORITIES or document.signing_authority == "TM.":
        pass
    elif Role.DIRECTOR in signer.roles:
        if document.signing_authority == "KT.":
            document.signing_authority, document.authority_title = "", ""
    elif Role.DEPUTY_DIRECTOR in signer.roles and not document.signing_authority:
        document.signing_authority, document.authority_title = "KT.", _head_title(document)
    document.save(update_fields=["signer", "signing_authority", "authority_title", "updated_at"])


def _refuse_choice(person: User | None, allowed) -> None:
    names = ", ".join(u.get_full_name() for u in allowed) or _("(chưa có ai)")
    # Someone of another agency is never named: the message would say that he exists.
    known = person is not None and allowed and person.agency_id == allowed[0].agency_id
    raise DomainError(
        _("Không chuyển được cho %(name)s. Chỉ chọn được: %(allowed)s.")
        % {"name": person.get_full_name() if known else _("người được chọn"), "allowed": names},
        {"field": "to"},
    )


@transaction.atomic
def document_submit(*, document: Document, by: User, to: User | None = None, comment: str = "") -> Document:
    """Send the draft to the person the author chose: a head of the drafting unit for review, or,
    when the author heads that unit, a leader for signature (who becomes the signer).

    ``to`` defaults to the suggestion of the submit dialog (rights.submit_suggestion). Anyone
    outside rights.submit_choices, or a draft missing what an official document needs, is refused
    with a message naming it, and nothing changes."""
    document = _locked(document)
    if not rights.can_submit(by, document):
        raise NotAllowed(_("Chỉ người soạn được trình dự thảo đang soạn hoặc bị trả lại."))
    allowed = list(rights.submit_choices(by, document))
    if to is None:
        to = rights.submit_suggestion(by, document)
        if to is None:
            raise DomainError(_("Đơn vị soạn thảo chưa có lãnh đạo đơn vị để duyệt dự thảo."))
    if to.pk not in {u.pk for u in allowed}:
        _refuse_choice(to, allowed)
    to_signature = rights.is_head_of(by, document.drafting_unit_id)
    if to_signature:
        _set_signer(document, to)
    missing = _missing_for_submit(document)
    if missing:
        raise DomainError(
            _("Chưa trình được: dự thảo còn thiếu %(items)s.") % {"items": ", ".join(missing)}, {"missing": missing}
        )
    if to_signature:
        return _to_signer(document, by, comment, signer=to)
    _move(document, state=S.REVIEW, pending_with=to)
    _event(document, by, Event.Action.SUBMITTED, comment, sent_to=to)
    _send_to(
        document, to, kind="document_review",
        message=_("Dự thảo «%(subject)s» chờ anh/chị duyệt.") % {"subject": _named(document)},
    )  # fmt: skip
    return document


def _to_signer(document: Document, by: User, comment: str, *, signer: User, acting_for: User | None = None) -> Document:
    _move(document, state=S.SIGNING, pending_with=signer)
    _event(document, by, Event.Action.FORWARDED, comment, acting_for=acting_for, sent_to=signer)
    _send_to(
        document, signer, kind="document_signature",
        message=_("Văn bản «%(subject)s» chờ anh/chị ký.") % {"subject": _named(document)},
    )  # fmt: skip
    return document


@transaction.atomic
def document_forward(*, document: Document, by: User, to: User | None = None, comment: str = "") -> Document:
    """The unit head (or his substitute) agrees with the draft and sends it for signature to the
    leader he chose among the document's possible signers (default: the draft's signer)."""
    document = _locked(document)
    if not rights.can_forward(by, document):
        raise NotAllowed(_("Chỉ lãnh đạo đơn vị đang được trình mới chuyển trình ký được."))
    allowed = list(rights.signers_of(document).order_by("full_name"))
    to = to or document.signer
    if to is None:
        raise DomainError(_("Hãy chọn lãnh đạo ký văn bản."), {"field": "to"})
    if to.pk not in {u.pk for u in allowed}:
        _refuse_choice(to, allowed)
    _set_signer(document, to)
    missing = _missing_for_submit(document)
    if missing:
        raise DomainError(
            _("Chưa trình ký được: dự thảo còn thiếu %(items)s.") % {"items": ", ".join(missing)}, {"missing": missing}
        )
    return _to_signer(document, by, comment, signer=to, acting_for=rights.stands_in_for(by, document))


@transaction.atomic
def document_hand_over(*, document: Document, by: User, to: User, note: str) -> Document:
    """Give a document waiting for one signer to another leader, with the reason (required).

    The clerk, the present signer or his substitute may do it; the new signer is told, the old
    one no longer has it waiting."""
    document = _locked(document)
    if not rights.can_hand_over(by, document):
        raise NotAllowed(_("Chỉ văn thư hoặc lãnh đạo đang được trình ký mới chuyển được người ký."))
    if not (note or "").strip():
        raise DomainError(_("Hãy ghi lý do chuyển người ký."), {"field": "note"})
    allowed = list(rights.signers_of(document).exclude(pk=document.pending_with_id).order_by("full_name"))
    if to is None or to.pk not in {u.pk for u in allowed}:
        _refuse_choice(to, allowed)
    previous = document.pending_with
    _set_signer(document, to)
    _move(document, state=S.SIGNING, pending_with=to)
    _event(
        document, by, Event.Action.HANDED_OVER,
        _("Từ %(old)s sang %(new)s: %(note)s")
        % {"old": previous.get_full_name() if previous else "—", "new": to.get_full_name(), "note": note.strip()},
        acting_for=rights.stands_in_for(by, document), sent_to=to,
    )  # fmt: skip
    _send_to(
        document, to, kind="document_signature",
        message=_("Văn bản «%(subject)s» được chuyển sang anh/chị ký.") % {"subject": _named(document)},
    )  # fmt: skip
    return document


@transaction.atomic
def document_return(*, document: Document, by: User, comment: str) -> Document:
    """Send the draft back to its author with a comment (required)."""
    document = _locked(document)
    if not rights.can_return(by, document):
        raise NotAllowed(_("Chỉ người đang được trình mới trả lại được dự thảo."))
    if not (comment or "").strip():
        raise DomainError(_("Hãy ghi lý do trả lại để người soạn biết cần sửa gì."), {"field": "comment"})
    acting_for = rights.stands_in_for(by, document)
    _move(document, state=S.RETURNED, pending_with=document.author)
    _event(document, by, Event.Action.RETURNED, comment.strip(), acting_for=acting_for)
    notification_send(
        users=[document.author],
        kind="document_returned",
        message=_("Dự thảo «%(subject)s» bị trả lại: %(comment)s")
        % {"subject": _named(document), "comment": shorten(comment, 200)},
        url=_link(document),
    )
    return document


@transaction.atomic
def document_approve(*, document: Document, by: User, comment: str = "") -> Document:
    """The signer signs: the document waits for the clerk to issue it."""
    document = _locked(document)
    if not rights.can_approve(by, document):
        raise NotAllowed(_("Chỉ lãnh đạo được trình ký mới ký duyệt được văn bản này."))
    acting_for = rights.stands_in_for(by, document)
    if acting_for is not None:
        # The substitute signs in his own name: his name and title are the ones printed.
        _set_signer(document, by)
        note = _("Ký thay %(name)s.") % {"name": acting_for.get_full_name()}
        comment = f"{note} {comment}".strip()
    _move(document, state=S.APPROVED, pending_with=None)
    clerks = list(User.objects.filter(agency_id=document.agency_id, groups__name=Role.CLERK, is_active=True))
    _grant(document, clerks)
    _event(document, by, Event.Action.APPROVED, comment, acting_for=acting_for)
    notification_send(
        users=clerks,
        kind="document_approved",
        message=_("Văn bản «%(subject)s» đã được ký, chờ phát hành.") % {"subject": _named(document)},
        url=_link(document),
    )
    return document


@transaction.atomic
def document_issue(*, document: Document, by: User, today: date | None = None) -> Document:
    """Give the document the next number of its series and today's date, and deliver it.

    Either all of it happens or none: the number is taken under a lock on the series'
    counter in this same transaction, so a failed issue consumes no number and
    concurrent clerks get consecutive numbers. Afterwards the document is frozen.
    """
    document = _locked(document)
    if document.is_issued:
        raise DomainError(_("Văn bản đã được phát hành với số %(symbol)s.") % {"symbol": document.symbol})
    if not rights.can_issue(by, document):
        raise NotAllowed(_("Chỉ văn thư phát hành được văn bản đã ký."))
    now = timezone.now()
    today = today or timezone.localdate(now)
    heads = _deliver(document, _units_to_deliver(document))
    IssuedPdf.objects.create(document=document)
    # The number is taken last: the series' counter stays locked only for the few writes
    # that need the number, and the commit.
    numbering.number_assign(document, year=today.year)
    document.issued_on, document.issued_at, document.issued_by = today, now, by
    document.state, document.pending_with, document.pending_since = S.ISSUED, None, None
    document.search_text = _search_text(document)
    document.save()
    _event(document, by, Event.Action.ISSUED, document.symbol)
    _notify_received(document, heads)
    # The IssuedPdf row written above is the render job; this only wakes a worker (never raises).
    transaction.on_commit(lambda: official_pdf.issued_pdf_wake(document.pk))
    return document


def _units_to_deliver(document: Document) -> list[Unit]:
    """The addressed units, and our units named in the distribution list by name or abbreviation."""
    units = {r.unit_id: r.unit for r in document.recipients.select_related("unit") if r.unit_id}
    lines = [fold(line) for line in document.distribution.splitlines() if line.strip()]
    if lines:
        for unit in Unit.objects.filter(agency_id=document.agency_id, is_active=True):
            names = {fold(unit.name), fold(unit.abbreviation)}
            if any(any(n == line.strip(" -;.") or line.startswith(n + " ") for n in names) for line in lines):
                units[unit.pk] = unit
    return list(units.values())


def _deliver(document: Document, units: Iterable[Unit]) -> list[User]:
    """Put the document in each unit's inbox; return the units' heads, to be told."""
    units = list(units)
    Delivery.objects.bulk_create([Delivery(document=document, unit=u) for u in units], ignore_conflicts=True)
    heads = list(User.objects.filter(memberships__unit__in=units, memberships__is_head=True, is_active=True).distinct())
    if document.is_confidential:
        _grant(document, heads)
    return heads


def _notify_received(document: Document, heads: list[User]) -> None:
    if document.is_confidential:
        message = _("Đơn vị nhận một văn bản mật.")
    else:
        message = _("Đơn vị nhận văn bản %(symbol)s: «%(subject)s».") % {
            "symbol": document.symbol,
            "subject": document.subject,
        }
    notification_send(users=heads, kind="document_received", message=message, url=_link(document))


def document_mark_read(
    *, document: Document, by: User, delivered: bool | None = None, read: bool | None = None
) -> bool:
    """Record that ``by`` opened a document delivered to one of their units; True the first time.

    A caller that has already read whether the document reached one of ``by``'s units
    (``delivered``) and whether ``by`` opened it before (``read``) passes them, and a repeated
    visit then costs no query (the document page reads both with the document)."""
    if delivered is None:
        delivered = Delivery.objects.filter(document=document, unit__memberships__user=by).exists()
    if not delivered or read:
        return False
    _receipt, created = ReadReceipt.objects.get_or_create(document=document, user=by)
    return created


@transaction.atomic
def document_follow_up(*, document: Document, by: User, relation: str, subject: str = "") -> Document:
    """Start a correction, recall or replacement: a new draft that points to the issued document."""
    if not rights.can_follow_up(by, document):
        raise NotAllowed(_("Chỉ lãnh đạo, văn thư hoặc người soạn mới tạo được văn bản đính chính, thu hồi."))
    if relation not in (Document.Relation.CORRECTS, Document.Relation.RECALLS, Document.Relation.REPLACES):
        raise DomainError(_("Quan hệ không hợp lệ."))
    cong_van = DocumentType.objects.get(abbreviation="")
    label = Document.Relation(relation).label
    draft = document_create(
        by=by,
        doc_type=cong_van,
        subject=subject or f"{label} {document.doc_type.name} số {document.symbol}",
        drafting_unit=document.drafting_unit if rights.is_head_of(by, document.drafting_unit_id) else None,
        references=[{"target": document}],
        signer=document.signer,
        distribution=document.distribution,
        confidentiality=document.confidentiality,
    )
    draft.relation, draft.related_to = relation, document
    draft.save(update_fields=["relation", "related_to"])
    _set_recipients(draft, [r.unit for r in document.recipients.all() if r.unit_id],
                    [r.organisation for r in document.recipients.all() if r.organisation_id])  # fmt: skip
    return draft


@transaction.atomic
def attachment_add(*, document: Document, by: User, file) -> Attachment:
    """Attach a file to a draft (or to an incoming document being registered).

    ``file`` is an upload (checked here by ``lib.uploads.upload_check``), a checked one or a
    staged one. It is stored under a random name; ``name`` keeps the name it was sent with.
    A refused file raises UploadRefused and attaches nothing.
    """
    document = _locked(document)
    if document.is_issued or document.state == S.ROUTED:
        raise DomainError(FROZEN)
    if not (rights.can_edit(by, document) or rights.can_register_incoming(by) and document.direction == "incoming"):
        raise NotAllowed(_("Bạn không được đính kèm tệp vào văn bản này."))
    upload = upload_checked(file)
    attachment = Attachment.objects.create(
        document=document,
        file=upload.as_file(),
        name=upload.original_name,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=by,
    )
    if document.direction == Document.Direction.INCOMING and upload.kind.code == "pdf":
        with attachment.file.open("rb") as stored:  # a received PDF's signatures, shown on its page
            attachment.signatures = certificates.received_pdf_check(stored.read())
        attachment.save(update_fields=["signatures"])
    return attachment


def incoming_duplicates(*, agency_id: int, sender: Organisation, symbol: str, issued_on: date | None):
    """Already registered documents with the same sender, symbol and date (the law asks for a warning)."""
    return Document.objects.filter(
        agency_id=agency_id, direction=Document.Direction.INCOMING, sender=sender, symbol=symbol.strip(),
        issued_on=issued_on,
    )  # fmt: skip


def incoming_backdated_warning(*, agency_id: int, received_on: date | None) -> str:
    """The warning shown (never a refusal) when ``received_on`` is earlier than the last registered
    document's received date; "" when it is not."""
    last = incoming_received_before_last(agency_id=agency_id, received_on=received_on or timezone.localdate())
    if last is None:
        return ""
    return _(
        "Ngày đến %(received)s sớm hơn ngày đến %(last)s của văn bản vào sổ ngay trước. Số đến vẫn theo "
        "thứ tự vào sổ; hãy kiểm tra lại ngày đến."
    ) % {"received": (received_on or timezone.localdate()).strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}


def incoming_received_before_last(*, agency_id: int, received_on: date, today: date | None = None) -> date | None:
    """The received date of the agency's last registered incoming document of this year, when
    ``received_on`` is earlier than it (a back-dated receipt: the clerk is warned, not refused)."""
    year = (today or timezone.localdate()).year
    last = (
        Document.objects.filter(agency_id=agency_id, direction=Document.Direction.INCOMING, year=year)
        .order_by("-created_at", "-pk")
        .values_list("received_on", flat=True)
        .first()
    )
    return last if last and received_on < last else None


@transaction.atomic
def incoming_register(
    *,
    by: User,
    sender: Organisation,
    symbol: str,
    issued_on: date | None,
    doc_type: DocumentType,
    subject: str,
    received_on: date | None = None,
    urgency: str = "",
    confidentiality: str = "",
    file=None,
    body: str = "",
    references: Iterable[dict] = (),
) -> Document:
    """Enter a received document in the incoming register with the next arrival number of the year.

    Arrival numbers follow the order of registration, so the number and its year come from the
    time of registration (Asia/Ho_Chi_Minh), never from the date the clerk types; ``received_on``
    (ngày đến, today by default) is kept as typed, for the register's «Ngày đến» column.
    ``body`` (sanitised HTML) and ``references`` (as ``document_create`` takes them) come from a
    reading of the received file (intake); a document typed by hand has neither.
    """
    if not rights.can_register_incoming(by):
        raise NotAllowed(_("Chỉ văn thư vào sổ văn bản đến."))
    # Checked before a number is taken: a refused file registers nothing.
    file = upload_checked(file) if file is not None else None
    now = timezone.now()
    received_on = received_on or timezone.localdate(now)
    if issued_on and issued_on > received_on:
        raise DomainError(_("Ngày văn bản không thể sau ngày đến."), {"field": "issued_on"})
    document = Document(
        agency_id=by.agency_id,
        direction=Document.Direction.INCOMING,
        state=S.REGISTERED,
        author=by,
        doc_type=doc_type,
        subject=subject.strip(),
        sender=sender,
        symbol=symbol.strip(),
        issued_on=issued_on,
        received_on=received_on,
        urgency=urgency,
        confidentiality=confidentiality,
        body=sanitize_body(body) if body else "",
    )
    document.full_clean(exclude=["search_text", "number", "year"])
    document.series = numbering.series_for(document)
    document.year = timezone.localdate(now).year
    document.number = numbering.number_next(
        agency=by.agency, direction=document.direction, year=document.year, series=document.series
    )
    document.search_text = _search_text(document)
    document.save()
    _grant(document, [by])
    _set_references(document, references, by)
    if file is not None:
        attachment_add(document=document, by=by, file=file)
    _event(document, by, Event.Action.REGISTERED, _("Số đến %(number)s") % {"number": document.number})
    leaders = User.objects.filter(
        agency_id=document.agency_id, groups__name__in=[Role.DIRECTOR], is_active=True
    ).distinct()
    _grant(document, leaders)
    if document.is_confidential:
        message = _("Một văn bản mật đến chờ phân công xử lý.")
    else:
        message = _("Văn bản đến %(symbol)s của %(sender)s chờ phân công xử lý.") % {
            "symbol": document.symbol,
            "sender": sender.name,
        }
    notification_send(users=leaders, kind="incoming_routing", message=message, url=_link(document))
    return document


@transaction.atomic
def incoming_route(
    *,
    document: Document,
    by: User,
    note: str,
    lead_unit: Unit,
    cooperating_units: Iterable[Unit] = (),
    deadline: date | None = None,
    note_task: bool = True,
) -> Routing:
    """The director's direction note: the lead unit, cooperating units and a deadline.
    The units receive the document in their inboxes. With ``note_task`` false the note makes no
    task of its own: the caller creates the document's tasks itself, in this transaction
    (intake's routing with proposed tasks)."""
    document = _locked(document)
    if not rights.can_route(by, document):
        raise NotAllowed(_("Chỉ lãnh đạo cơ quan phân công xử lý văn bản đến chưa được phân công."))
    cooperating_units = [u for u in cooperating_units if u.pk != lead_unit.pk]
    if any(u.agency_id != document.agency_id for u in [lead_unit, *cooperating_units]):
        raise DomainError(_("Chỉ phân công cho đơn vị thuộc cơ quan."))
    if not (note or "").strip():
        raise DomainError(_("Hãy ghi ý kiến chỉ đạo."), {"field": "note"})
    if deadline and deadline < timezone.localdate():
        raise DomainError(_("Hạn xử lý không thể trước hôm nay."), {"field": "deadline"})
    routing = Routing.objects.create(
        document=document, director=by, note=note.strip(), lead_unit=lead_unit, deadline=deadline
    )
    routing.cooperating_units.set(cooperating_units)
    document.state = S.ROUTED
    document.save(update_fields=["state", "updated_at"])
    _notify_received(document, _deliver(document, [lead_unit, *cooperating_units]))
    _event(document, by, Event.Action.ROUTED, note.strip())
    # The direction note becomes the task the lead unit carries out (tasks.services.task_from_routing,
    # connected to this hook by the tasks app), in this transaction.
    hooks.incoming_routed.send(
        sender=Routing, routing=routing, by=by, cooperating_units=cooperating_units, note_task=note_task
    )
    return routing


@transaction.atomic
def document_grant(*, document: Document, by: User, user: User) -> None:
    """Let ``user`` see a confidential document (leaders and the author may grant)."""
    if not (by.is_leader or document.author_id == by.pk):
        raise NotAllowed(_("Chỉ lãnh đạo hoặc người soạn được cấp quyền xem văn bản mật."))
    if user.agency_id != document.agency_id:
        raise DomainError(_("Chỉ cấp quyền cho cán bộ trong cơ quan."))
    assign_perm("directives.view_document", user, document)
    _event(document, by, Event.Action.GRANTED, user.get_full_name())
