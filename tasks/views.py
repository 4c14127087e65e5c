"""The task pages. Each view parses, calls one service or selector, and renders;
rights come from tasks.permissions, refusals from the services' DomainError."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_download
from directives.permissions import document_get_for, documents_visible_to
from lib.downloads import stored_file_response
from lib.errors import DomainError, NotAllowed
from lib.forms import form_status
from lib.kept_forms import form_keep
from lib.text import shorten
from lib.workdays import local_now
from ops.idempotency import idempotent_form
from tasks import forms, selectors, services
from tasks import permissions as rights
from tasks.models import Task, TaskFile, TrackingClass
from tasks.templatetags import task_badges
from tasks.tracking import class_filter
from units.models import Agency, Unit, User

PAGE_SIZE = 50
# The filters a dashboard's link carries that the filter bar does not show: kept when filtering.
KEPT = ("unit", "handler", "document", "scope", "from", "to")
T = Task.State
WORKING = (T.NEW, T.IN_PROGRESS, T.RETURNED)


# The lists of the people who judge results: their «Chờ nghiệm thu» card counts what waits for
# them (escalated items included) and a fifth card counts the extensions waiting for their decision.
JUDGING = ("unit", "supervised")


def _shortcuts(at, *, waiting: rights.Waiting | None) -> dict:
    """The count cards at the top of a list: each a filter over the person's tasks. For the
    people who judge, «Chờ nghiệm thu» and «Chờ quyết định gia hạn» are what waits for them
    (``waiting``, read once per request: the ladder is not repeated in each query)."""
    shortcuts = {
        "overdue": class_filter(TrackingClass.OVERDUE, at=at),
        "soon": Q(state__in=Task.OPEN_STATES, due_at__gte=at, due_at__lt=at + selectors.DUE_SOON),
        "working": Q(state__in=WORKING),
        "submitted": Q(state=T.SUBMITTED),
    }
    if waiting is not None:
        shortcuts["submitted"] = Q(pk__in=sorted(waiting.acceptance))
        shortcuts["extensions"] = Q(pk__in=sorted(waiting.extensions))
    return shortcuts


def _narrowed(user, data: dict) -> list[str]:
    """The filters a dashboard's link set, in words, for the line under the list's heading."""
    words = []
    if data.get("scope") == "supervised":
        words.append(_("Đơn vị tôi phụ trách"))
    if data.get("unit"):
        unit = Unit.objects.filter(pk=data["unit"], agency_id=user.agency_id).first()
        words.append(unit.name if unit else _("Đơn vị không xác định"))
    if data.get("handler") == selectors.NO_HANDLER:
        words.append(_("Chưa phân công"))
    elif data.get("handler"):
        person = User.objects.filter(pk=data["handler"], agency_id=user.agency_id).first()
        words.append(person.get_full_name() if person else _("Cán bộ không xác định"))
    if data.get("document"):
        document = documents_visible_to(user).filter(pk=data["document"]).first()
        name = (document.symbol or shorten(document.subject, 60)) if document else "?"
        words.append(_("Văn bản %(name)s") % {"name": name})
    if data.get("from") and data.get("to"):
        words.append(
            _("Hạn từ %(start)s đến %(end)s (không kể nhiệm vụ đã hủy)")
            % {"start": data["from"].strftime("%d/%m/%Y"), "end": data["to"].strftime("%d/%m/%Y")}
        )
    return words


def _list(request, *, kind: str, select, template_context=None, parts=None):
    """A list page: count cards, filters, and one page of rows ordered by urgency."""
    at = local_now()
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.TaskFilters(
        state=data.get("state", ""),
        tracking=data.get("tracking", ""),
        q=data.get("q", "").strip(),
        unit=data.get("unit"),
        start=data.get("from"),
        end=data.get("to"),
        handler=data.get("handler"),
        document=data.get("document"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    if data.get("scope") == "supervised" and kind == "all":  # the dashboards' "supervised" links; the
        select = partial(select, scope="supervised")  # other lists are narrower already and ignore it
        if parts is not None:
            parts = partial(parts, scope="supervised")
    waiting = rights.waiting_for(request.user) if kind in JUDGING else None
    if waiting is not None:
        select = partial(select, waiting=waiting)
        parts = parts and partial(parts, waiting=waiting)
    shortcuts = _shortcuts(at, waiting=waiting)
    show = request.GET.get("show", "")
    if parts is not None:
        # The unit list, and all tasks for a person without special rights: counted and ordered
        # over plain disjoint parts (the led tasks from one index), joined for the page only.
        counts = selectors.counts_over_parts(parts(user=request.user, at=at), shortcuts)
        chosen = parts(user=request.user, filters=filters, at=at)
        if show in shortcuts:
            chosen = [part.filter(shortcuts[show]) for part in chosen]
        ids = selectors.ids_ordered_over_parts(chosen)
    else:
        everything = select(user=request.user, at=at)
        counts = everything.order_by().aggregate(  # one pass over the plain rows: no joins, no sort
            total=Count("pk"), **{name: Count("pk", filter=rule) for name, rule in shortcuts.items()}
        )
        tasks = select(user=request.user, filters=filters, at=at)
        if show in shortcuts:
            tasks = tasks.filter(shortcuts[show])
        ids = tasks.values("pk")
    total = counts.pop("total")
    # The page's ids first, by the list's order over the plain rows; the joins and annotations
    # only for those 50 (PostgreSQL joined every row of a unit before its top-N sort).
    paginator = Paginator(ids, PAGE_SIZE)
    if filters == selectors.TaskFilters() and show not in shortcuts:
        paginator.count = total  # the same rows as the cards': not counted a second time
    page = paginator.get_page(request.GET.get("page"))
    page_ids = [row["id"] for row in page.object_list] if parts is not None else page.object_list
    page.object_list = selectors.task_rows(ids=page_ids, user=request.user, at=at)
    template_context = template_context or {}
    two_step = (
        kind in JUDGING
        and request.user.agency is not None
        and request.user.agency.acceptance_by == Agency.Approver.HEAD_THEN_LEADER
    )
    page.object_list = _rows(
        page.object_list,
        kind=kind,
        user=request.user,
        waiting=waiting,
        headed_ids=template_context.get("headed_ids", ()),
        two_step=two_step,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/list.html",
        {
            "kind": kind,
            "page": page,
            "filters": form,
            "narrowed": _narrowed(request.user, data),
            "kept": [(name, request.GET[name]) for name in KEPT if request.GET.get(name)],
            "counts": counts,
            "show": show,
            "query": query.urlencode(),
            "can_create": rights.can_create(request.user),
            "report_form": forms.ReportForm(),
            "working_states": [str(state) for state in WORKING],
            "two_step": two_step,
            **template_context,
        },
        status=form_status(form),
    )


def _rows(tasks, *, kind: str, user, waiting: rights.Waiting | None, headed_ids, two_step: bool) -> list:
    """The page's rows with what each shows prepared once, here: the template only prints
    (a filter, a tag or a translation per cell and row made rendering most of the page's time).
    Each task gets ``row``, a dict of its cells' texts, classes and links."""
    detail = reverse("tasks:detail", args=[_SENTINEL])
    acts = {
        action: reverse("tasks:act", args=[_SENTINEL, action]) for action in ("report", "accept", "return", "assign")
    }
    direct, secret, untitled = _("Giao trực tiếp"), _("Văn bản mật"), _("Văn bản")
    rows = list(tasks)
    for task in rows:
        pk = str(task.pk)
        if waiting is not None:
            task.awaits_acceptance = task.pk in waiting.acceptance
            task.awaits_extension = task.pk in waiting.extensions
            task.acting_for_name = waiting.acting_for.get(task.pk, "")
        acting_for = getattr(task, "acting_for_name", "")
        if task.document_id:
            source = secret if task.document_hidden else (task.document.symbol or untitled)
            if task.point:
                source += " · " + _("điểm %(p)s") % {"p": task.point}
        else:
            source = direct
        if kind != "supervised" and task.supervisor_id:
            source += " · " + task.supervisor.get_full_name()
        working = task.state in WORKING
        if kind == "mine" and working:
            action = "report"
        elif getattr(task, "awaits_acceptance", False):
            action = "accept"
        elif kind == "unit" and task.lead_unit_id in headed_ids and working:
            action = "assign"
        else:
            action = ""
        final = not (
            two_step
            and task.supervisor_id
            and not task.pre_accepted_at
            and task.supervisor_id != user.pk
            and acting_for != task.supervisor.full_name
        )
        task.row = {
            "css": task_badges.row_css(task),
            "url": detail.replace(_SENTINEL, pk),
            "title": shorten(task.title, 160),
            "action_title": shorten(task.title, 120) if action else "",
            "priority_css": task_badges.priority_css(task.priority),
            "priority": task.get_priority_display(),
            "source": source,
            "handler": task.handler.get_full_name() if task.handler_id else None,
            "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
            "state_css": task_badges.task_state_css(task.state),
            "state": task.get_state_display(),
            "tracking_css": task_badges.tracking_css(task.tracking),
            "tracking": task_badges.tracking_label(task.tracking),
            "pre_accepted": task.state == T.SUBMITTED and task.pre_accepted_at is not None,
            "acting_for": acting_for,
            "action": action,
            "action_urls": {name: url.replace(_SENTINEL, pk) for name, url in acts.items()} if action else {},
            "final": "yes" if final else "no",
            "extension": getattr(task, "awaits_extension", False),
        }
    return rows


_SENTINEL = "987654321"  # a pk no table reaches: the links are reversed once per page, then filled in


@login_required
def my_tasks(request):
    """The staff start page: the tasks I lead or support, the most urgent first."""
    return _list(request, kind="mine", select=selectors.my_tasks)


@login_required
def unit_tasks(request):
    """The unit head's start page: the tasks of the units I head, with their handlers."""
    headed = list(request.user.memberships.filter(is_head=True).select_related("unit"))
    unit_ids = request.user._headed_unit_ids = [m.unit_id for m in headed]  # tasks.permissions reads them
    return _list(
        request,
        kind="unit",
        select=selectors.unit_tasks,
        parts=selectors.unit_task_parts,
        template_context={
            "headed": headed,
            "headed_ids": unit_ids,
            "assign_form": forms.AssignForm(unit_ids=unit_ids) if unit_ids else None,
        },
    )


@login_required
def supervised(request):
    """The tasks I supervise as a director, with what waits for my acceptance first."""
    if not request.user.is_leader:
        raise PermissionDenied(_("Chỉ Ban Giám đốc phụ trách nhiệm vụ."))
    return _list(request, kind="supervised", select=selectors.supervised_tasks)


@login_required
def browse(request):
    """Every task I may see, narrowed by the filters a dashboard number links with."""
    # A person who sees only what concerns him: his set is an OR of rules, read as disjoint parts.
    narrow = rights.tasks_visible_parts(request.user) is not None
    return _list(
        request, kind="all", select=selectors.visible_tasks, parts=selectors.visible_task_parts if narrow else None
    )


def _show_error(form, error: DomainError) -> None:
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


@login_required
@idempotent_form
def create(request):
    """Give one task by hand."""
    user = request.user
    if not rights.can_create(user):
        raise PermissionDenied(_("Bạn không có quyền giao nhiệm vụ."))
    form = forms.TaskForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(by=user, **form.service_fields())
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/create.html", {"form": form})


@login_required
@idempotent_form
def create_from_document(request, document_pk):
    """One task per numbered point of a document, all created together or none."""
    user = request.user
    document = document_get_for(user, document_pk)
    if not rights.can_give_tasks_from(user, document):
        raise PermissionDenied(_("Chỉ giao nhiệm vụ từ văn bản đã phát hành hoặc văn bản đến đã vào sổ."))
    given = selectors.document_points_given(document=document)
    if request.method == "POST":
        formset = forms.PointFormSet(request.POST, user=user, given=given, prefix="point")
        if formset.is_valid():
            try:
                created = services.tasks_create_from_document(by=user, document=document, items=formset.items())
            except NotAllowed as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã giao %(n)s nhiệm vụ từ văn bản.") % {"n": len(created)})
                if skipped := formset.skipped_points():
                    messages.info(
                        request,
                        _("Không giao lại các điểm đã có nhiệm vụ: %(points)s.") % {"points": ", ".join(skipped)},
                    )
                return redirect("directives:detail", pk=document.pk)
    else:
        initial = forms.points_from_body(document.body, forms.agency_units(user))
        formset = forms.PointFormSet(user=user, given=given, prefix="point", initial=initial)
    return render(request, "tasks/from_document.html", {"document": document, "formset": formset})


@login_required
def detail(request, pk):
    user = request.user
    task = selectors.task_detail(pk=pk, user=user)  # 404 unless visible, in the same query
    pending = next((e for e in task.extensions.all() if e.state == "pending"), None)
    can = {
        "report": rights.can_report(user, task),
        "submit": rights.can_submit(user, task),
        "accept": rights.can_accept(user, task),
        "extend": rights.can_request_extension(user, task),
        "decide": pending is not None and rights.can_decide_extension(user, task, pending),
        "assign": rights.can_assign(user, task),
        "cancel": rights.can_cancel(user, task),
    }
    context = {
        "task": task,
        "can": can,
        "pending": pending,
        "any_action": any(can.values()),
        "accept_final": can["accept"] and rights.acceptance_is_final(user, task),
        "grant_final": can["decide"] and rights.extension_grant_is_final(user, task, pending),
        # Whom the user stands in for on what waits here (units.Delegation), for the notice.
        "acting_for": (can["accept"] and rights.acceptance_acting_for(user, task))
        or (can["decide"] and rights.extension_acting_for(user, task, pending))
        or None,
    }
    if can["report"]:
        context["report_form"] = forms.ReportForm(initial={"percent": task.progress})
    if can["submit"]:
        # Its own ids: the report dialog on the same page has a «files» field too.
        context["submit_form"] = forms.SubmitForm(auto_id="id_submit_%s")
    if can["extend"]:
        context["extension_form"] = forms.ExtensionForm()
    if can["assign"]:
        context["assign_form"] = forms.AssignForm(
            unit_ids=[task.lead_unit_id],
            initial={"handler": task.handler_id, "supporters": [u.pk for u in task.supporters.all()]},
        )
    return render(request, "tasks/detail.html", context)


# --- actions -------------------------------------------------------------------------


def _report(request, task):
    form = forms.ReportForm(request.POST, request.FILES, owner_id=request.user.pk)
    return form, lambda data: services.task_report(task=task, by=request.user, **data), _("Đã gửi báo cáo tiến độ.")


def _submit(request, task):
    form = forms.SubmitForm(request.POST, request.FILES, owner_id=request.user.pk)
    return form, lambda data: services.task_submit(task=task, by=request.user, **data), _("Đã báo cáo hoàn thành.")


def _accept(request, task):
    form = forms.NoteForm(request.POST)
    final = rights.acceptance_is_final(request.user, task)
    done = _("Đã nghiệm thu nhiệm vụ.") if final else _("Đã nghiệm thu, chuyển lãnh đạo phụ trách nghiệm thu lần cuối.")
    return form, lambda data: services.task_accept(task=task, by=request.user, **data), done


def _return(request, task):
    form = forms.ReasonForm(request.POST)
    return form, lambda data: services.task_return(task=task, by=request.user, **data), _("Đã trả lại nhiệm vụ.")


def _extend(request, task):
    form = forms.ExtensionForm(request.POST)

    def run(data):
        return services.task_extension_request(task=task, by=request.user, **data)

    return form, run, _("Đã gửi đề nghị gia hạn.")


def _decide(grant: bool):
    def parse(request, task):
        form = forms.DecisionForm(request.POST)

        def run(data):
            extension = get_object_or_404(task.extensions, pk=data["extension"])
            return services.task_extension_decide(extension=extension, by=request.user, grant=grant, note=data["note"])

        return form, run, _("Đã đồng ý gia hạn.") if grant else _("Đã không đồng ý gia hạn.")

    return parse


def _assign(request, task):
    form = forms.AssignForm(request.POST, unit_ids=[task.lead_unit_id])
    return form, lambda data: services.task_assign(task=task, by=request.user, **data), _("Đã phân công xử lý.")


def _cancel(request, task):
    form = forms.CancelForm(request.POST)
    return form, lambda data: services.task_cancel(task=task, by=request.user, **data), _("Đã hủy nhiệm vụ.")


ACTIONS = {
    "report": _report,
    "submit": _submit,
    "accept": _accept,
    "return": _return,
    "extend": _extend,
    "extension-grant": _decide(True),
    "extension-refuse": _decide(False),
    "assign": _assign,
    "cancel": _cancel,
}


def _back(request, task):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tasks:detail", pk=task.pk)


# The dialog of each action is #<action>-modal, except the extension decision's two buttons.
DIALOGS = {"extension-grant": "decide", "extension-refuse": "decide"}


def _keep(request, task, action, form, message="") -> None:
    # The redirect cannot carry the input: the next page opens the dialog again with it (lib.kept_forms).
    form_keep(
        request,
        dialog=f"{DIALOGS.get(action, action)}-modal",
        action=reverse("tasks:act", args=[task.pk, action]),
        form=form,
        message=message,
        title=task.title,
    )


@require_POST
@login_required
@idempotent_form
def act(request, pk, action):
    """One step of a task's life, dispatched to its service; a refusal changes nothing."""
    if action not in ACTIONS:
        raise Http404
    task = rights.task_get_for(request.user, pk)
    form, run, done = ACTIONS[action](request, task)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        _keep(request, task, action, form)
        return _back(request, task)
    try:
        run(form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        _keep(request, task, action, form, error.message)
        return _back(request, task)
    messages.success(request, done)
    return _back(request, task)


@login_required
def task_file(request, pk, file_pk):
    """A report's file, served only to people who may see the task (404 for anyone else)."""
    task = rights.task_get_for(request.user, pk)
    file = get_object_or_404(TaskFile, pk=file_pk, report__task=task)
    if task.document_id is not None and task.document.is_confidential:
        audit_download(obj=task, what=_("Tệp báo cáo tiến độ"), request=request)
    return stored_file_response(file.file, filename=file.name)
