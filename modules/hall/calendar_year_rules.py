# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Checking a year's public holidays and make-up workdays (调休) against the
State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Plain functions with no ORM import: the days are (date, kind, name) as the
hall manager enters them in the confirmation wizard.
"""
import datetime as dt

HOLIDAY, WORKDAY = 'holiday', 'workday'
KINDS = (HOLIDAY, WORKDAY)
YEAR_MIN, YEAR_MAX = 2000, 2100
# From this day of a year on, next year's calendar must be confirmed too:
# the State Council publishes it at the end of October or in November
NEXT_YEAR_FROM = (11, 1)

# The days the law (全国年节及纪念日放假办法) makes public holidays on a
# fixed date, from the year of each revision: 元旦, 劳动节, 国庆节 (the
# revision of 2025, 国务院令第798号, added 2 May)
STATUTORY_DAYS = [
    (2008, [(1, 1, "元旦"), (5, 1, "劳动节"), (10, 1, "国庆节"),
            (10, 2, "国庆节"), (10, 3, "国庆节")]),
    (2025, [(1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"),
            (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节")]),
    ]

# The errors day_errors reports
DATE_MISSING = 'date_missing'
DATE_OUTSIDE = 'date_outside'
DATE_TWICE = 'date_twice'
KIND_INVALID = 'kind_invalid'
NAME_INVALID = 'name_invalid'
HOLIDAY_UNNAMED = 'holiday_unnamed'
WORKDAY_WEEKDAY = 'workday_weekday'
STATUTORY_MISSING = 'statutory_missing'


def year_valid(year):
    return (isinstance(year, int) and not isinstance(year, bool)
        and YEAR_MIN <= year <= YEAR_MAX)


def years_to_confirm(day):
    """The years whose calendar must be confirmed on `day`: its own and,
    from 1 November, the next"""
    years = [day.year]
    if (day.month, day.day) >= NEXT_YEAR_FROM:
        years.append(day.year + 1)
    return years


def statutory_days(year):
    "(date, name) of the fixed-date public holidays of `year` by law"
    days = []
    for since, fixed in STATUTORY_DAYS:
        if year >= since:
            days = fixed
    return [(dt.date(year, month, day), name) for month, day, name in days]


def _is_date(value):
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def day_errors(year, days, name_size):
    """Check the days (date, kind, name) that are to be the whole calendar of
    `year`; return the errors as (error, position, date, extra), position
    counted from 1 and extra the name of a statutory holiday, in the order
    of the days (the statutory days missing last).

    Each date is in the year and appears once; a make-up workday falls on a
    Saturday or a Sunday (the other days are worked anyway); a holiday has
    a name (which festival); the fixed-date holidays of the law are
    holidays."""
    errors = []
    seen = set()
    holidays = set()
    for position, (date, kind, name) in enumerate(days, 1):
        if not _is_date(date):
            errors.append((DATE_MISSING, position, None, None))
            continue
        if date.year != year:
            errors.append((DATE_OUTSIDE, position, date, None))
        elif date in seen:
            errors.append((DATE_TWICE, position, date, None))
        seen.add(date)
        if kind not in KINDS:
            errors.append((KIND_INVALID, position, date, None))
            continue
        if name is not None and (
                not isinstance(name, str) or len(name) > name_size):
            errors.append((NAME_INVALID, position, date, None))
        elif kind == HOLIDAY and not (name or '').strip():
            errors.append((HOLIDAY_UNNAMED, position, date, None))
        if kind == HOLIDAY:
            holidays.add(date)
        elif date.weekday() < 5:
            errors.append((WORKDAY_WEEKDAY, position, date, None))
    for date, name in statutory_days(year):
        if date not in holidays:
            errors.append((STATUTORY_MISSING, None, date, name))
    return errors


def day_counts(days):
    "(holidays, make-up workdays) among the days (date, kind, name)"
    kinds = [kind for _, kind, _ in days]
    return kinds.count(HOLIDAY), kinds.count(WORKDAY)
