# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Read and check a hall's service catalogue (事项清单), with no ORM import.

The catalogue is the export of the provincial government-service platform:
an XLSX workbook (its first sheet, read-only) or a CSV file (UTF-8 with or
without BOM, or GB18030 as Excel on Chinese Windows saves it).  Its header
row names the columns, in any order; other columns are ignored:

    事项编码      required  the service's code, once in the file; a service
                            of the same code is updated, else one is created
    事项名称      required
    事项类型      required  行政许可, 行政确认, 行政给付, 公共服务, 其他
                            (also 行政许可事项, 行政许可类, 其它 …)
    实施主体      required  the department: its code or its name
    法定办结时限  required  whole working days: 20, 20个工作日, 20工作日;
                            即办 is 0
    承诺办结时限  required  the same, at most the legal limit
    办理形式      required  窗口办理, 网上办理, 窗口办理、网上办理 …:
                            online when 网上 appears; fully online
                            (全流程网办, and online) when 全程网办 does
    跑动次数      required  0, 1 or 2 and more: 0次, 1次, 最多跑一次, 2次 …
    一窗通办      optional  是 or 否 (empty: unchanged, 是 for a new service)
    事项说明      optional  the description (empty clears it)

A header may also be written as platforms do: with a required mark
(*事项编码), a unit in brackets (法定办结时限（工作日）) or one of the other
names of ALIASES.  A title row above the header row is skipped.

