# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.modules.hall.party import check_erase_open
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    # The party's journey: the orders of its calls, as the applications;
    # removed from the form of the roles that read no work order
    hotline_orders = fields.One2Many(
        'hall.hotline.order', 'caller', "12345 Work Orders", readonly=True,
        order=[('id', 'DESC')],
        help="The 12345 work orders of the party as caller.")

    @classmethod
    def personal_data_groups(cls):
        # the operators take the calls: they read the callers in full
        return super().personal_data_groups() | {
            ('hall_hotline', 'group_hotline_operator'),
            }


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.hotline.order', 'caller'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.hotline.order', [
                ('caller', '=', party.id),
                ('state', 'not in', ['closed', 'cancelled']),
                ])

    def to_erase(self, party_id):
        Order = Pool().get('hall.hotline.order')
        # the name and phone the caller gave
        return super().to_erase(party_id) + [
            (Order, [('caller', '=', party_id)], True,
                ['caller_name', 'caller_phone'], [None, None]),
            ]
