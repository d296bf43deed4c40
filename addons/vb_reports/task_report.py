# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Task tracking report (report 3, second part): the tasks (vb.task of
vb_workflow) an agency assigned, by assignee, with their status and the
history of their deadline, extensions included. Registered only with
vb_workflow (tryton.cfg ``[register vb_workflow]``).

The tasks of a period [start, end] are those of the agency (the assigning
one) not cancelled, created by the end of the period and still open at its
start (not done, or completed on or after the start). At the cut-off day
C = min(end, today), with the task's current deadline (an extension granted
after the period counts):

- done on time / late: completed by the end, on or before the deadline /
  after it;
- otherwise in progress: overdue when the deadline is before C.

The counts per assignee are one SQL aggregate (SUM of CASE); the task
lines and their deadline history two SQL queries (columns only).
"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from .common import (
    PeriodStartMixin, PrintWizardMixin, RenderedReport, agency_heading,
    local_bounds)
from .render import DATE, INT, SUM, TEXT, Column, Report, Row
from .render import period_line

TITLE = 'BÁO CÁO THEO DÕI NHIỆM VỤ ĐƯỢC GIAO'
COUNTS = ['total', 'on_time', 'late', 'open', 'overdue', 'extensions']
STATUS_TEXT = {
    'on_time': 'Hoàn thành đúng hạn',
    'late': 'Hoàn thành quá hạn',
    'open': 'Đang thực hiện, trong hạn',
    'overdue': 'Quá hạn, chưa hoàn thành',
    }
ASSIGNEE_KIND = {'agency': 'Cơ quan', 'unit': 'Đơn vị', 'user': 'Cá nhân'}


def _fmt(date):
    return date.strftime('%d/%m/%Y') if date else ''


class TaskFigures(Model):
    "Task Figures"
    __string__ = "Task Figures"
    __name__ = 'vb.reports.task'

    @classmethod
    def cutoff(cls, end):
        return min(end, Pool().get('ir.date').today())

    @classmethod
    def _where(cls, task, agency, start, end):
        _, after = local_bounds(agency, end, end)
        return ((task.company == agency.id) & (task.state != 'cancelled')
            & (task.create_date < after)
            & ((task.state != 'done') | (task.completion_date == Null)
                | (task.completion_date >= start)))

    @classmethod
    def _status(cls, task, end):
        "The SQL conditions (on_time, late, open, overdue)"
        cutoff = cls.cutoff(end)
        done = (task.state == 'done') & (task.completion_date != Null) & (
            task.completion_date <= end)
        late = done & (task.completion_date > task.deadline)
        open_ = ~done
        overdue = open_ & (task.deadline < cutoff)
        return done & ~late, late, open_ & ~overdue, overdue

    @classmethod
    def counts(cls, agency, start, end):
        """{(assignee type, id): {count: value}}: total, on_time, late,
        open, overdue and extensions (approved deadline changes by the end
        of the period)"""
        pool = Pool()
        task = pool.get('vb.task').__table__()
        deadline = pool.get('vb.task.deadline').__table__()
        _, after = local_bounds(agency, end, end)
        one, zero = Cast(Literal(1), 'INTEGER'), Cast(Literal(0), 'INTEGER')
        extensions = deadline.select(deadline.task.as_('task'),
            Count(deadline.id).as_('count'),
            where=(deadline.extension != Null) & (deadline.date < after),
            group_by=[deadline.task])
        on_time, late, open_, overdue = cls._status(task, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*task.join(extensions, 'LEFT',
                condition=extensions.task == task.id).select(
                task.assignee_type, task.assignee_agency, task.assignee_unit,
                task.assignee_user, Count(task.id),
                *[Sum(Case((c, one), else_=zero))
                    for c in (on_time, late, open_, overdue)],
                Sum(Case((extensions.count != Null, extensions.count),
                        else_=zero)),
                where=cls._where(task, agency, start, end),
                group_by=[task.assignee_type, task.assignee_agency,
                    task.assignee_unit, task.assignee_user]))
        result = {}
        for kind, agency_id, unit, user, *values in cursor:
            key = (kind, {'agency': agency_id, 'unit': unit,
                    'user': user}[kind])
            result[key] = {k: int(v or 0) for k, v in zip(COUNTS, values)}
        return result

    @classmethod
    def lines(cls, agency, start, end):
        """[(task id, assignee type, assignee id, name, deadline, state,
        completion date, progress, status)] and {task id: [(date, old
        deadline, new deadline, extension id)]} by change date"""
        pool = Pool()
        task = pool.get('vb.task').__table__()
        deadline = pool.get('vb.task.deadline').__table__()
        _, after = local_bounds(agency, end, end)
        on_time, late, open_, overdue = cls._status(task, end)
        def text(value):
            return Cast(Literal(value), 'VARCHAR')
        status = Case((on_time, text('on_time')), (late, text('late')),
            (overdue, text('overdue')), else_=text('open'))
        where = cls._where(task, agency, start, end)
        cursor = Transaction().connection.cursor()
        cursor.execute(*task.select(task.id, task.assignee_type,
                task.assignee_agency, task.assignee_unit, task.assignee_user,
                task.name, task.deadline, task.completion_date,
                task.progress, status, where=where,
                order_by=[task.deadline, task.id]))
        lines = []
        for (id_, kind, agency_id, unit, user, name, deadline_, completion,
                progress, status_) in cursor:
            lines.append((id_, kind, {'agency': agency_id, 'unit': unit,
                        'user': user}[kind], name, deadline_, completion,
                    progress, status_))
        cursor.execute(*deadline.select(deadline.task, deadline.date,
                deadline.old_deadline, deadline.new_deadline,
                deadline.extension,
                where=deadline.task.in_(task.select(task.id, where=where))
                & (deadline.date < after),
                order_by=[deadline.task, deadline.date, deadline.id]))
        history = {}
        for task_id, date, old, new, extension in cursor:
            history.setdefault(task_id, []).append((date, old, new, extension))
        return lines, history


