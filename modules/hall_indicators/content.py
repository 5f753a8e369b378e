# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The figures of the government website and new media, when content_review
is activated: the problems registered in the rectification ledger (整改台账)
and the articles rectified by category, and the sites and accounts at risk
of failing the inspection outright (单项否决).  They belong to the company,
not to a hall: the figures cover every hall."""
from sql import Literal, Null, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case, NullIf

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.content_review.rectification import CATEGORIES, DONE
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import indicator_rules as rules
from .board import BoardMixin, change_field

RISKS = [
    ('veto', "Fails the Inspection"),
    ('forecast', "Forecast to Fail"),
    ('silent', "Not Updated in Time"),
    ('zombie', "Zombie Account"),
    ('empty', "Empty Shell Account"),
    ]


def _category_articles(category):
    return fields.Integer(
        lazy_gettext(f'hall_indicators.msg_rectified_{category}_articles'))


class ContentBoard(BoardMixin, ModelSQL, ModelView):
    """Problems of the website and new media registered this month and this
    year to today, beside the same spans of last year"""
    __name__ = 'hall.indicator.content.board'
    # the leader reads the ledger by month, not the problems' details
    _board_action = 'content_review.act_rectification_monthly'
    _board_date = 'month'
    _board_hall = None
    _board_changes = {
        'entries': 'entries_change',
        'rectified_articles': 'rectified_articles_change',
        }

    entries = fields.Integer(
        lazy_gettext('hall_indicators.msg_content_entries'),
        help=lazy_gettext('hall_indicators.msg_content_entries_help'))
    entries_change = change_field(
        lazy_gettext('hall_indicators.msg_content_entries_change'))
    rectified = fields.Integer(
        lazy_gettext('hall_indicators.msg_content_rectified'))
    rectification_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_content_rectification_rate'),
        digits=(1, 4))
    rectified_articles = fields.Integer(
        lazy_gettext('hall_indicators.msg_content_rectified_articles'),
        help=lazy_gettext(
            'hall_indicators.msg_content_rectified_articles_help'))
    rectified_articles_change = change_field(
        lazy_gettext('hall_indicators.msg_content_rectified_articles_change'))
    privacy_articles = _category_articles('privacy')
    expression_articles = _category_articles('expression')
    typo_articles = _category_articles('typo')
    link_articles = _category_articles('link')
    not_updated_articles = _category_articles('not_updated')
    other_articles = _category_articles('other')

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        Statistics = Pool().get('content.rectification.yearly')
        ledger = Statistics._ledger(lambda column: Literal(0))
        done = ledger.state.in_(DONE)

        def articles(where):
            return Count(Case((where, ledger.article), else_=Null),
                distinct=True)
        rectified = Sum(Case((done, 1), else_=0))
        return ledger.select(
            Literal(id_).as_('id'),
            Count(ledger.id).as_('entries'),
            rectified.as_('rectified'),
            (rectified * 1.0 / NullIf(Count(ledger.id), 0)).as_('rectification_rate'),
            articles(done).as_('rectified_articles'),
            *(articles(done & (ledger.category == category)).as_(
                    f'{category}_articles')
                for category, _ in CATEGORIES))


class ContentRisk(
        ContextCompanyMixin, ServerReadonlyMixin, ModelSQL, ModelView):
    """The websites and new-media accounts of the company that fail, or are
    forecast to fail, the inspection outright (单项否决) today, and the
    accounts to clean up"""
    __name__ = 'hall.indicator.content.risk'

    kind = fields.Selection([
            ('site', "Website"),
            ('account', "New Media Account"),
            ], lazy_gettext('hall_indicators.msg_content_risk_kind'))
    name = fields.Char(lazy_gettext('hall_indicators.msg_content_risk_name'))
    risk = fields.Selection(
        RISKS, lazy_gettext('hall_indicators.msg_content_risk'), sort=False)
    date = fields.Date(
        lazy_gettext('hall_indicators.msg_content_risk_date'),
        help=lazy_gettext('hall_indicators.msg_content_risk_date_help'))
    last_update = fields.Date(
        lazy_gettext('hall_indicators.msg_content_risk_last_update'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('kind', 'DESC'), ('risk', 'ASC'), ('name', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Site = pool.get('content.site')
        Channel = pool.get('content.channel')
        site = Site.__table__()
        channel = Channel.__table__()
        company = Transaction().context.get('company')
        # the ids of sites are even, those of accounts odd
        sites = site.select(
            (site.id * 2).as_('id'),
            Literal('site').as_('kind'),
            site.name.as_('name'),
            Case((site.veto == Literal(True), 'veto'),
                else_='forecast').as_('risk'),
            Case((site.veto == Literal(True), Null),
                else_=site.forecast_date).as_('date'),
            site.last_update.as_('last_update'),
            where=(site.company == company) & (site.active == Literal(True))
            & ((site.veto == Literal(True))
                | (site.veto_forecast == Literal(True))))
        accounts = channel.select(
            (channel.id * 2 + 1).as_('id'),
            Literal('account').as_('kind'),
            channel.name.as_('name'),
            Case((channel.zombie == Literal(True), 'zombie'),
                (channel.empty == Literal(True), 'empty'),
                else_='silent').as_('risk'),
            channel.update_due.as_('date'),
            channel.last_update.as_('last_update'),
            where=(channel.company == company)
            & (channel.kind == 'account') & (channel.state == 'active')
            & ((channel.silent == Literal(True))
                | (channel.empty == Literal(True))
                | (channel.zombie == Literal(True))))
        rows = Union(sites, accounts, all_=True)
        return rows.select(
            rows.id, rows.kind, rows.name,
            cls.risk.sql_cast(rows.risk).as_('risk'),
            cls.date.sql_cast(rows.date).as_('date'),
            cls.last_update.sql_cast(rows.last_update).as_('last_update'))


class WorkReport(metaclass=PoolMeta):
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def sections(cls, period, scope):
        sections = super().sections(period, scope)
        cls.add_company_section(sections, 'content',
            'hall.indicator.content.board', '政府网站与政务新媒体',
            rules.content_sentence)
        return sections
