"""The document pages. Each view parses, calls one service or selector, and renders;
rights come from directives.permissions, refusals from the services' DomainError."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import audit_download
from directives import copies, forms, permissions, selectors, services
from directives.models import Document
from directives.revisions import revisions_compare, revisions_masked
from directives.views import word as word_views
from directives.views.pdf import pdf_panel_context
from lib.downloads import stored_file_response
from lib.errors import DomainError, NotAllowed
from lib.html import sanitize_body
from lib.kept_forms import form_keep
from lib.pagination import CappedPaginator
from ops.idempotency import idempotent_form
from units import services as unit_services
from units.models import Delegation
from units.roles import Role

PAGE_SIZE = 50
# Documents whose points may become tasks: ours once issued, incoming ones once registered.


def _form_error(form, error: Exception) -> None:
    """Show a service's refusal on the form, on its field when the service names one."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _is_clerk(user) -> bool:
    return Role.CLERK in user.roles


@login_required
def desk(request):
    """The documents start page: what the person must do next, with counts."""
    user = request.user
    drafts = selectors.documents_my_drafts(user=user)
    waiting = selectors.documents_waiting_for(user=user)
    context = {
        "drafts": drafts[:5],
        "drafts_count": drafts.count(),
        "waiting": waiting[:10],
        "waiting_count": waiting.count(),
        "inbox_unread": selectors.unit_inbox(user=user).filter(is_read=False).count(),
        "is_clerk": _is_clerk(user),
        "is_leader": user.is_leader,
        "can_view_registers": permissions.can_view_registers(user),
    }
    if context["is_clerk"]:
        to_issue = selectors.documents_to_issue(user=user)
        to_route = selectors.documents_to_route(user=user)
        context.update(
            to_issue=to_issue[:10],
            to_issue_count=to_issue.count(),
            to_route=to_route[:10],
            to_route_count=to_route.count(),
        )
    elif user.is_leader:
        to_route = selectors.documents_to_route(user=user)
        context.update(to_route=to_route[:10], to_route_count=to_route.count())
    return render(request, "directives/desk.html", context)


def _list(request, *, title: str, documents, filters=None, fixed_direction: str = "", show_inbox: bool = False):
    page = CappedPaginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directives/list.html",
        {
            "title": title,
            "page": page,
            "filters": filters,
            "fixed_direction": fixed_direction,
            "show_inbox": show_inbox,
            "query": query.urlencode(),
        },
    )


def _filtered(request, *, direction: str = ""):
    form = forms.FilterForm(request.GET or None, user=request.user)
    if not form.is_filtering():
        return form, None
    data = dict(form.cleaned_data)
    if direction:
        data["direction"] = direction
    data = {k: v for k, v in data.items() if v not in (None, "")}
    return form, selectors.document_search(user=request.user, filters=selectors.DocumentFilters(**data))


@login_required
def outgoing(request):
    form, found = _filtered(request, direction=Document.Direction.OUTGOING)
    documents = found if found is not None else selectors.documents_outgoing(user=request.user)
    return _list(
        request, title=_("Văn bản đi"), documents=documents, filters=form, fixed_direction=Document.Direction.OUTGOING
    )


@login_required
def incoming(request):
    form, found = _filtered(request, direction=Document.Direction.INCOMING)
    documents = found if found is not None else selectors.documents_incoming(user=request.user)
    return _list(
        request, title=_("Văn bản đến"), documents=documents, filters=form, fixed_direction=Document.Direction.INCOMING
    )


@login_required
def search(request):
    form, found = _filtered(request)
    documents = (
        found
        if found is not None
        else selectors.document_search(user=request.user, filters=selectors.DocumentFilters())
    )
    return _list(request, title=_("Tìm kiếm văn bản"), documents=documents, filters=form)


@login_required
def drafts(request):
    return _list(request, title=_("Dự thảo của tôi"), documents=selectors.documents_my_drafts(user=request.user))


@login_required
def waiting(request):
    return _list(request, title=_("Chờ tôi xử lý"), documents=selectors.documents_waiting_for(user=request.user))


