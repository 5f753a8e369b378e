# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import secrets

from sql import Null
from sql.aggregate import Count, Max

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall import clock
from trytond.modules.hall.identity_rules import (
    is_id_number, is_mobile, mask_id_number, mask_mobile,
    normalize_id_number, normalize_mobile)
from trytond.modules.hall.locking import check_current
from trytond.modules.hall.model import ServerReadonlyMixin, TodayMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .call import WINDOW_CURRENT_INDEX, TicketCalling
from .exceptions import CallError, IssueError, TicketValidationError
from .queue_rules import (
    PRIORITIES, PRIORITY_RANK, estimated_wait_seconds, minutes,
    ticket_number)

CHANNELS = [
    ('kiosk', "Kiosk"),
    ('web', "Web or Mobile"),
    ('appointment', "Appointment Check-in"),
    ('counter', "Counter"),
    ]
STATES = [
    ('waiting', "Waiting"),
    ('called', "Called"),
    ('serving', "Serving"),
    ('done', "Done"),
    ('no_show', "No-Show"),
    ('transferred', "Transferred"),
    ('cancelled', "Cancelled"),
    ('expired', "Expired"),
    ]
# States of the tickets a window has in hand
CURRENT_STATES = ['called', 'serving']
# seconds after a call within which a recall is the same press again
RECALL_REPEAT = 10
OUTCOMES = [
    ('handled', "Handled"),
    ('consulted', "Consultation Only"),
    ('materials_missing', "Materials Missing (One-Time Notice)"),
    ('referred', "Referred Elsewhere"),
    ('other', "Other"),
    ]

_readonly = {'readonly': True}


