# Notices left units (notifications.0001): out of units' state only; the tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_notices_from_units'),
        ('tasks', '0014_reminder_notice_in_notifications_app'),
        ('units', '0006_delivery_due_at'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='notificationdelivery',
            name='notification',
        ),
        migrations.RemoveField(
            model_name='notificationmute',
            name='user',
        ),
        migrations.DeleteModel(
            name='Notification',
        ),
        migrations.DeleteModel(
            name='NotificationDelivery',
        ),
        migrations.DeleteModel(
            name='NotificationMute',
        ),
        ]),
    ]
