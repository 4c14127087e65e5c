"""The reminder sweep: who must be reminded of which task now, each reminder sent once.

Modelled on healthchecks' ``sendalerts``: work is a row, claimed by a conditional update.

1. *Create*, set-wise in SQL: for each active rule, one ``INSERT INTO tasks_reminder … SELECT
   … ON CONFLICT (task, rule, occasion, person) DO NOTHING``. Its SELECT takes the rule's
   candidate query (the tasks whose occasion has come, by date-range filters on indexed columns;
   for the returned rule the occasion is the day of the last return in Hà Nội, computed in SQL
   too) and joins it to the people to remind, a UNION of one SELECT per kind of recipient
   (handler, supporters, heads of the lead unit, supervisor), so nothing moves to Python. The
   unique key makes a second sweep — a second beat, a redelivered job, two processes at once —
   insert nothing new; rows are inserted in key order, so two concurrent sweeps wait on each
   other instead of deadlocking. ``skipped`` is the COUNT of the wanted rows that exist and are
   claimed (on PostgreSQL in the same statement as the INSERT, the wanted rows computed once);
   a dry run runs the same SELECT with NOT EXISTS instead of the INSERT.
2. *Claim and send*, a batch of up to ``BATCH`` unclaimed rows per transaction: one conditional
   ``UPDATE … SET claimed_at = now WHERE claimed_at IS NULL AND id IN (…) RETURNING id`` claims
   them (a row another sweep claimed first is not returned: the set-wise form of
   ``filter(pk=…, claimed_at=None).update(…) == 1``), and the same transaction writes the
   notices of the rows won and their channel deliveries. A crash before that transaction
   commits rolls the claims back, so the next sweep sends them (nothing lost); once it has
   committed the rows are claimed (nothing doubled). A batch that raises is retried one row at
   a time, so the row that fails is counted and, after ``MAX_ATTEMPTS``, pushed forward. In-app
   notices are exactly once; e-mail is at-least-once (see notifications.services).

Passes: the first sweep of a day reads every task for each rule (the day moved every window).
The beat sweeps every five minutes; its later sweeps that day read, for each rule, only the
tasks changed (``updated_at``, which every service bumps) since that rule's last pass began,
less ``CHANGE_SLACK`` for transactions still open then — a new task due tomorrow, a deadline
extended, a task returned. What changes without its task (a new head of unit, a holiday or rule
edit) is read by the next whole pass: rule and holiday edits clear the marks so that is the next
sweep; a new head of unit gets the day's reminders from the next day's first sweep. The manual
``send_reminders`` always makes a whole pass.

Catch-up after downtime sends what is still relevant, once: before the deadline only the
latest rule that has come due for a task is selected (after a day off, a "1 day before"
supersedes the stale "3 days before"); overdue and returned reminders are sent once per
deadline while the task is still overdue or still returned; nothing is sent for tasks that
were finished in the meantime.

Nothing is sent on weekends, holidays or outside office hours (settings.OFFICE_HOURS).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lib.text import shorten
from lib.workdays import VIETNAM_TZ
from notifications.models import Notification
from notifications.services import notifications_send
from tasks.calendar import calendar_current
from tasks.models import DueReport, Reminder, ReminderRule, Task, TaskEvent
from units.models import Membership

log = logging.getLogger(__name__)

BATCH = 2000
MAX_ATTEMPTS = 3
# A task saved just before a pass began may commit after the pass read the tasks; later passes
# re-read tasks changed this long before the last one began (longer than any transaction).
CHANGE_SLACK = timedelta(minutes=10)
Kind = ReminderRule.Kind


@dataclass
class SweepResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    planned: list = field(default_factory=list)  # (task_id, rule_id, occasion, user_id) in a dry run
    notices: list = field(default_factory=list)  # ids of the notices written by this sweep

    def as_dict(self) -> dict:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}


def _in_office(local: datetime) -> bool:
    start, end = settings.OFFICE_HOURS
    return calendar_current().is_working_day(local.date()) and start <= local.time() <= end


def _changed_since(rule: ReminderRule, today: date) -> datetime | None:
    """Where a later pass of the day may start reading: tasks changed from this moment on.

    None (read every task) on the rule's first pass of the day, after the rule was edited,
    and for standing duties' report rules, whose due reports appear without their task
    changing (the hourly job creates them) and which are few anyway.
    """
    if rule.kind == Kind.PERIODIC or rule.swept_on != today or rule.swept_from is None:
        return None
    return rule.swept_from - CHANGE_SLACK


def _candidates(rule: ReminderRule, today: date, closer: int | None, since: datetime | None = None):
    """The query of the tasks whose reminder under ``rule`` is due today: (task id, occasion) and
    the task's handler, supervisor and lead unit, which say who is to be reminded. With
    ``since``, only among the tasks changed from that moment on."""
    calendar = calendar_current()
    people = ("handler_id", "supervisor_id", "lead_unit_id")
    # order_by(): Task's default ordering would sort every candidate for nothing.
    tasks = Task.objects.order_by()
    if since is not None:
        tasks = tasks.filter(updated_at__gte=since)
    open_tasks = tasks.filter(state__in=Task.REMINDED_STATES)
    if rule.kind == Kind.BEFORE:
        # Due once the deadline is within `days` working days; superseded by the next closer rule.
        tasks = open_tasks.filter(deadline__gte=today, deadline__lte=calendar.add_working_days(today, rule.days))
        if closer is not None:
            tasks = tasks.filter(deadline__gt=calendar.add_working_days(today, closer))
        return tasks.values_list("pk", "deadline", *people)
    if rule.kind == Kind.OVERDUE:
        last_deadline = calendar.add_working_days(today, -rule.days)
        return open_tasks.filter(deadline__lte=last_deadline).values_list("pk", "deadline", *people)
    if rule.kind == Kind.PERIODIC:
        due = DueReport.objects.order_by().filter(
            report=None, due_on__gte=today, due_on__lte=calendar.add_working_days(today, rule.days),
            task__state__in=Task.OPEN_STATES,
        )  # fmt: skip
        return due.values_list("task_id", "due_on", *(f"task__{name}" for name in people))
    # RETURNED: still returned `days` working days after it was returned. The occasion is the
    # day (in Hà Nội) of the last return, computed in SQL like the other rules' occasions.
    returned_on = TaskEvent.objects.filter(task=OuterRef("pk"), action=TaskEvent.Action.RETURNED)
    tasks = tasks.filter(state=Task.State.RETURNED).annotate(
        returned_at=Subquery(returned_on.values("task").annotate(last=Max("at")).values("last")[:1])
    )
    limit = datetime.combine(calendar.add_working_days(today, -rule.days), datetime.max.time(), tzinfo=VIETNAM_TZ)
    returned = tasks.filter(returned_at__lte=limit).annotate(returned_on=TruncDate("returned_at", tzinfo=VIETNAM_TZ))
    return returned.values_list("pk", "returned_on", *people)


def _wanted(rule: ReminderRule, today: date, closer: int | None, since: datetime | None = None) -> tuple[str, list]:
    """SQL of the rows (task_id, occasion, user_id) the rule wants today, and its parameters.

    The candidates joined to their recipients, a UNION of one SELECT per kind of recipient:
    to_handlers, the handler and the supporters, or, when the task has no handler, the heads
    (active) of its lead unit, who must assign it; to_unit_head, those heads; to_supervisor, the
    supervisor, or those heads when there is none. UNION also removes a person met twice.
    """
    candidates, params = _candidates(rule, today, closer, since).query.sql_with_params()
    supporters = Task.supporters.through._meta.db_table
    membership = Membership._meta.db_table
    user = Membership._meta.get_field("user").related_model._meta.db_table
    heads = (
        f"SELECT m.unit_id, m.user_id FROM {membership} m JOIN {user} u ON u.id = m.user_id"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
        " WHERE m.is_head AND u.is_active"
    )
    cand = "candidates c"
    branches = []
    if rule.to_handlers:
        branches += [
            f"SELECT c.task_id, c.occasion, c.handler_id AS user_id FROM {cand} WHERE c.handler_id IS NOT NULL",  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            f"SELECT c.task_id, c.occasion, s.user_id FROM {cand} JOIN {supporters} s ON s.task_id = c.task_id"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " WHERE c.handler_id IS NOT NULL",
            f"SELECT c.task_id, c.occasion, h.user_id FROM {cand} JOIN ({heads}) h ON h.unit_id = c.lead_unit_id"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " WHERE c.handler_id IS NULL",
        ]
    if rule.to_unit_head:
        branches.append(
            f"SELECT c.task_id, c.occasion, h.user_id FROM {cand} JOIN ({heads}) h ON h.unit_id = c.lead_unit_id"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
        )
    if rule.to_supervisor:
        branches += [
            f"SELECT c.task_id, c.occasion, c.supervisor_id AS user_id FROM {cand} WHERE c.supervisor_id IS NOT NULL",  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            f"SELECT c.task_id, c.occasion, h.user_id FROM {cand} JOIN ({heads}) h ON h.unit_id = c.lead_unit_id"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " WHERE c.supervisor_id IS NULL",
        ]
    # The candidate query's columns, named (it selects pk or task_id, then deadline, due_on or the day).
    columns = "task_id, occasion, handler_id, supervisor_id, lead_unit_id"
    return f"WITH candidates ({columns}) AS ({candidates}) {' UNION '.join(branches)}", params


def _message(rule: ReminderRule, title: str, unit: str, occasion: date, today: date, between) -> tuple[str, str]:
    """The notice's kind and its Vietnamese text; ``between(a, b)`` counts working days."""
    values = {"title": shorten(title, 150), "date": occasion.strftime("%d/%m/%Y"), "unit": unit}
    if rule.kind == Kind.BEFORE and occasion == today:
        return "reminder_due_today", _("Nhiệm vụ «%(title)s» đến hạn hôm nay (%(date)s).") % values
    if rule.kind == Kind.BEFORE:
        values["n"] = between(today, occasion)
        text = _("Nhiệm vụ «%(title)s» đến hạn ngày %(date)s (còn %(n)s ngày làm việc).")
        return "reminder_before", text % values
    if rule.kind == Kind.OVERDUE:
        values["n"] = between(occasion, today)
        text = _("Nhiệm vụ «%(title)s» của %(unit)s đã quá hạn %(n)s ngày làm việc (hạn %(date)s).")
        supervisor_only = rule.to_supervisor and not rule.to_handlers
        return ("reminder_overdue_supervisor" if supervisor_only else "reminder_overdue"), text % values
    if rule.kind == Kind.PERIODIC:
        text = _("Nhiệm vụ thường xuyên «%(title)s»: nộp báo cáo định kỳ trước ngày %(date)s.")
        return "reminder_periodic_report", text % values
    text = _("Nhiệm vụ «%(title)s» bị trả lại từ ngày %(date)s, chưa báo cáo lại.")
    return "reminder_returned", text % values


