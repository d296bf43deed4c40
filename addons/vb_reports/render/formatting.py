# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Vietnamese presentation of values: 1.234.567; 85,3%; 05/03/2026;
counts in words; the reporting-period line."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from trytond.modules.vb_document.vn import date_line

from .errors import ReportError
from .model import DATE, DATETIME, INT, MONEY, NUMBER, PERCENT, TEXT

__all__ = ['NATIONAL_NAME', 'NATIONAL_MOTTO', 'date_line', 'format_number',
    'format_percent', 'format_date', 'format_datetime', 'format_cell',
    'count_in_words', 'count_line', 'period_line']

# Quốc hiệu and Tiêu ngữ (Nghị định 30/2020, Phụ lục I)
NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc'


def format_number(value, digits=0, grouping=True):
    """1234567.5 -> '1.234.567,5' (Vietnamese separators).

    Rounds half away from zero, like Excel, so both renderers agree.
    """
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    value = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f'{value:{"," if grouping else ""}.{digits}f}'
    return text.replace(',', ' ').replace('.', ',').replace(' ', '.')


def format_percent(value, digits=1):
    "0.853 -> '85,3%'"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return format_number(value * 100, digits) + '%'


def format_date(value):
    return value.strftime('%d/%m/%Y')


def format_datetime(value):
    return value.strftime('%d/%m/%Y %H:%M')


def format_cell(column, value):
    "The text shown for `value` (already checked) in `column`"
    if value is None:
        return ''
    kind = column.type
    if kind == TEXT:
        return value
    if kind in {INT, NUMBER, MONEY}:
        return format_number(value, column.decimals, column.grouping)
    if kind == PERCENT:
        return format_percent(value, column.decimals)
    if kind == DATE:
        return format_date(value)
    if kind == DATETIME:
        return format_datetime(value)
    raise AssertionError(kind)


def count_in_words(count):
    "125 -> 'Một trăm hai mươi lăm'"
    from num2words import num2words
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ReportError('count',
            f'Không thể đọc thành chữ số lượng {count!r}: cần một số '
            f'nguyên không âm.')
    words = num2words(count, lang='vi')
    return words[:1].upper() + words[1:]


def count_line(count, noun):
    """'Tổng số: 125 văn bản (Bằng chữ: Một trăm hai mươi lăm văn bản).'"""
    noun = f' {noun}' if noun else ''
    return (f'Tổng số: {format_number(count)}{noun} '
        f'(Bằng chữ: {count_in_words(count)}{noun}).')


def period_line(start, end):
    """'Từ ngày 01/01/2026 đến ngày 31/03/2026', or 'Ngày 05/03/2026' for a
    single day; an end before the start is refused."""
    for value in (start, end):
        if not isinstance(value, datetime.date):
            raise ReportError('period',
                f'Kỳ báo cáo phải có ngày bắt đầu và ngày kết thúc '
                f'(nhận được {value!r}).')
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    if end < start:
        raise ReportError('period',
            f'Ngày kết thúc ({format_date(end)}) trước ngày bắt đầu '
            f'({format_date(start)}) của kỳ báo cáo.')
    if start == end:
        return f'Ngày {format_date(start)}'
    return f'Từ ngày {format_date(start)} đến ngày {format_date(end)}'
