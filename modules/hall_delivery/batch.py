# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.hall import clock
from trytond.modules.hall.locking import hold_rows
from trytond.modules.hall.model import (
    CheckedWizardMixin, ServerReadonlyMixin, check_records)
from trytond.modules.hall.report import HallReport
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)

from .exceptions import DispatchError


class Batch(ServerReadonlyMixin, ModelSQL, ModelView):
    "Handover batch (交接单)"
    __name__ = 'hall.delivery.batch'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    courier = fields.Many2One(
        'hall.courier', "Courier", required=True, readonly=True)
    deliveries = fields.One2Many(
        'hall.delivery', 'batch', "Deliveries", readonly=True)
    count = fields.Function(fields.Integer("Pieces"), 'get_count')
    handed_at = fields.Timestamp("Handed over at", readonly=True)
    courier_signature = fields.Char(
        "Courier Signature", readonly=True,
        help="The name of the courier's agent who took the pieces.")
    clerk = fields.Many2One(
        'company.employee', "Delivery Clerk", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_delivery.msg_batch_number_unique'),
            ]
        cls._order = [('handed_at', 'DESC'), ('id', 'DESC')]

    def get_count(self, name):
        return len(self.deliveries)


class DispatchStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.delivery.dispatch.start'

    company = fields.Many2One('company.company', "Company", readonly=True)
    courier = fields.Many2One(
        'hall.courier', "Courier", required=True,
        domain=[('company', '=', Eval('company', -1))])
    deliveries = fields.Many2Many(
        'hall.delivery', None, None, "Deliveries", required=True,
        domain=[
            ('courier', '=', Eval('courier', -1)),
            ('state', '=', 'packed'),
            ])
    courier_signature = fields.Char(
        "Courier Signature", required=True,
        help="The name of the courier's agent who takes the pieces.")

    @fields.depends('courier', 'company', 'deliveries')
    def on_change_courier(self):
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        self.deliveries = Delivery.search([
                ('courier', '=', self.courier.id if self.courier else -1),
                ('state', '=', 'packed'),
                ('company', '=', self.company.id if self.company else -1),
                ])


class Dispatch(CheckedWizardMixin, Wizard):
    "Hand the packed deliveries of a courier over in one batch"
    __name__ = 'hall.delivery.dispatch'

    start = StateView('hall.delivery.dispatch.start',
        'hall_delivery.delivery_dispatch_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Dispatch", 'dispatch', 'tryton-ok', default=True),
            ])
    dispatch = StateTransition()
    handover = StateReport('hall.delivery.batch.handover')
    labels = StateReport('hall.delivery.label')

    def default_start(self, fields):
        values = {'company': Transaction().context.get('company')}
        if (self.model and self.model.__name__ == 'hall.delivery'
                and self.records):
            couriers = {d.courier for d in self.records if d.courier}
            if len(couriers) == 1:
                values['courier'] = couriers.pop().id
            values['deliveries'] = [
                d.id for d in self.records if d.state == 'packed']
        elif values['company']:
            values['deliveries'] = []
        return values

    def transition_dispatch(self):
        # the lists of a form are left to the wizard by CheckedWizardMixin
        check_records(self.start, ['deliveries'])
        batch = dispatch(
            self.start.courier, self.start.deliveries,
            self.start.courier_signature)
        self.batch_id = batch.id
        return 'handover'

    def do_handover(self, action):
        return action, {'ids': [self.batch_id]}

    def transition_handover(self):
        return 'labels'

    def do_labels(self, action):
        pool = Pool()
        Batch = pool.get('hall.delivery.batch')
        batch = Batch(self.batch_id)
        return action, {'ids': [d.id for d in batch.deliveries]}


def dispatch(courier, deliveries, courier_signature):
    """Put the packed `deliveries` of `courier` in a new handover batch and
    mark them dispatched. The rows are locked first: of two clerks
    dispatching the same piece at once, the second waits, then is told the
    piece has left in the first one's batch."""
    pool = Pool()
    Delivery = pool.get('hall.delivery')
    Batch = pool.get('hall.delivery.batch')
    Configuration = pool.get('hall.delivery.configuration')
    Date = pool.get('ir.date')
    deliveries = Delivery.browse(sorted({d.id for d in deliveries}))
    if not deliveries:
        raise DispatchError(gettext('hall_delivery.msg_dispatch_empty'))
    # Wait for a concurrent dispatch of the same pieces (on PostgreSQL the
    # waiting request then fails to serialize and runs again; SQLite takes
    # its single writer's lock), and read them again under the lock:
    # another clerk may have dispatched them.
    hold_rows(Delivery, [d.id for d in deliveries])
    deliveries = Delivery.browse([d.id for d in deliveries])
    for delivery in deliveries:
        if delivery.state != 'packed':
            if delivery.batch:
                raise DispatchError(gettext(
                        'hall_delivery.msg_dispatch_already',
                        delivery=delivery.rec_name,
                        batch=delivery.batch.rec_name))
            raise DispatchError(gettext(
                    'hall_delivery.msg_dispatch_not_packed',
                    delivery=delivery.rec_name))
        if delivery.courier != courier:
            raise DispatchError(gettext(
                    'hall_delivery.msg_dispatch_courier',
                    delivery=delivery.rec_name, courier=courier.rec_name))
    courier.check_contract(Date.today())
    config = Configuration(1)
    batch = Batch(
        number=config.batch_sequence.get(),
        company=courier.company,
        courier=courier,
        courier_signature=courier_signature,
        handed_at=clock.utcnow())
    user = pool.get('res.user')(Transaction().user)
    batch.clerk = user.employee
    batch.save()
    Delivery.dispatch(deliveries, batch)
    return batch


class HandoverSheet(HallReport):
    "Handover sheet (交接单)"
    __name__ = 'hall.delivery.batch.handover'


class Label(HallReport):
    "Waybill label"
    __name__ = 'hall.delivery.label'
