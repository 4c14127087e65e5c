"""The province summary left tasks for reports without touching a row (reports.0001, tasks.0015)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reports.models import TaskSummary, TaskSummaryRefresh

BEFORE = [("tasks", "0014_reminder_notice_in_notifications_app"), ("units", "0007_notices_moved_to_notifications")]


@pytest.mark.django_db(transaction=True)
def test_summary_rows_written_before_the_move_are_read_after_it(agency, science_unit):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("reports", None)])  # the state of main before the move: the summary in tasks
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        old.get_model("tasks", "TaskSummary").objects.create(
            agency_id=agency.pk, lead_unit_id=science_unit.pk, day=date(2026, 7, 1), bucket="open", count=7
        )
        old.get_model("tasks", "TaskSummaryRefresh").objects.create(id=1, refreshed_at=timezone.now(), rows=1)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    row = TaskSummary.objects.get()
    assert (row.agency, row.lead_unit, row.day, row.bucket, row.count) == (
        agency,
        science_unit,
        date(2026, 7, 1),
        TaskSummary.Bucket.OPEN,
        7,
    )
    assert TaskSummaryRefresh.objects.get().rows == 1
