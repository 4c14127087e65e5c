"""Agencies, their units, outside organisations, and the people who work in them."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from units.roles import Role

# Abbreviations become parts of a document symbol (336/TB-SKHCN), where "/" and "-"
# separate the groups: they may not appear inside one.
abbreviation_validator = RegexValidator(
    r"^[^\s/\-]+$",
    _("Viết tắt không được chứa khoảng trắng, dấu gạch chéo (/) hay gạch ngang (-)."),
)

# The electronic identity on the document-exchange network (Decision 20/2020/QĐ-TTg):
# up to 35 characters of 0-9, A-Z and ".", e.g. H37.DN.001 (docs/exchange.md).
exchange_id_validator = RegexValidator(
    r"^[0-9A-Z.]{1,35}\Z",
    _("Mã định danh chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm, tối đa 35 ký tự."),
)


def exchange_id_field():
    return models.CharField(
        _("mã định danh điện tử"),
        max_length=35,
        blank=True,
        validators=[exchange_id_validator],
        help_text=_("Mã định danh trên trục liên thông văn bản, ví dụ: H37.DN.001"),
    )


class Agency(models.Model):
    """An issuing body (cơ quan ban hành), e.g. Sở Khoa học và Công nghệ (SKHCN)."""

    name = models.CharField(_("tên cơ quan"), max_length=255)
    abbreviation = models.CharField(_("tên viết tắt"), max_length=30, unique=True, validators=[abbreviation_validator])
    parent_body = models.CharField(
        _("cơ quan chủ quản"), max_length=255, blank=True, help_text=_("Ví dụ: UBND TỈNH BÀ RỊA - VŨNG TÀU")
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, help_text=_("Dùng ở dòng ngày tháng, ví dụ: Bà Rịa - Vũng Tàu")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    exchange_id = exchange_id_field()

    class Numbering(models.TextChoices):
        COMMON = "common", _("Một sổ chung cho mọi loại văn bản")
        PER_TYPE = "per_type", _("Mỗi loại văn bản một sổ")

    numbering = models.CharField(
        _("cách đánh số văn bản đi"), max_length=10, choices=Numbering.choices, default=Numbering.COMMON
    )

    class Approver(models.TextChoices):
        """Who decides on a task's result or on a request for a later deadline (docs/decisions.md)."""

        HEAD = "head", _("Lãnh đạo đơn vị chủ trì")
        LEADER = "leader", _("Lãnh đạo phụ trách")
        HEAD_THEN_LEADER = "head_then_leader", _("Lãnh đạo đơn vị chủ trì, sau đó lãnh đạo phụ trách")

    acceptance_by = models.CharField(
        _("người nghiệm thu kết quả nhiệm vụ"),
        max_length=20,
        choices=Approver.choices,
        default=Approver.HEAD_THEN_LEADER,
        help_text=_("Nhiệm vụ do đơn vị tự giao (không có lãnh đạo phụ trách) luôn do lãnh đạo đơn vị nghiệm thu."),
    )
    extension_by = models.CharField(
        _("người quyết định gia hạn"),
        max_length=20,
        choices=Approver.choices,
        default=Approver.HEAD,
        help_text=_("Lãnh đạo đơn vị chỉ tự quyết định gia hạn trong số ngày làm việc dưới đây; "
                    "đề nghị dài hơn chuyển lãnh đạo phụ trách."),
    )  # fmt: skip
    head_extension_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc lãnh đạo đơn vị được tự gia hạn"),
        default=5,
        validators=[MaxValueValidator(60, message=_("Số ngày làm việc được tự gia hạn không quá 60."))],
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange_id"],
                condition=~Q(exchange_id=""),
                name="units_agency_exchange_id_unique",
                violation_error_message=_("Mã định danh điện tử này đã được dùng."),
            ),
            models.CheckConstraint(
                condition=Q(acceptance_by__in=["head", "leader", "head_then_leader"]),
                name="units_agency_acceptance_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(extension_by__in=["head", "leader", "head_then_leader"]),
                name="units_agency_extension_by_valid",
            ),
            models.CheckConstraint(condition=Q(head_extension_days__lte=60), name="units_agency_head_extension_days"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A part of an agency (phòng, văn phòng, chi cục, ...), arranged as a tree."""

    class Kind(models.TextChoices):
        PHONG = "phong", _("Phòng")
        VAN_PHONG = "van_phong", _("Văn phòng")
        THANH_TRA = "thanh_tra", _("Thanh tra")
        CHI_CUC = "chi_cuc", _("Chi cục")
        TRUNG_TAM = "trung_tam", _("Trung tâm")
        TO = "to", _("Tổ")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("cơ quan"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    abbreviation = models.CharField(_("tên viết tắt"), max_length=30, validators=[abbreviation_validator])
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices, default=Kind.PHONG)
    aliases = models.TextField(
        _("tên gọi khác"),
        blank=True,
        help_text=_(
            "Mỗi dòng một cách gọi đơn vị trong văn bản (ví dụ: Phòng QLKH, Trưởng phòng Quản lý khoa học), "
            "để nhận ra đơn vị chủ trì, phối hợp khi giao nhiệm vụ từ văn bản."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "abbreviation"], name="units_unit_abbreviation_unique"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="units_unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("Đơn vị cấp trên phải thuộc cùng cơ quan.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Một đơn vị không thể nằm dưới chính nó.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Organisation(models.Model):
    """A body outside the agency that sends or receives documents (UBND tỉnh, Sở Nội vụ, ...)."""

    name = models.CharField(_("tên cơ quan, tổ chức"), max_length=255, unique=True)
    abbreviation = models.CharField(_("tên viết tắt"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    exchange_id = exchange_id_field()
    is_active = models.BooleanField(_("đang giao dịch"), default=True)

    class Meta:
        verbose_name = _("cơ quan, tổ chức bên ngoài")
        verbose_name_plural = _("cơ quan, tổ chức bên ngoài")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange_id"],
                condition=~Q(exchange_id=""),
                name="units_organisation_exchange_id_unique",
                violation_error_message=_("Mã định danh điện tử này đã được dùng."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Vietnamese names are kept whole in ``full_name``."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    title = models.CharField(
        _("chức danh"),
        max_length=100,
        blank=True,
        help_text=_("Chức danh lãnh đạo cơ quan in ở khối chữ ký, ví dụ: Giám đốc, Phó Giám đốc"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("cơ quan"),
    )
    # The SHA-256 digest of the secret in the person's private calendar-feed URL (the secret
    # itself is shown once, when made); empty when they have none (revoked).
    calendar_token_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    supervised_units = models.ManyToManyField(
        Unit,
        through="Supervision",
        related_name="supervisors",
        blank=True,
        verbose_name=_("đơn vị phụ trách"),
    )

    REQUIRED_FIELDS = ["full_name", "email"]

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]
        permissions = [("import_people", _("Nhập đơn vị và cán bộ từ tệp CSV, XLSX"))]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        # The given name comes last in a Vietnamese name.
        return (self.full_name or self.username).split()[-1]

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles, read once per request."""
        names = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names & set(Role.values))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_leader(self) -> bool:
        """Director or deputy director: the Ban Giám đốc."""
        return self.has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


