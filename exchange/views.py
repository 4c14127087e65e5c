"""The exchange's pages (docs/exchange.md, "Screens"): the arrivals a clerk accepts or refuses,
a recall answered, and the sender's actions from the document page (recall, send again).
Thin: rights come from exchange.permissions, writes and refusals from the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from directives import permissions as document_rights
from exchange import forms, outbox, selectors, services
from exchange import permissions as rights
from exchange.models import Outgoing, Received
from lib.downloads import content_type_of, file_headers
from lib.errors import DomainError, NotAllowed
from lib.kept_forms import form_keep
from lib.pagination import CappedPaginator
from ops.idempotency import idempotent_form

PAGE_SIZE = 50
TAB_LABELS = {
    "waiting": Received.State.WAITING.label,
    "accepted": Received.State.ACCEPTED.label,
    "refused": Received.State.REFUSED.label,
    "recall": gettext_lazy("Lấy lại"),
}


def _clerk_only(user) -> None:
    if not rights.can_receive(user, user.agency):
        raise PermissionDenied(_("Chỉ văn thư tiếp nhận văn bản liên thông."))


def _back(request, default: str):
    """To the page the form came from (the arrival or the document), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _refused(request, *, dialog: str, message: str, back: str, form=None):
    """Show the refusal, keep what was typed for the dialog it came from, and go back: nothing changed."""
    messages.error(request, message)
    form_keep(request, dialog=dialog, action=request.path, form=form, message=message)
    return _back(request, back)


def _invalid(request, *, dialog: str, form, back: str):
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    return _refused(request, dialog=dialog, message=message, back=back, form=form)


# --- The receiving agency ------------------------------------------------------------------------


