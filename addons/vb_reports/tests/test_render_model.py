# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"The report model, the Vietnamese formatting and the register layouts"
import datetime
import os
import unittest
from decimal import Decimal

import reportlab

from trytond.modules.vb_reports.render import (
    COUNT, DATE, DATETIME, INT, MONEY, NUMBER, PERCENT, RATIO, SUM, TEXT,
    Chart, Column, Report, ReportError, Row, Series, count_in_words,
    count_line, format_cell, format_number, format_percent,
    incoming_register_columns, outgoing_register_columns, period_line,
    register_report)
from trytond.modules.vb_reports.render.fonts import (
    FONT_FAMILIES, VIETNAMESE_LETTERS, FontFamily, report_fonts)
from trytond.modules.vb_reports.render.model import (
    TotalsAccumulator, header_cells, iter_rows, totals_label_span)

from .render_samples import statistics_report


def _checked(report):
    report.validate()
    return list(iter_rows(report))


class RegisterColumnsTestCase(unittest.TestCase):
    "Nghị định 30/2020, Phụ lục IV (spec §4.7)"

    def test_incoming_register(self):
        self.assertEqual([c.header for c in incoming_register_columns()], [
                'Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu văn bản',
                'Ngày tháng văn bản',
                'Tên loại và trích yếu nội dung văn bản',
                'Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận',
                'Ghi chú'])
        types = {c.key: c.type for c in incoming_register_columns()}
        self.assertEqual(types['received_date'], DATE)
        self.assertEqual(types['incoming_number'], INT)
        self.assertEqual(types['transfer_date'], DATE)

    def test_outgoing_register(self):
        self.assertEqual([c.header for c in outgoing_register_columns()], [
                'Số, ký hiệu văn bản', 'Ngày tháng văn bản',
                'Tên loại và trích yếu nội dung văn bản', 'Người ký',
                'Nơi nhận văn bản', 'Đơn vị, người nhận bản lưu',
                'Số lượng bản', 'Ngày chuyển', 'Ký nhận', 'Ghi chú'])
        copies, = [c for c in outgoing_register_columns()
            if c.key == 'copies']
        self.assertEqual((copies.type, copies.total), (INT, SUM))

    def test_register_report(self):
        report = register_report('outgoing', [], agency='Sở Nội vụ')
        self.assertEqual(report.title, 'SỔ ĐĂNG KÝ VĂN BẢN ĐI')
        self.assertEqual(report.orientation, 'landscape')
        depth, cells = header_cells(report)
        # The headers, then the row "(1) … (10)" of the forms
        self.assertEqual(depth, 2)
        self.assertEqual([c.text for c in cells if c.first_row == 1],
            [f'({n})' for n in range(1, 11)])
        with self.assertRaises(ReportError) as context:
            register_report('internal', [])
        self.assertEqual(context.exception.code, 'register_kind')


