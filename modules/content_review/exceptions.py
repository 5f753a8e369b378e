# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class WorkflowError(UserError):
    pass


class ReadonlyFieldError(AccessError):
    pass


class ArgumentError(UserError):
    pass


class ValueFieldError(ValidationError):
    pass


class ChannelValidationError(ValidationError):
    pass


class ChannelClosureError(UserError):
    pass


class FeedReadError(UserError):
    pass


class LexiconValidationError(ValidationError):
    pass


class ArticleValidationError(ValidationError):
    pass


class ArticleModificationError(AccessError):
    pass


class ArticleDeleteError(AccessError):
    pass


class ReviewError(UserError):
    pass


class FindingError(UserError):
    pass


class RectificationError(UserError):
    pass


class RectificationValidationError(ValidationError):
    pass


class AdjustmentError(UserError):
    pass