class Membership(models.Model):
    """A person's place in a unit, with the position title printed under their name."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cán bộ"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị"))
    position = models.CharField(
        _("chức vụ"), max_length=100, help_text=_("Ví dụ: Trưởng phòng, Phó Trưởng phòng, Chuyên viên, Văn thư")
    )
    is_head = models.BooleanField(
        _("lãnh đạo đơn vị"), default=False, help_text=_("Người nhận văn bản và phân công nhiệm vụ của đơn vị")
    )

    class Meta:
        verbose_name = _("công tác tại đơn vị")
        verbose_name_plural = _("công tác tại đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="units_membership_once_per_unit"),
        ]
        indexes = [
            # "who heads this unit" when a document or task reaches it
            models.Index(fields=["unit", "is_head"], name="units_membership_unit_head"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}, {self.unit}"


class Supervision(models.Model):
    """A director or deputy supervises (phụ trách) a unit."""

    director = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("lãnh đạo phụ trách")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("đơn vị"))

    class Meta:
        verbose_name = _("phân công phụ trách")
        verbose_name_plural = _("phân công phụ trách")
        constraints = [
            models.UniqueConstraint(fields=["director", "unit"], name="units_supervision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.director} phụ trách {self.unit}"


class Delegation(models.Model):
    """A person's substitute (người được ủy quyền) for a period, e.g. a director on leave.

    From ``starts_on`` to ``ends_on`` (both included, local dates) what waits for ``principal``
    also waits for ``substitute``, who may act on it; each such action is recorded as done
    «thay» the principal (units.selectors.principals_of is the one read of this rule).
    """

    principal = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="delegations_given", verbose_name=_("người ủy quyền")
    )
    substitute = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="delegations_received", verbose_name=_("người được ủy quyền")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ủy quyền xử lý thay")
        verbose_name_plural = _("ủy quyền xử lý thay")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="units_delegation_period"),
            models.CheckConstraint(condition=~Q(principal=models.F("substitute")), name="units_delegation_not_self"),
        ]
        indexes = [
            # principals_of: whom does this person stand in for today
            models.Index(fields=["substitute", "starts_on", "ends_on"], name="units_delegation_substitute"),
            # the overlap check of clean(): the principal's other periods
            models.Index(fields=["principal", "starts_on"], name="units_delegation_principal"),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} thay {self.principal} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"

    def clean(self) -> None:
        errors = {}
        if self.principal_id and self.substitute_id:
            if self.principal_id == self.substitute_id:
                errors["substitute"] = _("Không thể ủy quyền cho chính mình.")
            elif self.principal.agency_id is None or self.principal.agency_id != self.substitute.agency_id:
                errors["substitute"] = _("Người được ủy quyền phải cùng cơ quan với người ủy quyền.")
            elif self.principal.is_leader and not self.substitute.has_perm("directives.approve_document"):
                errors["substitute"] = _("Lãnh đạo cơ quan chỉ ủy quyền được cho người có quyền ký văn bản.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu.")
        elif self.principal_id and self.starts_on and self.ends_on:
            overlapping = Delegation.objects.filter(
                principal_id=self.principal_id, starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
            ).exclude(pk=self.pk)
            if overlapping.exists():
                errors["starts_on"] = _("Người này đã có ủy quyền trong khoảng thời gian trùng với khoảng này.")
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored, so it is shown once.

    A token works until ``expires_at`` and only while its owner's password is the one it was
    issued under (``password_fingerprint``): a password change by any path (the form, a
    reset, the admin, ``set_password`` in a command) ends every token of the person.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("cán bộ"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    password_fingerprint = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        indexes = [
            # the owner's list of live tokens (page and API), newest first
            models.Index(fields=["user", "-created_at"], name="units_apitoken_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
