# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Check, DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import CourierValidationError
from .pricing_rules import delivery_cost

PRICE_DIGITS = (16, 2)
WEIGHT_DIGITS = (8, 3)


class Courier(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'hall.courier'

    party = fields.Many2One(
        'party.party', "Courier Company", required=True,
        ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    service_code = fields.Char(
        "Service Code", help="The bureau's account or product code at the "
        "courier, for example the EMS government mail product.")
    company = fields.Many2One('company.company', "Company", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    contract_start = fields.Date(
        "Contract Start", required=True,
        domain=[If(Eval('contract_end'),
                ('contract_start', '<=', Eval('contract_end')), ())])
    contract_end = fields.Date("Contract End")
    price_tiers = fields.One2Many(
        'hall.courier.price_tier', 'courier', "Price Tiers")
    extra_kg_price = fields.Numeric(
        "Price per Extra Kilogram", digits=PRICE_DIGITS, required=True,
        domain=[('extra_kg_price', '>=', 0)],
        help="Charged for each started kilogram over the heaviest tier.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_extra_kg_price(cls):
        return Decimal(0)

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return self.party.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name', *clause[1:])]

    def in_contract(self, date):
        return (self.contract_start <= date
            and (not self.contract_end or date <= self.contract_end))

    def check_contract(self, date):
        if not self.in_contract(date):
            raise CourierValidationError(gettext(
                    'hall_delivery.msg_courier_out_of_contract',
                    courier=self.rec_name, date=date))

    def cost(self, weight):
        "Return the price of a piece of `weight` kilograms"
        return delivery_cost(
            [(t.max_weight, t.price) for t in self.price_tiers],
            weight, self.extra_kg_price)


class CourierPriceTier(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'hall.courier.price_tier'

    courier = fields.Many2One(
        'hall.courier', "Courier", required=True, ondelete='CASCADE')
    max_weight = fields.Numeric(
        "Up to Weight (kg)", digits=WEIGHT_DIGITS, required=True)
    price = fields.Numeric(
        "Price per Piece", digits=PRICE_DIGITS, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('courier_weight_unique', Unique(t, t.courier, t.max_weight),
                'hall_delivery.msg_price_tier_unique'),
            ('max_weight_positive', Check(t, t.max_weight > 0),
                'hall_delivery.msg_price_tier_positive'),
            ('price_positive', Check(t, t.price >= 0),
                'hall_delivery.msg_price_tier_positive'),
            ]
        cls._order = [('courier', 'ASC'), ('max_weight', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def validate_fields(cls, tiers, field_names):
        super().validate_fields(tiers, field_names)
        for tier in tiers:
            if tier.max_weight <= 0 or tier.price < 0:
                raise CourierValidationError(gettext(
                        'hall_delivery.msg_price_tier_positive'))
