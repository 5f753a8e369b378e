# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The import of the provincial platform's work orders: the file read in
its encodings and layouts, every line checked before anything is written,
and a second import of the same file changing nothing."""
import datetime as dt
import io
import unittest
from pathlib import Path

import openpyxl

from trytond.exceptions import UserError
from trytond.modules.hall import table_file_rules
from trytond.modules.hall_hotline import order_import_rules as rules
from trytond.modules.hall_hotline.order_import import import_platform_orders
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from .tools import EVE, HotlineData, as_user, at

SAMPLE = (Path(__file__).resolve().parents[3] / 'docs'
    / '12345-platform-sample.csv')
HEADER = ['工单编号', '受理时间', '诉求类型', '紧急程度', '诉求标题', '诉求内容',
    '来电人', '联系电话', '是否匿名', '所属区域', '事发地点', '涉及窗口']
ROWS = [
    ['ZJ12345-20250929-0001', '2025-09-29 16:20', '投诉', '一般',
        '小区门口餐馆油烟扰民', '江南大道某小区门口餐馆油烟直排。',
        '张建明', '138 1234 5678', '否', '', '江南大道88号', ''],
    ['ZJ12345-20250929-0002', '2025/9/29 17:05', '咨询类', '',
        '新生儿医保怎么办', '孩子出生后医保在哪里办理？',
        '', '', '是', '', '', ''],
    ['ZJ12345-20250930-0003', '2025年9月30日 08:40', '效能投诉', '紧急',
        '窗口人员态度差', '在A01窗口办理时工作人员态度生硬。',
        '李华', '0571-87001234', '', '', '', 'A01'],
    ]


def csv_bytes(rows, header=HEADER, encoding='utf-8-sig'):
    lines = [','.join(header)] + [','.join(r) for r in rows]
    return ('\r\n'.join(lines) + '\r\n').encode(encoding)


def xlsx_bytes(rows, header=HEADER, title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


class OrderFileTestCase(unittest.TestCase):
    "Read and check the platform's file, with no database"

    def read(self, data, **kwargs):
        return rules.read_orders(data, **kwargs)

    def test_csv_encodings(self):
        "UTF-8 with or without BOM and GBK read the same"
        results = [self.read(csv_bytes(ROWS, encoding=e))
            for e in ['utf-8-sig', 'utf-8', 'gbk']]
        for entries, problems in results:
            self.assertEqual(problems, [])
            self.assertEqual(len(entries), 3)
        self.assertEqual(results[0][0], results[2][0])
        first, second, third = results[0][0]
        self.assertEqual(first.row, 2)
        self.assertEqual(first.values['platform_number'],
            'ZJ12345-20250929-0001')
        self.assertEqual(first.values['platform_registered_at'],
            dt.datetime(2025, 9, 29, 16, 20))
        self.assertEqual(first.values['category'], 'complaint')
        self.assertEqual(first.values['urgency'], 'normal')
        self.assertFalse(first.values['anonymous'])
        self.assertEqual(second.values['category'], 'consultation')
        self.assertTrue(second.values['anonymous'])
        self.assertEqual(third.values['platform_registered_at'],
            dt.datetime(2025, 9, 30, 8, 40))
        self.assertEqual(third.values['category'], 'efficiency')
        self.assertEqual(third.values['urgency'], 'urgent')
        self.assertEqual(third.window, 'A01')

    def test_xlsx_aliases_title(self):
        "A workbook with a title row and the other names of the columns"
        header = ['序号', '*工单号', '来电时间', '工单类型', '标题', '工单内容',
            '诉求人', '联系方式']
        rows = [[1, 'P-1', dt.datetime(2025, 9, 29, 9, 30), '求助',
                '路灯不亮', '江南大道路灯不亮', '王芳', 13900001111]]
        entries, problems = self.read(xlsx_bytes(rows, header=header,
                title="12345平台工单导出"))
        self.assertEqual(problems, [])
        entry, = entries
        self.assertEqual(entry.row, 3)
        self.assertEqual(entry.values['platform_registered_at'],
            dt.datetime(2025, 9, 29, 9, 30))
        self.assertEqual(entry.values['caller_phone'], '13900001111')
        self.assertEqual(entry.values['category'], 'help')

    def test_line_problems(self):
        "Each problem names its line and column, in the order of the columns"
        rows = [
            ['P-1', '昨天', '闲聊', '火急', '', '内容', '', '', '', '', '', ''],
            ['P-2', '2025-09-29 10:00', '投诉', '', '标题', '内容',
                '', '12', '也许', '', '', ''],
            ['P-1', '2099-01-01 10:00', '效能投诉', '', '标题', '内容',
                '张三', '', '', '', '', ''],
            ]
        entries, problems = self.read(csv_bytes(rows),
            now=dt.datetime(2025, 9, 30, 10, 0))
        self.assertEqual(entries, [])
        self.assertEqual([(p.row, p.column, p.reason) for p in problems], [
                (2, '受理时间', 'time'),
                (2, '诉求类型', 'category'),
                (2, '诉求标题', 'required'),
                (2, '紧急程度', 'urgency'),
                (2, '来电人', 'caller'),
                (3, '联系电话', 'phone'),
                (3, '是否匿名', 'boolean'),
                (4, '工单编号', 'duplicate'),
                (4, '受理时间', 'time_future'),
                (4, '涉及窗口', 'window_missing'),
                ])
        self.assertEqual(problems[7].params, {'value': 'P-1', 'other': 2})

    def test_file_problems(self):
        "A missing column, an old .xls, an empty file"
        _, problems = self.read(csv_bytes(ROWS, header=HEADER[:4] + [
                    '标题?'] + HEADER[5:]))
        self.assertEqual([(p.row, p.column, p.reason) for p in problems],
            [(1, '诉求标题', 'column_missing')])
        _, problems = self.read(table_file_rules.OLE_MAGIC + b'0' * 64)
        self.assertEqual([p.reason for p in problems], ['xls'])
        _, problems = self.read(csv_bytes([]))
        self.assertEqual([p.reason for p in problems], ['empty'])

    def test_documented_sample(self):
        "The sample of the documentation reads without a problem"
        entries, problems = self.read(SAMPLE.read_bytes(),
            now=dt.datetime(2026, 12, 1))
        self.assertEqual(problems, [])
        self.assertEqual(len(entries), 6)
        self.assertEqual({e.values['category'] for e in entries}, {
                'complaint', 'consultation', 'help', 'report', 'suggestion',
                'praise'})

    def test_division_code(self):
        self.assertEqual(rules.division_code('330108'), 'CN-330108')
        self.assertEqual(rules.division_code('cn-330108'), 'CN-330108')
        self.assertIsNone(rules.division_code('滨江区'))


class PlatformImportTestCase(unittest.TestCase):
    "Import the provincial platform's orders"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['hall_hotline'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def import_(self, data, user):
        set_user, set_context = as_user(user)
        with set_user, set_context:
            return import_platform_orders(self.data.company, data)

    def create_division(self):
        Subdivision = Pool().get('country.subdivision')
        Country = Pool().get('country.country')
        country, = Country.create([{'name': "中国", 'code': 'CN'}])
        province, = Subdivision.create([{'country': country.id,
                    'name': "浙江省", 'code': 'CN-ZJ', 'type': 'province'}])
        district, = Subdivision.create([{'country': country.id,
                    'name': "滨江区", 'code': 'CN-330108',
                    'type': 'district', 'parent': province.id}])
        return district

    @with_transaction()
    def test_import_registers_once(self):
        """The orders are registered from the platform, in UTC; importing
        the file again, or a longer one, registers only the new orders"""
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        Log = pool.get('hall.hotline.order.log')
        self.data = data = HotlineData()
        district = self.create_division()
        rows = [r[:9] + ['330108'] + r[10:] for r in ROWS[:1]] + ROWS[1:]
        with at(EVE):
            result = self.import_(csv_bytes(rows, encoding='gbk'),
                data.operator)
        self.assertEqual((result['created'], result['known']), (3, 0))
        orders = Order.browse([l['order'] for l in result['lines']])
        self.assertEqual([o.state for o in orders], ['registered'] * 3)
        self.assertEqual({o.source for o in orders}, {'province'})
        self.assertEqual([o.platform_number for o in orders],
            [r[0] for r in ROWS])
        first, second, third = orders
        # 16:20 in Beijing is 08:20 UTC
        self.assertEqual(first.platform_registered_at,
            dt.datetime(2025, 9, 29, 8, 20))
        self.assertEqual(first.registered_at, EVE)
        self.assertEqual(first.subdivision, district)
        self.assertEqual(first.caller_phone, '13812345678')
        self.assertTrue(second.anonymous)
        self.assertEqual(third.window, data.a01)
        self.assertEqual(third.category, 'efficiency')
        self.assertTrue(all(o.number for o in orders))
        self.assertEqual(Log.search_count([
                    ('order', 'in', [o.id for o in orders]),
                    ('action', '=', 'register'),
                    ('user', '=', data.operator.id)]), 3)

        more = rows + [['ZJ12345-20250930-0004', '2025-09-30 09:00', '建议',
                '', '增加公交班次', '建议增加滨江至主城区的公交班次。',
                '周敏', '13700002222', '', '未知区', '公交站', '']]
        with at(EVE + dt.timedelta(hours=1)):
            again = self.import_(xlsx_bytes(more), data.operator)
        self.assertEqual((again['created'], again['known']), (1, 3))
        self.assertEqual([l['order'] for l in again['lines'][:3]],
            [o.id for o in orders])
        self.assertEqual(Order.search_count([]), 4)
        new = Order(again['lines'][3]['order'])
        # a division the database does not know is kept in the place
        self.assertIsNone(new.subdivision)
        self.assertEqual(new.place, "未知区 公交站")

    @with_transaction()
    def test_import_refused_whole(self):
        """With one bad line nothing is written, and the message
        numbers each line"""
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        self.data = data = HotlineData()
        rows = ROWS[:2] + [ROWS[2][:11] + ['Z99']] + [
            ['ZJ-5', '2025-09-30 09:00', '投诉', '', '标题', '内容',
                '', '', '', '', '', '']]
        with at(EVE):
            with self.assertRaises(UserError) as cm:
                self.import_(csv_bytes(rows), data.operator)
        # in the user's language: test_rpc reads it in Chinese
        self.assertIn("2 problems", cm.exception.message)
        self.assertEqual(cm.exception.description.splitlines(), [
                'Row 4 "涉及窗口": no window has the number or the name '
                '"Z99"',
                'Row 5 "来电人": no caller: give the name or the phone, or 是 '
                'in 是否匿名 for an anonymous call',
                ])
        self.assertEqual(Order.search_count([]), 0)

    @with_transaction()
    def test_import_wizard(self):
        "The operator runs the import from the menu and reads the result"
        pool = Pool()
        ImportWizard = pool.get('hall.hotline.order.import', type='wizard')
        self.data = data = HotlineData()
        set_user, set_context = as_user(data.operator)
        with set_user, set_context, at(EVE):
            session_id, _, _ = ImportWizard.create()
            result = ImportWizard.execute(session_id, {
                    'start': {'file': csv_bytes(ROWS), 'filename': 'a.csv'},
                    }, 'import_')
        view = result['view']['defaults']
        self.assertEqual((view['created'], view['known']), (3, 0))
        self.assertEqual([l['line'] for l in view['lines']], [2, 3, 4])
        self.assertEqual({l['result'] for l in view['lines']}, {'created'})

    @with_transaction()
    def test_import_repeated_tagged(self):
        "An imported order is tagged like one taken on the phone"
        pool = Pool()
        Order = pool.get('hall.hotline.order')
        self.data = data = HotlineData()
        with at(EVE - dt.timedelta(days=2)):
            earlier = data.order(caller_phone='13812345678')
        with at(EVE):
            result = self.import_(csv_bytes(ROWS[:1]), data.operator)
        order = Order(result['lines'][0]['order'])
        self.assertTrue(order.repeated)
        self.assertEqual(order.repeat_of, earlier)
