"""Forms of the document pages. They parse and validate input; the services decide."""

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from directives import permissions
from directives.models import Confidentiality, Document, DocumentType, SigningAuthority, Urgency
from lib.forms import BoundedForm, DateWidget, MultiSelectWidget, units_widget
from lib.staged_uploads import StagedUploadsField
from lib.text import shorten
from units.models import Organisation, Unit, User
from units.roles import Role

# A pick-list of documents to cite: the newest ones are what people cite; older ones are typed in.
REFERENCE_CHOICES_LIMIT = 300


def _agency_units(user: User):
    return Unit.objects.filter(agency_id=user.agency_id, is_active=True).order_by("name")


def document_types():
    """The active types for a pick-list: Công văn (the everyday letter) first, then by name."""
    cong_van_first = Case(When(abbreviation="", then=Value(0)), default=Value(1))
    return DocumentType.objects.filter(is_active=True).order_by(cong_van_first, "name")


def _signers(user: User):
    """The leaders, and the people the agency lets sign «TL.»/«TUQ.» (the service checks which
    authority each may sign under)."""
    return (
        User.objects.filter(
            Q(groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR])
            | Q(signing_authorisations__agency_id=user.agency_id),
            agency_id=user.agency_id,
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


class DraftForm(BoundedForm):
    doc_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=document_types(), empty_label=None)
    subject = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nhập trích yếu của văn bản.")},
    )
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-source": ""}),
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices, required=False)
    drafting_unit = forms.ModelChoiceField(label=_("Đơn vị soạn thảo"), queryset=Unit.objects.none(), required=False)
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("Kính gửi: đơn vị trong cơ quan"),
        queryset=Unit.objects.none(),
        required=False,
        widget=units_widget(),
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("Kính gửi: cơ quan, tổ chức bên ngoài"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=MultiSelectWidget(),
    )
    signer = forms.ModelChoiceField(
        label=_("Người ký"), queryset=User.objects.none(), required=False, empty_label=_("— Chưa chọn —")
    )
    signing_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=SigningAuthority.choices, required=False)
    authority_title = forms.CharField(
        label=_("Chức danh thủ trưởng"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: GIÁM ĐỐC trong «KT. GIÁM ĐỐC»"),
    )
    distribution = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Như trên; UBND tỉnh (b/c); Lưu: VT, VP"),
    )
    files = StagedUploadsField(label=_("Tệp đính kèm"), required=False)
    # Word in: read by «Lấy nội dung từ tệp Word» into the editor (directives.word), never stored.
    body_docx = forms.FileField(
        label=_("Lấy nội dung từ tệp Word (.docx)"),
        required=False,
        help_text=_("Nội dung tệp được đưa vào ô Nội dung để xem lại; chỉ được lưu khi bấm «Lưu dự thảo»."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].owner_id = user.pk
        units = _agency_units(user)
        self.fields["drafting_unit"].queryset = units
        self.fields["recipient_units"].queryset = units
        self.fields["signer"].queryset = _signers(user)

    def service_fields(self) -> dict:
        """The cleaned data as the services' keyword arguments (files excluded)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("files", "body_docx")}


class ReferenceForm(BoundedForm):
    """One cited document: picked from the documents I see, or typed as symbol + date + issuer."""

    target = forms.TypedChoiceField(label=_("Văn bản trong hệ thống"), required=False, coerce=int, empty_value=None)
    doc_type = forms.CharField(label=_("Loại"), max_length=100, required=False)
    symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Ngày"), required=False, widget=DateWidget())
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)

    def __init__(self, *args, user: User, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["target"].choices = [("", _("— Nhập tay bên cạnh —")), *choices]

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target:
            data["target"] = permissions.documents_visible_to(self.user).filter(pk=target).first()
            if data["target"] is None:
                raise forms.ValidationError(_("Không tìm thấy văn bản được dẫn chiếu."))
        elif (data.get("issued_on") or data.get("issuer") or data.get("doc_type")) and not data.get("symbol"):
            raise forms.ValidationError(_("Văn bản dẫn chiếu cần có số, ký hiệu."))
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("target") or data.get("symbol"))


class BaseReferenceFormSet(forms.BaseFormSet):
    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        visible = permissions.documents_visible_to(user).exclude(symbol="").exclude(number=None)
        self.choices = [
            (pk, f"{symbol} — {shorten(subject, 80)}")
            for pk, symbol, subject in visible.order_by("-created_at").values_list("pk", "symbol", "subject")[
                :REFERENCE_CHOICES_LIMIT
            ]
        ]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user, "choices": self.choices}

    def references(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed() and not form.is_blank()]


ReferenceFormSet = forms.formset_factory(ReferenceForm, formset=BaseReferenceFormSet, extra=1)


def reference_initial(document: Document) -> list[dict]:
    return [
        {
            "target": ref.target_id,
            "doc_type": "" if ref.target_id else ref.doc_type,
            "symbol": "" if ref.target_id else ref.symbol,
            "issued_on": None if ref.target_id else ref.issued_on,
            "issuer": "" if ref.target_id else ref.issuer,
        }
        for ref in document.references.all()
    ]


def _attributes(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``, written in Python."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class ListSelect(forms.Select):
    """A select whose options are written in Python, the same markup as Django's templates give.

    Every document list and search renders the filter bar's five selects; through the widget
    templates each option was two template includes, a third of the list's rendering after its
    rows were made cheap (issue #19). Options only, no groups: the filter bar has none.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                str(option["value"]),
                mark_safe(_attributes(option["attrs"])),  # nosec B703 B308
                option["label"],
            )
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ]
        # Safe: _attributes escapes every value, format_html every other part.
        html = format_html('<select name="{}"{}>', widget["name"], mark_safe(_attributes(widget["attrs"])))  # nosec B703 B308
        return mark_safe(html + "".join(options) + "\n</select>")  # nosec B703 B308


