# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class OrderError(UserError):
    pass


class OrderValidationError(ValidationError):
    pass


class DeadlineRuleError(UserError):
    pass


class OrderImportError(UserError):
    pass
