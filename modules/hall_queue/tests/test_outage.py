# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The public pages of the queue while the database is unreachable
(hall.outage): a Chinese page or JSON with HTTP 503, the pages' own
headers, no traceback, nothing half done.  The outage is simulated in the
process: the backend refuses connections, or a request loses its
connection half way."""
import unittest
from http import HTTPStatus
from unittest.mock import patch

from trytond import backend
from trytond.modules.hall.outage import PUBLIC_MESSAGE, RETRY_AFTER
from trytond.modules.hall_queue import routes
from trytond.modules.hall.tests.tools import LOST, unreachable
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction, TransactionError

from .tools import MONDAY_10, QueueData, at


class HallQueueOutageTestCase(RouteTestCase):
    "Test the public pages of the queue while the database is unavailable"
    module = 'hall_queue'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        extras = {}
        while True:
            with Transaction().start(DB_NAME, 1, **extras) as transaction, \
                    at(MONDAY_10):
                try:
                    data = QueueData()
                    data.open_windows()
                    cls.hall = data.hall.id
                    cls.queue = data.queue_a.id
                    ticket = data.issue()
                    cls.token = ticket.token
                    cls.date = ticket.date
                    break
                except TransactionError as exception:
                    transaction.rollback()
                    exception.fix(extras)

    def pages(self):
        "(method, url, JSON body) of every public page of the queue"
        base = f'/{DB_NAME}/hall/'
        return [
            ('GET', f'{base}{self.hall}/display', None),
            ('GET', f'{base}{self.hall}/kiosk', None),
            ('POST', f'{base}{self.hall}/kiosk', {}),
            ('GET', f'{base}ticket/{self.token}', None),
            ]

    def polls(self):
        "(method, url, JSON body) of the JSON endpoints the scripts call"
        base = f'/{DB_NAME}/hall/'
        return [
            ('GET', f'{base}{self.hall}/display.json', None),
            ('GET', f'{base}ticket/{self.token}.json', None),
            ('POST', f'{base}{self.hall}/kiosk', {'queue': self.queue}),
            ('POST', f'{base}{self.hall}/kiosk/check-in', {'code': '1'}),
            ]

    def request(self, method, url, body, headers=None):
        if body is not None and body:
            return self.client().open(url, method=method, json=body,
                headers={'Accept': 'application/json', **(headers or {})})
        return self.client().open(url, method=method,
            data=body or None, headers=headers or {})

    def assertPage(self, response):
        "The Chinese page, with the headers of the queue's pages"
        self.assertEqual(
            response.status_code, HTTPStatus.SERVICE_UNAVAILABLE,
            response.text)
        self.assertEqual(response.mimetype, 'text/html')
        page = response.text
        self.assertIn(PUBLIC_MESSAGE, page)
        self.assertIn('lang="zh-CN"', page)
        self.assertIn('http-equiv="refresh"', page)
        self.assertNotIn('<script', page)
        self.assertNoTrace(page)
        self.assertHeaders(response)
        self.assertIn("default-src 'none'",
            response.headers['Content-Security-Policy'])

    def assertJSON(self, response):
        self.assertEqual(
            response.status_code, HTTPStatus.SERVICE_UNAVAILABLE,
            response.text)
        self.assertEqual(response.mimetype, 'application/json')
        self.assertEqual(response.json,
            {'status': 'unavailable', 'message': PUBLIC_MESSAGE})
        self.assertNoTrace(response.text)
        self.assertHeaders(response)

    def assertHeaders(self, response):
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        self.assertEqual(response.headers['X-Content-Type-Options'], 'nosniff')
        self.assertEqual(response.headers['Referrer-Policy'], 'same-origin')
        self.assertEqual(response.headers['Retry-After'], str(RETRY_AFTER))

    def assertNoTrace(self, text):
        for word in ['Traceback', 'connection failed', 'connection is lost',
                LOST, 'Service Unavailable', 'Internal Server Error']:
            self.assertNotIn(word, text)

    def assertAll(self):
        for method, url, body in self.pages():
            with self.subTest(method=method, url=url):
                self.assertPage(self.request(method, url, body))
        for method, url, body in self.polls():
            with self.subTest(method=method, url=url):
                self.assertJSON(self.request(method, url, body))

    def test_pages_work(self):
        "Without outage the pages answer (the tests below are not 404)"
        with at(MONDAY_10):
            for method, url, body in [*self.pages()[:2], *self.polls()[:2]]:
                with self.subTest(url=url):
                    response = self.request(method, url, body)
                    self.assertEqual(response.status_code, HTTPStatus.OK)

    def test_unreachable(self):
        "Every page and poll while the database refuses connections"
        with unreachable():
            self.assertAll()

    def test_pool_not_loaded(self):
        "The same when the database is not yet in the pool of the server"
        with unreachable(), \
                patch.object(Pool, 'database_list', return_value=[]):
            self.assertAll()

    def test_staff_session(self):
        """The same in a browser logged into sao (the session cookie is
        checked before the page)"""
        cookie = 'tryton_session=admin:1:0123456789abcdef'
        with unreachable():
            self.assertPage(self.request(
                    'GET', self.pages()[0][1], None,
                    headers={'Cookie': cookie}))
            self.assertJSON(self.request(
                    'GET', self.polls()[0][1], None,
                    headers={'Cookie': cookie}))

    def test_lost_half_way(self):
        "A connection lost in the middle of the board is no 500"
        with patch.object(routes, '_hall', side_effect=
                backend.DatabaseOperationalError(LOST)):
            self.assertPage(self.request('GET', self.pages()[0][1], None))
            self.assertJSON(self.request('GET', self.polls()[0][1], None))

    def test_kiosk_rolled_back(self):
        "A ticket issued before the connection is lost is not kept"
        def count():
            with Transaction().start(DB_NAME, 0, readonly=True):
                Ticket = Pool().get('hall.ticket')
                KioskRequest = Pool().get('hall.kiosk.request')
                return (Ticket.search_count([('date', '=', self.date)]),
                    KioskRequest.search_count([]))

        issued = []
        accept = routes._accept

        def failing(request, pool, hall, ticket):
            issued.append(ticket.number)
            raise backend.DatabaseOperationalError(LOST)

        before = count()
        method, url, body = self.polls()[2]
        with at(MONDAY_10), patch.object(routes, '_accept', failing):
            self.assertJSON(self.request(method, url, body))
        self.assertTrue(issued)
        self.assertEqual(count(), before)
        # and the kiosk works again afterwards
        with at(MONDAY_10):
            response = self.request(method, url, body)
        self.assertEqual(response.status_code, HTTPStatus.CREATED)
        # on SQLite the number comes back; on PostgreSQL the numbers the
        # failed attempts took are gaps (hall.queue.counter.next)
        self.assertGreaterEqual(response.json['number'], issued[0])
        tickets, requests = count()
        self.assertEqual(tickets, before[0] + 1)
        self.assertIs(routes._accept, accept)


if __name__ == '__main__':
    unittest.main()
