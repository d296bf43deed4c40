# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"PDF rendering, read back with pypdf and rasterised with pdftoppm"
import gc
import io
import os
import re
import subprocess
import tempfile
import unittest
import weakref

from PIL import Image
from pypdf import PdfReader

from trytond.modules.vb_reports.render import (
    Column, Report, ReportError, render_pdf)
from trytond.modules.vb_reports.render import pdf as pdf_module
from trytond.modules.vb_reports.render.formatting import (
    NATIONAL_MOTTO, NATIONAL_NAME)
from trytond.modules.vb_reports.render.pdf_charts import PALETTE

from .render_samples import (
    AGENCY, DATE_LINE, LONG_SUBJECT, PARENT_AGENCY, STATISTICS,
    incoming_register, incoming_rows, pdf_pages, statistics_report)

REGISTER_HEADER = 'Tên loại và trích yếu nội dung văn bản'


def _flat(text):
    return ' '.join(text.split())


def _page_number(text):
    "(page, total) from the 'Trang 2/5' of a page"
    match = re.search(r'Trang (\d+)/\s*(\d+)', text)
    return int(match.group(1)), int(match.group(2))


class RegisterPdfTestCase(unittest.TestCase):
    "Sổ đăng ký văn bản đến over several pages"

    @classmethod
    def setUpClass(cls):
        cls.data = render_pdf(incoming_register(120))
        cls.pages = pdf_pages(cls.data)
        cls.reader = PdfReader(io.BytesIO(cls.data))

    def test_heading(self):
        first = _flat(self.pages[0])
        for text in (NATIONAL_NAME, NATIONAL_MOTTO, PARENT_AGENCY.upper(),
                AGENCY.upper(), DATE_LINE, 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN',
                'Từ ngày 01/01/2026 đến ngày 31/03/2026'):
            self.assertIn(text, first)
        # A4 landscape
        box = self.reader.pages[0].mediabox
        self.assertEqual((round(box.width), round(box.height)), (842, 595))

    def test_table_spans_pages_with_header_on_each(self):
        self.assertGreaterEqual(len(self.pages), 4)
        for text in self.pages:
            # Exactly one header per page: repeated on each page and never
            # in the middle of one where a chunk of rows ends
            self.assertEqual(_flat(text).count(REGISTER_HEADER), 1)
            self.assertIn('(10)', text)
        # Every "Số đến" is printed, none is lost where a page ends
        numbers = {int(n) for text in self.pages
            for n in re.findall(r'^\s*(\d+)\s*$', text, re.M)}
        self.assertLessEqual(set(range(1, 121)), numbers)

    def test_page_numbers(self):
        total = len(self.pages)
        for index, text in enumerate(self.pages, 1):
            self.assertEqual(_page_number(text), (index, total))
        self.assertIn('Trang 2/', self.pages[1])

    def test_long_subject_wraps(self):
        page = next(t for t in self.pages if _flat(LONG_SUBJECT) in _flat(t))
        lines = [line.strip() for line in page.splitlines()]
        # Not on one line: over several lines of its cell, in order
        self.assertNotIn(LONG_SUBJECT, lines)
        start = next(i for i, line in enumerate(lines)
            if line.startswith('Công văn về việc đôn đốc'))
        wrapped = []
        for line in lines[start:]:
            wrapped.append(line)
            if _flat(' '.join(wrapped)) == _flat(LONG_SUBJECT):
                break
        self.assertGreaterEqual(len(wrapped), 4)
        self.assertEqual(_flat(' '.join(wrapped)), _flat(LONG_SUBJECT))

    def test_totals_and_count_in_words(self):
        last = _flat(self.pages[-1])
        self.assertIn('Tổng cộng 120', last)
        self.assertIn('Tổng số: 120 văn bản (Bằng chữ: Một trăm hai mươi '
            'văn bản).', last)

    def test_fonts_embedded(self):
        fonts = {}
        for page in self.reader.pages:
            resources = page['/Resources']['/Font']
            for name in resources:
                font = resources[name].get_object()
                fonts[str(font['/BaseFont'])] = font
        self.assertTrue(fonts)
        for name, font in fonts.items():
            # reportlab embeds TrueType subsets of 256 glyphs each
            self.assertEqual(font['/Subtype'], '/TrueType', name)
            descriptor = font['/FontDescriptor'].get_object()
            # The glyphs themselves are in the file
            self.assertGreater(
                len(descriptor['/FontFile2'].get_object().get_data()), 1000)
            # and mapped back to Unicode, so the text can be searched
            self.assertIn('/ToUnicode', font, name)
        # Regular, bold (headers, national header) and italic (date line)
        self.assertGreaterEqual(len(fonts), 3)


