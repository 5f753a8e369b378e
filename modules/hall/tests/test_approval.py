# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Figures of the approval items: plain functions, tested without a database"
import datetime as dt
import unittest

from trytond.modules.hall.approval_rules import (
    format_rate, is_late, is_overdue, promise_kept, promise_kept_rate,
    summary)
from trytond.modules.hall.working_days_rules import count_working_days

from .test_working_days import national

D = dt.date


class ApprovalRulesTestCase(unittest.TestCase):

    def test_promise_kept(self):
        self.assertTrue(promise_kept(5, 5))
        self.assertFalse(promise_kept(6, 5))
        self.assertTrue(promise_kept(0, 0))
        self.assertIsNone(promise_kept(None, 5))

    def test_promise_kept_rate(self):
        self.assertIsNone(promise_kept_rate([]))
        self.assertAlmostEqual(
            promise_kept_rate([(5, 5), (7, 3), (1, 10)]), 2 / 3)

    def test_overdue_and_late(self):
        today = D(2026, 10, 13)
        self.assertTrue(is_overdue('in_progress', D(2026, 10, 12), today))
        self.assertFalse(is_overdue('in_progress', D(2026, 10, 13), today))
        self.assertFalse(is_overdue('done', D(2026, 10, 12), today))
        self.assertFalse(is_overdue('planned', None, today))
        self.assertTrue(is_late('done', 7, 3, D(2026, 10, 2), today))
        self.assertFalse(is_late('done', 3, 3, D(2026, 10, 2), today))
        self.assertTrue(
            is_late('in_progress', None, 2, D(2026, 10, 8), today))

    def test_summary_over_national_day(self):
        "The figures of items counted over the National Day of 2026"
        holidays, workdays = national(2026)

        def days(start, end):
            return count_working_days(start, end, holidays, workdays)
        # 30 September, 8, 9, 10 (make-up Saturday) and 12 October
        taken_a = days(D(2026, 9, 29), D(2026, 10, 12))
        taken_b = days(D(2026, 9, 29), D(2026, 10, 14))
        self.assertEqual((taken_a, taken_b), (5, 7))
        figures = summary([
                ('done', 20, 5, taken_a, D(2026, 10, 12)),
                ('done', 15, 3, taken_b, D(2026, 10, 2)),
                ('in_progress', 10, 2, None, D(2026, 10, 8)),
                ('planned', 10, 5, None, None),
                ('cancelled', 10, 10, None, None),
                ], D(2026, 10, 20))
        self.assertEqual(figures['items'], 4)
        self.assertEqual(figures['done'], 2)
        self.assertEqual(figures['actual_days'], 12)
        self.assertEqual(figures['legal_days'], 35)
        self.assertAlmostEqual(figures['speed_up_rate'], 1 - 12 / 35)
        self.assertAlmostEqual(figures['promise_kept_rate'], 0.5)
        self.assertEqual(figures['overdue'], 1)
        self.assertEqual(figures['late'], 2)

    def test_summary_empty(self):
        figures = summary([], D(2026, 10, 20))
        self.assertIsNone(figures['speed_up_rate'])
        self.assertIsNone(figures['promise_kept_rate'])
        self.assertEqual(figures['items'], 0)

    def test_format_rate(self):
        self.assertEqual(format_rate(0.106), '10.6%')
        self.assertEqual(format_rate(32 / 45), '71.1%')
        self.assertEqual(format_rate(None), '—')
