# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What every report of the module shares: the period and agency filters of
the wizards, the heading of the agency, the rendering to PDF or XLSX and the
Report class that returns those bytes through Tryton's report mechanism.

The text inside the reports (titles, column headers) is Vietnamese in the
code, like the forms of Nghị định 30/2020 the `render` package prints: the
reports are Vietnamese administrative documents whatever the user's
language. Messages to the user go through ir.message.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateView

from trytond.modules.vb_document.company import current_agency

from .exceptions import ReportFilterError
from .render import render_pdf, render_xlsx

def check_period(start, end):
    "Refuse a period that ends before it starts (clear message, no output)"
    if start and end and end < start:
        raise ReportFilterError(gettext(
                'vb_reports.msg_period_end_before_start',
                start=start.strftime('%d/%m/%Y'),
                end=end.strftime('%d/%m/%Y')))


def day_bounds(start, end):
    "The datetimes [start 00:00, day after end 00:00) covering the period"
    return (dt.datetime.combine(start, dt.time()),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))


def local_bounds(agency, start, end):
    """day_bounds in the agency's time zone, as the naive UTC datetimes
    trytond stores (create_date, numbered_at…): the days of Vietnam are
    from 17:00 UTC the day before."""
    from zoneinfo import ZoneInfo
    zone = dt.timezone.utc
    if agency is not None and getattr(agency, 'timezone', None):
        zone = ZoneInfo(agency.timezone)
    return tuple(
        d.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(
            tzinfo=None)
        for d in day_bounds(start, end))


def previous_period(start, end):
    "The period of the same length just before [start, end]"
    length = end - start + dt.timedelta(days=1)
    return start - length, start - dt.timedelta(days=1)


def agency_heading(agency):
    """The values of render.Report naming the agency: its name, its parent
    (the line above it in the header) and the place of the date line."""
    if agency is None:
        return {}
    return {
        'agency': agency.rec_name,
        'parent_agency': agency.parent.rec_name if agency.parent else '',
        'place': agency.place or '',
        }


class PeriodStartMixin(ModelView):
    "Period and agency asked by the wizards of the reports"
    start_date = fields.Date("Start Date", required=True,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date("End Date", required=True,
        domain=[If(Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    company = fields.Many2One('company.company', "Agency", required=True,
        domain=[
            ('external', '=', False),
            ('id', 'in', Eval('context', {}).get('companies', [])),
            ])

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_start_date(cls):
        today = Pool().get('ir.date').today()
        return today.replace(day=1)

    @classmethod
    def default_end_date(cls):
        return Pool().get('ir.date').today()

    def check(self):
        check_period(self.start_date, self.end_date)

    def period_data(self):
        return {
            'company': self.company.id if self.company else None,
            'start_date': self.start_date,
            'end_date': self.end_date,
            }


class PrintWizardMixin:
    """A report wizard: the start form (a PeriodStartMixin) with the
    buttons Cancel, Excel and PDF, then the report as XLSX or PDF with the
    form's data.

    `_report` is the name the start model and both reports derive from:
    '<_report>.start' (view vb_reports.<last part>_start_view_form),
    '<_report>.pdf' and '<_report>.xlsx'. The states are set up here, not
    declared: trytond takes a state from the first class of the MRO that
    declares it, so a state declared by the mixin could not be given
    another model by the wizard. `_data` may add to the form's data.
    """
    __slots__ = ()
    _report = None

    @classmethod
    def __setup__(cls):
        report = cls._report
        short = report.rsplit('.', 1)[-1]
        cls.start = StateView(f'{report}.start',
            f'vb_reports.{short}_start_view_form', [
                Button("Cancel", 'end', 'tryton-cancel'),
                Button("Excel", 'xlsx_', 'tryton-save'),
                Button("PDF", 'pdf_', 'tryton-print', default=True),
                ])
        cls.pdf_ = StateReport(f'{report}.pdf')
        cls.xlsx_ = StateReport(f'{report}.xlsx')
        super().__setup__()

    def default_start(self, fields):
        """Opened from the Print menu of a list: the agency selected (list
        of agencies) or the agency of the record selected (its tasks, its
        assignments); from the menu: the user's agency"""
        if (not self.model or self.model.__name__ == 'ir.ui.menu'
                or not self.record or 'company' not in fields):
            return {}
        if self.model.__name__ == 'company.company':
            agency = self.record
        else:
            agency = getattr(self.record, 'company', None)
        return {'company': agency.id} if agency else {}

    def _data(self):
        "The data of the report: the form checked, its period and agency"
        self.start.check()
        return self.start.period_data()

    def do_pdf_(self, action):
        return action, self._data()

    def do_xlsx_(self, action):
        return action, self._data()


class RenderedReport(Report):
    """A report whose content is a render.Report built from SQL figures.

    `_execute` is overridden, not `execute`: Tryton's `execute` keeps the
    access checks (groups of the action, read access to the selected
    records) and names the file. Subclasses give `build(records, data)`;
    `format` is 'pdf' or 'xlsx'.
    """
    format = None

    @classmethod
    def build(cls, records, data):
        raise NotImplementedError

    @classmethod
    def _execute(cls, records, header, data, action):
        report = cls.build(records, data)
        if cls.format == 'xlsx':
            return 'xlsx', render_xlsx(report)
        return 'pdf', render_pdf(report)

    @classmethod
    def agency(cls, data):
        "The agency of data, read with the user's record rules"
        pool = Pool()
        Company = pool.get('company.company')
        User = pool.get('res.user')
        if not data.get('company'):
            return None
        company_id = int(data['company'])
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            with without_check_access():
                allowed = {c.id for c in User(transaction.user).companies}
            if company_id not in allowed:
                # Reports of another agency are not for this user
                raise AccessError(gettext(
                        'vb_reports.msg_agency_not_allowed',
                        agency=Company(company_id).rec_name))
        return Company(company_id)


def agency_scope(agency):
    """The internal agencies a province-level report covers for agency:
    itself and every agency below it (the whole province for UBND tỉnh),
    ordered by name. Only ids and names are read."""
    Company = Pool().get('company.company')
    with without_check_access():
        agencies = Company.search([
                ('parent', 'child_of', [agency.id]),
                ('external', '=', False),
                ])
    return sorted(agencies, key=lambda a: (a.id != agency.id, a.rec_name))


def share(part, whole):
    "part / whole, None when whole is 0 or either is unknown"
    if part is None or not whole:
        return None
    return part / whole


def rank(rows, key):
    """Write 'rank' into each row dict by key(row) (a tuple, larger is
    better; rows whose key is None come last, unranked); equal keys share
    a rank. Return the rows in rank order."""
    scored = [r for r in rows if key(r) is not None]
    unscored = [r for r in rows if key(r) is None]
    scored.sort(key=lambda r: (tuple(-v for v in key(r)), r['name']))
    previous, position = None, 0
    for index, row in enumerate(scored, 1):
        value = key(row)
        if value != previous:
            position, previous = index, value
        row['rank'] = position
    unscored.sort(key=lambda r: r['name'])
    return scored + unscored


def previous_week(date):
    "Monday and Sunday of the week before the one of date"
    monday = date - dt.timedelta(days=date.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


class AgencyTreeReport(RenderedReport):
    "A report over an agency and the agencies below it"

    @classmethod
    def scope(cls, data):
        agency = cls.agency(data)
        return agency, agency_scope(agency)
