# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The public pages of the queue through the WSGI application: each request
runs in its own committed transaction, as on the server.  Every test works
on its own day (the queue's clock is moved), so that the numbers, the daily
caps and the throttle of one test do not meet those of another."""
import datetime as dt
import json
import re
import threading
import unittest
import urllib.parse
from http import HTTPStatus

from sql import Table

from trytond import backend
from trytond.i18n import gettext
from trytond.modules.hall.identity_rules import mask_id_number, mask_mobile
from trytond.modules.hall.public import MAX_BODY
from trytond.modules.hall.tests.public_tools import fuzz_public_routes
from trytond.modules.hall.tests.tools import commit
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client

from .tools import MONDAY_10, QueueData, at

ID_NUMBER = '11010519491231002X'
MOBILE = '13812345678'
CITIZEN = '张建明'   # the party of QueueData
PERSONAL = [ID_NUMBER, mask_id_number(ID_NUMBER), MOBILE,
    mask_mobile(MOBILE), CITIZEN, '张*明']


def local(day, hour=10, minute=0):
    """The UTC clock at `hour`:`minute` in Shanghai, `day` days after Monday
    23 November 2026 (a working week: 0-4, 7-11, 14-18)"""
    return MONDAY_10 + dt.timedelta(
        days=day, hours=hour - 10, minutes=minute)


def local_date(day):
    return dt.date(2026, 11, 23) + dt.timedelta(days=day)


class HallQueueRouteTestCase(RouteTestCase):
    "Test the public pages of Hall Queue"
    module = 'hall_queue'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commit(cls.create_data, user=1)

    commit = staticmethod(commit)

    @classmethod
    def create_data(cls):
        "The committed data of the tests"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Hall = pool.get('hall.hall')
        Queue = pool.get('hall.queue')
        Window = pool.get('hall.window')

        zh_cn, = Lang.search([('code', '=', 'zh_CN')])
        Lang.load_translations([zh_cn])

        data = QueueData()
        Window.open([data.a01, data.a02])
        capped, closed = Queue.create([{
                    'hall': data.hall.id, 'prefix': 'D', 'name': "限号办理",
                    'daily_cap': 2,
                    }, {
                    'hall': data.hall.id, 'prefix': 'C', 'name': "已停办",
                    'active': False,
                    }])
        other_hall, = Hall.create([{
                    'name': "另一个大厅", 'company': data.company.id}])
        other_queue, = Queue.create([{
                    'hall': other_hall.id, 'prefix': 'A', 'name': "其他"}])
        cls.ids = {
            'hall': data.hall.id,
            'other_hall': other_hall.id,
            'queue_a': data.queue_a.id,
            'queue_b': data.queue_b.id,
            'queue_capped': capped.id,
            'queue_closed': closed.id,
            'queue_other': other_queue.id,
            'licence': data.licence.id,
            'registration': data.registration.id,
            'a01': data.a01.id,
            'a02': data.a02.id,
            'citizen': data.citizen.id,
            }

    # --- helpers -------------------------------------------------------------

    def url(self, path, hall=None):
        if hall is None:
            hall = self.ids['hall']
        return f'/{DB_NAME}/hall/{hall}/{path}'

    def post(self, path, address, json_=None, data=None, hall=None,
            headers=None):
        return self.client().post(
            self.url(path, hall), json=json_, data=data,
            headers=headers or {},
            environ_base={'REMOTE_ADDR': address})

    def get(self, url, address='192.0.2.1', headers=None):
        return self.client().get(
            url, headers=headers or {},
            environ_base={'REMOTE_ADDR': address})

    def message(self, msg_id, **variables):
        "The message as the public pages show it (zh_CN)"
        with Transaction().start(
                DB_NAME, 0, readonly=True, context={'language': 'zh_CN'}):
            return gettext(msg_id, **variables)

    def tickets(self, date):
        "The numbers of the tickets of `date`"
        with Transaction().start(DB_NAME, 0, readonly=True):
            Ticket = Pool().get('hall.ticket')
            return sorted(t.number for t in Ticket.search([
                        ('date', '=', date),
                        ]))

    def kiosk_requests(self):
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get('hall.kiosk.request').search_count([])

    def assertNoPersonalData(self, text):
        for value in PERSONAL:
            self.assertNotIn(value, text)

    def call_next(self, window):
        with Transaction().start(DB_NAME, 0):
            return Pool().get('hall.window').call_next_ticket(
                self.ids[window])['number']

    def transfer(self, window, queue):
        "Transfer the ticket called at `window` to `queue`"
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        Queue = pool.get('hall.queue')
        Ticket.transfer_to([Window(self.ids[window]).current_ticket],
            Queue(self.ids[queue]))

    def finish_current(self, window, moment):
        "Serve the ticket called at `window` so that it is free again"
        with Transaction().start(DB_NAME, 0), at(moment):
            pool = Pool()
            Window = pool.get('hall.window')
            Ticket = pool.get('hall.ticket')
            ticket = Window(self.ids[window]).current_ticket
            if ticket:
                if ticket.state == 'called':
                    Ticket.start([ticket])
                Ticket.finish([Ticket(ticket.id)])

    # --- kiosk ---------------------------------------------------------------

    def test_kiosk_page(self):
        "The kiosk lists the active queues of the hall and their services"
        with at(local(0)):
            response = self.get(self.url('kiosk'))
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertEqual(response.mimetype, 'text/html')
        page = response.text
        self.assertIn('lang="zh-CN"', page)
        self.assertIn('自助取号', page)
        for text in ['测试大厅', '食品经营', '个体登记', '限号办理',
                '食品经营许可', '个体工商户登记', '预约签到']:
            self.assertIn(text, page)
        self.assertNotIn('已停办', page)   # inactive queue
        self.assertNotIn('其他', page)     # queue of another hall
        self.assertIn(f'name="service" value="{self.ids["licence"]}"', page)
        self.assertIn(f'name="queue" value="{self.ids["queue_b"]}"', page)
        # the inline script runs under the page's policy only
        nonce = re.search(r'<script nonce="([^"]+)"', page).group(1)
        self.assertIn(f"'nonce-{nonce}'",
            response.headers['Content-Security-Policy'])
        self.assertEqual(response.headers['Cache-Control'], 'no-store')

        # out of hours the queues say so and their buttons are disabled
        with at(local(0, 7)):
            page = self.get(self.url('kiosk')).text
        self.assertIn(self.message('hall_queue.msg_issue_out_of_hours',
                queue="食品经营", open='08:30', close='17:00'), page)
        self.assertIn('disabled', page)

    def test_kiosk_public_address(self):
        """With a public address the slip's QR code points there, wherever
        the kiosk reaches the server"""
        address = '198.51.100.2'
        with Transaction().start(DB_NAME, 0) as transaction:
            Hall = Pool().get('hall.hall')
            Hall.write(Hall.search([]),
                {'public_url': 'https://zwfw.example.gov.cn'})
            transaction.commit()
        try:
            with at(local(0)):
                third = self.post('kiosk', address, json_={
                        'queue': self.ids['queue_a']}).json
            self.assertEqual(third['status_url'],
                'https://zwfw.example.gov.cn/%s/hall/ticket/%s' % (
                    urllib.parse.quote(DB_NAME), third['token']))
            status = self.get(third['status_url'].replace(
                    'https://zwfw.example.gov.cn', '') + '.json')
            self.assertEqual(status.status_code, HTTPStatus.OK)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                Hall = Pool().get('hall.hall')
                Hall.write(Hall.search([]), {'public_url': None})
                transaction.commit()

    def test_kiosk_issue(self):
        "A service or a queue chosen at the kiosk gives a ticket"
        address = '198.51.100.1'
        with at(local(0)):
            response = self.post('kiosk', address, json_={
                    'service': self.ids['licence'],
                    'id_number': ID_NUMBER.lower(),
                    'mobile': '138 1234 5678',
                    })
            self.assertEqual(
                response.status_code, HTTPStatus.CREATED, response.text)
            first = response.json
            second = self.post('kiosk', address, json_={
                    'queue': self.ids['queue_a']}).json
            other = self.post('kiosk', address, json_={
                    'queue': str(self.ids['queue_b'])}).json
        self.assertEqual(first['status'], 'ok')
        self.assertEqual(
            [first['number'], second['number'], other['number']],
            ['A001', 'A002', 'B001'])
        self.assertEqual(first['queue'], "食品经营")
        self.assertEqual([first['ahead'], second['ahead']], [0, 1])
        self.assertEqual(first['issued_at'], '10:00')
        self.assertTrue(first['status_url'].startswith('http://localhost/'))
        self.assertTrue(first['status_url'].endswith(
                f'/{DB_NAME}/hall/ticket/{first["token"]}'))
        self.assertTrue(first['qr'].startswith('data:image/svg+xml;base64,'))
        # no module gives further links (hall.ticket public_links)
        self.assertEqual(first['links'], [])
        self.assertNoPersonalData(json.dumps(first, ensure_ascii=False))

        with Transaction().start(DB_NAME, 0, readonly=True), at(local(0)):
            Ticket = Pool().get('hall.ticket')
            ticket, = Ticket.search([('token', '=', first['token'])])
            self.assertEqual(ticket.channel, 'kiosk')
            self.assertEqual(ticket.service.id, self.ids['licence'])
            self.assertEqual(ticket.id_number, ID_NUMBER)
            self.assertEqual(ticket.mobile, MOBILE)
            self.assertEqual(
                first['estimated_wait_minutes'],
                ticket.estimated_wait_minutes(0))
            self.assertIsNotNone(first['estimated_wait_minutes'])
        self.assertEqual(self.tickets(local_date(0)), ['A001', 'A002', 'B001'])

        # the HTML form gives the kiosk page with the ticket
        with at(local(0, 10, 5)):
            response = self.post('kiosk', address, data={
                    'service': str(self.ids['registration']),
                    'id_number': '', 'mobile': ''})
        self.assertEqual(response.status_code, HTTPStatus.CREATED)
        self.assertEqual(response.mimetype, 'text/html')
        self.assertIn('<div id="slip-number">B002</div>', response.text)
        self.assertIn('http-equiv="refresh"', response.text)
        self.assertIn('<div id="slip-links" hidden="hidden">', response.text)

    def test_kiosk_form_origin(self):
        """The kiosk's forms work without script: the queue's pages keep
        the referrer on the site, so that the browsers post the forms with
        the page's origin; with 'no-referrer' they would send Origin: null,
        which trytond refuses"""
        address = '198.51.100.9'
        form = {'queue': str(self.ids['queue_a']),
            'id_number': '', 'mobile': ''}
        with at(local(10)):
            page = self.get(self.url('kiosk'))
            self.assertEqual(page.headers['Referrer-Policy'], 'same-origin')
            response = self.post('kiosk', address, data=form,
                headers={'Origin': 'http://localhost'})
            self.assertEqual(response.status_code, HTTPStatus.CREATED)
            self.assertIn('<div id="slip-number">A001</div>', response.text)
            self.assertEqual(
                response.headers['Referrer-Policy'], 'same-origin')
            # Origin: null and a foreign origin are refused, in Chinese
            # (trytond raises the 403 out of its application)
            for origin in ['null', 'http://evil.example']:
                with self.subTest(origin=origin):
                    refused = self.post('kiosk', address, data=form,
                        headers={'Origin': origin})
                    self.assertEqual(
                        refused.status_code, HTTPStatus.FORBIDDEN)
                    self.assertIn("拒绝访问", refused.text)
                    refused = self.post('kiosk', address, json_=form,
                        headers={'Origin': origin})
                    self.assertEqual(
                        refused.status_code, HTTPStatus.FORBIDDEN)
                    self.assertIn("拒绝访问", refused.json['message'])
        self.assertEqual(self.tickets(local_date(10)), ['A001'])

    def test_kiosk_bad_input(self):
        "Each bad input gives its message and changes nothing"
        address = '198.51.100.2'
        unknown = self.message('hall_queue.msg_kiosk_queue_unknown')
        id_number = self.message('hall_queue.msg_kiosk_id_number_invalid')
        mobile = self.message('hall_queue.msg_kiosk_mobile_invalid')
        cases = [
            ({'queue': self.ids['queue_a'], 'id_number': '110105194912310021'},
                id_number),
            ({'queue': self.ids['queue_a'], 'mobile': '1381234567'}, mobile),
            # absurd values, not written back
            ({'queue': self.ids['queue_a'], 'mobile': '1' * 100_000},
                mobile),
            ({'queue': self.ids['queue_a'], 'id_number': '1' * 100_000},
                id_number),
            ({}, unknown),
            ({'queue': 'A'}, unknown),
            ({'queue': 999999}, unknown),
            ({'queue': '1' * 20}, unknown),
            ({'queue': 10 ** 30}, unknown),
            ({'queue': -1}, unknown),
            ({'queue': [1]}, unknown),
            ({'service': '9' * 30}, unknown),
            ({'queue': self.ids['queue_other']}, unknown),
            ({'service': 999999}, unknown),
            ({'queue': self.ids['queue_b'], 'service': self.ids['licence']},
                self.message('hall_queue.msg_issue_service_queue',
                    queue="个体登记")),
            ]
        requests = self.kiosk_requests()
        with at(local(1)):
            for values, message in cases:
                with self.subTest(values=values):
                    response = self.post('kiosk', address, json_=values)
                    self.assertEqual(
                        response.status_code, HTTPStatus.BAD_REQUEST)
                    self.assertEqual(response.json,
                        {'status': 'error', 'message': message})
                    self.assertNotIn('1' * 100, response.text)
            # the form answers with the page, the message and what was typed
            response = self.post('kiosk', address, data={
                    'queue': str(self.ids['queue_a']),
                    'id_number': '110105194912310021', 'mobile': ''})
            self.assertEqual(response.status_code, HTTPStatus.BAD_REQUEST)
            self.assertIn(cases[0][1], response.text)
            self.assertIn('value="110105194912310021"', response.text)
            # but not an absurd value
            response = self.post('kiosk', address, data={
                    'queue': str(self.ids['queue_a']),
                    'mobile': '1' * 100_000})
            self.assertEqual(response.status_code, HTTPStatus.BAD_REQUEST)
            self.assertIn(mobile, response.text)
            self.assertNotIn('1' * 100, response.text)
            # a body too large
            response = self.post('kiosk', address, data={
                    'queue': str(self.ids['queue_a']),
                    'mobile': '1' * (MAX_BODY + 1)})
            self.assertEqual(
                response.status_code, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            self.assertIn("提交的内容过大", response.text)
            # not JSON at all
            response = self.client().post(
                self.url('kiosk'), data='[1, 2]',
                content_type='application/json',
                environ_base={'REMOTE_ADDR': address})
            self.assertEqual(response.status_code, HTTPStatus.BAD_REQUEST)
        self.assertEqual(self.tickets(local_date(1)), [])
        self.assertEqual(self.kiosk_requests(), requests)

    def test_kiosk_refusals(self):
        "A closed queue, out of hours, a closed day and the daily cap"
        address = '198.51.100.3'
        cases = [
            (local(2), {'queue': self.ids['queue_closed']},
                self.message('hall_queue.msg_issue_queue_inactive',
                    queue="已停办")),
            (local(2, 8, 29), {'service': self.ids['licence']},
                self.message('hall_queue.msg_issue_out_of_hours',
                    queue="食品经营", open='08:30', close='17:00')),
            (local(2, 17), {'queue': self.ids['queue_a']},
                self.message('hall_queue.msg_issue_out_of_hours',
                    queue="食品经营", open='08:30', close='17:00')),
            # Saturday 28 November 2026
            (local(5), {'queue': self.ids['queue_a']},
                self.message('hall_queue.msg_issue_closed_day',
                    queue="食品经营", date='2026-11-28')),
            ]
        for moment, values, message in cases:
            with self.subTest(values=values, moment=moment), at(moment):
                response = self.post('kiosk', address, json_=values)
                self.assertEqual(response.status_code, HTTPStatus.CONFLICT)
                self.assertEqual(response.json['message'], message)
        self.assertEqual(self.tickets(local_date(2)), [])
        self.assertEqual(self.tickets(local_date(5)), [])

        with at(local(2)):
            for _ in range(2):
                response = self.post('kiosk', address, json_={
                        'queue': self.ids['queue_capped']})
                self.assertEqual(response.status_code, HTTPStatus.CREATED)
            response = self.post('kiosk', address, json_={
                    'queue': self.ids['queue_capped']})
        self.assertEqual(response.status_code, HTTPStatus.CONFLICT)
        self.assertEqual(response.json['message'], self.message(
                'hall_queue.msg_issue_daily_cap', queue="限号办理", cap=2))
        self.assertEqual(self.tickets(local_date(2)), ['D001', 'D002'])

    def test_kiosk_throttle(self):
        "An address gets its tickets of the minute, then waits"
        def set_limit(limit):
            Configuration = Pool().get('hall.configuration')
            configuration = Configuration(1)
            previous = configuration.kiosk_requests_per_minute
            configuration.kiosk_requests_per_minute = limit
            configuration.save()
            return previous
        self.addCleanup(self.commit, set_limit, self.commit(set_limit, 2))
        throttled = self.message('hall_queue.msg_kiosk_throttled')
        queue = {'queue': self.ids['queue_a']}
        address = '203.0.113.7'

        with at(local(3)):
            # a refused request does not count
            self.post('kiosk', address, json_={**queue, 'mobile': '12'})
            for _ in range(2):
                response = self.post('kiosk', address, json_=queue)
                self.assertEqual(response.status_code, HTTPStatus.CREATED)
            response = self.post('kiosk', address, json_=queue)
            self.assertEqual(
                response.status_code, HTTPStatus.TOO_MANY_REQUESTS)
            self.assertEqual(response.json['message'], throttled)
            response = self.post('kiosk', address, data={
                    'queue': str(self.ids['queue_a'])})
            self.assertEqual(
                response.status_code, HTTPStatus.TOO_MANY_REQUESTS)
            self.assertIn(throttled, response.text)
            # another address is served
            response = self.post('kiosk', '203.0.113.8', json_=queue)
            self.assertEqual(response.status_code, HTTPStatus.CREATED)
        self.assertEqual(
            self.tickets(local_date(3)), ['A001', 'A002', 'A003'])
        with at(local(3) + dt.timedelta(seconds=61)):
            response = self.post('kiosk', address, json_=queue)
            self.assertEqual(response.status_code, HTTPStatus.CREATED)

        # failed appointment look-ups count: codes cannot be tried at speed
        address = '203.0.113.9'
        with at(local(3, 11)):
            for _ in range(2):
                response = self.post(
                    'kiosk/check-in', address, json_={'code': '12345678'})
                self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
            response = self.post(
                'kiosk/check-in', address, json_={'code': '12345678'})
            self.assertEqual(
                response.status_code, HTTPStatus.TOO_MANY_REQUESTS)
            response = self.post('kiosk', address, json_=queue)
            self.assertEqual(
                response.status_code, HTTPStatus.TOO_MANY_REQUESTS)

    def test_kiosk_check_in(self):
        "A booking code or an ID number checks today's appointment in"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Slot = pool.get('hall.queue.slot')
            Appointment = pool.get('hall.appointment')
            slot, later = Slot.create([{
                        'queue': self.ids['queue_a'], 'date': local_date(8),
                        'start_time': dt.time(11, 0),
                        'end_time': dt.time(11, 30), 'capacity': 3,
                        }, {
                        'queue': self.ids['queue_a'], 'date': local_date(8),
                        'start_time': dt.time(15, 0),
                        'end_time': dt.time(15, 30), 'capacity': 3,
                        }])
            with at(local(7)):
                by_code, by_id, early = Appointment.create([
                        {'slot': slot.id, 'mobile': MOBILE},
                        {'slot': slot.id, 'id_number': ID_NUMBER},
                        {'slot': later.id, 'mobile': '13912345678'},
                        ])
            codes = {a.id: a.code for a in [by_code, by_id, early]}
        address = '198.51.100.4'
        with at(local(8, 10, 40)):
            # a walk-in first
            walk_in = self.post('kiosk', address, json_={
                    'queue': self.ids['queue_a']}).json
            response = self.post('kiosk/check-in', address, json_={
                    'code': codes[by_code.id]})
            self.assertEqual(
                response.status_code, HTTPStatus.CREATED, response.text)
            checked_in = response.json
            response = self.post('kiosk/check-in', address, data={
                    'code': ID_NUMBER.lower()})
            self.assertEqual(response.status_code, HTTPStatus.CREATED)
            self.assertIn('A003', response.text)

            response = self.post('kiosk/check-in', address, json_={
                    'code': codes[early.id]})
            self.assertEqual(response.status_code, HTTPStatus.CONFLICT)
            self.assertEqual(response.json['message'], self.message(
                    'hall_queue.msg_appointment_too_early',
                    appointment=f'{codes[early.id]} A 食品经营 '
                    f'{local_date(8):%Y-%m-%d} 15:00-15:30',
                    start='14:30'))
            for code in ['', '1234', codes[by_code.id]]:
                with self.subTest(code=code):
                    response = self.post(
                        'kiosk/check-in', '198.51.100.14',
                        json_={'code': code})
                    self.assertEqual(
                        response.status_code, HTTPStatus.NOT_FOUND)
                    self.assertEqual(response.json['message'], self.message(
                            'hall_queue.msg_appointment_not_found'))
        self.assertEqual(walk_in['number'], 'A001')
        self.assertEqual(checked_in['number'], 'A002')
        self.assertEqual(checked_in['priority'], 'appointment')
        # the appointment is called before the walk-in
        self.assertEqual(checked_in['ahead'], 0)
        self.assertEqual(
            self.tickets(local_date(8)), ['A001', 'A002', 'A003'])
        with Transaction().start(DB_NAME, 0, readonly=True):
            Appointment = Pool().get('hall.appointment')
            self.assertEqual(
                [Appointment(i).state for i in [by_code.id, by_id.id,
                        early.id]],
                ['checked_in', 'checked_in', 'booked'])
            self.assertEqual(
                Appointment(by_code.id).ticket.token, checked_in['token'])

    # --- display board -------------------------------------------------------

    def test_display(self):
        "The board shows the new call and the waiting, no personal data"
        address = '198.51.100.5'
        with at(local(4)):
            response = self.get(self.url('display'))
            self.assertEqual(response.status_code, HTTPStatus.OK)
            self.assertIn('叫号显示屏', response.text)
            self.assertIn(
                f'data-board-url="http://localhost/{DB_NAME}/hall/'
                f'{self.ids["hall"]}/display.json"', response.text)

            board = self.get(self.url('display.json')).json
            self.assertEqual(board['calls'], [])
            for values in [
                    {'queue': self.ids['queue_a'], 'id_number': ID_NUMBER,
                        'mobile': MOBILE},
                    {'queue': self.ids['queue_a']},
                    {'queue': self.ids['queue_b']}]:
                self.post('kiosk', address, json_=values)
        with Transaction().start(DB_NAME, 0):
            Ticket = Pool().get('hall.ticket')
            ticket, = Ticket.search([
                    ('date', '=', local_date(4)), ('number', '=', 'A001')])
            Ticket.write([ticket], {'party': self.ids['citizen']})
        try:
            with at(local(4, 10, 1)):
                self.assertEqual(self.call_next('a01'), 'A001')
                response = self.get(self.url('display.json'))
            self.assertEqual(response.status_code, HTTPStatus.OK)
            self.assertEqual(response.mimetype, 'application/json')
            board = response.json
            self.assertNoPersonalData(response.text)
        finally:
            self.finish_current('a01', local(4, 10, 10))
        self.assertEqual(board['hall'], '测试大厅')
        call, = board['calls']
        self.assertEqual(call['number'], 'A001')
        self.assertEqual(call['window'], 'A01')
        self.assertEqual(call['text'], '请 A001 号到 A01 号窗口办理')
        self.assertEqual(call['at'], '10:01:00')
        self.assertIn({'window': 'A01', 'state': 'open', 'ticket': 'A001',
                'ticket_state': 'called'}, board['windows'])
        waiting = {q['prefix']: q['waiting'] for q in board['queues']}
        self.assertEqual(waiting, {'A': 1, 'B': 1, 'D': 0})

    def test_display_options(self):
        """?voice=1 asks the board to speak without a click, ?interval=N
        turns its pages every N seconds; any other value is the default"""
        def body(query):
            response = self.get(self.url('display') + query)
            self.assertEqual(response.status_code, HTTPStatus.OK)
            return re.search(r'<body [^>]*>', response.text).group(0)

        with at(local(4)):
            page = body('')
            self.assertIn('data-voice="0"', page)
            self.assertIn('data-interval="10"', page)
            page = body('?voice=1&interval=5')
            self.assertIn('data-voice="1"', page)
            self.assertIn('data-interval="5"', page)
            for value in ['0', '1', '301', '99999', 'abc', '-5', '5.5',
                    '\u00b2', '%00', '1' * 5000]:
                with self.subTest(interval=value):
                    page = body(f'?voice=yes&interval={value}')
                    self.assertIn('data-voice="0"', page)
                    self.assertIn('data-interval="10"', page)

    def board_calls(self, moment):
        "The calls of the display board at `moment`: (number, recall, id)"
        with at(moment):
            response = self.get(self.url('display.json'))
        self.assertEqual(response.status_code, HTTPStatus.OK)
        return [(c['number'], c['window'], c['recall'], c['id'])
            for c in response.json['calls']]

    def press(self, button, number, day, moment):
        "Press the ticket's `button` (start, finish, recall, no_show)"
        with Transaction().start(DB_NAME, 0), at(moment):
            Ticket = Pool().get('hall.ticket')
            ticket, = Ticket.search([
                    ('date', '=', local_date(day)), ('number', '=', number)])
            getattr(Ticket, button)([ticket])

    def test_display_calls_leave(self):
        """A call stays under 正在呼叫 only while its ticket is called: it
        leaves when the ticket is started, finished or missed, and a
        recall replaces it"""
        day = 16
        with at(local(day)):
            for _ in range(3):
                self.post('kiosk', '198.51.100.8',
                    json_={'queue': self.ids['queue_a']})
        with at(local(day, 10, 1)):
            self.assertEqual(self.call_next('a01'), 'A001')
            self.assertEqual(self.call_next('a02'), 'A002')
        board = self.board_calls(local(day, 10, 1))
        self.assertEqual([c[:3] for c in board], [
                ('A002', 'A02', False), ('A001', 'A01', False)])
        first_call_a002 = board[0][3]

        self.press('start', 'A001', day, local(day, 10, 2))
        self.assertEqual([c[:3] for c in self.board_calls(local(day, 10, 2))],
            [('A002', 'A02', False)])

        self.press('recall', 'A002', day, local(day, 10, 3))
        (number, window, recall, call_id), = self.board_calls(
            local(day, 10, 3))
        self.assertEqual((number, window, recall), ('A002', 'A02', True))
        self.assertNotEqual(call_id, first_call_a002)

        self.press('start', 'A002', day, local(day, 10, 4))
        self.press('finish', 'A002', day, local(day, 10, 9))
        self.press('finish', 'A001', day, local(day, 10, 9))
        self.assertEqual(self.board_calls(local(day, 10, 9)), [])

        with at(local(day, 10, 10)):
            self.assertEqual(self.call_next('a01'), 'A003')
        self.assertEqual([c[:3] for c in self.board_calls(local(day, 10, 10))],
            [('A003', 'A01', False)])
        self.press('no_show', 'A003', day, local(day, 10, 20))
        self.assertEqual(self.board_calls(local(day, 10, 20)), [])

    def test_unknown_hall(self):
        """An unknown or inactive hall is not found, whatever its id: 20
        digits, negative, not a number"""
        message = self.message('hall_queue.msg_route_hall_unknown')
        for path in ['display', 'display.json', 'kiosk']:
            for hall in [999999, '9' * 20, -1, 'abc', 10 ** 30]:
                with self.subTest(path=path, hall=hall):
                    response = self.get(self.url(path, hall=hall))
                    self.assertEqual(
                        response.status_code, HTTPStatus.NOT_FOUND)
                    self.assertIn(message, response.text)
        response = self.post(
            'kiosk', '198.51.100.6', json_={'queue': 1}, hall=999999)
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
        self.assertEqual(response.json['message'], message)
        response = self.get(f'/{DB_NAME}-missing/hall/1/display.json')
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)

    # --- ticket status -------------------------------------------------------

    def test_ticket_status(self):
        "The holder follows the ticket by its token, without personal data"
        address = '198.51.100.7'
        with at(local(9)):
            first = self.post('kiosk', address, json_={
                    'queue': self.ids['queue_a']}).json
            second = self.post('kiosk', address, json_={
                    'queue': self.ids['queue_a'], 'id_number': ID_NUMBER,
                    'mobile': MOBILE}).json
        json_url = second['status_url'] + '.json'
        with at(local(9, 10, 2)):
            response = self.get(json_url)
            self.assertEqual(response.status_code, HTTPStatus.OK)
            status = response.json
            page = self.get(second['status_url'])
        self.assertNoPersonalData(response.text)
        self.assertEqual(
            {k: status[k] for k in ['number', 'queue', 'state', 'ahead',
                    'window', 'hall', 'headline']},
            {'number': 'A002', 'queue': "食品经营", 'state': 'waiting',
                'ahead': 1, 'window': None, 'hall': '测试大厅',
                'headline': "前面还有 1 人，请留意叫号"})
        self.assertEqual(page.status_code, HTTPStatus.OK)
        self.assertIn('<p id="number">A002</p>', page.text)
        self.assertIn('前面还有 1 人', page.text)
        self.assertEqual(page.headers['Referrer-Policy'], 'same-origin')
        self.assertIn('<meta name="referrer" content="same-origin">',
            page.text)
        self.assertEqual(status['links'], [])
        self.assertIn('<div id="links" hidden="hidden">', page.text)
        self.assertNoPersonalData(page.text)

        try:
            with at(local(9, 10, 3)):
                self.assertEqual(self.call_next('a01'), 'A001')
                self.assertEqual(self.call_next('a02'), 'A002')
                status = self.get(json_url).json
                self.assertEqual(self.get(
                        first['status_url'] + '.json').json['state'],
                    'called')
            with at(local(9, 10, 5)):
                self.commit(self.transfer, 'a01', 'queue_b')
                transferred = self.get(first['status_url'] + '.json').json
        finally:
            self.finish_current('a01', local(9, 10, 20))
            self.finish_current('a02', local(9, 10, 20))
        self.assertEqual(
            {k: status[k] for k in ['state', 'ahead', 'window',
                    'headline']},
            {'state': 'called', 'ahead': 0, 'window': 'A02',
                'headline': '请 A002 号到 A02 号窗口办理'})
        with at(local(9, 10, 30)):
            status = self.get(json_url).json
        self.assertEqual(status['state'], 'done')
        self.assertEqual(status['links'], [])

        # the holder of a transferred ticket is led to the new one
        self.assertEqual(
            {k: transferred[k] for k in ['state', 'next_number',
                    'headline']},
            {'state': 'transferred', 'next_number': 'B001',
                'headline': "已转到其他队列，新号码 B001"})
        with at(local(9, 10, 30)):
            following = self.get(transferred['next_url'] + '.json').json
        self.assertEqual(
            (following['number'], following['state']), ('B001', 'waiting'))

    def test_ticket_unknown(self):
        "An unknown token is not found"
        message = self.message('hall_queue.msg_ticket_unknown')
        base = f'/{DB_NAME}/hall/ticket/'
        response = self.get(base + 'not-a-token.json')
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
        self.assertEqual(
            response.json, {'status': 'error', 'message': message})
        response = self.get(base + 'not-a-token')
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
        self.assertIn(message, response.text)

    # --- whatever is sent ----------------------------------------------------

    def test_public_routes_never_fail(self):
        """Every public page of the queue answers absurd ids (20 digits, -1,
        'abc', 10**30...), bodies too large, 100,000-digit fields and
        foreign origins in Chinese, never with a 5xx, and issues nothing"""
        def issue():
            Queue = Pool().get('hall.queue')
            Ticket = Pool().get('hall.ticket')
            return Ticket.issue(Queue(self.ids['queue_a']), 'kiosk').token
        with at(local(15)):
            token = self.commit(issue)
            sent = fuzz_public_routes(self, DB_NAME, {'hall_queue': {
                        'hall': self.ids['hall'], 'token': token}})
        self.assertGreater(sent, 100)
        self.assertEqual(self.tickets(local_date(15)), ['A001'])

    # --- concurrency ---------------------------------------------------------

    @unittest.skipIf(backend.name != 'postgresql',
        "needs real concurrent transactions")
    def test_kiosk_concurrent(self):
        "100 kiosk requests at once get 100 different numbers, A001 to A100"
        day = local_date(14)
        self.addCleanup(self.delete_tickets, day)
        count = 100
        # As a server would with 16 worker threads: each request holds a
        # connection and takes a second one for the number; more requests
        # inside at once would exhaust the connection pool.
        workers = threading.BoundedSemaphore(16)

        def server(environ, start_response):
            with workers:
                return app(environ, start_response)

        start = threading.Barrier(count)
        results = [None] * count

        def kiosk(i):
            client = Client(server, Response)
            start.wait()
            response = client.post(
                self.url('kiosk'), json={'queue': self.ids['queue_a']},
                environ_base={'REMOTE_ADDR': f'10.77.{i // 200}.{i % 200}'})
            results[i] = (response.status_code, response.get_json())

        with at(local(14)):
            threads = [threading.Thread(target=kiosk, args=(i,))
                for i in range(count)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertEqual(
            [s for s, _ in results], [HTTPStatus.CREATED] * count, results)
        numbers = sorted(r['number'] for _, r in results)
        expected = [f'A{i:03d}' for i in range(1, count + 1)]
        self.assertEqual(numbers, expected)
        self.assertEqual(self.tickets(day), expected)
        with Transaction().start(DB_NAME, 0, readonly=True):
            Counter = Pool().get('hall.queue.counter')
            counter, = Counter.search([
                    ('queue', '=', self.ids['queue_a']), ('date', '=', day)])
            self.assertEqual(counter.last, count)

    def delete_tickets(self, date):
        "Remove the tickets of `date` (the model refuses to delete them)"
        with Transaction().start(DB_NAME, 0) as transaction:
            cursor = transaction.connection.cursor()
            for name in ['hall_ticket', 'hall_ticket__history']:
                table = Table(name)
                cursor.execute(*table.delete(where=table.date == date))
            counter = Table('hall_queue_counter')
            cursor.execute(*counter.delete(where=counter.date == date))
            requests = Table('hall_kiosk_request')
            cursor.execute(*requests.delete(
                    where=requests.address.like('10.77.%')))
