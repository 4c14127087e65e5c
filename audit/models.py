"""The audit trail: one append-only row per change, sign-in and confidential download."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """Who did what to which object, when, from which address, with the values before and after.

    Append-only: nothing in the product updates or deletes a row, and a database trigger
    refuses UPDATE and DELETE (see the migration ``audit_record_append_only``). The person
    and the agency are kept as plain ids (no foreign-key constraint), so deleting a person
    or an agency never touches their trail; ``actor_name`` keeps how the person was named.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xóa")
        SIGN_IN = "sign_in", _("Đăng nhập")
        SIGN_IN_FAILED = "sign_in_failed", _("Đăng nhập không thành công")
        DOWNLOAD = "download", _("Tải tệp mật")

    class Channel(models.TextChoices):
        PAGE = "page", _("Trang web")
        API = "api", _("API")
        ADMIN = "admin", _("Trang quản trị")
        SYSTEM = "system", _("Hệ thống (tác vụ nền, lệnh)")

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    # The agency whose trail the row belongs to: the object's agency, else the actor's; null for
    # what every agency shares (holidays, reminder rules), which only installation administrators read.
    agency = models.ForeignKey(
        "units.Agency",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("loại đối tượng"), max_length=60)
    object_id = models.CharField(_("mã đối tượng"), max_length=40, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=200, blank=True)
    # {field name: [before, after]}; a many-to-many change is {field: {"added": [...], "removed": [...]}}
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM)
    detail = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["create", "update", "delete", "sign_in", "sign_in_failed", "download"]),
                name="audit_auditrecord_action",
            ),
        ]
        indexes = [
            # the trail page: one agency's rows, newest first
            models.Index(fields=["agency", "-id"], name="audit_record_agency"),
            # the trail filtered to one person
            models.Index(fields=["actor", "-id"], name="audit_record_actor"),
            # the trail filtered to one object
            models.Index(fields=["object_type", "object_id"], name="audit_record_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit records are append-only")

    @property
    def who(self) -> str:
        """The person as the trail shows them: named, or the system (a job, a command), or nobody signed in."""
        if self.actor_name:
            return self.actor_name
        return str(_("Hệ thống") if self.channel == self.Channel.SYSTEM else _("Chưa đăng nhập"))
