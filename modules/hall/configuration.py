# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id

from .exceptions import HallValidationError
from .model import ServerReadonlyMixin
from .roster_rules import (
    FOLLOW_UP_DAYS, FOLLOW_UP_DAYS_MAX, follow_up_days_valid)


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.configuration'

    application_sequence = fields.Many2One(
        'ir.sequence', "Application Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('hall', 'sequence_type_application')),
            ],
        help="Numbers the applications (办件编号).")
    due_soon_days = fields.Integer(
        "Due Soon Days", required=True,
        domain=[('due_soon_days', '>=', 0)],
        help="Applications whose promised due date falls within this many "
        "working days are flagged as due soon.")
    follow_up_days = fields.Integer(
        "Follow-up Days", required=True,
        help="How many days after a roster shift the clerk still sees and "
        "handles the applications of that window, to follow them up "
        "(supplements, questions, results); 0 opens only the windows "
        "rostered today. The default, 7, is a week: a clerk rostered on "
        "the same day each week still reaches what they left at the "
        "window last week. The applications a clerk received stay "
        "visible to them whatever this setting (0 to 90).")
    supplement_days = fields.Integer(
        "Supplement Days", required=True,
        domain=[('supplement_days', '>=', 1)],
        help="Working days the applicant has to bring the missing "
        "materials, counted from the day the supplement is requested; "
        "the one-time notice (一次性告知书) prints the deadline.")

    @classmethod
    def default_application_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('hall', 'sequence_application')
        except KeyError:
            return None

    @classmethod
    def default_due_soon_days(cls):
        return 2

    @classmethod
    def default_supplement_days(cls):
        return 5

    @classmethod
    def default_follow_up_days(cls):
        return FOLLOW_UP_DAYS

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        if field_names is None or 'follow_up_days' in field_names:
            for configuration in configurations:
                configuration.check_follow_up_days()

    def check_follow_up_days(self):
        if not follow_up_days_valid(self.follow_up_days):
            raise HallValidationError(gettext(
                    'hall.msg_configuration_follow_up_days',
                    days=self.follow_up_days, max=FOLLOW_UP_DAYS_MAX))

    @classmethod
    def on_modification(cls, mode, configurations, field_names=None):
        pool = Pool()
        RosterShift = pool.get('hall.roster.shift')
        super().on_modification(
            mode, configurations, field_names=field_names)
        if field_names is None or 'follow_up_days' in field_names:
            RosterShift.clear_rostered_windows()
