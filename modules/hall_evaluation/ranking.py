# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Monthly window ranking by composite score, with the talks (约谈) of the
windows ranked last two months running."""
from sql import Null
from sql.aggregate import Avg, Count, Sum

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .rating_rules import (
    composite_score, next_month, previous_month, rank, to_talk)


def _round(value):
    "Scores are kept and ranked to the hundredth"
    return round(value, 2) if value is not None else None


class Ranking(ServerReadonlyMixin, ModelSQL, ModelView):
    "Monthly window ranking (窗口月度排名)"
    __name__ = 'hall.evaluation.ranking'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, readonly=True,
        ondelete='CASCADE')
    month = fields.Date("Month", required=True, readonly=True)
    window = fields.Many2One(
        'hall.window', "Window", required=True, readonly=True,
        ondelete='CASCADE')
    ratings = fields.Integer("Ratings", readonly=True)
    rating_score = fields.Float(
        "Rating Score", digits=(2, 2), readonly=True,
        help="Average of the ratings on 10 points.")
    inspection_score = fields.Float(
        "Inspection Score", digits=(2, 2), readonly=True,
        help="Inspection points on 10 points.")
    score = fields.Float(
        "Composite Score", digits=(2, 2), readonly=True)
    rank = fields.Integer("Rank", readonly=True)
    last = fields.Boolean("Ranked Last", readonly=True)
    talk = fields.Boolean(
        "Talk", readonly=True,
        help="Ranked last this month and the month before: the window is "
        "called in for a talk (约谈).")
    talk_note = fields.Text(
        "Talk Record", states={'invisible': ~Eval('talk')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(
                t, (t.hall, Index.Equality()), (t.month, Index.Range())))
        cls._order = [
            ('month', 'DESC'), ('hall', 'ASC'), ('rank', 'ASC'),
            ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.month:%Y-%m} {self.window.rec_name}'

    @classmethod
    def window_scores(cls, hall, month):
        """{window id: (ratings, rating score, inspection score)} of the
        windows of `hall` rated or inspected in the month of `month`,
        aggregated in SQL"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Inspection = pool.get('hall.inspection')
        Score = pool.get('hall.inspection.score')
        Criterion = pool.get('hall.inspection.criterion')
        cursor = Transaction().connection.cursor()
        start, end = month, next_month(month)
        scores = {}

        evaluation = Evaluation.__table__()
        cursor.execute(*evaluation.select(
                evaluation.window,
                Count(evaluation.id),
                Avg(Evaluation.points_column(evaluation) * 1.0),
                where=(evaluation.hall == hall.id)
                & (evaluation.window != Null)
                & (evaluation.validity != 'invalid')
                & (evaluation.rated_date >= start)
                & (evaluation.rated_date < end),
                group_by=[evaluation.window]))
        for window, count, average in cursor:
            scores[window] = [count, float(average), None]

        inspection = Inspection.__table__()
        score = Score.__table__()
        criterion = Criterion.__table__()
        cursor.execute(*score
            .join(inspection, condition=score.inspection == inspection.id)
            .join(criterion, condition=score.criterion == criterion.id)
            .select(
                score.window,
                Sum(score.score) * 10.0 / Sum(criterion.max_score),
                where=(inspection.hall == hall.id)
                & (inspection.state == 'done')
                & (inspection.date >= start) & (inspection.date < end),
                group_by=[score.window]))
        for window, value in cursor:
            scores.setdefault(window, [0, None, None])[2] = float(value)
        return {w: tuple(v) for w, v in scores.items()}

    @classmethod
    def compute(cls, hall, month):
        "Rank the windows of `hall` for the month of `month`"
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        weight = Configuration(1).rating_weight
        month = month.replace(day=1)
        scores = cls.window_scores(hall, month)
        composite = {
            window: _round(composite_score(rating, inspection, weight))
            for window, (_, rating, inspection) in scores.items()}
        ranks = rank(composite)
        before = cls.search([
                ('hall', '=', hall.id),
                ('month', '=', previous_month(month)),
                ('last', '=', True),
                ])
        last_now = {w for w, (_, last) in ranks.items() if last}
        talks = to_talk(last_now, {r.window.id for r in before})
        old = cls.search([('hall', '=', hall.id), ('month', '=', month)])
        notes = {r.window.id: r.talk_note for r in old if r.talk_note}
        cls.delete(old)
        return cls.create([{
                    'company': hall.company.id,
                    'hall': hall.id,
                    'month': month,
                    'window': window,
                    'ratings': scores[window][0],
                    'rating_score': _round(scores[window][1]),
                    'inspection_score': _round(scores[window][2]),
                    'score': composite[window],
                    'rank': ranks[window][0],
                    'last': ranks[window][1],
                    'talk': window in talks,
                    'talk_note': notes.get(window),
                    } for window in sorted(composite)])

    @classmethod
    def compute_last_month(cls):
        """Cron: rank the windows of every hall (of the company of the
        context) for the month just ended in the hall's time zone"""
        pool = Pool()
        Hall = pool.get('hall.hall')
        company = Transaction().context.get('company')
        domain = [('company', '=', company)] if company else []
        for hall in Hall.search(domain):
            cls.compute(hall, previous_month(company_today(hall.company)))


class RankingComputeStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.evaluation.ranking.compute.start'

    hall = fields.Many2One('hall.hall', "Hall", required=True)
    month = fields.Date(
        "Month", required=True, help="Any day of the month to rank.")

    @classmethod
    def default_hall(cls):
        pool = Pool()
        Hall = pool.get('hall.hall')
        halls = Hall.search([], limit=2)
        if len(halls) == 1:
            return halls[0].id

    @classmethod
    def default_month(cls):
        return previous_month(Pool().get('ir.date').today())


class RankingCompute(CheckedWizardMixin, Wizard):
    "Rank the windows of a month"
    __name__ = 'hall.evaluation.ranking.compute'

    start = StateView(
        'hall.evaluation.ranking.compute.start',
        'hall_evaluation.ranking_compute_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Rank", 'compute', 'tryton-ok', default=True),
            ])
    compute = StateTransition()

    def transition_compute(self):
        pool = Pool()
        Ranking = pool.get('hall.evaluation.ranking')
        Ranking.compute(self.start.hall, self.start.month)
        return 'end'
