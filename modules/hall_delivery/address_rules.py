# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Checks and formats of Chinese delivery data, with no ORM import."
import re

POSTAL_CODE = re.compile(r'\d{6}')


def is_postal_code(value):
    return bool(POSTAL_CODE.fullmatch((value or '').strip()))

