# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The reports produced through Tryton, read back: cells of the XLSX
(openpyxl) and text of the PDF (pypdf) against hand-computed figures."""
import datetime as dt
import unittest

from trytond.model.exceptions import AccessError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff)
from trytond.modules.vb_reports.exceptions import ReportFilterError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import issue, pdf_pages, pdf_text, receive, sheet_rows, today

D = dt.date


class RegisterReportTestCase(unittest.TestCase):
    "Sổ đăng ký văn bản đến / đi"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_reports')

    def _setup(self):
        Unit = Pool().get('vb.unit')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            place="Khánh Hòa")
        ubnd = create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        office, = Unit.create([{'company': snv.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        clerk = create_staff(snv, 'vt.snv', ['clerk'], unit=office)
        return {
            'snv': snv, 'ubnd': ubnd, 'office': office, 'clerk': clerk,
            'leader': create_staff(snv, 'gd.snv', ['leader']),
            'officer': create_staff(snv, 'cv.snv', ['officer']),
            'other_clerk': create_staff(ubnd, 'vt.ubnd', ['clerk']),
            }

    def _incoming(self, r):
        "Four registered in March (one cancelled later), one in April"
        Document = Pool().get('vb.document')
        first = receive(r['snv'], r['clerk'], D(2026, 3, 2),
            "V/v báo cáo biên chế năm 2026", '12/BNV-TCBC',
            units=[r['office']], users=[r['officer']])
        second = receive(r['snv'], r['clerk'], D(2026, 3, 3),
            "Quyết định ban hành quy chế", '45/QĐ-UBND',
            issuer_name="UBND tỉnh", type_code='quyet_dinh')
        third = receive(r['snv'], r['clerk'], D(2026, 3, 31),
            "V/v góp ý dự thảo", '7/STP-VP', issuer_name="Sở Tư pháp")
        Document.cancel([third])
        receive(r['snv'], r['clerk'], D(2026, 4, 1), "V/v tháng tư",
            '9/STC-VP', issuer_name="Sở Tài chính")
        # Not numbered: not in the register
        Document.create([{'company': r['snv'].id, 'direction': 'incoming',
                    'type': first.type.id, 'subject': "Chưa vào sổ",
                    'arrival_date': D(2026, 3, 5)}])
        # Another agency's register
        receive(r['ubnd'], r['other_clerk'], D(2026, 3, 4), "Của UBND",
            '1/X', issuer_name="Bộ Tài chính")
        return first, second, third

    def _run(self, name, data, ids=None, model=None):
        Report = Pool().get(name, type='report')
        return Report.execute(ids or [], {**data, 'model': model})

    def _register(self, r, direction, start, end):
        Register = Pool().get('vb.document.register')
        register, = Register.search([('company', '=', r['snv'].id),
                ('direction', '=', direction)])
        return {
            'company': r['snv'].id, 'direction': direction,
            'register': register.id, 'start_date': start, 'end_date': end}

    @with_transaction()
    def test_incoming_register_xlsx_and_pdf(self):
        r = self._setup()
        self._incoming(r)
        data = self._register(r, 'incoming', D(2026, 3, 1), D(2026, 3, 31))
        ext, content, _, name = self._run('vb.reports.register.xlsx', data)
        self.assertEqual(ext, 'xlsx')
        rows = sheet_rows(content)
        dates = {dt.datetime(2026, 3, d) for d in (2, 3, 31)}
        body = [row[:10] for row in rows if row and row[0] in dates]
        self.assertEqual(body, [
                (dt.datetime(2026, 3, 2), 1, "Bộ Nội vụ", '12/BNV-TCBC',
                    dt.datetime(2026, 2, 28),
                    "Công văn - V/v báo cáo biên chế năm 2026",
                    "Văn phòng, cv.snv", None, None, None),
                (dt.datetime(2026, 3, 3), 2, "UBND tỉnh", '45/QĐ-UBND',
                    dt.datetime(2026, 3, 1),
                    "Quyết định - Quyết định ban hành quy chế", None, None,
                    None, None),
                (dt.datetime(2026, 3, 31), 3, "Sở Tư pháp", '7/STP-VP',
                    dt.datetime(2026, 3, 29), "Công văn - V/v góp ý dự thảo",
                    None, None, None, "Đã hủy"),
                ])
        flat = [cell for row in rows for cell in row]
        self.assertIn('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', flat)
        self.assertIn(
            'Sổ văn bản đến - Từ ngày 01/03/2026 đến ngày 31/03/2026', flat)
        self.assertIn('SỞ NỘI VỤ', flat)
        totals, = [row for row in rows if row and row[0] == 'Tổng cộng']
        self.assertEqual(totals[1], 3)
        self.assertIn('Tổng số: 3 văn bản (Bằng chữ: Ba văn bản).', flat)

        ext, content, _, _ = self._run('vb.reports.register.pdf', data)
        self.assertEqual(ext, 'pdf')
        text = pdf_text(content)
        for expected in ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
                'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', 'SỞ NỘI VỤ', '12/BNV-TCBC',
                '45/QĐ-UBND', '7/STP-VP', '02/03/2026', 'Đã hủy',
                'Tổng số: 3 văn bản (Bằng chữ: Ba văn bản).']:
            self.assertIn(expected, text)
        self.assertRegex(text, r'Trang 1/ ?1')
        for absent in ['9/STC-VP', 'Chưa vào sổ', 'Của UBND']:
            self.assertNotIn(absent, text)

    @with_transaction()
    def test_register_cover(self):
        "The PDF starts with the cover of the register, the table after it"
        pool = Pool()
        Company = pool.get('company.company')
        Wizard = pool.get('vb.reports.register', type='wizard')
        r = self._setup()
        Company.write([r['snv']], {'parent': r['ubnd'].id})
        first, second, _ = self._incoming(r)
        data = self._register(r, 'incoming', D(2026, 3, 1), D(2026, 3, 31))
        content = self._run('vb.reports.register.pdf',
            {**data, 'volume': 2})[1]
        cover, *pages = pdf_pages(content)
        self.assertEqual(cover,
            'UBND TỈNH SỞ NỘI VỤ SỔ ĐĂNG KÝ VĂN BẢN ĐẾN Sổ văn bản đến '
            'Năm: 2026 Từ ngày 01/03/2026 đến ngày 31/03/2026 '
            'Từ số 1 đến số 3 Quyển số: 02')
        # The table after it, its pages numbered from 1
        self.assertEqual(len(pages), 1)
        self.assertRegex(pages[0], r'Trang 1/ ?1')
        self.assertIn('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', pages[0])
        self.assertIn('12/BNV-TCBC', pages[0])
        self.assertNotIn('12/BNV-TCBC', cover)
        # The XLSX has the table only
        rows = sheet_rows(self._run('vb.reports.register.xlsx', data)[1])
        self.assertNotIn('Quyển số: 02', [c for row in rows for c in row])

        # April: one document, number 4; a period over two years
        data = self._register(r, 'incoming', D(2025, 12, 1), D(2026, 4, 30))
        cover = pdf_pages(self._run('vb.reports.register.pdf',
                {**data, 'volume': 1})[1])[0]
        self.assertIn('Năm: 2025 - 2026 Từ ngày 01/12/2025 đến ngày '
            '30/04/2026 Từ số 1 đến số 4 Quyển số: 01', cover)

        # Nothing in the period: the numbers are left to be written
        data = self._register(r, 'incoming', D(2025, 1, 1), D(2025, 1, 31))
        cover = pdf_pages(self._run('vb.reports.register.pdf', data)[1])[0]
        self.assertIn('Năm: 2025 Từ ngày 01/01/2025 đến ngày 31/01/2025 '
            'Từ số ………… đến số ………… Quyển số: …………', cover)

        # From the list: the dates of the documents selected
        with as_user(r['clerk']):
            content = self._run('vb.reports.register.pdf', {},
                ids=[first.id, second.id], model='vb.document')[1]
        self.assertIn('Từ ngày 02/03/2026 đến ngày 03/03/2026 Từ số 1 đến '
            'số 2', pdf_pages(content)[0])

        # A volume below 1 is refused by the wizard
        with as_user(r['clerk']):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            start = wizard.start
            self.assertEqual(start.volume, 1)
            start.direction = 'incoming'
            start.on_change_direction()
            start.start_date, start.end_date = D(2026, 3, 1), D(2026, 3, 31)
            start.volume = 0
            wizard.start = start
            with self.assertRaises(ReportFilterError) as raised:
                wizard.do_pdf_('action')
            self.assertIn('volume number of the register must be a '
                'whole number from 1 ("0" given)', str(raised.exception))
            start.volume = 3
            _, data = wizard.do_pdf_('action')
        self.assertEqual(data['volume'], 3)

    @with_transaction()
    def test_outgoing_register(self):
        r = self._setup()
        kwargs = {'signer_name': None}
        first = issue(r['snv'], r['clerk'], r['leader'], D(2026, 3, 10),
            "V/v tổ chức hội nghị", recipients=[r['ubnd']],
            drafting_unit=r['office'].id, copy_count=3, **kwargs)
        issue(r['snv'], r['clerk'], r['leader'], D(2026, 3, 12),
            "V/v nghỉ lễ", copy_count=2)
        data = self._register(r, 'outgoing', D(2026, 3, 1), D(2026, 3, 31))
        _, content, _, _ = self._run('vb.reports.register.xlsx', data)
        rows = sheet_rows(content)
        body = [row[:10] for row in rows
            if len(row) > 1 and isinstance(row[1], dt.datetime)]
        self.assertEqual(len(body), 2)
        self.assertEqual(body[0][:7], (first.number_notation,
                dt.datetime(2026, 3, 10), "Công văn - V/v tổ chức hội nghị",
                "gd.snv", "UBND tỉnh", "Văn phòng", 3))
        # Delivered in this installation: the day it was sent
        self.assertIsInstance(body[0][7], dt.datetime)
        self.assertEqual(body[1][4], "- Như trên;\n- Lưu: VT.")
        totals, = [row for row in rows if row and row[0] == 'Tổng cộng']
        self.assertEqual(totals[6], 5)
        text = pdf_text(self._run('vb.reports.register.pdf', data)[1])
        self.assertIn('SỔ ĐĂNG KÝ VĂN BẢN ĐI', text)
        self.assertIn(first.number_notation, text)
        self.assertIn('Tổng số: 2 văn bản (Bằng chữ: Hai văn bản).', text)

    @with_transaction()
    def test_print_from_list(self):
        "The Print action of the list prints the selected documents"
        r = self._setup()
        first, second, _ = self._incoming(r)
        with as_user(r['clerk']):
            _, content, _, _ = self._run('vb.reports.register.xlsx', {},
                ids=[first.id, second.id], model='vb.document')
        rows = sheet_rows(content)
        self.assertEqual(
            [row[3] for row in rows if row and isinstance(row[1], int)
                and isinstance(row[0], dt.datetime)],
            ['12/BNV-TCBC', '45/QĐ-UBND'])
        flat = [cell for row in rows for cell in row]
        self.assertIn(
            'Sổ văn bản đến - Từ ngày 02/03/2026 đến ngày 03/03/2026', flat)

    @with_transaction()
    def test_wizard(self):
        pool = Pool()
        Wizard = pool.get('vb.reports.register', type='wizard')
        r = self._setup()
        self._incoming(r)
        with as_user(r['clerk']):
            session_id, _, _ = Wizard.create()
            start = Wizard(session_id).start
            self.assertEqual(start.company, r['snv'])
            start.direction = 'incoming'
            start.on_change_direction()
            self.assertEqual(start.register.direction, 'incoming')
            start.start_date, start.end_date = D(2026, 3, 31), D(2026, 3, 1)
            wizard = Wizard(session_id)
            wizard.start = start
            with self.assertRaises(ReportFilterError) as raised:
                wizard.do_pdf_(None)
            self.assertIn('01/03/2026', str(raised.exception))
            start.start_date, start.end_date = D(2026, 3, 31), D(2026, 3, 31)
            action, data = wizard.do_xlsx_('action')
            self.assertEqual(data['direction'], 'incoming')
            _, content, _, _ = self._run('vb.reports.register.xlsx', data)
        rows = sheet_rows(content)
        flat = [cell for row in rows for cell in row]
        self.assertIn('Sổ văn bản đến - Ngày 31/03/2026', flat)
        self.assertIn('Tổng số: 1 văn bản (Bằng chữ: Một văn bản).', flat)

    @with_transaction()
    def test_empty_and_other_agency(self):
        r = self._setup()
        self._incoming(r)
        data = self._register(r, 'incoming', D(2025, 1, 1), D(2025, 1, 31))
        text = pdf_text(self._run('vb.reports.register.pdf', data)[1])
        self.assertIn('Không có dữ liệu trong kỳ báo cáo.', text)
        self.assertIn('Tổng số: 0 văn bản (Bằng chữ: Không văn bản).', text)
        with as_user(r['other_clerk']):
            with self.assertRaises(AccessError):
                self._run('vb.reports.register.pdf', data)


class StatisticsTestCase(unittest.TestCase):
    "Processing statistics from vb_workflow's assignments"

    @classmethod
    def setUpClass(cls):
        activate_module(['vb_reports', 'vb_workflow'])

    @with_transaction()
    def test_statistics(self):
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        Unit = pool.get('vb.unit')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        unit, = Unit.create([{'company': snv.id,
                    'name': "Phòng Công chức", 'abbreviation': 'CCVC'}])
        clerk = create_staff(snv, 'vt.snv', ['clerk'])
        cv1 = create_staff(snv, 'cv1', ['officer'], unit=unit)
        cv2 = create_staff(snv, 'cv2', ['officer'], unit=unit)
        documents = [receive(snv, clerk, D(2026, 3, day), f"Văn bản {day}",
                f'{day}/X') for day in (2, 3, 4, 5, 6)]
        d1, d2, d3, d4, d5 = documents
        d6 = receive(snv, clerk, D(2026, 2, 3), "Tháng hai", '1/Y')
        T = dt.datetime
        for document, state, completed, deadline in [
                (d1, 'done', T(2026, 3, 5, 10), D(2026, 3, 10)),
                (d2, 'done', T(2026, 3, 12, 9), D(2026, 3, 10)),
                (d3, 'processing', None, D(2026, 3, 20)),
                (d4, None, None, D(2026, 4, 5)),
                (d5, 'returned', None, None),
                (d6, 'done', T(2026, 2, 10), None)]:
            Document.write([document], {'processing_state': state,
                    'completed_at': completed, 'deadline': deadline})
        base = {'company': snv.id, 'role': 'lead'}
        Assignment.create([{**base, **values} for values in [
                    {'document': d1.id, 'unit': unit.id, 'state': 'done',
                        'assigned_at': T(2026, 3, 2, 8),
                        'done_at': T(2026, 3, 5), 'deadline': D(2026, 3, 10)},
                    {'document': d2.id, 'unit': unit.id, 'state': 'pending',
                        'assigned_at': T(2026, 3, 3, 8),
                        'deadline': D(2026, 3, 10)},
                    {'document': d1.id, 'user': cv1.id, 'state': 'done',
                        'assigned_at': T(2026, 3, 2, 9),
                        'done_at': T(2026, 3, 4), 'deadline': D(2026, 3, 10)},
                    {'document': d3.id, 'user': cv1.id, 'state': 'returned',
                        'assigned_at': T(2026, 3, 4, 9),
                        'done_at': T(2026, 3, 15)},
                    {'document': d4.id, 'user': cv1.id, 'state': 'done',
                        'assigned_at': T(2026, 3, 5, 9),
                        'done_at': T(2026, 4, 2), 'deadline': D(2026, 4, 5)},
                    {'document': d2.id, 'user': cv2.id,
                        'state': 'transferred',
                        'assigned_at': T(2026, 3, 3, 9),
                        'done_at': T(2026, 3, 11)},
                    {'document': d3.id, 'user': cv2.id, 'role': 'co',
                        'state': 'pending', 'assigned_at': T(2026, 3, 4, 9)},
                    {'document': d6.id, 'user': cv2.id, 'state': 'done',
                        'assigned_at': T(2026, 2, 3, 9),
                        'done_at': T(2026, 2, 4)},
                    ]])
        data = {'company': snv.id, 'start_date': D(2026, 3, 1),
            'end_date': D(2026, 3, 31)}
        with today(D(2026, 4, 15)):
            _, content, _, _ = self._run('vb.reports.statistics.xlsx', data)
            _, pdf, _, _ = self._run('vb.reports.statistics.pdf', data)
        rows = {row[0]: row[1:12] for row in sheet_rows(content) if row}
        #            received on_time late open  overdue returned rate
        #            prev: received on_time rate
        self.assertEqual(rows["Sở Nội vụ"],
            (5, 1, 1, 1, 1, 1, 0.2, 1, 1, 1))
        self.assertEqual(rows["Phòng Công chức"],
            (2, 1, 0, 0, 1, 0, 0.5, 0, None, None))
        self.assertEqual(rows["cv1"], (3, 1, 0, 1, 0, 1, 1 / 3, 0, None,
                None))
        self.assertEqual(rows["cv2"], (1, 0, 0, 0, 0, 0, 0, 1, 1, 1))
        self.assertEqual(rows['Tổng cộng'], (5, 1, 1, 1, 1, 1, 0.2, 1, 1, 1))
        text = pdf_text(pdf)
        self.assertIn('BÁO CÁO THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN', text)
        self.assertIn('Sở Nội vụ 5 1 1 1 1 1 20,0% 1 1 100,0%', text)
        self.assertIn('cv1 3 1 0 1 0 1 33,3% 0', text)

    _run = RegisterReportTestCase._run


class ProvinceStatisticsTestCase(unittest.TestCase):
    "Processing statistics of an agency and every agency below it"

    @classmethod
    def setUpClass(cls):
        activate_module(['vb_reports', 'vb_workflow'])

    @with_transaction()
    def test_province(self):
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        Unit = pool.get('vb.unit')
        T = dt.datetime
        ubnd = create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            parent=ubnd.id)
        stc = create_agency("Sở Tài chính", '000.00.06.H99', 'STC',
            parent=ubnd.id)
        # Below Sở Nội vụ: in the province through it
        ttlt = create_agency("Trung tâm Lưu trữ", '000.05.01.H99', 'TTLT',
            parent=snv.id)
        # Not below UBND tỉnh
        other = create_agency("UBND tỉnh khác", '000.00.00.H98', 'KHAC')
        ccvc, = Unit.create([{'company': snv.id,
                    'name': "Phòng Công chức", 'abbreviation': 'CCVC'}])
        clerks = {a: create_staff(a, f'vt.{a.abbreviation.lower()}',
                ['clerk']) for a in [ubnd, snv, stc, ttlt, other]}
        cv1 = create_staff(snv, 'cv1.snv', ['officer'], unit=ccvc)
        cv_stc = create_staff(stc, 'cv.stc', ['officer'])
        cv_other = create_staff(other, 'cv.khac', ['officer'])

        def document(agency, day, state, completed, deadline, month=3):
            record = receive(agency, clerks[agency], D(2026, month, day),
                f"Văn bản {agency.abbreviation} {day}/{month}",
                f'{day}/{agency.abbreviation}')
            Document.write([record], {'processing_state': state,
                    'completed_at': completed, 'deadline': deadline})
            return record
        # March: UBND one on time; SNV one late, one overdue; STC one
        # open on time, one returned; TTLT one on time; the other agency
        # one on time (not counted). February (the previous period): SNV
        # one on time.
        document(ubnd, 2, 'done', T(2026, 3, 5, 10), D(2026, 3, 10))
        d2 = document(snv, 3, 'done', T(2026, 3, 12, 9), D(2026, 3, 10))
        d3 = document(snv, 4, 'processing', None, D(2026, 3, 20))
        d4 = document(stc, 5, None, None, D(2026, 4, 5))
        document(stc, 6, 'returned', None, None)
        document(ttlt, 9, 'done', T(2026, 3, 10), D(2026, 3, 20))
        d7 = document(other, 9, 'done', T(2026, 3, 10), D(2026, 3, 20))
        document(snv, 3, 'done', T(2026, 2, 10), D(2026, 2, 20), month=2)
        Assignment.create([{'role': 'lead', **values} for values in [
                    {'company': snv.id, 'document': d2.id,
                        'unit': ccvc.id, 'state': 'done',
                        'assigned_at': T(2026, 3, 3, 8),
                        'done_at': T(2026, 3, 12), 'deadline': D(2026, 3, 10)},
                    {'company': snv.id, 'document': d3.id, 'user': cv1.id,
                        'state': 'processing', 'assigned_at': T(2026, 3, 4, 8),
                        'deadline': D(2026, 3, 20)},
                    {'company': stc.id, 'document': d4.id, 'user': cv_stc.id,
                        'state': 'pending', 'assigned_at': T(2026, 3, 5, 8),
                        'deadline': D(2026, 4, 5)},
                    {'company': other.id, 'document': d7.id,
                        'user': cv_other.id, 'state': 'done',
                        'assigned_at': T(2026, 3, 9, 8),
                        'done_at': T(2026, 3, 10), 'deadline': D(2026, 3, 20)},
                    ]])
        data = {'company': ubnd.id, 'start_date': D(2026, 3, 1),
            'end_date': D(2026, 3, 31)}
        with today(D(2026, 4, 15)):
            _, content, _, _ = self._run('vb.reports.statistics.xlsx', data)
            _, pdf, _, _ = self._run('vb.reports.statistics.pdf', data)
        rows = [row[:11] for row in sheet_rows(content)
            if row and row[0] in {"UBND tỉnh", "Sở Nội vụ", "Sở Tài chính",
                "Trung tâm Lưu trữ", "Phòng Công chức", "cv1.snv", "cv.stc",
                "UBND tỉnh khác", "cv.khac", "Tổng cộng"}]
        # name, received, on time, late, open on time, overdue, returned,
        # rate; previous period: received, on time, rate
        self.assertEqual(rows, [
                ("UBND tỉnh", 1, 1, 0, 0, 0, 0, 1, 0, 0, None),
                ("Sở Nội vụ", 2, 0, 1, 0, 1, 0, 0, 1, 1, 1),
                ("Phòng Công chức", 1, 0, 1, 0, 0, 0, 0, 0, None, None),
                ("cv1.snv", 1, 0, 0, 0, 1, 0, 0, 0, None, None),
                ("Sở Tài chính", 2, 0, 0, 1, 0, 1, 0, 0, 0, None),
                ("cv.stc", 1, 0, 0, 1, 0, 0, 0, 0, None, None),
                ("Trung tâm Lưu trữ", 1, 1, 0, 0, 0, 0, 1, 0, 0, None),
                ("Tổng cộng", 6, 2, 1, 1, 1, 1, 2 / 6, 1, 1, 1),
                ])
        text = pdf_text(pdf)
        for expected in [
                'UBND tỉnh 1 1 0 0 0 0 100,0% 0 0',
                'Sở Nội vụ 2 0 1 0 1 0 0,0% 1 1 100,0%',
                'Phòng Công chức 1 0 1 0 0 0 0,0% 0',
                'cv.stc 1 0 0 1 0 0 0,0% 0',
                'Tổng cộng 6 2 1 1 1 1 33,3% 1 1 100,0%',
                'Gồm UBND tỉnh và 3 cơ quan trực thuộc']:
            self.assertIn(expected, text)
        self.assertNotIn('UBND tỉnh khác', text)

        # From Sở Nội vụ: itself and the centre below it, not the others
        with as_user(clerks[snv]), today(D(2026, 4, 15)):
            _, content, _, _ = self._run('vb.reports.statistics.xlsx',
                {**data, 'company': snv.id})
            names = [row[0] for row in sheet_rows(content)
                if row and isinstance(row[1], int)]
            self.assertEqual(names, ["Sở Nội vụ", "Phòng Công chức",
                    "cv1.snv", "Trung tâm Lưu trữ", "Tổng cộng"])
            # UBND tỉnh's figures are not for a Sở's users
            with self.assertRaises(AccessError):
                self._run('vb.reports.statistics.pdf', data)

    _run = RegisterReportTestCase._run


class PrintMenuTestCase(unittest.TestCase):
    "The report wizards in the Print menu of the lists they report on"

    @classmethod
    def setUpClass(cls):
        activate_module(['vb_reports', 'vb_workflow'])

    @with_transaction()
    def test_print_menus(self):
        pool = Pool()
        Keyword = pool.get('ir.action.keyword')
        Task = pool.get('vb.task')
        printed = {}
        for keyword in Keyword.search([('keyword', '=', 'form_print')]):
            if keyword.action.type == 'ir.action.wizard':
                wizard = pool.get('ir.action.wizard')(
                    keyword.action.id).wiz_name
                printed.setdefault(str(keyword.model).split(',')[0],
                    set()).add(wizard)
        self.assertLessEqual({'vb.reports.statistics',
                'vb.reports.exchange.print', 'vb.reports.usage.print',
                'vb.reports.savings', 'vb.reports.overdue.print',
                'vb.reports.task.print'}, printed['company.company'])
        self.assertIn('vb.reports.task.print', printed['vb.task'])
        self.assertIn('vb.reports.overdue.print',
            printed['vb.document.assignment'])

        ubnd = create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            parent=ubnd.id)
        leader = create_staff(ubnd, 'ld.ubnd', ['leader'])
        # The list of agencies is the administrators'
        admin = create_staff(ubnd, 'qt.ubnd', ['leader', 'system_admin'])
        task, = Task.create([{'company': snv.id, 'name': "Rà soát biên chế",
                    'assigner': create_staff(snv, 'ld.snv', ['leader']).id,
                    'deadline': D(2026, 3, 31), 'assignee_type': 'agency',
                    'assignee_agency': ubnd.id}])

        def default_agency(name, model=None, record=None, user=leader):
            Wizard = pool.get(name, type='wizard')
            context = {}
            if model:
                context = {'active_model': model, 'active_id': record.id,
                    'active_ids': [record.id]}
            with as_user(user), Transaction().set_context(context):
                session_id, _, _ = Wizard.create()
                wizard = Wizard(session_id)
                return wizard.states['start'].get_defaults(
                    wizard, 'start', ['company'])['company']
        # From the menu: the user's agency; from a list: the agency chosen
        # there, or the agency of the record chosen
        self.assertEqual(default_agency('vb.reports.statistics'), ubnd.id)
        for name in ['vb.reports.statistics', 'vb.reports.exchange.print',
                'vb.reports.usage.print', 'vb.reports.savings',
                'vb.reports.overdue.print']:
            self.assertEqual(default_agency(name, 'company.company', snv,
                    user=admin), snv.id, name)
        self.assertEqual(
            default_agency('vb.reports.task.print', 'vb.task', task), snv.id)
