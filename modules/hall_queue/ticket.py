# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import re
import secrets

import phonenumbers

from sql import Null
from sql.aggregate import Count, Max
from sql.conditionals import Case
from sql.operators import Exists
from stdnum import get_cc_module
from stdnum.cn import uscc

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall.exceptions import ValueFieldError
from trytond.modules.hall.identity import (
    is_id_number, is_mobile, mask_id_number, mask_mobile,
    normalize_id_number, normalize_mobile)
from trytond.modules.hall.locking import (
    begin_write, check_current, compare_and_set, is_violation, retry)
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.party import unmasked
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import (
    Transaction, check_access, without_check_access)
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from . import clock
from .exceptions import (
    ApplicantError, CallError, IssueError, TicketValidationError)
from .queue_rules import (
    PRIORITIES, PRIORITY_RANK, call_text, estimated_wait_seconds,
    minutes, ticket_number)

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
# The database holds a window to one ticket in hand: a partial unique index
# (PostgreSQL and SQLite alike), whatever the requests that overlap
WINDOW_CURRENT_INDEX = 'hall_ticket_window_current_unique'
# rows a call tries to lock one by one when the best ones were called by
# other windows since its snapshot (see Ticket.pick)
PICK_ATTEMPTS = 20
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


class Ticket(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
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
            values['priority_rank'] = PRIORITY_RANK[values['priority']]
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
    def delete(cls, tickets):
        if not tickets:
            return
        raise TicketValidationError(
            gettext('hall_queue.msg_ticket_no_delete'))

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

    # --- calling ------------------------------------------------------------

    @classmethod
    def pick(cls, window, date, ticket_id=None):
        """Lock and return the best waiting ticket for `window` (or the
        waiting ticket `ticket_id`), or None.

        On PostgreSQL the rows another window is locking are skipped, so
        windows calling at the same instant get different tickets.  A row
        another window called and committed after this transaction's
        snapshot cannot be locked (repeatable read): then the next best
        rows are tried one by one, each in a savepoint; after
        PICK_ATTEMPTS of them the error goes up and the call is retried
        in a new transaction, whose snapshot is fresh.
        """
        pool = Pool()
        QueueWindow = pool.get('hall.queue.window')
        transaction = Transaction()
        database = transaction.database
        cursor = transaction.connection.cursor()
        ticket = cls.__table__()
        line = QueueWindow.__table__()
        cursor.execute(*line.select(line.queue, line.sequence,
                where=line.window == window.id))
        sequences = dict(cursor)
        if not sequences:
            return None
        where = ((ticket.state == 'waiting') & (ticket.date == date)
            & ticket.queue.in_(list(sequences)))
        if ticket_id is not None:
            where &= ticket.id == ticket_id
        order_by = [ticket.priority_rank]
        if len(set(sequences.values())) > 1:
            # the window's order of its queues, as a constant expression:
            # one queue (the usual window) keeps the order of the index
            order_by.append(Case(*((ticket.queue == q, s or 0)
                        for q, s in sequences.items()), else_=0))
        order_by += [ticket.issued_at, ticket.id]
        query = ticket.select(ticket.id, where=where, order_by=order_by,
            limit=1)
        if backend.name != 'postgresql':
            # SQLite: under the single writer's lock nobody else calls
            # until commit, and the queue read is the current one
            begin_write()
            cursor.execute(*query)
            row = cursor.fetchone()
            return cls(row[0]) if row else None

        For = database.get_select_for_skip_locked()
        query.for_ = For('UPDATE')
        try:
            row = cls._lock_in_savepoint(cursor, query)
        except backend.DatabaseOperationalError as error:
            # The best rows were called by others since the snapshot:
            # try the next ones by id, without sorting the queue again.
            query.for_ = None
            query.limit = PICK_ATTEMPTS
            cursor.execute(*query)
            for candidate, in cursor.fetchall():
                lock = ticket.select(ticket.id,
                    where=(ticket.id == candidate)
                    & (ticket.state == 'waiting'),
                    for_=For('UPDATE'))
                try:
                    row = cls._lock_in_savepoint(cursor, lock)
                except backend.DatabaseOperationalError:
                    continue
                if row:
                    break
            else:
                raise error
        return cls(row[0]) if row else None

    @staticmethod
    def _lock_in_savepoint(cursor, query):
        "The first row of the locking `query`, undone if it fails"
        cursor.execute('SAVEPOINT hall_ticket_pick')
        try:
            cursor.execute(*query)
            row = cursor.fetchone()
        except Exception:
            cursor.execute('ROLLBACK TO SAVEPOINT hall_ticket_pick')
            raise
        cursor.execute('RELEASE SAVEPOINT hall_ticket_pick')
        return row

    @classmethod
    def claim(cls, ticket, window):
        """Take the waiting `ticket` for `window` in one statement: it is
        called only if still waiting, and only if the window holds no other
        ticket (the partial unique index).  A lost claim runs the request
        again on fresh data, where the window's call finds what it holds
        or the next ticket."""
        try:
            won = compare_and_set(cls, ticket.id, 'state', ['waiting'], {
                    'state': 'called',
                    'window': window.id,
                    })
        except backend.DatabaseIntegrityError as exception:
            if is_violation(exception, WINDOW_CURRENT_INDEX,
                    f'{cls._table}.window'):
                retry(f'{window.rec_name} called a ticket meanwhile')
            raise
        if not won:
            retry(f'{ticket.number} was called meanwhile')

    @classmethod
    def mark_called(cls, ticket, window, clerk, kind='call', reason=None):
        pool = Pool()
        Call = pool.get('hall.ticket.call')
        cls.claim(ticket, window)
        now = clock.utcnow()
        cls.write([ticket], {
                'state': 'called',
                'window': window.id,
                'clerk': clerk.id if clerk else None,
                'called_at': now,
                'call_reason': reason,
                'wait_seconds': int(
                    (now - ticket.issued_at).total_seconds()),
                })
        with without_check_access():
            # the operator was checked; the log is written for them
            Call.create([{
                        'ticket': ticket.id,
                        'window': window.id,
                        'clerk': clerk.id if clerk else None,
                        'kind': kind,
                        'reason': reason,
                        'called_at': now,
                        }])

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


class TicketCall(ServerReadonlyMixin, ModelSQL, ModelView):
    "Call of a ticket"
    __name__ = 'hall.ticket.call'

    ticket = fields.Many2One(
        'hall.ticket', "Ticket", required=True, ondelete='CASCADE',
        readonly=True)
    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='RESTRICT',
        readonly=True)
    clerk = fields.Many2One(
        'company.employee', "Clerk", ondelete='RESTRICT', readonly=True)
    kind = fields.Selection([
            ('call', "Call"),
            ('recall', "Recall"),
            ('out_of_order', "Out of Order"),
            ], "Kind", required=True, readonly=True)
    reason = fields.Char("Reason", readonly=True)
    called_at = fields.Timestamp("Called", required=True, readonly=True)
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"), 'get_hall',
        searcher='search_hall')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.window, Index.Equality()),
                (t.called_at, Index.Range(order='DESC'))))
        cls._order = [('called_at', 'DESC'), ('id', 'DESC')]

    def get_hall(self, name):
        return self.window.hall.id

    @classmethod
    def search_hall(cls, name, clause):
        return [('window.hall' + clause[0][len(name):], *clause[1:])]

    def get_rec_name(self, name):
        return f'{self.ticket.number} → {self.window.number}'

    @classmethod
    def on_board(cls, hall, date, limit):
        """The calls the display board of `hall` shows under 正在呼叫 on
        `date`, latest first: the last call of each ticket still called.
        A ticket started, finished, transferred, missed or expired leaves
        the board, and a recall replaces the call it repeats."""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Window = pool.get('hall.window')
        call = cls.__table__()
        later = cls.__table__()
        ticket = Ticket.__table__()
        window = Window.__table__()
        cursor = Transaction().connection.cursor()
        # calls are created in the order they happen: a later call of the
        # same ticket has a greater id
        repeated = Exists(later.select(later.id,
                where=(later.ticket == call.ticket) & (later.id > call.id)))
        cursor.execute(*call
            .join(ticket, condition=call.ticket == ticket.id)
            .join(window, condition=call.window == window.id)
            .select(call.id, ticket.number, window.number, call.kind,
                call.called_at,
                where=(window.hall == hall.id) & (ticket.date == date)
                & (ticket.state == 'called') & ~repeated,
                order_by=[call.called_at.desc, call.id.desc],
                limit=limit))
        timezone = hall.company.timezone
        return [{
                'id': id_,
                'number': number,
                'window': window_number,
                'recall': kind == 'recall',
                'text': call_text(number, window_number),
                'at': clock.to_local(called_at, timezone).strftime('%H:%M:%S'),
                } for id_, number, window_number, kind, called_at in cursor]


