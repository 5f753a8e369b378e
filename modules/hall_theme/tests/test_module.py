# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import unittest

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.tests.tools import (
    HallData, ServerReadonlyTestMixin, TranslatedTestMixin, as_user)
from trytond.modules.hall_theme import material_rules as rules
from trytond.modules.hall_theme.exceptions import (
    MaterialTypeValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class MaterialRulesTestCase(unittest.TestCase):
    "Recognise a material by its name, with no database"

    def test_material_key(self):
        for name, key in [
                ("营业执照正、副本", "营业执照"),
                ("营业执照（副本）", "营业执照"),
                ("居民户口簿原件及复印件", "居民户口簿"),
                ("不动产权证书 复印件", "不动产权证书"),
                ("Ｉ Ｄ", "ID"),
                ("", ""),
                ]:
            with self.subTest(name=name):
                self.assertEqual(rules.material_key(name), key)

    def test_matching_type(self):
        keys = {
            1: rules.type_keys("居民身份证", "申请人身份证明\n身份证\n"),
            2: rules.type_keys("营业执照"),
            }
        self.assertEqual(keys[1], {"居民身份证", "申请人身份证明", "身份证"})
        self.assertEqual(rules.matching_type(keys, "申请人身份证明"), 1)
        self.assertEqual(rules.matching_type(keys, "营业执照正、副本"), 2)
        self.assertIsNone(rules.matching_type(keys, "公司章程"))
        keys[3] = {"身份证"}
        self.assertIsNone(rules.matching_type(keys, "身份证"))
        self.assertEqual(rules.shared_keys(keys), {"身份证": [1, 3]})

    def test_exempt_licence(self):
        "Every licence asked for is electronic, and one is asked for"
        self.assertTrue(rules.exempt_licence(
                [(True, True, True), (True, False, False)]))
        # a licence not in the licence library
        self.assertFalse(rules.exempt_licence(
                [(True, True, True), (True, True, False)]))
        # optional: the applicant may leave it
        self.assertTrue(rules.exempt_licence(
                [(True, True, True), (False, True, False)]))
        # no licence asked for: nothing to exempt from
        self.assertFalse(rules.exempt_licence([(True, False, False)]))
        self.assertFalse(rules.exempt_licence([]))


class HallThemeTestCase(
        TranslatedTestMixin, ServerReadonlyTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test the material catalogue and the electronic licences"
    module = 'hall_theme'

    def type_named(self, name):
        MaterialType = Pool().get('hall.material.type')
        type_, = MaterialType.search([('name', '=', name)])
        return type_

    def service(self, code, materials, department=None, **values):
        pool = Pool()
        Service = pool.get('hall.service')
        Department = pool.get('hall.department')
        if department is None:
            department, = Department.search([], limit=1)
        service, = Service.create([{
                    'code': code, 'name': f"事项{code}",
                    'department': department.id,
                    'legal_limit': 20, 'promised_limit': 5,
                    'materials': [('create', [{
                                    'name': name, 'mandatory': mandatory,
                                    } for name, mandatory in materials])],
                    **values}])
        return service

    @with_transaction()
    def test_materials_typed_by_name(self):
        """A material of a service is given the type it is by its name or
        another name of the type, as the service writes it"""
        HallData()
        service = self.service('T-1', [
                ("营业执照正、副本", True), ("申请人身份证明", True),
                ("公司登记（备案）申请书", True)])
        licence, id_card, form = service.materials
        self.assertEqual(licence.type, self.type_named("营业执照"))
        self.assertEqual(id_card.type, self.type_named("居民身份证"))
        self.assertIsNone(form.type)
        self.assertTrue(licence.electronic)
        self.assertFalse(form.electronic)

    @with_transaction()
    def test_catalogue_classified_when_types_change(self):
        """The materials there before a type are classified when it comes,
        those of no type listed to classify by hand"""
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        Material = pool.get('hall.service.material')
        HallData()
        service = self.service('T-1', [
                ("清税证明", True), ("清算报告", True),
                ("公司注销登记申请书", True)])
        self.assertEqual([m.type for m in service.materials],
            [None, None, None])
        tax, = MaterialType.create([{
                    'name': "清税证明", 'licence': True,
                    'aliases': "税务注销证明\n",
                    }])
        report, = MaterialType.create([{'name': "清算报告"}])
        self.assertEqual(
            [m.type for m in Material.browse(service.materials)],
            [tax, report, None])
        # another name given later classifies what it names
        self.service('T-2', [("税务注销证明复印件", True)])
        other, = Material.search([('service.code', '=', 'T-2')])
        self.assertEqual(other.type, tax)
        unclassified = Material.search([
                ('type', '=', None), ('service.active', '=', True)])
        self.assertEqual([m.name for m in unclassified],
            ["公司注销登记申请书"])

    @with_transaction()
    def test_type_names_told_apart(self):
        """A name is one type's only, and only a licence is an electronic
        licence"""
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        HallData()
        with self.assertRaises(MaterialTypeValidationError) as cm:
            MaterialType.create([{'name': "身份证明", 'aliases': "身份证"}])
        self.assertIn("身份证", cm.exception.message)
        kind = self.type_named("营业执照").licence_kind
        with self.assertRaises(MaterialTypeValidationError):
            MaterialType.create([{'name': "公司章程（新）",
                        'licence_kind': kind.id}])

    @with_transaction()
    def test_exemptions(self):
        """免带证照 from the materials, the four exemptions with the hall's
        settings, searched in SQL"""
        pool = Pool()
        Service = pool.get('hall.service')
        MaterialType = pool.get('hall.material.type')
        HallData()
        electronic = self.service('T-1', [
                ("居民身份证", True), ("居民户口簿", True),
                ("申请表", True), ("执业药师注册证", False)])
        paper = self.service('T-2', [
                ("居民身份证", True), ("执业药师注册证", True)])
        none = self.service('T-3', [("申请表", True)],
            exempt_seal=True, exempt_signature=True, exempt_filling=True)
        self.assertEqual(
            [s.exempt_licence for s in [electronic, paper, none]],
            [True, False, False])
        self.assertEqual(
            Service.search([('exempt_licence', '=', True)]), [electronic])
        self.assertFalse(electronic.four_exemptions)
        Service.write([electronic], {'exempt_seal': True,
                'exempt_signature': True, 'exempt_filling': True})
        self.assertTrue(Service(electronic.id).four_exemptions)
        self.assertEqual(
            Service.search([('four_exemptions', '=', True)]), [electronic])
        self.assertEqual(
            set(Service.search([('four_exemptions', '!=', True)])) & {
                electronic, paper, none}, {paper, none})
        # the pharmacist's licence joins the licence library
        pharmacist = self.type_named("执业药师注册证")
        kind = self.type_named("营业执照").licence_kind
        kind, = type(kind).copy([kind], {
                'name': "执业药师注册证", 'code': 'ZYYSZCZ'})
        MaterialType.write([pharmacist], {'licence_kind': kind.id})
        self.assertTrue(Service(paper.id).exempt_licence)

    @with_transaction()
    def test_figures(self):
        """The figures of the catalogue in force: materials, those linked
        to electronic licences and their rate, the kinds, the exempt
        services; in all and by department (worked out by hand)"""
        pool = Pool()
        Figures = pool.get('hall.material.figures')
        ByDepartment = pool.get('hall.material.figures.department')
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        data = HallData()
        # HallData's two services ask for no material
        housing, = Department.create([{'name': "住建局", 'code': 'ZJ'}])
        self.service('T-1', [
                ("居民身份证", True), ("居民户口簿", True),
                ("申请表", True), ("营业执照", False)],
            exempt_seal=True, exempt_signature=True, exempt_filling=True)
        self.service('T-2', [
                ("居民身份证", True), ("执业药师注册证", True)],
            department=housing)
        retired = self.service('T-3', [("居民身份证", True)])
        Service.write([retired], {'active': False})

        figures, = Figures.search([])
        # 2 + 2 services of the hall's data and T-1, T-2 in force; 6
        # materials of which 5 of a type, 5 licences, 4 electronic (2 ID
        # cards, the household register, the business licence) of 3 kinds
        self.assertEqual(
            (figures.services, figures.materials, figures.classified,
                figures.licence_materials, figures.electronic_materials,
                figures.licence_kinds, figures.exempt_licence,
                figures.four_exemptions),
            (4, 6, 5, 5, 4, 3, 1, 1))
        self.assertAlmostEqual(figures.electronic_rate, 4 / 6)
        rows = {r.department: r for r in ByDepartment.search([])}
        self.assertEqual(
            (rows[data.department].materials,
                rows[data.department].electronic_materials,
                rows[data.department].four_exemptions),
            (4, 3, 1))
        self.assertEqual(
            (rows[housing].materials, rows[housing].electronic_materials,
                rows[housing].exempt_licence),
            (2, 1, 0))
        self.assertAlmostEqual(rows[housing].electronic_rate, 0.5)

    @with_transaction()
    def test_roles(self):
        """The managers keep the catalogue; the clerks read the types, not
        the figures; the leaders read the figures"""
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        Figures = pool.get('hall.material.figures')
        data = HallData()
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            self.assertTrue(MaterialType.search([]))
            with self.assertRaises(AccessError):
                MaterialType.create([{'name': "委托书2"}])
            with self.assertRaises(AccessError):
                Figures.search([])
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            self.assertEqual(len(Figures.search([])), 1)
            with self.assertRaises(AccessError):
                MaterialType.create([{'name': "委托书2"}])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            MaterialType.create([{'name': "委托书2"}])


del ModuleTestCase
