# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Working-day arithmetic for statutory time limits (法定时限/承诺时限).

Plain functions with no ORM import: the calendar model feeds them the set of
public holidays and the set of make-up workdays (调休上班日).
"""
import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day, holidays=frozenset(), workdays=frozenset()):
    "A make-up workday is worked even on a weekend; a holiday never is."
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start, count, holidays=frozenset(),
        workdays=frozenset()):
    """Return the date on which a limit of `count` working days ends.

    Counting starts the day after `start` (the day of acceptance is not
    counted); a limit of 0 (即办件) ends on `start` itself.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += ONE_DAY
        if is_working_day(day, holidays, workdays):
            remaining -= 1
    return day


def count_working_days(start, end, holidays=frozenset(),
        workdays=frozenset()):
    """Return the working days in the interval (start, end].

    It is the inverse of add_working_days: the days an application took
    from `start` to `end`. It is 0 when end is not after start.
    """
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, holidays, workdays):
            count += 1
    return count


def speed_up_rate(actual_days, legal_days):
    """Speed-up rate (提速率) = 1 − Σ actual ÷ Σ legal, or None without any
    legal day to compare with."""
    actual_days, legal_days = sum(actual_days), sum(legal_days)
    if not legal_days:
        return None
    return 1 - actual_days / legal_days
