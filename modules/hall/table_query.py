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
read-only request writes nothing: the rows cannot go stale."""
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


class TableQueryOnceMixin:
    "Compute the rows of the table_query once a read-only request"
    __slots__ = ()

    @classmethod
    def __table__(cls):
        query = super().__table__()
        transaction = Transaction()
        if (backend.name != 'postgresql' or not transaction.readonly
                or not cls._is_table_query()
                or not isinstance(query, Select)):
            return query
        types = {}
        for column in query.columns:
            name = (getattr(column, 'output_name', None)
                or getattr(column, 'name', None))
            field = cls._fields.get(name)
            if field is None or field._type not in _JSON_TYPES:
                return query
            types[name] = field.sql_type().base
        sql, params = tuple(query)
        key = (cls.__name__, sql, repr(params))
        rows = _ROWS.setdefault(transaction, {})
        if key not in rows:
            cursor = transaction.connection.cursor()
            cursor.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows[key] = json.dumps(
                [dict(zip(names, r)) for r in cursor.fetchall()],
                default=str)
        recordset = JsonToRecordset(rows[key],
            columns_definitions=list(types.items()))
        return recordset.select(*(Column(recordset, n) for n in types))
