# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null
from sql.aggregate import Min
from sql.conditionals import Case

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import SQLConstraintError
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import (
    EvaluationAccessError, EvaluationError, EvaluationValidationError)
from .rating_rules import (
    BAD_LEVELS, LEVEL_POINTS, LEVELS, is_bad, local_date, mask_name,
    mask_phone)

CHANNELS = [
    ('window_device', "Window Device"),
    ('qr_code', "QR Code"),
    ('online', "Online"),
    ('hotline', "12345 Hotline"),
    ('sms', "SMS"),
    ]
# The channels of the citizens, rated only through the public pages (the
# window device, the QR code, the online service), and those the staff
# enter for the citizen, through the wizard that records who entered them
CITIZEN_CHANNELS = frozenset({'window_device', 'qr_code', 'online'})
STAFF_CHANNELS = frozenset({'hotline', 'sms'})
# How far in the future a rating may be dated: the clocks of the clients
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

VALIDITIES = [
    ('valid', "Valid"),
    ('review', "Under Review"),
    ('invalid', "Invalid"),
    ]

# The only fields of a rating that change after it is given: its review.
REVIEW_FIELDS = {'validity', 'invalid_reason', 'reviewed_by', 'reviewed_at'}

def _score(name, string, help):
    return fields.Integer(
        string, help=help,
        domain=[(name, 'in', [None, 1, 2, 3, 4, 5])])


