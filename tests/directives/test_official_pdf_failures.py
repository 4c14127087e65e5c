"""A failed official PDF: retried by the recovery job with back-off, then shown to the clerk as
«Tạo PDF không thành công» with a retry button; ``render_pdf --retry-failed`` for administrators."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from directives import official_pdf, pdf, services
from directives.models import IssuedPdf
from lib.errors import NotAllowed
from ops.background import work_recover


@pytest.fixture
def broken_renderer(monkeypatch):
    """WeasyPrint raises, as it would on a missing font or a full disk."""

    def fails(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(pdf, "render_pdf", fails)
    return monkeypatch


@pytest.fixture
def failed_document(make_approved, clerk, broken_renderer, django_capture_on_commit_callbacks):
    """An issued document whose official PDF failed every automatic attempt."""
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_issue(document=make_approved(), by=clerk)
    clock = timezone.now()
    for _ in range(official_pdf.MAX_RENDER_ATTEMPTS):
        clock += timedelta(hours=1)
        work_recover(now=clock)
    return document


def test_a_failed_render_is_retried_with_back_off_by_the_recovery_job(
    make_approved, clerk, broken_renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_issue(document=make_approved(), by=clerk)
    record = IssuedPdf.objects.get(document=document)
    assert (record.state, record.attempts) == (IssuedPdf.State.PENDING, 1) and "No space left" in record.error
    assert record.due_at > timezone.now()  # backing off
    assert work_recover()["official_pdfs"] == 0
    broken_renderer.undo()  # the disk was freed
    assert work_recover(now=timezone.now() + timedelta(hours=1))["official_pdfs"] == 1
    record.refresh_from_db()
    assert (record.state, record.attempts, record.error) == (IssuedPdf.State.READY, 2, "")


def test_after_the_last_attempt_the_clerk_sees_it_failed_and_can_retry(failed_document, client, clerk):
    record = IssuedPdf.objects.get(document=failed_document)
    assert (record.state, record.attempts) == (IssuedPdf.State.FAILED, official_pdf.MAX_RENDER_ATTEMPTS)
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[failed_document.pk])).content.decode()
    assert "Tạo PDF không thành công" in page and 'data-testid="pdf-retry"' in page


def test_the_retry_button_renders_it_again(failed_document, client, clerk, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directives:pdf_retry", args=[failed_document.pk]))
    assert response.status_code == 302
    assert IssuedPdf.objects.get(document=failed_document).state == IssuedPdf.State.PENDING  # still broken: trying
    page = client.get(response["Location"]).content.decode()
    assert "Đang tạo lại bản PDF chính thức" in page


def test_only_the_clerk_may_retry_and_an_outsider_gets_404(failed_document, client, specialist, outsider):
    with pytest.raises(NotAllowed):
        official_pdf.issued_pdf_retry(document=failed_document, by=specialist)
    client.force_login(specialist)
    page = client.get(reverse("directives:detail", args=[failed_document.pk])).content.decode()
    assert "Tạo PDF không thành công" in page and 'data-testid="pdf-retry"' not in page
    client.force_login(outsider)
    assert client.post(reverse("directives:pdf_retry", args=[failed_document.pk])).status_code == 404
    assert IssuedPdf.objects.get(document=failed_document).state == IssuedPdf.State.FAILED


def test_render_pdf_retry_failed_reports_and_fails_while_it_still_fails(failed_document, broken_renderer, capsys):
    with pytest.raises(CommandError, match=str(failed_document.pk)):
        call_command("render_pdf", "--retry-failed")
    assert "thử 1, thành công 0, lỗi 1" in capsys.readouterr().out
    broken_renderer.undo()
    IssuedPdf.objects.filter(document=failed_document).update(state=IssuedPdf.State.FAILED)
    call_command("render_pdf", "--retry-failed")
    assert "thử 1, thành công 1, lỗi 0" in capsys.readouterr().out
    assert IssuedPdf.objects.get(document=failed_document).state == IssuedPdf.State.READY
