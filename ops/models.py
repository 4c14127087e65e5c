"""Rows that keep the portal's own machinery honest: worker heartbeats and idempotency keys."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a process proved it was working (``worker``: the recovery job ran).

    The recovery job is published by beat and run by a worker, so a fresh ``worker`` beat proves
    that beat, the broker and a worker all work. It also records the oldest due job it saw.
    """

    name = models.CharField(max_length=30, primary_key=True)
    beat_at = models.DateTimeField()
    oldest_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhịp hoạt động")
        verbose_name_plural = _("nhịp hoạt động")

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at:%Y-%m-%d %H:%M:%S}"


class IdempotencyKey(models.Model):
    """The first answer to a request sent with an idempotency key, replayed to its retries.

    Unique per person, endpoint and key: two copies of one request cannot both act, the second
    waits on the unique index and then reads the first one's answer. Kept for a day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=200)
    key = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(db_index=True)  # the daily purge of expired keys

    class Meta:
        verbose_name = _("khóa chống gửi lặp")
        verbose_name_plural = _("khóa chống gửi lặp")
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="ops_idempotencykey_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.endpoint} {self.key}"