class QueueCounter(ModelSQL):
    "Daily counter of a queue's ticket numbers"
    __name__ = 'hall.queue.counter'

    # An integer, not a Many2One: the counter is written on its own
    # connection (see next), where a foreign key would wait for the queue's
    # transaction.
    queue = fields.Integer("Queue", required=True)
    date = fields.Date("Date", required=True)
    last = fields.Integer("Last Number", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('queue_date_unique', Unique(t, t.queue, t.date),
                'hall_queue.msg_counter_unique'),
            ]

    @classmethod
    def next(cls, queue_id, date):
        """The next number of the queue that day.

        PostgreSQL runs the transactions in repeatable read: a counter row
        updated by another kiosk request after this transaction began could
        not be updated here without a serialization failure and a retry of
        the whole request, and a hundred requests at once would exhaust the
        retries.  So the number is taken in one atomic statement on a
        separate read-committed connection, committed at once.  A request
        that fails after taking its number leaves a gap, never a duplicate.
        SQLite serializes the writers: the counter is updated in place,
        then read.
        """
        table = cls.__table__()
        transaction = Transaction()
        if backend.name == 'postgresql':
            from psycopg import IsolationLevel
            database = transaction.database
            connection = database.get_connection(autocommit=True)
            try:
                connection.isolation_level = IsolationLevel.READ_COMMITTED
                cursor = connection.cursor()
                cursor.execute(
                    f'INSERT INTO "{cls._table}" '
                    '(queue, date, last, create_date, create_uid) '
                    'VALUES (%s, %s, 1, CURRENT_TIMESTAMP, %s) '
                    'ON CONFLICT (queue, date) DO UPDATE '
                    f'SET last = "{cls._table}".last + 1 '
                    'RETURNING last',
                    (queue_id, date, transaction.user))
                return cursor.fetchone()[0]
            finally:
                database.put_connection(connection)
        # SQLite: the update comes first, so that the number read after it
        # is taken under the single writer's lock (read first, two kiosks
        # would both read the same last number)
        cursor = transaction.connection.cursor()
        where = (table.queue == queue_id) & (table.date == date)
        cursor.execute(*table.update([table.last], [table.last + 1],
                where=where))
        if cursor.rowcount:
            cursor.execute(*table.select(table.last, where=where))
            return cursor.fetchone()[0]
        # the counter is the server's: no role has access to it
        with without_check_access():
            cls.create([{'queue': queue_id, 'date': date, 'last': 1}])
        return 1


