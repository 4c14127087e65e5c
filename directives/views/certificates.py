"""The profile page where a leader keeps how they sign (docs/pdf.md, "Signers")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from directives import certificates
from directives.models import PersonalCertificate, SignerKind
from directives.permissions import can_manage_personal_certificate
from lib.errors import DomainError
from units.models import User


class PersonalCertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Cách ký"), choices=SignerKind.choices, initial=SignerKind.PKCS12)
    pkcs12_file = forms.FileField(label=_("Tệp chứng thư số (.p12, .pfx)"), required=False)
    passphrase = forms.CharField(
        label=_("Mật khẩu của tệp"), widget=forms.PasswordInput, required=False, max_length=200, strip=False
    )
    token_label = forms.CharField(label=_("Nhãn thiết bị ký số (USB token, HSM)"), required=False, max_length=64)
    key_label = forms.CharField(label=_("Nhãn khóa trên thiết bị"), required=False, max_length=64)
    credential_id = forms.CharField(label=_("Mã tài khoản ký số từ xa"), required=False, max_length=128)
    image = forms.FileField(label=_("Ảnh chữ ký (PNG nền trong suốt, màu xanh)"), required=False)


def _person(request, user_pk: int | None) -> User:
    """The person whose certificate the page is about; 404 for anyone who may not keep it."""
    person = request.user if user_pk is None else get_object_or_404(User, pk=user_pk, is_active=True)
    if not can_manage_personal_certificate(request.user, person):
        raise Http404
    return person


@login_required
def personal_certificate(request, user_pk: int | None = None):
    """Show and change how ``person`` signs: their own page, or an administrator's for them."""
    person = _person(request, user_pk)
    if request.method == "POST" and request.POST.get("remove"):
        if certificates.personal_certificate_remove(user=person, by=request.user):
            messages.success(request, _("Đã gỡ chứng thư số. Văn bản sẽ chỉ có chữ ký số của cơ quan."))
        return redirect(request.path)
    form = PersonalCertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, image = form.cleaned_data["pkcs12_file"], form.cleaned_data["image"]
        try:
            certificates.personal_certificate_save(
                user=person,
                by=request.user,
                kind=form.cleaned_data["kind"],
                data=upload.read() if upload else None,
                passphrase=form.cleaned_data["passphrase"],
                token_label=form.cleaned_data["token_label"],
                key_label=form.cleaned_data["key_label"],
                credential_id=form.cleaned_data["credential_id"],
                image=image.read() if image else None,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu chứng thư số."))
            return redirect(request.path)
    if form.errors and request.FILES:
        # Unlike other forms' files (lib.staged_uploads), a private key never waits in a staging folder.
        form.add_error(None, _("Vì an toàn, tệp đã chọn và mật khẩu không được giữ lại: hãy chọn lại tệp khi lưu lại."))
    record = PersonalCertificate.objects.filter(user=person).first()
    status = 400 if form.errors else 200
    return render(
        request,
        "directives/personal_certificate.html",
        {"form": form, "person": person, "record": record, "has_image": bool(record and record.image)},
        status=status,
    )
