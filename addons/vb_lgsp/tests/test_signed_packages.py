# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""With vb_signature: the agency's packages are signed (XMLDSig), the
corrected main file of an update is sealed (PAdES)"""
import hashlib
import shutil
import tempfile
import unittest

from trytond.modules.vb_document.tests import minimal_pdf
from trytond.modules.vb_lgsp.edxml import BusinessKind
from trytond.modules.vb_signature import pades
from trytond.modules.vb_signature.document import organization_signed
from trytond.modules.vb_signature.pades.testpki import (
    PASSWORD, PKIServer, TestPKI)
from trytond.modules.vb_signature.tests import (
    check_pending_files, file_signatures)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .axis_fixtures import running_axis
from .exchange_tools import (
    acting, issue, peer, peer_inbox, run_tasks, setup_province)


class SignedPackageTestCase(unittest.TestCase):
    "Packages signed with the organisation certificate of vb_signature"

    @classmethod
    def setUpClass(cls):
        # The modules (in this order) of vb_reports' module test: the test
        # database is built once for both
        activate_module(['vb_reports', 'vb_workflow', 'vb_lgsp',
                'vb_signature'])
        cls.directory = tempfile.mkdtemp()
        # Served on 127.0.0.1: the PAdES checks fetch revocation data
        cls.server = PKIServer().start()
        cls.pki = cls.server.attach(TestPKI(cls.server.url, cls.directory))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def _organisation_certificate(self, agency):
        Certificate = Pool().get('vb.signature.certificate')
        Certificate.create([{'owner': 'organization',
                    'company': agency.id, 'user': None,
                    'method': 'pkcs12', 'pkcs12': self.pki.pkcs12('org'),
                    'secret': PASSWORD.decode(),
                    'image': TestPKI.seal_png()}])

    def _leader_signed(self, text):
        "A PDF with the reserved fields, signed by the competent person"
        data = minimal_pdf(text)
        data = pades.reserve_fields(data, pades.standard_reservation(data))
        with self.pki.signer('leader') as signer:
            return pades.sign_leader(data, signer,
                pades.Appearance(image=TestPKI.signature_png()))

    @with_transaction()
    def test_document_and_status_signed(self):
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            unsigned = issue(r, [r['na']], subject="Trước khi có chứng thư")
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertIsNone(package.signature)
            self._organisation_certificate(r['ubnd'])
            issue(r, [r['na']], subject="Sau khi có chứng thư")
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertTrue(package.signature.verified)
            self.assertIn("Ủy ban nhân dân tỉnh Thử Nghiệm",
                package.signature.subject)
            self.assertTrue(unsigned.lgsp_document_id)

    @with_transaction()
    def test_update_main_file_sealed(self):
        "The corrected main file of an update goes sealed, as the issued one"
        pool = Pool()
        Document = pool.get('vb.document')
        Trust = pool.get('vb.signature.trust')
        Trust.create([{'certificate': self.pki.der('root'), 'kind': 'root'}])
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            self._organisation_certificate(r['ubnd'])
            document = issue(r, [r['na']], files=[('cong-van.pdf',
                        self._leader_signed('Cong van'), 'main')])
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertEqual(len(package.attachments), 1)
            corrected = self._leader_signed('Cong van da sua')
            with acting(r['clerk']):
                Document.send_lgsp_update([document], {},
                    "Sửa lỗi chính tả trong văn bản",
                    ('cong-van-sua.pdf', corrected))
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertEqual(package.kind, BusinessKind.UPDATE)
            sent, = package.attachments
            main, = [f for f in Document(document.id).files
                if f.document_role == 'main']
            self.assertEqual(main.name, 'cong-van-sua.pdf')
            # The package carries the sealed file, not the one given
            self.assertTrue(organization_signed(sent.data))
            self.assertEqual(hashlib.sha256(sent.data).hexdigest(),
                hashlib.sha256(main.data).hexdigest())
            check_pending_files()
            self.assertEqual(file_signatures(main.id),
                ('valid', [('leader', 'valid'), ('organization', 'valid')]))
