# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Indicators of the proxy cases, aggregated in the database."
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.approval_kpi import (
    ApprovalKPIMixin, ApprovalKPIPeriodMixin)
from trytond.modules.hall.model import ServerReadonlyMixin

from .case import KINDS


class ProxyKPIMixin(ApprovalKPIMixin):
    __slots__ = ()
    _approval_item = 'hall.proxy.step'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.projects.string = "Cases"
        cls.items.string = "Steps Handled"
        cls.completed.string = "Steps Completed"
        cls.overdue.string = "Overdue Steps"


class KPIPeriod(
        ServerReadonlyMixin, ApprovalKPIPeriodMixin, ProxyKPIMixin, ModelSQL,
        ModelView):
    "Proxy indicators by period"
    __name__ = 'hall.proxy.kpi.period'


class KPIKind(ServerReadonlyMixin, ProxyKPIMixin, ModelSQL, ModelView):
    "Proxy indicators by kind of case"
    __name__ = 'hall.proxy.kpi.kind'

    kind = fields.Selection(KINDS, "Kind")
    red_proxy = fields.Boolean("Red Proxy Volunteer")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('kind', 'ASC'), ('red_proxy', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _kpi_dimensions(cls, step, case):
        return [('kind', case.kind), ('red_proxy', case.red_proxy)]


class KPIAgent(ServerReadonlyMixin, ProxyKPIMixin, ModelSQL, ModelView):
    "Proxy indicators by agent"
    __name__ = 'hall.proxy.kpi.agent'

    agent = fields.Many2One('company.employee', "Agent")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('agent', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _kpi_dimensions(cls, step, case):
        return [('agent', case.agent)]