def history_text(changes, current):
    """'15/03/2026 → 30/03/2026 (gia hạn ngày 10/03/2026)'"""
    if not changes:
        return _fmt(current)
    parts = [_fmt(changes[0][2])]
    for date, old, new, extension in changes[1:]:
        what = 'gia hạn' if extension else 'đổi hạn'
        parts.append(f'→ {_fmt(new)} ({what} ngày {_fmt(date)})')
    return ' '.join(parts)


def task_columns():
    return [
        Column('name', 'Đơn vị, cá nhân được giao / Nhiệm vụ', TEXT,
            width=40),
        Column('first_deadline', 'Hạn giao ban đầu', DATE),
        Column('deadline', 'Hạn hiện tại', DATE),
        Column('history', 'Lịch sử hạn, gia hạn', TEXT, width=30),
        Column('status', 'Tình trạng', TEXT, width=18),
        Column('completion', 'Ngày hoàn thành', DATE),
        Column('total', 'Tổng số', INT, group='Số nhiệm vụ', total=SUM),
        Column('on_time', 'Hoàn thành đúng hạn', INT, group='Số nhiệm vụ',
            total=SUM),
        Column('late', 'Hoàn thành quá hạn', INT, group='Số nhiệm vụ',
            total=SUM),
        Column('open', 'Đang thực hiện trong hạn', INT,
            group='Số nhiệm vụ', total=SUM),
        Column('overdue', 'Quá hạn', INT, group='Số nhiệm vụ', total=SUM),
        Column('extensions', 'Số lần gia hạn', INT, total=SUM),
        ]


def task_rows(agency, start, end):
    "Assignees (level 0) with their counts, their tasks (level 1) below"
    pool = Pool()
    Figures = pool.get('vb.reports.task')
    models = {'agency': pool.get('company.company'),
        'unit': pool.get('vb.unit'), 'user': pool.get('res.user')}
    counts = Figures.counts(agency, start, end)
    lines, history = Figures.lines(agency, start, end)
    names = {}
    for kind, Model_ in models.items():
        ids = sorted({i for k, i in counts if k == kind and i})
        names.update({(kind, r.id): r.rec_name for r in Model_.browse(ids)})
    by_assignee = {}
    for line in lines:
        by_assignee.setdefault((line[1], line[2]), []).append(line)
    rows = []
    for key in sorted(counts, key=lambda k: (
                list(ASSIGNEE_KIND).index(k[0]), names.get(k, ''))):
        rows.append(Row({
                    'name': f'{ASSIGNEE_KIND[key[0]]}: {names.get(key, "")}',
                    **counts[key]}, bold=True))
        for (id_, _, _, name, deadline, completion, progress,
                status) in by_assignee.get(key, []):
            changes = history.get(id_, [])
            extensions = sum(1 for c in changes if c[3])
            rows.append(Row({
                        'name': name,
                        'first_deadline': (changes[0][2] if changes
                            else deadline),
                        'deadline': deadline,
                        'history': history_text(changes, deadline),
                        'status': STATUS_TEXT[status],
                        'completion': completion if status in {
                            'on_time', 'late'} else None,
                        'extensions': extensions,
                        }, level=1))
    return rows


class TaskStart(PeriodStartMixin):
    "Task Tracking"
    __string__ = "Task Tracking"
    __name__ = 'vb.reports.task.start'


class PrintTask(PrintWizardMixin, Wizard):
    "Task Tracking"
    __name__ = 'vb.reports.task.print'
    _report = 'vb.reports.task'


class TaskPDF(RenderedReport):
    "Task tracking as PDF"
    __name__ = 'vb.reports.task.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        Figures = Pool().get('vb.reports.task')
        agency = cls.agency(data)
        start, end = data['start_date'], data['end_date']
        cutoff = Figures.cutoff(end)
        notes = [
            'Nhiệm vụ do cơ quan giao, chưa hủy, giao đến hết kỳ và chưa '
            'hoàn thành trước kỳ.',
            f'Tình trạng tính đến hết ngày {cutoff:%d/%m/%Y}, theo hạn hiện '
            'tại (kể cả gia hạn được chấp thuận).']
        return Report(title=TITLE, columns=task_columns(),
            rows=task_rows(agency, start, end),
            subtitle=period_line(start, end), count_noun=None,
            orientation='landscape', notes=notes,
            empty_text='Không có nhiệm vụ trong kỳ báo cáo.',
            sheet_name='Theo dõi nhiệm vụ', **agency_heading(agency))


class TaskXLSX(TaskPDF):
    "Task tracking as XLSX"
    __name__ = 'vb.reports.task.xlsx'
    format = 'xlsx'
