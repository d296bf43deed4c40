# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Audit trail: what is logged, append-only, access, tamper detection"
import csv
import datetime as dt
import io
import json
import threading
import unittest
from collections import Counter
from unittest.mock import patch

from sql import Table

from trytond import backend
from trytond.model.exceptions import AccessError
from trytond.modules.vb_document.auditchain import GENESIS
from trytond.modules.vb_document.exceptions import AuditError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import (
    CommittingTestCase, as_user, create_agency, create_staff, minimal_pdf,
    run_restarted)

PDF = minimal_pdf()
AUDIT = Table('vb_document_audit')


def _request(ip):
    return {'_request': {'remote_addr': ip}}


class AuditTestCase(unittest.TestCase):
    "Test the audit trail of vb_document"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_document')

    def _catalog(self, model, code):
        record, = Pool().get(model).search([('code', '=', code)])
        return record

    def _setup(self):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        self.a = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND')
        self.b = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        self.clerk_a = create_staff(self.a, 'vt.a', ['clerk'])
        self.leader_a = create_staff(self.a, 'ld.a', ['leader'])
        self.clerk_b = create_staff(self.b, 'vt.b', ['clerk'])
        self.admin_a = create_staff(self.a, 'qt.a', ['agency_admin'])
        self.admin_b = create_staff(self.b, 'qt.b', ['agency_admin'])
        # Agency admins read documents to see their trail
        User.write([self.admin_a, self.admin_b], {'groups': [('add', [
                            ModelData.get_id('vb_document', 'group_clerk')])]})

    def _outgoing(self, recipients=()):
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        document, = Document.create([{
                    'company': self.a.id,
                    'direction': 'outgoing',
                    'type': self._catalog('vb.document.type', 'quyet_dinh').id,
                    'subject': "Quyết định phê duyệt kế hoạch chuyển đổi số",
                    'signer': self.leader_a.employee.id,
                    'recipients': [('create', [
                                {'agency': r.id} for r in recipients])],
                    'recipients_text': "- Như trên;\n- Lưu: VT.",
                    }])
        attachment, = Attachment.create([{
                    'name': 'qd.pdf', 'data': PDF, 'document_role': 'main',
                    'resource': str(document)}])
        return document, attachment

    def _chained(self):
        """Chain the entries stored so far, as each commit does (a test
        never commits: the chaining after the commit sees nothing)"""
        Pool().get('vb.document.audit.chain').chain_pending()

    def _entries(self, **domain):
        Audit = Pool().get('vb.document.audit')
        self._chained()
        return Audit.search([(k, '=', v) for k, v in domain.items()],
            order=[('company', 'ASC'), ('sequence', 'ASC')])

    def _chain(self, agency):
        Chain = Pool().get('vb.document.audit.chain')
        self._chained()
        chain, = Chain.search([('company', '=', agency.id)])
        return chain

    @with_transaction()
    def test_document_life_logged(self):
        "Creation, changes, transitions, files and delivery are logged"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        with as_user(self.clerk_a), Transaction().set_context(
                _request('203.0.113.7')):
            document, attachment = self._outgoing([self.b])
            Document.write([document], {'note': "Trình lãnh đạo ký"})
            Document.issue([document])
        entries = self._entries(document_id=document.id)
        self.assertEqual([e.action for e in entries], [
                'create', 'file_add', 'write', 'write', 'forward',
                'transition'])
        self.assertEqual({e.user for e in entries}, {self.clerk_a})
        self.assertEqual({e.user_login for e in entries}, {'vt.a'})
        self.assertEqual({e.ip_address for e in entries}, {'203.0.113.7'})
        self.assertEqual({e.company for e in entries}, {self.a})
        create, file_add, note, issue, forward, transition = entries
        self.assertEqual(json.loads(create.details)['name'],
            "Quyết định phê duyệt kế hoạch chuyển đổi số")
        self.assertEqual(json.loads(file_add.details)['name'], 'qd.pdf')
        self.assertEqual(json.loads(file_add.details)['size'], len(PDF))
        self.assertEqual(len(json.loads(file_add.details)['sha256']), 64)
        self.assertEqual(
            (file_add.resource_model, file_add.resource_id),
            ('ir.attachment', attachment.id))
        self.assertEqual(json.loads(note.details), {'fields': ['note']})
        self.assertIn('state', json.loads(issue.details)['fields'])
        self.assertEqual(json.loads(transition.details), {'state': 'issued'})
        forwarded = json.loads(forward.details)
        self.assertEqual(forwarded['agency'], self.b.id)
        self.assertEqual(forwarded['status'], 'waiting')
        # The delivered copy starts its own history in the recipient's trail
        incoming = Document(forwarded['incoming'])
        self.assertEqual(
            [(e.action, e.company) for e in self._entries(
                    document_id=incoming.id)],
            [('create', self.b), ('file_add', self.b)])
        # Numbers follow each other in each trail
        for agency in (self.a, self.b):
            numbers = [e.sequence for e in self._entries(company=agency.id)]
            self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
            self.assertEqual(self._chain(agency).last_sequence, len(numbers))
            self.assertTrue(self._chain(agency).verify_chain().ok)

    @with_transaction()
    def test_draft_given_to_another_agency(self):
        "A draft moved to another agency has its next entries in its trail"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        document, attachment = self._outgoing()
        Document.write([document], {'note': "Chuyển Sở Nội vụ soạn"})
        Document.write([document], {
                'company': self.b.id, 'register': None, 'signer': None})
        Document.write([document], {'note': "Sở Nội vụ tiếp nhận"})
        self.assertEqual(
            [(e.action, e.company) for e in self._entries(
                    document_id=document.id)],
            [('create', self.a), ('file_add', self.a), ('write', self.a),
                ('write', self.b), ('write', self.b)])

    @with_transaction()
    def test_deleted_document_keeps_its_trail(self):
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        document, _ = self._outgoing()
        document_id = document.id
        Document.delete([document])
        self.assertEqual(
            [e.action for e in self._entries(document_id=document_id)],
            ['create', 'file_add', 'file_delete', 'delete'])
        entry = self._entries(document_id=document_id)[-1]
        self.assertIsNone(entry.document)
        self.assertEqual(json.loads(entry.details)['name'],
            "Quyết định phê duyệt kế hoạch chuyển đổi số")

    @with_transaction()
    def test_file_read_logged(self):
        "Reading a file's bytes is logged; its size or other fields are not"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        self._setup()
        document, attachment = self._outgoing()
        other, = Attachment.create([{
                    'name': 'ghi-chu.txt', 'data': b'x',
                    'resource': str(self.a)}])
        before = len(self._entries(action='file_download'))
        with as_user(self.clerk_a), Transaction().set_context(
                _request('198.51.100.20')):
            Attachment.read([attachment.id], ['name'])
            with Transaction().set_context({'ir.attachment.data': 'size'}):
                Attachment.read([attachment.id], ['data'])
        self.assertEqual(len(self._entries(action='file_download')), before)
        with as_user(self.clerk_a), Transaction().set_context(
                _request('198.51.100.20')):
            data, = Attachment.read([attachment.id], ['data'])
            self.assertEqual(bytes(data['data']), PDF)
            with Transaction().set_context(vb_audit_file_action='view'):
                Attachment.search_read(
                    [('id', '=', attachment.id)], fields_names=['data'])
            Attachment.export_data([attachment], ['name', 'data'])
            # Files of other records are not documents' files
            Attachment.read([other.id], ['data'])
        # Server code reading the bytes (e.g. delivering) is not a user's read
        self.assertEqual(bytes(Attachment(attachment.id).data), PDF)
        downloads = self._entries(action='file_download')[before:]
        self.assertEqual(len(downloads), 2)
        views = self._entries(action='file_view')
        self.assertEqual(len(views), 1)
        for entry in downloads + views:
            self.assertEqual(entry.document, document)
            self.assertEqual(entry.user, self.clerk_a)
            self.assertEqual(entry.ip_address, '198.51.100.20')
            self.assertEqual(json.loads(entry.details), {'name': 'qd.pdf'})

    @with_transaction()
    def test_record_api(self):
        "Other modules log their events through Audit.record"
        pool = Pool()
        Audit = pool.get('vb.document.audit')
        self._setup()
        document, attachment = self._outgoing()
        Audit.record(document, 'sign', {
                'signer': "Nguyễn Văn A", 'serial': '54 01 AB',
                'signed_at': dt.datetime(2026, 11, 21, 9, 30)})
        entry = self._entries(action='sign')[-1]
        self.assertEqual(entry.document, document)
        self.assertEqual(json.loads(entry.details)['signed_at'],
            '2026-11-21T09:30:00.000000')
        Audit.record(attachment, 'forward', {'to': "Phòng Tổ chức"})
        self.assertEqual(self._entries(action='forward')[-1].document,
            document)
        with self.assertRaises(AuditError):
            Audit.record(document, 'approve')
        with self.assertRaises(AuditError) as cm:
            Audit.record(document, 'sign', {'value': object()})
        self.assertIn("nhật ký", str(cm.exception))
        with self.assertRaises(AuditError):
            Audit.record(document, 'sign', ['not', 'a', 'dict'])

    @with_transaction()
    def test_append_only(self):
        "Nobody changes, deletes or forges entries through the ORM"
        pool = Pool()
        Audit = pool.get('vb.document.audit')
        Chain = pool.get('vb.document.audit.chain')
        self._setup()
        self._outgoing()
        entry = self._entries(company=self.a.id)[0]
        # Not even the administrator without access checks
        with self.assertRaises(AccessError):
            Audit.write([entry], {'details': '{}'})
        with self.assertRaises(AccessError):
            Audit.delete([entry])
        with self.assertRaises(AccessError):
            Audit.create([{'company': self.a.id, 'action': 'write'}])
        with self.assertRaises(AccessError):
            Audit.copy([entry])
        with as_user(self.admin_a):
            with self.assertRaises(AccessError):
                Audit.write([Audit(entry.id)], {'details': '{}'})
            with self.assertRaises(AccessError):
                Chain.write([self._chain(self.a)], {'last_sequence': 0})
        self.assertTrue(self._chain(self.a).verify_chain().ok)

    @with_transaction()
    def test_access(self):
        "Agency administrators read their agency's trail only"
        pool = Pool()
        Audit = pool.get('vb.document.audit')
        Chain = pool.get('vb.document.audit.chain')
        self._setup()
        document, _ = self._outgoing([self.b])
        pool.get('vb.document').issue([document])
        with as_user(self.admin_a):
            self.assertEqual({e.company for e in Audit.search([])}, {self.a})
            self.assertEqual([c.company for c in Chain.search([])], [self.a])
        with as_user(self.admin_b):
            self.assertEqual({e.company for e in Audit.search([])}, {self.b})
        with as_user(self.clerk_a):
            with self.assertRaises(AccessError):
                Audit.search([])

    def _tamper(self, sql):
        cursor = Transaction().connection.cursor()
        cursor.execute(*sql)

    def _entry_id(self, agency, sequence):
        entry, = self._entries(company=agency.id, sequence=sequence)
        return entry.id

    @with_transaction()
    def test_tampering_detected(self):
        "Changes and deletions made in SQL are found by the verification"
        self._setup()
        for _ in range(3):
            self._outgoing()
        chain = self._chain(self.a)
        count = chain.last_sequence
        self.assertGreaterEqual(count, 6)
        result = chain.verify_chain()
        self.assertTrue(result.ok)
        self.assertEqual(result.count, count)
        self.assertEqual(chain.describe(result),
            "Audit trail of UBND tỉnh Hải Vân is intact: %s entries checked "
            "(no. 1 to %s)." % (count, count))

        # A changed detail
        target = self._entry_id(self.a, 3)
        self._tamper(AUDIT.update([AUDIT.details], ['{"name":"Giả mạo"}'],
                where=AUDIT.id == target))
        result = chain.verify_chain()
        self.assertEqual((result.problem.code, result.problem.sequence),
            ('changed', 3))
        self.assertEqual(chain.describe(result),
            "Audit trail of UBND tỉnh Hải Vân: entry no. 3 was changed "
            "after it was written.")

    @with_transaction()
    def test_deletion_detected(self):
        self._setup()
        for _ in range(3):
            self._outgoing()
        chain = self._chain(self.a)
        # An entry deleted in the middle
        self._tamper(AUDIT.delete(where=AUDIT.id == self._entry_id(self.a, 2)))
        result = chain.verify_chain()
        self.assertEqual((result.problem.code, result.problem.sequence),
            ('missing', 2))
        self.assertIn("entry no. 2 is missing", chain.describe(result))

    @with_transaction()
    def test_truncation_detected(self):
        self._setup()
        for _ in range(2):
            self._outgoing()
        chain = self._chain(self.a)
        count = chain.last_sequence
        self._tamper(AUDIT.delete(where=(AUDIT.company == self.a.id)
                & (AUDIT.sequence > count - 2)))
        result = chain.verify_chain()
        self.assertEqual(result.problem.code, 'truncated')
        self.assertEqual((result.problem.expected, result.problem.found),
            (count, count - 2))

    @with_transaction()
    def test_forged_row_detected(self):
        "A row inserted in SQL without a place in the chain is reported"
        self._setup()
        self._outgoing()
        chain = self._chain(self.a)
        self._tamper(AUDIT.insert(
                [AUDIT.company, AUDIT.action, AUDIT.user_login,
                    AUDIT.details],
                [[self.a.id, 'file_view', 'vt.a', '{}']]))
        result = chain.verify_chain()
        self.assertEqual(result.problem.code, 'unchained')
        self.assertIn("a row was added outside the trail",
            chain.describe(result))

    @with_transaction()
    def test_rewritten_hash_detected(self):
        "Rewriting an entry with a recomputed hash breaks the next link"
        from trytond.modules.vb_document.auditchain import entry_hash
        Audit = Pool().get('vb.document.audit')
        self._setup()
        for _ in range(2):
            self._outgoing()
        chain = self._chain(self.a)
        entry = next(e for e in Audit.iter_chain(self.a.id)
            if e['sequence'] == 2)
        entry['login'] = 'vt.a'
        self._tamper(AUDIT.update([AUDIT.user_login, AUDIT.hash],
                ['vt.a', entry_hash(entry['prev_hash'], entry)],
                where=AUDIT.id == entry['id']))
        result = chain.verify_chain()
        self.assertEqual((result.problem.code, result.problem.sequence),
            ('link', 3))

    @with_transaction()
    def test_period_and_document_verification(self):
        pool = Pool()
        Chain = pool.get('vb.document.audit.chain')
        Audit = pool.get('vb.document.audit')
        self._setup()
        first, _ = self._outgoing()
        second, _ = self._outgoing()
        chain = self._chain(self.a)
        today = dt.date.today()
        self.assertTrue(chain.verify_chain(today - dt.timedelta(days=1),
                today + dt.timedelta(days=1)).ok)
        result = chain.verify_chain(today + dt.timedelta(days=1), None)
        self.assertTrue(result.ok)
        self.assertEqual(result.count, 0)
        (found, result), = Chain.verify_document(second.id)
        self.assertEqual(found, chain)
        self.assertTrue(result.ok)
        first_of_second = min(e.sequence
            for e in self._entries(document_id=second.id))
        self.assertEqual(result.first, first_of_second - 1)
        # An entry of the first document changed: the second's part of
        # the trail is still intact, the first's is not
        target = self._entries(document_id=first.id)[0]
        self._tamper(AUDIT.update([AUDIT.ip_address], ['10.0.0.1'],
                where=AUDIT.id == target.id))
        (_, result), = Chain.verify_document(second.id)
        self.assertTrue(result.ok)
        (_, result), = Chain.verify_document(first.id)
        self.assertEqual((result.problem.code, result.problem.sequence),
            ('changed', target.sequence))
        # The entries of the period containing the change
        period = chain.verify_chain(today, today)
        self.assertFalse(period.ok)
        self.assertTrue(Audit.search([]))

    @with_transaction()
    def test_verify_wizard(self):
        pool = Pool()
        Verify = pool.get('vb.document.audit.verify', type='wizard')
        self._setup()
        document, _ = self._outgoing()
        self._outgoing()
        self._chained()
        with as_user(self.admin_a, check_access=False):
            session_id, _, _ = Verify.create()
            start = {'company': None, 'document': None, 'date_from': None,
                'date_to': None}
            result = Verify.execute(session_id, {'start': start}, 'result')
            values = result['view']['defaults']
            self.assertTrue(values['intact'])
            # Only the trail of the admin's agency
            self.assertEqual(values['report'].count('Audit trail of'), 1)
            self.assertIn("UBND tỉnh Hải Vân is intact", values['report'])
        self._tamper(AUDIT.delete(where=AUDIT.id == self._entry_id(self.a, 1)))
        with as_user(self.admin_a, check_access=False):
            result = Verify.execute(session_id, {'start': dict(start,
                        document=document.id)}, 'result')
            values = result['view']['defaults']
            self.assertFalse(values['intact'])
            self.assertIn("entry no. 1 is missing", values['report'])
            Verify.delete(session_id)
        with as_user(self.admin_a, check_access=False):
            session_id, _, _ = Verify.create()
            with self.assertRaises(AuditError):
                Verify.execute(session_id, {'start': dict(start,
                            date_from=dt.date(2026, 2, 1),
                            date_to=dt.date(2026, 1, 1))}, 'result')

    @with_transaction()
    def test_export(self):
        "Administrators export a document's or a period's trail"
        import openpyxl
        pool = Pool()
        Export = pool.get('vb.document.audit.export', type='report')
        self._setup()
        document, _ = self._outgoing([self.b])
        pool.get('vb.document').issue([document])
        self._chained()
        with as_user(self.admin_a):
            ext, content, _, name = Export.execute([], {
                    'document': document.id, 'format': 'csv'})
        self.assertEqual(ext, 'csv')
        self.assertTrue(content.startswith(b'\xef\xbb\xbf'))
        rows = list(csv.reader(io.StringIO(content.decode('utf-8-sig'))))
        header, *rows = rows
        self.assertEqual(header[:3], ["Agency", "Number", "Time"])
        self.assertEqual([r[5] for r in rows], [
                "Created", "File Added", "Changed", "Forwarded",
                "State Changed"])
        self.assertEqual({r[0] for r in rows}, {"UBND tỉnh Hải Vân"})
        # The times are those of the agency (UTC+7)
        first_time = dt.datetime.fromisoformat(rows[0][2])
        entry = self._entries(document_id=document.id)[0]
        self.assertEqual(first_time,
            (entry.event_time + dt.timedelta(hours=7)).replace(
                microsecond=0))

        with as_user(self.admin_a):
            ext, content, _, _ = Export.execute([], {
                    'date_from': dt.date.today(),
                    'date_to': dt.date.today(), 'format': 'xlsx'})
        self.assertEqual(ext, 'xlsx')
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = list(sheet.values)
        self.assertEqual(values[0][:2], ("Agency", "Number"))
        # Agency B's entries (the delivered copy) are not A's to export
        self.assertEqual({v[0] for v in values[1:]}, {"UBND tỉnh Hải Vân"})
        self.assertEqual([v[1] for v in values[1:]],
            list(range(1, len(values))))
        self.assertIsInstance(values[1][2], dt.datetime)
        # Exporting was logged, and another agency's id gives nothing
        self.assertEqual(len(self._entries(action='export',
                    company=self.a.id)), 2)
        with as_user(self.admin_a):
            _, content, _, _ = Export.execute([], {
                    'company': self.b.id, 'format': 'csv'})
        self.assertEqual(len(content.decode('utf-8-sig').splitlines()), 1)