class TicketTransferStart(ServerReadonlyMixin, ModelView):
    "Transfer a ticket"
    __name__ = 'hall.ticket.transfer.start'

    hall = fields.Many2One('hall.hall', "Hall", readonly=True)
    current_queue = fields.Many2One('hall.queue', "From", readonly=True)
    queue = fields.Many2One(
        'hall.queue', "To Queue", required=True,
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('id', '!=', Eval('current_queue', -1)),
            ])
    reason = fields.Char("Reason")


class TicketTransfer(CheckedWizardMixin, Wizard):
    "Transfer a ticket to another queue"
    __name__ = 'hall.ticket.transfer'
    start = StateView('hall.ticket.transfer.start',
        'hall_queue.ticket_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Transfer", 'transfer', 'tryton-ok', default=True),
            ])
    transfer = StateAction('hall_queue.act_ticket_form')

    def default_start(self, fields):
        ticket = self.record
        return {
            'hall': ticket.hall.id,
            'current_queue': ticket.queue.id,
            }

    def do_transfer(self, action):
        new = self.model.transfer_to(
            [self.record], self.start.queue, self.start.reason)
        return action, {'res_id': [t.id for t in new]}


class TicketReceiveStart(ServerReadonlyMixin, ModelView):
    "Receive an application"
    __name__ = 'hall.ticket.receive_application.start'

    ticket = fields.Many2One('hall.ticket', "Ticket", readonly=True)
    services = fields.Many2Many(
        'hall.service', None, None, "Services of the Queue", readonly=True)
    service = fields.Many2One(
        'hall.service', "Service", required=True,
        domain=[If(Eval('services'), ('id', 'in', Eval('services', [])),
                ())])
    applicant = fields.Many2One(
        'party.party', "Applicant", required=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        help="A citizen with a resident ID number or an enterprise with a "
        "unified social credit code.")
    company = fields.Many2One('company.company', "Company", readonly=True)


