# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from pathlib import Path

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.vb_document.tests import untranslated
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class VbReportsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test vb_reports module: it installs on top of vb_document"
    module = 'vb_reports'

    @with_transaction()
    def test_vietnamese_complete(self):
        "Every string the module registers has a Vietnamese translation"
        sources, missing = untranslated('vb_reports',
            Path(__file__).parent.parent / 'locale' / 'vi.po')
        self.assertGreater(len(sources), 20)
        self.assertEqual(missing, [])


del ModuleTestCase
