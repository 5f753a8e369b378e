# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflow of the work orders against plain JSON-RPC
calls, as each role of the hotline: what the role may not do is refused in
Chinese and nothing changes."""
from trytond.modules.hall.tests.tools import RPCTestMixin, commit
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .tools import EVE, HotlineData, at

ORDER = 'model.hall.hotline.order'
DISPATCH = 'wizard.hall.hotline.order.dispatch'
RETURN = 'wizard.hall.hotline.order.return'
IMPORT = 'wizard.hall.hotline.order.import'
STORED = ['state', 'number', 'lead_department', 'assisting_departments',
    'subject', 'reply', 'satisfaction', 'transfer_count', 'return_count',
    'redo_count', 'escalated', 'caller_phone', 'dispatched_at', 'signed_at']


class HallHotlineRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the work orders' rules over JSON-RPC"
    module = 'hall_hotline'

    @classmethod
    def create_data(cls):
        data = HotlineData()
        with at(EVE):
            registered = data.order()
            at_market = data.dispatch(data.dispatcher,
                data.order(subject="占道经营"), data.market, [data.urban])
            at_housing = data.dispatch(data.dispatcher,
                data.order(subject="物业不作为"), data.housing)
        cls.ids = {
            'company': data.company.id,
            'registered': registered.id,
            'at_market': at_market.id,
            'at_housing': at_housing.id,
            'market': data.market.id,
            'housing': data.housing.id,
            }
        cls.sessions = {u.login: cls.session(u) for u in [
                data.operator, data.dispatcher, data.supervisor,
                data.market_liaison, data.housing_liaison, data.leader,
                data.li_user]}

    def stored(self):
        ids = [self.ids[k] for k in ['registered', 'at_market', 'at_housing']]
        return (self.read('hall.hotline.order', ids, STORED),
            self.count('hall.hotline.order'),
            self.count('hall.hotline.order.log'),
            self.count('hall.hotline.order-assisting-hall.department'))

    def wizard(self, session, name, record, values, state):
        "Run the wizard `name` on the order `record` up to `state`"
        context = {'active_model': 'hall.hotline.order',
            'active_id': record, 'active_ids': [record],
            'company': self.ids['company']}
        kind, value = self.rpc(session, f'{name}.create', context=context)
        if kind == 'error':
            return kind, value
        wizard_id, start, _ = value
        return self.rpc(session, f'{name}.execute', wizard_id,
            {start: values}, state, context=context)

    def test_owned_fields_refused(self):
        "Each field the code of an order owns is refused, for each writer"
        tried = 0
        for login in ['operator', 'dispatcher', 'hotline_supervisor']:
            for key in ['registered', 'at_market']:
                tried += self.assertOwnedRefused(self.sessions[login],
                    'hall.hotline.order', self.ids[key])
        tried += self.assertOwnedRefused(self.sessions['market_liaison'],
            'hall.hotline.order', self.ids['at_market'])
        self.assertGreaterEqual(tried, 150)

    def test_roles_refused(self):
        "What a role may not do is refused whatever the call"
        s = self.sessions
        registered, at_market = self.ids['registered'], self.ids['at_market']
        at_housing = self.ids['at_housing']
        company = self.ids['company']
        bad = [
            # only the operators register orders
            (s['dispatcher'], f'{ORDER}.create', [{'company': company,
                        'subject': "x", 'content': "x", 'anonymous': True}]),
            (s['leader'], f'{ORDER}.create', [{'company': company,
                        'subject': "x", 'content': "x", 'anonymous': True}]),
            (s['li'], f'{ORDER}.read', [registered], ['subject']),
            # the buttons of the other roles
            (s['operator'], f'{ORDER}.sign', [at_market]),
            (s['dispatcher'], f'{ORDER}.sign', [at_market]),
            (s['dispatcher'], f'{ORDER}.close', [at_market]),
            (s['market_liaison'], f'{ORDER}.approve', [at_market]),
            (s['leader'], f'{ORDER}.sign', [at_market]),
            # a liaison acts for their department only
            (s['housing_liaison'], f'{ORDER}.sign', [at_market]),
            (s['housing_liaison'], f'{ORDER}.read', [at_market], ['subject']),
            (s['market_liaison'], f'{ORDER}.write', [at_housing],
                {'reply': "x"}),
            # buttons take no extra arguments, and hold their state
            (s['market_liaison'], f'{ORDER}.sign', [at_market], 'now'),
            (s['market_liaison'], f'{ORDER}.answer', [at_market]),
            (s['operator'], f'{ORDER}.register', [registered]),
            (s['hotline_supervisor'], f'{ORDER}.redo', [at_market]),
            # readonly once dispatched, kept once registered
            (s['operator'], f'{ORDER}.write', [at_market],
                {'subject': "改过的主题"}),
            (s['operator'], f'{ORDER}.delete', [registered]),
            # the log is the code's
            (s['dispatcher'], 'model.hall.hotline.order.log.create',
                [{'order': at_market, 'action': 'close',
                        'at': '2025-10-01T00:00:00'}]),
            # bad input
            (s['operator'], f'{ORDER}.create', [{'company': company,
                        'subject': "x", 'content': "x",
                        'category': 'gossip'}]),
            (s['operator'], f'{ORDER}.create', [{'company': company,
                        'subject': "长" * 300, 'content': "x"}]),
            (s['operator'], f'{ORDER}.create', [{'company': company,
                        'subject': "x", 'content': "x",
                        'caller_phone': "12"}]),
            (s['operator'], f'{ORDER}.create', [{'company': company,
                        'subject': "x", 'content': "x",
                        'state': 'closed'}]),
            # the caller's phone is not searched but by the operators
            (s['dispatcher'], f'{ORDER}.search',
                [('caller_phone', 'like', '138%')], 0, None, None),
            ]
        before = self.stored()
        for session, method, *params in bad:
            with self.subTest(user=session[0], method=method, params=params):
                self.assertRefused(session, method, *params)
        # the wizards: a department that does not exist, an order no
        # longer to dispatch, a liaison of another department
        for session, name, record, values, state in [
                (s['dispatcher'], DISPATCH, registered,
                    {'lead_department': 999999}, 'dispatch'),
                (s['dispatcher'], DISPATCH, at_market,
                    {'lead_department': self.ids['housing']}, 'dispatch'),
                (s['dispatcher'], DISPATCH, registered,
                    {'lead_department': self.ids['market'],
                        'assisting_departments': [self.ids['market']]},
                    'dispatch'),
                (s['operator'], DISPATCH, registered,
                    {'lead_department': self.ids['market']}, 'dispatch'),
                (s['housing_liaison'], RETURN, at_market,
                    {'reason': "不是我们的"}, 'return_'),
                (s['market_liaison'], RETURN, at_market,
                    {'reason': ""}, 'return_'),
                ]:
            with self.subTest(user=session[0], wizard=name, values=values):
                kind, value = self.wizard(
                    session, name, record, values, state)
                self.assertEqual(kind, 'error', value)
        self.assertEqual(self.stored(), before)

    def test_caller_masked_over_rpc(self):
        "The caller's phone is masked in every read but the operators'"
        registered = self.ids['registered']
        for login, phone in [
                ('operator', '13812345678'),
                ('dispatcher', '138****5678'),
                ('hotline_supervisor', '138****5678'),
                ('leader', '138****5678'),
                ('market_liaison', None)]:
            with self.subTest(login=login):
                session = self.sessions[login]
                if phone is None:
                    self.assertRefused(session, f'{ORDER}.read',
                        [registered], ['caller_phone'])
                    continue
                row, = self.assertRPC(session, f'{ORDER}.read',
                    [registered], ['caller_phone', 'caller_name'])
                self.assertEqual(row['caller_phone'], phone)
                exported = self.assertRPC(session, f'{ORDER}.export_data',
                    [registered], ['caller_phone'], {})
                self.assertEqual(exported, [[phone]])

    def test_application_named(self):
        """The operators name the application a call is about in the form,
        the dispatchers read it"""
        for login in ['operator', 'dispatcher']:
            with self.subTest(login=login):
                view = self.assertRPC(self.sessions[login],
                    f'{ORDER}.fields_view_get', None, 'form')
                self.assertIn('application', view['fields'])
        self.assertRPC(self.sessions['operator'],
            'model.hall.application.search_read', [], 0, 1, None,
            ['number'])

    def test_liaison_opens_repeated_order(self):
        """A liaison opens the form of an order that repeats an order of
        another department, which they may not read: the link reads empty
        for them, not for the dispatchers"""
        session = self.sessions['market_liaison']
        view = self.assertRPC(session, f'{ORDER}.fields_view_get', None,
            'form')
        names = [n for n, f in view['fields'].items()
            if f['type'] not in {'one2many', 'many2many'}]
        names += [f'{n}.rec_name' for n, f in view['fields'].items()
            if f['type'] == 'many2one']
        self.assertIn('repeat_of.rec_name', names)
        row, = self.assertRPC(session, f'{ORDER}.read',
            [self.ids['at_market']], names)
        self.assertTrue(row['repeated'])
        self.assertEqual((row['repeat_of'], row['repeat_of.']), (None, None))
        row, = self.assertRPC(self.sessions['dispatcher'], f'{ORDER}.read',
            [self.ids['at_market']], ['repeat_of', 'repeat_of.rec_name'])
        self.assertEqual(row['repeat_of'], self.ids['registered'])
        self.assertEqual(row['repeat_of.']['id'], self.ids['registered'])
        self.assertRegex(row['repeat_of.']['rec_name'], r'^RX\d{4}-\d{6}$')

    def test_department_list(self):
        "A liaison's list holds their department's orders, due first"
        session = self.sessions['market_liaison']
        rows = self.assertRPC(session, f'{ORDER}.search_read',
            [('at_my_department', '=', True)], 0, None,
            [('due_at', 'ASC NULLS LAST')], ['subject', 'state'])
        self.assertEqual([r['subject'] for r in rows], ["占道经营"])
        # a liaison signs for and answers their department's order
        self.assertRPC(session, f'{ORDER}.sign', [self.ids['at_market']])

        def undo():
            Order = Pool().get('hall.hotline.order')
            order = Order(self.ids['at_market'])
            Order.write([order], {'state': 'dispatched', 'signed_at': None})
            Log = Pool().get('hall.hotline.order.log')
            Log.delete(Log.search([('order', '=', order.id),
                        ('action', '=', 'sign')]))
        commit(undo)

    def test_platform_import(self):
        """The operators and the dispatchers import the platform's file over
        RPC, once; a bad file is refused line by line in Chinese; the other
        roles may not run the import"""
        s = self.sessions
        context = {'company': self.ids['company']}
        good = ('工单编号,受理时间,诉求类型,诉求标题,诉求内容,来电人,联系电话\n'
            'ZJ-RPC-1,2025-09-29 16:20,投诉,夜间施工噪音,工地夜间施工,'
            '王芳,13900001111\n').encode('gbk')
        bad = good.replace('投诉'.encode('gbk'), '闲聊'.encode('gbk'))

        def run(session, data):
            kind, value = self.rpc(session, f'{IMPORT}.create',
                context=context)
            if kind == 'error':
                return kind, value
            wizard_id, start, _ = value
            return self.rpc(session, f'{IMPORT}.execute', wizard_id,
                {start: {'file': data, 'filename': '工单.csv'}}, 'import_',
                context=context)

        before = self.count('hall.hotline.order')
        for login in ['hotline_supervisor', 'market_liaison', 'leader',
                'li']:
            with self.subTest(login=login):
                kind, value = run(s[login], good)
                self.assertEqual(kind, 'error', value)
        kind, value = run(s['operator'], bad)
        self.assertEqual(kind, 'error', value)
        self.assertEqual(value[1][1], "第2行「诉求类型」：“闲聊”不是诉求类型："
            "应为咨询、求助、投诉、举报、建议、表扬或效能投诉")
        self.assertEqual(self.count('hall.hotline.order'), before)

        for login, created, known in [
                ('operator', 1, 0), ('dispatcher', 0, 1)]:
            kind, value = run(s[login], good)
            self.assertEqual(kind, 'result', value)
            defaults = value['view']['defaults']
            self.assertEqual(
                (defaults['created'], defaults['known']), (created, known))
        self.assertEqual(self.count('hall.hotline.order'), before + 1)


del RouteTestCase
