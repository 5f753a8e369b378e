# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The public rating pages through the WSGI application"
import datetime as dt
import json
import threading
import unittest
from http import HTTPStatus

from trytond.modules.hall.tests.public_tools import (
    CHINESE, fuzz_public_routes)
from trytond.modules.hall.tests.tools import make_chinese, shared_database
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction, TransactionError

from .queue_tools import hall_queue_ready
from .tools import EvaluationData


def committed(func):
    "Run `func` in a transaction of its own and commit it"
    extras = {}
    while True:
        with Transaction().start(DB_NAME, 1, **extras) as transaction:
            try:
                return func()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)


class RatingRoutesTestCase(RouteTestCase):
    "Test the public rating pages"
    module = 'hall_evaluation'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def setup():
            make_chinese()
            pool = Pool()
            Link = pool.get('hall.evaluation.link')
            Device = pool.get('hall.evaluation.device')
            data = EvaluationData()
            applications = [data.application() for _ in range(6)]
            expired = applications[-1].rating_link()
            expired.expires_at = dt.datetime(2020, 1, 1)
            expired.save()
            device = data.application(data.a02)
            request, = Link.request_device_rating([device])
            # rated at once on the device of A01 and with its receipt
            spare = data.application(data.a01)
            # the devices of the windows, and one revoked
            _, key_a01 = Device.register(data.a01, "A01 评价器")
            pad_a02, key_a02 = Device.register(data.a02, "A02 评价器")
            revoked, key_revoked = Device.register(data.a02, "旧评价器")
            Device.revoke([revoked])
            return {
                'tokens': [a.rating_link().token for a in applications],
                'device_token': request.token,
                'spare': spare.id,
                'a01': data.a01.id,
                'a02': data.a02.id,
                'pad_a02': pad_a02.id,
                'key_a01': key_a01,
                'key_a02': key_a02,
                'key_revoked': key_revoked,
                }
        cls.data = committed(setup)

    def token(self, index):
        return self.data['tokens'][index]

    def url(self, path):
        return f'/{self.db_name}/hall/{path}'

    def evaluations(self, token):
        def read():
            Link = Pool().get('hall.evaluation.link')
            link = Link.get(token)
            return link.state, [
                (e.level, e.reason, e.channel, e.rater_phone)
                for e in link.application.evaluations]
        return committed(read)

    def test_form(self):
        "The page shows the service and the masked applicant, no name"
        response = self.client().get(self.url('rate/' + self.token(0)))
        self.assertEqual(response.status_code, HTTPStatus.OK)
        page = response.get_data(as_text=True)
        self.assertIn('name="level"', page)
        self.assertIn("食品经营许可", page)
        self.assertIn("张*明", page)
        self.assertNotIn("张建明", page)
        self.assertNotIn("11010519491231002X", page)
        self.assertIn("非常不满意", page)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')

    def test_rate_then_reuse(self):
        "A rating is stored once; the link then says it was used"
        client = self.client()
        url = self.url('rate/' + self.token(1))
        response = client.post(url, data={
                'level': 'very_satisfied', 'score_attitude': '5',
                'phone': '138 1234 5678'})
        self.assertEqual(response.status_code, HTTPStatus.CREATED)
        self.assertIn("感谢您的评价", response.get_data(as_text=True))
        self.assertEqual(self.evaluations(self.token(1)), ('used', [
                    ('very_satisfied', None, 'qr_code', '13812345678')]))
        for method in [client.get, client.post]:
            with self.subTest(method=method.__name__):
                response = method(url, data={'level': 'satisfied'})
                self.assertEqual(response.status_code, HTTPStatus.GONE)
                page = response.get_data(as_text=True)
                self.assertIn("已评价", page)
                self.assertNotIn('name="level"', page)
        self.assertEqual(len(self.evaluations(self.token(1))[1]), 1)

    def test_rate_twice_at_once(self):
        """Two ratings posted through one link at the same instant: one is
        stored, the other is told the link was used (on SQLite too); the
        same for two posts of the window device and for the device and
        the receipt's QR code of one application"""
        token = self.token(4)

        def ask():
            "The clerk of A01 asks for the rating of the spare application"
            pool = Pool()
            Link = pool.get('hall.evaluation.link')
            Application = pool.get('hall.application')
            application = Application(self.data['spare'])
            request, = Link.request_device_rating([application])
            return request.id, application.rating_link().token
        request, qr_token = committed(ask)
        device = {'X-Device-Key': self.data['key_a01']}
        with shared_database('rating') as database:
            def at_once(*posts):
                start = threading.Barrier(len(posts), timeout=30)
                statuses = []

                def post(url, headers, data):
                    client = self.client()
                    start.wait()
                    response = client.post(url, headers=headers, data=data)
                    statuses.append(response.status_code)

                threads = [threading.Thread(target=post, args=args)
                    for args in posts]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
                return sorted(statuses)

            rate = f'/{database}/hall/rate/'
            pad = f'/{database}/hall/window/{self.data["a01"]}/rate'
            self.assertEqual(at_once(
                    (rate + token, {}, {'level': 'very_satisfied'}),
                    (rate + token, {}, {'level': 'satisfied'})),
                [HTTPStatus.CREATED, HTTPStatus.GONE])
            # the device's request and the receipt of its application
            self.assertEqual(at_once(
                    (pad, device, {'level': 'satisfied', 'pending': request}),
                    (pad, device, {'level': 'basic', 'pending': request}),
                    (rate + qr_token, {}, {'level': 'very_satisfied'})),
                [HTTPStatus.CREATED, HTTPStatus.GONE, HTTPStatus.GONE])
            with Transaction().start(database, 0):
                pool = Pool(database)
                Link = pool.get('hall.evaluation.link')
                link = Link.get(token)
                self.assertEqual(link.state, 'used')
                self.assertEqual(len(link.application.evaluations), 1)
                request = Link(request)
                self.assertEqual(len(request.application.evaluations), 1)
                self.assertEqual(
                    {request.state, Link.get(qr_token).state},
                    {'used', 'cancelled'})

    def test_bad_rating_without_reason(self):
        "非常不满意 without a reason is refused, with one it is stored"
        client = self.client()
        url = self.url('rate/' + self.token(2))
        response = client.post(url, data={'level': 'very_dissatisfied'})
        self.assertEqual(response.status_code, HTTPStatus.BAD_REQUEST)
        page = response.get_data(as_text=True)
        self.assertIn("请填写不满意的原因", page)
        # The form keeps what was chosen
        self.assertRegex(page, r'value="very_dissatisfied"\s+checked')
        self.assertEqual(self.evaluations(self.token(2)), ('pending', []))
        response = client.post(url, data={
                'level': 'very_dissatisfied', 'reason': "窗口人员玩手机"})
        self.assertEqual(response.status_code, HTTPStatus.CREATED)
        self.assertIn("个工作日内", response.get_data(as_text=True))
        self.assertEqual(self.evaluations(self.token(2))[1], [
                ('very_dissatisfied', "窗口人员玩手机", 'qr_code', None)])

    def test_bad_input(self):
        "A level, scores and a mobile out of range are refused"
        for data in [
                {}, {'level': 'excellent'},
                {'level': 'satisfied', 'score_efficiency': '9'},
                {'level': 'satisfied', 'phone': '12345'},
                {'level': 'basic', 'reason': 'x' * 501}]:
            with self.subTest(data=data):
                response = self.client().post(
                    self.url('rate/' + self.token(3)), data=data)
                self.assertEqual(
                    response.status_code, HTTPStatus.BAD_REQUEST)
        self.assertEqual(self.evaluations(self.token(3)), ('pending', []))

    def test_expired_and_unknown(self):
        "An expired link and an unknown one are refused with a message"
        response = self.client().get(self.url('rate/' + self.token(5)))
        self.assertEqual(response.status_code, HTTPStatus.GONE)
        self.assertIn("已于 2020-01-01 过期", response.get_data(as_text=True))
        response = self.client().post(
            self.url('rate/' + self.token(5)), data={'level': 'satisfied'})
        self.assertEqual(response.status_code, HTTPStatus.GONE)
        self.assertEqual(self.evaluations(self.token(5)), ('pending', []))
        response = self.client().get(self.url('rate/not-a-token'))
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
        self.assertIn("评价链接无效", response.get_data(as_text=True))

    def test_window_device(self):
        """The device polls the request of its window with its key, which
        shows no token, and posts the rating; without its key, with a
        wrong, revoked or other window's key, it is refused"""
        client = self.client()
        a02 = self.data['a02']
        page_url = self.url(f"window/{a02}/rate")
        pending_url = page_url + '/pending'
        key = {'X-Device-Key': self.data['key_a02']}
        page = client.get(page_url)
        self.assertEqual(page.status_code, HTTPStatus.OK)
        self.assertIn("A02 号窗口", page.text)
        self.assertIn('data-key-header="X-Device-Key"', page.text)
        self.assertNotIn(self.data['device_token'], page.text)

        for headers, status in [
                ({}, HTTPStatus.UNAUTHORIZED),
                ({'X-Device-Key': 'not-a-key'}, HTTPStatus.UNAUTHORIZED),
                ({'X-Device-Key': self.data['key_a01']},
                    HTTPStatus.FORBIDDEN),
                ({'X-Device-Key': self.data['key_revoked']},
                    HTTPStatus.FORBIDDEN)]:
            with self.subTest(headers=headers):
                for response in [
                        client.get(pending_url, headers=headers),
                        client.post(page_url, headers=headers, data={
                                'level': 'very_satisfied',
                                'pending': '1'})]:
                    self.assertEqual(response.status_code, status)
                    self.assertNotIn('pending', response.json)
                    self.assertRegex(response.json['message'], CHINESE)
                    self.assertNotIn(
                        self.data['device_token'], response.text)

        response = client.get(pending_url, headers=key)
        pending = response.json['pending']
        self.assertEqual(set(pending), {
                'id', 'service', 'number', 'applicant'})
        # A01's device does not show A02's request
        response = client.get(
            self.url(f"window/{self.data['a01']}/rate/pending"),
            headers={'X-Device-Key': self.data['key_a01']})
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertNotEqual(
            (response.json['pending'] or {}).get('id'), pending['id'])
        self.assertEqual(pending['service'], "居住证办理")
        self.assertEqual(pending['applicant'], "张*明")
        self.assertNotIn(self.data['device_token'], response.text)
        # The request's token rates nothing on the public page
        response = client.post(
            self.url('rate/' + self.data['device_token']),
            data={'level': 'very_satisfied'})
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)

        response = client.post(page_url, headers=key,
            data={'level': 'dissatisfied', 'pending': pending['id']})
        self.assertEqual(response.status_code, HTTPStatus.BAD_REQUEST)
        self.assertEqual(response.json['status'], 'invalid')
        response = client.post(page_url, headers=key,
            data={'level': 'satisfied', 'pending': pending['id'] + 1})
        self.assertEqual(response.status_code, HTTPStatus.GONE)
        response = client.post(page_url, headers=key,
            data={'level': 'satisfied', 'pending': pending['id']})
        self.assertEqual(response.status_code, HTTPStatus.CREATED)
        self.assertEqual(json.loads(response.get_data())['status'], 'ok')
        self.assertIn("感谢您的评价", response.json['message'])
        response = client.get(pending_url, headers=key)
        self.assertIsNone(response.json['pending'])
        response = client.post(page_url, headers=key,
            data={'level': 'satisfied', 'pending': pending['id']})
        self.assertEqual(response.status_code, HTTPStatus.GONE)
        self.assertIn("已评价", response.json['message'])

        def read():
            pool = Pool()
            Device = pool.get('hall.evaluation.device')
            Link = pool.get('hall.evaluation.link')
            link = Link(pending['id'])
            return (Device(self.data['pad_a02']).last_used_at,
                [(e.channel, e.level) for e in link.application.evaluations])
        last_used, ratings = committed(read)
        self.assertIsNotNone(last_used)
        self.assertEqual(ratings, [('window_device', 'satisfied')])
        for window in ['999999', '99999999999999999999', '-1', 'abc']:
            with self.subTest(window=window):
                response = client.get(self.url(f'window/{window}/rate'))
                self.assertEqual(
                    response.status_code, HTTPStatus.NOT_FOUND)
                self.assertIn("该窗口不存在", response.text)


