from django.db import migrations, models

from lib.text import fold


def fill_search_text(apps, schema_editor):
    """Fold the searched fields of every existing task (Task.search_text_for, frozen here)."""
    Task = apps.get_model("tasks", "Task")
    batch = []
    for task in Task.objects.select_related("lead_unit").only(
        "point", "title", "description", "lead_unit__name"
    ).iterator(chunk_size=2000):
        parts = (task.point, task.title, task.description, task.lead_unit.name)
        task.search_text = fold(" ".join(part for part in parts if part))
        batch.append(task)
        if len(batch) == 2000:
            Task.objects.bulk_update(batch, ["search_text"])
            batch = []
    Task.objects.bulk_update(batch, ["search_text"])


def add_search_index(apps, schema_editor):
    # Serves the task lists' search: search_text LIKE '%…%' through a trigram index, as for
    # documents (directives 0002). SQLite has no such index; the LIKE scans there.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS tasks_task_search_trgm ON tasks_task USING gin (search_text gin_trgm_ops)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS tasks_task_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0015_task_summary_moved_to_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
