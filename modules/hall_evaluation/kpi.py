# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""好差评 indicators aggregated in the database, by month, window, clerk,
department and service:

- satisfaction rate: ratings that are not bad ÷ ratings;
- composite score: the average of the ratings on 10 points;
- rating rate (参评率): completed applications rated ÷ completed
  applications;
- bad ratings;
- rectification rate: rectifications rectified or closed ÷ rectifications;
- on-time rate: rectified no later than the deadline ÷ rectified.

Ratings count by the day they were given, applications by the day they were
completed, rectifications by the day they were opened, all in the company's
time zone; invalid ratings and rectifications do not count.
"""
from sql import Literal, Null, Union
from sql.aggregate import Min, Sum
from sql.conditionals import Case
from sql.functions import DateTrunc

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.modules.hall.period import (
    CompanyPeriodContextMixin, hall_where)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .rating_rules import BAD_LEVELS

DONE_STATES = ['rectified', 'closed']


class KPIContext(CompanyPeriodContextMixin, ModelView):
    __name__ = 'hall.evaluation.kpi.context'

    hall = fields.Many2One(
        'hall.hall', "Hall",
        domain=[('company', '=', Eval('company', -1))])


def _rate(numerator, denominator):
    return Case(
        (denominator > 0, numerator * 1.0 / denominator), else_=Null)


class _KPI(ContextCompanyMixin, ServerReadonlyMixin, ModelSQL, ModelView):
    "Common columns of the indicators"

    ratings = fields.Integer(lazy_gettext('hall_evaluation.msg_kpi_ratings'))
    bad = fields.Integer(lazy_gettext('hall_evaluation.msg_kpi_bad'))
    satisfaction_rate = fields.Float(
        lazy_gettext('hall_evaluation.msg_kpi_satisfaction_rate'),
        digits=(1, 4),
        help=lazy_gettext('hall_evaluation.msg_kpi_satisfaction_rate_help'))
    score = fields.Float(
        lazy_gettext('hall_evaluation.msg_kpi_score'), digits=(2, 2),
        help=lazy_gettext('hall_evaluation.msg_kpi_score_help'))
    completed = fields.Integer(
        lazy_gettext('hall_evaluation.msg_kpi_completed'),
        help=lazy_gettext('hall_evaluation.msg_kpi_completed_help'))
    rated = fields.Integer(
        lazy_gettext('hall_evaluation.msg_kpi_rated'),
        help=lazy_gettext('hall_evaluation.msg_kpi_rated_help'))
    rating_rate = fields.Float(
        lazy_gettext('hall_evaluation.msg_kpi_rating_rate'), digits=(1, 4),
        help=lazy_gettext('hall_evaluation.msg_kpi_rating_rate_help'))
    rectifications = fields.Integer(
        lazy_gettext('hall_evaluation.msg_kpi_rectifications'))
    rectified = fields.Integer(
        lazy_gettext('hall_evaluation.msg_kpi_rectified'))
    rectification_rate = fields.Float(
        lazy_gettext('hall_evaluation.msg_kpi_rectification_rate'),
        digits=(1, 4),
        help=lazy_gettext('hall_evaluation.msg_kpi_rectification_rate_help'))
    on_time = fields.Integer(lazy_gettext('hall_evaluation.msg_kpi_on_time'))
    on_time_rate = fields.Float(
        lazy_gettext('hall_evaluation.msg_kpi_on_time_rate'), digits=(1, 4),
        help=lazy_gettext('hall_evaluation.msg_kpi_on_time_rate_help'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [(cls._dimension_name, 'ASC'), ('id', 'ASC')]

    @classmethod
    def _dimension(cls, source, table, service):
        """The column grouped on for a row of `source` ('rating',
        'application' or 'rectification') of `table`; `service` is the
        service of the application row.  By default the column of the
        dimension's name."""
        return getattr(table, cls._dimension_name)

    @classmethod
    def _period(cls, column):
        "The rows of the date `column` in the period of the context"
        context = Transaction().context
        where = Literal(True)
        if context.get('from_date'):
            where &= column >= context['from_date']
        if context.get('to_date'):
            where &= column <= context['to_date']
        return where

    @classmethod
    def _scope(cls, table):
        context = Transaction().context
        return ((table.company == context.get('company'))
            & hall_where(table.hall))

    @classmethod
    def _rows(cls):
        "One row per rating, completed application and rectification"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Application = pool.get('hall.application')
        Service = pool.get('hall.service')
        Rectification = pool.get('hall.evaluation.rectification')

        evaluation = Evaluation.__table__()
        ratings = evaluation.select(
            cls._dimension('rating', evaluation, None).as_('dimension'),
            (evaluation.id * 3).as_('row_id'),
            Literal(1).as_('ratings'),
            Case((evaluation.level.in_(list(BAD_LEVELS)), 1),
                else_=0).as_('bad'),
            Evaluation.points_column(evaluation).as_('points'),
            Literal(0).as_('completed'),
            Literal(0).as_('rated'),
            Literal(0).as_('rectifications'),
            Literal(0).as_('rectified'),
            Literal(0).as_('on_time'),
            where=cls._scope(evaluation)
            & (evaluation.validity != 'invalid')
            & cls._period(evaluation.rated_date))

        application = Application.__table__()
        service = Service.__table__()
        rated_evaluation = Evaluation.__table__()
        # an application has one rating at most (application_unique): a
        # join, not "IN (all the ratings)", which PostgreSQL runs row by row
        # once the ratings outgrow work_mem
        completed = (application
            .join(service, condition=application.service == service.id)
            .join(rated_evaluation, 'LEFT',
                condition=(rated_evaluation.application == application.id)
                & (rated_evaluation.validity != 'invalid'))
            .select(
                cls._dimension('application', application, service).as_(
                    'dimension'),
                (application.id * 3 + 1).as_('row_id'),
                Literal(0).as_('ratings'),
                Literal(0).as_('bad'),
                Literal(0).as_('points'),
                Literal(1).as_('completed'),
                Case((rated_evaluation.id != Null, 1), else_=0).as_('rated'),
                Literal(0).as_('rectifications'),
                Literal(0).as_('rectified'),
                Literal(0).as_('on_time'),
                where=cls._scope(application)
                & (application.state == 'completed')
                & cls._period(application.completed_date)))

        rectification = Rectification.__table__()
        done = rectification.state.in_(DONE_STATES)
        rectifications = rectification.select(
            cls._dimension('rectification', rectification, None).as_(
                'dimension'),
            (rectification.id * 3 + 2).as_('row_id'),
            Literal(0).as_('ratings'),
            Literal(0).as_('bad'),
            Literal(0).as_('points'),
            Literal(0).as_('completed'),
            Literal(0).as_('rated'),
            Literal(1).as_('rectifications'),
            Case((done, 1), else_=0).as_('rectified'),
            Case((done & (rectification.rectified_date
                        <= rectification.deadline), 1),
                else_=0).as_('on_time'),
            where=cls._scope(rectification)
            & (rectification.state != 'invalid')
            & cls._period(rectification.opened_date))
        return Union(ratings, completed, rectifications, all_=True)

    @classmethod
    def _id_column(cls, rows):
        return Min(rows.dimension)

    @classmethod
    def table_query(cls):
        rows = cls._rows()
        return rows.select(
            cls._id_column(rows).as_('id'),
            rows.dimension.as_(cls._dimension_name),
            *cls._figures(rows),
            where=rows.dimension != Null,
            group_by=[rows.dimension])

    @classmethod
    def _figures(cls, rows):
        "The aggregated columns of the figures over the `rows`"
        ratings = Sum(rows.ratings)
        bad = Sum(rows.bad)
        completed = Sum(rows.completed)
        rated = Sum(rows.rated)
        rectifications = Sum(rows.rectifications)
        rectified = Sum(rows.rectified)
        on_time = Sum(rows.on_time)
        return [
            ratings.as_('ratings'),
            bad.as_('bad'),
            _rate(ratings - bad, ratings).as_('satisfaction_rate'),
            _rate(Sum(rows.points), ratings).as_('score'),
            completed.as_('completed'),
            rated.as_('rated'),
            _rate(rated, completed).as_('rating_rate'),
            rectifications.as_('rectifications'),
            rectified.as_('rectified'),
            _rate(rectified, rectifications).as_('rectification_rate'),
            on_time.as_('on_time'),
            _rate(on_time, rectified).as_('on_time_rate'),
            ]


