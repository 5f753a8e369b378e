# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pyson import Eval
from trytond.transaction import check_access

from . import clock
from .exceptions import HallValidationError, WorkflowError
from .model import CodeSearchMixin, ServerReadonlyMixin
from .workflow import strict_transition

WINDOW_KINDS = [
    ('comprehensive', "Comprehensive"),
    ('dedicated', "Dedicated"),
    ('green_channel', "Green Channel"),
    ('consultation', "Consultation"),
    ('collection', "Collection"),
    ('issuing', "Issuing"),
    ]


class Window(
        ServerReadonlyMixin, CodeSearchMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.window'
    _rec_name_search_fields = ('number', 'name')

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    zone = fields.Many2One(
        'hall.zone', "Zone", ondelete='RESTRICT',
        domain=[('hall', '=', Eval('hall', -1))])
    number = fields.Char("Number", required=True, help="For example A12.")
    name = fields.Char("Name")
    kind = fields.Selection(WINDOW_KINDS, "Kind", required=True)
    department = fields.Many2One(
        'hall.department', "Department", ondelete='RESTRICT',
        states={
            'required': Eval('kind') == 'dedicated',
            'invisible': Eval('kind') != 'dedicated',
            })
    services = fields.Many2Many(
        'hall.window-hall.service', 'window', 'service', "Services")
    state = fields.Selection([
            ('open', "Open"),
            ('paused', "Paused"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True)
    state_since = fields.Timestamp("State Since", readonly=True)
    pause_reason = fields.Char(
        "Pause Reason",
        states={
            'invisible': Eval('state') == 'closed',
            'readonly': Eval('state') == 'paused',
            })
    roster_shifts = fields.One2Many(
        'hall.roster.shift', 'window', "Roster Shifts", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_number_unique', Unique(t, t.hall, t.number),
                'hall.msg_window_number_unique'),
            ]
        cls._order = [('hall', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('closed', 'open'),
            ('open', 'paused'),
            ('paused', 'open'),
            ('open', 'closed'),
            ('paused', 'closed'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') == 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'pause': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-notification-off',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'closed'

    @staticmethod
    def default_kind():
        return 'comprehensive'

    def get_rec_name(self, name):
        if self.name:
            return f'{self.number} {self.name}'
        return self.number

    @classmethod
    def validate_fields(cls, windows, field_names):
        super().validate_fields(windows, field_names)
        if field_names & {'kind', 'department', 'services'}:
            for window in windows:
                window.check_department_services()

    def check_department_services(self):
        if self.kind == 'dedicated' and self.department:
            foreign = [s for s in self.services
                if s.department != self.department]
            if foreign:
                raise HallValidationError(gettext(
                        'hall.msg_window_dedicated_services',
                        window=self.rec_name,
                        department=self.department.rec_name,
                        services=', '.join(s.rec_name for s in foreign)))

    @classmethod
    def _record_state_change(cls, windows, **values):
        # Buttons run without access checks: this write applies the record
        # rules, so a clerk operates only the windows rostered to them.
        with check_access():
            cls.write(windows, {
                    'state_since': clock.utcnow(),
                    **values,
                    })

    @classmethod
    @ModelView.button
    @strict_transition('open')
    def open(cls, windows):
        cls._record_state_change(windows, pause_reason=None)

    @classmethod
    @ModelView.button
    @strict_transition('paused')
    def pause(cls, windows):
        for window in windows:
            if not window.pause_reason:
                raise WorkflowError(gettext(
                        'hall.msg_window_pause_reason',
                        window=window.rec_name))
        cls._record_state_change(windows)

    @classmethod
    @ModelView.button
    @strict_transition('closed')
    def close(cls, windows):
        cls._record_state_change(windows, pause_reason=None)


class WindowService(ModelSQL):
    "Services served at a window"
    __name__ = 'hall.window-hall.service'

    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('window_service_unique', Unique(t, t.window, t.service),
                'hall.msg_window_service_unique'),
            ]
