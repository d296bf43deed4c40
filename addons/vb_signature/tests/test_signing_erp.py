# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The signing steps in the ERP: approval by signing, batch signing, keys
on a PKCS#11 token, secrets outside the database, expiry warnings"""
import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import tempfile
import unittest

from trytond.config import config
from trytond.modules.vb_document.demo.pdf import render
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_signature import pades, secret
from trytond.modules.vb_signature.client import sign_attributes
from trytond.modules.vb_signature.exceptions import SigningError
from trytond.modules.vb_signature.request import RemoteSigner
from trytond.modules.vb_signature.tests import (
    check_pending_files, file_signatures)
from trytond.modules.vb_signature.pades.testpki import (
    PASSWORD, PIN, PKIServer, TestPKI, softhsm_library, softhsm_token)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

PDF = minimal_pdf('Du thao')


class SigningSetup:
    "A test PKI served on 127.0.0.1, an agency with its staff and keys"
    modules = ['vb_signature']

    @classmethod
    def setUpClass(cls):
        activate_module(cls.modules)
        cls.server = PKIServer().start()
        cls.directory = tempfile.mkdtemp()
        cls.pki = cls.server.attach(TestPKI(cls.server.url, cls.directory))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def _setup(self):
        pool = Pool()
        Trust = pool.get('vb.signature.trust')
        Certificate = pool.get('vb.signature.certificate')
        Trust.create([{'certificate': self.pki.der('root'), 'kind': 'root'}])
        agency = create_agency("UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND')
        leader = create_staff(agency, 'ct', ['leader'])
        clerk = create_staff(agency, 'vt', ['clerk'])
        author = create_staff(agency, 'cv', ['officer'])
        Certificate.create([{
                    'owner': 'organization', 'company': agency.id,
                    'user': None, 'method': 'pkcs12',
                    'pkcs12': self.pki.pkcs12('org'),
                    'secret': PASSWORD.decode(),
                    'image': TestPKI.seal_png(),
                    }])
        return {'agency': agency, 'leader': leader, 'clerk': clerk,
            'author': author}

    def _personal(self, r, **values):
        Certificate = Pool().get('vb.signature.certificate')
        certificate, = Certificate.create([{
                    'owner': 'personal', 'company': r['agency'].id,
                    'user': r['leader'].id, 'method': 'pkcs12',
                    'pkcs12': self.pki.pkcs12('leader'),
                    'check_secret': PASSWORD.decode(),
                    'image': TestPKI.signature_png(), **values}])
        return certificate

    def _draft(self, r, subject="Quyết định thử nghiệm"):
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        Type = pool.get('vb.document.type')
        decision, = Type.search([('code', '=', 'quyet_dinh')])
        with as_user(r['author'], check_access=False):
            document, = Document.create([{
                        'company': r['agency'].id, 'direction': 'outgoing',
                        'type': decision.id, 'subject': subject,
                        'signer': r['leader'].employee.id,
                        'recipients_text': "- Lưu: VT.",
                        }])
            Attachment.create([{'name': 'du-thao.pdf', 'data': PDF,
                        'document_role': 'main',
                        'resource': str(document)}])
        return Document(document.id)


class SigningTestCase(SigningSetup, unittest.TestCase):
    "Test the signing steps of vb_signature with vb_workflow"
    # The modules (in this order) of vb_reports' module test: the test
    # database is built once for both
    modules = ['vb_reports', 'vb_workflow', 'vb_lgsp', 'vb_signature']

    def _chain(self, r):
        Chain = Pool().get('vb.approval.chain')
        Chain.create([{'company': r['agency'].id, 'name': "Trình ký",
                    'steps': [('create', [{'sequence': 1, 'stage': 1,
                                    'name': "Lãnh đạo ký",
                                    'kind': 'signer'}])]}])

    @with_transaction()
    def test_one_task_reads_a_new_file(self):
        "A new file is read by one queue task: its signatures, then its text"
        pool = Pool()
        Queue = pool.get('ir.queue')
        Attachment = pool.get('ir.attachment')
        r = self._setup()
        transaction = Transaction()
        draft = self._draft(r)
        file, = draft.files
        transaction.tasks.clear()
        # A page of text, not a scan: no OCR
        Attachment.write([file], {'data': render("UBND", "Công văn",
                    "V/v thử nghiệm", ["Đọc một lần"])})
        file = Attachment(file.id)
        self.assertEqual((file.signature_status, file.text_state),
            ('pending', 'pending'))
        tasks = [Queue(t) for t in transaction.tasks]
        self.assertEqual([(t.data['method'], t.data['instances'])
                for t in tasks], [('process_files', (file.id,))])
        # Background work: after the exchange's tasks (expected within
        # 30 minutes) in the queue's order
        self.assertGreater(tasks[0].expected_at,
            dt.datetime.now() + dt.timedelta(minutes=30))
        tasks[0].run()

        def state():
            values, = Attachment.read([file.id],
                ['signature_status', 'text_state', 'text_content'])
            return values
        values = state()
        self.assertEqual(
            (values['signature_status'], values['text_state']),
            ('unsigned', 'indexed'))
        self.assertIn('đọc một lần', values['text_content'].lower())

        # Signed here and checked at once: the task reads the text only
        with Transaction().set_context(vb_signature_checked=True):
            Attachment.write([file], {'data': PDF})
        values = state()
        self.assertEqual(
            (values['signature_status'], values['text_state']),
            ('unsigned', 'pending'))

    @with_transaction()
    def test_issue_refuses_a_damaged_main_file(self):
        "A main file pyHanko cannot read is refused in Vietnamese"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        r = self._setup()
        draft = self._draft(r)
        file, = draft.files
        Attachment.write([file], {
                'data': b'%PDF-1.7\n1 0 obj <<\n%%EOF\n'})
        with as_user(r['clerk'], check_access=False), \
                self.assertRaises(SigningError) as raised:
            Document.issue([Document(draft.id)])
        # The call's transaction is rolled back: nothing issued
        self.assertIn("không phải là tệp PDF", raised.exception.message)

    @with_transaction()
    def test_signer_approves_by_signing(self):
        "With a certificate the signer approves by signing, not by a click"
        Document = Pool().get('vb.document')
        r = self._setup()
        certificate = self._personal(r)
        self._chain(r)
        draft = self._draft(r)
        with as_user(r['leader'], check_access=False), \
                self.assertRaises(SigningError):
            Document.sign_as_leader([draft], certificate, PASSWORD.decode())
        with as_user(r['author'], check_access=False):
            Document.do_submit_review([draft])
        with as_user(r['leader'], check_access=False), \
                self.assertRaises(SigningError):
            Document.approve_review([Document(draft.id)])
        self.assertEqual(Document(draft.id).state, 'review')
        with as_user(r['leader'], check_access=False):
            Document.sign_as_leader([Document(draft.id)], certificate,
                PASSWORD.decode())
        draft = Document(draft.id)
        self.assertEqual(draft.state, 'approved')
        self.assertEqual(draft.signature_status, 'valid')
        self.assertEqual(draft.leader_signed_by, r['leader'])
        with as_user(r['clerk'], check_access=False):
            Document.issue([draft])
        check_pending_files()
        draft = Document(draft.id)
        self.assertEqual(draft.state, 'issued')
        self.assertEqual(sorted((s.kind, s.status)
                for s in draft.signature_lines),
            [('leader', 'valid'), ('organization', 'valid')])

    def _issued(self, r, certificate):
        "A draft signed by the signer and issued: numbered and sealed"
        Document = Pool().get('vb.document')
        draft = self._draft(r)
        with as_user(r['leader'], check_access=False):
            Document.sign_as_leader([draft], certificate, PASSWORD.decode())
        with as_user(r['clerk'], check_access=False):
            Document.issue([Document(draft.id)])
        return Document(draft.id)

    def _give_main_file(self, document, data):
        """A corrected main file given to the issued document, as vb_lgsp's
        update does, then the hook"""
        Attachment = Pool().get('ir.attachment')
        Attachment.write([f for f in document.files
                if f.document_role == 'main'], {'document_role': None})
        main, = Attachment.create([{'name': 'ban-sua.pdf', 'data': data,
                    'document_role': 'main', 'resource': str(document)}])
        document._finish_new_main_file(main)
        return Attachment(main.id)

    @with_transaction()
    def test_new_main_file_sealed(self):
        "A corrected main file the signer signed is sealed as at the issue"
        pool = Pool()
        Document = pool.get('vb.document')
        Audit = pool.get('vb.document.audit')
        r = self._setup()
        certificate = self._personal(r)
        document = self._issued(r, certificate)
        old_main, = [f for f in document.files if f.document_role == 'main']
        old_data, sealed_at = bytes(old_main.data), document.sealed_at
        corrected = minimal_pdf('Ban da sua')
        corrected = pades.reserve_fields(corrected,
            pades.standard_reservation(corrected))
        with certificate.signer(PASSWORD.decode()) as signer:
            corrected = pades.sign_leader(corrected, signer,
                certificate.appearance())
        main = self._give_main_file(document, corrected)
        self.assertNotEqual(bytes(main.data), corrected)
        check_pending_files()
        self.assertEqual(file_signatures(main.id),
            ('valid', [('leader', 'valid'), ('organization', 'valid')]))
        self.assertGreaterEqual(Document(document.id).sealed_at, sealed_at)
        # Logged as the organization's signature of that file
        entry, = Audit.search([('action', '=', 'sign')],
            order=[('id', 'DESC')], limit=1)
        details = json.loads(entry.details)
        self.assertEqual((details['file'], details['role']),
            ('ban-sua.pdf', 'organization'))
        # The file sent before is kept as it was
        self.assertEqual(bytes(type(old_main)(old_main.id).data), old_data)
        # A file the agency sealed already is kept as it is
        signed = Audit.search([('action', '=', 'sign')], count=True)
        sealed = bytes(main.data)
        self.assertEqual(bytes(self._give_main_file(document, sealed).data),
            sealed)
        self.assertEqual(Audit.search([('action', '=', 'sign')], count=True),
            signed)

    @with_transaction()
    def test_new_main_file_not_signed(self):
        "A corrected draft the signer did not sign is refused, unchanged"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        Audit = pool.get('vb.document.audit')
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        r = self._setup()
        certificate = self._personal(r)
        document = self._issued(r, certificate)
        sealed_at = document.sealed_at
        draft = minimal_pdf('Ban da sua')
        draft = pades.reserve_fields(draft, pades.standard_reservation(draft))
        signed = Audit.search([('action', '=', 'sign')], count=True)
        lang, = Lang.search([('code', '=', 'vi')])
        lang.translatable = True
        lang.save()
        Translation.translation_import('vi', 'vb_signature', [os.path.join(
                    os.path.dirname(__file__), '..', 'locale', 'vi.po')])
        with Transaction().set_context(language='vi'), \
                self.assertRaises(SigningError) as error:
            self._give_main_file(document, draft)
        self.assertEqual(error.exception.message,
            f"Tệp văn bản chính mới của “{document.rec_name}” chưa được "
            "người có thẩm quyền ký số: chưa thể gửi.")
        main, = Attachment.search([('resource', '=', str(document)),
                ('document_role', '=', 'main')])
        self.assertEqual(bytes(main.data), draft)
        self.assertEqual(Document(document.id).sealed_at, sealed_at)
        self.assertEqual(Audit.search([('action', '=', 'sign')], count=True),
            signed)

    @with_transaction()
    def test_signer_without_certificate_approves_on_paper(self):
        "A signer without certificate approves by the button as before"
        Document = Pool().get('vb.document')
        r = self._setup()
        self._chain(r)
        draft = self._draft(r)
        with as_user(r['author'], check_access=False):
            Document.do_submit_review([draft])
        with as_user(r['leader'], check_access=False):
            Document.approve_review([Document(draft.id)])
        self.assertEqual(Document(draft.id).state, 'approved')
        # The clerk issues the paper-signed scan: nothing to seal
        with as_user(r['clerk'], check_access=False):
            Document.issue([Document(draft.id)])
        self.assertIsNone(Document(draft.id).sealed_at)

    @with_transaction()
    def test_batch_signing_one_password(self):
        "All the drafts are signed with one password; a wrong one signs none"
        Document = Pool().get('vb.document')
        r = self._setup()
        certificate = self._personal(r)
        drafts = [self._draft(r, f"Quyết định {i}") for i in range(3)]
        with as_user(r['leader'], check_access=False):
            with self.assertRaises(SigningError):
                Document.sign_as_leader(drafts, certificate, 'sai')
            self.assertEqual([Document(d.id).leader_signed_at
                    for d in drafts], [None] * 3)
            Document.sign_as_leader(drafts, certificate, PASSWORD.decode())
        self.assertEqual([Document(d.id).signature_status for d in drafts],
            ['valid'] * 3)

    @with_transaction()
    def test_only_the_signer_signs(self):
        Document = Pool().get('vb.document')
        r = self._setup()
        certificate = self._personal(r)
        draft = self._draft(r)
        with as_user(r['clerk'], check_access=False), \
                self.assertRaises(SigningError):
            Document.sign_as_leader([draft], certificate, PASSWORD.decode())

    @unittest.skipUnless(softhsm_library(), "SoftHSM2 is not installed")
    @with_transaction()
    def test_organization_key_on_a_token(self):
        "The clerk seals with the agency's key on a PKCS#11 token (HSM)"
        pool = Pool()
        Certificate = pool.get('vb.signature.certificate')
        Document = pool.get('vb.document')
        r = self._setup()
        Certificate.write(Certificate.search(
                [('owner', '=', 'organization')]), {'active': False})
        token = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, token, ignore_errors=True)
        # Objects of their own: the pades tests may have made the token
        # in this process already, which SoftHSM keeps using
        softhsm_token(token, self.pki, ['org'], prefix='erp-')
        Certificate.create([{
                    'owner': 'organization', 'company': r['agency'].id,
                    'user': None, 'method': 'pkcs11',
                    'certificate': self.pki.der('org'),
                    'pkcs11_library': softhsm_library(),
                    'token_label': 'VN-TOKEN', 'key_label': 'erp-org',
                    'secret': PIN, 'image': TestPKI.seal_png(),
                    }])
        certificate = self._personal(r)
        draft = self._draft(r)
        with as_user(r['leader'], check_access=False):
            Document.sign_as_leader([draft], certificate, PASSWORD.decode())
        with as_user(r['clerk'], check_access=False):
            Document.issue([Document(draft.id)])
        check_pending_files()
        draft = Document(draft.id)
        self.assertEqual(draft.signature_status, 'valid')
        self.assertIn('organization', [s.kind for s in draft.signature_lines])

    @with_transaction()
    def test_secret_outside_the_database(self):
        "Secrets are encrypted with a key kept in a file only the server reads"
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        old = config.get('database', 'path')
        config.set('database', 'path', directory)
        self.addCleanup(config.set, 'database', 'path', old)
        token = secret.encrypt('mật khẩu')
        self.assertNotIn('mật khẩu', token)
        self.assertEqual(secret.decrypt(token), 'mật khẩu')
        mode = os.stat(os.path.join(directory, secret.KEY_FILE)).st_mode
        self.assertEqual(stat.S_IMODE(mode), 0o600)
        os.remove(os.path.join(directory, secret.KEY_FILE))
        with self.assertRaises(secret.SecretError):
            secret.decrypt(token)

    @with_transaction()
    def test_key_file_not_readable(self):
        "Nobody reads a key file or a secret back through the client"
        pool = Pool()
        Certificate = pool.get('vb.signature.certificate')
        r = self._setup()
        certificate = self._personal(r, secret=PASSWORD.decode())
        with as_user(r['leader']):
            values, = Certificate.read([certificate.id],
                ['pkcs12', 'secret', 'secret_stored', 'key_stored'])
            self.assertEqual((values['pkcs12'], values['secret'],
                    values['secret_stored'], values['key_stored']),
                (None, None, True, True))
            Key = pool.get('vb.signature.key')
            with self.assertRaises(Exception):
                Key.search([])
            # "My signing certificates"
            self.assertEqual(Certificate.search([('mine', '=', True)]),
                [certificate])

    @with_transaction()
    def test_expiry_warning(self):
        "Owners are warned 30 days ahead, once"
        pool = Pool()
        Certificate = pool.get('vb.signature.certificate')
        r = self._setup()
        certificate = self._personal(r)
        self.assertEqual(Certificate.notify_expiring(), [])
        soon = dt.datetime.utcnow() + dt.timedelta(days=10)
        Certificate.write([certificate], {})
        # The facts come from the certificate: move its end date as if
        # the certificate expired in ten days
        table = Certificate.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.not_after], [soon],
                where=table.id == certificate.id))
        Transaction().user_notifications.clear()
        self.assertEqual(Certificate.notify_expiring(), [certificate])
        labels = [(int(n.user), n.label)
            for n in Transaction().user_notifications]
        self.assertEqual([u for u, _ in labels], [r['leader'].id])
        self.assertEqual(Certificate(certificate.id).status, 'expiring')
        self.assertEqual(Certificate.notify_expiring(), [])



    @with_transaction()
    def test_handover_adds_archive_timestamp(self):
        "Handing a dossier over adds validation data and a timestamp (B-LTA)"
        pool = Pool()
        Document = pool.get('vb.document')
        Company = pool.get('company.company')
        Plan = pool.get('vb.dossier.plan')
        PlanLine = pool.get('vb.dossier.plan.line')
        Dossier = pool.get('vb.dossier')
        Handover = pool.get('vb.dossier.handover')
        r = self._setup()
        Company.write([r['agency']], {'tsa_url': self.server.tsa_url})
        certificate = self._personal(r)
        draft = self._draft(r)
        with as_user(r['leader'], check_access=False):
            Document.sign_as_leader([draft], certificate, PASSWORD.decode())
        with as_user(r['clerk'], check_access=False):
            Document.issue([Document(draft.id)])
        plan, = Plan.create([{'company': r['agency'].id, 'year': 2026,
                    'lines': [('create', [{'notation': '01.VP',
                                    'title': "Hồ sơ chữ ký số",
                                    'retention_permanent': True}])]}])
        line, = plan.lines
        dossier = Dossier(PlanLine.open_dossier([line])['res_id'][0])
        Document.write([Document(draft.id)], {'dossier': dossier.id})
        Dossier.close([dossier])
        with as_user(r['clerk'], check_access=False):
            Handover.export([Dossier(dossier.id)])
        document = Document(draft.id)
        kinds = sorted(s.kind for s in document.signature_lines)
        self.assertEqual(kinds, ['leader', 'organization', 'timestamp'])
        self.assertEqual(document.signature_status, 'valid')