@login_required
@require_GET
def arrivals(request):
    """«Văn bản liên thông»: what arrived for the agency, by tab; the waiting ones first."""
    user = request.user
    _clerk_only(user)
    tab = request.GET.get("tab") or "waiting"
    if tab not in selectors.TABS:
        tab = "waiting"
    page = CappedPaginator(selectors.arrivals_tab(user=user, tab=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/arrivals.html",
        {
            "tabs": [(key, TAB_LABELS[key]) for key in selectors.TABS],
            "tab": tab,
            "page": page,
            "query": f"tab={tab}",
            "waiting_count": selectors.arrivals_waiting_count(user) if tab != "waiting" else page.paginator.count,
        },
    )


@login_required
@require_GET
def waiting_badge(request):
    """The waiting count in the menu, fetched after the page (so no page pays for it)."""
    return render(request, "exchange/_waiting_badge.html", {"n": selectors.arrivals_waiting_count(request.user)})


@login_required
@require_GET
def arrival(request, pk):
    """One arrival as sent: its fields, its files and their signatures, and what may be done with it."""
    user = request.user
    received = rights.arrival_get_for(user, pk)
    package = selectors.arrival_package(received)
    return render(
        request,
        "exchange/arrival.html",
        {
            "arrival": received,
            "package": package,
            "files": selectors.arrival_files(received, package),
            "can_decide": rights.can_decide(user, received),
            "can_answer_recall": rights.can_answer_recall(user, received),
        },
    )


@login_required
@require_GET
def arrival_file(request, pk, index):
    """One file of an arrival, from the package as stored (404 for anyone who may not see it)."""
    received = rights.arrival_get_for(request.user, pk)
    package = selectors.arrival_package(received)
    if package is None or index >= len(package.attachments):
        raise Http404
    attachment = package.attachments[index]
    name = selectors.safe_filename(attachment.name, index=index)
    # The type follows the name we serve it under, never what the sender declared (text/html…).
    response = HttpResponse(attachment.data, content_type=content_type_of(name))
    return file_headers(response, filename=name)


def _attempt(request, *, dialog: str, back: str, form, act):
    """Check ``form``, then ``act(cleaned_data)``: (None, its result), or (the refusal, None) when
    the input or the service refused; the refusal changed nothing and keeps what was typed."""
    if not form.is_valid():
        return _invalid(request, dialog=dialog, form=form, back=back), None
    try:
        return None, act(form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        return _refused(request, dialog=dialog, message=error.message, back=back, form=form), None


def _waiting(request, pk):
    """The arrival (404 for whoever may not see it), its page, and the answer when it waits no more."""
    received = rights.arrival_get_for(request.user, pk)
    back = reverse("exchange:arrival", args=[received.pk])
    if rights.can_decide(request.user, received):
        return received, back, None
    messages.error(request, _("Văn bản liên thông này đã được xử lý."))
    return received, back, redirect(back)


@login_required
@require_POST
@idempotent_form
def arrival_accept(request, pk):
    """«Tiếp nhận và vào sổ»: register the arrival and tell the sender (03)."""
    received, back, done = _waiting(request, pk)
    if done:
        return done
    refusal, document = _attempt(
        request, dialog="accept-modal", back=back, form=forms.ReasonForm(request.POST),
        act=lambda data: services.arrival_accept(received=received, by=request.user),
    )  # fmt: skip
    if refusal:
        return refusal
    messages.success(
        request,
        _("Đã vào sổ văn bản đến số %(number)s; nơi gửi được báo «Đã tiếp nhận».") % {"number": document.number},
    )
    return redirect("directives:detail", pk=document.pk)


@login_required
@require_POST
@idempotent_form
def arrival_refuse(request, pk):
    """«Từ chối tiếp nhận» with the reason the sender is told (02)."""
    received, back, done = _waiting(request, pk)
    if done:
        return done
    refusal, _refused_arrival = _attempt(
        request, dialog="refuse-modal", back=back,
        form=forms.ReasonForm(request.POST, required_message=forms.REFUSE_REASON),
        act=lambda data: services.arrival_refuse(received=received, by=request.user, reason=data["reason"]),
    )  # fmt: skip
    if refusal:
        return refusal
    messages.success(request, _("Đã từ chối tiếp nhận; nơi gửi được báo lý do."))
    return redirect(back)


def _recall_answer(request, pk, *, agree: bool):
    user = request.user
    received = rights.arrival_get_for(user, pk)
    back = reverse("exchange:arrival", args=[received.pk])
    if not rights.can_answer_recall(user, received):
        messages.error(request, _("Không có yêu cầu lấy lại nào chờ trả lời."))
        return _back(request, back)
    refusal, _answered = _attempt(
        request, dialog="recall-agree-modal" if agree else "recall-refuse-modal", back=back,
        form=forms.ReasonForm(request.POST, required_message="" if agree else forms.RECALL_REFUSE_REASON),
        act=lambda data: services.recall_answer(received=received, by=user, agree=agree, reason=data["reason"]),
    )  # fmt: skip
    if refusal:
        return refusal
    if agree:
        messages.success(request, _("Đã đồng ý trả lại văn bản; nơi gửi được báo «Đồng ý lấy lại»."))
        return redirect(back)  # the document page may no longer be there for everyone
    messages.success(request, _("Đã từ chối yêu cầu lấy lại; nơi gửi được báo lý do."))
    return _back(request, back)


@login_required
@require_POST
@idempotent_form
def recall_agree(request, pk):
    """«Đồng ý trả lại»: the document is withdrawn from the agency and the sender told (15)."""
    return _recall_answer(request, pk, agree=True)


@login_required
@require_POST
@idempotent_form
def recall_refuse(request, pk):
    """«Từ chối» a recall request, with the reason the sender is told (16)."""
    return _recall_answer(request, pk, agree=False)


# --- The sending agency --------------------------------------------------------------------------


@login_required
@require_POST
@idempotent_form
def recall_request(request, pk):
    """«Yêu cầu lấy lại»: ask the chosen recipients to give the document back (13)."""
    user = request.user
    document = document_rights.document_get_for(user, pk)
    if not rights.can_recall(user, document):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành yêu cầu lấy lại văn bản."))
    back = reverse("directives:detail", args=[document.pk])
    choices = [(r.to_id, r.name) for r in selectors.recipients_of(document) if selectors.recipient_recallable(r)]
    refusal, sent = _attempt(
        request, dialog="recall-request-modal", back=back, form=forms.RecallRequestForm(request.POST, choices=choices),
        act=lambda data: services.recall_request(
            document=document, by=user, reason=data["reason"], to_ids=data["to_ids"]
        ),
    )  # fmt: skip
    if refusal:
        return refusal
    messages.success(request, _("Đã gửi yêu cầu lấy lại tới %(n)s nơi nhận.") % {"n": len(sent)})
    return redirect(back)


@login_required
@require_POST
@idempotent_form
def outgoing_retry(request, pk):
    """«Gửi lại» a package whose sending failed (the issuing agency's clerks)."""
    user = request.user
    row, document = selectors.package_sent_get_for(user, pk)  # 404 for whoever may not see the document
    if not rights.can_export(user, document):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành gửi lại văn bản liên thông."))
    back = reverse("directives:detail", args=[document.pk])
    if row.state != Outgoing.State.FAILED:
        messages.error(request, _("Chỉ gửi lại được văn bản gửi lỗi."))
        return redirect(back)
    try:
        outbox.outgoing_retry(outgoing=row, by=user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    name = row.organisation.name if row.organisation_id else row.to_id
    messages.success(request, _("Đã đưa văn bản vào hàng gửi lại tới %(name)s.") % {"name": name})
    return redirect(back)
