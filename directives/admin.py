from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directives import official_pdf
from directives.models import Document, DocumentType, SignerKind, SigningAuthorisation, SigningCertificate
from directives.numbering import numbering_change_refusal
from lib.errors import DomainError
from units.admin import AgencyAdmin, AgencyScopedAdmin
from units.models import Agency
from units.permissions import can_keep_installation_settings


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "abbreviation"]

    def has_delete_permission(self, request, obj=None):
        return False  # types in use by documents stay; retire one with "đang dùng"

    # Every agency numbers and prints with the same types: only an installation administrator changes them.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_keep_installation_settings(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_keep_installation_settings(request.user)


@admin.register(Document)
class DocumentAdmin(AgencyScopedAdmin):
    """Read-only: documents change only through the workflow services, and an issued
    document never changes, so the admin can look but not touch. No object-permission pages:
    a grant on a confidential document is made by ``document_grant``, which records it."""

    list_display = ["symbol", "subject", "doc_type", "direction", "state", "issued_on", "agency"]
    list_filter = ["direction", "state", "doc_type", "agency"]
    list_select_related = ["doc_type", "agency"]
    search_fields = ["symbol", "subject"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SigningCertificateForm(forms.ModelForm):
    """How the agency signs (a PKCS#12 file, a token or HSM key, a remote credential) and its
    seal; the service checks it and re-encrypts a file (the passphrase is not kept)."""

    kind = forms.ChoiceField(label=_("Cách ký"), choices=SignerKind.choices, initial=SignerKind.PKCS12)
    pkcs12_file = forms.FileField(label=_("Tệp chứng thư số (.p12, .pfx)"), required=False)
    passphrase = forms.CharField(label=_("Mật khẩu của tệp"), widget=forms.PasswordInput, required=False)
    token_label = forms.CharField(label=_("Nhãn thiết bị ký số (HSM, USB token)"), required=False, max_length=64)
    key_label = forms.CharField(label=_("Nhãn khóa trên thiết bị"), required=False, max_length=64)
    credential_id = forms.CharField(label=_("Mã tài khoản ký số từ xa"), required=False, max_length=128)
    seal = forms.FileField(label=_("Ảnh con dấu (PNG nền trong suốt, màu đỏ)"), required=False)

    class Meta:
        model = SigningCertificate
        fields = ["agency"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("agency") is not None and not self.errors:
            upload, seal = cleaned.get("pkcs12_file"), cleaned.get("seal")
            try:
                self.instance = official_pdf.signing_certificate_upload(
                    agency=cleaned["agency"],
                    by=self.request_user,
                    kind=cleaned.get("kind") or SignerKind.PKCS12,
                    data=upload.read() if upload else None,
                    passphrase=cleaned.get("passphrase") or "",
                    token_label=cleaned.get("token_label") or "",
                    key_label=cleaned.get("key_label") or "",
                    credential_id=cleaned.get("credential_id") or "",
                    seal=seal.read() if seal else None,
                )
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(AgencyScopedAdmin):
    """An agency's administrator sees and uploads only their own agency's certificate."""

    form = SigningCertificateForm
    list_display = ["agency", "kind", "subject", "issuer", "not_after", "uploaded_by", "uploaded_at"]
    readonly_fields = ["subject", "issuer", "not_after", "uploaded_by", "uploaded_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # saved by the service in the form's clean(), inside the admin's transaction

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(SigningAuthorisation)
class SigningAuthorisationAdmin(AgencyScopedAdmin):
    """Who the agency lets sign «TL.» or «TUQ.», and the title printed under the authority line."""

    list_display = ["user", "authority", "title", "agency", "note"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__full_name", "title"]
    autocomplete_fields = ["user"]


class AgencyNumberingForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = "__all__"  # noqa: DJ007 - the admin lists its fields itself

    def clean_numbering(self):
        """The numbering mode is locked for the year once a number is used (directives.numbering)."""
        value = self.cleaned_data["numbering"]
        if self.instance.pk:
            refusal = numbering_change_refusal(agency=Agency.objects.get(pk=self.instance.pk), numbering=value)
            if refusal:
                raise ValidationError(refusal)
        return value


# The agency's numbering mode is a rule of documents, so its check lives here, above units.
admin.site.unregister(Agency)


@admin.register(Agency)
class AgencyWithNumberingAdmin(AgencyAdmin):
    form = AgencyNumberingForm
