# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond import backend
from trytond.model import ModelSQL, Unique, fields
from trytond.transaction import Transaction, without_check_access


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
