# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.modules.hall.model import ServerReadonlyMixin


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
