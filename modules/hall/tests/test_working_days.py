# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Working days and roster rules: plain functions, tested without a database"
import datetime as dt
import unittest

import holidays

from trytond.modules.hall.roster_rules import (
    FOLLOW_UP_DAYS, follow_up_days_valid, follow_up_period,
    missing_qualifications, periods_overlapping, rostered_windows,
    weekend_shortfalls)
from trytond.modules.hall.working_days_rules import (
    add_working_days, count_working_days, is_working_day, speed_up_rate)

D = dt.date


def national(year):
    china = holidays.China(years=year)
    return (
        frozenset(china),
        frozenset(d for d in china.weekend_workdays if d.year == year))


class WorkingDaysTestCase(unittest.TestCase):

    def setUp(self):
        holidays_2025, workdays_2025 = national(2025)
        holidays_2026, workdays_2026 = national(2026)
        self.calendar = (
            holidays_2025 | holidays_2026, workdays_2025 | workdays_2026)

    def working(self, day):
        return is_working_day(day, *self.calendar)

    def add(self, start, count):
        return add_working_days(start, count, *self.calendar)

    def count(self, start, end):
        return count_working_days(start, end, *self.calendar)

    def test_national_day_2025(self):
        "National Day 2025: 1 to 8 October off, 28 Sept and 11 Oct worked"
        self.assertTrue(self.working(D(2025, 9, 28)))  # Sunday
        self.assertTrue(self.working(D(2025, 10, 11)))  # Saturday
        for day in range(1, 9):
            with self.subTest(day=day):
                self.assertFalse(self.working(D(2025, 10, day)))
        self.assertTrue(self.working(D(2025, 10, 9)))

    def test_spring_festival_2026(self):
        "Spring Festival 2026: 15 to 23 February off, 14 and 28 Feb worked"
        self.assertTrue(self.working(D(2026, 2, 14)))  # Saturday
        self.assertTrue(self.working(D(2026, 2, 28)))  # Saturday
        for day in range(15, 24):
            with self.subTest(day=day):
                self.assertFalse(self.working(D(2026, 2, day)))
        self.assertTrue(self.working(D(2026, 2, 24)))

    def test_plain_weekend(self):
        self.assertFalse(self.working(D(2025, 9, 20)))  # Saturday
        self.assertTrue(self.working(D(2025, 9, 22)))  # Monday

    def test_add_over_national_day(self):
        self.assertEqual(self.add(D(2025, 9, 30), 1), D(2025, 10, 9))
        self.assertEqual(self.add(D(2025, 9, 30), 5), D(2025, 10, 14))
        self.assertEqual(self.add(D(2025, 9, 30), 20), D(2025, 11, 4))

    def test_add_onto_make_up_workday(self):
        self.assertEqual(self.add(D(2025, 9, 26), 1), D(2025, 9, 28))
        self.assertEqual(self.add(D(2026, 2, 13), 1), D(2026, 2, 14))
        self.assertEqual(self.add(D(2026, 2, 13), 2), D(2026, 2, 24))

    def test_add_zero_is_same_day(self):
        "A limit of 0 (即办件) ends on the day itself, even a holiday"
        self.assertEqual(self.add(D(2025, 10, 3), 0), D(2025, 10, 3))

    def test_add_negative_refused(self):
        with self.assertRaises(ValueError):
            self.add(D(2025, 10, 3), -1)

    def test_count_is_inverse_of_add(self):
        start = D(2025, 9, 15)
        for days in range(0, 60):
            with self.subTest(days=days):
                self.assertEqual(self.count(start, self.add(start, days)), days)

    def test_count_over_holiday(self):
        self.assertEqual(self.count(D(2025, 9, 30), D(2025, 10, 11)), 3)
        self.assertEqual(self.count(D(2025, 10, 1), D(2025, 10, 8)), 0)
        self.assertEqual(self.count(D(2025, 10, 11), D(2025, 10, 1)), 0)

    def test_speed_up_rate(self):
        self.assertAlmostEqual(speed_up_rate([6, 3], [20, 10]), 0.7)
        self.assertIsNone(speed_up_rate([], []))


class RosterRulesTestCase(unittest.TestCase):

    def test_overlapping_periods(self):
        self.assertEqual(
            periods_overlapping('morning'), ['full_day', 'morning', 'weekend'])
        self.assertEqual(
            periods_overlapping('full_day'),
            ['afternoon', 'full_day', 'morning', 'weekend'])
        self.assertEqual(periods_overlapping('extended'), ['extended'])

    def test_missing_qualifications(self):
        self.assertEqual(missing_qualifications({1, 2}, {2, 3}), {1})
        self.assertEqual(missing_qualifications({1}, {1, 2}), set())

    def test_weekend_shortfalls(self):
        saturday, sunday = D(2025, 9, 20), D(2025, 9, 21)
        counts = {
            (saturday, 'comprehensive'): 2,
            (saturday, 'consultation'): 1,
            (sunday, 'comprehensive'): 3,
            }
        self.assertEqual(
            weekend_shortfalls(
                [sunday, saturday], ['comprehensive', 'consultation'],
                counts, 2),
            [(saturday, 'consultation', 1), (sunday, 'consultation', 0)])

    def test_follow_up_days_valid(self):
        self.assertEqual(FOLLOW_UP_DAYS, 7)
        for days in [0, 7, 90]:
            self.assertTrue(follow_up_days_valid(days), days)
        for days in [-1, 91, None, 7.5, True]:
            self.assertFalse(follow_up_days_valid(days), days)

    def test_follow_up_period(self):
        today = D(2026, 3, 2)
        self.assertEqual(follow_up_period(today, 7), (D(2026, 2, 23), today))
        self.assertEqual(follow_up_period(today, 0), (today, today))
        # calendar days, across the end of a month and a year
        self.assertEqual(
            follow_up_period(D(2026, 1, 3), 5),
            (D(2025, 12, 29), D(2026, 1, 3)))
        for days in [-1, 91, None]:
            with self.assertRaises(ValueError):
                follow_up_period(today, days)

    def test_rostered_windows(self):
        today = D(2026, 3, 2)
        latest = {12: D(2026, 2, 27), 3: today, 7: today, 5: D(2026, 2, 23)}
        self.assertEqual(
            rostered_windows(latest, today), ([3, 5, 7, 12], [3, 7]))
        self.assertEqual(rostered_windows({}, today), ([], []))


if __name__ == '__main__':
    unittest.main()