Every row is checked; each problem is a Problem(row, column, reason,
params): the row as Excel numbers it (the header row is usually 1), the
column's header as the file writes it, the reason (the suffix of the
message hall.msg_service_import_<reason>) and the values of that message.
The caller imports nothing while there is a problem.
"""
import re
from collections import namedtuple

from .table_file_rules import (
    check_table, column_of, normalize, one_line, parse_boolean, parse_choice,
    read_table, shown)

# A service read from a row: the values of hall.service (the department as
# the file writes it, or its id once resolved)
Entry = namedtuple('Entry', ['row', 'values'])
Catalogue = namedtuple('Catalogue', ['entries', 'problems', 'headers'])

CODE = '事项编码'
NAME = '事项名称'
CATEGORY = '事项类型'
DEPARTMENT = '实施主体'
LEGAL_LIMIT = '法定办结时限'
PROMISED_LIMIT = '承诺办结时限'
FORM = '办理形式'
VISITS = '跑动次数'
COMPREHENSIVE = '一窗通办'
DESCRIPTION = '事项说明'

REQUIRED = [CODE, NAME, CATEGORY, DEPARTMENT, LEGAL_LIMIT, PROMISED_LIMIT,
    FORM, VISITS]
OPTIONAL = [COMPREHENSIVE, DESCRIPTION]
COLUMNS = REQUIRED + OPTIONAL
# Other names of the columns in the exports of the platforms
ALIASES = {
    '事项代码': CODE,
    '实施编码': CODE,
    '事项类别': CATEGORY,
    '权力类型': CATEGORY,
    '实施主体名称': DEPARTMENT,
    '实施部门': DEPARTMENT,
    '实施机构': DEPARTMENT,
    '办理部门': DEPARTMENT,
    '法定时限': LEGAL_LIMIT,
    '承诺时限': PROMISED_LIMIT,
    '办理方式': FORM,
    '到现场次数': VISITS,
    '到办事现场次数': VISITS,
    '最多跑动次数': VISITS,
    '是否一窗通办': COMPREHENSIVE,
    '备注': DESCRIPTION,
    }
# The field of hall.service each column sets
FIELDS = {
    CODE: 'code',
    NAME: 'name',
    CATEGORY: 'category',
    DEPARTMENT: 'department',
    LEGAL_LIMIT: 'legal_limit',
    PROMISED_LIMIT: 'promised_limit',
    FORM: 'online',
    VISITS: 'max_visits',
    COMPREHENSIVE: 'comprehensive',
    DESCRIPTION: 'description',
    }

CATEGORIES = {
    '行政许可': 'licensing',
    '许可': 'licensing',
    '行政确认': 'confirmation',
    '确认': 'confirmation',
    '行政给付': 'benefit',
    '给付': 'benefit',
    '公共服务': 'public',
    '其他': 'other',
    '其它': 'other',
    '其他行政权力': 'other',
    '其他权力': 'other',
    }
IMMEDIATE = {'即办', '即办件', '当场办结', '即时办结'}
LIMIT = re.compile(r'(?P<number>[+-]?\d+(?:\.\d+)?)(?:个)?(?:工作日)?')
CHINESE_NUMBERS = {
    '零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
    '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}
# Rows a catalogue may have: a city's is a few thousand services
MAX_ROWS = 10000

def header_column(header):
    "The documented header of the column `header` names, or None"
    return column_of(header, COLUMNS, ALIASES)


def read_rows(data, filename=None):
    """Read the catalogue file `data` (bytes; `filename` only tells an old
    .xls): its rows keyed by the documented headers, and the problems of
    the file and of its header row"""
    return read_table(data, header_column, REQUIRED, filename, MAX_ROWS)


def parse_category(text):
    return parse_choice(text, CATEGORIES, ['事项', '类'])


def parse_limit(text):
    """Return (working days, reason): the whole number of working days of
    a limit, or the reason it is not one"""
    text = normalize(text)
    if text in IMMEDIATE:
        return 0, None
    match = LIMIT.fullmatch(text)
    if not match:
        return None, 'limit'
    number = float(match.group('number'))
    if not number.is_integer():
        return None, 'limit'
    if number < 0:
        return None, 'limit_negative'
    return int(number), None


def parse_full_online(text):
    return '全程网办' in text or '全流程网办' in text


def parse_online(text):
    return '网上' in text or parse_full_online(text)


def parse_count(text):
    "An integer written in digits or as one Chinese numeral, or None"
    if text.isdigit():
        return int(text)
    return CHINESE_NUMBERS.get(text)


def parse_visits(text):
    "Return zero, one or more, or None"
    text = normalize(text)
    if text in {'零跑动', '零跑', '不跑', '无需跑动', '无需到现场'}:
        return 'zero'
    more = False
    for prefix in ['最多跑', '最多', '跑']:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    for suffix in ['及以上', '以上']:
        if text.endswith(suffix):
            text, more = text[:-len(suffix)], True
            break
    if text.endswith('次'):
        text = text[:-1]
    if text == '多':
        return 'more'
    count = parse_count(text)
    if count is None:
        return None
    if count == 0 and not more:
        return 'zero'
    if count == 1 and not more:
        return 'one'
    return 'more' if count >= 1 else None




def check_rows(sheet, sizes=None, departments=None):
    """Return (entries, problems) of the rows of `sheet`.

    sizes: the longest text of the fields (code, name, description);
    departments: (ids by code, ids by name) to resolve 实施主体 into a
    department id, or None to keep it as the file writes it."""
    def read_row(row, problem):
        values = {}
        if row[CODE]:
            values['code'] = one_line(row[CODE])
        if row[NAME]:
            values['name'] = one_line(row[NAME])
        if row[CATEGORY]:
            category = parse_category(row[CATEGORY])
            if category is None:
                problem(CATEGORY, 'category', value=shown(row[CATEGORY]))
            values['category'] = category
        if row[DEPARTMENT]:
            values['department'] = department_of(
                row[DEPARTMENT], departments, problem)
        for column in [LEGAL_LIMIT, PROMISED_LIMIT]:
            if row[column]:
                limit, reason = parse_limit(row[column])
                if reason:
                    problem(column, reason, value=shown(row[column]))
                values[FIELDS[column]] = limit
        legal, promised = values.get('legal_limit'), values.get(
            'promised_limit')
        if legal is not None and promised is not None and promised > legal:
            problem(PROMISED_LIMIT, 'promised_over_legal',
                promised=promised, legal=legal)
        if row[FORM]:
            values['online'] = parse_online(row[FORM])
            values['full_online'] = parse_full_online(row[FORM])
        if row[VISITS]:
            visits = parse_visits(row[VISITS])
            if visits is None:
                problem(VISITS, 'visits', value=shown(row[VISITS]))
            values['max_visits'] = visits
        if row.get(COMPREHENSIVE):
            comprehensive = parse_boolean(row[COMPREHENSIVE])
            if comprehensive is None:
                problem(COMPREHENSIVE, 'boolean',
                    value=shown(row[COMPREHENSIVE]))
            values['comprehensive'] = comprehensive
        if DESCRIPTION in row:
            values['description'] = row[DESCRIPTION] or None
        return values

    columns = {c: c in REQUIRED for c in COLUMNS}
    entries, problems = check_table(sheet, columns, CODE, read_row,
        sizes, {c: FIELDS[c] for c in [CODE, NAME, DESCRIPTION]})
    return [Entry(number, values) for number, values in entries], problems


def department_of(text, departments, problem):
    """The id of the department whose code or name is `text` (reporting
    the problem if there is none or several), or `text` without
    `departments`"""
    if departments is None:
        return text
    by_code, by_name = departments
    text = one_line(text)
    if text in by_code:
        return by_code[text]
    ids = by_name.get(text, [])
    if len(ids) == 1:
        return ids[0]
    if ids:
        problem(DEPARTMENT, 'department_ambiguous', value=shown(text))
    else:
        problem(DEPARTMENT, 'department', value=shown(text))
    return None


def read_catalogue(data, filename=None, sizes=None, departments=None):
    """Read and check the catalogue file `data`: its entries (rows without
    problem), every problem, and the headers of its columns"""
    sheet = read_rows(data, filename)
    entries, problems = check_rows(sheet, sizes, departments)
    return Catalogue(entries, problems, sheet.headers)
