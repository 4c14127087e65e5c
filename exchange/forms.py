"""The exchange's small forms: the reasons the other side is told, the recipients of a recall.
They parse and validate; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX = 2000


class ReasonForm(forms.Form):
    """A reason sent to the other side; required where the form says so (refusals, a recall)."""

    reason = forms.CharField(label=_("Lý do"), max_length=REASON_MAX, required=False, widget=forms.Textarea)

    def __init__(self, *args, required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.required_message = required_message

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason and self.required_message:
            raise forms.ValidationError(self.required_message, code="required")
        return reason


REFUSE_REASON = _("Hãy ghi lý do từ chối tiếp nhận.")
RECALL_REFUSE_REASON = _("Hãy ghi lý do từ chối trả lại văn bản.")
RECALL_REASON = _("Hãy ghi lý do lấy lại văn bản.")


class RecallRequestForm(ReasonForm):
    """«Yêu cầu lấy lại»: the reason and the recipients asked (those not recalled yet)."""

    to_ids = forms.MultipleChoiceField(
        label=_("Nơi nhận được yêu cầu"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Hãy chọn ít nhất một nơi nhận."),
            "invalid_choice": _("Nơi nhận «%(value)s» không có trong danh sách."),
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, required_message=RECALL_REASON, **kwargs)
        self.fields["to_ids"].choices = choices
