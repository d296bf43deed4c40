# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Public holidays of Bộ luật Lao động 2019 (Điều 111–112), per year.

* 1/1, 30/4, 1/5, Giỗ Tổ Hùng Vương (10/3 lunar): one day each; on a
  weekend day, the next working day is off instead (Điều 111.3).
* Tết Nguyên đán: 5 days, the eve and the first four days of the year;
  a Saturday moves to the previous working day and a Sunday to the next
  one, which gives the schedules decided for 2024, 2025 and 2026.
* Quốc khánh: 2/9 and an adjacent day, 1/9 unless 2/9 is a Monday (then
  3/9), as decided for 2024–2026; the Prime Minister decides each year,
  so the administrator can correct it with swaps.
"""
import datetime as dt

from .lunar import lunar_to_solar

SATURDAY, SUNDAY = 5, 6
ONE_DAY = dt.timedelta(days=1)


def _weekend(date):
    return date.weekday() in {SATURDAY, SUNDAY}


def _next_free(date, taken, step):
    "The first weekday from date (moving by step) not already off"
    while _weekend(date) or date in taken:
        date += step
    return date


def public_holidays(year):
    "Return {date: name} of the weekdays off for public holidays in year"
    days = {}
    tet = lunar_to_solar(1, 1, year)
    tet_days = [tet - ONE_DAY] + [tet + i * ONE_DAY for i in range(4)]
    # Weekdays first, then the weekend days move next to them
    for day in tet_days:
        if not _weekend(day):
            days[day] = "Tết Nguyên đán"
    for day in tet_days:
        if day.weekday() == SATURDAY:
            days[_next_free(day, days, -ONE_DAY)] = "Tết Nguyên đán (nghỉ bù)"
        elif day.weekday() == SUNDAY:
            days[_next_free(day, days, ONE_DAY)] = "Tết Nguyên đán (nghỉ bù)"

    national = dt.date(year, 9, 2)
    adjacent = national + ONE_DAY if national.weekday() == 0 \
        else national - ONE_DAY
    single = [
        (dt.date(year, 1, 1), "Tết Dương lịch"),
        (lunar_to_solar(10, 3, year), "Giỗ Tổ Hùng Vương"),
        (dt.date(year, 4, 30), "Ngày Chiến thắng"),
        (dt.date(year, 5, 1), "Ngày Quốc tế lao động"),
        (min(national, adjacent), "Quốc khánh"),
        (max(national, adjacent), "Quốc khánh"),
        ]
    for day, name in single:
        if _weekend(day) or day in days:
            days[_next_free(day, days, ONE_DAY)] = f"{name} (nghỉ bù)"
        else:
            days[day] = name
    return dict(sorted(days.items()))
