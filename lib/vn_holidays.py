"""Vietnam's public holidays for a year, as the Labour Code 2019 (art. 112) sets them.

What the law fixes, and the choices made where the government decides each year:

- Tết Dương lịch: 1 January.
- Tết Nguyên đán: five days. We take the last day of the lunar year (29 or 30 of month 12)
  and the first four days of the new year, the arrangement the Prime Minister has
  approved for state bodies in most years. Each year's announcement may differ (it often
  adds swapped days); administrators record that in the holiday table.
- Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month.
- Ngày Chiến thắng: 30 April. Ngày Quốc tế Lao động: 1 May.
- Quốc khánh: 2 September and one adjacent day, which the government chooses. We choose
  the adjacent working day that joins the holiday to a weekend: 3 September when it is a
  Friday or when 1 September falls on a weekend, otherwise 1 September. This matches the
  choices of 2021-2025 (3, 1, 1, 3 and 1 September).
- Nghỉ bù: "if a holiday falls on the weekly rest day, the worker takes the day off on the
  next working day" (art. 112.3). For state bodies the weekly rest is Saturday and Sunday,
  so each holiday on a weekend gives one compensatory day: the first day after it that is
  neither a weekend, a holiday nor already a compensatory day.

Lunar dates follow the Vietnamese calendar (UTC+7), see ``lib.lunar``.
"""

from datetime import date, timedelta

from lib.lunar import lunar_to_solar

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5

TET_DUONG_LICH = "Tết Dương lịch"
TET_NGUYEN_DAN = "Tết Nguyên đán"
GIO_TO = "Giỗ Tổ Hùng Vương"
CHIEN_THANG = "Ngày Chiến thắng"
LAO_DONG = "Ngày Quốc tế Lao động"
QUOC_KHANH = "Quốc khánh"


def _is_weekend(day: date) -> bool:
    return day.weekday() >= _SATURDAY


def quoc_khanh_adjacent_day(year: int) -> date:
    """Return the day chosen to go with 2 September (see the module docstring for the rule)."""
    before, after = date(year, 9, 1), date(year, 9, 3)
    if _is_weekend(before) or after.weekday() == 4:
        return after
    return before


def _statutory_days(year: int) -> list[tuple[date, str, str]]:
    """Return (date, occasion, name) of the holidays proper, before compensatory days."""
    tet = lunar_to_solar(year, 1, 1)
    days = [(date(year, 1, 1), TET_DUONG_LICH, TET_DUONG_LICH)]
    days.append((tet - _ONE_DAY, TET_NGUYEN_DAN, f"{TET_NGUYEN_DAN} (ngày cuối năm Âm lịch)"))
    days += [(tet + timedelta(days=i), TET_NGUYEN_DAN, f"{TET_NGUYEN_DAN} (mùng {i + 1})") for i in range(4)]
    days.append((lunar_to_solar(year, 3, 10), GIO_TO, GIO_TO))
    days.append((date(year, 4, 30), CHIEN_THANG, CHIEN_THANG))
    days.append((date(year, 5, 1), LAO_DONG, LAO_DONG))
    days.append((date(year, 9, 2), QUOC_KHANH, QUOC_KHANH))
    days.append((quoc_khanh_adjacent_day(year), QUOC_KHANH, QUOC_KHANH))
    return sorted(days)


def holidays_for_year(year: int) -> list[tuple[date, str]]:
    """Return the public holidays and compensatory days off of ``year``, in date order, with Vietnamese names.

    Every date appears once. Two holidays on the same date (Giỗ Tổ met 30 April in 1947)
    give one entry whose name joins both: the law grants a compensatory day only for a
    holiday on the weekly rest day, not for one that meets another holiday. Swapped
    working days are not part of the law and are not returned.
    """
    names: dict[date, list[str]] = {}
    occasions: dict[date, str] = {}
    for day, occasion, name in _statutory_days(year):
        names.setdefault(day, []).append(name)
        occasions.setdefault(day, occasion)

    taken = set(names)
    for day in sorted(occasions):
        if not _is_weekend(day):
            continue
        # Processed in date order, so a block of holidays over a weekend (Tết) pushes its
        # compensatory days one after another past the end of the block.
        substitute = day + _ONE_DAY
        while _is_weekend(substitute) or substitute in taken:
            substitute += _ONE_DAY
        taken.add(substitute)
        names[substitute] = [f"Nghỉ bù {occasions[day]}"]
    return [(day, "; ".join(names[day])) for day in sorted(names)]
