"""Input serializers answer every field error in Vietnamese."""

from django.utils import translation
from rest_framework import serializers

from lib.api import InputSerializer


class Sample(InputSerializer):
    kind = serializers.ChoiceField(choices=[("a", "A")])
    count = serializers.IntegerField(max_value=5)
    name = serializers.CharField(max_length=3)
    items = serializers.ListField(child=serializers.IntegerField(), required=False)
    note = serializers.CharField(error_messages={"max_length": "Ghi chú riêng."}, max_length=1, required=False)


def errors(data):
    with translation.override("vi"):
        form = Sample(data=data)
        assert not form.is_valid()
        return {name: str(messages[0]) for name, messages in form.errors.items()}


def test_field_errors_missing_from_drfs_catalogue_are_vietnamese():
    assert errors({"kind": "b", "count": 9, "name": "abcd"}) == {
        "kind": "«b» không phải là lựa chọn hợp lệ.",
        "count": "Phải nhỏ hơn hoặc bằng 5.",
        "name": "Không được dài quá 3 ký tự.",
    }
    assert errors({"kind": "a", "count": "x", "name": "a"}) == {"count": "Cần một số nguyên."}


def test_a_message_given_to_the_field_is_kept():
    assert errors({"kind": "a", "count": 1, "name": "a", "note": "dài"}) == {"note": "Ghi chú riêng."}


def test_a_body_that_is_not_an_object_is_refused_in_vietnamese():
    with translation.override("vi"):
        form = Sample(data=["x"])
        assert not form.is_valid()
        assert str(form.errors["non_field_errors"][0]) == "Cần một đối tượng JSON, không phải list."
