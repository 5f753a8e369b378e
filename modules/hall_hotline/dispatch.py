# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"派单: the dispatcher sends an order to a lead department"
from trytond.model import ModelView, fields
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard


class DispatchStart(ServerReadonlyMixin, ModelView):
    "Dispatch a Work Order"
    __name__ = 'hall.hotline.order.dispatch.start'

    order = fields.Many2One('hall.hotline.order', "Order", readonly=True)
    previous_department = fields.Many2One(
        'hall.department', "Previous Lead Department", readonly=True)
    return_reason = fields.Text("Returned because", readonly=True)
    lead_department = fields.Many2One(
        'hall.department', "Lead Department", required=True,
        help="The department that handles the order and answers the caller "
        "(谁主管、谁负责、谁办理).")
    assisting_departments = fields.Many2Many(
        'hall.department', None, None, "Assisting Departments",
        domain=[('id', '!=', Eval('lead_department', -1))])
    note = fields.Text(
        "Note", help="For the department: what is asked of it.")


class Dispatch(CheckedWizardMixin, Wizard):
    "Dispatch a Work Order"
    __name__ = 'hall.hotline.order.dispatch'

    start = StateView('hall.hotline.order.dispatch.start',
        'hall_hotline.order_dispatch_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Dispatch", 'dispatch', 'tryton-ok', default=True),
            ])
    dispatch = StateTransition()

    def default_start(self, fields):
        order = self.record
        returns = [l for l in order.logs if l.action == 'return']
        return {
            'order': order.id,
            'previous_department': (order.lead_department.id
                if order.lead_department else None),
            'return_reason': returns[-1].reason if (
                returns and order.state == 'returned') else None,
            }

    def transition_dispatch(self):
        self.model.dispatch_to([self.record], self.start.lead_department,
            list(self.start.assisting_departments), reason=self.start.note)
        return 'end'
