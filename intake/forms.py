"""Forms of reading a received document: the file or text, the register form it fills, the
proposed tasks of the routing page. They parse and validate; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directives.forms import IncomingForm
from tasks.forms import BasePointFormSet, PointForm
from units.models import User


class ReadForm(forms.Form):
    """«Đọc văn bản»: the received file, or its text pasted from the e-mail or web page."""

    file = forms.FileField(
        label=_("Tệp văn bản nhận được"),
        required=False,
        help_text=_("PDF, Word (.docx, .doc), ảnh chụp hoặc bản quét, hay tệp chữ (.txt)."),
    )
    text = forms.CharField(
        label=_("hoặc dán nội dung văn bản"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("Dán toàn bộ văn bản, kể cả phần đầu và nơi nhận…")}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Hãy chọn tệp văn bản hoặc dán nội dung văn bản."))
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError(_("Chọn tệp hoặc dán nội dung, không chọn cả hai."))
        return data


class RegisterForm(IncomingForm):
    """The incoming register form filled from a reading: the sender may be one to create."""

    new_sender = forms.BooleanField(label=_("Thêm cơ quan gửi mới"), required=False)
    new_sender_name = forms.CharField(label=_("Tên cơ quan gửi mới"), max_length=255, required=False)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["file"]  # the reading's own file is attached
        self.fields["sender"].required = False

    def clean(self):
        data = super().clean()
        if data.get("sender") is None and "sender" not in self.errors:
            if not data.get("new_sender"):
                self.add_error(
                    "sender", _("Hãy chọn cơ quan gửi trong danh sách, hoặc đánh dấu «Thêm cơ quan gửi mới».")
                )
            elif not (data.get("new_sender_name") or "").strip():
                self.add_error("new_sender_name", _("Hãy ghi tên cơ quan gửi mới."))
        return data

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("confirm_duplicate", "new_sender")}
        if data["sender"] is not None:
            data["new_sender_name"] = ""
        return data


RECURRENCES = {
    "weekly": _("hằng tuần"),
    "monthly": _("hằng tháng"),
    "quarterly": _("hằng quý"),
    "half-yearly": _("định kỳ 6 tháng"),
    "yearly": _("hằng năm"),
}


class ProposalForm(PointForm):
    """One proposed task on the routing page: ticked to give it, unticked to drop it."""

    accept = forms.BooleanField(label=_("Giao nhiệm vụ này"), required=False)
    # What the document says about a recurrence the «Kỳ báo cáo» choice could not take (six-monthly,
    # yearly, or beside a deadline): carried through the post only to show the hint again.
    recurrence = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def recurrence_hint(self) -> str:
        value = self["recurrence"].value() or ""
        if value not in RECURRENCES:
            return ""
        return _("Văn bản ghi: %(recurrence)s — chọn hạn hoặc kỳ báo cáo phù hợp.") % {"recurrence": RECURRENCES[value]}

    def is_blank(self) -> bool:
        if self.is_bound and not self.data.get(self.add_prefix("accept")):
            return True
        return super().is_blank()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.is_blank() and not self.data.get(self.add_prefix("accept")):
            self._errors = forms.utils.ErrorDict()  # a dropped row is not checked at all


class BaseProposalFormSet(BasePointFormSet):
    def clean(self):
        """Routing without any task from the points is allowed: the direction note is the task."""


ProposalFormSet = forms.formset_factory(ProposalForm, formset=BaseProposalFormSet, extra=0)
