# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The import of a hall's service catalogue (事项清单): the reading and the
checks of service_import_rules without a database; the import on one (a
second import updates by 事项编码, a bad row imports nothing); the wizard
over JSON-RPC as the hall manager and refused to the other roles; and the
command scripts/import_services."""
import csv
import io
import os
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path
from unittest.mock import patch

import openpyxl

from trytond import backend, config
from trytond.modules.hall import service_import_rules as rules
from trytond.modules.hall import table_file_rules
from trytond.modules.hall.exceptions import (
    ServiceImportError, ServiceLimitError)
from trytond.modules.hall.service import CATEGORIES, MAX_VISITS
from trytond.modules.hall.tests.tools import (
    HallData, RPCTestMixin, shared_database)
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction, inactive_records

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / 'scripts' / 'import_services'
SAMPLES = [ROOT / 'docs' / 'service-catalogue-sample.csv',
    ROOT / 'docs' / 'service-catalogue-sample.xlsx']
WIZARD = 'wizard.hall.service.import'

HEADER = ['事项编码', '事项名称', '事项类型', '实施主体', '法定办结时限',
    '承诺办结时限', '办理形式', '跑动次数', '一窗通办', '事项说明']
GOOD = [
    ['GOV-001', "食品经营许可证核发（新办）", '行政许可', 'SCJG', '20个工作日',
        '5个工作日', '窗口办理、网上办理', '最多跑一次', '是', "告知承诺制"],
    ['GOV-002', "个体工商户设立登记", '行政许可事项', "市场监督管理局", '15',
        '即办', '窗口办理', '0次', '否', ''],
    ['GOV-003', "居民户口迁入", '公共服务', 'GA', '20工作日', '3',
        '网上办理', '2次', '', "投靠类"],
    ]
# What GOOD gives (the department as the file writes it)
GOOD_VALUES = [{
        'code': 'GOV-001', 'name': "食品经营许可证核发（新办）",
        'category': 'licensing', 'department': 'SCJG',
        'legal_limit': 20, 'promised_limit': 5, 'online': True,
        'full_online': False, 'max_visits': 'one', 'comprehensive': True,
        'description': "告知承诺制",
        }, {
        'code': 'GOV-002', 'name': "个体工商户设立登记",
        'category': 'licensing', 'department': "市场监督管理局",
        'legal_limit': 15, 'promised_limit': 0, 'online': False,
        'full_online': False, 'max_visits': 'zero', 'comprehensive': False, 'description': None,
        }, {
        'code': 'GOV-003', 'name': "居民户口迁入",
        'category': 'public', 'department': 'GA',
        'legal_limit': 20, 'promised_limit': 3, 'online': True,
        'full_online': False, 'max_visits': 'more',
        'description': "投靠类",
        }]


def csv_bytes(rows, header=HEADER, encoding='utf-8-sig'):
    "A CSV file as Excel saves it"
    text = io.StringIO()
    csv.writer(text, lineterminator='\r\n').writerows([header, *rows])
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, before=()):
    "A workbook whose first sheet holds the rows `before`, then the table"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*before, header, *rows]:
        sheet.append(row)
    # a second sheet, which is not read
    workbook.create_sheet("说明").append(["本表为说明，不导入"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def reasons(problems):
    return [(p.row, p.column, p.reason) for p in problems]


class ServiceImportRulesTestCase(unittest.TestCase):
    "Reading and checking a catalogue file, without a database"

    def assertGood(self, data, **kwargs):
        catalogue = rules.read_catalogue(data, **kwargs)
        self.assertEqual(catalogue.problems, [])
        self.assertEqual([e.values for e in catalogue.entries], GOOD_VALUES)
        self.assertEqual([e.row for e in catalogue.entries], [2, 3, 4])
        return catalogue

    def test_csv_encodings(self):
        "CSV in UTF-8 with and without BOM, GB18030 and UTF-16 are read"
        for encoding in ['utf-8-sig', 'utf-8', 'gb18030', 'utf-16']:
            with self.subTest(encoding=encoding):
                data = csv_bytes(GOOD, encoding=encoding)
                if encoding == 'gb18030':
                    with self.assertRaises(UnicodeDecodeError):
                        data.decode('utf-8')
                self.assertGood(data)

    def test_xlsx(self):
        """The first sheet of a workbook is read, numbers as numbers, rows
        numbered as Excel numbers them below a title row"""
        rows = [list(r) for r in GOOD]
        rows[1][4], rows[1][5] = 15, 0
        rows[2][5] = 3.0
        catalogue = self.assertGood(xlsx_bytes(rows))
        self.assertEqual(catalogue.entries[1].values['promised_limit'], 0)
        rows.append(['GOV-004', "某事项", '行政确认', 'GA', 20.5, 1, '窗口办理',
                1, True, None])
        catalogue = rules.read_catalogue(xlsx_bytes(rows, before=[
                    ["滨江市政务服务事项清单（2026年版）"], []]))
        self.assertEqual(reasons(catalogue.problems),
            [(7, '法定办结时限', 'limit')])
        self.assertEqual(catalogue.problems[0].params, {'value': '20.5'})
        self.assertEqual(catalogue.entries[0].row, 4)

    def test_xlsx_missing_rows(self):
        "Rows a workbook leaves out keep Excel's numbering"
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        sheet.append(GOOD[0])
        for column, value in enumerate(GOOD[1], start=1):
            sheet.cell(row=6, column=column, value=value)
        sheet.cell(row=6, column=8, value='到现场')
        output = io.BytesIO()
        workbook.save(output)
        catalogue = rules.read_catalogue(output.getvalue())
        self.assertEqual(reasons(catalogue.problems), [(6, '跑动次数', 'visits')])

    def test_header_variants(self):
        """Headers in another order, under other names, with marks and
        units; extra columns ignored; problems named as the file writes
        the column"""
        header = ['序号', '*事项代码', '实施部门', '权力类型', '事项名称',
            '法定时限（工作日）', '承诺时限(工作日)', '办理方式', '到现场次数',
            '是否一窗通办', '备注', '更新时间']
        order = [0, 3, 2, 1, 4, 5, 6, 7, 8, 9]
        rows = [[str(n), *[row[i] for i in order], '2026-01-05']
            for n, row in enumerate(GOOD, start=1)]
        self.assertGood(csv_bytes(rows, header=header))
        rows[1][6] = '十五天'
        catalogue = rules.read_catalogue(csv_bytes(rows, header=header))
        self.assertEqual(reasons(catalogue.problems),
            [(3, '承诺时限(工作日)', 'limit')])
        self.assertEqual(catalogue.headers['承诺办结时限'], '承诺时限(工作日)')

    def test_optional_columns(self):
        "Without 一窗通办 and 事项说明 the services keep theirs"
        header = HEADER[:8]
        catalogue = rules.read_catalogue(
            csv_bytes([row[:8] for row in GOOD], header=header))
        self.assertEqual(catalogue.problems, [])
        for entry in catalogue.entries:
            self.assertNotIn('comprehensive', entry.values)
            self.assertNotIn('description', entry.values)

    def test_missing_and_duplicate_columns(self):
        "A required column missing or a column twice is refused"
        header = ['事项编码', '事项名称', '事项类型', '法定时限', '法定办结时限',
            '承诺办结时限', '办理形式']
        catalogue = rules.read_catalogue(csv_bytes(
                [['A', 'B', '行政许可', '1', '1', '1', '窗口办理']],
                header=header))
        self.assertEqual(reasons(catalogue.problems), [
                (1, '法定办结时限', 'column_duplicate'),
                (1, '实施主体', 'column_missing'),
                (1, '跑动次数', 'column_missing'),
                ])
        self.assertEqual(catalogue.entries, [])

    def test_bad_rows(self):
        "Each kind of bad row is reported with its row, column and reason"
        rows = [
            GOOD[0],
            ['', '', '行政许可', 'SCJG', '20', '5', '窗口办理', '1', '', ''],
            ['GOV-001', "重复", '行政处罚', 'SCJG', '20', '5', '窗口办理',
                '1', '', ''],
            ['GOV-004', "时限", '行政确认', 'SCJG', '20.5', '-2', '窗口办理',
                '1', '', ''],
            ['GOV-005', "超时", '行政给付', 'SCJG', '10', '12个工作日',
                '窗口办理', '多次', '是', ''],
            ['GOV-006', "次数", '其他', 'SCJG', '即办', '即办', '',
                '随时', '可以', ''],
            ['GOV-007', "名" * 300, '公共服务', "公安局", '5', '5',
                '窗口办理', '0', '', ''],
            ['GOV-008', "部门", '公共服务', "税务局", '5', '5', '窗口办理',
                '0', '', ''],
            ['GOV-009', "部门", '公共服务', "XX局", '5', '5', '窗口办理',
                '0', '', ''],
            ]
        catalogue = rules.read_catalogue(csv_bytes(rows),
            sizes={'code': 255, 'name': 255, 'description': 20000},
            departments=({'SCJG': 1, 'GA': 2},
                {"市场监督管理局": [1], "公安局": [2], "税务局": [3, 4]}))
        self.assertEqual(reasons(catalogue.problems), [
                (3, '事项编码', 'required'),
                (3, '事项名称', 'required'),
                (4, '事项编码', 'duplicate'),
                (4, '事项类型', 'category'),
                (5, '法定办结时限', 'limit'),
                (5, '承诺办结时限', 'limit_negative'),
                (6, '承诺办结时限', 'promised_over_legal'),
                (7, '办理形式', 'required'),
                (7, '跑动次数', 'visits'),
                (7, '一窗通办', 'boolean'),
                (8, '事项名称', 'too_long'),
                (9, '实施主体', 'department_ambiguous'),
                (10, '实施主体', 'department'),
                ])
        params = {(p.row, p.reason): p.params for p in catalogue.problems}
        self.assertEqual(params[(4, 'duplicate')],
            {'value': 'GOV-001', 'other': 2})
        self.assertEqual(params[(6, 'promised_over_legal')],
            {'promised': 12, 'legal': 10})
        self.assertEqual(params[(8, 'too_long')], {'size': 255})
        self.assertEqual(params[(10, 'department')], {'value': "XX局"})
        # Only the good row is an entry, its department resolved
        entry, = catalogue.entries
        self.assertEqual((entry.row, entry.values['department']), (2, 1))

    def test_values(self):
        "The ways platforms write limits, visits, types and yes or no"
        for text, limit in [('20', (20, None)), ('20个工作日', (20, None)),
                ('20工作日', (20, None)), ('２０ 个工作日', (20, None)),
                ('即办', (0, None)), ('0', (0, None)), ('20.0', (20, None)),
                ('20.5', (None, 'limit')), ('二十', (None, 'limit')),
                ('20天', (None, 'limit')), ('-1', (None, 'limit_negative'))]:
            with self.subTest(limit=text):
                self.assertEqual(rules.parse_limit(text), limit)
        for text, visits in [('0', 'zero'), ('0次', 'zero'),
                ('零跑动', 'zero'), ('1', 'one'), ('1次', 'one'),
                ('最多跑一次', 'one'), ('2', 'more'), ('2次', 'more'),
                ('3次', 'more'), ('2次及以上', 'more'), ('多次', 'more'),
                ('1次以上', 'more'), ('随时', None), ('-1', None)]:
            with self.subTest(visits=text):
                self.assertEqual(rules.parse_visits(text), visits)
        for text, category in [('行政许可', 'licensing'),
                ('行政许可事项', 'licensing'), ('行政确认', 'confirmation'),
                ('行政给付类', 'benefit'), ('公共服务事项', 'public'),
                ('其他', 'other'), ('其它', 'other'),
                ('其他行政权力', 'other'), ('行政处罚', None)]:
            with self.subTest(category=text):
                self.assertEqual(rules.parse_category(text), category)
        for text, value in [('是', True), ('Y', True), ('否', False),
                ('0', False), ('也许', None)]:
            with self.subTest(boolean=text):
                self.assertEqual(rules.parse_boolean(text), value)
        self.assertTrue(rules.parse_online('窗口办理、网上办理'))
        self.assertFalse(rules.parse_online('窗口办理'))
        self.assertTrue(rules.parse_online('全程网办'))
        self.assertTrue(rules.parse_full_online('窗口办理、全程网办'))
        self.assertFalse(rules.parse_full_online('窗口办理、网上办理'))

    def test_keys_are_the_models(self):
        "The values the rules give are those of hall.service's selections"
        self.assertLessEqual(set(rules.CATEGORIES.values()),
            {k for k, _ in CATEGORIES})
        self.assertEqual({rules.parse_visits(t) for t in ['0', '1', '2']},
            {k for k, _ in MAX_VISITS})

    def test_unreadable_files(self):
        "A file that is no catalogue is one problem, without a row"
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, 'w') as zip_file:
            zip_file.writestr('readme.txt', 'not a workbook')
        for data, filename, reason in [
                (b'\x80\x81\xff\xfe\x00', 'a.csv', 'unreadable'),
                (archive.getvalue(), 'a.xlsx', 'unreadable'),
                (table_file_rules.OLE_MAGIC + b'\x00' * 100, 'a.xls', 'xls'),
                (b'', 'a.csv', 'empty'),
                (csv_bytes([]), 'a.csv', 'empty'),
                ("事项编码\n".encode(), 'a.csv', 'column_missing'),
                ('not bytes', None, 'unreadable'),
                ]:
            with self.subTest(data=data[:20]):
                catalogue = rules.read_catalogue(data, filename)
                self.assertEqual(catalogue.entries, [])
                self.assertEqual(catalogue.problems[0].reason, reason)

    def test_too_many_rows(self):
        rows = [[f'C{n}', "事项", '其他', 'SCJG', '1', '1', '窗口办理', '1',
                '', ''] for n in range(rules.MAX_ROWS + 1)]
        catalogue = rules.read_catalogue(csv_bytes(rows))
        self.assertEqual(reasons(catalogue.problems),
            [(None, None, 'too_many_rows')])
        self.assertEqual(catalogue.entries, [])

    @unittest.skipUnless(all(p.exists() for p in SAMPLES),
        "the samples are in docs/ of the checkout")
    def test_samples(self):
        "The sample files of docs/ are read without a problem, alike"
        csv_sample, xlsx_sample = (
            rules.read_catalogue(p.read_bytes(), p.name) for p in SAMPLES)
        self.assertEqual(csv_sample.problems, [])
        self.assertGreaterEqual(len(csv_sample.entries), 12)
        self.assertEqual(xlsx_sample, csv_sample)


class ServiceImportTestCase(RPCTestMixin, RouteTestCase):
    "Import the catalogue on a database, by the wizard and the command"
    module = 'hall'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Department = pool.get('hall.department')
        ModelData = pool.get('ir.model.data')
        data = HallData()
        Department.create([
                {'code': 'GA', 'name': "公安局"},
                {'code': 'SW1', 'name': "税务局"},
                {'code': 'SW2', 'name': "税务局"},
                ])
        cls.menu = ModelData.get_id('hall', 'menu_service_import')
        cls.manager = cls.session(data.manager)
        cls.wang = cls.session(data.wang_user)
        cls.leader = cls.session(data.leader)

    def import_(self, data, **kwargs):
        Service = Pool().get('hall.service')
        with Transaction().set_context(language='zh_CN'):
            return Service.import_catalogue(data, **kwargs)

    def services(self, prefix):
        "The stored values of the services whose code starts with prefix"
        Service = Pool().get('hall.service')
        with inactive_records():
            services = Service.search([('code', 'like', prefix + '%')])
        return {s.code: {
                'name': s.name, 'category': s.category,
                'department': s.department.code,
                'legal_limit': s.legal_limit,
                'promised_limit': s.promised_limit, 'online': s.online,
                'max_visits': s.max_visits,
                'comprehensive': s.comprehensive,
                'description': s.description,
                } for s in services}

    @with_transaction()
    def test_import_creates_then_updates(self):
        "A first import creates; a second one updates by code, never twice"
        self.assertEqual(self.import_(csv_bytes(GOOD)),
            {'created': 3, 'updated': 0, 'unchanged': 0})
        services = self.services('GOV-')
        self.assertEqual(services['GOV-001'], {
                'name': "食品经营许可证核发（新办）", 'category': 'licensing',
                'department': 'SCJG', 'legal_limit': 20,
                'promised_limit': 5, 'online': True, 'max_visits': 'one',
                'comprehensive': True, 'description': "告知承诺制"})
        self.assertEqual(services['GOV-002']['department'], 'SCJG')
        # the model's default where the file leaves 一窗通办 empty
        self.assertTrue(services['GOV-003']['comprehensive'])

        changed = [list(r) for r in GOOD]
        changed[0][5] = '3'
        changed[1][1] = "个体工商户设立登记（变更）"
        changed.append(['SC-001', "食品经营许可", '行政许可', 'SCJG', '20',
                '2', '窗口办理', '1', '', ''])
        changed.append(['GOV-004', "社会保障卡申领", '公共服务', 'GA', '5',
                '即办', '窗口办理、网上办理', '0', '是', ''])
        self.assertEqual(self.import_(xlsx_bytes(changed), filename='b.xlsx'),
            {'created': 1, 'updated': 3, 'unchanged': 1})
        services = self.services('GOV-')
        self.assertEqual(len(services), 4)
        self.assertEqual(services['GOV-001']['promised_limit'], 3)
        self.assertEqual(
            services['GOV-002']['name'], "个体工商户设立登记（变更）")
        self.assertEqual(self.services('SC-001')['SC-001']['promised_limit'],
            2)
        self.assertEqual(self.import_(xlsx_bytes(changed)),
            {'created': 0, 'updated': 0, 'unchanged': 5})

    @with_transaction()
    def test_bad_row_imports_nothing(self):
        "One bad row among good ones: nothing is imported, the row is told"
        rows = [*GOOD, ['GOV-009', "某事项", '行政许可', "某某局", '20', '5',
                '窗口办理', '1', '', ''], GOOD[0]]
        before = self.services('')
        with self.assertRaises(ServiceImportError) as context:
            self.import_(csv_bytes(rows))
        exception = context.exception
        self.assertIn('2 处问题', exception.message)
        self.assertEqual(exception.description.splitlines(), [
                "第5行「实施主体」：找不到编码或名称为「某某局」的部门",
                "第6行「事项编码」：事项编码「GOV-001」与第2行重复",
                ])
        self.assertEqual(self.services(''), before)

    @with_transaction()
    def test_problems_capped(self):
        "The list stops at 50 problems and tells how many there are"
        rows = [[f'GOV-{n}', "事项", '行政处罚', 'SCJG', '20', '5',
                '窗口办理', '1', '', ''] for n in range(60)]
        with self.assertRaises(ServiceImportError) as context:
            self.import_(csv_bytes(rows))
        lines = context.exception.description.splitlines()
        self.assertEqual(len(lines), 51)
        self.assertTrue(lines[0].startswith("第2行「事项类型」："), lines[0])
        self.assertEqual(lines[-1], "…共60处问题")

    @with_transaction()
    def test_dry_run(self):
        "A dry run tells what an import would do and writes nothing"
        before = self.services('')
        self.assertEqual(self.import_(csv_bytes(GOOD), dry_run=True),
            {'created': 3, 'updated': 0, 'unchanged': 0})
        self.assertEqual(self.services(''), before)

    @with_transaction()
    def test_archived_service_updated(self):
        "An archived service of the code is updated, not created again"
        Service = Pool().get('hall.service')
        service, = Service.search([('code', '=', 'SC-002')])
        service.active = False
        service.save()
        row = ['SC-002', "个体工商户登记", '行政许可', 'SCJG', '15', '1',
            '窗口办理', '1', '', '']
        self.assertEqual(self.import_(csv_bytes([row])),
            {'created': 0, 'updated': 1, 'unchanged': 0})
        service, = Service.search([('code', '=', 'SC-002'),
                ('active', '=', False)])
        self.assertEqual(service.promised_limit, 1)

    @with_transaction()
    def test_model_checks_last_guard(self):
        "The checks of hall.service still refuse what the rules let through"
        Department = Pool().get('hall.department')
        department, = Department.search([('code', '=', 'SCJG')])
        entry = rules.Entry(2, {**GOOD_VALUES[0], 'code': 'GOV-100',
                'department': department.id,
                'legal_limit': 5, 'promised_limit': 10})
        with patch.object(rules, 'read_catalogue',
                return_value=rules.Catalogue([entry], [], {})):
            with self.assertRaises(ServiceLimitError):
                self.import_(b'')

    def test_wizard_as_manager(self):
        "The hall manager imports through the wizard; the counts are shown"
        rows = [['RPC-001', "测试事项一", '行政确认', 'GA', '10', '2',
                '窗口办理', '1', '否', ''],
            ['RPC-002', "测试事项二", '其他', "税务局", '10', '2',
                '窗口办理', '1', '否', '']]
        before = self.count('hall.service')
        message = self.run_wizard(self.manager, csv_bytes(rows),
            refused=True)
        self.assertIn('1 处问题', message[0])
        self.assertIn("第3行「实施主体」：有多个部门名为「税务局」，请填写部门编码",
            message[1])
        self.assertEqual(self.count('hall.service'), before)
        rows[1][3] = 'SW1'
        result = self.run_wizard(self.manager, xlsx_bytes(rows))
        self.assertEqual(result['defaults'],
            {'created': 2, 'updated': 0, 'unchanged': 0})
        self.assertEqual(self.count('hall.service'), before + 2)
        names = {s['name'] for s in self.read_all('hall.service', ['name'])}
        self.assertLessEqual({"测试事项一", "测试事项二"}, names)

    def test_wizard_refused_to_others(self):
        "The wizard and its menu entry are the hall manager's only"
        self.assertEqual(self.assertRPC(self.manager,
                'model.ir.ui.menu.search', [('id', '=', self.menu)],
                0, None, None), [self.menu])
        wizard_id, _, _ = self.assertRPC(self.manager, f'{WIZARD}.create')
        before = self.count('hall.service')
        for session in [self.wang, self.leader]:
            with self.subTest(user=session[0]):
                self.assertEqual(self.assertRPC(session,
                        'model.ir.ui.menu.search', [('id', '=', self.menu)],
                        0, None, None), [])
                self.assertRefused(session, f'{WIZARD}.create')
                self.assertRefused(session, f'{WIZARD}.execute', wizard_id,
                    {'start': {'file': csv_bytes([GOOD[0]]),
                            'filename': 'a.csv'}}, 'import_')
        self.assertEqual(self.count('hall.service'), before)

    def run_wizard(self, session, data, refused=False):
        "Run the import wizard to its result (or its refusal's arguments)"
        wizard_id, start, _ = self.assertRPC(session, f'{WIZARD}.create')
        view = self.assertRPC(session, f'{WIZARD}.execute', wizard_id, {},
            start)
        self.assertEqual(view['view']['state'], 'start')
        values = {'start': {'file': data, 'filename': 'catalogue.csv'}}
        if refused:
            kind, error = self.rpc(session, f'{WIZARD}.execute', wizard_id,
                values, 'import_')
            self.assertEqual(kind, 'error')
            self.assertEqual(error[0], 'UserError')
            return error[1]
        result = self.assertRPC(session, f'{WIZARD}.execute', wizard_id,
            values, 'import_')
        self.assertRPC(session, f'{WIZARD}.delete', wizard_id)
        return result['view']

    def test_command(self):
        """scripts/import_services checks, imports and tells in Chinese,
        with its exit status"""
        good = [['CMD-001', "命令导入事项", '行政许可', 'SCJG', '20', '5',
                '窗口办理', '1', '是', '']]
        bad = [*good, ['CMD-002', "命令导入事项二", '行政许可', 'SCJG', '20',
                '25', '窗口办理', '1', '是', '']]
        with shared_database() as database, \
                tempfile.TemporaryDirectory() as directory:
            configuration = os.path.join(directory, 'trytond.conf')
            with open(configuration, 'w') as file:
                file.write('[database]\n')
                if backend.name == 'sqlite':
                    file.write(
                        f"path = {config.get('database', 'path')}\n")
            files = {}
            for name, rows in [('good', good), ('bad', bad)]:
                files[name] = os.path.join(directory, f'{name}.csv')
                with open(files[name], 'wb') as file:
                    file.write(csv_bytes(rows, encoding='gb18030'))

            def run(*args):
                return subprocess.run(
                    [str(SCRIPT), '-c', configuration, '-d', database,
                        *args], capture_output=True, text=True, timeout=300,
                    env={k: v for k, v in os.environ.items()
                        if k != 'TRYTOND_CONFIG'})

            def count():
                with Transaction().start(database, 0, readonly=True):
                    return Pool(database).get('hall.service').search_count(
                        [('code', 'like', 'CMD-%')])

            process = run(files['bad'])
            self.assertEqual(process.returncode, 1, process.stderr)
            self.assertIn('1 处问题', process.stderr)
            self.assertIn("第3行「承诺办结时限」：承诺办结时限（25 个工作日）"
                "超过法定办结时限（20 个工作日）", process.stderr)
            process = run('--dry-run', files['good'])
            self.assertEqual(process.returncode, 0, process.stderr)
            self.assertIn('将新建 1 个事项', process.stdout)
            self.assertEqual(count(), 0)
            process = run(files['good'])
            self.assertEqual(process.returncode, 0, process.stderr)
            self.assertIn('新建 1 个事项', process.stdout)
            self.assertEqual(count(), 1)

