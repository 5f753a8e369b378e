# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The figures of the materials of the catalogue in force and of the
electronic licences (电子证照关联的材料数, 关联比例, 证照种类, 四免事项),
aggregated in the database."""
from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, NullIf

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool


def _count(condition):
    return Sum(Case((condition, Literal(1)), else_=Literal(0)))


def _distinct(condition, column):
    return Count(Case((condition, column), else_=Null), distinct=True)


class MaterialFiguresMixin(ServerReadonlyMixin):
    "The figures of the materials of the services in force"
    __slots__ = ()

    services = fields.Integer("Services")
    materials = fields.Integer(
        "Materials", help="The materials the services in force ask for.")
    classified = fields.Integer(
        "Materials of a Type",
        help="The materials known as one of the shared types.")
    licence_materials = fields.Integer("Licences Asked For")
    electronic_materials = fields.Integer(
        "Linked to Electronic Licences",
        help="电子证照关联的材料数: the materials available as an electronic "
        "licence.")
    electronic_rate = fields.Float(
        "Electronic Licence Rate", digits=(1, 4),
        help="证照关联比例: the materials linked to electronic licences out "
        "of all the materials.")
    licence_kinds = fields.Integer(
        "Electronic Licence Kinds",
        help="The kinds of electronic licences the materials are linked "
        "to.")
    exempt_licence = fields.Integer(
        "Services with No Licence to Bring",
        help="免带证照: the services whose every licence is electronic.")
    four_exemptions = fields.Integer(
        "Services with the Four Exemptions", help="四免事项")

    @classmethod
    def _tables(cls):
        pool = Pool()
        Service = pool.get('hall.service')
        Material = pool.get('hall.service.material')
        MaterialType = pool.get('hall.material.type')
        service = Service.__table__()
        material = Material.__table__()
        type_ = MaterialType.__table__()
        query = service.join(material, 'LEFT',
            condition=material.service == service.id
            ).join(type_, 'LEFT', condition=material.type == type_.id)
        return query, service, material, type_

    @classmethod
    def _figures(cls, service, material, type_):
        Service = Pool().get('hall.service')
        electronic = ((type_.licence == Literal(True))
            & (type_.licence_kind != Null))
        materials = Count(material.id)
        electronic_materials = _count(electronic)
        return [
            Count(service.id, distinct=True).as_('services'),
            materials.as_('materials'),
            _count(material.type != Null).as_('classified'),
            _count(type_.licence == Literal(True)).as_('licence_materials'),
            electronic_materials.as_('electronic_materials'),
            (electronic_materials * Literal(1.0)
                / NullIf(materials, Literal(0))).as_('electronic_rate'),
            _distinct(electronic, type_.licence_kind).as_('licence_kinds'),
            _distinct(service.id.in_(Service.exemption_query(
                        'exempt_licence')), service.id).as_(
                'exempt_licence'),
            _distinct(service.id.in_(Service.exemption_query(
                        'four_exemptions')), service.id).as_(
                'four_exemptions'),
            ]


class MaterialFigures(MaterialFiguresMixin, ModelSQL, ModelView):
    "Materials and Electronic Licences"
    __name__ = 'hall.material.figures'

    @classmethod
    def table_query(cls):
        query, service, material, type_ = cls._tables()
        return query.select(Literal(1).as_('id'),
            *cls._figures(service, material, type_),
            where=service.active == Literal(True))


class MaterialFiguresDepartment(MaterialFiguresMixin, ModelSQL, ModelView):
    "Materials and Electronic Licences by Department"
    __name__ = 'hall.material.figures.department'

    department = fields.Many2One('hall.department', "Department")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('electronic_rate', 'DESC NULLS LAST'),
            ('materials', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, service, material, type_ = cls._tables()
        return query.select(service.department.as_('id'),
            service.department.as_('department'),
            *cls._figures(service, material, type_),
            where=service.active == Literal(True),
            group_by=[service.department])
