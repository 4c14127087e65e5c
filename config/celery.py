"""The Celery application. Jobs live in each app's ``jobs.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# "tasks" is a domain word here (nhiệm vụ), so Celery jobs live in jobs.py.
app.autodiscover_tasks(related_name="jobs")
