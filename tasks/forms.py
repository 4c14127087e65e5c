"""Forms of the task pages. They parse and validate input; the services decide."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedForm, DateWidget, MultiSelectWidget, units_widget
from lib.staged_uploads import StagedUploadsField
from tasks.models import Task, TrackingClass
from tasks.periods import PERIODS
from tasks.points import TITLE_MAX, document_points
from units.models import Membership, Unit, User
from units.roles import Role

DATE_WIDGET = DateWidget()
PERCENT_ERROR = _("Tiến độ phải từ 0 đến 100%.")
# Django formats range messages with the limit as parameters, so their percent sign is doubled.
PERCENT_RANGE_ERROR = _("Tiến độ phải từ 0 đến 100%%.")


def agency_units(user: User):
    return Unit.objects.filter(agency_id=user.agency_id, is_active=True).order_by("name")


def units_user_may_task(user: User):
    """Lead units ``user`` may choose: any unit of the agency for leaders and clerks, else the units they head."""
    units = agency_units(user)
    if user.has_perm("tasks.add_task"):
        return units
    return units.filter(memberships__user=user, memberships__is_head=True)


def agency_leaders(user: User):
    return (
        User.objects.filter(
            agency_id=user.agency_id, is_active=True, groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR]
        )
        .distinct()
        .order_by("full_name")
    )


TRACKING_CHOICES = [
    ("", _("Tất cả")),
    *TrackingClass.choices,
    ("finished", _("Đã hoàn thành (đúng hạn và quá hạn)")),
    ("dated", _("Có hạn xử lý (không kể đã hủy)")),
]


def check_range(form: forms.Form, start: date | None, end: date | None, *, required: bool) -> None:
    if (start is None) != (end is None) or (required and start is None):
        form.add_error("to" if start else "from", _("Hãy chọn cả ngày bắt đầu và ngày kết thúc."))
    elif start and end and start > end:
        form.add_error("to", _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))


class FilterForm(BoundedForm):
    """The filters of a task list. Besides what the filter bar shows, a dashboard's link may carry
    the lead unit, the handler (0: not assigned), the document, the scope and a period (from, to)."""

    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Task.State.choices])
    tracking = forms.ChoiceField(label=_("Theo dõi"), required=False, choices=TRACKING_CHOICES)
    q = forms.CharField(label=_("Nội dung"), required=False, max_length=100)
    unit = forms.IntegerField(label=_("Đơn vị chủ trì"), required=False, min_value=1)
    handler = forms.IntegerField(label=_("Người xử lý"), required=False, min_value=0)
    document = forms.IntegerField(label=_("Văn bản"), required=False, min_value=1)
    scope = forms.ChoiceField(
        label=_("Phạm vi"), required=False, choices=[("agency", "agency"), ("supervised", "supervised")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here rather than declared above.
        self.fields["from"] = forms.DateField(label=_("Hạn từ ngày"), required=False, widget=DATE_WIDGET)
        self.fields["to"] = forms.DateField(label=_("đến ngày"), required=False, widget=DATE_WIDGET)
        # The filter bar's range of deadlines, either end open (``from``/``to`` above are a
        # dashboard's period: both ends, the period's rules).
        self.fields["date_from"] = forms.DateField(label=_("Hạn từ ngày"), required=False, widget=DATE_WIDGET)
        self.fields["date_to"] = forms.DateField(label=_("Hạn đến ngày"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        check_range(self, data.get("from"), data.get("to"), required=False)
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
        return data


PERIOD_CHOICES = list(PERIODS.items())


class ReportForm(BoundedForm):
    text = forms.CharField(
        label=_("Nội dung báo cáo"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy ghi nội dung báo cáo.")},
    )
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": PERCENT_ERROR,
            "invalid": PERCENT_ERROR,
            "min_value": PERCENT_RANGE_ERROR,
            "max_value": PERCENT_RANGE_ERROR,
        },
    )
    files = StagedUploadsField(label=_("Tệp đính kèm"), required=False)

    def __init__(self, *args, owner_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].owner_id = owner_id  # files kept across a refusal (lib.staged_uploads)


class SubmitForm(BoundedForm):
    result = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy ghi kết quả thực hiện.")},
    )
    files = StagedUploadsField(label=_("Tệp đính kèm (sản phẩm, minh chứng)"), required=False)

    def __init__(self, *args, owner_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].owner_id = owner_id  # files kept across a refusal (lib.staged_uploads)


class NoteForm(BoundedForm):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(BoundedForm):
    """The services refuse a blank reason with their own message; the form only reads it."""

    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(BoundedForm):
    new_deadline = forms.DateField(
        label=_("Hạn đề nghị"), widget=DATE_WIDGET, error_messages={"required": _("Hãy chọn hạn đề nghị.")}
    )
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(BoundedForm):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(BoundedForm):
    handler = forms.ModelChoiceField(
        label=_("Người xử lý chính"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Hãy chọn người xử lý chính."),
            "invalid_choice": _("Người xử lý phải là cán bộ của đơn vị chủ trì."),
        },
    )
    supporters = forms.ModelMultipleChoiceField(
        label=_("Người phối hợp"),
        queryset=User.objects.none(),
        required=False,
        widget=MultiSelectWidget(),
        error_messages={"invalid_choice": _("Người xử lý phải là cán bộ của đơn vị chủ trì.")},
    )

    def __init__(self, *args, unit_ids, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            User.objects.filter(memberships__unit_id__in=unit_ids, is_active=True).distinct().order_by("full_name")
        )
        self.fields["handler"].queryset = members
        self.fields["supporters"].queryset = members
        if not self.is_bound:  # shown, not checked: both lists of people from one read
            handler = self.fields["handler"]
            people = [(person.pk, handler.label_from_instance(person)) for person in members]
            empty = [("", handler.empty_label)] if handler.empty_label is not None else []
            handler.choices = empty + people
            self.fields["supporters"].choices = people


class CancelForm(ReasonForm):
    pass


class DeadlineKind:
    DATE = "date"
    DAYS = "days"
    NONE = "none"
    CHOICES = [
        (DATE, _("Đến ngày")),
        (DAYS, _("Số ngày làm việc")),
        (NONE, _("Thường xuyên (không có hạn)")),
    ]


class TaskForm(BoundedForm):
    """One task given by hand (a verbal order, a meeting's conclusion)."""

    title = forms.CharField(
        label=_("Nội dung nhiệm vụ"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi nội dung nhiệm vụ.")},
    )
    description = forms.CharField(label=_("Yêu cầu chi tiết"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("Hãy chọn đơn vị chủ trì.")},
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False, widget=units_widget()
    )
    deadline_kind = forms.ChoiceField(
        label=_("Thời hạn"), choices=DeadlineKind.CHOICES, initial=DeadlineKind.DATE, widget=forms.RadioSelect
    )
    deadline = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DATE_WIDGET)
    working_days = forms.IntegerField(label=_("Số ngày làm việc"), required=False, min_value=1, max_value=365)
    reporting_period = forms.ChoiceField(
        label=_("Kỳ báo cáo (nhiệm vụ thường xuyên)"),
        required=False,
        choices=[c for c in Task.Period.choices if c[0]],
        initial=Task.Period.MONTHLY,
    )
    supervisor = forms.ModelChoiceField(
        label=_("Lãnh đạo phụ trách"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Theo phân công phụ trách đơn vị —"),
    )
    priority = forms.TypedChoiceField(
        label=_("Mức ưu tiên"), choices=Task.Priority.choices, coerce=int, initial=Task.Priority.NORMAL
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_user_may_task(user)
        self.fields["cooperating_units"].queryset = agency_units(user)
        if user.has_perm("tasks.add_task"):
            self.fields["supervisor"].queryset = agency_leaders(user)
        else:
            del self.fields["supervisor"]  # a unit's own task is accepted by its head

    def clean(self):
        data = super().clean()
        kind = data.get("deadline_kind")
        if kind == DeadlineKind.DATE and not data.get("deadline"):
            self.add_error("deadline", _("Hãy chọn hạn xử lý."))
        if kind == DeadlineKind.DAYS and not data.get("working_days"):
            self.add_error("working_days", _("Hãy ghi số ngày làm việc."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        kind = data["deadline_kind"]
        return {
            "title": data["title"],
            "description": data["description"],
            "lead_unit": data["lead_unit"],
            "cooperating_units": data["cooperating_units"],
            "deadline": data["deadline"] if kind == DeadlineKind.DATE else None,
            "working_days": data["working_days"] if kind == DeadlineKind.DAYS else None,
            "reporting_period": data["reporting_period"] if kind == DeadlineKind.NONE else "",
            "supervisor": data.get("supervisor"),
            "priority": data["priority"],
        }


class PointForm(BoundedForm):
    """One row of "tasks from a document": one numbered point. A row without a title is skipped,
    and so is a point already given as a task unless ``again`` is ticked."""

    point = forms.CharField(label=_("Điểm"), max_length=30, required=False)
    title = forms.CharField(
        label=_("Tên nhiệm vụ"),
        max_length=TITLE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ngắn gọn, tối đa 250 ký tự; toàn văn của điểm nằm ở ô Nội dung."),
    )
    description = forms.CharField(
        label=_("Nội dung (toàn văn của điểm)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False)
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=units_widget(),
    )
    deadline = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DATE_WIDGET)
    working_days = forms.IntegerField(label=_("hoặc số ngày làm việc"), required=False, min_value=1, max_value=365)
    reporting_period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        required=False,
        choices=[("", "—"), *[c for c in Task.Period.choices if c[0]]],
    )
    priority = forms.TypedChoiceField(
        label=_("Ưu tiên"), choices=Task.Priority.choices, coerce=int, initial=Task.Priority.NORMAL
    )
    again = forms.BooleanField(label=_("Giao thêm nhiệm vụ cho điểm này"), required=False)

    recurrence_hint = ""  # a note under «Kỳ báo cáo» (the routing page's proposals)

    def __init__(self, *args, user: User, given: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_user_may_task(user)
        self.fields["cooperating_units"].queryset = agency_units(user)
        point = (self.data.get(self.add_prefix("point")) if self.is_bound else self.initial.get("point")) or ""
        self.given = (given or {}).get(point.strip(), [])

    def is_given_again(self) -> bool:
        """Ticked «Giao thêm…» on a point that already has a task."""
        return bool(self.given) and bool(getattr(self, "cleaned_data", {}).get("again"))

    def is_skipped_as_given(self) -> bool:
        return bool(self.given) and not self.is_given_again() and not self._is_empty()

    def _is_empty(self) -> bool:
        return not (getattr(self, "cleaned_data", {}).get("title") or "").strip()

    def is_blank(self) -> bool:
        return self._is_empty() or (bool(self.given) and not self.is_given_again())

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if data.get("lead_unit") is None and "lead_unit" not in self.errors:
            self.add_error("lead_unit", _("Hãy chọn đơn vị chủ trì."))
        if data.get("deadline") and data.get("working_days"):
            self.add_error("working_days", _("Chọn hạn theo ngày hoặc theo số ngày làm việc, không chọn cả hai."))
        if data.get("reporting_period") and (data.get("deadline") or data.get("working_days")):
            self.add_error(
                "reporting_period",
                _(
                    "Nhiệm vụ có kỳ báo cáo là nhiệm vụ thường xuyên, không có hạn xử lý: bỏ hạn xử lý "
                    "(hoặc số ngày làm việc) hay bỏ kỳ báo cáo."
                ),
            )
        return data

    def service_item(self) -> dict:
        data = self.cleaned_data
        return {
            "point": data["point"],
            "title": data["title"],
            "description": data["description"],
            "lead_unit": data["lead_unit"],
            "cooperating_units": data["cooperating_units"],
            "deadline": data["deadline"],
            "working_days": data["working_days"],
            "reporting_period": data["reporting_period"],
            "priority": data["priority"],
            "again": self.is_given_again(),
        }


class BasePointFormSet(forms.BaseFormSet):
    def __init__(self, *args, user: User, given: dict | None = None, **kwargs):
        self.user = user
        self.given = given or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user, "given": self.given}

    def clean(self):
        if any(self.errors):
            return
        if all(form.is_blank() for form in self.forms):
            if self.skipped_points():
                raise forms.ValidationError(
                    _(
                        "Các điểm %(points)s đã được giao thành nhiệm vụ nên không giao lại. Đánh dấu «Giao thêm "
                        "nhiệm vụ cho điểm này» ở điểm cần giao thêm."
                    )
                    % {"points": ", ".join(self.skipped_points())}
                )
            raise forms.ValidationError(_("Chưa có nhiệm vụ nào để giao."))

    def skipped_points(self) -> list[str]:
        """Points left out because they already have a task and «Giao thêm…» was not ticked."""
        return [form.cleaned_data["point"] for form in self.forms if form.is_skipped_as_given()]

    def items(self) -> list[dict]:
        return [form.service_item() for form in self.forms if not form.is_blank()]


PointFormSet = forms.formset_factory(PointForm, formset=BasePointFormSet, extra=1)


def points_from_body(body: str, units) -> list[dict]:
    """The initial rows of "tasks from a document": one per numbered point of its body.

    Each row has a short title (the point's first sentence), the whole point as its content,
    and the lead and cooperating units the text names; the person checks them all.
    """
    return [
        {
            "point": point.number,
            "title": point.title,
            "description": point.content,
            "lead_unit": point.lead.pk if point.lead else None,
            "cooperating_units": [unit.pk for unit in point.cooperating],
        }
        for point in document_points(body, units)
    ]


def member_unit_ids(user: User) -> list[int]:
    return list(Membership.objects.filter(user=user, is_head=True).values_list("unit_id", flat=True))
