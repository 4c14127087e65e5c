"""What the exchange keeps (docs/exchange.md): every package received, every message to send,
and every status message sent or received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directives.models import Document
from lib.uploads import RandomName
from units.models import Agency, Organisation

#: Business status codes of the exchange (edxml.STATUS_LABELS has their labels).
ARRIVED, REFUSED, ACCEPTED, ASSIGNED, IN_PROGRESS, DONE = "01", "02", "03", "04", "05", "06"
RECALL_ASKED, RECALL_AGREED, RECALL_REFUSED = "13", "15", "16"


class Received(models.Model):
    """An edXML package that arrived for an agency, and what its clerk made of it.

    ``package`` holds the bytes exactly as they came (with their SHA-256), so what was received
    can always be shown and checked again, whatever the register made of it. An arrival waits
    («chờ tiếp nhận») until a clerk accepts it (it is then registered and numbered: ``document``)
    or refuses it with a reason. A package that cannot be read is kept too, refused, with no
    agency when not even its recipient could be read.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        REFUSED = "refused", _("Đã từ chối")
        RECALLED = "recalled", _("Đã trả lại cho nơi gửi")

    class Recall(models.TextChoices):
        NONE = "", ""
        ASKED = "asked", _("Nơi gửi yêu cầu lấy lại")
        AGREED = "agreed", _("Đã đồng ý lấy lại")
        REFUSED = "refused", _("Đã từ chối lấy lại")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan nhận")
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.WAITING)
    document = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_received",
        verbose_name=_("văn bản đến"),
    )
    package = models.FileField(_("gói tin"), upload_to=RandomName("exchange/%Y/%m/"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    shape = models.CharField(_("dạng gói tin"), max_length=10, blank=True)
    # Where it came from: the transport ("local", "lgsp", "folder", "command") and its message id.
    transport = models.CharField(_("đường nhận"), max_length=10, blank=True)
    message_id = models.CharField(_("mã thông điệp"), max_length=100, blank=True)
    sender_exchange_id = models.CharField(_("mã định danh nơi gửi"), max_length=35, blank=True)
    package_document_id = models.CharField(_("mã văn bản trong gói tin"), max_length=15, blank=True)
    # The package's fields, copied for the lists (the package itself is the truth).
    sender_name = models.CharField(_("nơi gửi"), max_length=255, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    doc_type_name = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    # Per attached PDF: {"name": ..., "signatures": directives.certificates.received_pdf_check(...)}.
    signatures = models.JSONField(default=list, blank=True)
    # Why it was refused: the clerk's reason, or what was wrong with the package.
    reason = models.TextField(_("lý do"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    recall = models.CharField(_("lấy lại"), max_length=10, choices=Recall.choices, default="", blank=True)
    recall_reason = models.TextField(_("lý do lấy lại"), blank=True)
    recall_answer = models.TextField(_("trả lời yêu cầu lấy lại"), blank=True)

    class Meta:
        verbose_name = _("gói tin đã nhận")
        verbose_name_plural = _("gói tin đã nhận")
        indexes = [models.Index(fields=["agency", "state", "received_at"], name="exchange_received_list")]
        constraints = [
            # A package delivered twice (a retried poll, a file imported again) is kept once.
            models.UniqueConstraint(
                fields=["agency", "sender_exchange_id", "package_document_id"],
                condition=~models.Q(package_document_id=""),
                name="exchange_received_once",
            ),
            models.UniqueConstraint(
                fields=["transport", "message_id"],
                condition=~models.Q(message_id=""),
                name="exchange_received_message_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_exchange_id}/{self.package_document_id} → {self.agency_id}"


class Outgoing(models.Model):
    """One message to send: a document's package to one recipient, or one status message.

    The row is the job (ops.background): written in the transaction of the action that needs it,
    sent by ``exchange.jobs.outgoing_send`` when due, claimed by a conditional update, retried
    with back-off while the transport says the failure may pass, then FAILED with a Vietnamese
    message a clerk can read (and send again).
    """

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Văn bản")
        STATUS = "status", _("Trạng thái")

    class State(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan gửi"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    to_id = models.CharField(_("mã định danh nơi nhận"), max_length=35)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi nhận")
    )
    # The document concerned: the outgoing document sent (a package, a recall request) or the
    # incoming document a status is about; ``received`` for statuses about an arrival (01, 02, 15, 16).
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received = models.ForeignKey(Received, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A status message: its code, the sender's document id it is about, the reason or note.
    code = models.CharField(_("mã trạng thái"), max_length=2, blank=True)
    package_document_id = models.CharField(max_length=15, blank=True)
    code_notation = models.CharField(max_length=60, blank=True)
    description = models.TextField(_("nội dung"), blank=True)
    staff = models.CharField(max_length=150, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    transport = models.CharField(_("đường gửi"), max_length=10, blank=True)
    message_id = models.CharField(_("mã thông điệp"), max_length=100, blank=True)
    # The bytes as sent, kept for the record.
    payload = models.FileField(upload_to=RandomName("exchange/sent/%Y/%m/"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông điệp gửi đi")
        verbose_name_plural = _("thông điệp gửi đi")
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="exchange_outgoing_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} → {self.to_id}"


class StatusLog(models.Model):
    """A status message sent or received, as a line of a document's exchange history.

    On the sender's side the lines ``direction=in`` about one of its documents are each
    recipient's progress (01 … 06, 15, 16); on the recipient's side ``direction=out`` lines are
    what it told the sender, and a ``direction=in`` 13 is a recall request.
    """

    class Direction(models.TextChoices):
        IN = "in", _("Nhận")
        OUT = "out", _("Gửi")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # The other side's identity, and the document concerned on this side (one of the two).
    party_id = models.CharField(_("mã định danh"), max_length=35)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    received = models.ForeignKey(Received, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.CharField(_("mã trạng thái"), max_length=2)
    description = models.TextField(_("nội dung"), blank=True)
    staff = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("trạng thái liên thông")
        verbose_name_plural = _("trạng thái liên thông")
        indexes = [models.Index(fields=["document", "at"], name="exchange_statuslog_document")]

    def __str__(self) -> str:
        return f"{self.direction} {self.code} {self.party_id}"


class Mailbox(models.Model):
    """A message between two agencies of this installation: the local transport's queue
    (exchange/transports.py). Written by ``send``, offered by ``received`` until acknowledged."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Văn bản")
        STATUS = "status", _("Trạng thái")

    to_id = models.CharField(_("mã định danh nơi nhận"), max_length=35)
    sender_id = models.CharField(_("mã định danh nơi gửi"), max_length=35, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hộp thư nội bộ")
        verbose_name_plural = _("hộp thư nội bộ")
        indexes = [
            # The local poll: the messages not yet acknowledged, oldest first.
            models.Index(fields=["id"], condition=models.Q(acknowledged_at=None), name="exchange_mailbox_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sender_id} → {self.to_id}"


class Poll(models.Model):
    """The last poll of one transport (``inbox_poll``): when, how many messages, and its error.

    One row per transport, overwritten by each poll, so the admin and the status pages show
    whether the exchange is receiving, whatever process polled."""

    transport = models.CharField(_("đường nhận"), max_length=10, primary_key=True)
    polled_at = models.DateTimeField(_("lần nhận gần nhất"))
    succeeded_at = models.DateTimeField(_("lần nhận thành công gần nhất"), null=True, blank=True)
    received = models.PositiveIntegerField(_("số thông điệp nhận được"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lượt nhận liên thông")
        verbose_name_plural = _("lượt nhận liên thông")

    def __str__(self) -> str:
        return self.transport
