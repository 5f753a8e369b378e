# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.hall.identity_rules import mask_mobile
from trytond.modules.hall.party import may_read_field
from trytond.pool import PoolMeta


class Label(metaclass=PoolMeta):
    "Waybill label: the recipient's mobile as the user may read it"
    __name__ = 'hall.delivery.label'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['mobile'] = cls.mobile
        return context

    @staticmethod
    def mobile(delivery):
        """The recipient's mobile, masked for the users the field access
        refuses it to, as in the delivery's form"""
        if not delivery.mobile:
            return ''
        if may_read_field('hall.delivery', 'mobile'):
            return delivery.mobile
        return mask_mobile(delivery.mobile)