class StatisticsPdfTestCase(unittest.TestCase):
    "Two-level headers, totals by hand, drill-down rows, charts"

    def test_totals_and_grouped_headers(self):
        pages = pdf_pages(render_pdf(statistics_report()))
        first = _flat(pages[0])
        for text in ('Đã giải quyết', 'Đang giải quyết', 'Đúng hạn',
                'Trong hạn', 'Tỉ lệ đúng hạn'):
            self.assertIn(text, first)
        self.assertIn('Sở Tài chính 80 56 12 10 2 70,0%', first)
        self.assertIn('Sở Y tế 200 162 20 13 5 81,0%', first)
        # 90 + 56 + 162 = 308 on time of 400 received
        self.assertIn('Tổng cộng 400 308 42 38 12 77,0%', first)
        self.assertIn('Tổng số: 3 cơ quan (Bằng chữ: Ba cơ quan).', first)
        text = _flat(' '.join(pages))
        for signature in ('NGƯỜI LẬP BIỂU', 'Nguyễn Văn An',
                'CHÁNH VĂN PHÒNG', 'Trần Thị Bình'):
            self.assertIn(signature, text)

    def test_drill_down_totals_leave_details_out(self):
        pages = pdf_pages(render_pdf(statistics_report(units=True)))
        first = _flat(pages[0])
        self.assertIn('Phòng Tổng hợp (Sở Y tế) 100 81', first)
        self.assertIn('Tổng cộng 400 308 42 38 12 77,0%', first)

    def test_grouped_header_repeated_on_next_page(self):
        many = [dict(agency=f'Đơn vị số {n}', received=10, on_time=7,
                late=1, in_progress=1, overdue=1, on_time_rate=0.7)
            for n in range(1, 91)]
        report = statistics_report(charts=[], signatures=[])
        report.rows = many
        report.count_noun = 'đơn vị'
        pages = pdf_pages(render_pdf(report))
        self.assertGreaterEqual(len(pages), 3)
        for text in pages:
            flat = _flat(text)
            self.assertEqual(flat.count('Đã giải quyết'), 1)
            self.assertEqual(flat.count('Đang giải quyết'), 1)
        self.assertIn('Đơn vị số 90', _flat(pages[-1]))
        self.assertIn('Tổng cộng 900 630 90 90 90 70,0%', _flat(pages[-1]))
        self.assertIn('Tổng số: 90 đơn vị (Bằng chữ: Chín mươi đơn vị).',
            _flat(pages[-1]))

    def test_charts_are_drawn(self):
        data = render_pdf(statistics_report(signatures=[]))
        pages = pdf_pages(data)
        chart_page = next(i for i, t in enumerate(pages, 1)
            if 'Văn bản đã giải quyết theo cơ quan' in t)
        text = _flat(pages[chart_page - 1])
        self.assertIn('Tỉ lệ đúng hạn', text)
        for agency, *_ in STATISTICS:
            self.assertIn(agency, text)
        with tempfile.TemporaryDirectory() as directory:
            path = f'{directory}/report.pdf'
            with open(path, 'wb') as output:
                output.write(data)
            subprocess.run(['pdftoppm', '-r', '40', '-png', '-f',
                    str(chart_page), '-l', str(chart_page), path,
                    f'{directory}/page'], check=True)
            image, = [f for f in os.listdir(directory)
                if f.endswith('.png')]
            pixels = Image.open(f'{directory}/{image}').convert('RGB')
            counts = {}
            for color in PALETTE[:2]:
                rgb = tuple(round(c * 255) for c in color.rgb())
                counts[rgb] = sum(1 for p in pixels.getdata()
                    if all(abs(a - b) < 12 for a, b in zip(p, rgb)))
        # Bars of both series (and the line of the rate in the first
        # colour): hundreds of pixels each at 40 dpi
        for rgb, count in counts.items():
            self.assertGreater(count, 300, rgb)