class KPIMonth(_KPI):
    "好差评 indicators by month"
    __name__ = 'hall.evaluation.kpi.month'
    _dimension_name = 'month'

    month = fields.Date("Month")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _dimension(cls, source, table, service):
        column = {
            'rating': 'rated_date',
            'application': 'completed_date',
            'rectification': 'opened_date',
            }[source]
        return cls.month.sql_cast(
            DateTrunc('month', getattr(table, column)))

    @classmethod
    def _id_column(cls, rows):
        return Min(rows.row_id)


class KPIWindow(_KPI):
    "好差评 indicators by window"
    __name__ = 'hall.evaluation.kpi.window'
    _dimension_name = 'window'

    window = fields.Many2One('hall.window', "Window")


class KPIClerk(_KPI):
    "好差评 indicators by clerk"
    __name__ = 'hall.evaluation.kpi.clerk'
    _dimension_name = 'clerk'

    clerk = fields.Many2One('company.employee', "Clerk")


class KPIDepartment(_KPI):
    "好差评 indicators by department"
    __name__ = 'hall.evaluation.kpi.department'
    _dimension_name = 'department'

    department = fields.Many2One('hall.department', "Department")

    @classmethod
    def _dimension(cls, source, table, service):
        if source == 'application':
            return service.department
        return super()._dimension(source, table, service)


class KPIService(_KPI):
    "好差评 indicators by service"
    __name__ = 'hall.evaluation.kpi.service'
    _dimension_name = 'service'

    service = fields.Many2One('hall.service', "Service")
