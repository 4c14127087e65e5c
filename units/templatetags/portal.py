from django import forms, template

from lib.text import shorten as shorten_text

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap's classes, its errors tied to it.

    With errors the widget is marked ``aria-invalid`` and described by the error list
    (``<id>_error``) as well as by its help text (``<id>_helptext``, Django's own id),
    the ids `directives/_field.html` gives them, so a screen reader reads the message.
    """
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": css}
    described_by = [f"{field.auto_id}_helptext"] if field.help_text and field.auto_id else []
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        if field.auto_id:
            described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def label_in(code: str, labels: dict) -> str:
    """The label of ``code`` in ``labels`` (a kind of notice, a channel), or the code itself when unknown."""
    return labels.get(code, code)


DELIVERY_STATE_CSS = {
    "sent": "text-bg-success",
    "failed": "text-bg-danger",
    "pending": "text-bg-warning",
    "sending": "text-bg-info",
    "skipped": "text-bg-secondary",
}


@register.filter
def delivery_state_css(state: str) -> str:
    return DELIVERY_STATE_CSS.get(state, "text-bg-light")


@register.filter
def shorten(text, limit: int) -> str:
    """``truncatechars`` that cuts between words: at most ``limit`` characters ending in "…"."""
    return shorten_text(str(text or ""), int(limit))


@register.filter
def thousands(number: int) -> str:
    """An integer with a dot between thousands, as Vietnamese writes it: 10000 → "10.000"."""
    return f"{int(number):,}".replace(",", ".")
