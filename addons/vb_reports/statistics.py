# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Processing statistics of incoming documents (report 2): by agency, unit
and officer, with the previous period beside.

The figures are SQL aggregates (SUM of CASE per group): the assignments
are never loaded. They come from vb_workflow's assignments; without
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
from trytond.wizard import Button, StateReport, StateView, Wizard

from .common import (
    PeriodStartMixin, RenderedReport, agency_heading, day_bounds,
    previous_period)
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
    def agency_figures(cls, agency, start, end):
        """{figure: count} of the agency's incoming documents registered in
        the period; only 'received' without vb_workflow."""
        Document = Pool().get('vb.document')
        document = Document.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(Count(document.id),
                where=(document.company == agency.id)
                & (document.direction == 'incoming')
                & (document.register_number != Null)
                & (document.arrival_date >= start)
                & (document.arrival_date <= end)))
        received, = cursor.fetchone()
        return {'received': received}

    @classmethod
    def detail_figures(cls, agency, start, end):
        """[(kind 'unit'|'user', id, {figure: count})] of the units and
        officers of the agency; none without vb_workflow."""
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
    def agency_figures(cls, agency, start, end):
        Document = Pool().get('vb.document')
        document = Document.__table__()
        _, next_day = day_bounds(start, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(*classify(
                    document.processing_state, document.deadline,
                    document.completed_at, ['done'],
                    [None, 'submitted', 'assigned', 'processing'],
                    ['returned'], next_day, cls.cutoff(end)),
                where=(document.company == agency.id)
                & (document.direction == 'incoming')
                & (document.register_number != Null)
                & (document.arrival_date >= start)
                & (document.arrival_date <= end)))
        return _figures(cursor.fetchone())

    @classmethod
    def detail_figures(cls, agency, start, end):
        Assignment = Pool().get('vb.document.assignment')
        assignment = Assignment.__table__()
        first, next_day = day_bounds(start, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*assignment.select(
                assignment.unit, assignment.user,
                *classify(assignment.state, assignment.deadline,
                    assignment.done_at, ['done', 'closed'],
                    ['pending', 'processing'], ['returned'], next_day,
                    cls.cutoff(end)),
                where=(assignment.company == agency.id)
                & (assignment.role == 'lead')
                & (assignment.assigned_at >= first)
                & (assignment.assigned_at < next_day),
                group_by=[assignment.unit, assignment.user]))
        result = []
        for unit, user, *figures in cursor:
            if unit:
                result.append(('unit', unit, _figures(figures)))
            elif user:
                result.append(('user', user, _figures(figures)))
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


def statistics_rows(agency, start, end):
    """The rows: the agency (level 0), its units (1) and, under each unit,
    its officers (2), each with the previous period"""
    pool = Pool()
    Processing = pool.get('vb.reports.processing')
    Unit = pool.get('vb.unit')
    User = pool.get('res.user')
    before = previous_period(start, end)
    rows = [Row(_with_previous(
                {'name': agency.rec_name,
                    **Processing.agency_figures(agency, start, end)},
                Processing.agency_figures(agency, *before)), bold=True)]
    current = Processing.detail_figures(agency, start, end)
    previous = {(k, i): f
        for k, i, f in Processing.detail_figures(agency, *before)}
    keys = {(k, i) for k, i, _ in current} | set(previous)
    figures = {(k, i): f for k, i, f in current}
    units = Unit.browse(sorted(i for k, i in keys if k == 'unit'))
    users = User.browse(sorted(i for k, i in keys if k == 'user'))
    by_unit = {}
    for user in users:
        unit = user.employee.unit if user.employee else None
        by_unit.setdefault(unit.id if unit else None, []).append(user)
    unit_ids = [u.id for u in units]
    extra_units = Unit.browse(sorted(
            u for u in by_unit if u is not None and u not in unit_ids))
    for unit in sorted(list(units) + list(extra_units),
            key=lambda u: u.rec_name):
        rows.append(Row(_with_previous(
                    {'name': unit.rec_name, **figures.get(('unit', unit.id),
                            dict.fromkeys(FIGURES, 0))},
                    previous.get(('unit', unit.id), {})), level=1))
        for user in sorted(by_unit.get(unit.id, []), key=lambda u: u.name):
            rows.append(_user_row(user, figures, previous))
    for user in sorted(by_unit.get(None, []), key=lambda u: u.name):
        rows.append(_user_row(user, figures, previous))
    return rows


def _user_row(user, figures, previous):
    return Row(_with_previous(
            {'name': user.rec_name, **figures.get(('user', user.id),
                    dict.fromkeys(FIGURES, 0))},
            previous.get(('user', user.id), {})), level=2)


class StatisticsStart(PeriodStartMixin):
    "Processing Statistics"
    __string__ = "Processing Statistics"
    __name__ = 'vb.reports.statistics.start'


class PrintStatistics(Wizard):
    "Processing Statistics"
    __name__ = 'vb.reports.statistics'
    start = StateView('vb.reports.statistics.start',
        'vb_reports.statistics_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Excel", 'xlsx_', 'tryton-save'),
            Button("PDF", 'pdf_', 'tryton-print', default=True),
            ])
    pdf_ = StateReport('vb.reports.statistics.pdf')
    xlsx_ = StateReport('vb.reports.statistics.xlsx')

    def _data(self):
        self.start.check()
        return self.start.period_data()

    def do_pdf_(self, action):
        return action, self._data()

    def do_xlsx_(self, action):
        return action, self._data()


class StatisticsPDF(RenderedReport):
    "Processing statistics as PDF"
    __name__ = 'vb.reports.statistics.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        Processing = Pool().get('vb.reports.processing')
        agency = cls.agency(data)
        start, end = data['start_date'], data['end_date']
        before = previous_period(start, end)
        notes = ['Kỳ trước: ' + period_line(*before).lower() + '.',
            'Tỷ lệ đúng hạn: số hoàn thành đúng hạn trên số tiếp nhận.']
        if not Processing.has_workflow():
            notes.append(NO_WORKFLOW_NOTE)
        return Report(title=TITLE, columns=statistics_columns(),
            rows=statistics_rows(agency, start, end),
            subtitle=period_line(start, end), count_noun=None,
            orientation='landscape', notes=notes,
            sheet_name='Thống kê xử lý', **agency_heading(agency))


class StatisticsXLSX(StatisticsPDF):
    "Processing statistics as XLSX"
    __name__ = 'vb.reports.statistics.xlsx'
    format = 'xlsx'
