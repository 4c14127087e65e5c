"""The holiday table behind deadlines; tasks, progress and reminders come later."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
