"""The office's periodic report on assigned tasks: per unit and per supervising director.

For a period and an agency, each row counts the tasks received (due in the period, or given
in it when they have no deadline: ``tasks.periods.in_period``), the four tracking classes as
of the moment of the report, the tasks without a deadline, and the Government Office's two
rates. The numbers come from ``reports.dashboards`` (one aggregate query per table); the totals
are the sums of the rows, with the rates computed from the summed classes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from lib.replica import replica_reads
from reports.dashboards import CLASSES, by_unit
from tasks.models import Task, TrackingClass
from tasks.periods import Period, in_period
from tasks.tracking import rates, with_tracking
from units.models import Agency, Unit

TITLE = "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"

# (key, header) of the number columns, in the order the office's report prints them.
COLUMNS = [
    ("received", _("Tổng số nhiệm vụ")),
    (TrackingClass.ON_TIME.value, _("Hoàn thành đúng hạn")),
    (TrackingClass.LATE.value, _("Hoàn thành quá hạn")),
    (TrackingClass.WITHIN.value, _("Đang thực hiện trong hạn")),
    (TrackingClass.OVERDUE.value, _("Đang thực hiện quá hạn")),
    (TrackingClass.NO_DEADLINE.value, _("Không có hạn")),
    ("completion", _("Tỷ lệ hoàn thành")),
    ("on_time_rate", _("Tỷ lệ đúng hạn")),
]
RATE_KEYS = ("completion", "on_time_rate")
NO_SUPERVISOR = _("Không có lãnh đạo phụ trách")


@dataclass
class Report:
    agency: Agency
    period: Period
    at: datetime
    units: list[dict] = field(default_factory=list)
    supervisors: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def period_label(self) -> str:
        return f"Từ ngày {_date(self.period.start)} đến ngày {_date(self.period.end)}"


def _date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def report_row(name: str, counts: dict) -> dict:
    """A row of the report from class counts (with or without the no-deadline count)."""
    classes = {c: counts.get(c, 0) for c in CLASSES}
    no_deadline = counts.get(TrackingClass.NO_DEADLINE, 0)
    computed = rates(classes)
    values = {
        "received": sum(classes.values()) + no_deadline,
        **classes,
        TrackingClass.NO_DEADLINE.value: no_deadline,
        "completion": computed["completion"],
        "on_time_rate": computed["on_time"],
    }
    labels = {key: computed["completion_label" if key == "completion" else "on_time_label"] for key in RATE_KEYS}
    # As printed on the page and in the PDF: 1.234 and 98,62 % (Vietnamese separators).
    cells = [labels[key] if key in RATE_KEYS else f"{values[key]:,}".replace(",", ".") for key, _header in COLUMNS]
    return {"name": name, "values": values, "labels": labels, "cells": cells}


def _totals(rows: list[dict]) -> dict:
    summed = {key: sum(row["values"][key] for row in rows) for key, _header in COLUMNS if key not in RATE_KEYS}
    return report_row(str(_("Tổng cộng")), summed)


def by_supervisor(tasks: QuerySet[Task], *, at: datetime) -> list[dict]:
    """Class counts per supervising director of the task (None for tasks without one). One query."""
    rows = (
        with_tracking(tasks, at=at)
        .values("supervisor_id", "supervisor__full_name", "tracking")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict = {}
    for row in rows:
        entry = table.setdefault(row["supervisor_id"], {"name": row["supervisor__full_name"], "counts": {}})
        entry["counts"][row["tracking"]] = row["n"]
    return [{"user_id": key, **entry} for key, entry in table.items()]


@replica_reads()
def report_build(*, agency: Agency, period: Period, at: datetime) -> Report:
    """The report of ``agency`` for ``period`` as of ``at``: three queries whatever the number of tasks.

    Every active unit gets a row (zeros included) so the report lists the whole agency; an
    inactive unit appears only when it still leads tasks of the period.
    """
    tasks = in_period(Task.objects.filter(agency=agency), period)
    counted = {row["unit_id"]: row for row in by_unit(tasks, at=at)}
    units = Unit.objects.filter(agency=agency, is_active=True).values_list("pk", "name").order_by("name")
    names = dict(units)
    names.update({unit_id: row["name"] for unit_id, row in counted.items()})
    unit_rows = [
        report_row(name, counted[unit_id]["counts"] if unit_id in counted else {})
        for unit_id, name in sorted(names.items(), key=lambda item: (item[1], item[0]))
    ]
    supervised = sorted(by_supervisor(tasks, at=at), key=lambda r: (r["user_id"] is None, r["name"] or ""))
    supervisor_rows = [report_row(row["name"] or str(NO_SUPERVISOR), row["counts"]) for row in supervised]
    return Report(
        agency=agency,
        period=period,
        at=at,
        units=unit_rows,
        supervisors=supervisor_rows,
        totals=_totals(unit_rows),
    )
