# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The period a statistics' context asks for, the same in every module"
from sql import Literal

from trytond.i18n import lazy_gettext
from trytond.model import fields
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


class PeriodContextMixin:
    "From and to dates, both included, the from date not after the to date"
    __slots__ = ()

    from_date = fields.Date(
        lazy_gettext('hall.msg_period_from_date'),
        domain=[If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date(lazy_gettext('hall.msg_period_to_date'))


class CompanyPeriodContextMixin(PeriodContextMixin):
    "The period of the user's company"
    __slots__ = ()

    company = fields.Many2One(
        'company.company', lazy_gettext('hall.msg_period_company'),
        required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


def context_halls():
    """The ids of the halls a statistics' context limits to: its `halls`
    (a list, as the indicators over a hall and the halls below it set it)
    or its `hall`; None for every hall"""
    context = Transaction().context
    if context.get('halls') is not None:
        return list(context['halls'])
    if context.get('hall'):
        return [context['hall']]
    return None


def hall_where(column):
    "The SQL condition on a hall `column` for the halls of the context"
    halls = context_halls()
    if halls is None:
        return Literal(True)
    return column.in_(halls or [-1])
