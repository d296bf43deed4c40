# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The Vietnamese lunar calendar.

Astronomical algorithms (new moons and solar longitude after Jean Meeus,
"Astronomical Algorithms", 1998) as published for the Vietnamese calendar
by Hồ Ngọc Đức: months start on the day of the new moon in Vietnam's time
zone (UTC+7), month 11 holds the winter solstice, and in a 13-month year
the first month without a major solar term is the leap month.
"""
import datetime as dt
import math

TIMEZONE = 7  # hours; the Vietnamese calendar is computed for UTC+7
_SYNODIC = 29.530588853
_EPOCH = 2415021.076998695  # new moon of 1900-01-01 (Julian day)


def _jd(date):
    "Julian day number of a Gregorian date"
    return date.toordinal() + 1721425


def _date(jd):
    return dt.date.fromordinal(int(jd) - 1721425)


def _new_moon(k):
    "Julian day (fraction) of the k-th new moon after 1900-01-01"
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd = (2415020.75933 + 29.53058868 * k + 0.0001178 * t2
        - 0.000000155 * t3)
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = ((0.1734 - 0.000393 * t) * math.sin(m * dr)
        + 0.0021 * math.sin(2 * dr * m)
        - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
        - 0.0004 * math.sin(dr * 3 * mpr)
        + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
        - 0.0074 * math.sin(dr * (m - mpr))
        + 0.0004 * math.sin(dr * (2 * f + m))
        - 0.0004 * math.sin(dr * (2 * f - m))
        - 0.0006 * math.sin(dr * (2 * f + mpr))
        + 0.0010 * math.sin(dr * (2 * f - mpr))
        + 0.0005 * math.sin(dr * (2 * mpr + m)))
    if t < -11:
        delta_t = (0.001 + 0.000839 * t + 0.0002261 * t2
            - 0.00000845 * t3 - 0.000000081 * t * t3)
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + c1 - delta_t


def _new_moon_day(k, timezone=TIMEZONE):
    "Julian day number of the local day of the k-th new moon"
    return math.floor(_new_moon(k) + 0.5 + timezone / 24)


def _sun_longitude(jdn, timezone=TIMEZONE):
    "Sector (0..11, 30° each) of the sun's longitude at local midnight"
    t = (jdn - 0.5 - timezone / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = ((1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
        + (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m)
        + 0.000290 * math.sin(dr * 3 * m))
    longitude = ((l0 + dl) * dr) % (2 * math.pi)
    return math.floor(longitude / math.pi * 6)


def _month11(year, timezone=TIMEZONE):
    "Julian day of the first day of lunar month 11 (winter solstice month)"
    k = math.floor((_jd(dt.date(year, 12, 31)) - 2415021) / _SYNODIC)
    start = _new_moon_day(k, timezone)
    if _sun_longitude(start, timezone) >= 9:
        start = _new_moon_day(k - 1, timezone)
    return start


def _leap_month_offset(a11, timezone=TIMEZONE):
    "Offset after month 11 of the leap month of a 13-month year"
    k = math.floor((a11 - _EPOCH) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_longitude(_new_moon_day(k + i, timezone), timezone)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude(_new_moon_day(k + i, timezone), timezone)
        if arc == last or i >= 14:
            break
    return i - 1


def lunar_to_solar(day, month, year, leap=False, timezone=TIMEZONE):
    "Return the Gregorian date of a lunar date, None if it does not exist"
    if month < 11:
        a11, b11 = _month11(year - 1, timezone), _month11(year, timezone)
    else:
        a11, b11 = _month11(year, timezone), _month11(year + 1, timezone)
    k = math.floor(0.5 + (a11 - _EPOCH) / _SYNODIC)
    offset = (month - 11) % 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, timezone)
        leap_month = (leap_offset - 2) % 12
        if leap and month != leap_month:
            return None
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        return None
    return _date(_new_moon_day(k + offset, timezone) + day - 1)


def solar_to_lunar(date, timezone=TIMEZONE):
    "Return (day, month, year, leap) of the lunar date of a Gregorian date"
    jd = _jd(date)
    k = math.floor((jd - _EPOCH) / _SYNODIC)
    month_start = _new_moon_day(k + 1, timezone)
    if month_start > jd:
        month_start = _new_moon_day(k, timezone)
    a11 = _month11(date.year, timezone)
    b11 = a11
    if a11 >= month_start:
        year = date.year
        a11 = _month11(date.year - 1, timezone)
    else:
        year = date.year + 1
        b11 = _month11(date.year + 1, timezone)
    day = jd - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, timezone)
        if diff >= leap_diff:
            month = diff + 10
            if diff == leap_diff:
                leap = True
    if month > 12:
        month -= 12
    if month >= 11 and diff < 4:
        year -= 1
    return day, month, year, leap
