# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.modules.hall.approval import ApprovalItemMixin
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval

from .exceptions import CaseError


class Step(
        ServerReadonlyMixin, ApprovalItemMixin, sequence_ordered(), Workflow,
        ModelSQL, ModelView):
    "Step of a proxy case: one approval item run by the agent"
    __name__ = 'hall.proxy.step'
    _history = True
    _approval_parent = 'case'

    case = fields.Many2One(
        'hall.proxy.case', "Case", required=True, ondelete='CASCADE',
        states={
            'readonly': Eval('state') != 'planned',
            })
    handbook_step = fields.Many2One(
        'hall.proxy.handbook.step', "Handbook Step", readonly=True,
        ondelete='SET NULL')
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('case', 'DESC'), ('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]
        cls.promised_limit.string = "Expected Working Days"
        cls.promised_limit.help = (
            "Working days promised to the enterprise for this step, from "
            "the service handbook (承诺时限).")

    @fields.depends('case', '_parent_case.party')
    def on_change_with_party(self, name=None):
        return self.case.party if self.case else None

    @classmethod
    def _open_parent_domain(cls):
        return [('case.state', 'in', ['authorized', 'in_progress',
                    'suspended'])]

    @classmethod
    def check_open(cls, steps):
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        super().check_open(steps)
        for step in steps:
            if step.case.state != 'in_progress':
                raise CaseError(gettext(
                        'hall_proxy.msg_step_case_not_running',
                        step=step.rec_name, case=step.case.rec_name))
        Case.check_authorization(list({s.case for s in steps}))
