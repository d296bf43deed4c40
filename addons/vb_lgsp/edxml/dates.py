# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Dates and times of edXML (spec §1.5).

Emitted as ``yyyy/MM/dd`` and ``yyyy/MM/dd HH:mm:ss`` in Vietnam local time
without offset, as the national axis SDK does. Read leniently: ``-`` as
separator (seen from one connector), ``T`` between date and time, fractions
of seconds and an explicit offset, which is converted to Vietnam time.
"""
import datetime as dt
import re

from .errors import EdxmlFormatError

VN_TZ = dt.timezone(dt.timedelta(hours=7), 'ICT')

_DATETIME_RE = re.compile(
    r'^(\d{4})([/-])(\d{2})\2(\d{2})'
    r'(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?'
    r'\s*(Z|[+-]\d{2}:?\d{2})?)?$')


def format_date(value):
    return value.strftime('%Y/%m/%d')


def format_timestamp(value):
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return value.strftime('%Y/%m/%d %H:%M:%S')


def now_vn():
    "Current Vietnam local time, naive, to the second"
    return dt.datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


def _match(text, field):
    match = _DATETIME_RE.match(text or '')
    if not match:
        raise EdxmlFormatError('invalid_date', field=field, value=text)
    return match


def parse_date(text, field):
    "A date of either format; a time part, if any, is ignored"
    match = _match(text, field)
    try:
        return dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        raise EdxmlFormatError('invalid_date', field=field, value=text)


def parse_timestamp(text, field):
    "A naive datetime in Vietnam local time"
    match = _match(text, field)
    try:
        value = dt.datetime(
            int(match[1]), int(match[3]), int(match[4]),
            int(match[5] or 0), int(match[6] or 0), int(match[7] or 0))
        offset = match[8]
        if offset:
            if offset == 'Z':
                tz = dt.timezone.utc
            else:
                sign = -1 if offset[0] == '-' else 1
                digits = offset[1:].replace(':', '')
                tz = dt.timezone(sign * dt.timedelta(
                        hours=int(digits[:2]), minutes=int(digits[2:])))
            value = value.replace(tzinfo=tz).astimezone(VN_TZ).replace(
                tzinfo=None)
    except (ValueError, OverflowError):
        raise EdxmlFormatError('invalid_date', field=field, value=text)
    return value
