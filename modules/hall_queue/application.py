# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Application(metaclass=PoolMeta):
    __name__ = 'hall.application'

    ticket = fields.Many2One(
        'hall.ticket', "Ticket", ondelete='RESTRICT',
        domain=[('hall', '=', Eval('hall', -1))],
        states={'readonly': Eval('state') != 'draft'},
        help="The queue ticket served when the application was received.")

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('ticket', None)
        return super().copy(applications, default=default)
