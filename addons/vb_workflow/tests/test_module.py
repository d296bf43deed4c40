# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from pathlib import Path

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.vb_document.tests import (
    datetime_columns_without_widget, untranslated)
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class VbWorkflowTestCase(CompanyTestMixin, ModuleTestCase):
    "Test vb_workflow module: it installs on top of vb_document"
    module = 'vb_workflow'

    @property
    def _skip_company_rule(self):
        # Issuers, parents and successors name other agencies on purpose
        return super()._skip_company_rule | {
            ('vb.document', 'issuer'),
            ('company.company', 'parent'),
            ('company.company', 'successor'),
            ('vb.agency.reorganise.start', 'successor'),
            ('vb.agency.reorganise.start', 'new_parent'),
            ('vb.document.submit.start', 'company'),
            ('vb.document.assign.start', 'company'),
            ('vb.document.handle.start', 'company'),
            ('vb.document.complete.start', 'company'),
            }

    @with_transaction()
    def test_vietnamese_complete(self):
        "Every string the module registers has a Vietnamese translation"
        sources, missing = untranslated('vb_workflow', Path(__file__).parent.parent
            / 'locale' / 'vi.po')
        self.assertGreater(len(sources), 300)
        self.assertEqual(missing, [])

    @with_transaction()
    def test_list_datetime_widgets(self):
        "List views show datetimes with the widget sao 8.0 has"
        self.assertEqual(datetime_columns_without_widget('vb_workflow'), [])


del ModuleTestCase
