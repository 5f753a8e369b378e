# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rating links (评价链接): the unguessable, single-use tokens behind the QR
codes, and the requests shown by the window devices.

The token of a QR-code link is the citizen's: printed on the receipt or
the ticket slip (by the report or the kiosk, running as root), never read
by the staff (no role reads the token, hall_evaluation's field access).  A
window device's request is rated by the device authenticated with its key
(hall.evaluation.device), never through a token."""
import datetime as dt
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import SQLConstraintError
from trytond.modules.hall.locking import hold_rows, is_violation
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from .exceptions import EvaluationError, RatingLinkError
from .rating_rules import is_bad, local_date, mask_name, rate_path

LINK_CHANNELS = [
    ('qr_code', "QR Code"),
    ('window_device', "Window Device"),
    ]

LINK_STATES = [
    ('pending', "Pending"),
    ('used', "Used"),
    ('cancelled', "Cancelled"),
    ]

# The constraints of hall.evaluation against a second rating of a service,
# as the databases name them (PostgreSQL the constraint, SQLite the column)
RATED_CONSTRAINTS = (
    'hall_evaluation_link_unique', 'hall_evaluation_application_unique',
    'hall_evaluation_ticket_unique', 'hall_evaluation.link',
    'hall_evaluation.application', 'hall_evaluation.ticket')

# Applications in these states can be rated: the service was given.
RATEABLE_APPLICATION_STATES = {
    'received', 'supplement', 'accepted', 'approved', 'rejected',
    'completed', 'withdrawn'}


def new_token():
    "An unguessable token: 192 random bits, URL-safe"
    return secrets.token_urlsafe(24)


class Link(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'hall.evaluation.link'

    # Lazy: no role reads it (field access), clients read the rest
    token = fields.Char(
        "Token", required=True, readonly=True, loading='lazy')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    channel = fields.Selection(
        LINK_CHANNELS, "Channel", required=True, readonly=True)
    channel_string = channel.translated('channel')
    application = fields.Many2One(
        'hall.application', "Application", readonly=True,
        ondelete='CASCADE')
    window = fields.Many2One(
        'hall.window', "Window", readonly=True, ondelete='CASCADE')
    expires_at = fields.Timestamp("Expires at", required=True, readonly=True)
    state = fields.Selection(
        LINK_STATES, "State", required=True, readonly=True)
    used_at = fields.Timestamp("Used at", readonly=True)
    evaluation = fields.Function(
        fields.Many2One('hall.evaluation', "Rating"), 'get_evaluation')
    expired = fields.Function(fields.Boolean("Expired"), 'get_expired')
    url = fields.Function(fields.Char("Address"), 'get_url')

    @classmethod
    def __setup__(cls):
        cls.token.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('token_unique', Unique(t, t.token),
                'hall_evaluation.msg_link_token_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.token, Index.Equality(cardinality='high'))),
                Index(t,
                    (t.window, Index.Equality()),
                    (t.expires_at, Index.Range()),
                    where=(t.state == 'pending')
                    & (t.channel == 'window_device')),
                })
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def default_token(cls):
        return new_token()

    @classmethod
    def _now(cls):
        return dt.datetime.now()

    @classmethod
    def _subject_fields(cls):
        "Fields naming what is rated (extended by hall_queue)"
        return ['application']

    @property
    def subject(self):
        "The application or ticket rated through the link"
        for field in self._subject_fields():
            record = getattr(self, field, None)
            if record:
                return record

    @property
    def hall(self):
        "The hall whose public address the link's page is reached at"
        subject = self.subject
        if subject:
            return subject.hall
        return self.window.hall if self.window else None

    def get_rec_name(self, name):
        # never the token: whoever reads the link would rate with it
        subject = self.subject
        return '%s %s' % (
            self.channel_string, subject.rec_name if subject else self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op] + [
            ('%s.rec_name' % field, operator, operand, *extra)
            for field in cls._subject_fields()]

    def get_evaluation(self, name):
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        evaluations = Evaluation.search([('link', '=', self.id)], limit=1)
        return evaluations[0].id if evaluations else None

    def get_expired(self, name):
        return self.expires_at <= self._now()

    def get_url(self, name):
        if self.hall:
            return self.hall.page_url(rate_path(self.token))

    @classmethod
    def expiry(cls, channel, start=None):
        "When a link of `channel` made at `start` (now) expires"
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        config = Configuration(1)
        start = start or cls._now()
        if channel == 'window_device':
            return start + dt.timedelta(minutes=config.device_minutes)
        return start + dt.timedelta(days=config.link_days)

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            values.setdefault('token', new_token())
            if not values.get('expires_at'):
                values['expires_at'] = cls.expiry(
                    values.get('channel', 'qr_code'))
        return super().create(vlist)

    @classmethod
    def subject_field(cls, model_name):
        "The field of the link naming a subject of `model_name`"
        return {'hall.application': 'application'}.get(model_name)

    @classmethod
    def link_values(cls, subject):
        "The values of a link rating `subject`"
        window = getattr(subject, 'window', None)
        return {
            'company': subject.company.id,
            cls.subject_field(subject.__name__): subject.id,
            'window': window.id if window else None,
            }

    @classmethod
    def create_links(cls, subjects, channel):
        """Create a link of `channel` for each subject; for a window device
        the previous link still pending at the window is cancelled."""
        if not subjects:
            return []
        vlist = []
        for subject in subjects:
            values = cls.link_values(subject)
            values['channel'] = channel
            vlist.append(values)
        if channel == 'window_device':
            windows = {v['window'] for v in vlist}
            pending = cls.search([
                    ('channel', '=', 'window_device'),
                    ('state', '=', 'pending'),
                    ('window', 'in', list(windows)),
                    ])
            if pending:
                cls.write(pending, {'state': 'cancelled'})
        return cls.create(vlist)

    @classmethod
    def pending_qr_links(cls, subjects):
        "The first pending QR-code link of each subject"
        links = {}
        if not subjects:
            return links
        field = cls.subject_field(subjects[0].__name__)
        for link in cls.search([
                    (field, 'in', [s.id for s in subjects]),
                    ('channel', '=', 'qr_code'),
                    ('state', '=', 'pending'),
                    ], order=[('id', 'ASC')]):
            links.setdefault(getattr(link, field), link)
        return links

    @classmethod
    def extend(cls, links, start=None):
        "Let the links run again their full validity from `start`"
        for link in links:
            link.expires_at = max(
                link.expires_at, cls.expiry(link.channel, start))
        cls.save(links)

    @classmethod
    def get(cls, token):
        """The QR-code link of `token` or None: the token of a window
        device's request rates nothing"""
        if not token or len(token) > 64:
            return None
        links = cls.search([
                ('token', '=', token),
                ('channel', '=', 'qr_code'),
                ], limit=1)
        return links[0] if links else None

    @classmethod
    def pending_for_window(cls, window_id):
        "The link the window device shows now, or None"
        links = cls.search([
                ('window', '=', window_id),
                ('channel', '=', 'window_device'),
                ('state', '=', 'pending'),
                ('expires_at', '>', cls._now()),
                ], order=[('id', 'DESC')], limit=1)
        return links[0] if links else None

    @property
    def path(self):
        "The address of the rating page, relative to /<database>/hall/"
        return rate_path(self.token)

    def local_expiry(self):
        "The date the link expires in the company's time zone"
        return local_date(self.expires_at, self.company.timezone)

    def check_rateable(self):
        "Raise RatingLinkError when the link cannot be used to rate now"
        subject = self.subject
        if (self.state == 'used'
                or (subject is not None and subject.evaluations)):
            raise RatingLinkError(gettext('hall_evaluation.msg_rate_used'))
        if self.state == 'cancelled':
            raise RatingLinkError(gettext(
                    'hall_evaluation.msg_rate_cancelled'))
        if self.expired:
            raise RatingLinkError(gettext(
                    'hall_evaluation.msg_rate_expired',
                    date=self.local_expiry().strftime('%Y-%m-%d')))
        self.check_subject()

    def check_subject(self):
        application = self.application
        if application and application.state not in (
                RATEABLE_APPLICATION_STATES):
            raise RatingLinkError(gettext(
                    'hall_evaluation.msg_rate_not_served'))

    def summary(self):
        """What the public page shows of the service rated: no personal
        data, the applicant's name masked"""
        application = self.application
        summary = {
            'service': None,
            'department': None,
            'window': self.window.number if self.window else None,
            'hall': None,
            'applicant': None,
            'number': None,
            }
        if application:
            summary.update({
                    'service': application.service.name,
                    'department': application.service.department.name,
                    'hall': application.hall.name,
                    'applicant': mask_name(application.applicant.name),
                    'number': application.number,
                    })
        return summary

    def evaluation_values(self):
        "The values of the rating given through the link"
        values = {
            'company': self.company.id,
            'channel': self.channel,
            'link': self.id,
            }
        if self.application:
            values['application'] = self.application.id
        return values

    @classmethod
    def submit(cls, token, values):
        """Store the rating `values` given through the QR-code link of
        `token` and return it; refuse a link that is unknown, used or
        expired."""
        link = cls.get(token)
        if link is None:
            raise RatingLinkError(gettext('hall_evaluation.msg_rate_unknown'))
        return cls._submit(link, values)

    @classmethod
    def submit_device(cls, device, link_id, values):
        """Store the rating `values` given on the authenticated window
        `device` for the request `link_id` it shows, and return it; refuse
        a request that is not one of the device's window or no longer
        pending."""
        links = cls.search([
                ('id', '=', link_id),
                ('window', '=', device.window.id),
                ('channel', '=', 'window_device'),
                ], limit=1) if link_id else []
        if not links:
            raise RatingLinkError(gettext(
                    'hall_evaluation.msg_device_nothing_pending'))
        return cls._submit(links[0], values)

    @classmethod
    def _submit(cls, link, values):
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        # One rating per link even when two are posted at the same time:
        # the second waits, then reads the link used (and the database
        # refuses a second rating of one link, Evaluation.link_unique, or
        # of one service, Evaluation.application_unique)
        hold_rows(cls, [link.id])
        link = cls(link.id)
        link.check_rateable()
        # read now: a failed insert spoils the transaction
        used = gettext('hall_evaluation.msg_rate_used')
        try:
            evaluation, = Evaluation.create([{
                        **link.evaluation_values(),
                        **values,
                        }])
        except SQLConstraintError as exception:
            # rated through another link since this request read it (the
            # caller rolls the transaction back)
            if is_violation(exception.__cause__, *RATED_CONSTRAINTS):
                raise RatingLinkError(used) from exception
            raise
        now = cls._now()
        link.state = 'used'
        link.used_at = now
        link.save()
        # One service, one rating: the other links of the subject close
        subject = link.subject
        field = cls.subject_field(subject.__name__)
        others = cls.search([
                (field, '=', subject.id),
                ('state', '=', 'pending'),
                ('id', '!=', link.id),
                ])
        if others:
            cls.write(others, {'state': 'cancelled'})
        return evaluation

    def thanks(self, evaluation):
        "The message shown once the rating is stored"
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        if is_bad(evaluation.level):
            return gettext(
                'hall_evaluation.msg_rate_thanks_bad',
                days=Configuration(1).rectification_days)
        return gettext('hall_evaluation.msg_rate_thanks')

    @classmethod
    def request_device_rating(cls, subjects):
        "The clerk presses 请评价: the window device shows the rating"
        for subject in subjects:
            if not subject.window:
                raise EvaluationError(gettext(
                        'hall_evaluation.msg_link_no_window',
                        record=subject.rec_name))
            if subject.evaluations:
                raise EvaluationError(gettext(
                        'hall_evaluation.msg_link_already_rated',
                        record=subject.rec_name))
        return cls.create_links(subjects, 'window_device')
