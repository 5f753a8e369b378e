# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.green_channel.configuration'

    project_sequence = fields.Many2One(
        'ir.sequence', "Project Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_green_channel', 'sequence_type_project'))],
        help="Numbers the green-channel projects.")

    @classmethod
    def default_project_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('hall_green_channel', 'sequence_project')
        except KeyError:
            return None
