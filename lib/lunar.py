"""The Vietnamese lunisolar calendar (âm lịch), computed astronomically.

Method: Hồ Ngọc Đức, "Thuật toán tính âm lịch" (the algorithm behind the Vietnamese lunar
calendars published since the 2000s), which follows the rules Vietnam has used since 1968:

- a lunar month starts on the local day (UTC+7) that contains the new moon;
- lunar month 11 is the month that contains the winter solstice;
- a year with 13 months between two months 11 has a leap month: the first month after
  month 11 that contains no major solar term (trung khí, a multiple of 30° of solar
  longitude) is the leap one and repeats the number of the month before it.

New moons use the truncated series of Jean Meeus, "Astronomical Algorithms" (ch. 49);
the Sun's longitude uses his low-accuracy formula (ch. 25). Both are accurate to minutes,
which decides the day except when a new moon falls within minutes of local midnight.

Because the day boundary is taken at UTC+7, the result differs from the Chinese calendar
(UTC+8) in some years: Tết 1985 was 21 January in Vietnam and 20 February in China; Tết
2007 was 17 February in Vietnam and 18 February in China. ``utc_offset=8`` reproduces
the Chinese dates, which the tests use to show the difference.

Valid for 1900-2100; outside that range the formulas drift and nothing relies on them.
"""

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

VIETNAM_UTC_OFFSET = 7

# Julian day number of 1 January 1900 (noon), the epoch of the new-moon series below,
# and the mean length of a synodic month in days.
_EPOCH_JDN = 2415021
_EPOCH_NEW_MOON = 2415021.076998695
_SYNODIC_MONTH = 29.530588853

# date.toordinal() counts 1 January of year 1 as day 1; the Julian day number of that day
# is 1721426, so the two scales differ by this constant.
_ORDINAL_TO_JDN = 1721425


@dataclass(frozen=True, slots=True)
class LunarDate:
    """A day of the lunar calendar; ``leap`` marks a day of the repeated (leap) month."""

    year: int
    month: int
    day: int
    leap: bool = False


def _jdn(day: date) -> int:
    return day.toordinal() + _ORDINAL_TO_JDN


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


@lru_cache(maxsize=4096)
def _new_moon_day(k: int, utc_offset: int) -> int:
    """Return the local Julian day number of the k-th new moon after the one of 1 January 1900."""
    t = k / 1236.85  # Julian centuries from 1900.0
    t2, t3 = t * t, t * t * t
    rad = math.pi / 180
    # Mean new moon (Julian ephemeris day), then the periodic corrections.
    jde = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jde += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * rad)
    sun_anomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * rad
    moon_anomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * rad
    latitude_arg = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * rad
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(sun_anomaly)
        + 0.0021 * math.sin(2 * sun_anomaly)
        - 0.4068 * math.sin(moon_anomaly)
        + 0.0161 * math.sin(2 * moon_anomaly)
        - 0.0004 * math.sin(3 * moon_anomaly)
        + 0.0104 * math.sin(2 * latitude_arg)
        - 0.0051 * math.sin(sun_anomaly + moon_anomaly)
        - 0.0074 * math.sin(sun_anomaly - moon_anomaly)
        + 0.0004 * math.sin(2 * latitude_arg + sun_anomaly)
        - 0.0004 * math.sin(2 * latitude_arg - sun_anomaly)
        - 0.0006 * math.sin(2 * latitude_arg + moon_anomaly)
        + 0.0010 * math.sin(2 * latitude_arg - moon_anomaly)
        + 0.0005 * math.sin(2 * moon_anomaly + sun_anomaly)
    )
    # Dynamical time to universal time (ΔT), as a polynomial fitted to the 20th century.
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    julian_date = jde + correction - delta_t
    # A Julian date starts at noon UT; shift to local midnight to get the local day.
    return math.floor(julian_date + 0.5 + utc_offset / 24)


@lru_cache(maxsize=4096)
def _sun_sector(jdn: int, utc_offset: int) -> int:
    """Return which 30° sector (0-11) of solar longitude the Sun is in at the local midnight starting ``jdn``."""
    t = (jdn - 2451545.5 - utc_offset / 24) / 36525  # Julian centuries from J2000.0
    t2 = t * t
    rad = math.pi / 180
    mean_anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    centre = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(rad * mean_anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(rad * 2 * mean_anomaly)
        + 0.000290 * math.sin(rad * 3 * mean_anomaly)
    )
    longitude = ((mean_longitude + centre) % 360) * rad
    return math.floor(longitude / math.pi * 6)


