# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.transaction import Transaction
from .model import ServerReadonlyMixin


class Department(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "The internal department (处室) that owns columns and accounts"
    __name__ = 'content.department'

    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=False)
    code = fields.Char("Code")
    responsible = fields.Many2One(
        'res.user', "Responsible",
        help="Notified with the editors when a column or an account of the "
        "department nears its update limit.")
    channels = fields.One2Many(
        'content.channel', 'department', "Columns and Accounts",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'content_review.msg_department_code_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')
