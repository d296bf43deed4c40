# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Registers (sổ văn bản, the register books) and their gapless yearly counters.

Nghị định 30/2020 numbers documents within the calendar year, from 01 on
1 January. ir.sequence.strict is gapless but never resets, so each
register keeps one counter row per year, locked by the issuing
transaction: a rollback frees nothing and two transactions can never get
the same number.
"""
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.pyson import Eval

from .company import current_agency
from .locking import lock_rows

DIRECTIONS = [
    ('incoming', "Incoming"),
    ('outgoing', "Outgoing"),
    ]


class Register(DeactivableMixin, ModelSQL, ModelView):
    "Register (sổ văn bản)"
    __string__ = "Register"
    __name__ = 'vb.document.register'

    company = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='CASCADE',
        states={'readonly': Eval('id', -1) >= 0})
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", size=20, strip=True)
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    secret = fields.Boolean(
        "Secret", help="For secret documents only (separate numbering).")
    document_types = fields.Many2Many(
        'vb.document.register-vb.document.type', 'register', 'type',
        "Document Types",
        help="Leave empty to number every type of document in this register.")
    counters = fields.One2Many(
        'vb.document.register.counter', 'register', "Counters",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Equality()),
                (t.direction, Index.Equality(cardinality='low'))))

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_secret(cls):
        return False

    @classmethod
    def on_modification(cls, mode, registers, field_names=None):
        pool = Pool()
        Counter = pool.get('vb.document.register.counter')
        Date = pool.get('ir.date')
        super().on_modification(mode, registers, field_names=field_names)
        if mode == 'create':
            # Created beforehand so that issuing never INSERTs a counter
            year = Date.today().year
            Counter.create([{'register': r.id, 'year': year}
                    for r in registers])

    @classmethod
    def find(cls, company, direction, type=None, secret=False):
        "Return the register to use for a document or None"
        registers = cls.search([
                ('company', '=', company.id),
                ('direction', '=', direction),
                ('secret', '=', bool(secret)),
                ])
        typed = [r for r in registers if type and type in r.document_types]
        untyped = [r for r in registers if not r.document_types]
        return (typed or untyped or [None])[0]

    def next_number(self, year):
        "Return the next number of the register in year"
        Counter = Pool().get('vb.document.register.counter')
        return Counter.next_number(self, year)

    @classmethod
    def create_next_year_counters(cls):
        "Cron: open the counters of next year before 1 January"
        pool = Pool()
        Counter = pool.get('vb.document.register.counter')
        Date = pool.get('ir.date')
        year = Date.today().year + 1
        registers = cls.search([])
        existing = {c.register.id for c in Counter.search([
                    ('year', '=', year),
                    ('register', 'in', [r.id for r in registers]),
                    ])}
        Counter.create([{'register': r.id, 'year': year}
                for r in registers if r.id not in existing])


class RegisterDocumentType(ModelSQL):
    "Register - Document Type"
    __string__ = "Register - Document Type"
    __name__ = 'vb.document.register-vb.document.type'
    register = fields.Many2One(
        'vb.document.register', "Register", required=True,
        ondelete='CASCADE')
    type = fields.Many2One(
        'vb.document.type', "Type", required=True, ondelete='CASCADE')


class RegisterCounter(ModelSQL, ModelView):
    "Yearly counter of a register"
    __string__ = "Register Counter"
    __name__ = 'vb.document.register.counter'

    register = fields.Many2One(
        'vb.document.register', "Register", required=True,
        ondelete='CASCADE', readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    last_number = fields.Integer("Last Number", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('register')
        t = cls.__table__()
        cls._sql_constraints += [
            ('register_year_uniq', Unique(t, t.register, t.year),
                'vb_document.msg_counter_unique'),
            ]
        cls._order.insert(0, ('year', 'DESC'))

    @classmethod
    def default_last_number(cls):
        return 0

    @classmethod
    def lock(cls, records=None):
        "Lock the counters, waiting for our turn (see locking.py)"
        transaction = Transaction()
        if records is None or backend.name != 'postgresql':
            return super().lock(records)
        created = set(transaction.create_records[cls.__name__])
        lock_rows(cls._table, {int(r) for r in records} - created,
            'vb_document.msg_register_busy')

    @classmethod
    def get(cls, register, year):
        "The counter of register for year, created when missing"
        counters = cls.search([
                ('register', '=', register.id),
                ('year', '=', year),
                ])
        if counters:
            counter, = counters
        else:
            counter, = cls.create([{'register': register.id, 'year': year}])
        return counter

    @classmethod
    def next_number(cls, register, year):
        counter = cls.get(register, year)
        # The first call raises and the dispatcher restarts the whole
        # request with SELECT ... FOR UPDATE NOWAIT on the row, so the
        # snapshot sees the latest committed value.
        cls.lock([counter])
        return counter.take()

    def take(self):
        "Increment the counter, locked by the caller, and return the number"
        transaction = Transaction()
        if not transaction.database.has_returning():
            counter = self.__class__(self.id)  # read after the lock
            number = counter.last_number + 1
            self.__class__.write([counter], {'last_number': number})
            return number
        # One statement, the row being locked by the caller: Tryton's
        # write checks the rules before and after the update and reads
        # the row back, four statements under the register's lock
        table = self.__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.update(
                [table.last_number, table.write_uid, table.write_date],
                [table.last_number + 1, transaction.user, CurrentTimestamp()],
                where=table.id == self.id,
                returning=[table.last_number]))
        number, = cursor.fetchone()
        # What a write does for the records read before: forgotten
        transaction.counter += 1
        for cache in transaction.cache.values():
            if self.__name__ in cache:
                cache[self.__name__].pop(self.id, None)
        return number
