# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rules of the queue: numbers, priorities, hours and estimates (no ORM)."
import datetime as dt
import re

PRIORITIES = [
    ('normal', "Normal"),
    ('priority', "Elderly or Disabled"),
    ('appointment', "Appointment"),
    ]
# Who is called first: appointments checked in (they are due now), then the
# elderly and disabled, then everybody else; within a rank, the earliest
# issued.  The ranks are stored on the tickets; a module adding a priority
# takes a free rank between them (the green channel takes 1).
PRIORITY_RANK = {
    'appointment': 0,
    'priority': 2,
    'normal': 3,
    }

PREFIX = re.compile(r'[A-Z]')


def is_prefix(value):
    return bool(value) and bool(PREFIX.fullmatch(value))


def ticket_number(prefix, sequence):
    "A001 … A999, then A1000"
    return f'{prefix}{sequence:03d}'


def within(moment, start, end):
    "Whether the time `moment` falls in [start, end)"
    return start <= moment < end


def checkin_period(slot_date, slot_start, early_minutes, late_minutes):
    "The local datetimes between which an appointment can check in"
    start = dt.datetime.combine(slot_date, slot_start)
    return (start - dt.timedelta(minutes=early_minutes),
        start + dt.timedelta(minutes=late_minutes))


def cancel_deadline(slot_date, slot_start, cutoff_hours):
    "The last local datetime at which an appointment may be cancelled"
    return (dt.datetime.combine(slot_date, slot_start)
        - dt.timedelta(hours=cutoff_hours))


def estimated_wait_seconds(ahead, average_service_seconds, windows):
    """Seconds before a ticket with `ahead` people before it is called when
    `windows` windows each take `average_service_seconds` a person, or None
    when no window serves the queue now."""
    if windows <= 0:
        return None
    return round(ahead * average_service_seconds / windows)


def call_text(number, window):
    "What the board shows and says: 请 A012 号到 5 号窗口办理"
    return f"请 {number} 号到 {window} 号窗口办理"


def minutes(seconds):
    "A duration in seconds as the minutes shown to users, to a tenth"
    if seconds is None:
        return None
    return round(seconds / 60, 1)
