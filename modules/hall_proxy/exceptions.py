# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class CaseError(UserError):
    pass


class AuthorizationError(UserError):
    pass


class CaseDeleteError(AccessError):
    pass


class CaseValidationError(ValidationError):
    pass


class HandbookValidationError(ValidationError):
    pass
