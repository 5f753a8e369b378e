# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Parse a courier's tracking file, with no ORM import.

The file is CSV with a header row: waybill, status, time, note (or the
Chinese 运单号, 状态, 时间, 备注). Every malformed row is reported with its
line number; the caller applies nothing unless there is no error.
"""
import csv
import io
from collections import namedtuple

from trytond.modules.hall.table_file_rules import parse_time

Row = namedtuple('Row', ['line', 'waybill', 'status', 'time', 'note'])
Error = namedtuple('Error', ['line', 'code', 'value'])

HEADERS = {
    'waybill': 'waybill', '运单号': 'waybill',
    'status': 'status', '状态': 'status',
    'time': 'time', '时间': 'time',
    'note': 'note', '备注': 'note',
    }
STATUSES = {
    'in_transit': 'in_transit', '运输中': 'in_transit',
    '已揽收': 'in_transit', '派送中': 'in_transit',
    'delivered': 'delivered', '已签收': 'delivered', '签收': 'delivered',
    'returned': 'returned', '退回': 'returned', '已退回': 'returned',
    'lost': 'lost', '丢失': 'lost', '遗失': 'lost',
    }


def parse(text):
    "Return (rows, errors) of the tracking file `text`"
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return rows, [Error(1, 'empty', '')]
    columns = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip()))
        for h in header]
    missing = {'waybill', 'status', 'time'} - set(columns)
    if missing:
        return rows, [Error(1, 'header', ', '.join(header))]
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            errors.append(Error(line, 'columns', ','.join(values)))
            continue
        record = {c: v.strip() for c, v in zip(columns, values) if c}
        status = STATUSES.get(record['status'].lower(),
            STATUSES.get(record['status']))
        time = parse_time(record['time'])
        if not record['waybill']:
            errors.append(Error(line, 'waybill', ''))
        elif status is None:
            errors.append(Error(line, 'status', record['status']))
        elif time is None:
            errors.append(Error(line, 'time', record['time']))
        else:
            rows.append(Row(line, record['waybill'], status, time,
                    record.get('note', '')))
    return rows, errors
