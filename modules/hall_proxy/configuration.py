# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id

# An authorisation is renewed at least every five years
AUTHORIZATION_MAX_DAYS_LIMIT = 5 * 366


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.proxy.configuration'

    case_sequence = fields.Many2One(
        'ir.sequence', "Case Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_proxy', 'sequence_type_case'))],
        help="Numbers the proxy cases.")
    authorization_max_days = fields.Integer(
        "Authorisation Maximum Days", required=True,
        domain=[('authorization_max_days', '>=', 1),
            ('authorization_max_days', '<=', AUTHORIZATION_MAX_DAYS_LIMIT)],
        help="The longest validity of an authorisation, in days.")

    @classmethod
    def default_case_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('hall_proxy', 'sequence_case')
        except KeyError:
            return None

    @classmethod
    def default_authorization_max_days(cls):
        return 366