_citizen = {
    'invisible': Eval('kind') != 'citizen',
    'required': Eval('kind') == 'citizen',
    }
_enterprise = {
    'invisible': Eval('kind') != 'enterprise',
    'required': Eval('kind') == 'enterprise',
    }


class TicketReceiveApplicant(ServerReadonlyMixin, ModelView):
    "New applicant"
    __name__ = 'hall.ticket.receive_application.applicant'

    ticket = fields.Many2One('hall.ticket', "Ticket", readonly=True)
    services = fields.Many2Many(
        'hall.service', None, None, "Services of the Queue", readonly=True)
    service = fields.Many2One(
        'hall.service', "Service", required=True,
        domain=[If(Eval('services'), ('id', 'in', Eval('services', [])),
                ())])
    kind = fields.Selection([
            ('citizen', "Citizen"),
            ('enterprise', "Enterprise"),
            ], "Applicant Type", required=True)
    # The sizes leave room for the spaces people type in numbers; they also
    # size the inputs in the client (a size of 255 spreads the form wide)
    citizen_name = fields.Char("Name", size=50, states=_citizen)
    id_number = fields.Char("Resident ID Number", size=24, states=_citizen)
    mobile = fields.Char(
        "Mobile", size=20,
        states={'invisible': Eval('kind') != 'citizen'})
    enterprise_name = fields.Char(
        "Enterprise Name", size=100, states=_enterprise)
    uscc = fields.Char(
        "Unified Social Credit Code", size=24, states=_enterprise)
    contact_name = fields.Char(
        "Contact", size=50,
        states={'invisible': Eval('kind') != 'enterprise'},
        help="The person of the enterprise to call about the application.")
    phone = fields.Char(
        "Phone", size=30,
        states={'invisible': Eval('kind') != 'enterprise'})

    @staticmethod
    def default_kind():
        return 'citizen'