class ColumnTestCase(unittest.TestCase):

    def assertRefused(self, code, *args, **kwargs):
        with self.assertRaises(ReportError) as context:
            Column(*args, **kwargs)
        self.assertEqual(context.exception.code, code)
        return context.exception

    def test_defaults(self):
        column = Column('n', 'Số lượng', INT)
        self.assertEqual(column.alignment, 'right')
        self.assertEqual(column.decimals, 0)
        self.assertEqual(Column('d', 'Ngày', DATE).alignment, 'center')
        self.assertEqual(Column('p', 'Tỉ lệ', PERCENT).decimals, 1)
        self.assertEqual(Column('t', 'Tên', width=40).width_chars, 40)

    def test_bad_columns(self):
        error = self.assertRefused('column_type', 'x', 'Cột X', 'float')
        self.assertIn('Cột «Cột X» có kiểu dữ liệu không hợp lệ', str(error))
        self.assertRefused('column_key', '', 'Cột')
        self.assertRefused('column_align', 'x', 'X', align='justify')
        self.assertRefused('column_width', 'x', 'X', width=0)
        self.assertRefused('column_total', 'x', 'X', total='avg')
        self.assertRefused('column_total', 'x', 'X', TEXT, total=SUM)
        self.assertRefused('column_ratio', 'x', 'X', PERCENT, total=RATIO)
        self.assertRefused('column_digits', 'x', 'X', NUMBER, digits=9)

    def test_bad_reports(self):
        def refused(code, **values):
            values.setdefault('columns', [Column('a', 'A')])
            with self.assertRaises(ReportError) as context:
                Report('Báo cáo', **values).validate()
            self.assertEqual(context.exception.code, code)
            return context.exception
        refused('columns', columns=[])
        error = refused('column_key',
            columns=[Column('a', 'A'), Column('a', 'B')])
        self.assertEqual(str(error), 'Mã cột «a» bị trùng.')
        refused('column_group', columns=[
                Column('a', 'A', INT, group='G'), Column('b', 'B'),
                Column('c', 'C', INT, group='G')])
        refused('column_ratio', columns=[
                Column('a', 'A', PERCENT, total=RATIO, ratio=('x', 'y'))])
        refused('totals', totals={'missing': 1})
        refused('orientation', orientation='upside-down')
        refused('count', count=-1)
        with self.assertRaises(ReportError):
            Report('', columns=[Column('a', 'A')]).validate()

    def test_bad_charts(self):
        with self.assertRaises(ReportError) as context:
            Chart('pie', 'Biểu đồ', ['A'], [Series('S', [1])])
        self.assertEqual(context.exception.code, 'chart_kind')
        with self.assertRaises(ReportError) as context:
            Chart('bar', 'Biểu đồ', ['A', 'B'], [Series('S', [1])])
        self.assertEqual(context.exception.code, 'chart_series')
        with self.assertRaises(ReportError) as context:
            Chart('bar', 'Biểu đồ', ['A'], [Series('S', ['nhiều'])])
        self.assertEqual(context.exception.code, 'chart_value')


class RowsTestCase(unittest.TestCase):

    def setUp(self):
        self.columns = [
            Column('name', 'Tên'), Column('count', 'Số lượng', INT),
            Column('day', 'Ngày', DATE), Column('at', 'Lúc', DATETIME)]

    def test_rows_as_dicts_sequences_and_rows(self):
        moment = datetime.datetime(2026, 3, 5, 14, 30)
        rows = _checked(Report('B', self.columns, rows=[
                    {'name': 'A', 'count': 3},
                    ('B', Decimal('4'), moment, moment),
                    Row(['C', 5, None, None], level=1, bold=True)]))
        self.assertEqual([values for _, values in rows], [
                ['A', 3, None, None],
                ['B', Decimal('4'), moment.date(), moment],
                ['C', 5, None, None]])
        self.assertEqual(rows[2][0].level, 1)

    def test_bad_rows(self):
        def refused(code, row):
            with self.assertRaises(ReportError) as context:
                _checked(Report('B', self.columns, rows=[row]))
            self.assertEqual(context.exception.code, code)
            return context.exception
        error = refused('value_type', {'count': 'ba'})
        self.assertEqual(str(error),
            "Giá trị 'ba' ở dòng 1, cột «Số lượng» không phải là số.")
        refused('value_type', {'count': True})
        refused('value_type', {'day': '2026-03-05'})
        refused('value_type', {'at': datetime.date(2026, 3, 5)})
        refused('row_length', ('A', 1))
        refused('row_keys', {'nam': 'A'})
        refused('row_type', 'A')
        refused('row_level', Row({'name': 'A'}, level=-1))


class TotalsTestCase(unittest.TestCase):

    def test_level_zero_rows_are_added_up(self):
        report = statistics_report(units=True)
        report.validate()
        totals = TotalsAccumulator(report)
        for row, values in iter_rows(report):
            totals.add(row, values)
        columns = {c.key: c for c in report.columns}
        self.assertEqual(totals.value(columns['received']), 400)
        self.assertEqual(totals.value(columns['on_time']), 308)
        self.assertAlmostEqual(totals.value(columns['on_time_rate']), 0.77)
        self.assertEqual((totals.rows, totals.detail_rows), (3, 3))
        self.assertEqual(totals.count, 3)

    def test_explicit_totals_and_count(self):
        columns = [Column('unit', 'Đơn vị'),
            Column('users', 'Người dùng', INT, total=COUNT)]
        report = Report('B', columns, rows=[('A', 1), ('B', None)],
            totals={'users': 7}, count=12)
        rows = _checked(report)
        totals = TotalsAccumulator(report)
        for row, values in rows:
            totals.add(row, values)
        self.assertEqual(totals.value(columns[1]), 7)
        self.assertEqual(totals.count, 12)
        report.totals = None
        self.assertEqual(totals.value(columns[1]), 1)

    def test_decimal_and_float_values(self):
        column = Column('money', 'Tiền', MONEY, total=SUM)
        report = Report('B', [column], rows=[(Decimal('0.1'),), (0.2,),
                (Decimal('0.3'),)])
        totals = TotalsAccumulator(report)
        for row, values in _checked(report):
            totals.add(row, values)
        self.assertAlmostEqual(totals.value(column), 0.6)

    def test_label_span(self):
        report = statistics_report()
        self.assertEqual(totals_label_span(report), (0, 0))
        report = Report('B', [Column('a', 'A', INT, total=SUM)])
        self.assertIsNone(totals_label_span(report))


