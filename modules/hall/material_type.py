# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The shared catalogue of materials: the types (材料类型) the materials of
the services are, so that a material asked by two services is known as
one."""
import logging
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from . import material_type_rules
from .exceptions import MaterialTypeValidationError
from .model import ServerReadonlyMixin

logger = logging.getLogger(__name__)


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
    aliases = fields.Text(
        "Other Names",
        help="The other names the services give the material, one a line "
        "(申请人身份证明 for 居民身份证).")
    materials = fields.One2Many(
        'hall.service.material', 'type', "Service Materials", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_unique', Unique(t, t.name),
                'hall.msg_material_type_name_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_licence(cls):
        return False

    @classmethod
    def validate_fields(cls, types, field_names):
        super().validate_fields(types, field_names)
        if field_names & {'name', 'aliases', 'active'}:
            cls.check_keys()

    @classmethod
    def keys_by_type(cls):
        "The keys of the active types: {type id: keys}"
        with without_check_access():
            return {t.id: material_type_rules.type_keys(t.name, t.aliases)
                for t in cls.search([])}

    @classmethod
    def check_keys(cls):
        "A name is the name or another name of one type only"
        shared = material_type_rules.shared_keys(cls.keys_by_type())
        if shared:
            key, ids = sorted(shared.items())[0]
            raise MaterialTypeValidationError(gettext(
                    'hall.msg_material_type_name_shared',
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
        unmatched = 0
        with without_check_access():
            for material in Material.search([('type', '=', None)]):
                type_ = material_type_rules.matching_type(keys, material.name)
                if type_:
                    by_type[type_].append(material)
                else:
                    unmatched += 1
            to_write = []
            for type_, materials in by_type.items():
                to_write.extend([materials, {'type': type_}])
            if to_write:
                Material.write(*to_write)
        typed = sum(len(m) for m in by_type.values())
        if typed:
            logger.info(
                "%s materials given their type, %s left to classify by hand "
                "(Unclassified Materials)", typed, unmatched)
        return typed

