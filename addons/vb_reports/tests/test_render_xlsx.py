# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"XLSX rendering, read back with openpyxl"
import datetime
import io
import os
import re
import tempfile
import unittest
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string

from trytond.modules.vb_reports.render import (
    DATETIME, MONEY, Column, Report, ReportError, render_xlsx)
from trytond.modules.vb_reports.render.formatting import (
    NATIONAL_MOTTO, NATIONAL_NAME)
from trytond.modules.vb_reports.render import xlsx as xlsx_module
from trytond.modules.vb_reports.render.xlsx import sheet_name

from .render_samples import (
    DATE_LINE, LONG_SUBJECT, PARENT_AGENCY, STATISTICS_TOTALS,
    incoming_register, incoming_rows, statistics_report)

# Heading rows 1–7, header rows 8–9, data from row 10
FIRST_DATA = 10


def _open(data, **options):
    return openpyxl.load_workbook(io.BytesIO(data), **options)


def _row_of(sheet, text, column=1):
    "The number of the first row whose cell in `column` holds `text`"
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, column).value == text:
            return row
    raise AssertionError(f'{text!r} not found')


def _width(sheet, letter):
    "The width of a column (openpyxl groups equal neighbours)"
    index = column_index_from_string(letter)
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= index <= dimension.max:
            return dimension.width


