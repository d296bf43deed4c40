# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Counting working days for deadlines (x ngày làm việc)"
import datetime as dt
from functools import lru_cache

from .holidays import ONE_DAY, public_holidays

WEEKEND = {5, 6}


@lru_cache(maxsize=64)
def _holidays(year):
    return frozenset(public_holidays(year))


class WorkingCalendar:
    """Monday to Friday, less public holidays, with the year's swaps.

    days_off: extra days off decided for the year (e.g. 29/4/2024);
    working_days: weekend days worked instead (e.g. Saturday 4/5/2024).
    """

    def __init__(self, days_off=(), working_days=()):
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)

    def is_working_day(self, date):
        if date in self.working_days:
            return True
        if date in self.days_off or date in _holidays(date.year):
            return False
        return date.weekday() not in WEEKEND

    def add_working_days(self, start, days):
        """The date `days` working days after start (start excluded).

        A document received on Friday with 2 working days is due on
        Tuesday; 0 days means the next working day from start included.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        date = start
        if days == 0:
            while not self.is_working_day(date):
                date += ONE_DAY
            return date
        while days:
            date += ONE_DAY
            if self.is_working_day(date):
                days -= 1
        return date

    def working_days_between(self, start, end):
        "Working days in (start, end]; negative when end is before start"
        if end < start:
            return -self.working_days_between(end, start)
        count, date = 0, start
        while date < end:
            date += ONE_DAY
            count += self.is_working_day(date)
        return count

    def days_off_in(self, year):
        "Every non-working weekday and worked weekend day of year, sorted"
        date, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        result = []
        while date <= end:
            if (date.weekday() in WEEKEND) == self.is_working_day(date):
                result.append(date)
            date += ONE_DAY
        return result
