# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class AddressValidationError(ValidationError):
    pass


class CourierValidationError(ValidationError):
    pass


class DeliveryError(UserError):
    pass


class DispatchError(UserError):
    pass


class TrackingImportError(UserError):
    pass


class TrackingValidationError(ValidationError):
    pass


class DivisionImportError(UserError):
    pass
