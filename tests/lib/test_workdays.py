from datetime import UTC, date, datetime, timedelta

import time_machine

from lib.vn_holidays import holidays_for_year
from lib.workdays import VIETNAM_TZ, Calendar, deadline_end, local_now, local_today

WEEKENDS_ONLY = Calendar()
CALENDAR_2026 = Calendar(holidays=frozenset(day for day, _name in holidays_for_year(2026)))


def test_weekdays_are_working_days_and_weekends_are_not():
    assert WEEKENDS_ONLY.is_working_day(date(2025, 6, 6))  # Friday
    assert not WEEKENDS_ONLY.is_working_day(date(2025, 6, 7))  # Saturday
    assert not WEEKENDS_ONLY.is_working_day(date(2025, 6, 8))  # Sunday


def test_one_working_day_from_a_friday_is_the_next_monday():
    assert WEEKENDS_ONLY.add_working_days(date(2025, 6, 6), 1) == date(2025, 6, 9)


def test_counting_starts_the_day_after_the_event():
    """An event on Monday with a limit of one working day ends on Tuesday, not Monday."""
    assert WEEKENDS_ONLY.add_working_days(date(2025, 6, 2), 1) == date(2025, 6, 3)


def test_an_event_on_a_weekend_counts_from_the_next_working_day():
    assert WEEKENDS_ONLY.add_working_days(date(2025, 6, 7), 1) == date(2025, 6, 9)


def test_zero_working_days_returns_the_start_even_on_a_weekend():
    assert WEEKENDS_ONLY.add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 7)


def test_negative_working_days_count_back():
    assert WEEKENDS_ONLY.add_working_days(date(2025, 6, 9), -1) == date(2025, 6, 6)


def test_working_days_skip_the_tet_week():
    """Thursday 12 Feb 2026 + 3 working days: Fri 13, then Tết (16-20 Feb) and two weekends."""
    assert CALENDAR_2026.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)


def test_a_swapped_saturday_counts_as_a_working_day():
    saturday = date(2025, 6, 7)
    calendar = Calendar(working_days=frozenset({saturday}))
    assert calendar.is_working_day(saturday)
    assert calendar.add_working_days(date(2025, 6, 6), 1) == saturday
    assert calendar.working_days_between(date(2025, 6, 6), date(2025, 6, 9)) == 2


def test_a_swapped_day_off_is_not_a_working_day():
    monday = date(2025, 6, 9)
    calendar = Calendar(holidays=frozenset({monday}))
    assert calendar.next_working_day(date(2025, 6, 6)) == date(2025, 6, 10)


def test_a_day_cannot_be_both_off_and_worked():
    saturday = date(2025, 6, 7)
    try:
        Calendar(holidays=frozenset({saturday}), working_days=frozenset({saturday}))
    except ValueError:
        return
    raise AssertionError("a contradictory calendar was accepted")


def test_working_days_between_is_the_inverse_of_adding():
    start = date(2026, 2, 10)
    for n in range(0, 30):
        assert CALENDAR_2026.working_days_between(start, CALENDAR_2026.add_working_days(start, n)) == n


def test_working_days_between_counts_after_a_up_to_and_including_b():
    assert WEEKENDS_ONLY.working_days_between(date(2025, 6, 2), date(2025, 6, 2)) == 0
    assert WEEKENDS_ONLY.working_days_between(date(2025, 6, 2), date(2025, 6, 9)) == 5
    assert WEEKENDS_ONLY.working_days_between(date(2025, 6, 9), date(2025, 6, 2)) == -5


def test_next_working_day_is_strictly_after():
    assert WEEKENDS_ONLY.next_working_day(date(2025, 6, 2)) == date(2025, 6, 3)
    assert WEEKENDS_ONLY.next_working_day(date(2025, 6, 6)) == date(2025, 6, 9)


def test_a_calendar_limit_ending_on_a_working_day_stays():
    assert WEEKENDS_ONLY.calendar_limit(date(2025, 6, 2), 10) == date(2025, 6, 12)


def test_a_calendar_limit_ending_on_a_weekend_moves_to_monday():
    """Ten days from Wednesday 28 May 2025 is Saturday 7 June: the limit ends on Monday 9 June."""
    assert WEEKENDS_ONLY.calendar_limit(date(2025, 5, 28), 10) == date(2025, 6, 9)


def test_a_calendar_limit_ending_in_tet_moves_past_it():
    """Seven days from 9 Feb 2026 is 16 Feb, the eve of Tết: the limit ends on Monday 23 Feb."""
    assert CALENDAR_2026.calendar_limit(date(2026, 2, 9), 7) == date(2026, 2, 23)


def test_deadline_end_is_the_last_microsecond_of_the_day_in_vietnam():
    end = deadline_end(date(2026, 3, 31))
    assert end.isoformat() == "2026-03-31T23:59:59.999999+07:00"
    assert end.utcoffset() == timedelta(hours=7)
    assert end + timedelta(microseconds=1) == datetime(2026, 4, 1, tzinfo=VIETNAM_TZ)


@time_machine.travel(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), tick=False)
def test_local_today_is_already_tomorrow_in_vietnam_after_17_utc():
    assert local_today() == date(2027, 1, 1)
    now = local_now()
    assert now.utcoffset() == timedelta(hours=7)
    assert now.hour == 0 and now.minute == 30
