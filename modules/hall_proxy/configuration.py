# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.proxy.configuration'

    case_sequence = fields.Many2One(
        'ir.sequence', "Case Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_proxy', 'sequence_type_case'))],
        help="Numbers the proxy cases.")

    @classmethod
    def default_case_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('hall_proxy', 'sequence_case')
        except KeyError:
            return None
