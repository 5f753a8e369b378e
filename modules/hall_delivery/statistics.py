# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Courier statement and delivery KPIs, aggregated in the database."
import datetime as dt
from collections import namedtuple

from sql import Column, Null
from sql.aggregate import Avg, Count, Max, Min, Sum
from sql.conditionals import Case, NullIf
from sql.functions import DateTrunc

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall import clock
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.modules.hall.period import (
    CompanyPeriodContextMixin, company_timezone, local_timestamp,
    utc_period_where)
from trytond.modules.hall.report import HallReport
from trytond.pool import Pool
from trytond.transaction import Transaction

from .courier import PRICE_DIGITS


Statement = namedtuple('Statement', ['line', 'start', 'end', 'deliveries'])


def month_start(Model, column):
    "First day of the month of a timestamp column, as a date"
    return Model.month.sql_cast(DateTrunc('month', column))


class PeriodContext(CompanyPeriodContextMixin, ModelView):
    __name__ = 'hall.delivery.statistics.context'


class _PeriodMixin(ContextCompanyMixin):
    __slots__ = ()

    @classmethod
    def _dispatched_query(cls, month=True):
        "The dispatched deliveries of the period, with their month if asked"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        delivery = Delivery.__table__()
        timezone = company_timezone()
        columns = [delivery.id, delivery.courier, delivery.cost,
            delivery.state, delivery.working_days]
        if month:
            # the month of the company's calendar
            columns.append(month_start(cls,
                    local_timestamp(delivery.dispatched_at, timezone)).as_(
                    'month'))
        return delivery.select(*columns,
            where=(delivery.dispatched_at != Null)
            & (delivery.company == Transaction().context.get('company'))
            & utc_period_where(delivery.dispatched_at, timezone))


class CourierStatement(ServerReadonlyMixin, _PeriodMixin, ModelSQL, ModelView):
    "Monthly courier statement: pieces dispatched and their cost"
    __name__ = 'hall.delivery.statement'

    month = fields.Date("Month")
    courier = fields.Many2One('hall.courier', "Courier")
    pieces = fields.Integer("Pieces")
    cost = fields.Numeric("Cost", digits=PRICE_DIGITS)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('courier', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        dispatched = cls._dispatched_query()
        return dispatched.select(
            Min(dispatched.id).as_('id'),
            dispatched.month.as_('month'),
            dispatched.courier.as_('courier'),
            Count(dispatched.id).as_('pieces'),
            Sum(dispatched.cost).as_('cost'),
            group_by=[dispatched.month, dispatched.courier])

    def get_currency(self, name):
        return self.courier.currency if self.courier else None


class DeliveryFiguresMixin(_PeriodMixin, ServerReadonlyMixin):
    "The figures of the deliveries dispatched in the period"
    __slots__ = ()

    deliveries = fields.Integer("Dispatched")
    delivered = fields.Integer("Delivered")
    returned = fields.Integer("Returned")
    lost = fields.Integer("Lost")
    delivered_rate = fields.Float("Delivered Rate", digits=(1, 4))
    working_days = fields.Float(
        "Average Working Days", digits=(6, 2),
        help="From the completion of the applications to the delivery.")

    @classmethod
    def _figures(cls, dispatched):
        "The aggregated columns of the figures of the `dispatched` rows"
        def count(state):
            return Sum(Case((dispatched.state == state, 1), else_=0))
        delivered = count('delivered')
        return [
            Count(dispatched.id).as_('deliveries'),
            delivered.as_('delivered'),
            count('returned').as_('returned'),
            count('lost').as_('lost'),
            (delivered * 1.0 / NullIf(Count(dispatched.id), 0)).as_(
                'delivered_rate'),
            Avg(dispatched.working_days * 1.0).as_('working_days'),
            ]


class DeliveryKPI(DeliveryFiguresMixin, ModelSQL, ModelView):
    "Deliveries by month: delivered rate, working days, returns"
    __name__ = 'hall.delivery.kpi'

    month = fields.Date("Month")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        dispatched = cls._dispatched_query()
        return dispatched.select(
            Min(dispatched.id).as_('id'),
            dispatched.month.as_('month'),
            *cls._figures(dispatched),
            group_by=[dispatched.month])


class ReturnReason(ServerReadonlyMixin, _PeriodMixin, ModelSQL, ModelView):
    "Returned deliveries by reason"
    __name__ = 'hall.delivery.return_reason'

    reason = fields.Char("Return Reason")
    returns = fields.Integer("Returns")
    last_returned = fields.Timestamp("Last Returned")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('returns', 'DESC'), ('reason', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        history = Delivery.__table_history__()
        # A re-dispatched delivery clears its reason: count the returns
        # from the history, once per return.
        return history.select(
            Min(Column(history, '__id')).as_('id'),
            history.return_reason.as_('reason'),
            Count(history.returned_at, distinct=True).as_('returns'),
            Max(history.returned_at).as_('last_returned'),
            where=(history.state == 'returned')
            & (history.return_reason != Null)
            & (history.company == Transaction().context.get('company'))
            & utc_period_where(history.returned_at, company_timezone()),
            group_by=[history.return_reason])


class StatementReport(HallReport):
    "Courier statement (快递月结对账单)"
    __name__ = 'hall.delivery.statement'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['statements'] = [cls.statement(r) for r in records]
        return context

    @classmethod
    def statement(cls, line):
        """The statement of a courier and a month: its period and the
        deliveries dispatched in it, to check one by one"""
        Delivery = Pool().get('hall.delivery')
        company = line.courier.company
        start = line.month
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(
            day=1)
        deliveries = Delivery.search([
                ('company', '=', company.id),
                ('courier', '=', line.courier.id),
                ('dispatched_at', '>=', clock.to_utc(
                        dt.datetime.combine(start, dt.time()),
                        company.timezone)),
                ('dispatched_at', '<', clock.to_utc(
                        dt.datetime.combine(following, dt.time()),
                        company.timezone)),
                ], order=[('dispatched_at', 'ASC'), ('id', 'ASC')])
        return Statement(line, start, following - dt.timedelta(days=1),
            deliveries)
