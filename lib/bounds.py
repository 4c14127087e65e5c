"""The range of values the portal accepts for integers and dates in any input.

An id past 64 bits cannot be stored or even compared by SQLite; a date such as 0001-01-01 or
9999-12-31 overflows the first date arithmetic (a deadline in working days, a period's end).
Inputs are bounded where they are parsed (``lib.api`` for the API, ``lib.forms`` for pages),
so such values are a field error, not a crash.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

INTEGER_MAX = 2**63 - 1
INTEGER_MIN = -(2**63)
# Documents of the province start long after 1900; no deadline or period reaches past 2100.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)


def date_range_message() -> str:
    return _("Ngày phải trong khoảng từ %(start)s đến %(end)s.") % {
        "start": date_format(DATE_MIN, "d/m/Y"),
        "end": date_format(DATE_MAX, "d/m/Y"),
    }
