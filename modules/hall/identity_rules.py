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


def mask_phone(value):
    "A mobile as 138****5678; another number with its last four digits"
    if '*' in (value or ''):
        return value  # masked already
    if is_mobile(value):
        return mask_mobile(value)
    value = re.sub(r'\s', '', value or '')
    if len(value) <= 4:
        return '*' * len(value)
    return '*' * (len(value) - 4) + value[-4:]


def mask_email(value):
    "z***@example.com: the first character and the domain"
    local, at, domain = (value or '').partition('@')
    if not at:
        return '*' * len(local)
    return local[:1] + '***@' + domain


def mask_code(value, type_=None):
    """An identifier: a resident ID number as 110105********0021, another
    code with its last four characters"""
    if type_ == 'cn_ric':
        return mask_id_number(value)
    return mask_phone(value)


def mask_text(value):
    "A street or another free text: nothing of it"
    return '****' if value else value


def mask_contact(type_, value):
    "The value of a contact mechanism of type `type_`, masked"
    if not value:
        return value
    if type_ in {'phone', 'mobile', 'fax'}:
        return mask_phone(value)
    if type_ == 'email':
        return mask_email(value)
    return mask_text(value)
