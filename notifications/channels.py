"""Channels that carry a notice beyond the in-app list. Add one by writing a class.

A channel has a ``name`` (stored on each delivery and used for mutes), a Vietnamese
``label``, and ``send(notification)``, which delivers or raises:

- ``Skip(reason)`` when this person cannot be reached this way (no e-mail address, no phone);
  the delivery is logged as skipped with the reason, and not retried;
- ``TransientError`` (or an OSError/SMTPException) for a failure worth retrying;
- anything else: logged as failed at once.

Optionally ``session()``, a context manager around the sends of one job (up to
``notifications.delivery.CHUNK`` deliveries): e-mail holds one SMTP connection open for them.

List the channels in settings.NOTIFICATION_CHANNELS (dotted paths). An SMS gateway, say:

    class SmsChannel(Channel):
        name, label = "sms", "Tin nhắn SMS"

        def send(self, notification):
            if not notification.user.phone:
                raise Skip("Chưa có số điện thoại")
            gateway.send(notification.user.phone, notification.message)  # raise TransientError to retry
"""

import smtplib
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lib.text import shorten


class Skip(Exception):
    """This person cannot be reached on this channel; ``args[0]`` says why (Vietnamese)."""


class TransientError(Exception):
    """A failure worth retrying later (the gateway is down, a timeout)."""


TRANSIENT = (TransientError, smtplib.SMTPException, OSError)
# The mail connection of the session in progress (EmailChannel.session), if any.
_smtp: ContextVar = ContextVar("smtp", default=None)


class Channel:
    name = ""
    label = ""

    def send(self, notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    @contextmanager
    def session(self):
        """Around the sends of one job: hold open what they can share (a connection). Optional."""
        yield


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
        connection = _smtp.get()
        message = EmailMultiAlternatives(
            subject=shorten(f"[Cổng điều hành] {notification.message}", 200),
            body=render_to_string("email/notification.txt", context),
            to=[user.email],
            connection=connection,
        )
        message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
        if connection is None:
            message.send()
            return
        try:
            connection.open()  # once per session; a no-op while it is open
            message.send()
        except TRANSIENT:
            with suppress(*TRANSIENT):
                connection.close()  # the next message opens a fresh one
            raise

    @contextmanager
    def session(self):
        """One connection to the mail server for the job's e-mails, opened at the first one."""
        connection = get_connection()
        token = _smtp.set(connection)
        try:
            yield
        finally:
            _smtp.reset(token)
            with suppress(*TRANSIENT):
                connection.close()


# The channels lived in units/channels.py until notices got their own app; a setting written
# then (``units.channels.EmailChannel``) still names the same class (docs/notifications.md).
LEGACY_PREFIX = "units.channels."


def channel_path(path: str) -> str:
    """The dotted path of a configured channel, the old ``units.channels.`` prefix read as this module."""
    return __name__ + "." + path.removeprefix(LEGACY_PREFIX) if path.startswith(LEGACY_PREFIX) else path


@cache
def channels() -> dict[str, Channel]:
    """The configured channels by name (read once per process)."""
    loaded = [import_string(channel_path(path))() for path in settings.NOTIFICATION_CHANNELS]
    return {channel.name: channel for channel in loaded}
