# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.tests.tools import (
    HallData, ServerReadonlyTestMixin, TranslatedTestMixin, as_user)
from trytond.modules.hall.exceptions import MaterialTypeValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


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
    def test_electronic_materials(self):
        """A material is an electronic licence when its type is a licence
        of the licence library"""
        HallData()
        service = self.service('T-1', [
                ("营业执照正、副本", True), ("执业药师注册证", True),
                ("公司登记（备案）申请书", True)])
        self.assertEqual([m.electronic for m in service.materials],
            [True, False, False])
        self.assertEqual(
            {t.name for t in Pool().get('hall.material.type').search([
                        ('electronic', '=', False), ('licence', '=', True)])},
            {"执业药师注册证", "无犯罪记录证明"})

    @with_transaction()
    def test_only_licences_electronic(self):
        "Only a licence is an electronic licence"
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        HallData()
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
