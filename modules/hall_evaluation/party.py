# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, check_access


# A context key: whether the read of the party checks the user's access
# (RPC requests cannot set keys starting with "_")
CHECKED_READ = '_hall_evaluation_party_checked_read'


def readable(Model, records):
    """The records among `records` that the user reads, when the read of
    the party checks the user's access, as a One2Many lists them: the
    getter of a function field runs without the access checks"""
    ModelAccess = Pool().get('ir.model.access')
    if not Transaction().context.get(CHECKED_READ):
        return records
    with check_access():
        if not ModelAccess.check(
                Model.__name__, 'read', raise_exception=False):
            return []
        return Model.search([('id', 'in', [r.id for r in records])])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    evaluations = fields.Function(
        fields.Many2Many(
            'hall.evaluation', None, None, "Ratings", readonly=True,
            help="The ratings of the party's applications and tickets."),
        'get_evaluations')
    rectifications = fields.Function(
        fields.Many2Many(
            'hall.evaluation.rectification', None, None,
            "Rectifications", readonly=True,
            help="The rectifications of the bad ratings of the party's "
            "applications and tickets."),
        'get_evaluations')

    @classmethod
    def read(cls, ids, fields_names):
        if {'evaluations', 'rectifications'} & set(fields_names):
            with Transaction().set_context(
                    **{CHECKED_READ: Transaction().check_access}):
                return super().read(ids, fields_names)
        return super().read(ids, fields_names)

    @classmethod
    def _rated_domain(cls, party):
        "The domain of the ratings of the applications and tickets of party"
        Evaluation = Pool().get('hall.evaluation')
        domain = ['OR', ('application.applicant', '=', party.id)]
        if 'ticket' in Evaluation._fields:
            domain.append(('ticket.party', '=', party.id))
        return domain

    @classmethod
    def get_evaluations(cls, parties, names):
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Rectification = pool.get('hall.evaluation.rectification')
        result = {n: {} for n in names}
        for party in parties:
            # the ratings are the party's through records (its tickets, its
            # applications) that the user may not read
            rated = Evaluation.search(cls._rated_domain(party))
            rectified = Rectification.search(
                [('evaluation', 'in', [e.id for e in rated])])
            for name, Model, records in [
                    ('evaluations', Evaluation, rated),
                    ('rectifications', Rectification, rectified),
                    ]:
                if name in names:
                    result[name][party.id] = [
                        r.id for r in readable(Model, records)]
        return result

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