class EdgeCasesPdfTestCase(unittest.TestCase):

    def test_empty_period(self):
        report = incoming_register(0)
        text = _flat(pdf_pages(render_pdf(report))[0])
        self.assertIn('Không có dữ liệu trong kỳ báo cáo.', text)
        self.assertIn('Tổng cộng 0', text)
        self.assertIn('Tổng số: 0 văn bản (Bằng chữ: Không văn bản).', text)

    def test_portrait_without_totals(self):
        report = Report('Danh sách người dùng', [
                Column('name', 'Họ và tên', width=30),
                Column('unit', 'Đơn vị', width=30)],
            rows=[('Nguyễn Văn An', 'Phòng Tổng hợp')], agency='Sở Nội vụ',
            place='Khánh Hòa', orientation='portrait', count_noun='người')
        data = render_pdf(report)
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        self.assertEqual((round(box.width), round(box.height)), (595, 842))
        text = _flat(pdf_pages(data)[0])
        self.assertIn('Nguyễn Văn An Phòng Tổng hợp', text)
        self.assertNotIn('Tổng cộng', text)
        self.assertIn('Tổng số: 1 người (Bằng chữ: Một người).', text)

    def test_cell_taller_than_a_page(self):
        sentence = 'Trích yếu <dài> & nhiều dòng, số %d.'
        rows = list(incoming_rows(12))
        rows[3]['type_subject'] = ' '.join(sentence % n for n in range(300))
        report = incoming_register(0)
        report.rows = rows
        pages = pdf_pages(render_pdf(report))
        self.assertGreater(len(pages), 5)
        text = _flat(' '.join(pages))
        # Cut inside the row, header on every page, nothing lost or escaped
        self.assertIn(sentence % 0, text)
        self.assertIn(sentence % 299, text)
        self.assertEqual(text.count(REGISTER_HEADER), len(pages))
        numbers = {int(n) for page in pages
            for n in re.findall(r'^\s*(\d+)\s*$', page, re.M)}
        self.assertLessEqual(set(range(1, 13)), numbers)
        self.assertIn('Tổng số: 12 văn bản', text)

    def test_bad_value_writes_nothing(self):
        def rows():
            yield from incoming_rows(40)
            yield {'incoming_number': 'bốn mươi mốt'}
        report = incoming_register(0)
        report.rows = rows()
        output = io.BytesIO()
        with self.assertRaises(ReportError) as context:
            render_pdf(report, output)
        self.assertEqual(context.exception.code, 'value_type')
        self.assertIn('dòng 41, cột «Số đến»', str(context.exception))
        self.assertEqual(output.getvalue(), b'')

    def test_output_file(self):
        output = io.BytesIO()
        self.assertIsNone(render_pdf(incoming_register(3), output))
        self.assertTrue(output.getvalue().startswith(b'%PDF-'))


class LargePdfTestCase(unittest.TestCase):
    "Streaming: rows become flowables a page at a time"

    ROWS = 5000

    def test_many_rows(self):
        live = weakref.WeakSet()
        most = [0]
        original = pdf_module._CellParagraph.__init__

        def tracked(paragraph, *args, **kwargs):
            original(paragraph, *args, **kwargs)
            live.add(paragraph)

        def rows():
            for number, row in enumerate(incoming_rows(self.ROWS), 1):
                if number % 500 == 0:
                    gc.collect()
                    most[0] = max(most[0], len(live))
                yield row
        report = incoming_register(0)
        report.rows = rows()
        pdf_module._CellParagraph.__init__ = tracked
        try:
            data = render_pdf(report)
        finally:
            pdf_module._CellParagraph.__init__ = original
        # Two or three wrapped cells a row: all of them at once would be
        # over 10,000 paragraphs
        self.assertLess(most[0], 500)
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
        # 10 to 40 rows a page in landscape
        self.assertTrue(self.ROWS / 40 < count < self.ROWS / 10, count)
        last = _flat(reader.pages[-1].extract_text())
        self.assertEqual(_page_number(last), (count, count))
        self.assertIn('Tổng số: 5.000 văn bản (Bằng chữ: Năm nghìn văn bản).',
            last)
