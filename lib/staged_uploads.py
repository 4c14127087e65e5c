"""Keeping accepted uploads across a form that failed validation.

A file that passed ``upload_check`` is saved at once under ``staging/`` in MEDIA_ROOT with a
random name; the page carries a signed token for it in a hidden field and shows
«Đã giữ tệp: tên tệp» with a box to remove it. When the form finally saves, the service
stores the staged file like any checked upload (``StagedUpload.as_file``) and the staged copy
is deleted after the commit. Tokens are signed with SECRET_KEY, bound to the person who
uploaded and expire after ``UPLOAD_STAGING_HOURS``; ``uploads_staging_clean`` (a command and a
beat job) deletes what was never adopted.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from lib.uploads import KINDS, CheckedUpload, FileKind, UploadRefused, allowed_kinds, upload_check

STAGING = "staging"
_SALT = "lib.staged_uploads"


@dataclass
class StagedUpload:
    """A checked file waiting under staging/ for its form to be saved."""

    token: str
    path: str
    original_name: str
    kind: FileKind
    size: int
    sha256: str

    def as_file(self) -> File:
        file = default_storage.open(self.path, "rb")
        # Deleted once the adopting transaction commits; if it rolls back the form can try again.
        transaction.on_commit(lambda: default_storage.delete(self.path))
        return File(file, name=f"upload{self.kind.extension}")


def upload_stage(checked: CheckedUpload, *, owner_id: int) -> StagedUpload:
    """Save a checked upload under staging/ and answer it with its token."""
    path = default_storage.save(f"{STAGING}/{uuid.uuid4().hex}{checked.kind.extension}", checked.as_file())
    payload = {
        "p": path,
        "n": checked.original_name,
        "k": checked.kind.code,
        "s": checked.size,
        "h": checked.sha256,
        "u": owner_id,
    }
    token = signing.dumps(payload, salt=_SALT, compress=True)
    return StagedUpload(token, path, checked.original_name, checked.kind, checked.size, checked.sha256)


def staged_read(token: str, *, owner_id: int) -> StagedUpload | None:
    """The staged upload of a token the same person was given, or None (forged, expired, cleaned)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=timedelta(hours=settings.UPLOAD_STAGING_HOURS))
    except signing.BadSignature:
        return None
    if data.get("u") != owner_id or data.get("k") not in KINDS or not default_storage.exists(data["p"]):
        return None
    return StagedUpload(token, data["p"], data["n"], KINDS[data["k"]], data["s"], data["h"])


def uploads_staging_clean(*, older_than: timedelta | None = None) -> int:
    """Delete staged files older than the tokens' lifetime; answer how many were deleted."""
    older_than = older_than if older_than is not None else timedelta(hours=settings.UPLOAD_STAGING_HOURS)
    limit = timezone.now() - older_than
    try:
        _folders, names = default_storage.listdir(STAGING)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{STAGING}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
            deleted += 1
    return deleted


def upload_help_text(allowed=None) -> str:
    """What the file inputs say under them: the kinds accepted and the size limit."""
    return gettext("Nhận tệp %(kinds)s, tối đa %(limit)s mỗi tệp.") % {
        "kinds": ", ".join(kind.label for kind in allowed_kinds(allowed)),
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }


_help_text = lazy(upload_help_text, str)


@dataclass
class _Submitted:
    files: list
    tokens: list[str]
    removed: set[str]


class StagedUploadsWidget(forms.ClearableFileInput):
    """A file input (several files) plus the files already staged, each with a box to remove it."""

    template_name = "django/forms/widgets/file.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None, *, multiple: bool = True) -> None:
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.staged: list[StagedUpload] = []
        self.allowed = None

    def value_from_datadict(self, data, files, name):
        return _Submitted(
            files=files.getlist(name) if hasattr(files, "getlist") else [],
            tokens=data.getlist(f"{name}__staged") if hasattr(data, "getlist") else [],
            removed=set(data.getlist(f"{name}__remove")) if hasattr(data, "getlist") else set(),
        )

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        # A hint for the browser's file picker only; the server decides by the bytes.
        accept = ",".join(kind.extension for kind in allowed_kinds(self.allowed))
        context["widget"]["attrs"].setdefault("accept", accept)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The staged files first («Đã giữ tệp: …», a hidden token, a box to remove), then the input."""
        attached, remove = gettext("Đã giữ tệp:"), gettext("Bỏ tệp này")
        rows = format_html_join(
            "",
            '<li class="d-flex align-items-center gap-2" data-testid="staged-upload">'
            '<input type="hidden" name="{}__staged" value="{}">'
            '<span class="me-auto text-break">{} <strong>{}</strong></span>'
            '<label class="small text-nowrap"><input type="checkbox" class="form-check-input me-1" '
            'name="{}__remove" value="{}">{}</label></li>',
            (
                (name, staged.token, attached, staged.original_name, name, staged.token, remove)
                for staged in self.staged
            ),
        )
        listed = format_html('<ul class="list-unstyled small mb-2">{}</ul>', rows) if self.staged else ""
        return format_html("{}{}", listed, super().render(name, value, attrs, renderer))


class StagedUploadsField(forms.Field):
    """Uploaded files, each checked by ``upload_check``; accepted ones are staged so a failed form keeps them.

    Cleans to a list of StagedUpload (one at most when ``multiple`` is False). The form must set
    ``owner_id`` (the person uploading) before validation. A refused file is named in the error;
    the files accepted alongside it stay attached.
    """

    default_error_messages = {"required": gettext_lazy("Hãy đính kèm tệp.")}

    def __init__(self, *, multiple: bool = True, allowed=None, **kwargs) -> None:
        kwargs.setdefault("widget", StagedUploadsWidget(multiple=multiple))
        kwargs.setdefault("help_text", _help_text(allowed))
        super().__init__(**kwargs)
        self.widget.allowed = allowed
        self.multiple, self.allowed, self.owner_id = multiple, allowed, None

    def clean(self, value):
        if not isinstance(value, _Submitted):
            value = _Submitted(files=[], tokens=[], removed=set())
        kept = []
        for token in dict.fromkeys(value.tokens):
            staged = None if token in value.removed else staged_read(token, owner_id=self.owner_id)
            if staged is not None:
                kept.append(staged)
        errors = []
        for upload in value.files:
            try:
                checked = upload_check(upload, allowed=self.allowed)
            except UploadRefused as refused:
                errors.append(refused.message)
                continue
            kept.append(upload_stage(checked, owner_id=self.owner_id))
        if not self.multiple and len(kept) > 1:
            kept = kept[-1:]  # a new file replaces the one staged before
        self.widget.staged = kept
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not kept:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return kept

    def has_changed(self, initial, data):
        return bool(data.files or data.tokens) if isinstance(data, _Submitted) else False


class CheckedFilesField(forms.FileField):
    """Several files, each checked by ``upload_check``; cleans to a list of CheckedUpload.

    For forms whose page cannot carry staged files back (the task actions redirect): a refused
    file is named in the error, and the page says the files must be attached again.
    """

    def __init__(self, *, allowed=None, **kwargs) -> None:
        kwargs.setdefault("widget", StagedUploadsWidget())
        kwargs.setdefault("help_text", _help_text(allowed))
        super().__init__(**kwargs)
        self.widget.allowed = allowed
        self.allowed = allowed

    def clean(self, data, initial=None):
        uploads = data.files if isinstance(data, _Submitted) else [data] if data else []
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(upload_check(upload, allowed=self.allowed))
            except UploadRefused as refused:
                errors.append(refused.message)
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not checked:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return checked
