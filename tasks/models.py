"""Tasks (nhiệm vụ) from the points of documents, their progress, and the holiday table behind deadlines."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.text import fold
from lib.uploads import RandomName


class Holiday(models.Model):
    """A day that breaks the Monday-Friday pattern: a day off on a weekday, or a worked weekend day.

    Public holidays and their compensatory days are loaded from the law (``holidays_preload``);
    the government's yearly swaps (a Saturday worked in exchange for a weekday off) are entered
    by the administrator. Weekends themselves are never stored.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ (lễ, tết, nghỉ bù)")
        WORKING_DAY = "working_day", _("Ngày làm bù")

    class Origin(models.TextChoices):
        LAW = "law", _("Tính theo Bộ luật Lao động")
        ADMINISTRATOR = "administrator", _("Quản trị viên nhập hoặc sửa")

    date = models.DateField(_("ngày"))
    name = models.CharField(_("tên ngày"), max_length=120, help_text=_("Ví dụ: Tết Nguyên đán (mùng 1)"))
    kind = models.CharField(_("loại ngày"), max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    origin = models.CharField(
        _("nguồn"),
        max_length=20,
        choices=Origin.choices,
        default=Origin.ADMINISTRATOR,
        editable=False,
    )

    class Meta:
        verbose_name = _("ngày nghỉ lễ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ lễ, ngày làm bù")
        ordering = ["date"]
        constraints = [
            # One row per day; it also serves the calendar's full read and the admin's year list.
            models.UniqueConstraint(fields=["date"], name="tasks_holiday_date_unique"),
            models.CheckConstraint(condition=Q(kind__in=["holiday", "working_day"]), name="tasks_holiday_kind_valid"),
            models.CheckConstraint(condition=Q(origin__in=["law", "administrator"]), name="tasks_holiday_origin_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="tasks_holiday_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    def clean(self) -> None:
        # Kept out of the database: a weekday check needs date functions that differ
        # between SQLite and PostgreSQL. A holiday on a weekend is allowed: the law's Tết
        # days are listed even when they fall on a Saturday.
        if self.date is None:
            return
        if self.kind == self.Kind.WORKING_DAY and self.date.weekday() < 5:
            raise ValidationError({"kind": _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.")})


class HolidayYear(models.Model):
    """A year whose public holidays were loaded; from then on the administrator owns its rows.

    Remembering the year, not each row, is what lets an administrator delete or move a
    loaded holiday (the government chose 3 September instead of 1 September) without the
    next load bringing it back.
    """

    year = models.PositiveSmallIntegerField(_("năm"), primary_key=True)
    loaded_at = models.DateTimeField(_("thời điểm nạp"), auto_now_add=True)

    class Meta:
        verbose_name = _("năm đã nạp ngày nghỉ lễ")
        verbose_name_plural = _("năm đã nạp ngày nghỉ lễ")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Task(models.Model):
    """A task from a point of a document (or a director's verbal order) given to a lead unit.

    ``deadline`` is the deadline in force (after any granted extension) and ``due_at`` the
    instant it runs out (23:59:59.999999 that day in Vietnam), kept together by the services
    so lists and reports compare timestamps in the database. ``original_deadline`` never
    changes after creation. A standing duty (thường xuyên) has no deadline and a reporting period.
    """

    class State(models.TextChoices):
        NEW = "new", _("Mới giao")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        SUBMITTED = "submitted", _("Chờ nghiệm thu")
        RETURNED = "returned", _("Bị trả lại")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Thấp")
        NORMAL = 2, _("Bình thường")
        HIGH = 3, _("Cao")
        URGENT = 4, _("Khẩn")

    class Period(models.TextChoices):
        NONE = "", _("Không")
        WEEKLY = "weekly", _("Hằng tuần")
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")

    OPEN_STATES = (State.NEW, State.IN_PROGRESS, State.SUBMITTED, State.RETURNED)
    # open and in the handler's hands (not waiting for acceptance): what reminders are about
    REMINDED_STATES = (State.NEW, State.IN_PROGRESS, State.RETURNED)

    agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("cơ quan")
    )
    document = models.ForeignKey(
        "directives.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks",
        verbose_name=_("văn bản giao"),
    )  # fmt: skip
    point = models.CharField(_("điểm, mục"), max_length=30, blank=True, help_text=_("Ví dụ: II.3"))
    title = models.CharField(_("nội dung nhiệm vụ"), max_length=250)
    description = models.TextField(_("yêu cầu chi tiết"), blank=True)
    lead_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("đơn vị chủ trì")
    )
    cooperating_units = models.ManyToManyField(
        "units.Unit", related_name="cooperating_tasks", blank=True, verbose_name=_("đơn vị phối hợp")
    )
    supervisor = models.ForeignKey(
        "units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="supervised_tasks",
        verbose_name=_("lãnh đạo phụ trách"),
    )  # fmt: skip
    created_by = models.ForeignKey("units.User", on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        "units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="handled_tasks",
        verbose_name=_("người xử lý chính"),
    )  # fmt: skip
    supporters = models.ManyToManyField(
        "units.User", related_name="supported_tasks", blank=True, verbose_name=_("người phối hợp")
    )
    priority = models.PositiveSmallIntegerField(_("mức ưu tiên"), choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.NEW)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    original_deadline = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, editable=False)
    reporting_period = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Period.choices, blank=True, default="")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    result = models.TextField(_("kết quả"), blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The lead unit's head accepted the submitted result and it waits for the supervisor's final
    # acceptance (the agency's «head then leader» mode); cleared when it is submitted or returned.
    pre_accepted_by = models.ForeignKey(
        "units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("lãnh đạo đơn vị đã nghiệm thu"),
    )  # fmt: skip
    pre_accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The point, title, description and lead unit's name folded (lib.text.fold): the task search
    # ignores diacritics and case, as the document search does. Kept by ``save`` (see there).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_at", "-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["new", "in_progress", "submitted", "returned", "done", "cancelled"]),
                name="tasks_task_state_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="tasks_task_progress_percent"),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True, due_at__isnull=True)
                | Q(deadline__isnull=False, due_at__isnull=False),
                name="tasks_task_due_at_with_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_at__isnull=False), name="tasks_task_done_has_time"
            ),
        ]
        indexes = [
            # "my tasks": what I handle, open first, by deadline
            models.Index(fields=["handler", "state", "due_at"], name="tasks_task_handler"),
            # "unit tasks" and the dashboard per unit; the unit list counts and orders the tasks its
            # units lead from this index alone (tasks.selectors.unit_task_parts: id, state,
            # due_at and priority are all in it), on PostgreSQL
            models.Index(
                fields=["lead_unit", "state", "due_at"], include=["priority", "id"], name="tasks_task_lead_unit_cover"
            ),
            # "tasks I supervise"
            models.Index(fields=["supervisor", "state", "due_at"], name="tasks_task_supervisor"),
            # the agency dashboard and reports over a period
            models.Index(fields=["agency", "state", "due_at"], name="tasks_task_agency"),
            # dashboards: the tasks due in a period (tasks.periods.in_period)
            models.Index(fields=["agency", "due_at"], name="tasks_task_agency_due"),
            # dashboards: standing duties given in a period (the other branch of in_period)
            models.Index(
                fields=["agency", "created_at"], condition=Q(due_at__isnull=True), name="tasks_task_agency_standing"
            ),
            # the reminder sweep's first pass of a day: open tasks by deadline (before / overdue rules)
            models.Index(
                fields=["deadline"],
                condition=Q(state__in=["new", "in_progress", "returned"]),  # Task.REMINDED_STATES
                name="tasks_task_open_deadline",
            ),
            # the reminder sweep's later passes of a day: the tasks changed since the last one
            models.Index(fields=["updated_at"], name="tasks_task_updated"),
            # dashboards: an agency's most overdue tasks (reports.dashboards.most_overdue), read in
            # order without skipping the finished ones; the states are OPEN_STATES
            models.Index(
                fields=["agency", "due_at", "id"],
                condition=Q(state__in=["new", "in_progress", "submitted", "returned"]),
                name="tasks_task_agency_overdue",
            ),
            # the same for a superuser, whose scope is every agency
            models.Index(
                fields=["due_at", "id"],
                condition=Q(state__in=["new", "in_progress", "submitted", "returned"]),
                name="tasks_task_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.title}".strip()

    # The fields ``search_text`` is made of: a save limited to other fields leaves it alone.
    SEARCHED_FIELDS = {"point", "title", "description", "lead_unit"}

    def save(self, *args, **kwargs):
        """Save, with ``search_text`` made again from the searched fields.

        A derived column, not domain flow: kept here so every path that saves a task (services,
        admin, demo data, other apps) keeps search in step. ``bulk_create`` callers set it with
        ``search_text_for()`` themselves.
        """
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search_text = self.search_text_for()
        elif self.SEARCHED_FIELDS & {name.removesuffix("_id") for name in update_fields}:
            self.search_text = self.search_text_for()
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def search_text_for(self) -> str:
        """``search_text`` as it should be for the task's current values."""
        unit = self.lead_unit.name if self.lead_unit_id else ""
        return fold(" ".join(part for part in (self.point, self.title, self.description, unit) if part))

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class TrackingClass(models.TextChoices):
    """The Government Office's four-way classification, plus the tasks counted apart."""

    ON_TIME = "on_time", _("Hoàn thành đúng hạn")
    LATE = "late", _("Hoàn thành quá hạn")
    WITHIN = "within", _("Đang thực hiện trong hạn")
    OVERDUE = "overdue", _("Đang thực hiện quá hạn")
    NO_DEADLINE = "no_deadline", _("Không có hạn")
    CANCELLED = "cancelled", _("Đã hủy")


class TaskEvent(models.Model):
    """The timeline of a task: every change, with who and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Giao nhiệm vụ")
        ASSIGNED = "assigned", _("Phân công xử lý")
        REPORTED = "reported", _("Báo cáo tiến độ")
        SUBMITTED = "submitted", _("Báo cáo hoàn thành")
        ACCEPTED = "accepted", _("Nghiệm thu")
        PRE_ACCEPTED = "pre_accepted", _("Lãnh đạo đơn vị nghiệm thu, chuyển lãnh đạo phụ trách")
        RETURNED = "returned", _("Trả lại")
        EXTENSION_ASKED = "ext_asked", _("Xin gia hạn")
        EXTENSION_GRANTED = "ext_granted", _("Đồng ý gia hạn")
        EXTENSION_REFUSED = "ext_refused", _("Không đồng ý gia hạn")
        EXTENSION_ENDORSED = "ext_endorsed", _("Lãnh đạo đơn vị đồng ý, chuyển lãnh đạo phụ trách quyết định gia hạn")
        CANCELLED = "cancelled", _("Hủy nhiệm vụ")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("units.User", on_delete=models.PROTECT, related_name="+")
    # The person the actor stood in for (units.Delegation): the step was done «thay» them.
    acting_for = models.ForeignKey("units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class ProgressReport(models.Model):
    """A handler's report: what was done, how far (percent), with files. Cooperating units add their part too."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey("units.User", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    is_final = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="tasks_report_percent")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}%"


class TaskFile(models.Model):
    """A file attached to a progress report; served only through a view that checks rights."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    # Stored as <uuid><extension of the detected kind>; the name the person gave is ``name``.
    file = models.FileField(upload_to=RandomName("tasks/%Y/%m/"))
    name = models.CharField(_("tên tệp"), max_length=255, help_text=_("Tên gốc của tệp khi tải lên."))
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """A request for a new deadline, and its answer. The history keeps the deadline it replaced."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        GRANTED = "granted", _("Đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey("units.User", on_delete=models.PROTECT, related_name="+")
    old_deadline = models.DateField(_("hạn cũ"))
    new_deadline = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Working days from the old deadline to the new one, counted on the calendar of the day it was
    # asked: compared with the agency's limit for what the lead unit's head decides alone.
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc gia hạn"), null=True, blank=True)
    # The head agreed and passed the request on to the supervisor (the «head then leader» mode).
    endorsed_by = models.ForeignKey("units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    endorsed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("units.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # one open request at a time per task
            models.UniqueConstraint(fields=["task"], condition=Q(state="pending"), name="tasks_extension_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.old_deadline} → {self.new_deadline}"


class DueReport(models.Model):
    """A periodic report a standing duty owes for one period (weekly, monthly, quarterly)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="due_reports")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField(_("hạn nộp"))
    report = models.ForeignKey(ProgressReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="tasks_duereport_once_per_period"),
        ]
        indexes = [models.Index(fields=["due_on", "report"], name="tasks_duereport_due")]  # the reminder sweep

    def __str__(self) -> str:
        return f"{self.task_id}: {self.period_start}–{self.period_end}"


class ReminderRule(models.Model):
    """When to remind whom about a task, in working days (Asia/Ho_Chi_Minh). Kept by the administrator."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Trước hạn")
        OVERDUE = "overdue", _("Quá hạn")
        PERIODIC = "periodic", _("Trước hạn báo cáo định kỳ")
        RETURNED = "returned", _("Nhiệm vụ bị trả lại chưa xử lý")

    name = models.CharField(_("tên quy tắc"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    days = models.SmallIntegerField(
        _("số ngày làm việc"),
        validators=[
            MinValueValidator(0, message=_("Số ngày làm việc không được âm.")),
            MaxValueValidator(250, message=_("Số ngày làm việc không quá 250 (khoảng một năm).")),
        ],
        help_text=_("Trước hạn: bao nhiêu ngày làm việc trước hạn (0 = sáng ngày đến hạn). "
                    "Quá hạn, bị trả lại: sau bao nhiêu ngày làm việc."),
    )  # fmt: skip
    send_at = models.TimeField(_("giờ gửi"), default=datetime.time(7, 30))
    to_handlers = models.BooleanField(_("gửi người xử lý"), default=True)
    to_unit_head = models.BooleanField(_("gửi lãnh đạo đơn vị chủ trì"), default=False)
    to_supervisor = models.BooleanField(_("gửi lãnh đạo phụ trách"), default=False)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # The sweep's last whole pass over the tasks for this rule: its day (Hà Nội) and the moment
    # it (or a later pass that day) began. Later sweeps that day look only at tasks changed
    # since (tasks.reminders); editing the rule clears both, so the next sweep reads everything.
    swept_on = models.DateField(null=True, blank=True, editable=False)
    swept_from = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quy tắc nhắc việc")
        verbose_name_plural = _("quy tắc nhắc việc")
        ordering = ["kind", "-days"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["before", "overdue", "periodic", "returned"]), name="tasks_reminderrule_kind"
            ),
            models.CheckConstraint(
                condition=Q(days__gte=0, days__lte=250),
                name="tasks_reminderrule_days_sane",
                violation_error_message=_("Số ngày làm việc phải từ 0 đến 250."),
            ),
            models.CheckConstraint(
                condition=Q(to_handlers=True) | Q(to_unit_head=True) | Q(to_supervisor=True),
                name="tasks_reminderrule_has_recipients",
                violation_error_message=_("Hãy chọn ít nhất một người nhận."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.conf import settings

        start, end = settings.OFFICE_HOURS
        if self.send_at is not None and not (start <= self.send_at <= end):
            raise ValidationError(
                {"send_at": _("Giờ gửi phải trong giờ hành chính (%(start)s–%(end)s).")
                 % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}}
            )  # fmt: skip
        if self.kind in (self.Kind.OVERDUE, self.Kind.RETURNED) and self.days == 0:
            raise ValidationError({"days": _("Nhắc quá hạn hoặc bị trả lại phải sau ít nhất 1 ngày làm việc.")})


class Reminder(models.Model):
    """One reminder to one person: the unit of exactly-once.

    Keyed by (task, rule, occasion, person), where the occasion is the deadline (or report
    due date, or day of return) it is about, so a later deadline brings new reminders and
    nothing else does. Created set-wise by the sweep (conflicts ignored), then claimed by a
    conditional update on ``claimed_at`` in the same transaction that writes its notice.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="reminders")
    occasion = models.DateField()
    user = models.ForeignKey("units.User", on_delete=models.CASCADE, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="reminder"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("lượt nhắc việc")
        verbose_name_plural = _("lượt nhắc việc")
        constraints = [
            models.UniqueConstraint(fields=["task", "rule", "occasion", "user"], name="tasks_reminder_once"),
        ]
        indexes = [
            # the sweep's claim loop: reminders not yet claimed
            models.Index(fields=["id"], condition=Q(claimed_at__isnull=True), name="tasks_reminder_unclaimed"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.rule_id}/{self.occasion}/{self.user_id}"


class Digest(models.Model):
    """A digest a person got: the weekly one of a director (``week_start``: that Monday) or the
    daily one (``week_start``: that day). Exactly once per (person, kind, day); the row is
    claimed (``claimed_at``) before the notice is written."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Tổng hợp hằng tuần")
        DAILY = "daily", _("Bản tin việc hằng ngày")

    user = models.ForeignKey("units.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.WEEKLY)
    week_start = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "week_start"], name="tasks_digest_once_per_kind_and_day"),
        ]
        indexes = [
            # the send jobs' unclaimed rows of one day and kind
            models.Index(fields=["kind", "week_start", "claimed_at"], name="tasks_digest_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week_start}"
