# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Read the table of a file a platform exports, with no ORM import.

The file is an XLSX workbook (its first sheet, read-only) or a CSV file
(UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode text", or
GB18030 as Excel on Chinese Windows saves it). Its header row names the
columns, in any order; a title row above it is skipped and the columns a
reader does not know are ignored.

A problem is Problem(row, column, reason, params): the row as Excel numbers
it (the header row is usually 1), the column's header as the file writes
it, the reason (the suffix of a message) and the values of that message.
The problems of the file itself have the reasons of FILE_REASONS.
"""
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import namedtuple

import openpyxl

Problem = namedtuple('Problem', ['row', 'column', 'reason', 'params'],
    defaults=(None, None, None, None))
# The rows of the file: `headers` maps each column (its documented header)
# to the header as the file writes it; each row is (row number, {column:
# text}) with the columns the file has
Sheet = namedtuple('Sheet', ['header_row', 'headers', 'rows', 'problems'])

# The reasons of the problems of the file and of its header row
FILE_REASONS = frozenset({'unreadable', 'xls', 'empty', 'too_many_rows',
        'column_missing', 'column_duplicate'})
# The reasons every reader shares (the messages hall.msg_table_file_*)
COMMON_REASONS = FILE_REASONS | {'required', 'too_long'}
# The rows looked at for the header row (a title row may come first)
HEADER_SEARCH_ROWS = 10
# The characters of a value shown back in a message
SHOWN_SIZE = 30

ZIP_MAGIC = b'PK\x03\x04'
OLE_MAGIC = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'


def normalize(text):
    """The text to read a value in: full-width letters, digits and brackets
    as ASCII, no space"""
    return re.sub(r'\s+', '', unicodedata.normalize('NFKC', text or ''))


def one_line(text):
    "The text on one line, its runs of spaces as one"
    return ' '.join(text.split())


def header_text(header):
    """The header as a reader looks it up: normalized, without a required
    mark (*事项编码) nor a unit or note in brackets (法定办结时限（工作日）)"""
    text = normalize(header).strip('*')
    return re.sub(r'\([^)]*\)$', '', text)


def column_of(header, columns, aliases):
    """The column of `columns` the header names, itself or by one of its
    `aliases` ({other name: column}), or None"""
    text = header_text(header)
    if text in columns:
        return text
    return aliases.get(text)


def parse_choice(text, choices, suffixes=()):
    """The value of `choices` ({text: value}) `text` names, maybe with one
    of the `suffixes` the platforms add (投诉类, 行政许可事项), or None"""
    text = normalize(text)
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[:-len(suffix)]
            break
    return choices.get(text)


YES = {'是', 'y', 'yes', 'true', '1', '√', '✓'}
NO = {'否', 'n', 'no', 'false', '0', '×', '✗'}


def parse_boolean(text, yes=YES, no=NO):
    "True for 是 (or `yes`), False for 否 (or `no`), else None"
    text = normalize(text).lower()
    if text in yes:
        return True
    if text in no:
        return False
    return None


def shown(value):
    "The value as a message shows it back: short, on one line"
    value = one_line(str(value))
    if len(value) > SHOWN_SIZE:
        value = value[:SHOWN_SIZE] + '…'
    return value


def cell_text(value):
    "The text of a cell of a workbook"
    if value is None:
        return ''
    if isinstance(value, bool):
        return '是' if value else '否'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=' ')
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# The ways the platforms write a local moment
TIME_FORMATS = ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y/%m/%d %H:%M:%S',
    '%Y/%m/%d %H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M',
    '%Y年%m月%d日%H:%M:%S', '%Y年%m月%d日%H:%M', '%Y年%m月%d日%H时%M分']


def parse_time(text):
    "The moment `text` writes (naive, as written), or None"
    # one space between the date and the time, none after 日
    text = re.sub(r'\s+', ' ', text.strip())
    text = re.sub(r'日 ', '日', text)
    for format_ in TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, format_)
        except ValueError:
            continue
    return None


def decode(data):
    """The text of a CSV file saved as UTF-8 (with or without BOM), UTF-16
    with BOM (Excel's "Unicode text") or GB18030, or None"""
    if data.startswith((b'\xff\xfe', b'\xfe\xff')):
        encodings = ['utf-16']
    else:
        encodings = ['utf-8-sig', 'gb18030']
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_csv(data):
    "The rows of cells of a CSV file, or None if it cannot be decoded"
    text = decode(data)
    if text is None:
        return None
    first_line = text.split('\n', 1)[0]
    # Excel's "Unicode text" separates the columns with tabs
    delimiter = '\t' if '\t' in first_line and ',' not in first_line else ','
    try:
        return list(csv.reader(io.StringIO(text, newline=''),
                delimiter=delimiter))
    except csv.Error:
        return None


def read_xlsx(data, max_rows):
    "The rows of cells of the first sheet of a workbook, or None"
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises anything from a damaged archive or XML
        return None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        # The dimension a file declares may be wrong: read every row
        sheet.reset_dimensions()
        rows, filled = [], 0
        # Rows missing from the file come as empty ones: the index is the
        # row's number in Excel
        for values in sheet.iter_rows(values_only=True):
            if all(v is None for v in values):
                # formatted but empty, maybe a million of them
                rows.append([])
                continue
            rows.append([cell_text(v) for v in values])
            filled += 1
            if filled > max_rows + HEADER_SEARCH_ROWS:
                break
        return rows
    except Exception:
        return None
    finally:
        workbook.close()


def read_cells(data, filename=None, max_rows=10000):
    """Return (rows of cells, problem): the cells of the file as texts, the
    first row being row 1, or the problem that keeps it from being read"""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return None, Problem(reason='unreadable')
    data = bytes(data)
    if data.startswith(OLE_MAGIC) or (
            (filename or '').lower().endswith('.xls')
            and not data.startswith(ZIP_MAGIC)):
        return None, Problem(reason='xls')
    if data.startswith(ZIP_MAGIC) and zipfile.is_zipfile(io.BytesIO(data)):
        cells = read_xlsx(data, max_rows)
    else:
        cells = read_csv(data)
    if cells is None:
        return None, Problem(reason='unreadable')
    return cells, None


def read_table(data, header_column, required, filename=None,
        max_rows=10000):
    """Read the file `data` (bytes; `filename` only tells an old .xls): its
    rows keyed by the columns `header_column(header)` names (None for a
    column to ignore), and the problems of the file and of its header row.
    `required` are the columns the header row must have."""
    cells, problem = read_cells(data, filename, max_rows)
    if problem:
        return Sheet(None, {}, [], [problem])
    numbered = [(number, [c.strip() for c in row])
        for number, row in enumerate(cells, start=1)]
    numbered = [(n, row) for n, row in numbered if any(row)]
    if not numbered:
        return Sheet(None, {}, [], [Problem(reason='empty')])

    header_row, header = numbered[0]
    for number, row in numbered[:HEADER_SEARCH_ROWS]:
        if sum(1 for c in row if header_column(c)) >= 2:
            header_row, header = number, row
            break
    problems = []
    positions, headers = {}, {}
    for position, text in enumerate(header):
        column = header_column(text)
        if column is None:
            continue
        if column in positions:
            problems.append(Problem(header_row, text, 'column_duplicate'))
            continue
        positions[column] = position
        headers[column] = text
    for column in required:
        if column not in positions:
            problems.append(Problem(header_row, column, 'column_missing'))

    rows = []
    for number, row in numbered:
        if number <= header_row:
            continue
        values = {column: row[position] if position < len(row) else ''
            for column, position in positions.items()}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > max_rows:
        problems.append(Problem(reason='too_many_rows',
                params={'max': max_rows}))
    elif not rows and not problems:
        problems.append(Problem(reason='empty'))
    return Sheet(header_row, headers, rows, problems)


def check_table(sheet, columns, key, read_row, sizes=None, fields=None):
    """Return (entries, problems) of the rows of `sheet`: each entry is
    (row number, what `read_row(row, problem)` returns) for the rows without
    problem, the problems sorted by row, then in the order of `columns`.

    The shared checks first: a column of `columns` given as required is not
    empty, the `key` column is once in the file; then `read_row` reads the
    row, telling each problem as problem(column, reason, **params), and
    returns its values; sizes: the longest text of the values named by
    `fields` ({column: name})."""
    sizes = sizes or {}
    entries, problems = [], list(sheet.problems)
    if has_file_problem(sheet):
        return entries, problems
    required = [c for c, is_required in columns.items() if is_required]
    order = list(columns)
    first_row = {}
    for number, row in sheet.rows:
        row_problems = []

        def problem(column, reason, **params):
            row_problems.append((order.index(column), Problem(
                        number, sheet.headers.get(column, column), reason,
                        params)))

        for column in required:
            if not row[column]:
                problem(column, 'required')
        value = one_line(row[key])
        if value:
            if value in first_row:
                problem(key, 'duplicate', value=shown(value),
                    other=first_row[value])
            else:
                first_row[value] = number
        values = read_row(row, problem)
        for column, name in (fields or {}).items():
            size = sizes.get(name)
            if size and len(values.get(name) or '') > size:
                problem(column, 'too_long', size=size)
        problems.extend(p for _, p in sorted(
                row_problems, key=lambda p: p[0]))
        if not row_problems:
            entries.append((number, values))
    return entries, problems


def has_file_problem(sheet):
    "Whether the rows of `sheet` cannot be checked (file or header problem)"
    return any(p.reason in FILE_REASONS for p in sheet.problems)
