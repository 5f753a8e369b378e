# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import urllib.parse
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id
from trytond.transaction import Transaction
from trytond.url import http_base

from .exceptions import PublicAddressError
from .rating_rules import is_public_address, rate_path


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
    public_url = fields.Char(
        "Public Address",
        help="Address of the hall's web server as the public reaches it, "
        "for example https://zwfw.example.gov.cn; the QR codes point to "
        "it. Empty: the address the staff use.")

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

    def rating_url(self, token):
        "The public address of the rating page of `token`"
        return self.page_url(rate_path(token))

    def public_base(self):
        "The address the public reaches the web server at"
        return (self.public_url or '').strip() or http_base()

    def check_public_url(self, document):
        """Refuse to print `document` for citizens while its QR codes would
        point to an address they cannot reach"""
        base = self.public_base()
        if not is_public_address(base):
            raise PublicAddressError(gettext(
                    'hall_evaluation.msg_configuration_public_url_missing',
                    document=document, address=base))

    def page_url(self, path):
        "The public address of the page at `path` relative to /<db>/hall/"
        base = self.public_base()
        database = Transaction().database.name
        return '%s/%s/hall/%s' % (
            base.rstrip('/'), urllib.parse.quote(database), path)
