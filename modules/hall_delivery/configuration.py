# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id


def _default_sequence(fs_id):
    ModelData = Pool().get('ir.model.data')
    try:
        return ModelData.get_id('hall_delivery', fs_id)
    except KeyError:
        return None


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.delivery.configuration'

    delivery_sequence = fields.Many2One(
        'ir.sequence', "Delivery Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_delivery', 'sequence_type_delivery'))])
    batch_sequence = fields.Many2One(
        'ir.sequence', "Handover Batch Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_delivery', 'sequence_type_delivery_batch'))])

    @classmethod
    def default_delivery_sequence(cls):
        return _default_sequence('sequence_delivery')

    @classmethod
    def default_batch_sequence(cls):
        return _default_sequence('sequence_delivery_batch')
