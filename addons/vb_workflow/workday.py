# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"The working-day calendar of the province, for every deadline"
import datetime as dt

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateView, Wizard

from .exceptions import WorkflowValidationError
from .workdays import WorkingCalendar, public_holidays


class Day(ModelSQL, ModelView):
    """A swapped day: a day off or a weekend day worked.

    The public holidays of the Labour Code are computed (workdays
    package); the administrator adds each year what the Prime Minister
    decides on top: bridge days off and the Saturdays worked for them.
    """
    __string__ = "Calendar Day"
    __name__ = 'vb.workflow.day'

    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('off', "Day Off"),
            ('working', "Working Day"),
            ], "Kind", required=True)
    name = fields.Char("Reason", required=True,
        help="E.g. the decision that swapped the day.")
    _calendar_cache = Cache('vb.workflow.day.calendar', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.date),
                'vb_workflow.msg_day_date_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order.insert(0, ('date', 'DESC'))

    @classmethod
    def default_kind(cls):
        return 'off'

    @classmethod
    def validate_fields(cls, days, field_names):
        super().validate_fields(days, field_names)
        for day in days:
            weekend = day.date.weekday() >= 5
            if day.kind == 'working' and not weekend:
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_day_working_not_weekend',
                        date=day.date.strftime('%d/%m/%Y')))
            if day.kind == 'off' and (weekend
                    or day.date in public_holidays(day.date.year)):
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_day_off_already',
                        date=day.date.strftime('%d/%m/%Y')))

    @classmethod
    def on_modification(cls, mode, days, field_names=None):
        super().on_modification(mode, days, field_names=field_names)
        cls._calendar_cache.clear()

    @classmethod
    def calendar(cls):
        "The WorkingCalendar with the swaps entered by the administrator"
        swaps = cls._calendar_cache.get(None)
        if swaps is None:
            swaps = {'off': [], 'working': []}
            for day in cls.search([]):
                swaps[day.kind].append(day.date.toordinal())
            cls._calendar_cache.set(None, swaps)
        return WorkingCalendar(
            days_off=map(dt.date.fromordinal, swaps['off']),
            working_days=map(dt.date.fromordinal, swaps['working']))

    @classmethod
    def add_working_days(cls, start, days):
        return cls.calendar().add_working_days(start, days)

    @classmethod
    def is_working_day(cls, date):
        return cls.calendar().is_working_day(date)

    @classmethod
    def working_days_between(cls, start, end):
        return cls.calendar().working_days_between(start, end)


class HolidaysStart(ModelView):
    "Show the Days Off of a Year"
    __string__ = "Days Off of a Year"
    __name__ = 'vb.workflow.holidays.start'

    year = fields.Integer("Year", required=True,
        domain=[('year', '>=', 1900), ('year', '<=', 2199)])
    days = fields.Text("Days Off", readonly=True)

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year

    @fields.depends('year')
    def on_change_with_days(self):
        if not self.year or not 1900 <= self.year <= 2199:
            return ''
        return '\n'.join('%s  %s' % (date.strftime('%d/%m/%Y'), name)
            for date, name in sorted(_days_off(self.year).items()))


def _days_off(year):
    "Holidays and swapped days off of year, named"
    Day = Pool().get('vb.workflow.day')
    days = dict(public_holidays(year))
    for day in Day.search([
                ('date', '>=', dt.date(year, 1, 1)),
                ('date', '<=', dt.date(year, 12, 31)),
                ('kind', '=', 'off'),
                ]):
        days[day.date] = day.name
    return days


class Holidays(Wizard):
    "Days Off of a Year"
    __name__ = 'vb.workflow.holidays'
    start = StateView('vb.workflow.holidays.start',
        'vb_workflow.holidays_start_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        start = Pool().get('vb.workflow.holidays.start')()
        start.year = start.default_year()
        return {'year': start.year, 'days': start.on_change_with_days()}
