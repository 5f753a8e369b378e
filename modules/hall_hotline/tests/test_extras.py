# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The 12345 work orders with hall_evaluation and content_review: the
follow-up rated as a 好差评 of the application, the efficiency complaints
rectified, the orders on the party's form, content_review's lexicon of
sensitive words."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_employee
from trytond.modules.hall.tests.tools import on
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from .tools import EVE, HotlineData, as_user, at

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


class ExtrasData(HotlineData):
    """HotlineData with an evaluation supervisor and an application of the
    citizen received at A01 by 李强 the day before"""

    def __init__(self):
        super().__init__()
        Application = Pool().get('hall.application')
        self.chen = create_employee(self.company, "陈静")
        self.evaluation_supervisor = self.user('chen',
            ['group_evaluation_supervisor'], self.chen,
            module='hall_evaluation')
        with on(EVE.date() - DAY):
            self.received = self.application(clerk=self.li.id)
            Application.receive([self.received])
            Application.accept([self.received])

    def handled(self, order, satisfaction='satisfied', reached='reached',
            note=None, lead=None):
        """The order dispatched, answered, approved and followed up: ready
        to close (or redo)"""
        lead = lead or self.market
        liaison = (self.market_liaison if lead == self.market
            else self.housing_liaison)
        if order.state in {'registered', 'returned'}:
            order = self.dispatch(self.dispatcher, order, lead)
        order, = self.act(liaison, 'sign', [order])
        order.reply = "经核实，已责成窗口整改。"
        order.save()
        order, = self.act(liaison, 'answer', [order])
        order, = self.act(self.dispatcher, 'approve', [order])
        if not order.anonymous:
            order.reached = reached
            order.satisfaction = (
                satisfaction if reached == 'reached' else None)
        order.follow_up_note = note
        order.save()
        return order


