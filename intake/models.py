"""A received file or pasted text being read into a document's fields (issue #17)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directives.models import Document
from lib.uploads import RandomName
from units.models import Agency


class Reading(models.Model):
    """One reading: the original bytes (or the pasted text), the text read from them, how it was
    read, and the fields parsed from it. A scan waits in PENDING while the OCR job runs; the
    clerk's form is filled from ``fields`` once DONE. Registering the document links it here and
    attaches the original bytes unchanged."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang nhận dạng")
        DONE = "done", _("Đã đọc")
        FAILED = "failed", _("Không đọc được")

    class Method(models.TextChoices):
        TEXT = "text", _("Văn bản dán vào")
        PLAIN = "plain", _("Tệp văn bản")
        PDF = "pdf", _("Lớp chữ của PDF")
        LEGACY = "legacy", _("PDF mã cũ (TCVN3/VNI), đã chuyển sang Unicode")
        DOCX = "docx", _("Tệp Word (.docx)")
        DOC = "doc", _("Tệp Word cũ (.doc)")
        OCR = "ocr", _("Nhận dạng chữ (OCR)")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # The file as received, byte for byte (empty for pasted text).
    file = models.FileField(upload_to=RandomName("readings/%Y/%m/"), blank=True)
    name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    text = models.TextField(blank=True)
    # OCR only: the mean word confidence, 0–100.
    confidence = models.FloatField(null=True, blank=True)
    # intake.parser.parse's answer: document.schema.json plus "uncertain" (field names to check).
    fields = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="reading")

    class Meta:
        verbose_name = _("lượt đọc văn bản")
        verbose_name_plural = _("lượt đọc văn bản")
        indexes = [models.Index(fields=["state", "due_at"], name="intake_reading_due")]

    def __str__(self) -> str:
        return self.name or str(_("Văn bản dán vào"))
