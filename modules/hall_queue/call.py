# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql.conditionals import Case
from sql.operators import Exists

from trytond import backend
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.hall import clock
from trytond.modules.hall.locking import (
    begin_write, compare_and_set, is_violation, retry)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .queue_rules import call_text

# The database holds a window to one ticket in hand: a partial unique index
# (PostgreSQL and SQLite alike), whatever the requests that overlap
WINDOW_CURRENT_INDEX = 'hall_ticket_window_current_unique'
# rows a call tries to lock one by one when the best ones were called by
# other windows since its snapshot (see Ticket.pick)
PICK_ATTEMPTS = 20


class TicketCalling:
    "How a window takes the next ticket of its queues (see hall.window)"
    __slots__ = ()

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
