"""The pages of reading a received document (issue #17): read it, check the form it fills and
register it; route it with its proposed tasks. Thin: rights and writes are intake.registration's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directives import permissions as document_rights
from directives import selectors as document_selectors
from directives import services as documents
from directives.forms import DUPLICATE_ASK, RouteForm
from intake import forms, permissions, registration, services
from intake.models import Reading
from lib.errors import DomainError, NotAllowed
from ops.idempotency import idempotent_form
from tasks.forms import agency_units
from tasks.selectors import document_points_given


def _form_error(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        form.add_error(None, error.messages)
        return
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _clerk_only(user) -> None:
    if not permissions.can_read(user):
        raise PermissionDenied(_("Chỉ văn thư đọc và vào sổ văn bản đến."))


@login_required
@idempotent_form
def read(request):
    """«Đọc văn bản»: the clerk gives the received file or pastes its text."""
    user = request.user
    _clerk_only(user)
    form = forms.ReadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            reading = services.reading_create(
                by=user, file=form.cleaned_data["file"], text=form.cleaned_data["text"] or None
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("intake:register", pk=reading.pk)
    return render(request, "intake/read.html", {"form": form})


@login_required
@idempotent_form
def register(request, pk):
    """The register form filled from the reading; every field editable, doubtful ones marked."""
    user = request.user
    reading = permissions.reading_get_for(user, pk)  # 404 for anyone but its agency's clerks
    if reading.document_id is not None:
        messages.info(request, _("Văn bản này đã được vào sổ."))
        return redirect("directives:detail", pk=reading.document_id)
    if reading.state != Reading.State.DONE:
        return render(request, "intake/pending.html", {"reading": reading})
    initial = registration.form_initial(reading)
    checks = registration.fields_to_check(reading, initial)
    duplicates = None
    if request.method == "POST":
        form = forms.RegisterForm(request.POST, user=user)
        if form.is_valid():
            data = form.service_fields()
            duplicates = (
                document_selectors.duplicates_named_for(
                    user=user,
                    duplicates=documents.incoming_duplicates(
                        agency_id=user.agency_id, sender=data["sender"], symbol=data["symbol"],
                        issued_on=data["issued_on"],
                    ),
                )
                if data["sender"] is not None
                else []
            )  # fmt: skip
            if duplicates and not form.cleaned_data["confirm_duplicate"]:
                form.add_error("confirm_duplicate", DUPLICATE_ASK)
            else:
                backdated = documents.incoming_backdated_warning(
                    agency_id=user.agency_id, received_on=data["received_on"]
                )
                try:
                    document = registration.reading_register(reading=reading, by=user, **data)
                except NotAllowed as error:
                    raise PermissionDenied(error.message) from error
                except (DomainError, ValidationError) as error:
                    _form_error(form, error)
                else:
                    messages.success(
                        request, _("Đã vào sổ văn bản đến. Số đến: %(number)s") % {"number": document.number}
                    )
                    if backdated:
                        messages.warning(request, backdated)
                    return redirect("directives:detail", pk=document.pk)
    else:
        form = forms.RegisterForm(user=user, initial={"received_on": timezone.localdate(), **initial})
    fields = reading.fields or {}
    return render(
        request,
        "intake/register.html",
        {
            "reading": reading,
            "form": form,
            "checks": checks,
            "duplicates": duplicates,
            "paragraphs": fields.get("body") or [],
            "references": [
                {**ref, "issued_on": registration.date_of(ref.get("issued_on"))}
                for ref in fields.get("references") or ()
            ],
            "items": fields.get("items") or [],
            "low_confidence": reading.confidence is not None and reading.confidence < 80,
        },
    )


@login_required
def status(request, pk):
    """Polled by the waiting page: the same notice while the OCR job runs, then to the form."""
    reading = permissions.reading_get_for(request.user, pk)
    if reading.state == Reading.State.PENDING:
        return render(request, "intake/_pending_status.html", {"reading": reading})
    response = HttpResponse(status=204)
    response["HX-Redirect"] = reverse("intake:register", args=[reading.pk])
    return response


@login_required
@idempotent_form
def route(request, pk):
    """The director's routing with the read document's points proposed as tasks: one submit
    routes and gives every ticked point, or changes nothing."""
    user = request.user
    document = document_rights.document_get_for(user, pk)
    if not document_rights.can_route(user, document):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan phân công xử lý văn bản đến chưa được phân công."))
    given = document_points_given(document=document)
    if request.method == "POST":
        form = RouteForm(request.POST, user=user)
        proposals = forms.ProposalFormSet(request.POST, user=user, given=given, prefix="point")
        if form.is_valid() and proposals.is_valid():
            try:
                _routing, created = registration.route_with_tasks(
                    document=document, by=user, items=proposals.items(), **form.cleaned_data
                )
            except NotAllowed as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                _form_error(form, error)
            else:
                if created:
                    message = _("Đã phân công xử lý văn bản và giao %(n)s nhiệm vụ.") % {"n": len(created)}
                else:
                    message = _("Đã phân công xử lý văn bản.")
                messages.success(request, message)
                return redirect("directives:detail", pk=document.pk)
    else:
        initial = registration.proposals_of(document=document, units=list(agency_units(user)))
        form = RouteForm(user=user, initial=registration.routing_initial(initial))
        proposals = forms.ProposalFormSet(user=user, given=given, prefix="point", initial=initial)
    return render(request, "intake/route.html", {"form": form, "proposals": proposals, "document": document})