@unittest.skipUnless(backend.name == 'postgresql',
    "SQLite has a single writer: appends cannot run at once")
class AuditConcurrencyTestCase(CommittingTestCase):
    "Two transactions appending to one trail at once do not fork it"

    def test_concurrent_appends(self):
        agency_id = run_restarted(lambda: create_agency(
                "Sở Tài chính", '000.00.06.H99', 'STC').id)
        barrier = threading.Barrier(2)
        waited = set()
        errors = []
        attempts = Counter()
        per_thread = 15

        def append(worker, i):
            attempts[worker] += 1
            pool = Pool()
            Audit = pool.get('vb.document.audit')
            Company = pool.get('company.company')
            # Both first transactions take their snapshot before either
            # appends (a restarted attempt does not wait again)
            Company(agency_id).rec_name
            if worker not in waited:
                waited.add(worker)
                barrier.wait(timeout=10)
            Audit.record(Company(agency_id), 'export',
                {'worker': worker, 'i': i})

        def work(worker):
            try:
                for i in range(per_thread):
                    run_restarted(lambda: append(worker, i))
            except Exception as e:  # reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=work, args=(w,))
            for w in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])

        def check():
            pool = Pool()
            Chain = pool.get('vb.document.audit.chain')
            Audit = pool.get('vb.document.audit')
            chain, = Chain.search([('company', '=', agency_id)])
            entries = list(Audit.iter_chain(agency_id))
            self.assertEqual(len(entries), 2 * per_thread)
            self.assertEqual([e['sequence'] for e in entries],
                list(range(1, 2 * per_thread + 1)))
            self.assertEqual(entries[0]['prev_hash'], GENESIS)
            self.assertEqual(
                sorted(json.loads(e['details'])['worker'] for e in entries),
                [0] * per_thread + [1] * per_thread)
            result = chain.verify_chain()
            self.assertTrue(result.ok, result.problem)
            self.assertEqual(chain.last_sequence, 2 * per_thread)
        run_restarted(check)
        # Chained after each commit: no call waited for the other's head
        # nor started again
        self.assertEqual(attempts, {0: per_thread, 1: per_thread})

    def test_entries_left_waiting(self):
        "Entries a killed process left unchained are chained by the cron"
        agency_id = run_restarted(lambda: create_agency(
                "Sở Xây dựng", '000.00.07.H99', 'SXD').id)

        def append(name):
            pool = Pool()
            Pool().get('vb.document.audit').record(
                pool.get('company.company')(agency_id), 'export',
                {'name': name})

        def pending():
            table = AUDIT
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.id, table.details,
                    where=(table.company == agency_id)
                    & (table.sequence == None),  # noqa: E711
                    order_by=[table.id.asc]))
            return cursor.fetchall()

        def chain():
            Chain = Pool().get('vb.document.audit.chain')
            chain, = Chain.search([('company', '=', agency_id)])
            return chain

        Chain = run_restarted(lambda: Pool().get('vb.document.audit.chain'))
        run_restarted(lambda: append('first'))
        with patch.object(Chain, 'link_pending', side_effect=RuntimeError):
            # The process dies after its commit, before the chaining
            run_restarted(lambda: append('second'))
            run_restarted(lambda: append('third'))
        waiting = run_restarted(pending)
        self.assertEqual([json.loads(d)['name'] for _, d in waiting],
            ['second', 'third'])
        # Sealed and waiting: the trail is intact, with one entry so far
        result = run_restarted(lambda: chain().verify_chain())
        self.assertTrue(result.ok, result.problem)
        self.assertEqual(result.count, 1)

        # One of them is changed in the meantime
        def tamper():
            cursor = Transaction().connection.cursor()
            cursor.execute(*AUDIT.update([AUDIT.details],
                    ['{"name":"giả mạo"}'],
                    where=AUDIT.id == waiting[1][0]))
        run_restarted(tamper)
        result = run_restarted(lambda: chain().verify_chain())
        self.assertEqual(
            (result.problem.code, result.problem.entry_id),
            ('unchained', waiting[1][0]))

        run_restarted(lambda: Chain.link_pending())  # the cron
        self.assertEqual(run_restarted(pending), [(waiting[1][0],
                    '{"name":"giả mạo"}')])
        entries = run_restarted(lambda: list(
                Pool().get('vb.document.audit').iter_chain(agency_id)))
        self.assertEqual([json.loads(e['details'])['name'] for e in entries],
            ['first', 'second'])
        self.assertEqual(run_restarted(lambda: chain().last_sequence), 2)
        result = run_restarted(lambda: chain().verify_chain())
        self.assertEqual(
            (result.problem.code, result.problem.entry_id),
            ('unchained', waiting[1][0]))
