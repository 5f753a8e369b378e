# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Read and check the work orders the provincial 12345 platform dispatches
to the city (its export, 工单导出), with no ORM import.

The file is an XLSX workbook or a CSV file, as hall's table_file_rules
reads them. Its header row names the columns, in any order; other columns
are ignored:

    工单编号   required  the platform's number, once in the file; an order
                         with this number already imported is left as it is
    受理时间   required  when the platform received it (local time):
                         2026-11-03 09:15, 2026/11/3 9:15, 2026年11月3日 9:15
    诉求类型   required  咨询, 求助, 投诉, 举报, 建议, 表扬 or 效能投诉
                         (also 咨询类, 意见建议, 求助类 …)
    诉求标题   required
    诉求内容   required
    紧急程度   optional  一般, 紧急 or 特急 (empty: 一般)
    来电人     optional  the caller's name
    联系电话   optional  the caller's phone
    是否匿名   optional  是 or 否; an order with neither name nor phone must
                         say 是
    所属区域   optional  the administrative division: its code (330108)
                         or its name (滨江区)
    事发地点   optional
    涉及窗口   optional  the window a 效能投诉 is about: its number

The problems are table_file_rules.Problem, the reason being the suffix of
the message hall_hotline.msg_order_import_<reason> (or of a shared one).
"""
import datetime as dt
import re
from collections import namedtuple

from trytond.modules.hall import table_file_rules
from trytond.modules.hall.table_file_rules import (
    check_table, column_of, normalize, one_line, parse_boolean, parse_choice,
    parse_time, read_table, shown)

from .hotline_rules import normalize_phone

# An order read from a row: the values of hall.hotline.order, the division
# and the window as the file writes them
Entry = namedtuple('Entry', ['row', 'values', 'division', 'window'])

NUMBER = '工单编号'
RECEIVED = '受理时间'
CATEGORY = '诉求类型'
SUBJECT = '诉求标题'
CONTENT = '诉求内容'
URGENCY = '紧急程度'
CALLER = '来电人'
PHONE = '联系电话'
ANONYMOUS = '是否匿名'
DIVISION = '所属区域'
PLACE = '事发地点'
WINDOW = '涉及窗口'

REQUIRED = [NUMBER, RECEIVED, CATEGORY, SUBJECT, CONTENT]
OPTIONAL = [URGENCY, CALLER, PHONE, ANONYMOUS, DIVISION, PLACE, WINDOW]
COLUMNS = REQUIRED + OPTIONAL
# Other names of the columns in the exports of the platforms
ALIASES = {
    '工单号': NUMBER,
    '工单编码': NUMBER,
    '平台工单号': NUMBER,
    '省平台工单编号': NUMBER,
    '来电时间': RECEIVED,
    '登记时间': RECEIVED,
    '受理日期': RECEIVED,
    '工单类型': CATEGORY,
    '诉求分类': CATEGORY,
    '业务类型': CATEGORY,
    '标题': SUBJECT,
    '工单标题': SUBJECT,
    '诉求内容描述': CONTENT,
    '工单内容': CONTENT,
    '内容': CONTENT,
    '问题描述': CONTENT,
    '紧急度': URGENCY,
    '缓急程度': URGENCY,
    '诉求人': CALLER,
    '来电人姓名': CALLER,
    '市民姓名': CALLER,
    '联系人': CALLER,
    '来电号码': PHONE,
    '联系方式': PHONE,
    '手机号码': PHONE,
    '匿名': ANONYMOUS,
    '区县': DIVISION,
    '所属区县': DIVISION,
    '行政区划': DIVISION,
    '事发区域': DIVISION,
    '事发地址': PLACE,
    '地址': PLACE,
    '被投诉窗口': WINDOW,
    '窗口': WINDOW,
    }
CATEGORIES = {
    '咨询': 'consultation',
    '求助': 'help',
    '投诉': 'complaint',
    '举报': 'report',
    '建议': 'suggestion',
    '意见建议': 'suggestion',
    '意见': 'suggestion',
    '表扬': 'praise',
    '感谢': 'praise',
    '效能投诉': 'efficiency',
    '效能': 'efficiency',
    }
URGENCIES = {
    '一般': 'normal',
    '普通': 'normal',
    '正常': 'normal',
    '紧急': 'urgent',
    '急': 'urgent',
    '特急': 'very_urgent',
    '特别紧急': 'very_urgent',
    '非常紧急': 'very_urgent',
    }
YES = table_file_rules.YES | {'匿名'}
NO = table_file_rules.NO | {'不匿名', '实名'}
# A city's platform dispatches a few hundred orders a day
MAX_ROWS = 5000


def header_column(header):
    "The documented header of the column `header` names, or None"
    return column_of(header, COLUMNS, ALIASES)


def parse_category(text):
    return parse_choice(text, CATEGORIES, ['类', '件'])


def parse_urgency(text):
    return parse_choice(text, URGENCIES, ['件'])


def parse_anonymous(text):
    return parse_boolean(text, YES, NO)




def check_rows(sheet, sizes=None, now=None):
    """Return (entries, problems) of the rows of `sheet`.

    sizes: the longest text of the fields; now: the local moment past which
    a time is refused (a day of margin for the platform's clock)."""
    def read_row(row, problem):
        values = {}
        if row[NUMBER]:
            values['platform_number'] = one_line(row[NUMBER])
        if row[RECEIVED]:
            received = parse_time(row[RECEIVED])
            if received is None:
                problem(RECEIVED, 'time', value=shown(row[RECEIVED]))
            elif now and received > now + dt.timedelta(days=1):
                problem(RECEIVED, 'time_future', value=shown(row[RECEIVED]))
            values['platform_registered_at'] = received
        if row[CATEGORY]:
            category = parse_category(row[CATEGORY])
            if category is None:
                problem(CATEGORY, 'category', value=shown(row[CATEGORY]))
            values['category'] = category
        if row[SUBJECT]:
            values['subject'] = one_line(row[SUBJECT])
        if row[CONTENT]:
            values['content'] = row[CONTENT]
        values['urgency'] = 'normal'
        if row.get(URGENCY):
            urgency = parse_urgency(row[URGENCY])
            if urgency is None:
                problem(URGENCY, 'urgency', value=shown(row[URGENCY]))
            values['urgency'] = urgency
        caller = one_line(row.get(CALLER, ''))
        phone = row.get(PHONE, '').strip()
        anonymous = None
        if row.get(ANONYMOUS):
            anonymous = parse_anonymous(row[ANONYMOUS])
            if anonymous is None:
                problem(ANONYMOUS, 'boolean', value=shown(row[ANONYMOUS]))
        if phone and not 7 <= len(normalize_phone(phone)) <= 12:
            problem(PHONE, 'phone', value=shown(phone))
        if not (caller or phone) and anonymous is not True:
            problem(CALLER, 'caller')
        values['anonymous'] = bool(anonymous)
        values['caller_name'] = caller or None
        values['caller_phone'] = phone or None
        values['place'] = one_line(row.get(PLACE, '')) or None
        window = one_line(row.get(WINDOW, ''))
        if values.get('category') == 'efficiency' and not window:
            problem(WINDOW, 'window_missing')
        # as the file writes them, for the caller to resolve
        values['division'] = one_line(row.get(DIVISION, ''))
        values['window'] = window
        return values

    columns = {c: c in REQUIRED for c in COLUMNS}
    fields = {NUMBER: 'platform_number', SUBJECT: 'subject',
        CALLER: 'caller_name', PLACE: 'place'}
    entries, problems = check_table(
        sheet, columns, NUMBER, read_row, sizes, fields)
    return [Entry(number, values, values.pop('division'),
            values.pop('window')) for number, values in entries], problems


def read_orders(data, filename=None, sizes=None, now=None):
    """Read and check the platform's file `data`: its entries (rows without
    problem) and every problem"""
    sheet = read_table(data, header_column, REQUIRED, filename, MAX_ROWS)
    return check_rows(sheet, sizes, now)


def division_code(text):
    "The subdivision code a division written as its GB/T 2260 code has"
    text = normalize(text).upper()
    if text.startswith('CN-'):
        text = text[3:]
    if re.fullmatch(r'\d{6}', text):
        return f'CN-{text}'
    return None
