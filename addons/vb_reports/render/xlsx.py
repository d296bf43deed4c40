# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A report as XLSX (xlsxwriter).

Typed cells (dates are Excel dates shown dd/mm/yyyy, numbers are numbers),
the heading of the PDF in merged rows, frozen header rows, an autofilter,
column widths, a totals row made of formulas (SUM, COUNTA) that carry their
computed value too, and native Excel charts on a second sheet.

The workbook is written in xlsxwriter's constant_memory mode: each row goes
to a temporary file as soon as the next one starts, so memory stays flat
whatever the number of rows. That mode only accepts rows in increasing
order, which is why the header merges are written the way they are.
"""
import datetime
import io
import tempfile
from decimal import Decimal

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name

from .errors import ReportError
from .formatting import (
    NATIONAL_MOTTO, NATIONAL_NAME, count_line, date_line)
from .model import (
    COUNT, DATE, DATETIME, INT, MONEY, NUMBER, NUMERIC_TYPES, PERCENT, RATIO,
    SUM, TEXT, TotalsAccumulator, header_cells, iter_rows,
    totals_label_span)

CHART_SHEET = 'Biểu đồ'
INVALID_SHEET_CHARS = set('[]:*?/\\')
# Rows of the chart sheet given to each chart (its data and the chart)
CHART_BLOCK_ROWS = 22


def render_xlsx(report, output=None):
    """Render `report` (a model.Report) as XLSX.

    Return the bytes, or write them to the binary file object `output` (only
    once the whole workbook is built) and return None.
    """
    report.validate()
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix='vbr-xlsx-') as tmpdir:
        workbook = Workbook(buffer, {
                'constant_memory': True,
                'tmpdir': tmpdir,
                'remove_timezone': True,
                'default_date_format': 'dd/mm/yyyy',
                })
        # On error the temporary directory goes with the row files and
        # nothing reaches `output`
        _Writer(workbook, report).write()
        workbook.close()
    data = buffer.getvalue()
    if output is None:
        return data
    output.write(data)


def sheet_name(title):
    "A valid worksheet name (≤ 31 characters, none of []:*?/\\) for title"
    name = ''.join(' ' if c in INVALID_SHEET_CHARS else c for c in title)
    name = ' '.join(name.split())
    if len(name) > 31:
        # Cut between words when that keeps most of the title
        cut = name[:32].rsplit(' ', 1)[0]
        name = cut if len(cut) >= 20 else name[:31]
    return name.strip("' ") or 'Báo cáo'


EXCEL_MAX_ROWS = 1_048_576
# Points per line of 11 pt text
LINE_HEIGHT = 15


def _lines(text, width_chars, bold=True):
    """How many lines `text` takes in a wrapped cell `width_chars` wide, an
    estimate (Times New Roman is narrower than the width unit's digits)"""
    room = max(1, int(width_chars * (1.0 if bold else 1.1)) - 1)
    lines = 0
    for paragraph in str(text).split('\n'):
        line = 0
        lines += 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > room:
                lines += 1
                line = len(word)
            else:
                line += (1 if line else 0) + len(word)
    return max(1, lines)


NUMBER_FORMATS = {
    DATE: 'dd/mm/yyyy',
    DATETIME: 'dd/mm/yyyy hh:mm',
    }


def _number_format(column):
    if column.type in NUMBER_FORMATS:
        return NUMBER_FORMATS[column.type]
    if column.type not in NUMERIC_TYPES:
        return None
    decimals = '.' + '0' * column.decimals if column.decimals else ''
    if column.type == PERCENT:
        return '0' + decimals + '%'
    if column.type in {INT, NUMBER, MONEY} and not column.grouping:
        return '0' + decimals
    return '#,##0' + decimals


def _excel_value(column, value):
    if column.type in NUMERIC_TYPES:
        return float(value) if isinstance(value, Decimal) else value
    if column.type == DATE and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


class _Writer:

    def __init__(self, workbook, report):
        self.workbook = workbook
        self.report = report
        self.columns = report.columns
        self.sheet = workbook.add_worksheet(
            sheet_name(report.sheet_name or report.title))
        self.row = 0
        self._formats = {}

    def format(self, **properties):
        "One Format per set of properties (Excel limits their number)"
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(
                dict(properties, font_name='Times New Roman',
                    font_size=properties.get('font_size', 11)))
        return self._formats[key]

    def write(self):
        report = self.report
        sheet = self.sheet
        for index, column in enumerate(self.columns):
            sheet.set_column(index, index, column.width_chars)
        self._heading()
        header_first = self.row
        self._header()
        first_data = self.row
        totals = TotalsAccumulator(report)
        for row, values in iter_rows(report):
            totals.add(row, values)
            self._data_row(row, values)
        last_data = self.row - 1
        has_rows = bool(totals.rows or totals.detail_rows)
        if not has_rows:
            self._merged(self.row, report.empty_text,
                self.format(italic=True, align='center', border=1))
            self.row += 1
        if report.has_totals:
            self._totals(totals, first_data, last_data, has_rows)
        if report.count_noun is not None:
            self._merged(self.row, count_line(totals.count,
                    report.count_noun), self.format(italic=True))
            self.row += 1
        width = self._span_width(0, len(self.columns) - 1)
        for note in report.notes:
            self.sheet.set_row(self.row,
                _lines(note, width, bold=False) * LINE_HEIGHT + 2)
            self._merged(self.row, note,
                self.format(text_wrap=True, valign='top'))
            self.row += 1
        self._signatures()
        sheet.freeze_panes(first_data, 0)
        if has_rows:
            sheet.autofilter(first_data - 1, 0, last_data,
                len(self.columns) - 1)
        self._page_setup(header_first, first_data - 1)
        if report.charts:
            self._charts()

    # Heading

    def _merged(self, row, text, cell_format, first=0, last=None):
        last = len(self.columns) - 1 if last is None else last
        if last > first:
            self.sheet.merge_range(row, first, row, last, text, cell_format)
        else:
            self.sheet.write(row, first, text, cell_format)

    def _heading(self):
        report = self.report
        left = []
        if report.parent_agency:
            left.append((report.parent_agency.upper(),
                    self.format(align='center', font_size=12)))
        if report.agency:
            left.append((report.agency.upper(),
                    self.format(align='center', bold=True, font_size=12)))
        if report.number:
            left.append((f'Số: {report.number}',
                    self.format(align='center', font_size=12)))
        right = [
            (NATIONAL_NAME, self.format(align='center', bold=True,
                    font_size=12)),
            (NATIONAL_MOTTO, self.format(align='center', bold=True,
                    underline=1, font_size=13)),
            (date_line(report.place, report.report_date),
                self.format(align='center', italic=True, font_size=12)),
            ]
        count = len(self.columns)
        if count == 1:
            lines = left + right
            for text, cell_format in lines:
                self.sheet.write(self.row, 0, text, cell_format)
                self.row += 1
        else:
            split = max(1, round(count * 0.4))
            for index in range(max(len(left), len(right))):
                if index < len(left):
                    self._merged(self.row, *left[index], 0, split - 1)
                if index < len(right):
                    self._merged(self.row, *right[index], split, count - 1)
                self.row += 1
        self.row += 1
        self._merged(self.row, report.title.upper(),
            self.format(align='center', bold=True, font_size=14))
        self.row += 1
        if report.subtitle:
            self._merged(self.row, report.subtitle,
                self.format(align='center', italic=True, font_size=12))
            self.row += 1
        self.row += 1

    def _header(self):
        """The header rows, written strictly row after row.

        A cell spanning rows is merged without a format (so xlsxwriter
        writes nothing below it yet), its top-left cell is then written
        with the format, and the cells under it get their formatted blanks
        when their own row comes.
        """
        depth, cells = header_cells(self.report)
        header_format = self.format(bold=True, align='center',
            valign='vcenter', text_wrap=True, border=1, bg_color='#F0F0F0')
        top = self.row
        covered = set()
        heights = self._header_heights(depth, cells)
        for level in range(depth):
            row = top + level
            # Excel does not fit the height of merged cells to their text
            self.sheet.set_row(row, heights[level])
            for cell in cells:
                if cell.first_row != level:
                    continue
                first_col, last_col = cell.first_col, cell.last_col
                last_row = top + cell.last_row
                if last_row > row:
                    self.sheet.merge_range(row, first_col, last_row,
                        last_col, cell.text, None)
                    self.sheet.write(row, first_col, cell.text,
                        header_format)
                    for col in range(first_col + 1, last_col + 1):
                        self.sheet.write_blank(row, col, None,
                            header_format)
                    covered.update((r, c)
                        for r in range(row + 1, last_row + 1)
                        for c in range(first_col, last_col + 1))
                elif last_col > first_col:
                    self.sheet.merge_range(row, first_col, row, last_col,
                        cell.text, header_format)
                else:
                    self.sheet.write(row, first_col, cell.text,
                        header_format)
            for col in range(len(self.columns)):
                if (row, col) in covered:
                    self.sheet.write_blank(row, col, None, header_format)
        self.row = top + depth

    def _span_width(self, first, last):
        return sum(c.width_chars for c in self.columns[first:last + 1])

    def _header_heights(self, depth, cells):
        "Row heights (points) in which every header's text fits"
        heights = [LINE_HEIGHT] * depth
        for cell in sorted(cells, key=lambda c: c.last_row - c.first_row):
            lines = _lines(cell.text,
                self._span_width(cell.first_col, cell.last_col))
            needed = lines * LINE_HEIGHT + 4
            rows = range(cell.first_row, cell.last_row + 1)
            missing = needed - sum(heights[r] for r in rows)
            if missing > 0:
                heights[cell.last_row] += missing
        return heights

    # Body

    def _cell_format(self, column, bold=False, indent=0, totals=False):
        properties = {'border': 1, 'valign': 'top',
            'align': column.alignment}
        number_format = _number_format(column)
        if number_format:
            properties['num_format'] = number_format
        if column.type == TEXT:
            properties['text_wrap'] = True
        if bold:
            properties['bold'] = True
        if indent:
            properties['indent'] = indent
        if totals:
            properties['top'] = 2
        return self.format(**properties)

    def _data_row(self, row, values):
        sheet = self.sheet
        number = self.row
        if number >= EXCEL_MAX_ROWS - 20:
            # xlsxwriter would drop the rows silently
            raise ReportError('too_many_rows',
                'Báo cáo có quá nhiều dòng cho một trang tính Excel (tối đa '
                '1.048.576 dòng); hãy thu hẹp kỳ hoặc phạm vi báo cáo.')
        if row.level:
            sheet.set_row(number, None, None, {'level': min(row.level, 7)})
        for index, (column, value) in enumerate(zip(self.columns, values)):
            cell_format = self._cell_format(column, row.bold,
                row.level if index == 0 else 0)
            if value is None:
                sheet.write_blank(number, index, None, cell_format)
            elif column.type in NUMERIC_TYPES:
                sheet.write_number(number, index,
                    _excel_value(column, value), cell_format)
            elif column.type in {DATE, DATETIME}:
                sheet.write_datetime(number, index,
                    _excel_value(column, value), cell_format)
            else:
                sheet.write_string(number, index, value, cell_format)
        self.row += 1

    def _totals(self, totals, first, last, has_rows):
        """Formulas over the data rows, with their computed value cached.

        Static values instead where a formula would be wrong: explicit
        totals, no rows, or drill-down rows (which the sums leave out).
        """
        report = self.report
        sheet = self.sheet
        number = self.row
        explicit = report.totals or {}
        use_formulas = has_rows and not totals.detail_rows
        label = totals_label_span(report)
        keys = {c.key: i for i, c in enumerate(self.columns)}

        def span(key):
            name = xl_col_to_name(keys[key])
            return f'{name}{first + 1}:{name}{last + 1}'
        for index, column in enumerate(self.columns):
            cell_format = self._cell_format(column, bold=True, totals=True)
            value = totals.value(column)
            if column.total == COUNT and column.key not in explicit:
                cell_format = self.format(border=1, top=2, bold=True,
                    valign='top', align=column.alignment, num_format='#,##0')
            if label and index <= label[1]:
                if index == 0:
                    self._merged(number, report.totals_label,
                        self.format(border=1, top=2, bold=True,
                            valign='top'), 0, label[1])
                continue
            if value is not None and isinstance(value, Decimal):
                value = float(value)
            formula = None
            if use_formulas and column.key not in explicit:
                if column.total == SUM:
                    formula = f'=SUM({span(column.key)})'
                elif column.total == COUNT:
                    formula = f'=COUNTA({span(column.key)})'
                elif column.total == RATIO:
                    numerator, denominator = column.ratio
                    formula = (f'=IF(SUM({span(denominator)})=0,"",'
                        f'SUM({span(numerator)})/SUM({span(denominator)}))')
            if formula:
                sheet.write_formula(number, index, formula, cell_format,
                    '' if value is None else value)
            elif value is None:
                sheet.write_blank(number, index, None, cell_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(number, index, value, cell_format)
            else:
                sheet.write(number, index, _excel_value(column, value),
                    cell_format)
        self.row += 1

    def _signatures(self):
        signatures = self.report.signatures
        if not signatures:
            return
        count = len(self.columns)
        self.row += 1
        blocks = []
        for index in range(len(signatures)):
            first = index * count // len(signatures)
            last = max(first, (index + 1) * count // len(signatures) - 1)
            blocks.append((first, last))
        lines = [
            ([s.title.upper() for s in signatures],
                self.format(bold=True, align='center', font_size=12)),
            ([s.hint for s in signatures],
                self.format(italic=True, align='center')),
            None, None, None,
            ([s.name for s in signatures],
                self.format(bold=True, align='center', font_size=12)),
            ]
        for line in lines:
            if line:
                texts, cell_format = line
                for text, (first, last) in zip(texts, blocks):
                    if text:
                        self._merged(self.row, text, cell_format, first,
                            last)
            self.row += 1

    def _page_setup(self, header_first, header_last):
        sheet = self.sheet
        if self.report.orientation == 'landscape':
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.8, right=0.6, top=0.8, bottom=0.8)
        sheet.repeat_rows(header_first, header_last)
        sheet.fit_to_pages(1, 0)
        sheet.set_footer('&CTrang &P/&N')

    # Charts

    def _charts(self):
        sheet = self.workbook.add_worksheet(CHART_SHEET)
        title_format = self.format(bold=True)
        head_format = self.format(bold=True, border=1, bg_color='#F0F0F0',
            text_wrap=True)
        text_format = self.format(border=1)
        row = 0
        for chart in self.report.charts:
            value_format = self.format(border=1,
                num_format='0.0%' if chart.value_type == PERCENT
                else '#,##0')
            sheet.write_string(row, 0, chart.title, title_format)
            head = row + 1
            sheet.write_string(head, 0, '', head_format)
            for index, series in enumerate(chart.series, 1):
                sheet.write_string(head, index, series.name, head_format)
            for offset, category in enumerate(chart.categories, 1):
                sheet.write_string(head + offset, 0, str(category),
                    text_format)
                for index, series in enumerate(chart.series, 1):
                    value = series.values[offset - 1]
                    if value is None:
                        sheet.write_blank(head + offset, index, None,
                            value_format)
                    else:
                        sheet.write_number(head + offset, index,
                            float(value), value_format)
            first, last = head + 1, head + len(chart.categories)
            excel = self.workbook.add_chart({
                    'type': 'column' if chart.kind == 'bar' else 'line'})
            for index, series in enumerate(chart.series, 1):
                options = {
                    'name': [CHART_SHEET, head, index],
                    'categories': [CHART_SHEET, first, 0, last, 0],
                    'values': [CHART_SHEET, first, index, last, index],
                    }
                if chart.kind == 'line':
                    options['marker'] = {'type': 'circle'}
                excel.add_series(options)
            excel.set_title({'name': chart.title,
                    'name_font': {'name': 'Times New Roman', 'size': 12}})
            excel.set_y_axis({
                    'num_format': '0%' if chart.value_type == PERCENT
                    else '#,##0',
                    'major_gridlines': {'visible': True}})
            excel.set_legend({'position': 'bottom'})
            excel.set_size({'width': 640, 'height': 360})
            sheet.insert_chart(row, len(chart.series) + 2, excel)
            row += max(CHART_BLOCK_ROWS, len(chart.categories) + 4)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, max(1, max(len(c.series)
                    for c in self.report.charts)), 14)
