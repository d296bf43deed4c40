# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Processing statistics of incoming documents (report 2): by agency, unit
and officer, with the previous period beside, for the agency chosen and
every agency below it (the province from UBND tỉnh): rows agency → units →
officers, the agency's row its subtotal, the total the sum of the agencies.

The figures are SQL aggregates (SUM of CASE grouped by agency, unit and
officer): neither the documents nor the assignments are loaded, and the
number of queries does not grow with the number of agencies. They come from vb_workflow's assignments; without
vb_workflow only the documents received are known (the other columns stay
empty and a note says why).

What is counted, for a period [start, end] (see README, Flows):
- received: incoming documents registered in the period (agency row), or
  "lead" assignments given in the period (unit and officer rows);
- of those, at the end of the period: completed on time / late (done by
  the end, on or before the deadline's day or after it), returned (sent
  back by the end), in progress on time / overdue (still open at the end;
  overdue when the deadline is before the end of the period, or before
  today for a period that is not over). Passed-on assignments (forwarded to
  another officer) count as received only: the officer who got them
  carries on.
"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.functions import Function

from trytond import backend
from trytond.model import Model
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from .common import (
    AgencyTreeReport, PeriodStartMixin, PrintWizardMixin, agency_heading,
    day_bounds, previous_period)
from .render import INT, PERCENT, RATIO, SUM, TEXT, Column, Report, Row
from .render import period_line

TITLE = 'BÁO CÁO THỐNG KÊ TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN'
FIGURES = ['received', 'on_time', 'late', 'open_on_time', 'open_overdue',
    'returned']
NO_WORKFLOW_NOTE = ('Chưa cài phân hệ xử lý văn bản (vb_workflow): chỉ có số '
    'văn bản tiếp nhận; các cột xử lý để trống.')


def statistics_columns():
    return [
        Column('name', 'Cơ quan, đơn vị, cán bộ', TEXT, width=34),
        Column('received', 'Tiếp nhận', INT, total=SUM),
        Column('on_time', 'Đúng hạn', INT, group='Đã hoàn thành',
            total=SUM),
        Column('late', 'Quá hạn', INT, group='Đã hoàn thành', total=SUM),
        Column('open_on_time', 'Trong hạn', INT, group='Đang xử lý',
            total=SUM),
        Column('open_overdue', 'Quá hạn', INT, group='Đang xử lý',
            total=SUM),
        Column('returned', 'Bị trả lại', INT, total=SUM),
        Column('rate', 'Tỷ lệ đúng hạn', PERCENT, total=RATIO,
            ratio=('on_time', 'received')),
        Column('prev_received', 'Tiếp nhận', INT, group='Kỳ trước',
            total=SUM),
        Column('prev_on_time', 'Đúng hạn', INT, group='Kỳ trước',
            total=SUM),
        Column('prev_rate', 'Tỷ lệ đúng hạn', PERCENT, group='Kỳ trước',
            total=RATIO, ratio=('prev_on_time', 'prev_received')),
        ]


class _Substr(Function):
    __slots__ = ()
    _function = 'SUBSTR'


def as_date(column):
    "The date part of a timestamp column, comparable with a date column"
    if backend.name == 'sqlite':
        # Stored as 'YYYY-MM-DD HH:MM:SS': the text compares as a date
        return _Substr(column, 1, 10)
    return Cast(column, 'DATE')


def classify(state, deadline, done_at, done_states, open_states,
        returned_states, end, cutoff):
    """The six SUM(CASE …) aggregates over rows with those columns.

    `end` is the first instant after the period; `cutoff` the day from
    which an open item with an earlier deadline is overdue."""
    done = state.in_(done_states) & (done_at < end)
    late = done & (deadline != Null) & (as_date(done_at) > deadline)
    # A returned document has no completion time: returned whenever
    returned = state.in_(returned_states) & (
        (done_at == Null) | (done_at < end))
    open_ = state.in_([s for s in open_states if s is not None])
    if None in open_states:
        open_ |= (state == Null)
    open_ |= (
        state.in_(done_states + returned_states) & (done_at >= end))
    overdue = open_ & (deadline != Null) & (deadline < cutoff)

    # Typed: PostgreSQL cannot type a bare parameter inside SUM(CASE …)
    one, zero = Cast(Literal(1), 'INTEGER'), Cast(Literal(0), 'INTEGER')

    def count(condition):
        return Sum(Case((condition, one), else_=zero))
    return [count(Literal(True)), count(done & ~late), count(late),
        count(open_ & ~overdue), count(overdue), count(returned)]


