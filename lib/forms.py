"""Forms whose integers, ids and dates are bounded (see ``lib.bounds``).

``BoundedForm`` is ``forms.Form`` whose every field, including those a subclass adds in its
``__init__``, refuses values the database or date arithmetic cannot hold with a field error,
so a page shows the form's message instead of a 500.
"""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.bounds import DATE_MAX, DATE_MIN, INTEGER_MAX, INTEGER_MIN, date_range_message

_TOO_LARGE = _("Số quá lớn.")
_TOO_SMALL = _("Số quá nhỏ.")
_INVALID_ID = _("Mã «%(pk)s» không hợp lệ.")


def _date_within(value) -> None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(date_range_message(), code="date_range")


def _ids_within_range(field: forms.ModelMultipleChoiceField):
    """Refuse out-of-range ids before the field's ``pk__in`` query, which SQLite cannot bind."""
    check = field._check_values

    def checked(value):
        for pk in value or ():
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                continue  # not a number: the field's own check refuses it
            if not INTEGER_MIN <= number <= INTEGER_MAX:
                raise ValidationError(_INVALID_ID, code="invalid_pk_value", params={"pk": pk})
        return check(value)

    return checked


def bound(field: forms.Field) -> None:
    """Add the bounds to one field (once)."""
    if getattr(field, "_bounded", False):
        return
    field._bounded = True
    if isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.validators.append(validators.MaxValueValidator(INTEGER_MAX, message=_TOO_LARGE))
        if field.min_value is None:
            field.validators.append(validators.MinValueValidator(INTEGER_MIN, message=_TOO_SMALL))
    elif isinstance(field, forms.DateField):
        field.validators.append(_date_within)
    elif isinstance(field, forms.ModelMultipleChoiceField):
        field._check_values = _ids_within_range(field)


class BoundedForm(forms.Form):
    def full_clean(self):
        for field in self.fields.values():
            bound(field)
        super().full_clean()


def form_status(form: forms.Form) -> int:
    """The status of a page that shows ``form``: 400 when the request's own input was refused
    (the page still shows, with the form's messages), 200 otherwise."""
    return 400 if form.is_bound and not form.is_valid() else 200


# --- Widgets people expect (docs/decisions.md, "Widgets") ----------------------------------
# Each is a plain HTML control that posts the same data without scripts; static/js/app.js
# enhances it (flatpickr, Tom Select) when scripts run.

DATE_DISPLAY_FORMAT = "%d/%m/%Y"


class DateWidget(forms.DateInput):
    """A day typed or picked as dd/mm/yyyy, whatever the browser's language.

    A text input (not ``type=date``, whose shape follows the browser's locale), enhanced by
    flatpickr with its Vietnamese locale. The server reads dd/mm/yyyy and ISO (DATE_INPUT_FORMATS).
    """

    def __init__(self, attrs=None, format=None):
        defaults = {
            "data-datepicker": "",
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "inputmode": "numeric",
        }
        super().__init__({**defaults, **(attrs or {})}, format=format or DATE_DISPLAY_FORMAT)


class MultiSelectWidget(forms.SelectMultiple):
    """A multi-select that becomes a searchable list with chips (Tom Select).

    ``select_all`` names a button «Tất cả …» that picks every option at once.
    """

    def __init__(self, attrs=None, choices=(), *, select_all: str | None = None):
        defaults = {"data-multiselect": "", "size": 6}
        super().__init__({**defaults, **(attrs or {})}, choices)
        self.select_all = select_all

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.select_all:
            context["widget"]["attrs"]["data-select-all"] = str(self.select_all)
        return context


ALL_UNITS = _("Tất cả đơn vị thuộc Sở")


def units_widget() -> MultiSelectWidget:
    """The searchable multi-select of an agency's units, with «Tất cả đơn vị thuộc Sở»."""
    return MultiSelectWidget(select_all=ALL_UNITS)
