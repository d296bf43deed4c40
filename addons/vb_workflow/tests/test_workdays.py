# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Working-day calendar and Vietnamese lunar calendar (no database)"
import datetime as dt
import unittest

from trytond.modules.vb_workflow.workdays import (
    WorkingCalendar, lunar_to_solar, public_holidays, solar_to_lunar)

D = dt.date


class LunarTestCase(unittest.TestCase):

    def test_new_year(self):
        "Tết by the Vietnamese calendar (UTC+7)"
        for year, tet in [
                (2020, D(2020, 1, 25)), (2021, D(2021, 2, 12)),
                (2022, D(2022, 2, 1)), (2023, D(2023, 1, 22)),
                (2024, D(2024, 2, 10)), (2025, D(2025, 1, 29)),
                (2026, D(2026, 2, 17)), (2027, D(2027, 2, 6))]:
            self.assertEqual(lunar_to_solar(1, 1, year), tet, year)

    def test_differs_from_chinese_calendar(self):
        "UTC+7 moves some new moons to another day than in China (UTC+8)"
        self.assertEqual(lunar_to_solar(1, 1, 1985), D(1985, 1, 21))
        self.assertEqual(lunar_to_solar(1, 1, 1985, timezone=8),
            D(1985, 2, 20))
        self.assertEqual(lunar_to_solar(1, 1, 2007), D(2007, 2, 17))
        self.assertEqual(lunar_to_solar(1, 1, 2007, timezone=8),
            D(2007, 2, 18))
        # The new moon of 2 February 2030 falls at 23:07 in Hà Nội
        self.assertEqual(lunar_to_solar(1, 1, 2030), D(2030, 2, 2))
        self.assertEqual(lunar_to_solar(1, 1, 2030, timezone=8),
            D(2030, 2, 3))

    def test_hung_kings(self):
        "Giỗ Tổ Hùng Vương, 10/3 lunar"
        self.assertEqual([lunar_to_solar(10, 3, y) for y in (2024, 2025, 2026)],
            [D(2024, 4, 18), D(2025, 4, 7), D(2026, 4, 26)])

    def test_leap_month(self):
        "2025 (Ất Tỵ) has a leap sixth month"
        self.assertEqual(solar_to_lunar(D(2025, 7, 25)), (1, 6, 2025, True))
        self.assertEqual(lunar_to_solar(1, 6, 2025, leap=True),
            D(2025, 7, 25))
        self.assertIsNone(lunar_to_solar(1, 5, 2025, leap=True))
        self.assertIsNone(lunar_to_solar(1, 6, 2026, leap=True))

    def test_round_trip(self):
        "solar -> lunar -> solar over eleven years"
        date = D(2020, 1, 1)
        while date < D(2031, 1, 1):
            self.assertEqual(lunar_to_solar(*solar_to_lunar(date)), date)
            date += dt.timedelta(days=1)


class HolidaysTestCase(unittest.TestCase):

    def _days(self, year):
        return [d.strftime('%d/%m') for d in public_holidays(year)]

    def test_2024(self):
        "Official: Tết 8–14/2 (Saturday and Sunday moved), 2–3/9"
        self.assertEqual(self._days(2024), ['01/01',
                '08/02', '09/02', '12/02', '13/02', '14/02',
                '18/04', '30/04', '01/05', '02/09', '03/09'])

    def test_2025(self):
        "Official: Tết 27–31/1, Giỗ Tổ 7/4, 1–2/9"
        self.assertEqual(self._days(2025), ['01/01',
                '27/01', '28/01', '29/01', '30/01', '31/01',
                '07/04', '30/04', '01/05', '01/09', '02/09'])

    def test_2026(self):
        "Official: Tết 16–20/2, Giỗ Tổ on Sunday 26/4 moved to 27/4"
        self.assertEqual(self._days(2026), ['01/01',
                '16/02', '17/02', '18/02', '19/02', '20/02',
                '27/04', '30/04', '01/05', '01/09', '02/09'])
        self.assertEqual(public_holidays(2026)[D(2026, 4, 27)],
            "Giỗ Tổ Hùng Vương (nghỉ bù)")

    def test_eleven_days(self):
        "The law gives 11 days a year"
        for year in range(2020, 2040):
            self.assertEqual(len(public_holidays(year)), 11, year)


class WorkingCalendarTestCase(unittest.TestCase):

    def setUp(self):
        # Swaps decided for civil servants: 2024 off Monday 29/4, worked
        # Saturday 4/5; 2025 off Friday 2/5, worked Saturday 26/4
        self.calendar = WorkingCalendar(
            days_off=[D(2024, 4, 29), D(2025, 5, 2)],
            working_days=[D(2024, 5, 4), D(2025, 4, 26)])

    def test_is_working_day(self):
        calendar = self.calendar
        self.assertFalse(calendar.is_working_day(D(2024, 4, 29)))
        self.assertTrue(calendar.is_working_day(D(2024, 5, 4)))
        self.assertFalse(calendar.is_working_day(D(2024, 5, 5)))
        self.assertFalse(calendar.is_working_day(D(2026, 2, 18)))
        self.assertTrue(calendar.is_working_day(D(2026, 2, 23)))

    def test_add_working_days(self):
        calendar = self.calendar
        # Received the Friday before Tết 2026: next working day after it
        self.assertEqual(calendar.add_working_days(D(2026, 2, 13), 1),
            D(2026, 2, 23))
        # Friday 26/4/2024 + 3 working days: 2/5, 3/5, Saturday 4/5
        self.assertEqual(calendar.add_working_days(D(2024, 4, 26), 3),
            D(2024, 5, 4))
        # Friday + 2 on an ordinary week: Tuesday
        self.assertEqual(calendar.add_working_days(D(2026, 11, 20), 2),
            D(2026, 11, 24))
        self.assertEqual(calendar.add_working_days(D(2026, 11, 21), 0),
            D(2026, 11, 23))
        with self.assertRaises(ValueError):
            calendar.add_working_days(D(2026, 11, 20), -1)

    def test_working_days_between(self):
        calendar = self.calendar
        self.assertEqual(calendar.working_days_between(
                D(2025, 1, 24), D(2025, 2, 3)), 1)
        self.assertEqual(calendar.working_days_between(
                D(2025, 2, 3), D(2025, 1, 24)), -1)

    def test_days_off_in(self):
        days = self.calendar.days_off_in(2025)
        self.assertIn(D(2025, 5, 2), days)
        self.assertIn(D(2025, 4, 26), days)  # a Saturday worked
        self.assertEqual(len(days), 11 + 2)
