# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval

from .exceptions import IssueError

ISSUE_STATES = [
    ('open', "Open"),
    ('resolved', "Resolved"),
    ]


class Meeting(ServerReadonlyMixin, ModelSQL, ModelView):
    "Joint review meeting (联席会审) of a green-channel project"
    __name__ = 'hall.green_channel.meeting'
    _history = True

    project = fields.Many2One(
        'hall.green_channel.project', "Project", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    subject = fields.Char("Subject", required=True)
    chair = fields.Many2One(
        'company.employee', "Chaired by", ondelete='RESTRICT')
    departments = fields.Many2Many(
        'hall.green_channel.meeting-hall.department', 'meeting',
        'department', "Departments Present")
    minutes = fields.Text("Minutes")
    issues = fields.One2Many(
        'hall.green_channel.meeting.issue', 'meeting', "Issues Raised")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.date} {self.subject}'


class MeetingDepartment(ModelSQL):
    "Department present at a joint review meeting"
    __name__ = 'hall.green_channel.meeting-hall.department'

    meeting = fields.Many2One(
        'hall.green_channel.meeting', "Meeting", required=True,
        ondelete='CASCADE')
    department = fields.Many2One(
        'hall.department', "Department", required=True, ondelete='CASCADE')


class Issue(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Issue raised at a joint review meeting, with who resolves it and when"
    __name__ = 'hall.green_channel.meeting.issue'
    _history = True

    meeting = fields.Many2One(
        'hall.green_channel.meeting', "Meeting", required=True,
        ondelete='CASCADE',
        states={
            'readonly': Eval('state') != 'open',
            })
    project = fields.Function(
        fields.Many2One('hall.green_channel.project', "Project"),
        'on_change_with_project', searcher='search_project')
    description = fields.Text(
        "Issue", required=True,
        states={
            'readonly': Eval('state') != 'open',
            })
    department = fields.Many2One(
        'hall.department', "Responsible Department", ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'open',
            })
    owner = fields.Many2One(
        'company.employee', "Owner", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'open',
            },
        help="Who follows the issue until it is resolved.")
    due_date = fields.Date(
        "Due Date", required=True,
        states={
            'readonly': Eval('state') != 'open',
            })
    resolution = fields.Text(
        "Resolution",
        states={
            'readonly': Eval('state') != 'open',
            })
    resolved_date = fields.Date("Resolved", readonly=True)
    overdue = fields.Function(
        fields.Boolean(
            "Overdue", help="Still open past its due date."),
        'get_overdue', searcher='search_overdue')
    state = fields.Selection(
        ISSUE_STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'resolved'),
            ('resolved', 'open'),
            }
        cls._buttons.update({
                'resolve': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'resolved',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @fields.depends('meeting', '_parent_meeting.project')
    def on_change_with_project(self, name=None):
        return self.meeting.project if self.meeting else None

    @classmethod
    def search_project(cls, name, clause):
        return [('meeting.' + clause[0], *clause[1:])]

    @classmethod
    def _today(cls):
        return company_today()

    def get_overdue(self, name):
        return bool(self.state == 'open' and self.due_date
            and self.due_date < self._today())

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [
                ('state', '=', 'open'),
                ('due_date', '<', cls._today()),
                ]
        return ['OR',
            ('state', '!=', 'open'),
            ('due_date', '>=', cls._today()),
            ]

    def get_rec_name(self, name):
        description = (self.description or '').splitlines()
        return description[0][:40] if description else str(self.id)

    @classmethod
    @ModelView.button
    @strict_transition('resolved')
    def resolve(cls, issues):
        for issue in issues:
            if not (issue.resolution or '').strip():
                raise IssueError(gettext(
                        'hall_green_channel.msg_issue_resolution',
                        issue=issue.rec_name))
        cls.write(issues, {'resolved_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('open')
    def reopen(cls, issues):
        cls.write(issues, {'resolved_date': None})