class Processing(Model):
    "Processing Figures"
    __string__ = "Processing Figures"
    __name__ = 'vb.reports.processing'

    @classmethod
    def has_workflow(cls):
        return False

    @classmethod
    def _registered(cls, document, agency_ids, start, end):
        "The incoming documents of the agencies registered in the period"
        return (document.company.in_(list(agency_ids))
            & (document.direction == 'incoming')
            & (document.register_number != Null)
            & (document.arrival_date >= start)
            & (document.arrival_date <= end))

    @classmethod
    def agency_figures(cls, agency_ids, start, end):
        """{agency id: {figure: count}} of the incoming documents each
        agency registered in the period (one aggregate grouped by agency);
        only 'received' without vb_workflow. Agencies without documents
        are left out."""
        document = Pool().get('vb.document').__table__()
        if not agency_ids:
            return {}
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(document.company,
                Count(document.id),
                where=cls._registered(document, agency_ids, start, end),
                group_by=[document.company]))
        return {company: {'received': int(received)}
            for company, received in cursor}

    @classmethod
    def detail_figures(cls, agency_ids, start, end):
        """[(agency id, kind 'unit'|'user', id, {figure: count})] of the
        units and officers of the agencies; none without vb_workflow."""
        return []

    @staticmethod
    def cutoff(end):
        today = Pool().get('ir.date').today()
        return min(end, today)


class ProcessingWorkflow(metaclass=PoolMeta):
    "The figures from vb_workflow's assignments and processing states"
    __name__ = 'vb.reports.processing'

    @classmethod
    def has_workflow(cls):
        return True

    @classmethod
    def agency_figures(cls, agency_ids, start, end):
        document = Pool().get('vb.document').__table__()
        if not agency_ids:
            return {}
        _, next_day = day_bounds(start, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(document.company, *classify(
                    document.processing_state, document.deadline,
                    document.completed_at, ['done'],
                    [None, 'submitted', 'assigned', 'processing'],
                    ['returned'], next_day, cls.cutoff(end)),
                where=cls._registered(document, agency_ids, start, end),
                group_by=[document.company]))
        return {company: _figures(figures) for company, *figures in cursor}

    @classmethod
    def detail_figures(cls, agency_ids, start, end):
        Assignment = Pool().get('vb.document.assignment')
        assignment = Assignment.__table__()
        if not agency_ids:
            return []
        first, next_day = day_bounds(start, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*assignment.select(
                assignment.company, assignment.unit, assignment.user,
                *classify(assignment.state, assignment.deadline,
                    assignment.done_at, ['done', 'closed'],
                    ['pending', 'processing'], ['returned'], next_day,
                    cls.cutoff(end)),
                where=assignment.company.in_(list(agency_ids))
                & (assignment.role == 'lead')
                & (assignment.assigned_at >= first)
                & (assignment.assigned_at < next_day),
                group_by=[assignment.company, assignment.unit,
                    assignment.user]))
        result = []
        for company, unit, user, *figures in cursor:
            if unit:
                result.append((company, 'unit', unit, _figures(figures)))
            elif user:
                result.append((company, 'user', user, _figures(figures)))
        return result


def _figures(values):
    return {k: int(v or 0) for k, v in zip(FIGURES, values)}


def _with_previous(current, previous):
    row = dict(current)
    row['prev_received'] = previous.get('received', 0)
    row['prev_on_time'] = previous.get('on_time')
    for key, on_time, received in [
            ('rate', 'on_time', 'received'),
            ('prev_rate', 'prev_on_time', 'prev_received')]:
        if row.get(on_time) is not None and row.get(received):
            row[key] = row[on_time] / row[received]
    return row


