# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What a report is, independently of the file format it is rendered to.

The Tryton layer computes the figures (in SQL) and hands plain Python data
to the renderers: a `Report` with its `Column` definitions and rows given as
dicts (by column key), sequences (in column order) or `Row` wrappers. Rows
may be any iterable, a generator included: the renderers consume them once,
in order, and keep only a chunk at a time.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real
from typing import Any, Iterable, Mapping, Optional, Sequence

from .errors import ReportError

TEXT = 'text'
INT = 'int'
NUMBER = 'number'
PERCENT = 'percent'
MONEY = 'money'
DATE = 'date'
DATETIME = 'datetime'

NUMERIC_TYPES = {INT, NUMBER, PERCENT, MONEY}
COLUMN_TYPES = {TEXT, DATE, DATETIME} | NUMERIC_TYPES

# Default width in Excel character units; the PDF scales all widths to fill
# the page, so only their proportions matter there.
DEFAULT_WIDTHS = {
    TEXT: 24, INT: 10, NUMBER: 11, PERCENT: 10, MONEY: 16, DATE: 12,
    DATETIME: 17,
    }
DEFAULT_ALIGNMENTS = {
    TEXT: 'left', INT: 'right', NUMBER: 'right', PERCENT: 'right',
    MONEY: 'right', DATE: 'center', DATETIME: 'center',
    }
DEFAULT_DIGITS = {INT: 0, MONEY: 0, NUMBER: 2, PERCENT: 1}
ALIGNMENTS = {'left', 'center', 'right'}

SUM = 'sum'
COUNT = 'count'
RATIO = 'ratio'
TOTALS = {SUM, COUNT, RATIO}

CHART_KINDS = {'bar', 'line'}
ORIENTATIONS = {'landscape', 'portrait'}


@dataclass(frozen=True)
class Column:
    """A column of the table.

    `width` is in Excel character units (the PDF keeps the proportions).
    Columns that share a `group` and follow each other get a header cell
    spanning them above their own headers.
    `total` is 'sum', 'count' (non-empty cells) or 'ratio': the sum of the
    column `ratio[0]` divided by the sum of the column `ratio[1]` (e.g. the
    share of documents sent electronically, for the whole province).
    Percentages are fractions: 0.853 is shown as 85,3%.
    `grouping` adds thousands separators (off for sequence numbers).
    """
    key: str
    header: str
    type: str = TEXT
    width: Optional[float] = None
    align: Optional[str] = None
    group: Optional[str] = None
    total: Optional[str] = None
    ratio: Optional[tuple] = None
    digits: Optional[int] = None
    grouping: bool = True

    def __post_init__(self):
        if not self.key or not isinstance(self.key, str):
            raise ReportError('column_key',
                'Mỗi cột phải có mã (key) là một chuỗi không rỗng.')
        if self.type not in COLUMN_TYPES:
            raise ReportError('column_type',
                f'Cột «{self.header}» có kiểu dữ liệu không hợp lệ: '
                f'{self.type!r}. Các kiểu hợp lệ: '
                f'{", ".join(sorted(COLUMN_TYPES))}.')
        if self.align is not None and self.align not in ALIGNMENTS:
            raise ReportError('column_align',
                f'Cột «{self.header}» có kiểu căn lề không hợp lệ: '
                f'{self.align!r} (chỉ nhận left, center, right).')
        if self.width is not None and not (
                isinstance(self.width, Real) and self.width > 0):
            raise ReportError('column_width',
                f'Độ rộng cột «{self.header}» phải là số dương.')
        if self.total is not None and self.total not in TOTALS:
            raise ReportError('column_total',
                f'Cột «{self.header}» có kiểu tổng không hợp lệ: '
                f'{self.total!r} (chỉ nhận sum, count, ratio).')
        if self.total in {SUM, RATIO} and self.type not in NUMERIC_TYPES:
            raise ReportError('column_total',
                f'Cột «{self.header}» không phải cột số nên không thể '
                f'tính tổng.')
        if (self.total == RATIO) != (self.ratio is not None):
            raise ReportError('column_ratio',
                f'Cột «{self.header}»: tổng kiểu tỉ lệ (ratio) cần đúng '
                f'hai cột (tử số, mẫu số) và ngược lại.')
        if self.ratio is not None and len(self.ratio) != 2:
            raise ReportError('column_ratio',
                f'Cột «{self.header}»: tỉ lệ phải gồm đúng hai cột '
                f'(tử số, mẫu số).')
        if self.digits is not None and not (
                isinstance(self.digits, int) and 0 <= self.digits <= 6):
            raise ReportError('column_digits',
                f'Số chữ số thập phân của cột «{self.header}» phải từ 0 '
                f'đến 6.')

    @property
    def width_chars(self):
        return self.width or DEFAULT_WIDTHS[self.type]

    @property
    def alignment(self):
        return self.align or DEFAULT_ALIGNMENTS[self.type]

    @property
    def decimals(self):
        if self.digits is not None:
            return self.digits
        return DEFAULT_DIGITS.get(self.type, 0)


