# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from sql.aggregate import Max

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from . import clock
from . import feed as feeds
from .exceptions import (
    ChannelClosureError, ChannelValidationError, FeedReadError)
from .indicators_rules import account_status, column_status, notify_due
from .model import ServerReadonlyMixin
from .workflow import strict_transition

KINDS = [
    ('column', "Website Column"),
    ('account', "New-Media Account"),
    ]
UPDATE_CLASSES = [
    ('dynamic', "News and Dynamics (2 weeks)"),
    ('notice', "Notices and Policies (6 months)"),
    ('planning', "Personnel and Planning (1 year)"),
    ('other', "Other (configured period)"),
    ('static', "Static (no update required)"),
    ]
PLATFORMS = [
    ('wechat', "WeChat Official Account"),
    ('weibo', "Weibo"),
    ('douyin', "Douyin"),
    ('toutiao', "Toutiao"),
    ('kuaishou', "Kuaishou"),
    ('bilibili', "Bilibili"),
    ('xiaohongshu', "Xiaohongshu"),
    ('app', "Mobile App"),
    ('mini_program', "Mini Program"),
    ('other', "Other Platform"),
    ]
STATES = [
    ('active', "Active"),
    ('suspended', "Suspended"),
    ('deregistering', "Deregistering"),
    ('deregistered', "Deregistered"),
    ]
SOURCES = [
    (None, ""),
    ('article', "Published Article"),
    ('manual', "Manual Entry"),
    ('feed', "Feed or Sitemap"),
    ]
# Articles not yet published nor withdrawn
UNPUBLISHED = [
    'draft', 'submitted', 'first_reviewed', 'second_reviewed', 'approved']

_column = {'invisible': Eval('kind') != 'column'}
_account = {'invisible': Eval('kind') != 'account'}


