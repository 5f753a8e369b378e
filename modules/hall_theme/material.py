# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The shared catalogue of materials: the types (材料类型) the materials of
the services are, so that a material asked by two services is known as
one, and the electronic licence (电子证照) a type is available as."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access

from . import material_rules
from .exceptions import MaterialTypeValidationError


class MaterialType(
        ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "Material Type"
    __name__ = 'hall.material.type'

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    licence = fields.Boolean(
        "Licence",
        help="A licence or certificate issued to the applicant (证照), "
        "which the applicant would otherwise bring.")
    licence_kind = fields.Many2One(
        'hall.licence.kind', "Electronic Licence", ondelete='RESTRICT',
        states={'invisible': ~Bool(Eval('licence'))},
        help="The electronic licence (电子证照) the material is available "
        "as: shown as a code (亮码办) instead of brought.")
    aliases = fields.Text(
        "Other Names",
        help="The other names the services give the material, one a line "
        "(申请人身份证明 for 居民身份证).")
    materials = fields.One2Many(
        'hall.service.material', 'type', "Service Materials", readonly=True)
    electronic = fields.Function(
        fields.Boolean("Electronic Licence Available"),
        'get_electronic', searcher='search_electronic')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_unique', Unique(t, t.name),
                'hall_theme.msg_material_type_name_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_licence(cls):
        return False

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
        if field_names & {'name', 'aliases', 'active'}:
            cls.check_keys()

    @classmethod
    def keys_by_type(cls):
        "The keys of the active types: {type id: keys}"
        with without_check_access():
            return {t.id: material_rules.type_keys(t.name, t.aliases)
                for t in cls.search([])}

    @classmethod
    def check_keys(cls):
        "A name is the name or another name of one type only"
        shared = material_rules.shared_keys(cls.keys_by_type())
        if shared:
            key, ids = sorted(shared.items())[0]
            raise MaterialTypeValidationError(gettext(
                    'hall_theme.msg_material_type_name_shared',
                    name=key, types='、'.join(
                        t.rec_name for t in cls.browse(ids))))

    @classmethod
    def create(cls, vlist):
        types = super().create(vlist)
        cls.classify()
        return types

    @classmethod
    def write(cls, *args):
        super().write(*args)
        names = set().union(*(v.keys() for v in args[1::2]))
        if names & {'name', 'aliases', 'active'}:
            cls.classify()

    @classmethod
    def classify(cls):
        """Give the materials of no type the type they are by name; return
        their number.  Run when the types change: their first load
        classifies the materials of the catalogue already there, the
        others are listed to be classified by hand (未归类材料)."""
        Material = Pool().get('hall.service.material')
        keys = cls.keys_by_type()
        by_type = defaultdict(list)
        with without_check_access():
            for material in Material.search([('type', '=', None)]):
                type_ = material_rules.matching_type(keys, material.name)
                if type_:
                    by_type[type_].append(material)
            to_write = []
            for type_, materials in by_type.items():
                to_write.extend([materials, {'type': type_}])
            if to_write:
                Material.write(*to_write)
        return sum(len(m) for m in by_type.values())


class ServiceMaterial(metaclass=PoolMeta):
    __name__ = 'hall.service.material'

    type = fields.Many2One(
        'hall.material.type', "Type", ondelete='RESTRICT',
        help="The shared type of the material; given by its name when a "
        "type has that name or another name.")
    licence = fields.Function(
        fields.Boolean("Licence"), 'get_type_flag')
    electronic = fields.Function(
        fields.Boolean("Electronic Licence",
            help="Shown as an electronic licence (亮码办) instead of "
            "brought."),
        'get_type_flag')

    def get_type_flag(self, name):
        return bool(self.type and getattr(self.type, name))

    @classmethod
    def create(cls, vlist):
        MaterialType = Pool().get('hall.material.type')
        if any(not v.get('type') and v.get('name') for v in vlist):
            keys = MaterialType.keys_by_type()
            vlist = [v.copy() for v in vlist]
            for values in vlist:
                if not values.get('type') and values.get('name'):
                    values['type'] = material_rules.matching_type(
                        keys, values['name'])
        return super().create(vlist)
