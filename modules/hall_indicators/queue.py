# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The visitors of the halls (tickets issued, 人流量) and their wait, for any
period and scope of halls, when hall_queue is activated"""
from sql.functions import DateTrunc

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall_queue.statistics import TicketFiguresMixin
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import indicator_rules as rules
from .board import BoardMixin, change_field
from .hall import scope_halls


class QueueIndicatorMixin(TicketFiguresMixin):
    "The ticket figures of the halls of the indicators' scope"
    __slots__ = ()

    @classmethod
    def table_query(cls):
        with Transaction().set_context(halls=scope_halls()):
            return super().table_query()


class QueueIndicator(QueueIndicatorMixin, ModelSQL, ModelView):
    "Visitors and waits of the period, in all"
    __name__ = 'hall.indicator.queue'


class QueueIndicatorMonth(QueueIndicatorMixin, ModelSQL, ModelView):
    "Visitors and waits by month"
    __name__ = 'hall.indicator.queue.month'
    _keys = ('month',)

    month = fields.Date(lazy_gettext('hall_indicators.msg_month'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _key_expressions(cls, ticket):
        return [cls.month.sql_cast(DateTrunc('month', ticket.date))]


class QueueIndicatorHall(QueueIndicatorMixin, ModelSQL, ModelView):
    "Visitors and waits by hall"
    __name__ = 'hall.indicator.queue.hall'
    _keys = ('hall',)

    hall = fields.Many2One(
        'hall.hall', lazy_gettext('hall_indicators.msg_hall'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('issued', 'DESC'), ('id', 'ASC')]


class QueueIndicatorBoard(
        BoardMixin, TicketFiguresMixin, ModelSQL, ModelView):
    """Visitors and waits of this month and this year to today, beside the
    same spans of last year"""
    __name__ = 'hall.indicator.queue.board'
    _board_action = 'hall_queue.act_ticket_form'
    _board_date = 'date'
    _board_changes = {
        'issued': 'issued_change',
        'average_wait': 'average_wait_change',
        }

    issued_change = change_field(
        lazy_gettext('hall_indicators.msg_issued_change'))
    average_wait_change = change_field(
        lazy_gettext('hall_indicators.msg_average_wait_change'))

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        return cls._figures(id_=id_)


class WorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        Indicator = Pool().get('hall.indicator.queue')
        sections = super().sections(period, scope)
        total = Indicator.search([])
        sections['queue'] = ('大厅人流量', rules.visitor_sentence(
                {name: getattr(total[0], name) if total else None
                    for name in [
                        'issued', 'served', 'average_wait', 'p90_wait']}))
        return sections