class Channel(
        ServerReadonlyMixin, DeactivableMixin, Workflow, ModelSQL, ModelView):
    "Website column (栏目) or new-media account (政务新媒体账号)"
    __name__ = 'content.channel'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    kind = fields.Selection(
        KINDS, "Kind", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    site = fields.Many2One(
        'content.site', "Site", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={
            'required': Eval('kind') == 'column',
            'invisible': Eval('kind') != 'column',
            })
    parent = fields.Many2One(
        'content.channel', "Parent Column", ondelete='RESTRICT',
        domain=[
            ('kind', '=', 'column'),
            ('site', '=', Eval('site', -1)),
            ('id', '!=', Eval('id', -1)),
            ],
        states=_column)
    update_class = fields.Selection(
        [(None, "")] + UPDATE_CLASSES, "Update Class", sort=False,
        states={
            'required': Eval('kind') == 'column',
            'invisible': Eval('kind') != 'column',
            },
        help="The inspection limit of the column: news and dynamics "
        "2 weeks, notices and policy documents 6 months, personnel and "
        "planning 1 year.")
    platform = fields.Selection(
        [(None, "")] + PLATFORMS, "Platform", sort=False,
        states={
            'required': Eval('kind') == 'account',
            'invisible': Eval('kind') != 'account',
            })
    account_name = fields.Char(
        "Account ID", states=_account,
        help="The name or ID of the account on its platform.")
    url = fields.Char("URL", help="The page of the column or the account.")
    feed_url = fields.Char(
        "Feed or Sitemap URL",
        help="An RSS or Atom feed or a sitemap read daily to find the last "
        "update.")
    department = fields.Many2One(
        'content.department', "Department", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    responsible = fields.Many2One('res.user', "Responsible")
    editors = fields.Many2Many(
        'content.channel-res.user', 'channel', 'user', "Editors",
        help="The web editors who write for it.")

    opened_date = fields.Date("Opened")
    registration_number = fields.Char(
        "Registration Number",
        help="The number of the registration (备案) of the column or "
        "account.")
    registration_date = fields.Date("Registration Date")
    registration_authority = fields.Char(
        "Registered With", help="The authority the registration (备案) "
        "was filed with.")

    manual_last_update = fields.Date(
        "Last Update (Manual)",
        help="Enter the date of the last update made outside this system.")
    feed_last_update = fields.Date("Last Update in Feed", readonly=True)
    feed_items = fields.Integer("Feed Entries", readonly=True)
    feed_checked_at = fields.Timestamp("Feed Read At", readonly=True)
    feed_error = fields.Char("Feed Error", readonly=True)
    last_update = fields.Date("Last Update", readonly=True)
    last_update_source = fields.Selection(
        SOURCES, "Source of Last Update", readonly=True)
    days_since_update = fields.Integer("Days Since Update", readonly=True)
    update_due = fields.Date(
        "Update Due", readonly=True,
        help="The last day before the limit is passed.")
    stale = fields.Boolean(
        "Stale", readonly=True, states=_column,
        help="Not updated within the limit of its class.")
    blank = fields.Boolean(
        "Blank", readonly=True, states=_column,
        help="Never had any content (空白栏目).")
    silent = fields.Boolean(
        "Silent", readonly=True, states=_account,
        help="No post within the configured limit: fails the inspection.")
    empty = fields.Boolean(
        "Empty Shell", readonly=True, states=_account,
        help="Never posted (空壳账号).")
    zombie = fields.Boolean(
        "Zombie", readonly=True, states=_account,
        help="No post for three months (僵尸账号).")
    notified_due = fields.Date("Warned For", readonly=True)
    monitored_at = fields.Timestamp("Monitored At", readonly=True)

    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    suspended_date = fields.Date(
        "Suspended", readonly=True,
        states={'invisible': ~Eval('suspended_date')})
    suspension_reason = fields.Text(
        "Suspension Reason",
        states={
            'readonly': Eval('state') != 'active',
            'invisible': Eval('state').in_(['deregistering', 'deregistered'])
            & ~Eval('suspension_reason'),
            })
    closure_reason = fields.Text(
        "Closure Reason",
        states={
            'readonly': ~Eval('state').in_(['active', 'suspended']),
            })
    closure_requested_date = fields.Date("Closure Requested", readonly=True)
    closure_notice_date = fields.Date(
        "Closure Notice Published",
        states={
            'readonly': Eval('state') != 'deregistering',
            'invisible': ~Eval('state').in_(
                ['deregistering', 'deregistered']),
            },
        help="The day the public was told of the closure (关停公告).")
    deregistered_date = fields.Date(
        "Deregistered", readonly=True,
        states={'invisible': Eval('state') != 'deregistered'})
    closure_filed_date = fields.Date(
        "Closure Filed",
        states={
            'readonly': Eval('state') != 'deregistered',
            'invisible': Eval('state') != 'deregistered',
            },
        help="The day the closure was filed with the registration "
        "authority (注销备案), within 5 working days.")

    articles = fields.Many2Many(
        'content.article-content.channel', 'channel', 'article',
        "Articles", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'content_review.msg_channel_code_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.kind, Index.Equality(cardinality='low'))),
                })
        cls._order = [('kind', 'ASC'), ('name', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('active', 'suspended'),
            ('suspended', 'active'),
            ('active', 'deregistering'),
            ('suspended', 'deregistering'),
            ('deregistering', 'active'),
            ('deregistering', 'deregistered'),
            }
        cls._buttons.update({
                'suspend': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-switch',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': Eval('state') != 'suspended',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'request_closure': {
                    'invisible': ~Eval('state').in_(['active', 'suspended']),
                    'icon': 'tryton-archive',
                    'depends': ['state'],
                    },
                'cancel_closure': {
                    'invisible': Eval('state') != 'deregistering',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'deregister': {
                    'invisible': Eval('state') != 'deregistering',
                    'icon': 'tryton-delete',
                    'depends': ['state'],
                    },
                'read_feed': {
                    'invisible': ~Eval('feed_url'),
                    'icon': 'tryton-refresh',
                    'depends': ['feed_url'],
                    },
                'refresh_indicators': {
                    'icon': 'tryton-refresh',
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return Transaction().context.get('channel_kind', 'column')

    @classmethod
    def default_update_class(cls):
        return 'dynamic'

    @classmethod
    def default_state(cls):
        return 'active'

    @fields.depends('kind', 'update_class', 'platform')
    def on_change_kind(self):
        if self.kind == 'column':
            self.platform = None
            if not self.update_class:
                self.update_class = 'dynamic'
        elif self.kind == 'account':
            self.update_class = None

    def get_rec_name(self, name):
        if self.kind == 'account' and self.platform:
            platform = dict(self.fields_get(
                    ['platform'])['platform']['selection'])[self.platform]
            return f'{self.name}（{platform}）'
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ('account_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, channels, field_names):
        super().validate_fields(channels, field_names)
        if field_names is None or 'feed_url' in field_names:
            for channel in channels:
                channel.check_feed_url()
        if field_names is None or 'manual_last_update' in field_names:
            for channel in channels:
                channel.check_manual_last_update()

    def check_manual_last_update(self):
        "An update entered by hand has happened: it hides no stale channel"
        Date = Pool().get('ir.date')
        if not self.manual_last_update:
            return
        with Transaction().set_context(company=self.company.id):
            today = Date.today()
        if self.manual_last_update > today:
            raise ChannelValidationError(gettext(
                    'content_review.msg_channel_last_update_future',
                    channel=self.rec_name, date=self.manual_last_update))

    def check_feed_url(self, url=None):
        url = self.feed_url if url is None else url
        if url:
            try:
                feeds.check_url(url)
            except feeds.FeedError:
                raise ChannelValidationError(gettext(
                        'content_review.msg_channel_feed_url_invalid',
                        channel=self.rec_name, url=url))

    @classmethod
    def check_modification(cls, mode, channels, values=None, external=False):
        super().check_modification(
            mode, channels, values=values, external=external)
        if mode == 'write' and values.get('feed_url'):
            # refuse before anything is written
            for channel in channels:
                channel.check_feed_url(values['feed_url'])

    @classmethod
    def copy(cls, channels, default=None):
        default = default.copy() if default is not None else {}
        for name in ['code', 'registration_number', 'registration_date',
                'feed_last_update', 'feed_items', 'feed_checked_at',
                'feed_error', 'last_update', 'last_update_source',
                'days_since_update', 'update_due', 'notified_due',
                'monitored_at', 'suspended_date', 'closure_requested_date',
                'closure_notice_date', 'deregistered_date',
                'closure_filed_date', 'articles']:
            default.setdefault(name, None)
        return super().copy(channels, default=default)

    # -- closure procedure -------------------------------------------------

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    @classmethod
    @ModelView.button
    @strict_transition('suspended')
    def suspend(cls, channels):
        for channel in channels:
            if not (channel.suspension_reason or '').strip():
                raise ChannelClosureError(gettext(
                        'content_review.msg_channel_suspension_reason',
                        channel=channel.rec_name))
        cls.write(channels, {'suspended_date': cls._today()})

    @classmethod
    @ModelView.button
    @strict_transition('active')
    def resume(cls, channels):
        cls.write(channels, {
                'suspended_date': None,
                'closure_requested_date': None,
                'closure_notice_date': None,
                })

    @classmethod
    @ModelView.button
    @strict_transition('deregistering')
    def request_closure(cls, channels):
        for channel in channels:
            if not (channel.closure_reason or '').strip():
                raise ChannelClosureError(gettext(
                        'content_review.msg_channel_closure_reason',
                        channel=channel.rec_name))
            channel.check_no_unpublished()
        cls.write(channels, {'closure_requested_date': cls._today()})

    def check_no_unpublished(self):
        "Refuse to close a channel while articles wait for publication"
        pool = Pool()
        Article = pool.get('content.article')
        with Transaction().set_context(active_test=False):
            articles = Article.search([
                    ('channels', '=', self.id),
                    ('state', 'in', UNPUBLISHED),
                    ], order=[('id', 'ASC')])
        if articles:
            titles = '、'.join(f'「{a.title}」' for a in articles[:5])
            if len(articles) > 5:
                titles += '…'
            raise ChannelClosureError(gettext(
                    'content_review.msg_channel_unpublished_articles',
                    channel=self.rec_name, count=len(articles),
                    articles=titles))

    @classmethod
    @ModelView.button
    @strict_transition('active')
    def cancel_closure(cls, channels):
        cls.write(channels, {
                'closure_requested_date': None,
                'closure_notice_date': None,
                'suspended_date': None,
                })

    @classmethod
    @ModelView.button
    @strict_transition('deregistered')
    def deregister(cls, channels):
        for channel in channels:
            if not channel.closure_notice_date:
                raise ChannelClosureError(gettext(
                        'content_review.msg_channel_closure_notice',
                        channel=channel.rec_name))
            channel.check_no_unpublished()
        cls.write(channels, {
                'deregistered_date': cls._today(),
                'stale': False, 'blank': False, 'silent': False,
                'empty': False, 'zombie': False, 'update_due': None,
                })

    # -- monitoring --------------------------------------------------------

    def _tzinfo(self):
        if self.company and self.company.timezone:
            return tz.get_tzinfo(self.company.timezone)
        return tz.SERVER

    def feed_error_message(self, error):
        return gettext(
            'content_review.msg_feed_error_' + error.reason,
            channel=self.rec_name, url=self.feed_url, detail=error.detail)

    @classmethod
    @ModelView.button
    def read_feed(cls, channels):
        """Read the feeds now; a feed that cannot be read is refused with
        its reason and changes nothing."""
        cls.read_feeds(channels, raise_errors=True)
        cls.update_indicators(channels)

    @classmethod
    @ModelView.button
    def refresh_indicators(cls, channels):
        cls.update_indicators(channels)

    @classmethod
    def read_feeds(cls, channels, raise_errors=False):
        """Read the feed of each channel and store its last update.

        A feed that cannot be read raises FeedReadError when raise_errors,
        else the reason is stored in feed_error and the last update read
        before is kept."""
        pool = Pool()
        Configuration = pool.get('content.configuration')
        timeout = Configuration(1).feed_timeout
        now = clock.utcnow()
        to_write = []
        for channel in channels:
            if not channel.feed_url:
                continue
            try:
                result = feeds.read(channel.feed_url, timeout=timeout)
            except feeds.FeedError as error:
                message = channel.feed_error_message(error)
                if raise_errors:
                    raise FeedReadError(message)
                to_write.extend([[channel], {
                            'feed_error': message,
                            'feed_checked_at': now,
                            }])
                continue
            to_write.extend([[channel], {
                        'feed_error': None,
                        'feed_checked_at': now,
                        'feed_items': result.items,
                        'feed_last_update': result.last_update(
                            channel._tzinfo()),
                        }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    def _last_published(cls, channels):
        "Return the date of the latest published article of each channel"
        pool = Pool()
        Article = pool.get('content.article')
        ArticleChannel = pool.get('content.article-content.channel')
        article = Article.__table__()
        relation = ArticleChannel.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        by_id = {c.id: c for c in channels}
        for sub_ids in _grouped(list(by_id), 500):
            cursor.execute(*relation.join(
                    article, condition=relation.article == article.id
                    ).select(
                    relation.channel, Max(article.published_at),
                    where=relation.channel.in_(sub_ids)
                    & (article.state == 'published'),
                    group_by=[relation.channel]))
            for channel_id, published_at in cursor:
                if published_at is None:
                    continue
                if isinstance(published_at, str):
                    published_at = dt.datetime.fromisoformat(published_at)
                tzinfo = by_id[channel_id]._tzinfo()
                result[channel_id] = published_at.replace(
                    tzinfo=tz.UTC).astimezone(tzinfo).date()
        return result

    @classmethod
    def monitor(cls):
        """Cron: read the feeds, count the days since the last update of
        every column and account, flag them, warn the owners before a limit
        and forecast the column check of each site."""
        with Transaction().set_context(active_test=False):
            channels = cls.search([('state', '!=', 'deregistered')])
        cls.read_feeds(
            [c for c in channels if c.active and c.state == 'active'])
        cls.update_indicators(channels)

    @classmethod
    def update_indicators(cls, channels):
        pool = Pool()
        Configuration = pool.get('content.configuration')
        Date = pool.get('ir.date')
        Site = pool.get('content.site')
        config = Configuration(1)
        thresholds = config.get_thresholds()
        channels = cls.browse([c.id for c in channels])
        published = cls._last_published(channels)
        now = clock.utcnow()
        to_write = []
        to_notify = []
        by_company = defaultdict(list)
        for channel in channels:
            by_company[channel.company].append(channel)
        for company, company_channels in by_company.items():
            with Transaction().set_context(company=company.id):
                today = Date.today()
            for channel in company_channels:
                values = channel._indicator_values(
                    published.get(channel.id), today, thresholds)
                if (channel.state == 'active'
                        and notify_due(
                            values['update_due'], today, config.notify_days)
                        and channel.notified_due != values['update_due']):
                    values['notified_due'] = values['update_due']
                    to_notify.append(channel)
                changed = {k: v for k, v in values.items()
                    if getattr(channel, k) != v}
                if changed:
                    changed['monitored_at'] = now
                    to_write.extend([[channel], changed])
        if to_write:
            cls.write(*to_write)
        for channel in to_notify:
            channel.notify_owners()
        sites = {c.site for c in channels if c.kind == 'column' and c.site}
        if sites:
            Site.update_indicators(list(sites))

    def _indicator_values(self, last_published, today, thresholds):
        sources = [(d, s) for d, s in [
                (last_published, 'article'),
                (self.manual_last_update, 'manual'),
                (self.feed_last_update, 'feed'),
                ] if d]
        last_update, source = max(sources) if sources else (None, None)
        if self.kind == 'column':
            status = column_status(
                self.update_class, last_update, today,
                opened=self.opened_date, thresholds=thresholds)
        else:
            status = account_status(
                last_update, today, opened=self.opened_date,
                thresholds=thresholds)
        watched = self.state == 'active' and self.active
        return {
            'last_update': last_update,
            'last_update_source': source,
            'days_since_update': status.days,
            'update_due': status.due if watched else None,
            'stale': status.stale and watched,
            'blank': status.blank and watched and self.kind == 'column',
            'silent': status.silent and watched,
            'empty': status.empty and watched and self.kind == 'account',
            'zombie': status.zombie and watched,
            }

    def owners(self):
        "Return the users warned about this channel"
        users = set(self.editors)
        if self.responsible:
            users.add(self.responsible)
        if self.department and self.department.responsible:
            users.add(self.department.responsible)
        return sorted(users, key=lambda u: u.id)

    def notify_owners(self):
        kind = dict(self.fields_get(['kind'])['kind']['selection'])[self.kind]
        for user in self.owners():
            language = user.language.code if user.language else None
            with Transaction().set_context(language=language):
                label = gettext(
                    'content_review.msg_channel_due_notification',
                    channel=self.rec_name, due=self.update_due)
                description = gettext(
                    'content_review.msg_channel_due_description',
                    kind=kind, channel=self.rec_name,
                    last_update=self.last_update or '-',
                    due=self.update_due)
            self.notify_user(
                'tryton-warning', label, description, user=user.id)


def _grouped(ids, size):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


class ChannelEditor(ModelSQL):
    __name__ = 'content.channel-res.user'

    channel = fields.Many2One(
        'content.channel', "Channel", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('channel_user_unique', Unique(t, t.channel, t.user),
                'content_review.msg_channel_editor_unique'),
            ]

