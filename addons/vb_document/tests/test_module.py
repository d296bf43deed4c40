# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
import datetime as dt
from pathlib import Path

from trytond.exceptions import UserError
from trytond.model.exceptions import (
    AccessError, RequiredValidationError, ValidationError)
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.vb_document.exceptions import (
    DocumentStateError, DocumentValidationError, DuplicateDocumentWarning,
    FileValidationError, InvalidIdentifier)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, without_check_access

from .tools import (
    datetime_columns_without_widget,
    as_user, create_agency, create_staff, minimal_pdf, run_tasks,
    untranslated)

PDF = minimal_pdf()


class VbDocumentTestCase(CompanyTestMixin, ModuleTestCase):
    "Test vb_document module"
    module = 'vb_document'

    @property
    def _skip_company_rule(self):
        # Issuers, parents and successors name other agencies on purpose
        return super()._skip_company_rule | {
            ('vb.document', 'issuer'),
            ('company.company', 'parent'),
            ('company.company', 'successor'),
            ('vb.agency.reorganise.start', 'successor'),
            ('vb.agency.reorganise.start', 'new_parent'),
            }

    def _catalog(self, model, code):
        record, = Pool().get(model).search([('code', '=', code)])
        return record

    def _outgoing(self, agency, signer, recipients=(), type_code='quyet_dinh',
            unit=None, files=True, **values):
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        document, = Document.create([{
                    'company': agency.id,
                    'direction': 'outgoing',
                    'type': self._catalog('vb.document.type', type_code).id,
                    'subject': "Quyết định phê duyệt kế hoạch chuyển đổi số",
                    'signer': signer.employee.id,
                    'drafting_unit': unit.id if unit else None,
                    'recipients': [('create', [
                                {'agency': r.id} for r in recipients])],
                    'recipients_text': "- Như trên;\n- Lưu: VT, VP.",
                    **values}])
        if files:
            Attachment.create([{
                        'name': 'qd.pdf', 'data': PDF,
                        'document_role': 'main',
                        'resource': str(document)}])
        return document

    def _incoming(self, agency, **values):
        Document = Pool().get('vb.document')
        document, = Document.create([{
                    'company': agency.id,
                    'direction': 'incoming',
                    'type': self._catalog('vb.document.type', 'cong_van').id,
                    'subject': "V/v báo cáo tình hình cải cách hành chính",
                    'issuer_name': "Bộ Nội vụ",
                    'number_notation': '1234/BNV-CCVC',
                    'issued_date': dt.date(2026, 3, 5),
                    **values}])
        return document

    def _setup(self):
        pool = Pool()
        Unit = pool.get('vb.unit')
        self.a = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND')
        self.b = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV',
            parent=self.a.id)
        self.ext = create_agency("Bộ Nội vụ", '000.00.00.G07', 'BNV',
            external=True)
        self.unit_a, = Unit.create([{
                    'company': self.a.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'}])
        self.leader_a = create_staff(self.a, 'ld.a', ['leader'])
        self.clerk_a = create_staff(self.a, 'vt.a', ['clerk'])
        self.clerk_b = create_staff(self.b, 'vt.b', ['clerk'])
        self.officer_b = create_staff(self.b, 'cv.b', ['officer'])

    @with_transaction()
    def test_identifier_code(self):
        "Mã định danh is validated for our agencies, flagged for others"
        create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        with self.assertRaises(InvalidIdentifier):
            create_agency("Sở sai mã", '00.00.05.H99', 'SS')
        with self.assertRaises(InvalidIdentifier):
            create_agency("Trùng mã", '000.00.00.H99', 'TM')
        external = create_agency("Hệ thống ngoài", 'vxp.saas.03', 'NGOAI',
            external=True)
        self.assertEqual(external.identifier_code, 'vxp.saas.03')

    @with_transaction()
    def test_today_follows_agency_timezone(self):
        "Today is the agency's, also after its timezone changed"
        from zoneinfo import ZoneInfo
        Date = Pool().get('ir.date')
        agency = create_agency("UBND tỉnh", '000.00.00.H99', 'UBND')
        # 25 hours apart: the two dates always differ
        for name in ['Pacific/Kiritimati', 'Pacific/Pago_Pago']:
            agency.timezone = name
            agency.save()
            with Transaction().set_context(company=agency.id):
                self.assertEqual(Date.today(),
                    dt.datetime.now(ZoneInfo(name)).date())

    @with_transaction()
    def test_click_logs_do_not_read_the_document(self):
        "Storing a click's logs reads neither them nor the document back"
        from unittest.mock import patch
        pool = Pool()
        Document = pool.get('vb.document')
        Log = pool.get('ir.model.log')
        self._setup()
        decision = self._outgoing(self.a, self.leader_a, [self.b])
        # As in production: computed fields are validated under tests only
        # (the log's action reads its resource)
        with patch.object(Document, 'search', wraps=Document.search) \
                as search, patch.object(Log, 'read', wraps=Log.read) \
                as read, patch.object(Pool, 'test', False):
            Document.log([decision], 'button', 'issue')
            Transaction()._store_log_records()
        search.assert_not_called()
        read.assert_not_called()
        log, = Log.search([('resource', '=', str(decision))])
        self.assertEqual((log.resource, log.event, log.target),
            (decision, 'button', 'issue'))

    @with_transaction()
    def test_file_text_loaded_only_when_asked(self):
        "Reading a document or a file does not bring the text of the files"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        self._setup()
        decision = self._outgoing(self.a, self.leader_a)
        main, = Attachment.search([('resource', '=', str(decision))])
        Attachment.write([main], {'text_content': "Nội dung tệp " * 1000})
        Document.index_text([decision])

        # As in a new request: nothing of these records in the cache
        Transaction().cache.clear()
        document, attachment = Document(decision.id), Attachment(main.id)
        self.assertTrue(document.subject)
        self.assertEqual(attachment.resource, decision)
        # What a read loaded with the field asked for (trytond's cache of
        # the record's values)
        self.assertNotIn('search_text', document._local_cache[document.id])
        self.assertNotIn('text_content',
            attachment._local_cache[attachment.id])
        # and read when asked for
        (document_values,) = Document.read([decision.id], ['search_text'])
        self.assertIn('noi dung tep', document_values['search_text'])
        (file_values,) = Attachment.read([main.id], ['text_content'])
        self.assertTrue(file_values['text_content'].startswith("Nội dung"))

    @with_transaction()
    def test_issue_numbers_and_delivers(self):
        "Issuing numbers per Nghị định 30 and delivers to internal agencies"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        decision = self._outgoing(self.a, self.leader_a, [self.b, self.ext])
        Document.issue([decision])
        self.assertEqual(decision.state, 'issued')
        self.assertEqual(decision.register_number, 1)
        self.assertEqual(decision.number_notation, '01/QĐ-UBND')
        with Transaction().set_context(company=self.a.id):
            self.assertEqual(
                decision.issued_date, pool.get('ir.date').today())

        letter = self._outgoing(self.a, self.leader_a, [self.b],
            type_code='cong_van', unit=self.unit_a)
        Document.issue([letter])
        self.assertEqual(letter.number_notation, '02/UBND-VP')

        internal, external = decision.recipients
        self.assertEqual(internal.state, 'waiting')
        self.assertEqual(external.state, 'external')
        incoming = internal.incoming_document
        self.assertEqual(incoming.company, self.b)
        self.assertEqual(incoming.state, 'waiting')
        self.assertEqual(incoming.direction, 'incoming')
        self.assertEqual(incoming.number_notation, '01/QĐ-UBND')
        self.assertEqual(incoming.issuer, self.a)
        self.assertEqual(incoming.source, 'internal')
        self.assertEqual(
            [(f.name, f.document_role, bytes(f.data)) for f in incoming.files],
            [('qd.pdf', 'main', PDF)])

        # Issuing twice is refused loudly and changes nothing
        with self.assertRaises(DocumentStateError):
            Document.issue([decision])
        self.assertEqual(decision.register_number, 1)
        # Issued numbers cannot be edited
        with self.assertRaises(DocumentStateError):
            Document.write([decision], {'number_notation': '99/QĐ-UBND'})
        # Who moved it is logged (stored at commit, which tests skip)
        log, = [l for l in Transaction().log_records
            if l.resource == decision and l.event == 'transition']
        self.assertEqual((log.target, log.user.id), ('state:issued', 1))
        # and each version is kept (one row per create or write)
        history = Document.__table_history__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*history.select(history.register_number,
                where=history.id == decision.id))
        self.assertEqual(
            sorted(n or 0 for n, in cursor), [0, 1])
        # Cancelling does not free the number
        Document.cancel([decision])
        third = self._outgoing(self.a, self.leader_a, [self.b])
        Document.issue([third])
        self.assertEqual(third.register_number, 3)

    @with_transaction()
    def test_issue_requires(self):
        "Issuing checks the signer, the recipients and the main PDF"
        Document = Pool().get('vb.document')
        self._setup()
        without_file = self._outgoing(
            self.a, self.leader_a, [self.b], files=False)
        with self.assertRaises(DocumentValidationError):
            Document.issue([without_file])
        without_signer = self._outgoing(self.a, self.leader_a, [self.b])
        without_signer.signer = None
        without_signer.save()
        with self.assertRaises(DocumentValidationError):
            Document.issue([without_signer])
        self.assertEqual(without_signer.state, 'draft')
        self.assertIsNone(without_signer.register_number)

    @with_transaction()
    def test_yearly_counter(self):
        "Numbers restart at 1 every calendar year"
        pool = Pool()
        Register = pool.get('vb.document.register')
        self._setup()
        register = Register.find(self.a, 'outgoing')
        self.assertEqual(register.next_number(2026), 1)
        self.assertEqual(register.next_number(2026), 2)
        self.assertEqual(register.next_number(2027), 1)
        self.assertEqual(register.next_number(2026), 3)
        Register.create_next_year_counters()
        years = {c.year for c in Register(register.id).counters}
        self.assertIn(pool.get('ir.date').today().year + 1, years)

    @with_transaction()
    def test_register_incoming(self):
        "Registering takes the next incoming number; duplicates are flagged"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        first = self._incoming(self.b)
        Document.register_document([first])
        self.assertEqual(first.state, 'registered')
        self.assertEqual(first.register_number, 1)
        with Transaction().set_context(company=self.b.id):
            self.assertEqual(first.arrival_date, pool.get('ir.date').today())

        duplicate = self._incoming(self.b)
        self.assertEqual(duplicate.duplicates, (first,))
        with self.assertRaises(DuplicateDocumentWarning):
            Document.register_document([duplicate])
        self.assertEqual(duplicate.state, 'draft')
        self.assertIsNone(duplicate.register_number)

        other = self._incoming(self.b, number_notation='1235/BNV-CCVC')
        Document.register_document([other])
        self.assertEqual(other.register_number, 2)

    @with_transaction()
    def test_receive_and_refuse(self):
        "The recipient clerk registers or refuses; the sender sees it"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        third = create_agency("Sở Tài chính", '000.00.06.H99', 'STC')
        outgoing = self._outgoing(self.a, self.leader_a, [self.b, third])
        Document.issue([outgoing])
        to_b, to_third = outgoing.recipients

        Document.register_document([to_b.incoming_document])
        self.assertEqual(to_b.state, 'received')
        self.assertEqual(to_b.incoming_document.register_number, 1)

        refused = to_third.incoming_document
        with self.assertRaises(DocumentValidationError):
            Document.do_refuse([refused], "  ")
        Document.do_refuse([refused], "Gửi nhầm cơ quan")
        self.assertEqual(refused.state, 'refused')
        self.assertEqual(to_third.state, 'refused')
        self.assertEqual(to_third.reason, "Gửi nhầm cơ quan")

        # A refused document cannot be registered
        with self.assertRaises(DocumentStateError):
            Document.register_document([refused])
        self.assertEqual(refused.state, 'refused')
        self.assertIsNone(refused.register_number)

    @with_transaction()
    def test_files(self):
        "The main file must be a PDF under the size limit"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Configuration = pool.get('vb.document.configuration')
        self._setup()
        document = self._incoming(self.b)
        with self.assertRaises(FileValidationError):
            Attachment.create([{'name': 'scan.docx', 'data': b'PK\x03\x04',
                        'document_role': 'main',
                        'resource': str(document)}])
        Configuration.write([Configuration(1)], {'max_file_size': 1})
        with self.assertRaises(FileValidationError):
            Attachment.create([{'name': 'big.pdf',
                        'data': PDF + b' ' * (1024 * 1024),
                        'document_role': 'annex',
                        'resource': str(document)}])
        annex, = Attachment.create([{'name': 'phu-luc.xlsx', 'data': b'x',
                    'document_role': 'annex', 'resource': str(document)}])
        self.assertIn(annex, document.files)

    @with_transaction()
    def test_required_fields(self):
        "Missing required fields are refused (PostgreSQL aborts after it)"
        Document = Pool().get('vb.document')
        self._setup()
        with self.assertRaises(RequiredValidationError):
            Document.create([{'company': self.a.id, 'direction': 'incoming',
                        'type': self._catalog(
                            'vb.document.type', 'cong_van').id}])

    @with_transaction()
    def test_blank_subject(self):
        "A subject made of blanks is refused"
        self._setup()
        with self.assertRaises(ValidationError):
            self._incoming(self.b, subject="   ")

    @with_transaction()
    def test_isolation(self):
        "Users of one agency cannot see or touch another agency's documents"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        Channel = pool.get('ir.chat.channel')
        self._setup()
        doc_a = self._incoming(self.a)
        doc_b = self._incoming(self.b, subject="Văn bản của Sở Nội vụ")
        with as_user(self.clerk_a):
            self.assertEqual(Document.search([]), [Document(doc_a.id)])
            with self.assertRaises(AccessError):
                Document.read([doc_b.id], ['subject'])
            with self.assertRaises(AccessError):
                Document.write([Document(doc_b.id)], {'subject': "Sửa"})
            with self.assertRaises(AccessError):
                Document.delete([Document(doc_b.id)])
            for button in ['register_document', 'cancel']:
                with self.assertRaises(UserError):
                    getattr(Document, button)([Document(doc_b.id)])
            with self.assertRaises(AccessError):
                Attachment.create([{'name': 'x.pdf', 'data': PDF,
                            'resource': str(doc_b)}])
            # The chat RPCs run without access checks but their own
            with without_check_access():
                with self.assertRaises(AccessError):
                    Channel.get(str(doc_b))
                with self.assertRaises(AccessError):
                    Channel.post(str(doc_b), "Xin chào", 'internal')
                self.assertEqual(Channel.get(str(doc_a)), [])
        self.assertEqual(Document(doc_b.id).state, 'draft')

    @with_transaction()
    def test_officer_cannot_register(self):
        "Only clerks register; officers only draft outgoing documents"
        pool = Pool()
        Document = pool.get('vb.document')
        self._setup()
        incoming = self._incoming(self.b)
        with as_user(self.officer_b):
            with self.assertRaises(UserError):
                Document.register_document([Document(incoming.id)])
            with self.assertRaises(AccessError):
                Document.create([{'direction': 'incoming',
                            'type': self._catalog(
                                'vb.document.type', 'cong_van').id,
                            'subject': "Không được tạo"}])
            draft, = Document.create([{'direction': 'outgoing',
                        'type': self._catalog(
                            'vb.document.type', 'to_trinh').id,
                        'subject': "Tờ trình đề nghị"}])
            self.assertEqual(draft.company, self.b)

    @with_transaction()
    def test_reorganise_merge(self):
        "Merging an agency moves its open work and staff to the successor"
        pool = Pool()
        Document = pool.get('vb.document')
        Reorganise = pool.get('vb.agency.reorganise', type='wizard')
        Company = pool.get('company.company')
        self._setup()
        old = create_agency("Sở Thông tin và Truyền thông", '000.00.09.H99',
            'STTTT')
        successor = create_agency("Sở Khoa học và Công nghệ",
            '000.00.10.H99', 'SKHCN')
        clerk = create_staff(old, 'vt.tttt', ['clerk'])
        open_doc = self._incoming(old)
        closed_doc = self._incoming(old, number_notation='1/X')
        Document.register_document([closed_doc])

        session_id, _, _ = Reorganise.create()
        Reorganise.execute(session_id, {'start': {
                    'kind': 'merge', 'agencies': [old.id],
                    'successor': successor.id,
                    'date': dt.date(2025, 7, 1), 'new_name': None,
                    'new_parent': None, 'note': "Hợp nhất"}}, 'apply')
        Reorganise.delete(session_id)
        old = Company(old.id)
        self.assertEqual(old.end_date, dt.date(2025, 7, 1))
        self.assertEqual(old.successor, successor)
        self.assertFalse(old.active)
        self.assertEqual(Document(open_doc.id).company, successor)
        self.assertEqual(Document(closed_doc.id).company, old)
        self.assertIn(successor, clerk.companies)
        event, = old.events
        self.assertEqual((event.kind, event.moved_documents), ('merge', 1))
    @with_transaction()
    def test_reorganise_rename_and_move(self):
        "Renaming keeps the former name; moving records the former parent"
        pool = Pool()
        Reorganise = pool.get('vb.agency.reorganise', type='wizard')
        Company = pool.get('company.company')
        self._setup()
        start = {'agencies': [self.b.id], 'date': dt.date(2025, 7, 1),
            'successor': None, 'note': None}
        for values in [
                {'kind': 'rename', 'new_name': "Sở Nội vụ tỉnh Hải Vân",
                    'new_parent': None},
                {'kind': 'move', 'new_name': None,
                    'new_parent': self.ext.id}]:
            session_id, _, _ = Reorganise.create()
            Reorganise.execute(
                session_id, {'start': {**start, **values}}, 'apply')
            Reorganise.delete(session_id)
        agency = Company(self.b.id)
        self.assertEqual(agency.rec_name, "Sở Nội vụ tỉnh Hải Vân")
        self.assertEqual(agency.parent, self.ext)
        self.assertTrue(agency.active)
        self.assertEqual(
            sorted((e.kind, e.old_name, e.old_parent) for e in agency.events),
            [('move', "Sở Nội vụ tỉnh Hải Vân", self.a),
                ('rename', "Sở Nội vụ", None)])

    @with_transaction()
    def test_chat_followers_notified(self):
        "Staff discuss a document; followers get a notification"
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Notification = pool.get('res.notification')
        self._setup()
        document = self._incoming(self.a)
        with as_user(self.leader_a), without_check_access():
            Channel.subscribe(str(document))
        with as_user(self.clerk_a), without_check_access():
            Channel.post(str(document), "Kính trình lãnh đạo cho ý kiến",
                'internal')
        run_tasks()
        with as_user(self.leader_a), without_check_access():
            messages = Channel.get(str(document))
        self.assertEqual([m['content'] for m in messages][-1],
            "Kính trình lãnh đạo cho ý kiến")
        self.assertTrue(Notification.search([
                    ('user', '=', self.leader_a.id)]))
        self.assertFalse(Notification.search([
                    ('user', '=', self.clerk_a.id)]))

    @with_transaction()
    def test_vietnamese_complete(self):
        "Every string the module registers has a Vietnamese translation"
        sources, missing = untranslated('vb_document', Path(__file__).parent.parent
            / 'locale' / 'vi.po')
        self.assertGreater(len(sources), 200)
        self.assertEqual(missing, [])

    @with_transaction()
    def test_list_datetime_widgets(self):
        "List views show datetimes with the widget sao 8.0 has"
        self.assertEqual(datetime_columns_without_widget('vb_document'), [])


del ModuleTestCase
