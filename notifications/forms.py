from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedForm
from notifications.channels import channels
from notifications.models import NotificationDelivery, NotificationMute
from notifications.selectors import DeliveryFilters, daily_digest_wanted
from notifications.services import KINDS
from units.models import User

# Kinds a person subscribes to with their own switch rather than muting by channel.
SUBSCRIBED_KINDS = {"daily_digest"}

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

    daily_digest = forms.BooleanField(
        label=_("Bản tin việc hằng ngày"),
        required=False,
        help_text=_(
            "Mỗi sáng ngày làm việc (7 giờ): nhiệm vụ của bạn quá hạn, đến hạn hôm nay và trong hai ngày làm việc "
            "tới. Không có việc thì không gửi."
        ),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channels = list(channels().values())
        self.fields["daily_digest"].initial = daily_digest_wanted(user)
        muted = set(NotificationMute.objects.filter(user=user).values_list("kind", "channel"))
        for kind, label in KINDS.items():
            if kind in SUBSCRIBED_KINDS:
                continue
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
            if kind in SUBSCRIBED_KINDS:
                continue
            group = next((str(g) for g, prefixes in KIND_GROUPS if kind.startswith(prefixes)), other)
            row = (label, [self[self._name(channel.name, kind)] for channel in self.channels])
            grouped.setdefault(group, []).append(row)
        return [(group, rows) for group, rows in grouped.items() if rows]

    def muted_kinds(self, channel: str) -> list[str]:
        return [
            kind for kind in KINDS if kind not in SUBSCRIBED_KINDS and not self.cleaned_data[self._name(channel, kind)]
        ]


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
