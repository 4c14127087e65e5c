"""When the summary was refreshed moves from every summary row to one TaskSummaryRefresh row,
so a refresh can write only the rows that changed. A summary built before keeps its time;
going back, the summary is emptied and the next refresh fills it again."""

from django.db import migrations, models
from django.db.models import Max


def keep_the_last_refresh(apps, schema_editor):
    TaskSummary = apps.get_model("tasks", "TaskSummary")
    last = TaskSummary.objects.aggregate(at=Max("refreshed_at"))["at"]
    if last is not None:
        apps.get_model("tasks", "TaskSummaryRefresh").objects.create(
            id=1, refreshed_at=last, rows=TaskSummary.objects.count()
        )


def clear_summary(apps, schema_editor):
    apps.get_model("tasks", "TaskSummary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0010_most_overdue_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskSummaryRefresh",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("refreshed_at", models.DateTimeField()),
                ("rows", models.PositiveIntegerField()),
            ],
            options={
                "verbose_name": "lần tổng hợp nhiệm vụ",
                "verbose_name_plural": "lần tổng hợp nhiệm vụ",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="tasks_tasksummaryrefresh_one")
                ],
            },
        ),
        migrations.RunPython(keep_the_last_refresh, migrations.RunPython.noop),
        migrations.RemoveField(model_name="tasksummary", name="refreshed_at"),
        # going back, the column comes back NOT NULL: empty the table first
        migrations.RunPython(migrations.RunPython.noop, clear_summary),
    ]
