# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Approval of outgoing drafts: chains, stages, returns, versions"
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.modules.vb_document.exceptions import DocumentStateError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_workflow.exceptions import (
    WorkflowError, WorkflowValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import acting

PDF1 = minimal_pdf('Du thao lan 1')
PDF2 = minimal_pdf('Du thao lan 2')


class ApprovalTestCase(unittest.TestCase):
    "Test the approval of outgoing drafts"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_workflow')

    def _setup(self):
        pool = Pool()
        Unit = pool.get('vb.unit')
        agency = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND')
        economy, office, legal = Unit.create([
                {'company': agency.id, 'name': "Phòng Kinh tế",
                    'abbreviation': 'KT'},
                {'company': agency.id, 'name': "Văn phòng",
                    'abbreviation': 'VP'},
                {'company': agency.id, 'name': "Phòng Pháp chế",
                    'abbreviation': 'PC'},
                ])
        return {
            'agency': agency, 'economy': economy, 'office': office,
            'legal': legal,
            'author': create_staff(agency, 'cv.kt', ['officer'],
                unit=economy),
            'head': create_staff(agency, 'tp.kt', ['unit_head', 'officer'],
                unit=economy),
            'office_head': create_staff(agency, 'cvp', ['unit_head'],
                unit=office),
            'office_deputy': create_staff(agency, 'pvp', ['unit_head'],
                unit=office),
            'legal_head': create_staff(agency, 'tp.pc', ['unit_head'],
                unit=legal),
            'leader': create_staff(agency, 'ct', ['leader']),
            'deputy': create_staff(agency, 'pct', ['leader']),
            'clerk': create_staff(agency, 'vt', ['clerk'], unit=office),
            }

    def _type(self, code):
        DocumentType = Pool().get('vb.document.type')
        type_, = DocumentType.search([('code', '=', code)])
        return type_

    def _chain(self, r, types=(), parallel=True, optional_legal=False):
        "Unit head, then office and legal (in parallel), then the signer"
        Chain = Pool().get('vb.approval.chain')
        chain, = Chain.create([{
                    'company': r['agency'].id,
                    'name': "Trình ký quyết định",
                    'types': [('add', [self._type(c).id for c in types])],
                    'steps': [('create', [{
                                    'sequence': 1, 'stage': 1,
                                    'name': "Trưởng phòng soạn thảo",
                                    'kind': 'unit_head',
                                    'deadline_days': 2,
                                    }, {
                                    'sequence': 2, 'stage': 2,
                                    'name': "Văn phòng",
                                    'kind': 'unit', 'unit': r['office'].id,
                                    }, {
                                    'sequence': 3,
                                    'stage': 2 if parallel else 3,
                                    'name': "Pháp chế",
                                    'kind': 'unit', 'unit': r['legal'].id,
                                    'optional': optional_legal,
                                    }, {
                                    'sequence': 4,
                                    'stage': 3 if parallel else 4,
                                    'name': "Lãnh đạo ký",
                                    'kind': 'signer',
                                    }])],
                    }])
        return chain

    def _draft(self, r, type_code='quyet_dinh', data=PDF1):
        "The author drafts an outgoing document with its main file"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        with acting(r['author']):
            document, = Document.create([{
                        'company': r['agency'].id,
                        'direction': 'outgoing',
                        'type': self._type(type_code).id,
                        'subject': "Quyết định phê duyệt kế hoạch năm 2027",
                        'signer': r['leader'].employee.id,
                        'drafting_unit': r['economy'].id,
                        'recipients_text': "- Như trên;\n- Lưu: VT, KT.",
                        }])
            Attachment.create([{
                        'name': 'du-thao.pdf', 'data': data,
                        'document_role': 'main',
                        'resource': str(document)}])
        return Document(document.id)

    def _lines(self, document, round_=None):
        "{step name: [(reviewer login, state)]} of the round"
        Approval = Pool().get('vb.approval')
        document = Pool().get('vb.document')(document.id)
        result = {}
        for line in Approval.search([
                    ('document', '=', document.id),
                    ('round', '=', round_ or document.review_round),
                    ]):
            result.setdefault(line.name, []).append((
                    line.reviewer.login if line.reviewer else None,
                    line.state))
        return result

    def _submit(self, r, document, **kwargs):
        Document = Pool().get('vb.document')
        with acting(r['author']):
            Document.do_submit_review([document], **kwargs)

    def _approve(self, user, document):
        Document = Pool().get('vb.document')
        with acting(user):
            Document.approve_review([Document(document.id)])
        return Document(document.id)

    def _notified(self, user):
        "The labels of the notifications user gets at commit"
        return [n.label for n in Transaction().user_notifications or []
            if int(n.user) == user.id]

    @with_transaction()
    def test_chain_must_end_with_signer(self):
        "A chain ends with one mandatory signer step, alone in its stage"
        Chain = Pool().get('vb.approval.chain')
        r = self._setup()

        def create(steps):
            Chain.create([{'company': r['agency'].id, 'name': "Sai",
                        'steps': [('create', steps)]}])
        head = {'name': "Trưởng phòng", 'kind': 'unit_head', 'stage': 1}
        signer = {'name': "Ký", 'kind': 'signer', 'stage': 2}
        for steps in [
                [head],
                [head, {**signer, 'stage': 1}],
                [head, signer, {**signer, 'stage': 3}],
                [head, {**signer, 'optional': True}],
                ]:
            with self.subTest(steps=steps), \
                    self.assertRaises(WorkflowValidationError):
                create(steps)
        create([head, signer])
        chain = self._chain(r)
        with self.assertRaises(WorkflowValidationError):
            Chain.write([chain], {'steps': [('delete', [chain.steps[-1].id])]})

    @with_transaction()
    def test_chain_selection_by_type(self):
        "The chain listing the type wins over the agency's general chain"
        pool = Pool()
        Chain = pool.get('vb.approval.chain')
        Document = pool.get('vb.document')
        r = self._setup()
        other = create_agency("Sở Nội vụ", '000.00.05.H99', 'SNV')
        general = self._chain(r)
        letters = self._chain(r, types=['cong_van'])
        inactive = self._chain(r, types=['quyet_dinh'])
        Chain.write([inactive], {'active': False})
        Chain.create([{
                    'company': other.id, 'name': "Sở Nội vụ",
                    'types': [('add', [self._type('quyet_dinh').id,
                                self._type('cong_van').id])],
                    'steps': [('create', [
                                {'name': "Ký", 'kind': 'signer'}])],
                    }])
        decision = self._draft(r)
        letter = self._draft(r, type_code='cong_van')
        self.assertEqual(decision.find_approval_chain(), general)
        self.assertEqual(letter.find_approval_chain(), letters)
        self.assertTrue(decision.approval_required)

        Chain.write([general], {'active': False})
        decision = Document(decision.id)
        self.assertIsNone(decision.find_approval_chain())
        self.assertFalse(decision.approval_required)
        self.assertTrue(Document(letter.id).approval_required)

    @with_transaction()
    def test_sequential_then_parallel(self):
        "The unit head, then office and legal in parallel, then the signer"
        pool = Pool()
        Document = pool.get('vb.document')
        Date = pool.get('ir.date')
        Day = pool.get('vb.workflow.day')
        r = self._setup()
        chain = self._chain(r)
        document = self._draft(r)

        with patch.object(Document, '_sign_on_approval') as sign:
            self._submit(r, document, comment="Bản trình lần đầu")
            document = Document(document.id)
            self.assertEqual(document.state, 'review')
            self.assertEqual(document.approval_chain, chain)
            self.assertEqual(document.review_round, 1)
            self.assertEqual(self._lines(document), {
                    "Trưởng phòng soạn thảo": [('tp.kt', 'pending')],
                    "Văn phòng": [('cvp', 'waiting'), ('pvp', 'waiting')],
                    "Pháp chế": [('tp.pc', 'waiting')],
                    "Lãnh đạo ký": [('ct', 'waiting')],
                    })
            head_line, = [a for a in document.approvals
                if a.state == 'pending']
            # Today of the agency (UTC+7), as the submission saw it: from
            # 17:00 UTC it is already tomorrow there
            with Transaction().set_context(company=document.company.id):
                self.assertEqual(head_line.deadline,
                    Day.add_working_days(Date.today(), 2))
            self.assertEqual(len(self._notified(r['head'])), 1)
            self.assertFalse(self._notified(r['office_head']))

            document = self._approve(r['head'], document)
            self.assertEqual(self._lines(document)["Văn phòng"],
                [('cvp', 'pending'), ('pvp', 'pending')])
            self.assertEqual(self._lines(document)["Pháp chế"],
                [('tp.pc', 'pending')])
            self.assertEqual(len(self._notified(r['office_head'])), 1)

            # Either head of the office approves for the office
            document = self._approve(r['office_deputy'], document)
            self.assertEqual(document.state, 'review')
            self.assertEqual(self._lines(document)["Văn phòng"],
                [('cvp', 'closed'), ('pvp', 'approved')])
            self.assertEqual(self._lines(document)["Lãnh đạo ký"],
                [('ct', 'waiting')])

            document = self._approve(r['legal_head'], document)
            self.assertEqual(self._lines(document)["Lãnh đạo ký"],
                [('ct', 'pending')])
            sign.assert_not_called()

            document = self._approve(r['leader'], document)
            self.assertEqual(document.state, 'approved')
            self.assertEqual(sign.call_count, 1)
            (signed,), line = sign.call_args[0]
            self.assertEqual((signed, line.kind), (document, 'signer'))
        self.assertEqual(len(self._notified(r['author'])), 1)
        self.assertIn(document.rec_name, self._notified(r['clerk'])[-1])

        with acting(r['clerk']):
            Document.issue([document])
        document = Document(document.id)
        self.assertEqual(document.state, 'issued')
        self.assertEqual(document.number_notation, '01/QĐ-UBND')

    @with_transaction()
    def test_sequential_stages(self):
        "Stages open one after the other"
        r = self._setup()
        self._chain(r, parallel=False)
        document = self._draft(r)
        self._submit(r, document)
        document = self._approve(r['head'], document)
        document = self._approve(r['office_head'], document)
        self.assertEqual(self._lines(document)["Pháp chế"],
            [('tp.pc', 'pending')])
        self.assertEqual(self._lines(document)["Lãnh đạo ký"],
            [('ct', 'waiting')])

    @with_transaction()
    def test_return_with_comment(self):
        "A reviewer returns the draft; the author resubmits a new version"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        document = self._approve(r['head'], document)

        with acting(r['legal_head']):
            with self.assertRaises(WorkflowError):
                Document.do_return_review([document], "  ")
            Document.do_return_review([document], "Bổ sung căn cứ pháp lý")
        document = Document(document.id)
        self.assertEqual(document.state, 'draft')
        self.assertEqual(self._lines(document), {
                "Trưởng phòng soạn thảo": [('tp.kt', 'approved')],
                "Văn phòng": [('cvp', 'closed'), ('pvp', 'closed')],
                "Pháp chế": [('tp.pc', 'returned')],
                "Lãnh đạo ký": [('ct', 'closed')],
                })
        returned, = [a for a in document.approvals if a.state == 'returned']
        self.assertEqual(returned.comment, "Bổ sung căn cứ pháp lý")
        self.assertTrue(returned.decided_at)
        self.assertIn("Bổ sung căn cứ pháp lý",
            self._notified(r['author'])[-1])
        # The file did not change: no new version
        self.assertEqual([v.number for v in document.versions], [1])

        # The author replaces the file, through the client
        main, = document.files
        with as_user(r['author']):
            Attachment.write([Attachment(main.id)], {'data': PDF2})
        self._submit(r, document, comment="Đã bổ sung căn cứ")
        document = Document(document.id)
        self.assertEqual(document.state, 'review')
        self.assertEqual(document.review_round, 2)
        self.assertEqual(self._lines(document)["Trưởng phòng soạn thảo"],
            [('tp.kt', 'pending')])
        self.assertEqual(self._lines(document, 1)["Pháp chế"],
            [('tp.pc', 'returned')])
        v2, v1 = document.versions
        self.assertEqual((v1.number, v2.number), (1, 2))
        self.assertNotEqual(v1.sha256, v2.sha256)
        self.assertEqual(bytes(v1.data), PDF1)
        self.assertEqual(bytes(v2.data), PDF2)
        self.assertEqual(v2.size, len(PDF2))
        self.assertEqual((v2.author, v2.stage, v2.round, v2.comment),
            (r['author'], 'submit', 2, "Đã bổ sung căn cứ"))

        # The files are locked again under review
        with as_user(r['author']), self.assertRaises(UserError):
            Attachment.write([Attachment(main.id)], {'data': PDF1})

    @with_transaction()
    def test_send_back_approved(self):
        "The clerk sends an approved draft back; the chain restarts"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        for reviewer in ['head', 'office_head', 'legal_head', 'leader']:
            document = self._approve(r[reviewer], document)
        self.assertEqual(document.state, 'approved')
        with acting(r['author']), self.assertRaises(WorkflowError):
            Document.do_return_review([document], "Sửa")
        with acting(r['clerk']):
            self.assertTrue(Document(document.id).can_review)
            Document.do_return_review([document], "Sai thể thức")
        document = Document(document.id)
        self.assertEqual(document.state, 'draft')
        sent_back, = [a for a in document.approvals if a.state == 'returned']
        self.assertEqual((sent_back.reviewer, sent_back.comment),
            (r['clerk'], "Sai thể thức"))
        self._submit(r, document)
        self.assertEqual(Document(document.id).review_round, 2)

    @with_transaction()
    def test_wrong_person_refused(self):
        "Only the author submits, only the current reviewers decide"
        pool = Pool()
        Document = pool.get('vb.document')
        Approval = pool.get('vb.approval')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        with acting(r['head']), self.assertRaises(WorkflowError):
            Document.do_submit_review([document])
        self._submit(r, document)
        before = self._lines(document)
        for login in ['office_head', 'leader', 'author']:
            with self.subTest(user=login), acting(r[login]):
                with self.assertRaises(WorkflowError):
                    Document.approve_review([Document(document.id)])
                with self.assertRaises(WorkflowError):
                    Document.do_return_review(
                        [Document(document.id)], "Không đồng ý")
        # Through the client the buttons are not even available
        with as_user(r['office_head']):
            self.assertFalse(Document(document.id).can_review)
            with self.assertRaises(UserError):
                Document.approve_review([Document(document.id)])
        self.assertEqual(self._lines(document), before)
        self.assertFalse(Approval.search([('decided_at', '!=', None)]))
        # The reviewer can, through the client too
        with as_user(r['head']):
            self.assertTrue(Document(document.id).can_review)
            Document.approve_review([Document(document.id)])
        self.assertEqual(self._lines(document)["Trưởng phòng soạn thảo"],
            [('tp.kt', 'approved')])

    @with_transaction()
    def test_approve_twice_refused(self):
        "A reviewer cannot approve twice"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        document = self._approve(r['head'], document)
        with acting(r['head']), self.assertRaises(WorkflowError) as cm:
            Document.approve_review([document])
        self.assertIn("already approved", cm.exception.message)
        document = self._approve(r['office_head'], document)
        with acting(r['office_head']), self.assertRaises(WorkflowError):
            Document.approve_review([document])
        with acting(r['clerk']), self.assertRaises(WorkflowError):
            Document.approve_review([document])
        with acting(r['author']), self.assertRaises(DocumentStateError):
            Document.do_submit_review([document])

    @with_transaction()
    def test_issue_requires_approval(self):
        "With a chain the clerk issues approved drafts only"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r, types=['quyet_dinh'])
        decision = self._draft(r)
        letter = self._draft(r, type_code='cong_van')
        self.assertFalse(letter.approval_required)
        with acting(r['clerk']):
            with self.assertRaises(WorkflowError):
                Document.issue([decision])
            Document.issue([letter])
        self.assertEqual(Document(decision.id).state, 'draft')
        self.assertEqual(Document(letter.id).state, 'issued')
        with acting(r['author']), self.assertRaises(WorkflowError):
            Document.do_submit_review([self._draft(r, type_code='cong_van')])
        self._submit(r, decision)
        with acting(r['clerk']), self.assertRaises(DocumentStateError):
            Document.issue([Document(decision.id)])

    @with_transaction()
    def test_deputy_approves_for_signer(self):
        "A deputy with an approve delegation approves for the signer"
        pool = Pool()
        Document = pool.get('vb.document')
        Delegation = pool.get('vb.delegation')
        Date = pool.get('ir.date')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        for reviewer in ['head', 'office_head', 'legal_head']:
            document = self._approve(r[reviewer], document)
        with acting(r['deputy']):
            self.assertFalse(Document(document.id).can_review)
            with self.assertRaises(WorkflowError):
                Document.approve_review([document])
        today = Date.today()
        Delegation.create([{
                    'company': r['agency'].id,
                    'principal': r['leader'].id,
                    'deputy': r['deputy'].id,
                    'start_date': today,
                    'end_date': today + dt.timedelta(days=3),
                    'assign': False, 'approve': True,
                    'authority': 'KT',
                    }])
        with as_user(r['deputy']):
            self.assertTrue(Document(document.id).can_review)
            pending = Document.search([
                    ('approvals', 'where', [
                            ('mine', '=', True), ('state', '=', 'pending')]),
                    ])
            self.assertEqual(pending, [document])
            Document.approve_review([Document(document.id)])
        document = Document(document.id)
        self.assertEqual(document.state, 'approved')
        signed, = [a for a in document.approvals if a.kind == 'signer']
        self.assertEqual(
            (signed.state, signed.reviewer, signed.on_behalf_of,
                signed.authority),
            ('approved', r['deputy'], r['leader'], 'KT'))
        self.assertTrue(any("pct" in n for n in self._notified(r['leader'])))

    @with_transaction()
    def test_skip_optional_step(self):
        "The author skips an optional step when submitting"
        Document = Pool().get('vb.document')
        r = self._setup()
        chain = self._chain(r, optional_legal=True)
        head, office, legal, signer = chain.steps
        document = self._draft(r)
        with acting(r['author']), self.assertRaises(WorkflowError):
            Document.do_submit_review([document], skip_steps=[office])
        self._submit(r, document, skip_steps=[legal])
        self.assertEqual(self._lines(document)["Pháp chế"],
            [(None, 'skipped')])
        document = self._approve(r['head'], document)
        document = self._approve(r['office_head'], document)
        self.assertEqual(self._lines(document)["Lãnh đạo ký"],
            [('ct', 'pending')])

    @with_transaction()
    def test_to_approve_and_cancel(self):
        "The drafts waiting for me; cancelling closes the open steps"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        domain = [('state', '=', 'review'), ('approvals', 'where', [
                    ('mine', '=', True), ('state', '=', 'pending')])]
        with as_user(r['head']):
            self.assertEqual(Document.search(domain), [document])
            self.assertEqual(Document.search(domain, count=True), 1)
        with as_user(r['legal_head']):
            self.assertEqual(Document.search(domain), [])
        with as_user(r['clerk']):
            Document.cancel([Document(document.id)])
        document = Document(document.id)
        self.assertEqual(document.state, 'cancelled')
        self.assertEqual({a.state for a in document.approvals}, {'closed'})

    @with_transaction()
    def test_version_diff(self):
        "Versions are compared through the text of their PDF"
        pool = Pool()
        Version = pool.get('vb.document.version')
        Attachment = pool.get('ir.attachment')
        r = self._setup()
        document = self._draft(r)
        v1 = Version.take(document, 'submit')
        self.assertIsNone(Version.take(document, 'return'))
        main, = document.files
        Attachment.write([main], {'data': PDF2})
        v2 = Version.take(document, 'return', "Sửa")
        self.assertEqual((v1.number, v2.number), (1, 2))
        self.assertIn('Du thao lan 1', v1.get_text())
        diff = Version.diff(v1, v2)
        self.assertIn('-Du thao lan 1', diff)
        self.assertIn('+Du thao lan 2', diff)
        self.assertIn('v1 du-thao.pdf', diff)
        self.assertEqual(Version.diff(v1, v1), '')
        with patch.dict('sys.modules', {'pypdf': None}):
            self.assertIsNone(v1.get_text())
            self.assertIsNone(Version.diff(v1, v2))

    @with_transaction()
    def test_copy_resets_approval(self):
        "A copy of a reviewed draft starts without approvals nor versions"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r)
        document = self._draft(r)
        self._submit(r, document)
        copy, = Document.copy([document])
        self.assertEqual(copy.state, 'draft')
        self.assertEqual((copy.approvals, copy.versions, copy.review_round),
            ((), (), None))

