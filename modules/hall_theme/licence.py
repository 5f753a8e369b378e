# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The electronic licences (电子证照) of the licence library, and the
material types of the catalogue that are available as one."""
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.modules.hall.exceptions import MaterialTypeValidationError
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import PoolMeta
from trytond.pyson import Bool, Eval


class LicenceKind(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "Electronic Licence Kind"
    __name__ = 'hall.licence.kind'

    name = fields.Char("Name", required=True)
    code = fields.Char(
        "Code", required=True,
        help="The code of the licence kind in the licence library "
        "(电子证照库).")
    department = fields.Many2One(
        'hall.department', "Issuing Department", ondelete='RESTRICT')
    material_types = fields.One2Many(
        'hall.material.type', 'licence_kind', "Material Types",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall_theme.msg_licence_kind_code_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]


class MaterialType(metaclass=PoolMeta):
    __name__ = 'hall.material.type'

    licence_kind = fields.Many2One(
        'hall.licence.kind', "Electronic Licence", ondelete='RESTRICT',
        states={'invisible': ~Bool(Eval('licence'))},
        help="The electronic licence (电子证照) the material is available "
        "as: shown as a code (亮码办) instead of brought.")
    electronic = fields.Function(
        fields.Boolean("Electronic Licence Available"),
        'get_electronic', searcher='search_electronic')

    @fields.depends('licence', 'licence_kind')
    def on_change_licence(self):
        if not self.licence:
            self.licence_kind = None

    def get_electronic(self, name):
        return bool(self.licence and self.licence_kind)

    @classmethod
    def search_electronic(cls, name, clause):
        _, operator, value = clause[:3]
        electronic = [('licence', '=', True), ('licence_kind', '!=', None)]
        if (operator == '=') == bool(value):
            return electronic
        return ['OR', ('licence', '=', False), ('licence_kind', '=', None)]

    @classmethod
    def validate_fields(cls, types, field_names):
        super().validate_fields(types, field_names)
        if field_names & {'licence', 'licence_kind'}:
            for type_ in types:
                if type_.licence_kind and not type_.licence:
                    raise MaterialTypeValidationError(gettext(
                            'hall_theme.msg_material_type_kind_not_licence',
                            type=type_.rec_name))


class ServiceMaterial(metaclass=PoolMeta):
    __name__ = 'hall.service.material'

    electronic = fields.Function(
        fields.Boolean("Electronic Licence",
            help="Shown as an electronic licence (亮码办) instead of "
            "brought."),
        'get_electronic')

    def get_electronic(self, name):
        return bool(self.type and self.type.electronic)
