"""Who may see and do what with tasks. Each rule once, here.

Seeing: people of the lead unit or a cooperating unit, the handler and supporters, the
supervisor, the creator, and the agency's directors. Everyone else gets 404.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directives.permissions import TASKABLE_STATES
from tasks.models import Extension, Task
from units.models import Agency, Membership, Unit, User
from units.permissions import can_keep_installation_settings
from units.roles import Role
from units.selectors import principals_of

T = Task.State


def _my_unit_ids(user: User) -> list[int]:
    if getattr(user, "_unit_ids", None) is None:
        _read_units(user)
    return user._unit_ids


def _headed_unit_ids(user: User) -> list[int]:
    if getattr(user, "_headed_unit_ids", None) is None:
        _read_units(user)
    return user._headed_unit_ids


def _read_units(user: User) -> None:
    """The person's units and those he heads, kept on the user object for the request: one read
    answers both, whichever rule asks first (the document page's tasks panel asks both)."""
    memberships = list(Membership.objects.filter(user=user).values_list("unit_id", "is_head"))
    user._unit_ids = [unit_id for unit_id, _ in memberships]
    if getattr(user, "_headed_unit_ids", None) is None:  # set by a page that read the heads already
        user._headed_unit_ids = [unit_id for unit_id, is_head in memberships if is_head]


def _loaded(task: Task, relation: str) -> list | None:
    """The task's related rows when already prefetched (the task page reads them all at once),
    else None: then the rule asks the database."""
    return getattr(task, "_prefetched_objects_cache", {}).get(relation)


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
        | _as_substitute(user)
        | Q(handler=user)
        | Q(supervisor=user)
        | Q(created_by=user)
        | Exists(cooperating)
        | Exists(supporting)
    )


def tasks_visible_parts(user: User) -> list[QuerySet[Task]] | None:
    """``tasks_visible_to`` as disjoint reads whose union is the same set, for a person who sees
    only what concerns him (None for a superuser or a leader: the agency's tasks are one plain
    read). The tasks his units lead, read from the index ``tasks_task_lead_unit_cover``; and the
    others (cooperating units, supporter, handler, supervisor, creator, substitute), their ids a
    UNION of index scans evaluated once, minus those led. The OR of ``tasks_visible_to`` made
    PostgreSQL read and test every task of the agency for each list query (issue #19);
    tests/tasks/test_visible_parts.py checks the two forms agree."""
    if user.is_superuser or user.is_leader:
        return None
    units = _my_unit_ids(user)
    tasks = Task.objects.filter(agency_id=user.agency_id).order_by()
    rules = (Q(handler=user), Q(supervisor=user), Q(created_by=user), _as_substitute_supervised(user))
    ids = [Task.objects.filter(rule).order_by().values("pk") for rule in (*rules, _as_substitute_head(user))]
    ids.append(Task.cooperating_units.through.objects.filter(unit_id__in=units).values("task_id"))
    ids.append(Task.supporters.through.objects.filter(user_id=user.pk).values("task_id"))
    others = tasks.filter(pk__in=ids[0].union(*ids[1:])).exclude(lead_unit_id__in=units)
    # The led part by the unit's agency, not the task's: the same rows (a task's agency is its lead
    # unit's, tasks.services._validate_units), and read from the index alone.
    led = Task.objects.filter(lead_unit_id__in=Unit.objects.filter(pk__in=units, agency_id=user.agency_id)).order_by()
    return [led, others] if units else [others]


def _principals(user: User) -> QuerySet[User]:
    """Whom ``user`` stands in for today (units.Delegation), of his own agency only: a delegation
    to someone of another agency (which the admin form refuses) has no effect here."""
    if user.agency_id is None:
        return User.objects.none()
    return principals_of(user).filter(agency_id=user.agency_id)


def _principal_heads(user: User) -> QuerySet[Membership]:
    """The head memberships of the people ``user`` stands in for today."""
    return Membership.objects.filter(is_head=True, user__in=_principals(user).values("pk"))


