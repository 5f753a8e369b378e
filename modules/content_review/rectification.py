# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rectification ledger (整改台账) of problems in published content."
import datetime as dt

from sql import Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case
from sql.functions import DateTrunc, Extract

from trytond.i18n import gettext, lazy_gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import RectificationError, RectificationValidationError
from .model import ContextCompanyMixin, ServerReadonlyMixin
from .period import CompanyPeriodContextMixin
from .workflow import strict_transition

CATEGORIES = [
    ('privacy', "Privacy Leak"),
    ('expression', "Wrong Expression"),
    ('typo', "Typo"),
    ('link', "Link Error"),
    ('not_updated', "Not Updated"),
    ('other', "Other"),
    ]
SOURCES = [
    ('self_check', "Self-Check"),
    ('notice', "Higher-Level Notice"),
    ]
STATES = [
    ('draft', "Draft"),
    ('open', "Being Rectified"),
    ('rectified', "Rectified"),
    ('verified', "Verified"),
    ('cancelled', "Cancelled"),
    ]
# Entries that count in the ledger
REGISTERED = ['open', 'rectified', 'verified']
DONE = ['rectified', 'verified']


class Rectification(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Rectification (整改) of a problem in published content"
    __name__ = 'content.rectification'
    _history = True
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    category = fields.Selection(
        CATEGORIES, "Category", required=True, sort=False,
        states={'readonly': ~Eval('state').in_(['draft', 'open'])})
    source = fields.Selection(
        SOURCES, "Source", required=True,
        states={'readonly': Eval('state') != 'draft'})
    notice_reference = fields.Char(
        "Notice Reference",
        states={
            'required': Eval('source') == 'notice',
            'invisible': Eval('source') != 'notice',
            'readonly': Eval('state') != 'draft',
            },
        help="The number of the notice (通报) that reported the problem, "
        "e.g. 浙政办网〔2024〕12号.")
    notice_issuer = fields.Char(
        "Notice Issued By",
        states={
            'invisible': Eval('source') != 'notice',
            'readonly': Eval('state') != 'draft',
            })
    reported_date = fields.Date(
        "Reported", required=True,
        states={'readonly': Eval('state') != 'draft'})
    article = fields.Many2One(
        'content.article', "Article", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('state') != 'draft'})
    channel = fields.Many2One(
        'content.channel', "Column or Account", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        context={'active_test': False},
        states={'readonly': Eval('state') != 'draft'})
    description = fields.Text(
        "Problem", required=True,
        states={'readonly': Eval('state') != 'draft'})
    findings = fields.One2Many(
        'content.finding', 'rectification', "Findings", readonly=True)
    responsible = fields.Many2One(
        'res.user', "Responsible",
        states={'readonly': ~Eval('state').in_(['draft', 'open'])})
    deadline = fields.Date(
        "Deadline",
        domain=[If(Eval('deadline') & Eval('reported_date'),
                ('deadline', '>=', Eval('reported_date')), ())],
        states={
            'readonly': ~Eval('state').in_(['draft', 'open']),
            'required': Eval('state') != 'draft',
            })
    measures = fields.Text(
        "Measures",
        states={'readonly': Eval('state') != 'open'},
        help="What was done to correct the problem.")
    evidence = fields.Text(
        "Evidence",
        states={'readonly': Eval('state') != 'open'},
        help="Where the correction can be seen (links, screenshots in "
        "the attachments).")
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Attachments")
    rectified_date = fields.Date("Rectified", readonly=True)
    rectified_by = fields.Many2One(
        'res.user', "Rectified By", readonly=True, ondelete='RESTRICT')
    recheck_note = fields.Text(
        "Re-check",
        states={'readonly': Eval('state') != 'rectified'},
        help="The result of the re-check (复核).")
    rechecked_by = fields.Many2One(
        'res.user', "Re-checked By", readonly=True, ondelete='RESTRICT')
    recheck_date = fields.Date("Re-checked", readonly=True)
    overdue = fields.Function(
        fields.Boolean("Overdue"), 'get_overdue', searcher='search_overdue')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'content_review.msg_rectification_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity(cardinality='high'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.reported_date, Index.Range())),
                })
        cls._order = [('reported_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('draft', 'cancelled'),
            ('open', 'rectified'),
            ('rectified', 'verified'),
            ('rectified', 'open'),
            }
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'rectify': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'verify': {
                    'invisible': Eval('state') != 'rectified',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'rectified',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_source(cls):
        return 'self_check'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_reported_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_deadline(cls):
        return cls._default_deadline(cls.default_reported_date())

    @classmethod
    def _default_deadline(cls, reported_date):
        pool = Pool()
        Configuration = pool.get('content.configuration')
        return reported_date + dt.timedelta(
            days=Configuration(1).rectification_days)

    @fields.depends('reported_date', 'deadline')
    def on_change_reported_date(self):
        if self.reported_date and not self.deadline:
            self.deadline = self._default_deadline(self.reported_date)

    @fields.depends('article', 'channel')
    def on_change_article(self):
        if self.article and not self.channel and self.article.channels:
            self.channel = self.article.channels[0]

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    def get_overdue(self, name):
        return bool(self.state == 'open' and self.deadline
            and self.deadline < self._today())

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        domain = [
            ('state', '=', 'open'),
            ('deadline', '<', cls._today()),
            ]
        if positive:
            return domain
        return ['OR',
            ('state', '!=', 'open'),
            ('deadline', '=', None),
            ('deadline', '>=', cls._today()),
            ]

    @classmethod
    def validate_fields(cls, rectifications, field_names):
        super().validate_fields(rectifications, field_names)
        for rectification in rectifications:
            if not rectification.article and not rectification.channel:
                raise RectificationValidationError(gettext(
                        'content_review.msg_rectification_subject',
                        rectification=rectification.rec_name))
        if field_names is None or 'reported_date' in field_names:
            today = cls._today()
            for rectification in rectifications:
                if rectification.reported_date > today:
                    raise RectificationValidationError(gettext(
                            'content_review.msg_rectification_reported_future',
                            rectification=rectification.rec_name,
                            date=rectification.reported_date))

    @classmethod
    def check_modification(
            cls, mode, rectifications, values=None, external=False):
        super().check_modification(
            mode, rectifications, values=values, external=external)
        if mode == 'delete':
            for rectification in rectifications:
                if rectification.state not in {'draft', 'cancelled'} or (
                        rectification.number):
                    raise RectificationError(gettext(
                            'content_review.msg_rectification_delete',
                            rectification=rectification.rec_name))

    @classmethod
    def copy(cls, rectifications, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'findings', 'measures', 'evidence',
                'attachments', 'rectified_date', 'rectified_by',
                'recheck_note', 'rechecked_by', 'recheck_date', 'deadline']:
            default.setdefault(name, None)
        return super().copy(rectifications, default=default)

    @classmethod
    def values_from_finding(cls, finding):
        "Return the values of a rectification of a finding"
        pool = Pool()
        Finding = pool.get('content.finding')
        article = finding.article
        kinds = dict(Finding.fields_get(['kind'])['kind']['selection'])
        if finding.suggestion:
            description = gettext(
                'content_review.msg_rectification_from_finding_suggestion',
                kind=kinds[finding.kind], text=finding.text,
                context=finding.excerpt, suggestion=finding.suggestion)
        else:
            description = gettext(
                'content_review.msg_rectification_from_finding',
                kind=kinds[finding.kind], text=finding.text,
                context=finding.excerpt)
        return {
            'company': article.company.id,
            'category': finding.get_rectification_category(),
            'source': 'self_check',
            'article': article.id,
            'channel': article.channels[0].id if article.channels else None,
            'description': description,
            'responsible': article.author.id,
            }

    @classmethod
    @ModelView.button
    @strict_transition('open')
    def register(cls, rectifications):
        pool = Pool()
        Configuration = pool.get('content.configuration')
        config = Configuration(1)
        for rectification in rectifications:
            if not rectification.number:
                with Transaction().set_context(
                        company=rectification.company.id,
                        date=rectification.reported_date):
                    rectification.number = (
                        config.rectification_sequence.get())
            if not rectification.deadline:
                rectification.deadline = cls._default_deadline(
                    rectification.reported_date)
        cls.save(rectifications)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, rectifications):
        pass

    @classmethod
    @ModelView.button
    @strict_transition('rectified')
    def rectify(cls, rectifications):
        for rectification in rectifications:
            if not (rectification.measures or '').strip():
                raise RectificationError(gettext(
                        'content_review.msg_rectification_measures',
                        rectification=rectification.rec_name))
        cls.write(list(rectifications), {
                'rectified_date': cls._today(),
                'rectified_by': Transaction().user,
                })

    @classmethod
    @ModelView.button
    @strict_transition('verified')
    def verify(cls, rectifications):
        "Re-check (复核) by someone other than who rectified"
        user_id = Transaction().user
        for rectification in rectifications:
            if (rectification.rectified_by
                    and rectification.rectified_by.id == user_id):
                raise RectificationError(gettext(
                        'content_review.msg_rectification_recheck_own',
                        rectification=rectification.rec_name))
        cls.write(list(rectifications), {
                'recheck_date': cls._today(),
                'rechecked_by': user_id,
                })

    @classmethod
    @ModelView.button
    @strict_transition('open')
    def reopen(cls, rectifications):
        "The re-check failed: the rectification goes on"
        for rectification in rectifications:
            if not (rectification.recheck_note or '').strip():
                raise RectificationError(gettext(
                        'content_review.msg_rectification_recheck_note',
                        rectification=rectification.rec_name))
        cls.write(list(rectifications), {
                'recheck_date': cls._today(),
                'rechecked_by': Transaction().user,
                'rectified_date': None,
                })


class StatisticsContext(CompanyPeriodContextMixin, ModelView):
    __name__ = 'content.rectification.statistics.context'


class _StatisticsMixin:
    __slots__ = ()

    category = fields.Selection(
        CATEGORIES, lazy_gettext('content_review.msg_ledger_category'),
        sort=False)
    entries = fields.Integer(
        lazy_gettext('content_review.msg_ledger_entries'),
        help=lazy_gettext('content_review.msg_ledger_entries_help'))
    articles = fields.Integer(
        lazy_gettext('content_review.msg_ledger_articles'),
        help=lazy_gettext('content_review.msg_ledger_articles_help'))
    rectified = fields.Integer(
        lazy_gettext('content_review.msg_ledger_rectified'),
        help=lazy_gettext('content_review.msg_ledger_rectified_help'))
    rectified_articles = fields.Integer(
        lazy_gettext('content_review.msg_ledger_rectified_articles'),
        help=lazy_gettext('content_review.msg_ledger_rectified_articles_help'))
    verified = fields.Integer(
        lazy_gettext('content_review.msg_ledger_verified'))
    open = fields.Integer(lazy_gettext('content_review.msg_ledger_open'))
    notices = fields.Integer(
        lazy_gettext('content_review.msg_ledger_notices'),
        help=lazy_gettext('content_review.msg_ledger_notices_help'))

    @classmethod
    def _ledger(cls, period):
        """The registered entries of the period (by reported date) with
        their period column"""
        pool = Pool()
        Rectification = pool.get('content.rectification')
        rectification = Rectification.__table__()
        context = Transaction().context
        where = (rectification.company == context.get('company'))
        where &= rectification.state.in_(REGISTERED)
        if context.get('from_date'):
            where &= rectification.reported_date >= context['from_date']
        if context.get('to_date'):
            where &= rectification.reported_date <= context['to_date']
        return rectification.select(
            rectification.id, rectification.category, rectification.state,
            rectification.source, rectification.article,
            period(rectification.reported_date).as_('period'),
            where=where)

    @classmethod
    def _aggregate(cls, ledger):
        done = ledger.state.in_(DONE)
        return [
            Min(ledger.id).as_('id'),
            ledger.category.as_('category'),
            Count(ledger.id).as_('entries'),
            Count(ledger.article, distinct=True).as_('articles'),
            Sum(Case((done, 1), else_=0)).as_('rectified'),
            Count(Case((done, ledger.article), else_=Null),
                distinct=True).as_('rectified_articles'),
            Sum(Case((ledger.state == 'verified', 1), else_=0)).as_(
                'verified'),
            Sum(Case((ledger.state == 'open', 1), else_=0)).as_('open'),
            Sum(Case((ledger.source == 'notice', 1), else_=0)).as_(
                'notices'),
            ]


class MonthlyStatistics(
        ContextCompanyMixin, ServerReadonlyMixin, _StatisticsMixin, ModelSQL, ModelView):
    "Rectifications by month and category"
    __name__ = 'content.rectification.monthly'

    month = fields.Date("Month")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('category', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        ledger = cls._ledger(
            lambda column: cls.month.sql_cast(DateTrunc('month', column)))
        return ledger.select(
            ledger.period.as_('month'),
            *cls._aggregate(ledger),
            group_by=[ledger.period, ledger.category])


class YearlyStatistics(
        ContextCompanyMixin, ServerReadonlyMixin, _StatisticsMixin, ModelSQL, ModelView):
    "Rectifications by year and category (the figures of the reports)"
    __name__ = 'content.rectification.yearly'

    year = fields.Integer("Year")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('year', 'DESC'), ('category', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        ledger = cls._ledger(
            lambda column: cls.year.sql_cast(Extract('YEAR', column)))
        return ledger.select(
            ledger.period.as_('year'),
            *cls._aggregate(ledger),
            group_by=[ledger.period, ledger.category])
