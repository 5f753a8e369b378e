# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)


class TicketTransferStart(ServerReadonlyMixin, ModelView):
    "Transfer a ticket"
    __name__ = 'hall.ticket.transfer.start'

    ticket = fields.Many2One('hall.ticket', "Ticket", readonly=True)
    hall = fields.Many2One('hall.hall', "Hall", readonly=True)
    current_queue = fields.Many2One('hall.queue', "From", readonly=True)
    queue = fields.Many2One(
        'hall.queue', "To Queue", required=True,
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('id', '!=', Eval('current_queue', -1)),
            ])
    reason = fields.Char("Reason")


class TicketTransfer(CheckedWizardMixin, Wizard):
    """Transfer a ticket to another queue: from the ticket, whose new
    ticket then opens, or from its window, the ticket in hand"""
    __name__ = 'hall.ticket.transfer'
    start = StateView('hall.ticket.transfer.start',
        'hall_queue.ticket_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Transfer", 'transfer', 'tryton-ok', default=True),
            ])
    transfer = StateTransition()
    open_ = StateAction('hall_queue.act_ticket_form')

    @property
    def from_window(self):
        return self.model.__name__ == 'hall.window'

    def default_start(self, fields):
        if self.from_window:
            ticket = self.record.current('called', 'serving')
        else:
            ticket = self.record
        return {
            'ticket': ticket.id,
            'hall': ticket.hall.id,
            'current_queue': ticket.queue.id,
            }

    def transition_transfer(self):
        Ticket = Pool().get('hall.ticket')
        if not self.from_window:
            # pressed again, transfer_to gives the ticket it became
            Ticket.transfer_to(
                [self.record], self.start.queue, self.start.reason)
            return 'open_'
        shown = self.start.ticket
        if (shown and shown.window == self.record
                and shown.state == 'transferred'):
            # pressed again once transferred: nothing more to do
            return 'end'
        ticket = self.record.current('called', 'serving')
        Ticket.transfer_to([ticket], self.start.queue, self.start.reason)
        return 'end'

    def do_open_(self, action):
        Ticket = Pool().get('hall.ticket')
        ticket = Ticket(self.record.id)
        return action, {'res_id': [t.id for t in ticket.transferred_to]}
