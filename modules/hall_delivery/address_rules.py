# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Checks and formats of Chinese delivery data, with no ORM import."
import re

MOBILE = re.compile(r'1[3-9]\d{9}')
POSTAL_CODE = re.compile(r'\d{6}')


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


def is_postal_code(value):
    return bool(POSTAL_CODE.fullmatch((value or '').strip()))


def mask_mobile(value):
    "138****5678: what roles other than delivery see"
    value = normalize_mobile(value)
    if len(value) != 11:
        return '*' * len(value)
    return value[:3] + '****' + value[-4:]
