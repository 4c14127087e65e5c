"""Every write to the tasks app's tables goes through these functions."""

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import audit_bulk_update
from lib.errors import DomainError, NotAllowed
from lib.text import shorten
from lib.uploads import upload_checked
from lib.vn_holidays import holidays_for_year
from lib.workdays import deadline_end, local_today
from notifications.services import notification_send
from tasks import permissions as rights
from tasks.calendar import calendar_current, calendar_invalidate
from tasks.models import (
    DueReport,
    Extension,
    Holiday,
    HolidayYear,
    ProgressReport,
    ReminderRule,
    Task,
    TaskEvent,
    TaskFile,
)
from tasks.points import TITLE_MAX
from tasks.selectors import document_points_given
from units.models import Membership, Unit, User


def _check_may_edit_calendar(by: User, action: str) -> None:
    if not rights.can_keep_calendar(by, action):
        raise NotAllowed("Bạn không có quyền sửa lịch ngày nghỉ.")


def _calendar_changed() -> None:
    """After a change to the holidays: deadlines and reminder windows are computed afresh."""
    transaction.on_commit(calendar_invalidate)
    _reminder_passes_reset()


def _reminder_passes_reset() -> None:
    """Make the next sweep read every task for every rule: the working days they count changed."""
    ReminderRule.objects.update(swept_on=None, swept_from=None)


def holidays_preload(*, years: Iterable[int]) -> list[int]:
    """Load the public holidays the law sets for each of ``years`` not loaded before; return the years loaded.

    Idempotent: a year is loaded once and remembered (``HolidayYear``), so a second run
    changes nothing, and a row the administrator edited, moved or deleted afterwards stays
    as they left it. A date that already has a row (a swapped day entered before the load)
    keeps it. Each year is loaded in its own transaction: all its rows or none.
    """
    loaded = []
    for year in sorted(set(years)):
        with transaction.atomic():
            _year, created = HolidayYear.objects.get_or_create(year=year)
            if not created:
                continue
            taken = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
            rows = [
                Holiday(date=day, name=name, kind=Holiday.Kind.HOLIDAY, origin=Holiday.Origin.LAW)
                for day, name in holidays_for_year(year)
                if day not in taken
            ]
            for row in rows:
                row.full_clean(validate_unique=False, validate_constraints=False)
            # The unique date constraint is the backstop if two loads of the same year race.
            Holiday.objects.bulk_create(rows)
            _calendar_changed()
        loaded.append(year)
    return loaded


@transaction.atomic
def holiday_save(*, holiday: Holiday, by: User) -> Holiday:
    """Create or change one day of the calendar as the administrator ``by``.

    The row becomes the administrator's (a later load never overwrites it) and deadlines
    computed after the commit use it.
    """
    _check_may_edit_calendar(by, "change" if holiday.pk else "add")
    holiday.origin = Holiday.Origin.ADMINISTRATOR
    holiday.full_clean()
    holiday.save()
    _calendar_changed()
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, by: User) -> None:
    """Remove one day from the calendar as the administrator ``by``; a later load does not bring it back."""
    _check_may_edit_calendar(by, "delete")
    holiday.delete()
    _calendar_changed()


# --- Reminder rules -----------------------------------------------------------


@transaction.atomic
def reminder_rule_save(*, rule: ReminderRule, by: User) -> ReminderRule:
    """Create or change a reminder rule as the administrator ``by``, validated whole (office hours, recipients).

    The next sweep applies it. Reminders already sent stay sent: each is keyed by its rule and
    occasion, so a changed rule never repeats one it already sent for the same deadline.
    """
    if not rights.can_keep_reminder_rules(by, "change" if rule.pk else "add"):
        raise NotAllowed(_("Bạn không có quyền sửa quy tắc nhắc việc."))
    rule.full_clean()
    rule.swept_on = rule.swept_from = None  # the next sweep reads every task for it
    rule.save()
    return rule


def reminder_rules_activate(*, rule_ids: Iterable[int], active: bool, by: User) -> int:
    """Start or stop applying these rules from the next sweep; return how many changed. Each rule
    changed gets its audit record in the same transaction."""
    if not rights.can_keep_reminder_rules(by, "change"):
        raise NotAllowed(_("Bạn không có quyền sửa quy tắc nhắc việc."))
    with transaction.atomic():
        changed = list(
            ReminderRule.objects.select_for_update()
            .filter(pk__in=list(rule_ids))
            .exclude(is_active=active)
            .values_list("pk", flat=True)
        )
        count = ReminderRule.objects.filter(pk__in=changed).update(is_active=active, swept_on=None, swept_from=None)
        # update() sends no signal: the audit trail is told here, in the same transaction.
        audit_bulk_update(model=ReminderRule, pks=changed, changes={"is_active": [not active, active]})
    return count


