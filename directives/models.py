"""Documents (văn bản), outgoing and incoming, and what hangs off them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from lib.uploads import RandomName
from units.models import Agency, Organisation, Unit


class DocumentType(models.Model):
    """A type of Decree 30/2020 Appendix III; Công văn has no abbreviation."""

    name = models.CharField(_("tên loại"), max_length=100, unique=True)
    abbreviation = models.CharField(_("viết tắt"), max_length=10, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"], condition=~Q(abbreviation=""), name="directives_documenttype_abbr_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cong_van(self) -> bool:
        return not self.abbreviation


class Urgency(models.TextChoices):
    NONE = "", _("Thường")
    KHAN = "khan", _("Khẩn")
    THUONG_KHAN = "thuong_khan", _("Thượng khẩn")
    HOA_TOC = "hoa_toc", _("Hỏa tốc")


class Confidentiality(models.TextChoices):
    NONE = "", _("Thường")
    MAT = "mat", _("Mật")
    TOI_MAT = "toi_mat", _("Tối mật")
    TUYET_MAT = "tuyet_mat", _("Tuyệt mật")


class SigningAuthority(models.TextChoices):
    NONE = "", _("Ký trực tiếp")
    KT = "KT.", "KT."
    TL = "TL.", "TL."
    TM = "TM.", "TM."
    Q = "Q.", "Q."
    TUQ = "TUQ.", "TUQ."


class CopyForm(models.TextChoices):
    """The forms of copy of Decree 30/2020 (Art. 25), by their symbol code (Appendix III)."""

    NONE = "", ""
    SAO_Y = "SY", _("Sao y")
    TRICH_SAO = "TrS", _("Trích sao")
    SAO_LUC = "SL", _("Sao lục")


class Document(models.Model):
    """One document. An outgoing one moves draft → review → signing → approved → issued;
    an incoming one is registered and routed. Once issued it is frozen: services refuse
    every change, and correction or recall are new documents pointing to it."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Văn bản đi")
        INCOMING = "incoming", _("Văn bản đến")

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        REVIEW = "review", _("Chờ lãnh đạo đơn vị duyệt")
        SIGNING = "signing", _("Chờ ký")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã ký, chờ phát hành")
        ISSUED = "issued", _("Đã phát hành")
        REGISTERED = "registered", _("Đã vào sổ, chờ phân công")
        ROUTED = "routed", _("Đã phân công xử lý")

    class Relation(models.TextChoices):
        NONE = "", ""
        CORRECTS = "corrects", _("Đính chính")
        RECALLS = "recalls", _("Thu hồi")
        REPLACES = "replaces", _("Thay thế")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="documents", verbose_name=_("cơ quan"))
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT)
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("loại văn bản")
    )
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, blank=True, default="")
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, blank=True, default=""
    )
    drafting_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafted_documents",
        verbose_name=_("đơn vị soạn thảo"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_documents",
        verbose_name=_("người soạn thảo"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_documents",
        verbose_name=_("người ký"),
    )
    signing_authority = models.CharField(
        _("thẩm quyền ký"), max_length=5, choices=SigningAuthority.choices, blank=True, default=""
    )
    authority_title = models.CharField(
        _("chức danh thủ trưởng"), max_length=100, blank=True, help_text=_("Ví dụ: GIÁM ĐỐC trong «KT. GIÁM ĐỐC»")
    )
    # The person whose action the document waits for (unit head, signer); null when nobody's.
    pending_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pending_documents",
        verbose_name=_("đang chờ"),
    )
    # Since when the document is in its present hands (set by every step of the workflow).
    pending_since = models.DateTimeField(_("đang chờ từ"), null=True, blank=True)
    distribution = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận, ví dụ: Như trên; UBND tỉnh (b/c); Lưu: VT, VP")
    )
    # Numbering, set once by the clerk at issue (or at registration for incoming).
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    series = models.CharField(_("sổ"), max_length=12, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("thời điểm phát hành"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phát hành"),
    )
    # Incoming documents.
    sender = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_documents",
        verbose_name=_("cơ quan gửi"),
    )
    received_on = models.DateField(_("ngày đến"), null=True, blank=True)
    # Correction, recall and replacement are new documents that point to the old one.
    relation = models.CharField(_("quan hệ"), max_length=10, choices=Relation.choices, blank=True, default="")
    related_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="related_acts",
        verbose_name=_("văn bản liên quan"),
    )
    # A copy (bản sao y, trích sao, sao lục) is an outgoing document of its own, issued at once,
    # that points to the document it reproduces; a trích sao keeps the chosen paragraphs' indexes.
    copy_form = models.CharField(_("hình thức sao"), max_length=3, choices=CopyForm.choices, blank=True, default="")
    copy_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("bản được sao"),
    )
    copy_paragraphs = models.JSONField(_("các đoạn trích sao"), default=list, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at"]
        constraints = [
            # The law: one number per agency, year and series.
            models.UniqueConstraint(
                fields=["agency", "direction", "year", "series", "number"],
                condition=Q(number__isnull=False),
                name="directives_document_number_unique",
            ),
            # A symbol is given once per agency and year, whatever series produced it: switching the
            # numbering mode mid-year must not print a second 01/QĐ-SKHCN. Confidential documents
            # have their own series, so their symbols are unique among themselves.
            models.UniqueConstraint(
                fields=["agency", "year", "symbol"],
                condition=Q(direction="outgoing", number__isnull=False, confidentiality=""),
                name="directives_document_symbol_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "symbol"],
                condition=Q(direction="outgoing", number__isnull=False) & ~Q(confidentiality=""),
                name="directives_document_secret_symbol_unique",
            ),
            models.CheckConstraint(
                condition=Q(copy_form="", copy_of__isnull=True) | (~Q(copy_form="") & Q(copy_of__isnull=False)),
                name="directives_document_copy_has_original",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["issued"], number__isnull=False) | ~Q(state="issued"),
                name="directives_document_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(
                    direction="outgoing", state__in=["draft", "review", "signing", "returned", "approved", "issued"]
                )
                | Q(direction="incoming", state__in=["registered", "routed"]),
                name="directives_document_state_valid",
            ),
        ]
        indexes = [
            # outgoing/incoming lists of an agency, newest first
            models.Index(fields=["agency", "direction", "-created_at"], name="directives_doc_agency_list"),
            # "waiting for me" (review, signature)
            models.Index(fields=["pending_with", "state"], name="directives_doc_pending"),
            # "my drafts"
            models.Index(fields=["author", "state"], name="directives_doc_author"),
            # document_search and the visible list, ORDER BY -created_at, -id LIMIT 50: page 1 walks
            # this index and stops after 50 visible rows instead of sorting the whole agency
            models.Index(fields=["agency", "-created_at", "-id"], name="directives_doc_agency_recent"),
            # documents_outgoing: issued documents of an agency, ORDER BY -issued_at, -id LIMIT 50
            models.Index(
                fields=["agency", "-issued_at", "-id"],
                condition=Q(direction="outgoing", state="issued"),
                name="directives_doc_agency_issued",
            ),
        ]
        permissions = [
            ("approve_document", _("Ký duyệt văn bản")),
            ("issue_document", _("Phát hành văn bản (cấp số)")),
            ("register_incoming", _("Vào sổ văn bản đến")),
            ("route_incoming", _("Phân công xử lý văn bản đến")),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or _('Dự thảo')} — {self.subject}"

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def is_confidential(self) -> bool:
        return bool(self.confidentiality)

    @property
    def is_copy(self) -> bool:
        return bool(self.copy_form)


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """Explicit grants on a document (confidential ones), with a real foreign key, not guardian's varchar pk."""

    content_object = models.ForeignKey(Document, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission"], name="directives_docperm_user")]


class Revision(models.Model):
    """A saved state of a draft. Every save adds one; none is ever changed or removed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("lần sửa"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)
    content = models.JSONField(_("nội dung"))

    class Meta:
        verbose_name = _("bản sửa")
        verbose_name_plural = _("bản sửa")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="directives_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} #{self.number}"


class Recipient(models.Model):
    """An addressee (Kính gửi) of an outgoing document: one of our units or an outside organisation."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, organisation__isnull=True)
                | Q(unit__isnull=True, organisation__isnull=False),
                name="directives_recipient_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.organisation)


class Delivery(models.Model):
    """The document reached a unit's inbox (at issue, or by routing an incoming document)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deliveries")
    delivered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="directives_delivery_once"),
        ]
        indexes = [
            # a unit's inbox, newest first; also the visibility join
            models.Index(fields=["unit", "-delivered_at"], name="directives_delivery_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit_id}"


class ReadReceipt(models.Model):
    """A person opened a document delivered to their unit."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="read_receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_receipts")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="directives_readreceipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ✓ {self.user_id}"


class Reference(models.Model):
    """A document cites another: a registered one, or one typed as symbol + date + issuer."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="references")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="cited_by")
    doc_type = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False) | ~Q(symbol=""), name="directives_reference_has_target"
            ),
        ]

    def __str__(self) -> str:
        return self.symbol or str(self.target_id)


class Attachment(models.Model):
    """A file attached to a document; served only through a view that checks rights."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    # Stored as <uuid><extension of the detected kind>; the name the person gave is ``name``.
    file = models.FileField(upload_to=RandomName("attachments/%Y/%m/"))
    name = models.CharField(_("tên tệp"), max_length=255, help_text=_("Tên gốc của tệp khi tải lên."))
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A received PDF's digital signatures as checked when it was registered, in order
    # (directives.certificates.received_pdf_check); null when not checked (not a received PDF).
    signatures = models.JSONField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """The history of a document: who did what, when, with what comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo dự thảo")
        EDITED = "edited", _("Sửa dự thảo")
        SUBMITTED = "submitted", _("Trình lãnh đạo đơn vị")
        FORWARDED = "forwarded", _("Trình ký")
        RETURNED = "returned", _("Trả lại")
        APPROVED = "approved", _("Ký duyệt")
        ISSUED = "issued", _("Phát hành")
        REGISTERED = "registered", _("Vào sổ văn bản đến")
        ROUTED = "routed", _("Phân công xử lý")
        COPIED = "copied", _("Sao văn bản")
        GRANTED = "granted", _("Cấp quyền xem")
        HANDED_OVER = "handed_over", _("Chuyển người ký")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The person the actor stood in for (units.Delegation): the step was done «thay» them.
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Whom the step sent the document to (the chosen reviewer or signer), when it went to someone.
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action}"


class SigningAuthorisation(models.Model):
    """The agency lets ``user`` sign «TL.» (thừa lệnh) or «TUQ.» (thừa ủy quyền) its head,
    under ``title`` (the signer's own title printed under the authority line, e.g.
    «TL. GIÁM ĐỐC» over «CHÁNH VĂN PHÒNG»). Kept by the agency's administrator; a draft may
    name a TL./TUQ. signer only when such a row exists (Decree 30/2020, Art. 13)."""

    AUTHORITIES = [(SigningAuthority.TL.value, "TL."), (SigningAuthority.TUQ.value, "TUQ.")]

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signing_authorisations",
        verbose_name=_("người được ký"),
    )  # fmt: skip
    authority = models.CharField(_("thẩm quyền ký"), max_length=5, choices=AUTHORITIES)
    title = models.CharField(
        _("chức danh in dưới thẩm quyền"), max_length=100, help_text=_("Ví dụ: CHÁNH VĂN PHÒNG trong «TL. GIÁM ĐỐC»")
    )
    note = models.CharField(_("căn cứ giao ký"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("người được ký thừa lệnh, thừa ủy quyền")
        verbose_name_plural = _("người được ký thừa lệnh, thừa ủy quyền")
        ordering = ["agency", "authority", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="directives_signingauthorisation_once"),
            models.CheckConstraint(condition=Q(authority__in=["TL.", "TUQ."]), name="directives_signingauth_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.user} — {self.title}"

    def clean(self) -> None:
        if self.user_id and self.agency_id and self.user.agency_id != self.agency_id:
            raise ValidationError({"user": _("Người được ký phải thuộc cơ quan này.")})


class Counter(models.Model):
    """The last number given in one series of one agency in one year.

    Locked with select_for_update() inside the transaction that uses the number,
    so concurrent clerks queue and numbers have no gap and no duplicate; the unique
    constraint on Document is the backstop.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=12, blank=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "direction", "year", "series"], name="directives_counter_series_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.direction}/{self.year}/{self.series}: {self.last_number}"


