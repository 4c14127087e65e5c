"""Who may see and do what with documents. Each rule is written once, here.

Seeing: a person sees a document of their own agency if they drafted it, it waits
for them or for someone they stand in for today (units.Delegation), they signed it or
acted on it, it reached one of their units, they lead the agency (director, deputy),
or — for the clerk — it waits for signature (she may hand it to another signer), is
approved, issued or incoming. A confidential document is seen only through an explicit
grant (django-guardian), which the workflow gives to each person it involves.
Anything else answers 404, on every path (page, download, API, search).

Wherever a confidential document is only named — a task given from it, a notice, a citation,
a duplicate warning — its number, symbol and subject show only to those who may see it;
others see ``SECRET_LABEL`` and no link (``documents_hidden_q`` is the one rule).
"""

from collections.abc import Iterable

from django.db.models import BigIntegerField, BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directives.models import (
    Delivery,
    Document,
    DocumentUserObjectPermission,
    Event,
    SigningAuthorisation,
    SigningAuthority,
)
from units.models import Delegation, Membership, User
from units.roles import Role
from units.selectors import principals_of

S = Document.State

# What stands for a confidential document's number, symbol and subject before whoever may not see it.
SECRET_LABEL = _("Văn bản mật")


def _granted(user: User, ref: str = "pk") -> Exists:
    """``user`` holds an explicit grant on the document at ``ref`` (an outer reference)."""
    return Exists(DocumentUserObjectPermission.objects.filter(content_object=OuterRef(ref), user=user))


def documents_hidden_q(user: User, path: str = "") -> Q:
    """True where the document (at ``path`` from the queried model, e.g. ``"document"``) is
    confidential and ``user`` may not see it — the rule of ``documents_visible_to`` for
    confidential documents: a grant, within one's own agency, or being a superuser.

    A filter or an annotation, so a page learns which of its rows to mask in its own query.
    """
    if user.is_superuser:
        return Q(pk__in=[])
    prefix = f"{path}__" if path else ""
    seen = Q(**{f"{prefix}agency_id": user.agency_id}) & _granted(user, f"{path}_id" if path else "pk")
    return Q(**{f"{prefix}confidentiality__gt": ""}) & ~seen


def document_hidden_annotation(user: User, path: str) -> ExpressionWrapper:
    """``documents_hidden_q`` as a boolean column, for ``QuerySet.annotate(document_hidden=…)``."""
    return ExpressionWrapper(documents_hidden_q(user, path), output_field=BooleanField())


def documents_hidden_among(user: User, ids: Iterable[int]) -> set[int]:
    """Which of these document ids ``user`` may not see because they are confidential: for ids
    held outside a query (a revision's stored citations). One query; none for no ids."""
    ids = set(ids)
    if not ids or user.is_superuser:
        return set()
    return set(Document.objects.filter(documents_hidden_q(user), pk__in=ids).values_list("pk", flat=True))


