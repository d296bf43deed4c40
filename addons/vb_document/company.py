# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Agencies (cơ quan, đơn vị) are Tryton companies.

Using company.company gives us the tenant of every record rule, the
company switcher, per-company sequences, cron and dates for free; the
agency attributes of Nghị định 30 and QCVN 102 are added here.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import InvalidIdentifier
from .vn import is_valid_identifier

LEVELS = [
    ('central', "Central"),
    ('province', "Province"),
    ('district', "District"),
    ('commune', "Commune"),
    ]
KINDS = [
    ('people_committee', "People's Committee"),
    ('people_council', "People's Council"),
    ('office', "Office"),
    ('department', "Department"),
    ('party', "Party Body"),
    ('mass_org', "Mass Organisation"),
    ('central', "Central Agency"),
    ('other', "Other"),
    ]


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    identifier_code = fields.Char(
        "Identifier Code", size=50, strip=True,
        help="The electronic identifier of the agency (mã định danh, "
        "QCVN 102), e.g. 000.00.05.H99.")
    abbreviation = fields.Char(
        "Abbreviation", size=20, strip=True,
        help="Used in the notation of the documents the agency issues, "
        "e.g. UBND, SNV.")
    level = fields.Selection([(None, "")] + LEVELS, "Level")
    kind = fields.Selection([(None, "")] + KINDS, "Kind")
    parent = fields.Many2One(
        'company.company', "Parent Agency", ondelete='RESTRICT',
        domain=[('id', '!=', Eval('id', -1))])
    children = fields.One2Many('company.company', 'parent', "Sub-agencies")
    external = fields.Boolean(
        "External",
        help="The agency does not use this installation: documents reach "
        "it through electronic exchange or on paper.")
    place = fields.Char(
        "Place Name",
        help="The official name of the place used in the date line of "
        "documents, e.g. Hải Vân.")
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())],
        help="When the agency was dissolved, merged or renamed.")
    successor = fields.Many2One(
        'company.company', "Successor", readonly=True,
        help="The agency that took over the open work.")
    active = fields.Function(
        fields.Boolean("Active"), 'get_active', searcher='search_active')
    units = fields.One2Many('vb.unit', 'company', "Units")
    events = fields.One2Many(
        'vb.agency.event', 'agency', "History", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.identifier_code, Index.Equality())),
                Index(t, (t.parent, Index.Range())),
                })
        cls._order.insert(0, ('identifier_code', 'ASC NULLS LAST'))

    @classmethod
    def default_external(cls):
        return False

    def get_active(self, name):
        today = dt.date.today()
        return ((self.start_date or dt.date.min) <= today
            <= (self.end_date or dt.date.max))

    @classmethod
    def search_active(cls, name, clause):
        today = dt.date.today()
        _, operator, value = clause
        active = ['AND',
            ['OR', ('start_date', '=', None), ('start_date', '<=', today)],
            ['OR', ('end_date', '=', None), ('end_date', '>=', today)]]
        if (operator == '=') == bool(value):
            return active
        return ['NOT', active]

    @classmethod
    def validate_fields(cls, companies, field_names):
        super().validate_fields(companies, field_names)
        if field_names is None or (
                field_names & {'identifier_code', 'external'}):
            cls.check_identifier_code(companies)

    @classmethod
    def check_identifier_code(cls, companies):
        for company in companies:
            code = company.identifier_code
            if not code:
                continue
            # Codes of outside systems are not always conforming (e.g.
            # "vxp.saas.03" on shared axes): be strict only for our own.
            if not company.external and not is_valid_identifier(code):
                raise InvalidIdentifier(gettext(
                        'vb_document.msg_invalid_identifier',
                        code=code, agency=company.rec_name))
            others = cls.search([
                    ('identifier_code', '=', code),
                    ('id', '!=', company.id),
                    ('end_date', '=', None),
                    ], limit=1)
            if others and not company.end_date:
                raise InvalidIdentifier(gettext(
                        'vb_document.msg_identifier_unique',
                        code=code, agency=others[0].rec_name))

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            super().search_rec_name(name, clause),
            ('identifier_code', operator, value),
            ('abbreviation', operator, value),
            ]

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        super().on_modification(mode, companies, field_names=field_names)
        if mode == 'delete' or (field_names and 'timezone' in field_names):
            Date._company_timezone.clear()
        if mode == 'create':
            # System administrators see every agency of the installation
            internal = [c for c in companies if not c.external]
            if internal:
                User.grant_system_admins(internal)


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    unit = fields.Many2One(
        'vb.unit', "Unit", ondelete='SET NULL',
        domain=[('company', '=', Eval('company', -1))])
    position = fields.Many2One(
        'vb.position', "Position", ondelete='SET NULL')

    def get_rec_name(self, name):
        name = super().get_rec_name(name)
        if self.position:
            name = '%s (%s)' % (name, self.position.rec_name)
        return name


def current_agency():
    "Return the id of the agency of the user's context"
    return Transaction().context.get('company')
