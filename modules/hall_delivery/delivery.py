# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.hall import clock
from trytond.modules.hall.identity_rules import (
    is_mobile, mask_mobile, normalize_mobile)
from trytond.modules.hall.model import NextStepMixin, ServerReadonlyMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from .address_rules import is_postal_code
from .courier import PRICE_DIGITS, WEIGHT_DIGITS
from .exceptions import AddressValidationError, DeliveryError

KINDS = [
    ('certificate', "Certificate"),
    ('licence', "Licence"),
    ('seal', "First Company Seal"),
    ('other', "Other"),
    ]

STATES = [
    ('draft', "Draft"),
    ('ready', "Ready"),
    ('packed', "Packed"),
    ('dispatched', "Dispatched"),
    ('delivered', "Delivered"),
    ('returned', "Returned"),
    ('lost', "Lost"),
    ('cancelled', "Cancelled"),
    ]

# Each state records when the delivery entered it.
STATE_TIMES = {
    'ready': 'ready_at',
    'packed': 'packed_at',
    'dispatched': 'dispatched_at',
    'delivered': 'delivered_at',
    'returned': 'returned_at',
    'lost': 'lost_at',
    'cancelled': 'cancelled_at',
    }

_address_states = {
    'readonly': ~Eval('state').in_(['draft', 'ready', 'returned']),
    }
_packing_states = {
    'readonly': ~Eval('state').in_(['draft', 'ready']),
    'required': Eval('state').in_(['packed', 'dispatched', 'delivered']),
    }


