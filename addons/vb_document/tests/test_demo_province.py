# This file is part of the vb_document module.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Tests of the pure-Python demo province generator (no database)."""
import datetime
import random
import re
import time
import unicodedata
import unittest

from trytond.modules.vb_document import demo

TODAY = datetime.date(2026, 3, 15)
CODE_RE = re.compile(r'^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$')
LOGIN_RE = re.compile(r'^[a-z0-9.]+$')
UNIT_ABBR_RE = re.compile(r'^[A-Z0-9Đ]+$')
ROLES = {'clerk', 'leader', 'unit_head', 'officer', 'agency_admin'}
LEVELS = {'central', 'province', 'district', 'commune'}
KINDS = {'people_committee', 'people_council', 'office', 'department',
    'party', 'mass_org', 'central', 'other'}
URGENCIES = {'normal', 'urgent', 'very_urgent', 'flash'}
TYPE_CODES = {'QĐ', 'CV', 'TB', 'KH', 'BC', 'TTr', 'GM', 'HD', 'CT', 'NQ'}


def _strings(obj):
    "Yield every str field of a dataclass tree"
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _strings(item)
    elif hasattr(obj, '__dataclass_fields__'):
        for name in obj.__dataclass_fields__:
            yield from _strings(getattr(obj, name))


class DemoProvinceTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.province = demo.generate_province(today=TODAY)

    def check_codes(self, province):
        codes = [a.code for a in province.agencies]
        self.assertEqual(len(codes), len(set(codes)), 'duplicate codes')
        seen = set()
        for agency in province.agencies:
            self.assertRegex(agency.code, CODE_RE)
            self.assertTrue(demo.is_valid_code(agency.code))
            self.assertTrue(agency.code.endswith(province.l1)
                or agency.external, agency.code)
            self.assertEqual(agency.parent, demo.parent_of(agency.code),
                agency.code)
            if agency.parent is not None:
                # parents come first
                self.assertIn(agency.parent, seen, agency.code)
            seen.add(agency.code)

    def test_parent_of(self):
        self.assertEqual(demo.parent_of('000.00.00.H99'), None)
        self.assertEqual(demo.parent_of('000.00.07.H99'), '000.00.00.H99')
        self.assertEqual(demo.parent_of('000.03.07.H99'), '000.00.07.H99')
        self.assertEqual(demo.parent_of('012.03.07.H99'), '000.03.07.H99')
        self.assertEqual(demo.parent_of('000.00.00.G22'), None)

    def test_codes(self):
        province = self.province
        self.check_codes(province)
        root = province.agencies[0]
        self.assertEqual(root.code, f'000.00.00.{province.l1}')
        self.assertEqual(root.abbreviation, 'UBND')
        self.assertEqual(root.kind, 'people_committee')
        self.assertIsNone(root.parent)
        self.assertFalse(root.external)
        internal = [a for a in province.agencies if not a.external]
        self.assertEqual([a for a in internal if a.parent is None], [root])

    def test_structure(self):
        province = self.province
        self.assertEqual(province.name, 'Hải Vân')
        self.assertEqual(province.domain, 'haivan.gov.vn')
        agencies = province.agencies
        # internal first, then external
        flags = [a.external for a in agencies]
        self.assertEqual(flags, sorted(flags))
        internal = [a for a in agencies if not a.external]
        external = [a for a in agencies if a.external]
        self.assertTrue(5 <= len(external) <= 8)
        by_abbr = {a.abbreviation: a for a in agencies}
        for abbr in ['UBND', 'HĐND', 'VP', 'TU', 'MTTQ', 'TĐ', 'SNV', 'STC',
                'STP', 'SNNMT', 'TTr', 'VPCP', 'BNV', 'BTC', 'BKHCN']:
            self.assertIn(abbr, by_abbr)
        self.assertEqual(by_abbr['VPCP'].code, '000.00.00.G22')
        self.assertEqual(by_abbr['VP'].parent, '000.00.00.H99')
        self.assertEqual(
            len([a for a in internal if a.level == 'commune']), 30)
        self.assertEqual(len(internal), 7 + 20 + 30)
        names = [a.name for a in agencies]
        self.assertEqual(len(names), len(set(names)))
        for agency in agencies:
            self.assertTrue(agency.abbreviation, agency.code)
            self.assertIn(agency.level, LEVELS)
            self.assertIn(agency.kind, KINDS)
            self.assertTrue(agency.name and agency.short_name)
            self.assertTrue(agency.address and agency.phone)
            self.assertIn('@', agency.email)
            abbrs = [u.abbreviation for u in agency.units]
            self.assertEqual(len(abbrs), len(set(abbrs)), agency.code)
            for unit in agency.units:
                self.assertRegex(unit.abbreviation, UNIT_ABBR_RE)
                self.assertTrue(unit.name)
            if agency.external:
                self.assertEqual(agency.level, 'central')
                self.assertEqual(agency.people, [])
                self.assertIsNone(agency.parent)
                continue
            self.assertTrue(agency.email.endswith('@haivan.gov.vn'))
            if agency.kind == 'department' and agency.abbreviation[0] == 'S':
                self.assertTrue(3 <= len(agency.units) <= 6, agency.name)
            if agency.level == 'commune':
                self.assertEqual(abbrs, ['VP', 'KT', 'VHXH'])
                self.assertEqual(agency.abbreviation, 'UBND')
                self.assertRegex(agency.short_name, r'^UBND (xã|phường) ')

    def test_people(self):
        province = self.province
        logins = []
        for agency in province.agencies:
            if agency.external:
                continue
            units = {u.abbreviation for u in agency.units}
            roles = [p.role for p in agency.people]
            self.assertEqual(roles.count('clerk'), 1, agency.name)
            self.assertEqual(roles.count('leader'), 2, agency.name)
            self.assertEqual(roles.count('agency_admin'), 1, agency.name)
            self.assertEqual(roles.count('unit_head'), len(units))
            self.assertEqual(roles.count('officer'), 2 * len(units))
            for person in agency.people:
                self.assertIn(person.role, ROLES)
                self.assertTrue(person.position)
                self.assertTrue(person.unit is None or person.unit in units,
                    person)
                self.assertRegex(person.login, LOGIN_RE)
                self.assertTrue(person.login.isascii())
                self.assertEqual(person.email,
                    f'{person.login}@{province.domain}')
                self.assertGreaterEqual(len(person.name.split()), 3)
                logins.append(person.login)
        self.assertEqual(len(logins), len(set(logins)), 'duplicate logins')
        for login in ['vanthu.ubnd', 'ld1.ubnd', 'vanthu.snv', 'ld1.snv',
                'cv1.snv.vp'] + list(demo.WELL_KNOWN_LOGINS):
            self.assertIn(login, logins)
        people = {p.login: p for _, p in province.people()}
        self.assertEqual(people['ld1.ubnd'].position, 'Chủ tịch')
        self.assertEqual(people['ld2.ubnd'].position, 'Phó Chủ tịch')
        self.assertEqual(people['ld1.snv'].position, 'Giám đốc')
        self.assertEqual(people['vanthu.snv'].role, 'clerk')
        self.assertEqual(people['cv1.snv.vp'].unit, 'VP')
        # varied names
        self.assertGreater(len({p.name for p in people.values()}),
            0.9 * len(people))

    def test_well_known_logins_without_officers(self):
        province = demo.generate_province(departments=1, communes=0,
            officers_per_unit=0, documents=5, today=TODAY)
        logins = {p.login for _, p in province.people()}
        for login in demo.WELL_KNOWN_LOGINS:
            self.assertIn(login, logins)
        self.check_codes(province)

    def test_nfc(self):
        for text in _strings(self.province):
            self.assertTrue(unicodedata.is_normalized('NFC', text), text)
        for name, abbr in demo.VN_DOCUMENT_TYPES:
            self.assertTrue(unicodedata.is_normalized('NFC', name + abbr))

    def test_determinism(self):
        other = demo.generate_province(today=TODAY)
        self.assertEqual(self.province, other)
        different = demo.generate_province(seed=7, today=TODAY)
        self.assertNotEqual(
            [p.name for _, p in self.province.people()],
            [p.name for _, p in different.people()])

    def test_big_province(self):
        start = time.perf_counter()
        province = demo.generate_province(departments=40, communes=600,
            today=TODAY)
        duration = time.perf_counter() - start
        self.assertLess(duration, 2)
        self.check_codes(province)
        internal = [a for a in province.agencies if not a.external]
        self.assertEqual(len([a for a in internal if a.level == 'commune']),
            600)
        # UBND tỉnh + 6 fixed provincial bodies + departments + communes
        self.assertEqual(len(internal), 7 + 40 + 600)
        logins = [p.login for _, p in province.people()]
        self.assertEqual(len(logins), len(set(logins)))
        names = [a.name for a in internal]
        self.assertEqual(len(names), len(set(names)))
        self.assertTrue(all(a.abbreviation for a in province.agencies))

    def test_many_departments(self):
        province = demo.generate_province(departments=60, communes=5,
            documents=10, today=TODAY)
        self.check_codes(province)
        names = [a.name for a in province.agencies]
        self.assertEqual(len(names), len(set(names)))
        self.assertTrue(any('số' in n for n in names))

    def test_documents(self):
        province = self.province
        self.assertEqual(len(province.documents), 40)
        agencies = {a.code: a for a in province.agencies}
        logins = {}
        for agency, person in province.people():
            logins[person.login] = (agency, person)
        states = set()
        for doc in province.documents:
            self.assertIn(doc.agency, agencies)
            holder = agencies[doc.agency]
            self.assertFalse(holder.external)
            self.assertIn(doc.type_code, TYPE_CODES)
            self.assertIn(doc.urgency, URGENCIES)
            self.assertTrue(0 <= doc.days_ago <= 60)
            self.assertTrue(doc.subject)
            self.assertTrue(unicodedata.is_normalized('NFC', doc.subject))
            if doc.type_code == 'CV':
                self.assertTrue(doc.subject.startswith('V/v '), doc.subject)
            else:
                type_name = demo.DOCUMENT_TYPE_NAMES[doc.type_code]
                self.assertFalse(doc.subject.lower().startswith(
                        type_name.lower()), doc.subject)
            states.add((doc.direction, doc.state))
            if doc.direction == 'incoming':
                self.assertIn(doc.state,
                    {'draft', 'waiting', 'registered', 'refused'})
                self.assertIn(doc.issuer, agencies)
                self.assertNotEqual(doc.issuer, doc.agency)
                self.assertTrue(doc.issuer_notation)
                self.assertIn('/', doc.issuer_notation)
                self.assertIsInstance(doc.issued_date, datetime.date)
                self.assertLessEqual(doc.issued_date, TODAY)
                self.assertEqual(doc.recipients, [])
            else:
                self.assertEqual(doc.direction, 'outgoing')
                self.assertIn(doc.state, {'draft', 'issued'})
                self.assertTrue(doc.recipients)
                self.assertEqual(len(doc.recipients),
                    len(set(doc.recipients)))
                for code in doc.recipients:
                    self.assertIn(code, agencies)
                    self.assertNotEqual(code, doc.agency)
                self.assertIn(doc.drafting_unit,
                    {u.abbreviation for u in holder.units})
                self.assertIn(doc.signer_login, logins)
                signer_agency, signer = logins[doc.signer_login]
                self.assertIs(signer_agency, holder)
                self.assertEqual(signer.role, 'leader')
                if doc.state == 'issued':
                    self.assertLessEqual(doc.issued_date, TODAY)
                else:
                    self.assertIsNone(doc.issued_date)
        for expected in [('outgoing', 'issued'), ('outgoing', 'draft'),
                ('incoming', 'registered'), ('incoming', 'waiting'),
                ('incoming', 'refused')]:
            self.assertIn(expected, states)
        refused = [d for d in province.documents if d.state == 'refused']
        self.assertEqual(len(refused), 1)
        # registered incoming from external central agencies
        self.assertTrue(any(d.direction == 'incoming'
                and d.state == 'registered' and agencies[d.issuer].external
                for d in province.documents))
        # outgoing issued to an external agency
        self.assertTrue(any(d.direction == 'outgoing'
                and any(agencies[c].external for c in d.recipients)
                for d in province.documents))
        holders = {d.agency for d in province.documents}
        self.assertIn(province.agencies[0].code, holders)
        self.assertTrue(any(agencies[c].level == 'commune' for c in holders))

    def test_documents_scale(self):
        for count in (0, 3, 200):
            province = demo.generate_province(documents=count, today=TODAY)
            self.assertEqual(len(province.documents), count)

    def test_document_types(self):
        types = demo.VN_DOCUMENT_TYPES
        self.assertEqual(len(types), 32)
        self.assertIn(('Quy định', 'QyĐ'), types)
        self.assertIn(('Công văn', ''), types)
        self.assertIn(('Thư công', ''), types)
        self.assertIn(('Bản trích sao', 'TrS'), types)
        self.assertIn(('Tờ trình', 'TTr'), types)
        self.assertIn(('Chương trình', 'CTr'), types)
        self.assertEqual(types[0], ('Nghị quyết', 'NQ'))
        self.assertEqual(types[-1], ('Bản sao lục', 'SL'))
        abbrs = [a for _, a in types if a]
        self.assertEqual(len(abbrs), len(set(abbrs)))

    def test_random_subject(self):
        rng = random.Random(1)
        start = time.perf_counter()
        subjects = {demo.random_subject(rng) for _ in range(200000)}
        duration = time.perf_counter() - start
        self.assertGreaterEqual(len(subjects), 100000)
        self.assertLess(duration, 3)
        for subject in list(subjects)[:1000]:
            self.assertTrue(subject.startswith('V/v '))
            self.assertTrue(unicodedata.is_normalized('NFC', subject))
        rng = random.Random(2)
        for type_code in TYPE_CODES - {'CV'}:
            subject = demo.random_subject(rng, type_code)
            self.assertFalse(subject.startswith('V/v'), subject)
        self.assertEqual(demo.random_subject(random.Random(3)),
            demo.random_subject(random.Random(3)))


if __name__ == '__main__':
    unittest.main()