class RegisterXlsxTestCase(unittest.TestCase):

    ROWS = 30

    @classmethod
    def setUpClass(cls):
        cls.data = render_xlsx(incoming_register(cls.ROWS))
        cls.book = _open(cls.data)
        cls.sheet = cls.book.worksheets[0]
        cls.values = _open(cls.data, data_only=True).worksheets[0]
        cls.last = FIRST_DATA + cls.ROWS - 1

    def test_heading(self):
        sheet = self.sheet
        self.assertEqual(sheet.title, 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN')
        self.assertEqual(sheet['A1'].value, PARENT_AGENCY.upper())
        self.assertEqual(sheet['E1'].value, NATIONAL_NAME)
        self.assertEqual(sheet['E2'].value, NATIONAL_MOTTO)
        self.assertEqual(sheet['E2'].font.u, 'single')
        self.assertEqual(sheet['E3'].value, DATE_LINE)
        self.assertTrue(sheet['E3'].font.i)
        self.assertEqual(sheet['A5'].value, 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN')
        self.assertEqual(sheet['A6'].value,
            'Từ ngày 01/01/2026 đến ngày 31/03/2026')
        merged = {str(r) for r in sheet.merged_cells.ranges}
        self.assertLessEqual({'A1:D1', 'E1:J1', 'A5:J5', 'A6:J6'}, merged)
        self.assertEqual([sheet.cell(8, c).value for c in range(1, 11)][:3],
            ['Ngày đến', 'Số đến', 'Tác giả'])
        self.assertEqual([sheet.cell(9, c).value for c in range(1, 11)],
            [f'({n})' for n in range(1, 11)])

    def test_typed_cells(self):
        sheet = self.sheet
        first = sheet[f'A{FIRST_DATA}']
        self.assertIsInstance(first.value, datetime.datetime)
        self.assertEqual(first.value.date(), datetime.date(2026, 1, 3))
        self.assertEqual(first.number_format, 'dd/mm/yyyy')
        self.assertTrue(first.is_date)
        number = sheet[f'B{FIRST_DATA}']
        self.assertEqual((number.value, number.data_type), (1, 'n'))
        # A sequence number: no thousands separator
        self.assertEqual(number.number_format, '0')
        self.assertEqual(sheet[f'C{FIRST_DATA}'].value, 'Sở Tài nguyên và '
            'Môi trường')
        self.assertEqual(sheet[f'C{FIRST_DATA}'].data_type, 's')
        self.assertTrue(sheet[f'F{FIRST_DATA}'].alignment.wrap_text)
        self.assertEqual(sheet[f'F{FIRST_DATA + 6}'].value, LONG_SUBJECT)
        self.assertIsNone(sheet[f'I{FIRST_DATA}'].value)
        # Empty cells keep the grid
        self.assertEqual(sheet[f'I{FIRST_DATA}'].border.left.style, 'thin')
        self.assertEqual(sheet[f'B{self.last}'].value, self.ROWS)

    def test_frozen_header_and_autofilter(self):
        self.assertEqual(self.sheet.freeze_panes, f'A{FIRST_DATA}')
        self.assertEqual(self.sheet.auto_filter.ref,
            f'A{FIRST_DATA - 1}:J{self.last}')
        self.assertEqual(self.sheet.print_title_rows, '$8:$9')

    def test_column_widths(self):
        expected = {'A': 11, 'B': 8, 'C': 20, 'D': 16, 'F': 38, 'J': 12}
        for letter, width in expected.items():
            self.assertAlmostEqual(_width(self.sheet, letter), width,
                delta=1, msg=letter)

    def test_totals_formula_and_words(self):
        totals = FIRST_DATA + self.ROWS
        self.assertEqual(self.sheet[f'A{totals}'].value, 'Tổng cộng')
        self.assertEqual(self.sheet[f'B{totals}'].value,
            f'=COUNTA(B{FIRST_DATA}:B{self.last})')
        # The computed value is stored with the formula
        self.assertEqual(self.values[f'B{totals}'].value, self.ROWS)
        self.assertEqual(self.sheet[f'A{totals + 1}'].value,
            'Tổng số: 30 văn bản (Bằng chữ: Ba mươi văn bản).')

    def test_outgoing_register_sum(self):
        rows = [{'number_notation': f'{n:02d}/UBND-VP', 'copies': n,
                'document_date': datetime.date(2026, 3, n)}
            for n in range(1, 6)]
        from trytond.modules.vb_reports.render import register_report
        data = render_xlsx(register_report('outgoing', rows,
                date=datetime.date(2026, 3, 5)))
        sheet = _open(data).worksheets[0]
        values = _open(data, data_only=True).worksheets[0]
        # Without agency nor period the heading is shorter
        first = _row_of(sheet, '(1)') + 1
        totals = first + 5
        self.assertEqual(sheet[f'A{first}'].value, '01/UBND-VP')
        # The first column has no total: the label sits there
        self.assertEqual(sheet[f'A{totals}'].value, 'Tổng cộng')
        self.assertEqual(sheet[f'G{totals}'].value,
            f'=SUM(G{first}:G{totals - 1})')
        self.assertEqual(values[f'G{totals}'].value, 15)


class StatisticsXlsxTestCase(unittest.TestCase):

    def test_grouped_headers_totals_and_percentages(self):
        data = render_xlsx(statistics_report())
        sheet = _open(data).worksheets[0]
        values = _open(data, data_only=True).worksheets[0]
        merged = {str(r) for r in sheet.merged_cells.ranges}
        # Group headers over their columns, the others over both rows
        self.assertLessEqual({'C8:D8', 'E8:F8', 'A8:A9', 'B8:B9', 'G8:G9'},
            merged)
        self.assertEqual(sheet['C8'].value, 'Đã giải quyết')
        self.assertEqual(sheet['D9'].value, 'Quá hạn')
        self.assertEqual(sheet['B9'].border.bottom.style, 'thin')
        self.assertEqual(sheet.freeze_panes, 'A10')
        self.assertEqual(sheet.auto_filter.ref, 'A9:G12')
        self.assertEqual(sheet['G10'].number_format, '0.0%')
        self.assertAlmostEqual(sheet['G11'].value, 0.7)
        self.assertEqual(sheet['B10'].number_format, '#,##0')
        self.assertEqual(sheet['B13'].value, '=SUM(B10:B12)')
        self.assertEqual(sheet['C13'].value, '=SUM(C10:C12)')
        self.assertEqual(sheet['G13'].value,
            '=IF(SUM(B10:B12)=0,"",SUM(C10:C12)/SUM(B10:B12))')
        for letter, key in zip('BCDEF', ['received', 'on_time', 'late',
                    'in_progress', 'overdue']):
            self.assertEqual(values[f'{letter}13'].value,
                STATISTICS_TOTALS[key])
        self.assertAlmostEqual(values['G13'].value, 0.77)
        self.assertEqual(sheet['A14'].value,
            'Tổng số: 3 cơ quan (Bằng chữ: Ba cơ quan).')

    def test_charts(self):
        data = render_xlsx(statistics_report())
        book = _open(data)
        self.assertEqual(book.sheetnames[1], 'Biểu đồ')
        charts = book['Biểu đồ']._charts
        self.assertEqual([type(c).__name__ for c in charts],
            ['BarChart', 'LineChart'])
        self.assertEqual(len(charts[0].series), 2)
        reference = charts[0].series[0].val.numRef.f
        self.assertEqual(reference, "'Biểu đồ'!$B$3:$B$5")
        self.assertEqual([c.value for c in book['Biểu đồ']['B'][2:5]],
            [90, 56, 162])
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
        self.assertIn('xl/charts/chart1.xml', names)
        self.assertIn('xl/charts/chart2.xml', names)

    def test_drill_down(self):
        data = render_xlsx(statistics_report(units=True))
        sheet = _open(data).worksheets[0]
        self.assertEqual(sheet['A11'].value, 'Phòng Tổng hợp (Sở Nội vụ)')
        self.assertEqual(sheet.row_dimensions[11].outline_level, 1)
        self.assertEqual(sheet.row_dimensions[10].outline_level, 0)
        self.assertEqual(sheet['A11'].alignment.indent, 1)
        self.assertTrue(sheet['A10'].font.b)
        # A SUM over every row would count the units twice: the level-0
        # totals are written as values
        self.assertEqual(sheet['B16'].value, 400)
        self.assertEqual(sheet['C16'].value, 308)


class EdgeCasesXlsxTestCase(unittest.TestCase):

    def test_empty_period(self):
        sheet = _open(render_xlsx(incoming_register(0))).worksheets[0]
        self.assertEqual(sheet['A10'].value,
            'Không có dữ liệu trong kỳ báo cáo.')
        self.assertEqual(sheet['B11'].value, 0)
        self.assertEqual(sheet['A12'].value,
            'Tổng số: 0 văn bản (Bằng chữ: Không văn bản).')
        self.assertIsNone(sheet.auto_filter.ref)

    def test_money_and_datetime(self):
        moment = datetime.datetime(2026, 3, 5, 14, 30)
        report = Report('Ước tính tiết kiệm', [
                Column('agency', 'Cơ quan'),
                Column('sent_at', 'Gửi lúc', DATETIME),
                Column('saving', 'Tiết kiệm (đồng)', MONEY, total='sum')],
            rows=[('Sở Nội vụ', moment, 1_200_000),
                ('Sở Y tế', None, 80_000)], count_noun=None,
            date=datetime.date(2026, 3, 5))
        data = render_xlsx(report)
        sheet = _open(data).worksheets[0]
        first = _row_of(sheet, 'Cơ quan') + 1
        self.assertEqual(sheet[f'B{first}'].value, moment)
        self.assertEqual(sheet[f'B{first}'].number_format,
            'dd/mm/yyyy hh:mm')
        self.assertEqual(sheet[f'C{first}'].value, 1_200_000)
        self.assertEqual(sheet[f'C{first}'].number_format, '#,##0')
        self.assertEqual(sheet[f'C{first + 2}'].value,
            f'=SUM(C{first}:C{first + 1})')
        self.assertEqual(_open(data, data_only=True).worksheets[0][
                f'C{first + 2}'].value, 1_280_000)
        # No line in words when the report counts nothing
        self.assertEqual(sheet.max_row, first + 2)

    def test_sheet_names(self):
        self.assertEqual(sheet_name('Báo cáo: tuần 10/2026 [nháp]'),
            'Báo cáo tuần 10 2026 nháp')
        self.assertEqual(
            sheet_name('Báo cáo thống kê tình hình xử lý văn bản'),
            'Báo cáo thống kê tình hình xử')
        self.assertEqual(sheet_name('***'), 'Báo cáo')

    def test_bad_value_writes_nothing(self):
        def rows():
            yield from incoming_rows(40)
            yield {'received_date': '05/03/2026'}
        report = incoming_register(0)
        report.rows = rows()
        output = io.BytesIO()
        before = set(os.listdir(tempfile.gettempdir()))
        with self.assertRaises(ReportError) as context:
            render_xlsx(report, output)
        self.assertEqual(context.exception.code, 'value_type')
        self.assertIn('dòng 41, cột «Ngày đến» không phải là ngày',
            str(context.exception))
        self.assertEqual(output.getvalue(), b'')
        # The temporary row files are gone with their directory
        self.assertEqual({n for n in os.listdir(tempfile.gettempdir())
                if n.startswith('vbr-xlsx-')} - before, set())


    def test_more_rows_than_excel_holds(self):
        output = io.BytesIO()
        limit = xlsx_module.EXCEL_MAX_ROWS
        # Lowered so that the test need not write a million rows
        xlsx_module.EXCEL_MAX_ROWS = 60
        try:
            with self.assertRaises(ReportError) as context:
                render_xlsx(incoming_register(100), output)
        finally:
            xlsx_module.EXCEL_MAX_ROWS = limit
        self.assertEqual(context.exception.code, 'too_many_rows')
        self.assertEqual(output.getvalue(), b'')


class LargeXlsxTestCase(unittest.TestCase):

    ROWS = 20000

    def test_many_rows_constant_memory(self):
        data = render_xlsx(incoming_register(self.ROWS))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            sheet_xml = archive.read('xl/worksheets/sheet1.xml')
        # Written in xlsxwriter's constant_memory mode (each row goes to a
        # temporary file when the next begins), whose mark is inline strings
        # instead of a shared-string table
        self.assertNotIn('xl/sharedStrings.xml', names)
        self.assertIn(b't="inlineStr"', sheet_xml)
        # The last rows, read in the XML: openpyxl would take longer to
        # walk 20,000 rows than the rendering
        last = FIRST_DATA + self.ROWS - 1

        def row(number):
            return re.search(rb'<row r="%d".*?</row>' % number,
                sheet_xml).group()
        self.assertIn(b'<c r="B%d" s="' % last, row(last))
        self.assertIn(b'<v>%d</v>' % self.ROWS, row(last))
        totals = row(last + 1)
        self.assertIn(b'<f>COUNTA(B%d:B%d)</f><v>%d</v>'
            % (FIRST_DATA, last, self.ROWS), totals)
        self.assertIn('Tổng số: 20.000 văn bản (Bằng chữ: Hai mươi nghìn '
            'văn bản).'.encode(), row(last + 2))
