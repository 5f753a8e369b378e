# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rules of the 好差评 ratings, rankings and inspections.

Plain functions with no ORM import: the models and the public pages call
them, the tests check them directly.
"""
import datetime as dt
import hashlib
import re
import secrets
from decimal import Decimal

from trytond.tools import timezone as tz

LEVELS = [
    ('very_satisfied', "Very Satisfied"),
    ('satisfied', "Satisfied"),
    ('basic', "Basically Satisfied"),
    ('dissatisfied', "Dissatisfied"),
    ('very_dissatisfied', "Very Dissatisfied"),
    ]
# 不满意 and 非常不满意 are bad ratings (差评): they need a reason and open a
# rectification.
BAD_LEVELS = frozenset({'dissatisfied', 'very_dissatisfied'})
# Points of each level on the 10-point scale of the composite score: the
# five levels count 5 to 1, doubled.
LEVEL_POINTS = {
    'very_satisfied': 10,
    'satisfied': 8,
    'basic': 6,
    'dissatisfied': 4,
    'very_dissatisfied': 2,
    }
SCORE_RANGE = range(1, 6)
REASON_MAX_LENGTH = 500

MOBILE_RE = re.compile(r'^1[3-9]\d{9}$')


def is_bad(level):
    return level in BAD_LEVELS


def rate_path(token):
    "The address of the rating page of `token`, relative to /<db>/hall/"
    return 'rate/' + token


def device_path(window_id, key=None):
    """The address of the page of the window device, relative to
    /<db>/hall/; with `key` in the fragment, which the browser keeps to
    itself: the page stores it and sends it in a header"""
    path = 'window/%d/rate' % window_id
    if key:
        path += '#key=' + key
    return path


def new_device_key():
    "The key of a window device: 256 random bits, URL-safe (43 characters)"
    return secrets.token_urlsafe(32)


def hash_device_key(key):
    """The SHA-256 of a device key, stored in place of the key (256 random
    bits need no salt)"""
    return hashlib.sha256(key.encode('utf-8')).hexdigest()


def time_zone(name):
    "The time zone `name` (a company's), UTC when there is none"
    return tz.get_tzinfo(name) if name else tz.UTC


def local_date(utc, timezone):
    """The date at the time zone named `timezone` of the naive UTC `utc`:
    the day a rating counts in, whatever the server's clock"""
    return utc.replace(tzinfo=tz.UTC).astimezone(time_zone(timezone)).date()


def mask_name(name):
    """Mask a person's name for public pages: 张建明 → 张*明, 李强 → 李*,
    欧阳娜娜 → 欧**娜."""
    name = (name or '').strip()
    if not name:
        return ''
    if len(name) == 1:
        return '*'
    if len(name) == 2:
        return name[0] + '*'
    return name[0] + '*' * (len(name) - 2) + name[-1]


def normalize_mobile(value):
    """Return the 11 digits of a mainland mobile number (with or without
    +86, spaces or dashes) or None when it is not one."""
    digits = re.sub(r'[\s\-()]', '', value or '')
    if digits.startswith('+86'):
        digits = digits[3:]
    elif digits.startswith('0086'):
        digits = digits[4:]
    if MOBILE_RE.match(digits):
        return digits
    return None


def mask_phone(value):
    "138****5678 for a mobile, the last four digits kept otherwise"
    value = (value or '').strip()
    mobile = normalize_mobile(value)
    if mobile:
        return mobile[:3] + '****' + mobile[-4:]
    if len(value) <= 4:
        return '*' * len(value)
    return '*' * (len(value) - 4) + value[-4:]


def parse_rating(form):
    """Check the fields of a rating form (a mapping of strings).

    Return (values, errors): values for the evaluation when errors is empty;
    errors lists codes: 'level', 'reason', 'reason_length', 'score', 'phone'.
    """
    errors = []
    values = {}
    level = (form.get('level') or '').strip()
    if level not in LEVEL_POINTS:
        errors.append('level')
    values['level'] = level
    reason = (form.get('reason') or '').strip()
    if is_bad(level) and not reason:
        errors.append('reason')
    if len(reason) > REASON_MAX_LENGTH:
        errors.append('reason_length')
    values['reason'] = reason or None
    for name in ['efficiency', 'attitude', 'professionalism']:
        raw = (form.get('score_' + name) or '').strip()
        value = None
        if raw:
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value not in SCORE_RANGE:
                if 'score' not in errors:
                    errors.append('score')
                value = None
        values['score_' + name] = value
    anonymous = (form.get('anonymous') or '').strip() not in {
        '', '0', 'false', 'off'}
    phone = (form.get('phone') or '').strip()
    if phone and not anonymous:
        mobile = normalize_mobile(phone)
        if not mobile:
            errors.append('phone')
        values['rater_phone'] = mobile
    else:
        values['rater_phone'] = None
    values['anonymous'] = anonymous
    return values, errors


def average(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return sum(values) / len(values)


def composite_score(rating_score, inspection_score, rating_weight):
    """The monthly composite score of a window on 10 points: the rating
    score and the inspection score (both on 10 points) weighted by
    `rating_weight` and 1 − `rating_weight`; either alone when the other is
    missing."""
    if rating_score is None and inspection_score is None:
        return None
    if inspection_score is None:
        return float(rating_score)
    if rating_score is None:
        return float(inspection_score)
    weight = float(rating_weight)
    return weight * float(rating_score) + (1 - weight) * float(
        inspection_score)


def rank(scores):
    """Rank {key: score} from the best: equal scores share a rank (1, 2, 2,
    4).  Return {key: (rank, last)} where `last` marks the keys ranked last
    when at least two are ranked and not all share one score."""
    ordered = sorted(scores.items(), key=lambda i: (-i[1], str(i[0])))
    ranks = {}
    previous, previous_rank = None, 0
    for position, (key, score) in enumerate(ordered, 1):
        if score != previous:
            previous_rank = position
            previous = score
        ranks[key] = previous_rank
    result = {}
    distinct = {round(s, 6) for s in scores.values()}
    lowest = min(scores.values()) if scores else None
    for key, score in scores.items():
        last = len(distinct) > 1 and score == lowest
        result[key] = (ranks[key], last)
    return result


def to_talk(last_now, last_before):
    "The windows ranked last this month and the month before (约谈)"
    return set(last_now) & set(last_before)


def month_start(date):
    return date.replace(day=1)


def previous_month(date):
    return (month_start(date) - dt.timedelta(days=1)).replace(day=1)


def next_month(date):
    date = month_start(date)
    return (date + dt.timedelta(days=32)).replace(day=1)


def quarter_of(date):
    return (date.month - 1) // 3 + 1


def quarter_range(year, quarter):
    "First and last day of a quarter"
    if quarter not in {1, 2, 3, 4}:
        raise ValueError("quarter must be 1 to 4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = next_month(start.replace(month=3 * quarter)) - dt.timedelta(days=1)
    return start, end


def percentage(points, maximum):
    "Points scored out of a maximum, on 100"
    if not maximum:
        return None
    return float(Decimal(points) * 100 / Decimal(maximum))


def bulletin_number(hall_code, year, quarter):
    """The document number (发文字号) of the quarterly inspection bulletin:
    the hall's code, 督查 and the year in 〔〕, numbered by quarter"""
    return f'{hall_code or ""}督查〔{year}〕{quarter}号'
