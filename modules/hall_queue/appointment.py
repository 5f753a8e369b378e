# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall import clock
from trytond.modules.hall.identity_rules import (
    is_id_number, is_mobile, mask_id_number, mask_mobile,
    normalize_id_number, normalize_mobile)
from trytond.modules.hall.model import ServerReadonlyMixin, TodayMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import AppointmentError, QueueValidationError
from .queue_rules import cancel_deadline, checkin_period


class Slot(ServerReadonlyMixin, ModelSQL, ModelView):
    "Appointment slot"
    __name__ = 'hall.queue.slot'

    queue = fields.Many2One(
        'hall.queue', "Queue", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    start_time = fields.Time("From", required=True)
    end_time = fields.Time("To", required=True)
    capacity = fields.Integer(
        "Capacity", required=True, domain=[('capacity', '>', 0)])
    booked = fields.Integer(
        "Booked", readonly=True,
        help="Appointments booked and not cancelled.")
    appointments = fields.One2Many(
        'hall.appointment', 'slot', "Appointments", readonly=True)
    remaining = fields.Function(fields.Integer("Remaining"), 'get_remaining')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'), ('queue', 'ASC'), ('start_time', 'ASC'),
            ('id', 'ASC')]

    @staticmethod
    def default_booked():
        return 0

    def get_rec_name(self, name):
        return (f'{self.queue.rec_name} {self.date:%Y-%m-%d} '
            f'{self.start_time:%H:%M}-{self.end_time:%H:%M}')

    def get_remaining(self, name):
        return self.capacity - (self.booked or 0)

    @classmethod
    def validate_fields(cls, slots, field_names):
        super().validate_fields(slots, field_names)
        for slot in slots:
            if slot.start_time >= slot.end_time:
                raise QueueValidationError(gettext(
                        'hall_queue.msg_slot_times', slot=slot.rec_name))
            if slot.capacity < (slot.booked or 0):
                raise QueueValidationError(gettext(
                        'hall_queue.msg_slot_capacity_below_booked',
                        slot=slot.rec_name, booked=slot.booked))

    @classmethod
    def take_place(cls, slot):
        """Count one more booking of `slot`, refusing a full slot.

        One atomic UPDATE guarded by the capacity: of two bookings of the
        last place at once, the second waits for the first, then fails to
        serialize and is run again, and finds the slot full."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.booked], [table.booked + 1],
                where=(table.id == slot.id)
                & (table.booked < table.capacity)))
        booked = cursor.rowcount
        cls._forget([slot])
        if not booked:
            raise AppointmentError(gettext(
                    'hall_queue.msg_slot_full', slot=slot.rec_name))

    @classmethod
    def free_place(cls, slot):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.booked], [table.booked - 1],
                where=(table.id == slot.id) & (table.booked > 0)))
        cls._forget([slot])

    @classmethod
    def _forget(cls, slots):
        "Drop the cached values of slots updated in SQL"
        transaction = Transaction()
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                for slot in slots:
                    cache[cls.__name__].pop(slot.id, None)
        for slot in slots:
            slot._local_cache.pop(slot.id, None)


class Appointment(
        TodayMixin, ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Appointment (预约)"
    __name__ = 'hall.appointment'
    _history = True

    slot = fields.Many2One(
        'hall.queue.slot', "Slot", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    queue = fields.Function(
        fields.Many2One('hall.queue', "Queue"), 'get_slot_field',
        searcher='search_slot_field')
    date = fields.Function(
        fields.Date("Date"), 'get_slot_field', searcher='search_slot_field')
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    id_number = fields.Char(
        "ID Number", states={'readonly': Eval('id', -1) >= 0})
    id_number_masked = fields.Function(
        fields.Char("ID Number"), 'get_masked')
    mobile = fields.Char("Mobile", states={'readonly': Eval('id', -1) >= 0})
    mobile_masked = fields.Function(fields.Char("Mobile"), 'get_masked')
    code = fields.Char(
        "Booking Code", readonly=True, strip=False,
        help="Given to the citizen; checks in at the kiosk.")
    ticket = fields.Many2One(
        'hall.ticket', "Ticket", readonly=True, ondelete='RESTRICT')
    booked_at = fields.Timestamp("Booked", readonly=True)
    checked_in_at = fields.Timestamp("Checked In", readonly=True)
    cancelled_at = fields.Timestamp("Cancelled", readonly=True)
    state = fields.Selection([
            ('booked', "Booked"),
            ('checked_in', "Checked In"),
            ('cancelled', "Cancelled"),
            ('missed', "Missed"),
            ], "State", required=True, readonly=True)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.code, Index.Equality())),
                Index(t, (t.id_number, Index.Equality()),
                    where=t.state == 'booked'),
                })
        cls._order = [('booked_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('booked', 'checked_in'),
            ('booked', 'cancelled'),
            ('booked', 'missed'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') != 'booked',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'check_in': {
                    'invisible': Eval('state') != 'booked',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'booked'

    def get_rec_name(self, name):
        return f'{self.code or ""} {self.slot.rec_name}'.strip()

    def get_slot_field(self, name):
        value = getattr(self.slot, name)
        return value.id if isinstance(value, ModelSQL) else value

    @classmethod
    def search_slot_field(cls, name, clause):
        return [('slot.' + clause[0], *clause[1:])]

    def get_masked(self, name):
        if name == 'mobile_masked':
            return mask_mobile(self.mobile) if self.mobile else None
        return mask_id_number(self.id_number) if self.id_number else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('mobile'):
            values['mobile'] = normalize_mobile(values['mobile'])
        if values.get('id_number'):
            values['id_number'] = normalize_id_number(values['id_number'])
        return values

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Slot = pool.get('hall.queue.slot')
        now = clock.utcnow()
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not (values.get('party') or values.get('id_number')
                    or values.get('mobile')):
                raise AppointmentError(gettext(
                        'hall_queue.msg_appointment_identity'))
            if (values.get('mobile')
                    and not is_mobile(values['mobile'])):
                raise AppointmentError(gettext(
                        'hall_queue.msg_ticket_mobile_invalid',
                        mobile=values['mobile']))
            if (values.get('id_number')
                    and not is_id_number(values['id_number'])):
                raise AppointmentError(gettext(
                        'hall_queue.msg_ticket_id_number_invalid',
                        id_number=values['id_number']))
            slot = Slot(values['slot'])
            local = clock.local_now(slot.queue.timezone)
            if (local.date(), local.time()) >= (slot.date, slot.start_time):
                raise AppointmentError(gettext(
                        'hall_queue.msg_appointment_past',
                        slot=slot.rec_name))
            Slot.take_place(slot)
            values['booked_at'] = now
            values['code'] = f'{secrets.randbelow(10 ** 8):08d}'
            values.setdefault('state', 'booked')
        return super().create(vlist)

    @classmethod
    def copy(cls, appointments, default=None):
        if not appointments:
            return []
        raise AppointmentError(gettext('hall_queue.msg_appointment_no_copy'))

    @classmethod
    def check_modification(
            cls, mode, appointments, values=None, external=False):
        super().check_modification(
            mode, appointments, values=values, external=external)
        if mode == 'delete' and appointments:
            raise AppointmentError(
                gettext('hall_queue.msg_appointment_no_delete'))

    def checkin_period(self):
        pool = Pool()
        Configuration = pool.get('hall.configuration')
        config = Configuration(1)
        return checkin_period(self.slot.date, self.slot.start_time,
            config.checkin_early_minutes, config.checkin_late_minutes)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, appointments):
        pool = Pool()
        Configuration = pool.get('hall.configuration')
        Slot = pool.get('hall.queue.slot')
        hours = Configuration(1).appointment_cancel_hours
        for appointment in appointments:
            slot = appointment.slot
            deadline = cancel_deadline(slot.date, slot.start_time, hours)
            if clock.local_now(slot.queue.timezone) > deadline:
                raise AppointmentError(gettext(
                        'hall_queue.msg_appointment_cancel_late',
                        appointment=appointment.rec_name,
                        deadline=deadline.strftime('%Y-%m-%d %H:%M')))
        for appointment in appointments:
            Slot.free_place(appointment.slot)
        cls.write(appointments, {'cancelled_at': clock.utcnow()})

    @classmethod
    @ModelView.button
    def check_in(cls, appointments):
        for appointment in appointments:
            appointment.check_in_now()

    def check_in_now(self, channel='appointment'):
        """Issue the appointment's ticket, with appointment priority, if now
        is within its check-in period."""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        if self.state != 'booked':
            raise AppointmentError(gettext(
                    'hall_queue.msg_appointment_not_booked',
                    appointment=self.rec_name, state=self.state_string))
        local = clock.local_now(self.slot.queue.timezone)
        start, end = self.checkin_period()
        if local < start:
            raise AppointmentError(gettext(
                    'hall_queue.msg_appointment_too_early',
                    appointment=self.rec_name,
                    start=start.strftime('%H:%M')))
        if local > end:
            raise AppointmentError(gettext(
                    'hall_queue.msg_appointment_too_late',
                    appointment=self.rec_name, end=end.strftime('%H:%M')))
        ticket = Ticket.issue(self.slot.queue, channel,
            party=self.party.id if self.party else None,
            id_number=self.id_number, mobile=self.mobile,
            priority='appointment')
        self._check_in([self], ticket)
        return ticket

    @classmethod
    @strict_transition('checked_in')
    def _check_in(cls, appointments, ticket):
        cls.write(appointments, {
                'ticket': ticket.id,
                'checked_in_at': clock.utcnow(),
                })

    @classmethod
    def find_to_check_in(cls, hall, code=None, id_number=None):
        "The booked appointment of today at `hall` for a code or ID number"
        domain = [
            ('state', '=', 'booked'),
            ('slot.queue.hall', '=', hall.id),
            ]
        if code:
            domain.append(('code', '=', code.strip()))
        elif id_number:
            domain.append(('id_number', '=', normalize_id_number(id_number)))
        else:
            return None
        local = clock.local_now(hall.company.timezone)
        domain.append(('slot.date', '=', local.date()))
        appointments = cls.search(domain, order=[('slot.start_time', 'ASC')])
        return appointments[0] if appointments else None

    @classmethod
    @strict_transition('missed')
    def miss(cls, appointments):
        pass

    @classmethod
    def mark_missed(cls):
        "Cron: booked appointments whose check-in period has passed"
        tomorrow = clock.utcnow().date() + dt.timedelta(days=1)
        missed = []
        for appointment in cls.search([
                    ('state', '=', 'booked'),
                    ('slot.date', '<=', tomorrow),
                    ]):
            local = clock.local_now(appointment.slot.queue.timezone)
            if local > appointment.checkin_period()[1]:
                missed.append(appointment)
        if missed:
            cls.miss(missed)
