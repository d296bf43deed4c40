# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Report 3 (overdue list, task tracking) and the leader's dashboard
(report 7) with vb_workflow, read back against hand-computed figures."""
import datetime as dt
import unittest

from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff)
from trytond.modules.vb_reports.exceptions import ReportFilterError
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .tools import pdf_text, receive, sheet_rows, today

D = dt.date
T = dt.datetime
MARCH = {'start_date': D(2026, 3, 1), 'end_date': D(2026, 3, 31)}


def run(name, data):
    Report = Pool().get(name, type='report')
    return Report.execute([], {**data, 'model': None})


class TrackingTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['vb_reports', 'vb_workflow'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def _agency(self):
        Unit = Pool().get('vb.unit')
        self.ubnd = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99',
            'UBND')
        self.snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            parent=self.ubnd.id)
        self.ccvc, self.vp = Unit.create([
                {'company': self.snv.id, 'name': "Phòng Công chức",
                    'abbreviation': 'CCVC'},
                {'company': self.snv.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        self.clerk = create_staff(self.snv, 'vt.snv', ['clerk'])
        self.leader = create_staff(self.snv, 'gd.snv', ['leader'])
        self.cv1 = create_staff(self.snv, 'cv1', ['officer'], unit=self.ccvc)
        self.cv2 = create_staff(self.snv, 'cv2', ['officer'], unit=self.vp)

    def _overdue(self):
        """d1 (deadline 10/3) with the unit CCVC and cv1 on it, d2 (12/3)
        passed on by cv1 to cv2, d3 (20/3) with cv2, d4 (5/3) never
        assigned, d5 (5/4) not overdue."""
        pool = Pool()
        Assignment = pool.get('vb.document.assignment')
        Document = pool.get('vb.document')
        self._agency()
        docs = [receive(self.snv, self.clerk, D(2026, 3, day), subject,
                f'{day}/BNV') for day, subject in [
                (2, "V/v tuyển dụng công chức"), (3, "V/v nâng lương"),
                (4, "V/v đào tạo bồi dưỡng"), (5, "V/v thi đua khen thưởng"),
                (6, "V/v báo cáo quý")]]
        d1, d2, d3, d4, d5 = docs
        for document, deadline in zip(docs, [D(2026, 3, 10),
                    D(2026, 3, 12), D(2026, 3, 20), D(2026, 3, 5),
                    D(2026, 4, 5)]):
            Document.write([document], {'deadline': deadline})
        base = {'company': self.snv.id, 'role': 'lead',
            'assigned_at': T(2026, 3, 2, 8)}
        Assignment.create([{**base, **v} for v in [
                    {'document': d1.id, 'unit': self.ccvc.id,
                        'state': 'pending', 'deadline': D(2026, 3, 10)},
                    {'document': d1.id, 'user': self.cv1.id,
                        'state': 'processing', 'deadline': D(2026, 3, 10)},
                    {'document': d2.id, 'user': self.cv1.id,
                        'state': 'transferred', 'done_at': T(2026, 3, 11),
                        'deadline': D(2026, 3, 12)},
                    {'document': d3.id, 'user': self.cv2.id,
                        'state': 'pending', 'deadline': D(2026, 3, 20)},
                    {'document': d2.id, 'user': self.cv2.id,
                        'state': 'processing', 'deadline': D(2026, 3, 12)},
                    {'document': d3.id, 'user': self.cv1.id, 'role': 'co',
                        'state': 'pending', 'deadline': D(2026, 3, 15)},
                    {'document': d5.id, 'user': self.cv1.id,
                        'state': 'pending', 'deadline': D(2026, 4, 5)},
                    ]])
        return docs

    @with_transaction()
    def test_overdue(self):
        self._overdue()
        data = {'company': self.snv.id, **MARCH}
        with today(D(2026, 3, 31)):
            _, content, _, _ = run('vb.reports.overdue.xlsx', data)
            _, pdf, _, _ = run('vb.reports.overdue.pdf', data)
        rows = [r[:6] for r in sheet_rows(content)
            if r and (r[4] is not None or r[0] == 'Tổng cộng')]
        rows = rows[rows.index(next(r for r in rows
                    if r[0] == "Phòng Công chức")):]
        #   name, arrival number, notation, deadline, days, documents
        self.assertEqual(rows, [
                ("Phòng Công chức", None, None, None, 21, 1),
                ("Giao cho đơn vị (chưa giao cán bộ)", None, None, None,
                    21, 1),
                ("V/v tuyển dụng công chức", 1, '2/BNV', T(2026, 3, 10),
                    21, None),
                ("cv1", None, None, None, 21, 1),
                ("V/v tuyển dụng công chức", 1, '2/BNV', T(2026, 3, 10),
                    21, None),
                ("Văn phòng", None, None, None, 19, 2),
                ("cv2", None, None, None, 19, 2),
                ("V/v nâng lương", 2, '3/BNV', T(2026, 3, 12), 19, None),
                ("V/v đào tạo bồi dưỡng", 3, '4/BNV', T(2026, 3, 20), 11,
                    None),
                ("Chưa giao xử lý hoặc chờ hoàn thành", None, None, None,
                    26, 1),
                ("V/v thi đua khen thưởng", 4, '5/BNV', T(2026, 3, 5), 26,
                    None),
                ('Tổng cộng', None, None, None, None, 4),
                ])
        text = pdf_text(pdf)
        self.assertIn('DANH SÁCH VĂN BẢN QUÁ HẠN XỬ LÝ', text)
        self.assertIn('Hạn xử lý từ ngày 01/03/2026 đến ngày 31/03/2026',
            text)
        self.assertIn('V/v nâng lương 2 3/BNV 12/03/2026 19', text)
        self.assertIn('Tính đến hết ngày 31/03/2026', text)
        self.assertNotIn('V/v báo cáo quý', text)

        # Before the period is over: as of 15/3, d3 is not due yet
        with today(D(2026, 3, 15)):
            text = pdf_text(run('vb.reports.overdue.pdf', data)[1])
        self.assertIn('V/v tuyển dụng công chức 1 2/BNV 10/03/2026 5', text)
        self.assertIn('V/v thi đua khen thưởng 4 5/BNV 05/03/2026 10', text)
        self.assertIn('V/v nâng lương 2 3/BNV 12/03/2026 3', text)
        self.assertNotIn('V/v đào tạo', text)

    @with_transaction()
    def test_overdue_empty_one_day_and_errors(self):
        pool = Pool()
        Wizard = pool.get('vb.reports.overdue.print', type='wizard')
        self._overdue()
        with today(D(2026, 3, 31)):
            # One day: deadlines of 12/3 only
            data = {'company': self.snv.id, 'start_date': D(2026, 3, 12),
                'end_date': D(2026, 3, 12)}
            text = pdf_text(run('vb.reports.overdue.pdf', data)[1])
            self.assertIn('Hạn xử lý ngày 12/03/2026', text)
            self.assertIn('V/v nâng lương', text)
            self.assertNotIn('V/v tuyển dụng', text)
            # Nothing overdue (and an agency without documents)
            for company, start, end in [
                    (self.snv, D(2025, 1, 1), D(2025, 1, 31)),
                    (self.ubnd, D(2026, 3, 1), D(2026, 3, 31))]:
                data = {'company': company.id, 'start_date': start,
                    'end_date': end}
                text = pdf_text(run('vb.reports.overdue.pdf', data)[1])
                self.assertIn('Không có văn bản quá hạn trong kỳ báo cáo.',
                    text)
        with as_user(self.leader):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            self.assertEqual(wizard.start.company, self.snv)
            wizard.start.start_date = D(2026, 3, 10)
            wizard.start.end_date = D(2026, 3, 9)
            with self.assertRaises(ReportFilterError) as raised:
                wizard.do_xlsx_(None)
            self.assertIn('09/03/2026', str(raised.exception))

    def _tasks(self):
        """UBND tỉnh gives Sở Nội vụ t1 (done on time) and t6 (done late),
        its Văn phòng t2 (extended from 15/3 to 25/3, overdue at the end of
        March), its officer t3 (due 10/4); t4 cancelled, t5 done in
        February: not in the report."""
        pool = Pool()
        Task = pool.get('vb.task')
        Extension = pool.get('vb.task.extension')
        Deadline = pool.get('vb.task.deadline')
        Unit = pool.get('vb.unit')
        self.ubnd = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99',
            'UBND')
        self.snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        vp, = Unit.create([{'company': self.ubnd.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        leader = create_staff(self.ubnd, 'ld.ubnd', ['leader'])
        officer = create_staff(self.ubnd, 'cv.ubnd', ['officer'], unit=vp)
        self.officer = officer
        base = {'company': self.ubnd.id, 'assigner': leader.id}
        t1, t2, t3, t4, t5, t6 = Task.create([{**base, **v} for v in [
                    {'name': "Rà soát thủ tục hành chính",
                        'assignee_type': 'agency',
                        'assignee_agency': self.snv.id,
                        'deadline': D(2026, 3, 10)},
                    {'name': "Tổng hợp báo cáo quý I",
                        'assignee_type': 'unit', 'assignee_unit': vp.id,
                        'deadline': D(2026, 3, 15)},
                    {'name': "Chuẩn bị hội nghị", 'assignee_type': 'user',
                        'assignee_user': officer.id,
                        'deadline': D(2026, 4, 10)},
                    {'name': "Hủy bỏ", 'assignee_type': 'user',
                        'assignee_user': officer.id,
                        'deadline': D(2026, 3, 20)},
                    {'name': "Việc tháng hai", 'assignee_type': 'agency',
                        'assignee_agency': self.snv.id,
                        'deadline': D(2026, 2, 25)},
                    {'name': "Kiện toàn tổ chức bộ máy",
                        'assignee_type': 'agency',
                        'assignee_agency': self.snv.id,
                        'deadline': D(2026, 3, 20)},
                    ]])
        task = Task.__table__()
        deadline = Deadline.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*task.update([task.create_date],
                [T(2026, 3, 1, 8)]))
        cursor.execute(*deadline.update([deadline.date],
                [T(2026, 3, 1, 8)]))
        for record, state, completion in [(t1, 'done', D(2026, 3, 9)),
                (t4, 'cancelled', None), (t5, 'done', D(2026, 2, 20)),
                (t6, 'done', D(2026, 3, 22))]:
            cursor.execute(*task.update([task.state, task.completion_date],
                    [state, completion], where=task.id == record.id))
        extension, = Extension.create([{'task': t2.id,
                    'old_deadline': D(2026, 3, 15),
                    'new_deadline': D(2026, 3, 25),
                    'reason': "Chờ số liệu của các sở", 'state': 'approved',
                    'requested_at': T(2026, 3, 11, 9)}])
        Deadline.create([{'task': t2.id, 'old_deadline': D(2026, 3, 15),
                    'new_deadline': D(2026, 3, 25), 'reason': "Gia hạn",
                    'date': T(2026, 3, 12, 10), 'extension': extension.id}])
        cursor.execute(*task.update([task.deadline], [D(2026, 3, 25)],
                where=task.id == t2.id))

    @with_transaction()
    def test_tasks(self):
        self._tasks()
        data = {'company': self.ubnd.id, **MARCH}
        with today(D(2026, 4, 15)):
            _, content, _, _ = run('vb.reports.task.xlsx', data)
            _, pdf, _, _ = run('vb.reports.task.pdf', data)
        rows = [r[:12] for r in sheet_rows(content) if r and (
                isinstance(r[6], int) or isinstance(r[2], dt.datetime))]
        #  name, first deadline, deadline, history, status, completed,
        #  total, on time, late, in time, overdue, extensions
        self.assertEqual(rows, [
                ("Cơ quan: Sở Nội vụ", None, None, None, None, None,
                    2, 1, 1, 0, 0, 0),
                ("Rà soát thủ tục hành chính", T(2026, 3, 10),
                    T(2026, 3, 10), '10/03/2026', 'Hoàn thành đúng hạn',
                    T(2026, 3, 9), None, None, None, None, None, 0),
                ("Kiện toàn tổ chức bộ máy", T(2026, 3, 20),
                    T(2026, 3, 20), '20/03/2026', 'Hoàn thành quá hạn',
                    T(2026, 3, 22), None, None, None, None, None, 0),
                ("Đơn vị: Văn phòng", None, None, None, None, None,
                    1, 0, 0, 0, 1, 1),
                ("Tổng hợp báo cáo quý I", T(2026, 3, 15), T(2026, 3, 25),
                    '15/03/2026 → 25/03/2026 (gia hạn ngày 12/03/2026)',
                    'Quá hạn, chưa hoàn thành', None, None, None, None,
                    None, None, 1),
                ("Cá nhân: cv.ubnd", None, None, None, None, None,
                    1, 0, 0, 1, 0, 0),
                ("Chuẩn bị hội nghị", T(2026, 4, 10), T(2026, 4, 10),
                    '10/04/2026', 'Đang thực hiện, trong hạn', None, None,
                    None, None, None, None, 0),
                ('Tổng cộng', None, None, None, None, None,
                    4, 1, 1, 1, 1, 1),
                ])
        text = pdf_text(pdf)
        self.assertIn('BÁO CÁO THEO DÕI NHIỆM VỤ ĐƯỢC GIAO', text)
        self.assertIn('Cơ quan: Sở Nội vụ 2 1 1 0 0 0', text)
        self.assertIn('(gia hạn ngày 12/03/2026)', text)
        self.assertNotIn('Hủy bỏ', text)
        self.assertNotIn('Việc tháng hai', text)

        # In the middle of March: t2 not yet overdue
        with today(D(2026, 3, 18)):
            rows = sheet_rows(run('vb.reports.task.xlsx', data)[1])
        agency, = [r for r in rows if r[0] == "Cơ quan: Sở Nội vụ"]
        unit, = [r for r in rows if r[0] == "Đơn vị: Văn phòng"]
        self.assertEqual(agency[6:12], (2, 1, 1, 0, 0, 0))
        self.assertEqual(unit[6:12], (1, 0, 0, 1, 0, 1))
        # Empty period and agency without tasks
        for company, start, end in [(self.ubnd, D(2026, 1, 1),
                    D(2026, 1, 31)), (self.snv, D(2026, 3, 1),
                    D(2026, 3, 31))]:
            text = pdf_text(run('vb.reports.task.pdf', {
                        'company': company.id, 'start_date': start,
                        'end_date': end})[1])
            self.assertIn('Không có nhiệm vụ trong kỳ báo cáo.', text)

    @with_transaction()
    def test_dashboard(self):
        "The dashboard's views: documents by state, per week, overdue"
        pool = Pool()
        State = pool.get('vb.reports.dashboard.state')
        Week = pool.get('vb.reports.dashboard.week')
        Overdue = pool.get('vb.reports.dashboard.overdue')
        Document = pool.get('vb.document')
        docs = self._overdue()
        Document.cancel([docs[4]])
        Document.create([{'company': self.snv.id, 'direction': 'incoming',
                    'type': docs[0].type.id, 'subject': "Nháp"}])
        domain = [('company', '=', self.snv.id)]
        self.assertEqual(
            sorted((r.direction, r.state, r.count)
                for r in State.search(domain)),
            [('incoming', 'cancelled', 1), ('incoming', 'draft', 1),
                ('incoming', 'registered', 4)])
        # 2-6 March: the week of Monday 2 March (cancelled one left out)
        self.assertEqual(
            [(r.week, r.incoming, r.outgoing) for r in Week.search(domain)],
            [(D(2026, 3, 2), 4, 0)])
        # Open lead assignments past their deadline today: the unit's and
        # cv1's on d1 (Phòng Công chức), cv2's on d2 and d3 (Văn phòng);
        # cv1's on d5 is left out, d5 was cancelled
        self.assertEqual(
            [(r.unit.name, r.count) for r in Overdue.search(domain)],
            [("Phòng Công chức", 2), ("Văn phòng", 2)])
        # An officer of another agency sees none of it
        other = create_agency("Sở Tư pháp", '000.00.08.H99', 'STP')
        stranger = create_staff(other, 'cv.stp', ['officer'])
        with as_user(stranger):
            self.assertEqual(State.search([]), [])
            self.assertEqual(Overdue.search([]), [])
