# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflow of deliveries against plain JSON-RPC calls
(hall.model.ServerReadonlyMixin): what sao would not send is refused, as
the delivery clerk and the hall manager, and nothing changes."""
import datetime as dt

from trytond.modules.hall.tests.tools import (
    RPCTestMixin, commit, create_user)
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase
from trytond.transaction import Transaction

from .tools import packed_delivery, setup_delivery_data

DELIVERY = 'model.hall.delivery'
DISPATCH = 'wizard.hall.delivery.dispatch'
TRACKING_IMPORT = 'wizard.hall.delivery.tracking.import'
STORED = ['state', 'number', 'street', 'courier', 'waybill', 'weight',
    'cost', 'batch', 'mobile', 'postal_code', 'province', 'kind',
    'signed_by', 'lost_reason', 'ready_at', 'packed_at', 'dispatched_at',
    'delivered_at', 'lost_at', 'working_days']


class HallDeliveryRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the delivery rules over JSON-RPC"
    module = 'hall_delivery'

    @classmethod
    def create_data(cls):
        from trytond.modules.hall_delivery.batch import dispatch
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        Subdivision = pool.get('country.subdivision')
        company, courier, address = setup_delivery_data()

        def user(login, module, group):
            return create_user(company, login, [(module, group)])
        clerk = user('jidi', 'hall_delivery', 'group_delivery_clerk')
        manager = user('manager', 'hall', 'group_hall_manager')
        with Transaction().set_context(company=company.id):
            # a draft, a packed and a dispatched delivery, and its batch
            draft, = Delivery.create([address])
            packed = packed_delivery(courier, address, 'EA1')
            dispatched = packed_delivery(courier, address, 'EA2')
            batch = dispatch(courier, [dispatched], "刘洋")
        city, = Subdivision.search([('name', '=', "杭州市")])
        cls.ids = {
            'company': company.id,
            'courier': courier.id,
            'tier': courier.price_tiers[0].id,
            'city': city.id,
            'draft': draft.id,
            'packed': packed.id,
            'dispatched': dispatched.id,
            'batch': batch.id,
            }
        cls.clerk = cls.session(clerk)
        cls.manager = cls.session(manager)

    def stored(self):
        "What the tests must not change"
        ids = [self.ids[k] for k in ['draft', 'packed', 'dispatched']]
        return (
            self.read('hall.delivery', ids, STORED),
            self.count('hall.delivery'),
            self.read('hall.delivery.batch', [self.ids['batch']], [
                    'number', 'courier', 'courier_signature', 'handed_at',
                    'deliveries']),
            self.count('hall.delivery.batch'),
            self.count('hall.delivery.tracking'),
            self.read('hall.courier', [self.ids['courier']], [
                    'contract_start', 'contract_end', 'extra_kg_price']),
            self.read('hall.courier.price_tier', [self.ids['tier']], [
                    'max_weight', 'price']),
            )

    def test_owned_fields_refused(self):
        "Each field the code of a delivery or batch owns is refused"
        tried = 0
        # only the delivery clerk writes deliveries and batches
        for key in ['draft', 'packed', 'dispatched']:
            tried += self.assertOwnedRefused(
                self.clerk, 'hall.delivery', self.ids[key])
        tried += self.assertOwnedRefused(
            self.clerk, 'hall.delivery.batch', self.ids['batch'])
        self.assertGreaterEqual(tried, 60)

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        draft, packed = self.ids['draft'], self.ids['packed']
        dispatched, courier = self.ids['dispatched'], self.ids['courier']
        address, = self.read('hall.delivery', [draft], [
                'company', 'recipient', 'province', 'city', 'district',
                'street', 'postal_code', 'mobile'])
        del address['id']
        clerk, manager = self.clerk, self.manager
        bad = [
            # wrong kinds
            (clerk, f'{DELIVERY}.write', [draft], {'street': 12345}),
            (clerk, f'{DELIVERY}.write', [draft], {'weight': "一公斤"}),
            (clerk, f'{DELIVERY}.write', [draft], {'courier': "EMS"}),
            (clerk, f'{DELIVERY}.create', {'street': "文三路"}),
            (clerk, f'{DELIVERY}.create', ["寄递"]),
            # ids that do not exist
            (clerk, f'{DELIVERY}.write', [draft], {'courier': 10 ** 20}),
            (clerk, f'{DELIVERY}.write', [draft], {'courier': 999999}),
            (clerk, f'{DELIVERY}.write', [draft], {'courier': -1}),
            (clerk, f'{DELIVERY}.create',
                [{**address, 'recipient': 999999}]),
            # out of range, outside a selection, outside a domain
            (clerk, f'{DELIVERY}.write', [draft], {'weight': 10 ** 20}),
            (clerk, f'{DELIVERY}.write', [draft], {'weight': -2}),
            (clerk, f'{DELIVERY}.write', [draft], {'kind': 'teleport'}),
            (clerk, f'{DELIVERY}.write', [draft],
                {'province': self.ids['city']}),
            (clerk, f'{DELIVERY}.write', [draft],
                {'mobile': '12812345678'}),
            (clerk, f'{DELIVERY}.write', [draft],
                {'postal_code': '3100120'}),
            (clerk, f'{DELIVERY}.write', [draft], {'street': "长" * 100000}),
            # a created delivery starts in draft, unstamped
            (clerk, f'{DELIVERY}.create',
                [{**address, 'state': 'delivered'}]),
            (clerk, f'{DELIVERY}.create', [{**address, 'cost': 12}]),
            # readonly in the state
            (clerk, f'{DELIVERY}.write', [packed], {'signed_by': "张三"}),
            (clerk, f'{DELIVERY}.write', [dispatched], {'waybill': 'EA9'}),
            # buttons: extra arguments, wrong state, missing reason
            (clerk, f'{DELIVERY}.ready', [draft], '2099-01-01'),
            (clerk, f'{DELIVERY}.deliver', [dispatched],
                '2099-01-01T00:00:00'),
            (clerk, f'{DELIVERY}.pack', [draft]),
            (clerk, f'{DELIVERY}.deliver', [dispatched]),
            (clerk, f'{DELIVERY}.lose', [dispatched]),
            (clerk, f'{DELIVERY}.ready', [999999]),
            # a processed delivery is kept
            (clerk, f'{DELIVERY}.delete', [packed]),
            # a batch is made by the dispatch wizard only
            (clerk, 'model.hall.delivery.batch.write', [self.ids['batch']],
                {'deliveries': [['add', [draft]]]}),
            (clerk, 'model.hall.delivery.batch.create', [{
                        'company': self.ids['company'],
                        'courier': courier,
                        'courier_signature': "刘洋"}]),
            # tracking events of the wrong kind, in the future
            (clerk, 'model.hall.delivery.tracking.create', [{
                        'delivery': dispatched, 'status': 'teleported',
                        'time': "昨天"}]),
            (clerk, 'model.hall.delivery.tracking.create', [{
                        'delivery': dispatched, 'status': 'delivered',
                        'time': dt.datetime(2099, 1, 1, 8)}]),
            # the hall manager's courier contract and prices
            (manager, 'model.hall.courier.write', [courier],
                {'extra_kg_price': -5}),
            (manager, 'model.hall.courier.write', [courier],
                {'contract_end': dt.date(2019, 12, 31)}),
            (manager, 'model.hall.courier.write', [courier],
                {'contract_end': '2019-12-31'}),
            (manager, 'model.hall.courier.price_tier.write',
                [self.ids['tier']], {'max_weight': 0}),
            (manager, 'model.hall.courier.price_tier.write',
                [self.ids['tier']], {'price': -12}),
            # the manager reads deliveries, does not handle them
            (manager, f'{DELIVERY}.write', [draft], {'street': "文二路"}),
            (manager, f'{DELIVERY}.ready', [draft]),
            ]
        before = self.stored()
        refused = 0
        for session, method, *params in bad:
            with self.subTest(method=method, params=params):
                self.assertRefused(session, method, *params)
                refused += 1
        # wizards: a piece that is not packed, a courier or a piece that
        # does not exist, a file that is no tracking file, an unknown
        # waybill, a time that is none or in the future, a piece not on
        # its way
        for values in [
                {'courier': courier, 'deliveries': [draft],
                    'courier_signature': "刘洋"},
                {'courier': courier, 'deliveries': [],
                    'courier_signature': "刘洋"},
                {'courier': 10 ** 20, 'deliveries': [packed],
                    'courier_signature': "刘洋"},
                {'courier': 999999, 'deliveries': [packed],
                    'courier_signature': "刘洋"},
                {'courier': courier, 'deliveries': [10 ** 20],
                    'courier_signature': "刘洋"},
                ]:
            with self.subTest(wizard=DISPATCH, values=values):
                self.assertWizardRefused(
                    self.clerk, DISPATCH, values, 'dispatch')
                refused += 1
        files = [
            b'\xff\xfe\x00garbage\x81',
            "运单号,状态,时间\nZZ999,已签收,2025-10-10 07:30\n".encode(),
            "运单号,状态,时间\nEA2,已签收,明天\n".encode(),
            "运单号,状态,时间\nEA1,已签收,2025-10-10 07:30\n".encode(),
            "运单号,状态,时间\nEA2,已签收,2099-01-01 08:00\n".encode(),
            ]
        for courier_id, data in [(10 ** 20, b'x'), (999999, b'x')] + [
                (courier, f) for f in files]:
            with self.subTest(wizard=TRACKING_IMPORT, data=data):
                self.assertWizardRefused(self.clerk, TRACKING_IMPORT,
                    {'courier': courier_id, 'file': data,
                        'filename': 'tracking.csv'}, 'import_')
                refused += 1
        self.assertEqual(self.stored(), before)
        self.assertEqual(refused, len(bad) + 12)
        self.assertGreaterEqual(refused, 40)

    def test_huge_id_in_many2many(self):
        """A huge id, or one of no record, added to a Many2Many is refused
        in Chinese"""
        draft = self.ids['draft']
        before = self.read('hall.delivery', [draft], ['applications'])
        for id_ in [10 ** 20, 987654321]:
            self.assertRefused(self.clerk, f'{DELIVERY}.write', [draft],
                {'applications': [['add', [id_]]]})
        self.assertEqual(
            self.read('hall.delivery', [draft], ['applications']), before)

    def test_zero_in_owned_field(self):
        """Zero is refused for an owned number that holds nothing"""
        draft = self.ids['draft']
        before = self.read('hall.delivery', [draft], ['working_days'])
        try:
            self.assertRefused(self.clerk, f'{DELIVERY}.write', [draft],
                {'working_days': 0})
        finally:
            after = self.read('hall.delivery', [draft], ['working_days'])
            commit(self.reset_working_days, draft)
        self.assertEqual(after, before)

    @staticmethod
    def reset_working_days(id_):
        Delivery = Pool().get('hall.delivery')
        Delivery.write(Delivery.browse([id_]), {'working_days': None})

    def assertWizardRefused(self, session, name, values, state):
        "Running the wizard `name` with `values` to `state` is refused"
        wizard_id, start, _ = self.assertRPC(session, f'{name}.create')
        return self.assertRefused(session, f'{name}.execute',
            wizard_id, {start: values}, state,
            context={'company': self.ids['company']})
