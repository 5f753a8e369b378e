# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.modules.hall.party import check_erase_open
from trytond.pool import PoolMeta

from .case import CLOSED_STATES


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    proxy_cases = fields.One2Many(
        'hall.proxy.case', 'party', "Proxy Cases", readonly=True)

    @classmethod
    def personal_data_groups(cls):
        return super().personal_data_groups() | {
            ('hall_proxy', 'group_proxy_agent')}


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.proxy.case', 'party'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.proxy.case', [
                ('party', '=', party.id),
                ('state', 'not in', CLOSED_STATES),
                ])
