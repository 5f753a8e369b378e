# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Once-only changes on every backend.

A check followed by a write ("the ticket is still waiting, so call it") is
only safe when no other transaction can change the row in between:

- PostgreSQL runs trytond's transactions in repeatable read: a row changed
  by another transaction since the snapshot cannot be updated (the update
  fails to serialize) and trytond runs the request again on a fresh
  snapshot.  `SELECT ... FOR UPDATE` waits for a concurrent writer.
- SQLite (the embedded default) has no row locks, and the reads made before
  the first write of a transaction run outside it, each seeing the last
  commit: two requests can both read "waiting" and both write "called".
  What SQLite honours is its single writer: once a transaction has written
  (BEGIN IMMEDIATE), no other can write until it ends, and what it reads
  from then on is current.

So a once-only change first holds the rows (`hold_rows`), then reads them
again (or compares what it read, `check_current`), then writes; a value
that moved under the caller asks trytond to run the request again
(`retry`), exactly as a serialization failure does on PostgreSQL.
"""
from sql import For, Literal

from trytond import backend
from trytond.model import fields
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


class StaleRead(backend.DatabaseOperationalError):
    "What was read changed before the write: the request is run again"
    # as PostgreSQL's serialization failure: when the retries are used up,
    # the user is told the system is busy (hall.outage), not that the
    # database is unreachable
    sqlstate = '40001'


def retry(reason):
    """Abandon the transaction and have trytond run the request again with
    fresh data (the dispatcher, proteus, the cron and the queue worker retry
    a DatabaseOperationalError up to [database] retry times)."""
    raise StaleRead(reason)


def begin_write():
    """On SQLite, start the transaction's write (BEGIN IMMEDIATE waits for
    the other writer) so that nothing read from now on can change before
    commit; drop the record cache, which may hold older reads.  Elsewhere
    nothing: the rows are held by `hold_rows`."""
    transaction = Transaction()
    if backend.name != 'sqlite' or transaction.readonly:
        return
    connection = transaction.connection
    if not connection.in_transaction:
        cursor = connection.cursor()
        # a write statement that changes nothing: Python's sqlite3 begins
        # the transaction before any statement that can write
        cursor.execute('UPDATE "ir_model" SET "id" = "id" WHERE 1 = 0')
    forget_reads()


def forget_reads(Model=None, ids=None):
    """Drop what the transaction's caches hold of the records read so far
    (of `ids` of `Model` only, when given): they are read again."""
    transaction = Transaction()
    transaction.counter += 1   # the records' local caches
    for cache in transaction.cache.values():
        if Model is None:
            for records in cache.values():
                records.clear()
        elif Model.__name__ in cache:
            records = cache[Model.__name__]
            for id_ in ids:
                records.pop(id_, None)


def hold_rows(Model, ids, wait=True):
    """Keep the rows `ids` of `Model` from other writers until the end of
    the transaction.  On PostgreSQL, lock them (waiting for a concurrent
    writer unless `wait` is False); on SQLite, begin the write."""
    ids = [i for i in ids if i is not None and i >= 0]
    if not ids:
        return
    if backend.name == 'sqlite':
        begin_write()
        return
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
        cursor.execute(*table.select(Literal(1),
                where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids)),
                for_=For('UPDATE', nowait=not wait)))


def current_values(Model, ids, field):
    "The values of the column `field` of the rows `ids`, as stored now"
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    result = {}
    for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
        cursor.execute(*table.select(table.id, getattr(table, field),
                where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))))
        result.update(cursor)
    return result


def check_current(records, field):
    """Hold the rows of `records` and run the request again when the value
    of `field` they were read with is no longer the stored one: what the
    caller decided on that value (a ticket issued for a transfer, a number
    taken) is then undone with the transaction."""
    if not records or backend.name != 'sqlite':
        # PostgreSQL: the transition's own update of a row changed since
        # the snapshot fails to serialize, and the request runs again
        return
    Model = records[0].__class__
    seen = {}
    for record in records:
        if record.id is not None and record.id >= 0:
            value = getattr(record, field)
            seen[record.id] = getattr(value, 'id', value)
    if not seen:
        return
    hold_rows(Model, list(seen))
    stored = current_values(Model, list(seen), field)
    for id_, value in seen.items():
        if id_ in stored and stored[id_] != value:
            retry(f'{Model.__name__},{id_}.{field} changed since it was read')


def compare_and_set(Model, id_, field, expected, values):
    """Write `values` (column: value) on the row `id_` of `Model` only if
    its `field` is still one of `expected`; True if this call won.

    The same guarantee on every backend: the condition and the write are
    one statement.  (On PostgreSQL a row another transaction changed since
    the snapshot fails to serialize instead, and the request runs again.)
    """
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    columns = [getattr(table, c) for c in values]
    cursor.execute(*table.update(columns, list(values.values()),
            where=(table.id == id_)
            & getattr(table, field).in_(list(expected))))
    return cursor.rowcount == 1


def is_violation(exception, *names):
    """Whether the integrity `exception` names one of `names`: PostgreSQL
    names the index or constraint, SQLite its columns (table.column)"""
    return (isinstance(exception, backend.DatabaseIntegrityError)
        and any(n in str(exception) for n in names))
