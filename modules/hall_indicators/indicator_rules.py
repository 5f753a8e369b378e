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
