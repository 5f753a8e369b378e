# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Figures of the approval items of an enterprise project (审批事项), with
no ORM import: the speed-up rate (提速率), the promise-kept rate (承诺兑现率)
and overdue items.

An item is (state, legal limit, promised limit, working days taken,
promised due date); only completed items ('done') have the working days
they took.
"""
from .working_days_rules import speed_up_rate

__all__ = ['speed_up_rate', 'promise_kept', 'promise_kept_rate',
    'is_overdue', 'is_late', 'summary', 'format_rate']

OPEN_STATES = {'planned', 'in_progress'}


def promise_kept(actual_days, promised_limit):
    "A completed item kept its promise when it took no more working days."
    if actual_days is None or promised_limit is None:
        return None
    return actual_days <= promised_limit


def promise_kept_rate(pairs):
    """Share of completed items that kept their promise, from pairs of
    (working days taken, promised limit); None without any item."""
    kept = [promise_kept(actual, promised) for actual, promised in pairs]
    if not kept:
        return None
    return sum(1 for k in kept if k) / len(kept)


def is_overdue(state, promised_due_date, today):
    "An item in progress is overdue once its promised due date has passed."
    return (state == 'in_progress' and promised_due_date is not None
        and promised_due_date < today)


def is_late(state, actual_days, promised_limit, promised_due_date, today):
    """An item is late when it was completed past its promise or it is
    still in progress past its promised due date."""
    if state == 'done':
        return promise_kept(actual_days, promised_limit) is False
    return is_overdue(state, promised_due_date, today)


def summary(items, today):
    """Return the figures of items given as tuples (state, legal limit,
    promised limit, working days taken, promised due date)."""
    items = [i for i in items if i[0] != 'cancelled']
    done = [i for i in items if i[0] == 'done']
    return {
        'items': len(items),
        'done': len(done),
        'actual_days': sum(i[3] or 0 for i in done),
        'legal_days': sum(i[1] or 0 for i in done),
        'speed_up_rate': speed_up_rate(
            [i[3] or 0 for i in done], [i[1] or 0 for i in done]),
        'promise_kept_rate': promise_kept_rate(
            [(i[3] or 0, i[2]) for i in done]),
        'overdue': sum(1 for i in items if is_overdue(i[0], i[4], today)),
        'late': sum(1 for i in items
            if is_late(i[0], i[3], i[2], i[4], today)),
        }


def format_rate(rate, digits=1):
    "A rate as a percentage for documents: 0.106 → '10.6%', None → '—'"
    if rate is None:
        return '—'
    return f'{rate * 100:.{digits}f}%'
