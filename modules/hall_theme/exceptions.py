# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError


class ThemeError(UserError):
    pass


class ThemeApplicationError(UserError):
    pass