def _bigint(value: int | None) -> Cast | None:
    return None if value is None else Cast(Value(value), BigIntegerField())


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Every document ``user`` may see, as one query (no per-row permission checks)."""
    documents = Document.objects.all()
    if user.is_superuser:
        return documents
    # The agency typed bigint like the column: a plain integer parameter compares bigint = integer,
    # which btree_gin lacks, and the search (directives.selectors.document_search) could then not
    # use the agency key of directives_doc_search_agency_trgm to match words within the agency.
    documents = documents.filter(agency_id=_bigint(user.agency_id))
    granted = _granted(user)
    if user.is_leader:
        return documents.filter(Q(confidentiality="") | granted)
    my_units = Membership.objects.filter(user=user).values("unit_id")
    today = timezone.localdate()
    involved = (
        Q(author=user)
        | Q(pending_with=user)
        # what waits for someone this person stands in for today (units.Delegation)
        | Exists(
            Delegation.objects.filter(
                principal=OuterRef("pending_with"), substitute=user, starts_on__lte=today, ends_on__gte=today
            )
        )
        | Q(signer=user)
        | Exists(Event.objects.filter(document=OuterRef("pk"), actor=user))
        | Exists(Delivery.objects.filter(document=OuterRef("pk"), unit_id__in=my_units))
    )
    if Role.CLERK in user.roles:
        # The clerk keeps the leaders' signing queue (hands a document to another signer), then issues.
        involved |= Q(state__in=[S.SIGNING, S.APPROVED, S.ISSUED]) | Q(direction=Document.Direction.INCOMING)
    return documents.filter((Q(confidentiality="") & involved) | granted)


def document_get_for(user: User, pk: int) -> Document:
    """The document with this pk if ``user`` may see it; 404 otherwise (not 403: no hint it exists)."""
    return get_object_or_404(documents_visible_to(user).select_related("doc_type", "agency"), pk=pk)


def signers_for(user: User) -> QuerySet[User]:
    """Who may sign documents of ``user``'s agency: holders of the permission document_approve checks."""
    return agency_signers(user.agency_id)


def agency_signers(agency_id: int | None) -> QuerySet[User]:
    """The agency's people who hold the permission to sign (its leaders)."""
    may_sign = Q(
        groups__permissions__codename="approve_document", groups__permissions__content_type__app_label="directives"
    ) | Q(user_permissions__codename="approve_document", user_permissions__content_type__app_label="directives")
    return User.objects.filter(may_sign, agency_id=agency_id, is_active=True).distinct()


DELEGATED_AUTHORITIES = (SigningAuthority.TL, SigningAuthority.TUQ)


def authorised_signers(agency_id: int, authority: str) -> QuerySet[User]:
    """Who the agency lets sign «TL.» or «TUQ.» (directives.SigningAuthorisation)."""
    return User.objects.filter(
        signing_authorisations__agency_id=agency_id, signing_authorisations__authority=authority, is_active=True
    ).distinct()


def signers_of(document: Document) -> QuerySet[User]:
    """Who may sign ``document``: for «TL.»/«TUQ.» the people authorised for it, else the agency's leaders."""
    if document.signing_authority in DELEGATED_AUTHORITIES:
        return authorised_signers(document.agency_id, document.signing_authority)
    return agency_signers(document.agency_id)


def may_sign(user: User, document: Document) -> bool:
    """``user`` may put their name under ``document`` as it stands (authority included)."""
    if document.signing_authority in DELEGATED_AUTHORITIES:
        return SigningAuthorisation.objects.filter(
            user=user, agency_id=document.agency_id, authority=document.signing_authority
        ).exists()
    return user.agency_id == document.agency_id and user.has_perm("directives.approve_document")


