# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The caller of a work order: their name and phone reach in full the users
who read citizens' personal data (hall.party; the operators, who take the
calls, among them); the others read them masked in every read and export,
and cannot search them."""
from trytond.i18n import gettext
from trytond.modules.hall.identity_rules import mask_name, mask_phone
from trytond.modules.hall.party import domain_tests, masked_for_user

from .exceptions import OrderError, OrderValidationError
from .hotline_rules import normalize_phone


class CallerMixin:
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        rows = super().read(ids, fields_names)
        if masked_for_user():
            for row in rows:
                if row.get('caller_name'):
                    row['caller_name'] = mask_name(row['caller_name'])
                if row.get('caller_phone'):
                    row['caller_phone'] = mask_phone(row['caller_phone'])
        return rows

    @classmethod
    def search(cls, domain, *args, **kwargs):
        # A request may not confirm a caller's name or phone bit by bit
        if (domain_tests(domain, {'caller_name', 'caller_phone'})
                and masked_for_user()):
            raise OrderError(gettext('hall_hotline.msg_order_search_caller'))
        return super().search(domain, *args, **kwargs)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('caller_phone'):
            values['caller_phone'] = (
                normalize_phone(values['caller_phone'])
                or values['caller_phone'])
        return values

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        if field_names & {'caller_phone'}:
            for order in orders:
                order.check_caller_phone()

    def check_caller_phone(self):
        digits = normalize_phone(self.caller_phone)
        if self.caller_phone and not 7 <= len(digits) <= 12:
            raise OrderValidationError(gettext(
                    'hall_hotline.msg_order_phone_invalid',
                    phone=self.caller_phone))