class _Notices:
    """The notices of one sweep's reminders. What every notice shares is read once (the calendar,
    the rules, the task page's address) and working-day counts are kept per pair of days: a
    batch holds thousands of reminders about a few dozen deadlines."""

    # The columns ``of`` reads from each reminder to send.
    COLUMNS = ("pk", "user_id", "rule_id", "occasion", "task_id", "task__title", "task__lead_unit__name")

    def __init__(self, today: date) -> None:
        self.today = today
        self.calendar = calendar_current()
        self.rules = {rule.pk: rule for rule in ReminderRule.objects.all()}
        marker = 987654321  # reverse() once, then fill in each task's id
        self.url = reverse("tasks:detail", args=[marker]).replace(str(marker), "{}")
        self.counts: dict[tuple[date, date], int] = {}

    def between(self, a: date, b: date) -> int:
        if (a, b) not in self.counts:
            self.counts[a, b] = self.calendar.working_days_between(a, b)
        return self.counts[a, b]

    def of(self, reminders: QuerySet) -> tuple[list[int], list[Notification]]:
        """The ids of the reminders about tasks still open, and their unsaved notices, in the same order.

        Reminders about tasks finished since they were created are claimed with nothing to say.
        """
        ids, notices = [], []
        rows = reminders.filter(task__state__in=Task.OPEN_STATES).order_by("pk").values_list(*self.COLUMNS)
        for pk, user_id, rule_id, occasion, task_id, title, unit in rows:
            kind, message = _message(self.rules[rule_id], title, unit, occasion, self.today, self.between)
            ids.append(pk)
            notices.append(Notification(user_id=user_id, kind=kind, message=message, url=self.url.format(task_id)))
        return ids, notices


