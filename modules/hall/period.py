# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The period a statistics' context asks for, the same in every module"
import datetime as dt

from sql import Literal
from sql.functions import Function

from trytond import backend
from trytond.i18n import lazy_gettext
from trytond.model import fields
from trytond.pyson import Eval, If
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from .report import context_company


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


class SQLiteDateTime(Function):
    __slots__ = ()
    _function = 'DATETIME'


def company_timezone():
    "The time zone of the company of the context"
    company = context_company()
    return company.timezone if company else None


def local_offset(timezone):
    "The offset of `timezone` today (Chinese time has no summer time)"
    if not timezone:
        return dt.timedelta(0)
    return tz.get_tzinfo(timezone).utcoffset(dt.datetime.now())


def local_timestamp(column, timezone):
    "The stored UTC timestamp `column` in `timezone`"
    offset = local_offset(timezone)
    if not offset:
        return column
    if backend.name == 'sqlite':
        seconds = int(offset.total_seconds())
        return SQLiteDateTime(column, f'{seconds:+d} seconds')
    return column + offset


def utc_period_where(column, timezone):
    """The stored UTC timestamp `column` within the days of the period of
    the context in `timezone`: the bounds are shifted, not the column,
    which its index then serves"""
    context = Transaction().context
    offset = local_offset(timezone)
    where = Literal(True)
    if context.get('from_date'):
        where &= column >= (
            dt.datetime.combine(context['from_date'], dt.time()) - offset)
    if context.get('to_date'):
        where &= column < (
            dt.datetime.combine(context['to_date'], dt.time())
            + dt.timedelta(days=1) - offset)
    return where
