# The reminder's notice is notifications.Notification now: same table, state only (notifications.0001).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_notices_from_units'),
        ('tasks', '0013_confidential_routed_task_titles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.AlterField(
            model_name='reminder',
            name='notification',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reminder', to='notifications.notification'),
        )]),
    ]