@lru_cache(maxsize=512)
def _month11_start(year: int, utc_offset: int) -> int:
    """Return the local Julian day number on which lunar month 11 (the winter-solstice month) of ``year`` starts."""
    k = math.floor((_jdn(date(year, 12, 31)) - _EPOCH_JDN) / _SYNODIC_MONTH)
    start = _new_moon_day(k, utc_offset)
    # Sector 9 starts at 270°, the winter solstice: if the Sun is already past it when
    # this month starts, the solstice fell in the month before.
    if _sun_sector(start, utc_offset) >= 9:
        start = _new_moon_day(k - 1, utc_offset)
    return start


def _leap_month_offset(month11_start: int, utc_offset: int) -> int:
    """Return how many months after month 11 the leap month comes, in a year of 13 months.

    The leap month is the first one that contains no major solar term: the Sun stays in
    the same 30° sector from its start to the start of the next month.
    """
    k = math.floor((month11_start - _EPOCH_NEW_MOON) / _SYNODIC_MONTH + 0.5)
    offset = 1
    sector = _sun_sector(_new_moon_day(k + offset, utc_offset), utc_offset)
    # Bounded: a 13-month span always has a month without a major term within 13 months.
    while offset < 14:
        offset += 1
        previous, sector = sector, _sun_sector(_new_moon_day(k + offset, utc_offset), utc_offset)
        if sector == previous:
            break
    return offset - 1


def lunar_to_solar(
    year: int, month: int, day: int, *, leap: bool = False, utc_offset: int = VIETNAM_UTC_OFFSET
) -> date:
    """Return the Gregorian date of lunar ``day``/``month``/``year``.

    ``leap`` selects the repeated month; asking for a leap month the year does not have
    raises ValueError, as does a day outside 1-30. A day 30 in a 29-day month is not
    checked and gives the first day of the next month.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {day}/{month}/{year}")
    if month < 11:
        start, next_start = _month11_start(year - 1, utc_offset), _month11_start(year, utc_offset)
    else:
        start, next_start = _month11_start(year, utc_offset), _month11_start(year + 1, utc_offset)
    k = math.floor(0.5 + (start - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    offset = (month - 11) % 12
    if next_start - start > 365:  # thirteen months between the two months 11
        leap_offset = _leap_month_offset(start, utc_offset)
        leap_month = (leap_offset - 2) % 12 or 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    return _from_jdn(_new_moon_day(k + offset, utc_offset) + day - 1)


def solar_to_lunar(day: date, *, utc_offset: int = VIETNAM_UTC_OFFSET) -> LunarDate:
    """Return the lunar date of the Gregorian ``day``."""
    jdn = _jdn(day)
    # The mean month gives the right new moon to within one; the true new moon can be
    # half a day either side of the mean, so step until it brackets the day.
    k = math.floor((jdn - _EPOCH_NEW_MOON) / _SYNODIC_MONTH) + 1
    while _new_moon_day(k, utc_offset) > jdn:
        k -= 1
    while _new_moon_day(k + 1, utc_offset) <= jdn:
        k += 1
    month_start = _new_moon_day(k, utc_offset)
    start = _month11_start(day.year, utc_offset)
    if start >= month_start:
        year = day.year
        start, next_start = _month11_start(day.year - 1, utc_offset), start
    else:
        year = day.year + 1
        next_start = _month11_start(day.year + 1, utc_offset)
    lunar_day = jdn - month_start + 1
    months_after_11 = math.floor((month_start - start) / 29)
    leap = False
    month = months_after_11 + 11
    if next_start - start > 365:
        leap_offset = _leap_month_offset(start, utc_offset)
        if months_after_11 >= leap_offset:
            month = months_after_11 + 10
            leap = months_after_11 == leap_offset
    if month > 12:
        month -= 12
    if month >= 11 and months_after_11 < 4:
        year -= 1
    return LunarDate(year=year, month=month, day=lunar_day, leap=leap)
