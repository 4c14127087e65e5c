from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit import registry
from audit.models import AuditRecord
from audit.selectors import TrailFilters
from lib.forms import DateWidget
from units.models import User
from units.permissions import is_installation_administrator

# Dates before this cannot hold a record and would overflow some date arithmetic.
EARLIEST = date(2000, 1, 1)
LATEST = date(9998, 12, 31)


class TrailFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Người thực hiện"), queryset=User.objects.none(), required=False, empty_label=_("Tất cả")
    )
    object_type = forms.ChoiceField(label=_("Loại đối tượng"), required=False, choices=[])
    object_id = forms.IntegerField(label=_("Mã đối tượng"), required=False, min_value=1, max_value=2**63 - 1)
    action = forms.ChoiceField(
        label=_("Thao tác"), required=False, choices=[("", _("Tất cả")), *AuditRecord.Action.choices]
    )
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateWidget())
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateWidget())

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.order_by("full_name", "username")
        if not is_installation_administrator(user):
            people = people.filter(agency_id=user.agency_id)
        self.fields["person"].queryset = people
        self.fields["object_type"].choices = [("", gettext("Tất cả")), *registry.registered_types()]

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day is not None and not (EARLIEST <= day <= LATEST):
                self.add_error(name, gettext("Ngày phải trong khoảng 01/01/2000 đến 31/12/9998."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", gettext("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def filters(self) -> TrailFilters | None:
        """The filters, or None when one is invalid (the page then says why and lists nothing)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return TrailFilters(
            person=data.get("person"),
            object_type=data.get("object_type") or "",
            object_id=str(data["object_id"]) if data.get("object_id") else "",
            action=data.get("action") or "",
            start=data.get("start"),
            end=data.get("end"),
        )
