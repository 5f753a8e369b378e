# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rating pages while the database is unreachable (hall.outage): a
Chinese page or JSON with HTTP 503, their own headers, no traceback."""
import unittest
from http import HTTPStatus

from trytond.modules.hall.outage import PUBLIC_MESSAGE, RETRY_AFTER
from trytond.modules.hall.tests.tools import unreachable
from trytond.tests.test_tryton import DB_NAME, RouteTestCase


class RatingOutageTestCase(RouteTestCase):
    "Test the rating pages while the database is unavailable"
    module = 'hall_evaluation'

    def assertHeaders(self, response):
        self.assertEqual(
            response.status_code, HTTPStatus.SERVICE_UNAVAILABLE,
            response.text)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        self.assertEqual(response.headers['X-Content-Type-Options'], 'nosniff')
        self.assertEqual(response.headers['Referrer-Policy'], 'same-origin')
        self.assertEqual(response.headers['Retry-After'], str(RETRY_AFTER))
        for word in ['Traceback', 'connection', 'Service Unavailable',
                'Internal Server Error']:
            self.assertNotIn(word, response.text)

    def test_pages(self):
        "The rating page and the window device: the Chinese page"
        client = self.client()
        base = f'/{DB_NAME}/hall/'
        with unreachable():
            for method, url in [
                    ('GET', f'{base}rate/abcdef'),
                    ('POST', f'{base}rate/abcdef'),
                    ('GET', f'{base}window/1/rate'),
                    ]:
                with self.subTest(method=method, url=url):
                    response = client.open(url, method=method,
                        data={'level': '5'} if method == 'POST' else None)
                    self.assertHeaders(response)
                    self.assertEqual(response.mimetype, 'text/html')
                    self.assertIn(PUBLIC_MESSAGE, response.text)
                    self.assertIn('http-equiv="refresh"', response.text)
                    self.assertNotIn('<form', response.text)

    def test_json(self):
        "The device's poll and its JSON rating: the message in JSON"
        client = self.client()
        base = f'/{DB_NAME}/hall/'
        with unreachable():
            for method, url, headers in [
                    ('GET', f'{base}window/1/rate/pending', {}),
                    ('POST', f'{base}rate/abcdef',
                        {'Accept': 'application/json'}),
                    ]:
                with self.subTest(method=method, url=url):
                    response = client.open(url, method=method,
                        headers=headers,
                        data={'level': '5'} if method == 'POST' else None)
                    self.assertHeaders(response)
                    self.assertEqual(response.mimetype, 'application/json')
                    self.assertEqual(response.json, {
                            'status': 'unavailable',
                            'message': PUBLIC_MESSAGE})


if __name__ == '__main__':
    unittest.main()
