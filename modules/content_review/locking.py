# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Once-only transitions on every backend: the twin of hall's locking.py
(content_review does not depend on hall), reduced to what its workflows
need.  On SQLite the reads made before a transaction's first write see the
last commit and no lock: a transition checks the stored state after taking
the single writer's lock.  On PostgreSQL (repeatable read) the transition's
update of a row changed since the snapshot fails to serialize, and trytond
runs the request again."""
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


def check_current(records, field):
    """On SQLite, begin the write and run the request again when the value
    of `field` the `records` were read with is no longer the stored one."""
    if not records or backend.name != 'sqlite':
        return
    transaction = Transaction()
    if transaction.readonly:
        return
    Model = records[0].__class__
    seen = {r.id: getattr(r, field) for r in records
        if r.id is not None and r.id >= 0}
    if not seen:
        return
    cursor = transaction.connection.cursor()
    if not transaction.connection.in_transaction:
        # BEGIN IMMEDIATE: Python's sqlite3 begins before a write statement
        cursor.execute('UPDATE "ir_model" SET "id" = "id" WHERE 1 = 0')
    # what was read before the lock is read again
    transaction.counter += 1
    for cache in transaction.cache.values():
        for cached in cache.values():
            cached.clear()
    table = Model.__table__()
    stored = {}
    for sub_ids in grouped_slice(list(seen), backend.MAX_QUERY_PARAMS):
        cursor.execute(*table.select(table.id, getattr(table, field),
                where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))))
        stored.update(cursor)
    for id_, value in seen.items():
        if id_ in stored and stored[id_] != value:
            raise StaleRead(f'{Model.__name__},{id_}.{field} changed '
                'since it was read')
