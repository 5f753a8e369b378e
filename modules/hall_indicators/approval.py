# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The boards of the approval items of the green channel and of the proxy
agents, when their modules are activated: items handled, completed and the
speed-up rate (提速率).  Their projects and cases belong to the company, not
to a hall: the figures cover every hall."""
from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView
from trytond.modules.hall.approval_kpi import ApprovalKPIMixin
from trytond.modules.hall_green_channel.statistics import (
    GreenChannelKPIMixin)
from trytond.modules.hall_proxy.statistics import ProxyKPIMixin
from trytond.pool import PoolMeta

from . import indicator_rules as rules
from .board import BoardMixin, change_field


class ApprovalBoardMixin(BoardMixin, ApprovalKPIMixin):
    "The approval items started in the period"
    __slots__ = ()
    _board_date = 'start_date'
    _board_hall = None
    _board_changes = {
        'items': 'items_change',
        'speed_up_rate': 'speed_up_rate_change',
        }

    items_change = change_field(
        lazy_gettext('hall_indicators.msg_items_change'))
    speed_up_rate_change = change_field(
        lazy_gettext('hall_indicators.msg_speed_up_rate_change'))

    @classmethod
    def _kpi_dimensions(cls, item, parent):
        return []

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        return cls._kpi_query(id_=id_)


class GreenChannelBoard(
        ApprovalBoardMixin, GreenChannelKPIMixin, ModelSQL, ModelView):
    """Green-channel items of this month and this year to today, beside the
    same spans of last year"""
    __name__ = 'hall.indicator.green_channel.board'
    _board_action = 'hall_green_channel.act_item_form'


class ProxyBoard(ApprovalBoardMixin, ProxyKPIMixin, ModelSQL, ModelView):
    """Proxy steps of this month and this year to today, beside the same
    spans of last year"""
    __name__ = 'hall.indicator.proxy.board'
    _board_action = 'hall_proxy.act_step_form'


class GreenChannelWorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        cls.add_company_section(sections, 'green_channel',
            'hall.indicator.green_channel.board', '重大项目绿色通道',
            rules.green_channel_sentence)
        return sections


class ProxyWorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        cls.add_company_section(sections, 'proxy',
            'hall.indicator.proxy.board', '帮办代办', rules.proxy_sentence)
        return sections
