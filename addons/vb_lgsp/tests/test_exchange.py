# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The connector against the simulator over HTTP on 127.0.0.1: sending
through the outbox, receiving from the inbox, statuses both ways, retries,
dead letters, duplicates, hostile packages, withdrawals (13, 15, 16), the
directory, secrets and who reads the log."""
import base64
import datetime as dt
import json
import unittest
import urllib.request

from trytond.model.exceptions import AccessError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff)
from trytond.modules.vb_lgsp.edxml import StatusCode, build, parse
from trytond.modules.vb_lgsp.exceptions import ExchangeError
from trytond.modules.vb_lgsp.package import staff_info
from trytond.modules.vb_lgsp.receive import _store_status, limits
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .axis_fixtures import KH_NOI_VU, KHANH_HOA, NA_TAI_CHINH, running_axis
from .exchange_tools import (
    acting, issue, peer, peer_document, peer_inbox, peer_status, poll,
    received_from_peer, run_tasks, send_as_peer, setup_province)


def add_fault(server, **spec):
    request = urllib.request.Request(server.url + '/_admin/faults',
        data=json.dumps(spec).encode(), method='POST',
        headers={'Content-Type': 'application/json'})
    urllib.request.urlopen(request, timeout=5).read()


def axis_log(server):
    with urllib.request.urlopen(server.url + '/_admin/log',
            timeout=5) as response:
        return json.loads(response.read())['entries']


class ExchangeTestCase(unittest.TestCase):
    "The connector's flows over real HTTP"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_lgsp')

    def messages(self, **domain):
        Message = Pool().get('vb.lgsp.message')
        return Message.search([(k, '=', v) for k, v in domain.items()],
            order=[('id', 'ASC')])

    @with_transaction()
    def test_send_document(self):
        "Issuing queues one message per external recipient, sent by the queue"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            document = issue(r, [r['na'], r['snv']])
            # In the issuing transaction, before any task ran
            message, = self.messages(direction='out')
            self.assertEqual(message.state, 'pending')
            self.assertEqual(message.target_code, NA_TAI_CHINH)
            self.assertEqual(message.document, document)
            self.assertEqual(document.lgsp_document_id,
                f'{KHANH_HOA},{document.issued_date:%Y/%m/%d},'
                f'{document.number_notation}')
            external, internal = sorted(document.recipients,
                key=lambda r: not r.external)
            self.assertEqual(external.lgsp_state, 'pending')
            self.assertEqual(internal.lgsp_state, None)
            self.assertEqual(internal.state, 'waiting')

            run_tasks()
            message = Message(message.id)
            self.assertEqual(message.state, 'sent')
            self.assertEqual(message.attempts, 1)
            self.assertTrue(message.axis_doc_id)
            self.assertTrue(message.receiver_doc_id)
            external = external.__class__(external.id)
            self.assertEqual(external.lgsp_state, 'sent')
            self.assertEqual(external.lgsp_doc_id, message.axis_doc_id)
            self.assertEqual(external.state, 'waiting')

            # What Nghệ An receives is the document and its files
            package, = peer_inbox(peer(axis.url))
            self.assertEqual(package.subject, document.subject)
            self.assertEqual(str(package.code), document.number_notation)
            self.assertEqual(package.sender.organ_id, KHANH_HOA)
            self.assertEqual([o.organ_id for o in package.recipients],
                [NA_TAI_CHINH])
            self.assertEqual(package.effective_document_id(),
                document.lgsp_document_id)
            self.assertEqual([a.name for a in package.attachments],
                ['cong-van.pdf', 'phu-luc.pdf'])
            self.assertEqual(package.attachments[0].data,
                document.files[0].data if document.files[0].document_role
                == 'main' else document.files[1].data)
            self.assertEqual(package.signer.full_name, 'ld.ubnd')
            # The log keeps the bytes sent
            self.assertEqual(message.size, len(message.package))
            self.assertIn(b'QCVN_102_2016', message.package)

    @with_transaction()
    def test_urgent_first(self):
        "Urgent documents are expected at once by the queue"
        pool = Pool()
        Queue = pool.get('ir.queue')
        with running_axis() as axis:
            r = setup_province(axis.url)
            issue(r, [r['na']], subject="Văn bản thường")
            issue(r, [r['na']], subject="Văn bản hỏa tốc", urgency='flash')
            tasks = Queue.search([('name', '=', 'lgsp')],
                order=[('expected_at', 'ASC NULLS FIRST')])
            self.assertEqual(len(tasks), 2)
            first = pool.get('vb.lgsp.message')(
                tasks[0].data['instances'][0])
            self.assertTrue(first.urgent)
            self.assertEqual(first.document.subject, "Văn bản hỏa tốc")
            run_tasks()

    @with_transaction()
    def test_retry_then_sent(self):
        "HTTP 500 twice: retried with a growing delay, then sent once"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        Queue = pool.get('ir.queue')
        with running_axis() as axis:
            r = setup_province(axis.url)
            add_fault(axis, mode='500', count=2, actions=['sendEdoc'])
            issue(r, [r['na']])
            message, = self.messages(direction='out')

            def next_task():
                "The exchange task queued last"
                tasks = [Queue(t) for t in Transaction().tasks]
                task, = [t for t in tasks if t.name == 'lgsp']
                Transaction().tasks.clear()
                return task
            next_task().run()
            message = Message(message.id)
            self.assertEqual(message.state, 'pending')
            self.assertEqual(message.attempts, 1)
            self.assertEqual(message.error_code, 'server_error')
            retry = next_task()
            self.assertEqual(round((retry.scheduled_at
                        - retry.enqueued_at).total_seconds()), 1)
            retry.run()
            retry = next_task()
            self.assertEqual(round((retry.scheduled_at
                        - retry.enqueued_at).total_seconds()), 2)
            retry.run()
            run_tasks()
            message = Message(message.id)
            self.assertEqual(message.state, 'sent')
            self.assertEqual(message.attempts, 3)
            accepted = [e for e in axis_log(axis)
                if e.get('action') == 'sendEdoc'
                and e.get('result') == 'accepted']
            self.assertEqual(len(accepted), 1)

    @with_transaction()
    def test_dead_letter(self):
        "A permanent error stops at once; retries stop after the maximum"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            unknown = create_agency("Cơ quan chưa đăng ký trục",
                '000.00.99.H41', external=True)
            issue(r, [unknown])
            Transaction().user_notifications.clear()
            run_tasks()
            message, = self.messages(direction='out')
            self.assertEqual(message.state, 'dead')
            self.assertEqual(message.attempts, 1)
            self.assertEqual(message.error_code, 'bad_recipient')
            recipient, = message.document.recipients
            self.assertEqual(recipient.lgsp_state, 'dead')
            told = {int(n.user) for n in Transaction().user_notifications}
            self.assertEqual(told, {r['admin'].id, r['clerk'].id})

            add_fault(axis, mode='503', actions=['sendEdoc'])
            issue(r, [r['na']])
            run_tasks()
            message = self.messages(direction='out')[-1]
            self.assertEqual(message.state, 'dead')
            self.assertEqual(message.attempts, 3)
            self.assertEqual(message.error_code, 'server_error')

            # The administrator sends it again once the axis is back
            urllib.request.urlopen(urllib.request.Request(
                    axis.url + '/_admin/faults', method='DELETE'),
                timeout=5).read()
            with as_user(r['admin']):
                Message.retry([Message(message.id)])
            run_tasks()
            self.assertEqual(Message(message.id).state, 'sent')

    @with_transaction()
    def test_lost_tasks(self):
        "A task lost with its worker is queued again at the next poll"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            snv_admin = create_staff(r['snv'], 'qt.snv', ['agency_admin'])
            issue(r, [r['na']])
            send_as_peer(peer(axis.url), peer_document())
            r['connection'].poll_inbox()
            # The worker died: the tasks are gone, nothing was committed
            Transaction().tasks.clear()
            sent, = self.messages(direction='out')
            listed, = self.messages(direction='in')
            long_ago = sent.create_date - dt.timedelta(hours=1)
            Message.write([sent, listed], {'next_attempt_at': long_ago})
            # This one failed every time already: it gives up
            Message.write([listed], {'attempts': 2})
            Transaction().user_notifications.clear()
            poll(r)
            sent, listed = Message(sent.id), Message(listed.id)
            self.assertEqual((sent.state, sent.attempts), ('sent', 2))
            self.assertEqual((listed.state, listed.attempts), ('failed', 3))
            told = {int(n.user) for n in Transaction().user_notifications}
            self.assertEqual(told, {snv_admin.id})
            self.assertEqual(
                peer_inbox(peer(axis.url), 'edoc')[0].subject,
                sent.document.subject)

    @with_transaction()
    def test_tasks_grouped(self):
        """Deliveries are received ten a task, their 01 sent ten a task;
        messages taken again after a lost task go a task each"""
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        Queue = pool.get('ir.queue')

        def queued():
            "The exchange's tasks pushed and not run: method, messages"
            tasks = [Queue(t) for t in Transaction().tasks]
            return [(t.data['method'], len(t.data['instances']))
                for t in tasks if t.name == 'lgsp']
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            for number in range(60, 72):
                send_as_peer(nghe_an, peer_document(number=str(number)))
            r['connection'].poll_inbox()
            self.assertEqual(queued(), [('receive', 10), ('receive', 2)])
            receiving = [Queue(t) for t in Transaction().tasks]
            Transaction().tasks.clear()
            for task, stored in zip(receiving, [10, 2]):
                task.run()
                # The 01 of the packages the task stored: one task
                self.assertEqual(queued(), [('send', stored)])
                run_tasks()
            self.assertEqual(len(self.messages(state='stored')), 12)
            self.assertEqual(len(peer_inbox(nghe_an, 'status')), 12)

            # Lost tasks: taken again one a task
            for number in range(80, 83):
                send_as_peer(nghe_an, peer_document(number=str(number)))
            r['connection'].poll_inbox()
            Transaction().tasks.clear()
            listed = self.messages(state='listed')
            self.assertEqual(len(listed), 3)
            Message.write(listed, {'next_attempt_at':
                    listed[0].create_date - dt.timedelta(hours=1)})
            r['connection'].poll_inbox()
            self.assertEqual(queued(), [('receive', 1)] * 3)
            run_tasks()
            self.assertEqual(len(self.messages(state='stored')), 15)

    @with_transaction()
    def test_receive_document(self):
        "A package in the inbox becomes a document waiting for the clerk"
        pool = Pool()
        Document = pool.get('vb.document')
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            sent = peer_document()
            send_as_peer(nghe_an, sent)
            r['connection'].poll_inbox()
            message, = self.messages(direction='in')
            self.assertEqual(message.state, 'listed')
            self.assertEqual(message.company, r['snv'])
            run_tasks()
            message = Message(message.id)
            self.assertEqual(message.state, 'stored')
            document = message.document
            self.assertEqual(document.company, r['snv'])
            self.assertEqual(document.state, 'waiting')
            self.assertEqual(document.source, 'lgsp')
            self.assertEqual(document.subject, sent.subject)
            self.assertEqual(document.number_notation, '88/STC-NS')
            self.assertEqual(document.issuer, r['na'])
            self.assertEqual(document.lgsp_document_id,
                sent.effective_document_id())
            file, = document.files
            self.assertEqual(file.document_role, 'main')
            self.assertEqual(file.data, sent.attachments[0].data)
            # 01 went back at once
            status, = peer_inbox(nghe_an, 'status')
            self.assertEqual(status.status, StatusCode.ARRIVED)
            self.assertEqual(status.response_for.document_id,
                sent.effective_document_id())
            self.assertEqual(status.sender.organ_id, KH_NOI_VU)

            # The acknowledgement is sent after the commit, which a test
            # transaction never does: the next poll finds the delivery
            # still listed, recognises it and acknowledges it
            r['connection'].poll_inbox()
            self.assertEqual(len(self.messages(direction='in')), 1)
            self.assertTrue(Message(message.id).acknowledged_at)
            r['connection'].poll_inbox()
            self.assertEqual(len(self.messages(direction='in')), 1)

            # Registering tells the sender 03, refusing 02 with the reason
            with acting(r['snv_clerk']):
                Document.register_document([document])
            run_tasks()
            status, = peer_inbox(nghe_an, 'status')
            self.assertEqual(status.status, StatusCode.ACCEPTED)

            second, = received_from_peer(r, nghe_an,
                peer_document(number='89'))
            with acting(r['snv_clerk']):
                Document.do_refuse([second], "Không đúng thẩm quyền")
            run_tasks()
            status, = peer_inbox(nghe_an, 'status')
            self.assertEqual(status.status, StatusCode.REFUSED)
            self.assertEqual(status.description, "Không đúng thẩm quyền")

    @with_transaction()
    def test_statuses_back(self):
        "Statuses of the recipient update its line, each code once"
        pool = Pool()
        Recipient = pool.get('vb.document.recipient')
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            document = issue(r, [r['na']])
            run_tasks()
            nghe_an = peer(axis.url)
            received, = peer_inbox(nghe_an)
            Transaction().user_notifications.clear()
            received_from_peer(r, nghe_an, *[peer_status(received, code)
                    for code in ['01', '03', '04']])
            recipient, = document.recipients
            recipient = Recipient(recipient.id)
            self.assertEqual(recipient.lgsp_status, '04')
            self.assertEqual(recipient.state, 'received')
            self.assertEqual([s.code for s in recipient.lgsp_statuses],
                ['01', '03', '04'])
            self.assertEqual([s.code for s in document.lgsp_statuses],
                ['01', '03', '04'])
            self.assertEqual(recipient.lgsp_statuses[0].staff,
                'Nguyễn Thị Lan - Văn phòng')
            told = [n.user for n in Transaction().user_notifications]
            self.assertIn(r['clerk'], told)

            # A late 01 (retried by the sender) does not move the line
            # back; the same status delivered again is recognised
            statuses = self.messages(direction='in', kind='status')
            package = statuses[0]
            self.assertEqual(package.state, 'stored')
            received_from_peer(r, nghe_an, peer_status(received, '06'))
            recipient = Recipient(recipient.id)
            self.assertEqual(recipient.lgsp_status, '06')

            other = self.messages(direction='in', kind='status')[-1]
            again = Message(other.id)
            _store_status(again, parse(other.package))
            self.assertEqual(again.state, 'duplicate')
            self.assertEqual(len(Recipient(recipient.id).lgsp_statuses), 4)

    @with_transaction()
    def test_refused_status(self):
        "A 02 marks the line refused with the reason"
        pool = Pool()
        Recipient = pool.get('vb.document.recipient')
        with running_axis() as axis:
            r = setup_province(axis.url)
            document = issue(r, [r['na']])
            run_tasks()
            nghe_an = peer(axis.url)
            received, = peer_inbox(nghe_an)
            received_from_peer(r, nghe_an, peer_status(received, '02',
                    "Gửi nhầm cơ quan"))
            recipient = Recipient(document.recipients[0].id)
            self.assertEqual(recipient.state, 'refused')
            self.assertEqual(recipient.reason, "Gửi nhầm cơ quan")
            self.assertEqual(recipient.lgsp_status, '02')

    @with_transaction()
    def test_withdraw_sent(self):
        "We ask for a sent document back (13); the recipient agrees (15)"
        pool = Pool()
        Document = pool.get('vb.document')
        Recipient = pool.get('vb.document.recipient')
        with running_axis() as axis:
            r = setup_province(axis.url)
            document = issue(r, [r['na'], r['snv']])
            with acting(r['clerk']):
                with self.assertRaises(ExchangeError):
                    Document.request_withdrawal([document], "Sai số liệu")
            run_tasks()
            nghe_an = peer(axis.url)
            received, = peer_inbox(nghe_an)
            with acting(r['clerk']):
                with self.assertRaises(ExchangeError):
                    Document.request_withdrawal([document], " ")
                Document.request_withdrawal([document],
                    "Sai sót số liệu tại mục II")
            run_tasks()
            self.assertEqual(Document(document.id).lgsp_withdrawal,
                'requested')
            request, = peer_inbox(nghe_an, 'status')
            self.assertEqual(request.status, StatusCode.WITHDRAW_REQUEST)
            self.assertEqual(request.description,
                "Sai sót số liệu tại mục II")
            self.assertEqual(request.response_for.document_id,
                document.lgsp_document_id)
            # Only the line sent electronically was asked
            self.assertEqual(len(self.messages(status_code='13')), 1)
            received_from_peer(r, nghe_an, peer_status(received, '15'))
            line, = [l for l in Document(document.id).recipients
                if l.external]
            history = Recipient(line.id).lgsp_statuses
            self.assertEqual([s.code for s in history], ['15'])

    @with_transaction()
    def test_withdraw_received(self):
        "The sender asks a document back: given back (15) or kept (16)"
        pool = Pool()
        Document = pool.get('vb.document')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            first, second = peer_document('90'), peer_document('91')
            given, kept = received_from_peer(r, nghe_an, first, second)
            with acting(r['snv_clerk']):
                Document.register_document([kept])
            Transaction().user_notifications.clear()
            received_from_peer(r, nghe_an, *[peer_status(package, '13',
                        "Lấy lại để sửa sai sót")
                    for package in (first, second)])
            given, kept = Document(given.id), Document(kept.id)
            self.assertEqual((given.lgsp_withdrawal, kept.lgsp_withdrawal),
                ('requested', 'requested'))
            self.assertEqual(given.lgsp_withdrawal_reason,
                "Lấy lại để sửa sai sót")
            told = {int(n.user) for n in Transaction().user_notifications}
            self.assertIn(r['snv_clerk'].id, told)
            with acting(r['snv_clerk']):
                Document.lgsp_accept_withdrawal([given])
                Document.refuse_withdrawal([kept], "Văn bản đã giao xử lý")
            run_tasks()
            given, kept = Document(given.id), Document(kept.id)
            self.assertEqual((given.state, given.lgsp_withdrawal),
                ('cancelled', 'accepted'))
            self.assertEqual((kept.state, kept.lgsp_withdrawal),
                ('registered', 'refused'))
            answers = {(s.response_for.document_id, s.status.value):
                s.description for s in peer_inbox(nghe_an, 'status')}
            self.assertEqual(set(answers), {
                    (first.effective_document_id(), '15'),
                    (second.effective_document_id(), '16')})
            self.assertEqual(answers[(second.effective_document_id(), '16')],
                "Văn bản đã giao xử lý")

    @with_transaction()
    def test_duplicate_across_connections(self):
        "The same document arriving on two axes is stored once"
        pool = Pool()
        Connection = pool.get('vb.lgsp.connection')
        Document = pool.get('vb.document')
        with running_axis() as axis:
            r = setup_province(axis.url)
            provincial, = Connection.copy([r['connection']], {
                    'name': "Trục tỉnh", 'kind': 'provincial'})
            received_from_peer(r, peer(axis.url), peer_document())
            # The other connection lists the same delivery under its key
            Pool().get('company.company').write([r['ubnd']],
                {'lgsp_connection': provincial.id})
            provincial.poll_inbox()
            run_tasks()
            first, second = self.messages(direction='in')
            self.assertEqual(first.state, 'stored')
            self.assertEqual(second.state, 'duplicate')
            self.assertEqual(second.document, first.document)
            self.assertEqual(len(Document.search([
                            ('direction', '=', 'incoming'),
                            ('source', '=', 'lgsp')])), 1)
            # One 01 only
            self.assertEqual(len(self.messages(direction='out',
                        status_code='01')), 1)

    @with_transaction()
    def test_hostile_package(self):
        "A package whose file lies about its type is refused with 02"
        pool = Pool()
        Document = pool.get('vb.document')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            lying = peer_document()
            # A builder that does not check what it sends: the declared
            # PDF is an executable
            pdf = lying.attachments[0].data
            data = build(lying).replace(
                base64.b64encode(pdf), base64.b64encode(b'MZ\x90\x00' * 40))
            nghe_an.send(data, [KH_NOI_VU])
            poll(r)
            message, = self.messages(direction='in')
            self.assertEqual(message.state, 'refused')
            self.assertEqual(message.error_code, 'type_mismatch')
            self.assertEqual(message.sender_code, NA_TAI_CHINH)
            self.assertTrue(message.package)
            self.assertFalse(Document.search([('source', '=', 'lgsp')]))
            status, = peer_inbox(nghe_an, 'status')
            self.assertEqual(status.status, StatusCode.REFUSED)
            self.assertEqual(status.response_for.document_id,
                lying.effective_document_id())
            self.assertIn('88-STC-NS.pdf', status.description)

    @with_transaction()
    def test_log_access(self):
        "Agency administrators read their agency's log, clerks none"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        with running_axis() as axis:
            r = setup_province(axis.url)
            issue(r, [r['na']])
            received_from_peer(r, peer(axis.url), peer_document())
            sent, = self.messages(direction='out', kind='edoc')
            received, = self.messages(direction='in')
            self.assertEqual(received.company, r['snv'])
            with as_user(r['admin']):
                self.assertEqual(Message.search([('kind', '=', 'edoc')]),
                    [sent])
                values, = Message.read([sent.id], ['package', 'sha256'])
                self.assertEqual(len(values['package']), sent.size)
                with self.assertRaises(AccessError):
                    Message.read([received.id], ['state'])
                with self.assertRaises(Exception):
                    Message.write([sent], {'state': 'dead'})
            with as_user(r['clerk']):
                with self.assertRaises(AccessError):
                    Message.search([])

    @with_transaction()
    def test_secret_not_readable(self):
        "Secrets are written, never read back through the client"
        pool = Pool()
        Connection = pool.get('vb.lgsp.connection')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        with running_axis() as axis:
            r = setup_province(axis.url)
            admin, = User.search([('login', '=', 'admin')])
            User.write([admin], {'groups': [('add', [ModelData.get_id(
                                'vb_document', 'group_system_admin')])]})
            connection = r['connection']
            with as_user(admin):
                with self.assertRaises(AccessError):
                    Connection.read([connection.id], ['secret'])
                values, = Connection.read([connection.id],
                    ['secret_hint', 'new_secret'])
                self.assertEqual(values['new_secret'], None)
                self.assertTrue(values['secret_hint'].startswith('•'))
                self.assertNotIn('secret', values['secret_hint'][8:])
                Connection.write([Connection(connection.id)],
                    {'new_secret': 'wrong-secret-0123456789'})
            # The new secret is used: the axis refuses it
            with self.assertRaises(Exception):
                Connection(connection.id).get_transport().inbox()

    @with_transaction()
    def test_cached_configuration(self):
        "What is kept between messages follows the records it comes from"
        pool = Pool()
        Company = pool.get('company.company')
        Connection = pool.get('vb.lgsp.connection')
        Configuration = pool.get('vb.document.configuration')
        ContactMechanism = pool.get('party.contact_mechanism')
        Party = pool.get('party.party')
        r = setup_province('http://127.0.0.1:9')
        snv = r['snv']

        def organisation():
            return Company(snv.id).lgsp_organisation()
        self.assertEqual(organisation().email, '')
        self.assertEqual(organisation().in_charge, '')
        mechanism, = ContactMechanism.create([{'party': snv.party.id,
                    'type': 'email', 'value': 'snv@khanhhoa.gov.vn'}])
        self.assertEqual(organisation().email, 'snv@khanhhoa.gov.vn')
        ContactMechanism.write([mechanism],
            {'value': 'vanthu.snv@khanhhoa.gov.vn'})
        self.assertEqual(organisation().email, 'vanthu.snv@khanhhoa.gov.vn')
        ContactMechanism.delete([mechanism])
        self.assertEqual(organisation().email, '')
        Party.write([snv.party], {'name': "Sở Nội vụ Khánh Hòa"})
        self.assertEqual(organisation().name, "Sở Nội vụ Khánh Hòa")
        Company.write([snv], {'parent': r['ubnd'].id})
        self.assertEqual(organisation().in_charge, "UBND tỉnh Khánh Hòa")
        Party.write([r['ubnd'].party], {'name': "UBND Khánh Hòa"})
        self.assertEqual(organisation().in_charge, "UBND Khánh Hòa")

        # The transport is kept while only the poll's time changes
        connection = r['connection']
        transport = Connection(connection.id).get_transport()
        Connection.write([connection], {'last_poll': dt.datetime.now(),
                'last_poll_result': "0"})
        self.assertIs(Connection(connection.id).get_transport(), transport)
        Connection.write([connection], {'base_url': 'http://127.0.0.1:8'})
        changed = Connection(connection.id).get_transport()
        self.assertIsNot(changed, transport)
        self.assertIn('127.0.0.1:8', changed.base_url)

        # The size limit of received packages
        configuration = Configuration(1)
        configuration.max_file_size = 3
        configuration.save()
        self.assertEqual(limits().max_attachment_size, 3 * 1024 * 1024)
        configuration.max_file_size = 7
        configuration.save()
        self.assertEqual(limits().max_attachment_size, 7 * 1024 * 1024)

        # Who sends a status
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        Unit = pool.get('vb.unit')
        clerk = r['clerk']

        def staff():
            return staff_info(User(clerk.id))
        self.assertEqual((staff().staff, staff().department), ('vt.ubnd', ''))
        unit, = Unit.create([{'company': r['ubnd'].id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        Employee.write([clerk.employee], {'unit': unit.id})
        self.assertEqual(staff().department, "Văn phòng")
        Unit.write([unit], {'name': "Văn phòng UBND tỉnh"})
        self.assertEqual(staff().department, "Văn phòng UBND tỉnh")
        User.write([clerk], {'name': "Nguyễn Thị Hoa"})
        self.assertEqual(staff().staff, "Nguyễn Thị Hoa")


class DirectoryTestCase(unittest.TestCase):
    "The agency directory of the axis as external agencies"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_lgsp')

    @with_transaction()
    def test_synchronise(self):
        "New agencies become external, local edits and ours are kept"
        pool = Pool()
        Company = pool.get('company.company')
        Connection = pool.get('vb.lgsp.connection')
        Party = pool.get('party.party')
        with running_axis() as axis:
            r = setup_province(axis.url)
            Party.write([r['ubnd'].party], {'name': "UBND tỉnh (tên riêng)"})
            Connection.synchronise_directory([r['connection']])
            by_code = {c.identifier_code: c for c in Company.search([])}
            for code in ['000.00.00.G22', '000.00.21.H32', '000.07.21.H32',
                    '000.00.00.H41', '000.00.09.H41']:
                agency = by_code[code]
                self.assertTrue(agency.external, code)
                self.assertEqual(agency.lgsp_connection, r['connection'])
            self.assertEqual(by_code['000.07.21.H32'].parent,
                by_code['000.00.21.H32'])
            self.assertEqual(by_code['000.07.21.H32'].rec_name,
                'UBND xã Diên An')
            # An existing external agency gets its parent, keeps its name
            self.assertEqual(by_code[NA_TAI_CHINH].parent,
                by_code['000.00.00.H41'])
            # Ours are not touched
            ubnd = Company(r['ubnd'].id)
            self.assertFalse(ubnd.external)
            self.assertEqual(ubnd.rec_name, "UBND tỉnh (tên riêng)")
            self.assertEqual(ubnd.lgsp_directory_name, None)

            # The directory changes; a local edit is kept
            vpcp, district = by_code['000.00.00.G22'], by_code[
                '000.00.21.H32']
            Party.write([vpcp.party], {'name': "VPCP (tên sửa tại đây)"})
            entries = r['connection'].get_transport().agencies()
            changed = []
            for entry in entries:
                if entry.code in {'000.00.00.G22', '000.00.21.H32'}:
                    entry = entry.__class__(**{**entry.__dict__,
                            'name': entry.name + ' (mới)'})
                if entry.code == '000.00.09.H41':
                    entry = entry.__class__(**{**entry.__dict__,
                            'deleted': True})
                changed.append(entry)
            Company.synchronise_directory(r['connection'], changed)
            self.assertEqual(Company(vpcp.id).rec_name,
                "VPCP (tên sửa tại đây)")
            self.assertEqual(Company(district.id).rec_name,
                "UBND huyện Diên Khánh (mới)")
            closed = Company(by_code['000.00.09.H41'].id)
            self.assertTrue(closed.lgsp_directory_deleted)
            self.assertTrue(closed.end_date)
            count = Company.search([], count=True)
            Connection.synchronise_directory([r['connection']])
            self.assertEqual(Company.search([], count=True), count)


class WorkflowStatusTestCase(unittest.TestCase):
    "With vb_workflow: 04, 05 and 06 follow the processing"

    @classmethod
    def setUpClass(cls):
        activate_module(['vb_lgsp', 'vb_workflow'])

    @with_transaction()
    def test_processing_statuses(self):
        "Received, registered, assigned, handled, completed: each told once"
        from trytond.modules.vb_document.tests import create_staff
        from trytond.modules.vb_workflow.processing import Processing
        pool = Pool()
        Document = pool.get('vb.document')
        Unit = pool.get('vb.unit')
        Recipient = pool.get('vb.document.recipient')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            unit, = Unit.create([{'company': r['snv'].id,
                        'name': "Phòng Công chức", 'abbreviation': 'CCVC'}])
            director = create_staff(r['snv'], 'gd.snv', ['leader'])
            officer = create_staff(r['snv'], 'cv.snv', ['officer'],
                unit=unit)
            document, = received_from_peer(r, nghe_an, peer_document(),
                drain=False)
            with acting(r['snv_clerk']):
                Document.register_document([document])
                submission = Processing.submit(Document(document.id),
                    leader=director)
            with acting(director):
                lead, = Processing.assign(submission, lead=officer,
                    directive="Đồng chí chủ trì tham mưu")
            with acting(officer):
                Processing.handle(lead, 'progress', note="Đang đối chiếu")
                Processing.handle(lead.__class__(lead.id), 'progress',
                    note="Đã đối chiếu 2/3")
                Processing.complete(Document(document.id), note="Xong")
            with acting(director):
                Processing.reopen(Document(document.id), "Bổ sung")
            run_tasks()
            statuses = peer_inbox(nghe_an, 'status')
            self.assertEqual([s.status.value for s in statuses],
                ['01', '03', '04', '05', '06'])
            self.assertEqual(statuses[1].staff.staff, 'vt.snv')

            # The sending side shows them as vb_workflow shows its own
            outgoing = issue(r, [r['na']])
            run_tasks()
            received, = peer_inbox(nghe_an)
            received_from_peer(r, nghe_an, *[peer_status(received, code)
                    for code in ['01', '03', '04']])
            recipient = Recipient(outgoing.recipients[0].id)
            self.assertEqual(recipient.processing_state, 'assigned')
            self.assertEqual(recipient.lgsp_status, '04')