def statistics_rows(agencies, start, end):
    """The rows: each agency (level 0, bold: its figures are the agency's
    subtotal), its units (1) and, under each unit, its officers (2), each
    with the previous period. The figures of all the agencies come from
    four aggregates (agencies and details, this period and the previous
    one), whatever their number."""
    pool = Pool()
    Processing = pool.get('vb.reports.processing')
    Unit = pool.get('vb.unit')
    User = pool.get('res.user')
    ids = [a.id for a in agencies]
    before = previous_period(start, end)
    current = Processing.agency_figures(ids, start, end)
    earlier = Processing.agency_figures(ids, *before)
    figures, previous = {}, {}
    for target, details in [
            (figures, Processing.detail_figures(ids, start, end)),
            (previous, Processing.detail_figures(ids, *before))]:
        for agency, kind, id_, values in details:
            target[(agency, kind, id_)] = values
    keys = set(figures) | set(previous)
    units = {u.id: u for u in Unit.browse(
            sorted({i for _, k, i in keys if k == 'unit'}))}
    users = User.browse(sorted({i for _, k, i in keys if k == 'user'}))
    # Officers sit under the unit of their employee
    unit_of = {u.id: u.employee.unit.id if u.employee and u.employee.unit
        else None for u in users}
    extra = {unit_of[u] for u in unit_of if unit_of[u] is not None} - set(
        units)
    units.update((u.id, u) for u in Unit.browse(sorted(extra)))
    users = {u.id: u for u in users}
    empty = dict.fromkeys(FIGURES, 0)
    if not Processing.has_workflow():
        empty = {'received': 0}
    rows = []
    for agency in agencies:
        rows.append(Row(_with_previous(
                    {'name': agency.rec_name,
                        **current.get(agency.id, empty)},
                    earlier.get(agency.id, empty)), bold=True))
        mine = {(k, i) for a, k, i in keys if a == agency.id}
        by_unit = {}
        for user in sorted(i for k, i in mine if k == 'user'):
            by_unit.setdefault(unit_of[user], []).append(users[user])
        shown = {i for k, i in mine if k == 'unit'} | {
            u for u in by_unit if u is not None}
        for unit in sorted((units[u] for u in shown),
                key=lambda u: u.rec_name):
            key = (agency.id, 'unit', unit.id)
            rows.append(Row(_with_previous(
                        {'name': unit.rec_name,
                            **figures.get(key, dict.fromkeys(FIGURES, 0))},
                        previous.get(key, {})), level=1))
            for user in sorted(by_unit.get(unit.id, []),
                    key=lambda u: u.name):
                rows.append(_user_row(agency, user, figures, previous))
        for user in sorted(by_unit.get(None, []), key=lambda u: u.name):
            rows.append(_user_row(agency, user, figures, previous))
    return rows


def _user_row(agency, user, figures, previous):
    key = (agency.id, 'user', user.id)
    return Row(_with_previous(
            {'name': user.rec_name,
                **figures.get(key, dict.fromkeys(FIGURES, 0))},
            previous.get(key, {})), level=2)


class StatisticsStart(PeriodStartMixin):
    "Processing Statistics"
    __string__ = "Processing Statistics"
    __name__ = 'vb.reports.statistics.start'


class PrintStatistics(PrintWizardMixin, Wizard):
    "Processing Statistics"
    __name__ = 'vb.reports.statistics'
    _report = 'vb.reports.statistics'


class StatisticsPDF(AgencyTreeReport):
    """Processing statistics as PDF, of the agency and the agencies below
    it (the province from UBND tỉnh)"""
    __name__ = 'vb.reports.statistics.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        Processing = Pool().get('vb.reports.processing')
        agency, agencies = cls.scope(data)
        start, end = data['start_date'], data['end_date']
        before = previous_period(start, end)
        notes = ['Kỳ trước: ' + period_line(*before).lower() + '.',
            'Tỷ lệ đúng hạn: số hoàn thành đúng hạn trên số tiếp nhận.']
        if len(agencies) > 1:
            notes.append(f'Gồm {agency.rec_name} và {len(agencies) - 1} cơ '
                'quan trực thuộc; dòng của mỗi cơ quan (in đậm) là số liệu '
                'chung của cơ quan, dòng tổng cộng cộng các cơ quan.')
        if not Processing.has_workflow():
            notes.append(NO_WORKFLOW_NOTE)
        return Report(title=TITLE, columns=statistics_columns(),
            rows=statistics_rows(agencies, start, end),
            subtitle=period_line(start, end), count_noun=None,
            orientation='landscape', notes=notes,
            sheet_name='Thống kê xử lý', **agency_heading(agency))


class StatisticsXLSX(StatisticsPDF):
    "Processing statistics as XLSX"
    __name__ = 'vb.reports.statistics.xlsx'
    format = 'xlsx'