class Ticket(
        TicketCalling, TodayMixin, ServerReadonlyMixin, Workflow, ModelSQL,
        ModelView):
    "Queue ticket (排队号)"
    __name__ = 'hall.ticket'
    _history = True
    # A busy hall clicks call, start and finish thousands of times a day:
    # the ticket's history and its call log (hall.ticket.call) already say
    # who did what and when, so the clicks are not logged again in
    # ir.model.log (each log is a validated row written at commit).
    _log = False
    _rec_name = 'number'

    queue = fields.Many2One(
        'hall.queue', "Queue", required=True, ondelete='RESTRICT',
        states=_readonly)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_readonly)
    date = fields.Date("Date", required=True, states=_readonly)
    sequence = fields.Integer("Sequence", required=True, states=_readonly)
    number = fields.Char("Number", required=True, states=_readonly)
    # Lazy: read by the public pages only (personal_data.xml refuses it to
    # the back office), the clients read the rest of the ticket
    token = fields.Char(
        "Token", required=True, states=_readonly, strip=False,
        loading='lazy',
        help="The secret in the address of the ticket's status page.")
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'waiting'})
    id_number = fields.Char(
        "ID Number", states={'readonly': Eval('state') != 'waiting'})
    id_number_masked = fields.Function(
        fields.Char("ID Number"), 'get_masked')
    mobile = fields.Char(
        "Mobile", states={'readonly': Eval('state') != 'waiting'})
    mobile_masked = fields.Function(fields.Char("Mobile"), 'get_masked')
    service = fields.Many2One(
        'hall.service', "Service", ondelete='RESTRICT',
        states={'readonly': ~Eval('state').in_(['waiting', 'called',
                    'serving'])})
    priority = fields.Selection(
        PRIORITIES, "Priority", required=True, states=_readonly)
    priority_rank = fields.Integer("Priority Rank", required=True,
        states=_readonly)
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, states=_readonly)
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    state_string = state.translated('state')
    window = fields.Many2One(
        'hall.window', "Window", ondelete='RESTRICT', states=_readonly)
    clerk = fields.Many2One(
        'company.employee', "Clerk", ondelete='RESTRICT', states=_readonly)
    issued_at = fields.Timestamp("Issued", required=True, states=_readonly,
        help="Kept through transfers: the ticket keeps its place.")
    issued_hour = fields.Integer("Hour Issued", states=_readonly,
        help="Local hour of the issue, for the statistics.")
    called_at = fields.Timestamp("Called", states=_readonly)
    started_at = fields.Timestamp("Started", states=_readonly)
    finished_at = fields.Timestamp("Finished", states=_readonly)
    recall_count = fields.Integer("Recalls", required=True, states=_readonly)
    call_reason = fields.Char("Out-of-Order Reason", states=_readonly)
    outcome = fields.Selection(
        [(None, "")] + OUTCOMES, "Outcome",
        states={'readonly': Eval('state') != 'serving'})
    note = fields.Text("Note")
    transferred_from = fields.Many2One(
        'hall.ticket', "Transferred From", ondelete='RESTRICT',
        states=_readonly)
    transferred_to = fields.One2Many(
        'hall.ticket', 'transferred_from', "Transferred To", readonly=True)
    applications = fields.One2Many(
        'hall.application', 'ticket', "Applications", readonly=True)
    calls = fields.One2Many(
        'hall.ticket.call', 'ticket', "Calls", readonly=True)
    wait_seconds = fields.Integer("Wait (Seconds)", states=_readonly)
    service_seconds = fields.Integer("Service (Seconds)", states=_readonly)
    wait_minutes = fields.Function(
        fields.Float("Wait (Minutes)", digits=(16, 1)), 'get_minutes')
    service_minutes = fields.Function(
        fields.Float("Service (Minutes)", digits=(16, 1)), 'get_minutes')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('queue_date_sequence_unique',
                Unique(t, t.queue, t.date, t.sequence),
                'hall_queue.msg_ticket_number_unique'),
            ('token_unique', Unique(t, t.token),
                'hall_queue.msg_ticket_token_unique'),
            ]
        cls._sql_indexes.update({
                Index(t,
                    (t.queue, Index.Equality()),
                    (t.date, Index.Equality()),
                    (t.priority_rank, Index.Range()),
                    (t.issued_at, Index.Range()),
                    where=t.state == 'waiting'),
                Index(t, (t.window, Index.Equality()),
                    where=t.state.in_(CURRENT_STATES)),
                Index(t, (t.hall, Index.Equality()),
                    (t.date, Index.Range())),
                })
        cls._order = [
            ('date', 'DESC'), ('issued_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('waiting', 'called'),
            ('called', 'serving'),
            ('serving', 'done'),
            ('called', 'no_show'),
            ('waiting', 'transferred'),
            ('called', 'transferred'),
            ('serving', 'transferred'),
            ('waiting', 'cancelled'),
            ('called', 'cancelled'),
            ('waiting', 'expired'),
            ('called', 'expired'),
            }
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'called',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'finish': {
                    'invisible': Eval('state') != 'serving',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'recall': {
                    'invisible': Eval('state') != 'called',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['waiting', 'called']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'transfer': {
                    'invisible': ~Eval('state').in_(
                        ['waiting', 'called', 'serving']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'receive_application': {
                    'invisible': Eval('state') != 'serving',
                    'icon': 'tryton-add',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cursor = Transaction().connection.cursor()
        states = ', '.join(f"'{s}'" for s in CURRENT_STATES)
        cursor.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{WINDOW_CURRENT_INDEX}" '
            f'ON "{cls._table}" ("window") WHERE "state" IN ({states})')

    @staticmethod
    def default_state():
        return 'waiting'

    @staticmethod
    def default_priority():
        return 'normal'

    @staticmethod
    def default_channel():
        return 'counter'

    @staticmethod
    def default_recall_count():
        return 0

    def get_minutes(self, name):
        "The durations read in minutes, stored in seconds for the figures"
        return minutes(getattr(self, name.replace('_minutes', '_seconds')))

    def get_masked(self, name):
        if name == 'mobile_masked':
            return mask_mobile(self.mobile) if self.mobile else None
        return mask_id_number(self.id_number) if self.id_number else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('mobile'):
            values['mobile'] = normalize_mobile(values['mobile'])
        if values.get('id_number'):
            values['id_number'] = normalize_id_number(values['id_number'])
        if 'priority' in values:
            values['priority_rank'] = cls.priority_ranks()[values['priority']]
        return values

    @classmethod
    def validate_fields(cls, tickets, field_names):
        super().validate_fields(tickets, field_names)
        if field_names & {'mobile', 'id_number'}:
            for ticket in tickets:
                ticket.check_contact()

    def check_contact(self):
        if self.mobile and not is_mobile(self.mobile):
            raise TicketValidationError(gettext(
                    'hall_queue.msg_ticket_mobile_invalid',
                    mobile=self.mobile))
        if self.id_number and not is_id_number(self.id_number):
            raise TicketValidationError(gettext(
                    'hall_queue.msg_ticket_id_number_invalid',
                    id_number=self.id_number))

    @classmethod
    def copy(cls, tickets, default=None):
        if not tickets:
            return []
        raise TicketValidationError(gettext('hall_queue.msg_ticket_no_copy'))

    @classmethod
    def check_modification(cls, mode, tickets, values=None, external=False):
        super().check_modification(
            mode, tickets, values=values, external=external)
        if mode == 'delete' and tickets:
            raise TicketValidationError(
                gettext('hall_queue.msg_ticket_no_delete'))

    @classmethod
    def priority_ranks(cls):
        "The rank of each priority: the lower is called first"
        return dict(PRIORITY_RANK)

    # --- issuing ------------------------------------------------------------

    @classmethod
    def issue_priority(cls, queue, values):
        """The priority of a ticket about to be issued with `values`; other
        modules raise it (the green channel)."""
        return values.get('priority') or 'normal'

    @classmethod
    def issue(cls, queue, channel, **values):
        """Issue the next ticket of `queue` now, refusing with the reason a
        closed queue, a ticket out of hours or past the daily cap.
        `values` may hold party, id_number, mobile, service, priority and
        appointment; issued_at and transferred_from for a transfer."""
        local = queue.local_now()
        queue.check_issuable(local)
        values = {k: v for k, v in values.items() if v not in (None, '')}
        if values.get('mobile') and not is_mobile(values['mobile']):
            raise IssueError(gettext(
                    'hall_queue.msg_ticket_mobile_invalid',
                    mobile=values['mobile']))
        if values.get('id_number') and not is_id_number(values['id_number']):
            raise IssueError(gettext(
                    'hall_queue.msg_ticket_id_number_invalid',
                    id_number=values['id_number']))
        if (values.get('service') is not None
                and int(values['service']) not in {
                    s.id for s in queue.services}):
            raise IssueError(gettext(
                    'hall_queue.msg_issue_service_queue',
                    queue=queue.name))
        date = local.date()
        if (queue.daily_cap and not values.get('transferred_from')
                and cls.issued_count(queue, date) >= queue.daily_cap):
            raise IssueError(gettext(
                    'hall_queue.msg_issue_daily_cap',
                    queue=queue.name, cap=queue.daily_cap))
        sequence = cls.next_sequence(queue, date)
        if (queue.daily_cap and not values.get('transferred_from')
                and sequence > queue.daily_cap + cls.transfers_in(
                    queue, date)):
            raise IssueError(gettext(
                    'hall_queue.msg_issue_daily_cap',
                    queue=queue.name, cap=queue.daily_cap))
        now = clock.utcnow()
        values.setdefault('issued_at', now)
        values['priority'] = cls.issue_priority(queue, values)
        ticket, = cls.create([{
                    **values,
                    'queue': queue.id,
                    'hall': queue.hall.id,
                    'date': date,
                    'sequence': sequence,
                    'number': ticket_number(queue.prefix, sequence),
                    'token': secrets.token_urlsafe(24),
                    'channel': channel,
                    'issued_hour': local.hour,
                    }])
        return ticket

    @classmethod
    def issued_count(cls, queue, date):
        "Tickets issued in `queue` on `date`, transfers in excluded"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(table.id),
                where=(table.queue == queue.id) & (table.date == date)
                & (table.transferred_from == Null)))
        return cursor.fetchone()[0]

    @classmethod
    def transfers_in(cls, queue, date):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(table.id),
                where=(table.queue == queue.id) & (table.date == date)
                & (table.transferred_from != Null)))
        return cursor.fetchone()[0]

    @classmethod
    def next_sequence(cls, queue, date):
        return Pool().get('hall.queue.counter').next(queue.id, date)

    # --- the holder's view ---------------------------------------------------

    def ahead(self):
        "How many waiting tickets of the queue will be called before this"
        if self.state != 'waiting':
            return 0
        table = self.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(table.id),
                where=(table.queue == self.queue.id)
                & (table.date == self.date) & (table.state == 'waiting')
                & ((table.priority_rank < self.priority_rank)
                    | ((table.priority_rank == self.priority_rank)
                        & ((table.issued_at < self.issued_at)
                            | ((table.issued_at == self.issued_at)
                                & (table.id < self.id)))))))
        return cursor.fetchone()[0]

    def estimated_wait_minutes(self, ahead=None):
        if self.state != 'waiting':
            return 0
        if ahead is None:
            ahead = self.ahead()
        seconds = estimated_wait_seconds(
            ahead + 1, self.queue.average_service_seconds(),
            self.queue.open_windows or 0)
        return round(seconds / 60) if seconds is not None else None

    def public_status(self):
        "What the holder's status page shows: no personal data"
        ahead = self.ahead()
        return {
            'number': self.number,
            'queue': self.queue.name,
            'state': self.state,
            'state_string': self.state_string,
            'ahead': ahead,
            'estimated_wait_minutes': self.estimated_wait_minutes(ahead),
            'window': self.window.number if self.window else None,
            'issued_at': self.issued_at.isoformat(),
            }

    @classmethod
    def by_token(cls, token):
        if not token:
            return None
        tickets = cls.search([('token', '=', token)], limit=1)
        return tickets[0] if tickets else None

    def create_application(self, service, applicant):
        "The application (办件) received at the window while serving the ticket"
        pool = Pool()
        Application = pool.get('hall.application')
        if self.state != 'serving':
            raise CallError(gettext(
                    'hall_queue.msg_receive_not_serving', ticket=self.number))
        self.window.check_operator()
        application = Application(
            company=self.hall.company,
            hall=self.hall,
            applicant=applicant,
            service=service,
            window=self.window,
            channel='window',
            ticket=self)
        application.save()
        Application.receive([application])
        return application

    # --- buttons ------------------------------------------------------------

    @classmethod
    def check_operators(cls, tickets):
        "Only the clerk of the window holding the ticket operates it"
        for ticket in tickets:
            if ticket.window:
                ticket.window.check_operator()

    @classmethod
    @ModelView.button
    def recall(cls, tickets):
        """Call the tickets again; past the configured recalls they are
        no-shows.  A recall pressed again within RECALL_REPEAT seconds of
        the last call (a double click, a retried request) counts once."""
        pool = Pool()
        Configuration = pool.get('hall.configuration')
        Call = pool.get('hall.ticket.call')
        cls.check_operators(tickets)
        # SQLite: the counts are compared with the stored ones under the
        # writer's lock (PostgreSQL refuses the second concurrent update)
        check_current(tickets, 'recall_count')
        max_recalls = Configuration(1).max_recalls
        no_shows, repeated, calls = [], [], []
        now = clock.utcnow()
        last_calls = cls.last_called_at(tickets)
        for ticket in tickets:
            if ticket.state != 'called':
                raise CallError(gettext(
                        'hall_queue.msg_recall_not_called',
                        ticket=ticket.number))
            last = last_calls.get(ticket.id)
            if last and (now - last).total_seconds() < RECALL_REPEAT:
                repeated.append(ticket)
                continue
            if ticket.recall_count >= max_recalls:
                no_shows.append(ticket)
                continue
            ticket.recall_count += 1
            calls.append({
                    'ticket': ticket.id,
                    'window': ticket.window.id,
                    'clerk': ticket.clerk.id if ticket.clerk else None,
                    'kind': 'recall',
                    'called_at': now,
                    })
        cls.save([t for t in tickets
                if t not in no_shows and t not in repeated])
        with without_check_access():
            Call.create(calls)
        if no_shows:
            cls.no_show(no_shows)

    @classmethod
    def last_called_at(cls, tickets):
        "Ticket id → the time of its last call or recall"
        if not tickets:
            return {}
        pool = Pool()
        Call = pool.get('hall.ticket.call')
        call = Call.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*call.select(call.ticket, Max(call.called_at),
                where=call.ticket.in_([t.id for t in tickets]),
                group_by=[call.ticket]))
        # SQLite gives the aggregate of a timestamp as text
        return {ticket: (dt.datetime.fromisoformat(last)
                if isinstance(last, str) else last)
            for ticket, last in cursor}

    @classmethod
    @strict_transition('no_show')
    def no_show(cls, tickets):
        # the state is written with the times: one write (Workflow then
        # skips its own), one history row
        cls.write(tickets, {
                'state': 'no_show', 'finished_at': clock.utcnow()})

    @classmethod
    @ModelView.button
    @strict_transition('serving')
    def start(cls, tickets):
        cls.check_operators(tickets)
        cls.write(tickets, {
                'state': 'serving', 'started_at': clock.utcnow()})

    @classmethod
    @ModelView.button
    @strict_transition('done')
    def finish(cls, tickets):
        cls.check_operators(tickets)
        now = clock.utcnow()
        for ticket in tickets:
            ticket.state = 'done'
            ticket.finished_at = now
            ticket.service_seconds = int(
                (now - ticket.started_at).total_seconds())
            if not ticket.outcome:
                ticket.outcome = 'handled'
        cls.save(tickets)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, tickets):
        cls.check_operators(tickets)
        cls.write(tickets, {
                'state': 'cancelled', 'finished_at': clock.utcnow()})

    @classmethod
    @ModelView.button_action('hall_queue.wizard_ticket_transfer')
    def transfer(cls, tickets):
        pass

    @classmethod
    @ModelView.button_action('hall_queue.wizard_ticket_receive_application')
    def receive_application(cls, tickets):
        pass

    @classmethod
    def transfer_to(cls, tickets, queue, reason=None):
        """Move `tickets` to `queue`: each gets a new number there and keeps
        its issue time, so its place."""
        cls.check_operators(tickets)
        new, moving = [], []
        for ticket in tickets:
            if ticket.state == 'transferred':
                # pressed again: the ticket it already became
                new.extend(ticket.transferred_to)
                continue
            moving.append(ticket)
            if ticket.queue == queue:
                raise CallError(gettext(
                        'hall_queue.msg_transfer_same_queue',
                        ticket=ticket.number, queue=queue.name))
            if queue.hall != ticket.hall:
                raise CallError(gettext(
                        'hall_queue.msg_transfer_other_hall',
                        ticket=ticket.number, queue=queue.name))
            new.append(cls.issue(queue, ticket.channel,
                    party=ticket.party.id if ticket.party else None,
                    id_number=ticket.id_number,
                    mobile=ticket.mobile,
                    priority=ticket.priority,
                    issued_at=ticket.issued_at,
                    transferred_from=ticket.id,
                    note=reason))
        cls._transfer(moving)
        return new

    @classmethod
    @strict_transition('transferred')
    def _transfer(cls, tickets):
        cls.write(tickets, {'finished_at': clock.utcnow()})

    @classmethod
    @strict_transition('expired')
    def expire(cls, tickets):
        pass

    @classmethod
    def expire_unserved(cls):
        """Cron (end of day): the tickets still waiting or called of the
        past days, and of today once every queue of their hall has
        closed, expire."""
        pool = Pool()
        Queue = pool.get('hall.queue')
        expire = []
        for queue in Queue.search([('active', 'in', [True, False])]):
            local = queue.local_now()
            domain = [
                ('queue', '=', queue.id),
                ('state', 'in', ['waiting', 'called']),
                ]
            if local.time() >= queue.close_time:
                domain.append(('date', '<=', local.date()))
            else:
                domain.append(('date', '<', local.date()))
            expire.extend(cls.search(domain))
        if expire:
            cls.expire(expire)

    def public_links(self, page):
        """Further links for the holder of the ticket on the public `page`:
        'slip' (the kiosk's slip, each printed as a QR code) or 'status'
        (the holder's status page, each as a button).  A list of (key,
        label, path relative to /<database>/hall/), extended by the modules
        that add pages for the holder; no personal data."""
        return []
