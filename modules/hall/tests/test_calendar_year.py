# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The confirmation of a year's public holidays and make-up workdays against
the State Council's notice: its rules without a database, the wizard, the
check the deployment tools call and the cron that tells the managers; then
the same rules held over JSON-RPC."""
import datetime as dt
import json
import unittest
from contextlib import contextmanager

from sql import Literal

from trytond.model.exceptions import AccessError
from trytond.modules.hall.calendar_year_rules import (
    DATE_MISSING, DATE_OUTSIDE, DATE_TWICE, HOLIDAY_UNNAMED, KIND_INVALID,
    NAME_INVALID, STATUTORY_MISSING, WORKDAY_WEEKDAY, day_counts, day_errors,
    statutory_days, year_valid, years_to_confirm)
from trytond.modules.hall.exceptions import (
    CalendarConfirmError, CalendarConfirmWarning, CalendarDayConfirmedError)
from trytond.modules.hall.tests.tools import (
    HallData, RPCTestMixin, as_user, on)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    RouteTestCase, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

D = dt.date
NOTICE_2025 = "国办发明电〔2024〕12号"
# 2025 as the State Council gave it (holidays package)
HOLIDAYS_2025 = [
    (D(2025, 1, 1), "元旦"), (D(2025, 1, 28), "农历除夕"),
    (D(2025, 1, 29), "春节"), (D(2025, 1, 30), "春节"),
    (D(2025, 1, 31), "春节"), (D(2025, 2, 3), "休息日"),
    (D(2025, 2, 4), "休息日"), (D(2025, 4, 4), "清明节"),
    (D(2025, 5, 1), "劳动节"), (D(2025, 5, 2), "劳动节"),
    (D(2025, 5, 5), "劳动节"), (D(2025, 5, 31), "端午节"),
    (D(2025, 6, 2), "端午节"), (D(2025, 10, 1), "国庆节"),
    (D(2025, 10, 2), "国庆节"), (D(2025, 10, 3), "国庆节"),
    (D(2025, 10, 6), "中秋节"), (D(2025, 10, 7), "国庆节"),
    (D(2025, 10, 8), "国庆节"),
    ]
WORKDAYS_2025 = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27),
    D(2025, 9, 28), D(2025, 10, 11)]


@contextmanager
def acting(user):
    "Run as `user`, access checked, as sao calls"
    set_user, set_context = as_user(user)
    with set_user, set_context:
        yield


def days_2025():
    return ([(d, 'holiday', n) for d, n in HOLIDAYS_2025]
        + [(d, 'workday', "调休上班") for d in WORKDAYS_2025])


class CalendarYearRulesTestCase(unittest.TestCase):
    "The checks of a year's days, without a database"

    def errors(self, days, year=2025):
        return [(e, p, d) for e, p, d, _ in day_errors(year, days, 255)]

    def test_years_to_confirm(self):
        "The year itself; the next one too from 1 November"
        self.assertEqual(years_to_confirm(D(2026, 1, 1)), [2026])
        self.assertEqual(years_to_confirm(D(2026, 10, 31)), [2026])
        self.assertEqual(years_to_confirm(D(2026, 11, 1)), [2026, 2027])
        self.assertEqual(years_to_confirm(D(2026, 12, 31)), [2026, 2027])

    def test_year_valid(self):
        for year in [2000, 2027, 2100]:
            self.assertTrue(year_valid(year), year)
        for year in [1999, 2101, None, "2027", 2027.0, True]:
            self.assertFalse(year_valid(year), year)

    def test_national_calendar_passes(self):
        self.assertEqual(self.errors(days_2025()), [])
        self.assertEqual(day_counts(days_2025()), (19, 5))

    def test_statutory_days(self):
        "The revision of 2025 made 2 May a public holiday"
        self.assertNotIn(D(2024, 5, 2), dict(statutory_days(2024)))
        self.assertEqual(dict(statutory_days(2025))[D(2025, 5, 2)], "劳动节")
        self.assertEqual(len(statutory_days(2027)), 6)
        self.assertEqual(statutory_days(2005), [])

    def test_errors(self):
        "Each wrong day is reported with its line and date"
        cases = [
            ((D(2026, 1, 1), 'holiday', "元旦"), DATE_OUTSIDE),
            ((D(2025, 10, 1), 'holiday', "国庆节"), DATE_TWICE),
            ((D(2025, 10, 1), 'workday', "调休上班"), DATE_TWICE),
            ((D(2025, 10, 9), 'workday', "调休上班"), WORKDAY_WEEKDAY),
            ((D(2025, 10, 9), 'holiday', " "), HOLIDAY_UNNAMED),
            ((D(2025, 10, 9), 'closed', "闭馆"), KIND_INVALID),
            ((D(2025, 10, 9), 'holiday', "长" * 256), NAME_INVALID),
            ((D(2025, 10, 9), 'holiday', 12), NAME_INVALID),
            ((None, 'holiday', "地方假日"), DATE_MISSING),
            (("2025-10-09", 'holiday', "地方假日"), DATE_MISSING),
            ]
        for line, error in cases:
            with self.subTest(line=line):
                errors = self.errors(days_2025() + [line])
                self.assertEqual(errors[0][:2], (error, 25))
        # a local holiday on a weekday and one on a weekend are accepted
        self.assertEqual(self.errors(days_2025() + [
                    (D(2025, 10, 9), 'holiday', "地方假日"),
                    (D(2025, 10, 12), 'holiday', "地方假日"),
                    ]), [])

    def test_statutory_missing(self):
        "The fixed-date holidays of the law must be holidays"
        days = [d for d in days_2025() if d[0] != D(2025, 10, 2)]
        self.assertEqual(self.errors(days),
            [(STATUTORY_MISSING, None, D(2025, 10, 2))])
        self.assertEqual(
            self.errors([(D(2025, 1, 1), 'holiday', "元旦")])[0],
            (STATUTORY_MISSING, None, D(2025, 5, 1)))


class CalendarYearTestCase(unittest.TestCase):
    "The years of the calendar, their confirmation and the managers' notice"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['hall'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def calendar(self, year):
        "The days of `year` in the calendar as (date, kind, name)"
        CalendarDay = Pool().get('hall.calendar.day')
        return [(d.date, d.kind, d.name) for d in CalendarDay.search([
                    ('date', '>=', D(year, 1, 1)),
                    ('date', '<=', D(year, 12, 31)),
                    ], order=[('date', 'ASC')])]

    def year(self, year):
        Year = Pool().get('hall.calendar.year')
        records = Year.search([('year', '=', year)])
        return records[0] if records else None

    def run_wizard(self, year, notice, change=None):
        """Run the wizard on `year` with the days it proposes, changed by
        `change` (a function of the lines); return the lines sent"""
        Confirm = Pool().get('hall.calendar.confirm', type='wizard')
        session_id, _, _ = Confirm.create()
        Confirm.execute(session_id, {}, 'start')
        result = Confirm.execute(
            session_id, {'start': {'year': year}}, 'days')
        defaults = result['view']['defaults']
        self.assertEqual(defaults['year'], year)
        lines = [{k: line[k] for k in ['date', 'kind', 'name']}
            for line in defaults['lines']]
        if change:
            lines = change(lines)
        Confirm.execute(session_id, {
                'days': {'notice': notice, 'lines': lines}}, 'confirm')
        Confirm.delete(session_id)
        return lines

    @with_transaction()
    def test_seeded_years_have_a_record(self):
        "Seeding the calendar makes the records of its years, unconfirmed"
        pool = Pool()
        Year = pool.get('hall.calendar.year')
        CalendarDay = pool.get('hall.calendar.day')
        this_year = dt.date.today().year
        self.assertEqual(
            {y.year for y in Year.search([])}, {this_year, this_year + 1})
        self.assertIsNone(self.year(2025))
        CalendarDay.seed([2025])
        record = self.year(2025)
        self.assertFalse(record.confirmed)
        self.assertEqual((record.holiday_count, record.workday_count),
            (19, 5))
        # The counts follow the days in the database
        CalendarDay.create([{'date': D(2025, 12, 31), 'kind': 'holiday',
                    'name': "地方假日"}])
        record = self.year(2025)
        self.assertEqual((record.holiday_count, record.workday_count),
            (20, 5))

    @with_transaction()
    def test_unconfirmed_without_record(self):
        "A year never seeded is unconfirmed; the next one from 1 November"
        Year = Pool().get('hall.calendar.year')
        self.assertIsNone(self.year(2031))
        unconfirmed = Year.unconfirmed(D(2031, 10, 31))
        self.assertEqual([y for y, _ in unconfirmed], [2031])
        self.assertIn("2031", unconfirmed[0][1])
        self.assertEqual(
            [y for y, _ in Year.unconfirmed(D(2031, 11, 1))], [2031, 2032])
        self.assertIsNone(self.year(2031))

    @with_transaction()
    def test_wizard_replaces_days_and_confirms(self):
        "The year's days become the wizard's lines, confirmed by the manager"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Year = pool.get('hall.calendar.year')
        data = HallData()
        CalendarDay.seed([2025, 2024])
        days_2024 = self.calendar(2024)
        self.assertEqual(
            [y for y, _ in Year.unconfirmed(D(2025, 11, 3))], [2025, 2026])
        kept = CalendarDay.search([('date', '=', D(2025, 10, 1))])

        def change(lines):
            lines = [line for line in lines if line['date'] != D(2025, 2, 4)]
            for line in lines:
                if line['date'] == D(2025, 10, 6):
                    line['name'] = "中秋节"
            return lines + [
                {'date': D(2025, 10, 9), 'kind': 'holiday',
                    'name': "地方假日"},
                {'date': D(2025, 10, 12), 'kind': 'workday', 'name': None},
                ]
        with acting(data.manager), on(D(2025, 11, 3)):
            lines = self.run_wizard(2025, f" {NOTICE_2025} ", change)
        expected = sorted(
            (line['date'], line['kind'], line['name'] or "调休上班")
            for line in lines)
        self.assertEqual(self.calendar(2025), expected)
        self.assertIn((D(2025, 10, 6), 'holiday', "中秋节"), expected)
        self.assertNotIn(D(2025, 2, 4), [d for d, _, _ in expected])
        # the dates that stay keep their records
        self.assertEqual(
            CalendarDay.search([('date', '=', D(2025, 10, 1))]), kept)
        record = self.year(2025)
        self.assertTrue(record.confirmed)
        self.assertEqual(record.notice, NOTICE_2025)
        self.assertEqual(record.confirmed_by, data.manager)
        self.assertEqual(record.confirmed_date, D(2025, 11, 3))
        self.assertEqual((record.holiday_count, record.workday_count),
            (19, 6))
        # the other years are untouched
        self.assertEqual(self.calendar(2024), days_2024)
        self.assertFalse(self.year(2024).confirmed)
        self.assertEqual(
            CalendarDay.add_working_days(D(2025, 9, 30), 1), D(2025, 10, 10))
        self.assertEqual(
            [y for y, _ in Year.unconfirmed(D(2025, 10, 31))], [])
        self.assertEqual(
            [y for y, _ in Year.unconfirmed(D(2025, 11, 3))], [2026])

    @with_transaction()
    def test_wizard_refusals(self):
        "Wrong lines or notice are refused and change nothing"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        data = HallData()
        CalendarDay.seed([2025])
        before = self.calendar(2025)

        def adding(*lines):
            return lambda current: current + [
                dict(zip(['date', 'kind', 'name'], line)) for line in lines]

        def without(date):
            return lambda current: [
                line for line in current if line['date'] != date]
        cases = [
            (adding((D(2026, 1, 1), 'holiday', "元旦")), NOTICE_2025,
                "not in 2025"),
            (adding((D(2025, 10, 1), 'holiday', "国庆节")), NOTICE_2025,
                "more than once"),
            (adding((D(2025, 10, 9), 'workday', "调休上班")), NOTICE_2025,
                "falls on a Saturday or a Sunday"),
            (adding((D(2025, 10, 9), 'holiday', None)), NOTICE_2025,
                "its name"),
            (adding((None, 'holiday', "地方假日")), NOTICE_2025,
                "has no date"),
            (without(D(2025, 10, 3)), NOTICE_2025, "by law"),
            (None, "  ", "title or number"),
            (None, "号" * 300, "too long"),
            ]
        for change, notice, message in cases:
            with self.subTest(message=message):
                with acting(data.manager), \
                        self.assertRaises(CalendarConfirmError) as cm:
                    self.run_wizard(2025, notice, change)
                self.assertIn(message, cm.exception.message)
        self.assertEqual(self.calendar(2025), before)
        self.assertFalse(self.year(2025).confirmed)
        Confirm = pool.get('hall.calendar.confirm', type='wizard')
        session_id, _, _ = Confirm.create()
        with acting(data.manager), \
                self.assertRaises(CalendarConfirmError):
            Confirm.execute(session_id, {'start': {'year': 1999}}, 'days')

    @with_transaction()
    def test_warning_without_workday(self):
        "A year without make-up workday is confirmed only past a warning"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Year = pool.get('hall.calendar.year')
        Warning = pool.get('res.user.warning')
        data = HallData()
        CalendarDay.seed([2025])

        def holidays_only(lines):
            return [line for line in lines if line['kind'] == 'holiday']
        with acting(data.manager), \
                self.assertRaises(CalendarConfirmWarning) as cm:
            self.run_wizard(2025, NOTICE_2025, holidays_only)
        self.assertIn("no make-up workday", cm.exception.message)
        self.assertEqual(len(self.calendar(2025)), 24)
        self.assertFalse(self.year(2025).confirmed)
        # the manager answers yes to the warning
        Warning.create([{'user': data.manager.id, 'name': cm.exception.name}])
        with acting(data.manager):
            self.run_wizard(2025, NOTICE_2025, holidays_only)
        record = self.year(2025)
        self.assertTrue(record.confirmed)
        self.assertEqual((record.holiday_count, record.workday_count),
            (19, 0))
        self.assertEqual(
            [y for y, _ in Year.unconfirmed(D(2025, 6, 1))], [])

    @with_transaction()
    def test_confirmed_days_change_through_wizard(self):
        "The days of a confirmed year are changed only by the wizard"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Year = pool.get('hall.calendar.year')
        data = HallData()
        CalendarDay.seed([2025, 2024])
        Year.confirm(2025, NOTICE_2025, days_2025())
        day, = CalendarDay.search([('date', '=', D(2025, 10, 6))])
        other, = CalendarDay.search([('date', '=', D(2024, 10, 7))])
        with acting(data.manager):
            for call in [
                    lambda: CalendarDay.create([{
                                'date': D(2025, 12, 31), 'kind': 'holiday',
                                'name': "地方假日"}]),
                    lambda: CalendarDay.write([day], {'name': "中秋"}),
                    lambda: CalendarDay.write(
                        [other], {'date': D(2025, 10, 10)}),
                    lambda: CalendarDay.delete([day]),
                    ]:
                with self.assertRaises(CalendarDayConfirmedError) as cm:
                    call()
                self.assertIn(NOTICE_2025, cm.exception.message)
            # another year is still edited directly
            CalendarDay.write([CalendarDay(other.id)], {'name': "国庆"})
        # the seed does not bring back what the manager removed
        Year.confirm(2025, NOTICE_2025, [
                d for d in days_2025() if d[0] != D(2025, 2, 4)])
        self.assertEqual(CalendarDay.seed([2025]), [])
        self.assertEqual(len(self.calendar(2025)), 23)

    @with_transaction()
    def test_year_written_only_by_wizard(self):
        "Nobody writes a year's record directly, not even the manager"
        pool = Pool()
        Year = pool.get('hall.calendar.year')
        data = HallData()
        record, = Year.ensure([2025])
        for user in [data.manager, data.wang_user]:
            with acting(user):
                self.assertEqual(
                    Year.search([('year', '=', 2025)]), [record])
                for call in [
                        lambda: Year.write(
                            [Year(record.id)], {'confirmed': True}),
                        lambda: Year.create([{'year': 2040}]),
                        lambda: Year.delete([Year(record.id)]),
                        ]:
                    with self.subTest(user=user.login), \
                            self.assertRaises(AccessError):
                        call()
        self.assertFalse(self.year(2025).confirmed)

    @with_transaction()
    def test_cron_notifies_managers_once(self):
        "The cron tells each manager once a day of each unconfirmed year"
        pool = Pool()
        Year = pool.get('hall.calendar.year')
        Notification = pool.get('res.notification')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        CalendarDay = pool.get('hall.calendar.day')
        data = HallData()
        CalendarDay.seed([2025])
        other_manager = data.user('manager2', ['group_hall_manager'])
        User.write([data.user('former', ['group_hall_manager'])],
            {'active': False})
        managers = set(User.search([('groups', '=', ModelData.get_id(
                            'hall', 'group_hall_manager'))]))
        self.assertIn(other_manager, managers)
        self.assertIn(data.manager, managers)
        self.assertNotIn(data.wang_user, managers)

        def notifications():
            return Notification.search(
                [('user', 'in', [u.id for u in managers | {data.wang_user}])],
                order=[('id', 'ASC')])

        with on(D(2025, 10, 31)):
            Year.confirm(2025, NOTICE_2025, days_2025())
            self.assertEqual(Year.notify_unconfirmed(), [])
        self.assertEqual(notifications(), [])

        with on(D(2025, 11, 3)):
            sent = Year.notify_unconfirmed()
            # again the same day, and the day after while unread: nothing
            self.assertEqual(Year.notify_unconfirmed(), [])
        with on(D(2025, 11, 4)):
            self.assertEqual(Year.notify_unconfirmed(), [])
        self.assertEqual(notifications(), sent)
        self.assertEqual({n.user for n in sent}, managers)
        action = ModelData.get_id('hall', 'act_calendar_year_form')
        for notification in sent:
            self.assertEqual(notification.label,
                "Check the public holidays of 2026")
            self.assertIn("2026", notification.description)
            self.assertEqual(notification.action.id, pool.get(
                    'ir.action.act_window')(action).action.id)
            self.assertEqual(
                json.loads(notification.action_value),
                {'pyson_search_value':
                    '[["year", "=", 2026]]'})
        # the list the notification opens has the year to confirm
        self.assertFalse(self.year(2026).confirmed)

        # read the same day: not again that day; the next day: again
        Notification.write(sent, {'unread': False})
        with on(D(2025, 11, 3)):
            self.assertEqual(Year.notify_unconfirmed(), [])
        table = Notification.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.create_date],
                [Literal(dt.datetime(2025, 11, 3, 1, 0))],
                where=table.id.in_([n.id for n in sent])))
        with on(D(2025, 11, 4)):
            again = Year.notify_unconfirmed()
        self.assertEqual({n.user for n in again}, managers)
        self.assertEqual(len(notifications()), 2 * len(managers))

        # confirmed: no more notification
        Year.confirm(2026, "国办发明电〔2025〕7号", [
                (d, 'holiday', n) for d, n in statutory_days(2026)] + [
                (D(2026, 1, 4), 'workday', "调休上班")])
        with on(D(2025, 11, 5)):
            self.assertEqual(Year.notify_unconfirmed(), [])


CONFIRM = 'wizard.hall.calendar.confirm'
YEAR = 'model.hall.calendar.year'
DAY = 'model.hall.calendar.day'


class CalendarYearRPCTestCase(RPCTestMixin, RouteTestCase):
    "The confirmation of the calendar held over JSON-RPC"
    module = 'hall'

    @classmethod
    def create_data(cls):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Year = pool.get('hall.calendar.year')
        data = HallData()
        CalendarDay.seed([2025, 2024, 2023])
        with Transaction().set_user(data.manager.id):
            confirmed = Year.confirm(2025, NOTICE_2025, days_2025())
        day, = CalendarDay.search([('date', '=', D(2025, 10, 6))])
        day_2024, = CalendarDay.search([('date', '=', D(2024, 10, 7))])
        cls.ids = {
            'company': data.company.id,
            'confirmed': confirmed.id,
            'day': day.id,
            'day_2024': day_2024.id,
            }
        cls.manager = cls.session(data.manager)
        cls.clerk = cls.session(data.wang_user)
        cls.leader = cls.session(data.leader)

    def stored_years(self):
        return self.read_all('hall.calendar.year', [
                'year', 'confirmed', 'notice', 'confirmed_by',
                'confirmed_date'])

    def stored_days(self):
        return self.read_all('hall.calendar.day', ['date', 'kind', 'name'])

    def test_year_only_through_wizard(self):
        "No role writes a year's record; the manager neither"
        confirmed = self.ids['confirmed']
        before = self.stored_years()
        for session in [self.manager, self.clerk, self.leader]:
            with self.subTest(user=session[0]):
                self.assertRPC(session, f'{YEAR}.read', [confirmed],
                    ['confirmed', 'holiday_count', 'workday_count'])
                for method, *params in [
                        (f'{YEAR}.write', [confirmed], {'confirmed': False}),
                        (f'{YEAR}.write', [confirmed], {'notice': "无"}),
                        (f'{YEAR}.create', [{'year': 2030}]),
                        (f'{YEAR}.create', [{'year': 2030,
                                    'confirmed': True}]),
                        (f'{YEAR}.delete', [confirmed]),
                        (f'{YEAR}.copy', [confirmed], {}),
                        ]:
                    self.assertRefused(session, method, *params)
        tried = self.assertOwnedRefused(
            self.manager, 'hall.calendar.year', confirmed)
        self.assertGreaterEqual(tried, 5)
        self.assertEqual(self.stored_years(), before)

    def test_confirmed_days_refused(self):
        "A confirmed year's days are refused to a plain call: the wizard"
        before = self.stored_days()
        day = self.ids['day']
        for method, *params in [
                (f'{DAY}.write', [day], {'name': "中秋"}),
                (f'{DAY}.write', [day], {'kind': 'workday'}),
                (f'{DAY}.delete', [day]),
                (f'{DAY}.create', [{'date': D(2025, 12, 31),
                            'kind': 'holiday', 'name': "地方假日"}]),
                (f'{DAY}.write', [self.ids['day_2024']],
                    {'date': D(2025, 12, 30)}),
                ]:
            with self.subTest(method=method, params=params):
                message = self.assertRefused(self.manager, method, *params)
                self.assertIn("核对节假日安排", message)
                self.assertIn(NOTICE_2025, message)
        self.assertEqual(self.stored_days(), before)
        # the window clerk changes no day of any year
        for method, *params in [
                (f'{DAY}.write', [self.ids['day_2024']], {'name': "国庆"}),
                (f'{DAY}.create', [{'date': D(2024, 12, 31),
                            'kind': 'holiday', 'name': "地方假日"}]),
                (f'{DAY}.delete', [self.ids['day_2024']]),
                ]:
            with self.subTest(method=method, params=params):
                self.assertRefused(self.clerk, method, *params)
        self.assertEqual(self.stored_days(), before)

    def run_wizard(self, session, year, notice, change=None):
        """Run the confirmation as `session`: return the answer of the
        confirmation ('result' or 'error', value)"""
        context = {'company': self.ids['company']}
        wizard_id, start, _ = self.assertRPC(session, f'{CONFIRM}.create')
        self.assertRPC(session, f'{CONFIRM}.execute', wizard_id, {}, start,
            context=context)
        answer = self.assertRPC(session, f'{CONFIRM}.execute', wizard_id,
            {start: {'year': year}}, 'days', context=context)
        lines = [{k: line[k] for k in ['date', 'kind', 'name']}
            for line in answer['view']['defaults']['lines']]
        if change:
            lines = change(lines)
        return self.rpc(session, f'{CONFIRM}.execute', wizard_id,
            {'days': {'notice': notice, 'lines': lines}}, 'confirm',
            context=context)

    def test_manager_confirms(self):
        "The manager confirms a year through the wizard; bad lines refused"
        before = (self.stored_years(), self.stored_days())
        kind, value = self.run_wizard(self.manager, 2024, "国办发明电〔2023〕7号",
            lambda lines: lines + [{'date': D(2024, 10, 9),
                    'kind': 'workday', 'name': None}])
        self.assertEqual(kind, 'error')
        exception, (message, *_) = value
        self.assertEqual(exception, 'UserError')
        self.assertIn("星期三", message)
        self.assertIn("调休上班日应在星期六或星期日", message)
        self.assertEqual((self.stored_years(), self.stored_days()), before)

        kind, value = self.run_wizard(self.manager, 2024, "国办发明电〔2023〕7号")
        self.assertEqual(kind, 'result', value)
        record, = [y for y in self.stored_years() if y['year'] == 2024]
        self.assertTrue(record['confirmed'])
        self.assertEqual(record['notice'], "国办发明电〔2023〕7号")

    def test_warning_over_rpc(self):
        "Without make-up workday the manager is warned by name"
        before = (self.stored_years(), self.stored_days())
        kind, value = self.run_wizard(
            self.manager, 2023, "国办发明电〔2022〕16号",
            lambda lines: [
                line for line in lines if line['kind'] == 'holiday'])
        self.assertEqual(kind, 'error')
        exception, (name, message, _) = value
        self.assertEqual(exception, 'UserWarning')
        self.assertEqual(name, 'hall.calendar.year.no_workday.2023')
        self.assertIn("没有调休上班日", message)
        self.assertEqual((self.stored_years(), self.stored_days()), before)

    def test_clerk_cannot_run_wizard(self):
        "The wizard is the manager's"
        before = (self.stored_years(), self.stored_days())
        context = {'company': self.ids['company']}
        for session in [self.clerk, self.leader]:
            with self.subTest(user=session[0]):
                self.assertRefused(session, f'{CONFIRM}.create')
                # nor with the session of the manager's wizard
                wizard_id, start, _ = self.assertRPC(
                    self.manager, f'{CONFIRM}.create')
                self.assertRefused(session, f'{CONFIRM}.execute',
                    wizard_id, {}, start, context=context)
                self.assertRefused(session, f'{CONFIRM}.execute',
                    wizard_id, {'days': {'notice': "x", 'lines': [
                                {'date': D(2025, 1, 1), 'kind': 'holiday',
                                    'name': "元旦"}]}},
                    'confirm', context=context)
        self.assertEqual((self.stored_years(), self.stored_days()), before)