@dataclass(frozen=True)
class Row:
    """A row with presentation hints.

    `level` > 0 marks a detail row of a drill-down (unit under agency,
    officer under unit): it is indented, outlined (grouped) in Excel, and
    left out of the computed totals, which add up level-0 rows only.
    """
    values: Any
    level: int = 0
    bold: bool = False


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence


@dataclass(frozen=True)
class Chart:
    """A bar or line chart over `categories`, one value per category and
    series. `value_type` is one of the numeric column types and sets how
    the value axis is labelled (percentages as fractions)."""
    kind: str
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    value_type: str = INT

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ReportError('chart_kind',
                f'Biểu đồ «{self.title}» có loại không hợp lệ: '
                f'{self.kind!r} (chỉ nhận bar, line).')
        if self.value_type not in NUMERIC_TYPES:
            raise ReportError('chart_value_type',
                f'Biểu đồ «{self.title}» phải biểu diễn giá trị số.')
        if not self.categories or not self.series:
            raise ReportError('chart_empty',
                f'Biểu đồ «{self.title}» cần ít nhất một nhóm và một dãy '
                f'số liệu.')
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ReportError('chart_series',
                    f'Dãy số liệu «{series.name}» của biểu đồ '
                    f'«{self.title}» có {len(series.values)} giá trị, '
                    f'nhưng có {len(self.categories)} nhóm.')
            for value in series.values:
                if value is not None and not _is_number(value):
                    raise ReportError('chart_value',
                        f'Dãy số liệu «{series.name}» của biểu đồ '
                        f'«{self.title}» có giá trị không phải số: '
                        f'{value!r}.')


@dataclass(frozen=True)
class Signature:
    "A signature block under the report: 'NGƯỜI LẬP BIỂU', then the name"
    title: str
    name: str = ''
    hint: str = '(Ký, ghi rõ họ tên)'


@dataclass(frozen=True)
class Cover:
    """A cover page before the report, as the registers of Phụ lục IV have
    when they are printed and bound: `agencies` (the agency's hierarchy,
    from the top down, the agency itself last) at the top, `title` big in
    the middle, `subtitle` under it, then `lines` (year, dates, numbers,
    volume)."""
    title: str
    agencies: Sequence[str] = ()
    subtitle: str = ''
    lines: Sequence[str] = ()


