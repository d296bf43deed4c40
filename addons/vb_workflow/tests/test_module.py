# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from pathlib import Path

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
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
            }

    @with_transaction()
    def test_vietnamese_complete(self):
        "Every string the module registers has a Vietnamese translation"
        import polib
        pool = Pool()
        Translation = pool.get('ir.translation')
        Set = pool.get('ir.translation.set', type='wizard')
        session_id, _, _ = Set.create()
        Set.execute(session_id, {}, 'set_')
        Set.delete(session_id)
        po = polib.pofile(str(Path(__file__).parent.parent / 'locale'
                / 'vi.po'))
        translated = {e.msgid for e in po if e.msgstr and not e.obsolete
            and 'fuzzy' not in e.flags}
        sources = {t.src for t in Translation.search([
                    ('lang', '=', 'en'),
                    ('module', '=', 'vb_workflow'),
                    ]) if t.src and t.src.strip()}
        self.assertGreater(len(sources), 300)
        self.assertEqual(sorted(sources - translated), [])


del ModuleTestCase
