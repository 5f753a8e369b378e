# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class EvaluationValidationError(ValidationError):
    pass


class EvaluationAccessError(AccessError):
    pass


class EvaluationError(UserError):
    pass


class RatingLinkError(UserError):
    "The rating link of a public page cannot be used"


class DeviceAuthenticationError(UserError):
    "A request of a window device without a key, or with an unknown one"


class DeviceAccessError(UserError):
    "A request of a window device with a revoked key or another window's"


class RectificationError(UserError):
    pass


class RectificationAccessError(AccessError):
    pass


class InspectionValidationError(ValidationError):
    pass


class InspectionError(UserError):
    pass
