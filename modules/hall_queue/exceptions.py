# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class QueueValidationError(ValidationError):
    pass


class TicketValidationError(ValidationError):
    pass


class IssueError(UserError):
    "A ticket cannot be issued (closed queue, out of hours, daily cap...)"


class CallError(UserError):
    pass


class WindowOperatorError(AccessError):
    pass


class AppointmentError(UserError):
    pass


class ApplicantError(UserError):
    "The applicant of an application received at a window is refused"
