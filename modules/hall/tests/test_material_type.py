# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The shared catalogue of materials (材料类型): a material recognised by its
name, with no database; on one, the materials typed when they are created
and when the types change, the names of the types told apart, the managers
alone keeping the catalogue, and the upgrade that brings the catalogue to
a database in service."""
import unittest
from ast import literal_eval
from pathlib import Path
from xml.etree import ElementTree

from trytond.model.exceptions import AccessError
from trytond.modules.hall import material_type_rules as rules
from trytond.modules.hall.exceptions import MaterialTypeValidationError
from trytond.modules.hall.tests.tools import HallData, as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

DATA = Path(__file__).resolve().parents[1] / 'material_type_data.xml'


class MaterialTypeRulesTestCase(unittest.TestCase):
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


def shipped_types():
    "The values of the material types of hall's data"
    root = ElementTree.parse(DATA).getroot()
    return [{field.get('name'): literal_eval(field.get('eval'))
                if field.get('eval') else field.text
            for field in record.iter('field')}
        for record in root.iter('record')
        if record.get('model') == 'hall.material.type']


def service(code, materials, **values):
    pool = Pool()
    Service = pool.get('hall.service')
    Department = pool.get('hall.department')
    department, = Department.search([], limit=1)
    service, = Service.create([{
                'code': code, 'name': f"事项{code}",
                'department': department.id,
                'legal_limit': 20, 'promised_limit': 5,
                'materials': [('create', [{'name': name}
                                for name in materials])],
                **values}])
    return service


def type_named(name):
    MaterialType = Pool().get('hall.material.type')
    type_, = MaterialType.search([('name', '=', name)])
    return type_


class MaterialTypeTestCase(unittest.TestCase):
    "The catalogue of materials on a database"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['hall'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_materials_typed_by_name(self):
        """A material of a service is given the type it is by its name or
        another name of the type, as the service writes it"""
        HallData()
        licence, id_card, form = service('T-1', [
                "营业执照正、副本", "申请人身份证明",
                "公司登记（备案）申请书"]).materials
        self.assertEqual(licence.type, type_named("营业执照"))
        self.assertEqual(id_card.type, type_named("居民身份证"))
        self.assertIsNone(form.type)

    @with_transaction()
    def test_catalogue_classified_when_types_change(self):
        """The materials there before a type are classified when it comes,
        those of no type listed to classify by hand"""
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        Material = pool.get('hall.service.material')
        HallData()
        materials = service('T-1', [
                "清税证明", "清算报告", "公司注销登记申请书"]).materials
        self.assertEqual([m.type for m in materials], [None, None, None])
        tax, = MaterialType.create([{
                    'name': "清税证明", 'licence': True,
                    'aliases': "税务注销证明\n",
                    }])
        report, = MaterialType.create([{'name': "清算报告"}])
        self.assertEqual([m.type for m in Material.browse(materials)],
            [tax, report, None])
        # another name given later classifies what it names
        service('T-2', ["税务注销证明复印件"])
        other, = Material.search([('service.code', '=', 'T-2')])
        self.assertEqual(other.type, tax)
        unclassified = Material.search([
                ('type', '=', None), ('service.active', '=', True)])
        self.assertEqual([m.name for m in unclassified],
            ["公司注销登记申请书"])

    @with_transaction()
    def test_catalogue_brought_to_a_database_in_service(self):
        """The upgrade that brings the catalogue to a database whose
        services have their materials already: the types loaded by the
        module's data classify them, and what they do not match is left
        to classify by hand"""
        pool = Pool()
        MaterialType = pool.get('hall.material.type')
        Material = pool.get('hall.service.material')
        HallData()
        materials = service('T-1', [
                "申请人身份证明", "居民户口簿原件及复印件", "出生医学证明",
                "新生儿入户申请表"]).materials
        # the database before the catalogue: no type anywhere
        Material.write(list(materials), {'type': None})
        table = MaterialType.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete())
        # the types of the module's data, created as trytond-admin creates
        # them on the upgrade
        MaterialType.create(shipped_types())
        self.assertEqual(
            [m.type.name if m.type else None
                for m in Material.browse(materials)],
            ["居民身份证", "居民户口簿", "出生医学证明", None])

    @with_transaction()
    def test_type_names_told_apart(self):
        "A name is one type's only"
        MaterialType = Pool().get('hall.material.type')
        HallData()
        with self.assertRaises(MaterialTypeValidationError) as cm:
            MaterialType.create([{'name': "身份证明", 'aliases': "身份证"}])
        self.assertIn("身份证", cm.exception.message)
        with self.assertRaises(MaterialTypeValidationError):
            MaterialType.create([{'name': "户口本"}])

    @with_transaction()
    def test_roles(self):
        "The managers keep the catalogue; the clerks and leaders read it"
        MaterialType = Pool().get('hall.material.type')
        data = HallData()
        for user in [data.wang_user, data.leader]:
            set_user, set_context = as_user(user)
            with set_user, set_context:
                self.assertTrue(MaterialType.search([]))
                with self.assertRaises(AccessError):
                    MaterialType.create([{'name': "委托书2"}])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            MaterialType.create([{'name': "委托书2"}])
