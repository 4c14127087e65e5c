"""Channels that carry a notice beyond the in-app list. Add one by writing a class.

A channel has a ``name`` (stored on each delivery and used for mutes), a Vietnamese
``label``, and ``send(notification)``, which delivers or raises:

- ``Skip(reason)`` when this person cannot be reached this way (no e-mail address, no phone);
  the delivery is logged as skipped with the reason, and not retried;
- ``TransientError`` (or an OSError/SMTPException) for a failure worth retrying;
- anything else: logged as failed at once.

List the channels in settings.NOTIFICATION_CHANNELS (dotted paths). An SMS gateway, say:

    class SmsChannel(Channel):
        name, label = "sms", "Tin nhắn SMS"

        def send(self, notification):
            if not notification.user.phone:
                raise Skip("Chưa có số điện thoại")
            gateway.send(notification.user.phone, notification.message)  # raise TransientError to retry
"""

import smtplib
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class Skip(Exception):
    """This person cannot be reached on this channel; ``args[0]`` says why (Vietnamese)."""


class TransientError(Exception):
    """A failure worth retrying later (the gateway is down, a timeout)."""


TRANSIENT = (TransientError, smtplib.SMTPException, OSError)


class Channel:
    name = ""
    label = ""

    def send(self, notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class EmailChannel(Channel):
    """E-mail through Django's mail settings (EMAIL_URL): Vietnamese subject, plain text and HTML, a link."""

    name = "email"
    label = _("Thư điện tử")

    def send(self, notification) -> None:
        user = notification.user
        if not user.email:
            raise Skip(_("Cán bộ chưa có địa chỉ thư điện tử"))
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        context = {"notice": notification, "link": link}
        message = EmailMultiAlternatives(
            subject=f"[Cổng điều hành] {notification.message}"[:200],
            body=render_to_string("email/notification.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
        message.send()


@cache
def channels() -> dict[str, Channel]:
    """The configured channels by name (read once per process)."""
    loaded = [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
    return {channel.name: channel for channel in loaded}
