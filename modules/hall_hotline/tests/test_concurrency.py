# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Two dispatchers dispatching one work order at the same instant, in real
parallel transactions on PostgreSQL."""
import unittest

from trytond import backend
from trytond.modules.hall.tests.tools import in_parallel, run_committed
from trytond.modules.hall_hotline.exceptions import OrderError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db
from trytond.transaction import Transaction

from .tools import EVE, HotlineData, at


@unittest.skipUnless(backend.name == 'postgresql',
    "row locks are tested on PostgreSQL")
class DispatchConcurrencyTestCase(unittest.TestCase):
    "Two dispatchers send the same order to two departments at once"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['hall_hotline'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def test_one_dispatch_wins(self):
        def setup():
            data = HotlineData()
            with at(EVE):
                order = data.order()
            return (order.id,
                {data.dispatcher.id: data.market.id,
                    data.dispatcher2.id: data.housing.id})
        order_id, lead_of = run_committed(setup)

        def dispatch(user_id):
            def as_dispatcher():
                pool = Pool()
                Order = pool.get('hall.hotline.order')
                Department = pool.get('hall.department')
                with Transaction().set_user(user_id), \
                        Transaction().set_context(_check_access=True):
                    Order.dispatch_to([Order(order_id)],
                        Department(lead_of[user_id]))
                return 'dispatched'
            try:
                with at(EVE):
                    return run_committed(as_dispatcher)
            except OrderError as error:
                return error.message

        Pool(DB_NAME).init()
        results, errors = in_parallel(dispatch, list(lead_of))
        self.assertEqual(errors, [])
        outcomes = sorted(results.values())
        self.assertEqual(outcomes.count('dispatched'), 1, outcomes)
        told, = [r for r in outcomes if r != 'dispatched']
        self.assertIn('another dispatcher', told)

        winner, = [u for u, r in results.items() if r == 'dispatched']

        def check():
            pool = Pool()
            Order = pool.get('hall.hotline.order')
            order = Order(order_id)
            self.assertEqual(order.state, 'dispatched')
            self.assertEqual(order.lead_department.id, lead_of[winner])
            self.assertEqual(order.transfer_count, 0)
            self.assertEqual(
                [l.action for l in order.logs], ['register', 'dispatch'])
        run_committed(check)
