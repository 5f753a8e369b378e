# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin

from .order import ACTIONS


class OrderAssisting(ModelSQL):
    "Assisting Department of a Work Order"
    __name__ = 'hall.hotline.order-assisting-hall.department'

    order = fields.Many2One(
        'hall.hotline.order', "Order", required=True, ondelete='CASCADE')
    department = fields.Many2One(
        'hall.department', "Department", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.department, Index.Equality()),
                (t.order, Index.Equality())))


class OrderLog(ServerReadonlyMixin, ModelSQL, ModelView):
    "Step of a Work Order"
    __name__ = 'hall.hotline.order.log'

    order = fields.Many2One(
        'hall.hotline.order', "Order", required=True, readonly=True,
        ondelete='CASCADE')
    action = fields.Selection(ACTIONS, "Action", required=True,
        readonly=True)
    at = fields.Timestamp("At", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    department = fields.Many2One(
        'hall.department', "Department", readonly=True)
    reason = fields.Text("Reason", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.order, Index.Equality())),
                Index(t, (t.action, Index.Equality(cardinality='low')),
                    (t.at, Index.Range())),
                })
        cls._order = [('at', 'ASC'), ('id', 'ASC')]