class LocalProvider(RemoteSigner):
    "A remote-signing provider in one class: here a key of the test PKI"

    def __init__(self, signer):
        self.signer = signer

    def sign(self, request):
        attributes = base64.b64decode(request['signed_attributes'])
        assert hashlib.sha256(attributes).hexdigest() == request['to_sign']
        return {'signature': sign_attributes(self.signer, attributes)}


class ProviderTestCase(SigningSetup, unittest.TestCase):
    "A signing provider plugged in as a RemoteSigner class"

    @with_transaction()
    def test_provider_signs_request(self):
        pool = Pool()
        Certificate = pool.get('vb.signature.certificate')
        Request = pool.get('vb.signature.request')
        Document = pool.get('vb.document')
        r = self._setup()
        certificate, = Certificate.create([{
                    'owner': 'personal', 'company': r['agency'].id,
                    'user': r['leader'].id, 'method': 'remote',
                    'certificate': self.pki.der('leader'),
                    'image': TestPKI.signature_png()}])
        draft = self._draft(r)
        with as_user(r['leader'], check_access=False):
            request, = Request.prepare([draft], certificate)
            with self.pki.signer('leader') as signer:
                report = request.sign_with(LocalProvider(signer))
        self.assertEqual(report.status, 'valid')
        self.assertEqual(Request(request.id).state, 'done')
        self.assertEqual(Document(draft.id).signature_status, 'valid')
