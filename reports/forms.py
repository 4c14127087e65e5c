"""Forms of the reporting pages: a dashboard's period and scope, a report's period, a register's period."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.errors import DomainError
from lib.forms import BoundedForm, DateWidget
from reports.registers import REGISTERS, period_check
from tasks.forms import DATE_WIDGET, PERIOD_CHOICES, check_range
from tasks.periods import PERIODS, Period, period_for


class DashboardForm(BoundedForm):
    """The period and scope of a dashboard; an empty form means this month, the whole agency."""

    period = forms.ChoiceField(label=_("Kỳ"), required=False, choices=PERIOD_CHOICES)
    scope = forms.ChoiceField(
        label=_("Phạm vi"),
        required=False,
        choices=[("agency", _("Toàn cơ quan")), ("supervised", _("Đơn vị tôi phụ trách")), ("unit", _("Một đơn vị"))],
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), with_scope: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
        self.fields["to"] = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
        self.fields["unit"].choices = [("", _("Chọn đơn vị")), *[(u.pk, u.name) for u in units]]
        self.fields["period"].initial = "month"  # what an empty form counts, so what its box shows
        if not with_scope:
            del self.fields["scope"], self.fields["unit"]

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            check_range(self, data.get("from"), data.get("to"), required=True)
        if data.get("scope") == "unit" and not data.get("unit"):
            self.add_error("unit", _("Hãy chọn đơn vị."))
        return data

    def choice(self, today: date) -> tuple[Period, str, int | None]:
        """The period, scope and unit asked for; this month and the whole agency if the form is invalid.

        The form then shows what is counted: its boxes are set to the period, scope and unit
        chosen (an invalid or partial query is shown as the default it fell back to, with its
        errors), so the period box never says «Tuần này» over figures of «Tháng này».
        """
        data = self.cleaned_data if self.is_valid() else {}
        period = period_for(data.get("period") or "month", today, data.get("from"), data.get("to"))
        scope = data.get("scope") or "agency"
        unit = data.get("unit") if scope == "unit" else None
        self._show(period, scope, unit)
        return period, scope, unit

    def _show(self, period: Period, scope: str, unit: int | None) -> None:
        """Make the bound boxes show the period, scope and unit counted (errors already collected)."""
        if not self.is_bound:
            return
        shown = self.data.copy()
        shown["period"] = period.kind
        custom = period.kind == "custom"
        shown["from"] = period.start.isoformat() if custom else ""
        shown["to"] = period.end.isoformat() if custom else ""
        if "scope" in self.fields:
            shown["scope"], shown["unit"] = scope, unit or ""
        self.data = shown


class PeriodForm(BoundedForm):
    """The period of a report: this week, month, quarter or year, or a range of days."""

    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=[], required=False)
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateWidget())
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateWidget())
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None, required=False, empty_label=None)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(PERIODS.items())
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError(_("Hãy chọn cả ngày bắt đầu và ngày kết thúc."))
            if start > end:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data


class RegisterForm(BoundedForm):
    """Which register of Decree 30 Appendix IV, over which period (both days included)."""

    kind = forms.ChoiceField(
        label=_("Sổ"),
        choices=[(kind, register.name) for kind, register in REGISTERS.items()],
    )
    start = forms.DateField(label=_("Từ ngày"), widget=DateWidget())
    end = forms.DateField(label=_("Đến ngày"), widget=DateWidget())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                period_check(data["start"], data["end"])
            except DomainError as error:
                self.add_error("end", error.message)
        return data
