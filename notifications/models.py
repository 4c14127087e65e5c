"""Notices to people and their deliveries over each channel; a person's muted kinds.

The tables keep the names they had in ``units`` (``db_table``): the models moved, the data did not.
Index and constraint names keep their ``units_`` prefix for the same reason.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice to one person (the bell in the page header)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=40)
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    body = models.TextField(_("chi tiết"), blank=True)
    # The detail as HTML for the e-mail's HTML part (the digests' tables), rendered from a
    # template with user text escaped when the notice was written; empty: the e-mail shows ``body``.
    body_html = models.TextField(blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        db_table = "units_notification"  # the table kept its name when notices left units (migration 0001)
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the unread count in every page header, and the notification list
            models.Index(fields=["user", "read_at", "-created_at"], name="units_notification_inbox"),
            # the send log filtered by task: every task notice links to the task's page
            models.Index(fields=["url"], name="units_notification_url"),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationDelivery(models.Model):
    """One attempt to carry a notice over one channel (e-mail, SMS, chat...), with its outcome.

    Created in the same transaction as the notice, so a notice always has its deliveries;
    claimed by a conditional update (pending → sending) before the channel is called.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        SKIPPED = "skipped", _("Bỏ qua")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    # The agency of the notice's person when it was written (None: a person of no agency), copied
    # here so an agency's send log reads its own rows by index instead of joining every notice.
    agency = models.ForeignKey(
        "units.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    channel = models.CharField(_("kênh"), max_length=30)
    state = models.CharField(_("kết quả"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    detail = models.CharField(_("ghi chú"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc"), null=True, blank=True)
    # Not to be tried before: the commit for a new delivery, later after a transient failure (back-off).
    due_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "units_notificationdelivery"
        verbose_name = _("lượt gửi thông báo")
        verbose_name_plural = _("nhật ký gửi thông báo")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="units_delivery_once_per_channel"),
        ]
        indexes = [
            # the send log filtered by outcome, newest first; and the recovery of stale claims
            models.Index(fields=["state", "-id"], name="units_delivery_state"),
            # the recovery job's due pending deliveries, and the oldest due one (ops.background)
            models.Index(fields=["state", "due_at"], name="units_delivery_due"),
            # an agency administrator's send log, newest first (notifications.selectors.delivery_log)
            models.Index(fields=["agency", "-id"], name="units_delivery_agency"),
            # the same filtered by outcome, and its counts by outcome (selectors.delivery_counts)
            models.Index(fields=["agency", "state", "-id"], name="units_delivery_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.state}"


class NotificationMute(models.Model):
    """A person does not want this kind of notice by this channel (the in-app list always has it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=30, default="email")

    class Meta:
        db_table = "units_notificationmute"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="units_mute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}/{self.channel}"


class DigestSubscription(models.Model):
    """A person's own choice about the daily digest (bản tin việc hằng ngày).

    Without a row the default holds: on for staff (the Chuyên viên role), off for everyone else
    (notifications.selectors.daily_digest_recipients).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription")
    daily = models.BooleanField(_("nhận bản tin việc hằng ngày"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đăng ký bản tin")
        verbose_name_plural = _("đăng ký bản tin")

    def __str__(self) -> str:
        return f"{self.user_id}: {'on' if self.daily else 'off'}"
