# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.hall.model import ServerReadonlyMixin

from .exceptions import HandbookValidationError


class Handbook(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    """Service handbook (服务手册): the best process of a kind of project,
    as ordered steps that a new case takes as its own."""
    __name__ = 'hall.proxy.handbook'

    name = fields.Char("Name", required=True)
    description = fields.Text("Description")
    steps = fields.One2Many('hall.proxy.handbook.step', 'handbook', "Steps")
    total_days = fields.Function(
        fields.Integer(
            "Expected Working Days",
            help="Sum of the expected working days of the steps."),
        'get_total_days')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    def get_total_days(self, name):
        return sum(s.expected_days or 0 for s in self.steps)


class HandbookStep(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    "Step of a service handbook"
    __name__ = 'hall.proxy.handbook.step'

    handbook = fields.Many2One(
        'hall.proxy.handbook', "Handbook", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='RESTRICT')
    expected_days = fields.Integer(
        "Expected Working Days", required=True,
        help="Working days the step is expected to take; it becomes the "
        "promised limit of the step of a case.")
    notes = fields.Text("Notes", help="What the agent prepares and checks.")

    @fields.depends('service', 'expected_days')
    def on_change_service(self):
        if self.service and self.expected_days is None:
            self.expected_days = self.service.promised_limit

    @classmethod
    def validate_fields(cls, steps, field_names):
        super().validate_fields(steps, field_names)
        if field_names & {'service', 'expected_days'}:
            for step in steps:
                step.check_expected_days()

    def check_expected_days(self):
        if not (0 <= self.expected_days <= self.service.legal_limit):
            raise HandbookValidationError(gettext(
                    'hall_proxy.msg_handbook_step_days',
                    service=self.service.rec_name,
                    handbook=self.handbook.rec_name,
                    days=self.expected_days,
                    legal=self.service.legal_limit))

    def get_rec_name(self, name):
        return self.service.rec_name if self.service else str(self.id)
