# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def personal_data_groups(cls):
        return super().personal_data_groups() | {
            ('hall_evaluation', 'group_evaluation_supervisor')}


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        Evaluation = Pool().get('hall.evaluation')
        # the name and phone of the applicant who rated an application
        return super().to_erase(party_id) + [
            (Evaluation, [('application.applicant', '=', party_id)], False,
                ['rater_name', 'rater_phone'], [None, None]),
            ]
