# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Task tracking: statuses, results, extensions, visibility, reminders"
import datetime as dt
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.vb_document.exceptions import DocumentStateError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_workflow.exceptions import (
    WorkflowError, WorkflowValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import today, told

D = dt.date


class TaskTestCase(unittest.TestCase):
    "Test the task tracking of vb_workflow"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_workflow')

    def _setup(self):
        pool = Pool()
        Unit = pool.get('vb.unit')
        ubnd = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        stc = create_agency("Sở Tài chính", '000.00.06.H99', 'STC')
        unit, = Unit.create([{
                    'company': ubnd.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        self.ubnd, self.snv, self.stc, self.unit = ubnd, snv, stc, unit
        self.leader = create_staff(ubnd, 'leader.ubnd', ['leader'])
        self.deputy = create_staff(ubnd, 'deputy.ubnd', ['leader'])
        self.head = create_staff(ubnd, 'head.vp', ['unit_head'], unit=unit)
        self.officer = create_staff(ubnd, 'officer.vp', ['officer'],
            unit=unit)
        self.snv_leader = create_staff(snv, 'leader.snv', ['leader'])
        self.snv_clerk = create_staff(snv, 'clerk.snv', ['clerk'])
        self.stc_leader = create_staff(stc, 'leader.stc', ['leader'])

    def _task(self, deadline, **values):
        Task = Pool().get('vb.task')
        values.setdefault('assignee_type', 'agency')
        if values['assignee_type'] == 'agency':
            values.setdefault('assignee_agency', self.snv.id)
        task, = Task.create([{
                    'company': self.ubnd.id,
                    'name': "Báo cáo kết quả cải cách hành chính",
                    'assigner': self.leader.id,
                    'deadline': deadline,
                    **values}])
        return task

    @with_transaction()
    def test_status_weekend(self):
        "Due soon within 2 working days, counting weekends out"
        pool = Pool()
        Task = pool.get('vb.task')
        Day = pool.get('vb.workflow.day')
        self._setup()
        wednesday = D(2026, 11, 18)
        deadlines = [wednesday + dt.timedelta(days=n) for n in range(-2, 9)]
        tasks = [self._task(d) for d in deadlines]
        with today(wednesday):
            statuses = [t.status for t in Task.browse(tasks)]
            self.assertEqual(statuses, [
                    'overdue', 'overdue',       # Monday, Tuesday
                    'due_soon',                 # today
                    'due_soon', 'due_soon',     # Thursday, Friday
                    'due_soon', 'due_soon',     # the weekend
                    'not_due', 'not_due', 'not_due', 'not_due'])
            # The same as counting the working days to the deadline
            for task, status in zip(tasks, statuses):
                if task.deadline >= wednesday:
                    self.assertEqual(status == 'due_soon',
                        Day.working_days_between(wednesday, task.deadline)
                        <= 2)
            self._check_search(tasks)

    @with_transaction()
    def test_status_holidays(self):
        "Tết and the days off entered by the administrator push the limit"
        pool = Pool()
        Task = pool.get('vb.task')
        Day = pool.get('vb.workflow.day')
        self._setup()
        friday = D(2026, 2, 13)     # Tết 2026: 16–20 February off
        tasks = [self._task(D(2026, 2, d)) for d in (20, 23, 24, 25)]
        with today(friday):
            self.assertEqual([t.status for t in Task.browse(tasks)],
                ['due_soon', 'due_soon', 'due_soon', 'not_due'])
            self._check_search(tasks)
            Day.create([{'date': D(2026, 2, 23), 'kind': 'off',
                        'name': "Nghỉ bù"}])
            self.assertEqual([t.status for t in Task.browse(tasks)],
                ['due_soon', 'due_soon', 'due_soon', 'due_soon'])
            self._check_search(tasks)

    @with_transaction()
    def test_status_agency_warning_days(self):
        "Each agency has its warning days; the search follows them"
        pool = Pool()
        Task = pool.get('vb.task')
        Company = pool.get('company.company')
        self._setup()
        monday = D(2026, 11, 16)
        Company.write([self.snv], {'warning_days': 0})
        Company.write([self.stc], {'warning_days': 4})
        ubnd_task = self._task(D(2026, 11, 19))
        snv_task, = Task.create([{
                    'company': self.snv.id, 'name': "Rà soát biên chế",
                    'assigner': self.snv_leader.id,
                    'deadline': D(2026, 11, 17),
                    'assignee_type': 'user',
                    'assignee_user': self.snv_clerk.id}])
        stc_task, = Task.create([{
                    'company': self.stc.id, 'name': "Lập dự toán",
                    'assigner': self.stc_leader.id,
                    'deadline': D(2026, 11, 20),
                    'assignee_type': 'user',
                    'assignee_user': self.stc_leader.id}])
        tasks = [ubnd_task, snv_task, stc_task]
        with today(monday):
            self.assertEqual([t.status for t in Task.browse(tasks)],
                ['not_due', 'not_due', 'due_soon'])
            self._check_search(tasks)

    @with_transaction()
    def test_status_done_and_cancelled(self):
        "Done on time or late by the completion date; cancelled has none"
        Task = Pool().get('vb.task')
        self._setup()
        on_time, late, cancelled = [
            self._task(D(2026, 11, 18)) for _ in range(3)]
        Task.write([on_time], {
                'state': 'done', 'completion_date': D(2026, 11, 18)})
        Task.write([late], {
                'state': 'done', 'completion_date': D(2026, 11, 19)})
        Task.write([cancelled], {'state': 'cancelled'})
        with today(D(2026, 12, 1)):
            tasks = Task.browse([on_time, late, cancelled])
            self.assertEqual([t.status for t in tasks],
                ['done_on_time', 'done_late', None])
            self._check_search(tasks)
            self.assertEqual(
                Task.search([('status', '!=', 'done_late')],
                    order=[('id', 'ASC')]),
                [on_time, cancelled])
            self.assertEqual(
                Task.search([('status', 'in', ['done_on_time', 'done_late'])],
                    order=[('id', 'ASC')]),
                [on_time, late])

    def _check_search(self, tasks):
        "Searching each status finds the tasks having it"
        Task = Pool().get('vb.task')
        tasks = Task.browse(tasks)
        ids = [t.id for t in tasks]
        for status in [None, 'not_due', 'due_soon', 'overdue',
                'done_on_time', 'done_late']:
            expected = {t.id for t in tasks if t.status == status}
            found = {t.id for t in Task.search([
                        ('id', 'in', ids), ('status', '=', status)])}
            self.assertEqual(found, expected, status)
            others = {t.id for t in Task.search([
                        ('id', 'in', ids), ('status', '!=', status)])}
            self.assertEqual(others, set(ids) - expected, status)

    @with_transaction()
    def test_create_notifies_and_records_deadline(self):
        "The assignees are told, the first deadline is kept"
        self._setup()
        told()
        with as_user(self.leader):
            task = self._task(D(2026, 12, 15),
                co_users=[('add', [self.officer.id])])
        self.assertEqual(
            {u for u, _ in told()},
            {self.snv_leader.id, self.snv_clerk.id, self.officer.id})
        deadline, = task.deadlines
        self.assertEqual((deadline.old_deadline, deadline.new_deadline,
                deadline.user), (None, D(2026, 12, 15), self.leader))

    @with_transaction()
    def test_create_one_assignee(self):
        "A task has exactly the assignee of its type"
        self._setup()
        with self.assertRaises(WorkflowValidationError):
            self._task(D(2026, 12, 15), assignee_type='unit',
                assignee_unit=self.unit.id, assignee_agency=self.snv.id)
        with self.assertRaises(UserError):
            self._task(D(2026, 12, 15), assignee_type='user')
        # The other agency could not read the units of this one
        with self.assertRaises(WorkflowValidationError):
            self._task(D(2026, 12, 15),
                co_units=[('add', [self.unit.id])])
        self._task(D(2026, 12, 15), assignee_type='user',
            assignee_user=self.officer.id,
            co_units=[('add', [self.unit.id])])

    @with_transaction()
    def test_extension_refused_then_approved(self):
        "Extensions: refused keeps the deadline, approved moves it"
        Task = Pool().get('vb.task')
        self._setup()
        task = self._task(D(2026, 12, 15))
        told()
        with as_user(self.snv_leader):
            Task.request_extension([task])
            Task.do_request_extension([task], D(2026, 12, 31),
                "Chờ số liệu của các huyện")
            with self.assertRaises(WorkflowError):
                Task.do_request_extension([task], D(2027, 1, 15), "Thêm")
        self.assertEqual([u for u, _ in told()], [self.leader.id])
        task = Task(task.id)
        self.assertTrue(task.extension_pending)
        with as_user(self.leader):
            Task.refuse_extension([task])
            Task.do_refuse_extension([task], "Hạn đã được Thủ tướng giao")
        task = Task(task.id)
        self.assertEqual(task.deadline, D(2026, 12, 15))
        self.assertFalse(task.extension_pending)
        refused, = task.extensions
        self.assertEqual((refused.state, refused.decision_note),
            ('refused', "Hạn đã được Thủ tướng giao"))

        with as_user(self.snv_clerk):
            with self.assertRaises(WorkflowValidationError):
                Task.do_request_extension([task], D(2026, 12, 10), "Sớm hơn")
            Task.do_request_extension([task], D(2026, 12, 25),
                "Chờ ý kiến Bộ Nội vụ")
        with as_user(self.leader):
            Task.approve_extension([task])
        task = Task(task.id)
        self.assertEqual(task.deadline, D(2026, 12, 25))
        self.assertEqual(
            [(d.old_deadline, d.new_deadline, d.user.login)
                for d in task.deadlines],
            [(None, D(2026, 12, 15), 'admin'),
                (D(2026, 12, 15), D(2026, 12, 25), 'leader.ubnd')])
        self.assertEqual(task.deadlines[-1].reason, "Chờ ý kiến Bộ Nội vụ")
        self.assertEqual(sorted(e.state for e in task.extensions),
            ['approved', 'refused'])

    @with_transaction()
    def test_extension_notifications(self):
        "The assigner is told of a request, the assignees of the decision"
        Task = Pool().get('vb.task')
        self._setup()
        task = self._task(D(2026, 12, 15))
        told()
        with as_user(self.snv_leader):
            Task.do_request_extension([task], D(2026, 12, 31), "Chờ số liệu")
        self.assertEqual([u for u, _ in told()], [self.leader.id])
        with as_user(self.leader):
            Task.approve_extension([task])
        self.assertEqual({u for u, _ in told()},
            {self.snv_leader.id, self.snv_clerk.id})

    @with_transaction()
    def test_result_rejected_then_accepted(self):
        "A rejected result sends the task back; the accepted one ends it"
        pool = Pool()
        Task = pool.get('vb.task')
        Attachment = pool.get('ir.attachment')
        self._setup()
        task = self._task(D(2026, 12, 15))
        with today(D(2026, 12, 10)):
            with as_user(self.snv_leader):
                Task.do_report_progress([task], "Đã thu thập số liệu", 50)
                Task.report([task])
                Task.do_submit_result([task], "Báo cáo số 12/BC-SNV",
                    [('bao-cao.pdf', minimal_pdf())])
                task = Task(task.id)
                self.assertEqual((task.state, task.progress),
                    ('submitted', 100))
                # Nothing more until the assigner decides
                with self.assertRaises(UserError):
                    Task.report([task])
            told()
            with as_user(self.leader):
                Task.reject_result([task])
                Task.do_reject_result([task], "Thiếu số liệu cấp xã")
            self.assertEqual({u for u, _ in told()},
                {self.snv_leader.id, self.snv_clerk.id})
            task = Task(task.id)
            self.assertEqual(task.state, 'in_progress')
            self.assertEqual(task.status, 'not_due')
        with today(D(2026, 12, 14)):
            with as_user(self.snv_clerk):
                Task.do_submit_result([task], "Báo cáo bổ sung số 15/BC-SNV")
        with today(D(2026, 12, 16)):
            with as_user(self.leader):
                Task.accept_result([task])
            task = Task(task.id)
            self.assertEqual(task.state, 'done')
            # Reported on the 14th, accepted after the deadline: on time
            self.assertEqual(task.completion_date, D(2026, 12, 14))
            self.assertEqual(task.status, 'done_on_time')
        self.assertEqual(
            [(r.kind, r.state, r.progress) for r in reversed(task.reports)],
            [('progress', None, 50), ('result', 'rejected', 100),
                ('result', 'accepted', 100)])
        self.assertEqual(task.result, task.reports[0])
        rejected = task.reports[1]
        self.assertEqual((rejected.rejection_reason, rejected.decided_by),
            ("Thiếu số liệu cấp xã", self.leader))
        file, = Attachment.search([('resource', '=', str(rejected))])
        self.assertEqual(file.name, 'bao-cao.pdf')
        # The assignee agency reads the files of its reports
        with as_user(self.snv_leader):
            self.assertEqual(len(Attachment.search([
                            ('resource', '=', str(rejected))])), 1)

    @with_transaction()
    def test_done_late(self):
        "A result reported after the deadline is late"
        Task = Pool().get('vb.task')
        self._setup()
        task = self._task(D(2026, 12, 15))
        with today(D(2026, 12, 17)):
            self.assertEqual(Task(task.id).status, 'overdue')
            with as_user(self.snv_leader):
                Task.do_submit_result([task], "Báo cáo muộn")
            with as_user(self.leader):
                Task.accept_result([task])
            self.assertEqual(Task(task.id).status, 'done_late')

    @with_transaction()
    def test_cross_agency_visibility(self):
        "The assignee agency sees the task in its lists, others do not"
        pool = Pool()
        Task = pool.get('vb.task')
        Document = pool.get('vb.document')
        DocumentType = pool.get('vb.document.type')
        self._setup()
        directive_type, = DocumentType.search([('code', '=', 'chi_thi')])
        document, = Document.create([{
                    'company': self.ubnd.id, 'direction': 'incoming',
                    'type': directive_type.id,
                    'subject': "Chỉ thị về cải cách hành chính",
                    'issuer_name': "Thủ tướng Chính phủ"}])
        task = self._task(D(2026, 12, 15), document=document.id)
        own, = Task.create([{
                    'company': self.snv.id, 'name': "Việc nội bộ của Sở",
                    'assigner': self.snv_leader.id,
                    'deadline': D(2026, 12, 1),
                    'assignee_type': 'user',
                    'assignee_user': self.snv_clerk.id}])
        with today(D(2026, 11, 30)):
            with as_user(self.snv_leader):
                self.assertEqual(Task.search([], order=[('id', 'ASC')]),
                    [task, own])
                self.assertEqual(
                    Task.search([('assigned_to_my_agency', '=', True)]),
                    [task])
                self.assertEqual(
                    Task.search([('assigned_by_me', '=', True)]), [own])
                self.assertEqual(
                    Task.search([('status', '=', 'due_soon')]), [own])
                # The task names the document of the other agency
                values, = Task.read([task.id], ['name', 'assignee',
                        'status', 'assigner.rec_name', 'company.rec_name',
                        'assignee_agency.rec_name', 'document',
                        'document.rec_name', 'reports', 'deadlines'])
                self.assertEqual(values['document.']['rec_name'],
                    "Chỉ thị về cải cách hành chính")
                with self.assertRaises(AccessError):
                    Document.read([document.id], ['subject'])
            with as_user(self.snv_clerk):
                self.assertEqual(
                    Task.search([('assigned_to_me', '=', True)]), [own])
            with as_user(self.officer):
                self.assertEqual(Task.search([]), [task])
            with as_user(self.stc_leader):
                self.assertEqual(Task.search([]), [])
                with self.assertRaises(AccessError):
                    Task.read([task.id], ['name'])
                with self.assertRaises(UserError):
                    Task.accept_result([task])
            # Only the assigning agency creates its tasks (last: the
            # refused record stays until the transaction is rolled back)
            with as_user(self.snv_leader):
                with self.assertRaises(AccessError):
                    self._task(D(2026, 12, 20))

    @with_transaction()
    def test_my_unit_and_person(self):
        "Unit heads answer for their unit, members report progress"
        Task = Pool().get('vb.task')
        self._setup()
        task = self._task(D(2026, 12, 15), assignee_type='unit',
            assignee_unit=self.unit.id)
        with as_user(self.officer):
            self.assertEqual(
                Task.search([('assigned_to_my_unit', '=', True)]), [task])
            Task.do_report_progress([task], "Đang soạn dự thảo", 30)
            with self.assertRaises(WorkflowError):
                Task.do_submit_result([task], "Xong")
        with as_user(self.head):
            Task.do_submit_result([task], "Xong")
        self.assertEqual(Task(task.id).state, 'submitted')

    @with_transaction()
    def test_wrong_person_refused(self):
        "Only the assignees report, only the assigner (or deputy) decides"
        pool = Pool()
        Task = pool.get('vb.task')
        Delegation = pool.get('vb.delegation')
        self._setup()
        task = self._task(D(2026, 12, 15))
        with as_user(self.officer):
            with self.assertRaises(WorkflowError):
                Task.do_report_progress([task], "Không phải việc của tôi", 10)
            with self.assertRaises(UserError):
                Task.do_request_extension([task], D(2026, 12, 31), "Xin thêm")
        with as_user(self.snv_leader):
            Task.do_submit_result([task], "Báo cáo")
            with self.assertRaises(WorkflowError):
                Task.accept_result([task])
        with as_user(self.deputy):
            with self.assertRaises(WorkflowError):
                Task.accept_result([task])
        self.assertEqual(Task(task.id).state, 'submitted')
        Delegation.create([{
                    'company': self.ubnd.id,
                    'principal': self.leader.id,
                    'deputy': self.deputy.id,
                    'start_date': dt.date.today() - dt.timedelta(days=1),
                    'end_date': dt.date.today() + dt.timedelta(days=1),
                    'assign': True, 'approve': False}])
        told()
        with as_user(self.deputy):
            Task.accept_result([task])
        task = Task(task.id)
        self.assertEqual(task.state, 'done')
        self.assertEqual(task.result.decided_by, self.deputy)
        # The leader learns that the deputy acted in their name
        self.assertIn(self.leader.id, {u for u, _ in told()})

    @with_transaction()
    def test_wrong_state_refused(self):
        "Actions of another state are refused and change nothing"
        Task = Pool().get('vb.task')
        self._setup()
        task = self._task(D(2026, 12, 15))
        with self.assertRaises(DocumentStateError):
            Task.accept_result([task])
        with self.assertRaises(WorkflowError):
            Task.approve_extension([task])
        with as_user(self.leader):
            with self.assertRaises(UserError):
                Task.accept_result([task])      # the button is hidden
            Task.cancel([task])
        task = Task(task.id)
        self.assertEqual(task.state, 'cancelled')
        with as_user(self.snv_leader):
            with self.assertRaises(WorkflowError):
                Task.do_report_progress([task], "Muộn", 10)
            with self.assertRaises(DocumentStateError):
                Task.do_submit_result([task], "Muộn")
        self.assertEqual((task.state, task.progress, len(task.reports)),
            ('cancelled', 0, 0))

    @with_transaction()
    def test_remind_once(self):
        "Assignees are reminded once due soon and once overdue"
        pool = Pool()
        Task = pool.get('vb.task')
        Cron = pool.get('ir.cron')
        self.assertEqual(
            len(Cron.search([('method', '=', 'vb.task|remind')])), 1)
        self._setup()
        soon = self._task(D(2026, 11, 19))
        later = self._task(D(2026, 11, 27))
        late = self._task(D(2026, 11, 16))
        staff = {self.snv_leader.id, self.snv_clerk.id}
        told()
        with today(D(2026, 11, 18)):
            Task.remind()
            sent = told()
            self.assertEqual({u for u, _ in sent}, staff)
            self.assertEqual(len(sent), 4)
            self.assertEqual(
                [Task(t.id).reminder for t in [soon, later, late]],
                ['due_soon', None, 'overdue'])
            Task.remind()
            self.assertEqual(told(), [])
        with today(D(2026, 11, 20)):
            Task.remind()
            self.assertEqual(len(told()), 2)     # soon is overdue now
            self.assertEqual(Task(soon.id).reminder, 'overdue')
        with today(D(2026, 11, 25)):
            Task.remind()
            self.assertEqual(len(told()), 2)     # later is due soon
        # A new deadline is reminded again
        with as_user(self.snv_leader):
            Task.do_request_extension([late], D(2026, 11, 26), "Gia hạn")
        with as_user(self.leader):
            Task.approve_extension([late])
        told()
        with today(D(2026, 11, 25)):
            Task.remind()
            self.assertEqual(len(told()), 2)
            self.assertEqual(Task(late.id).reminder, 'due_soon')

    @with_transaction()
    def test_create_from_document(self):
        "The wizard on a document creates one task per assignee"
        pool = Pool()
        Document = pool.get('vb.document')
        DocumentType = pool.get('vb.document.type')
        Task = pool.get('vb.task')
        Assign = pool.get('vb.task.assign', type='wizard')
        self._setup()
        directive_type, = DocumentType.search([('code', '=', 'chi_thi')])
        document, = Document.create([{
                    'company': self.ubnd.id, 'direction': 'incoming',
                    'type': directive_type.id,
                    'subject': "Chỉ thị về tăng cường kỷ luật hành chính",
                    'issuer_name': "Thủ tướng Chính phủ"}])
        with self.assertRaises(WorkflowError):
            Document.create_tasks([document])
        with as_user(self.leader):
            with self.assertRaises(UserError):    # the button is hidden
                Document.create_tasks([document])
        Document.register_document([document])
        with as_user(self.leader):
            Document.create_tasks([document])
            with Transaction().set_context(
                    active_model='vb.document', active_id=document.id,
                    active_ids=[document.id]):
                session_id, _, _ = Assign.create()
                assign = Assign(session_id)
                defaults = assign.default_start(None)
                self.assertEqual(defaults['assigner'], self.leader.id)
                assign.start.name = "Triển khai Chỉ thị"
                assign.start.description = None
                assign.start.assigner = self.leader
                assign.start.deadline = D(2026, 12, 31)
                assign.start.agencies = [self.snv, self.stc]
                assign.start.units = [self.unit]
                assign.start.users = []
                assign.start.co_units = []
                assign.start.co_users = [self.officer]
                assign.transition_assign()
        tasks = Task.search([('document', '=', document.id)],
            order=[('id', 'ASC')])
        self.assertEqual([t.assignee for t in tasks],
            ["Sở Nội vụ", "Sở Tài chính", "Văn phòng"])
        self.assertEqual({t.co_users for t in tasks}, {(self.officer,)})
        self.assertEqual(set(Document(document.id).tasks), set(tasks))