def _create(rules: list[ReminderRule], today: date, result: SweepResult, *, dry_run: bool, whole: bool) -> None:
    """Insert every rule's due reminders; ``whole`` reads every task, otherwise a rule already
    passed today reads only the tasks changed since (see ``_changed_since``)."""
    befores = sorted((r for r in rules if r.kind == Kind.BEFORE), key=lambda r: r.days)
    closer = {r.pk: (befores[i - 1].days if i else None) for i, r in enumerate(befores)}
    for rule in rules:
        started = timezone.now()
        since = None if whole else _changed_since(rule, today)
        _insert(rule, *_wanted(rule, today, closer.get(rule.pk), since), result, dry_run=dry_run)
        if not dry_run:
            _mark(rule, today, started)


def _mark(rule: ReminderRule, today: date, started: datetime) -> None:
    """Record that every task changed before ``started`` has been read for ``rule`` today.

    Conditional on the mark read with the rule: an edit in between (which clears it) wins,
    and the next sweep reads every task again.
    """
    ReminderRule.objects.filter(pk=rule.pk, swept_on=rule.swept_on, swept_from=rule.swept_from).update(
        swept_on=today, swept_from=started
    )


def _insert(rule: ReminderRule, wanted: str, params: list, result: SweepResult, *, dry_run: bool) -> None:
    """Insert the rule's wanted rows that are missing, in SQL; count the ones already claimed.

    Rows that exist but are unclaimed (a crash, a concurrent sweep) are sent by the claim loop,
    so they are neither inserted nor counted as skipped.
    """
    table = Reminder._meta.db_table
    same = "r.task_id = w.task_id AND r.rule_id = %s AND r.occasion = w.occasion AND r.user_id = w.user_id"
    claimed = f"EXISTS (SELECT 1 FROM {table} r WHERE {same} AND r.claimed_at IS NOT NULL)"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
    # In key order, so that two sweeps at once wait on each other's rows instead of
    # deadlocking. `WHERE true` lets SQLite parse ON CONFLICT after INSERT … SELECT.
    insert = (
        f"INSERT INTO {table} (task_id, rule_id, occasion, user_id, created_at, attempts, error)"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
        " SELECT w.task_id, %s, w.occasion, w.user_id, %s, 0, '' FROM {source} w WHERE true"
        " ORDER BY w.task_id, w.occasion, w.user_id"
        " ON CONFLICT (task_id, rule_id, occasion, user_id) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not dry_run:
            # One statement, the wanted rows computed once and joined once to the rule's rows
            # that exist (a hash join): only the missing ones reach the INSERT (ON CONFLICT stays
            # for a concurrent sweep), and the same join counts the claimed ones. Offering every
            # wanted row to ON CONFLICT cost an index probe each, and most exist: an overdue
            # task is wanted again every day. Every part of the statement sees the table as it
            # was before it, so the count is of the rows claimed before.
            cursor.execute(
                f"WITH w AS MATERIALIZED ({wanted}),"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
                " known AS MATERIALIZED (SELECT w.task_id, w.occasion, w.user_id, r.id AS reminder_id,"
                f" r.claimed_at IS NOT NULL AS claimed FROM w LEFT JOIN {table} r ON {same}),"
                f" inserted AS ({insert.format(source='(SELECT * FROM known WHERE reminder_id IS NULL)')})"
                " SELECT COUNT(*) FROM known WHERE claimed",
                [*params, rule.pk, rule.pk, now],
            )
            result.skipped += cursor.fetchone()[0]
            return
        cursor.execute(f"SELECT COUNT(*) FROM ({wanted}) w WHERE {claimed}", [*params, rule.pk])  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
        result.skipped += cursor.fetchone()[0]
        if dry_run:
            cursor.execute(
                f"SELECT w.task_id, w.occasion, w.user_id FROM ({wanted}) w"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
                f" WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE {same})",
                [*params, rule.pk],
            )
            result.planned += [
                (task_id, rule.pk, date.fromisoformat(occasion) if isinstance(occasion, str) else occasion, user_id)
                for task_id, occasion, user_id in cursor.fetchall()
            ]
            return
        cursor.execute(insert.format(source=f"({wanted})"), [rule.pk, now, *params])


def _claimed(ids: list[int]) -> list[int]:
    """Claim the unclaimed rows among ``ids`` in one conditional update; return the ones this call won.

    The set-wise form of ``filter(pk=…, claimed_at=None).update(…) == 1``: a row another sweep
    claimed first fails the condition and is not returned. RETURNING: PostgreSQL, SQLite ≥ 3.35.
    """
    table = Reminder._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET claimed_at = %s WHERE claimed_at IS NULL AND id IN ({marks}) RETURNING id",  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            [timezone.now(), *ids],
        )
        return [row[0] for row in cursor.fetchall()]


