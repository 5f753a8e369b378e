# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The board of the free delivery of certificates (免费证照寄递), when
hall_delivery is activated: pieces dispatched and delivered (妥投率).  The
deliveries belong to the company, not to a hall: the figures cover every
hall."""
from sql import Literal

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView
from trytond.modules.hall_delivery.statistics import DeliveryFiguresMixin
from trytond.pool import PoolMeta

from . import indicator_rules as rules
from .board import BoardMixin, change_field


class DeliveryBoard(BoardMixin, DeliveryFiguresMixin, ModelSQL, ModelView):
    """Deliveries of this month and this year to today, beside the same
    spans of last year"""
    __name__ = 'hall.indicator.delivery.board'
    # the leader reads the figures by month, not the addresses
    _board_action = 'hall_delivery.act_kpi'
    _board_date = 'month'
    _board_hall = None
    _board_changes = {
        'deliveries': 'deliveries_change',
        'delivered_rate': 'delivered_rate_change',
        }

    deliveries_change = change_field(
        lazy_gettext('hall_indicators.msg_deliveries_change'))
    delivered_rate_change = change_field(
        lazy_gettext('hall_indicators.msg_delivered_rate_change'))

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        dispatched = cls._dispatched_query(month=False)
        return dispatched.select(
            Literal(id_).as_('id'), *cls._figures(dispatched))


class WorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        cls.add_company_section(sections, 'delivery',
            'hall.indicator.delivery.board', '免费寄递',
            rules.delivery_sentence)
        return sections
