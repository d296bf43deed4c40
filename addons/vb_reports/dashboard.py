# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The leader's dashboard (report 7): read-only SQL views (table_query)
shown as graphs in the web client, each an aggregate over the documents:

- vb.reports.dashboard.state: documents by direction and state;
- vb.reports.dashboard.week: incoming registered and outgoing issued per
  week (Monday of the week of the arrival / document date);
- vb.reports.dashboard.overdue (with vb_workflow): open "lead"
  assignments past their deadline (before today, UTC) by unit (the
  assignment's, else the officer's), cancelled documents left out.

Each row carries its agency: the global rule of the agencies
(``company in companies``) restricts them like the documents, and the
actions show the agency of the user's context.
"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import CurrentDate, CurrentTimestamp, DateTrunc, Function

from trytond import backend
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.vb_document.document import DIRECTIONS, STATES
from trytond.pool import Pool


class _Date(Function):
    __slots__ = ()
    _function = 'DATE'


def _audit():
    "The columns every ModelSQL reads besides its fields"
    return [Cast(Literal(0), 'INTEGER').as_('create_uid'),
        CurrentTimestamp().as_('create_date'),
        Cast(Literal(None), 'INTEGER').as_('write_uid'),
        Cast(Literal(None), 'TIMESTAMP').as_('write_date')]


def week_start(date):
    "The SQL Monday of the week of date"
    if backend.name == 'sqlite':
        return _Date(date, 'weekday 0', '-6 days')
    return Cast(DateTrunc('week', date), 'DATE')


class DocumentState(ModelSQL, ModelView):
    "Documents by State"
    __string__ = "Documents by State"
    __name__ = 'vb.reports.dashboard.state'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    direction = fields.Selection(DIRECTIONS, "Direction", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True)
    count = fields.Integer("Documents", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('direction', 'ASC'), ('state', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        document = Pool().get('vb.document').__table__()
        return document.select(
            Min(document.id).as_('id'), *_audit(),
            document.company.as_('company'),
            document.direction.as_('direction'),
            document.state.as_('state'),
            Count(document.id).as_('count'),
            group_by=[document.company, document.direction, document.state])


class DocumentWeek(ModelSQL, ModelView):
    "Documents per Week"
    __string__ = "Documents per Week"
    __name__ = 'vb.reports.dashboard.week'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    week = fields.Date("Week", readonly=True)
    incoming = fields.Integer("Incoming Registered", readonly=True)
    outgoing = fields.Integer("Outgoing Issued", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('week', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        document = Pool().get('vb.document').__table__()
        incoming = document.direction == 'incoming'
        date = Case((incoming, document.arrival_date),
            else_=document.issued_date)
        one, zero = Cast(Literal(1), 'INTEGER'), Cast(Literal(0), 'INTEGER')
        # The week in a sub-query: PostgreSQL does not recognise the same
        # expression with its parameters in GROUP BY
        dated = document.select(document.id.as_('id'),
            document.company.as_('company'),
            week_start(date).as_('week'),
            Case((incoming, one), else_=zero).as_('incoming'),
            where=(document.register_number != Null)
            & (document.state != 'cancelled') & (date != Null))
        return dated.select(
            Min(dated.id).as_('id'), *_audit(),
            dated.company.as_('company'),
            dated.week.as_('week'),
            Sum(dated.incoming).as_('incoming'),
            Sum(one - dated.incoming).as_('outgoing'),
            group_by=[dated.company, dated.week])


class OverdueUnit(ModelSQL, ModelView):
    "Overdue by Unit"
    __string__ = "Overdue by Unit"
    __name__ = 'vb.reports.dashboard.overdue'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    unit = fields.Many2One('vb.unit', "Unit", readonly=True)
    count = fields.Integer("Overdue Assignments", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('count', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        assignment = pool.get('vb.document.assignment').__table__()
        document = pool.get('vb.document').__table__()
        user = pool.get('res.user').__table__()
        employee = pool.get('company.employee').__table__()
        unit = Coalesce(assignment.unit, employee.unit)
        return assignment.join(document,
            condition=assignment.document == document.id
            ).join(user, 'LEFT', condition=assignment.user == user.id
            ).join(employee, 'LEFT', condition=user.employee == employee.id
            ).select(
                Min(assignment.id).as_('id'), *_audit(),
                assignment.company.as_('company'),
                unit.as_('unit'),
                Count(assignment.id).as_('count'),
                where=(assignment.role == 'lead')
                & (document.state != 'cancelled')
                & assignment.state.in_(['pending', 'processing'])
                & (assignment.deadline != Null)
                & (assignment.deadline < CurrentDate()),
                group_by=[assignment.company, unit])
