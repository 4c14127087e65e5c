"""Tasks made by routing a confidential incoming document took its subject as their title,
which then reached lists, reminders, calendars and notices of people without a grant. Such a
task (title still equal to the confidential subject) gets the neutral title routing now gives.
Going back leaves the titles as they are: the subject is one click away for whoever may see it."""

from django.db import migrations
from django.db.models import F

NEUTRAL_TITLE = "Xử lý văn bản mật"


def neutral_titles(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    Task.objects.filter(document__confidentiality__gt="", title=F("document__subject")).update(title=NEUTRAL_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0012_uploads_random_names"),
        ("directives", "0004_list_order_indexes"),
    ]

    operations = [migrations.RunPython(neutral_titles, migrations.RunPython.noop, elidable=True)]
