# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import (
    ApplicantIdentifierError, ApplicationDeleteError, WorkflowError)
from .model import NextStepMixin, ServerReadonlyMixin
from .report import HallReport
from .workflow import strict_transition

STATES = [
    ('draft', "Draft"),
    ('received', "Received"),
    ('supplement', "Supplement Requested"),
    ('accepted', "Accepted"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ('completed', "Completed"),
    ('withdrawn', "Withdrawn"),
    ]
OPEN_STATES = ['received', 'supplement', 'accepted']
# The clock of the time limits runs while the application is accepted and
# not yet decided.
CLOCK_STATES = ['accepted']

CHANNELS = [
    ('window', "Window"),
    ('online', "Online"),
    ('self_service', "Self-Service"),
    ('proxy', "Proxy Agent"),
    ('green_channel', "Green Channel"),
    ('mail', "Mail"),
    ]
# Channels on which the applicant comes to the hall in person.
VISIT_CHANNELS = {'window', 'self_service', 'green_channel'}

# cn_vat is the Unified Social Credit Code (统一社会信用代码): the party
# module files the codes that serve as tax numbers under "<country>_vat".
APPLICANT_IDENTIFIERS = ('cn_ric', 'cn_vat')

_draft_only = {'readonly': Eval('state') != 'draft'}


class ReceptionMixin:
    """What an application received at a hall holds for its model (hall's
    办件, hall_theme's 主题办件): the company and hall by default, the number
    its sequence gives on reception, the visits of the applicant coming in
    person, the deadline of a supplement, and no deletion once received
    (`_delete_message`)."""
    __slots__ = ()
    _delete_message = None

    @staticmethod
    def default_visits():
        return 0

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_hall(cls):
        pool = Pool()
        Hall = pool.get('hall.hall')
        halls = Hall.search([
                ('company', '=', cls.default_company()),
                ], limit=2)
        if len(halls) == 1:
            return halls[0].id

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def check_modification(
            cls, mode, applications, values=None, external=False):
        super().check_modification(
            mode, applications, values=values, external=external)
        if mode == 'delete':
            for application in applications:
                if application.state != 'draft':
                    raise ApplicationDeleteError(gettext(
                            cls._delete_message,
                            application=application.rec_name))

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def _number_sequence(cls):
        "The sequence of the numbers"
        raise NotImplementedError

    @classmethod
    def set_number(cls, applications):
        sequence = cls._number_sequence()
        for application in applications:
            if not application.number:
                with Transaction().set_context(
                        date=application.received_date):
                    application.number = sequence.get()
        cls.save(applications)

    @classmethod
    def _add_visit(cls, applications):
        for application in applications:
            if application.channel in VISIT_CHANNELS:
                application.visits = (application.visits or 0) + 1

    @classmethod
    def get_supplement_deadline(cls, applications, name):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Configuration = pool.get('hall.configuration')
        days = Configuration(1).supplement_days
        return {a.id: CalendarDay.add_working_days(a.supplement_date, days)
            if a.supplement_date else None for a in applications}


class Application(
        ReceptionMixin, NextStepMixin, ServerReadonlyMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'hall.application'
    _history = True
    _delete_message = 'hall.msg_application_delete_draft'
    _next_step_messages = 'hall.msg_application_next'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft_only)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, states=_draft_only,
        domain=[('company', '=', Eval('company', -1))])
    applicant = fields.Many2One(
        'party.party', "Applicant", required=True, states=_draft_only,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="A citizen with a resident identity card number or an "
        "enterprise with a unified social credit code.")
    applicant_code = fields.Function(
        fields.Char("Identity Number"), 'get_applicant_code')
    agent = fields.Many2One(
        'party.party', "Agent", states=_draft_only, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The person who applies on behalf of the applicant.")
    service = fields.Many2One(
        'hall.service', "Service", required=True, states=_draft_only,
        ondelete='RESTRICT', domain=[('active', '=', True)])
    department = fields.Function(
        fields.Many2One('hall.department', "Department"),
        'on_change_with_department', searcher='search_department')
    window = fields.Many2One(
        'hall.window', "Window", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            If(Eval('service'), ('services', '=', Eval('service', -1)), ()),
            ],
        states={
            'readonly': ~Eval('state').in_(['draft', 'received']),
            })
    clerk = employee_field(
        "Clerk", states=['received', 'supplement', 'accepted', 'approved',
            'rejected', 'completed', 'withdrawn'])
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, states=_draft_only)
    received_date = fields.Date("Received", readonly=True)
    supplement_date = fields.Date("Supplement Requested", readonly=True)
    supplement_deadline = fields.Function(fields.Date(
            "Supplement Deadline",
            states={
                'invisible': ~Eval('supplement_date'),
                },
            help="Last working day to bring the missing materials."),
        'get_supplement_deadline')
    accepted_date = fields.Date("Accepted", readonly=True)
    decision_date = fields.Date("Decided", readonly=True)
    completed_date = fields.Date("Completed", readonly=True)
    legal_due_date = fields.Date(
        "Legal Due Date", readonly=True,
        help="End of the statutory time limit in working days.")
    promised_due_date = fields.Date(
        "Promised Due Date", readonly=True,
        help="End of the promised time limit in working days.")
    actual_days = fields.Integer(
        "Working Days Taken", readonly=True,
        help="Working days from acceptance to completion.")
    visits = fields.Integer(
        "Visits", readonly=True,
        help="Times the applicant came to the hall (跑动次数).")
    missing_materials = fields.One2Many(
        'hall.application.missing_material', 'application',
        "Missing Materials",
        states={
            'readonly': ~Eval('state').in_(['draft', 'received']),
            },
        help="One complete list of everything missing (一次性告知).")
    rejection_reason = fields.Text(
        "Rejection Reason",
        states={
            'readonly': Eval('state') != 'accepted',
            'invisible': ~Eval('state').in_(['accepted', 'rejected']),
            })
    withdrawal_reason = fields.Text(
        "Withdrawal Reason",
        states={
            'readonly': ~Eval('state').in_(OPEN_STATES),
            'invisible': Eval('state').in_(['draft', 'approved', 'rejected',
                    'completed']),
            })
    note = fields.Text("Note")
    overdue = fields.Boolean(
        "Overdue", readonly=True,
        help="Past the promised due date and not yet decided.")
    due_soon = fields.Boolean(
        "Due Soon", readonly=True,
        help="The promised due date is close and not yet decided.")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall.msg_application_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity(cardinality='high'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.received_date, Index.Range())),
                })
        cls._order = [('received_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'received'),
            ('received', 'supplement'),
            ('received', 'accepted'),
            ('supplement', 'accepted'),
            ('accepted', 'approved'),
            ('accepted', 'rejected'),
            ('approved', 'completed'),
            ('received', 'withdrawn'),
            ('supplement', 'withdrawn'),
            ('accepted', 'withdrawn'),
            }
        cls._buttons.update({
                'receive': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'request_supplement': {
                    'invisible': Eval('state') != 'received',
                    'icon': 'tryton-print',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': ~Eval('state').in_(
                        ['received', 'supplement']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'accepted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'accepted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'complete': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(OPEN_STATES),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    def _next_step_values(self):
        pool = Pool()
        Lang = pool.get('ir.lang')
        if self.state != 'accepted':
            return {}
        return {'due_date': Lang.get().strftime(self.promised_due_date)
            if self.promised_due_date else '-'}

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_channel():
        return 'window'

    @staticmethod
    def default_overdue():
        return False

    @staticmethod
    def default_due_soon():
        return False

    @fields.depends('service')
    def on_change_with_department(self, name=None):
        return self.service.department if self.service else None

    @classmethod
    def search_department(cls, name, clause):
        return [('service.' + clause[0], *clause[1:])]

    def get_applicant_code(self, name):
        for identifier in self.applicant.identifiers:
            if identifier.type in APPLICANT_IDENTIFIERS:
                return identifier.code

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        if 'applicant' in field_names:
            for application in applications:
                application.check_applicant()

    def check_applicant(self):
        if not any(i.type in APPLICANT_IDENTIFIERS
                for i in self.applicant.identifiers):
            raise ApplicantIdentifierError(gettext(
                    'hall.msg_application_applicant_identifier',
                    applicant=self.applicant.rec_name))

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'received_date', 'supplement_date',
                'accepted_date', 'decision_date', 'completed_date',
                'legal_due_date', 'promised_due_date', 'actual_days',
                'rejection_reason', 'withdrawal_reason', 'clerk']:
            default.setdefault(field, None)
        default.setdefault('visits', 0)
        default.setdefault('overdue', False)
        default.setdefault('due_soon', False)
        return super().copy(applications, default=default)

    @classmethod
    def _number_sequence(cls):
        Configuration = Pool().get('hall.configuration')
        return Configuration(1).application_sequence

    @classmethod
    @ModelView.button
    @strict_transition('received')
    @set_employee('clerk')
    def receive(cls, applications):
        today = cls._today()
        for application in applications:
            application.received_date = today
        cls._add_visit(applications)
        cls.set_number(applications)

    @classmethod
    @ModelView.button_action('hall.report_missing_materials')
    @strict_transition('supplement')
    def request_supplement(cls, applications):
        for application in applications:
            if not application.missing_materials:
                raise WorkflowError(gettext(
                        'hall.msg_application_supplement_empty',
                        application=application.rec_name))
            application.supplement_date = cls._today()
        cls.save(applications)

    @classmethod
    @ModelView.button
    @strict_transition('accepted')
    def accept(cls, applications):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        today = cls._today()
        soon = cls._due_soon_limit(today)
        cls._add_visit([a for a in applications if a.state == 'supplement'])
        for application in applications:
            service = application.service
            application.accepted_date = today
            application.legal_due_date = CalendarDay.add_working_days(
                today, service.legal_limit)
            application.promised_due_date = CalendarDay.add_working_days(
                today, service.promised_limit)
            application.due_soon, application.overdue = (
                application.timeliness(today, soon))
        cls.save(applications)

    @classmethod
    @ModelView.button
    @strict_transition('approved')
    def approve(cls, applications):
        cls._decide(applications)

    @classmethod
    @ModelView.button
    @strict_transition('rejected')
    def reject(cls, applications):
        for application in applications:
            if not (application.rejection_reason or '').strip():
                raise WorkflowError(gettext(
                        'hall.msg_application_rejection_reason',
                        application=application.rec_name))
        cls._decide(applications)

    @classmethod
    def _decide(cls, applications):
        cls.write(applications, {
                'decision_date': cls._today(),
                'overdue': False,
                'due_soon': False,
                })

    @classmethod
    @ModelView.button
    @strict_transition('completed')
    def complete(cls, applications):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        today = cls._today()
        for application in applications:
            application.completed_date = today
            application.actual_days = CalendarDay.count_working_days(
                application.accepted_date, today)
        cls.save(applications)

    @classmethod
    @ModelView.button
    @strict_transition('withdrawn')
    def withdraw(cls, applications):
        cls.write(applications, {
                'overdue': False,
                'due_soon': False,
                })

    @classmethod
    def _due_soon_limit(cls, today):
        "Return the last date that counts as due soon"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Configuration = pool.get('hall.configuration')
        return CalendarDay.add_working_days(
            today, Configuration(1).due_soon_days)

    def timeliness(self, today, soon):
        "Return the due-soon and overdue flags against the promised date"
        due = self.promised_due_date
        if due is None:
            return False, False
        return today <= due <= soon, due < today

    @classmethod
    def mark_timeliness(cls):
        """Cron: flag the accepted applications overdue or due soon
        against their promised due date, and clear stale flags."""
        today = cls._today()
        soon = cls._due_soon_limit(today)
        domain = [('state', 'in', CLOCK_STATES)]
        overdue = cls.search(domain + [
                ('promised_due_date', '<', today),
                ])
        due_soon = cls.search(domain + [
                ('promised_due_date', '>=', today),
                ('promised_due_date', '<=', soon),
                ])
        stale = cls.search(domain + [
                ['OR',
                    ('overdue', '=', True),
                    ('due_soon', '=', True),
                    ],
                ['OR',
                    ('promised_due_date', '>', soon),
                    ('promised_due_date', '=', None),
                    ],
                ])
        to_write = []
        for records, values in [
                (overdue, {'overdue': True, 'due_soon': False}),
                (due_soon, {'overdue': False, 'due_soon': True}),
                (stale, {'overdue': False, 'due_soon': False}),
                ]:
            records = [r for r in records
                if (r.overdue, r.due_soon) != (
                    values['overdue'], values['due_soon'])]
            if records:
                to_write.extend([records, values])
        if to_write:
            cls.write(*to_write)


class ApplicationMissingMaterial(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'hall.application.missing_material'

    application = fields.Many2One(
        'hall.application', "Application", required=True,
        ondelete='CASCADE')
    material = fields.Many2One(
        'hall.service.material', "Required Material",
        domain=[('service', '=', Eval('service', -1))])
    service = fields.Function(
        fields.Many2One('hall.service', "Service"),
        'on_change_with_service')
    name = fields.Char("Material", required=True)
    problem = fields.Char(
        "Problem", help="What is missing or wrong, for example "
        "\"original missing\" or \"signature missing\".")

    @fields.depends('application', '_parent_application.service')
    def on_change_with_service(self, name=None):
        if self.application and self.application.service:
            return self.application.service

    @fields.depends('material', 'name')
    def on_change_material(self):
        if self.material and not self.name:
            self.name = self.material.name


class ApplicationReport(HallReport):
    "Common checks of the application reports"

    @classmethod
    def _required_states(cls):
        return None

    @classmethod
    def get_context(cls, records, header, data):
        states = cls._required_states()
        if states is not None:
            for record in records:
                if record.state not in states:
                    raise WorkflowError(gettext(
                            'hall.msg_application_report_state',
                            application=record.rec_name))
        context = super().get_context(records, header, data)
        return context


class AcceptanceReceipt(ApplicationReport):
    "Acceptance receipt (受理通知书)"
    __name__ = 'hall.application.acceptance_receipt'

    @classmethod
    def _required_states(cls):
        return {'accepted', 'approved', 'rejected', 'completed'}


class MissingMaterialsNotice(ApplicationReport):
    "Missing materials notice (一次性告知书)"
    __name__ = 'hall.application.missing_materials'

    @classmethod
    def _required_states(cls):
        return {'supplement', 'accepted', 'approved', 'rejected',
            'completed', 'withdrawn'}