@dataclass
class Report:
    """A tabular report with its heading, totals, notes and charts.

    `date` and `place` make the date line ("Khánh Hòa, ngày 05 tháng 3 năm
    2026"); `date` defaults to today. `totals` gives explicit totals by
    column key, which win over the computed ones (use it when the figure
    comes from SQL, e.g. a distinct count). `count_noun` names what the rows
    are: the total count is also written in words ("Tổng số: 125 văn bản
    (Bằng chữ: Một trăm hai mươi lăm văn bản)."); None leaves that line out.
    `count` overrides the number of level-0 rows. `number_header` adds the
    row "(1) (2) …" under the headers, as the registers of Phụ lục IV have.
    `cover` (a Cover) is a first page of its own in the PDF; the pages
    after it are numbered from 1.
    """
    title: str
    columns: Sequence[Column]
    rows: Iterable = ()
    subtitle: str = ''
    agency: str = ''
    parent_agency: str = ''
    place: str = ''
    date: Optional[datetime.date] = None
    number: str = ''
    orientation: str = 'landscape'
    totals: Optional[Mapping] = None
    totals_label: str = 'Tổng cộng'
    count_noun: Optional[str] = 'văn bản'
    count: Optional[int] = None
    number_header: bool = False
    charts: Sequence[Chart] = ()
    notes: Sequence[str] = ()
    signatures: Sequence[Signature] = ()
    sheet_name: str = ''
    empty_text: str = 'Không có dữ liệu trong kỳ báo cáo.'
    cover: Optional[Cover] = None
    keys: dict = field(init=False, repr=False, default=None)

    def validate(self):
        "Check the definition (not the rows, which are checked as they come)"
        if not self.title:
            raise ReportError('title', 'Báo cáo phải có tiêu đề.')
        if not self.columns:
            raise ReportError('columns', 'Báo cáo phải có ít nhất một cột.')
        keys = {}
        for index, column in enumerate(self.columns):
            if not isinstance(column, Column):
                raise ReportError('columns',
                    'Các cột của báo cáo phải là đối tượng Column.')
            if column.key in keys:
                raise ReportError('column_key',
                    f'Mã cột «{column.key}» bị trùng.')
            keys[column.key] = index
        for column in self.columns:
            for key in column.ratio or ():
                if key not in keys:
                    raise ReportError('column_ratio',
                        f'Cột «{column.header}» tính tỉ lệ theo cột '
                        f'«{key}» không có trong báo cáo.')
                if self.columns[keys[key]].type not in NUMERIC_TYPES:
                    raise ReportError('column_ratio',
                        f'Cột «{column.header}» tính tỉ lệ theo cột '
                        f'«{key}» không phải cột số.')
        groups = [c.group for c in self.columns]
        seen = set()
        for index, group in enumerate(groups):
            if group is None:
                continue
            if group in seen and groups[index - 1] != group:
                raise ReportError('column_group',
                    f'Các cột thuộc nhóm «{group}» phải đứng liền nhau.')
            seen.add(group)
        if self.orientation not in ORIENTATIONS:
            raise ReportError('orientation',
                f'Hướng trang không hợp lệ: {self.orientation!r} (chỉ nhận '
                f'landscape, portrait).')
        if self.totals is not None:
            for key in self.totals:
                if key not in keys:
                    raise ReportError('totals',
                        f'Dòng tổng có cột «{key}» không có trong báo cáo.')
        if self.count is not None and not (
                isinstance(self.count, int) and self.count >= 0):
            raise ReportError('count',
                'Tổng số phải là số nguyên không âm.')
        if self.cover is not None and not (
                isinstance(self.cover, Cover) and self.cover.title):
            raise ReportError('cover',
                'Trang bìa của báo cáo phải là đối tượng Cover có tiêu đề.')
        for chart in self.charts:
            if not isinstance(chart, Chart):
                raise ReportError('chart',
                    'Biểu đồ của báo cáo phải là đối tượng Chart.')
        self.keys = keys

    @property
    def report_date(self):
        return self.date or datetime.date.today()

    @property
    def has_totals(self):
        return bool(self.totals) or any(c.total for c in self.columns)


def _is_number(value):
    return (isinstance(value, (Real, Decimal))
        and not isinstance(value, bool))


def check_value(column, value, line):
    """Return `value` if it fits the column type, else raise ReportError.

    `line` is the 1-based row number, for the message.
    """
    if value is None or value == '':
        return None
    kind = column.type
    if kind == TEXT:
        return value if isinstance(value, str) else str(value)
    if kind in NUMERIC_TYPES:
        if _is_number(value):
            return value
        raise ReportError('value_type',
            f'Giá trị {value!r} ở dòng {line}, cột «{column.header}» '
            f'không phải là số.')
    if kind == DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        raise ReportError('value_type',
            f'Giá trị {value!r} ở dòng {line}, cột «{column.header}» '
            f'không phải là ngày.')
    if kind == DATETIME:
        if isinstance(value, datetime.datetime):
            return value
        raise ReportError('value_type',
            f'Giá trị {value!r} ở dòng {line}, cột «{column.header}» '
            f'không phải là ngày giờ.')
    raise AssertionError(kind)