# --- Tasks ------------------------------------------------------------------


def _link(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])


def _event(task: Task, by: User, action: str, comment: str = "", acting_for: User | None = None, **data) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task, actor=by, acting_for=acting_for, action=action, comment=comment, data=data
    )


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "agency", "supervisor", "handler", "pre_accepted_by")
        .get(pk=task.pk)
    )


def _set_deadline(task: Task, deadline: date | None) -> None:
    task.deadline = deadline
    task.due_at = deadline_end(deadline) if deadline else None


def _supervisor_for(by: User, lead_unit: Unit) -> User | None:
    """A leader who gives a task supervises it; otherwise the leader who supervises the lead unit."""
    if by.is_leader:
        return by
    return (
        User.objects.filter(supervisions__unit=lead_unit, is_active=True, agency_id=lead_unit.agency_id)
        .order_by("pk")
        .first()
    )


def deadline_from(*, start: date, working_days: int) -> date:
    """The date ``working_days`` working days after ``start`` (weekends and holidays skipped)."""
    if working_days < 1:
        raise DomainError(_("Số ngày làm việc phải từ 1 trở lên."))
    return calendar_current().add_working_days(start, working_days)


def _validate_units(by: User, lead_unit: Unit, cooperating: list[Unit]) -> list[Unit]:
    if lead_unit.agency_id != by.agency_id or any(u.agency_id != by.agency_id for u in cooperating):
        raise DomainError(_("Chỉ giao nhiệm vụ cho đơn vị thuộc cơ quan."))
    if not rights.can_create_for(by, lead_unit.pk):
        raise NotAllowed(_("Bạn chỉ giao được nhiệm vụ cho đơn vị mình phụ trách."))
    return [u for u in cooperating if u.pk != lead_unit.pk]


def task_create(
    *,
    by: User,
    title: str,
    lead_unit: Unit,
    cooperating_units: Iterable[Unit] = (),
    document=None,
    point: str = "",
    description: str = "",
    deadline: date | None = None,
    working_days: int | None = None,
    reporting_period: str = "",
    supervisor: User | None = None,
    priority: int = Task.Priority.NORMAL,
    today: date | None = None,
) -> Task:
    """Give a task to a unit. The deadline is a date, a number of working days from the
    document's issue date (or today), or none for a standing duty with a reporting period."""
    with transaction.atomic():
        return _task_create(
            by=by, title=title, lead_unit=lead_unit, cooperating_units=list(cooperating_units), document=document,
            point=point, description=description, deadline=deadline, working_days=working_days,
            reporting_period=reporting_period, supervisor=supervisor, priority=priority, today=today,
        )  # fmt: skip


def task_from_routing(*, routing, by: User, cooperating_units: Iterable[Unit]) -> Task:
    """The director's direction note on an incoming document becomes the task the lead unit
    carries out, supervised by the director; urgent when the document is. Called through
    ``directives.hooks.incoming_routed`` inside the routing's transaction, so a refusal rolls
    the routing back. A confidential subject is not copied into the task: the task, its lists,
    reminders and calendar reach people who hold no grant on the document."""
    document = routing.document
    title = _("Xử lý văn bản mật") if document.is_confidential else shorten(document.subject, TITLE_MAX)
    description = routing.note
    if title != document.subject and not document.is_confidential:
        # A subject longer than a title is kept whole in the description, above the note.
        description = f"{document.subject}\n\n{routing.note}".strip()
    return task_create(
        by=by, title=title, description=description, document=document, lead_unit=routing.lead_unit,
        cooperating_units=cooperating_units, deadline=routing.deadline, supervisor=by,
        priority=Task.Priority.URGENT if document.urgency else Task.Priority.NORMAL,
    )  # fmt: skip


