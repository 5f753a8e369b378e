# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""sao's JSON-RPC calls while the database is unreachable (hall.outage):
the clerk reads a Chinese UserError, the transaction is rolled back.
The outage is simulated in the process: the backend refuses connections,
or a call loses its connection half way."""
import base64
import json
import unittest
from http import HTTPStatus
from unittest.mock import patch

from trytond import backend
from trytond.modules.hall import outage
from trytond.modules.hall.tests.tools import LOST, unreachable
from trytond.modules.hall.locking import StaleRead
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction


class HallOutageTestCase(RouteTestCase):
    "Test the answers of JSON-RPC while the database is unavailable"
    module = 'hall'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Session = pool.get('ir.session')
        User = pool.get('res.user')
        admin = User(Transaction().user)
        cls.login = admin.login
        cls.user_id = admin.id
        cls.user_name = admin.name
        cls.session = Session.new()

    def rpc(self, method, *params, id_=7):
        token = base64.b64encode(
            f'{self.login}:{self.user_id}:{self.session}'.encode()).decode()
        return self.client().post(
            f'/{DB_NAME}/rpc/',
            data=json.dumps({
                    'id': id_, 'method': method,
                    'params': [*params, {}]}),
            headers={
                'Content-Type': 'application/json',
                'Authorization': f'Session {token}',
                })

    def assertOutage(self, response, message=outage.RPC_MESSAGE, id_=7):
        "The JSON-RPC error sao shows in its warning dialog (UserError)"
        self.assertEqual(response.status_code, HTTPStatus.OK, response.text)
        self.assertEqual(response.mimetype, 'application/json')
        self.assertEqual(response.json, {
                'id': id_,
                'error': ['UserError',
                    [message, outage.RPC_DESCRIPTION, None]],
                })
        self.assertNotIn('connection', response.text)
        self.assertNotIn('Traceback', response.text)

    def test_installed(self):
        "The application's dispatch is the one of hall.outage"
        from trytond.wsgi import TrytondWSGI, app
        self.assertIs(TrytondWSGI.dispatch_request, outage.dispatch_request)
        self.assertIs(app.dispatch_request.__func__, outage.dispatch_request)

    def test_rpc_works(self):
        "Without outage the session works (the tests below are not 401)"
        response = self.rpc('model.res.user.get_preferences', False)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertEqual(response.json['result']['name'], self.user_name)

    def test_rpc_unreachable(self):
        "A call while the database refuses connections: Chinese UserError"
        with unreachable():
            for method, params in [
                    ('model.res.user.get_preferences', [True]),
                    ('model.res.user.set_preferences', [{'name': 'x'}]),
                    ('model.hall.hall.search_read', [[], 0, None, None,
                            ['name']]),
                    ]:
                with self.subTest(method=method):
                    self.assertOutage(self.rpc(method, *params))

    def test_rpc_pool_not_loaded(self):
        "The same when the database is not yet in the pool of the server"
        with unreachable(), \
                patch.object(Pool, 'database_list', return_value=[]):
            self.assertOutage(
                self.rpc('model.res.user.get_preferences', True, id_=8),
                id_=8)

    def test_rpc_lost_half_way_rolled_back(self):
        "A write that loses its connection half way leaves nothing done"
        User = Pool(DB_NAME).get('res.user')
        set_preferences = User.set_preferences
        calls = []

        def failing(values, *args, **kwargs):
            set_preferences(values, *args, **kwargs)
            calls.append(Transaction().user)
            # written in this transaction, then the connection drops
            self.assertEqual(
                User(Transaction().user).signature, 'half done')
            raise backend.DatabaseOperationalError(LOST)

        with patch.object(User, 'set_preferences', side_effect=failing):
            response = self.rpc(
                'model.res.user.set_preferences', {'signature': 'half done'})
        self.assertOutage(response)
        # trytond tried again ([database] retry) before giving up
        self.assertGreater(len(calls), 1)
        with Transaction().start(DB_NAME, 0, readonly=True):
            self.assertFalse(User(self.user_id).signature)

    def test_rpc_busy(self):
        """A database that answers but gives up (a conflict still there
        after the retries): busy, nothing done"""
        User = Pool(DB_NAME).get('res.user')
        with patch.object(User, 'get_preferences',
                side_effect=StaleRead('busy')):
            response = self.rpc('model.res.user.get_preferences', True)
        self.assertOutage(response, message=outage.RPC_BUSY_MESSAGE)

    def test_not_outage(self):
        "Other errors keep their answer"
        User = Pool(DB_NAME).get('res.user')
        with patch.object(User, 'get_preferences',
                side_effect=ValueError('boom')):
            response = self.rpc('model.res.user.get_preferences', True)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertEqual(response.json['error'][0], 'boom')


if __name__ == '__main__':
    unittest.main()
