"""The working-day calendar in force, read from the holiday table.

Cache choice: one ``Calendar`` per process, rebuilt with one query when it is older than
``CALENDAR_TTL`` seconds or when a service in this process changed the table (the services
call ``calendar_invalidate`` after their transaction commits). Other processes (other web
workers, Celery) see a change within the TTL. That is enough because holidays and swapped
days are announced months ahead, and it needs no shared cache, which the embedded run does
not have. The table is small (about twenty rows a year), so a rebuild costs one short query.
"""

import time

from lib.workdays import Calendar
from tasks.models import Holiday

CALENDAR_TTL = 300.0

# (monotonic expiry, calendar); replaced whole, so readers in other threads never see half of it.
_cached: tuple[float, Calendar] | None = None


def calendar_current() -> Calendar:
    """Return the calendar of holidays and swapped working days, at most ``CALENDAR_TTL`` seconds old."""
    global _cached
    cached = _cached
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    holidays, working_days = set(), set()
    for day, kind in Holiday.objects.values_list("date", "kind"):
        (working_days if kind == Holiday.Kind.WORKING_DAY else holidays).add(day)
    calendar = Calendar(holidays=frozenset(holidays), working_days=frozenset(working_days))
    _cached = (now + CALENDAR_TTL, calendar)
    return calendar


def calendar_invalidate() -> None:
    """Make the next ``calendar_current`` in this process read the table again."""
    global _cached
    _cached = None
