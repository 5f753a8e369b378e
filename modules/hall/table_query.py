# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rows of a reporting model (table_query) computed once a read-only
request.

A search then a read of a reporting model run its query twice, as the ORM
selects the ids, then the values of those ids, from the query: for the
statistics of a year that is the whole aggregate twice (JSON-RPC
search_read, search_count, a report reading its rows).  In a read-only
request on PostgreSQL the first use runs the query and keeps its rows; the
others select from these rows, passed back as one JSON parameter.  A
read-only request writes nothing: the rows cannot go stale.  The query
depends only on the user and the context, which make the key: the second
use neither builds nor runs it."""
import json
import weakref

from sql import Column, Select
from sql.functions import Function

from trytond import backend
from trytond.transaction import Transaction

_ROWS = weakref.WeakKeyDictionary()
# The types of fields whose values go through JSON unchanged
_JSON_TYPES = {'integer', 'float', 'numeric', 'char', 'text', 'selection',
    'many2one', 'date', 'boolean'}


class JsonToRecordset(Function):
    __slots__ = ()
    _function = 'JSON_TO_RECORDSET'


def _context_key(context):
    "The context as a key (a value without a stable repr only misses)"
    return repr(sorted(context.items(), key=lambda item: item[0]))


class TableQueryOnceMixin:
    """Compute the rows of the table_query once a read-only request, for a
    user and a context: the query is neither built nor run again"""
    __slots__ = ()

    @classmethod
    def __table__(cls):
        transaction = Transaction()
        if (backend.name != 'postgresql' or not transaction.readonly
                or not cls._is_table_query()):
            return super().__table__()
        rows = _ROWS.setdefault(transaction, {})
        key = (cls.__name__, transaction.user,
            _context_key(transaction.context))
        if key not in rows:
            query = super().__table__()
            rows[key] = cls._table_query_rows(query)
            if rows[key] is None:
                return query
        elif rows[key] is None:
            return super().__table__()
        json_rows, types = rows[key]
        recordset = JsonToRecordset(json_rows,
            columns_definitions=list(types.items()))
        return recordset.select(*(Column(recordset, n) for n in types))

    @classmethod
    def _table_query_rows(cls, query):
        """The rows of `query` as JSON and the SQL types of its columns, or
        None when a column cannot go through JSON unchanged"""
        if not isinstance(query, Select):
            return None
        types = {}
        for column in query.columns:
            name = (getattr(column, 'output_name', None)
                or getattr(column, 'name', None))
            field = cls._fields.get(name)
            if field is None or field._type not in _JSON_TYPES:
                return None
            types[name] = field.sql_type().base
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        names = [d[0] for d in cursor.description]
        return json.dumps(
            [dict(zip(names, r)) for r in cursor.fetchall()],
            default=str), types
