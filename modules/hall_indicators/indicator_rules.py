# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The pure rules of the indicators: levels of halls and periods"
import datetime as dt

# The higher the level, the smaller its rank: a parent's rank is smaller
LEVEL_RANKS = {'city': 0, 'district': 1, 'town': 2, 'village': 3}


def year_start(day):
    "The first day of the year of `day`"
    return dt.date(day.year, 1, 1)


def period_end(to_date, today):
    """The last day an indicator of a period ending on `to_date` (None: not
    ended) counts: no later than today"""
    if to_date is None or to_date > today:
        return today
    return to_date


def same_day_last_year(day):
    "The same day a year before (28 February for 29 February)"
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def board_periods(today):
    """The periods of the leadership's board on `today`: (name, first day,
    last day), this month and this year to today, and the same spans of
    last year (as they stood on the same day)"""
    last_year = same_day_last_year(today)
    return [
        ('month', today.replace(day=1), today),
        ('month_last_year', last_year.replace(day=1), last_year),
        ('year', year_start(today), today),
        ('year_last_year', year_start(last_year), last_year),
        ]
