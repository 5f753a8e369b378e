# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rules of the 12345 hotline work orders (no ORM): deadlines, repeated
orders, sensitive words, escalation, and the weeks and trends of the
weekly bulletin.

The models feed these functions what they read; the tests call them
directly."""
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

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


# -- the weekly bulletin (舆情快报) -------------------------------------------

def week_of(day):
    "The Monday and the Sunday of the week of `day`"
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def previous_week(today):
    "The Monday and the Sunday of the week before that of `today`"
    return week_of(today - dt.timedelta(days=7))


def week_number(day):
    "The ISO year and number of the week of `day`: (2026, 46)"
    year, week, _ = day.isocalendar()
    return year, week


def change(current, previous):
    """How `current` compares with `previous`: 'up', 'down' or 'flat' and
    the change in percent (a Decimal to one place), None when `previous`
    is nought"""
    current, previous = current or 0, previous or 0
    direction = ('up' if current > previous
        else 'down' if current < previous else 'flat')
    if not previous:
        return direction, None
    percent = (Decimal(current - previous) * 100 / Decimal(previous)
        ).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)
    return direction, abs(percent)


def trend_text(current, previous):
    "The trend as the bulletin's tables print it: ↑50.0%, ↓33.3%, 持平, ↑新增"
    direction, percent = change(current, previous)
    if direction == 'flat':
        return '持平'
    arrow = '↑' if direction == 'up' else '↓'
    if percent is None:
        return f'{arrow}新增'
    return f'{arrow}{percent}%'


def change_text(current, previous):
    """The change as a sentence of the bulletin says it: 较上周（2件）上升
    50.0%, 较上周（3件）下降33.3%, 与上周持平, 上周无"""
    direction, percent = change(current, previous)
    if direction == 'flat':
        return '与上周持平'
    if percent is None:
        return '上周无'
    verb = '上升' if direction == 'up' else '下降'
    return f'较上周（{previous}件）{verb}{percent}%'


def shorten(text, length=30):
    "`text` on one line, cut to `length` characters with an ellipsis"
    text = ' '.join((text or '').split())
    if len(text) <= length:
        return text
    return text[:length - 1] + '…'


# The follow-up satisfaction of a work order as a 好差评 level: the 12345
# follow-up asks the caller the five levels of the national 好差评 scale
# (非常满意 to 非常不满意), so each answer is the rating of the same name
RATING_LEVELS = {
    'very_satisfied': 'very_satisfied',
    'satisfied': 'satisfied',
    'basic': 'basic',
    'dissatisfied': 'dissatisfied',
    'very_dissatisfied': 'very_dissatisfied',
    }


def rating_level(satisfaction):
    "The 好差评 level of a follow-up `satisfaction`, None without one"
    return RATING_LEVELS.get(satisfaction)
