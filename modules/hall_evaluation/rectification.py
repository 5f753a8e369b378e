# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rectifications (整改单) of bad ratings and of inspection findings."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import NextStepMixin, ServerReadonlyMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction

from .exceptions import RectificationAccessError, RectificationError

STATES = [
    ('open', "Open"),
    ('verified', "Verified"),
    ('rectified', "Rectified"),
    ('closed', "Closed"),
    ('invalid', "Invalid"),
    ]
SOURCES = [
    ('rating', "Bad Rating"),
    ('inspection', "Inspection Finding"),
    ]
OPEN_STATES = ['open', 'verified']
# The rectification is done in these states (整改完成)
DONE_STATES = ['rectified', 'closed']

_readonly_done = {
    'readonly': Eval('state').in_(['rectified', 'closed', 'invalid']),
    }


class Rectification(
        NextStepMixin, ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.evaluation.rectification'
    _next_step_messages = 'hall_evaluation.msg_rectification_next'
    _history = True
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    source = fields.Selection(
        SOURCES, "Source", required=True, readonly=True)
    evaluation = fields.Many2One(
        'hall.evaluation', "Rating", readonly=True, ondelete='RESTRICT',
        states={'invisible': Eval('source') != 'rating'})
    inspection_score = fields.Many2One(
        'hall.inspection.score', "Inspection Finding", readonly=True,
        ondelete='RESTRICT',
        states={'invisible': Eval('source') != 'inspection'})
    hall = fields.Many2One(
        'hall.hall', "Hall", readonly=True, ondelete='RESTRICT')
    window = fields.Many2One(
        'hall.window', "Window", readonly=True, ondelete='RESTRICT')
    clerk = fields.Many2One(
        'company.employee', "Clerk", readonly=True, ondelete='RESTRICT')
    service = fields.Many2One(
        'hall.service', "Service", readonly=True, ondelete='RESTRICT')
    department = fields.Many2One(
        'hall.department', "Responsible Department", ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'open'})
    supervisor = fields.Many2One(
        'res.user', "Supervisor", ondelete='RESTRICT',
        domain=[('groups', '=',
                Id('hall_evaluation', 'group_evaluation_supervisor'))],
        states=_readonly_done,
        help="The evaluation supervisor who follows the rectification.")
    problem = fields.Text("Problem", readonly=True)
    opened_date = fields.Date("Opened", readonly=True)
    deadline = fields.Date(
        "Deadline", readonly=True,
        help="Counted in working days from the opening.")
    overdue = fields.Boolean(
        "Overdue", readonly=True,
        help="Still open past its deadline.")
    verification = fields.Text(
        "Verification", states={'readonly': Eval('state') != 'open'},
        help="What the check of the complaint found (核实情况).")
    verified_by = fields.Many2One('res.user', "Verified by", readonly=True)
    verified_date = fields.Date("Verified", readonly=True)
    measures = fields.Text(
        "Measures Taken",
        states={'readonly': ~Eval('state').in_(OPEN_STATES)})
    evidence = fields.Binary(
        "Evidence", filename='evidence_name', states=_readonly_done)
    evidence_name = fields.Char("Evidence File Name", states=_readonly_done)
    rectified_date = fields.Date("Rectified", readonly=True)
    on_time = fields.Function(
        fields.Boolean("On Time",
            help="Rectified no later than the deadline."),
        'get_on_time')
    followups = fields.One2Many(
        'hall.evaluation.rectification.followup', 'rectification',
        "Follow-up Calls",
        states={'readonly': Eval('state').in_(['closed', 'invalid'])})
    result_to_rater = fields.Text(
        "Result Told to the Rater",
        states={'readonly': Eval('state').in_(['closed', 'invalid'])},
        help="The rectification result as given back to the rater.")
    closed_date = fields.Date("Closed", readonly=True)
    invalid_reason = fields.Text(
        "Invalid Because", readonly=True,
        states={'invisible': Eval('state') != 'invalid'})
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_evaluation.msg_rectification_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.deadline, Index.Range())),
                Index(t, (t.opened_date, Index.Range())),
                })
        cls._order = [('opened_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'verified'),
            ('verified', 'rectified'),
            ('rectified', 'verified'),
            ('rectified', 'closed'),
            ('open', 'invalid'),
            ('verified', 'invalid'),
            ('rectified', 'invalid'),
            }
        cls._buttons.update({
                'verify': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'rectify': {
                    'invisible': Eval('state') != 'verified',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'redo': {
                    'invisible': Eval('state') != 'rectified',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'rectified',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_overdue(cls):
        return False

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_on_time(self, name):
        if self.rectified_date and self.deadline:
            return self.rectified_date <= self.deadline
        return None

    @classmethod
    def _today(cls, company=None):
        return company_today(company)

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        CalendarDay = pool.get('hall.calendar.day')
        Company = pool.get('company.company')
        config = Configuration(1)
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not values.get('opened_date'):
                # A bad rating of the public page has no company in context
                company = values.get('company') or cls.default_company()
                values['opened_date'] = cls._today(
                    Company(company) if company else None)
            if not values.get('deadline'):
                values['deadline'] = CalendarDay.add_working_days(
                    values['opened_date'], config.rectification_days)
            if 'supervisor' not in values and config.supervisor:
                values['supervisor'] = config.supervisor.id
            if not values.get('number'):
                values['number'] = config.rectification_sequence.get()
        return super().create(vlist)

    @classmethod
    def create_from_evaluations(cls, evaluations):
        vlist = []
        for evaluation in evaluations:
            department = evaluation.department or (
                evaluation.window.department if evaluation.window else None)
            vlist.append({
                    'company': evaluation.company.id,
                    'source': 'rating',
                    'evaluation': evaluation.id,
                    'hall': evaluation.hall.id if evaluation.hall else None,
                    'window': (
                        evaluation.window.id if evaluation.window else None),
                    'clerk': (
                        evaluation.clerk.id if evaluation.clerk else None),
                    'service': (
                        evaluation.service.id if evaluation.service
                        else None),
                    'department': department.id if department else None,
                    'problem': evaluation.reason,
                    })
        return cls.create(vlist)

    @classmethod
    def create_from_findings(cls, scores):
        "Open a rectification for each inspection finding to rectify"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        Score = pool.get('hall.inspection.score')
        if not scores:
            return []
        vlist = []
        for score in scores:
            inspection = score.inspection
            window = score.window
            shifts = Shift.search([
                    ('window', '=', window.id),
                    ('date', '=', inspection.date),
                    ], order=[('period', 'ASC'), ('id', 'ASC')], limit=1)
            vlist.append({
                    'company': inspection.company.id,
                    'source': 'inspection',
                    'inspection_score': score.id,
                    'hall': inspection.hall.id,
                    'window': window.id,
                    'clerk': shifts[0].employee.id if shifts else None,
                    'department': (
                        window.department.id if window.department else None),
                    'problem': score.finding,
                    })
        rectifications = cls.create(vlist)
        to_write = []
        for score, rectification in zip(scores, rectifications):
            to_write.extend([[score], {'rectification': rectification.id}])
        Score.write(*to_write)
        return rectifications

    @classmethod
    def delete(cls, rectifications):
        if rectifications:
            raise RectificationAccessError(gettext(
                    'hall_evaluation.msg_rectification_delete',
                    rectification=', '.join(
                        r.rec_name for r in rectifications[:5])))
        super().delete(rectifications)

    @classmethod
    def copy(cls, rectifications, default=None):
        if rectifications:
            raise RectificationAccessError(gettext(
                    'hall_evaluation.msg_rectification_delete',
                    rectification=', '.join(
                        r.rec_name for r in rectifications[:5])))
        return super().copy(rectifications, default=default)

    @classmethod
    @ModelView.button
    @strict_transition('verified')
    def verify(cls, rectifications):
        for rectification in rectifications:
            if not (rectification.verification or '').strip():
                raise RectificationError(gettext(
                        'hall_evaluation.msg_rectification_verification',
                        rectification=rectification.rec_name))
        cls.write(rectifications, {
                'verified_by': Transaction().user,
                'verified_date': cls._today(),
                })

    @classmethod
    @ModelView.button
    @strict_transition('rectified')
    def rectify(cls, rectifications):
        for rectification in rectifications:
            if not (rectification.measures or '').strip():
                raise RectificationError(gettext(
                        'hall_evaluation.msg_rectification_measures',
                        rectification=rectification.rec_name))
        cls.write(rectifications, {
                'rectified_date': cls._today(),
                'overdue': False,
                })

    @classmethod
    @ModelView.button
    @strict_transition('verified')
    def redo(cls, rectifications):
        "The follow-up found the problem not solved: rectify again"
        cls.write(rectifications, {'rectified_date': None})

    @classmethod
    @ModelView.button
    @strict_transition('closed')
    def close(cls, rectifications):
        for rectification in rectifications:
            if not rectification.followups:
                raise RectificationError(gettext(
                        'hall_evaluation.msg_rectification_followup',
                        rectification=rectification.rec_name))
        cls.write(rectifications, {'closed_date': cls._today()})

    @classmethod
    @strict_transition('invalid')
    def cancel_invalid(cls, rectifications, reason):
        "The rating was judged invalid after review"
        cls.write(rectifications, {
                'invalid_reason': reason,
                'overdue': False,
                })

    @classmethod
    def mark_overdue(cls):
        """Cron: flag the rectifications still open past their deadline and
        tell their supervisors."""
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        overdue = []
        for company in (
                [Company(company)] if company else Company.search([])):
            overdue.extend(cls.search([
                        ('company', '=', company.id),
                        ('state', 'in', OPEN_STATES),
                        ('deadline', '<', cls._today(company)),
                        ('overdue', '=', False),
                        ]))
        if not overdue:
            return []
        cls.write(overdue, {'overdue': True})
        cls.notify_overdue(overdue)
        return overdue

    @classmethod
    def notify_overdue(cls, rectifications):
        "Send a notification to the supervisors of the rectifications"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        by_user = defaultdict(list)
        fallback = None
        for rectification in rectifications:
            if rectification.supervisor:
                users = [rectification.supervisor]
            else:
                if fallback is None:
                    fallback = User.search([
                            ('groups', '=', ModelData.get_id(
                                    'hall_evaluation',
                                    'group_evaluation_supervisor')),
                            ])
                users = fallback
            for user in users:
                by_user[user.id].append(rectification)
        for user_id, records in by_user.items():
            cls.notify_user(
                records, 'tryton-warning',
                gettext('hall_evaluation.msg_rectification_overdue_label',
                    count=len(records)),
                description=gettext(
                    'hall_evaluation.msg_rectification_overdue_description',
                    numbers=', '.join(r.rec_name for r in records[:10]),
                    deadline=min(r.deadline for r in records).isoformat()),
                user=user_id)


class FollowUp(ServerReadonlyMixin, ModelSQL, ModelView):
    "Follow-up call (回访)"
    __name__ = 'hall.evaluation.rectification.followup'

    rectification = fields.Many2One(
        'hall.evaluation.rectification', "Rectification", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    caller = fields.Many2One(
        'company.employee', "Called by", required=True,
        ondelete='RESTRICT')
    method = fields.Selection([
            ('phone', "Phone"),
            ('sms', "SMS"),
            ('visit', "Visit"),
            ], "Method", required=True)
    result = fields.Text("Result", required=True)
    satisfied = fields.Boolean(
        "Satisfied", help="The rater is satisfied with the rectification.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_method(cls):
        return 'phone'

    @classmethod
    def default_satisfied(cls):
        return True

    @classmethod
    def default_caller(cls):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        return user.employee.id if user.employee else None

    def get_rec_name(self, name):
        return f'{self.date} {self.caller.rec_name}'

    @classmethod
    def _check_open(cls, followups):
        for followup in followups:
            if followup.rectification.state in {'closed', 'invalid'}:
                raise RectificationError(gettext(
                        'hall_evaluation.msg_followup_closed',
                        rectification=followup.rectification.rec_name))

    @classmethod
    def create(cls, vlist):
        followups = super().create(vlist)
        cls._check_open(followups)
        return followups

    @classmethod
    def write(cls, *args):
        cls._check_open(sum(args[::2], []))
        super().write(*args)

    @classmethod
    def delete(cls, followups):
        cls._check_open(followups)
        super().delete(followups)
