# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id

from .indicators_rules import Thresholds
from .model import ServerReadonlyMixin

_DEFAULTS = Thresholds()


def _positive(name):
    return [(name, '>', 0)]


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'content.configuration'

    silent_days = fields.Integer(
        "Account Silence Limit (Days)", required=True,
        domain=_positive('silent_days'),
        help="A new-media account without a post for longer than this "
        "fails the inspection (national rule 14 days; some cities 10).")
    zombie_days = fields.Integer(
        "Zombie Account Limit (Days)", required=True,
        domain=_positive('zombie_days'),
        help="An account without a post for longer than this is a zombie "
        "account (僵尸账号) to clean up or close.")
    other_update_days = fields.Integer(
        "Other Columns Update Limit (Days)", required=True,
        domain=_positive('other_update_days'),
        help="The period within which columns of the class \"Other\" "
        "must be updated.")
    homepage_days = fields.Integer(
        "Homepage Update Limit (Days)", required=True,
        domain=_positive('homepage_days'),
        help="A site whose homepage is not updated for longer than this "
        "fails the inspection.")
    veto_past_limit = fields.Integer(
        "Veto: Columns Past Their Limit", required=True,
        domain=_positive('veto_past_limit'),
        help="A site with this many columns of news, notices or planning "
        "past their update limit fails the column check.")
    veto_stale = fields.Integer(
        "Veto: Stale Columns", required=True,
        domain=_positive('veto_stale'),
        help="A site with this many columns not updated as they should be "
        "fails the column check.")
    veto_blank = fields.Integer(
        "Veto: Blank Columns", required=True,
        domain=_positive('veto_blank'),
        help="A site with this many blank columns (never any content) "
        "fails the column check.")
    notify_days = fields.Integer(
        "Warn Days Ahead", required=True,
        domain=[('notify_days', '>=', 0)],
        help="The owners of a column or account are notified this many "
        "days before it reaches its update limit; the site forecast looks "
        "as far ahead.")
    feed_timeout = fields.Integer(
        "Feed Timeout (Seconds)", required=True,
        domain=_positive('feed_timeout'),
        help="How long to wait for a feed or sitemap to answer.")
    rectification_days = fields.Integer(
        "Rectification Deadline (Days)", required=True,
        domain=_positive('rectification_days'),
        help="Default time given to rectify a problem.")
    rectification_sequence = fields.Many2One(
        'ir.sequence', "Rectification Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('content_review', 'sequence_type_rectification')),
            ],
        help="Numbers the entries of the rectification ledger.")

    @classmethod
    def default_silent_days(cls):
        return _DEFAULTS.silent_days

    @classmethod
    def default_zombie_days(cls):
        return _DEFAULTS.zombie_days

    @classmethod
    def default_other_update_days(cls):
        return _DEFAULTS.other_days

    @classmethod
    def default_homepage_days(cls):
        return _DEFAULTS.homepage_days

    @classmethod
    def default_veto_past_limit(cls):
        return _DEFAULTS.veto_past_limit

    @classmethod
    def default_veto_stale(cls):
        return _DEFAULTS.veto_stale

    @classmethod
    def default_veto_blank(cls):
        return _DEFAULTS.veto_blank

    @classmethod
    def default_notify_days(cls):
        return 3

    @classmethod
    def default_feed_timeout(cls):
        return 10

    @classmethod
    def default_rectification_days(cls):
        return 5

    @classmethod
    def default_rectification_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id(
                'content_review', 'sequence_rectification')
        except KeyError:
            return None

    def get_thresholds(self):
        "Return the monitoring thresholds of the configuration"
        return Thresholds(
            silent_days=self.silent_days,
            zombie_days=self.zombie_days,
            other_days=self.other_update_days,
            homepage_days=self.homepage_days,
            veto_past_limit=self.veto_past_limit,
            veto_stale=self.veto_stale,
            veto_blank=self.veto_blank)
