# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    Check, DeactivableMixin, ModelSQL, ModelView, Unique, fields,
    sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If

from . import material_type_rules
from .exceptions import ServiceLimitError
from .model import CodeSearchMixin, ServerReadonlyMixin

CATEGORIES = [
    ('licensing', "Administrative Licensing"),
    ('confirmation', "Administrative Confirmation"),
    ('benefit', "Administrative Benefit"),
    ('public', "Public Service"),
    ('other', "Other"),
    ]

MAX_VISITS = [
    ('zero', "Zero Visits"),
    ('one', "At Most One Visit"),
    ('more', "More Than One Visit"),
    ]

MATERIAL_FORMS = [
    ('original', "Original"),
    ('copy', "Copy"),
    ('original_copy', "Original and Copy"),
    ('electronic', "Electronic"),
    ]

class Service(
        ServerReadonlyMixin, CodeSearchMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.service'

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True)
    department = fields.Many2One(
        'hall.department', "Department", required=True,
        ondelete='RESTRICT')
    category = fields.Selection(CATEGORIES, "Category", required=True)
    legal_limit = fields.Integer(
        "Legal Limit", required=True,
        help="Statutory time limit in working days (法定时限).")
    promised_limit = fields.Integer(
        "Promised Limit", required=True,
        help="Promised time limit in working days (承诺时限); "
        "0 means done on the spot (即办件).")
    immediate = fields.Function(
        fields.Boolean("Done on the Spot"), 'get_immediate',
        searcher='search_immediate')
    online = fields.Boolean(
        "Online Available", help="Can be applied for online (网上可办).")
    full_online = fields.Boolean(
        "Fully Online",
        domain=[If(Eval('full_online', False), ('online', '=', True), ())],
        help="Applied for, decided and delivered online, without coming to "
        "the hall (全流程网办).")
    max_visits = fields.Selection(
        MAX_VISITS, "Maximum Visits", required=True)
    comprehensive = fields.Boolean(
        "Comprehensive Window",
        help="Accepted at comprehensive windows (一窗通办).")
    materials = fields.One2Many(
        'hall.service.material', 'service', "Required Materials")
    windows = fields.Many2Many(
        'hall.window-hall.service', 'service', 'window', "Windows",
        readonly=True)
    description = fields.Text("Description")
    start_date = fields.Date(
        "In Force From",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())],
        help="First day the service is in the catalogue (事项清单); empty "
        "when it always was.")
    end_date = fields.Date(
        "In Force Until",
        help="Last day the service is in the catalogue; empty while it is "
        "in force.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall.msg_service_code_unique'),
            ('legal_limit_positive', Check(t, t.legal_limit >= 0),
                'hall.msg_service_limit_positive'),
            ('promised_limit_positive', Check(t, t.promised_limit >= 0),
                'hall.msg_service_limit_positive'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @staticmethod
    def default_category():
        return 'licensing'

    @staticmethod
    def default_max_visits():
        return 'one'

    @staticmethod
    def default_comprehensive():
        return True

    @staticmethod
    def default_full_online():
        return False

    @staticmethod
    def default_legal_limit():
        return 20

    @staticmethod
    def default_promised_limit():
        return 0

    def get_immediate(self, name):
        return self.promised_limit == 0

    @classmethod
    def search_immediate(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [('promised_limit', '=', 0)]
        return [('promised_limit', '!=', 0)]

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def validate_fields(cls, services, field_names):
        super().validate_fields(services, field_names)
        if field_names & {'legal_limit', 'promised_limit'}:
            for service in services:
                service.check_limits()

    def check_limits(self):
        if (self.legal_limit or 0) < 0 or (self.promised_limit or 0) < 0:
            raise ServiceLimitError(gettext(
                    'hall.msg_service_limit_positive'))
        if self.promised_limit > self.legal_limit:
            raise ServiceLimitError(gettext(
                    'hall.msg_service_promised_over_legal',
                    service=self.rec_name,
                    promised=self.promised_limit,
                    legal=self.legal_limit))

class ServiceMaterial(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'hall.service.material'

    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    form = fields.Selection(MATERIAL_FORMS, "Form", required=True)
    copies = fields.Integer(
        "Copies", required=True, domain=[('copies', '>=', 1)])
    mandatory = fields.Boolean("Mandatory")
    note = fields.Char("Note")
    type = fields.Many2One(
        'hall.material.type', "Type", ondelete='RESTRICT',
        help="The shared type of the material, so that a material asked by "
        "several services is known as one; given by its name when a type "
        "has that name or another name.")

    @staticmethod
    def default_form():
        return 'original'

    @staticmethod
    def default_copies():
        return 1

    @staticmethod
    def default_mandatory():
        return True

    @classmethod
    def create(cls, vlist):
        MaterialType = Pool().get('hall.material.type')
        if any(not v.get('type') and v.get('name') for v in vlist):
            keys = MaterialType.keys_by_type()
            vlist = [v.copy() for v in vlist]
            for values in vlist:
                if not values.get('type') and values.get('name'):
                    values['type'] = material_type_rules.matching_type(
                        keys, values['name'])
        return super().create(vlist)

class ServiceEmployee(ModelSQL):
    "Services an employee is qualified to handle"
    __name__ = 'hall.service-company.employee'

    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_employee_unique', Unique(t, t.service, t.employee),
                'hall.msg_service_employee_unique'),
            ]

class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    hall_services = fields.Many2Many(
        'hall.service-company.employee', 'employee', 'service',
        "Qualified Services",
        help="The services this employee may handle at a window.")
    roster_shifts = fields.One2Many(
        'hall.roster.shift', 'employee', "Roster Shifts", readonly=True)
