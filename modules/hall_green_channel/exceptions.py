# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class ProjectError(UserError):
    pass


class ProjectDeleteError(AccessError):
    pass


class IssueError(UserError):
    pass


class ContactValidationError(ValidationError):
    pass
