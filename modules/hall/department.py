# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields

from .model import CodeSearchMixin, ServerReadonlyMixin


class Department(
        ServerReadonlyMixin, CodeSearchMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.department'

    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        help="The department as an organisation.")
    contact = fields.Char("Contact Person")
    phone = fields.Char("Contact Phone")
    services = fields.One2Many('hall.service', 'department', "Services")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall.msg_department_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    def get_rec_name(self, name):
        return self.name