def _as_substitute(user: User) -> Q:
    """Tasks supervised by, or of a unit headed by, someone ``user`` stands in for today: he sees
    them so that he can act on what waits for that person."""
    return _as_substitute_supervised(user) | _as_substitute_head(user)


def _as_substitute_supervised(user: User) -> Q:
    return Q(supervisor_id__in=_principals(user).values("pk"))


def _as_substitute_head(user: User) -> Q:
    return Q(lead_unit_id__in=_principal_heads(user).values("unit_id"))


def task_get_for(user: User, pk: int) -> Task:
    """The task if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(tasks_visible_to(user).select_related("lead_unit", "agency", "supervisor"), pk=pk)


def is_head_of_lead_unit(user: User, task: Task) -> bool:
    return task.lead_unit_id in _headed_unit_ids(user)


def can_create(user: User) -> bool:
    """Leaders and clerks give tasks to any unit; a unit head to their own unit."""
    if user.agency_id is None:
        return False
    # The rule read in the order that costs least: no query when one answer is already at hand; a
    # leader's permission first; anyone else's units first (one read, which his lists reuse).
    if getattr(user, "_headed_unit_ids", None):
        return True
    if user.is_leader:
        return user.has_perm("tasks.add_task") or bool(_headed_unit_ids(user))
    return bool(_headed_unit_ids(user)) or user.has_perm("tasks.add_task")


def can_give_tasks_from(user: User, document) -> bool:
    """Give tasks from a document in force (issued, or incoming once registered)."""
    return document.state in TASKABLE_STATES and can_create(user)


def can_create_for(user: User, unit_id: int) -> bool:
    return user.has_perm("tasks.add_task") or unit_id in _headed_unit_ids(user)


def can_assign(user: User, task: Task) -> bool:
    return task.is_open and task.state != T.SUBMITTED and is_head_of_lead_unit(user, task)


def is_handler(user: User, task: Task) -> bool:
    if task.handler_id == user.pk:
        return True
    supporters = _loaded(task, "supporters")
    if supporters is not None:
        return any(person.pk == user.pk for person in supporters)
    return task.supporters.filter(pk=user.pk).exists()


def can_report(user: User, task: Task) -> bool:
    """Handlers report; heads of cooperating units add their part."""
    if task.state not in (T.NEW, T.IN_PROGRESS, T.RETURNED):
        return False
    if is_handler(user, task):
        return True
    units = _loaded(task, "cooperating_units")
    if units is not None:
        return any(unit.pk in _headed_unit_ids(user) for unit in units)
    return task.cooperating_units.filter(pk__in=_headed_unit_ids(user)).exists()


def can_submit(user: User, task: Task) -> bool:
    return task.state in (T.NEW, T.IN_PROGRESS, T.RETURNED) and task.handler_id == user.pk


# --- The acceptance ladder (docs/decisions.md, "The acceptance ladder") ---------------------
# Each decision is one rule here, in two forms: ``*_step`` + ``can_*`` for one task, and
# ``*_awaiting(user)`` (a Q) for lists and counts. tests/tasks/test_ladder.py checks they agree.

HEAD = "head"
LEADER = "leader"
A = Agency.Approver


def _other_head(task: Task, person_id: int | None) -> bool:
    """Whether the lead unit has an active head other than ``person_id`` (nobody judges their own work)."""
    preloaded = getattr(task, "_active_heads", None)  # set by waiting_for for many tasks at once
    if preloaded is not None:
        return bool(preloaded - {person_id})
    heads = Membership.objects.filter(unit_id=task.lead_unit_id, is_head=True, user__is_active=True)
    return heads.exclude(user_id=person_id).exists()


def _other_head_q(unit: str, person: str) -> Exists:
    heads = Membership.objects.filter(unit_id=OuterRef(unit), is_head=True, user__is_active=True)
    return Exists(heads.exclude(user_id=OuterRef(person)))


def acceptance_step(task: Task) -> str | None:
    """Who judges a submitted result next: HEAD (the lead unit's head), LEADER (the supervisor) or None.

    A unit's own task (no supervisor) is judged by its head. Otherwise the agency's setting: the
    head, the leader, or the head and then the leader. When the lead unit has no head but the
    handler, the leader judges.
    """
    if task.state != T.SUBMITTED:
        return None
    if task.supervisor_id is None:
        return HEAD
    mode = task.agency.acceptance_by
    if mode == A.LEADER or task.pre_accepted_at is not None or not _other_head(task, task.handler_id):
        return LEADER
    return HEAD


def can_accept(user: User, task: Task) -> bool:
    """May accept or return the submitted result: the person at its acceptance step, or his
    substitute for today (``acceptance_acting_for``)."""
    return _accepts_in_person(user, task) or acceptance_acting_for(user, task) is not None


def acceptance_acting_for(user: User, task: Task, *, principals: list[User] | None = None) -> User | None:
    """The person at the acceptance step whom ``user`` stands in for today (units.Delegation), if
    ``user`` may not act in his own right; None otherwise. Nobody judges the work he handled.
    ``principals``: ``_principals(user)`` when already read."""
    if task.state != T.SUBMITTED or task.handler_id == user.pk or _accepts_in_person(user, task):
        return None
    people = _principals(user) if principals is None else principals
    return next((person for person in people if _accepts_in_person(person, task)), None)


def _accepts_in_person(user: User, task: Task) -> bool:
    step = acceptance_step(task)
    if step == LEADER:
        return task.supervisor_id == user.pk
    if step == HEAD:
        return is_head_of_lead_unit(user, task) and (task.supervisor_id is None or task.handler_id != user.pk)
    return False


def acceptance_is_final(user: User, task: Task) -> bool:
    """Whether ``user``'s acceptance finishes the task, or (the head, in «head then leader» mode)
    passes it on to the supervisor."""
    return not (
        acceptance_step(task) == HEAD
        and task.supervisor_id is not None
        and task.agency.acceptance_by == A.HEAD_THEN_LEADER
        and task.supervisor_id != user.pk
    )


def acceptance_awaiting(user: User) -> Q:
    """The tasks whose submitted result waits for ``user``'s acceptance, in his own right or as a
    substitute (the list form of ``can_accept``)."""
    return _acceptance_awaiting(user) | _acceptance_awaiting(user, substitute=True)


def _acceptance_awaiting(user: User, *, substitute: bool = False) -> Q:
    """The list form of ``_accepts_in_person`` or (``substitute``) of ``acceptance_acting_for``."""
    supervised = Q(supervisor__isnull=False)
    other_head = _other_head_q("lead_unit_id", "handler_id")
    leader_step = supervised & (Q(agency__acceptance_by=A.LEADER) | Q(pre_accepted_at__isnull=False) | ~other_head)
    head_step = Q(supervisor__isnull=True) | (
        supervised & ~Q(agency__acceptance_by=A.LEADER) & Q(pre_accepted_at__isnull=True) & other_head
    )
    # As a subquery in the substitute's form, which may be read before the list's own rules.
    headed = Membership.objects.filter(user=user, is_head=True).values("unit_id") if substitute else None
    mine_as_head = Q(lead_unit_id__in=_headed_unit_ids(user) if headed is None else headed) & (
        Q(supervisor__isnull=True) | ~Q(handler_id=user.pk)
    )
    mine = (leader_step & Q(supervisor_id=user.pk)) | (head_step & mine_as_head)
    if not substitute:
        return Q(state=T.SUBMITTED) & mine
    heads = _principal_heads(user).filter(unit_id=OuterRef("lead_unit_id"))
    for_head = Q(supervisor__isnull=True, lead_unit_id__in=_principal_heads(user).values("unit_id")) | (
        supervised & Exists(heads.exclude(user_id=OuterRef("handler_id")))
    )
    for_others = (leader_step & Q(supervisor_id__in=_principals(user).values("pk"))) | (head_step & for_head)
    return Q(state=T.SUBMITTED) & ~mine & ~Q(handler_id=user.pk) & for_others


def _pending(task: Task):
    return next((e for e in task.extensions.all() if e.state == "pending"), None)


def extension_within_limit(task: Task, extension) -> bool:
    """Whether the lead unit's head may grant the extension alone (working days within the agency's limit)."""
    return extension.working_days is not None and extension.working_days <= task.agency.head_extension_days


def extension_step(task: Task, extension) -> str | None:
    """Who decides a pending extension next: HEAD, LEADER or None.

    A unit's own task: its head. Otherwise the agency's setting: «leader» — the supervisor;
    «head» — the head within his limit of working days, the supervisor beyond it; «head then
    leader» — the head first (within his limit his consent grants it), then, beyond the limit,
    the supervisor. A head's own request, or a unit without another head, goes to the supervisor.
    """
    if extension is None or extension.state != "pending":
        return None
    if task.supervisor_id is None:
        return HEAD
    mode = task.agency.extension_by
    if mode == A.LEADER or not _other_head(task, extension.requested_by_id):
        return LEADER
    if mode == A.HEAD_THEN_LEADER:
        return LEADER if extension.endorsed_at is not None else HEAD
    return HEAD if extension_within_limit(task, extension) else LEADER


def can_decide_extension(user: User, task: Task, extension=None) -> bool:
    """May grant or refuse the task's pending extension (``extension``, or the pending one): the
    person at its step, or his substitute for today (``extension_acting_for``)."""
    extension = extension if extension is not None else _pending(task)
    return _decides_in_person(user, task, extension) or extension_acting_for(user, task, extension) is not None


def extension_acting_for(
    user: User, task: Task, extension=None, *, principals: list[User] | None = None
) -> User | None:
    """The person at the extension's step whom ``user`` stands in for today, if ``user`` may not
    decide in his own right; None otherwise. Nobody decides his own request. ``principals``:
    ``_principals(user)`` when already read."""
    extension = extension if extension is not None else _pending(task)
    if extension is None or extension.requested_by_id == user.pk or _decides_in_person(user, task, extension):
        return None
    people = _principals(user) if principals is None else principals
    return next((p for p in people if _decides_in_person(p, task, extension)), None)


def _decides_in_person(user: User, task: Task, extension) -> bool:
    step = extension_step(task, extension)
    if step == LEADER:
        return task.supervisor_id == user.pk
    if step == HEAD:
        return is_head_of_lead_unit(user, task) and (task.supervisor_id is None or extension.requested_by_id != user.pk)
    return False


def extension_grant_is_final(user: User, task: Task, extension) -> bool:
    """Whether ``user``'s consent grants the extension, or (the head beyond his limit in «head then
    leader» mode) passes it on to the supervisor."""
    return not (
        extension_step(task, extension) == HEAD
        and task.supervisor_id is not None
        and task.agency.extension_by == A.HEAD_THEN_LEADER
        and not extension_within_limit(task, extension)
    )


def extension_awaiting(user: User) -> Q:
    """The tasks with a pending extension waiting for ``user``'s decision, in his own right or as
    a substitute (the list form of ``can_decide_extension``)."""
    return Q(Exists(_extensions_awaiting(user))) | Q(Exists(_extensions_awaiting(user, substitute=True)))


def _extensions_awaiting(user: User, *, substitute: bool = False) -> QuerySet:
    """The pending extensions of the task (OuterRef "pk") ``user`` decides in person, or
    (``substitute``) for someone he stands in for today."""
    return _pending_extensions_awaiting(user, substitute=substitute).filter(task=OuterRef("pk"))


def _pending_extensions_awaiting(user: User, *, substitute: bool = False) -> QuerySet:
    """The pending extensions (of any task) ``user`` decides in person, or (``substitute``) for
    someone he stands in for today."""

    mode = "task__agency__extension_by"
    supervised = Q(task__supervisor__isnull=False)
    other_head = _other_head_q("task__lead_unit_id", "requested_by_id")
    within = Q(working_days__isnull=False, working_days__lte=F("task__agency__head_extension_days"))
    leader_step = supervised & (
        Q(**{mode: A.LEADER})
        | ~other_head
        | Q(**{mode: A.HEAD_THEN_LEADER}, endorsed_at__isnull=False)
        | (Q(**{mode: A.HEAD}) & ~within)
    )
    head_step = Q(task__supervisor__isnull=True) | (
        supervised
        & other_head
        & (Q(**{mode: A.HEAD_THEN_LEADER}, endorsed_at__isnull=True) | (Q(**{mode: A.HEAD}) & within))
    )
    headed = Membership.objects.filter(user=user, is_head=True).values("unit_id") if substitute else None
    mine_as_head = Q(task__lead_unit_id__in=_headed_unit_ids(user) if headed is None else headed) & (
        Q(task__supervisor__isnull=True) | ~Q(requested_by_id=user.pk)
    )
    mine = (leader_step & Q(task__supervisor_id=user.pk)) | (head_step & mine_as_head)
    pending = Extension.objects.filter(state="pending")
    if not substitute:
        return pending.filter(mine)
    heads = _principal_heads(user).filter(unit_id=OuterRef("task__lead_unit_id"))
    for_head = Q(task__supervisor__isnull=True, task__lead_unit_id__in=_principal_heads(user).values("unit_id")) | (
        supervised & Exists(heads.exclude(user_id=OuterRef("requested_by_id")))
    )
    for_others = (leader_step & Q(task__supervisor_id__in=_principals(user).values("pk"))) | (head_step & for_head)
    return pending.exclude(mine).exclude(requested_by_id=user.pk).filter(for_others)


@dataclass(frozen=True)
class Waiting:
    """What waits for one person's decision, read once (``waiting_for``): the ids of the tasks
    whose submitted result waits for his acceptance and of those whose pending extension waits for
    his decision, in his own right or as a substitute; and for the tasks where he acts as a
    substitute, the name of the person he stands in for (the rows' «thay <name>»)."""

    acceptance: frozenset[int] = frozenset()
    extensions: frozenset[int] = frozenset()
    acting_for: dict[int, str] = field(default_factory=dict)

    @property
    def as_substitute(self) -> frozenset[int]:
        """The tasks that wait for someone he stands in for today: they join his lists."""
        return frozenset(self.acting_for)


# What the one-task rules of the ladder read (acceptance_step, extension_step, _accepts_in_person,
# _decides_in_person, is_head_of_lead_unit): ``waiting_for`` loads these columns only.
_LADDER_FIELDS = ("id", "state", "agency_id", "lead_unit_id", "supervisor_id", "handler_id", "pre_accepted_at",
                  "agency__acceptance_by", "agency__extension_by", "agency__head_extension_days")  # fmt: skip
_EXTENSION_FIELDS = ("id", "task_id", "state", "requested_by_id", "endorsed_at", "working_days")


def waiting_for(user: User) -> Waiting:
    """What waits for ``user`` (the list form of ``can_accept`` and ``can_decide_extension``), as
    ids, decided in Python by the one-task rules over the few rows that may wait for him.

    Four small reads: whom he stands in for today with the units they head; the submitted tasks
    and the pending extensions of his units, of the tasks he supervises and of theirs; the heads
    of those tasks' units. The ladder's SQL form
    (``acceptance_awaiting``) costs PostgreSQL ~10-60 ms of planning per use, more than the rows
    (docs/decisions.md, "Task lists at province size"); the lists use these ids instead.
    """
    # Whom he stands in for today and the units they head, in one read (a row per membership).
    people: dict[int, User] = {}
    for pk, name, unit_id, is_head in _principals(user).values_list(
        "pk", "full_name", "memberships__unit_id", "memberships__is_head"
    ):
        person = people.setdefault(pk, User(pk=pk, full_name=name))
        person._headed_unit_ids = getattr(person, "_headed_unit_ids", [])
        if is_head:
            person._headed_unit_ids.append(unit_id)
    principals = list(people.values())
    principal_ids = [person.pk for person in principals]
    principal_units = sorted({unit for person in principals for unit in person._headed_unit_ids})
    scope = Q(supervisor_id=user.pk) | Q(lead_unit_id__in=_headed_unit_ids(user))
    if principals:
        scope |= Q(agency_id=user.agency_id) & (
            Q(supervisor_id__in=principal_ids) | Q(lead_unit_id__in=principal_units)
        )
    # Only the columns the ladder's rules read: a unit may have hundreds of results waiting, and
    # building whole rows (descriptions, results) was most of a large unit's list (issue #19).
    submitted = list(Task.objects.filter(scope, state=T.SUBMITTED).select_related("agency").only(*_LADDER_FIELDS))
    pending = list(
        Extension.objects.filter(state="pending", task__in=Task.objects.filter(scope).values("pk"))
        .select_related("task__agency")
        .only(*_EXTENSION_FIELDS, *(f"task__{name}" for name in _LADDER_FIELDS))
    )
    tasks = submitted + [extension.task for extension in pending]
    heads: dict[int, set[int]] = {task.lead_unit_id: set() for task in tasks}
    if heads:
        active = Membership.objects.filter(unit_id__in=sorted(heads), is_head=True, user__is_active=True)
        for unit_id, person_id in active.values_list("unit_id", "user_id"):
            heads[unit_id].add(person_id)
    for task in tasks:
        task._active_heads = heads[task.lead_unit_id]

    acceptance, extensions, acting_for = set(), set(), {}

    def substitute_of(person: User | None, task: Task) -> bool:
        if person is None or task.agency_id != user.agency_id:
            return False
        acting_for[task.pk] = person.full_name
        return True

    for task in submitted:
        if _accepts_in_person(user, task) or substitute_of(
            acceptance_acting_for(user, task, principals=principals), task
        ):
            acceptance.add(task.pk)
    for extension in pending:
        task = extension.task
        if _decides_in_person(user, task, extension) or substitute_of(
            extension_acting_for(user, task, extension, principals=principals), task
        ):
            extensions.add(task.pk)
    return Waiting(frozenset(acceptance), frozenset(extensions), acting_for)


def acceptance_deciders(task: Task) -> list[User]:
    """The people who may act on the task's submitted result now, and their substitutes for
    today: whom to notify."""
    deciders = [person for person in _candidates(task) if _accepts_in_person(person, task)]
    return deciders + [person for person in _substitutes(deciders) if can_accept(person, task)]


def extension_deciders(task: Task, extension) -> list[User]:
    """The people who may decide the pending extension now, and their substitutes for today:
    whom to notify."""
    deciders = [person for person in _candidates(task) if _decides_in_person(person, task, extension)]
    return deciders + [person for person in _substitutes(deciders) if can_decide_extension(person, task, extension)]


def _substitutes(people: list[User]) -> list[User]:
    """The substitutes for today of ``people`` (of their agency), themselves left out."""
    if not people:
        return []
    today = timezone.localdate()
    substitutes = User.objects.filter(
        delegations_received__principal__in=people,
        delegations_received__principal__agency_id=F("agency_id"),
        delegations_received__starts_on__lte=today,
        delegations_received__ends_on__gte=today,
        is_active=True,
    ).exclude(pk__in=[person.pk for person in people])
    return list(substitutes.distinct())


def _candidates(task: Task) -> list[User]:
    heads = User.objects.filter(
        memberships__unit_id=task.lead_unit_id, memberships__is_head=True, is_active=True
    ).distinct()
    people = {person.pk: person for person in heads}
    if task.supervisor_id is not None:
        people.setdefault(task.supervisor_id, task.supervisor)
    return list(people.values())


def can_request_extension(user: User, task: Task) -> bool:
    return (
        task.is_open
        and task.deadline is not None
        and (task.handler_id == user.pk or is_head_of_lead_unit(user, task))
        and not _has_pending_extension(task)
    )


def _has_pending_extension(task: Task) -> bool:
    extensions = _loaded(task, "extensions")
    if extensions is not None:
        return any(extension.state == "pending" for extension in extensions)
    return task.extensions.filter(state="pending").exists()


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


def acceptance_awaiting_as_substitute(user: User) -> Q:
    """The tasks whose result waits for someone ``user`` stands in for today (not for him)."""
    return _acceptance_awaiting(user, substitute=True)


def extension_awaiting_as_substitute(user: User) -> Q:
    """The tasks whose pending extension waits for someone ``user`` stands in for today."""
    return Q(Exists(_extensions_awaiting(user, substitute=True)))
