# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rules of the 12345 hotline work orders (no ORM): deadlines, repeated
orders, sensitive words and escalation.

The models feed these functions what they read; the tests call them
directly."""
import datetime as dt
import re

import ahocorasick

from trytond.modules.hall.working_days_rules import add_working_days

ONE_HOUR = dt.timedelta(hours=1)


def answer_deadline(start, unit, limit, holidays=frozenset(),
        workdays=frozenset()):
    """The local moment an answer is due: `limit` hours after `start`, or
    the end (23:59:59) of the `limit`-th working day after `start`'s day"""
    if unit == 'hours':
        return start + limit * ONE_HOUR
    day = add_working_days(start.date(), limit, holidays, workdays)
    return dt.datetime.combine(day, dt.time(23, 59, 59))


def extend_deadline(deadline, unit, paused_from, paused_to,
        holidays=frozenset(), workdays=frozenset()):
    """`deadline` moved later by the time an order spent in a paused state,
    from `paused_from` to `paused_to` (local moments): by the hours paused,
    or by the working days begun while paused"""
    if deadline is None or paused_to <= paused_from:
        return deadline
    if unit == 'hours':
        return deadline + (paused_to - paused_from)
    days = 0
    day = paused_from.date()
    while day < paused_to.date():
        day += dt.timedelta(days=1)
        if _working(day, holidays, workdays):
            days += 1
    if not days:
        return deadline
    end = add_working_days(deadline.date(), days, holidays, workdays)
    return dt.datetime.combine(end, deadline.time())


def _working(day, holidays, workdays):
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


_SPACES = re.compile(r'[\s\u3000，。、；：！？,.;:!?"“”‘’（）()【】\[\]]+')


def subject_key(subject):
    """The subject as repeated orders are compared: without spaces and
    punctuation, case folded"""
    return _SPACES.sub('', subject or '').casefold()


def normalize_phone(phone):
    "The digits of a phone number, without the country code 86"
    digits = re.sub(r'\D', '', phone or '')
    if digits.startswith('0086'):
        digits = digits[4:]
    elif digits.startswith('86') and len(digits) == 13:
        digits = digits[2:]
    return digits


def lexicon(text):
    "The words of a lexicon typed one a line (or separated by commas)"
    words = []
    for word in re.split(r'[\n,，、;；]+', text or ''):
        word = word.strip()
        if word and word not in words:
            words.append(word)
    return words


def find_words(text, words):
    """The words of `words` found in `text`, each once, in the order of the
    lexicon (Aho-Corasick: one pass over the text for all the words)"""
    if not text or not words:
        return []
    automaton = ahocorasick.Automaton()
    for index, word in enumerate(words):
        automaton.add_word(word, index)
    automaton.make_automaton()
    found = {index for _, index in automaton.iter(text)}
    return [w for i, w in enumerate(words) if i in found]


def escalation_reasons(redo_count, department_count, redo_limit,
        transfer_limit):
    """Why an order goes to the supervising leader: the keys of the limits
    reached ('redo': redone `redo_limit` times, 'transfer': dispatched to
    `transfer_limit` lead departments); a limit of 0 never escalates"""
    reasons = []
    if redo_limit and redo_count >= redo_limit:
        reasons.append('redo')
    if transfer_limit and department_count >= transfer_limit:
        reasons.append('transfer')
    return reasons