class TicketReceive(CheckedWizardMixin, Wizard):
    """Receive an application from the ticket served (from the ticket or
    from its window): the applicant is found from the ticket, else created
    on the spot."""
    __name__ = 'hall.ticket.receive_application'
    start = StateTransition()
    application = StateView('hall.ticket.receive_application.start',
        'hall_queue.ticket_receive_application_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("New Applicant", 'new_applicant', 'tryton-add'),
            Button("Receive", 'receive', 'tryton-ok', default=True),
            ])
    new_applicant = StateView('hall.ticket.receive_application.applicant',
        'hall_queue.ticket_receive_application_applicant_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Existing Applicant", 'application', 'tryton-search',
                validate=False),
            Button("Create and Receive", 'create_applicant', 'tryton-ok',
                default=True),
            ])
    create_applicant = StateTransition()
    receive = StateAction('hall.act_application_form')

    @property
    def ticket(self):
        "The ticket served, refusing one that is not"
        if self.model.__name__ == 'hall.window':
            ticket = self.record.current('serving')
        else:
            ticket = self.record
        if ticket.state != 'serving':
            raise CallError(gettext(
                    'hall_queue.msg_receive_not_serving',
                    ticket=ticket.number))
        ticket.window.check_operator()
        return ticket

    def stored_ticket(self):
        """The ticket as stored: the lookups use its ID number and mobile
        on the server, whoever reads them masked"""
        Ticket = Pool().get('hall.ticket')
        with unmasked():
            return Ticket(self.ticket.id)

    def transition_start(self):
        if self.find_applicant(self.stored_ticket()):
            return 'application'
        return 'new_applicant'

    @classmethod
    def find_applicant(cls, ticket):
        """The party of the ticket, else the one with its resident ID
        number, else the only one with its mobile"""
        if ticket.party:
            return ticket.party
        if ticket.id_number:
            party = cls.party_of_identifier('cn_ric', ticket.id_number)
            if party:
                return party
        if ticket.mobile:
            return cls.party_of_mobile(ticket.mobile)

    @classmethod
    def party_of_identifier(cls, type_, code):
        Identifier = Pool().get('party.identifier')
        with unmasked():
            identifiers = Identifier.search([
                    ('type', '=', type_),
                    ('code_compact', '=', compact_code(type_, code)),
                    ], order=[('id', 'ASC')], limit=1)
            if identifiers:
                return identifiers[0].party

    @classmethod
    def party_of_mobile(cls, mobile):
        "The party with the mobile, if only one has it"
        ContactMechanism = Pool().get('party.contact_mechanism')
        mobile = normalize_mobile(mobile)
        values = [mobile, '+86' + mobile]
        with unmasked():
            mechanisms = ContactMechanism.search([
                    ('type', 'in', ['mobile', 'phone']),
                    ['OR',
                        ('value', 'in', values),
                        ('value_compact', 'in', values),
                        ],
                    ])
            parties = {m.party for m in mechanisms}
        if len(parties) == 1:
            party, = parties
            return party

    def proposed_service(self, ticket):
        "The ticket's service, else the first of its queue"
        if ticket.service:
            return ticket.service
        if ticket.queue.services:
            return ticket.queue.services[0]

    def default_application(self, fields):
        ticket = self.stored_ticket()
        applicant = self.find_applicant(ticket)
        service = self.proposed_service(ticket)
        return {
            'ticket': ticket.id,
            'services': [s.id for s in ticket.queue.services],
            'service': service.id if service else None,
            'applicant': applicant.id if applicant else None,
            'company': ticket.hall.company.id,
            }

    def default_new_applicant(self, fields):
        Ticket = Pool().get('hall.ticket')
        ticket = self.ticket
        # as the user reads them: masked for whom they are masked
        shown, = Ticket.read([ticket.id], ['id_number', 'mobile'])
        service = self.proposed_service(ticket)
        return {
            'ticket': ticket.id,
            'services': [s.id for s in ticket.queue.services],
            'service': service.id if service else None,
            'kind': 'citizen',
            'id_number': shown['id_number'],
            'mobile': shown['mobile'],
            }

    def transition_create_applicant(self):
        form = self.new_applicant
        self.application.applicant = self.applicant_party(form)
        self.application.service = form.service
        return 'receive'

    def applicant_party(self, form):
        """The party of the new applicant, checked before anything is
        created: the one already holding the identifier, else a new one"""
        ticket = self.stored_ticket()
        if form.kind == 'enterprise':
            type_, code, values = self.enterprise_values(form)
        elif form.kind == 'citizen':
            type_, code, values = self.citizen_values(form, ticket)
        else:
            raise ValueFieldError(gettext('hall.msg_field_value_invalid',
                    **form.__names__(field='kind')))
        party = self.party_of_identifier(type_, code)
        if party:
            return party
        Party = Pool().get('party.party')
        # the wizard creates with the rights of the user: only the roles
        # that may create parties create applicants
        with check_access():
            party, = Party.create([values])
        return party

    @staticmethod
    def citizen_values(form, ticket):
        name = (form.citizen_name or '').strip()
        id_number = normalize_id_number(
            unmask(form.id_number, ticket.id_number, mask_id_number))
        mobile = normalize_mobile(
            unmask(form.mobile, ticket.mobile, mask_mobile))
        if not name:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_name_required'))
        if not is_id_number(id_number):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_id_number_invalid',
                    id_number=id_number))
        if mobile and not is_mobile(mobile):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_mobile_invalid',
                    mobile=mobile))
        values = {
            'name': name,
            'identifiers': [('create', [{
                            'type': 'cn_ric', 'code': id_number}])],
            }
        if mobile:
            values['contact_mechanisms'] = [('create', [{
                            'type': 'mobile',
                            'value': china_phone(mobile)}])]
        return 'cn_ric', id_number, values

    @staticmethod
    def enterprise_values(form):
        name = (form.enterprise_name or '').strip()
        code = re.sub(r'\s', '', form.uscc or '').upper()
        contact = (form.contact_name or '').strip()
        phone = (form.phone or '').strip()
        if not name:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_name_required'))
        if not uscc.is_valid(code):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_uscc_invalid', code=code))
        if contact and not phone:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_contact_phone',
                    contact=contact))
        if phone and not china_phone(phone):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_phone_invalid', phone=phone))
        values = {
            'name': name,
            'identifiers': [('create', [{
                            'type': ENTERPRISE_IDENTIFIER, 'code': code}])],
            }
        if phone:
            values['contact_mechanisms'] = [('create', [{
                            'type': 'mobile' if is_mobile(phone) else 'phone',
                            'value': china_phone(phone),
                            'name': contact or None,
                            }])]
        return ENTERPRISE_IDENTIFIER, code, values

    def do_receive(self, action):
        ticket = self.ticket
        service = self.application.service
        services = ticket.queue.services
        if not service or (services and service not in services):
            raise ApplicantError(gettext(
                    'hall_queue.msg_receive_service_queue',
                    queue=ticket.queue.rec_name))
        if not self.application.applicant:
            raise ApplicantError(gettext(
                    'hall_queue.msg_receive_applicant_required',
                    ticket=ticket.number))
        application = ticket.create_application(
            service, self.application.applicant)
        return action, {'res_id': [application.id]}


# Tryton 8.0 files the unified social credit code under the party module's
# tax identifier of China (cn_uscc is renamed cn_vat)
ENTERPRISE_IDENTIFIER = 'cn_vat'


def compact_code(type_, code):
    "The code as party.identifier stores it compact (python-stdnum)"
    module = get_cc_module(*type_.split('_', 1))
    if module and module.is_valid(code):
        return module.compact(code)
    return code


def china_phone(value):
    """The phone number of China as party.contact_mechanism validates it
    (+86...), None for what is not one: a party has no address, so no
    country, when the clerk types its number"""
    try:
        number = phonenumbers.parse(value, 'CN')
    except phonenumbers.NumberParseException:
        return None
    if (phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) == 'CN'):
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164)


def unmask(value, stored, mask):
    """The stored value when the form sends it back as the user was shown
    it, masked"""
    if value and stored and value != stored and value == mask(stored):
        return stored
    return value
