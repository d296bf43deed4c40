# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Số, ký hiệu and the place-and-date line (Nghị định 30/2020, Phụ lục I)."""


def format_number(number):
    "Numbers below 10 get a leading zero: 5 -> '05'"
    return f'{number:02d}'


def notation(number, agency_abbreviation, type_abbreviation=None,
        unit_abbreviation=None):
    """Return the number and notation of an outgoing document.

    A typed document carries the type then the issuer: ``15/QĐ-UBND``.
    A công văn has no type abbreviation and carries the issuer then the
    drafting unit (or field): ``15/UBND-VP``.
    """
    if type_abbreviation:
        parts = [type_abbreviation, agency_abbreviation]
    else:
        parts = [agency_abbreviation, unit_abbreviation]
    return '%s/%s' % (
        format_number(number), '-'.join(p for p in parts if p))


def date_line(place, date):
    """Return "Hải Vân, ngày 05 tháng 3 năm 2026".

    Days below 10 and the months January and February get a leading zero.
    """
    day = f'{date.day:02d}'
    month = f'{date.month:02d}' if date.month <= 2 else str(date.month)
    prefix = f'{place}, ' if place else ''
    return f'{prefix}ngày {day} tháng {month} năm {date.year}'
