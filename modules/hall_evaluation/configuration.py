# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from sql import Null

from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id
from trytond.transaction import Transaction


def _default_sequence(fs_id):
    ModelData = Pool().get('ir.model.data')
    try:
        return ModelData.get_id('hall_evaluation', fs_id)
    except KeyError:
        return None


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.evaluation.configuration'

    evaluation_sequence = fields.Many2One(
        'ir.sequence', "Rating Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_evaluation', 'sequence_type_evaluation'))])
    rectification_sequence = fields.Many2One(
        'ir.sequence', "Rectification Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_evaluation', 'sequence_type_rectification'))])
    inspection_sequence = fields.Many2One(
        'ir.sequence', "Inspection Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_evaluation', 'sequence_type_inspection'))])
    link_days = fields.Integer(
        "QR Code Validity (days)", required=True,
        domain=[('link_days', '>=', 1)],
        help="Days during which the QR code of a receipt or ticket can be "
        "used to rate, counted from the completion of the service.")
    device_minutes = fields.Integer(
        "Window Device Wait (minutes)", required=True,
        domain=[('device_minutes', '>=', 1)],
        help="Minutes during which the window device shows a rating "
        "requested by the clerk.")
    rectification_days = fields.Integer(
        "Rectification Deadline (working days)", required=True,
        domain=[('rectification_days', '>=', 1)],
        help="Working days given to rectify a bad rating or a finding.")
    supervisor = fields.Many2One(
        'res.user', "Supervisor",
        domain=[('groups', '=',
                Id('hall_evaluation', 'group_evaluation_supervisor'))],
        help="Follows the new rectifications and is told when they are "
        "overdue; without one, every evaluation supervisor is told.")
    rating_weight = fields.Numeric(
        "Weight of Ratings", digits=(1, 2), required=True,
        domain=[
            ('rating_weight', '>=', 0),
            ('rating_weight', '<=', 1),
            ],
        help="Share of the ratings in the monthly composite score of a "
        "window; the inspections make the rest.")

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        table_h = cls.__table_handler__(module)
        # Migration from 8.0.1: the public address is the hall's
        if table_h.column_exist('public_url'):
            cls._migrate_public_url()
            table_h.drop_column('public_url')

    @classmethod
    def _migrate_public_url(cls):
        pool = Pool()
        Hall = pool.get('hall.hall')
        table = cls.__table__()
        hall = Hall.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.public_url, where=(
                    table.public_url != Null) & (table.public_url != '')))
        row = cursor.fetchone()
        if row:
            cursor.execute(*hall.update([hall.public_url], [row[0]],
                    where=(hall.public_url == Null)
                    | (hall.public_url == '')))

    @classmethod
    def default_evaluation_sequence(cls):
        return _default_sequence('sequence_evaluation')

    @classmethod
    def default_rectification_sequence(cls):
        return _default_sequence('sequence_rectification')

    @classmethod
    def default_inspection_sequence(cls):
        return _default_sequence('sequence_inspection')

    @classmethod
    def default_link_days(cls):
        return 15

    @classmethod
    def default_device_minutes(cls):
        return 10

    @classmethod
    def default_rectification_days(cls):
        return 5

    @classmethod
    def default_rating_weight(cls):
        return Decimal('0.7')