class FilterForm(BoundedForm):
    """The search box and filters of the lists; every field optional."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    doc_type = forms.TypedChoiceField(label=_("Loại"), required=False, coerce=int, empty_value=None, widget=ListSelect)
    direction = forms.ChoiceField(
        label=_("Chiều"), required=False, choices=[("", _("Đi và đến")), *Document.Direction.choices], widget=ListSelect
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None, widget=ListSelect)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Mọi trạng thái"))], widget=ListSelect
    )
    urgency = forms.ChoiceField(
        label=_("Độ khẩn"), required=False, choices=[("", _("Mọi độ khẩn")), *Urgency.choices[1:]], widget=ListSelect
    )
    # The document's date: the day of arrival for incoming documents, of issue for outgoing ones.
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateWidget())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateWidget())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [("", _("Mọi loại")), *document_types().values_list("pk", "name")]
        self.fields["unit"].choices = [("", _("Mọi đơn vị")), *_agency_units(user).values_list("pk", "name")]
        self.fields["state"].choices += Document.State.choices

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
        return data

    def is_filtering(self) -> bool:
        return self.is_valid() and any(v not in (None, "") for v in self.cleaned_data.values())


# Shown on «Vẫn vào sổ» when the document looks registered already (the incoming register and
# the form filled from a reading, intake).
DUPLICATE_ASK = _(
    "Văn bản này có vẻ đã được vào sổ. Kiểm tra danh sách bên dưới; nếu vẫn muốn, hãy đánh dấu «Vẫn vào sổ»."
)


class IncomingForm(BoundedForm):
    sender = forms.ModelChoiceField(
        label=_("Cơ quan gửi"), queryset=Organisation.objects.filter(is_active=True), empty_label=_("— Chọn —")
    )
    symbol = forms.CharField(label=_("Số, ký hiệu của văn bản"), max_length=60)
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DateWidget())
    doc_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=document_types(), empty_label=None)
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices, required=False)
    received_on = forms.DateField(label=_("Ngày đến"), widget=DateWidget())
    file = StagedUploadsField(label=_("Tệp văn bản"), required=False, multiple=False)
    confirm_duplicate = forms.BooleanField(label=_("Vẫn vào sổ"), required=False)

    def __init__(self, *args, user: User | None = None, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["file"].owner_id = user.pk if user else None

    def service_fields(self) -> dict:
        """The cleaned data as incoming_register's keyword arguments: one file or None."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "confirm_duplicate"}
        data["file"] = data["file"][0] if data["file"] else None
        return data


