# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class VbWorkflowTestCase(CompanyTestMixin, ModuleTestCase):
    "Test vb_workflow module: it installs on top of vb_document"
    module = 'vb_workflow'


del ModuleTestCase
