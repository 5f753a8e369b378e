# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import itertools
import re
import unittest
from unittest.mock import patch

from trytond.model import fields
from trytond.model.exceptions import AccessError, RecursionError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.tests.tools import (
    HallData, ServerReadonlyTestMixin, TranslatedTestMixin, as_user, on,
    report_text)
from trytond.modules.hall_indicators import indicator_rules as rules
from trytond.modules.hall_indicators.exceptions import HallLevelError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

SEPTEMBER = {'from_date': dt.date(2025, 9, 1), 'to_date': dt.date(2025, 9, 30)}
AUTUMN = {'from_date': dt.date(2025, 9, 1), 'to_date': dt.date(2025, 10, 31)}


class IndicatorData(HallData):
    """HallData's hall (district level) with a town hall under it and a
    village hall under that, each with a window of the licence, and
    applications worked through on given days"""

    def __init__(self):
        super().__init__()
        pool = Pool()
        Hall = pool.get('hall.hall')
        Window = pool.get('hall.window')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        self.town, = Hall.create([{
                    'name': "西湖街道便民服务中心", 'company': self.company.id,
                    'level': 'town', 'parent': self.hall.id}])
        self.village, = Hall.create([{
                    'name': "翠苑社区便民服务站", 'company': self.company.id,
                    'level': 'village', 'parent': self.town.id}])
        self.t01, self.v01 = Window.create([{
                    'hall': hall.id, 'number': number,
                    'services': [('add', [self.licence.id])],
                    } for hall, number in [
                    (self.town, 'T01'), (self.village, 'V01')]])

    def worked(self, steps, window=None, service=None, **values):
        """An application taken through `steps`: (day, button) pairs, a
        button of hall.application called on that day"""
        Application = Pool().get('hall.application')
        window = window or self.a01
        application = self.application(window=window, service=service,
            hall=window.hall.id, **values)
        for day, button in steps:
            with on(day):
                if button == 'reject':
                    application.rejection_reason = "材料不符合法定形式"
                    application.save()
                if button == 'request_supplement':
                    application.missing_materials = [{'name': "营业执照"}]
                    application.save()
                getattr(Application, button)([application])
        return Application(application.id)


TICKETS = itertools.count(1)


def tickets(hall, rows, **values):
    """Tickets of `hall` from (date, state, wait in seconds) rows, written
    as the queue leaves them"""
    pool = Pool()
    Queue = pool.get('hall.queue')
    Ticket = pool.get('hall.ticket')
    queue = Queue.search([('hall', '=', hall.id)], limit=1)
    if not queue:
        queue = Queue.create([{
                    'hall': hall.id, 'prefix': 'Z', 'name': "综合"}])
    queue, = queue
    values = {k: getattr(v, 'id', v) for k, v in values.items()}
    ticket = Ticket.__table__()
    cursor = Transaction().connection.cursor()
    created = []
    for day, state, wait in rows:
        sequence = next(TICKETS)
        cursor.execute(*ticket.insert(
                [ticket.queue, ticket.hall, ticket.date, ticket.sequence,
                    ticket.number, ticket.token, ticket.priority,
                    ticket.priority_rank, ticket.channel, ticket.state,
                    ticket.issued_at, ticket.recall_count,
                    ticket.wait_seconds, ticket.transferred_from],
                [[queue.id, hall.id, day, sequence, f'Z{sequence:03d}',
                        f'token-{sequence}',
                        'normal', 0, 'kiosk', state,
                        dt.datetime.combine(day, dt.time(1)), 0, wait,
                        values.get('transferred_from')]]))
        created.extend(Ticket.search([('token', '=', f'token-{sequence}')]))
    return created


def d(month, day):
    return dt.date(2025, month, day)


def indicators(model, **context):
    "The rows of the indicator `model` in the context, as dicts"
    Model = Pool().get(model)
    with Transaction().set_context(**context):
        names = [n for n, f in Model._fields.items()
            if not isinstance(f, fields.Function) and n not in {
                'create_uid', 'create_date', 'write_uid', 'write_date', 'id'}]
        return [{n: getattr(r, n) for n in names} for r in Model.search([])]


class HallIndicatorsTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall Indicators module"
    module = 'hall_indicators'
    # the figures of the other modules join when they are activated (the
    # scenarios run hall_indicators alone)
    extras = [
        'hall_queue', 'hall_evaluation', 'hall_green_channel', 'hall_proxy',
        'hall_delivery', 'content_review']

    def applications(self, data):
        """Six applications of September and October 2025, whose figures
        are worked out by hand in the tests"""
        licence, registration = data.licence, data.registration
        return {
            # approved on the 3rd, completed on the 4th: on time (due 9-8)
            'done': data.worked([
                    (d(9, 1), 'receive'), (d(9, 1), 'accept'),
                    (d(9, 3), 'approve'), (d(9, 4), 'complete')]),
            # done on the spot (promised limit 0)
            'spot': data.worked([
                    (d(9, 2), 'receive'), (d(9, 2), 'accept'),
                    (d(9, 2), 'approve'), (d(9, 2), 'complete')],
                window=data.a02, service=registration),
            # rejected on 10-20, past its promised due date (9-22)
            'late': data.worked([
                    (d(9, 15), 'receive'), (d(9, 15), 'accept'),
                    (d(10, 20), 'reject')]),
            # a second visit to bring the missing material
            'twice': data.worked([
                    (d(9, 29), 'receive'), (d(9, 29), 'request_supplement'),
                    (d(9, 30), 'accept'), (d(9, 30), 'approve')]),
            # applied for online, then withdrawn
            'withdrawn': data.worked([
                    (d(10, 8), 'receive'), (d(10, 9), 'withdraw')],
                channel='online'),
            # at the town's hall, in progress
            'town': data.worked([
                    (d(10, 9), 'receive'), (d(10, 9), 'accept')],
                window=data.t01, service=licence),
            # at the village's hall, online, approved on time
            'village': data.worked([
                    (d(10, 10), 'receive'), (d(10, 10), 'accept'),
                    (d(10, 13), 'approve')],
                window=data.v01, service=licence, channel='online'),
            }

    @with_transaction()
    def test_hall_levels(self):
        "A hall is under a hall of a higher level, never under itself"
        Hall = Pool().get('hall.hall')
        data = IndicatorData()
        self.assertEqual(data.hall.children, (data.town,))
        data.town.level = 'city'
        with self.assertRaises(HallLevelError):
            data.town.save()
        data.town.level = 'town'
        data.town.save()
        with self.assertRaises(HallLevelError):
            Hall.write([data.village], {'parent': data.hall.id,
                    'level': 'district'})
        data.hall.level = 'village'
        with self.assertRaises((HallLevelError, RecursionError)):
            data.hall.parent = data.village
            data.hall.save()

    @with_transaction()
    def test_public_address_of_parent(self):
        "A hall without a public address of its own is reached at its parent's"
        data = IndicatorData()
        self.assertIsNone(data.village.public_address())
        data.hall.public_url = 'https://zwfw.example.gov.cn'
        data.hall.save()
        self.assertEqual(
            data.village.public_address(), 'https://zwfw.example.gov.cn')
        data.town.public_url = 'https://jd.example.gov.cn'
        data.town.save()
        self.assertEqual(
            data.village.public_address(), 'https://jd.example.gov.cn')
        self.assertTrue(data.village.page_url('').startswith(
                'https://jd.example.gov.cn/'))

    @with_transaction()
    def test_application_indicators(self):
        "The figures of the period's applications, worked out by hand"
        data = IndicatorData()
        apps = self.applications(data)
        context = dict(company=data.company.id, **AUTUMN)
        with on(d(11, 3)):
            total, = indicators('hall.indicator.application', **context)
        days = [apps[k].actual_days for k in ['done', 'spot']]
        self.assertEqual(total, {
                'received': 7, 'withdrawn': 1, 'concluded': 5,
                'rejected': 1, 'in_progress': 1,
                'conclusion_rate': 5 / 6, 'on_time': 4,
                'on_time_rate': 4 / 5, 'immediate': 1,
                'immediate_rate': 1 / 6, 'online': 1, 'online_rate': 1 / 6,
                'one_visit': 4, 'one_visit_rate': 4 / 5,
                'average_days': sum(days) / 2,
                })

        with on(d(11, 3)):
            months = indicators('hall.indicator.application.month',
                **context)
        self.assertEqual(
            [(m['month'], m['received'], m['concluded'], m['on_time'])
                for m in months],
            [(d(9, 1), 4, 4, 3), (d(10, 1), 3, 1, 1)])

        with on(d(11, 3)):
            halls = indicators('hall.indicator.application.hall', **context)
        self.assertEqual(
            {h['hall']: (h['received'], h['concluded']) for h in halls},
            {data.hall: (5, 4), data.town: (1, 0), data.village: (1, 1)})

        with on(d(11, 3)):
            departments = indicators(
                'hall.indicator.application.department', **context)
        self.assertEqual(
            [(r['department'], r['received']) for r in departments],
            [(data.department, 7)])

    @with_transaction()
    def test_period_end(self):
        """A period's figures count what had happened by its end: the
        rejection of October is not a conclusion of September"""
        data = IndicatorData()
        self.applications(data)
        context = dict(company=data.company.id, **SEPTEMBER)
        with on(d(11, 3)):
            total, = indicators('hall.indicator.application', **context)
        self.assertEqual(
            (total['received'], total['concluded'], total['in_progress']),
            (4, 3, 1))
        # a period not ended counts the conclusions up to today
        for to_date in [d(12, 31), None]:
            with self.subTest(to_date=to_date), on(d(10, 1)):
                total, = indicators('hall.indicator.application',
                    company=data.company.id, from_date=d(9, 1),
                    to_date=to_date)
                self.assertEqual(
                    (total['received'], total['concluded']), (7, 3))
        # nothing received: no row
        self.assertEqual(indicators('hall.indicator.application',
                company=data.company.id, from_date=d(1, 1),
                to_date=d(1, 31)), [])

    @with_transaction()
    def test_hall_scope(self):
        "One hall, a hall with those below it, or every hall"
        data = IndicatorData()
        self.applications(data)
        for hall, sub_halls, received in [
                (None, False, 7),
                (data.hall, True, 7),
                (data.hall, False, 5),
                (data.town, True, 2),
                (data.town, False, 1),
                (data.village, True, 1),
                ]:
            with self.subTest(hall=hall and hall.name, sub_halls=sub_halls):
                with on(d(11, 3)):
                    total, = indicators('hall.indicator.application',
                        company=data.company.id, hall=hall and hall.id,
                        sub_halls=sub_halls, **AUTUMN)
                self.assertEqual(total['received'], received)

    @with_transaction()
    def test_catalogue_indicators(self):
        "The services in force at a date, worked out by hand"
        pool = Pool()
        Service = pool.get('hall.service')
        data = IndicatorData()
        # licence: 20/5, halved; registration: 15/0, done on the spot
        data.licence.online = True
        data.licence.full_online = True
        data.licence.save()
        data.registration.max_visits = 'more'
        data.registration.comprehensive = False
        data.registration.save()
        old, new = Service.create([{
                    'code': 'OLD-1', 'name': "旧事项",
                    'department': data.department.id,
                    'legal_limit': 10, 'promised_limit': 8,
                    'end_date': d(6, 30),
                    }, {
                    'code': 'NEW-1', 'name': "新事项",
                    'department': data.department.id,
                    'legal_limit': 30, 'promised_limit': 20,
                    'online': True, 'start_date': d(10, 1),
                    }])
        context = {'company': data.company.id}
        total, = indicators('hall.indicator.catalogue', date=d(9, 1),
            **context)
        self.assertEqual(total, {
                'services': 2, 'online': 1, 'online_rate': 0.5,
                'full_online': 1, 'full_online_rate': 0.5,
                'one_visit': 1, 'one_visit_rate': 0.5,
                'comprehensive': 1, 'comprehensive_rate': 0.5,
                'immediate': 1, 'halved': 2, 'halved_rate': 1.0,
                'compression_rate': 1 - 5 / 35,
                })
        for date, services in [
                (d(6, 30), 3), (d(7, 1), 2), (d(10, 1), 3)]:
            with self.subTest(date=date):
                total, = indicators('hall.indicator.catalogue', date=date,
                    **context)
                self.assertEqual(total['services'], services)
        # archived without an end date: out of the catalogue
        Service.write([data.registration], {'active': False})
        total, = indicators('hall.indicator.catalogue', date=d(9, 1),
            **context)
        self.assertEqual(total['services'], 1)
        # the services of the windows of the town (and the village)
        total, = indicators('hall.indicator.catalogue', date=d(10, 1),
            hall=data.town.id, sub_halls=True, **context)
        self.assertEqual(total['services'], 1)
        rows = indicators('hall.indicator.catalogue.department',
            date=d(10, 1), **context)
        self.assertEqual([(r['department'], r['services']) for r in rows],
            [(data.department, 2)])

    @with_transaction()
    def test_board(self):
        """The board: this month and this year to today beside the same
        spans of last year, as they stood on the same day"""
        pool = Pool()
        Board = pool.get('hall.indicator.application.board')
        data = IndicatorData()
        self.applications(data)
        # last year: one received on 2024-10-10, approved on 2024-10-14
        # (after the same day of last year)
        data.worked([(dt.date(2024, 10, 10), 'receive'),
                (dt.date(2024, 10, 10), 'accept'),
                (dt.date(2024, 10, 14), 'approve')])
        with on(d(10, 10)), Transaction().set_context(
                company=data.company.id):
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.application.board')}
            self.assertEqual(
                {p: (r['from_date'], r['to_date'], r['received'],
                        r['concluded']) for p, r in rows.items()}, {
                    'month': (d(10, 1), d(10, 10), 3, 0),
                    'month_last_year': (
                        dt.date(2024, 10, 1), dt.date(2024, 10, 10), 1, 0),
                    'year': (d(1, 1), d(10, 10), 7, 3),
                    'year_last_year': (
                        dt.date(2024, 1, 1), dt.date(2024, 10, 10), 1, 0),
                    })
            # the change on last year: relative for a count (none without
            # last year's), in points for a rate
            self.assertEqual(
                {p: (r['received_change'], r['concluded_change'],
                        r['conclusion_rate_change'])
                    for p, r in rows.items()}, {
                    'month': (2.0, None, 0.0),
                    'month_last_year': (None, None, None),
                    'year': (6.0, None, rows['year']['conclusion_rate']),
                    'year_last_year': (None, None, None),
                    })
            month, = Board.search([('period', '=', 'month')])
            action = Board.open_records([month])
        self.assertEqual(action['res_model'], 'hall.application')
        self.assertIn('"received_date", ">=", {"__class__": "Date", '
            '"y": 2025, "M": 10, "d": 1', action['pyson_domain'])

    @with_transaction()
    def test_visitors_and_waits(self):
        """Visitors (tickets issued, not those transferred) and waits by
        hall scope, by month and on the board beside last year"""
        pool = Pool()
        Board = pool.get('hall.indicator.queue.board')
        data = IndicatorData()
        tickets(data.hall, [
                (dt.date(2024, 10, 5), 'done', 60),
                (d(10, 2), 'done', 60), (d(10, 2), 'done', 120),
                (d(10, 2), 'no_show', 600), (d(10, 11), 'done', 30),
                (d(9, 30), 'done', 1020), (d(9, 30), 'waiting', None),
                ])
        tickets(data.town, [(d(10, 3), 'done', 300)])
        # a ticket transferred to another queue counts one visitor
        transferred, = tickets(data.town, [(d(10, 3), 'done', 0)])
        tickets(data.town, [(d(10, 3), 'done', 0)],
            transferred_from=transferred)
        with on(d(10, 10)), Transaction().set_context(
                company=data.company.id):
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.queue.board')}
            self.assertEqual(
                {p: (r['issued'], r['served'], r['no_show'],
                        round(r['average_wait'], 4), r['p90_wait'])
                    for p, r in rows.items()}, {
                    # waits 0, 0, 60, 120, 300 and 600 seconds: the 90th
                    # percentile is the 6th of 6 (nearest rank)
                    'month': (5, 5, 1, 3.0, 10.0),
                    'month_last_year': (1, 1, 0, 1.0, 1.0),
                    'year': (7, 6, 1, 5.0, 17.0),
                    'year_last_year': (1, 1, 0, 1.0, 1.0),
                    })
            self.assertEqual(
                {p: (r['issued_change'], r['average_wait_change']
                        and round(r['average_wait_change'], 4))
                    for p, r in rows.items()}, {
                    'month': (4.0, 2.0),
                    'month_last_year': (None, None),
                    'year': (6.0, 4.0),
                    'year_last_year': (None, None),
                    })
            month, = Board.search([('period', '=', 'month')])
            action = Board.open_records([month])
            self.assertEqual(action['res_model'], 'hall.ticket')
            period = {'from_date': d(9, 1), 'to_date': d(10, 10)}
            self.assertEqual(
                {r['month']: r['issued'] for r in indicators(
                        'hall.indicator.queue.month', **period)},
                {d(9, 1): 2, d(10, 1): 5})
            self.assertEqual(
                {r['hall']: r['issued'] for r in indicators(
                        'hall.indicator.queue.hall', **period)},
                {data.hall: 5, data.town: 2})
            for hall, sub_halls, issued in [
                    (data.hall, True, 7), (data.hall, False, 5),
                    (data.town, True, 2), (data.village, True, None),
                    (None, False, 7)]:
                total = indicators('hall.indicator.queue', **period,
                    hall=hall.id if hall else None, sub_halls=sub_halls)
                self.assertEqual(
                    total[0]['issued'] if total else None, issued,
                    (hall, sub_halls))
            Report = pool.get('hall.indicator.work_report', type='report')
            _, content, _, _ = Report.execute([], {
                    'company': data.company.id, 'from_date': d(1, 1),
                    'to_date': d(10, 10), 'hall': None, 'sub_halls': True})
        self.assertIn("二、大厅人流量\n接待办事群众7人次，办理6人次，"
            "平均等候5分钟，九成群众等候不超过17分钟。", report_text(content))

    @with_transaction()
    def test_ratings(self):
        """好差评 of the halls: ratings, satisfaction, composite score,
        promotion rate (rated ÷ completed) and rectification rate"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Board = pool.get('hall.indicator.evaluation.board')
        data = IndicatorData()

        def rated(application, level, reason=None):
            return Evaluation.create([{
                        'company': data.company.id,
                        'application': application.id,
                        'channel': 'window_device',
                        'level': level,
                        'reason': reason,
                        'rated_at': dt.datetime(2025, 10, 9, 2),
                        }])
        with on(d(10, 9)):
            done = [data.worked([(d(10, 9), 'receive'), (d(10, 9), 'accept'),
                        (d(10, 9), 'approve'), (d(10, 9), 'complete')],
                    window=window, service=data.licence)
                for window in [data.a01, data.a01, data.a01, data.t01]]
            rated(done[0], 'very_satisfied')
            rated(done[1], 'basic')
            rated(done[3], 'dissatisfied', "等候过久")
        with on(d(10, 10)), Transaction().set_context(
                company=data.company.id):
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.evaluation.board')}
            month = rows['month']
            self.assertEqual(
                (month['ratings'], month['bad'],
                    round(month['satisfaction_rate'], 4),
                    round(month['score'], 2), month['completed'],
                    month['rated'],
                    month['rating_rate'], month['rectifications'],
                    month['rectified'], month['ratings_change']),
                (3, 1, round(2 / 3, 4), round(20 / 3, 2), 4, 3, 0.75, 1, 0,
                    None))
            self.assertEqual(rows['month_last_year']['ratings'], None)
            board_month, = Board.search([('period', '=', 'month')])
            action = Board.open_records([board_month])
            self.assertEqual(action['res_model'], 'hall.evaluation')
            self.assertEqual(
                {r['hall']: (r['ratings'], r['bad']) for r in indicators(
                        'hall.indicator.evaluation.hall',
                        from_date=d(10, 1), to_date=d(10, 31))},
                {data.hall: (2, 0), data.town: (1, 1)})
            self.assertEqual(
                {r['hall']: r['ratings'] for r in indicators(
                        'hall.indicator.evaluation.hall',
                        from_date=d(10, 1), to_date=d(10, 31),
                        hall=data.town.id, sub_halls=True)},
                {data.town: 1})

    @with_transaction()
    def test_green_channel(self):
        """The green channel's items on the board and in the report, for
        the whole company"""
        from trytond.modules.hall_green_channel.tests.test_module import (
            GreenData)
        pool = Pool()
        Report = pool.get('hall.indicator.work_report', type='report')
        data = GreenData()
        data.project(data.enterprise_a, data.officer, [data.land])
        # accepted 29 September 2026, completed 12 October: 5 working days
        # of a legal limit of 20
        data.application(data.enterprise_a, data.land,
            accepted=dt.date(2026, 9, 29), completed=dt.date(2026, 10, 12))
        with on(dt.date(2026, 10, 20)), Transaction().set_context(
                company=data.company.id):
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.green_channel.board')}
            self.assertEqual(
                {p: (r['projects'], r['items'], r['completed'],
                        r['speed_up_rate'])
                    for p, r in rows.items()}, {
                    'month': (0, 0, None, None),
                    'month_last_year': (0, 0, None, None),
                    'year': (1, 1, 1, 0.75),
                    'year_last_year': (0, 0, None, None),
                    })
            self.assertEqual(rows['year']['items_change'], None)
            _, content, _, _ = Report.execute([], {
                    'company': data.company.id,
                    'from_date': dt.date(2026, 1, 1),
                    'to_date': dt.date(2026, 10, 19), 'hall': None})
            text = report_text(content)
            self.assertIn("重大项目绿色通道\n绿色通道办理事项1件（1个项目），"
                "办结1件，提速率75%。", text)
            self.assertIn("帮办代办\n期间未办理帮办代办事项。", text)
            # not a hall's: left out of a hall's report
            _, content, _, _ = Report.execute([], {
                    'company': data.company.id,
                    'from_date': dt.date(2026, 1, 1),
                    'to_date': dt.date(2026, 10, 19), 'hall': data.hall.id})
            self.assertNotIn("绿色通道", report_text(content))

    @with_transaction()
    def test_deliveries(self):
        "The free deliveries on the board beside last year and in the report"
        from trytond.modules.hall import clock
        from trytond.modules.hall_delivery.batch import dispatch
        from trytond.modules.hall_delivery.tests.tools import (
            packed_delivery, setup_delivery_data)
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        Report = pool.get('hall.indicator.work_report', type='report')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            pieces = [packed_delivery(courier, address, f'EA{i}')
                for i in range(3)]
            for when, dispatched in [
                    (dt.datetime(2025, 10, 2, 2), pieces[:2]),
                    (dt.datetime(2024, 10, 3, 2), pieces[2:])]:
                with patch.object(clock, 'utcnow', return_value=when):
                    dispatch(courier, dispatched, "刘洋")
            Delivery.write(pieces[:1], {'signed_by': "张建明"})
            Delivery.deliver(pieces[:1], when=dt.datetime(2025, 10, 3, 2))
        with on(d(10, 10)), Transaction().set_context(company=company.id):
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.delivery.board')}
            self.assertEqual(
                {p: (r['deliveries'], r['delivered'], r['delivered_rate'],
                        r['deliveries_change'])
                    for p, r in rows.items()}, {
                    'month': (2, 1, 0.5, 1.0),
                    'month_last_year': (1, 0, 0.0, None),
                    'year': (2, 1, 0.5, 1.0),
                    'year_last_year': (1, 0, 0.0, None),
                    })
            _, content, _, _ = Report.execute([], {
                    'company': company.id, 'from_date': d(1, 1),
                    'to_date': d(10, 10), 'hall': None})
        self.assertIn("免费寄递\n免费寄递证照2件，妥投1件，妥投率50%。",
            report_text(content))

    @with_transaction()
    def test_content(self):
        """The problems of the website and new media on the board beside
        last year and in the report, and the sites and accounts at risk"""
        pool = Pool()
        Site = pool.get('content.site')
        Channel = pool.get('content.channel')
        Article = pool.get('content.article')
        Rectification = pool.get('content.rectification')
        Report = pool.get('hall.indicator.work_report', type='report')
        data = IndicatorData()
        company = data.company.id
        site, = Site.create([{'company': company, 'name': "江城区政府网站"}])
        column, account, quiet = Channel.create([{
                    'company': company, 'kind': 'column', 'site': site.id,
                    'name': "政务要闻", 'update_class': 'dynamic',
                    'editors': [('add', [data.manager.id])],
                    }, {
                    'company': company, 'kind': 'account',
                    'name': "江城发布", 'platform': 'wechat',
                    'opened_date': d(1, 6),
                    }, {
                    'company': company, 'kind': 'account',
                    'name': "江城政务", 'platform': 'weibo',
                    'opened_date': d(1, 6), 'manual_last_update': d(10, 8),
                    }])
        first, second, third = Article.create([{
                    'company': company, 'title': title, 'body': "正文",
                    'author': data.manager.id,
                    'channels': [('add', [column.id])],
                    } for title in ["稿件一", "稿件二", "稿件三"]])
        entries = Rectification.create([{
                    'company': company, 'category': category,
                    'source': 'self_check', 'reported_date': reported,
                    'article': article.id, 'description': "问题",
                    } for category, reported, article in [
                    # two problems of one article: one article rectified
                    ('privacy', d(10, 5), first),
                    ('privacy', d(10, 6), first),
                    ('expression', d(9, 10), second),
                    ('typo', d(10, 7), third),
                    ('privacy', dt.date(2024, 10, 5), third),
                    # a draft is not in the ledger
                    ('link', d(10, 8), third),
                    ]])
        Rectification.register(entries[:5])
        # the numbers of the ledger restart each year
        self.assertEqual([e.number for e in entries[:5]], [
                'ZG2025-0001', 'ZG2025-0002', 'ZG2025-0003', 'ZG2025-0004',
                'ZG2024-0001'])
        for entry in entries[:5]:
            entry.measures = "已修改原文"
        Rectification.save(entries[:5])
        Rectification.rectify([entries[i] for i in [0, 1, 2, 4]])

        with on(d(10, 10)), Transaction().set_context(company=company):
            Site.update_indicators([site])
            Channel.update_indicators([column, account, quiet])
            rows = {r['period']: r for r in indicators(
                        'hall.indicator.content.board')}
            self.assertEqual(
                {p: (r['entries'], r['rectified'], r['rectified_articles'],
                        r['privacy_articles'], r['expression_articles'],
                        r['typo_articles'], r['entries_change'])
                    for p, r in rows.items()}, {
                    'month': (3, 2, 1, 1, 0, 0, 2.0),
                    'month_last_year': (1, 1, 1, 1, 0, 0, None),
                    'year': (4, 3, 2, 1, 1, 0, 3.0),
                    'year_last_year': (1, 1, 1, 1, 0, 0, None),
                    })
            self.assertAlmostEqual(rows['year']['rectification_rate'], 0.75)
            # the site's column never had content: the homepage is stale;
            # the account never posted since it opened in January
            self.assertEqual(
                [(r['kind'], r['name'], r['risk'])
                    for r in indicators('hall.indicator.content.risk')], [
                    ('site', "江城区政府网站", 'veto'),
                    ('account', "江城发布", 'zombie'),
                    ])
            _, content, _, _ = Report.execute([], {
                    'company': company, 'from_date': d(1, 1),
                    'to_date': d(10, 10), 'hall': None})
        self.assertIn("政府网站与政务新媒体\n登记网站和政务新媒体内容问题4个，"
            "已整改3个，整改率75%；整改涉及个人隐私泄露稿件1条、"
            "表述错误稿件1条。", report_text(content))

    @with_transaction()
    def test_dashboard_areas(self):
        """The dashboard shows the board of each area activated after the
        applications', the catalogue last, the first time and from the
        cache"""
        pool = Pool()
        View = pool.get('ir.ui.view')
        ModelData = pool.get('ir.model.data')
        view = View(ModelData.get_id('hall_indicators', 'dashboard_view_board'))
        View._view_get_cache.clear()
        for _ in range(2):
            arch = view.view_get()['arch']
            self.assertEqual(re.findall(
                    r'act_indicator_(\w+)_board', arch), [
                    'application', 'queue', 'evaluation', 'green_channel',
                    'proxy', 'delivery', 'content', 'catalogue'])
            self.assertLess(arch.index('act_indicator_content_board'),
                arch.index('act_indicator_content_risk'))

    @with_transaction()
    def test_leader_home_is_the_dashboard(self):
        "A leader opens the dashboard at login, unless they chose otherwise"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        data = IndicatorData()
        dashboard = Action.get_action_id(
            ModelData.get_id('hall_indicators', 'act_dashboard'))
        # not the avatar: on SQLite in memory, making it commits the test's
        # transaction (trytond.ir.avatar starts a new one)
        self.enterContext(
            patch.object(User, '_preferences_fields', ['actions']))
        for user, actions in [
                (data.leader, [dashboard]), (data.manager, []),
                (data.li_user, [])]:
            with self.subTest(user=user.login):
                with Transaction().set_user(user.id):
                    self.assertEqual(
                        User.get_preferences()['actions'], actions)
        other = Action.get_action_id(
            ModelData.get_id('hall', 'act_application_form'))
        User.write([data.leader], {'actions': [('add', [other])]})
        with Transaction().set_user(data.leader.id):
            self.assertEqual(User.get_preferences()['actions'], [other])

    @with_transaction()
    def test_work_report(self):
        """The leader prints the yearly work report: the sentence of the
        applications and of the catalogue, and a row a month"""
        pool = Pool()
        Print = pool.get('hall.indicator.work_report.print', type='wizard')
        data = IndicatorData()
        self.applications(data)
        set_user, set_context = as_user(data.leader)
        with on(d(11, 3)), set_user, set_context:
            session_id, _, _ = Print.create()
            wizard = Print(session_id)
            self.assertEqual(
                (wizard.start.default_from_date(),
                    wizard.start.default_to_date()), (d(1, 1), d(10, 31)))
            wizard.start.company = data.company
            wizard.start.from_date = d(1, 1)
            wizard.start.to_date = d(10, 31)
            wizard.start.hall = None
            wizard.start.sub_halls = True
            _, report_data = wizard.do_print_({})
            Report = pool.get('hall.indicator.work_report', type='report')
            _, content, _, name = Report.execute([], report_data)
        text = report_text(content)
        self.assertIn("今年1至10月份政务服务工作情况统计", text)
        self.assertIn("今年1至10月份，全区各政务服务大厅收件7宗，办结5宗，"
            "办结率83.33%，按时办结率80%，网办率16.67%，最多跑一次率80%，"
            "马上办率16.67%。", text)
        self.assertIn("2项事项中可网办0项（0%）", text)
        self.assertIn("2025年9月\n4\n4\n100%\n75%\n0%\n75%\n25%\n", text)
        # a section an area, numbered, in the order of the areas
        self.assertIn("一、办件情况\n", text)
        self.assertIn("二、大厅人流量\n期间未接待取号办事群众。", text)
        self.assertIn("三、好差评\n期间未收到好差评评价。", text)
        self.assertIn("七、政府网站与政务新媒体\n期间未发现网站和政务新媒体内容问题。",
            text)
        self.assertIn("八、事项清单\n", text)

        with on(d(11, 3)), Transaction().set_context(
                company=data.company.id):
            _, content, _, _ = Report.execute([], dict(report_data,
                    hall=data.town.id, from_date=d(9, 1), to_date=d(9, 30)))
        self.assertIn("今年9月1日至9月30日，西湖街道便民服务中心及下级大厅未收件。",
            report_text(content))

    @with_transaction()
    def test_leader_reads_clerk_refused(self):
        "The leader and the manager read the indicators; a clerk may not"
        data = IndicatorData()
        self.applications(data)
        context = dict(company=data.company.id, **AUTUMN)
        for user in [data.leader, data.manager]:
            set_user, set_context = as_user(user)
            with self.subTest(user=user.login), on(d(11, 3)), set_user, \
                    set_context:
                total, = indicators('hall.indicator.application', **context)
                self.assertEqual(total['received'], 7)
                self.assertTrue(indicators(
                        'hall.indicator.catalogue', date=d(10, 1),
                        **context))
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            for model in ['hall.indicator.application',
                    'hall.indicator.application.month',
                    'hall.indicator.catalogue']:
                with self.subTest(model=model):
                    with self.assertRaises(AccessError):
                        indicators(model, **context)

    @with_transaction()
    def test_figures_once_a_readonly_request(self):
        """In a read-only request on PostgreSQL the figures are computed
        once for the search and the read, and are the same"""
        from trytond import backend
        from trytond.modules.hall import table_query
        pool = Pool()
        data = IndicatorData()
        self.applications(data)
        transaction = Transaction()
        models = ['hall.indicator.application.month',
            'hall.indicator.application.board', 'hall.indicator.queue',
            'hall.indicator.evaluation.board']
        set_user, set_context = as_user(data.leader)
        with on(d(11, 3)), set_user, set_context:
            figures = {m: indicators(m, **AUTUMN) for m in models}
            self.assertFalse(table_query._ROWS.get(transaction))
            transaction.readonly = True
            try:
                for model in models:
                    with self.subTest(model=model):
                        self.assertEqual(
                            indicators(model, **AUTUMN), figures[model])
                        Model = pool.get(model)
                        with Transaction().set_context(**AUTUMN):
                            names = list(next(iter(figures[model]), {}))
                            read = Model.search_read(
                                [], fields_names=list(names))
                        self.assertEqual(
                            [{n: r[n] for n in names} for r in read],
                            figures[model])
                        if backend.name == 'postgresql':
                            # the same user and context: not built again
                            with patch.object(Model, 'table_query',
                                    side_effect=AssertionError), \
                                    Transaction().set_context(**AUTUMN):
                                self.assertEqual(Model.search_read(
                                        [], fields_names=list(names)), read)
                computed = table_query._ROWS.get(transaction, {})
                if backend.name == 'postgresql':
                    self.assertEqual(
                        sorted({key[0] for key in computed}), sorted(models))
                    # one computation a model and context
                    self.assertEqual(len(computed), len(models))
                else:
                    self.assertFalse(computed)
            finally:
                transaction.readonly = False

    @with_transaction()
    def test_foreign_company_refused(self):
        """Every indicator refuses a company the user does not belong to,
        whatever context the request carries"""
        from trytond.modules.company.tests import create_company
        pool = Pool()
        data = IndicatorData()
        self.applications(data)
        other = create_company(name="另一个单位")
        models = sorted(name for name, Model in pool.iterobject()
            if (name.startswith('hall.indicator.')
                or name.startswith('hall.evaluation.kpi.')
                or name.startswith('hall.queue.statistics.')
                or name == 'content.rectification.monthly')
            and callable(getattr(Model, 'table_query', None))
            and Model.table_query())
        self.assertIn('hall.indicator.queue.board', models)
        set_user, set_context = as_user(data.leader)
        with on(d(11, 3)), set_user, set_context:
            for model in models:
                with self.subTest(model=model):
                    indicators(model, **AUTUMN)
                    with self.assertRaises(AccessError):
                        indicators(model, company=other.id, **AUTUMN)


class IndicatorRulesTestCase(unittest.TestCase):
    "The pure rules of the indicators"

    def test_year_start(self):
        self.assertEqual(rules.year_start(d(11, 3)), d(1, 1))

    def test_period_end(self):
        self.assertEqual(rules.period_end(d(9, 30), d(11, 3)), d(9, 30))
        self.assertEqual(rules.period_end(d(12, 31), d(11, 3)), d(11, 3))
        self.assertEqual(rules.period_end(None, d(11, 3)), d(11, 3))

    def test_board_periods(self):
        self.assertEqual(rules.board_periods(dt.date(2024, 2, 29)), [
                ('month', dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
                ('month_last_year', dt.date(2023, 2, 1),
                    dt.date(2023, 2, 28)),
                ('year', dt.date(2024, 1, 1), dt.date(2024, 2, 29)),
                ('year_last_year', dt.date(2023, 1, 1),
                    dt.date(2023, 2, 28)),
                ])

    def test_percent_text(self):
        for numerator, denominator, text in [
                (176401, 176401, '100%'), (9999, 10000, '99.99%'),
                (99999, 100000, '99.99%'), (106, 1000, '10.6%'),
                (1850, 1960, '94.39%'), (0, 5, '0%'), (1, 0, None)]:
            with self.subTest(numerator=numerator, denominator=denominator):
                self.assertEqual(
                    rules.percent_text(numerator, denominator), text)

    def test_period_text(self):
        today = d(11, 3)
        for from_date, to_date, text in [
                (d(1, 1), d(10, 31), '今年1至10月份'),
                (d(1, 1), d(1, 31), '今年1月份'),
                (dt.date(2024, 1, 1), dt.date(2024, 12, 31), '2024年全年'),
                (d(3, 5), d(6, 30), '今年3月5日至6月30日'),
                (dt.date(2024, 12, 1), d(1, 31),
                    '2024年12月1日至2025年1月31日'),
                ]:
            with self.subTest(from_date=from_date, to_date=to_date):
                self.assertEqual(
                    rules.period_text(from_date, to_date, today), text)

    def test_report_period(self):
        self.assertEqual(rules.report_period(d(11, 3)), (d(1, 1), d(10, 31)))
        self.assertEqual(rules.report_period(d(1, 15)),
            (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))

    def test_application_sentence(self):
        "Seed 004's sentence, from its figures"
        self.assertEqual(rules.application_sentence(
                '今年1至10月份', '全区各政务服务大厅', {
                    'received': 176401, 'withdrawn': 0,
                    'concluded': 176401, 'on_time': 176401,
                    'online': 0, 'one_visit': 176401, 'immediate': 0}),
            "今年1至10月份，全区各政务服务大厅收件176401宗，办结176401宗，"
            "办结率100%，按时办结率100%，网办率0%，最多跑一次率100%，"
            "马上办率0%。")

    def test_score_text(self):
        for score, text in [(9.98, '9.98'), (9.975, '9.98'), (9.5, '9.5'),
                (10, '10'), (9.9996, '9.99'), (8, '8'), (None, None)]:
            self.assertEqual(rules.score_text(score), text, score)

    def test_content_sentence(self):
        figures = {'entries': 0, 'rectified': 0}
        self.assertEqual(rules.content_sentence(figures),
            "期间未发现网站和政务新媒体内容问题。")
        # seed 004: 整改涉及个人隐私泄露稿件约150条,整改涉及表述错误稿件约500条
        figures = {'entries': 700, 'rectified': 690, 'privacy_articles': 150,
            'expression_articles': 500, 'typo_articles': 0}
        self.assertEqual(rules.content_sentence(figures),
            "登记网站和政务新媒体内容问题700个，已整改690个，整改率98.57%；"
            "整改涉及个人隐私泄露稿件150条、表述错误稿件500条。")

    def test_evaluation_sentence(self):
        "Seed 004's 好差评 from its figures"
        self.assertEqual(rules.evaluation_sentence({
                    'ratings': 176337, 'bad': 12, 'score': 9.9834,
                    'completed': 290703, 'rated': 176337,
                    'rectifications': 12, 'rectified': 12}),
            "好差评176337宗，满意率99.99%，综合评分9.98，推广度60.66%，"
            "差评12宗，整改12宗，差评整改率100%。")
        self.assertEqual(rules.evaluation_sentence({
                    'ratings': 0, 'bad': 0, 'score': None, 'completed': 3,
                    'rated': 0, 'rectifications': 0, 'rectified': 0}),
            "期间未收到好差评评价。")

    def test_visitor_sentence(self):
        self.assertEqual(rules.visitor_sentence({
                    'issued': 1150000, 'served': 1149000,
                    'average_wait': 12.46, 'p90_wait': 25.0}),
            "接待办事群众1150000人次，办理1149000人次，平均等候12.5分钟，"
            "九成群众等候不超过25分钟。")

    def test_level_ranks(self):
        from trytond.modules.hall_indicators.hall import LEVELS
        self.assertEqual([rules.LEVEL_RANKS[k] for k, _ in LEVELS],
            [0, 1, 2, 3])


del ModuleTestCase
