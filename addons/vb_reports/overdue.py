# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Overdue list (report 3, first part): the incoming documents and their
assignments past their deadline, by unit and officer, with the days
overdue. Registered only with vb_workflow (tryton.cfg
``[register vb_workflow]``), which records the assignments.

For a period [start, end], as of today: an item is listed when its
deadline falls in the period and is before today, and it is still open:

- "lead" assignments of the agency (vb.document.assignment) still to do or
  in progress; an assignment to a unit is listed under the unit, one to a
  person under the person's unit (their employee's);
- registered incoming documents whose processing is not completed and
  that have no open lead assignment (waiting for the leader, or whose
  handlers finished but the document was not completed): under
  "Chưa giao xử lý hoặc chờ hoàn thành".

Days overdue = today − deadline (calendar days). The rows are read with one
SQL query (columns only, no records loaded); the counts of each unit and
officer are distinct documents.
"""
from sql import Literal, Null
from sql.conditionals import Coalesce

from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from .common import (
    PeriodStartMixin, PrintWizardMixin, RenderedReport, agency_heading)
from .render import DATE, INT, SUM, TEXT, Column, Report, Row
from .render import period_line

TITLE = 'DANH SÁCH VĂN BẢN QUÁ HẠN XỬ LÝ'
UNASSIGNED = 'Chưa giao xử lý hoặc chờ hoàn thành'
NO_OFFICER = 'Giao cho đơn vị (chưa giao cán bộ)'
NO_UNIT = 'Cán bộ chưa thuộc đơn vị nào'
OPEN = ['pending', 'processing']
OPEN_DOCUMENT = [None, 'submitted', 'assigned', 'processing']


class Overdue(Model):
    "Overdue Items"
    __string__ = "Overdue Items"
    __name__ = 'vb.reports.overdue'

    @classmethod
    def cutoff(cls, end):
        "The day the list is drawn up: today (the items open now)"
        return Pool().get('ir.date').today()

    @classmethod
    def items(cls, agency, start, end):
        """[(unit id, user id, document id, arrival number, notation,
        subject, deadline)] of the overdue items; unit and user None for
        the documents without an open lead assignment."""
        pool = Pool()
        assignment = pool.get('vb.document.assignment').__table__()
        document = pool.get('vb.document').__table__()
        user = pool.get('res.user').__table__()
        employee = pool.get('company.employee').__table__()
        cutoff = cls.cutoff(end)
        cursor = Transaction().connection.cursor()

        still_open = assignment.state.in_(OPEN)
        lead = ((assignment.company == agency.id)
            & (assignment.role == 'lead') & still_open
            & (assignment.deadline != Null)
            & (assignment.deadline >= start)
            & (assignment.deadline <= end)
            & (assignment.deadline < cutoff))
        query = assignment.join(document,
            condition=assignment.document == document.id
            ).join(user, 'LEFT', condition=assignment.user == user.id
            ).join(employee, 'LEFT', condition=user.employee == employee.id
            ).select(
                Coalesce(assignment.unit, employee.unit), assignment.user,
                document.id, document.register_number,
                document.number_notation, document.subject,
                assignment.deadline,
                where=lead & (document.state != 'cancelled'))
        cursor.execute(*query)
        rows = list(cursor)

        open_lead = assignment.select(assignment.document,
            where=(assignment.company == agency.id)
            & (assignment.role == 'lead') & still_open)
        not_done = document.processing_state.in_(
            [s for s in OPEN_DOCUMENT if s]) | (
            document.processing_state == Null)
        cursor.execute(*document.select(
                Literal(None), Literal(None), document.id,
                document.register_number, document.number_notation,
                document.subject, document.deadline,
                where=(document.company == agency.id)
                & (document.direction == 'incoming')
                & (document.register_number != Null)
                & (document.state == 'registered')
                & (document.deadline != Null)
                & (document.deadline >= start)
                & (document.deadline <= end)
                & (document.deadline < cutoff)
                & not_done & ~document.id.in_(open_lead)))
        rows.extend(cursor)
        return rows


def overdue_columns():
    return [
        Column('name', 'Đơn vị, cán bộ xử lý / Trích yếu văn bản', TEXT,
            width=48),
        Column('arrival', 'Số đến', INT, grouping=False, width=8),
        Column('notation', 'Số, ký hiệu', TEXT, width=16),
        Column('deadline', 'Hạn xử lý', DATE),
        Column('days', 'Số ngày quá hạn', INT, width=10),
        Column('count', 'Số văn bản quá hạn', INT, total=SUM, width=11),
        ]


def overdue_rows(agency, start, end):
    """(rows, number of distinct overdue documents): units (level 0), their
    officers (1) and the documents (2), the longest overdue first"""
    pool = Pool()
    Overdue = pool.get('vb.reports.overdue')
    Unit = pool.get('vb.unit')
    User = pool.get('res.user')
    cutoff = Overdue.cutoff(end)
    items = Overdue.items(agency, start, end)
    units = {u.id: u.rec_name for u in Unit.browse(
            sorted({i[0] for i in items if i[0]}))}
    users = {u.id: u.rec_name for u in User.browse(
            sorted({i[1] for i in items if i[1]}))}
    groups = {}
    for unit, user, *line in items:
        if unit is None and user is None:
            unit_name, officer = UNASSIGNED, None
        else:
            unit_name = units.get(unit, NO_UNIT)
            officer = users[user] if user else NO_OFFICER
        groups.setdefault(unit_name, {}).setdefault(officer, []).append(line)

    def days(line):
        return (cutoff - line[-1]).days

    def order(name):
        return (name == UNASSIGNED, name)
    rows = []
    for unit_name in sorted(groups, key=order):
        officers = groups[unit_name]
        lines = [line for group in officers.values() for line in group]
        rows.append(Row({'name': unit_name,
                    'count': len({line[0] for line in lines}),
                    'days': max(days(line) for line in lines)}, bold=True))
        for officer in sorted(officers, key=lambda o: (o is not None, o)):
            group = officers[officer]
            if officer is not None:
                rows.append(Row({'name': officer,
                            'count': len({line[0] for line in group}),
                            'days': max(days(line) for line in group)},
                        level=1))
            for document, number, notation, subject, deadline in sorted(
                    group, key=lambda line: (-days(line), line[1] or 0)):
                rows.append(Row({
                            'name': (subject or '').splitlines()[0]
                            if subject else '',
                            'arrival': number, 'notation': notation,
                            'deadline': deadline,
                            'days': (cutoff - deadline).days},
                        level=2))
    return rows, len({i[2] for i in items})


class OverdueStart(PeriodStartMixin):
    "Overdue Documents"
    __string__ = "Overdue Documents"
    __name__ = 'vb.reports.overdue.start'

    @classmethod
    def default_start_date(cls):
        "The deadlines of the year so far"
        return Pool().get('ir.date').today().replace(month=1, day=1)


class PrintOverdue(PrintWizardMixin, Wizard):
    "Overdue Documents"
    __name__ = 'vb.reports.overdue.print'
    _report = 'vb.reports.overdue'


class OverduePDF(RenderedReport):
    "Overdue documents as PDF"
    __name__ = 'vb.reports.overdue.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        Overdue = Pool().get('vb.reports.overdue')
        agency = cls.agency(data)
        start, end = data['start_date'], data['end_date']
        rows, count = overdue_rows(agency, start, end)
        cutoff = Overdue.cutoff(end)
        notes = [
            f'Tính đến hết ngày {cutoff:%d/%m/%Y}: văn bản, phân công có '
            'hạn xử lý trong kỳ, đã quá hạn mà chưa xử lý xong.',
            'Số ngày quá hạn: số ngày từ hạn xử lý đến ngày tính.',
            f'Tổng số văn bản quá hạn: {count} (mỗi văn bản tính một lần, '
            'dù giao cho nhiều đơn vị).']
        return Report(title=TITLE, columns=overdue_columns(), rows=rows,
            subtitle='Hạn xử lý ' + period_line(start, end).lower(),
            count_noun=None, orientation='landscape', notes=notes,
            totals={'count': count},
            empty_text='Không có văn bản quá hạn trong kỳ báo cáo.',
            sheet_name='Văn bản quá hạn', **agency_heading(agency))


class OverdueXLSX(OverduePDF):
    "Overdue documents as XLSX"
    __name__ = 'vb.reports.overdue.xlsx'
    format = 'xlsx'
