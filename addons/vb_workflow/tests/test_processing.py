# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Processing of incoming documents: assign, handle, return, complete"
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_workflow.exceptions import (
    WorkflowError, WorkflowValidationError)
from trytond.modules.vb_workflow.processing import Processing
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import acting, today

# A Friday: deadlines skip the weekend
FRIDAY = dt.date(2026, 3, 6)


class ProcessingTestCase(unittest.TestCase):
    "Test the processing of incoming documents"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_workflow')

    def _setup(self):
        pool = Pool()
        Unit = pool.get('vb.unit')
        Position = pool.get('vb.position')
        ubnd = create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        office, staff_unit = Unit.create([
                {'company': snv.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'},
                {'company': snv.id, 'name': "Phòng Công chức",
                    'abbreviation': 'CCVC'},
                ])
        deputy_position, = Position.create([
                {'name': "Phó Giám đốc", 'leader': True}])
        r = {
            'ubnd': ubnd, 'snv': snv, 'office': office,
            'staff_unit': staff_unit,
            'sender': create_staff(ubnd, 'vt.ubnd', ['clerk']),
            'ld.ubnd': create_staff(ubnd, 'ld.ubnd', ['leader']),
            'clerk': create_staff(snv, 'vt.snv', ['clerk'], unit=office),
            'director': create_staff(snv, 'gd.snv', ['leader']),
            'deputy': create_staff(snv, 'pgd.snv', ['leader'],
                position=deputy_position),
            'head': create_staff(snv, 'tp.ccvc', ['unit_head', 'officer'],
                unit=staff_unit),
            'officer': create_staff(snv, 'cv1.ccvc', ['officer'],
                unit=staff_unit),
            'officer2': create_staff(snv, 'cv2.ccvc', ['officer'],
                unit=staff_unit),
            'office_head': create_staff(snv, 'cvp.snv', ['unit_head'],
                unit=office),
            }
        return r

    def _delivered(self, r, urgency='normal'):
        "UBND tỉnh issues a công văn to Sở Nội vụ; its clerk registers it"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        DocumentType = pool.get('vb.document.type')
        Urgency = pool.get('vb.document.urgency')
        letter, = DocumentType.search([('code', '=', 'cong_van')])
        urgency, = Urgency.search([('code', '=', urgency)])
        outgoing, = Document.create([{
                    'company': r['ubnd'].id,
                    'direction': 'outgoing',
                    'type': letter.id,
                    'urgency': urgency.id,
                    'subject': "V/v rà soát biên chế công chức năm 2026",
                    'signer': r['ld.ubnd'].employee.id,
                    'recipients': [('create', [{'agency': r['snv'].id}])],
                    'recipients_text': "- Sở Nội vụ;\n- Lưu: VT.",
                    }])
        Attachment.create([{'name': 'cv.pdf', 'data': minimal_pdf(),
                    'document_role': 'main', 'resource': str(outgoing)}])
        with acting(r['sender']):
            Document.issue([outgoing])
        incoming, = Document.search([
                ('company', '=', r['snv'].id),
                ('direction', '=', 'incoming')])
        with acting(r['clerk']):
            Document.register_document([incoming])
        return outgoing, incoming

    def _assignment(self, document, user=None, unit=None, role=None):
        Assignment = Pool().get('vb.document.assignment')
        domain = [('document', '=', document.id), ('state', 'in', [
                    'pending', 'processing'])]
        if user:
            domain.append(('user', '=', user.id))
        if unit:
            domain.append(('unit', '=', unit.id))
        if role:
            domain.append(('role', '=', role))
        assignment, = Assignment.search(domain)
        return assignment

    def _assigned(self, r, **assign):
        """A document delivered, submitted by the clerk to the director and
        assigned by him: the document and the assignments made"""
        _, document = self._delivered(r)
        with acting(r['clerk']):
            submission = Processing.submit(document, leader=r['director'])
        with acting(r['director']):
            return document, Processing.assign(submission, **assign)

    @with_transaction()
    def test_assign_handle_complete(self):
        "Submit, assign, reassign in the unit, handle and complete"
        pool = Pool()
        Document = pool.get('vb.document')
        Event = pool.get('vb.document.event')
        r = self._setup()
        with today(FRIDAY):
            outgoing, document = self._delivered(r)
            with acting(r['clerk']):
                self.assertIn('submit', document.my_actions)
                submission = Processing.submit(document,
                    leader=r['director'], note="Kính trình Giám đốc")
            # 7 working days from Friday 6/3: Tuesday 17/3
            self.assertEqual(document.deadline, dt.date(2026, 3, 17))
            self.assertEqual(document.processing_state, 'submitted')
            recipient, = outgoing.recipients
            self.assertEqual(recipient.processing_state, 'submitted')

            with acting(r['director']):
                document = Document(document.id)
                self.assertIn('assign', document.my_actions)
                lead, co, info = Processing.assign(submission,
                    directive="Giao Phòng Công chức chủ trì, báo cáo "
                    "trước 15/3",
                    lead=r['staff_unit'], co=[r['office_head']],
                    info=[r['deputy']], deadline=dt.date(2026, 3, 13))
            self.assertEqual(
                (lead.role, co.role, info.role), ('lead', 'co', 'info'))
            self.assertEqual(lead.parent, submission)
            self.assertEqual(info.deadline, None)
            document = Document(document.id)
            self.assertEqual(document.deadline, dt.date(2026, 3, 13))
            self.assertEqual(document.processing_state, 'assigned')
            # The unit head is told, not the author
            notified = {int(n.user) for n in
                Transaction().user_notifications}
            self.assertIn(r['head'].id, notified)

            with acting(r['head']):
                self.assertEqual(
                    self._assignment(document, unit=r['staff_unit']), lead)
                first_lead, = Processing.assign(lead,
                    directive="Đồng chí Cv2 tham mưu", lead=r['officer2'])
            # Forwarded to a colleague, who holds it from then on
            with acting(r['officer2']):
                Processing.handle(first_lead, 'forward',
                    note="Chuyển đồng chí Cv1 phụ trách",
                    forward_to=r['officer'])
            self.assertEqual(
                first_lead.__class__(first_lead.id).state, 'transferred')
            officer_lead = self._assignment(document, user=r['officer'])
            self.assertEqual(officer_lead.parent, first_lead)
            self.assertEqual(officer_lead.role, 'lead')
            self.assertEqual(officer_lead.deadline, dt.date(2026, 3, 13))

            with acting(r['officer']):
                Processing.handle(officer_lead, 'progress',
                    note="Đã rà soát 3/5 phòng")
                self.assertEqual(
                    Document(document.id).processing_state, 'processing')
                Processing.handle(officer_lead, 'result',
                    note="Đã hoàn thành dự thảo báo cáo",
                    files=[('bao-cao.pdf', minimal_pdf())])
            lead = lead.__class__(lead.id)
            self.assertEqual(lead.state, 'done')
            with acting(r['office_head']):
                Processing.handle(co, 'opinion', note="Thống nhất")
            with acting(r['deputy']):
                Processing.handle(info, 'read')
            with acting(r['officer']):
                Processing.complete(Document(document.id), note="Xong")
            document = Document(document.id)
            self.assertEqual(document.processing_state, 'done')
            self.assertTrue(document.completed_at)
            recipient = recipient.__class__(recipient.id)
            self.assertEqual(recipient.processing_state, 'done')
            actions = [e.action for e in Event.search(
                    [('document', '=', document.id)])]
            self.assertEqual(actions, ['submit', 'assign', 'reassign',
                    'forward', 'progress', 'result', 'opinion', 'read',
                    'close'])
            result, = Event.search([('action', '=', 'result')])
            self.assertEqual([f.name for f in result.files], ['bao-cao.pdf'])

            # The leader reopens it
            with acting(r['director']):
                Processing.reopen(document, "Bổ sung số liệu quý I")
            document = Document(document.id)
            self.assertEqual(document.processing_state, 'processing')
            self.assertEqual(
                self._assignment(document, user=r['officer']),
                officer_lead)

    @with_transaction()
    def test_return_and_reassign(self):
        "An officer returns it; the unit head and then the leader reassign"
        pool = Pool()
        Document = pool.get('vb.document')
        r = self._setup()
        with today(FRIDAY):
            _, document = self._delivered(r)
            with acting(r['clerk']):
                submission = Processing.submit(document,
                    leader=r['director'])
            with acting(r['director']):
                lead, = Processing.assign(submission, lead=r['staff_unit'])
            with acting(r['head']):
                officer_lead, = Processing.assign(lead, lead=r['officer'])
            with acting(r['officer']):
                with self.assertRaises(WorkflowValidationError):
                    Processing.handle(officer_lead, 'return', note=" ")
                Processing.handle(officer_lead, 'return',
                    note="Không thuộc lĩnh vực được phân công")
            lead = lead.__class__(lead.id)
            self.assertEqual(lead.state, 'pending')
            with acting(r['head']):
                second, = Processing.assign(lead, lead=r['officer2'])
            with acting(r['officer2']):
                Processing.handle(second, 'return', note="Đề nghị giao VP")
            # The unit head returns the unit's part to the leader
            with acting(r['head']):
                Processing.handle(lead, 'return',
                    note="Nội dung thuộc chức năng của Văn phòng")
            submission = submission.__class__(submission.id)
            self.assertEqual(submission.state, 'pending')
            self.assertEqual(
                Document(document.id).processing_state, 'submitted')
            with acting(r['director']):
                new_lead, = Processing.assign(submission, lead=r['office'])
            self.assertEqual(new_lead.parent, submission)
            self.assertEqual(
                Document(document.id).processing_state, 'assigned')
            # The leader may return the submission itself to the clerk
            with acting(r['office_head']):
                Processing.handle(new_lead, 'return', note="Trả lại")
            with acting(r['director']):
                Processing.handle(submission.__class__(submission.id),
                    'return', note="Đề nghị văn thư chuyển Sở Tài chính")
            document = Document(document.id)
            self.assertEqual(document.processing_state, 'returned')
            with acting(r['clerk']):
                self.assertIn('submit', document.my_actions)

    @with_transaction()
    def test_wrong_person_and_state(self):
        "Only the holder acts; finished assignments cannot be acted on"
        pool = Pool()
        Document = pool.get('vb.document')
        r = self._setup()
        with today(FRIDAY):
            _, document = self._delivered(r)
            with acting(r['clerk']):
                submission = Processing.submit(document,
                    leader=r['director'])
                with self.assertRaises(WorkflowError):
                    Processing.submit(Document(document.id),
                        leader=r['director'])
            with acting(r['officer']):
                with self.assertRaises(WorkflowError):
                    Processing.assign(submission, lead=r['staff_unit'])
            with acting(r['director']):
                with self.assertRaises(WorkflowValidationError):
                    Processing.assign(submission, lead=r['staff_unit'],
                        deadline=dt.date(2026, 3, 1))
                with self.assertRaises(WorkflowValidationError):
                    Processing.assign(submission,
                        lead=r['sender'])
                lead, = Processing.assign(submission, lead=r['officer'])
                with self.assertRaises(WorkflowError) as cm:
                    Processing.assign(submission, lead=r['officer2'])
                self.assertIn('gd.snv', cm.exception.message)
            with acting(r['officer2']):
                with self.assertRaises(WorkflowError):
                    Processing.handle(lead, 'result', note="Xong")
                with self.assertRaises(WorkflowError):
                    Processing.complete(Document(document.id))
            with acting(r['officer']):
                with self.assertRaises(WorkflowValidationError):
                    Processing.handle(lead, 'read')
                Processing.handle(lead, 'result', note="Xong")
                with self.assertRaises(WorkflowError):
                    Processing.handle(lead, 'progress', note="Thêm")

    @with_transaction()
    def test_delegation(self):
        "A deputy assigns for the director under a delegation (KT.)"
        pool = Pool()
        Delegation = pool.get('vb.delegation')
        Event = pool.get('vb.document.event')
        Assignment = pool.get('vb.document.assignment')
        r = self._setup()
        with today(FRIDAY):
            _, document = self._delivered(r)
            with acting(r['clerk']):
                submission = Processing.submit(document,
                    leader=r['director'])
            with acting(r['deputy']):
                with self.assertRaises(WorkflowError):
                    Processing.assign(submission, lead=r['staff_unit'])
            delegation, = Delegation.create([{
                        'company': r['snv'].id,
                        'principal': r['director'].id,
                        'deputy': r['deputy'].id,
                        'start_date': FRIDAY,
                        'end_date': FRIDAY + dt.timedelta(days=7),
                        'authority': 'KT',
                        }])
            with acting(r['deputy']):
                self.assertEqual(Assignment.search([('mine', '=', True)]),
                    [submission])
                lead, = Processing.assign(submission, lead=r['staff_unit'])
            self.assertEqual(lead.on_behalf_of, r['director'])
            self.assertEqual(lead.authority, 'KT.')
            event, = Event.search([('action', '=', 'assign')])
            self.assertEqual(
                (event.user, event.on_behalf_of, event.authority),
                (r['deputy'], r['director'], 'KT.'))
            told = {int(n.user) for n in Transaction().user_notifications
                if 'acted for' in (n.label or '')}
            self.assertEqual(told, {r['director'].id, r['deputy'].id})
        # It ends by itself
        with today(FRIDAY + dt.timedelta(days=8)):
            self.assertEqual(delegation.status, 'ended')
            self.assertEqual(Delegation.active(r['deputy'], 'assign'), [])

    @with_transaction()
    def test_personal_lists(self):
        "The tabs of My Documents count what the user holds"
        pool = Pool()
        Assignment = pool.get('vb.document.assignment')
        ActWindow = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        r = self._setup()
        with today(FRIDAY):
            document, _ = self._assigned(r, lead=r['officer'],
                co=[r['officer2']], info=[r['head']],
                deadline=dt.date(2026, 3, 9))
        action = ActWindow(ModelData.get_id(
                'vb_workflow', 'act_my_assignment'))
        tabs = {d.name: d for d in action.act_window_domains}

        def count(user, tab):
            with as_user(user):
                return Assignment.search_count(
                    action.pyson_domain and eval_domain(action.domain)
                    + eval_domain(tabs[tab].domain))

        from trytond.pyson import PYSONDecoder

        def eval_domain(domain):
            return PYSONDecoder({}).decode(domain) if domain else []

        with today(FRIDAY):
            self.assertEqual(count(r['officer'], "To Handle"), 1)
            self.assertEqual(count(r['officer2'], "Co-handling"), 1)
            self.assertEqual(count(r['officer2'], "To Handle"), 0)
            self.assertEqual(count(r['head'], "For Information"), 1)
            self.assertEqual(count(r['officer'], "Overdue"), 0)
            self.assertEqual(count(r['director'], "Handled"), 1)
        with today(dt.date(2026, 3, 10)):
            self.assertEqual(count(r['officer'], "Overdue"), 1)
            self.assertEqual(count(r['head'], "Overdue"), 0)

    @with_transaction()
    def test_remind(self):
        "Handlers are reminded once when due soon and once when overdue"
        pool = Pool()
        Assignment = pool.get('vb.document.assignment')
        r = self._setup()
        with today(FRIDAY):
            document, (lead,) = self._assigned(r, lead=r['staff_unit'],
                deadline=dt.date(2026, 3, 11))

        def reminders():
            notifications = Transaction().user_notifications
            found = [(int(n.user), n.label) for n in notifications
                if n.icon == 'tryton-warning']
            notifications.clear()
            return found

        reminders()
        with today(FRIDAY):
            Assignment.remind()
            # 11/3 is 3 working days away: not yet
            self.assertEqual(reminders(), [])
        with today(dt.date(2026, 3, 9)):
            Assignment.remind()
            found = reminders()
            self.assertEqual({u for u, _ in found}, {r['head'].id})
            Assignment.remind()
            self.assertEqual(reminders(), [])
        with today(dt.date(2026, 3, 12)):
            Assignment.remind()
            self.assertEqual(len(reminders()), 1)
            self.assertEqual(
                Assignment(lead.id).reminded, 'overdue')
            Assignment.remind()
            self.assertEqual(reminders(), [])

    @with_transaction()
    def test_draft_reply(self):
        "The lead handler drafts the reply, linked to the document"
        pool = Pool()
        Document = pool.get('vb.document')
        r = self._setup()
        with today(FRIDAY):
            document, _ = self._assigned(r, lead=r['officer'])
            with acting(r['officer2']):
                with self.assertRaises(WorkflowError):
                    Processing.draft_reply(Document(document.id))
            with acting(r['officer']):
                reply = Processing.draft_reply(Document(document.id))
            self.assertEqual(reply.reply_to, document)
            self.assertEqual(reply.direction, 'outgoing')
            self.assertEqual(reply.drafting_unit, r['staff_unit'])
            self.assertEqual(reply.state, 'draft')
            self.assertEqual(
                Document(document.id).processing_state, 'processing')


    @with_transaction()
    def test_directive_of_several_lines(self):
        "A directive typed on several lines reaches the officer whole"
        pool = Pool()
        Notification = pool.get('res.notification')
        r = self._setup()
        r['officer'].email = 'cv@snv.example'
        r['officer'].save()
        directive = "Giao Phòng Công chức chủ trì.\nBáo cáo trước 15/3."
        with today(FRIDAY), patch('trytond.modules.vb_workflow.notify.'
                'send_message_transactional') as send:
            self._assigned(r, directive=directive, lead=r['officer'])
        messages = [c.args[0] for c in send.call_args_list
            if c.args[0]['To'] == 'cv@snv.example']
        self.assertTrue(messages)
        for message in messages:
            self.assertNotIn('\n', message['Subject'])
        self.assertIn('Báo cáo trước 15/3.', messages[-1].get_content())
        # The notifications the commit stores: one line each
        Notification.save(Transaction().user_notifications)
        told = [n for n in Transaction().user_notifications
            if n.user.id == r['officer'].id]
        self.assertTrue(told)
        self.assertFalse(any('\n' in (n.label + (n.description or ''))
                for n in told))

    @with_transaction()
    def test_digest(self):
        "Leaders get the overdue documents of their agency by e-mail"
        pool = Pool()
        Assignment = pool.get('vb.document.assignment')
        r = self._setup()
        r['director'].email = 'gd@snv.example'
        r['director'].save()
        with today(FRIDAY):
            document, _ = self._assigned(r, lead=r['officer'],
                deadline=FRIDAY)
        with today(dt.date(2026, 3, 9)), patch(
                'trytond.modules.vb_workflow.notify.'
                'send_message_transactional') as send:
            Assignment.send_digest()
        message, = [c.args[0] for c in send.call_args_list]
        self.assertEqual(message['To'], 'gd@snv.example')
        self.assertIn('V/v rà soát biên chế', message.get_content())

    @with_transaction()
    def test_revoked_document_tells_handlers(self):
        "The officer handling a revoked document is notified"
        pool = Pool()
        Document = pool.get('vb.document')
        Relation = pool.get('vb.document.relation')
        r = self._setup()
        with today(FRIDAY):
            document, _ = self._assigned(r, directive="Xử lý",
                lead=r['officer'])
            revoking, = Document.copy([document], {
                    'number_notation': '99/QĐ-UBND', 'origin': None,
                    'state': 'draft'})
            Relation.create([{'document': revoking.id, 'kind': 'revoke',
                        'target': document.id}])
            told_before = len(Transaction().user_notifications)
            with acting(r['clerk']):
                Document.register_document([revoking])
            self.assertEqual(Document(document.id).validity, 'revoked')
            notified = {int(n.user) for n in
                list(Transaction().user_notifications)[told_before:]}
            self.assertIn(r['officer'].id, notified)
            self.assertIn(r['clerk'].id, notified)
