# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The registers of Nghị định 30/2020/NĐ-CP, Phụ lục IV, as column lists.

The appendix fixes the columns and their order (at least ten for each
register) but not their types or widths: those follow the usual printed
registers (dates dd/mm/yyyy, the subject column the widest). Where the
appendix leaves it open we follow common practice:

- "Số đến" is the register's running number, printed without thousands
  separators (typed as a number in Excel so it sorts);
- "Ký nhận" stays empty on paper; the system may fill in the name of the
  person who acknowledged receipt electronically;
- the totals row counts the registered documents (incoming: number of
  "Số đến"; outgoing: also the sum of "Số lượng bản"), and the count is
  also written in words under the table;
- the row "(1) (2) … (10)" under the headers is printed, as in the forms.

The cover ("bìa sổ", `register_cover`): Nghị định 30/2020 only names what
the cover and first page of a register give (tên cơ quan, tên sổ, năm, từ
số/đến số, từ ngày/đến ngày); the layout follows the cover of the forms of
Thông tư 07/2012/TT-BNV that registers still use: the agency above it and
the agency, in capitals, at the top; the register's title big in the
middle; then "Năm: …", "Từ ngày … đến ngày …", "Từ số … đến số …" and
"Quyển số: …" centred under it. What is not known is left dotted, to be
written by hand, as on the printed forms.
"""
from .errors import ReportError
from .formatting import format_date
from .model import COUNT, DATE, INT, SUM, TEXT, Column, Cover, Report

INCOMING_REGISTER_TITLE = 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN'
OUTGOING_REGISTER_TITLE = 'SỔ ĐĂNG KÝ VĂN BẢN ĐI'


def incoming_register_columns():
    "The ten columns of 'Sổ đăng ký văn bản đến', in the appendix's order"
    return [
        Column('received_date', 'Ngày đến', DATE, width=11),
        Column('incoming_number', 'Số đến', INT, width=8, align='center',
            grouping=False, total=COUNT),
        Column('issuer', 'Tác giả', TEXT, width=20),
        Column('number_notation', 'Số, ký hiệu văn bản', TEXT, width=16),
        Column('document_date', 'Ngày tháng văn bản', DATE, width=11),
        Column('type_subject', 'Tên loại và trích yếu nội dung văn bản',
            TEXT, width=38),
        Column('recipient', 'Đơn vị hoặc người nhận', TEXT, width=18),
        Column('transfer_date', 'Ngày chuyển', DATE, width=11),
        Column('receipt', 'Ký nhận', TEXT, width=12),
        Column('note', 'Ghi chú', TEXT, width=12),
        ]


def outgoing_register_columns():
    "The ten columns of 'Sổ đăng ký văn bản đi', in the appendix's order"
    return [
        Column('number_notation', 'Số, ký hiệu văn bản', TEXT, width=16),
        Column('document_date', 'Ngày tháng văn bản', DATE, width=11),
        Column('type_subject', 'Tên loại và trích yếu nội dung văn bản',
            TEXT, width=38),
        Column('signer', 'Người ký', TEXT, width=16),
        Column('recipients', 'Nơi nhận văn bản', TEXT, width=22),
        Column('archive_keeper', 'Đơn vị, người nhận bản lưu', TEXT,
            width=16),
        Column('copies', 'Số lượng bản', INT, width=8, align='center',
            total=SUM),
        Column('transfer_date', 'Ngày chuyển', DATE, width=11),
        Column('receipt', 'Ký nhận', TEXT, width=12),
        Column('note', 'Ghi chú', TEXT, width=12),
        ]


def register_report(kind, rows, **values):
    """A `Report` for the register `kind` ('incoming' or 'outgoing'), A4
    landscape, with the numbered header row; `values` sets the other
    fields (agency, place, date, subtitle, …)."""
    if kind == 'incoming':
        title, columns = INCOMING_REGISTER_TITLE, incoming_register_columns()
    elif kind == 'outgoing':
        title, columns = OUTGOING_REGISTER_TITLE, outgoing_register_columns()
    else:
        raise ReportError('register_kind',
            f'Loại sổ không hợp lệ: {kind!r} (chỉ nhận incoming, '
            f'outgoing).')
    values.setdefault('title', title)
    values.setdefault('orientation', 'landscape')
    values.setdefault('number_header', True)
    values.setdefault('count_noun', 'văn bản')
    return Report(columns=columns, rows=rows, **values)


BLANK = '…………'


def register_cover(kind, agencies=(), start=None, end=None, first=None,
        last=None, volume=None, name=''):
    """The cover of the register `kind` ('incoming' or 'outgoing'):
    `agencies` from the top down (the agency last), the period [start,
    end], the first and last numbers of the register in it, the volume
    ("quyển số") and the register's own name (under the title when it is
    not the title itself)."""
    if kind not in {'incoming', 'outgoing'}:
        raise ReportError('register_kind',
            f'Loại sổ không hợp lệ: {kind!r} (chỉ nhận incoming, '
            f'outgoing).')
    title = (INCOMING_REGISTER_TITLE if kind == 'incoming'
        else OUTGOING_REGISTER_TITLE)
    if start and end:
        year = (str(start.year) if start.year == end.year
            else f'{start.year} - {end.year}')
    else:
        year = BLANK
    lines = [
        f'Năm: {year}',
        f'Từ ngày {format_date(start) if start else BLANK} '
        f'đến ngày {format_date(end) if end else BLANK}',
        f'Từ số {first if first is not None else BLANK} '
        f'đến số {last if last is not None else BLANK}',
        f'Quyển số: {volume:02d}' if volume else f'Quyển số: {BLANK}',
        ]
    subtitle = name if name and name.upper() != title else ''
    return Cover(title=title, agencies=[a for a in agencies if a],
        subtitle=subtitle, lines=lines)
