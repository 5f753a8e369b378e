# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rows of the leadership's board: the figures of an area for this
month and this year to today, beside the same spans of last year, with the
change on last year"""
from sql import Column, Literal, Null, Union, Window
from sql.conditionals import Case
from sql.functions import Lead

from trytond.i18n import lazy_gettext
from trytond.model import ModelView, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.transaction import Transaction

from .hall import scope_halls
from .indicator_rules import board_periods

BOARD_PERIODS = [
    ('month', "This Month"),
    ('month_last_year', "Same Month Last Year"),
    ('year', "This Year"),
    ('year_last_year', "Same Period Last Year"),
    ]
# The periods of this year: the row after each is the same span of last
# year
THIS_YEAR = ['month', 'year']


class BoardMixin(ContextCompanyMixin, ServerReadonlyMixin):
    """One row a period of the board.  The model sets the figures of a
    period (`_board_figures`), the records a row opens (`_board_action`,
    filtered on the date field `_board_date` and the hall field
    `_board_hall`) and, in `_board_changes`, the field that holds the
    change on last year of a figure: relative for a count, in points for a
    rate."""
    __slots__ = ()
    _board_action = None
    _board_date = None
    _board_hall = 'hall'
    _board_changes = {}

    period = fields.Selection(
        BOARD_PERIODS, lazy_gettext('hall_indicators.msg_board_period'))
    period_string = period.translated('period')
    from_date = fields.Date(lazy_gettext('hall.msg_period_from_date'))
    to_date = fields.Date(lazy_gettext('hall.msg_period_to_date'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]
        cls._buttons.update({
                'open_records': {},
                })

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        """The query of the one row of the figures from `from_date` to
        `to_date`, as they stood on `to_date`, with `id_` as id; the
        context holds the period (`from_date`, `to_date`) and the halls
        (`halls`)"""
        raise NotImplementedError

    @classmethod
    def table_query(cls):
        queries = []
        # the figures of the company's areas cover every hall
        scope = {'halls': scope_halls()} if cls._board_hall else {}
        with Transaction().set_context(**scope):
            for id_, (name, from_date, to_date) in enumerate(
                    board_periods(company_today()), 1):
                with Transaction().set_context(
                        from_date=from_date, to_date=to_date):
                    query = cls._board_figures(from_date, to_date, id_)
                query.columns += (
                    Literal(name).as_('period'),
                    cls.from_date.sql_cast(Literal(from_date)).as_(
                        'from_date'),
                    cls.to_date.sql_cast(Literal(to_date)).as_('to_date'))
                queries.append(query)
        rows = Union(*queries, all_=True)
        names = [c.output_name for c in queries[0].columns]
        window = Window([], order_by=[rows.id.asc])
        changes = []
        for figure, change in cls._board_changes.items():
            current = Column(rows, figure)
            last = Lead(current, window=window)
            if cls._fields[figure]._type == 'integer':
                value = (current - last) * Literal(1.0) / last
                known = last > 0
            else:
                value = current - last
                known = (last != Null) & (current != Null)
            changes.append(getattr(cls, change).sql_cast(
                    Case((rows.period.in_(THIS_YEAR) & known, value),
                        else_=Null)).as_(change))
        return rows.select(*(Column(rows, n) for n in names), *changes)

    @classmethod
    @ModelView.button
    def open_records(cls, rows):
        "The records the figures of the row count"
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        if not rows:
            return
        row, = rows
        action = ActWindow.get(cls._board_action)
        domain = [
            (cls._board_date, '>=', row.from_date),
            (cls._board_date, '<=', row.to_date),
            ]
        if Transaction().context.get('hall'):
            domain.append((cls._board_hall, 'in', scope_halls()))
        action['pyson_domain'] = PYSONEncoder().encode(domain)
        action['name'] += f' ({row.period_string})'
        return action


def change_field(string):
    "The field of the change of a figure on last year"
    return fields.Float(string, digits=(1, 4))
