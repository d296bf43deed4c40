# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from pathlib import Path

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.vb_document.tests import (
    datetime_columns_without_widget, untranslated)
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class VbReportsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test vb_reports module with the modules it extends when present"
    module = 'vb_reports'
    # The overdue and task reports and the overdue dashboard exist with
    # vb_workflow only; vb_reports alone is activated by test_reports
    extras = ['vb_workflow', 'vb_lgsp', 'vb_signature']
    # The agency of the weekly report is a setting of the installation,
    # not a record of that agency
    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('vb.reports.configuration', 'weekly_agency'),
            }

    @with_transaction()
    def test_vietnamese_complete(self):
        "Every string the module registers has a Vietnamese translation"
        sources, missing = untranslated('vb_reports',
            Path(__file__).parent.parent / 'locale' / 'vi.po')
        self.assertGreater(len(sources), 20)
        self.assertEqual(missing, [])

    @with_transaction()
    def test_list_datetime_widgets(self):
        "List views show datetimes with the widget sao 8.0 has"
        self.assertEqual(datetime_columns_without_widget('vb_reports'), [])


del ModuleTestCase