def iter_rows(report):
    """Yield (Row, values in column order) for each row of the report,
    checked against the column types."""
    columns = report.columns
    width = len(columns)
    for line, row in enumerate(report.rows, 1):
        if not isinstance(row, Row):
            row = Row(row)
        data = row.values
        if isinstance(data, Mapping):
            unknown = set(data) - set(report.keys)
            if unknown:
                raise ReportError('row_keys',
                    f'Dòng {line} có cột không có trong báo cáo: '
                    f'{", ".join(sorted(map(str, unknown)))}.')
            raw = [data.get(c.key) for c in columns]
        elif isinstance(data, (list, tuple)):
            if len(data) != width:
                raise ReportError('row_length',
                    f'Dòng {line} có {len(data)} giá trị, báo cáo có '
                    f'{width} cột.')
            raw = data
        else:
            raise ReportError('row_type',
                f'Dòng {line} phải là dict, list hoặc tuple.')
        if not isinstance(row.level, int) or row.level < 0:
            raise ReportError('row_level',
                f'Cấp của dòng {line} phải là số nguyên không âm.')
        yield row, [check_value(c, v, line) for c, v in zip(columns, raw)]


@dataclass(frozen=True)
class HeaderCell:
    "A header cell covering rows first_row..last_row, columns first..last"
    text: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int


def header_cells(report):
    """Return (number of header rows, [HeaderCell]) for the columns.

    Without groups: one row. With groups: the group headers on the first
    row spanning their columns, the columns' own headers under them, and
    ungrouped columns spanning both rows. The optional "(1) (2) …" row of
    the registers comes last.
    """
    columns = report.columns
    grouped = any(c.group for c in columns)
    depth = 2 if grouped else 1
    cells = []
    index = 0
    while index < len(columns):
        column = columns[index]
        if column.group is None:
            cells.append(HeaderCell(column.header, 0, depth - 1, index, index))
            index += 1
            continue
        last = index
        while last + 1 < len(columns) and columns[last + 1].group == (
                column.group):
            last += 1
        cells.append(HeaderCell(column.group, 0, 0, index, last))
        for sub in range(index, last + 1):
            cells.append(HeaderCell(columns[sub].header, 1, 1, sub, sub))
        index = last + 1
    if report.number_header:
        for index in range(len(columns)):
            cells.append(HeaderCell(f'({index + 1})', depth, depth, index,
                    index))
        depth += 1
    return depth, cells


class TotalsAccumulator:
    """Add up the level-0 rows as they stream by.

    Sums are kept exact (Decimal when given Decimals, int for ints) so the
    PDF shows the same figure as the SQL that produced the rows.
    """

    def __init__(self, report):
        self.report = report
        self.rows = 0
        self.detail_rows = 0
        self.sums = {c.key: 0 for c in report.columns}
        self.counts = {c.key: 0 for c in report.columns}

    def add(self, row, values):
        if row.level:
            self.detail_rows += 1
            return
        self.rows += 1
        for column, value in zip(self.report.columns, values):
            if value is None:
                continue
            self.counts[column.key] += 1
            if column.type in NUMERIC_TYPES:
                try:
                    self.sums[column.key] += value
                except TypeError:
                    # Decimal and float do not mix
                    self.sums[column.key] = (
                        float(self.sums[column.key]) + float(value))

    def value(self, column):
        "The total of `column`, or None when it has none"
        explicit = self.report.totals or {}
        if column.key in explicit:
            return explicit[column.key]
        if column.total == SUM:
            return self.sums[column.key]
        if column.total == COUNT:
            return self.counts[column.key]
        if column.total == RATIO:
            numerator, denominator = column.ratio
            denominator = self.sums[denominator]
            if not denominator:
                return None
            return self.sums[numerator] / denominator
        return None

    @property
    def count(self):
        "The number of things the report lists, for the line in words"
        if self.report.count is not None:
            return self.report.count
        return self.rows


def totals_label_span(report):
    """The columns (first, last) that hold the "Tổng cộng" label: those
    before the first column with a total; None when the first column has
    a total itself."""
    explicit = report.totals or {}
    for index, column in enumerate(report.columns):
        if column.total or explicit.get(column.key) is not None:
            break
    else:
        index = len(report.columns)
    if index == 0:
        return None
    return 0, index - 1
