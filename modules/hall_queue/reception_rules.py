# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Numbers a clerk types for a new applicant, with no ORM import."""
import phonenumbers
from stdnum import get_cc_module

# Tryton 8.0 files the unified social credit code under the party module's
# tax identifier of China (cn_uscc is renamed cn_vat)
ENTERPRISE_IDENTIFIER = 'cn_vat'


def compact_code(type_, code):
    "The code as party.identifier stores it compact (python-stdnum)"
    module = get_cc_module(*type_.split('_', 1))
    if module and module.is_valid(code):
        return module.compact(code)
    return code


def china_phone(value):
    """The phone number of China as party.contact_mechanism validates it
    (+86...), None for what is not one: a party has no address, so no
    country, when the clerk types its number"""
    try:
        number = phonenumbers.parse(value, 'CN')
    except phonenumbers.NumberParseException:
        return None
    if (phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) == 'CN'):
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164)


def unmask(value, stored, mask):
    """The stored value when the form sends it back as the user was shown
    it, masked"""
    if value and stored and value != stored and value == mask(stored):
        return stored
    return value
