# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.exceptions import WorkflowError
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin)
from trytond.modules.hall_hotline.exceptions import (
    OrderError, OrderValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import EVE, HotlineData, as_user, at

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def actions(order):
    return [l.action for l in order.logs]


class HallHotlineTestCase(
        TranslatedTestMixin, ServerReadonlyTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test the 12345 hotline module"
    module = 'hall_hotline'

    @with_transaction()
    def test_lifecycle(self):
        """A complaint dispatched, returned, transferred, signed, answered,
        sent back, approved, followed up unsatisfied, redone and closed"""
        data = HotlineData()
        with at(EVE):
            order = data.order()
        self.assertEqual(order.state, 'registered')
        self.assertTrue(order.number.startswith('RX2025-'))
        with at(EVE + HOUR):
            order = data.dispatch(data.dispatcher, order, data.housing,
                [data.urban])
        self.assertEqual(order.state, 'dispatched')
        self.assertEqual(order.assisting_departments, (data.urban,))
        self.assertEqual(order.transfer_count, 0)
        # not the housing bureau's matter: returned with a reason
        with at(EVE + 2 * HOUR):
            order, = data.act(data.housing_liaison, 'send_back', [order],
                "油烟属市场监管部门职责")
        self.assertEqual((order.state, order.return_count), ('returned', 1))
        with at(EVE + 3 * HOUR):
            order = data.dispatch(data.dispatcher, order, data.market)
        self.assertEqual(order.transfer_count, 1)
        with at(EVE + 4 * HOUR):
            order, = data.act(data.market_liaison, 'sign', [order])
        self.assertFalse(order.sign_overdue)
        order.reply = "已约谈餐馆，责令加装油烟净化设备。"
        order.save()
        with at(dt.datetime(2025, 10, 9, 2)):
            order, = data.act(data.market_liaison, 'answer', [order])
            order, = data.act(data.dispatcher, 'send_back_answer', [order],
                "未说明整改期限")
        self.assertEqual(order.state, 'signed')
        order.reply += "限期10日内整改完毕。"
        order.save()
        with at(dt.datetime(2025, 10, 9, 4)):
            order, = data.act(data.market_liaison, 'answer', [order])
            order, = data.act(data.dispatcher, 'approve', [order])
        self.assertEqual(order.state, 'reviewed')
        order.reached = 'reached'
        order.satisfaction = 'dissatisfied'
        order.follow_up_note = "油烟仍未改善"
        order.save()
        with at(dt.datetime(2025, 10, 10, 2)):
            order, = data.act(data.supervisor, 'redo', [order])
        self.assertEqual(
            (order.state, order.redo_count, order.lead_department),
            ('dispatched', 1, data.market))
        self.assertIsNone(order.satisfaction)
        with at(dt.datetime(2025, 10, 10, 3)):
            order, = data.act(data.market_liaison, 'sign', [order])
            order, = data.act(data.market_liaison, 'answer', [order])
            order, = data.act(data.dispatcher, 'approve', [order])
        order.reached = 'reached'
        order.satisfaction = 'satisfied'
        order.save()
        with at(dt.datetime(2025, 10, 13, 2)):
            order, = data.act(data.supervisor, 'close', [order])
        self.assertEqual(order.state, 'closed')
        self.assertEqual(actions(order), [
                'register', 'dispatch', 'return', 'transfer', 'sign',
                'answer', 'reject', 'answer', 'approve', 'redo', 'sign',
                'answer', 'approve', 'close'])
        returned = [l for l in order.logs if l.action == 'return'][0]
        self.assertEqual(returned.department, data.housing)
        self.assertEqual(returned.user, data.housing_liaison)

    @with_transaction()
    def test_conclude_directly(self):
        "A consultation answered at registration is closed at once"
        data = HotlineData()
        with at(EVE):
            order = data.order(category='consultation',
                subject="居住证办理需要哪些材料")
            with self.assertRaises(OrderError):
                data.act(data.operator, 'conclude', [order])
            order.reply = "身份证、租赁合同，到社区服务中心办理。"
            order.save()
            order, = data.act(data.operator, 'conclude', [order])
        self.assertEqual(order.state, 'closed')
        self.assertTrue(order.direct)
        self.assertEqual(order.closed_at, EVE)

    @with_transaction()
    def test_deadlines_across_holiday(self):
        """Dispatched on the eve of the National Day, five working days end
        on 14 October (the 11th, a Saturday, is worked); the signing is due
        24 hours later"""
        data = HotlineData()
        with at(EVE):
            order = data.order()
            order = data.dispatch(data.dispatcher, order, data.market)
        self.assertEqual(order.sign_deadline, EVE + 24 * HOUR)
        # 23:59:59 on 14 October in Beijing
        self.assertEqual(order.answer_deadline,
            dt.datetime(2025, 10, 14, 15, 59, 59))
        self.assertEqual(order.due_at, order.sign_deadline)

        # an urgent order: 2 hours to sign, very urgent: 24 hours to answer
        with at(EVE):
            urgent = data.order(urgency='very_urgent')
            urgent = data.dispatch(data.dispatcher, urgent, data.market)
        self.assertEqual(urgent.sign_deadline, EVE + HOUR)
        self.assertEqual(urgent.answer_deadline, EVE + 24 * HOUR)

    @with_transaction()
    def test_deadline_paused_while_returned(self):
        "The days an order waits returned do not count against the answer"
        data = HotlineData()
        with at(EVE):
            order = data.order()
            order = data.dispatch(data.dispatcher, order, data.housing)
        deadline = order.answer_deadline
        with at(dt.datetime(2025, 10, 9, 2)):
            order, = data.act(data.housing_liaison, 'send_back', [order],
                "非本部门职责")
        self.assertIsNotNone(order.paused_at)
        # re-dispatched two working days later (10 and 11 October)
        with at(dt.datetime(2025, 10, 11, 2)):
            order = data.dispatch(data.dispatcher, order, data.market)
        self.assertIsNone(order.paused_at)
        self.assertEqual(order.answer_deadline,
            dt.datetime(2025, 10, 16, 15, 59, 59))
        self.assertGreater(order.answer_deadline, deadline)

        # not paused when the configuration says so
        Configuration = Pool().get('hall.hotline.configuration')
        config = Configuration(1)
        config.paused_states = []
        config.save()
        with at(EVE):
            other = data.order(subject="另一件事")
            other = data.dispatch(data.dispatcher, other, data.housing)
        with at(dt.datetime(2025, 10, 9, 2)):
            other, = data.act(data.housing_liaison, 'send_back', [other],
                "非本部门职责")
        with at(dt.datetime(2025, 10, 11, 2)):
            other = data.dispatch(data.dispatcher, other, data.market)
        self.assertEqual(other.answer_deadline, deadline)

    @with_transaction()
    def test_overdue_and_notified(self):
        "The cron flags what is overdue once and tells the liaisons"
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        Notification = pool.get('res.notification')
        data = HotlineData()
        with at(EVE):
            order = data.order()
            order = data.dispatch(data.dispatcher, order, data.market)
        with at(EVE + 23 * HOUR):
            Order.check_deadlines()
        self.assertFalse(Order(order.id).sign_overdue)
        with at(EVE + 25 * HOUR):
            Order.check_deadlines()
            Order.check_deadlines()
        order = Order(order.id)
        self.assertTrue(order.sign_overdue)
        self.assertEqual(actions(order).count('sign_overdue'), 1)
        notified = Notification.search([('user', '=', data.market_liaison)])
        self.assertEqual(len(notified), 1)
        self.assertIn(order.number, notified[0].label)
        # signed late: still counted late
        with at(EVE + 26 * HOUR):
            order, = data.act(data.market_liaison, 'sign', [order])
        self.assertTrue(order.sign_overdue)
        with at(dt.datetime(2025, 10, 15, 2)):
            Order.check_deadlines()
        self.assertTrue(Order(order.id).answer_overdue)

    @with_transaction()
    def test_escalation(self):
        """Redone three times, or through three lead departments, an order
        goes to the supervising leader"""
        pool = Pool()
        Configuration = pool.get('hall.hotline.configuration')
        Notification = pool.get('res.notification')
        data = HotlineData()
        config = Configuration(1)
        config.supervising_leader = data.leader
        config.save()
        with at(EVE):
            order = data.order()
            for lead, liaison in [
                    (data.housing, data.housing_liaison),
                    (data.urban, None)]:
                order = data.dispatch(data.dispatcher, order, lead)
                self.assertFalse(order.escalated)
                if liaison:
                    order, = data.act(liaison, 'send_back', [order], "非本部门")
                else:
                    # the urban bureau has no liaison here: returned by the
                    # server's code
                    Order = pool.get('hall.hotline.order')
                    with Transaction().set_user(0):
                        Order.send_back([order], "非本部门")
            order = data.dispatch(data.dispatcher, order, data.market)
        self.assertTrue(order.escalated)
        self.assertEqual(actions(order)[-1], 'escalate')
        self.assertTrue(Notification.search([('user', '=', data.leader)]))
        self.assertTrue(Notification.search(
                [('user', '=', data.supervisor)]))

        with at(EVE):
            redone = data.order(subject="路灯不亮")
            redone = data.dispatch(data.dispatcher, redone, data.market)
        for round_ in range(3):
            self.assertFalse(redone.escalated)
            redone, = data.act(data.market_liaison, 'sign', [redone])
            redone.reply = "已修复"
            redone.save()
            redone, = data.act(data.market_liaison, 'answer', [redone])
            redone, = data.act(data.dispatcher, 'approve', [redone])
            redone.reached = 'reached'
            redone.satisfaction = 'very_dissatisfied'
            redone.save()
            redone, = data.act(data.supervisor, 'redo', [redone])
        self.assertEqual(redone.redo_count, 3)
        self.assertTrue(redone.escalated)

    @with_transaction()
    def test_repeated_and_sensitive(self):
        """An order of the same caller or on the same subject within 30 days
        is repeated; the lexicon marks the sensitive ones"""
        data = HotlineData()
        with at(EVE):
            first = data.order()
        self.assertFalse(first.repeated)
        with at(EVE + 10 * DAY):
            by_phone = data.order(subject="另一件事", caller_name="张建明",
                caller_phone='+86 138 1234 5678')
            by_subject = data.order(subject="小区门口餐馆 油烟扰民！",
                caller_name="李娜", caller_phone='13900001111')
            other = data.order(subject="公交站台破损", caller_name="王五",
                caller_phone='13700002222')
        self.assertEqual(by_phone.repeat_of, first)
        self.assertEqual(by_subject.repeat_of, first)
        self.assertFalse(other.repeated)
        with at(EVE + 45 * DAY):
            late = data.order(subject="公交站台破损了",
                caller_name="王五", caller_phone='13700002223')
        self.assertFalse(late.repeated)
        # the same question asked by another caller is no repeated order
        with at(EVE):
            question = data.order(category='consultation',
                subject="居住证怎么办", caller_phone='13600003333')
        with at(EVE + DAY):
            again = data.order(category='consultation',
                subject="居住证怎么办", caller_phone='13600004444')
        self.assertFalse(question.repeated or again.repeated)

        with at(EVE):
            sensitive = data.order(subject="工地欠薪",
                content="农民工准备拉横幅堵路讨薪")
        self.assertTrue(sensitive.sensitive)
        self.assertEqual(sensitive.sensitive_words, "堵路、拉横幅、欠薪")
        self.assertFalse(first.sensitive)

    @with_transaction()
    def test_liaison_sees_own_department(self):
        """A liaison reads the orders led or assisted by their department
        only, and acts on those led by it only"""
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        data = HotlineData()
        with at(EVE):
            market = data.dispatch(data.dispatcher, data.order(),
                data.market)
            assisted = data.dispatch(data.dispatcher,
                data.order(subject="违建"), data.urban, [data.housing])
            housing = data.dispatch(data.dispatcher,
                data.order(subject="物业"), data.housing)
        set_user, set_context = as_user(data.housing_liaison)
        with set_user, set_context:
            self.assertEqual(
                {o.id for o in Order.search([])}, {assisted.id, housing.id})
            self.assertEqual(Order.search([('at_my_department', '=', True)]),
                [Order(housing.id)])
            with self.assertRaises(AccessError):
                Order.read([market.id], ['subject'])
        with self.assertRaises(OrderError):
            data.act(data.housing_liaison, 'sign', [assisted])
        with self.assertRaises((OrderError, AccessError)):
            data.act(data.housing_liaison, 'sign', [market])
        data.act(data.housing_liaison, 'sign', [housing])

    @with_transaction()
    def test_caller_masked(self):
        """The caller's name and phone reach the operators only; others
        cannot search them"""
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        data = HotlineData()
        with at(EVE):
            order = data.order()
        for user, name, phone in [
                (data.operator, "张建明", '13812345678'),
                (data.dispatcher, "张*明", '138****5678'),
                (data.supervisor, "张*明", '138****5678'),
                (data.leader, "张*明", '138****5678')]:
            set_user, set_context = as_user(user)
            with set_user, set_context:
                row, = Order.read([order.id], ['caller_name', 'caller_phone'])
                self.assertEqual(
                    (row['caller_name'], row['caller_phone']), (name, phone),
                    user.login)
        set_user, set_context = as_user(data.dispatcher)
        with set_user, set_context:
            with self.assertRaises(OrderError):
                Order.search([('caller_phone', 'like', '138%')])
        set_user, set_context = as_user(data.operator)
        with set_user, set_context:
            self.assertEqual(
                Order.search([('caller_phone', '=', '13812345678')]),
                [order])

    @with_transaction()
    def test_register_checks(self):
        "An order names its caller (or is anonymous) and a window complaint"
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        data = HotlineData()
        with self.assertRaises(OrderValidationError):
            data.order(caller_phone='12')
        with self.assertRaises(OrderValidationError):
            data.order(caller_name=None, caller_phone=None)
        anonymous = data.order(caller_name=None, caller_phone=None,
            anonymous=True)
        self.assertEqual(anonymous.state, 'registered')
        with self.assertRaises(OrderValidationError):
            data.order(category='efficiency')
        complaint = data.order(category='efficiency', window=data.a01.id)
        self.assertEqual(complaint.window, data.a01)
        # registered orders are kept
        with self.assertRaises(OrderError):
            Order.delete([complaint])
        draft, = Order.create([{'company': data.company.id,
                    'subject': "草稿", 'content': "草稿", 'anonymous': True}])
        Order.delete([draft])

    @with_transaction()
    def test_dispatch_refused_twice(self):
        "A second dispatch of the same order is told it has gone"
        data = HotlineData()
        with at(EVE):
            order = data.order()
            data.dispatch(data.dispatcher, order, data.market)
            with self.assertRaises(OrderError) as cm:
                data.dispatch(data.dispatcher2, order, data.housing)
        self.assertIn(order.number, cm.exception.message)
        with self.assertRaises(OrderError):
            data.dispatch(data.dispatcher, data.order(subject="新"),
                data.market, [data.market])

    @with_transaction()
    def test_closing_needs_follow_up(self):
        "The follow-up is recorded before closing; only the unsatisfied redo"
        data = HotlineData()
        with at(EVE):
            order = data.dispatch(data.dispatcher, data.order(), data.market)
        order, = data.act(data.market_liaison, 'sign', [order])
        with self.assertRaises(OrderError):
            data.act(data.market_liaison, 'answer', [order])
        order.reply = "已处理"
        order.save()
        order, = data.act(data.market_liaison, 'answer', [order])
        order, = data.act(data.dispatcher, 'approve', [order])
        with self.assertRaises(OrderError):
            data.act(data.supervisor, 'close', [order])
        order.reached = 'reached'
        order.save()
        with self.assertRaises(OrderError):
            data.act(data.supervisor, 'close', [order])
        order.satisfaction = 'basic'
        order.save()
        with self.assertRaises(OrderError):
            data.act(data.supervisor, 'redo', [order])
        order, = data.act(data.supervisor, 'close', [order])
        self.assertEqual(order.state, 'closed')
        # a closed order is not signed again, whatever the call
        with self.assertRaises(UserError):
            data.act(data.market_liaison, 'sign', [order])
        with self.assertRaises(WorkflowError):
            with Transaction().set_user(0):
                Pool().get('hall.hotline.order').sign([order])

    @with_transaction()
    def test_indicators(self):
        """The figures of the period's orders, by lead department, category
        and source, worked out by hand; the leader reads them, a liaison
        does not"""
        pool = Pool()
        Indicator = pool.get('hall.hotline.indicator')
        Department = pool.get('hall.hotline.indicator.department')
        Category = pool.get('hall.hotline.indicator.category')
        Source = pool.get('hall.hotline.indicator.source')
        data = HotlineData()

        def closed(order, satisfaction, liaison=data.market_liaison):
            order, = data.act(liaison, 'sign', [order])
            order.reply = "已办理"
            order.save()
            order, = data.act(liaison, 'answer', [order])
            order, = data.act(data.dispatcher, 'approve', [order])
            order.reached = 'reached' if satisfaction else 'unreached'
            order.satisfaction = satisfaction
            order.save()
            return data.act(data.supervisor, 'close', [order])[0]
        with at(EVE):
            # a consultation concluded directly
            direct = data.order(category='consultation', subject="咨询")
            direct.reply = "已解答"
            direct.save()
            data.act(data.operator, 'conclude', [direct])
            # a complaint returned by housing, transferred, closed satisfied
            complaint = data.dispatch(data.dispatcher,
                data.order(subject="油烟"), data.housing)
            complaint, = data.act(data.housing_liaison, 'send_back',
                [complaint], "非本部门")
            complaint = data.dispatch(data.dispatcher, complaint, data.market)
            closed(complaint, 'satisfied')
            # a help request closed dissatisfied, from the platform
            help_ = data.dispatch(data.dispatcher, data.order(
                    category='help', subject="求助", source='province',
                    platform_number='SD2025093000001'), data.market)
            closed(help_, 'dissatisfied')
            # a report still at the housing bureau, signed late
            report = data.dispatch(data.dispatcher,
                data.order(category='report', subject="举报"), data.housing)
        with at(EVE + 30 * HOUR):
            data.act(data.housing_liaison, 'sign', [report])
        # outside the period
        with at(EVE + 5 * DAY):
            data.order(subject="下个月的")
        context = {'company': data.company.id,
            'from_date': dt.date(2025, 9, 1), 'to_date': dt.date(2025, 9, 30)}
        set_user, set_context = as_user(data.leader)
        with set_user, set_context, \
                Transaction().set_context(**context):
            total, = Indicator.search([])
            self.assertEqual(
                (total.received, total.dispatched, total.direct,
                    total.concluded, total.transferred, total.returned,
                    total.redone, total.followed_up, total.satisfied),
                (4, 3, 1, 3, 1, 1, 0, 2, 1))
            self.assertAlmostEqual(total.conclusion_rate, 3 / 4)
            self.assertAlmostEqual(total.sign_on_time_rate, 2 / 3)
            self.assertAlmostEqual(total.answer_on_time_rate, 1)
            self.assertAlmostEqual(total.follow_up_rate, 1)
            self.assertAlmostEqual(total.satisfaction_rate, 1 / 2)
            ranking = Department.search([])
            self.assertEqual(
                [(r.department, r.received, r.concluded) for r in ranking],
                [(data.market, 2, 2), (data.housing, 1, 0)])
            self.assertEqual(
                {(r.category, r.received) for r in Category.search([])},
                {('consultation', 1), ('complaint', 1), ('help', 1),
                    ('report', 1)})
            self.assertEqual(
                {(r.source, r.received) for r in Source.search([])},
                {('call', 3), ('province', 1)})
        set_user, set_context = as_user(data.market_liaison)
        with set_user, set_context, \
                Transaction().set_context(**context):
            with self.assertRaises(AccessError):
                Indicator.search([])

    @with_transaction()
    def test_deadline_rule_missing(self):
        "Without a rule for an order, the dispatch says which to add"
        pool = Pool()
        Rule = pool.get('hall.hotline.deadline')
        data = HotlineData()
        Rule.delete(Rule.search([]))
        with self.assertRaises(UserError):
            data.dispatch(data.dispatcher, data.order(), data.market)


del ModuleTestCase
