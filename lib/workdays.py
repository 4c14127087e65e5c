"""Working days, time limits and "today" in Vietnam.

Pure functions over a ``Calendar`` value: no database access here. The table of holidays
and swapped working days lives in the ``tasks`` app (``tasks.calendar.calendar_current``
builds the ``Calendar`` from it); this module only applies the rules:

- Saturday and Sunday are the weekly rest days of state bodies;
- a public holiday, a compensatory day off (nghỉ bù) or a swapped day off is not a working day;
- a swapped working day (ngày làm bù, usually a Saturday) is a working day;
- a limit counted in days starts the day after the event (Civil Code 2015, art. 147);
- a limit counted in calendar days whose last day is not a working day ends on the next
  working day (art. 148);
- a day ends at 24:00, i.e. 23:59:59.999999 Asia/Ho_Chi_Minh.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class Calendar:
    """Which days are not worked beyond weekends, and which weekend days are.

    ``holidays`` are days off (public holidays, compensatory and swapped days off; one on a
    weekend changes nothing); ``working_days`` are weekend days declared working days
    (ngày làm bù). A day cannot be both. ``Calendar()`` knows weekends only.
    """

    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        both = self.holidays & self.working_days
        if both:
            raise ValueError(f"days both off and worked: {sorted(both)}")

    def is_working_day(self, day: date) -> bool:
        """Return whether ``day`` is worked: a weekday that is no holiday, or a swapped working day."""
        if day in self.holidays:
            return False
        return day in self.working_days or day.weekday() < _SATURDAY

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """Return the last working day strictly before ``day``."""
        day -= _ONE_DAY
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """Return the day on which a limit of ``n`` working days from the event on ``start`` ends.

        Counting starts the day after ``start``, whether or not ``start`` is itself a working
        day: n=1 from a Friday before a normal weekend is the next Monday. n=0 returns
        ``start`` unchanged. A negative ``n`` counts back: n=-1 is the last working day before
        ``start``. The result is always a working day when n ≠ 0.
        """
        day = start
        for _ in range(abs(n)):
            day = self.next_working_day(day) if n > 0 else self.previous_working_day(day)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Return the number of working days after ``a`` up to and including ``b``.

        The inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a, n)) == n``.
        Negative when ``b`` is before ``a``; zero when they are the same day.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a + _ONE_DAY
        while day <= b:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def calendar_limit(self, start: date, days: int) -> date:
        """Return the last day of a limit of ``days`` calendar days from the event on ``start``.

        Civil Code 2015, art. 147-148: counting starts the day after the event, so the limit
        ends on ``start + days``; when that day is a weekend or holiday it ends on the next
        working day instead. ``days`` must not be negative.
        """
        if days < 0:
            raise ValueError("a time limit cannot be negative")
        end = start + timedelta(days=days)
        return end if self.is_working_day(end) else self.next_working_day(end)


def deadline_end(day: date) -> datetime:
    """Return the instant a limit ending on ``day`` runs out: 23:59:59.999999 on that day in Vietnam.

    A day ends at 24:00 (Civil Code 2015, art. 148), so work finished at any moment of the
    last day is on time: it is on time exactly when its completion time is ≤ this value.
    """
    return datetime.combine(day, time.max, tzinfo=VIETNAM_TZ)


def local_now() -> datetime:
    """Return the current time in Asia/Ho_Chi_Minh, aware.

    Independent of the time zone activated for the request, so a deadline never shifts
    with the reader's settings.
    """
    return timezone.now().astimezone(VIETNAM_TZ)


def local_today() -> date:
    """Return today's date in Vietnam: the one "today" deadlines, reminders and numbering years use."""
    return local_now().date()