def _task_create(*, by, title, lead_unit, cooperating_units, document, point, description, deadline, working_days,
                 reporting_period, supervisor, priority, today) -> Task:  # fmt: skip
    if not rights.can_create(by):
        raise NotAllowed(_("Bạn không có quyền giao nhiệm vụ."))
    cooperating_units = _validate_units(by, lead_unit, cooperating_units)
    if not (title or "").strip():
        raise DomainError(_("Hãy ghi nội dung nhiệm vụ."), {"field": "title"})
    today = today or local_today()
    if document is not None and document.agency_id != by.agency_id:
        raise DomainError(_("Văn bản không thuộc cơ quan của bạn."))
    if working_days is not None:
        if deadline is not None:
            raise DomainError(_("Chọn hạn theo ngày hoặc theo số ngày làm việc, không chọn cả hai."))
        start = document.issued_on or document.received_on if document is not None else None
        deadline = deadline_from(start=start or today, working_days=working_days)
    if deadline is not None and deadline < today:
        raise DomainError(_("Hạn xử lý không thể trước hôm nay."), {"field": "deadline"})
    if deadline is None and not reporting_period:
        reporting_period = Task.Period.MONTHLY  # a standing duty reports monthly unless told otherwise
    if deadline is not None:
        reporting_period = ""
    if supervisor is None:
        supervisor = _supervisor_for(by, lead_unit)
    elif not (supervisor.agency_id == by.agency_id and rights.is_supervisor_role(supervisor)):
        raise DomainError(_("Lãnh đạo phụ trách phải là Giám đốc hoặc Phó Giám đốc của cơ quan."))
    if not by.has_perm("tasks.add_task"):
        supervisor = None  # a unit's own task: its head accepts it
    task = Task(
        agency_id=by.agency_id, document=document, point=(point or "").strip(), title=title.strip(),
        description=description, lead_unit=lead_unit, supervisor=supervisor, created_by=by,
        priority=priority, reporting_period=reporting_period, original_deadline=deadline,
    )  # fmt: skip
    _set_deadline(task, deadline)
    task.full_clean(exclude=["due_at"])
    task.save()
    task.cooperating_units.set(cooperating_units)
    _event(task, by, TaskEvent.Action.CREATED, deadline=deadline.isoformat() if deadline else None)
    if task.reporting_period:
        due_reports_schedule(tasks=[task], today=today)
    heads = User.objects.filter(
        memberships__unit__in=[lead_unit, *cooperating_units], memberships__is_head=True, is_active=True
    ).distinct()
    notification_send(
        users=heads,
        kind="task_received",
        message=_("Đơn vị được giao nhiệm vụ: «%(title)s».") % {"title": shorten(task.title, 200)},
        url=_link(task),
    )
    return task


ALREADY_GIVEN = _lazy(
    "Nhiệm vụ thứ %(n)s: điểm %(point)s đã được giao thành nhiệm vụ; "
    "chọn «Giao thêm nhiệm vụ cho điểm này» nếu muốn giao thêm."
)


@transaction.atomic
def tasks_create_from_document(*, by: User, document, items: Iterable[dict], today: date | None = None) -> list[Task]:
    """Create one task per point of a document in one go: all of them, or none if one is refused.

    A point that already has a live task is refused unless its item says ``again``: opening the
    page twice, or a second tab, must not silently give the same point twice. The document row
    is locked first, so two concurrent submits queue and the second sees the first's tasks.
    """
    items = list(items)
    if not items:
        raise DomainError(_("Chưa có nhiệm vụ nào để giao."))
    type(document).objects.select_for_update().filter(pk=document.pk).first()
    given = document_points_given(document=document)
    tasks = []
    for number, item in enumerate(items, start=1):
        item = dict(item)
        again = item.pop("again", False)
        point = (item.get("point") or "").strip()
        if point and point in given and not again:
            raise DomainError(ALREADY_GIVEN % {"n": number, "point": point}, {"item": number, "field": "again"})
        try:
            tasks.append(task_create(by=by, document=document, today=today, **item))
        except DomainError as error:
            raise type(error)(
                _("Nhiệm vụ thứ %(n)s: %(reason)s") % {"n": number, "reason": error.message},
                {**error.extra, "item": number},
            ) from error
    return tasks


