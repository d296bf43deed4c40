# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Units, positions and the reorganisation of agencies"
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields, tree)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import reduce_ids
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .company import current_agency
from .exceptions import ReorganisationError


class Unit(DeactivableMixin, tree(separator=' / '), ModelSQL, ModelView):
    "Unit (phòng, ban) of an agency"
    __string__ = "Unit"
    __name__ = 'vb.unit'

    company = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=False)
    abbreviation = fields.Char(
        "Abbreviation", required=True, size=20, strip=True,
        help="Used in the notation of công văn, e.g. VP in 15/UBND-VP.")
    parent = fields.Many2One(
        'vb.unit', "Parent Unit", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    children = fields.One2Many('vb.unit', 'parent', "Sub-units")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.company, Index.Equality())))
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def get_rec_name(cls, units, name):
        # The path of names as tree() gives it, read level by level in
        # one query each instead of loading every unit and its parents:
        # lists show the units of many rows
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        known = {}
        missing = {u.id for u in units}
        while missing:
            cursor.execute(*table.select(table.id, table.name, table.parent,
                    where=reduce_ids(table.id, sorted(missing))))
            rows = cursor.fetchall()
            known.update((i, (n, p)) for i, n, p in rows)
            missing = {p for _, _, p in rows if p and p not in known}

        def path(unit_id, seen=()):
            name, parent = known[unit_id]
            if parent and parent not in seen:
                return path(parent, seen + (unit_id,)) + ' / ' + name
            return name
        return {u.id: path(u.id) for u in units}


class Position(DeactivableMixin, ModelSQL, ModelView):
    "Position (chức vụ)"
    __string__ = "Position"
    __name__ = 'vb.position'

    name = fields.Char("Name", required=True)
    leader = fields.Boolean(
        "Leader", help="Holders lead an agency or a unit.")
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('sequence', 'ASC NULLS LAST'))


class AgencyEvent(ModelSQL, ModelView):
    "Reorganisation event of an agency"
    __string__ = "Agency Reorganisation Event"
    __name__ = 'vb.agency.event'

    agency = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='CASCADE',
        readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    kind = fields.Selection([
            ('merge', "Merged into"),
            ('rename', "Renamed"),
            ('move', "Moved"),
            ], "Kind", required=True, readonly=True)
    old_name = fields.Char("Former Name", readonly=True)
    old_parent = fields.Many2One(
        'company.company', "Former Parent", readonly=True)
    successor = fields.Many2One(
        'company.company', "Successor", readonly=True)
    moved_documents = fields.Integer("Moved Documents", readonly=True)
    note = fields.Text("Note", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('agency')
        cls._order.insert(0, ('date', 'DESC'))


class ReorganiseStart(ModelView):
    "Reorganise Agencies"
    __string__ = "Reorganise Agencies"
    __name__ = 'vb.agency.reorganise.start'

    kind = fields.Selection([
            ('merge', "Merge into another agency"),
            ('rename', "Rename"),
            ('move', "Move under another parent"),
            ], "Kind", required=True)
    agencies = fields.Many2Many(
        'company.company', None, None, "Agencies", required=True,
        domain=[('external', '=', False)])
    successor = fields.Many2One(
        'company.company', "Successor",
        domain=[('external', '=', False), ('id', 'not in', Eval('agencies'))],
        states={
            'invisible': Eval('kind') != 'merge',
            'required': Eval('kind') == 'merge',
            })
    new_name = fields.Char(
        "New Name", states={
            'invisible': Eval('kind') != 'rename',
            'required': Eval('kind') == 'rename',
            })
    new_parent = fields.Many2One(
        'company.company', "New Parent",
        states={
            'invisible': Eval('kind') != 'move',
            'required': Eval('kind') == 'move',
            })
    date = fields.Date("Effective Date", required=True)
    note = fields.Text("Note")

    @classmethod
    def default_kind(cls):
        return 'merge'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class Reorganise(Wizard):
    """Merge, rename or move agencies.

    Past documents keep the agency and the names they were issued with;
    open work moves to the successor, whose staff gain access to it.
    """
    __name__ = 'vb.agency.reorganise'
    start = StateView('vb.agency.reorganise.start',
        'vb_document.agency_reorganise_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Apply", 'apply', 'tryton-ok', default=True),
            ])
    apply = StateTransition()

    def transition_apply(self):
        pool = Pool()
        Company = pool.get('company.company')
        Event = pool.get('vb.agency.event')
        Party = pool.get('party.party')
        start = self.start
        agencies = list(start.agencies)
        events = []
        if start.kind == 'rename':
            if len(agencies) != 1:
                raise ReorganisationError(gettext(
                        'vb_document.msg_reorganise_rename_one'))
            agency, = agencies
            events.append({'agency': agency.id, 'kind': 'rename',
                    'old_name': agency.party.name})
            Party.write([agency.party], {'name': start.new_name})
        elif start.kind == 'move':
            for agency in agencies:
                if start.new_parent == agency:
                    raise ReorganisationError(gettext(
                            'vb_document.msg_reorganise_parent_self'))
                events.append({'agency': agency.id, 'kind': 'move',
                        'old_parent': (
                            agency.parent.id if agency.parent else None),
                        'old_name': agency.party.name})
            Company.write(agencies, {'parent': start.new_parent.id})
        else:
            successor = start.successor
            for agency in agencies:
                moved = self.move_open_work(agency, successor)
                events.append({'agency': agency.id, 'kind': 'merge',
                        'successor': successor.id,
                        'old_name': agency.party.name,
                        'moved_documents': moved})
            Company.write(agencies, {
                    'end_date': start.date,
                    'successor': successor.id,
                    })
        for values in events:
            values.update(date=start.date, note=start.note)
        Event.create(events)
        return 'end'

    @classmethod
    def move_open_work(cls, agency, successor):
        "Move open documents and staff of agency to successor"
        pool = Pool()
        Document = pool.get('vb.document')
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        documents = Document.search([
                ('company', '=', agency.id),
                Document._open_domain(),
                ])
        Document.transfer(documents, successor)
        users = User.search([('companies', 'in', [agency.id])])
        current = [u for u in users if u.company == agency]
        if users:
            User.write(users, {'companies': [('add', [successor.id])]})
        employees = Employee.search([('company', '=', agency.id)])
        if employees:
            Employee.write(employees, {'company': successor.id, 'unit': None})
        if current:
            User.write(current, {'company': successor.id})
        return len(documents)
