"""The summary is grouped by lead unit too. It is rebuilt every minute, so the old rows are
dropped rather than converted; the next refresh fills it again."""

import django.db.models.deletion
from django.db import migrations, models


def clear_summary(apps, schema_editor):
    apps.get_model("tasks", "TaskSummary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0007_dashboard_period_indexes"),
        ("units", "0003_notification_deliveries"),
    ]

    operations = [
        migrations.RunPython(clear_summary, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="tasksummary", name="tasks_tasksummary_once"),
        migrations.AddField(
            model_name="tasksummary",
            name="lead_unit",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="task_summaries",
                to="units.unit",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="tasksummary",
            constraint=models.UniqueConstraint(
                fields=("agency", "day", "lead_unit", "bucket"), name="tasks_tasksummary_once"
            ),
        ),
    ]