@transaction.atomic
def task_assign(*, task: Task, by: User, handler: User, supporters: Iterable[User] = ()) -> Task:
    """The head of the lead unit names the main handler and supporting staff (or changes them)."""
    task = _locked(task)
    if not rights.can_assign(by, task):
        raise NotAllowed(_("Chỉ lãnh đạo đơn vị chủ trì phân công được nhiệm vụ đang thực hiện."))
    supporters = [u for u in supporters if u.pk != handler.pk]
    members = set(Membership.objects.filter(unit_id=task.lead_unit_id).values_list("user_id", flat=True))
    if handler.pk not in members or any(u.pk not in members for u in supporters):
        raise DomainError(_("Người xử lý phải là cán bộ của đơn vị chủ trì."))
    previous = task.handler_id
    task.handler = handler
    if task.state == Task.State.NEW:
        task.state = Task.State.IN_PROGRESS
    task.save(update_fields=["handler", "state", "updated_at"])
    task.supporters.set(supporters)
    _event(
        task, by, TaskEvent.Action.ASSIGNED, handler.get_full_name(),
        handler=handler.pk, supporters=[u.pk for u in supporters], previous=previous,
    )  # fmt: skip
    notification_send(
        users=[handler, *supporters],
        kind="task_assigned",
        message=_("Anh/chị được phân công nhiệm vụ «%(title)s».") % {"title": shorten(task.title, 200)},
        url=_link(task),
    )
    return task


def _attach(report: ProgressReport, files) -> None:
    """Store each file (checked by lib.uploads unless already checked) under a random name."""
    uploads = [upload_checked(file) for file in files or ()]  # all checked before any is stored
    for upload in uploads:
        TaskFile.objects.create(
            report=report, file=upload.as_file(), name=upload.original_name, size=upload.size, sha256=upload.sha256
        )


@transaction.atomic
def task_report(*, task: Task, by: User, text: str, percent: int, files=()) -> ProgressReport:
    """Post a progress report (text, percent done, files)."""
    task = _locked(task)
    if not rights.can_report(by, task):
        raise NotAllowed(_("Chỉ người được phân công xử lý mới báo cáo tiến độ."))
    if not (text or "").strip():
        raise DomainError(_("Hãy ghi nội dung báo cáo."), {"field": "text"})
    if not 0 <= int(percent) <= 100:
        raise DomainError(_("Tiến độ phải từ 0 đến 100%."), {"field": "percent"})
    is_lead = rights.is_handler(by, task)
    unit_id = task.lead_unit_id if is_lead else (
        task.cooperating_units.filter(memberships__user=by).values_list("pk", flat=True).first()
    )  # fmt: skip
    report = ProgressReport.objects.create(task=task, author=by, unit_id=unit_id, text=text.strip(), percent=percent)
    _attach(report, files)
    if is_lead:
        task.progress = percent
        if task.state in (Task.State.NEW, Task.State.RETURNED):
            task.state = Task.State.IN_PROGRESS
        task.save(update_fields=["progress", "state", "updated_at"])
        DueReport.objects.filter(task=task, report=None, period_start__lte=local_today()).update(report=report)
    _event(task, by, TaskEvent.Action.REPORTED, shorten(text, 500), percent=percent, report=report.pk)
    return report


@transaction.atomic
def task_submit(*, task: Task, by: User, result: str, files=(), at: datetime | None = None) -> Task:
    """The main handler reports the task done, with its result and evidence; it waits for acceptance.

    The completion time is this moment: accepting later does not make a task late.
    """
    task = _locked(task)
    if not rights.can_submit(by, task):
        raise NotAllowed(_("Chỉ người xử lý chính báo cáo hoàn thành nhiệm vụ."))
    if not (result or "").strip():
        raise DomainError(_("Hãy ghi kết quả thực hiện."), {"field": "result"})
    report = ProgressReport.objects.create(
        task=task, author=by, unit_id=task.lead_unit_id, text=result.strip(), percent=100, is_final=True
    )
    _attach(report, files)
    task.result, task.progress = result.strip(), 100
    task.state, task.submitted_at = Task.State.SUBMITTED, at or timezone.now()
    task.pre_accepted_by, task.pre_accepted_at = None, None
    task.save(update_fields=["result", "progress", "state", "submitted_at", "pre_accepted_by", "pre_accepted_at",
                             "updated_at"])  # fmt: skip
    _event(task, by, TaskEvent.Action.SUBMITTED, shorten(result, 500), report=report.pk)
    notification_send(
        users=rights.acceptance_deciders(task),
        kind="task_submitted",
        message=_("Nhiệm vụ «%(title)s» đã báo cáo hoàn thành, chờ anh/chị nghiệm thu.")
        % {"title": shorten(task.title, 200)},
        url=_link(task),
    )
    return task