class Delivery(
        NextStepMixin, ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.delivery'
    _next_step_messages = 'hall_delivery.msg_delivery_next'
    _history = True
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    kind = fields.Selection(
        KINDS, "Kind", required=True,
        states={'readonly': Eval('state') != 'draft'})
    applications = fields.Many2Many(
        'hall.delivery-hall.application', 'delivery', 'application',
        "Applications",
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('state') != 'draft'},
        help="The completed applications whose certificates are sent.")
    recipient = fields.Many2One(
        'party.party', "Recipient", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        states=_address_states)
    province = fields.Many2One(
        'country.subdivision', "Province", ondelete='RESTRICT',
        domain=[
            ('country.code', '=', 'CN'),
            ('parent', '=', None),
            ],
        states=_address_states)
    city = fields.Many2One(
        'country.subdivision', "City", ondelete='RESTRICT',
        domain=[('parent', '=', Eval('province', -1))],
        states=_address_states)
    district = fields.Many2One(
        'country.subdivision', "District", ondelete='RESTRICT',
        domain=[If(Bool(Eval('city')),
                ('parent', '=', Eval('city', -1)),
                ('parent', '=', Eval('province', -1)))],
        states=_address_states)
    street = fields.Char("Street", states=_address_states)
    postal_code = fields.Char("Postal Code", size=6, states=_address_states)
    mobile = fields.Char("Mobile", states=_address_states)
    mobile_masked = fields.Function(
        fields.Char("Mobile"), 'get_mobile_masked')
    full_address = fields.Function(
        fields.Text("Address"), 'get_full_address')
    courier = fields.Many2One(
        'hall.courier', "Courier", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states=_packing_states)
    waybill = fields.Char("Waybill", states=_packing_states)
    weight = fields.Numeric(
        "Weight (kg)", digits=WEIGHT_DIGITS,
        domain=[If(Bool(Eval('weight')), ('weight', '>', 0), ())],
        states=_packing_states)
    cost = fields.Numeric(
        "Cost", digits=PRICE_DIGITS, readonly=True,
        help="Paid by the bureau; the delivery is free to the applicant.")
    batch = fields.Many2One(
        'hall.delivery.batch', "Handover Batch", readonly=True,
        ondelete='RESTRICT')
    signed_by = fields.Char(
        "Signed by", states={
            'readonly': Eval('state') != 'dispatched',
            'invisible': ~Eval('state').in_(['dispatched', 'delivered']),
            })
    return_reason = fields.Char(
        "Return Reason", states={
            'readonly': Eval('state') != 'dispatched',
            'invisible': ~Eval('state').in_(['dispatched', 'returned']),
            })
    lost_reason = fields.Text(
        "Loss Reason", states={
            'readonly': Eval('state') != 'dispatched',
            'invisible': ~Eval('state').in_(['dispatched', 'lost']),
            })
    completed_date = fields.Function(
        fields.Date("Application Completed"), 'get_completed_date')
    working_days = fields.Integer(
        "Working Days to Delivery", readonly=True,
        help="Working days from the completion of the applications to the "
        "delivery.")
    ready_at = fields.Timestamp("Ready at", readonly=True)
    packed_at = fields.Timestamp("Packed at", readonly=True)
    dispatched_at = fields.Timestamp("Dispatched at", readonly=True)
    delivered_at = fields.Timestamp("Delivered at", readonly=True)
    returned_at = fields.Timestamp("Returned at", readonly=True)
    lost_at = fields.Timestamp("Lost at", readonly=True)
    cancelled_at = fields.Timestamp("Cancelled at", readonly=True)
    tracking = fields.One2Many(
        'hall.delivery.tracking', 'delivery', "Tracking", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_delivery.msg_delivery_number_unique'),
            ]
        cls._sql_constraints += [
            ('courier_waybill_unique', Unique(t, t.courier, t.waybill),
                'hall_delivery.msg_delivery_waybill_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.waybill, Index.Equality(cardinality='high'))),
                # the statistics of a period
                Index(t, (t.company, Index.Equality(cardinality='low')),
                    (t.dispatched_at, Index.Range()),
                    where=t.dispatched_at != Null),
                })
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'ready'),
            ('ready', 'packed'),
            ('packed', 'ready'),
            ('packed', 'dispatched'),
            ('dispatched', 'delivered'),
            ('dispatched', 'returned'),
            ('dispatched', 'lost'),
            ('returned', 'ready'),
            ('draft', 'cancelled'),
            ('ready', 'cancelled'),
            ('packed', 'cancelled'),
            }
        cls._buttons.update({
                'ready': {
                    'invisible': ~Eval('state').in_(['draft', 'returned']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'pack': {
                    'invisible': Eval('state') != 'ready',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'unpack': {
                    'invisible': Eval('state') != 'packed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'deliver': {
                    'invisible': Eval('state') != 'dispatched',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'return_': {
                    'invisible': Eval('state') != 'dispatched',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'lose': {
                    'invisible': Eval('state') != 'dispatched',
                    'icon': 'tryton-warning',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'ready', 'packed']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'certificate'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_mobile_masked(self, name):
        return mask_mobile(self.mobile) if self.mobile else None

    def get_full_address(self, name):
        parts = [s.name for s in [self.province, self.city, self.district]
            if s and (s != self.province or not self.city
                or s.name != self.city.name)]
        return ''.join(parts) + (self.street or '')

    def get_completed_date(self, name):
        dates = [a.completed_date for a in self.applications
            if a.completed_date]
        return max(dates) if dates else None

    @fields.depends('province', 'city', 'district')
    def on_change_province(self):
        if self.city and self.city.parent != self.province:
            self.city = None
        if self.district and self.district.parent not in {
                self.province, self.city}:
            self.district = None

    @fields.depends('city', 'district', 'province')
    def on_change_city(self):
        if self.district and self.district.parent not in {
                self.province, self.city}:
            self.district = None

    @fields.depends('recipient', 'mobile', 'postal_code', 'street',
        methods=['on_change_mobile'])
    def on_change_recipient(self):
        if not self.recipient:
            return
        mobile = self.recipient.contact_mechanism_get({'mobile'})
        if mobile and not self.mobile:
            self.mobile = mobile.value
            self.on_change_mobile()
        address = self.recipient.address_get()
        if address:
            if address.postal_code and not self.postal_code:
                self.postal_code = address.postal_code
            if address.street and not self.street:
                self.street = address.street

    @fields.depends('mobile')
    def on_change_mobile(self):
        if self.mobile and is_mobile(self.mobile):
            self.mobile = normalize_mobile(self.mobile)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # Store 13812345678 whether it was typed with spaces or +86
        if values.get('mobile') and is_mobile(values['mobile']):
            values['mobile'] = normalize_mobile(values['mobile'])
        return values

    @classmethod
    def validate_fields(cls, deliveries, field_names):
        super().validate_fields(deliveries, field_names)
        if field_names & {'mobile', 'postal_code'}:
            for delivery in deliveries:
                delivery.check_mobile_postal_code()

    def check_mobile_postal_code(self):
        if self.mobile and not is_mobile(self.mobile):
            raise AddressValidationError(gettext(
                    'hall_delivery.msg_delivery_mobile_invalid',
                    mobile=self.mobile))
        if self.postal_code and not is_postal_code(self.postal_code):
            raise AddressValidationError(gettext(
                    'hall_delivery.msg_delivery_postal_code_invalid',
                    postal_code=self.postal_code))

    def check_address(self):
        "A delivery leaves only with a complete address and a mobile"
        pool = Pool()
        Subdivision = pool.get('country.subdivision')
        missing = [
            label for label, value in [
                ('province', self.province),
                ('street', self.street),
                ('postal_code', self.postal_code),
                ('mobile', self.mobile),
                ] if not value]
        # The address goes down to the deepest level that exists: some
        # cities (东莞, 中山) have no districts, municipalities no cities.
        deepest = self.district or self.city or self.province
        if deepest and Subdivision.search(
                [('parent', '=', deepest.id)], limit=1):
            missing.append('city' if deepest == self.province
                and not self._districts_under_province() else 'district')
        if missing:
            labels = self.fields_get(missing)
            raise AddressValidationError(gettext(
                    'hall_delivery.msg_delivery_address_incomplete',
                    delivery=self.rec_name,
                    fields='、'.join(labels[f]['string'] for f in missing)))
        self.check_mobile_postal_code()

    def local_date(self, timestamp):
        "The date of a UTC timestamp in the company's time zone"
        zone = (tz.get_tzinfo(self.company.timezone)
            if self.company.timezone else tz.UTC)
        return timestamp.replace(tzinfo=tz.UTC).astimezone(zone).date()

    def check_applications(self):
        "Only the certificates of completed applications are sent"
        for application in self.applications:
            if (application.state != 'completed'
                    or not application.certificate):
                raise DeliveryError(gettext(
                        'hall_delivery.msg_delivery_application_not_completed',
                        delivery=self.rec_name,
                        application=application.rec_name))

    def _districts_under_province(self):
        "Municipalities (北京, 上海…) have their districts right under them"
        return self.province and self.province.type == 'municipality'

    @classmethod
    def set_number(cls, deliveries):
        pool = Pool()
        Configuration = pool.get('hall.delivery.configuration')
        config = Configuration(1)
        for delivery in deliveries:
            if not delivery.number:
                delivery.number = config.delivery_sequence.get()
        cls.save(deliveries)

    @classmethod
    def create(cls, vlist):
        deliveries = super().create(vlist)
        cls.set_number(deliveries)
        return deliveries

    @classmethod
    def copy(cls, deliveries, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'waybill', 'cost', 'batch', 'signed_by',
                'return_reason', 'lost_reason', 'working_days',
                'tracking', *STATE_TIMES.values()]:
            default.setdefault(field, None)
        return super().copy(deliveries, default=default)

    @classmethod
    def check_modification(
            cls, mode, deliveries, values=None, external=False):
        super().check_modification(
            mode, deliveries, values=values, external=external)
        if mode == 'delete':
            for delivery in deliveries:
                if delivery.state not in {'draft', 'cancelled'} or (
                        delivery.state == 'cancelled' and delivery.batch):
                    raise DeliveryError(gettext(
                            'hall_delivery.msg_delivery_delete',
                            delivery=delivery.rec_name))

    @classmethod
    def _stamp(cls, deliveries, state, **values):
        cls.write(deliveries, {
                STATE_TIMES[state]: clock.utcnow(),
                **values,
                })

    @classmethod
    @ModelView.button
    @strict_transition('ready')
    def ready(cls, deliveries):
        for delivery in deliveries:
            delivery.check_address()
            delivery.check_applications()
        # A returned delivery goes out again under a new waybill; the old
        # one stays in the history.
        returned = [d for d in deliveries if d.state == 'returned']
        if returned:
            cls.write(returned, {
                    'waybill': None, 'cost': None, 'batch': None,
                    'return_reason': None,
                    })
        cls._stamp(deliveries, 'ready')

    @classmethod
    @ModelView.button
    @strict_transition('packed')
    def pack(cls, deliveries):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for delivery in deliveries:
            delivery.check_address()
            if not (delivery.courier and delivery.waybill
                    and delivery.weight):
                raise DeliveryError(gettext(
                        'hall_delivery.msg_delivery_pack_incomplete',
                        delivery=delivery.rec_name))
            delivery.courier.check_contract(today)
            delivery.cost = delivery.courier.cost(delivery.weight)
        cls.save(deliveries)
        cls._stamp(deliveries, 'packed')

    @classmethod
    @ModelView.button
    @strict_transition('ready')
    def unpack(cls, deliveries):
        cls.write(deliveries, {'cost': None, 'packed_at': None})

    @classmethod
    @strict_transition('dispatched')
    def dispatch(cls, deliveries, batch):
        cls._stamp(deliveries, 'dispatched', batch=batch.id)

    @classmethod
    @ModelView.button
    @strict_transition('delivered')
    def deliver(cls, deliveries, when=None):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        when = when or clock.utcnow()
        for delivery in deliveries:
            if not (delivery.signed_by or '').strip():
                raise DeliveryError(gettext(
                        'hall_delivery.msg_delivery_signed_by',
                        delivery=delivery.rec_name))
            completed = delivery.completed_date
            delivery.working_days = (
                CalendarDay.count_working_days(
                    completed, delivery.local_date(when))
                if completed else None)
            delivery.delivered_at = when
        cls.save(deliveries)

    @classmethod
    @ModelView.button
    @strict_transition('returned')
    def return_(cls, deliveries, when=None):
        for delivery in deliveries:
            if not (delivery.return_reason or '').strip():
                raise DeliveryError(gettext(
                        'hall_delivery.msg_delivery_return_reason',
                        delivery=delivery.rec_name))
        cls.write(deliveries, {'returned_at': when or clock.utcnow()})

    @classmethod
    @ModelView.button
    @strict_transition('lost')
    def lose(cls, deliveries, when=None):
        for delivery in deliveries:
            if not (delivery.lost_reason or '').strip():
                raise DeliveryError(gettext(
                        'hall_delivery.msg_delivery_lost_reason',
                        delivery=delivery.rec_name))
        cls.write(deliveries, {'lost_at': when or clock.utcnow()})

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, deliveries):
        cls._stamp(deliveries, 'cancelled')


class DeliveryApplication(ModelSQL):
    "Applications whose certificates a delivery carries"
    __name__ = 'hall.delivery-hall.application'

    delivery = fields.Many2One(
        'hall.delivery', "Delivery", required=True, ondelete='CASCADE')
    application = fields.Many2One(
        'hall.application', "Application", required=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('delivery_application_unique',
                Unique(t, t.delivery, t.application),
                'hall_delivery.msg_delivery_application_unique'),
            ]
