# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The weekly bulletin (舆情快报): its weeks and trends, its figures worked
out by hand over two weeks of orders, the text printed, and who may print
it over the server."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company
from trytond.modules.hall.tests.tools import RPCTestMixin, report_text
from trytond.modules.hall_hotline.hotline_rules import (
    change, change_text, previous_week, shorten, trend_text, week_number,
    week_of)
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction

from .tools import HotlineData, as_user, at

BULLETIN = 'report.hall.hotline.bulletin.execute'
WIZARD = 'wizard.hall.hotline.bulletin.print'
# The week of the bulletin, and the one before
MONDAY = dt.date(2025, 10, 13)
CALLERS = ["张建明", "李海洋", "王秀英", "赵志强", "陈小红", "刘德华",
    "杨丽娟", "黄国平", "周海峰", "吴晓梅"]


def beijing(day, hour, minute=0):
    "A moment of October 2025 in Beijing, in UTC as stored"
    return dt.datetime(2025, 10, day, hour, minute) - dt.timedelta(hours=8)


class BulletinRulesTestCase(unittest.TestCase):
    "The weeks and the trends of the bulletin"

    def test_week_of(self):
        "A week runs from Monday to Sunday"
        for day in [dt.date(2025, 10, 13), dt.date(2025, 10, 16),
                dt.date(2025, 10, 19)]:
            self.assertEqual(week_of(day),
                (dt.date(2025, 10, 13), dt.date(2025, 10, 19)))
        self.assertEqual(week_of(dt.date(2026, 1, 1)),
            (dt.date(2025, 12, 29), dt.date(2026, 1, 4)))

    def test_previous_week(self):
        "The week before the current one, across the new year"
        self.assertEqual(previous_week(dt.date(2025, 10, 20)),
            (dt.date(2025, 10, 13), dt.date(2025, 10, 19)))
        self.assertEqual(previous_week(dt.date(2025, 10, 19)),
            (dt.date(2025, 10, 6), dt.date(2025, 10, 12)))
        self.assertEqual(previous_week(dt.date(2026, 1, 5)),
            (dt.date(2025, 12, 29), dt.date(2026, 1, 4)))

    def test_week_number(self):
        "The ISO number: the week of 1 January 2026 is the first of 2026"
        self.assertEqual(week_number(dt.date(2025, 10, 13)), (2025, 42))
        self.assertEqual(week_number(dt.date(2025, 12, 29)), (2026, 1))
        self.assertEqual(week_number(dt.date(2026, 11, 15)), (2026, 46))

    def test_trend(self):
        "Up, down or flat, in percent of the week before, to one place"
        for current, previous, direction, percent, trend, sentence in [
                (3, 2, 'up', Decimal('50.0'), '↑50.0%',
                    '较上周（2件）上升50.0%'),
                (2, 3, 'down', Decimal('33.3'), '↓33.3%',
                    '较上周（3件）下降33.3%'),
                (1, 3, 'down', Decimal('66.7'), '↓66.7%',
                    '较上周（3件）下降66.7%'),
                (5, 4, 'up', Decimal('25.0'), '↑25.0%',
                    '较上周（4件）上升25.0%'),
                (0, 2, 'down', Decimal('100.0'), '↓100.0%',
                    '较上周（2件）下降100.0%'),
                (2, 0, 'up', None, '↑新增', '上周无'),
                (2, 2, 'flat', Decimal('0.0'), '持平', '与上周持平'),
                (0, 0, 'flat', None, '持平', '与上周持平'),
                (None, None, 'flat', None, '持平', '与上周持平'),
                ]:
            with self.subTest(current=current, previous=previous):
                self.assertEqual(
                    change(current, previous), (direction, percent))
                self.assertEqual(trend_text(current, previous), trend)
                self.assertEqual(change_text(current, previous), sentence)

    def test_shorten(self):
        "A text on one line, cut with an ellipsis"
        self.assertEqual(shorten("小区门口\n 餐馆油烟", 30), "小区门口 餐馆油烟")
        self.assertEqual(shorten("一二三四五六", 5), "一二三四…")
        self.assertEqual(shorten(None), '')