@transaction.atomic
def task_accept(*, task: Task, by: User, note: str = "") -> Task:
    """Accept the submitted result as the person at its acceptance step (the agency's ladder).

    The final acceptance makes the task done, completed when it was submitted. In the «head then
    leader» mode the lead unit's head's acceptance only marks the task pre-accepted: it stays
    submitted and waits for the supervisor, who is told.
    """
    task = _locked(task)
    if not rights.can_accept(by, task):
        raise NotAllowed(_("Anh/chị không phải người nghiệm thu nhiệm vụ này ở bước hiện tại."))
    note = (note or "").strip()
    principal = rights.acceptance_acting_for(by, task)
    if not rights.acceptance_is_final(by, task):
        task.pre_accepted_by, task.pre_accepted_at = by, timezone.now()
        task.save(update_fields=["pre_accepted_by", "pre_accepted_at", "updated_at"])
        _event(task, by, TaskEvent.Action.PRE_ACCEPTED, note, acting_for=principal)
        notification_send(
            users=rights.acceptance_deciders(task),
            kind="task_submitted",
            message=_("Lãnh đạo đơn vị đã nghiệm thu nhiệm vụ «%(title)s», chờ anh/chị nghiệm thu.")
            % {"title": shorten(task.title, 200)},
            url=_link(task),
        )
        return task
    task.state, task.completed_at = Task.State.DONE, task.submitted_at
    task.save(update_fields=["state", "completed_at", "updated_at"])
    _event(task, by, TaskEvent.Action.ACCEPTED, note, acting_for=principal)
    notification_send(
        users=[u for u in {task.handler, task.pre_accepted_by} if u is not None and u.pk != by.pk],
        kind="task_accepted",
        message=_("Nhiệm vụ «%(title)s» đã được nghiệm thu.") % {"title": shorten(task.title, 200)},
        url=_link(task),
    )
    return task


@transaction.atomic
def task_return(*, task: Task, by: User, reason: str) -> Task:
    """Return the submitted result with a reason, as the person at its acceptance step; the handler
    works on. A blank reason is refused and changes nothing."""
    task = _locked(task)
    if not rights.can_accept(by, task):
        raise NotAllowed(_("Anh/chị không phải người nghiệm thu nhiệm vụ này ở bước hiện tại."))
    if not (reason or "").strip():
        raise DomainError(_("Hãy ghi lý do trả lại."), {"field": "reason"})
    told = [u for u in {task.handler, task.pre_accepted_by} if u is not None and u.pk != by.pk]
    principal = rights.acceptance_acting_for(by, task)
    task.state, task.submitted_at = Task.State.RETURNED, None
    task.pre_accepted_by, task.pre_accepted_at = None, None
    task.save(update_fields=["state", "submitted_at", "pre_accepted_by", "pre_accepted_at", "updated_at"])
    _event(task, by, TaskEvent.Action.RETURNED, reason.strip(), acting_for=principal)
    notification_send(
        users=told,
        kind="task_returned",
        message=_("Nhiệm vụ «%(title)s» bị trả lại: %(reason)s")
        % {"title": shorten(task.title, 150), "reason": shorten(reason, 200)},
        url=_link(task),
    )
    return task


@transaction.atomic
def task_extension_request(*, task: Task, by: User, new_deadline: date, reason: str) -> Extension:
    """Ask for a later deadline, with a reason; the person at the first step of the agency's ladder
    (the lead unit's head within his limit of working days, or the supervisor) is told."""
    task = _locked(task)
    if not rights.can_request_extension(by, task):
        raise NotAllowed(_("Chỉ người xử lý chính hoặc lãnh đạo đơn vị chủ trì xin gia hạn, mỗi lần một đề nghị."))
    if new_deadline <= task.deadline:
        raise DomainError(_("Hạn đề nghị phải sau hạn hiện tại."), {"field": "new_deadline"})
    if not (reason or "").strip():
        raise DomainError(_("Hãy ghi lý do xin gia hạn."), {"field": "reason"})
    working_days = calendar_current().working_days_between(task.deadline, new_deadline)
    extension = Extension.objects.create(
        task=task, requested_by=by, old_deadline=task.deadline, new_deadline=new_deadline, reason=reason.strip(),
        working_days=min(working_days, 32767),
    )  # fmt: skip
    _event(task, by, TaskEvent.Action.EXTENSION_ASKED, reason.strip(), new_deadline=new_deadline.isoformat())
    notification_send(
        users=rights.extension_deciders(task, extension),
        kind="extension_asked",
        message=_("Đề nghị gia hạn nhiệm vụ «%(title)s» đến %(date)s.")
        % {"title": shorten(task.title, 150), "date": new_deadline.strftime("%d/%m/%Y")},
        url=_link(task),
    )
    return extension


