# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The steps of a work order that give a reason: a department returns it
(回退), a dispatcher sends an answer back"""
from trytond.model import ModelView, fields
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.wizard import Button, StateTransition, StateView, Wizard


class ReasonStart(ServerReadonlyMixin, ModelView):
    "Reason"
    __name__ = 'hall.hotline.order.reason.start'

    reason = fields.Text("Reason", required=True)


class Return(CheckedWizardMixin, Wizard):
    "Return a Work Order"
    __name__ = 'hall.hotline.order.return'

    start = StateView('hall.hotline.order.reason.start',
        'hall_hotline.order_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Return", 'return_', 'tryton-back', default=True),
            ])
    return_ = StateTransition()

    def transition_return_(self):
        self.model.send_back([self.record], self.start.reason)
        return 'end'


class Reject(CheckedWizardMixin, Wizard):
    "Send an Answer Back"
    __name__ = 'hall.hotline.order.reject'

    start = StateView('hall.hotline.order.reason.start',
        'hall_hotline.order_reject_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send Back", 'reject', 'tryton-back', default=True),
            ])
    reject = StateTransition()

    def transition_reject(self):
        self.model.send_back_answer([self.record], self.start.reason)
        return 'end'
