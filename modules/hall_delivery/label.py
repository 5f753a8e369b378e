# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.hall.identity_rules import mask_mobile
from trytond.modules.hall.party import may_read_field
from trytond.pool import PoolMeta


class Label(metaclass=PoolMeta):
    """Waybill label: the barcode of the waybill, the recipient's mobile as
    the user may read it"""
    __name__ = 'hall.delivery.label'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['mobile'] = cls.mobile
        context['waybill_barcode'] = cls.waybill_barcode
        return context

    @classmethod
    def waybill_barcode(cls, delivery):
        """The Code 128 barcode of the waybill the courier scans, None
        without a waybill"""
        if delivery.waybill:
            return cls.barcode('code128', delivery.waybill, size=(
                    '8cm', '2.2cm'))

    @staticmethod
    def mobile(delivery):
        """The recipient's mobile, masked for the users the field access
        refuses it to, as in the delivery's form"""
        if not delivery.mobile:
            return ''
        if may_read_field('hall.delivery', 'mobile'):
            return delivery.mobile
        return mask_mobile(delivery.mobile)
