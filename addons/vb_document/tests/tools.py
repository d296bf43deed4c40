# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Helpers for tests running inside a transaction (ModuleTestCase)"
import time
import unittest
from decimal import Decimal

from trytond import backend
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, USER, activate_module, drop_db
from trytond.transaction import Transaction, TransactionError


def minimal_pdf(text='VBDH'):
    "A small valid one-page PDF"
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
        b'/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        None,
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        ]
    stream = b'BT /F1 14 Tf 72 770 Td (%s) Tj ET' % text.encode('latin-1')
    objects[3] = b'<< /Length %d >>\nstream\n%s\nendstream' % (
        len(stream), stream)
    out = bytearray(b'%PDF-1.4\n')
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n%s\nendobj\n' % (i, obj)
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    for offset in offsets:
        out += b'%010d 00000 n \n' % offset
    out += (b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n'
        % (len(objects) + 1, xref))
    return bytes(out)


def _currency():
    Currency = Pool().get('currency.currency')
    currencies = Currency.search([('code', '=', 'VND')])
    if currencies:
        return currencies[0]
    currency, = Currency.create([{
                'name': "Đồng Việt Nam", 'code': 'VND', 'symbol': '₫',
                'rounding': Decimal('1'), 'digits': 0}])
    return currency


def create_agency(name, code=None, abbreviation=None, external=False,
        registers=True, **values):
    "Create an agency (company) with its incoming and outgoing registers"
    pool = Pool()
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Register = pool.get('vb.document.register')
    party, = Party.create([{'name': name}])
    agency, = Company.create([{
                'party': party.id,
                'currency': _currency().id,
                'identifier_code': code,
                'abbreviation': abbreviation,
                'external': external,
                'timezone': 'Asia/Ho_Chi_Minh',
                **values}])
    if registers and not external:
        Register.create([
                {'company': agency.id, 'name': "Sổ văn bản đến",
                    'direction': 'incoming', 'code': 'DEN'},
                {'company': agency.id, 'name': "Sổ văn bản đi",
                    'direction': 'outgoing', 'code': 'DI'},
                ])
    return agency


def create_staff(agency, login, groups, unit=None, position=None):
    "Create a user of agency with an employee and the given vb groups"
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    party, = Party.create([{'name': login}])
    employee, = Employee.create([{
                'party': party.id, 'company': agency.id,
                'unit': unit.id if unit else None,
                'position': position.id if position else None}])
    user, = User.create([{
                'login': login, 'name': login,
                'companies': [('add', [agency.id])],
                'company': agency.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                'groups': [('add', [
                            ModelData.get_id('vb_document', 'group_' + g)
                            for g in groups])],
                }])
    return user


def run_restarted(func):
    "Run func in its own transaction, restarted as the dispatcher does"
    extras = {}
    for _ in range(100):
        try:
            with Transaction().start(DB_NAME, USER, **extras) as transaction:
                try:
                    return func()
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
        except backend.DatabaseOperationalError:
            time.sleep(0.01)
    raise AssertionError("no progress")


class CommittingTestCase(unittest.TestCase):
    "Tests whose transactions commit: a fresh database, dropped after"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('vb_document')

    @classmethod
    def tearDownClass(cls):
        drop_db()


def run_tasks():
    "Run the ir.queue tasks pushed in the current transaction"
    Queue = Pool().get('ir.queue')
    transaction = Transaction()
    while transaction.tasks:
        Queue(transaction.tasks.pop()).run()


class as_user:
    """Run as `user` with access checks on, as an RPC call does.

    With check_access=False, run as the transitions of wizards and the
    buttons do: their access is checked before they start.
    """

    def __init__(self, user, check_access=True):
        self.user = user
        self.check_access = check_access

    def __enter__(self):
        User = Pool().get('res.user')
        transaction = Transaction()
        self._managers = [
            transaction.set_user(self.user.id),
            transaction.reset_context(),
            transaction.set_context(
                User.get_preferences(context_only=True),
                _check_access=self.check_access),
            ]
        for manager in self._managers:
            manager.__enter__()
        return self

    def __exit__(self, *exc):
        for manager in reversed(self._managers):
            manager.__exit__(*exc)


def untranslated(module, po_path):
    """The strings module registers that po_path does not translate.

    View and report strings are registered by the "Set translations"
    wizard, as before an export, so it is run first.
    """
    import polib
    pool = Pool()
    Translation = pool.get('ir.translation')
    Set = pool.get('ir.translation.set', type='wizard')
    session_id, _, _ = Set.create()
    Set.execute(session_id, {}, 'set_')
    Set.delete(session_id)
    po = polib.pofile(str(po_path))
    translated = {e.msgid for e in po if e.msgstr and not e.obsolete
        and 'fuzzy' not in e.flags}
    sources = {t.src for t in Translation.search([
                ('lang', '=', 'en'),
                ('module', '=', module),
                ]) if t.src and t.src.strip()}
    return sources, sorted(sources - translated)


def datetime_columns_without_widget(module):
    """The (view, field) of the module's list views showing a datetime
    field without widget="date": sao 8.0 has no tree column for the
    datetime widget and the list fails to open ("ColumnFactory is not a
    constructor"); its date column shows date and time."""
    from lxml import etree
    pool = Pool()
    View = pool.get('ir.ui.view')
    problems = []
    for view in View.search([('module', '=', module)]):
        Model = pool.get(view.model) if view.model else None
        if Model is None:
            continue
        if not view.arch:
            continue
        tree = etree.fromstring(view.arch)
        kind = view.inherit.type if view.inherit else view.type
        if kind != 'tree':
            continue
        for node in tree.iter('field'):
            field = Model._fields.get(node.get('name'))
            if field is None:
                continue
            if getattr(field, '_type', None) == 'datetime' and (
                    node.get('widget') is None):
                problems.append((view.name, node.get('name')))
    return problems
