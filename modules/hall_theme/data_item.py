# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The data items (数据项) the services' forms ask for, from one catalogue,
so that an item asked by several services of a theme is filled once."""
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import PoolMeta


class DataItem(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "Data Item"
    __name__ = 'hall.data.item'

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    description = fields.Char(
        "Description", help="What is filled in, as the form explains it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_unique', Unique(t, t.name),
                'hall_theme.msg_data_item_name_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]


class ServiceDataItem(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    "Service Data Item"
    __name__ = 'hall.service.data_item'

    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='CASCADE')
    item = fields.Many2One(
        'hall.data.item', "Data Item", required=True, ondelete='RESTRICT')
    mandatory = fields.Boolean("Mandatory")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_item_unique', Unique(t, t.service, t.item),
                'hall_theme.msg_service_data_item_unique'),
            ]

    @classmethod
    def default_mandatory(cls):
        return True


class Service(metaclass=PoolMeta):
    __name__ = 'hall.service'

    data_items = fields.One2Many(
        'hall.service.data_item', 'service', "Data Items",
        help="What the service's form asks for (申请表数据项).")
