# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall import clock
from trytond.modules.hall.locking import begin_write
from trytond.modules.hall.model import (
    CheckedWizardMixin, ServerReadonlyMixin)
from trytond.modules.hall.rpc_guard import MAX_ID
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import CallError, WindowOperatorError
from .queue_rules import minutes
from .ticket import CURRENT_STATES, OUTCOMES


class Window(metaclass=PoolMeta):
    __name__ = 'hall.window'

    queue_lines = fields.One2Many(
        'hall.queue.window', 'window', "Queues",
        help="The queues this window calls, in order.")
    current_ticket = fields.Function(
        fields.Many2One('hall.ticket', "Current Ticket"),
        'get_current_ticket')
    current_ticket_state = fields.Function(
        fields.Selection('get_ticket_states', "Ticket State"),
        'get_current_ticket')
    pauses = fields.One2Many(
        'hall.window.pause', 'window', "Pauses", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The window's id is checked by call_next_ticket itself: an id the
        # RPC layer instantiated would fail on a value of the wrong kind
        cls.__rpc__['call_next_ticket'] = cls.__rpc__['read'].__class__(
            readonly=False)
        serving = ~Eval('current_ticket_state').in_(['called', 'serving'])
        cls._buttons.update({
                'call_next': {
                    'invisible': Eval('state') != 'open',
                    # pressed again while the ticket is called, it shows
                    # that ticket: it never calls a second citizen
                    'readonly': Eval('current_ticket_state') == 'serving',
                    'icon': 'tryton-forward',
                    'depends': ['state', 'current_ticket_state'],
                    },
                'call_ticket': {
                    'invisible': Eval('state') != 'open',
                    'readonly': ~serving,
                    'icon': 'tryton-search',
                    'depends': ['state', 'current_ticket_state'],
                    },
                'recall_ticket': {
                    'invisible': Eval('current_ticket_state') != 'called',
                    'icon': 'tryton-refresh',
                    'depends': ['current_ticket_state'],
                    },
                'start_ticket': {
                    'invisible': Eval('current_ticket_state') != 'called',
                    'icon': 'tryton-ok',
                    'depends': ['current_ticket_state'],
                    },
                'finish_ticket': {
                    'invisible': Eval('current_ticket_state') != 'serving',
                    'icon': 'tryton-ok',
                    'depends': ['current_ticket_state'],
                    },
                'receive_application': {
                    'invisible': Eval('current_ticket_state') != 'serving',
                    'icon': 'tryton-add',
                    'depends': ['current_ticket_state'],
                    },
                'transfer_ticket': {
                    'invisible': ~Eval('current_ticket_state').in_(
                        ['called', 'serving']),
                    'icon': 'tryton-forward',
                    'depends': ['current_ticket_state'],
                    },
                })

    @classmethod
    def get_ticket_states(cls):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        return [(None, '')] + Ticket.fields_get(['state'])['state'][
            'selection']

    @classmethod
    def get_current_ticket(cls, windows, names):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        result = {n: dict.fromkeys(w.id for w in windows) for n in names}
        tickets = Ticket.search([
                ('window', 'in', [w.id for w in windows]),
                ('state', 'in', CURRENT_STATES),
                ], order=[('called_at', 'ASC')])
        for ticket in tickets:
            if 'current_ticket' in names:
                result['current_ticket'][ticket.window.id] = ticket.id
            if 'current_ticket_state' in names:
                result['current_ticket_state'][ticket.window.id] = (
                    ticket.state)
        return result

    def local_now(self):
        return clock.local_now(self.hall.company.timezone)

    def check_operator(self):
        """Refuse a user who is neither a hall manager nor the clerk (or
        stand-in) rostered today at this window."""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        RosterShift = pool.get('hall.roster.shift')
        if Transaction().user == 0:
            return
        manager = ModelData.get_id('hall', 'group_hall_manager')
        if manager in User.get_groups():
            return
        employees = User.get_employees()
        today = self.local_now().date()
        if not employees or not RosterShift.search([
                    ('window', '=', self.id),
                    ('date', '=', today),
                    ['OR',
                        ('employee', 'in', employees),
                        ('stand_in', 'in', employees),
                        ],
                    ], limit=1):
            raise WindowOperatorError(gettext(
                    'hall_queue.msg_window_not_rostered',
                    window=self.rec_name, date=today.strftime('%Y-%m-%d')))

    def operator_employee(self):
        "The employee calling: the user's, else the clerk rostered today"
        pool = Pool()
        User = pool.get('res.user')
        RosterShift = pool.get('hall.roster.shift')
        Employee = pool.get('company.employee')
        # the user's current employee (as the client's context says), from
        # the cached list of the user's employees: no read of the user
        employees = User.get_employees()
        if employees:
            employee = Transaction().context.get('employee')
            return Employee(
                employee if employee in employees else employees[0])
        shifts = RosterShift.search([
                ('window', '=', self.id),
                ('date', '=', self.local_now().date()),
                ], limit=1)
        return shifts[0].employee if shifts else None

    def held_ticket(self):
        "The ticket the window holds (called or serving), as stored now"
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        tickets = Ticket.search([
                ('window', '=', self.id),
                ('state', 'in', CURRENT_STATES),
                ], limit=1)
        return tickets[0] if tickets else None

    def _call(self, ticket_id=None, reason=None):
        """Call the best waiting ticket (or the waiting `ticket_id`) at the
        window.  Return the ticket, or None when nobody waits, and whether
        it is the ticket the window already held: a call-next pressed again
        (a retried request, two clicks) while the called citizen has not
        come returns that ticket instead of calling a second citizen."""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        self.check_operator()
        # SQLite: from here nobody else calls until commit (hall.locking)
        begin_write()
        if self.state != 'open':
            raise CallError(gettext(
                    'hall_queue.msg_window_not_open', window=self.rec_name))
        held = self.held_ticket()
        if held:
            if held.state == 'called' and ticket_id in {None, held.id}:
                return held, True
            raise CallError(gettext(
                    'hall_queue.msg_window_busy', window=self.rec_name,
                    ticket=held.number))
        ticket = Ticket.pick(self, self.local_now().date(), ticket_id)
        if ticket is None:
            return None, False
        Ticket.mark_called(
            ticket, self, self.operator_employee(),
            kind='out_of_order' if ticket_id else 'call', reason=reason)
        return ticket, False

    def call_out_of_order(self, ticket, reason):
        if not (reason or '').strip():
            raise CallError(gettext(
                    'hall_queue.msg_call_reason_required',
                    ticket=ticket.number))
        called, _ = self._call(ticket.id, reason=reason.strip())
        if called is None:
            raise CallError(gettext(
                    'hall_queue.msg_call_ticket_unavailable',
                    ticket=ticket.number, window=self.rec_name))
        return called

    def current(self, *states):
        ticket = self.current_ticket
        if not ticket or ticket.state not in states:
            raise CallError(gettext(
                    'hall_queue.msg_window_no_ticket', window=self.rec_name))
        return ticket

    @classmethod
    def _window_of_request(cls, window):
        "The window of the id a request sends, refusing what names none"
        window = getattr(window, 'id', window)
        if not (isinstance(window, int) and not isinstance(window, bool)
                and 0 < window <= MAX_ID
                and cls.search([('id', '=', window)], limit=1)):
            raise CallError(gettext('hall_queue.msg_window_unknown'))
        return cls(window)

    @classmethod
    def call_next_ticket(cls, window):
        """Call the best waiting ticket at `window` (an id, over RPC).
        Return its id and number, or None when nobody waits; `held` is
        true when the window already held that called ticket (see _call)."""
        window = cls._window_of_request(window)
        ticket, held = window._call()
        if ticket is None:
            return None
        return {'id': ticket.id, 'number': ticket.number, 'held': held}

    @classmethod
    @ModelView.button
    def call_next(cls, windows):
        for window in windows:
            if window._call()[0] is None:
                raise CallError(gettext(
                        'hall_queue.msg_window_nobody_waiting',
                        window=window.rec_name))

    @classmethod
    @ModelView.button_action('hall_queue.wizard_window_call_ticket')
    def call_ticket(cls, windows):
        pass

    @classmethod
    @ModelView.button
    def recall_ticket(cls, windows):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Ticket.recall([w.current('called') for w in windows])

    @classmethod
    @ModelView.button
    def start_ticket(cls, windows):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Ticket.start([w.current('called') for w in windows])

    @classmethod
    @ModelView.button_action('hall_queue.wizard_window_finish')
    def finish_ticket(cls, windows):
        pass

    @classmethod
    @ModelView.button_action('hall_queue.wizard_window_receive_application')
    def receive_application(cls, windows):
        pass

    @classmethod
    @ModelView.button_action('hall_queue.wizard_window_transfer')
    def transfer_ticket(cls, windows):
        pass

    @classmethod
    def pause(cls, windows):
        pool = Pool()
        Pause = pool.get('hall.window.pause')
        for window in windows:
            if window.state == 'open' and window.current_ticket:
                raise CallError(gettext(
                        'hall_queue.msg_window_pause_busy',
                        window=window.rec_name,
                        ticket=window.current_ticket.number))
        super().pause(windows)
        now = clock.utcnow()
        with without_check_access():
            Pause.create([{
                        'window': w.id,
                        'clerk': (e.id if (e := w.operator_employee())
                            else None),
                        'reason': w.pause_reason,
                        'start': now,
                        } for w in windows])

    @classmethod
    def open(cls, windows):
        pool = Pool()
        Pause = pool.get('hall.window.pause')
        super().open(windows)
        Pause.end_pauses(windows)

    @classmethod
    def close(cls, windows):
        pool = Pool()
        Pause = pool.get('hall.window.pause')
        for window in windows:
            if window.current_ticket:
                raise CallError(gettext(
                        'hall_queue.msg_window_close_busy',
                        window=window.rec_name,
                        ticket=window.current_ticket.number))
        super().close(windows)
        Pause.end_pauses(windows)


class WindowPause(ServerReadonlyMixin, ModelSQL, ModelView):
    "Pause of a window"
    __name__ = 'hall.window.pause'

    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='CASCADE',
        readonly=True)
    clerk = fields.Many2One(
        'company.employee', "Clerk", ondelete='RESTRICT', readonly=True)
    reason = fields.Char("Reason", readonly=True)
    start = fields.Timestamp("Start", required=True, readonly=True)
    end = fields.Timestamp("End", readonly=True)
    seconds = fields.Integer("Idle (Seconds)", readonly=True)
    minutes = fields.Function(
        fields.Float("Idle (Minutes)", digits=(16, 1)), 'get_minutes')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]

    def get_minutes(self, name):
        return minutes(self.seconds)

    @classmethod
    def end_pauses(cls, windows):
        now = clock.utcnow()
        pauses = cls.search([
                ('window', 'in', [w.id for w in windows]),
                ('end', '=', None),
                ])
        for pause in pauses:
            pause.end = now
            pause.seconds = int((now - pause.start).total_seconds())
        cls.save(pauses)


