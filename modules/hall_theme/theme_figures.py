# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The figures of the themes (一件事) for any period and hall, in SQL: the
themes published, their applications and completion, and what a theme
saves against its services applied for one by one:

- materials (材料提交减少): 1 − the theme's materials (each once) ÷ its
  services' materials added up, over the published themes;
- visits (跑动减少): 1 − the visits made for the theme applications
  received in person ÷ the visits their services ask for applied for one
  by one in person (hall.service max_visits: one each, two for more than
  one visit), over the accepted ones;
- time (办理时间压缩): 1 − the working days the completed theme
  applications took ÷ their services' promised limits added up;
- rating coverage (评价覆盖率): the concluded theme applications rated
  (with hall_evaluation) ÷ the concluded ones.

The period is that of the reception (received_date)."""
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.operators import Exists

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.application import VISIT_CHANNELS
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import theme_rules


def _sum(condition, value=Literal(1)):
    return Coalesce(Sum(Case((condition, value), else_=Literal(0))),
        Literal(0))


def _saving(actual, separately):
    return Literal(1.0) - (actual * Literal(1.0) / NullIf(separately,
            Literal(0)))


def _rate(part, whole):
    return part * Literal(1.0) / NullIf(whole, Literal(0))


class ThemeFiguresContext(ModelView):
    "Theme Figures Context"
    __name__ = 'hall.theme.figures.context'

    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)
    hall = fields.Many2One('hall.hall', "Hall")

    @classmethod
    def default_from_date(cls):
        today = Pool().get('ir.date').today()
        return dt.date(today.year, 1, 1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class ThemeFiguresMixin(ServerReadonlyMixin):
    __slots__ = ()

    published = fields.Integer(
        "Themes Published", help="Published in the hall on the last day.")
    applications = fields.Integer("Theme Applications")
    accepted = fields.Integer("Accepted")
    completed = fields.Integer("Completed")
    completion_rate = fields.Float(
        "Completion Rate", digits=(1, 4),
        help="The accepted theme applications completed.")
    materials = fields.Integer(
        "Materials", help="The materials the themes ask for, each once.")
    separate_materials = fields.Integer(
        "Materials Separately",
        help="The materials of the themes' services added up.")
    materials_saving = fields.Float(
        "Materials Saved", digits=(1, 4),
        help="材料提交减少: 1 − materials ÷ materials separately.")
    visits = fields.Integer(
        "Visits", help="The visits made for the accepted theme "
        "applications received in person.")
    separate_visits = fields.Integer(
        "Visits Separately",
        help="The visits their services ask for applied for one by one "
        "in person.")
    visits_saving = fields.Float(
        "Visits Saved", digits=(1, 4),
        help="跑动减少: 1 − visits ÷ visits separately.")
    days = fields.Integer(
        "Working Days Taken",
        help="The working days the completed theme applications took.")
    separate_days = fields.Integer(
        "Promised Days Separately",
        help="Their services' promised limits added up.")
    time_saving = fields.Float(
        "Time Saved", digits=(1, 4),
        help="办理时间压缩: 1 − days taken ÷ promised days separately.")
    concluded = fields.Integer(
        "Concluded", help="Theme applications whose every application "
        "is decided.")
    rated = fields.Integer("Rated", help="Concluded and rated.")
    rating_coverage = fields.Float(
        "Rating Coverage", digits=(1, 4),
        help="评价覆盖率: concluded theme applications rated.")

    @classmethod
    def _rated_applications(cls):
        """The query of the ids of the theme applications rated, None
        without ratings (hall_evaluation)"""
        return None

    @classmethod
    def _per_theme(cls):
        "The query of the figures per theme of the context"
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeHall = pool.get('hall.theme-hall.hall')
        ThemeApplication = pool.get('hall.theme.application')
        ThemeMaterial = pool.get('hall.theme.material')
        Step = pool.get('hall.theme.step')
        Service = pool.get('hall.service')
        Material = pool.get('hall.service.material')
        context = Transaction().context
        today = pool.get('ir.date').today()
        from_date = context.get('from_date') or dt.date(today.year, 1, 1)
        to_date = context.get('to_date') or today
        hall = context.get('hall')

        theme = Theme.__table__()
        theme_hall = ThemeHall.__table__()
        application = ThemeApplication.__table__()
        step, service = Step.__table__(), Service.__table__()
        material = Material.__table__()
        combined = ThemeMaterial.table_query()

        visits = Case(*[(service.max_visits == k, Literal(v))
                for k, v in theme_rules.VISITS.items()],
            else_=Literal(max(theme_rules.VISITS.values())))
        plan = step.join(service, condition=step.service == service.id
            ).select(step.theme.as_('theme'),
                Sum(visits).as_('visits'),
                Sum(Coalesce(service.promised_limit, Literal(0))).as_(
                    'promised'),
                group_by=[step.theme])
        separate = step.join(material,
            condition=material.service == step.service).select(
            step.theme.as_('theme'), Count(material.id).as_('materials'),
            group_by=[step.theme])
        once = combined.select(combined.theme.as_('theme'),
            Count(combined.id).as_('materials'), group_by=[combined.theme])

        where = ((application.state != 'draft')
            & (application.received_date >= from_date)
            & (application.received_date <= to_date))
        if hall:
            where &= application.hall == hall
        rated_ids = cls._rated_applications()
        is_rated = (application.id.in_(rated_ids) if rated_ids is not None
            else Literal(False))
        accepted = application.accepted_date != Null
        in_person = application.channel.in_(list(VISIT_CHANNELS))
        completed = application.state == 'completed'
        concluded = application.completed_date != Null
        applications = application.join(plan, 'LEFT',
            condition=plan.theme == application.theme).select(
            application.theme.as_('theme'),
            Count(application.id).as_('applications'),
            _sum(accepted).as_('accepted'),
            _sum(completed).as_('completed'),
            _sum(accepted & in_person, application.visits).as_('visits'),
            _sum(accepted & in_person, plan.visits).as_('separate_visits'),
            _sum(completed, application.actual_days).as_('days'),
            _sum(completed, plan.promised).as_('separate_days'),
            _sum(concluded).as_('concluded'),
            _sum(concluded & is_rated).as_('rated'),
            where=where, group_by=[application.theme])

        in_hall = Literal(True)
        if hall:
            in_hall = Exists(theme_hall.select(Literal(1),
                    where=(theme_hall.theme == theme.id)
                    & (theme_hall.hall == hall)))
        published = ((theme.state == 'published') & in_hall
            & (theme.published_date <= to_date))
        query = (theme
            .join(applications, 'LEFT',
                condition=applications.theme == theme.id)
            .join(once, 'LEFT', condition=once.theme == theme.id)
            .join(separate, 'LEFT', condition=separate.theme == theme.id))
        zero = Literal(0)
        return query.select(
            theme.id.as_('id'),
            theme.id.as_('theme'),
            Case((published, Literal(1)), else_=zero).as_('published'),
            Case((published, Coalesce(once.materials, zero)),
                else_=zero).as_('materials'),
            Case((published, Coalesce(separate.materials, zero)),
                else_=zero).as_('separate_materials'),
            *[Coalesce(getattr(applications, n), zero).as_(n)
                for n in ['applications', 'accepted', 'completed', 'visits',
                    'separate_visits', 'days', 'separate_days', 'concluded',
                    'rated']],
            where=published | (applications.theme != Null))

    @classmethod
    def _rates(cls, table, aggregate=lambda c: c):
        "The counts of `table` and the rates made of them"
        def column(name):
            return aggregate(getattr(table, name))
        # a sum of sums is a numeric on PostgreSQL: the counts are integers
        counts = [cls._fields[n].sql_cast(column(n)).as_(n) for n in [
                'published', 'applications',
                'accepted', 'completed', 'materials', 'separate_materials',
                'visits', 'separate_visits', 'days', 'separate_days',
                'concluded', 'rated']]
        return counts + [
            _rate(column('completed'), column('accepted')).as_(
                'completion_rate'),
            _saving(column('materials'), column('separate_materials')).as_(
                'materials_saving'),
            _saving(column('visits'), column('separate_visits')).as_(
                'visits_saving'),
            _saving(column('days'), column('separate_days')).as_(
                'time_saving'),
            _rate(column('rated'), column('concluded')).as_(
                'rating_coverage'),
            ]


class ThemeFigures(ThemeFiguresMixin, ModelSQL, ModelView):
    "Theme Figures by Theme"
    __name__ = 'hall.theme.figures'

    theme = fields.Many2One('hall.theme', "Theme")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('applications', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        per_theme = cls._per_theme()
        return per_theme.select(per_theme.id, per_theme.theme,
            *cls._rates(per_theme))


class ThemeFiguresSummary(ThemeFiguresMixin, ModelSQL, ModelView):
    "Theme Figures"
    __name__ = 'hall.theme.figures.summary'

    @classmethod
    def table_query(cls):
        per_theme = cls._per_theme()
        return per_theme.select(Literal(1).as_('id'),
            *cls._rates(per_theme,
                lambda c: Coalesce(Sum(c), Literal(0))))
