"""Input serializers whose every error message is Vietnamese.

DRF's Vietnamese catalogue translates only some field errors ("Trường này là
bắt buộc." yes, '"x" is not a valid choice.' no), so an API client would get a
mix. ``InputSerializer`` fills in the missing ones on each of its fields; a
message given to a field explicitly is kept.
"""

from functools import cached_property

from django.core import validators
from django.core.paginator import InvalidPage
from django.utils.translation import gettext, gettext_lazy
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.formatting import lazy_format

from lib.bounds import DATE_MAX, DATE_MIN, INTEGER_MAX, INTEGER_MIN, date_range_message

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


def _bounded(field: serializers.Field) -> None:
    """Keep every integer within 64 bits and every date within DATE_MIN..DATE_MAX, so a value
    the database or date arithmetic cannot hold is a field error (400), never a crash (500)."""
    if isinstance(field, serializers.ListField):
        _bounded(field.child)
    if isinstance(field, serializers.IntegerField):
        for attribute, limit, validator in (
            ("max_value", INTEGER_MAX, validators.MaxValueValidator),
            ("min_value", INTEGER_MIN, validators.MinValueValidator),
        ):
            if getattr(field, attribute) is None:
                setattr(field, attribute, limit)  # drf-spectacular reads the attribute for the schema
                message = lazy_format(field.error_messages[attribute], **{attribute: limit})
                field.validators.append(validator(limit, message=message))
    elif isinstance(field, serializers.DateField) and not any(isinstance(v, _DateWithin) for v in field.validators):
        field.validators.append(_DateWithin())


class _DateWithin:
    def __call__(self, value) -> None:
        if not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(date_range_message())


class InputSerializer(serializers.Serializer):
    """Validates request data; its errors (and its fields' errors) are all in Vietnamese, and
    its integers and dates are bounded (``_bounded``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese(self, kwargs.get("error_messages") or {})

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _vietnamese(field, field._kwargs.get("error_messages") or {})
            if isinstance(field, serializers.ListSerializer):
                _vietnamese(field.child, {})
            if isinstance(field, serializers.ListField):
                _vietnamese(field.child, {})
        return fields

    @cached_property
    def fields(self):
        # Here rather than in get_fields, so fields a subclass adds in its own get_fields are bounded too.
        fields = super().fields
        for field in fields.values():
            _bounded(field)
        return fields


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, but a page that is not a number, below 1 or past the last one is a
    field error (400) in Vietnamese rather than DRF's English 404."""

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param) or 1
        if raw in self.last_page_strings:
            raw = paginator.num_pages
        try:
            self.page = paginator.page(raw)
        except InvalidPage:
            raise ValidationError(
                {
                    self.page_query_param: [
                        gettext("Trang «%(page)s» không tồn tại: danh sách có %(pages)s trang.")
                        % {"page": raw, "pages": paginator.num_pages}
                    ]
                }
            ) from None
        self.request = request
        return list(self.page)


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


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown ``?format=`` is a field error (400), not a bare 404."""

    def filter_renderers(self, renderers, format):
        kept = [renderer for renderer in renderers if renderer.format == format]
        if not kept:
            raise ValidationError(
                {
                    "format": [
                        gettext("Dạng «%(format)s» không có: chọn một trong %(choices)s.")
                        % {"format": format, "choices": ", ".join(sorted({r.format for r in renderers}))}
                    ]
                }
            )
        return kept


# The errors any operation can answer whatever its own code says, in the one error shape:
# a bad query string or body (400), no or a bad token (401), a refused right or CSRF check (403),
# an id that matches nothing visible (404), a body too large or of another type (413, 415), a crash (500).
_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "extra": {"type": "object", "additionalProperties": {}}},
    "required": ["message", "extra"],
}
_ERROR_TEXTS = {
    "400": gettext_lazy("Dữ liệu không hợp lệ"),
    "401": gettext_lazy("Chưa đăng nhập hoặc mã truy cập không hợp lệ"),
    "403": gettext_lazy("Không có quyền"),
    "404": gettext_lazy("Không tìm thấy hoặc không có quyền xem"),
    "413": gettext_lazy("Dữ liệu gửi lên quá lớn"),
    "415": gettext_lazy("Kiểu nội dung không được hỗ trợ"),
    "500": gettext_lazy("Lỗi hệ thống"),
}


def error_responses_hook(result, generator, request, public):
    """drf-spectacular postprocessing: name in every operation the errors it can really give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", _ERROR_SCHEMA)
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {"400", "500"}  # 400: any operation takes ?format= (lib.api.ContentNegotiation)
            if operation.get("security", [{}]) != [{}] and "security" in operation:
                codes |= {"401", "403"}
            if "{" in path:
                codes.add("404")
            if method in ("post", "put", "patch"):
                codes |= {"413", "415"}
            for code in sorted(codes):
                operation["responses"].setdefault(code, {"content": reference, "description": str(_ERROR_TEXTS[code])})
    return result
