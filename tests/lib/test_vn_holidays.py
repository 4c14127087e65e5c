from datetime import date

import pytest

from lib.lunar import LunarDate, lunar_to_solar, solar_to_lunar
from lib.vn_holidays import holidays_for_year, quoc_khanh_adjacent_day


@pytest.mark.parametrize(
    ("year", "tet"),
    [
        (1985, date(1985, 1, 21)),
        (2007, date(2007, 2, 17)),
        (2020, date(2020, 1, 25)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
    ],
)
def test_tet_falls_on_the_vietnamese_date(year, tet):
    assert lunar_to_solar(year, 1, 1) == tet
    assert solar_to_lunar(tet) == LunarDate(year=year, month=1, day=1)


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [(1985, date(1985, 1, 21), date(1985, 2, 20)), (2007, date(2007, 2, 17), date(2007, 2, 18))],
)
def test_the_utc_plus_7_calendar_differs_from_the_chinese_one(year, vietnam, china):
    """The same method at UTC+8 gives China's New Year: the difference is the meridian, not a bug."""
    assert lunar_to_solar(year, 1, 1) == vietnam
    assert lunar_to_solar(year, 1, 1, utc_offset=8) == china


@pytest.mark.parametrize(
    ("year", "day"), [(2024, date(2024, 4, 18)), (2025, date(2025, 4, 7)), (2026, date(2026, 4, 26))]
)
def test_hung_kings_day_is_the_10th_of_the_3rd_lunar_month(year, day):
    assert (day, "Giỗ Tổ Hùng Vương") in holidays_for_year(year)


def test_a_leap_month_is_found_and_round_trips():
    """2023 had a leap 2nd month (22 Mar - 19 Apr 2023)."""
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(year=2023, month=2, day=1, leap=True)
    assert lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 2, 1, leap=True)


def test_tet_is_five_days_from_the_last_day_of_the_lunar_year():
    days = [day for day, name in holidays_for_year(2026) if name.startswith("Tết Nguyên đán")]
    assert days == [date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19), date(2026, 2, 20)]


def test_fixed_holidays_are_named_in_vietnamese():
    holidays = dict(holidays_for_year(2025))
    assert holidays[date(2025, 1, 1)] == "Tết Dương lịch"
    assert holidays[date(2025, 4, 30)] == "Ngày Chiến thắng"
    assert holidays[date(2025, 5, 1)] == "Ngày Quốc tế Lao động"
    assert holidays[date(2025, 9, 2)] == "Quốc khánh"


def test_holidays_are_in_date_order_and_unique():
    days = [day for day, _name in holidays_for_year(2024)]
    assert days == sorted(set(days))


@pytest.mark.parametrize(
    ("year", "adjacent"),
    [
        (2021, date(2021, 9, 3)),  # 2 Sep a Thursday: Friday joins the weekend
        (2022, date(2022, 9, 1)),  # Friday: the Thursday before
        (2023, date(2023, 9, 1)),  # Saturday: the Friday before
        (2024, date(2024, 9, 3)),  # Monday: 1 Sep is a Sunday, so Tuesday
        (2025, date(2025, 9, 1)),  # Tuesday: the Monday before
        (2026, date(2026, 9, 1)),  # Wednesday: no weekend to join, the day before
    ],
)
def test_the_day_adjacent_to_quoc_khanh_joins_a_weekend(year, adjacent):
    assert quoc_khanh_adjacent_day(year) == adjacent


def test_quoc_khanh_on_a_sunday_gives_a_compensatory_day():
    """2 Sep 2029 is a Sunday: 3 Sep (Monday) is the adjacent day, so the compensatory day is Tuesday 4 Sep."""
    holidays = dict(holidays_for_year(2029))
    assert date(2029, 9, 2).weekday() == 6
    assert holidays[date(2029, 9, 3)] == "Quốc khánh"
    assert holidays[date(2029, 9, 4)] == "Nghỉ bù Quốc khánh"


def test_holidays_on_a_weekend_are_compensated_on_the_next_free_working_days():
    """2023: Giỗ Tổ (Sat 29 Apr) and 30 April (Sun) are followed by 1 May (Mon), so the days off are 2 and 3 May."""
    holidays = dict(holidays_for_year(2023))
    assert holidays[date(2023, 5, 2)] == "Nghỉ bù Giỗ Tổ Hùng Vương"
    assert holidays[date(2023, 5, 3)] == "Nghỉ bù Ngày Chiến thắng"


def test_tet_over_a_weekend_pushes_compensatory_days_past_the_block():
    """Tết 2024 ran Fri 9 - Tue 13 Feb with Sat and Sun inside: compensatory days Wed 14 and Thu 15."""
    holidays = dict(holidays_for_year(2024))
    assert holidays[date(2024, 2, 14)] == "Nghỉ bù Tết Nguyên đán"
    assert holidays[date(2024, 2, 15)] == "Nghỉ bù Tết Nguyên đán"
    assert date(2024, 2, 16) not in holidays
