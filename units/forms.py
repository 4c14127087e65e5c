from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedForm
from units.importing import MAX_FILE_BYTES, MAX_ROWS
from units.models import User
from units.permissions import agencies_managed_by


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
