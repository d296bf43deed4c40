# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Reports 4, 5 and 6 read back (XLSX cells with openpyxl, PDF text with
pypdf) against figures computed by hand on a small province:
electronic-exchange indicators, weekly usage (and its Monday e-mail),
savings estimate."""
import datetime as dt
import io
import unittest
from decimal import Decimal
from unittest.mock import patch

import openpyxl

from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff)
from trytond.modules.vb_reports.exceptions import ReportFilterError
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .tools import issue, pdf_text, receive, sheet_rows, today

D = dt.date
T = dt.datetime


def run(name, data):
    Report = Pool().get(name, type='report')
    return Report.execute([], {**data, 'model': None})


def by_name(rows, names):
    "{first or second cell: row} of the rows naming one of names"
    result = {}
    for row in rows:
        for cell in row[:2]:
            if cell in names:
                result[cell] = row
    return result


class Province:
    """UBND tỉnh with Sở Nội vụ, Sở Tài chính and Sở Y tế (nothing in the
    period) below it, and Bộ Nội vụ outside the installation."""

    def __init__(self):
        self.ubnd = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99',
            'UBND', place="Hải Vân")
        self.snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            parent=self.ubnd.id)
        self.stc = create_agency("Sở Tài chính", '000.00.06.H99', 'STC',
            parent=self.ubnd.id)
        self.syt = create_agency("Sở Y tế", '000.00.07.H99', 'SYT',
            parent=self.ubnd.id)
        self.bnv = create_agency("Bộ Nội vụ", external=True)
        self.clerk_ubnd = create_staff(self.ubnd, 'vt.ubnd', ['clerk'])
        self.leader_ubnd = create_staff(self.ubnd, 'ld.ubnd', ['leader'])
        self.clerk_snv = create_staff(self.snv, 'vt.snv', ['clerk'])
        self.leader_snv = create_staff(self.snv, 'gd.snv', ['leader'])
        self.clerk_stc = create_staff(self.stc, 'vt.stc', ['clerk'])
        self.leader_stc = create_staff(self.stc, 'gd.stc', ['leader'])

    def exchanges(self):
        """March 2026: Sở Nội vụ issues o1 to UBND (fully electronic), o2
        to UBND and Bộ Nội vụ (electronic and paper), o3 without recipient
        lines (paper); o4 in April. Sở Tài chính issues s1 to Sở Nội vụ and
        UBND (fully electronic). UBND registers o1 and s1 (electronic);
        Sở Nội vụ registers s1 and two paper documents."""
        Document = Pool().get('vb.document')
        o1 = issue(self.snv, self.clerk_snv, self.leader_snv, D(2026, 3, 2),
            "V/v báo cáo biên chế", recipients=[self.ubnd])
        o2 = issue(self.snv, self.clerk_snv, self.leader_snv, D(2026, 3, 3),
            "V/v tổ chức thi tuyển", recipients=[self.ubnd, self.bnv])
        o3 = issue(self.snv, self.clerk_snv, self.leader_snv, D(2026, 3, 4),
            "V/v nghỉ lễ")
        issue(self.snv, self.clerk_snv, self.leader_snv, D(2026, 4, 1),
            "V/v tháng tư", recipients=[self.ubnd])
        s1 = issue(self.stc, self.clerk_stc, self.leader_stc, D(2026, 3, 5),
            "V/v dự toán ngân sách", recipients=[self.snv, self.ubnd])
        for agency, clerk, sources, day in [
                (self.ubnd, self.clerk_ubnd, [o1, s1], 6),
                (self.snv, self.clerk_snv, [s1], 9)]:
            for source in sources:
                incoming, = Document.search([
                        ('company', '=', agency.id),
                        ('origin.document', '=', source.id)])
                incoming.arrival_date = D(2026, 3, day)
                incoming.save()
                with as_user(clerk, check_access=False):
                    Document.register_document([incoming])
        receive(self.snv, self.clerk_snv, D(2026, 3, 10), "Giấy mời họp",
            '5/GM-BNV')
        receive(self.snv, self.clerk_snv, D(2026, 3, 11), "V/v góp ý",
            '6/BNV-VP')
        return o1, o2, o3, s1


MARCH = {'start_date': D(2026, 3, 1), 'end_date': D(2026, 3, 31)}
HEADERS = ("Sở Tài chính", "Sở Nội vụ", "UBND tỉnh Hải Vân", "Sở Y tế",
    'Tổng cộng')


class ExchangeTestCase(unittest.TestCase):
    "Reports 4 and 6 with vb_reports alone (no vb_workflow, no vb_lgsp)"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('vb_reports')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_exchange_province(self):
        p = Province()
        p.exchanges()
        data = {'company': p.ubnd.id, **MARCH}
        _, content, _, _ = run('vb.reports.exchange.xlsx', data)
        rows = by_name(sheet_rows(content), HEADERS)
        unknown = 'Chưa có dữ liệu'
        #  rank, name, out: total electronic share full mixed signed,
        #  in: total electronic share processed share, leaders signing
        self.assertEqual(rows["Sở Tài chính"], (1, "Sở Tài chính",
                1, 1, 1, 1, 0, unknown, 0, 0, None, None, None, unknown))
        self.assertEqual(rows["Sở Nội vụ"], (2, "Sở Nội vụ",
                3, 2, 2 / 3, 1, 1, unknown, 3, 1, 1 / 3, None, None,
                unknown))
        self.assertEqual(rows["UBND tỉnh Hải Vân"], (3, "UBND tỉnh Hải Vân",
                0, 0, None, 0, 0, unknown, 2, 2, 1, None, None, unknown))
        self.assertEqual(rows["Sở Y tế"], (None, "Sở Y tế",
                0, 0, None, 0, 0, unknown, 0, 0, None, None, None, unknown))
        totals = rows['Tổng cộng']
        self.assertEqual(totals[2:7], (4, 3, 0.75, 2, 1))
        self.assertEqual(totals[8:11], (5, 3, 0.6))
        flat = [c for r in sheet_rows(content) for c in r]
        self.assertIn('BÁO CÁO CHỈ SỐ TRAO ĐỔI VĂN BẢN ĐIỆN TỬ', flat)
        self.assertIn('UBND TỈNH HẢI VÂN', flat)

        _, pdf, _, _ = run('vb.reports.exchange.pdf', data)
        text = pdf_text(pdf)
        self.assertIn('BÁO CÁO CHỈ SỐ TRAO ĐỔI VĂN BẢN ĐIỆN TỬ', text)
        self.assertIn('Từ ngày 01/03/2026 đến ngày 31/03/2026', text)
        self.assertIn('2 Sở Nội vụ 3 2 66,7% 1 1 Chưa có dữ liệu 3 1 '
            '33,3%', text)
        self.assertIn('1 Sở Tài chính 1 1 100,0% 1 0', text)
        self.assertIn('Tổng cộng 4 3 75,0% 2 1', text)
        self.assertIn('Ký số: chưa có dữ liệu', text)
        self.assertIn('Chưa cài phân hệ liên thông (vb_lgsp)', text)
        self.assertIn('Chưa cài phân hệ xử lý văn bản (vb_workflow)', text)

    @with_transaction()
    def test_exchange_one_agency_one_day_empty(self):
        p = Province()
        p.exchanges()
        # One agency (no sub-agency), one day: o2 only
        data = {'company': p.snv.id, 'start_date': D(2026, 3, 3),
            'end_date': D(2026, 3, 3)}
        rows = sheet_rows(run('vb.reports.exchange.xlsx', data)[1])
        names = by_name(rows, HEADERS)
        self.assertNotIn("Sở Tài chính", names)
        self.assertEqual(names["Sở Nội vụ"][:7],
            (1, "Sở Nội vụ", 1, 1, 1, 0, 1))
        flat = [c for r in rows for c in r]
        self.assertIn('Ngày 03/03/2026', flat)
        # An agency without documents: its row, unranked, zeros
        data = {'company': p.syt.id, **MARCH}
        text = pdf_text(run('vb.reports.exchange.pdf', data)[1])
        self.assertIn('Sở Y tế 0 0 0 0 Chưa có dữ liệu 0 0', text)
        # An empty period
        data = {'company': p.ubnd.id, 'start_date': D(2025, 1, 1),
            'end_date': D(2025, 1, 31)}
        rows = by_name(sheet_rows(run('vb.reports.exchange.xlsx', data)[1]),
            HEADERS)
        self.assertEqual(rows['Tổng cộng'][2:11],
            (0, 0, None, 0, 0, None, 0, 0, None))
        self.assertTrue(all(rows[n][0] is None for n in HEADERS[:4]))

    @with_transaction()
    def test_savings(self):
        pool = Pool()
        Configuration = pool.get('vb.reports.configuration')
        p = Province()
        p.exchanges()
        data = {'company': p.ubnd.id, **MARCH}
        _, content, _, _ = run('vb.reports.savings.xlsx', data)
        rows = sheet_rows(content)
        names = by_name(rows, HEADERS)
        # rank, name, documents sent electronically, deliveries, cost,
        # amount: o1 + o2 (1 electronic line each), s1 (2 lines)
        self.assertEqual(names["Sở Nội vụ"],
            (1, "Sở Nội vụ", 2, 2, 80000, 160000))
        self.assertEqual(names["Sở Tài chính"],
            (1, "Sở Tài chính", 1, 2, 80000, 160000))
        self.assertEqual(names["UBND tỉnh Hải Vân"],
            (None, "UBND tỉnh Hải Vân", 0, 0, 80000, 0))
        self.assertEqual(names['Tổng cộng'][2:], (3, 4, None, 320000))
        flat = [c for r in rows for c in r]
        self.assertIn('Tổng kinh phí tiết kiệm ước tính: 320.000 đồng '
            '(Bằng chữ: Ba trăm hai mươi nghìn đồng).', flat)
        text = pdf_text(run('vb.reports.savings.pdf', data)[1])
        self.assertIn('1 Sở Nội vụ 2 2 80.000 160.000', text)
        self.assertIn('Bằng chữ: Ba trăm hai mươi nghìn đồng', text)

        # The cost is a setting
        configuration = Configuration(1)
        self.assertEqual(configuration.paper_cost, Decimal(80000))
        configuration.paper_cost = Decimal(125000)
        configuration.save()
        text = pdf_text(run('vb.reports.savings.pdf', data)[1])
        self.assertIn('1 Sở Tài chính 1 2 125.000 250.000', text)
        self.assertIn('500.000 đồng (Bằng chữ: Năm trăm nghìn đồng)', text)

    @with_transaction()
    def test_access_and_period(self):
        pool = Pool()
        Wizard = pool.get('vb.reports.exchange.print', type='wizard')
        p = Province()
        data = {'company': p.ubnd.id, **MARCH}
        # A Sở's clerk cannot print the province's indicators
        with as_user(p.clerk_snv):
            with self.assertRaises(AccessError) as raised:
                run('vb.reports.exchange.pdf', data)
        self.assertIn('UBND tỉnh Hải Vân', str(raised.exception))
        with as_user(p.clerk_ubnd):
            self.assertEqual(
                run('vb.reports.savings.xlsx', data)[0], 'xlsx')
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            wizard.start.company = p.ubnd
            wizard.start.start_date = D(2026, 3, 31)
            wizard.start.end_date = D(2026, 3, 1)
            with self.assertRaises(ReportFilterError) as raised:
                wizard.do_pdf_(None)
        self.assertIn('31/03/2026', str(raised.exception))


    @with_transaction()
    def test_vietnamese(self):
        "The messages and the weekly e-mail in Vietnamese"
        import re
        from pathlib import Path

        import polib
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        ConfigurationIr = pool.get('ir.configuration')
        Configuration = pool.get('vb.reports.configuration')
        Usage = pool.get('vb.reports.usage')
        Wizard = pool.get('vb.reports.savings', type='wizard')
        po_path = Path(__file__).parent.parent / 'locale' / 'vi.po'
        # Every translation keeps the placeholders of its source
        placeholder = re.compile(r'%\((\w+)\)s')
        for entry in polib.pofile(str(po_path)):
            self.assertEqual(sorted(placeholder.findall(entry.msgstr)),
                sorted(placeholder.findall(entry.msgid)), entry.msgid)
        lang, = Lang.search([('code', '=', 'vi')])
        lang.translatable = True
        lang.save()
        Translation.translation_import('vi', 'vb_reports', [str(po_path)])
        p = Province()
        with as_user(p.clerk_ubnd), Transaction().set_context(
                language='vi'):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            wizard.start.start_date = D(2026, 3, 2)
            wizard.start.end_date = D(2026, 3, 1)
            with self.assertRaises(ReportFilterError) as raised:
                wizard.do_xlsx_(None)
        self.assertEqual(raised.exception.message,
            'Ngày kết thúc (01/03/2026) trước ngày bắt đầu (02/03/2026) '
            'của kỳ báo cáo.')
        configuration = ConfigurationIr(1)
        configuration.language = 'vi'
        configuration.save()
        settings = Configuration(1)
        settings.weekly_recipients = 'vp@ubnd.example'
        settings.weekly_format = 'xlsx'
        settings.save()
        with patch('trytond.sendmail.send_message_transactional') as send:
            Usage.send_weekly(D(2026, 3, 16))
        message, = [c.args[0] for c in send.call_args_list]
        self.assertEqual(message['Subject'], 'Báo cáo tình hình sử dụng hệ '
            'thống quản lý văn bản và điều hành, từ ngày 09/03/2026 đến '
            'ngày 15/03/2026')
        self.assertIn('của UBND tỉnh Hải Vân và các cơ quan trực thuộc',
            message.get_body().get_content())
        attachment, = message.iter_attachments()
        self.assertEqual(attachment.get_filename(),
            'bao-cao-su-dung-20260309-20260315.xlsx')


class ExchangeWorkflowLGSPTestCase(unittest.TestCase):
    "Report 4 with vb_workflow (processing) and vb_lgsp (the axis)"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['vb_reports', 'vb_workflow', 'vb_lgsp'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_exchange_with_lgsp_and_workflow(self):
        pool = Pool()
        Document = pool.get('vb.document')
        Recipient = pool.get('vb.document.recipient')
        p = Province()
        o1, o2, o3, s1 = p.exchanges()
        # The package of o2 to Bộ Nội vụ was accepted by the axis
        line, = [r for r in o2.recipients if r.agency == p.bnv]
        self.assertEqual(line.state, 'external')
        Recipient.write([line], {'lgsp_state': 'sent'})
        # Sở Nội vụ processes one of its three incoming documents
        first, = Document.search([('company', '=', p.snv.id),
                ('number_notation', '=', '5/GM-BNV')])
        Document.write([first], {'processing_state': 'assigned'})
        rows = by_name(sheet_rows(run('vb.reports.exchange.xlsx',
                    {'company': p.ubnd.id, **MARCH})[1]), HEADERS)
        self.assertEqual(rows["Sở Nội vụ"][2:13],
            (3, 2, 2 / 3, 2, 0, 'Chưa có dữ liệu', 3, 1, 1 / 3, 1, 1 / 3))
        self.assertEqual(rows["UBND tỉnh Hải Vân"][11:13], (0, 0))
        self.assertEqual(rows['Tổng cộng'][11:13], (1, 0.2))
        text = pdf_text(run('vb.reports.exchange.pdf',
                {'company': p.ubnd.id, **MARCH})[1])
        self.assertNotIn('Chưa cài phân hệ', text)


class ExchangeSignatureTestCase(unittest.TestCase):
    "Report 4 with vb_signature: documents signed, leaders signing"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['vb_reports', 'vb_signature'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_signatures(self):
        pool = Pool()
        Document = pool.get('vb.document')
        p = Province()
        # A second leader of Sở Nội vụ, who signs nothing
        create_staff(p.snv, 'pgd.snv', ['leader'])
        # The test files are not signed: vb_signature's gate on receipt
        # is not what this test is about
        with patch.object(Document, 'signature_problems', return_value={}):
            o1, o2, o3, s1 = p.exchanges()
        document = Document.__table__()
        cursor = Transaction().connection.cursor()
        for record, leader in [(o1, p.leader_snv), (o2, p.leader_snv),
                (s1, p.leader_stc)]:
            cursor.execute(*document.update(
                    [document.leader_signed_by, document.leader_signed_at],
                    [leader.id, T(2026, 3, 1, 9)],
                    where=document.id == record.id))
        data = {'company': p.ubnd.id, **MARCH}
        rows = by_name(sheet_rows(run('vb.reports.exchange.xlsx', data)[1]),
            HEADERS)
        #   rank name | out: total electronic share full mixed signed
        #   share | in: total electronic share processed share |
        #   leaders: count signing share
        self.assertEqual(rows["Sở Nội vụ"], (2, "Sở Nội vụ",
                3, 2, 2 / 3, 1, 1, 2, 2 / 3, 3, 1, 1 / 3, None, None,
                2, 1, 0.5))
        self.assertEqual(rows["Sở Tài chính"], (1, "Sở Tài chính",
                1, 1, 1, 1, 0, 1, 1, 0, 0, None, None, None, 1, 1, 1))
        self.assertEqual(rows["UBND tỉnh Hải Vân"][7:9], (0, None))
        self.assertEqual(rows["UBND tỉnh Hải Vân"][14:], (1, 0, 0))
        self.assertEqual(rows["Sở Y tế"][14:], (0, 0, None))
        self.assertEqual(rows['Tổng cộng'][7:9], (3, 0.75))
        self.assertEqual(rows['Tổng cộng'][14:], (4, 2, 0.5))
        text = pdf_text(run('vb.reports.exchange.pdf', data)[1])
        self.assertIn('2 Sở Nội vụ 3 2 66,7% 1 1 2 66,7% 3 1 33,3%', text)
        self.assertIn('Ký số: văn bản đi có chữ ký số của lãnh đạo', text)
        self.assertNotIn('Chưa có dữ liệu', text)


class UsageTestCase(unittest.TestCase):
    "Report 5 with vb_workflow, its e-mail and the login log"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['vb_reports', 'vb_workflow'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def _week(self):
        """Week of Monday 9 March 2026, against the week before.

        Sở Nội vụ: logins vt.snv ×2 and gd.snv (3; 1 the week before);
        registers d1 (9/3) and d2 (10/3), d0 the week before (4/3);
        issues one document (11/3); completes d1 after 2.5 days and d0
        after 8 days (average 5.25 → 5.3). UBND: one login."""
        pool = Pool()
        Login = pool.get('vb.reports.login')
        Document = pool.get('vb.document')
        p = Province()
        Login.create([
                {'user': u.id, 'company': c.id, 'login_at': at}
                for u, c, at in [
                    (p.clerk_snv, p.snv, T(2026, 3, 9, 1)),
                    (p.clerk_snv, p.snv, T(2026, 3, 10, 1)),
                    (p.leader_snv, p.snv, T(2026, 3, 11, 2)),
                    (p.clerk_snv, p.snv, T(2026, 3, 3, 1)),
                    (p.clerk_ubnd, p.ubnd, T(2026, 3, 12, 3)),
                    # outside both weeks
                    (p.clerk_snv, p.snv, T(2026, 3, 16, 0, 30)),
                    ]])
        d0 = receive(p.snv, p.clerk_snv, D(2026, 3, 4), "Tuần trước",
            '1/A')
        d1 = receive(p.snv, p.clerk_snv, D(2026, 3, 9), "Thứ hai", '2/A')
        d2 = receive(p.snv, p.clerk_snv, D(2026, 3, 10), "Thứ ba", '3/A')
        out = issue(p.snv, p.clerk_snv, p.leader_snv, D(2026, 3, 11),
            "V/v báo cáo tuần", recipients=[p.ubnd])
        for document, numbered in [(d0, T(2026, 3, 4, 9)),
                (d1, T(2026, 3, 9, 9)), (d2, T(2026, 3, 10, 9)),
                (out, T(2026, 3, 11, 10))]:
            Document.write([document], {'numbered_at': numbered})
        Document.write([d1], {'processing_state': 'done',
                'completed_at': T(2026, 3, 11, 21)})
        Document.write([d0], {'processing_state': 'done',
                'completed_at': T(2026, 3, 12, 9)})
        return p

    #   rank name active Δ logins Δ registered Δ issued Δ processed Δ
    #   average days, the week before
    SNV = (1, "Sở Nội vụ", 2, 1, 3, 2, 2, 1, 1, 1, 2, 2, 5.3, None)
    UBND = (2, "UBND tỉnh Hải Vân", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, None,
        None)

    @with_transaction()
    def test_usage(self):
        p = self._week()
        data = {'company': p.ubnd.id, 'start_date': D(2026, 3, 9),
            'end_date': D(2026, 3, 15)}
        rows = by_name(sheet_rows(run('vb.reports.usage.xlsx', data)[1]),
            HEADERS)
        self.assertEqual(rows["Sở Nội vụ"], self.SNV)
        self.assertEqual(rows["UBND tỉnh Hải Vân"], self.UBND)
        self.assertEqual(rows["Sở Y tế"][:4], (None, "Sở Y tế", 0, 0))
        self.assertEqual(rows['Tổng cộng'][2:],
            (3, 2, 4, 3, 2, 1, 1, 1, 2, 2, 5.3, None))
        text = pdf_text(run('vb.reports.usage.pdf', data)[1])
        self.assertIn('BÁO CÁO TÌNH HÌNH SỬ DỤNG HỆ THỐNG', text)
        self.assertIn('1 Sở Nội vụ 2 1 3 2 2 1 1 1 2 2 5,3', text)
        self.assertIn('Tăng, giảm: so với kỳ trước, từ ngày 02/03/2026 đến '
            'ngày 08/03/2026.', text)

    @with_transaction()
    def test_weekly_mail(self):
        pool = Pool()
        Configuration = pool.get('vb.reports.configuration')
        Cron = pool.get('ir.cron')
        Usage = pool.get('vb.reports.usage')
        ModelData = pool.get('ir.model.data')
        cron = Cron(ModelData.get_id('vb_reports', 'cron_weekly_usage'))
        self.assertEqual((cron.method, cron.interval_type, cron.weekday.index),
            ('vb.reports.usage|send_weekly', 'weeks', 0))
        p = self._week()
        # Nobody to send to: nothing sent
        with patch('trytond.sendmail.send_message_transactional') as send:
            self.assertIsNone(Usage.send_weekly(D(2026, 3, 16)))
        send.assert_not_called()
        configuration = Configuration(1)
        configuration.weekly_recipients = 'x@@y'
        with self.assertRaises(ValidationError):
            configuration.save()
        configuration.weekly_recipients = (
            "chanh.vp@ubnd.example\nld@ubnd.example")
        configuration.save()
        # Monday 16 March, as the cron would: the week of 9 March
        with today(D(2026, 3, 16)), patch(
                'trytond.sendmail.send_message_transactional') as send:
            Cron.run_once([cron])
        message, = [c.args[0] for c in send.call_args_list]
        self.assertEqual(message['To'],
            'chanh.vp@ubnd.example, ld@ubnd.example')
        self.assertIn('từ ngày 09/03/2026 đến ngày 15/03/2026',
            message['Subject'])
        attachments = {a.get_filename(): a.get_content()
            for a in message.iter_attachments()}
        self.assertEqual(sorted(attachments), [
                'bao-cao-su-dung-20260309-20260315.pdf',
                'bao-cao-su-dung-20260309-20260315.xlsx'])
        book = openpyxl.load_workbook(io.BytesIO(
                attachments['bao-cao-su-dung-20260309-20260315.xlsx']),
            data_only=True)
        rows = by_name([tuple(r) for r in book.worksheets[0].iter_rows(
                        values_only=True)], HEADERS)
        self.assertEqual(rows["Sở Nội vụ"], self.SNV)
        self.assertEqual(rows["UBND tỉnh Hải Vân"], self.UBND)
        text = pdf_text(
            attachments['bao-cao-su-dung-20260309-20260315.pdf'])
        self.assertIn('1 Sở Nội vụ 2 1 3 2 2 1 1 1 2 2 5,3', text)

        # PDF only, for Sở Nội vụ alone
        configuration.weekly_format = 'pdf'
        configuration.weekly_agency = p.snv
        configuration.save()
        with patch('trytond.sendmail.send_message_transactional') as send:
            Usage.send_weekly(D(2026, 3, 18))
        message, = [c.args[0] for c in send.call_args_list]
        attachment, = message.iter_attachments()
        self.assertEqual(attachment.get_content_type(), 'application/pdf')
        text = pdf_text(attachment.get_content())
        self.assertIn('Sở Nội vụ', text)
        self.assertNotIn('UBND tỉnh Hải Vân 1', text)

    @with_transaction()
    def test_login_recorded(self):
        "A session trytond opens at login is a row of the login log"
        pool = Pool()
        Session = pool.get('ir.session')
        Login = pool.get('vb.reports.login')
        p = Province()
        with Transaction().set_user(p.clerk_snv.id):
            Session.new()
        login, = Login.search([])
        self.assertEqual((login.user, login.company),
            (p.clerk_snv, p.snv))
        self.assertLess(
            abs(login.login_at - dt.datetime.now()), dt.timedelta(minutes=1))

    @with_transaction()
    def test_usage_empty_and_one_day(self):
        p = self._week()
        data = {'company': p.snv.id, 'start_date': D(2026, 3, 10),
            'end_date': D(2026, 3, 10)}
        rows = sheet_rows(run('vb.reports.usage.xlsx', data)[1])
        names = by_name(rows, HEADERS)
        # 10/3 against 9/3: one login each day, d2 against d1
        self.assertEqual(names["Sở Nội vụ"][:8],
            (1, "Sở Nội vụ", 1, 0, 1, 0, 1, 0))
        self.assertIn('Ngày 10/03/2026', [c for r in rows for c in r])
        data = {'company': p.snv.id, 'start_date': D(2024, 1, 1),
            'end_date': D(2024, 1, 7)}
        names = by_name(sheet_rows(run('vb.reports.usage.xlsx', data)[1]),
            HEADERS)
        self.assertEqual(names["Sở Nội vụ"],
            (None, "Sở Nội vụ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None))
