# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.configuration'

    application_sequence = fields.Many2One(
        'ir.sequence', "Application Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('hall', 'sequence_type_application')),
            ],
        help="Numbers the applications (办件编号).")
    due_soon_days = fields.Integer(
        "Due Soon Days", required=True,
        domain=[('due_soon_days', '>=', 0)],
        help="Applications whose promised due date falls within this many "
        "working days are flagged as due soon.")

    @classmethod
    def default_application_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('hall', 'sequence_application')
        except KeyError:
            return None

    @classmethod
    def default_due_soon_days(cls):
        return 2
