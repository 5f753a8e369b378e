# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The application for a theme (主题办件): received once at a comprehensive
window (one applicant, the materials of every service checked once, one
一次性告知 of everything missing), accepted as one application (办件) of each
service at its department, due on the theme's plan, and following them to
completion."""
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.hall.application import CHANNELS, ReceptionMixin
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.modules.hall.identity_rules import mask_code
from trytond.modules.hall.party import (
    PersonalDataMixin, citizen_parties_query)
from trytond.modules.hall.report import HallReport
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import theme_rules
from .exceptions import ThemeApplicationError

STATES = [
    ('draft', "Draft"),
    ('received', "Received"),
    ('supplement', "Supplement Requested"),
    ('accepted', "Accepted"),
    ('partial', "Partly Completed"),
    ('completed', "Completed"),
    ('rejected', "Rejected in Part"),
    ('withdrawn', "Withdrawn"),
    ]
# The states that follow the children
FOLLOWING_STATES = ['accepted', 'partial', 'completed', 'rejected']
CHECK_STATES = ['received', 'supplement']
# The identifier an applicant of each kind of theme has
APPLICANT_IDENTIFIERS = {'person': 'cn_ric', 'enterprise': 'cn_vat'}

MATERIAL_STATUSES = [
    ('pending', "To Check"),
    ('provided', "Provided"),
    ('electronic', "Electronic Licence Shown"),
    ('missing', "Missing"),
    ]

_draft_only = {'readonly': Eval('state') != 'draft'}


class ThemeApplication(
        ReceptionMixin, ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Theme Application"
    __name__ = 'hall.theme.application'
    _history = True
    _delete_message = 'hall_theme.msg_theme_application_delete'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft_only)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, states=_draft_only,
        domain=[('company', '=', Eval('company', -1))])
    theme = fields.Many2One(
        'hall.theme', "Theme", required=True, ondelete='RESTRICT',
        states=_draft_only,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                [('state', '=', 'published'),
                    ('halls', '=', Eval('hall', -1))],
                []),
            ])
    applicant = fields.Many2One(
        'party.party', "Applicant", required=True, states=_draft_only,
        ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="A citizen with a resident identity card number or an "
        "enterprise with a unified social credit code, as the theme is "
        "for.")
    agent = fields.Many2One(
        'party.party', "Agent", states=_draft_only, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The person who applies on behalf of the applicant.")
    window = fields.Many2One(
        'hall.window', "Window", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('kind', '=', 'comprehensive'),
            ],
        states={
            'readonly': ~Eval('state').in_(['draft', 'received']),
            },
        help="The comprehensive window (综合窗口) that receives the theme.")
    clerk = employee_field(
        "Clerk", states=[s for s, _ in STATES if s != 'draft'])
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
    completed_date = fields.Date(
        "Concluded", readonly=True,
        help="The day the last of its applications was decided.")
    promised_due_date = fields.Date(
        "Promised Due Date", readonly=True,
        help="The end of the theme's promised limit in working days.")
    actual_days = fields.Integer(
        "Working Days Taken", readonly=True,
        help="Working days from acceptance to the last decision.")
    visits = fields.Integer(
        "Visits", readonly=True,
        help="Times the applicant came to the hall for the theme.")
    materials = fields.One2Many(
        'hall.theme.application.material', 'application', "Materials",
        states={
            'readonly': ~Eval('state').in_(CHECK_STATES),
            },
        help="The materials of every service of the theme, each checked "
        "once.")
    children = fields.One2Many(
        'hall.application', 'theme_application', "Applications",
        readonly=True,
        help="The application of each service, at its department.")
    withdrawal_reason = fields.Text(
        "Withdrawal Reason",
        states={
            'readonly': ~Eval('state').in_(CHECK_STATES),
            'invisible': ~Eval('state').in_(CHECK_STATES + ['withdrawn']),
            })
    note = fields.Text("Note")
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_theme.msg_theme_application_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.received_date, Index.Range())),
                })
        cls._order = [('received_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'received'),
            ('received', 'supplement'),
            ('received', 'accepted'),
            ('supplement', 'accepted'),
            ('received', 'withdrawn'),
            ('supplement', 'withdrawn'),
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
                    'invisible': ~Eval('state').in_(CHECK_STATES),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(CHECK_STATES),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_channel():
        return 'window'

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'received_date', 'supplement_date',
                'accepted_date', 'completed_date', 'promised_due_date',
                'actual_days', 'withdrawal_reason', 'clerk']:
            default.setdefault(field, None)
        default.setdefault('visits', 0)
        default.setdefault('materials', None)
        default.setdefault('children', None)
        return super().copy(applications, default=default)

    @classmethod
    def _number_sequence(cls):
        Configuration = Pool().get('hall.configuration')
        return Configuration(1).get_theme_application_sequence()

    def check_applicant(self):
        "The applicant is who the theme is for"
        wanted = APPLICANT_IDENTIFIERS[self.theme.kind]
        if not any(i.type == wanted for i in self.applicant.identifiers):
            raise ThemeApplicationError(gettext(
                    'hall_theme.msg_theme_application_applicant_%s'
                    % self.theme.kind,
                    applicant=self.applicant.rec_name,
                    theme=self.theme.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('received')
    @set_employee('clerk')
    def receive(cls, applications):
        pool = Pool()
        Line = pool.get('hall.theme.application.material')
        today = cls._today()
        lines = []
        for application in applications:
            if application.theme.state != 'published':
                raise ThemeApplicationError(gettext(
                        'hall_theme.msg_theme_application_unpublished',
                        theme=application.theme.rec_name))
            application.check_applicant()
            application.received_date = today
            if not application.materials:
                lines.extend(Line.from_theme(application))
        cls._add_visit(applications)
        cls.set_number(applications)
        Line.save(lines)

    @classmethod
    @ModelView.button_action('hall_theme.report_theme_missing_materials')
    @strict_transition('supplement')
    def request_supplement(cls, applications):
        pool = Pool()
        Line = pool.get('hall.theme.application.material')
        notified = []
        for application in applications:
            missing = [m for m in application.materials
                if m.status == 'missing']
            if not missing:
                raise ThemeApplicationError(gettext(
                        'hall_theme.msg_theme_application_supplement_empty',
                        application=application.rec_name))
            application.supplement_date = cls._today()
            notified.extend(missing)
        cls.save(applications)
        Line.write(notified, {'notified': True})

    @classmethod
    @ModelView.button
    @strict_transition('accepted')
    def accept(cls, applications):
        pool = Pool()
        Application = pool.get('hall.application')
        CalendarDay = pool.get('hall.calendar.day')
        today = cls._today()
        for application in applications:
            application.check_materials()
        children, due_dates = [], []
        cls._add_visit([a for a in applications if a.state == 'supplement'])
        for application in applications:
            application.accepted_date = today
            application.promised_due_date = CalendarDay.add_working_days(
                today, application.theme.promised_limit or 0)
            for step, (_, end) in application.plan().items():
                children.append(application.child(step))
                due_dates.append(CalendarDay.add_working_days(today, end))
        cls.save(applications)
        Application.save(children)
        # the children go through their own workflow, as received and
        # accepted at the comprehensive window; the applicant came once, for
        # the theme
        Application.receive(children)
        Application.accept(children)
        to_write = []
        for child, due_date in zip(children, due_dates):
            to_write.extend([[child], {
                        'visits': 0,
                        'promised_due_date': due_date,
                        }])
        if to_write:
            Application.write(*to_write)

    def plan(self):
        "{step: (first day, last day)} of the theme's plan"
        return theme_rules.stage_windows(self.theme.plan_steps())

    def child(self, step):
        "The application of the step's service, not saved"
        pool = Pool()
        Application = pool.get('hall.application')
        Window = pool.get('hall.window')
        windows = Window.search([
                ('hall', '=', self.hall.id),
                ('kind', '=', 'dedicated'),
                ('services', '=', step.service.id),
                ], limit=1)
        return Application(
            company=self.company, hall=self.hall,
            applicant=self.applicant, agent=self.agent,
            service=step.service, channel=self.channel,
            window=windows[0] if windows else None, clerk=self.clerk,
            theme_application=self)

    def check_materials(self):
        "Every material checked, none mandatory missing"
        for line in self.materials:
            if line.status == 'pending' or (
                    line.status == 'missing' and line.mandatory):
                raise ThemeApplicationError(gettext(
                        'hall_theme.msg_theme_application_materials',
                        application=self.rec_name, material=line.name))

    @classmethod
    @ModelView.button
    @strict_transition('withdrawn')
    def withdraw(cls, applications):
        for application in applications:
            if not (application.withdrawal_reason or '').strip():
                raise ThemeApplicationError(gettext(
                        'hall_theme.msg_theme_application_withdrawal_reason',
                        application=application.rec_name))

    @classmethod
    def follow(cls, applications):
        """Follow the children: the state their states make, and the day of
        the last decision"""
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        today = cls._today()
        to_write = []
        for application in applications:
            if application.state not in FOLLOWING_STATES:
                continue
            states = [c.state for c in application.children]
            state = theme_rules.theme_state(states)
            values = {}
            if state != application.state:
                values['state'] = state
            if (states and all(s in theme_rules.CHILD_CLOSED for s in states)
                    and not application.completed_date):
                values['completed_date'] = today
                values['actual_days'] = CalendarDay.count_working_days(
                    application.accepted_date, today)
            if values:
                to_write.extend([[application], values])
        if to_write:
            cls.write(*to_write)


class ThemeApplicationMaterial(
        PersonalDataMixin, ServerReadonlyMixin, sequence_ordered(),
        ModelSQL, ModelView):
    "Theme Application Material"
    __name__ = 'hall.theme.application.material'
    _personal_party_field = 'application.applicant'

    application = fields.Many2One(
        'hall.theme.application', "Application", required=True,
        ondelete='CASCADE', readonly=True)
    type = fields.Many2One(
        'hall.material.type', "Type", readonly=True, ondelete='RESTRICT')
    name = fields.Char("Material", readonly=True, required=True)
    services = fields.Char(
        "Services", readonly=True, help="The services that ask for it.")
    mandatory = fields.Boolean("Mandatory", readonly=True)
    electronic_available = fields.Boolean(
        "Electronic Licence Available", readonly=True)
    status = fields.Selection(
        MATERIAL_STATUSES, "Status", required=True,
        states={
            'readonly': ~Eval('application_state').in_(CHECK_STATES),
            })
    licence_number = fields.Char(
        "Licence Number",
        states={
            'invisible': Eval('status') != 'electronic',
            'required': Eval('status') == 'electronic',
            'readonly': ~Eval('application_state').in_(CHECK_STATES),
            },
        help="The number of the electronic licence shown (亮码办), kept "
        "instead of a paper copy.")
    problem = fields.Char(
        "Problem",
        states={
            'invisible': Eval('status') != 'missing',
            'readonly': ~Eval('application_state').in_(CHECK_STATES),
            },
        help="What is missing or wrong, as the notice tells it.")
    notified = fields.Boolean(
        "Notified", readonly=True,
        help="Listed missing on the one-time notice (一次性告知书).")
    application_state = fields.Function(
        fields.Selection(STATES, "Application State"),
        'on_change_with_application_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.status.domain = [
            If(~Bool(Eval('electronic_available')),
                ('status', '!=', 'electronic'), ()),
            ]

    @classmethod
    def default_status(cls):
        return 'pending'

    @classmethod
    def default_notified(cls):
        return False

    @fields.depends('application', '_parent_application.state')
    def on_change_with_application_state(self, name=None):
        if self.application:
            return self.application.state

    @classmethod
    def from_theme(cls, application):
        "The lines of the theme's combined materials, not saved"
        return [cls(application=application, sequence=i,
                type=m.type, name=m.name, mandatory=m.mandatory,
                electronic_available=m.electronic,
                services='、'.join(s.name for s in m.services))
            for i, m in enumerate(application.theme.materials)]

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'create', 'delete'}:
            # the lines are the theme's materials, made on reception
            raise ThemeApplicationError(gettext(
                    'hall_theme.msg_theme_application_material_lines'))
        if mode == 'write':
            for line in lines:
                if line.application.state not in CHECK_STATES:
                    raise ThemeApplicationError(gettext(
                            'hall_theme.msg_theme_application_material_state',
                            application=line.application.rec_name))

    @classmethod
    def _personal_fields(cls):
        return {'licence_number': mask_code}

    @classmethod
    def _personal_relations(cls):
        return set()

    @classmethod
    def _citizen_records(cls, ids):
        Application = Pool().get('hall.theme.application')
        line = cls.__table__()
        application = Application.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub_ids in grouped_slice(ids):
            cursor.execute(*line.join(application,
                    condition=line.application == application.id).select(
                    line.id,
                    where=fields.SQL_OPERATORS['in'](line.id, sub_ids)
                    & application.applicant.in_(citizen_parties_query())))
            result.update((i, 'cn_ric') for i, in cursor)
        return result


class Application(metaclass=PoolMeta):
    __name__ = 'hall.application'

    theme_application = fields.Many2One(
        'hall.theme.application', "Theme Application", readonly=True,
        ondelete='RESTRICT',
        help="The theme (一件事) the application is a part of.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.theme_application, Index.Equality())))

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('theme_application', None)
        return super().copy(applications, default=default)

    @classmethod
    def _follow_theme(cls, applications):
        ThemeApplication = Pool().get('hall.theme.application')
        themes = {a.theme_application.id for a in applications
            if a.theme_application}
        if themes:
            with without_check_access():
                ThemeApplication.follow(ThemeApplication.browse(themes))

    @classmethod
    def approve(cls, applications):
        super().approve(applications)
        cls._follow_theme(applications)

    @classmethod
    def reject(cls, applications):
        super().reject(applications)
        cls._follow_theme(applications)

    @classmethod
    def complete(cls, applications):
        super().complete(applications)
        cls._follow_theme(applications)

    @classmethod
    def withdraw(cls, applications):
        super().withdraw(applications)
        cls._follow_theme(applications)


class ThemeMissingMaterialsNotice(HallReport):
    "Missing materials notice of a theme (一次性告知书)"
    __name__ = 'hall.theme.application.missing_materials'

    @classmethod
    def get_context(cls, records, header, data):
        for record in records:
            if not record.supplement_date:
                raise ThemeApplicationError(gettext(
                        'hall_theme.msg_theme_application_report_state',
                        application=record.rec_name))
        context = super().get_context(records, header, data)
        context['missing'] = lambda application: [
            m for m in application.materials if m.notified]
        return context
