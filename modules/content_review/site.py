# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import clock
from .indicators_rules import site_status
from .model import ServerReadonlyMixin

VETO_REASONS = [
    ('homepage', "Homepage not updated"),
    ('past_limit', "Columns past their limit"),
    ('stale', "Stale columns"),
    ('blank', "Blank columns"),
    ]


class Site(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    "Government website (政府网站) and its column check"
    __name__ = 'content.site'

    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True)
    code = fields.Char(
        "Site Identifier",
        help="The government website identifier code (政府网站标识码).")
    url = fields.Char("URL")
    icp_number = fields.Char(
        "ICP Registration", help="The ICP filing number of the site.")
    security_number = fields.Char(
        "Public Security Registration",
        help="The filing number with the public security authority.")
    department = fields.Many2One(
        'content.department', "Department", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    responsible = fields.Many2One(
        'res.user', "Responsible",
        help="Notified when the column check is forecast to fail.")
    columns = fields.One2Many(
        'content.channel', 'site', "Columns",
        domain=[('kind', '=', 'column')])

    last_update = fields.Date(
        "Homepage Last Update", readonly=True,
        help="The latest update of any of its columns.")
    columns_past_limit = fields.Integer(
        "Columns Past Their Limit", readonly=True,
        help="Columns of news, notices or planning not updated within "
        "their limit.")
    columns_stale = fields.Integer(
        "Stale Columns", readonly=True,
        help="Columns not updated within the limit of their class.")
    columns_blank = fields.Integer(
        "Blank Columns", readonly=True,
        help="Columns that never had any content.")
    homepage_stale = fields.Boolean("Homepage Stale", readonly=True)
    veto = fields.Boolean(
        "Fails the Column Check", readonly=True,
        help="The site fails the inspection outright (单项否决) today.")
    veto_reasons = fields.MultiSelection(
        VETO_REASONS, "Reasons", readonly=True, sort=False)
    forecast_date = fields.Date("Forecast Date", readonly=True)
    forecast_past_limit = fields.Integer(
        "Forecast Columns Past Their Limit", readonly=True)
    forecast_stale = fields.Integer("Forecast Stale Columns", readonly=True)
    veto_forecast = fields.Boolean(
        "Forecast to Fail", readonly=True,
        help="Without updates the site will fail the column check by the "
        "forecast date.")
    forecast_reasons = fields.MultiSelection(
        VETO_REASONS, "Forecast Reasons", readonly=True, sort=False)
    monitored_at = fields.Timestamp("Monitored At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'content_review.msg_site_code_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def copy(cls, sites, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('code', None)
        default.setdefault('columns', None)
        return super().copy(sites, default=default)

    @classmethod
    def update_indicators(cls, sites):
        """Count the columns past their limit, stale and blank, today and
        at the forecast date, and warn the responsible of a site newly
        forecast to fail the column check."""
        pool = Pool()
        Channel = pool.get('content.channel')
        Configuration = pool.get('content.configuration')
        Date = pool.get('ir.date')
        config = Configuration(1)
        thresholds = config.get_thresholds()
        now = clock.utcnow()
        to_write = []
        to_notify = []
        for site in cls.browse([s.id for s in sites]):
            with Transaction().set_context(company=site.company.id):
                today = Date.today()
            columns = Channel.search([
                    ('site', '=', site.id),
                    ('kind', '=', 'column'),
                    ('state', '=', 'active'),
                    ])
            pairs = [(c.update_class, c.last_update) for c in columns]
            status = site_status(pairs, today, thresholds=thresholds)
            forecast_date = today + dt.timedelta(days=config.notify_days)
            forecast = site_status(
                pairs, forecast_date, thresholds=thresholds)
            values = {
                'last_update': max(
                    (d for _, d in pairs if d), default=None),
                'columns_past_limit': status.past_limit,
                'columns_stale': status.stale,
                'columns_blank': status.blank,
                'homepage_stale': status.homepage_stale,
                'veto': status.veto,
                'veto_reasons': list(status.reasons),
                'forecast_date': forecast_date,
                'forecast_past_limit': forecast.past_limit,
                'forecast_stale': forecast.stale,
                'veto_forecast': forecast.veto,
                'forecast_reasons': list(forecast.reasons),
                }
            if forecast.veto and not site.veto_forecast:
                to_notify.append(site)
            values['monitored_at'] = now
            to_write.extend([[site], values])
        if to_write:
            cls.write(*to_write)
        for site in to_notify:
            site.notify_forecast()

    def notify_forecast(self):
        users = {u for u in [self.responsible,
                self.department.responsible if self.department else None]
            if u}
        selection = dict(VETO_REASONS)
        for user in sorted(users, key=lambda u: u.id):
            language = user.language.code if user.language else None
            with Transaction().set_context(language=language):
                reasons = dict(self.fields_get(
                        ['forecast_reasons'])['forecast_reasons']['selection'])
                label = gettext(
                    'content_review.msg_site_forecast_notification',
                    site=self.rec_name, date=self.forecast_date)
                description = gettext(
                    'content_review.msg_site_forecast_description',
                    reasons='、'.join(
                        reasons.get(r, selection.get(r, r))
                        for r in self.forecast_reasons),
                    past_limit=self.forecast_past_limit,
                    stale=self.forecast_stale,
                    blank=self.columns_blank)
            self.notify_user(
                'tryton-warning', label, description, user=user.id)
