# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.modules.hall.party import check_erase_open
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    deliveries = fields.One2Many(
        'hall.delivery', 'recipient', "Deliveries", readonly=True,
        help="The certificate deliveries to the party.")

    @classmethod
    def personal_data_groups(cls):
        return super().personal_data_groups() | {
            ('hall_delivery', 'group_delivery_clerk')}


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.delivery', 'recipient'),
            ('hall.courier', 'party'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.delivery', [
                ('recipient', '=', party.id),
                ('state', 'in', ['draft', 'ready', 'packed', 'dispatched']),
                ])

    def to_erase(self, party_id):
        Delivery = Pool().get('hall.delivery')
        # the address, mobile and signature of the deliveries to the party
        return super().to_erase(party_id) + [
            (Delivery, [('recipient', '=', party_id)], True,
                ['street', 'postal_code', 'mobile', 'signed_by'],
                [None, None, None, None]),
            ]
