# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The figures of the 12345 hotline for a period, aggregated in the
database: the orders received in the period (registered in the company's
days), what became of them, and the steps of the period (transfers,
returns, redo orders) from the orders' history."""
from sql import Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.model import ContextCompanyMixin, ServerReadonlyMixin
from trytond.modules.hall.period import (
    CompanyPeriodContextMixin, company_timezone, utc_period_where)
from trytond.pool import Pool
from trytond.transaction import Transaction

from .configuration import CATEGORIES
from .order import SOURCES

SATISFIED = ('very_satisfied', 'satisfied', 'basic')


class PeriodContext(CompanyPeriodContextMixin, ModelView):
    "12345 Hotline Statistics"
    __name__ = 'hall.hotline.statistics.context'


def _rate(numerator, denominator):
    return numerator * 1.0 / NullIf(denominator, 0)


def _count(condition):
    return Sum(Case((condition, 1), else_=0))


class OrderFiguresMixin(ContextCompanyMixin, ServerReadonlyMixin):
    "The figures of the orders received in the period of the context"
    __slots__ = ()

    received = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_received'))
    dispatched = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_dispatched'),
        help=lazy_gettext('hall_hotline.msg_figure_dispatched_help'))
    direct = fields.Integer(lazy_gettext('hall_hotline.msg_figure_direct'))
    concluded = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_concluded'))
    conclusion_rate = fields.Float(
        lazy_gettext('hall_hotline.msg_figure_conclusion_rate'),
        digits=(1, 4))
    sign_on_time_rate = fields.Float(
        lazy_gettext('hall_hotline.msg_figure_sign_on_time_rate'),
        digits=(1, 4))
    answer_on_time_rate = fields.Float(
        lazy_gettext('hall_hotline.msg_figure_answer_on_time_rate'),
        digits=(1, 4))
    transferred = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_transferred'),
        help=lazy_gettext('hall_hotline.msg_figure_transferred_help'))
    returned = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_returned'))
    redone = fields.Integer(lazy_gettext('hall_hotline.msg_figure_redone'))
    followed_up = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_followed_up'))
    follow_up_rate = fields.Float(
        lazy_gettext('hall_hotline.msg_figure_follow_up_rate'),
        digits=(1, 4))
    satisfied = fields.Integer(
        lazy_gettext('hall_hotline.msg_figure_satisfied'))
    satisfaction_rate = fields.Float(
        lazy_gettext('hall_hotline.msg_figure_satisfaction_rate'),
        digits=(1, 4))

    @classmethod
    def _received(cls):
        "The orders registered in the period, of the context's company"
        Order = Pool().get('hall.hotline.order')
        order = Order.__table__()
        return order, ((order.registered_at != Null)
            & (order.state != 'cancelled')
            & (order.company == Transaction().context.get('company', -1))
            & utc_period_where(order.registered_at, company_timezone()))

    @classmethod
    def _figures(cls, order):
        "The aggregated columns of the figures of the `order` rows"
        dispatched = order.dispatched_at != Null
        concluded = _count(order.state == 'closed')
        signed = _count(dispatched & (order.signed_at != Null)
            & (order.sign_overdue == Literal(False)))
        answered = order.answered_at != Null
        followed = _count(order.reached != Null)
        rated = _count(order.satisfaction != Null)
        satisfied = _count(order.satisfaction.in_(SATISFIED))
        # the orders a caller can be called back about: closed after a
        # department's answer, not anonymous
        callable_ = _count((order.state == 'closed')
            & (order.direct == Literal(False))
            & (order.anonymous == Literal(False)))
        return [
            Count(order.id).as_('received'),
            _count(dispatched).as_('dispatched'),
            _count(order.direct == Literal(True)).as_('direct'),
            concluded.as_('concluded'),
            _rate(concluded, Count(order.id)).as_('conclusion_rate'),
            _rate(signed, _count(dispatched)).as_('sign_on_time_rate'),
            _rate(_count(answered & (order.answer_overdue == Literal(False))),
                _count(answered | (order.answer_overdue == Literal(True)))
                ).as_('answer_on_time_rate'),
            Sum(Coalesce(order.transfer_count, 0)).as_('transferred'),
            Sum(Coalesce(order.return_count, 0)).as_('returned'),
            Sum(Coalesce(order.redo_count, 0)).as_('redone'),
            followed.as_('followed_up'),
            _rate(followed, callable_).as_('follow_up_rate'),
            satisfied.as_('satisfied'),
            _rate(satisfied, rated).as_('satisfaction_rate'),
            ]


    @classmethod
    def _grouped_by(cls, dimension):
        "The figures of the period's orders by their field `dimension`"
        order, where = cls._received()
        column = getattr(order, dimension)
        return order.select(
            Min(order.id).as_('id'), column.as_(dimension),
            *cls._figures(order), where=where, group_by=[column])


class Indicator(OrderFiguresMixin, ModelSQL, ModelView):
    "12345 Hotline Figures"
    __name__ = 'hall.hotline.indicator'

    @classmethod
    def table_query(cls):
        order, where = cls._received()
        return order.select(
            Literal(1).as_('id'), *cls._figures(order), where=where)


class IndicatorDepartment(OrderFiguresMixin, ModelSQL, ModelView):
    "12345 Hotline Figures by Lead Department"
    __name__ = 'hall.hotline.indicator.department'

    department = fields.Many2One('hall.department', "Lead Department")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the ranking: satisfied callers first, then answers on time
        cls._order = [
            ('satisfaction_rate', 'DESC NULLS LAST'),
            ('answer_on_time_rate', 'DESC NULLS LAST'),
            ('received', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        order, where = cls._received()
        return order.select(
            order.lead_department.as_('id'),
            order.lead_department.as_('department'),
            *cls._figures(order),
            where=where & (order.lead_department != Null),
            group_by=[order.lead_department])


class IndicatorCategory(OrderFiguresMixin, ModelSQL, ModelView):
    "12345 Hotline Figures by Category"
    __name__ = 'hall.hotline.indicator.category'

    category = fields.Selection(CATEGORIES, "Category")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        return cls._grouped_by('category')


class IndicatorSource(OrderFiguresMixin, ModelSQL, ModelView):
    "12345 Hotline Figures by Source"
    __name__ = 'hall.hotline.indicator.source'

    source = fields.Selection(SOURCES, "Source")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        return cls._grouped_by('source')