class FormattingTestCase(unittest.TestCase):

    def test_numbers(self):
        self.assertEqual(format_number(1234567), '1.234.567')
        self.assertEqual(format_number(Decimal('1234.5'), 2), '1.234,50')
        self.assertEqual(format_number(2.5), '3')  # half away from zero
        self.assertEqual(format_number(1234, grouping=False), '1234')
        self.assertEqual(format_percent(0.853), '85,3%')
        self.assertEqual(format_percent(Decimal('0.5'), 0), '50%')
        self.assertEqual(format_cell(Column('m', 'Tiền', MONEY), 80000),
            '80.000')
        self.assertEqual(format_cell(Column('d', 'Ngày', DATE),
                datetime.date(2026, 3, 5)), '05/03/2026')
        self.assertEqual(format_cell(Column('t', 'Lúc', DATETIME),
                datetime.datetime(2026, 3, 5, 8, 7)), '05/03/2026 08:07')
        self.assertEqual(format_cell(Column('n', 'N', INT), None), '')

    def test_count_in_words(self):
        self.assertEqual(count_in_words(0), 'Không')
        self.assertEqual(count_in_words(21), 'Hai mươi mốt')
        self.assertEqual(count_in_words(105), 'Một trăm lẻ năm')
        self.assertEqual(count_in_words(1234),
            'Một nghìn hai trăm ba mươi bốn')
        self.assertEqual(count_in_words(20000), 'Hai mươi nghìn')
        self.assertEqual(count_line(125, 'văn bản'),
            'Tổng số: 125 văn bản (Bằng chữ: Một trăm hai mươi lăm văn '
            'bản).')
        with self.assertRaises(ReportError):
            count_in_words(-1)

    def test_period_line(self):
        self.assertEqual(
            period_line(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
            'Từ ngày 01/01/2026 đến ngày 31/03/2026')
        self.assertEqual(
            period_line(datetime.date(2026, 3, 5), datetime.date(2026, 3, 5)),
            'Ngày 05/03/2026')
        with self.assertRaises(ReportError) as context:
            period_line(datetime.date(2026, 3, 5), datetime.date(2026, 3, 1))
        self.assertEqual(str(context.exception),
            'Ngày kết thúc (01/03/2026) trước ngày bắt đầu (05/03/2026) của '
            'kỳ báo cáo.')
        with self.assertRaises(ReportError):
            period_line(None, datetime.date(2026, 3, 1))


class FontsTestCase(unittest.TestCase):

    def test_family_covers_vietnamese(self):
        from reportlab.pdfbase.pdfmetrics import getFont
        fonts = report_fonts()
        for name in (fonts.regular, fonts.bold, fonts.italic):
            glyphs = getFont(name).face.charToGlyph
            self.assertTrue(all(ord(c) in glyphs for c in VIETNAMESE_LETTERS))

    def test_family_without_vietnamese_is_refused(self):
        # Bitstream Vera, shipped with reportlab, has no ơ, ư, ạ, …
        directory = os.path.join(os.path.dirname(reportlab.__file__),
            'fonts')
        vera = FontFamily('Vera', os.path.join(directory, 'Vera.ttf'),
            os.path.join(directory, 'VeraBd.ttf'))
        self.assertTrue(os.path.exists(vera.regular))
        with self.assertRaises(ReportError) as context:
            report_fonts([vera])
        self.assertEqual(context.exception.code, 'font')
        missing = FontFamily('None', '/nonexistent.ttf', '/nonexistent.ttf')
        with self.assertRaises(ReportError):
            report_fonts([missing])
        # Skipped over, the next family that fits is taken
        self.assertEqual(report_fonts([missing, vera, *FONT_FAMILIES]),
            report_fonts())
