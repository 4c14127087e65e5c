"""Background work kept as rows: a lost wake-up never fails the action, and the recovery job
(beat, every minute) queues what is due once the broker is back."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from directives import jobs as directive_jobs
from directives.models import IssuedPdf
from notifications import jobs as unit_jobs
from notifications.models import NotificationDelivery
from ops.background import GRACE, work_recover
from ops.models import Heartbeat


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(directive_jobs.issued_pdf_render, "delay", refuse)
    monkeypatch.setattr(unit_jobs.deliveries_send, "apply_async", refuse)
    return monkeypatch


def test_a_lost_wake_up_never_fails_the_action_and_the_recovery_job_does_the_work(
    make_approved, clerk, broker_down, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    document = make_approved()
    mailoutbox.clear()
    api = APIClient()
    api.force_authenticate(clerk)
    with caplog.at_level(logging.WARNING, logger="ops.background"), django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/directives/{document.pk}/issue", {}, format="json")
    assert response.status_code == 200 and response.json()["symbol"] == "01/TB-SKHCN"
    assert "the recovery job will queue it again" in caplog.text
    assert IssuedPdf.objects.get(document=document).state == IssuedPdf.State.PENDING
    assert NotificationDelivery.objects.filter(state="pending").exists() and mailoutbox == []

    broker_down.undo()  # the broker is back
    work_recover(now=timezone.now() + 2 * GRACE)
    assert IssuedPdf.objects.get(document=document).state == IssuedPdf.State.READY
    assert not NotificationDelivery.objects.filter(state="pending").exists()
    assert len(mailoutbox) == NotificationDelivery.objects.filter(state="sent").count()  # each e-mail once


def test_the_recovery_job_leaves_a_fresh_row_to_its_own_wake_up_and_writes_the_heartbeat(
    make_approved, clerk, broker_down
):
    from directives import services

    services.document_issue(document=make_approved(), by=clerk)
    # Every row is due for less than GRACE: its own wake-up is probably still in the queue.
    assert work_recover() == {"deliveries": 0, "exchange": 0, "official_pdfs": 0, "readings": 0}
    assert Heartbeat.objects.get(name="worker").beat_at > timezone.now() - timedelta(seconds=5)
    broker_down.undo()
    assert work_recover(now=timezone.now() + GRACE + timedelta(seconds=1))["official_pdfs"] == 1
