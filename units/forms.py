from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedForm
from units.channels import channels
from units.importing import MAX_FILE_BYTES, MAX_ROWS
from units.models import NotificationDelivery, NotificationMute, User
from units.notifications import KINDS
from units.permissions import agencies_managed_by
from units.selectors import DeliveryFilters


class PeopleImportForm(BoundedForm):
    agency = forms.ModelChoiceField(queryset=None, label=_("Nhập vào cơ quan"), empty_label=None)
    file = forms.FileField(
        label=_("Tệp CSV hoặc XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, chưa ghi"),
        required=False,
        help_text=_("Báo lỗi và số đơn vị, cán bộ sẽ nhập mà không thay đổi dữ liệu."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_managed_by(user)
        # Formatted here, not at import time, so the text follows the language of the request.
        self.fields["file"].help_text = gettext(
            "Tối đa %(size)s MB và %(rows)s dòng. Tệp có lỗi ở bất kỳ dòng nào sẽ không được nhập."
        ) % {"size": MAX_FILE_BYTES // 2**20, "rows": MAX_ROWS}
        if user.agency_id:
            self.fields["agency"].initial = user.agency_id


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }


# The settings page groups the kinds by what they are about; a kind not listed here goes under "Khác".
KIND_GROUPS = [
    (_("Nhắc việc"), ("reminder_", "weekly_digest")),
    (_("Văn bản"), ("document_", "incoming_")),
    (_("Nhiệm vụ"), ("task_", "extension_")),
]


class NotificationSettingsForm(BoundedForm):
    """One checkbox per kind of notice and channel: checked to receive it that way, unchecked to mute it.

    The in-app list is not a choice: every notice is always there.
    """

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channels = list(channels().values())
        muted = set(NotificationMute.objects.filter(user=user).values_list("kind", "channel"))
        for kind, label in KINDS.items():
            for channel in self.channels:
                self.fields[self._name(channel.name, kind)] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=(kind, channel.name) not in muted,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{label} — {channel.label}"}),
                )

    @staticmethod
    def _name(channel: str, kind: str) -> str:
        return f"{channel}__{kind}"

    def groups(self) -> list[tuple[str, list[tuple[str, list[forms.BoundField]]]]]:
        """(group label, [(kind label, [one bound checkbox per channel])]) in the order of KINDS."""
        grouped: dict[str, list] = {str(label): [] for label, _prefixes in KIND_GROUPS}
        other = gettext("Khác")
        for kind, label in KINDS.items():
            group = next((str(g) for g, prefixes in KIND_GROUPS if kind.startswith(prefixes)), other)
            row = (label, [self[self._name(channel.name, kind)] for channel in self.channels])
            grouped.setdefault(group, []).append(row)
        return [(group, rows) for group, rows in grouped.items() if rows]

    def muted_kinds(self, channel: str) -> list[str]:
        return [kind for kind in KINDS if not self.cleaned_data[self._name(channel, kind)]]


class DeliveryLogFilterForm(BoundedForm):
    person = forms.CharField(label=_("Cán bộ"), required=False, max_length=150)
    task = forms.IntegerField(label=_("Mã nhiệm vụ"), required=False, min_value=1)
    state = forms.ChoiceField(
        label=_("Kết quả"), required=False, choices=[("", _("Tất cả"))] + NotificationDelivery.State.choices
    )
    kind = forms.ChoiceField(label=_("Loại thông báo"), required=False, choices=[])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", gettext("Tất cả"))] + list(KINDS.items())

    def filters(self) -> DeliveryFilters:
        """The filters that were valid; an invalid one (a task id that is not a number) filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        return DeliveryFilters(
            person=(data.get("person") or "").strip(),
            task=data.get("task"),
            state=data.get("state") or "",
            kind=data.get("kind") or "",
        )