@login_required
def delegations(request):
    """«Ủy quyền xử lý thay»: name a substitute for a period, and see who stands in for whom."""
    user = request.user
    if user.agency_id is None:
        raise PermissionDenied(_("Tài khoản của bạn chưa thuộc cơ quan nào."))
    form = forms.DelegationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            unit_services.delegation_create(by=user, principal=user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Đã đặt người xử lý thay."))
            return redirect("directives:delegations")
    mine = Delegation.objects.filter(Q(principal=user) | Q(substitute=user)).select_related("principal", "substitute")
    return render(request, "directives/delegations.html", {"form": form, "delegations": mine.order_by("-starts_on")})


@login_required
def inbox(request):
    return _list(request, title=_("Hộp thư đơn vị"), documents=selectors.unit_inbox(user=request.user), show_inbox=True)


WORD_LOAD = "load_docx"  # the name of the form's «Lấy nội dung từ tệp Word» button


def _draft_page(request, *, document: Document | None):
    user = request.user
    if request.method == "POST" and (WORD_LOAD in request.POST or request.FILES.get("body_docx")):
        # Word in: the body is filled from the .docx for review and nothing is saved; a .docx
        # chosen and «Lưu dự thảo» pressed is loaded the same way, never saved unseen.
        data = request.POST.copy()
        form = forms.DraftForm(data, request.FILES, user=user)
        references = forms.ReferenceFormSet(request.POST, user=user, prefix="ref")
        loaded = word_views.load_docx_into_form(form, request.FILES.get("body_docx"))
        if loaded is not None:
            data["body"] = loaded
            messages.info(request, _("Đã lấy nội dung từ tệp Word. Hãy xem lại rồi bấm «Lưu dự thảo»."))
        body_html = sanitize_body(data.get("body", ""))
    elif request.method == "POST":
        form = forms.DraftForm(request.POST, request.FILES, user=user)
        references = forms.ReferenceFormSet(request.POST, user=user, prefix="ref")
        if form.is_valid() and references.is_valid():
            fields = form.service_fields()
            try:
                with transaction.atomic():
                    # A failing attachment undoes the whole save: nothing half-created.
                    if document is None:
                        saved = services.document_create(by=user, references=references.references(), **fields)
                    else:
                        saved = services.document_update(
                            document=document, by=user, references=references.references(), **fields
                        )
                    for upload in form.cleaned_data["files"]:
                        services.attachment_add(document=saved, by=user, file=upload)
            except NotAllowed as error:
                raise PermissionDenied(error.message) from error
            except (DomainError, ValidationError) as error:
                _form_error(form, error)
            else:
                if getattr(saved, "was_changed", True) or form.cleaned_data["files"]:
                    messages.success(request, _("Đã lưu dự thảo."))
                else:
                    messages.info(request, _("Dự thảo không có thay đổi nào nên không lưu thêm bản sửa."))
                return redirect("directives:detail", pk=saved.pk)
        body_html = sanitize_body(request.POST.get("body", ""))
    else:
        if document is None:
            membership = user.memberships.select_related("unit").first()
            form = forms.DraftForm(user=user, initial={"drafting_unit": membership.unit if membership else None})
            references = forms.ReferenceFormSet(user=user, prefix="ref")
        else:
            recipients = list(document.recipients.all())
            form = forms.DraftForm(
                user=user,
                initial={
                    **{name: getattr(document, name) for name in services.DRAFT_FIELDS},
                    "recipient_units": [r.unit_id for r in recipients if r.unit_id],
                    "recipient_organisations": [r.organisation_id for r in recipients if r.organisation_id],
                },
            )
            references = forms.ReferenceFormSet(user=user, prefix="ref", initial=forms.reference_initial(document))
        body_html = form.initial.get("body", "")
    return render(
        request,
        "directives/form.html",
        {"form": form, "references": references, "document": document, "body_html": body_html},
    )


@login_required
@idempotent_form
def create(request):
    if request.user.agency_id is None:
        raise PermissionDenied(_("Tài khoản của bạn chưa thuộc cơ quan nào nên không soạn được văn bản."))
    return _draft_page(request, document=None)


@login_required
def edit(request, pk):
    document = permissions.document_get_for(request.user, pk)
    if not permissions.can_edit(request.user, document):
        raise PermissionDenied(_("Chỉ người soạn được sửa dự thảo khi dự thảo chưa trình."))
    return _draft_page(request, document=document)


@login_required
def detail(request, pk):
    user = request.user
    page = selectors.document_page(user=user, pk=pk)
    document = page.document
    services.document_mark_read(
        document=document, by=user, delivered=document.reader_delivered, read=document.reader_has_read
    )
    can = {
        "hand_over": permissions.can_hand_over(user, document),
        "edit": permissions.can_edit(user, document),
        "submit": permissions.can_submit(user, document),
        "forward": permissions.can_forward(user, document),
        "return": permissions.can_return(user, document),
        "approve": permissions.can_approve(user, document),
        "issue": permissions.can_issue(user, document),
        "follow_up": permissions.can_follow_up(user, document),
        "route": permissions.can_route(user, document),
        "copy": permissions.can_make_copy(user, document),
    }
    receipts = None
    if document.is_issued and (
        user.pk in (document.issued_by_id, document.author_id, document.signer_id) or user.is_leader or _is_clerk(user)
    ):
        rows = selectors.read_receipts(document=document)
        receipts = {"rows": rows, "read": sum(1 for r in rows if r.read_at), "total": len(rows)}
    return render(
        request,
        "directives/detail.html",
        {
            "document": document,
            "can": can,
            **_step_choices(user, document, can),
            "receipts": receipts,
            "visible": page.visible,
            "references": page.references,
            "cited_by": page.cited_by,
            "related_acts": page.related_acts,
            "copies": page.copies,
            **pdf_panel_context(document, user=request.user),
        },
    )


@login_required
def revisions(request, pk):
    document = permissions.document_get_for(request.user, pk)
    rows = revisions_masked(list(document.revisions.select_related("author").order_by("number")), user=request.user)
    by_number = {r.number: r for r in rows}

    def pick(name, default):
        try:
            return by_number.get(int(request.GET.get(name, "")), default)
        except ValueError:
            return default

    new = pick("b", rows[-1] if rows else None)
    old = pick("a", rows[-2] if len(rows) > 1 else new)
    changes = revisions_compare(old, new) if old and new and old is not new else []
    return render(
        request,
        "directives/revisions.html",
        {"document": document, "revisions": rows, "old": old, "new": new, "changes": changes},
    )


def _person_label(person) -> str:
    """«Lưu Thanh Tuấn — Chánh Văn phòng»: the name with the title or position people know them by."""
    title = person.title or next((m.position for m in person.memberships.all() if m.position), "")
    return f"{person.get_full_name()} — {title}" if title else person.get_full_name()


def _labelled(people) -> list[tuple[int, str]]:
    return [(p.pk, _person_label(p)) for p in people.prefetch_related("memberships")]


def _step_choices(user, document: Document, can: dict) -> dict:
    """The people each dialog offers, and who is preselected (the suggestion of the rules)."""
    context = {"acting_for": permissions.stands_in_for(user, document)}
    if can["submit"]:
        suggestion = permissions.submit_suggestion(user, document)
        context.update(
            submit_choices=_labelled(permissions.submit_choices(user, document)),
            submit_suggestion=suggestion.pk if suggestion else None,
            submit_to_signature=permissions.is_head_of(user, document.drafting_unit_id),
        )
    if can["forward"]:
        context["forward_choices"] = _labelled(permissions.signers_of(document).order_by("full_name"))
    if can["hand_over"]:
        others = permissions.signers_of(document).exclude(pk=document.pending_with_id).order_by("full_name")
        context["hand_over_choices"] = _labelled(others)
    return context


def _follow_up(relation):
    def run(*, document, by, comment=""):
        return services.document_follow_up(document=document, by=by, relation=relation)

    return run


ACTIONS = {
    "submit": (services.document_submit, gettext_lazy("Đã trình dự thảo.")),
    "forward": (services.document_forward, gettext_lazy("Đã chuyển trình ký.")),
    "return": (services.document_return, gettext_lazy("Đã trả lại dự thảo.")),
    "approve": (services.document_approve, gettext_lazy("Đã ký duyệt văn bản.")),
    "hand_over": (services.document_hand_over, gettext_lazy("Đã chuyển văn bản sang người ký khác.")),
    "issue": (services.document_issue, None),
    "correct": (_follow_up(Document.Relation.CORRECTS), gettext_lazy("Đã tạo dự thảo đính chính.")),
    "recall": (_follow_up(Document.Relation.RECALLS), gettext_lazy("Đã tạo dự thảo thu hồi.")),
}


@require_POST
@login_required
@idempotent_form
def act(request, pk, action):
    """One step of the workflow, dispatched to its service."""
    if action not in ACTIONS:
        raise Http404
    document = permissions.document_get_for(request.user, pk)
    service, done = ACTIONS[action]
    kwargs = {"document": document, "by": request.user}
    if action in ("submit", "forward", "hand_over"):
        step = forms.WorkflowStepForm(request.POST, user=request.user)
        if not step.is_valid():
            messages.error(request, " ".join(e for errors in step.errors.values() for e in errors))
            return redirect("directives:detail", pk=document.pk)
        kwargs["to"] = step.cleaned_data["to"]
    if action == "hand_over":
        kwargs["note"] = request.POST.get("comment", "")
    elif action != "issue":
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        result = service(**kwargs)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        # The dialog the action came from (e.g. «Trả lại» and its reason) opens again (lib/kept_forms.py).
        form_keep(request, dialog=f"{action}-modal", action=request.path, message=error.message)
        return redirect("directives:detail", pk=document.pk)
    if action == "issue":
        messages.success(request, _("Đã phát hành văn bản số %(symbol)s.") % {"symbol": result.symbol})
    else:
        messages.success(request, done)
    if action in ("correct", "recall"):
        return redirect("directives:edit", pk=result.pk)
    return redirect("directives:detail", pk=document.pk)


@login_required
@idempotent_form
def incoming_register(request):
    user = request.user
    if not permissions.can_register_incoming(user):
        raise PermissionDenied(_("Chỉ văn thư vào sổ văn bản đến."))
    duplicates = None
    if request.method == "POST":
        form = forms.IncomingForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.service_fields()
            confirmed = form.cleaned_data["confirm_duplicate"]
            duplicates = selectors.duplicates_named_for(
                user=user,
                duplicates=services.incoming_duplicates(
                    agency_id=user.agency_id, sender=data["sender"], symbol=data["symbol"], issued_on=data["issued_on"]
                ),
            )
            if duplicates and not confirmed:
                form.add_error("confirm_duplicate", forms.DUPLICATE_ASK)
            else:
                # Asked before registering: afterwards the last registered document is this one.
                backdated = services.incoming_backdated_warning(
                    agency_id=user.agency_id, received_on=data["received_on"]
                )
                try:
                    document = services.incoming_register(by=user, **data)
                except NotAllowed as error:
                    raise PermissionDenied(error.message) from error
                except (DomainError, ValidationError) as error:
                    _form_error(form, error)
                else:
                    message = _("Đã vào sổ văn bản đến. Số đến: %(number)s") % {"number": document.number}
                    messages.success(request, message)
                    if backdated:
                        messages.warning(request, backdated)
                    return redirect("directives:detail", pk=document.pk)
    else:
        form = forms.IncomingForm(user=user)
    return render(request, "directives/incoming_form.html", {"form": form, "duplicates": duplicates})


@login_required
@idempotent_form
def route(request, pk):
    user = request.user
    document = permissions.document_get_for(user, pk)
    if not permissions.can_route(user, document):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan phân công xử lý văn bản đến chưa được phân công."))
    form = forms.RouteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.incoming_route(document=document, by=user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Đã phân công xử lý văn bản."))
            return redirect("directives:detail", pk=document.pk)
    return render(request, "directives/route.html", {"form": form, "document": document})


@login_required
@idempotent_form
def copy(request, pk):
    """Make a sao y, trích sao or sao lục of a document (the clerk)."""
    user = request.user
    document = permissions.document_get_for(user, pk)
    try:
        copies.copy_allowed_check(document=document, by=user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    paragraphs = copies.paragraphs_of(document) if document.direction == Document.Direction.OUTGOING else []
    form = forms.CopyMakeForm(request.POST or None, user=user, document=document, paragraphs=paragraphs)
    if request.method == "POST" and form.is_valid():
        try:
            made = copies.copy_make(document=document, by=user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Đã sao văn bản, số %(symbol)s.") % {"symbol": made.symbol})
            return redirect("directives:detail", pk=made.pk)
    return render(request, "directives/copy_form.html", {"form": form, "document": document})


@login_required
def attachment(request, pk, attachment_pk):
    """Files are served only to people who may see the document (404 for anyone else)."""
    document = permissions.document_get_for(request.user, pk)
    file = get_object_or_404(document.attachments, pk=attachment_pk)
    if document.is_confidential:
        audit_download(obj=document, what=_("Tệp đính kèm"), request=request)
    return stored_file_response(file.file, filename=file.name)