class HallHotlineExtrasTestCase(ModuleTestCase):
    "Test the 12345 hotline with hall_evaluation and content_review"
    module = 'hall_hotline'
    extras = ['hall_evaluation', 'content_review']

    def test_rating_levels(self):
        "Each follow-up satisfaction is a 好差评 level, the bad ones bad"
        from trytond.modules.hall_evaluation.rating_rules import (
            LEVELS, is_bad)
        from trytond.modules.hall_hotline.hotline_rules import rating_level
        from trytond.modules.hall_hotline.order import (
            SATISFACTION, UNSATISFIED)
        levels = {l for l, _ in LEVELS}
        for satisfaction, _ in SATISFACTION:
            if satisfaction is None:
                self.assertIsNone(rating_level(satisfaction))
                continue
            self.assertIn(rating_level(satisfaction), levels)
            self.assertEqual(is_bad(rating_level(satisfaction)),
                satisfaction in UNSATISFIED)

    @with_transaction()
    def test_follow_up_rating(self):
        """The follow-up of an order naming an application is its rating on
        the 12345 channel, entered by the supervisor at the close, once, at
        the final close of a redone order"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = ExtrasData()
        with at(EVE):
            order = data.order(application=data.received.id)
        with at(EVE + HOUR):
            order = data.handled(order, 'dissatisfied', note="仍未解决")
            # redone: no rating for the first round
            order, = data.act(data.supervisor, 'redo', [order])
        self.assertEqual(Evaluation.search([]), [])
        with at(EVE + 2 * HOUR):
            order = data.handled(order, 'satisfied', note="已解决")
        closed = EVE + 3 * HOUR
        with at(closed):
            order, = data.act(data.supervisor, 'close', [order])
            # pressed again: refused, and rated once whatever calls it
            with self.assertRaises(UserError):
                data.act(data.supervisor, 'close', [order])
            data.act(data.supervisor, 'rate_applications', [order])
        evaluation, = Evaluation.search([])
        self.assertEqual(
            (evaluation.channel, evaluation.level, evaluation.application,
                evaluation.hotline_order, evaluation.rated_at),
            ('hotline', 'satisfied', data.received, order, closed))
        self.assertEqual(evaluation.entered_by, data.supervisor)
        self.assertEqual((evaluation.window, evaluation.clerk),
            (data.a01, data.li))
        # the caller as they gave their name and phone, not masked
        self.assertEqual(
            (evaluation.rater_name, evaluation.rater_phone),
            ("张建明", '13812345678'))
        self.assertIn(order.number, evaluation.reason)
        self.assertIn("已解决", evaluation.reason)
        self.assertEqual(order.evaluations, (evaluation,))
        self.assertEqual(evaluation.rectifications, ())
        self.assertEqual(order.rectifications, ())
        # the leader and the hotline's staff read the rating on the order
        Order = pool.get('hall.hotline.order')
        for user in [data.leader, data.supervisor, data.dispatcher]:
            set_user, set_context = as_user(user)
            with set_user, set_context:
                row, = Order.read([order.id], ['evaluations'])
                self.assertEqual(row['evaluations'], (evaluation.id,))
                self.assertIn('evaluations',
                    Order.fields_view_get(view_type='form')['fields'])
        # the hotline's staff, no other rating
        Application = pool.get('hall.application')
        with on(EVE.date() - DAY):
            other = data.application(clerk=data.li.id)
            Application.receive([other])
            Application.accept([other])
        with at(closed):
            set_user, set_context = as_user(data.evaluation_supervisor)
            with set_user, set_context:
                Evaluation.enter({
                        'company': data.company.id,
                        'channel': 'sms',
                        'application': other.id,
                        'rated_at': closed,
                        'level': 'very_satisfied',
                        'anonymous': True,
                        })
        self.assertEqual(Evaluation.search([], count=True), 2)
        set_user, set_context = as_user(data.supervisor)
        with set_user, set_context:
            self.assertEqual(Evaluation.search([]), [evaluation])
            row, = Evaluation.read([evaluation.id], ['level'])
            self.assertEqual(row['level'], 'satisfied')
            # the rater is the evaluation supervisors'
            with self.assertRaises(AccessError):
                Evaluation.read([evaluation.id], ['rater_name'])

    @with_transaction()
    def test_erase_caller(self):
        """Erasing the caller clears their name and phone on the rating of
        their follow-up too"""
        pool = Pool()
        Party = pool.get('party.party')
        Evaluation = pool.get('hall.evaluation')
        Erase = pool.get('party.erase', type='wizard')
        data = ExtrasData()
        caller, = Party.create([{'name': "李娜"}])
        with at(EVE):
            order = data.order(application=data.received.id,
                caller=caller.id, caller_name="李娜",
                caller_phone='13900001111')
        with at(EVE + HOUR):
            order = data.handled(order)
            order, = data.act(data.supervisor, 'close', [order])
        evaluation, = order.evaluations
        self.assertEqual(evaluation.rater_name, "李娜")
        Party.write([caller], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = caller
        erase.transition_erase()
        row, = Evaluation.read([evaluation.id], ['rater_name', 'rater_phone'])
        self.assertEqual((row['rater_name'], row['rater_phone']),
            (None, None))

    @with_transaction()
    def test_no_rating(self):
        """No rating without an application, for an anonymous or unreached
        caller, nor for an application rated already"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = ExtrasData()
        with at(EVE):
            without = data.order()
            anonymous = data.order(anonymous=True, caller_name=None,
                caller_phone=None, application=data.received.id,
                subject="匿名反映")
            unreached = data.order(application=data.received.id,
                subject="未接通")
        orders = []
        for order, reached in [
                (without, 'reached'), (anonymous, None),
                (unreached, 'unreached')]:
            with at(EVE + HOUR):
                order = data.handled(order, reached=reached)
                order, = data.act(data.supervisor, 'close', [order])
            self.assertEqual(order.state, 'closed')
            orders.append(order)
        self.assertEqual(Evaluation.search([]), [])

        # rated by the citizen at the window: the follow-up rates no more
        with at(EVE + HOUR):
            rated = data.order(application=data.received.id,
                subject="已评价")
            rated = data.handled(rated, 'very_dissatisfied')
        window_rating, = Evaluation.create([{
                    'company': data.company.id,
                    'application': data.received.id,
                    'channel': 'window_device',
                    'level': 'very_satisfied',
                    'rated_at': EVE,
                    }])
        with at(EVE + 2 * HOUR):
            rated, = data.act(data.supervisor, 'close', [rated])
        self.assertEqual(rated.state, 'closed')
        self.assertEqual(Evaluation.search([]), [window_rating])
        self.assertEqual(rated.evaluations, ())

    @with_transaction()
    def test_bad_follow_up_rectified(self):
        "A bad follow-up opens the rectification of its rating"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        data = ExtrasData()
        with at(EVE):
            order = data.order(application=data.received.id)
        with at(EVE + HOUR):
            order = data.handled(order, 'very_dissatisfied',
                note="窗口人员态度差，多次让我补材料")
            order, = data.act(data.supervisor, 'close', [order])
        evaluation, = order.evaluations
        self.assertEqual(evaluation.level, 'very_dissatisfied')
        self.assertTrue(evaluation.bad)
        rectification, = Rectification.search([])
        self.assertEqual(
            (rectification.source, rectification.evaluation,
                rectification.hotline_order, rectification.window,
                rectification.clerk, rectification.state),
            ('rating', evaluation, order, data.a01, data.li, 'open'))
        self.assertIn("多次让我补材料", rectification.problem)
        self.assertEqual(order.rectifications, (rectification,))

    @with_transaction()
    def test_efficiency_complaint_rectified(self):
        """An efficiency complaint opens a rectification once its answer is
        approved, once, and the evaluation supervisor takes it through"""
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        Rectification = pool.get('hall.evaluation.rectification')
        Evaluation = pool.get('hall.evaluation')
        FollowUp = pool.get('hall.evaluation.rectification.followup')
        data = ExtrasData()
        with at(EVE):
            other = data.order(subject="路灯不亮")
            complaint = data.order(category='efficiency',
                subject="A01窗口人员办事拖拉", window=data.a01.id,
                employee=data.li.id, application=data.received.id,
                content="食品经营许可窗口人员玩手机，让群众久等。")
        # the same caller: a repeated order
        self.assertEqual(complaint.repeat_of, other)
        with at(EVE + HOUR):
            complaint = data.handled(complaint, 'dissatisfied')
        rectification, = Rectification.search([])
        self.assertEqual(
            (rectification.source, rectification.hotline_order,
                rectification.evaluation, rectification.hall,
                rectification.window, rectification.clerk,
                rectification.service, rectification.department,
                rectification.state),
            ('hotline', complaint, None, data.hall, data.a01, data.li,
                data.licence, data.licence.department, 'open'))
        self.assertIn("A01窗口人员办事拖拉", rectification.problem)
        self.assertIn("已责成窗口整改", rectification.problem)
        # opened by the system for the dispatcher who approved
        self.assertEqual(rectification.create_uid, data.dispatcher)

        # redone, approved again, closed unsatisfied: still one
        with at(EVE + 2 * HOUR):
            complaint, = data.act(data.supervisor, 'redo', [complaint])
            complaint = data.handled(complaint, 'dissatisfied')
            complaint, = data.act(data.supervisor, 'close', [complaint])
        evaluation, = Evaluation.search([])
        self.assertTrue(evaluation.bad)
        self.assertEqual(Rectification.search([]), [rectification])
        self.assertEqual(complaint.rectifications, (rectification,))

        # the evaluation supervisor reads the complaint, the caller in full,
        # and no other order
        set_user, set_context = as_user(data.evaluation_supervisor)
        with set_user, set_context:
            row, = Order.read([complaint.id], ['subject', 'caller_name'])
            self.assertEqual(row['caller_name'], "张建明")
            self.assertEqual(Order.search([]), [complaint])
            with self.assertRaises(AccessError):
                Order.read([other.id], ['subject'])
            with self.assertRaises(AccessError):
                Order.write([Order(complaint.id)], {'subject': "改"})
            # the form opens: the order it repeats, which the evaluation
            # supervisor may not read, reads empty
            view = Order.fields_view_get(view_type='form')
            names = list(view['fields']) + [f'{n}.rec_name'
                for n, f in view['fields'].items()
                if f['type'] == 'many2one']
            row, = Order.read([complaint.id], names)
            self.assertEqual(
                (row['repeat_of'], row['repeat_of.']), (None, None))
            row, = Rectification.read([rectification.id],
                ['hotline_order.rec_name'])
            self.assertEqual(
                row['hotline_order.']['rec_name'], complaint.number)

            # and takes the rectification through its own workflow
            rectification = Rectification(rectification.id)
            rectification.verification = "调阅监控，情况属实。"
            rectification.save()
            Rectification.verify([rectification])
            rectification.measures = "对李强批评教育，窗口增设叫号提醒。"
            rectification.save()
            Rectification.rectify([rectification])
            FollowUp.create([{
                        'rectification': rectification.id,
                        'caller': data.chen.id,
                        'result': "来电人认可整改结果",
                        }])
            Rectification.close([rectification])
        self.assertEqual(Rectification(rectification.id).state, 'closed')

    @with_transaction()
    def test_complaint_without_window_rectified(self):
        "A complaint about a clerk only is rectified for the clerk"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        data = ExtrasData()
        with at(EVE):
            complaint = data.order(category='efficiency',
                subject="工作人员推诿", employee=data.zhao.id)
        with at(EVE + HOUR):
            data.handled(complaint)
        rectification, = Rectification.search([])
        self.assertEqual(
            (rectification.clerk, rectification.window, rectification.hall),
            (data.zhao, None, None))

    @with_transaction()
    def test_party_orders(self):
        """The party's form lists the orders of its calls, newest first, as
        each role reads them; a role reading no order opens it too"""
        pool = Pool()
        Party = pool.get('party.party')
        Order = pool.get('hall.hotline.order')
        data = ExtrasData()
        citizen = data.citizen
        with at(EVE):
            first = data.order(caller=citizen.id)
            second = data.dispatch(data.dispatcher,
                data.order(caller=citizen.id, subject="第二次来电"),
                data.market)
            data.order(subject="他人来电", caller_name="李娜",
                caller_phone='13900001111')
        self.assertEqual(citizen.hotline_orders, (second, first))

        set_user, set_context = as_user(data.dispatcher)
        with set_user, set_context:
            row, = Party.read([citizen.id], ['name', 'hotline_orders'])
            self.assertEqual(row['name'], "张*明")
            self.assertEqual(row['hotline_orders'], (second.id, first.id))
            # the callers stay masked through the party's page
            rows = Order.read(list(row['hotline_orders']),
                ['caller_name', 'caller_phone'])
            self.assertEqual(
                {(r['caller_name'], r['caller_phone']) for r in rows},
                {("张*明", '138****5678')})
            view = Party.fields_view_get(view_type='form')
            self.assertIn('hotline_orders', view['fields'])
        # a liaison, the orders of their departments only
        set_user, set_context = as_user(data.market_liaison)
        with set_user, set_context:
            row, = Party.read([citizen.id], ['hotline_orders'])
            self.assertEqual(row['hotline_orders'], (second.id,))
        # a window clerk reads no order: the page is not on the form
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            view = Party.fields_view_get(view_type='form')
            self.assertNotIn('hotline_orders', view['fields'])
            self.assertNotIn('hotline_orders', view['arch'])
            row, = Party.read([citizen.id], list(view['fields']))
            self.assertEqual(row['id'], citizen.id)
            with self.assertRaises(AccessError):
                Party.read([citizen.id], ['hotline_orders'])

    @with_transaction()
    def test_content_review_lexicon(self):
        """A word of content_review's lexicon of sensitive words marks an
        order sensitive, beside the hotline's own lexicon"""
        pool = Pool()
        Word = pool.get('content.sensitive_word')
        data = ExtrasData()
        Word.create([{'word': "静坐", 'severity': 'serious'}, {
                    'word': "集体维权", 'severity': 'normal',
                    'active': False}])
        with at(EVE):
            order = data.order(subject="小区业主准备到区政府门口静坐",
                content="开发商欠薪不还，业主准备集体维权。")
            plain = data.order(subject="路灯不亮", caller_name="李娜",
                caller_phone='13900001111')
        self.assertTrue(order.sensitive)
        self.assertEqual(order.sensitive_words.split('、'),
            ["欠薪", "静坐"])
        self.assertFalse(plain.sensitive)


del ModuleTestCase