class Routing(models.Model):
    """A director's direction note (bút phê) on an incoming document."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="routing")
    director = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ý kiến chỉ đạo"))
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì"))
    cooperating_units = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name=_("đơn vị phối hợp"))
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    routed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.document_id} → {self.lead_unit_id}"


class IssuedPdf(models.Model):
    """The official PDF of an issued document: rendered once, by a job, then only served.

    ``sha256`` is the digest of the stored bytes, recorded when they were written; serving
    compares it again, so any change to the file on disk shows.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Đang tạo")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi khi tạo")

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="issued_pdf")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(upload_to="issued/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    signed = models.BooleanField(default=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The row is the render job (ops.background): tried when due, claimed by a conditional update.
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản PDF chính thức")
        verbose_name_plural = _("bản PDF chính thức")
        indexes = [
            # the recovery job's due renders, and the oldest due one (ops.background)
            models.Index(fields=["state", "due_at"], name="directives_issuedpdf_due"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.state}"


class SignerKind(models.TextChoices):
    """Where a signing key lives (directives.signers)."""

    PKCS12 = "pkcs12", _("Tệp chứng thư số PKCS#12 lưu trên hệ thống")
    PKCS11 = "pkcs11", _("Thiết bị ký số (USB token, HSM)")
    REMOTE = "remote", _("Ký số từ xa (xác nhận trên điện thoại)")


class SignerSettings(models.Model):
    """How a person or an agency signs, and the certificate that signature carries.

    ``kind`` chooses the signer: a PKCS#12 ``bundle`` (re-encrypted, the uploaded passphrase
    never kept), a key on a PKCS#11 token or HSM (``pkcs11_token_label``, ``pkcs11_key_label``;
    the module path and the PIN come from the environment, see docs/pdf.md), or a credential
    at the remote-signing service (``remote_credential_id``). ``subject`` … ``chain_pem``
    describe the certificate read when it was configured; ``chain_pem`` holds the certificates
    that vouch for it, the trust roots for verifying. ``image`` is the transparent PNG printed
    with the signature: the signer's signature, or the agency's seal.
    """

    kind = models.CharField(_("cách ký"), max_length=10, choices=SignerKind.choices, default=SignerKind.PKCS12)
    bundle = models.BinaryField(blank=True, default=b"")
    pkcs11_token_label = models.CharField(_("nhãn thiết bị ký số"), max_length=64, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khóa trên thiết bị"), max_length=64, blank=True)
    remote_credential_id = models.CharField(_("mã tài khoản ký số từ xa"), max_length=128, blank=True)
    subject = models.CharField(_("chủ thể"), max_length=255)
    issuer = models.CharField(_("tổ chức cấp"), max_length=255)
    not_after = models.DateTimeField(_("hết hạn"))
    # PEM of the certificates that vouch for it (from the bundle): the trust roots for verifying.
    chain_pem = models.TextField(blank=True)
    image = models.BinaryField(_("ảnh chữ ký / con dấu (PNG)"), blank=True, default=b"")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.subject


class SigningCertificate(SignerSettings):
    """An agency's signing key and certificate, and its seal image.

    A PKCS#12 bundle is re-encrypted with a key derived from SECRET_KEY and the agency, so the
    database alone does not reveal the key. Rotating SECRET_KEY means uploading it again.
    """

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="signing_certificate")

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")


class PersonalCertificate(SignerSettings):
    """A leader's own signing key and certificate, and their signature image.

    Kept by the person themself (or an administrator) on their profile page; the issue job
    signs with it before the agency does. A PKCS#12 bundle is re-encrypted like the agency's.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_certificate")

    class Meta:
        verbose_name = _("chứng thư số cá nhân")
        verbose_name_plural = _("chứng thư số cá nhân")