class WindowCallTicketStart(ServerReadonlyMixin, ModelView):
    "Call a ticket out of order"
    __name__ = 'hall.window.call_ticket.start'

    window = fields.Many2One('hall.window', "Window", readonly=True)
    queues = fields.Many2Many(
        'hall.queue', None, None, "Queues", readonly=True)
    date = fields.Date("Date", readonly=True)
    ticket = fields.Many2One(
        'hall.ticket', "Ticket", required=True,
        domain=[
            ('queue', 'in', Eval('queues', [])),
            ('state', '=', 'waiting'),
            ('date', '=', Eval('date', None)),
            ])
    reason = fields.Char(
        "Reason", required=True,
        help="Why this ticket is called before its turn; kept in the log.")


class WindowCallTicket(CheckedWizardMixin, Wizard):
    "Call a ticket out of order"
    __name__ = 'hall.window.call_ticket'
    start = StateView('hall.window.call_ticket.start',
        'hall_queue.window_call_ticket_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Call", 'call', 'tryton-ok', default=True),
            ])
    call = StateTransition()

    def default_start(self, fields):
        window = self.record
        return {
            'window': window.id,
            'queues': [l.queue.id for l in window.queue_lines],
            'date': window.local_now().date(),
            }

    def transition_call(self):
        self.record.call_out_of_order(self.start.ticket, self.start.reason)
        return 'end'


class WindowFinishStart(ServerReadonlyMixin, ModelView):
    "Finish the current ticket"
    __name__ = 'hall.window.finish.start'

    ticket = fields.Many2One('hall.ticket', "Ticket", readonly=True)
    outcome = fields.Selection(OUTCOMES, "Outcome", required=True)
    note = fields.Text("Note")


class WindowFinish(CheckedWizardMixin, Wizard):
    "Finish the current ticket"
    __name__ = 'hall.window.finish'
    start = StateView('hall.window.finish.start',
        'hall_queue.window_finish_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Finish", 'finish', 'tryton-ok', default=True),
            ])
    finish = StateTransition()

    def default_start(self, fields):
        ticket = self.record.current('serving')
        return {
            'ticket': ticket.id,
            'outcome': 'handled',
            'note': ticket.note,
            }

    def transition_finish(self):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        shown = self.start.ticket
        if (shown and shown.window == self.record
                and shown.state == 'done'):
            # pressed again once finished: nothing more to do
            return 'end'
        ticket = self.record.current('serving')
        ticket.outcome = self.start.outcome
        ticket.note = self.start.note
        ticket.save()
        Ticket.finish([ticket])
        return 'end'
