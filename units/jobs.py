"""Background jobs about people."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from units.models import Notification

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=5,
)
def notification_email(notification_id: int) -> None:
    """E-mail one in-app notice to its person. At-least-once: a retry after a lost
    acknowledgement may send it twice; the in-app notice itself exists exactly once."""
    notice = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notice is None or not notice.user.email:
        return
    context = {"notice": notice, "link": f"{settings.SITE_URL}{notice.url}" if notice.url else settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=f"[Cổng điều hành] {notice.message}"[:200],
        body=render_to_string("email/notification.txt", context),
        to=[notice.user.email],
    )
    message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    message.send()
