"""Input serializers whose every error message is Vietnamese.

DRF's Vietnamese catalogue translates only some field errors ("Trường này là
bắt buộc." yes, '"x" is not a valid choice.' no), so an API client would get a
mix. ``InputSerializer`` fills in the missing ones on each of its fields; a
message given to a field explicitly is kept.
"""

from django.core import validators
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

# Checked in order; a field takes the messages of every class it is an instance of.
_MESSAGES: list[tuple[type, dict]] = [
    (
        serializers.Field,
        {"null": gettext_lazy("Trường này không được để trống.")},
    ),
    (
        serializers.IntegerField,
        {
            "invalid": gettext_lazy("Cần một số nguyên."),
            "min_value": gettext_lazy("Phải lớn hơn hoặc bằng {min_value}."),
            "max_value": gettext_lazy("Phải nhỏ hơn hoặc bằng {max_value}."),
            "max_string_length": gettext_lazy("Số quá lớn."),
        },
    ),
    (serializers.BooleanField, {"invalid": gettext_lazy("Cần giá trị true hoặc false.")}),
    (
        serializers.CharField,
        {
            "invalid": gettext_lazy("Cần một chuỗi ký tự."),
            "max_length": gettext_lazy("Không được dài quá {max_length} ký tự."),
            "min_length": gettext_lazy("Cần ít nhất {min_length} ký tự."),
        },
    ),
    (serializers.ChoiceField, {"invalid_choice": gettext_lazy("«{input}» không phải là lựa chọn hợp lệ.")}),
    (
        serializers.FileField,
        {
            "invalid": gettext_lazy("Dữ liệu gửi lên không phải là tệp: hãy gửi dạng multipart/form-data."),
            "max_length": gettext_lazy("Tên tệp không được dài quá {max_length} ký tự."),
        },
    ),
    (serializers.ManyRelatedField, {"not_a_list": gettext_lazy("Cần một danh sách mã, không phải {input_type}.")}),
    (serializers.ListSerializer, {"not_a_list": gettext_lazy("Cần một danh sách, không phải {input_type}.")}),
    (serializers.Serializer, {"invalid": gettext_lazy("Cần một đối tượng JSON, không phải {datatype}.")}),
]


# Length and range checks are validators whose message DRF formats once, in the field's __init__.
_LIMITS = {
    validators.MaxLengthValidator: "max_length",
    validators.MinLengthValidator: "min_length",
    validators.MaxValueValidator: "max_value",
    validators.MinValueValidator: "min_value",
}


def _vietnamese(field: serializers.Field, explicit: dict) -> None:
    for cls, messages in _MESSAGES:
        if isinstance(field, cls):
            field.error_messages.update({k: v for k, v in messages.items() if k not in explicit})
    for validator in field.validators:
        key = _LIMITS.get(type(validator))
        if key and key not in explicit and key in field.error_messages:
            validator.message = lazy_format(field.error_messages[key], **{key: validator.limit_value})


class InputSerializer(serializers.Serializer):
    """Validates request data; its errors (and its fields' errors) are all in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese(self, kwargs.get("error_messages") or {})

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _vietnamese(field, field._kwargs.get("error_messages") or {})
            if isinstance(field, serializers.ListSerializer):
                _vietnamese(field.child, {})
        return fields


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (see ``lib.errors.api_exception_handler``)."""

    message = serializers.CharField()
    extra = serializers.DictField()


def error_responses(*codes: int) -> dict[int, type[ErrorSerializer]]:
    """The error answers an endpoint can give, for ``extend_schema(responses=…)``."""
    return dict.fromkeys(codes, ErrorSerializer)


class CheckedFileField(serializers.FileField):
    """An uploaded file checked by ``lib.uploads.upload_check``; validates to a CheckedUpload.

    A refused file is a field error naming the file, in Vietnamese, before any service runs.
    """

    def __init__(self, *, allowed=None, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)
        self.allowed = allowed

    def to_internal_value(self, data):
        from lib.uploads import UploadRefused, upload_check

        file = super().to_internal_value(data)
        try:
            return upload_check(file, allowed=self.allowed)
        except UploadRefused as refused:
            raise serializers.ValidationError(refused.message) from None
