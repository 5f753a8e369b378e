# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rules of the roster (排班), with no ORM import."

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