def heads_of(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(memberships__unit_id=unit_id, memberships__is_head=True, is_active=True)


def is_head_of(user: User, unit_id: int | None) -> bool:
    return unit_id is not None and Membership.objects.filter(user=user, unit_id=unit_id, is_head=True).exists()


def stands_in_for(user: User, document: Document) -> User | None:
    """The person ``document`` waits for when ``user`` is their substitute today; None otherwise
    (also when it waits for ``user`` themself)."""
    if document.pending_with_id is None or document.pending_with_id == user.pk:
        return None
    return principals_of(user).filter(pk=document.pending_with_id).first()


def _holds(user: User, document: Document) -> bool:
    """The document waits for ``user``, or for someone ``user`` stands in for today."""
    return document.pending_with_id == user.pk or stands_in_for(user, document) is not None


def can_edit(user: User, document: Document) -> bool:
    return document.state in (S.DRAFT, S.RETURNED) and document.author_id == user.pk


def can_submit(user: User, document: Document) -> bool:
    return can_edit(user, document)


def submit_choices(user: User, document: Document) -> QuerySet[User]:
    """Whom the author may send the draft to: the heads of the drafting unit for review, or, when
    the author heads that unit, the document's possible signers directly."""
    if is_head_of(user, document.drafting_unit_id):
        return signers_of(document).order_by("full_name")
    return heads_of(document.drafting_unit_id).exclude(pk=user.pk).order_by("full_name")


def submit_suggestion(user: User, document: Document) -> User | None:
    """Who is preselected in the submit dialog: the draft's signer when going straight for
    signature, else the (first) head of the drafting unit."""
    choices = list(submit_choices(user, document))
    if document.signer_id and any(c.pk == document.signer_id for c in choices):
        return next(c for c in choices if c.pk == document.signer_id)
    return choices[0] if choices else None


def can_forward(user: User, document: Document) -> bool:
    return document.state == S.REVIEW and _holds(user, document)


def can_approve(user: User, document: Document) -> bool:
    return document.state == S.SIGNING and _holds(user, document) and may_sign(user, document)


def can_return(user: User, document: Document) -> bool:
    return document.state in (S.REVIEW, S.SIGNING) and _holds(user, document)


def can_hand_over(user: User, document: Document) -> bool:
    """Give a document waiting for one signer to another: the clerk, the signer, or his substitute."""
    return (
        document.state == S.SIGNING
        and document.agency_id == user.agency_id
        and (_holds(user, document) or Role.CLERK in user.roles and user.has_perm("directives.issue_document"))
    )


def can_issue(user: User, document: Document) -> bool:
    return (
        document.state == S.APPROVED
        and document.agency_id == user.agency_id
        and user.has_perm("directives.issue_document")
    )


def can_retry_pdf(user: User, document: Document) -> bool:
    """Who may ask for a failed official PDF to be rendered again: those who issue the agency's documents."""
    return document.is_issued and document.agency_id == user.agency_id and user.has_perm("directives.issue_document")


def can_register_incoming(user: User) -> bool:
    return user.agency_id is not None and user.has_perm("directives.register_incoming")


def can_route(user: User, document: Document) -> bool:
    return (
        document.direction == Document.Direction.INCOMING
        and document.state == S.REGISTERED
        and document.agency_id == user.agency_id
        and user.has_perm("directives.route_incoming")
    )


def can_follow_up(user: User, document: Document) -> bool:
    """Draft a correction or recall of an issued document."""
    return document.is_issued and (user.is_leader or Role.CLERK in user.roles or document.author_id == user.pk)


def can_make_copy(user: User, document: Document) -> bool:
    """Make a sao y, trích sao or sao lục: the agency's clerk (who issues its documents), of a
    document they may see that is issued or registered. Seeing is checked by the caller
    (``document_get_for`` or ``documents_visible_to``): a confidential one needs a grant."""
    copyable = document.is_issued or (
        document.direction == Document.Direction.INCOMING and document.state in (S.REGISTERED, S.ROUTED)
    )
    return (
        copyable
        and document.agency_id == user.agency_id
        and Role.CLERK in user.roles
        and user.has_perm("directives.issue_document")
    )


# Tasks are given from documents that are in force: issued ones, and incoming ones once registered
# (who may give them is tasks.permissions.can_give_tasks_from).
TASKABLE_STATES = (S.ISSUED, S.REGISTERED, S.ROUTED)


def can_view_registers(user: User) -> bool:
    """See, print and export the registers of Decree 30 Appendix IV of one's own agency.

    The clerk keeps them and the agency's leaders read them; nobody else, not even a
    unit head (their unit's documents are in their inbox). Which rows each of them sees
    is still ``documents_visible_to``: a confidential document shows only with a grant.
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and (Role.CLERK in user.roles or user.is_leader)
    )


def can_manage_personal_certificate(by: User, user: User) -> bool:
    """A person keeps their own signing certificate; an administrator of their agency (or a
    superuser) may keep it for them. Nobody else, not even their director."""
    if not by.is_active:
        return False
    if by.is_superuser or by.pk == user.pk:
        return True
    return Role.ADMINISTRATOR in by.roles and by.agency_id is not None and by.agency_id == user.agency_id
