"""Task titles become short (at most 250 characters); the full text lives in the description.

Titles used to be whole paragraphs of up to 500 characters. A longer title is kept whole at
the head of the description (unless the description already begins with it) and the title
becomes its first 249 characters cut between words, ending in "…". Nothing is lost; the
reverse step leaves the rows as they are (the shorter titles fit the old column).
"""

import unicodedata

from django.db import migrations, models

LIMIT = 250


def _shorten(text: str, limit: int) -> str:
    # A frozen copy of lib.text.shorten: a migration must not change when the helper does.
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if len(text) <= limit:
        return text
    room = limit - 1
    head = text[: room + 1]
    cut = head.rfind(" ")
    head = head[:cut] if cut > 0 else head[:room]
    return head.rstrip(" ,;:.-–—/(«“\"'") + "…"


def shorten_long_titles(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    long_titles = Task.objects.annotate(n=models.functions.Length("title")).filter(n__gt=LIMIT)
    for task in long_titles.only("pk", "title", "description").iterator():
        full = task.title.strip()
        description = task.description or ""
        if not description.startswith(full):
            description = f"{full}\n\n{description}".strip()
        Task.objects.filter(pk=task.pk).update(title=_shorten(full, LIMIT), description=description)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0017_digest_kind_daily"),
    ]

    operations = [
        migrations.RunPython(shorten_long_titles, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="task",
            name="title",
            field=models.CharField(max_length=250, verbose_name="nội dung nhiệm vụ"),
        ),
    ]
