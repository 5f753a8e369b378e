# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Data at a year's scale for the tests and the benchmark: records made
through the workflow, copied in the database by one statement"""
from sql import Column, Literal, Values, With
from sql.operators import Concat

from trytond.transaction import Transaction


def copies(Model, record_id, count, **columns):
    """Insert `count` copies of the record `record_id` of `Model` in one
    statement (SQLite and PostgreSQL): each column as the record's but those
    of `columns`, functions of the record's table and of the rank of the
    copy (1 to count) that return an SQL expression"""
    cursor = Transaction().connection.cursor()
    table = Model.__table__()
    cursor.execute(*table.select(where=Literal(False)))
    names = [d[0] for d in cursor.description if d[0] != 'id']
    ranks = With('n', recursive=True)
    ranks.query = Values([(1,)])
    ranks.query |= ranks.select(ranks.n + 1, where=ranks.n < count)
    ranks.query.all_ = True
    record = Model.__table__()
    query = ranks.join(record, condition=record.id == record_id).select(
        *(columns[n](record, ranks.n) if n in columns else Column(record, n)
            for n in names),
        with_=[ranks])
    cursor.execute(*table.insert(
            [Column(table, n) for n in names], query))


def numbered(column):
    "The column of the record followed by the rank of the copy: X-1, X-2…"
    return lambda record, rank: Concat(
        Concat(Column(record, column), '-'), rank)


def copy_id(Model, column, value):
    """The id of the copy of the same rank of the record of `Model` whose
    `column` is `value`, once copied with `numbered(column)`"""
    table = Model.__table__()
    return lambda record, rank: table.select(
        table.id, where=Column(table, column) == Concat(value + '-', rank))
