# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rules of the roster (排班), with no ORM import."
import datetime as dt

PERIODS = ['morning', 'afternoon', 'full_day', 'extended', 'weekend']

# A full day covers the morning and the afternoon; a weekend session is the
# whole opening of that day; extended service (延时服务) follows closing time.
_COVERS = {
    'morning': {'morning'},
    'afternoon': {'afternoon'},
    'full_day': {'morning', 'afternoon'},
    'extended': {'extended'},
    'weekend': {'morning', 'afternoon'},
    }


def periods_overlapping(period):
    "Return the periods that overlap `period` on the same date."
    covered = _COVERS[period]
    return sorted(p for p in PERIODS if _COVERS[p] & covered)


def missing_qualifications(required_services, qualified_services):
    "Return the services a stand-in must be qualified for but is not."
    return set(required_services) - set(qualified_services)


def weekend_shortfalls(dates, kinds, counts, required):
    """Return (date, kind, count) for each weekend date and window kind
    served by fewer than `required` windows.

    `counts` maps (date, kind) to the number of windows rostered.
    """
    shortfalls = []
    for date in sorted(dates):
        for kind in kinds:
            count = counts.get((date, kind), 0)
            if count < required:
                shortfalls.append((date, kind, count))
    return shortfalls


# What a roster shift opens to a clerk (the applications of the window, the
# window's buttons) is bounded in time: the shifts of today, and those of a
# few days before for the follow-up of what was received there.
FOLLOW_UP_DAYS = 7
FOLLOW_UP_DAYS_MAX = 90


def follow_up_days_valid(days):
    "Return whether `days` is an accepted number of follow-up days"
    return (isinstance(days, int) and not isinstance(days, bool)
        and 0 <= days <= FOLLOW_UP_DAYS_MAX)


def follow_up_period(today, days):
    """Return the first and last dates of the shifts that open their window
    to the clerk on `today`: today's and those of the `days` days before."""
    if not follow_up_days_valid(days):
        raise ValueError(f"follow-up days out of 0..{FOLLOW_UP_DAYS_MAX}: "
            f"{days!r}")
    return today - dt.timedelta(days=days), today


def rostered_windows(latest_shifts, today):
    """Split `latest_shifts`, the date of the latest shift in the follow-up
    period by window, into the windows open for follow-up and those
    rostered `today`; both sorted."""
    follow_up = sorted(latest_shifts)
    today_windows = sorted(
        w for w, date in latest_shifts.items() if date == today)
    return follow_up, today_windows
