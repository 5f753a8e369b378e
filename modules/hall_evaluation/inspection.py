# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Window inspections (窗口监督检查) and the quarterly bulletin (通报)."""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields,
    sequence_ordered)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.modules.hall.report import HallReport
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import InspectionError, InspectionValidationError
from .rating_rules import (
    bulletin_number, percentage, quarter_of, quarter_range)

_draft = {'readonly': Eval('state') != 'draft'}


class Criterion(
        ServerReadonlyMixin, sequence_ordered(), DeactivableMixin, ModelSQL,
        ModelView):
    "Inspection criterion (检查项目)"
    __name__ = 'hall.inspection.criterion'

    name = fields.Char("Name", required=True, translate=True)
    max_score = fields.Integer(
        "Maximum Score", required=True,
        domain=[('max_score', '>', 0)])
    description = fields.Text("Description", translate=True)

    @classmethod
    def default_max_score(cls):
        return 20


class Inspection(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.inspection'
    _history = True
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    date = fields.Date("Date", required=True, states=_draft)
    inspector = fields.Many2One(
        'company.employee', "Inspector", required=True, states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    other_inspectors = fields.Char(
        "Other Inspectors", states=_draft,
        help="The other members of the inspection team.")
    windows = fields.Many2Many(
        'hall.inspection-hall.window', 'inspection', 'window', "Windows",
        domain=[('hall', '=', Eval('hall', -1))], states=_draft)
    scores = fields.One2Many(
        'hall.inspection.score', 'inspection', "Scores", states=_draft)
    note = fields.Text("Note")
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_evaluation.msg_inspection_number_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'fill': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-list',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_inspector(cls):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        return user.employee.id if user.employee else None

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        config = Configuration(1)
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not values.get('number'):
                values['number'] = config.inspection_sequence.get()
        return super().create(vlist)

    @classmethod
    def copy(cls, inspections, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('scores', None)
        return super().copy(inspections, default=default)

    @classmethod
    def check_modification(
            cls, mode, inspections, values=None, external=False):
        super().check_modification(
            mode, inspections, values=values, external=external)
        if mode == 'delete':
            for inspection in inspections:
                if inspection.state == 'done':
                    raise InspectionError(gettext(
                            'hall_evaluation.msg_inspection_delete_done',
                            inspection=inspection.rec_name))

    @classmethod
    @ModelView.button
    def fill(cls, inspections):
        """Add a line with full marks for each window and active criterion
        still without one"""
        pool = Pool()
        Criterion = pool.get('hall.inspection.criterion')
        Score = pool.get('hall.inspection.score')
        criteria = Criterion.search([])
        to_create = []
        for inspection in inspections:
            existing = {(s.window.id, s.criterion.id)
                for s in inspection.scores}
            for window in inspection.windows:
                for criterion in criteria:
                    if (window.id, criterion.id) in existing:
                        continue
                    to_create.append({
                            'inspection': inspection.id,
                            'window': window.id,
                            'criterion': criterion.id,
                            'score': criterion.max_score,
                            })
        Score.create(to_create)

    @classmethod
    @ModelView.button
    @strict_transition('done')
    def done(cls, inspections):
        pool = Pool()
        Criterion = pool.get('hall.inspection.criterion')
        Rectification = pool.get('hall.evaluation.rectification')
        criteria = Criterion.search([])
        for inspection in inspections:
            inspection.check_complete(criteria)
        findings = [s for i in inspections for s in i.scores
            if s.rectify and not s.rectification]
        Rectification.create_from_findings(findings)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, inspections):
        pass

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def draft(cls, inspections):
        pass

    def check_complete(self, criteria):
        if not self.windows:
            raise InspectionError(gettext(
                    'hall_evaluation.msg_inspection_no_windows',
                    inspection=self.rec_name))
        scored = {(s.window.id, s.criterion.id) for s in self.scores}
        for window in self.windows:
            for criterion in criteria:
                if (window.id, criterion.id) not in scored:
                    raise InspectionError(gettext(
                            'hall_evaluation.msg_inspection_incomplete',
                            inspection=self.rec_name,
                            window=window.rec_name,
                            criterion=criterion.rec_name))


class InspectionWindow(ModelSQL):
    "Windows inspected"
    __name__ = 'hall.inspection-hall.window'

    inspection = fields.Many2One(
        'hall.inspection', "Inspection", required=True, ondelete='CASCADE')
    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('inspection_window_unique', Unique(t, t.inspection, t.window),
                'hall_evaluation.msg_inspection_window_unique'),
            ]


class Score(ServerReadonlyMixin, ModelSQL, ModelView):
    "Score of a window on a criterion"
    __name__ = 'hall.inspection.score'

    inspection = fields.Many2One(
        'hall.inspection', "Inspection", required=True, ondelete='CASCADE')
    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='RESTRICT',
        domain=[('id', 'in', Eval('inspection_windows', []))])
    inspection_windows = fields.Function(
        fields.Many2Many('hall.window', None, None, "Inspected Windows"),
        'on_change_with_inspection_windows')
    criterion = fields.Many2One(
        'hall.inspection.criterion', "Criterion", required=True,
        ondelete='RESTRICT')
    max_score = fields.Function(
        fields.Integer("Maximum"), 'on_change_with_max_score')
    score = fields.Numeric("Score", digits=(4, 1), required=True)
    finding = fields.Text(
        "Finding", states={'required': Eval('rectify', False)},
        help="The problem found, as published in the bulletin.")
    rectify = fields.Boolean(
        "To Rectify", help="The finding opens a rectification.")
    rectification = fields.Many2One(
        'hall.evaluation.rectification', "Rectification", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('window_criterion_unique',
                Unique(t, t.inspection, t.window, t.criterion),
                'hall_evaluation.msg_inspection_score_unique'),
            ]
        cls._order = [
            ('inspection', 'DESC'), ('window', 'ASC'), ('criterion', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def default_rectify(cls):
        return False

    @fields.depends('inspection', '_parent_inspection.windows')
    def on_change_with_inspection_windows(self, name=None):
        if self.inspection:
            return [w.id for w in self.inspection.windows]
        return []

    @fields.depends('criterion')
    def on_change_with_max_score(self, name=None):
        return self.criterion.max_score if self.criterion else None

    @fields.depends('criterion', 'score')
    def on_change_criterion(self):
        if self.criterion and self.score is None:
            self.score = self.criterion.max_score

    def get_rec_name(self, name):
        return f'{self.window.rec_name} · {self.criterion.rec_name}'

    @classmethod
    def validate_fields(cls, scores, field_names):
        super().validate_fields(scores, field_names)
        for score in scores:
            score.check_score()
            score.check_finding()

    def check_score(self):
        if not (0 <= self.score <= self.criterion.max_score):
            raise InspectionValidationError(gettext(
                    'hall_evaluation.msg_inspection_score_range',
                    window=self.window.rec_name,
                    criterion=self.criterion.rec_name,
                    max=self.criterion.max_score))

    def check_finding(self):
        if self.rectify and not (self.finding or '').strip():
            raise InspectionValidationError(gettext(
                    'hall_evaluation.msg_inspection_finding',
                    window=self.window.rec_name,
                    criterion=self.criterion.rec_name))



class QuarterContext(ModelView):
    __name__ = 'hall.inspection.quarter.context'

    company = fields.Many2One('company.company', "Company", required=True)
    hall = fields.Many2One(
        'hall.hall', "Hall",
        domain=[('company', '=', Eval('company', -1))])
    year = fields.Integer("Year", required=True)
    quarter = fields.Selection([
            (1, "First Quarter"),
            (2, "Second Quarter"),
            (3, "Third Quarter"),
            (4, "Fourth Quarter"),
            ], "Quarter", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_year(cls):
        return cls._last_quarter()[0]

    @classmethod
    def default_quarter(cls):
        return cls._last_quarter()[1]

    @classmethod
    def _last_quarter(cls):
        "The quarter that ended last"
        today = Pool().get('ir.date').today()
        start, _ = quarter_range(today.year, quarter_of(today))
        previous = start - dt.timedelta(days=1)
        return previous.year, quarter_of(previous)


def context_quarter():
    "The year, quarter and their first and last days from the context"
    context = Transaction().context
    today = Pool().get('ir.date').today()
    year = context.get('year') or today.year
    quarter = context.get('quarter') or quarter_of(today)
    return (year, quarter, *quarter_range(int(year), int(quarter)))


class QuarterResult(ServerReadonlyMixin, ModelSQL, ModelView):
    "Inspection results of the windows in a quarter"
    __name__ = 'hall.inspection.quarter'

    hall = fields.Many2One('hall.hall', "Hall")
    window = fields.Many2One('hall.window', "Window")
    inspections = fields.Integer("Inspections")
    points = fields.Numeric("Points", digits=(6, 1))
    max_points = fields.Integer("Maximum Points")
    score = fields.Float(
        "Score", digits=(3, 1), help="Points scored out of 100.")
    findings = fields.Integer("Findings")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('score', 'DESC'), ('window', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Inspection = pool.get('hall.inspection')
        Score = pool.get('hall.inspection.score')
        Criterion = pool.get('hall.inspection.criterion')
        inspection = Inspection.__table__()
        score = Score.__table__()
        criterion = Criterion.__table__()
        context = Transaction().context
        _, _, start, end = context_quarter()
        where = ((inspection.state == 'done')
            & (inspection.company == context.get('company'))
            & (inspection.date >= start) & (inspection.date <= end))
        if context.get('hall'):
            where &= inspection.hall == context['hall']
        points = Sum(score.score)
        max_points = Sum(criterion.max_score)
        return (score
            .join(inspection, condition=score.inspection == inspection.id)
            .join(criterion, condition=score.criterion == criterion.id)
            .select(
                score.window.as_('id'),
                inspection.hall.as_('hall'),
                score.window.as_('window'),
                Count(inspection.id, distinct=True).as_('inspections'),
                points.as_('points'),
                max_points.as_('max_points'),
                Case((max_points > 0, points * 100.0 / max_points),
                    else_=Null).as_('score'),
                Sum(Case((score.rectify == True, 1),  # noqa: E712
                        else_=0)).as_('findings'),
                where=where,
                group_by=[score.window, inspection.hall]))


class Bulletin(HallReport):
    "Quarterly bulletin of the window inspections (通报)"
    __name__ = 'hall.inspection.bulletin'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Score = pool.get('hall.inspection.score')
        Hall = pool.get('hall.hall')
        context = super().get_context(records, header, data)
        year, quarter, start, end = context_quarter()
        ranking = sorted(records,
            key=lambda r: (-(r.score or 0), r.window.number))
        ranked = []
        previous, previous_rank = None, 0
        for position, record in enumerate(ranking, 1):
            if record.score != previous:
                previous, previous_rank = record.score, position
            ranked.append((previous_rank, record))
        windows = [r.window.id for r in records]
        findings = Score.search([
                ('inspection.state', '=', 'done'),
                ('inspection.date', '>=', start),
                ('inspection.date', '<=', end),
                ('window', 'in', windows),
                ('finding', '!=', None),
                ('finding', '!=', ''),
                ], order=[('inspection.date', 'ASC'), ('id', 'ASC')])
        halls = {r.hall for r in records if r.hall}
        hall_id = Transaction().context.get('hall')
        hall = Hall(hall_id) if hall_id else (
            halls.pop() if len(halls) == 1 else None)
        context.update({
                'year': year,
                'quarter': quarter,
                'start': start,
                'end': end,
                'ranked': ranked,
                'findings': findings,
                'hall': hall,
                'percentage': percentage,
                'document_number': bulletin_number(
                    hall.code if hall else None, year, quarter),
                })
        return context
