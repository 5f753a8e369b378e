# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Checks and masks of people's numbers and names, with no ORM import."
import re

from stdnum.cn import ric

MOBILE = re.compile(r'1[3-9]\d{9}')


def normalize_mobile(value):
    "Drop the spaces, dashes and +86 prefix people type around a mobile"
    value = re.sub(r'[\s\-]', '', value or '')
    if value.startswith('+86'):
        value = value[3:]
    elif value.startswith('0086'):
        value = value[4:]
    return value


def is_mobile(value):
    return bool(MOBILE.fullmatch(normalize_mobile(value)))


def mask_mobile(value):
    "138****5678"
    value = normalize_mobile(value)
    if len(value) != 11:
        return '*' * len(value)
    return value[:3] + '****' + value[-4:]


def normalize_id_number(value):
    "Resident ID number without spaces, with an upper-case check character"
    return re.sub(r'\s', '', value or '').upper()


def is_id_number(value):
    "A valid 18-character resident identity card number (GB 11643)"
    value = normalize_id_number(value)
    return len(value) == 18 and ric.is_valid(value)


def mask_id_number(value):
    "330106********1234: the area code and the last four characters"
    value = normalize_id_number(value)
    if len(value) != 18:
        return '*' * len(value)
    return value[:6] + '*' * 8 + value[-4:]


def mask_name(value):
    "张*明, 李*: the family name and, for three or more, the last character"
    value = (value or '').strip()
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + '*'
    return value[0] + '*' * (len(value) - 2) + value[-1]
