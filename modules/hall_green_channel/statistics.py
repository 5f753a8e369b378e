# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Indicators of the green channel, aggregated in the database."
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.approval_kpi import (
    ApprovalKPIMixin, ApprovalKPIPeriodMixin)
from trytond.modules.hall.model import ServerReadonlyMixin

from .project import CATEGORIES


class GreenChannelKPIMixin(ApprovalKPIMixin):
    __slots__ = ()
    _approval_item = 'hall.green_channel.item'


class KPIPeriod(
        ServerReadonlyMixin, ApprovalKPIPeriodMixin, GreenChannelKPIMixin, ModelSQL,
        ModelView):
    "Green-channel indicators by period"
    __name__ = 'hall.green_channel.kpi.period'


class KPICategory(ServerReadonlyMixin, GreenChannelKPIMixin, ModelSQL, ModelView):
    "Green-channel indicators by category of project"
    __name__ = 'hall.green_channel.kpi.category'

    category = fields.Selection(CATEGORIES, "Category")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('category', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _kpi_dimensions(cls, item, project):
        return [('category', project.category)]


class KPIOfficer(ServerReadonlyMixin, GreenChannelKPIMixin, ModelSQL, ModelView):
    "Green-channel indicators by escort officer"
    __name__ = 'hall.green_channel.kpi.officer'

    officer = fields.Many2One('company.employee', "Escort Officer")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('officer', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _kpi_dimensions(cls, item, project):
        return [('officer', project.officer)]
