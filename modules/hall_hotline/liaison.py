# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""承办人员: the users who act for a department on the orders dispatched to
it; the record rules give them their departments' orders only."""
from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Id
from trytond.transaction import Transaction

from .exceptions import OrderError


class Liaison(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "Department Liaison"
    __name__ = 'hall.hotline.liaison'

    department = fields.Many2One(
        'hall.department', "Department", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE',
        domain=[('groups', '=',
                Id('hall_hotline', 'group_hotline_liaison'))])
    phone = fields.Char("Phone")
    _departments_cache = Cache('hall_hotline.liaison.departments')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('department_user_unique', Unique(t, t.department, t.user),
                'hall_hotline.msg_liaison_unique'),
            ]
        cls._order = [('department', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s（%s）' % (self.user.rec_name, self.department.rec_name)

    @classmethod
    def departments_of(cls, user_id=None):
        "The ids of the departments `user_id` (the current user) acts for"
        if user_id is None:
            user_id = Transaction().user
        departments = cls._departments_cache.get(user_id)
        if departments is not None:
            return departments
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.department,
                where=(table.user == user_id) & (table.active == True),
                order_by=[table.department]))
        return cls._departments_cache.set(user_id, [d for d, in cursor])

    @classmethod
    def users_of(cls, department_ids):
        "The users acting for the departments `department_ids`"
        liaisons = cls.search([('department', 'in', list(department_ids))])
        return sorted({l.user for l in liaisons}, key=lambda u: u.id)

    @classmethod
    def check_acts_for(cls, orders):
        """Only a liaison of the lead department acts for it (the code of
        the server, as root, for anyone)"""
        if not Transaction().user:
            return
        departments = set(cls.departments_of())
        for order in orders:
            if (not order.lead_department
                    or order.lead_department.id not in departments):
                raise OrderError(gettext(
                        'hall_hotline.msg_order_not_lead_liaison',
                        order=order.rec_name,
                        department=order.lead_department.rec_name
                        if order.lead_department else ''))

    @classmethod
    def on_modification(cls, mode, liaisons, field_names=None):
        super().on_modification(mode, liaisons, field_names=field_names)
        # the record rules depend on the departments of the user
        cls._departments_cache.clear()


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "hotline_departments" as list of ids of the departments '
            'the current user acts for on the 12345 hotline')

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if any(n.startswith('hall.hotline.') for n in model_names):
            key = (*key, tuple(cls._hotline_departments()))
        return key

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name.startswith('hall.hotline.'):
            context['hotline_departments'] = cls._hotline_departments()
        return context

    @classmethod
    def _hotline_departments(cls):
        Liaison = Pool().get('hall.hotline.liaison')
        if not Transaction().user:
            return []
        return Liaison.departments_of()
