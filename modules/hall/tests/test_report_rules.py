# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"How the printed documents write dates, limits and contacts (no database)"
import datetime as dt
import unittest

from trytond.modules.hall.report_rules import (
    chinese_date, chinese_datetime, chinese_month, chinese_quarter,
    contact_line, opening_hours, time_limit)


class ReportRulesTestCase(unittest.TestCase):

    def test_dates(self):
        self.assertEqual(chinese_date(dt.date(2026, 12, 3)), "2026年12月3日")
        self.assertEqual(chinese_date(dt.date(2025, 1, 10)), "2025年1月10日")
        self.assertEqual(chinese_date(None), '')
        self.assertEqual(chinese_month(dt.date(2026, 12, 1)), "2026年12月")
        self.assertEqual(
            chinese_datetime(dt.datetime(2025, 10, 10, 0, 30, 59)),
            "2025年10月10日 00:30")
        self.assertEqual(chinese_datetime(None), '')

    def test_quarters(self):
        self.assertEqual([chinese_quarter(q) for q in range(1, 5)],
            ["第一季度", "第二季度", "第三季度", "第四季度"])

    def test_time_limit(self):
        self.assertEqual(time_limit(0), "即办")
        self.assertEqual(time_limit(5), "5 个工作日")
        self.assertEqual(time_limit(None), '')

    def test_contact(self):
        hours = opening_hours(dt.time(9), dt.time(12), dt.time(13, 30),
            dt.time(17))
        self.assertEqual(hours, "工作日 9:00—12:00、13:30—17:00")
        self.assertEqual(
            contact_line("杭州市上城区\n解放东路18号", "0571-87000000", hours),
            "地址：杭州市上城区 解放东路18号；咨询电话：0571-87000000；"
            "办公时间：工作日 9:00—12:00、13:30—17:00")
        self.assertEqual(contact_line(None, None, hours),
            "办公时间：工作日 9:00—12:00、13:30—17:00")
