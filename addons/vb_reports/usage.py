# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Weekly usage (report 5): per agency and the agencies below it, ranked,
with the change against the previous period of the same length; sent by
e-mail every Monday (ir.cron → vb.reports.usage|send_weekly) for the week
before to the addresses of vb.reports.configuration.

Figures, each an SQL aggregate grouped by agency, over [start, end]:

- logins: the rows of vb.reports.login (login.py: every session trytond
  opened, i.e. every successful login, with the user's agency then);
- active users: the distinct users who logged in, or numbered a document
  (registered or issued it), in the period;
- registered: incoming documents numbered with an arrival date in the
  period; issued: outgoing documents numbered with a document date in the
  period (not cancelled);
- with vb_workflow: processed, the incoming documents whose processing
  was completed in the period, and their average processing time in days
  from their registration (``numbered_at``) to completion
  (``completed_at``); without it both are unknown (empty).

The times (logins, numbering, completion: naive UTC in the database) are
compared with the days of the time zone of the report's agency.

Ranking: by the documents handled (registered + issued + processed), then
the active users; agencies with none are listed last, unranked.
"""
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage

from sql import Cast, Literal, Null, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.functions import Extract, Function

from trytond import backend, sendmail
from trytond.config import config
from trytond.i18n import gettext
from trytond.model import Model
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from .common import (
    AgencyTreeReport, PeriodStartMixin, PrintWizardMixin, agency_heading,
    agency_scope, local_bounds, previous_period, previous_week, rank)
from .render import (
    INT, NUMBER, SUM, TEXT, Column, Report, render_pdf, render_xlsx)
from .render import period_line

TITLE = 'BÁO CÁO TÌNH HÌNH SỬ DỤNG HỆ THỐNG QUẢN LÝ VĂN BẢN VÀ ĐIỀU HÀNH'
FIGURES = ['active_users', 'logins', 'registered', 'issued', 'processed']
NO_WORKFLOW_NOTE = ('Chưa cài phân hệ xử lý văn bản (vb_workflow): số văn '
    'bản xử lý xong và thời gian xử lý để trống.')
XLSX_TYPE = ('application', 'vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet')


class _Julianday(Function):
    __slots__ = ()
    _function = 'JULIANDAY'


def days_between(later, earlier):
    "The SQL number of days (with fractions) from earlier to later"
    if backend.name == 'sqlite':
        return _Julianday(later) - _Julianday(earlier)
    return Extract('EPOCH', later - earlier) / Literal(86400.0)


class Usage(Model):
    "Usage Figures"
    __string__ = "Usage Figures"
    __name__ = 'vb.reports.usage'

    @classmethod
    def has_workflow(cls):
        return False

    @classmethod
    def figures(cls, agency_ids, start, end, zone=None):
        """{agency id: {figure: value}}: FIGURES, plus days_sum and
        days_count (processing time) with vb_workflow. Times are compared
        with the days of the time zone of the agency zone."""
        pool = Pool()
        login = pool.get('vb.reports.login').__table__()
        document = pool.get('vb.document').__table__()
        first, next_day = local_bounds(zone, start, end)
        ids = list(agency_ids)
        result = {i: dict.fromkeys(FIGURES, 0) for i in ids}
        if not ids:
            return result
        cursor = Transaction().connection.cursor()
        one = Cast(Literal(1), 'INTEGER')
        zero = Cast(Literal(0), 'INTEGER')

        in_period = (login.login_at >= first) & (login.login_at < next_day)
        cursor.execute(*login.select(login.company, Count(login.id),
                where=in_period & login.company.in_(ids),
                group_by=[login.company]))
        for company, count in cursor:
            result[company]['logins'] = count

        users = Union(
            login.select(login.company.as_('company'),
                login.user.as_('user'),
                where=in_period & login.company.in_(ids)),
            document.select(document.company.as_('company'),
                document.numbered_by.as_('user'),
                where=document.company.in_(ids)
                & (document.numbered_by != Null)
                & (document.numbered_at >= first)
                & (document.numbered_at < next_day)))
        cursor.execute(*users.select(users.company, Count(users.user),
                group_by=[users.company]))
        for company, count in cursor:
            result[company]['active_users'] = count

        incoming = ((document.direction == 'incoming')
            & (document.arrival_date >= start)
            & (document.arrival_date <= end))
        outgoing = ((document.direction == 'outgoing')
            & (document.state != 'cancelled')
            & (document.issued_date >= start)
            & (document.issued_date <= end))
        cursor.execute(*document.select(document.company,
                Sum(Case((incoming, one), else_=zero)),
                Sum(Case((outgoing, one), else_=zero)),
                where=document.company.in_(ids)
                & (document.register_number != Null)
                & (incoming | outgoing),
                group_by=[document.company]))
        for company, registered, issued in cursor:
            result[company]['registered'] = int(registered or 0)
            result[company]['issued'] = int(issued or 0)
        for company, values in cls.processing_figures(
                ids, first, next_day).items():
            result[company].update(values)
        if not cls.has_workflow():
            for values in result.values():
                values['processed'] = None
        return result

    @classmethod
    def processing_figures(cls, agency_ids, first, next_day):
        """{agency id: {processed, days_sum, days_count}} of the documents
        completed in [first, next_day): none"""
        return {}

    @classmethod
    def send_weekly(cls, date=None):
        """E-mail the usage report of the week before date (today) to the
        configured recipients, as XLSX and/or PDF attachments"""
        pool = Pool()
        Configuration = pool.get('vb.reports.configuration')
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        configuration = Configuration(1)
        recipients = configuration.recipients
        if not recipients:
            return None
        start, end = previous_week(date or Date.today())
        if configuration.weekly_agency:
            agency = configuration.weekly_agency
            agencies = agency_scope(agency)
        else:
            agencies = Company.search([('external', '=', False)])
            roots = [a for a in agencies if not a.parent]
            agency = roots[0] if len(roots) == 1 else None
            agencies = sorted(agencies,
                key=lambda a: (a != agency, a.rec_name))
        report = usage_report(agency, agencies, start, end)
        name = f'bao-cao-su-dung-{start:%Y%m%d}-{end:%Y%m%d}'
        msg = EmailMessage()
        msg['From'] = config.get('email', 'from')
        msg['To'] = ', '.join(recipients)
        Config = pool.get('ir.configuration')
        with Transaction().set_context(language=Config.get_language()):
            period = period_line(start, end).lower()
            msg['Subject'] = gettext('vb_reports.msg_weekly_subject',
                period=period)
            msg.set_content(gettext('vb_reports.msg_weekly_body',
                    period=period,
                    agency=agency.rec_name if agency else ''))
        if configuration.weekly_format in {'xlsx', 'both'}:
            msg.add_attachment(render_xlsx(report), maintype=XLSX_TYPE[0],
                subtype=XLSX_TYPE[1], filename=name + '.xlsx')
        if configuration.weekly_format in {'pdf', 'both'}:
            msg.add_attachment(render_pdf(report), maintype='application',
                subtype='pdf', filename=name + '.pdf')
        sendmail.send_message_transactional(msg)
        return msg


class UsageWorkflow(metaclass=PoolMeta):
    __name__ = 'vb.reports.usage'

    @classmethod
    def has_workflow(cls):
        return True

    @classmethod
    def processing_figures(cls, agency_ids, first, next_day):
        document = Pool().get('vb.document').__table__()
        one = Cast(Literal(1), 'INTEGER')
        zero = Cast(Literal(0), 'INTEGER')
        timed = document.numbered_at != Null
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(document.company,
                Count(document.id),
                Sum(Case((timed, days_between(
                                document.completed_at,
                                document.numbered_at)), else_=Null)),
                Sum(Case((timed, one), else_=zero)),
                where=document.company.in_(list(agency_ids))
                & (document.direction == 'incoming')
                & (document.processing_state == 'done')
                & (document.completed_at >= first)
                & (document.completed_at < next_day),
                group_by=[document.company]))
        return {company: {'processed': count,
                'days_sum': float(days or 0), 'days_count': int(timed or 0)}
            for company, count, days, timed in cursor}


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('vb.reports.usage|send_weekly', "Send the Weekly Usage Report"))


def _average(values):
    if not values.get('days_count'):
        return None
    return _round(values['days_sum'] / values['days_count'])


def _round(value):
    return Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)


def usage_columns():
    columns = [
        Column('rank', 'Xếp hạng', INT, width=8),
        Column('name', 'Cơ quan, đơn vị', TEXT, width=30),
        ]
    for key, group in [
            ('active_users', 'Người dùng hoạt động'),
            ('logins', 'Lượt đăng nhập'),
            ('registered', 'Văn bản đến vào sổ'),
            ('issued', 'Văn bản đi phát hành'),
            ('processed', 'Văn bản đến xử lý xong'),
            ]:
        columns.append(Column(key, 'Kỳ này', INT, group=group, total=SUM))
        columns.append(Column(key + '_change', 'Tăng, giảm', INT,
                group=group, total=SUM))
    columns.append(Column('avg_days', 'Kỳ này', NUMBER, digits=1,
            group='Thời gian xử lý trung bình (ngày)'))
    columns.append(Column('prev_avg_days', 'Kỳ trước', NUMBER, digits=1,
            group='Thời gian xử lý trung bình (ngày)'))
    return columns


def usage_rows(agencies, start, end, zone=None):
    """(ranked row dicts, totals of the average processing times)"""
    Usage = Pool().get('vb.reports.usage')
    ids = [a.id for a in agencies]
    zone = zone or (agencies[0] if agencies else None)
    current = Usage.figures(ids, start, end, zone)
    previous = Usage.figures(ids, *previous_period(start, end), zone)
    rows = []
    for agency in agencies:
        now, before = current[agency.id], previous[agency.id]
        row = {'name': agency.rec_name, 'rank': None}
        for key in FIGURES:
            row[key] = now[key]
            row[key + '_change'] = (now[key] - before[key]
                if now[key] is not None and before[key] is not None
                else None)
        row['avg_days'] = _average(now)
        row['prev_avg_days'] = _average(previous[agency.id])
        rows.append(row)
    totals = {}
    for key, figures in [('avg_days', current), ('prev_avg_days', previous)]:
        total = {'days_sum': sum(f.get('days_sum', 0)
                for f in figures.values()),
            'days_count': sum(f.get('days_count', 0)
                for f in figures.values())}
        totals[key] = _average(total)

    def key(row):
        handled = row['registered'] + row['issued'] + (row['processed'] or 0)
        if not (handled or row['active_users'] or row['logins']):
            return None
        return (handled, row['active_users'], row['logins'])
    return rank(rows, key), totals


def usage_report(agency, agencies, start, end):
    "The render.Report of report 5 (no access check: callers do it)"
    Usage = Pool().get('vb.reports.usage')
    rows, totals = usage_rows(agencies, start, end, agency)
    before = previous_period(start, end)
    notes = ['Tăng, giảm: so với kỳ trước, ' + period_line(*before).lower()
        + '.',
        'Người dùng hoạt động: người đăng nhập hoặc vào sổ, phát hành văn '
        'bản trong kỳ.',
        'Xếp hạng theo số văn bản vào sổ, phát hành và xử lý xong, rồi số '
        'người dùng hoạt động.']
    if not Usage.has_workflow():
        notes.append(NO_WORKFLOW_NOTE)
    return Report(title=TITLE, columns=usage_columns(), rows=rows,
        subtitle=period_line(start, end), count_noun=None,
        orientation='landscape', notes=notes, totals=totals,
        sheet_name='Tình hình sử dụng', **agency_heading(agency))


class UsageStart(PeriodStartMixin):
    "Weekly Usage"
    __string__ = "Weekly Usage"
    __name__ = 'vb.reports.usage.start'

    @classmethod
    def default_start_date(cls):
        return previous_week(Pool().get('ir.date').today())[0]

    @classmethod
    def default_end_date(cls):
        return previous_week(Pool().get('ir.date').today())[1]


class PrintUsage(PrintWizardMixin, Wizard):
    "Weekly Usage"
    __name__ = 'vb.reports.usage.print'
    _report = 'vb.reports.usage'


class UsagePDF(AgencyTreeReport):
    "Weekly usage as PDF"
    __name__ = 'vb.reports.usage.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        agency, agencies = cls.scope(data)
        return usage_report(agency, agencies, data['start_date'],
            data['end_date'])


class UsageXLSX(UsagePDF):
    "Weekly usage as XLSX"
    __name__ = 'vb.reports.usage.xlsx'
    format = 'xlsx'
