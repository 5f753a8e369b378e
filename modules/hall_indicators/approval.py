# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The boards of the approval items of the green channel and of the proxy
agents, when their modules are activated: items handled, completed and the
speed-up rate (提速率).  Their projects and cases belong to the company, not
to a hall: the figures cover every hall."""
from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView
from trytond.modules.hall.approval_kpi import ApprovalKPIMixin
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

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


class GreenChannelBoard(ApprovalBoardMixin, ModelSQL, ModelView):
    """Green-channel items of this month and this year to today, beside the
    same spans of last year"""
    __name__ = 'hall.indicator.green_channel.board'
    _approval_item = 'hall.green_channel.item'
    _board_action = 'hall_green_channel.act_item_form'


class ProxyBoard(ApprovalBoardMixin, ModelSQL, ModelView):
    """Proxy steps of this month and this year to today, beside the same
    spans of last year"""
    __name__ = 'hall.indicator.proxy.board'
    _approval_item = 'hall.proxy.step'
    _board_action = 'hall_proxy.act_step_form'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.projects.string = "Cases"
        cls.items.string = "Steps Handled"
        cls.completed.string = "Steps Completed"
        cls.overdue.string = "Overdue Steps"


class ApprovalWorkReportMixin:
    "The section of the approval items of the whole company"
    __slots__ = ()

    @classmethod
    def approval_section(cls, board, sentence):
        """The sentence of the items of the period (None for a report on
        some halls only: the items are not of a hall)"""
        context = Transaction().context
        if context.get('hall'):
            return None
        Board = Pool().get(board)
        cursor = Transaction().connection.cursor()
        cursor.execute(*Board._kpi_query(id_=1))
        names = [d[0] for d in cursor.description]
        return sentence(dict(zip(names, cursor.fetchone())))


class GreenChannelWorkReport(ApprovalWorkReportMixin, metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        sentence = cls.approval_section('hall.indicator.green_channel.board',
            rules.green_channel_sentence)
        if sentence:
            sections['green_channel'] = ('重大项目绿色通道', sentence)
        return sections


class ProxyWorkReport(ApprovalWorkReportMixin, metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        sentence = cls.approval_section('hall.indicator.proxy.board',
            rules.proxy_sentence)
        if sentence:
            sections['proxy'] = ('帮办代办', sentence)
        return sections
