# The province summary left tasks (reports.0001): out of tasks' state only; the tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_task_summary_from_tasks'),
        ('tasks', '0014_reminder_notice_in_notifications_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='tasksummary',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='tasksummary',
                    name='lead_unit',
                ),
                migrations.DeleteModel(
                    name='TaskSummaryRefresh',
                ),
                migrations.DeleteModel(
                    name='TaskSummary',
                ),
            ],
        ),
    ]
