# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Dossiers, the dossier plan and the archival handover, in the database"
import datetime as dt
import io
import unittest
from functools import partial
import zipfile
from unittest.mock import patch

from trytond.i18n import gettext
from trytond.model.exceptions import (
    AccessError, RequiredValidationError, SQLConstraintError,
    ValidationError)
from trytond.modules.vb_document.archival import MANIFEST, verify_package
from trytond.modules.vb_document.exceptions import (
    DossierError, DossierValidationError, HandoverError)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .dossier_tools import pdf_file
from .tools import as_user, create_agency, create_staff, minimal_pdf

# Wizards and buttons run without access checks once started, as over RPC
acting = partial(as_user, check_access=False)


class DossierTestCase(unittest.TestCase):
    "Test the dossiers and the archival handover of vb_document"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_document')

    def _setup(self):
        pool = Pool()
        Plan = pool.get('vb.dossier.plan')
        Unit = pool.get('vb.unit')
        self.snv = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        self.stc = create_agency("Sở Tài chính", '000.00.06.H99', 'STC')
        self.unit, = Unit.create([{
                    'company': self.snv.id, 'name': "Phòng Tổ chức cán bộ",
                    'abbreviation': 'TCCB'}])
        self.clerk = create_staff(self.snv, 'vt.snv', ['clerk'])
        self.officer = create_staff(self.snv, 'cv.snv', ['officer'],
            unit=self.unit)
        self.leader = create_staff(self.snv, 'ld.snv', ['leader'])
        self.admin = create_staff(self.snv, 'qt.snv', ['agency_admin'])
        self.stc_clerk = create_staff(self.stc, 'vt.stc', ['clerk'])
        self.plan, = Plan.create([{
                    'company': self.snv.id, 'year': 2026,
                    'name': "Danh mục hồ sơ năm 2026",
                    'lines': [('create', [{
                                    'heading': "I. Tổ chức, cán bộ",
                                    'notation': '01.TCCB',
                                    'title': "Hồ sơ tuyển dụng công chức "
                                    "năm 2026",
                                    'unit': self.unit.id,
                                    'retention_permanent': True,
                                    'usage_mode': 'conditional',
                                    }, {
                                    'notation': '02.TCCB',
                                    'title': "Hồ sơ thi đua khen thưởng",
                                    'retention_years': 10,
                                    }, {
                                    'notation': '03.VP',
                                    'title': "Hồ sơ hội nghị giao ban",
                                    'retention_years': 2,
                                    }])],
                    }])

    def _line(self, notation):
        line, = [l for l in self.plan.lines if l.notation == notation]
        return line

    def _open(self, notation, user=None):
        "Open the dossier of a line of the plan as user (the officer)"
        pool = Pool()
        PlanLine = pool.get('vb.dossier.plan.line')
        Dossier = pool.get('vb.dossier')
        with as_user(user or self.officer):
            action = PlanLine.open_dossier(
                [PlanLine(self._line(notation).id)])
        dossier, = Dossier.browse(action['res_id'])
        return dossier

    def _type(self, code):
        type_, = Pool().get('vb.document.type').search(
            [('code', '=', code)])
        return type_

    def _incoming(self, number, date, register=True, pages=1):
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        document, = Document.create([{
                    'company': self.snv.id,
                    'direction': 'incoming',
                    'type': self._type('cong_van').id,
                    'subject': "V/v hướng dẫn tuyển dụng công chức",
                    'issuer_name': "Bộ Nội vụ",
                    'number_notation': f'{number}/BNV-CCVC',
                    'issued_date': date,
                    }])
        Attachment.create([{
                    'name': f'cv-{number}.pdf', 'data': pdf_file(pages),
                    'document_role': 'main', 'resource': str(document)}])
        if register:
            Document.register_document([document])
        return document

    def _outgoing(self, issue=True):
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        document, = Document.create([{
                    'company': self.snv.id,
                    'direction': 'outgoing',
                    'type': self._type('quyet_dinh').id,
                    'subject': "Phê duyệt kết quả tuyển dụng công chức",
                    'signer': self.leader.employee.id,
                    'recipients_text': "- Như trên;\n- Lưu: VT, TCCB.",
                    }])
        Attachment.create([{
                    'name': 'qd.pdf', 'data': pdf_file(3),
                    'document_role': 'main', 'resource': str(document)}])
        if issue:
            Document.issue([document])
        return document

    @with_transaction()
    def test_plan_validation(self):
        "Numbers and notations follow Phụ lục V; retention is given"
        pool = Pool()
        PlanLine = pool.get('vb.dossier.plan.line')
        self._setup()
        self.assertEqual(self._line('01.TCCB').retention, "Vĩnh viễn")
        self.assertEqual(self._line('02.TCCB').retention, "10 năm")
        with self.assertRaises(DossierValidationError) as cm:
            PlanLine.create([{'plan': self.plan.id, 'notation': 'TCCB',
                        'title': "Sai ký hiệu", 'retention_years': 5}])
        self.assertEqual(cm.exception.message, gettext(
                'vb_document.msg_dossier_notation_invalid', notation='TCCB'))
        with self.assertRaises(RequiredValidationError):
            PlanLine.create([{'plan': self.plan.id, 'notation': '04.VP',
                        'title': "Thiếu thời hạn"}])
        # Last: the constraint error ends the transaction on SQLite
        with self.assertRaises(SQLConstraintError):
            PlanLine.create([{'plan': self.plan.id, 'notation': '01.TCCB',
                        'title': "Trùng", 'retention_years': 5}])

    @with_transaction()
    def test_open_from_plan(self):
        "An officer opens a dossier from the plan: code and metadata"
        Dossier = Pool().get('vb.dossier')
        self._setup()
        dossier = self._open('01.TCCB')
        self.assertEqual(dossier.code, '000.00.05.H99.2026.01.TCCB')
        self.assertEqual(
            (dossier.company, dossier.year, dossier.notation, dossier.title,
                dossier.unit, dossier.retention_permanent,
                dossier.usage_mode, dossier.language, dossier.state),
            (self.snv, 2026, '01.TCCB',
                "Hồ sơ tuyển dụng công chức năm 2026", self.unit, True,
                'conditional', "Tiếng Việt", 'open'))
        self.assertEqual(dossier.creator, self.officer.employee)
        self.assertTrue(dossier.handover_required)
        # Opening it again shows the same dossier
        self.assertEqual(self._open('01.TCCB'), dossier)
        # Correcting the notation while open corrects the code
        dossier.notation = '01.TCCB-TD'
        dossier.save()
        self.assertEqual(dossier.code, '000.00.05.H99.2026.01.TCCB-TD')
        # Short retention: not for the archive
        self.assertFalse(self._open('03.VP').handover_required)
        # What the server records is not written through RPC
        with as_user(self.officer):
            with self.assertRaises(DossierError):
                Dossier.write([Dossier(dossier.id)], {'state': 'closed'})

    @with_transaction()
    def test_open_without_identifier(self):
        "The dossier code starts with the agency's identifier code"
        pool = Pool()
        Company = pool.get('company.company')
        self._setup()
        Company.write([self.snv], {'identifier_code': None})
        with self.assertRaises(DossierValidationError) as cm:
            self._open('01.TCCB')
        self.assertIn("Sở Nội vụ", cm.exception.message)

    @with_transaction()
    def test_copy_plan_next_year(self):
        "The plan is copied forward on request, once"
        pool = Pool()
        Plan = pool.get('vb.dossier.plan')
        Copy = pool.get('vb.dossier.plan.copy', type='wizard')
        self._setup()
        self._open('01.TCCB')
        with acting(self.clerk), Transaction().set_context(
                active_model='vb.dossier.plan', active_id=self.plan.id,
                active_ids=[self.plan.id]):
            session_id, _, _ = Copy.create()
            result = Copy.execute(session_id, {}, 'start')
            self.assertEqual(result['view']['defaults']['year'], 2027)
            result = Copy.execute(session_id, {'start': {
                        'plan': self.plan.id, 'year': 2027}}, 'copy_')
            Copy.delete(session_id)
        action, = result['actions']
        copy, = Plan.browse(action[0]['res_id'])
        self.assertEqual((copy.company, copy.year), (self.snv, 2027))
        self.assertEqual(
            [(l.notation, l.title, l.retention, l.unit) for l in copy.lines],
            [(l.notation, l.title, l.retention, l.unit)
                for l in self.plan.lines])
        self.assertEqual([l.dossiers for l in copy.lines], [()] * 3)
        with self.assertRaises(DossierError) as cm:
            Plan.copy_to_year([self.plan], 2027)
        self.assertEqual(cm.exception.message, gettext(
                'vb_document.msg_dossier_plan_exists',
                agency=self.snv.rec_name, year=2027))

    @with_transaction()
    def test_filing(self):
        "Documents of the agency are filed in one dossier at a time"
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        self._setup()
        dossier = self._open('01.TCCB')
        other = self._open('02.TCCB')
        first = self._incoming(4512, dt.date(2026, 3, 2))
        second = self._outgoing()
        # The officer files registered and issued documents: the edit
        # guards of numbered documents do not apply to the filing
        with as_user(self.officer):
            Dossier.write([Dossier(dossier.id)], {
                    'documents': [('add', [first.id, second.id])]})
        dossier = Dossier(dossier.id)
        self.assertEqual(dossier.doc_total, 2)
        self.assertEqual(dossier.start_date, dt.date(2026, 3, 2))
        self.assertEqual(dossier.end_date, second.issued_date)
        # In one dossier only
        with as_user(self.officer):
            with self.assertRaises(DossierError) as cm:
                Document.write([Document(first.id)], {'dossier': other.id})
        self.assertEqual(cm.exception.message, gettext(
                'vb_document.msg_dossier_document_elsewhere',
                document=first.rec_name, dossier=dossier.rec_name))
        # Taken out and filed elsewhere
        with as_user(self.officer):
            Dossier.write([Dossier(dossier.id)], {
                    'documents': [('remove', [first.id])]})
            Document.write([Document(first.id)], {'dossier': other.id})
        self.assertEqual(Dossier(dossier.id).doc_total, 1)
        self.assertEqual(Dossier(other.id).doc_total, 1)
        self.assertEqual(Document(first.id).dossier, other)
        # Of its agency only
        foreign, = Document.create([{
                    'company': self.stc.id, 'direction': 'incoming',
                    'type': self._type('cong_van').id,
                    'subject': "Văn bản của Sở Tài chính",
                    'issuer_name': "Bộ Tài chính"}])
        # Last (a failed write is not undone in tests): refused by the
        # domain of the field (and by our check behind it)
        with self.assertRaises(ValidationError):
            Document.write([foreign], {'dossier': other.id})

    @with_transaction()
    def test_search_by_dossier(self):
        "The search finds the documents of a dossier"
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        Search = pool.get('vb.document.search', type='wizard')
        self._setup()
        dossier = self._open('01.TCCB')
        filed = self._incoming(4512, dt.date(2026, 3, 2))
        self._incoming(4513, dt.date(2026, 3, 3))
        Dossier.write([dossier], {'documents': [('add', [filed.id])]})
        session_id, _, _ = Search.create()
        search = Search(session_id)
        search.start.query = 'tuyen dung cong chuc'
        for name in ['direction', 'type', 'issuer', 'register', 'state',
                'date_from', 'date_to']:
            setattr(search.start, name, None)
        search.start.dossier = dossier
        self.assertEqual(Document.search(search.domain()), [filed])
        search.start.dossier = None
        self.assertEqual(len(Document.search(search.domain())), 2)

    @with_transaction()
    def test_close(self):
        "Closing needs documents, all finished; it counts the pages"
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        self._setup()
        dossier = self._open('01.TCCB')
        with as_user(self.officer):
            with self.assertRaises(DossierError) as cm:
                Dossier.close([Dossier(dossier.id)])
        self.assertEqual(cm.exception.message, gettext(
                'vb_document.msg_dossier_close_empty',
                dossier=dossier.rec_name))
        registered = self._incoming(4512, dt.date(2026, 3, 2), pages=2)
        draft = self._incoming(4513, dt.date(2026, 3, 3), register=False)
        issued = self._outgoing()
        Document.write([registered, draft, issued], {'dossier': dossier.id})
        with as_user(self.officer):
            with self.assertRaises(DossierError) as cm:
                Dossier.close([Dossier(dossier.id)])
        self.assertIn(draft.rec_name, cm.exception.message)
        self.assertNotIn(registered.rec_name, cm.exception.message)
        self.assertEqual(Dossier(dossier.id).state, 'open')
        # Registered, it is finished
        Document.register_document([draft])
        with as_user(self.officer):
            Dossier.close([Dossier(dossier.id)])
        dossier = Dossier(dossier.id)
        self.assertEqual(dossier.state, 'closed')
        self.assertEqual(dossier.closed_by, self.officer)
        # 2 + 1 + 3 pages of PDF
        self.assertEqual((dossier.doc_total, dossier.page_total), (3, 6))
        # Closed: nothing is added, removed or changed
        late = self._outgoing()
        with as_user(self.officer):
            with self.assertRaises(DossierError) as cm:
                Document.write([Document(late.id)], {'dossier': dossier.id})
            self.assertEqual(cm.exception.message, gettext(
                    'vb_document.msg_dossier_not_open',
                    dossier=dossier.rec_name, state=dossier.state_string))
            with self.assertRaises(DossierError):
                Document.write([Document(issued.id)], {'dossier': None})
            with self.assertRaises(DossierError):
                Dossier.write([Dossier(dossier.id)], {'title': "Đổi tên"})
        with as_user(self.clerk):
            with self.assertRaises(DossierError):
                Dossier.delete([Dossier(dossier.id)])

    @with_transaction()
    def test_unfinished_hook(self):
        """Documents matched by _open_domain (vb_workflow adds those in
        processing) are not finished"""
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        self._setup()
        dossier = self._open('01.TCCB')
        registered = self._incoming(4512, dt.date(2026, 3, 2))
        Document.write([registered], {'dossier': dossier.id})
        self.assertTrue(registered._dossier_document_finished())
        with patch.object(Document, '_open_domain',
                return_value=[('id', '=', registered.id)]):
            self.assertEqual(
                Document._dossier_unfinished([registered]), [registered])
            with self.assertRaises(DossierError):
                Dossier.close([dossier])
        Dossier.close([dossier])

    @with_transaction()
    def test_reopen(self):
        "Only the agency administrator reopens, with a reason"
        pool = Pool()
        Dossier = pool.get('vb.dossier')
        Reopen = pool.get('vb.dossier.reopen', type='wizard')
        self._setup()
        dossier = self._open('01.TCCB')
        document = self._incoming(4512, dt.date(2026, 3, 2))
        pool.get('vb.document').write([document], {'dossier': dossier.id})
        Dossier.close([dossier])

        def reopen(user, reason):
            with acting(user), Transaction().set_context(
                    active_model='vb.dossier', active_id=dossier.id,
                    active_ids=[dossier.id]):
                session_id, _, _ = Reopen.create()
                try:
                    Reopen.execute(session_id,
                        {'start': {'reason': reason}}, 'reopen')
                finally:
                    Reopen.delete(session_id)

        with self.assertRaises(DossierError) as cm:
            reopen(self.officer, "Bổ sung văn bản")
        self.assertEqual(cm.exception.message, gettext(
                'vb_document.msg_dossier_reopen_admin',
                dossier=dossier.rec_name))
        with self.assertRaises(DossierError):
            reopen(self.admin, "   ")
        self.assertEqual(Dossier(dossier.id).state, 'closed')
        reopen(self.admin, "Bổ sung quyết định công nhận kết quả")
        dossier = Dossier(dossier.id)
        self.assertEqual(dossier.state, 'open')
        self.assertEqual(
            (dossier.reopen_reason, dossier.reopened_by),
            ("Bổ sung quyết định công nhận kết quả", self.admin))

    @with_transaction()
    def test_isolation(self):
        "Plans, dossiers and handovers are seen by their agency only"
        pool = Pool()
        Dossier = pool.get('vb.dossier')
        Plan = pool.get('vb.dossier.plan')
        PlanLine = pool.get('vb.dossier.plan.line')
        self._setup()
        dossier = self._open('01.TCCB')
        with as_user(self.stc_clerk):
            self.assertEqual(Dossier.search([]), [])
            self.assertEqual(Plan.search([]), [])
            self.assertEqual(PlanLine.search([]), [])
            with self.assertRaises(AccessError):
                Dossier.read([dossier.id], ['title'])
        with as_user(self.officer):
            self.assertEqual(Dossier.search([]), [dossier])
            # Officers use the plan, clerks and administrators keep it
            with self.assertRaises(AccessError):
                Plan.write([Plan(self.plan.id)], {'note': "Sửa"})

    def _closed_permanent(self):
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        dossier = self._open('01.TCCB')
        documents = [self._incoming(4512, dt.date(2026, 3, 2), pages=2),
            self._outgoing()]
        Document.write(documents, {'dossier': dossier.id})
        Dossier.close([dossier])
        return Dossier(dossier.id), documents

    @with_transaction()
    def test_handover(self):
        "Closed dossiers kept 5 years or more are exported as a package"
        pool = Pool()
        Dossier = pool.get('vb.dossier')
        Document = pool.get('vb.document')
        Handover = pool.get('vb.dossier.handover')
        Export = pool.get('vb.dossier.handover.export', type='wizard')
        self._setup()
        dossier, (incoming, outgoing) = self._closed_permanent()
        short = self._open('03.VP')
        Document.write([self._outgoing()], {'dossier': short.id})
        Dossier.close([short])
        still_open = self._open('02.TCCB')
        for not_eligible in [short, still_open]:
            with acting(self.clerk):
                with self.assertRaises(HandoverError):
                    Handover.export([Dossier(not_eligible.id)])

        with acting(self.clerk), Transaction().set_context(
                active_model='vb.dossier', active_ids=[dossier.id, short.id],
                active_id=dossier.id):
            session_id, _, _ = Export.create()
            result = Export.execute(session_id, {}, 'start')
            # Only the eligible one is proposed
            self.assertEqual(
                result['view']['defaults']['dossiers'], [dossier.id])
            result = Export.execute(session_id, {'start': {
                        'company': self.snv.id,
                        'dossiers': [dossier.id]}}, 'export')
            Export.delete(session_id)
        action, = result['actions']
        handover, = Handover.browse(action[0]['res_id'])
        dossier = Dossier(dossier.id)
        self.assertEqual(dossier.state, 'handed_over')
        self.assertEqual(dossier.handover, handover)
        self.assertEqual(
            (handover.company, handover.dossier_count, handover.file_count,
                handover.created_by),
            (self.snv, 1, 2, self.clerk))
        self.assertEqual(handover.package_name,
            handover.package_id + '.zip')
        data = bytes(handover.package)
        archive = zipfile.ZipFile(io.BytesIO(data))
        code = '000.00.05.H99.2026.01.TCCB'
        self.assertIn(f'{code}/{code}.002.01.pdf', archive.namelist())
        report = verify_package(data, handover.manifest_sha256)
        self.assertTrue(report.ok)
        (record,) = report.dossiers
        self.assertEqual((record.code, record.retention_years, record.mode,
                record.page_total), (code, None, 'conditional', 5))
        first, second = record.documents
        self.assertEqual(
            (first.direction, first.number_notation, first.arrival_number,
                first.confidence),
            ('incoming', '4512/BNV-CCVC', incoming.register_number,
                'original'))
        self.assertEqual(
            (second.direction, second.number_notation, second.signer_name),
            ('outgoing', outgoing.number_notation, outgoing.signer_name))
        # Handed over: cannot be reopened
        with self.assertRaises(Exception):
            Dossier.do_reopen([dossier], "Mở lại")
        # Another agency neither sees nor exports it
        with as_user(self.stc_clerk):
            self.assertEqual(Handover.search([]), [])
        other = self._open('02.TCCB')
        Document.write([self._outgoing()], {'dossier': other.id})
        Dossier.close([other])
        with acting(self.stc_clerk):
            with self.assertRaises(AccessError):
                Handover.export([Dossier(other.id)])

    @with_transaction()
    def test_verify(self):
        "The verify wizard reports altered files and refuses hostile zips"
        pool = Pool()
        Handover = pool.get('vb.dossier.handover')
        Verify = pool.get('vb.dossier.handover.verify', type='wizard')
        self._setup()
        dossier, _ = self._closed_permanent()
        with acting(self.clerk):
            handover = Handover.export([pool.get('vb.dossier')(dossier.id)])
        data = bytes(handover.package)

        def verify(package):
            with acting(self.clerk):
                session_id, _, _ = Verify.create()
                try:
                    result = Verify.execute(session_id, {'start': {
                                'package': package,
                                'package_name': 'goi.zip'}}, 'result')
                finally:
                    Verify.delete(session_id)
            return result['view']['defaults']

        result = verify(data)
        self.assertTrue(result['intact'])
        self.assertEqual(result['handover'], handover.id)
        self.assertIn("gói TOÀN VẸN", result['summary'])

        # One PDF replaced
        source = zipfile.ZipFile(io.BytesIO(data))
        code = '000.00.05.H99.2026.01.TCCB'
        altered_path = f'{code}/{code}.001.01.pdf'
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w') as target:
            for name in source.namelist():
                target.writestr(name, minimal_pdf()
                    if name == altered_path else source.read(name))
        result = verify(buffer.getvalue())
        self.assertFalse(result['intact'])
        self.assertEqual((result['altered'], result['missing']), (1, 0))
        self.assertIn(altered_path, result['summary'])

        # A zip bomb
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as bomb:
            bomb.writestr(MANIFEST, b'')
            bomb.writestr('bom.pdf', bytes(30 * 1024 * 1024))
        with self.assertRaises(HandoverError) as cm:
            verify(buffer.getvalue())
        self.assertIn("nghi ngờ bom zip", cm.exception.message)

        # Path traversal
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w') as evil:
            evil.writestr(MANIFEST, b'')
            evil.writestr('../../etc/cron.d/x', b'* * * * * root sh')
        with self.assertRaises(HandoverError) as cm:
            verify(buffer.getvalue())
        self.assertIn("đường dẫn không an toàn", cm.exception.message)

    @with_transaction()
    def test_reorganise_releases(self):
        "An open document moving to another agency leaves its dossier"
        pool = Pool()
        Document = pool.get('vb.document')
        Dossier = pool.get('vb.dossier')
        self._setup()
        dossier = self._open('01.TCCB')
        draft = self._incoming(4513, dt.date(2026, 3, 3), register=False)
        Document.write([draft], {'dossier': dossier.id})
        Document.transfer([draft], self.stc)
        draft = Document(draft.id)
        self.assertEqual((draft.company, draft.dossier), (self.stc, None))
        self.assertEqual(Dossier(dossier.id).doc_total, 0)