def _send_batch(ids: list[int], texts: _Notices, written: list[int]) -> int:
    """Claim a batch and write the notices of the rows won, all or none; return how many were won.

    One transaction per batch instead of one per reminder: a crash rolls back the claims with
    the notices (the next sweep sends them), a commit makes both stick (nothing doubled).
    """
    with transaction.atomic():
        won = _claimed(ids)
        due, notices = texts.of(Reminder.objects.filter(pk__in=won))
        notices = notifications_send(notices=notices)
        _link(due, [n.pk for n in notices])
    written.extend(n.pk for n in notices)  # after the commit: only notices that exist
    return len(won)


def _link(reminder_ids: list[int], notice_ids: list[int]) -> None:
    """Point each reminder at its notice in one statement (bulk_update's CASE cost 1.6 s a batch)."""
    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS r SET notification_id = v.notice FROM unnest(%s::bigint[], %s::bigint[])"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
                " AS v(id, notice) WHERE r.id = v.id",
                [reminder_ids, notice_ids],
            )
        else:
            pairs = list(zip(notice_ids, reminder_ids, strict=True))
            cursor.executemany(f"UPDATE {table} SET notification_id = %s WHERE id = %s", pairs)  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter


def _send_each(ids: list[int], texts: _Notices, result: SweepResult) -> None:
    """One by one (batches of one), after a batch failed: the row that fails is counted and in
    time pushed forward."""
    for reminder_id in ids:
        try:
            result.sent += _send_batch([reminder_id], texts, result.notices)
        except Exception as error:
            # The claim rolled back with the notice: the next sweep tries again. A row that
            # keeps failing is pushed forward after MAX_ATTEMPTS so it cannot crash-loop sweeps.
            log.exception("reminder %s could not be sent", reminder_id)
            Reminder.objects.filter(pk=reminder_id, claimed_at=None).update(
                attempts=F("attempts") + 1, error=f"{type(error).__name__}: {error}"[:500]
            )
            Reminder.objects.filter(pk=reminder_id, claimed_at=None, attempts__gte=MAX_ATTEMPTS).update(
                claimed_at=timezone.now()
            )
            result.failed += 1