class RouteForm(BoundedForm):
    note = forms.CharField(
        label=_("Ý kiến chỉ đạo (bút phê)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy ghi ý kiến chỉ đạo.")},
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=None)
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False, widget=units_widget()
    )
    deadline = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DateWidget())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = _agency_units(user)
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("Hạn xử lý không thể trước hôm nay."))
        return deadline


class CopyMakeForm(BoundedForm):
    """A sao y, trích sao or sao lục of ``document``: the form, the paragraphs of a trích sao,
    who signs it and who receives it."""

    form = forms.ChoiceField(label=_("Hình thức sao"), widget=forms.RadioSelect)
    paragraphs = forms.TypedMultipleChoiceField(
        label=_("Các đoạn trích sao"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    signer = forms.ModelChoiceField(label=_("Người ký bản sao"), queryset=User.objects.none(), empty_label=None)
    signing_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=SigningAuthority.choices, required=False)
    authority_title = forms.CharField(
        label=_("Chức danh thủ trưởng"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: GIÁM ĐỐC trong «TL. GIÁM ĐỐC»"),
    )
    distribution = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Phòng Quản lý Khoa học; Lưu: VT"),
    )
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("Gửi tới các đơn vị"), queryset=Unit.objects.none(), required=False, widget=units_widget()
    )

    def __init__(self, *args, user: User, document: Document, paragraphs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        from directives.models import CopyForm

        forms_allowed = [CopyForm.SAO_LUC] if document.is_copy else [CopyForm.SAO_Y, CopyForm.SAO_LUC]
        if paragraphs and not document.is_copy:
            forms_allowed.insert(1, CopyForm.TRICH_SAO)
        self.fields["form"].choices = [(f.value, f.label) for f in forms_allowed]
        self.fields["form"].initial = forms_allowed[0].value
        self.fields["paragraphs"].choices = list(enumerate(paragraphs))
        self.fields["signer"].queryset = User.objects.filter(agency_id=user.agency_id, is_active=True).order_by(
            "full_name"
        )
        self.fields["signer"].initial = user.pk
        self.fields["recipient_units"].queryset = _agency_units(user)


class WorkflowStepForm(BoundedForm):
    """One step that sends the document to a chosen person: «Trình», «Chuyển trình ký»,
    «Chuyển người ký». The field takes anyone of the agency; whether that person may receive it
    is the service's rule (directives.permissions.submit_choices, signers_of), with its message."""

    to = forms.ModelChoiceField(
        label=_("Chuyển đến"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Người được chọn không thuộc cơ quan hoặc không còn làm việc.")},
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(agency_id=user.agency_id, is_active=True)


class DelegationForm(BoundedForm):
    """A substitute for oneself, for a period (units.Delegation; the model's rules decide)."""

    substitute = forms.ModelChoiceField(
        label=_("Người xử lý thay"), queryset=User.objects.none(), empty_label=_("— Chọn —")
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateWidget())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateWidget())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(agency_id=user.agency_id, is_active=True).exclude(pk=user.pk)
        if user.is_leader:
            people = people.filter(pk__in=permissions.signers_for(user).values("pk"))
        self.fields["substitute"].queryset = people.order_by("full_name")
