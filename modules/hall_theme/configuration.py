# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Id


class Configuration(metaclass=PoolMeta):
    __name__ = 'hall.configuration'

    theme_application_sequence = fields.Many2One(
        'ir.sequence', "Theme Application Sequence",
        domain=[
            ('sequence_type', '=',
                Id('hall_theme', 'sequence_type_theme_application')),
            ],
        help="Numbers the theme applications (主题办件编号); the module's "
        "own when empty.")

    def get_theme_application_sequence(self):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        return self.theme_application_sequence or Sequence(
            ModelData.get_id('hall_theme', 'sequence_theme_application'))
