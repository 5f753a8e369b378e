# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The 好差评 figures (ratings, 满意率, 综合评分, 推广度, 整改率) for any
period and scope of halls, when hall_evaluation is activated"""
from sql import Literal
from sql.aggregate import Count, Min

from trytond.i18n import lazy_gettext
from trytond.model import fields
from trytond.modules.hall_evaluation.kpi import _KPI
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import indicator_rules as rules
from .board import BoardMixin, change_field
from .hall import scope_halls


class EvaluationIndicator(_KPI):
    "好差评 of the period, in all"
    __name__ = 'hall.indicator.evaluation'
    _dimension_name = 'id'

    @classmethod
    def _dimension(cls, source, table, service):
        return Literal(0)

    @classmethod
    def table_query(cls):
        with Transaction().set_context(halls=scope_halls()):
            rows = cls._rows()
        return rows.select(
            Min(rows.row_id).as_('id'), *cls._figures(rows),
            having=Count(rows.row_id) > 0)


class EvaluationIndicatorHall(_KPI):
    "好差评 by hall"
    __name__ = 'hall.indicator.evaluation.hall'
    _dimension_name = 'hall'

    hall = fields.Many2One(
        'hall.hall', lazy_gettext('hall_indicators.msg_hall'))

    @classmethod
    def table_query(cls):
        with Transaction().set_context(halls=scope_halls()):
            return super().table_query()


class EvaluationIndicatorBoard(BoardMixin, _KPI):
    """好差评 of this month and this year to today, beside the same spans of
    last year"""
    __name__ = 'hall.indicator.evaluation.board'
    _dimension_name = 'period'
    _board_action = 'hall_evaluation.act_evaluation_form'
    _board_date = 'rated_date'
    _board_changes = {
        'ratings': 'ratings_change',
        'satisfaction_rate': 'satisfaction_rate_change',
        }

    ratings_change = change_field(
        lazy_gettext('hall_indicators.msg_ratings_change'))
    satisfaction_rate_change = change_field(
        lazy_gettext('hall_indicators.msg_satisfaction_rate_change'))

    @classmethod
    def _dimension(cls, source, table, service):
        return Literal(0)

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        rows = cls._rows()
        return rows.select(
            Literal(id_).as_('id'), *cls._figures(rows))


class WorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        Indicator = Pool().get('hall.indicator.evaluation')
        sections = super().sections(period, scope)
        row = next(iter(Indicator.search([])), None)
        figures = {name: getattr(row, name, None) or 0
            for name in ['ratings', 'bad', 'completed', 'rated',
                'rectifications', 'rectified']}
        figures['score'] = row.score if row else None
        sections['evaluation'] = (
            '好差评', rules.evaluation_sentence(figures))
        return sections
