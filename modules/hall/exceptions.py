# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class HallValidationError(ValidationError):
    pass


class ServiceLimitError(ValidationError):
    pass


class ServiceImportError(UserError):
    pass


class RosterConflictError(ValidationError):
    pass


class StandInQualificationError(ValidationError):
    pass


class ApplicantIdentifierError(ValidationError):
    pass


class PublicAddressError(UserError):
    pass


class WorkflowError(UserError):
    pass


class ReadonlyFieldError(AccessError):
    pass


class ArgumentError(UserError):
    pass


class ValueFieldError(ValidationError):
    pass


class ApplicationDeleteError(AccessError):
    pass


class ApprovalItemError(UserError):
    pass


class ApprovalItemValidationError(ValidationError):
    pass


class ApprovalItemDeleteError(AccessError):
    pass


class CalendarConfirmError(ValidationError):
    pass


class CalendarConfirmWarning(UserWarning):
    pass


class CalendarDayConfirmedError(AccessError):
    pass


class MaterialTypeValidationError(ValidationError):
    pass
