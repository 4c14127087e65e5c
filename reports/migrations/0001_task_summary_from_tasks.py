"""The province summary leaves tasks for the reports app: the models move, the tables and rows stay.

State only (SeparateDatabaseAndState): the models are created here with ``db_table`` set to the
tables tasks made (tasks_tasksummary, tasks_tasksummaryrefresh), and tasks.0015 deletes them
from tasks' state; no table, index or constraint is touched. The content types move to this app.
"""

import django.db.models.deletion
from django.db import migrations, models


MODELS = ("tasksummary", "tasksummaryrefresh")


def content_types_move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="reports", model=model).exists():
            types.filter(app_label="tasks", model=model).update(app_label="reports")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="tasks", model=model).exists():
            types.filter(app_label="reports", model=model).update(app_label="tasks")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('tasks', '0014_reminder_notice_in_notifications_app'),
        ('units', '0007_notices_moved_to_notifications'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TaskSummaryRefresh',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('refreshed_at', models.DateTimeField()),
                        ('rows', models.PositiveIntegerField()),
                    ],
                    options={
                        'verbose_name': 'lần tổng hợp nhiệm vụ',
                        'verbose_name_plural': 'lần tổng hợp nhiệm vụ',
                        'db_table': 'tasks_tasksummaryrefresh',
                        'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='tasks_tasksummaryrefresh_one')],
                    },
                ),
                migrations.CreateModel(
                    name='TaskSummary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField()),
                        ('bucket', models.CharField(choices=[('open', 'Đang thực hiện (có hạn)'), ('done_on_time', 'Hoàn thành đúng hạn'), ('done_late', 'Hoàn thành quá hạn'), ('no_deadline_open', 'Không có hạn, đang thực hiện'), ('no_deadline_done', 'Không có hạn, đã hoàn thành')], max_length=20)),
                        ('count', models.PositiveIntegerField()),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_summaries', to='units.agency')),
                        ('lead_unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_summaries', to='units.unit')),
                    ],
                    options={
                        'verbose_name': 'tổng hợp nhiệm vụ',
                        'verbose_name_plural': 'tổng hợp nhiệm vụ',
                        'db_table': 'tasks_tasksummary',
                        'indexes': [models.Index(fields=['day', 'agency', 'bucket'], name='tasks_tasksummary_period')],
                        'constraints': [models.UniqueConstraint(fields=('agency', 'day', 'lead_unit', 'bucket'), name='tasks_tasksummary_once'), models.CheckConstraint(condition=models.Q(('bucket__in', ['open', 'done_on_time', 'done_late', 'no_deadline_open', 'no_deadline_done'])), name='tasks_tasksummary_bucket_valid')],
                    },
                ),
            ],
            database_operations=[migrations.RunPython(content_types_move, content_types_back)],
        ),
    ]
