"""What the exchange keeps: every package received, as it came (docs/exchange.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directives.models import Document
from lib.uploads import RandomName
from units.models import Agency


class Received(models.Model):
    """An edXML package received by an agency and the incoming document registered from it.

    ``package`` holds the bytes exactly as they came (with their SHA-256), so what was received
    can always be shown and checked again, whatever the register made of it.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan nhận"))
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, related_name="exchange_received", verbose_name=_("văn bản đến")
    )
    package = models.FileField(_("gói tin"), upload_to=RandomName("exchange/%Y/%m/"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    shape = models.CharField(_("dạng gói tin"), max_length=10)
    sender_exchange_id = models.CharField(_("mã định danh nơi gửi"), max_length=35)
    package_document_id = models.CharField(_("mã văn bản trong gói tin"), max_length=15, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gói tin đã nhận")
        verbose_name_plural = _("gói tin đã nhận")
        constraints = [
            # A package delivered twice (a retried poll, a file imported again) registers once.
            models.UniqueConstraint(
                fields=["agency", "sender_exchange_id", "package_document_id"],
                condition=~models.Q(package_document_id=""),
                name="exchange_received_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_exchange_id}/{self.package_document_id} → {self.agency_id}"