class HallHotlineBulletinTestCase(RPCTestMixin, RouteTestCase):
    "Test the weekly bulletin"
    module = 'hall_hotline'

    @classmethod
    def create_data(cls):
        """Two weeks of orders: Monday 6 to Sunday 12 October 2025 and
        Monday 13 to Sunday 19 October; one the next Monday.  Each caller
        is another, so the repeated orders are those of a subject"""
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        data = HotlineData()
        country, = Country.create([{'name': "中国", 'code': 'CN'}])
        district, = Subdivision.create([{'country': country.id,
                    'name': "滨江区", 'code': 'CN-330108',
                    'type': 'district'}])
        callers = iter(enumerate(CALLERS))

        def order(moment, **values):
            index, name = next(callers)
            with at(moment):
                return data.order(caller_name=name,
                    caller_phone=f'1390000{index:04d}', **values)
        fumes = "小区门口餐馆油烟扰民"
        road = "江南大道1888号"
        orders = {
            # the week before
            'L1': order(beijing(8, 10), subject=fumes, place=road),
            'L2': order(beijing(10, 10), subject=fumes + "！", place=road),
            'L3': order(beijing(11, 9), category='help', subject="工地欠薪",
                content="某工地拖欠农民工工资，工人准备拉横幅。",
                subdivision=district.id),
            # Sunday 23:30 in Beijing: the week before
            'L4': order(beijing(12, 23, 30), subject="夜间施工噪音",
                content="施工车辆堵路，夜间噪音扰民。",
                subdivision=district.id),
            # the week: Monday 00:30 in Beijing, Sunday 15:30 in UTC
            'T1': order(beijing(13, 0, 30), subject=fumes, place=road),
            'T2': order(beijing(14, 10), subject="小区门口 餐馆油烟扰民",
                place=road),
            'T3': order(beijing(15, 10), category='help', subject="工地欠薪",
                content="工人欠薪三个月，扬言集访。",
                subdivision=district.id),
            'T4': order(beijing(16, 10), category='consultation',
                subject="社保转移", content="社保关系如何转移？"),
            # Sunday 23:30 in Beijing: the week
            'T5': order(beijing(19, 23, 30), subject="餐馆后厨火灾隐患",
                content="后厨堆放液化气罐，存在火灾隐患。", place=road),
            # Monday 00:30 in Beijing: the week after
            'T6': order(beijing(20, 0, 30), subject="下周的工单",
                content="仓库有火灾隐患。"),
            }
        with at(beijing(15, 11)):
            orders['T3'] = data.dispatch(
                data.dispatcher, orders['T3'], data.market)
        other = create_company("另一个单位", currency=data.company.currency)
        another_report, = Pool().get('ir.action.report').search([
                ('report_name', '!=', 'hall.hotline.bulletin'),
                ('groups', '=', None),
                ], limit=1)
        cls.ids = {k: o.id for k, o in orders.items()}
        cls.ids.update(company=data.company.id, other_company=other.id,
            another_report=another_report.id)
        cls.users = {u.login: u.id for u in [
                data.operator, data.dispatcher, data.supervisor,
                data.market_liaison, data.leader, data.li_user]}
        cls.sessions = {u.login: cls.session(u) for u in [
                data.operator, data.dispatcher, data.supervisor,
                data.market_liaison, data.leader, data.li_user]}

    def as_login(self, login):
        User = Pool().get('res.user')
        return as_user(User(self.users[login]))

    def figures(self, monday=MONDAY):
        Bulletin = Pool().get('hall.hotline.bulletin', type='report')
        set_user, set_context = self.as_login('hotline_supervisor')
        with set_user, set_context:
            return Bulletin.figures(self.ids['company'], monday)

    def print_(self, login='hotline_supervisor', day=dt.date(2025, 10, 16)):
        "The text of the bulletin of the week of `day`, printed by `login`"
        Bulletin = Pool().get('hall.hotline.bulletin', type='report')
        set_user, set_context = self.as_login(login)
        with set_user, set_context:
            oext, content, _, name = Bulletin.execute([], {
                    'company': self.ids['company'], 'date': day})
        self.assertEqual(oext, 'odt')
        return report_text(content)

    @staticmethod
    def section(text, start, end):
        "The lines of `text` between the headings `start` and `end`"
        return text.split(start, 1)[1].split(end, 1)[0].split()

    @with_transaction()
    def test_totals(self):
        """The week's orders received, repeated and sensitive, with the
        week before's: an order at 23:30 on Sunday in Beijing belongs to
        that week, one at 00:30 on Monday to the next"""
        totals = self.figures()['totals']
        self.assertEqual(totals, {
                'received': (5, 4),
                'repeated': (3, 1),
                'sensitive': (2, 2),
                })
        # the week after holds the Monday 00:30 order only
        self.assertEqual(self.figures(MONDAY + dt.timedelta(days=7))[
                'totals'], {
                'received': (1, 5),
                'repeated': (0, 3),
                'sensitive': (1, 2),
                })

    @with_transaction()
    def test_groups(self):
        """The repeated and sensitive orders of the week by subject, place
        and sensitive word, with their counts the week before, most first"""
        figures = self.figures()
        self.assertEqual(figures['subjects'], [
                ("小区门口 餐馆油烟扰民", 2, 1),
                ("工地欠薪", 1, 1),
                ("餐馆后厨火灾隐患", 1, 0),
                ])
        self.assertEqual(figures['places'], [
                ("江南大道1888号", 3, 1),
                ("滨江区", 1, 2),
                ])
        self.assertEqual(figures['words'], [
                ("欠薪", 1, 1),
                ("火灾", 1, 0),
                ("集访", 1, 0),
                ])
        self.assertEqual(
            [(o['number'], o['tags']) for o in figures['orders']], [
                (self.number('T1'), "重复"),
                (self.number('T2'), "重复"),
                (self.number('T3'), "重复、敏感"),
                (self.number('T5'), "敏感"),
                ])

    def number(self, key):
        return Pool().get('hall.hotline.order')(self.ids[key]).number

    @with_transaction()
    def test_printed(self):
        """The bulletin read back: its title, week, issuer, totals with
        their trends, the groups and the list of orders in Beijing time"""
        text = self.print_()
        lines = text.splitlines()
        self.assertIn("12345热线舆情快报", lines)
        self.assertIn("2025年第42期", lines)
        self.assertIn("（2025年10月13日至2025年10月19日，第42周）", lines)
        self.assertEqual(lines[0], Pool().get('company.company')(
                self.ids['company']).rec_name)
        self.assertIn("本周12345热线共受理工单5件，较上周（4件）上升25.0%；"
            "其中重复工单3件，较上周（1件）上升200.0%；"
            "敏感工单2件，与上周持平。", lines)
        self.assertEqual(self.section(text, "一、总体情况", "二、")[-16:], [
                "项目", "本周（件）", "上周（件）", "环比",
                "受理工单", "5", "4", "↑25.0%",
                "重复工单", "3", "1", "↑200.0%",
                "敏感工单", "2", "2", "持平"])
        self.assertEqual(self.section(text, "二、重复和敏感诉求主题", "三、"), [
                "序号", "诉求主题", "本周", "上周", "环比",
                "1", "小区门口", "餐馆油烟扰民", "2", "1", "↑100.0%",
                "2", "工地欠薪", "1", "1", "持平",
                "3", "餐馆后厨火灾隐患", "1", "0", "↑新增"])
        self.assertEqual(self.section(text, "三、诉求区域分布", "四、"), [
                "序号", "区域或地点", "本周", "上周", "环比",
                "1", "江南大道1888号", "3", "1", "↑200.0%",
                "2", "滨江区", "1", "2", "↓50.0%"])
        self.assertEqual(self.section(text, "四、敏感词", "五、"), [
                "敏感词", "本周（件）", "上周（件）", "环比",
                "欠薪", "1", "1", "持平",
                "火灾", "1", "0", "↑新增",
                "集访", "1", "0", "↑新增"])
        listed = text.split("五、本周重复和敏感工单清单", 1)[1]
        for key in ['T1', 'T2', 'T3', 'T5']:
            self.assertIn(self.number(key), listed)
        for key in ['L1', 'L2', 'L3', 'L4', 'T4', 'T6']:
            self.assertNotIn(self.number(key), text)
        # registered in Beijing time: the week's first and last minutes
        self.assertIn("2025年10月13日 00:30", listed)
        self.assertIn("2025年10月19日 23:30", listed)
        # the lead department and the translated category and state
        self.assertIn("市场监督管理局", listed)
        self.assertIn("求助", listed)
        self.assertIn("重复、敏感", listed)

    @with_transaction()
    def test_no_caller_data(self):
        "No caller's name or phone, whole or masked, is printed"
        text = self.print_('leader')
        for name in CALLERS:
            self.assertNotIn(name, text)
            self.assertNotIn(f'{name[0]}*', text)
        self.assertNotIn('1390000', text)
        self.assertNotIn('****', text)
        self.assertNotIn("张建明", text)

    @with_transaction()
    def test_empty_week(self):
        "A week without orders says so"
        text = self.print_(day=dt.date(2025, 9, 3))
        self.assertIn("本周12345热线共受理工单0件，与上周持平；"
            "其中重复工单0件，与上周持平；敏感工单0件，与上周持平。", text)
        self.assertEqual(text.count("本周无重复或敏感工单。"), 3)
        self.assertIn("本周工单未发现敏感词。", text)

    @with_transaction()
    def test_default_week(self):
        """The wizard proposes the week before the current one in Beijing:
        on Sunday 23:30 the week before, from Monday 00:30 the one just
        ended"""
        Start = Pool().get('hall.hotline.bulletin.start')
        set_user, set_context = self.as_login('hotline_supervisor')
        with set_user, set_context:
            with at(beijing(19, 23, 30)):
                self.assertEqual(Start.default_date(), dt.date(2025, 10, 6))
            with at(beijing(20, 0, 30)):
                start = Start(date=Start.default_date())
                self.assertEqual(start.date, MONDAY)
                self.assertEqual(
                    (start.on_change_with_from_date(),
                        start.on_change_with_to_date(),
                        start.on_change_with_week()),
                    (MONDAY, dt.date(2025, 10, 19), '2025-W42'))

    @with_transaction()
    def test_other_company_refused(self):
        "A company the user does not belong to is refused"
        Bulletin = Pool().get('hall.hotline.bulletin', type='report')
        set_user, set_context = self.as_login('hotline_supervisor')
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Bulletin.execute([], {
                        'company': self.ids['other_company'],
                        'date': MONDAY})

    def test_printed_over_rpc(self):
        """The supervisor, a dispatcher and the leader print it through the
        wizard over JSON-RPC; the operator, a liaison and a window clerk
        are refused, and so is another company or a week that is no
        date"""
        context = {'company': self.ids['company']}
        for login in ['hotline_supervisor', 'dispatcher', 'leader']:
            with self.subTest(login=login):
                session = self.sessions[login]
                wizard_id, start, _ = self.assertRPC(
                    session, f'{WIZARD}.create', context=context)
                self.assertEqual(start, 'start')
                result = self.assertRPC(session, f'{WIZARD}.execute',
                    wizard_id, {}, 'start', context=context)
                self.assertEqual(
                    result['view']['defaults']['company'],
                    self.ids['company'])
                result = self.assertRPC(session, f'{WIZARD}.execute',
                    wizard_id, {'start': {
                            'company': self.ids['company'],
                            'date': dt.date(2025, 10, 15)}},
                    'print_', context=context)
                (action, data), = result['actions']
                self.assertEqual(
                    action['report_name'], 'hall.hotline.bulletin')
                # as the client runs a report action
                data['action_id'] = action['id']
                oext, content, _, _ = self.assertRPC(
                    session, BULLETIN, [], data, context=context)
                self.assertEqual(oext, 'odt')
                text = report_text(content)
                self.assertIn("本周12345热线共受理工单5件", text)
                self.assertIn("小区门口 餐馆油烟扰民", text)
        data = {'company': self.ids['company'], 'date': dt.date(2025, 10, 15)}
        for login in ['operator', 'market_liaison', 'li']:
            with self.subTest(login=login):
                session = self.sessions[login]
                self.assertRefused(session, BULLETIN, [], data,
                    context=context)
                # naming the action of a report without groups
                self.assertRefused(session, BULLETIN, [], {
                        **data, 'action_id': self.ids['another_report']},
                    context=context)
                self.assertRefused(session, f'{WIZARD}.create',
                    context=context)
        session = self.sessions['hotline_supervisor']
        for bad in [{'company': self.ids['other_company'], 'date': MONDAY},
                {'company': self.ids['company'], 'date': "下周"}]:
            with self.subTest(data=bad):
                self.assertRefused(session, BULLETIN, [], bad,
                    context=context)


del RouteTestCase
