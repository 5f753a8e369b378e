# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The indicators of the applications (办件) of the halls, aggregated in the
database, for any period and any scope of halls.

An application counts in the period in which it was received (收件); the
figures of what became of it (办结, 按时办结, 最多跑一次) count what had
happened by the end of the period (today for a period not ended), so a
period's figures stay the same once it is over."""
from sql import Column, Literal, Null
from sql.aggregate import Avg, Count, Min, Sum
from sql.conditionals import Case, NullIf
from sql.functions import DateTrunc

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.modules.hall.period import (
    CompanyPeriodContextMixin, hall_where)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .board import BoardMixin, change_field
from .hall import scope_halls
from .indicator_rules import period_end, year_start

CONCLUDED = ['approved', 'rejected', 'completed']


class ScopeContextMixin:
    "The halls an indicator covers: one, one with those below, or all"
    __slots__ = ()

    hall = fields.Many2One(
        'hall.hall', lazy_gettext('hall_indicators.msg_scope_hall'),
        domain=[('company', '=', Eval('company', -1))],
        help=lazy_gettext('hall_indicators.msg_scope_hall_help'))
    sub_halls = fields.Boolean(
        lazy_gettext('hall_indicators.msg_scope_sub_halls'),
        states={'invisible': ~Eval('hall')},
        help=lazy_gettext('hall_indicators.msg_scope_sub_halls_help'))

    @classmethod
    def default_sub_halls(cls):
        return True


class IndicatorContext(
        ScopeContextMixin, CompanyPeriodContextMixin, ServerReadonlyMixin,
        ModelView):
    "Period and halls of the indicators"
    __name__ = 'hall.indicator.context'

    @classmethod
    def default_from_date(cls):
        return year_start(company_today())

    @classmethod
    def default_to_date(cls):
        return company_today()


class ApplicationIndicatorMixin(ContextCompanyMixin, ServerReadonlyMixin):
    """The figures of the applications received in the period, grouped by
    what `_dimensions` returns"""
    __slots__ = ()

    received = fields.Integer(
        lazy_gettext('hall_indicators.msg_received'),
        help=lazy_gettext('hall_indicators.msg_received_help'))
    withdrawn = fields.Integer(lazy_gettext('hall_indicators.msg_withdrawn'))
    concluded = fields.Integer(
        lazy_gettext('hall_indicators.msg_concluded'),
        help=lazy_gettext('hall_indicators.msg_concluded_help'))
    rejected = fields.Integer(lazy_gettext('hall_indicators.msg_rejected'))
    in_progress = fields.Integer(
        lazy_gettext('hall_indicators.msg_in_progress'))
    conclusion_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_conclusion_rate'), digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_conclusion_rate_help'))
    on_time = fields.Integer(lazy_gettext('hall_indicators.msg_on_time'))
    on_time_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_on_time_rate'), digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_on_time_rate_help'))
    immediate = fields.Integer(lazy_gettext('hall_indicators.msg_immediate'))
    immediate_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_immediate_rate'), digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_immediate_rate_help'))
    online = fields.Integer(lazy_gettext('hall_indicators.msg_online'))
    online_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_online_rate'), digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_online_rate_help'))
    one_visit = fields.Integer(lazy_gettext('hall_indicators.msg_one_visit'))
    one_visit_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_one_visit_rate'), digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_one_visit_rate_help'))
    average_days = fields.Float(
        lazy_gettext('hall_indicators.msg_average_days'), digits=(6, 2),
        help=lazy_gettext('hall_indicators.msg_average_days_help'))

    @classmethod
    def _dimensions(cls, application, service):
        "The (name, SQL expression) to group by"
        return []

    @classmethod
    def _where(cls, application, from_date, to_date):
        context = Transaction().context
        where = application.company == context.get('company', -1)
        where &= application.received_date != Null
        if from_date:
            where &= application.received_date >= from_date
        if to_date:
            where &= application.received_date <= to_date
        return where & hall_where(application.hall)

    @classmethod
    def table_query(cls):
        context = Transaction().context
        from_date, to_date = context.get('from_date'), context.get('to_date')
        with Transaction().set_context(halls=scope_halls()):
            return cls._figures(
                from_date, to_date, period_end(to_date, company_today()))

    @classmethod
    def _figures(cls, from_date, to_date, end, id_=None):
        """The figures of the applications received from `from_date` to
        `to_date` (None: no limit) as they stood on `end`, with `id_` as
        the id (the smallest application's id without one)"""
        pool = Pool()
        Application = pool.get('hall.application')
        Service = pool.get('hall.service')
        application = Application.__table__()
        service = Service.__table__()

        concluded = (application.state.in_(CONCLUDED)
            & (application.decision_date <= end))
        withdrawn = application.state == 'withdrawn'
        counted = Case((withdrawn, 0), else_=1)
        dimensions = cls._dimensions(application, service)
        # Group in an outer query: PostgreSQL refuses to group by an
        # expression holding a parameter.
        rows = application.join(service,
            condition=application.service == service.id
            ).select(
                application.id.as_('id'),
                counted.as_('counted'),
                Case((withdrawn, 1), else_=0).as_('withdrawn'),
                Case((concluded, 1), else_=0).as_('concluded'),
                Case((concluded & (application.state == 'rejected'), 1),
                    else_=0).as_('rejected'),
                Case((concluded
                        & (application.decision_date
                            <= application.promised_due_date), 1),
                    else_=0).as_('on_time'),
                Case((~withdrawn & (service.promised_limit == 0), 1),
                    else_=0).as_('immediate'),
                Case((~withdrawn & (application.channel == 'online'), 1),
                    else_=0).as_('online'),
                Case((concluded & (application.visits <= 1), 1),
                    else_=0).as_('one_visit'),
                Case(((application.state == 'completed')
                        & (application.completed_date <= end),
                        application.actual_days),
                    else_=Null).as_('days'),
                *(expression.as_(name) for name, expression in dimensions),
                where=cls._where(application, from_date, to_date))
        received = Count(rows.id)
        counted = Sum(rows.counted)
        concluded = Sum(rows.concluded)

        def rate(numerator, denominator, field):
            return field.sql_cast(
                numerator * Literal(1.0) / NullIf(denominator, 0))
        return rows.select(
            (Min(rows.id) if id_ is None else Literal(id_)).as_('id'),
            *(Column(rows, name).as_(name) for name, _ in dimensions),
            received.as_('received'),
            Sum(rows.withdrawn).as_('withdrawn'),
            concluded.as_('concluded'),
            Sum(rows.rejected).as_('rejected'),
            (counted - concluded).as_('in_progress'),
            rate(concluded, counted, cls.conclusion_rate).as_(
                'conclusion_rate'),
            Sum(rows.on_time).as_('on_time'),
            rate(Sum(rows.on_time), concluded, cls.on_time_rate).as_(
                'on_time_rate'),
            Sum(rows.immediate).as_('immediate'),
            rate(Sum(rows.immediate), counted, cls.immediate_rate).as_(
                'immediate_rate'),
            Sum(rows.online).as_('online'),
            rate(Sum(rows.online), counted, cls.online_rate).as_(
                'online_rate'),
            Sum(rows.one_visit).as_('one_visit'),
            rate(Sum(rows.one_visit), concluded, cls.one_visit_rate).as_(
                'one_visit_rate'),
            cls.average_days.sql_cast(
                Avg(rows.days * Literal(1.0))).as_('average_days'),
            group_by=[Column(rows, name) for name, _ in dimensions] or None,
            having=(received > 0) if id_ is None else None)