@transaction.atomic
def task_extension_decide(*, extension: Extension, by: User, grant: bool, note: str = "") -> Extension:
    """Grant (the task takes the new deadline; the original stays in history) or refuse, as the
    person at the extension's step of the agency's ladder.

    In the «head then leader» mode the head's consent to a request beyond his limit grants
    nothing yet: it passes the request on to the supervisor, who is told.
    """
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    task = _locked(extension.task)
    if extension.state != Extension.State.PENDING:
        raise DomainError(_("Đề nghị gia hạn này đã được trả lời."))
    if not rights.can_decide_extension(by, task, extension):
        raise NotAllowed(_("Anh/chị không phải người quyết định đề nghị gia hạn này ở bước hiện tại."))
    note = (note or "").strip()
    dates = {"old": extension.old_deadline.isoformat(), "new": extension.new_deadline.isoformat()}
    principal = rights.extension_acting_for(by, task, extension)
    if grant and not rights.extension_grant_is_final(by, task, extension):
        extension.endorsed_by, extension.endorsed_at = by, timezone.now()
        extension.save(update_fields=["endorsed_by", "endorsed_at"])
        _event(task, by, TaskEvent.Action.EXTENSION_ENDORSED, note, acting_for=principal, **dates)
        notification_send(
            users=rights.extension_deciders(task, extension),
            kind="extension_asked",
            message=_("Lãnh đạo đơn vị đồng ý gia hạn nhiệm vụ «%(title)s» đến %(date)s, chờ anh/chị quyết định.")
            % {"title": shorten(task.title, 150), "date": extension.new_deadline.strftime("%d/%m/%Y")},
            url=_link(task),
        )
        return extension
    extension.state = Extension.State.GRANTED if grant else Extension.State.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note
    extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if grant:
        _set_deadline(task, extension.new_deadline)
        task.save(update_fields=["deadline", "due_at", "updated_at"])
    action = TaskEvent.Action.EXTENSION_GRANTED if grant else TaskEvent.Action.EXTENSION_REFUSED
    _event(task, by, action, note, acting_for=principal, **dates)
    notification_send(
        users=[extension.requested_by],
        kind="extension_answered",
        message=(_("Đồng ý gia hạn nhiệm vụ «%(title)s» đến %(date)s.") if grant
                 else _("Không đồng ý gia hạn nhiệm vụ «%(title)s» (đến %(date)s)."))
        % {"title": shorten(task.title, 150), "date": extension.new_deadline.strftime("%d/%m/%Y")},
        url=_link(task),
    )  # fmt: skip
    return extension


@transaction.atomic
def task_cancel(*, task: Task, by: User, reason: str, withdrawn: bool = False) -> Task:
    """Cancel an open task with a reason. ``withdrawn``: its document was given back to the agency
    that sent it (``exchange.services.recall_answer``, which checked that ``by`` is the clerk who
    may answer), so the task is cancelled whoever created or supervises it."""
    task = _locked(task)
    if withdrawn and not task.is_open:
        return task
    if not (withdrawn or rights.can_cancel(by, task)):
        raise NotAllowed(_("Chỉ người giao hoặc lãnh đạo phụ trách hủy được nhiệm vụ."))
    if not (reason or "").strip():
        raise DomainError(_("Hãy ghi lý do hủy."), {"field": "reason"})
    task.state = Task.State.CANCELLED
    task.save(update_fields=["state", "updated_at"])
    _event(task, by, TaskEvent.Action.CANCELLED, reason.strip())
    return task


def _period(day: date, period: str) -> tuple[date, date]:
    if period == Task.Period.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == Task.Period.QUARTERLY:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        end_month = first_month + 2
    else:
        start, end_month = date(day.year, day.month, 1), day.month
    end = date(day.year, end_month, monthrange(day.year, end_month)[1])
    return start, end


def due_reports_schedule(*, tasks: Iterable[Task] | None = None, today: date | None = None) -> int:
    """Create the report each open standing duty owes for the current period (idempotent).

    Due on the period's last working day. Returns how many were created.
    """
    today = today or local_today()
    calendar = calendar_current()
    if tasks is None:
        tasks = Task.objects.filter(state__in=Task.OPEN_STATES).exclude(reporting_period="")
    rows = []
    for task in tasks:
        start, end = _period(today, task.reporting_period)
        due = end if calendar.is_working_day(end) else calendar.previous_working_day(end)
        rows.append(DueReport(task=task, period_start=start, period_end=end, due_on=due))
    created = DueReport.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)