class Evaluation(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.evaluation'
    _history = True
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    hall = fields.Many2One(
        'hall.hall', "Hall", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('id', -1) >= 0})
    application = fields.Many2One(
        'hall.application', "Application", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '!=', 'draft'),
            ],
        states={'readonly': Eval('id', -1) >= 0},
        help="The application (办件) rated.")
    window = fields.Many2One(
        'hall.window', "Window", ondelete='RESTRICT', readonly=True)
    clerk = fields.Many2One(
        'company.employee', "Clerk", ondelete='RESTRICT', readonly=True)
    department = fields.Many2One(
        'hall.department', "Department", ondelete='RESTRICT', readonly=True)
    service = fields.Many2One(
        'hall.service', "Service", ondelete='RESTRICT', readonly=True)
    channel = fields.Selection(
        CHANNELS, "Channel", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    level = fields.Selection(
        LEVELS, "Level", required=True, sort=False,
        states={'readonly': Eval('id', -1) >= 0})
    bad = fields.Function(
        fields.Boolean("Bad Rating"), 'get_bad', searcher='search_bad')
    points = fields.Function(
        fields.Integer("Points", help="The level on 10 points."),
        'get_points')
    score_efficiency = _score(
        'score_efficiency', "Efficiency", "From 1 to 5.")
    score_attitude = _score(
        'score_attitude', "Attitude", "From 1 to 5.")
    score_professionalism = _score(
        'score_professionalism', "Professionalism", "From 1 to 5.")
    reason = fields.Text(
        "Reason",
        states={
            'readonly': Eval('id', -1) >= 0,
            'required': Eval('level').in_(list(BAD_LEVELS)),
            },
        help="Required for a bad rating.")
    anonymous = fields.Boolean(
        "Anonymous", states={'readonly': Eval('id', -1) >= 0})
    # Lazy: only the evaluation supervisor may read them
    rater_name = fields.Char(
        "Rater", loading='lazy', states={
            'readonly': Eval('id', -1) >= 0,
            'invisible': Bool(Eval('anonymous')),
            })
    rater_phone = fields.Char(
        "Rater Phone", loading='lazy', states={
            'readonly': Eval('id', -1) >= 0,
            'invisible': Bool(Eval('anonymous')),
            })
    rater_name_masked = fields.Function(
        fields.Char("Rater"), 'get_masked')
    rater_phone_masked = fields.Function(
        fields.Char("Rater Phone"), 'get_masked')
    rated_at = fields.Timestamp(
        "Rated at", required=True,
        states={'readonly': Eval('id', -1) >= 0},
        help="When the rating was given, for example when the 12345 "
        "hotline took it.")
    rated_date = fields.Date(
        "Rated on", readonly=True,
        help="The day the rating was given in the company's time zone: the "
        "month it counts in.")
    link = fields.Many2One(
        'hall.evaluation.link', "Rating Link", readonly=True,
        ondelete='RESTRICT')
    entered_by = fields.Many2One(
        'res.user', "Entered by", readonly=True,
        states={'invisible': ~Eval('entered_by')},
        help="The staff member who entered the rating taken by the 12345 "
        "hotline or by SMS.")
    entered_employee = fields.Many2One(
        'company.employee', "Entered by (Employee)", readonly=True,
        states={'invisible': ~Eval('entered_employee')})
    entered_at = fields.Timestamp(
        "Entered at", readonly=True,
        states={'invisible': ~Eval('entered_at')})
    validity = fields.Selection(
        VALIDITIES, "Validity", required=True, readonly=True, sort=False)
    invalid_reason = fields.Text(
        "Invalid Because", readonly=True,
        states={'invisible': Eval('validity') != 'invalid'})
    reviewed_by = fields.Many2One(
        'res.user', "Reviewed by", readonly=True)
    reviewed_at = fields.Timestamp("Reviewed at", readonly=True)
    rectifications = fields.One2Many(
        'hall.evaluation.rectification', 'evaluation', "Rectifications",
        readonly=True)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_evaluation.msg_evaluation_number_unique'),
            ('link_unique', Unique(t, t.link),
                'hall_evaluation.msg_evaluation_link_unique'),
            # One service, one rating, also when invalidated: a rating
            # judged malicious or mistaken stays the service's rating (the
            # links close after any rating, msg_rate_used), so that a bad
            # rating cannot be invalidated and replaced by a good one
            ('application_unique', Unique(t, t.application),
                'hall_evaluation.msg_evaluation_application_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.rated_at, Index.Range())),
                Index(t, (t.rated_date, Index.Range())),
                Index(t, (t.level, Index.Equality(cardinality='low'))),
                })
        cls._order = [('rated_at', 'DESC'), ('id', 'DESC')]
        cls._transition_state = 'validity'
        cls._transitions |= {
            ('valid', 'review'),
            ('review', 'valid'),
            ('review', 'invalid'),
            }
        cls._buttons.update({
                'review': {
                    'invisible': Eval('validity') != 'valid',
                    'icon': 'tryton-search',
                    'depends': ['validity'],
                    },
                'confirm': {
                    'invisible': Eval('validity') != 'review',
                    'icon': 'tryton-ok',
                    'depends': ['validity'],
                    },
                'invalidate': {
                    'invisible': Eval('validity') != 'review',
                    'icon': 'tryton-cancel',
                    'depends': ['validity'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        if backend.TableHandler.table_exist(cls._table):
            # Chinese, the language of the deployments
            cls._detach_duplicates('application', '办件')
        super().__register__(module)

    @classmethod
    def _detach_duplicates(cls, field, label):
        """Migration to one rating per service (`field`, the column naming
        the service, a `label`): the ratings after the first of a service
        become invalid and leave the service, which their reason names, so
        that the unique constraint can be added; they are kept."""
        if not cls.__table_handler__().column_exist(field):
            return
        table = cls.__table__()
        other = cls.__table__()
        cursor = Transaction().connection.cursor()
        column = getattr(table, field)
        cursor.execute(*table.select(table.id, table.number, column,
                where=(column != Null)
                & (table.id != other.select(Min(other.id),
                        where=getattr(other, field) == column))))
        for id_, number, service in cursor.fetchall():
            reason = (
                f'数据迁移：每次办事只能评价一次，{label}（ID {service}）'
                f'已有评价，本条重复评价（{number}）标记为无效并解除关联。')
            cursor.execute(*table.update(
                    [column, table.validity, table.invalid_reason],
                    [Null, 'invalid', reason],
                    where=table.id == id_))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_channel(cls):
        return 'hotline'

    @classmethod
    def default_validity(cls):
        return 'valid'

    @classmethod
    def default_anonymous(cls):
        return False

    @classmethod
    def default_rated_at(cls):
        return dt.datetime.now()

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_bad(self, name):
        return is_bad(self.level)

    @classmethod
    def search_bad(cls, name, clause):
        _, operator, value = clause[:3]
        bad = bool(value) if operator == '=' else not bool(value)
        return [('level', 'in' if bad else 'not in', list(BAD_LEVELS))]

    def get_points(self, name):
        return LEVEL_POINTS.get(self.level)

    @classmethod
    def points_column(cls, table):
        "The points of the level as an SQL expression"
        return Case(
            *((table.level == level, points)
                for level, points in LEVEL_POINTS.items()),
            else_=0)

    def get_masked(self, name):
        if self.anonymous:
            return None
        if name == 'rater_name_masked':
            return mask_name(self.rater_name) or None
        return mask_phone(self.rater_phone) or None

    @fields.depends('application', 'company', 'hall')
    def on_change_application(self):
        if self.application:
            for field, value in self._source_values().items():
                setattr(self, field, value)

    def _source_values(self):
        "Window, clerk, department and service of what is rated"
        values = {}
        application = getattr(self, 'application', None)
        if application:
            values.update({
                    'company': application.company,
                    'hall': application.hall,
                    'window': application.window,
                    'clerk': application.clerk,
                    'department': application.service.department,
                    'service': application.service,
                    })
            if not getattr(self, 'rater_name', None):
                values['rater_name'] = application.applicant.name
        return values

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        Company = pool.get('company.company')
        config = Configuration(1)
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            # Refused before anything is written
            cls(level=values.get('level'),
                reason=values.get('reason')).check_reason()
            record = cls(**{k: v for k, v in values.items()
                    if k in {'application', 'rater_name'}
                    | cls._source_fields()})
            for field, value in record._source_values().items():
                if values.get(field) is None:
                    values[field] = getattr(value, 'id', value)
            values['rated_at'] = (
                values.get('rated_at') or cls.default_rated_at())
            company = values.get('company') or cls.default_company()
            timezone = Company(company).timezone if company else None
            values['rated_date'] = local_date(values['rated_at'], timezone)
            # Refused before anything is written (the number taken)
            cls(rated_at=values['rated_at'], rated_date=values['rated_date'],
                **{k: v for k, v in values.items()
                    if k in cls._source_fields()}).check_dates()
            if values.get('anonymous'):
                values['rater_name'] = None
                values['rater_phone'] = None
            if not values.get('number'):
                values['number'] = config.evaluation_sequence.get()
        evaluations = super().create(vlist)
        cls.open_rectifications(evaluations)
        return evaluations

    @classmethod
    def _source_fields(cls):
        "Fields naming what is rated (extended by hall_queue)"
        return {'application'}

    @classmethod
    def validate_fields(cls, evaluations, field_names):
        super().validate_fields(evaluations, field_names)
        for evaluation in evaluations:
            evaluation.check_reason()
            evaluation.check_source()
            evaluation.check_channel()
            evaluation.check_dates()

    def check_reason(self):
        if is_bad(self.level) and not (self.reason or '').strip():
            levels = dict(self.fields_get(['level'])['level']['selection'])
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_reason',
                    level=levels.get(self.level, self.level)))

    def check_source(self):
        if not any(getattr(self, f, None) for f in self._source_fields()):
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_source'))

    def check_channel(self):
        "A staff channel names who entered the rating, a citizen's nobody"
        channels = dict(self.fields_get(['channel'])['channel']['selection'])
        channel = channels.get(self.channel, self.channel)
        if self.channel in STAFF_CHANNELS and not self.entered_by:
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_staff_channel',
                    channel=channel))
        if self.channel in CITIZEN_CHANNELS and (
                self.entered_by or self.entered_employee):
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_citizen_channel',
                    channel=channel))

    def service_date(self):
        """The first day of the service rated (in the company's time zone),
        before which it cannot be rated, or None"""
        application = getattr(self, 'application', None)
        if application:
            return application.received_date

    def check_dates(self):
        "Neither in the future nor before the service"
        lang = Pool().get('ir.lang').get()
        if (self.rated_at
                and self.rated_at > dt.datetime.now() + FUTURE_TOLERANCE):
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_rated_future',
                    date=lang.strftime(self.rated_date or self.rated_at)))
        start = self.service_date()
        if start and self.rated_date and self.rated_date < start:
            raise EvaluationValidationError(gettext(
                    'hall_evaluation.msg_evaluation_rated_before_service',
                    date=lang.strftime(self.rated_date),
                    start=lang.strftime(start)))

    @classmethod
    def open_rectifications(cls, evaluations):
        "Open a rectification for each new valid bad rating"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        bad = [e for e in evaluations if e.bad and e.validity == 'valid']
        if bad:
            Rectification.create_from_evaluations(bad)

    @classmethod
    def write(cls, *args):
        # Refused before the access check, not in check_modification: a
        # clerk who may not write or delete ratings learns that a rating is
        # kept as given, not only that they lack a right
        actions = iter(args)
        for evaluations, values in zip(actions, actions):
            if set(values) - REVIEW_FIELDS:
                raise EvaluationAccessError(gettext(
                        'hall_evaluation.msg_evaluation_immutable',
                        evaluation=', '.join(
                            e.rec_name for e in evaluations[:5])))
        super().write(*args)

    @classmethod
    def delete(cls, evaluations):
        if evaluations:
            raise EvaluationAccessError(gettext(
                    'hall_evaluation.msg_evaluation_delete',
                    evaluation=', '.join(
                        e.rec_name for e in evaluations[:5])))
        super().delete(evaluations)

    @classmethod
    def copy(cls, evaluations, default=None):
        if evaluations:
            raise EvaluationAccessError(gettext(
                    'hall_evaluation.msg_evaluation_immutable',
                    evaluation=', '.join(e.rec_name for e in evaluations[:5])))
        return super().copy(evaluations, default=default)

    @classmethod
    def enter(cls, values):
        """Store the rating `values` the current user took by the 12345
        hotline or by SMS (the wizard hall.evaluation.enter), recording who
        entered it and when.  The staff create ratings only here: no role
        creates them over RPC (model access), and the citizens' channels
        are the public pages'."""
        pool = Pool()
        User = pool.get('res.user')
        Application = pool.get('hall.application')
        Link = pool.get('hall.evaluation.link')
        values = values.copy()
        if values.get('channel') not in STAFF_CHANNELS:
            raise EvaluationError(gettext(
                    'hall_evaluation.msg_evaluation_enter_channel'))
        for field in cls._source_fields():
            if field not in values:
                continue
            Subject = pool.get(cls._fields[field].model_name)
            subject = Subject(values[field])
            if subject.evaluations:
                raise EvaluationError(gettext(
                        'hall_evaluation.msg_link_already_rated',
                        record=subject.rec_name))
        application = values.get('application')
        if application and Application(application).state == 'draft':
            raise EvaluationError(gettext(
                    'hall_evaluation.msg_rate_not_served'))
        user = User(Transaction().user)
        values.update({
                'entered_by': user.id,
                'entered_employee': (
                    user.employee.id if user.employee else None),
                'entered_at': dt.datetime.now(),
                })
        with without_check_access():
            try:
                evaluation, = cls.create([values])
            except SQLConstraintError as exception:
                raise EvaluationError(exception.message) from exception
            # One service, one rating: its QR codes rate no more
            links = Link.search([
                    ('state', '=', 'pending'),
                    ['OR'] + [(f, '=', values[f])
                        for f in cls._source_fields() if values.get(f)],
                    ])
            if links:
                Link.write(links, {'state': 'cancelled'})
        return evaluation

    @classmethod
    def _reviewed(cls, evaluations, **values):
        cls.write(evaluations, {
                'reviewed_by': Transaction().user,
                'reviewed_at': dt.datetime.now(),
                **values,
                })

    @classmethod
    @ModelView.button
    @strict_transition('review')
    def review(cls, evaluations):
        "Put the rating under review (suspected malicious or mistaken)"
        cls._reviewed(evaluations)

    @classmethod
    @ModelView.button
    @strict_transition('valid')
    def confirm(cls, evaluations):
        "The review found the rating valid"
        cls._reviewed(evaluations)

    @classmethod
    @ModelView.button_action('hall_evaluation.wizard_evaluation_invalidate')
    def invalidate(cls, evaluations):
        pass

    @classmethod
    @strict_transition('invalid')
    def mark_invalid(cls, evaluations, reason):
        "The review found the rating malicious or mistaken"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        reason = (reason or '').strip()
        if not reason:
            raise EvaluationError(gettext(
                    'hall_evaluation.msg_evaluation_invalid_reason',
                    evaluation=', '.join(e.rec_name for e in evaluations)))
        cls._reviewed(evaluations, invalid_reason=reason)
        rectifications = [r for e in evaluations for r in e.rectifications
            if r.state not in {'closed', 'invalid'}]
        if rectifications:
            Rectification.cancel_invalid(rectifications, reason)


class EvaluationInvalidateStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.evaluation.invalidate.start'

    reason = fields.Text(
        "Reason", required=True,
        help="Why the rating is malicious or mistaken.")


class EvaluationInvalidate(CheckedWizardMixin, Wizard):
    "Mark ratings invalid after review"
    __name__ = 'hall.evaluation.invalidate'

    start = StateView(
        'hall.evaluation.invalidate.start',
        'hall_evaluation.evaluation_invalidate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Mark Invalid", 'invalidate', 'tryton-ok', default=True),
            ])
    invalidate = StateTransition()

    def transition_invalidate(self):
        self.model.mark_invalid(list(self.records), self.start.reason)
        return 'end'


class EvaluationEnterStart(ServerReadonlyMixin, ModelView):
    "Enter a rating taken by the 12345 hotline or by SMS"
    __name__ = 'hall.evaluation.enter.start'

    company = fields.Many2One('company.company', "Company", required=True)
    channel = fields.Selection(
        [c for c in CHANNELS if c[0] in STAFF_CHANNELS], "Channel",
        required=True)
    application = fields.Many2One(
        'hall.application', "Application", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '!=', 'draft'),
            ('evaluations', '=', None),
            ],
        help="The application (办件) the citizen rated.")
    rated_at = fields.Timestamp(
        "Rated at", required=True,
        help="When the hotline or the SMS took the rating.")
    level = fields.Selection(LEVELS, "Level", required=True, sort=False)
    score_efficiency = _score(
        'score_efficiency', "Efficiency", "From 1 to 5.")
    score_attitude = _score(
        'score_attitude', "Attitude", "From 1 to 5.")
    score_professionalism = _score(
        'score_professionalism', "Professionalism", "From 1 to 5.")
    reason = fields.Text(
        "Reason",
        states={'required': Eval('level').in_(list(BAD_LEVELS))},
        help="Required for a bad rating.")
    anonymous = fields.Boolean("Anonymous")
    rater_name = fields.Char(
        "Rater", states={'invisible': Bool(Eval('anonymous'))},
        help="Empty: the applicant.")
    rater_phone = fields.Char(
        "Rater Phone", states={'invisible': Bool(Eval('anonymous'))})

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_channel(cls):
        return 'hotline'

    @classmethod
    def default_rated_at(cls):
        return dt.datetime.now()

    @classmethod
    def default_anonymous(cls):
        return False


class EvaluationEnter(CheckedWizardMixin, Wizard):
    "Enter a rating taken by the 12345 hotline or by SMS"
    __name__ = 'hall.evaluation.enter'

    start = StateView(
        'hall.evaluation.enter.start',
        'hall_evaluation.evaluation_enter_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Enter", 'enter', 'tryton-ok', default=True),
            ])
    enter = StateAction('hall_evaluation.act_evaluation_form')

    def do_enter(self, action):
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        start = self.start
        evaluation = Evaluation.enter({
                'company': start.company.id,
                'channel': start.channel,
                'application': start.application.id,
                'rated_at': start.rated_at,
                'level': start.level,
                'score_efficiency': start.score_efficiency,
                'score_attitude': start.score_attitude,
                'score_professionalism': start.score_professionalism,
                'reason': start.reason,
                'anonymous': start.anonymous,
                'rater_name': start.rater_name,
                'rater_phone': start.rater_phone,
                })
        return action, {'res_id': [evaluation.id]}
