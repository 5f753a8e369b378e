# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall.approval import ApprovalProjectMixin
from trytond.modules.hall.approval_rules import format_rate
from trytond.modules.hall.model import NextStepMixin, ServerReadonlyMixin
from trytond.modules.hall.report import HallReport
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import (
    AuthorizationError, CaseDeleteError, CaseError, CaseValidationError)

KINDS = [
    ('full', "Full Process"),
    ('partial', "Partial"),
    ]

STATES = [
    ('draft', "Draft"),
    ('authorized', "Authorized"),
    ('in_progress', "In Progress"),
    ('suspended', "Suspended"),
    ('completed', "Completed"),
    ('cancelled', "Cancelled"),
    ]
CLOSED_STATES = ['completed', 'cancelled']

_draft_only = {'readonly': Eval('state') != 'draft'}
_open = {'readonly': Eval('state').in_(CLOSED_STATES)}


def authorization_valid(signed_date, valid_until, has_document, today):
    "An authorisation is valid from its signature to its end, with its scan"
    return bool(has_document and signed_date and valid_until
        and signed_date <= today <= valid_until)


class Case(
        NextStepMixin, ServerReadonlyMixin, ApprovalProjectMixin, Workflow,
        ModelSQL, ModelView):
    "Proxy case (帮办代办项目)"
    __name__ = 'hall.proxy.case'
    _next_step_messages = 'hall_proxy.msg_case_next'
    _history = True
    _approval_items = 'steps'
    _approval_sequence = ('hall.proxy.configuration', 'case_sequence')
    _approval_number_unique = 'hall_proxy.msg_case_number_unique'
    _approval_copy_reset = (
        'authorized_date', 'suspended_date', 'suspension_reason',
        'authorizations', 'steps', 'progress_log', 'public_log')

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft_only)
    party = fields.Many2One(
        'party.party', "Enterprise", required=True, ondelete='RESTRICT',
        states=_draft_only,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The enterprise, with its unified social credit code.")
    name = fields.Char("Project Name", required=True, states=_open)
    agent = fields.Many2One(
        'company.employee', "Agent", required=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states=_open,
        help="The proxy agent (代办员) who runs the case.")
    team_members = fields.Many2Many(
        'hall.proxy.case-company.employee', 'case', 'employee',
        "Team Members",
        domain=[('company', '=', Eval('company', -1))],
        states=_open,
        help="The team that pushes the project forward with the agent.")
    kind = fields.Selection(
        KINDS, "Kind", required=True, states=_draft_only,
        help="Full process (全程代办) or some items only.")
    kind_string = kind.translated('kind')
    red_proxy = fields.Boolean(
        "Red Proxy Volunteer", states=_open,
        help="Run by a volunteer of the red proxy service (红色代办).")
    handbook = fields.Many2One(
        'hall.proxy.handbook', "Service Handbook", ondelete='RESTRICT',
        states=_draft_only,
        help="The steps of the handbook become the steps of the case.")
    authorizations = fields.One2Many(
        'hall.proxy.authorization', 'case', "Authorisations", states=_open)
    authorization = fields.Function(
        fields.Many2One('hall.proxy.authorization', "Authorisation"),
        'get_authorization')
    authorization_valid = fields.Function(
        fields.Boolean(
            "Authorisation Valid",
            help="A signed authorisation covers today."),
        'get_authorization_valid')
    steps = fields.One2Many(
        'hall.proxy.step', 'case', "Steps", states=_open)
    progress_log = fields.One2Many(
        'hall.proxy.log', 'case', "Progress Log")
    public_log = fields.One2Many(
        'hall.proxy.log', 'case', "Progress Shown to the Enterprise",
        filter=[('public', '=', True)], readonly=True)
    authorized_date = fields.Date("Authorized", readonly=True)
    suspended_date = fields.Date("Suspended", readonly=True)
    suspension_reason = fields.Text(
        "Suspension Reason",
        states={
            'readonly': ~Eval('state').in_(['authorized', 'in_progress']),
            'invisible': Eval('state').in_(['draft', 'completed']),
            })
    note = fields.Text("Note")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('number', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'authorized'),
            ('authorized', 'in_progress'),
            ('authorized', 'suspended'),
            ('in_progress', 'suspended'),
            ('suspended', 'in_progress'),
            ('draft', 'cancelled'),
            ('authorized', 'cancelled'),
            ('in_progress', 'cancelled'),
            ('suspended', 'cancelled'),
            }
        cls._buttons.update({
                'authorize': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'start': {
                    'invisible': Eval('state') != 'authorized',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'suspend': {
                    'invisible': ~Eval('state').in_(
                        ['authorized', 'in_progress']),
                    'icon': 'hall-pause',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': Eval('state') != 'suspended',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state').in_(CLOSED_STATES),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_kind(cls):
        return 'full'

    @classmethod
    def default_red_proxy(cls):
        return False

    @classmethod
    def default_agent(cls):
        return Transaction().context.get('employee')

    def get_authorization(self, name):
        "The authorisation valid today that lasts longest, else the latest"
        today = self._today()
        authorizations = sorted(self.authorizations,
            key=lambda a: (a.is_valid(today), a.valid_until or today, a.id))
        return authorizations[-1].id if authorizations else None

    def get_authorization_valid(self, name):
        return bool(self.authorization
            and self.authorization.is_valid(self._today()))

    @classmethod
    def validate_fields(cls, cases, field_names):
        super().validate_fields(cases, field_names)
        if 'agent' in field_names:
            cls.check_agents(cases)

    @classmethod
    def check_agents(cls, cases):
        "The agent is the employee of a user of the proxy-agent group"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        group = ModelData.get_id('hall_proxy', 'group_proxy_agent')
        agents = {c.agent for c in cases}
        users = User.search([
                ('employees', 'in', [a.id for a in agents]),
                ('groups', '=', group),
                ])
        qualified = {e for u in users for e in u.employees}
        for case in cases:
            if case.agent not in qualified:
                raise CaseValidationError(gettext(
                        'hall_proxy.msg_case_agent_group',
                        agent=case.agent.rec_name,
                        case=case.rec_name))

    @classmethod
    def check_authorization(cls, cases):
        "Refuse to go on without an authorisation valid today"
        today = cls._today()
        for case in cases:
            authorization = case.authorization
            if authorization and authorization.is_valid(today):
                continue
            if (authorization and authorization.valid_until
                    and authorization.valid_until < today
                    and authorization.document):
                raise AuthorizationError(gettext(
                        'hall_proxy.msg_case_authorization_expired',
                        case=case.rec_name,
                        date=authorization.valid_until))
            raise AuthorizationError(gettext(
                    'hall_proxy.msg_case_authorization_missing',
                    case=case.rec_name))

    def _delete_error(self):
        return CaseDeleteError(gettext(
                'hall_proxy.msg_case_delete_draft', case=self.rec_name))

    def instantiate_handbook(self):
        "Take the steps of the service handbook as the steps of the case"
        pool = Pool()
        Step = pool.get('hall.proxy.step')
        if self.steps or not self.handbook:
            return []
        steps = [Step(
                case=self,
                sequence=h.sequence,
                service=h.service,
                legal_limit=h.service.legal_limit,
                promised_limit=h.expected_days,
                handbook_step=h,
                note=h.notes)
            for h in self.handbook.steps]
        Step.save(steps)
        return steps

    @classmethod
    @ModelView.button
    @strict_transition('authorized')
    def authorize(cls, cases):
        for case in cases:
            case.check_enterprise()
        cls.check_authorization(cases)
        for case in cases:
            case.authorized_date = cls._today()
            case.instantiate_handbook()
        cls.set_number(cases)

    @classmethod
    def _start(cls, cases):
        cls.check_authorization(cases)
        for case in cases:
            case.instantiate_handbook()
            if not case.steps:
                raise CaseError(gettext(
                        'hall_proxy.msg_case_no_steps', case=case.rec_name))
            if not case.started_date:
                case.started_date = cls._today()
        cls.save(cases)

    @classmethod
    @ModelView.button
    @strict_transition('in_progress')
    def start(cls, cases):
        cls._start(cases)

    @classmethod
    @ModelView.button
    @strict_transition('completed')
    def complete(cls, cases):
        for case in cases:
            open_steps = [s for s in case.steps
                if s.state in {'planned', 'in_progress'}]
            if open_steps:
                raise CaseError(gettext(
                        'hall_proxy.msg_case_steps_open',
                        case=case.rec_name,
                        steps=', '.join(
                            s.service.rec_name for s in open_steps)))
        cls.write(cases, {'completed_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('suspended')
    def suspend(cls, cases):
        for case in cases:
            if not (case.suspension_reason or '').strip():
                raise CaseError(gettext(
                        'hall_proxy.msg_case_suspension_reason',
                        case=case.rec_name))
        cls.write(cases, {'suspended_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('in_progress')
    def resume(cls, cases):
        cls._start(cases)
        cls.write(cases, {
                'suspended_date': None,
                'suspension_reason': None,
                })

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, cases):
        for case in cases:
            if not (case.cancel_reason or '').strip():
                raise CaseError(gettext(
                        'hall_proxy.msg_case_cancel_reason',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def draft(cls, cases):
        pass

    @classmethod
    def suspend_expired(cls):
        "Cron: suspend the cases whose authorisation has expired"
        cases = [c for c in cls.search([
                    ('state', 'in', ['authorized', 'in_progress']),
                    ])
            if not c.authorization_valid]
        for case in cases:
            authorization = case.authorization
            if authorization and authorization.valid_until:
                case.suspension_reason = gettext(
                    'hall_proxy.msg_case_suspended_expired',
                    date=authorization.valid_until)
            else:
                case.suspension_reason = gettext(
                    'hall_proxy.msg_case_suspended_unauthorized')
        cls.save(cases)
        cls.suspend(cases)
        return cases


class CaseTeamMember(ModelSQL):
    "Member of the team of a proxy case"
    __name__ = 'hall.proxy.case-company.employee'

    case = fields.Many2One(
        'hall.proxy.case', "Case", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')


class Authorization(ServerReadonlyMixin, ModelSQL, ModelView):
    "Authorisation (委托书) signed by the enterprise for a proxy case"
    __name__ = 'hall.proxy.authorization'
    _history = True

    case = fields.Many2One(
        'hall.proxy.case', "Case", required=True, ondelete='CASCADE')
    signed_date = fields.Date("Signed", required=True)
    valid_until = fields.Date(
        "Valid Until", required=True,
        help="Last day the authorisation is valid.")
    scope = fields.Text(
        "Scope", required=True,
        help="What the agent is authorised to do on behalf of the "
        "enterprise.")
    document = fields.Binary(
        "Signed Document", filename='document_name',
        help="The scan of the signed and stamped authorisation.")
    document_name = fields.Char("Document Name")
    valid = fields.Function(
        fields.Boolean("Valid", help="Signed, with its scan, covers today."),
        'get_valid')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('valid_until', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_signed_date(cls):
        return Pool().get('ir.date').today()

    def is_valid(self, today):
        return authorization_valid(
            self.signed_date, self.valid_until, bool(self.document), today)

    def get_valid(self, name):
        return self.is_valid(Pool().get('ir.date').today())

    def get_rec_name(self, name):
        return f'{self.signed_date} – {self.valid_until}'

    @classmethod
    def validate_fields(cls, authorizations, field_names):
        super().validate_fields(authorizations, field_names)
        if field_names & {'signed_date', 'valid_until'}:
            for authorization in authorizations:
                authorization.check_dates()

    def check_dates(self):
        pool = Pool()
        Configuration = pool.get('hall.proxy.configuration')
        Date = pool.get('ir.date')
        if self.valid_until < self.signed_date:
            raise CaseValidationError(gettext(
                    'hall_proxy.msg_authorization_dates',
                    case=self.case.rec_name,
                    signed=self.signed_date,
                    end=self.valid_until))
        today = Date.today()
        if self.signed_date > today:
            raise CaseValidationError(gettext(
                    'hall_proxy.msg_authorization_signed_future',
                    case=self.case.rec_name, signed=self.signed_date))
        max_days = Configuration(1).authorization_max_days
        if (self.valid_until - self.signed_date).days > max_days:
            raise CaseValidationError(gettext(
                    'hall_proxy.msg_authorization_too_long',
                    case=self.case.rec_name,
                    signed=self.signed_date,
                    end=self.valid_until,
                    days=max_days))


class LogEntry(ServerReadonlyMixin, ModelSQL, ModelView):
    "Progress log of a proxy case"
    __name__ = 'hall.proxy.log'

    case = fields.Many2One(
        'hall.proxy.case', "Case", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    author = fields.Many2One(
        'company.employee', "Author", ondelete='RESTRICT')
    note = fields.Text("Note", required=True)
    public = fields.Boolean(
        "Shown to the Enterprise",
        help="Printed on the progress summary sent to the enterprise.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_author(cls):
        return Transaction().context.get('employee')

    @classmethod
    def default_public(cls):
        return True


class ProgressSummary(HallReport):
    "Progress summary for the enterprise (帮办代办进度告知书)"
    __name__ = 'hall.proxy.case.progress'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['format_rate'] = format_rate
        context['agent_contact'] = cls.agent_contact
        return context

    @staticmethod
    def agent_contact(agent):
        "The agent's name and the phones the enterprise can call"
        if not agent:
            return ''
        phones = [p for p in [agent.party.mobile, agent.party.phone] if p]
        if phones:
            return f"{agent.rec_name}（电话：{'、'.join(phones)}）"
        return agent.rec_name
