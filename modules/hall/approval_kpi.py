# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Indicators of the approval items (审批事项) of the green channel and the
proxy agents, aggregated in the database.

- ApprovalKPIContext: the period and company of the indicators
  (hall.approval.kpi.context);
- ApprovalKPIMixin: the SQL reporting models of the items;
- ApprovalKPIPeriodMixin: the same, by period (month or year).
"""
from sql import Column, Literal, Null
from sql.aggregate import Avg, Count, Min, Sum
from sql.conditionals import Case, NullIf
from sql.functions import DateTrunc

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .company import company_today
from .model import ContextCompanyMixin
from .period import CompanyPeriodContextMixin


class ApprovalKPIContext(CompanyPeriodContextMixin, ModelView):
    "Period of the approval indicators"
    __name__ = 'hall.approval.kpi.context'

    period = fields.Selection([
            ('month', "Month"),
            ('year', "Year"),
            ], "Period", required=True)

    @classmethod
    def default_period(cls):
        return 'month'


class ApprovalKPIMixin(ContextCompanyMixin):
    """Indicators of the approval items, aggregated in the database.

    Items count in the period in which they started (the acceptance of
    their application); cancelled and planned items do not count.  The
    concrete model sets `_approval_item` (model name of the items) and
    returns the columns to group by from `_kpi_dimensions`."""
    __slots__ = ()
    _approval_item = None

    projects = fields.Integer("Projects")
    enterprises = fields.Integer("Enterprises Served")
    items = fields.Integer("Items Handled")
    completed = fields.Integer("Items Completed")
    total_days = fields.Integer(
        "Total Working Days", help="Working days taken by the completed "
        "items.")
    average_days = fields.Float(
        "Average Working Days", digits=(6, 2),
        help="Average working days taken by a completed item.")
    legal_days = fields.Integer(
        "Legal Working Days", help="Legal limits of the completed items.")
    speed_up_rate = fields.Float(
        "Speed-up Rate", digits=(1, 4),
        help="1 − working days taken ÷ legal working days, over the "
        "completed items (提速率).")
    promise_kept_rate = fields.Float(
        "Promise-Kept Rate", digits=(1, 4),
        help="Share of the completed items done within their promised "
        "limit.")
    overdue = fields.Integer(
        "Overdue Items", help="Items completed past their promised due "
        "date or still in progress past it.")

    @classmethod
    def _kpi_dimensions(cls, item, parent):
        "Return the list of (name, SQL expression) to group by"
        raise NotImplementedError

    @classmethod
    def _kpi_period(cls, item):
        "The first day of the period (month or year) in which item started"
        period = Transaction().context.get('period') or 'month'
        if period not in {'month', 'year'}:
            period = 'month'
        return cls.period.sql_cast(DateTrunc(period, item.start_date))

    @classmethod
    def _kpi_where(cls, item, parent):
        context = Transaction().context
        where = (parent.company == context.get('company', -1))
        where &= item.state.in_(['in_progress', 'done'])
        where &= item.start_date != Null
        if context.get('from_date'):
            where &= item.start_date >= context['from_date']
        if context.get('to_date'):
            where &= item.start_date <= context['to_date']
        return where

    @classmethod
    def table_query(cls):
        return cls._kpi_query()

    @classmethod
    def _kpi_query(cls, id_=None):
        """The figures grouped by the dimensions, with `id_` as the id (the
        smallest item's id without one)"""
        pool = Pool()
        Item = pool.get(cls._approval_item)
        Parent = pool.get(Item._fields[Item._approval_parent].model_name)
        item = Item.__table__()
        parent = Parent.__table__()
        today = company_today()

        done = item.state == 'done'
        late = Case(
            (done & (item.actual_days > item.promised_limit), 1),
            ((item.state == 'in_progress')
                & (item.promised_due_date < today), 1),
            else_=0)
        dimensions = cls._kpi_dimensions(item, parent)
        # Group in an outer query: PostgreSQL refuses to group by an
        # expression holding a parameter.
        items = item.join(parent,
            condition=Column(item, Item._approval_parent) == parent.id
            ).select(
                item.id.as_('id'),
                parent.id.as_('parent'),
                parent.party.as_('party'),
                Case((done, 1), else_=0).as_('done'),
                Case((done, item.actual_days), else_=Null).as_('actual'),
                Case((done, item.legal_limit), else_=Null).as_('legal'),
                Case((done & (item.actual_days <= item.promised_limit), 1),
                    else_=0).as_('kept'),
                late.as_('late'),
                *(expression.as_(name) for name, expression in dimensions),
                where=cls._kpi_where(item, parent))
        completed = Sum(items.done)
        actual = Sum(items.actual)
        return items.select(
            (Min(items.id) if id_ is None else Literal(id_)).as_('id'),
            *(Column(items, name).as_(name) for name, _ in dimensions),
            Count(items.parent, distinct=True).as_('projects'),
            Count(items.party, distinct=True).as_('enterprises'),
            Count(items.id).as_('items'),
            completed.as_('completed'),
            actual.as_('total_days'),
            cls.average_days.sql_cast(
                Avg(items.actual * Literal(1.0))).as_('average_days'),
            Sum(items.legal).as_('legal_days'),
            cls.speed_up_rate.sql_cast(
                Literal(1.0) - actual * Literal(1.0)
                / NullIf(Sum(items.legal), 0)).as_('speed_up_rate'),
            cls.promise_kept_rate.sql_cast(
                Sum(items.kept) * Literal(1.0)
                / NullIf(completed, 0)).as_('promise_kept_rate'),
            Sum(items.late).as_('overdue'),
            group_by=[Column(items, name) for name, _ in dimensions] or None)


class ApprovalKPIPeriodMixin(ApprovalKPIMixin):
    "Indicators of the approval items by period (month or year)"
    __slots__ = ()

    period = fields.Date("Period")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('period', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _kpi_dimensions(cls, item, parent):
        return [('period', cls._kpi_period(item))]