class ApplicationIndicator(ApplicationIndicatorMixin, ModelSQL, ModelView):
    "Applications of the period, in all"
    __name__ = 'hall.indicator.application'


class ApplicationIndicatorMonth(
        ApplicationIndicatorMixin, ModelSQL, ModelView):
    "Applications by month"
    __name__ = 'hall.indicator.application.month'

    month = fields.Date(lazy_gettext('hall_indicators.msg_month'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _dimensions(cls, application, service):
        return [('month', cls.month.sql_cast(
                    DateTrunc('month', application.received_date)))]


class ApplicationIndicatorHall(
        ApplicationIndicatorMixin, ModelSQL, ModelView):
    "Applications by hall"
    __name__ = 'hall.indicator.application.hall'

    hall = fields.Many2One(
        'hall.hall', lazy_gettext('hall_indicators.msg_hall'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _dimensions(cls, application, service):
        return [('hall', application.hall)]


class ApplicationIndicatorDepartment(
        ApplicationIndicatorMixin, ModelSQL, ModelView):
    "Applications by department"
    __name__ = 'hall.indicator.application.department'

    department = fields.Many2One(
        'hall.department', lazy_gettext('hall_indicators.msg_department'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _dimensions(cls, application, service):
        return [('department', service.department)]


class ApplicationIndicatorBoard(
        BoardMixin, ApplicationIndicatorMixin, ModelSQL, ModelView):
    """Applications of this month and this year to today, beside the same
    spans of last year: the leadership's board"""
    __name__ = 'hall.indicator.application.board'
    _board_action = 'hall.act_application_form'
    _board_date = 'received_date'
    _board_changes = {
        'received': 'received_change',
        'concluded': 'concluded_change',
        'conclusion_rate': 'conclusion_rate_change',
        }

    received_change = change_field(
        lazy_gettext('hall_indicators.msg_received_change'))
    concluded_change = change_field(
        lazy_gettext('hall_indicators.msg_concluded_change'))
    conclusion_rate_change = change_field(
        lazy_gettext('hall_indicators.msg_conclusion_rate_change'))

    @classmethod
    def _board_figures(cls, from_date, to_date, id_):
        return cls._figures(from_date, to_date, to_date, id_=id_)
