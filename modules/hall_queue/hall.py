# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql.aggregate import Count

from trytond.modules.hall import clock
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# The calls under 正在呼叫 (a big hall has many at once; the board shows
# those it has room for, latest first)
LATEST_CALLS = 20


class Hall(metaclass=PoolMeta):
    __name__ = 'hall.hall'

    def board(self):
        """What the public display board shows: the calls still waiting
        for their citizen (latest first), the ticket at each open window
        and the people waiting per queue.  Numbers only, no personal
        data."""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Call = pool.get('hall.ticket.call')
        Window = pool.get('hall.window')
        Queue = pool.get('hall.queue')
        cursor = Transaction().connection.cursor()
        local = clock.local_now(self.company.timezone)
        today = local.date()
        ticket = Ticket.__table__()
        window = Window.__table__()
        queue = Queue.__table__()

        calls = Call.on_board(self, today, LATEST_CALLS)

        cursor.execute(*window
            .join(ticket, 'LEFT',
                condition=(ticket.window == window.id)
                & ticket.state.in_(['called', 'serving']))
            .select(window.number, window.state, ticket.number,
                ticket.state,
                where=(window.hall == self.id) & (window.state != 'closed'),
                order_by=[window.number]))
        windows = [{
                'window': number,
                'state': state,
                'ticket': ticket_number,
                'ticket_state': ticket_state,
                } for number, state, ticket_number, ticket_state in cursor]

        cursor.execute(*queue
            .join(ticket, 'LEFT',
                condition=(ticket.queue == queue.id)
                & (ticket.state == 'waiting') & (ticket.date == today))
            .select(queue.id, queue.prefix, queue.name, Count(ticket.id),
                where=(queue.hall == self.id) & (queue.active == True),
                group_by=[queue.id, queue.prefix, queue.name],
                order_by=[queue.prefix]))
        queues = [{
                'prefix': prefix,
                'name': name,
                'waiting': waiting,
                } for _, prefix, name, waiting in cursor]
        return {
            'hall': self.name,
            'time': local.strftime('%H:%M:%S'),
            'calls': calls,
            'windows': windows,
            'queues': queues,
            }
