"""The province summary: tasks counted per agency, lead unit, day and bucket (reports.province).

The tables keep the names they had in ``tasks`` (``db_table``), and their constraints and
indexes their ``tasks_`` names: the models moved, the rows did not.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TaskSummary(models.Model):
    """How many tasks of an agency's unit fall in one bucket on one day: the province view reads this.

    A province-wide GROUP BY over a million tasks takes ~200 ms; summing these rows for a
    period takes a few. Rows are per lead unit too, so the agency dashboard's cards, bars per
    unit, trend and count of overdue tasks (scope "agency") are sums of the same rows. ``day``
    is the day a period selects a task by (its deadline, or the day it was given when it has
    none, as ``tasks.periods.in_period`` does). Open tasks are kept as one bucket because their
    class depends on the moment S of the report: with a deadline on or after S's date they
    are within the deadline, before it past it. Finished ones are on time or late for good.
    Cancelled tasks are not counted.

    Recounted as a whole every minute by ``reports.jobs.task_summary_refresh`` (one SELECT …
    GROUP BY, then only the rows that differ written, in a transaction), so it lags the tasks
    by at most that minute; ``TaskSummaryRefresh`` says when.
    """

    class Bucket(models.TextChoices):
        OPEN = "open", _("Đang thực hiện (có hạn)")
        DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
        DONE_LATE = "done_late", _("Hoàn thành quá hạn")
        NO_DEADLINE_OPEN = "no_deadline_open", _("Không có hạn, đang thực hiện")
        NO_DEADLINE_DONE = "no_deadline_done", _("Không có hạn, đã hoàn thành")

    agency = models.ForeignKey("units.Agency", on_delete=models.CASCADE, related_name="task_summaries")
    # the agency dashboard's bars per unit read the same rows, grouped by the lead unit
    lead_unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="task_summaries")
    day = models.DateField()
    bucket = models.CharField(max_length=20, choices=Bucket.choices)
    count = models.PositiveIntegerField()

    class Meta:
        db_table = "tasks_tasksummary"  # the table kept its name when the summary left tasks (migration 0001)
        verbose_name = _("tổng hợp nhiệm vụ")
        verbose_name_plural = _("tổng hợp nhiệm vụ")
        constraints = [
            # also the agency dashboard's index: one agency's rows of the days in a period
            models.UniqueConstraint(fields=["agency", "day", "lead_unit", "bucket"], name="tasks_tasksummary_once"),
            models.CheckConstraint(
                condition=Q(bucket__in=["open", "done_on_time", "done_late", "no_deadline_open", "no_deadline_done"]),
                name="tasks_tasksummary_bucket_valid",
            ),
        ]
        indexes = [
            # the province view: every agency's rows of the days in a period
            models.Index(fields=["day", "agency", "bucket"], name="tasks_tasksummary_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.bucket}: {self.count}"


class TaskSummaryRefresh(models.Model):
    """When ``TaskSummary`` was last recounted, and how many rows it then held: one row, id 1.

    The refresh locks this row before it recounts, so two refreshes never write their
    differences at the same time; no row means the summary was never built.
    """

    refreshed_at = models.DateTimeField()
    rows = models.PositiveIntegerField()

    class Meta:
        db_table = "tasks_tasksummaryrefresh"
        verbose_name = _("lần tổng hợp nhiệm vụ")
        verbose_name_plural = _("lần tổng hợp nhiệm vụ")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="tasks_tasksummaryrefresh_one")]

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M:%S}: {self.rows}"