@unittest.skipUnless(hall_queue_ready(), "hall_queue defines no hall.ticket")
class QueueRatingRoutesTestCase(RouteTestCase):
    "Test the rating link of the queue's ticket slip and status page"
    module = 'hall_evaluation'
    extras = ['hall_queue']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from trytond.modules.hall_queue.tests.tools import (
            MONDAY_10, QueueData, at)

        def setup():
            make_chinese()
            pool = Pool()
            Application = pool.get('hall.application')
            Device = pool.get('hall.evaluation.device')
            data = QueueData()
            data.open_windows()
            # for the fuzzing: a receipt's token and a device's key
            application = data.application()
            Application.receive([application])
            Application.accept([application])
            _, key = Device.register(data.a02, "A02 评价器")
            # (on Tuesday: test_slip_and_status_links serves Monday's)
            with at(MONDAY_10 + dt.timedelta(days=1)):
                ticket = data.issue()
            return {'hall': data.hall.id, 'queue': data.queue_a.id,
                'a01': data.a01.id, 'a02': data.a02.id,
                'token': application.rating_link().token, 'key': key,
                'ticket': ticket.token}
        cls.data = committed(setup)

    def url(self, path):
        return f'/{self.db_name}/hall/{path}'

    def relative(self, url):
        "The path of an absolute URL of the pages"
        self.assertTrue(url.startswith('http://localhost/'), url)
        return url[len('http://localhost'):]

    def serve(self, token):
        "Call, serve and finish the ticket of `token` at A01"
        def serve():
            pool = Pool()
            Window = pool.get('hall.window')
            Ticket = pool.get('hall.ticket')
            ticket = Ticket.by_token(token)
            Window.call_next([Window(self.data['a01'])])
            Ticket.start([Ticket(ticket.id)])
            Ticket.finish([Ticket(ticket.id)])
            return Ticket(ticket.id).state
        return committed(serve)

    def test_slip_and_status_links(self):
        """The kiosk's slip carries the QR code of the rating page; the
        status page offers it once the ticket is done, until it is rated"""
        from trytond.modules.hall_queue.tests.tools import MONDAY_10, at
        client = self.client()
        with at(MONDAY_10):
            response = client.post(
                self.url(f"{self.data['hall']}/kiosk"),
                json={'queue': self.data['queue']},
                environ_base={'REMOTE_ADDR': '203.0.113.1'})
            self.assertEqual(response.status_code, HTTPStatus.CREATED)
            slip = response.json
            link, = slip['links']
            self.assertEqual(
                (link['key'], link['label']), ('rating', "办结后扫码评价"))
            self.assertRegex(link['url'], r'/hall/rate/[\w-]{32}$')
            self.assertTrue(
                link['qr'].startswith('data:image/svg+xml;base64,'))
            rate_url = self.relative(link['url'])
            status_url = self.relative(slip['status_url'])

            # Not served yet: the page says so, the status page offers none
            response = client.get(rate_url)
            self.assertEqual(response.status_code, HTTPStatus.GONE)
            self.assertIn("请办理完成后再评价", response.text)
            self.assertEqual(client.get(status_url + '.json').json['links'],
                [])

            # The form of the kiosk without script prints it too
            response = client.post(
                self.url(f"{self.data['hall']}/kiosk"),
                data={'queue': str(self.data['queue'])},
                environ_base={'REMOTE_ADDR': '203.0.113.1'})
            self.assertEqual(response.status_code, HTTPStatus.CREATED)
            self.assertIn('data-key="rating"', response.text)
            self.assertIn("办结后扫码评价", response.text)

            self.assertEqual(self.serve(slip['token']), 'done')
            status = client.get(status_url + '.json').json
            self.assertEqual(status['state'], 'done')
            self.assertEqual(status['links'], [{'key': 'rating',
                        'label': "去评价", 'url': link['url']}])
            page = client.get(status_url).text
            self.assertIn(f'href="{link["url"]}"', page)
            self.assertIn("去评价", page)

            # The token of the slip opens the rating page
            response = client.get(rate_url)
            self.assertEqual(response.status_code, HTTPStatus.OK)
            self.assertIn('name="level"', response.text)
            self.assertIn("A001", response.text)
            response = client.post(rate_url, data={'level': 'satisfied'})
            self.assertEqual(response.status_code, HTTPStatus.CREATED)

            # Rated: the status page offers it no more
            self.assertEqual(client.get(status_url + '.json').json['links'],
                [])
            page = client.get(status_url).text
            self.assertIn('<div id="links" hidden="hidden">', page)
            self.assertNotIn("去评价", page)

    def test_public_routes_never_fail(self):
        """Every public page of hall_evaluation and hall_queue answers
        absurd ids (20 digits, -1, 'abc', 10**30...), bodies too large,
        100,000-digit fields and foreign origins in Chinese, never with a
        5xx, and writes nothing of it back"""
        sent = fuzz_public_routes(self, self.db_name, {
                'hall_queue': {
                    'hall': self.data['hall'],
                    'token': self.data['ticket'],
                    },
                'hall_evaluation': {
                    'window': self.data['a02'],
                    'token': self.data['token'],
                    },
                }, headers={'X-Device-Key': self.data['key']})
        self.assertGreater(sent, 200)

        # Nothing was rated, the receipt's link still rates
        def read():
            Link = Pool().get('hall.evaluation.link')
            link = Link.get(self.data['token'])
            return link.state, link.application.evaluations
        self.assertEqual(committed(read), ('pending', ()))
