# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""With vb_signature: the agency's packages are signed (XMLDSig)"""
import shutil
import tempfile
import unittest

from trytond.modules.vb_signature.pades.testpki import PASSWORD, TestPKI
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .axis_fixtures import running_axis
from .exchange_tools import (
    issue, peer, peer_inbox, run_tasks, setup_province)


class SignedPackageTestCase(unittest.TestCase):
    "Packages signed with the organisation certificate of vb_signature"

    @classmethod
    def setUpClass(cls):
        # The modules (in this order) of vb_reports' module test: the test
        # database is built once for both
        activate_module(['vb_reports', 'vb_workflow', 'vb_lgsp',
                'vb_signature'])
        cls.directory = tempfile.mkdtemp()
        cls.pki = TestPKI('http://127.0.0.1:9', cls.directory)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory, ignore_errors=True)

    @with_transaction()
    def test_document_and_status_signed(self):
        Certificate = Pool().get('vb.signature.certificate')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            unsigned = issue(r, [r['na']], subject="Trước khi có chứng thư")
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertIsNone(package.signature)
            Certificate.create([{'owner': 'organization',
                        'company': r['ubnd'].id, 'user': None,
                        'method': 'pkcs12', 'pkcs12': self.pki.pkcs12('org'),
                        'secret': PASSWORD.decode(),
                        'image': TestPKI.seal_png()}])
            issue(r, [r['na']], subject="Sau khi có chứng thư")
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertTrue(package.signature.verified)
            self.assertIn("Ủy ban nhân dân tỉnh Thử Nghiệm",
                package.signature.subject)
            self.assertTrue(unsigned.lgsp_document_id)
