"""Who may see and do what with tasks. Each rule once, here.

Seeing: people of the lead unit or a cooperating unit, the handler and supporters, the
supervisor, the creator, and the agency's directors. Everyone else gets 404.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from directives.permissions import TASKABLE_STATES
from tasks.models import Task
from units.models import Agency, Membership, User
from units.permissions import can_keep_installation_settings
from units.roles import Role

T = Task.State


def _my_unit_ids(user: User) -> list[int]:
    cached = getattr(user, "_unit_ids", None)
    if cached is None:
        cached = user._unit_ids = list(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    return cached


def _headed_unit_ids(user: User) -> list[int]:
    cached = getattr(user, "_headed_unit_ids", None)
    if cached is None:
        cached = user._headed_unit_ids = list(
            Membership.objects.filter(user=user, is_head=True).values_list("unit_id", flat=True)
        )
    return cached


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Every task ``user`` may see, as one query."""
    tasks = Task.objects.all()
    if user.is_superuser:
        return tasks
    tasks = tasks.filter(agency_id=user.agency_id)
    if user.is_leader:
        return tasks
    units = _my_unit_ids(user)
    cooperating = Task.cooperating_units.through.objects.filter(task_id=OuterRef("pk"), unit_id__in=units)
    supporting = Task.supporters.through.objects.filter(task_id=OuterRef("pk"), user_id=user.pk)
    return tasks.filter(
        Q(lead_unit_id__in=units)
        | Q(handler=user)
        | Q(supervisor=user)
        | Q(created_by=user)
        | Exists(cooperating)
        | Exists(supporting)
    )


def task_get_for(user: User, pk: int) -> Task:
    """The task if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(tasks_visible_to(user).select_related("lead_unit", "agency", "supervisor"), pk=pk)


def is_head_of_lead_unit(user: User, task: Task) -> bool:
    return task.lead_unit_id in _headed_unit_ids(user)


def can_create(user: User) -> bool:
    """Leaders and clerks give tasks to any unit; a unit head to their own unit."""
    return user.agency_id is not None and (user.has_perm("tasks.add_task") or bool(_headed_unit_ids(user)))


def can_give_tasks_from(user: User, document) -> bool:
    """Give tasks from a document in force (issued, or incoming once registered)."""
    return document.state in TASKABLE_STATES and can_create(user)


def can_create_for(user: User, unit_id: int) -> bool:
    return user.has_perm("tasks.add_task") or unit_id in _headed_unit_ids(user)


def can_assign(user: User, task: Task) -> bool:
    return task.is_open and task.state != T.SUBMITTED and is_head_of_lead_unit(user, task)


def is_handler(user: User, task: Task) -> bool:
    return task.handler_id == user.pk or task.supporters.filter(pk=user.pk).exists()


def can_report(user: User, task: Task) -> bool:
    """Handlers report; heads of cooperating units add their part."""
    if task.state not in (T.NEW, T.IN_PROGRESS, T.RETURNED):
        return False
    if is_handler(user, task):
        return True
    return task.cooperating_units.filter(pk__in=_headed_unit_ids(user)).exists()


def can_submit(user: User, task: Task) -> bool:
    return task.state in (T.NEW, T.IN_PROGRESS, T.RETURNED) and task.handler_id == user.pk


def accepts(user: User, task: Task) -> bool:
    """The supervisor accepts; for a task the unit gave itself (no supervisor), its head."""
    if task.supervisor_id is not None:
        return task.supervisor_id == user.pk
    return is_head_of_lead_unit(user, task)


def can_accept(user: User, task: Task) -> bool:
    return task.state == T.SUBMITTED and accepts(user, task)


def can_request_extension(user: User, task: Task) -> bool:
    return (
        task.is_open
        and task.deadline is not None
        and (task.handler_id == user.pk or is_head_of_lead_unit(user, task))
        and not task.extensions.filter(state="pending").exists()
    )


def can_decide_extension(user: User, task: Task) -> bool:
    return accepts(user, task)


def can_cancel(user: User, task: Task) -> bool:
    return task.is_open and (task.created_by_id == user.pk or task.supervisor_id == user.pk or user.is_leader)


def is_supervisor_role(user: User) -> bool:
    return user.has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


def can_view_reports(user: User) -> bool:
    """The office's periodic reports: the Ban Giám đốc, clerks (Văn phòng) and administrators."""
    return user.has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CLERK, Role.ADMINISTRATOR)


def is_province_administrator(user: User) -> bool:
    """The administrator of a multi-agency installation: a superuser, or an administrator of no agency."""
    return user.is_superuser or (user.has_role(Role.ADMINISTRATOR) and user.agency_id is None)


def report_agencies_for(user: User) -> QuerySet[Agency]:
    """The agencies whose report ``user`` may read: their own, or every one for the province administrator."""
    if not can_view_reports(user):
        return Agency.objects.none()
    if is_province_administrator(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)


def can_see_dashboards(user: User) -> bool:
    """The agency's dashboards: directors, deputies and administrators."""
    return user.has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR)


def can_keep_calendar(user: User, action: str) -> bool:
    """May add, change or delete (``action``) a day of the holiday calendar. The calendar is one for
    every agency, so only an installation administrator keeps it (docs/decisions.md)."""
    return user.has_perm(f"tasks.{action}_holiday") and can_keep_installation_settings(user)


def can_keep_reminder_rules(user: User, action: str) -> bool:
    """May add or change (``action``) a reminder rule; the rules apply to every agency's tasks."""
    return user.has_perm(f"tasks.{action}_reminderrule") and can_keep_installation_settings(user)
