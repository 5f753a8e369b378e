# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import phonenumbers

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
    ContactValidationError, ProjectDeleteError, ProjectError)

CATEGORIES = [
    ('major_investment', "Major Investment Project"),
    ('key_investment', "Key Investment-Attraction Project"),
    ('major_livelihood', "Major Livelihood Project"),
    ('other', "Other"),
    ]

STATES = [
    ('draft', "Draft"),
    ('accepted', "Accepted"),
    ('in_progress', "In Progress"),
    ('completed', "Completed"),
    ('cancelled', "Cancelled"),
    ]
# A project in these states is the enterprise's active green channel.
ACTIVE_STATES = ['accepted', 'in_progress']

_draft_only = {'readonly': Eval('state') != 'draft'}
_open = {'readonly': Eval('state').in_(['completed', 'cancelled'])}


class Project(
        NextStepMixin, ServerReadonlyMixin, ApprovalProjectMixin, Workflow,
        ModelSQL, ModelView):
    "Green-channel project (绿色通道项目)"
    __name__ = 'hall.green_channel.project'
    _next_step_messages = 'hall_green_channel.msg_project_next'
    _history = True
    _approval_items = 'items'
    _approval_sequence = (
        'hall.green_channel.configuration', 'project_sequence')
    _approval_number_unique = 'hall_green_channel.msg_project_number_unique'
    _approval_copy_reset = (
        'accepted_date', 'cancelled_date', 'meetings', 'extra_services')

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
    category = fields.Selection(
        CATEGORIES, "Category", required=True, states=_draft_only)
    category_string = category.translated('category')
    investment = fields.Numeric(
        "Investment (10,000 CNY)", digits=(16, 2), states=_open,
        domain=['OR',
            ('investment', '=', None),
            ('investment', '>=', 0),
            ],
        help="Total investment in ten thousand yuan (万元).")
    location = fields.Char("Location", states=_open)
    officer = fields.Many2One(
        'company.employee', "Escort Officer", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={
            'readonly': Eval('state').in_(['completed', 'cancelled']),
            'required': Eval('state').in_(['accepted', 'in_progress']),
            },
        help="The green-channel officer who escorts the project "
        "(全程帮办专员).")
    contacts = fields.One2Many(
        'hall.green_channel.project.contact', 'project',
        "Enterprise Contacts", states=_open)
    description = fields.Text("Description", states=_open)
    items = fields.One2Many(
        'hall.green_channel.item', 'project', "Approval Items",
        states=_open)
    meetings = fields.One2Many(
        'hall.green_channel.meeting', 'project', "Joint Review Meetings",
        states=_open)
    extra_services = fields.One2Many(
        'hall.green_channel.extra_service', 'project', "Extra Services",
        states=_open)
    open_issues = fields.Function(
        fields.Integer("Open Issues"), 'get_issues')
    overdue_issues = fields.Function(
        fields.Integer(
            "Overdue Issues",
            help="Issues of the joint reviews still open past their due "
            "date."),
        'get_issues')
    accepted_date = fields.Date("Accepted", readonly=True)
    cancelled_date = fields.Date("Cancelled", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('accepted_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'accepted'),
            ('accepted', 'in_progress'),
            ('draft', 'cancelled'),
            ('accepted', 'cancelled'),
            ('in_progress', 'cancelled'),
            }
        cls._buttons.update({
                'accept': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'start': {
                    'invisible': Eval('state') != 'accepted',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'accepted', 'in_progress']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_category(cls):
        return 'major_investment'

    @classmethod
    def default_officer(cls):
        return Transaction().context.get('employee')

    @classmethod
    def get_issues(cls, projects, names):
        pool = Pool()
        Issue = pool.get('hall.green_channel.meeting.issue')
        result = {name: {p.id: 0 for p in projects} for name in names}
        ids = [p.id for p in projects]
        domains = {
            'open_issues': [('state', '=', 'open')],
            'overdue_issues': [('overdue', '=', True)],
            }
        for name in names:
            for issue in Issue.search([
                        ('meeting.project', 'in', ids),
                        *domains[name],
                        ]):
                result[name][issue.meeting.project.id] += 1
        return result

    @classmethod
    def active_project_of(cls, party):
        """Return the active green-channel project of the enterprise `party`
        (accepted or in progress), or None."""
        projects = cls.search([
                ('party', '=', party.id),
                ('state', 'in', ACTIVE_STATES),
                ], order=[('accepted_date', 'DESC'), ('id', 'DESC')],
            limit=1)
        return projects[0] if projects else None

    def _delete_error(self):
        return ProjectDeleteError(gettext(
                'hall_green_channel.msg_project_delete_draft',
                project=self.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('accepted')
    def accept(cls, projects):
        for project in projects:
            project.check_enterprise()
            if not project.officer:
                raise ProjectError(gettext(
                        'hall_green_channel.msg_project_officer',
                        project=project.rec_name))
            project.accepted_date = cls._today()
        cls.set_number(projects)

    @classmethod
    @ModelView.button
    @strict_transition('in_progress')
    def start(cls, projects):
        for project in projects:
            if not project.items:
                raise ProjectError(gettext(
                        'hall_green_channel.msg_project_no_items',
                        project=project.rec_name))
        cls.write(projects, {'started_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('completed')
    def complete(cls, projects):
        for project in projects:
            open_items = [i for i in project.items
                if i.state in {'planned', 'in_progress'}]
            if open_items:
                raise ProjectError(gettext(
                        'hall_green_channel.msg_project_items_open',
                        project=project.rec_name,
                        items=', '.join(
                            i.service.rec_name for i in open_items)))
            if project.open_issues:
                raise ProjectError(gettext(
                        'hall_green_channel.msg_project_issues_open',
                        project=project.rec_name,
                        count=project.open_issues))
        cls.write(projects, {'completed_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, projects):
        for project in projects:
            if not (project.cancel_reason or '').strip():
                raise ProjectError(gettext(
                        'hall_green_channel.msg_project_cancel_reason',
                        project=project.rec_name))
        cls.write(projects, {'cancelled_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def draft(cls, projects):
        cls.write(projects, {'cancelled_date': None})


class ProjectContact(ServerReadonlyMixin, ModelSQL, ModelView):
    "Contact person of the enterprise for a green-channel project"
    __name__ = 'hall.green_channel.project.contact'

    project = fields.Many2One(
        'hall.green_channel.project', "Project", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    position = fields.Char("Position")
    phone = fields.Char(
        "Phone", help="A Chinese phone number, for example "
        "+86 138 1234 5678 or 0571-8765 4321.")
    email = fields.Char("Email")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('project', 'ASC'))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('phone'):
            values['phone'] = format_phone(values['phone'])
        return values

    @classmethod
    def validate_fields(cls, contacts, field_names):
        super().validate_fields(contacts, field_names)
        if 'phone' in field_names:
            for contact in contacts:
                contact.check_phone()

    def check_phone(self):
        if self.phone and not is_phone(self.phone):
            raise ContactValidationError(gettext(
                    'hall_green_channel.msg_contact_phone',
                    phone=self.phone, contact=self.name))


def _parse_phone(value):
    try:
        return phonenumbers.parse(value, 'CN')
    except phonenumbers.NumberParseException:
        return None


def is_phone(value):
    "A valid phone number of China"
    number = _parse_phone(value)
    return bool(number and phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == 'CN')


def format_phone(value):
    "The international form (+86 ...) of a valid number, else the value"
    number = _parse_phone(value)
    if number and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return value


class Dossier(HallReport):
    "Project dossier (项目审批档案)"
    __name__ = 'hall.green_channel.project.dossier'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['format_rate'] = format_rate
        return context
