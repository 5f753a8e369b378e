# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""How the printed documents write dates, times, quarters and time limits,
in the official Chinese form (no ORM)."""

QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def chinese_date(value):
    "2026年12月3日 (no leading zeros, as official documents date)"
    if not value:
        return ''
    return f'{value.year}年{value.month}月{value.day}日'


def chinese_month(value):
    "2026年12月"
    if not value:
        return ''
    return f'{value.year}年{value.month}月'


def chinese_datetime(value):
    "2026年12月3日 16:05 (a local time)"
    if not value:
        return ''
    return f'{chinese_date(value)} {value:%H:%M}'


def chinese_quarter(quarter):
    "第一季度 … 第四季度"
    return QUARTERS[quarter]


def time_limit(days):
    "A limit in working days as printed: 即办 when there is none to wait"
    if days is None:
        return ''
    if days == 0:
        return "即办"
    return f'{days} 个工作日'


def opening_hours(morning_start, morning_end, afternoon_start, afternoon_end):
    "工作日 9:00—12:00、13:30—17:00"
    def hour(value):
        return f'{value.hour}:{value.minute:02d}'
    return (f'工作日 {hour(morning_start)}—{hour(morning_end)}、'
        f'{hour(afternoon_start)}—{hour(afternoon_end)}')


def contact_line(address, phone, hours):
    "The line of a citizen notice telling where and when to ask"
    parts = []
    if address:
        parts.append(f"地址：{' '.join(address.split())}")
    if phone:
        parts.append(f'咨询电话：{phone}')
    if hours:
        parts.append(f'办公时间：{hours}')
    return '；'.join(parts)