def reminders_sweep(*, at: datetime | None = None, dry_run: bool = False, whole: bool = True) -> SweepResult:
    """Create the reminders due at ``at`` and send every unclaimed one; return the counts.

    ``whole=False`` (the beat's sweeps): a rule already passed today reads only the tasks
    changed since its last pass, and ``skipped`` counts only among those.
    """
    at = at or timezone.now()
    local = at.astimezone(VIETNAM_TZ)
    result = SweepResult()
    if not _in_office(local):
        return result
    today = local.date()
    rules = [r for r in ReminderRule.objects.filter(is_active=True) if r.send_at <= local.time()]
    _create(rules, today, result, dry_run=dry_run, whole=whole)
    if dry_run:
        result.sent = len(result.planned)
        return result
    texts, last = _Notices(today), 0
    while True:
        ids = list(
            Reminder.objects.filter(claimed_at=None, pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        try:
            result.sent += _send_batch(ids, texts, result.notices)
        except Exception:
            # Nothing of the batch was kept; find the row that fails, send the others.
            log.warning("a batch of %s reminders failed; sending them one by one", len(ids), exc_info=True)
            _send_each(ids, texts, result)
        last = ids[-1]
    return result


# (name, kind, working days, recipients): the defaults of a fresh installation.
DEFAULT_RULES = [
    (_lazy("Nhắc 3 ngày làm việc trước hạn"), Kind.BEFORE, 3, {"to_handlers": True}),
    (_lazy("Nhắc 1 ngày làm việc trước hạn"), Kind.BEFORE, 1, {"to_handlers": True}),
    (_lazy("Nhắc sáng ngày đến hạn"), Kind.BEFORE, 0, {"to_handlers": True}),
    (
        _lazy("Báo quá hạn cho người xử lý và lãnh đạo đơn vị"),
        Kind.OVERDUE,
        1,
        {"to_handlers": True, "to_unit_head": True},
    ),
    (
        _lazy("Báo lãnh đạo phụ trách khi quá hạn 3 ngày làm việc"),
        Kind.OVERDUE,
        3,
        {"to_handlers": False, "to_supervisor": True},
    ),
    (_lazy("Nhắc nộp báo cáo định kỳ"), Kind.PERIODIC, 2, {"to_handlers": True}),
    (_lazy("Nhắc nhiệm vụ bị trả lại chưa xử lý"), Kind.RETURNED, 1, {"to_handlers": True}),
]


def reminder_rules_ensure() -> None:
    """Create the default rules when there are none (a fresh installation)."""
    if ReminderRule.objects.exists():
        return
    ReminderRule.objects.bulk_create(
        [
            ReminderRule(name=str(name), kind=kind, days=days, **recipients)
            for name, kind, days, recipients in DEFAULT_RULES
        ]
    )
