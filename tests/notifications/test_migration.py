"""Notices left units for their own app without touching a row (notifications.0001, tasks.0014, units.0007)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification, NotificationDelivery, NotificationMute
from tasks.models import Reminder

BEFORE = [("units", "0006_delivery_due_at"), ("tasks", "0013_confidential_routed_task_titles")]


def _migrate(targets, *, state_at=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(state_at).apps if state_at else None


@pytest.mark.django_db(transaction=True)
def test_notices_written_before_the_move_are_read_after_it(specialist):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate([("notifications", None)], state_at=BEFORE)  # the state of main before the move: notices in units
    try:
        OldNotification = old.get_model("units", "Notification")
        notice = OldNotification.objects.create(user_id=specialist.pk, kind="task_assigned", message="Trước khi chuyển")
        old.get_model("units", "NotificationDelivery").objects.create(notification=notice, channel="email")
        old.get_model("units", "NotificationMute").objects.create(user_id=specialist.pk, kind="weekly_digest")
    finally:
        _migrate(leaves)

    moved = Notification.objects.get(pk=notice.pk)
    assert moved.message == "Trước khi chuyển" and moved.user == specialist
    assert NotificationDelivery.objects.get(notification=moved).state == NotificationDelivery.State.PENDING
    assert NotificationMute.objects.filter(user=specialist, kind="weekly_digest").exists()
    assert Reminder._meta.get_field("notification").related_model is Notification
