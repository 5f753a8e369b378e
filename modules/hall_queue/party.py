# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.modules.hall.party import check_erase_open, party_codes
from trytond.pool import Pool, PoolMeta

from .ticket import CURRENT_STATES


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    tickets = fields.One2Many(
        'hall.ticket', 'party', "Tickets", readonly=True,
        order=[('issued_at', 'DESC'), ('id', 'DESC')],
        help="The queue tickets taken by the party.")


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.ticket', 'party'),
            ('hall.appointment', 'party'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.ticket', [
                ('party', '=', party.id),
                ('state', 'in', ['waiting'] + CURRENT_STATES),
                ])
        check_erase_open(party, 'hall.appointment', [
                ('party', '=', party.id),
                ('state', '=', 'booked'),
                ])

    def to_erase(self, party_id):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Appointment = pool.get('hall.appointment')
        # the tickets and appointments taken with the party's ID number
        # only hold a copy of it
        domain = ['OR',
            ('party', '=', party_id),
            ('id_number', 'in', party_codes(party_id)),
            ]
        return super().to_erase(party_id) + [
            (Ticket, domain, True, ['id_number', 'mobile'], [None, None]),
            (Appointment, domain, True, ['id_number', 'mobile'],
                [None, None]),
            ]
