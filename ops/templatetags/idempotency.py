from django import template
from django.utils.html import format_html

from ops.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def idempotency_field() -> str:
    """A hidden field with a fresh key: submitting this rendered form twice acts once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
