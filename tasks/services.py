"""Every write to the tasks app's tables goes through these functions."""

from collections.abc import Iterable

from django.db import transaction

from lib.errors import NotAllowed
from lib.vn_holidays import holidays_for_year
from tasks.calendar import calendar_invalidate
from tasks.models import Holiday, HolidayYear
from units.models import User


def _check_may_edit_calendar(by: User, action: str) -> None:
    if not by.has_perm(f"tasks.{action}_holiday"):
        raise NotAllowed("Bạn không có quyền sửa lịch ngày nghỉ.")


def holidays_preload(*, years: Iterable[int]) -> list[int]:
    """Load the public holidays the law sets for each of ``years`` not loaded before; return the years loaded.

    Idempotent: a year is loaded once and remembered (``HolidayYear``), so a second run
    changes nothing, and a row the administrator edited, moved or deleted afterwards stays
    as they left it. A date that already has a row (a swapped day entered before the load)
    keeps it. Each year is loaded in its own transaction: all its rows or none.
    """
    loaded = []
    for year in sorted(set(years)):
        with transaction.atomic():
            _year, created = HolidayYear.objects.get_or_create(year=year)
            if not created:
                continue
            taken = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
            rows = [
                Holiday(date=day, name=name, kind=Holiday.Kind.HOLIDAY, origin=Holiday.Origin.LAW)
                for day, name in holidays_for_year(year)
                if day not in taken
            ]
            for row in rows:
                row.full_clean(validate_unique=False, validate_constraints=False)
            # The unique date constraint is the backstop if two loads of the same year race.
            Holiday.objects.bulk_create(rows)
            transaction.on_commit(calendar_invalidate)
        loaded.append(year)
    return loaded


@transaction.atomic
def holiday_save(*, holiday: Holiday, by: User) -> Holiday:
    """Create or change one day of the calendar as the administrator ``by``.

    The row becomes the administrator's (a later load never overwrites it) and deadlines
    computed after the commit use it.
    """
    _check_may_edit_calendar(by, "change" if holiday.pk else "add")
    holiday.origin = Holiday.Origin.ADMINISTRATOR
    holiday.full_clean()
    holiday.save()
    transaction.on_commit(calendar_invalidate)
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, by: User) -> None:
    """Remove one day from the calendar as the administrator ``by``; a later load does not bring it back."""
    _check_may_edit_calendar(by, "delete")
    holiday.delete()
    transaction.on_commit(calendar_invalidate)
