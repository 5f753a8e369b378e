# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import checks, clock
from .exceptions import (
    ArticleDeleteError, ArticleModificationError, ArticleValidationError,
    ReviewError, WorkflowError)
from .lexicon import get_rules
from .markup_rules import highlight, plain_text
from .model import ServerReadonlyMixin
from .workflow import strict_transition

STATES = [
    ('draft', "Draft"),
    ('submitted', "Awaiting First Review"),
    ('first_reviewed', "Awaiting Second Review"),
    ('second_reviewed', "Awaiting Final Review"),
    ('approved', "Approved"),
    ('published', "Published"),
    ('withdrawn', "Withdrawn"),
    ]
# Articles in one of the three reviews (三审) or approved, not yet published
REVIEW_STATES = ['submitted', 'first_reviewed', 'second_reviewed', 'approved']
# The review step done at each state, the state it leads to and the group
# whose members do it.
STEPS = {
    'submitted': ('first', 'first_reviewed', 'group_reviewer_first'),
    'first_reviewed': ('second', 'second_reviewed', 'group_reviewer_second'),
    'second_reviewed': ('final', 'approved', 'group_reviewer_final'),
    }
# Editing one of these sends an article under review back to draft
CONTENT_FIELDS = {'title', 'body', 'channels', 'source', 'attachments'}
_RESET_REVIEW = {
    'first_reviewer': None, 'first_reviewed_at': None,
    'second_reviewer': None, 'second_reviewed_at': None,
    'final_reviewer': None, 'final_reviewed_at': None,
    }

_editable = {'readonly': ~Eval('state').in_(['draft'] + REVIEW_STATES)}


# A long report in HTML stays far below this
BODY_SIZE = 1000000

class Article(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Article for the website or new media (稿件)"
    __name__ = 'content.article'
    _history = True
    _rec_name = 'title'

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    title = fields.Char("Title", required=True, states=_editable)
    body = fields.Text(
        "Body", size=BODY_SIZE, states=_editable,
        help="Plain text or HTML.  Editing an article under review sends "
        "it back to draft.")
    body_marked = fields.Function(
        fields.Text(
            "Checked Body",
            help="The body with the findings of the checks highlighted."),
        'get_body_marked')
    source = fields.Char(
        "Source", states=_editable,
        help="Where the article comes from, e.g. a department or a news "
        "agency.")
    channels = fields.Many2Many(
        'content.article-content.channel', 'article', 'channel',
        "Columns and Accounts", states=_editable,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'active'),
            ])
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Attachments", states=_editable)
    author = fields.Many2One(
        'res.user', "Author", required=True, readonly=True,
        ondelete='RESTRICT')
    submitted_at = fields.Timestamp("Submitted At", readonly=True)
    checked_at = fields.Timestamp("Checked At", readonly=True)
    findings = fields.One2Many(
        'content.finding', 'article', "Findings",
        order=[('field', 'DESC'), ('start', 'ASC'), ('id', 'ASC')])
    open_serious = fields.Function(
        fields.Integer(
            "Open Serious Findings",
            help="They block the approval until fixed or judged false "
            "positives."),
        'get_open_findings')
    open_normal = fields.Function(
        fields.Integer(
            "Open Normal Findings",
            help="They block the approval until fixed or acknowledged."),
        'get_open_findings')

    first_reviewer = fields.Many2One(
        'res.user', "First Reviewer", readonly=True, ondelete='RESTRICT')
    first_reviewed_at = fields.Timestamp("First Reviewed At", readonly=True)
    second_reviewer = fields.Many2One(
        'res.user', "Second Reviewer", readonly=True, ondelete='RESTRICT')
    second_reviewed_at = fields.Timestamp(
        "Second Reviewed At", readonly=True)
    final_reviewer = fields.Many2One(
        'res.user', "Final Reviewer", readonly=True, ondelete='RESTRICT')
    final_reviewed_at = fields.Timestamp("Final Reviewed At", readonly=True)
    rejection_reason = fields.Text(
        "Rejection Reason",
        states={
            'readonly': ~Eval('state').in_(list(STEPS)),
            },
        help="Returned to the author with the article.")
    rejected_by = fields.Many2One(
        'res.user', "Rejected By", readonly=True, ondelete='RESTRICT')
    rejected_at = fields.Timestamp("Rejected At", readonly=True)

    url = fields.Char(
        "Published URL",
        states={
            'readonly': ~Eval('state').in_(['approved', 'published']),
            'required': Eval('state') == 'published',
            })
    published_at = fields.Timestamp("Published At", readonly=True)
    published_by = fields.Many2One(
        'res.user', "Published By", readonly=True, ondelete='RESTRICT')
    withdrawal_reason = fields.Text(
        "Withdrawal Reason",
        states={
            'readonly': Eval('state') != 'published',
            'invisible': ~Eval('state').in_(['published', 'withdrawn']),
            })
    withdrawn_at = fields.Timestamp("Withdrawn At", readonly=True)
    reviews = fields.One2Many(
        'content.article.review', 'article', "Review Log", readonly=True)
    rectifications = fields.One2Many(
        'content.rectification', 'article', "Rectifications",
        readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    may_review = fields.Function(
        fields.Boolean(
            "To Review by Me",
            help="The article is at the review step of the user, who is "
            "neither its author nor the reviewer of an earlier step."),
        'get_may_review', searcher='search_may_review')
    next_step = fields.Function(
        fields.Char("Next Step"), 'get_next_step')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.published_at, Index.Range())),
                Index(t, (t.author, Index.Equality())),
                })
        cls._order = [
            ('submitted_at', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'first_reviewed'),
            ('first_reviewed', 'second_reviewed'),
            ('second_reviewed', 'approved'),
            ('submitted', 'draft'),
            ('first_reviewed', 'draft'),
            ('second_reviewed', 'draft'),
            ('approved', 'published'),
            ('published', 'withdrawn'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'check': {
                    'invisible': Eval('state') == 'withdrawn',
                    'icon': 'tryton-search',
                    'depends': ['state'],
                    },
                'first_review': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state', 'may_review'],
                    },
                'second_review': {
                    'invisible': Eval('state') != 'first_reviewed',
                    'icon': 'tryton-ok',
                    'depends': ['state', 'may_review'],
                    },
                'final_review': {
                    'invisible': Eval('state') != 'second_reviewed',
                    'icon': 'tryton-ok',
                    'depends': ['state', 'may_review'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(list(STEPS)),
                    'icon': 'tryton-cancel',
                    'depends': ['state', 'may_review'],
                    },
                'publish': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-public',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': Eval('state') != 'published',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'rectify': {
                    'invisible': ~Eval('state').in_(
                        ['published', 'withdrawn']),
                    'icon': 'tryton-create',
                    'depends': ['state'],
                    },
                })
        cls._buttons_shown_if = {
            name: 'may_review' for name in [
                'first_review', 'second_review', 'final_review', 'reject']}

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_author(cls):
        return Transaction().user

    def get_open_findings(self, name):
        severity = {'open_serious': 'serious', 'open_normal': 'normal'}[name]
        return sum(1 for f in self.findings
            if f.state == 'open' and f.severity == severity)

    @classmethod
    def get_may_review(cls, articles, name):
        may_review = {}
        for article in articles:
            may_review[article.id] = False
            if article.state in STEPS:
                try:
                    article.check_reviewer()
                except ReviewError:
                    continue
                may_review[article.id] = True
        return may_review

    @classmethod
    def search_may_review(cls, name, clause):
        "The articles at the user's review steps, not authored by the user"
        _, operator, value = clause[:3]
        user_id = Transaction().user
        states = [state for state, (_, _, group) in STEPS.items()
            if cls._user_in_group(group)]
        domain = [('state', 'in', states), ('author', '!=', user_id)]
        for state, (step, _, _) in STEPS.items():
            for earlier in ['first', 'second']:
                if earlier == step:
                    break
                domain.append(['OR',
                        ('state', '!=', state),
                        (f'{earlier}_reviewer', '!=', user_id),
                        (f'{earlier}_reviewer', '=', None),
                        ])
        if (operator == '=') != bool(value):
            return [('id', 'not in', cls.search(domain, query=True))]
        return domain

    def get_next_step(self, name):
        "What happens next to the article, as the user reads it"
        if self.state == 'draft' and self.rejected_by:
            return gettext('content_review.msg_article_next_rejected',
                user=self.rejected_by.rec_name)
        return gettext(f'content_review.msg_article_next_{self.state}')

    def get_body_marked(self, name):
        text = plain_text(self.body)
        marks = [
            (f.start, f.end, f.number, f.severity, f.state != 'open')
            for f in self.findings
            if f.field == 'body' and f.state != 'fixed'
            and text[f.start:f.end] == f.text]
        return highlight(self.body, marks)

    @classmethod
    def copy(cls, articles, default=None):
        default = default.copy() if default is not None else {}
        for name in ['submitted_at', 'checked_at', 'findings',
                'first_reviewer', 'first_reviewed_at', 'second_reviewer',
                'second_reviewed_at', 'final_reviewer', 'final_reviewed_at',
                'rejection_reason', 'rejected_by', 'rejected_at', 'url',
                'published_at', 'published_by', 'withdrawal_reason',
                'withdrawn_at', 'reviews', 'rectifications', 'attachments']:
            default.setdefault(name, None)
        default.setdefault('author', Transaction().user)
        return super().copy(articles, default=default)

    @classmethod
    def validate_fields(cls, articles, field_names):
        super().validate_fields(articles, field_names)
        if field_names is None or {'channels', 'author'} & field_names:
            for article in articles:
                article.check_author_channels()

    def check_author_channels(self):
        "The author writes only for the channels they are an editor of"
        foreign = [c for c in self.channels if self.author not in c.editors]
        if foreign:
            raise ArticleValidationError(gettext(
                    'content_review.msg_article_channel_editor',
                    author=self.author.rec_name,
                    channels='、'.join(c.rec_name for c in foreign)))

    @classmethod
    def check_modification(cls, mode, articles, values=None, external=False):
        super().check_modification(
            mode, articles, values=values, external=external)
        if mode == 'write' and CONTENT_FIELDS & set(values):
            for article in articles:
                if article.state in {'published', 'withdrawn'}:
                    raise ArticleModificationError(gettext(
                            'content_review.msg_article_edit_published',
                            article=article.rec_name))
        elif mode == 'delete':
            for article in articles:
                if article.state != 'draft' or article.submitted_at:
                    raise ArticleDeleteError(gettext(
                            'content_review.msg_article_delete',
                            article=article.rec_name))

    @classmethod
    def write(cls, *args):
        """Editing an article under review sends it back to draft: the
        reviews done are cleared and must be done again."""
        actions = iter(args)
        new_args = []
        returned = []
        for articles, values in zip(actions, actions):
            under_review = []
            if CONTENT_FIELDS & set(values):
                under_review = [
                    a for a in articles if a.state in REVIEW_STATES]
            others = [a for a in articles if a not in under_review]
            if under_review:
                new_args.extend([under_review, {
                            **values, **_RESET_REVIEW, 'state': 'draft'}])
                returned.extend(under_review)
            if others:
                new_args.extend([others, values])
        if new_args:
            super().write(*new_args)
        if returned:
            cls.log_review(returned, 'edit')

    @classmethod
    def delete(cls, articles):
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        attachments = [a for article in articles
            for a in article.attachments]
        super().delete(articles)
        if attachments:
            Attachment.delete(attachments)

    # -- review log --------------------------------------------------------

    @classmethod
    def log_review(cls, articles, action, comment=None):
        pool = Pool()
        Review = pool.get('content.article.review')
        now = clock.utcnow()
        user = Transaction().user
        Review.create([{
                    'article': a.id,
                    'action': action,
                    'user': user,
                    'date': now,
                    'comment': comment,
                    } for a in articles])

    # -- automated checks --------------------------------------------------

    @classmethod
    @ModelView.button
    def check(cls, articles):
        "Scan the articles again and update their findings"
        cls.scan(articles)

    @classmethod
    def scan(cls, articles):
        """Scan title and body of the articles with the checkers.

        A finding found again keeps its decision and gets its new position;
        a fixed one that comes back is open again; an earlier finding not
        found any more is fixed."""
        pool = Pool()
        Finding = pool.get('content.finding')
        rules = get_rules()
        now = clock.utcnow()
        to_create, to_write = [], []
        for article in articles:
            known = defaultdict(list)
            for finding in article.findings:
                known[(finding.field, finding.kind, finding.text)].append(
                    finding)
            number = max((f.number or 0 for f in article.findings),
                default=0)
            for field in ['title', 'body']:
                text = plain_text(getattr(article, field))
                for found in checks.scan(text, rules):
                    values = {
                        'start': found.start,
                        'end': found.end,
                        'severity': found.severity,
                        'suggestion': found.suggestion,
                        }
                    candidates = known.get((field, found.kind, found.text))
                    if candidates:
                        candidates.sort(
                            key=lambda f: abs(f.start - found.start))
                        finding = candidates.pop(0)
                        if finding.state == 'fixed':
                            values.update({
                                    'state': 'open',
                                    'fixed_at': None,
                                    })
                        values = {k: v for k, v in values.items()
                            if getattr(finding, k) != v}
                        if values:
                            to_write.extend([[finding], values])
                    else:
                        number += 1
                        to_create.append({
                                'article': article.id,
                                'number': number,
                                'field': field,
                                'kind': found.kind,
                                'text': found.text,
                                'state': 'open',
                                **values,
                                })
            gone = [f for findings in known.values() for f in findings
                if f.state != 'fixed']
            if gone:
                to_write.extend([gone, {'state': 'fixed', 'fixed_at': now}])
        if to_write:
            Finding.write(*to_write)
        if to_create:
            Finding.create(to_create)
        super().write(list(articles), {'checked_at': now})

    # -- workflow ----------------------------------------------------------

    @classmethod
    @ModelView.button
    @strict_transition('submitted')
    def submit(cls, articles):
        for article in articles:
            article.check_submittable()
        cls.scan(articles)
        super().write(list(articles), {
                'submitted_at': clock.utcnow(),
                'rejection_reason': None,
                **_RESET_REVIEW,
                })
        cls.log_review(articles, 'submit')

    def check_submittable(self):
        if not self.channels:
            raise ArticleValidationError(gettext(
                    'content_review.msg_article_no_channel',
                    article=self.rec_name))
        if not (self.body or '').strip():
            raise ArticleValidationError(gettext(
                    'content_review.msg_article_empty_body',
                    article=self.rec_name))
        inactive = [c for c in self.channels if c.state != 'active']
        if inactive:
            raise ArticleValidationError(gettext(
                    'content_review.msg_article_channel_inactive',
                    article=self.rec_name,
                    channels='、'.join(c.rec_name for c in inactive)))

    @classmethod
    def _user_in_group(cls, fs_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        return ModelData.get_id('content_review', fs_id) in User.get_groups()

    def check_reviewer(self):
        """Check that the user may do the review step of the article: a
        member of the step's group, neither the author nor a reviewer of
        an earlier step."""
        pool = Pool()
        User = pool.get('res.user')
        user_id = Transaction().user
        step, _, group = STEPS[self.state]
        step_name = self._step_name(step)
        if user_id and not self._user_in_group(group):
            raise ReviewError(gettext(
                    'content_review.msg_article_review_group',
                    article=self.rec_name, step=step_name))
        if self.author.id == user_id:
            raise ReviewError(gettext(
                    'content_review.msg_article_review_own',
                    article=self.rec_name, step=step_name))
        for earlier in ['first', 'second', 'final']:
            if earlier == step:
                break
            reviewer = getattr(self, f'{earlier}_reviewer')
            if reviewer and reviewer.id == user_id:
                raise ReviewError(gettext(
                        'content_review.msg_article_review_twice',
                        article=self.rec_name, step=step_name,
                        user=User(user_id).rec_name,
                        earlier=self._step_name(earlier)))

    def check_findings(self):
        "Open serious findings block the approval, open normal ones too"
        open_ = [f for f in self.findings if f.state == 'open']
        serious = [f for f in open_ if f.severity == 'serious']
        if serious:
            raise ReviewError(gettext(
                    'content_review.msg_article_open_serious',
                    article=self.rec_name, count=len(serious),
                    findings='；'.join(f.rec_name for f in serious[:5])))
        if open_:
            raise ReviewError(gettext(
                    'content_review.msg_article_open_normal',
                    article=self.rec_name, count=len(open_),
                    findings='；'.join(f.rec_name for f in open_[:5])))

    @classmethod
    def _step_name(cls, step):
        pool = Pool()
        Review = pool.get('content.article.review')
        return dict(Review.fields_get(
                ['action'])['action']['selection'])[step]

    @classmethod
    def _review(cls, articles, step):
        now = clock.utcnow()
        for article in articles:
            article.check_reviewer()
            article.check_findings()
        super().write(list(articles), {
                f'{step}_reviewer': Transaction().user,
                f'{step}_reviewed_at': now,
                })
        cls.log_review(articles, step)

    @classmethod
    @ModelView.button
    @strict_transition('first_reviewed')
    def first_review(cls, articles):
        "初审: passed by a reviewer who is not the author"
        cls._review(articles, 'first')

    @classmethod
    @ModelView.button
    @strict_transition('second_reviewed')
    def second_review(cls, articles):
        "复审: passed by a second, different reviewer"
        cls._review(articles, 'second')

    @classmethod
    @ModelView.button
    @strict_transition('approved')
    def final_review(cls, articles):
        "终审: passed by a third, different reviewer; the article is approved"
        cls._review(articles, 'final')

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def reject(cls, articles):
        "Return the articles to their authors with the reason"
        pool = Pool()
        User = pool.get('res.user')
        user_id = Transaction().user
        for article in articles:
            if not (article.rejection_reason or '').strip():
                raise ReviewError(gettext(
                        'content_review.msg_article_rejection_reason',
                        article=article.rec_name))
            _, _, group = STEPS[article.state]
            if user_id and not cls._user_in_group(group):
                raise ReviewError(gettext(
                        'content_review.msg_article_review_group',
                        article=article.rec_name,
                        step=cls._step_name(STEPS[article.state][0])))
            if article.author.id == user_id:
                raise ReviewError(gettext(
                        'content_review.msg_article_reject_own',
                        article=article.rec_name))
        now = clock.utcnow()
        for article in articles:
            cls.log_review(
                [article], 'reject', comment=article.rejection_reason)
        super().write(list(articles), {
                'rejected_by': user_id,
                'rejected_at': now,
                **_RESET_REVIEW,
                })
        for article in articles:
            language = (article.author.language.code
                if article.author.language else None)
            with Transaction().set_context(language=language):
                label = gettext(
                    'content_review.msg_article_rejected_notification',
                    article=article.rec_name,
                    user=User(user_id).rec_name if user_id else '')
            article.notify_user(
                'tryton-cancel', label, article.rejection_reason,
                user=article.author.id)

    @classmethod
    @ModelView.button
    @strict_transition('published')
    def publish(cls, articles):
        for article in articles:
            if not (article.url or '').strip():
                raise WorkflowError(gettext(
                        'content_review.msg_article_publish_url',
                        article=article.rec_name))
            article.check_findings()
        super().write(list(articles), {
                'published_at': clock.utcnow(),
                'published_by': Transaction().user,
                })
        cls.log_review(articles, 'publish')

    @classmethod
    @ModelView.button
    @strict_transition('withdrawn')
    def withdraw(cls, articles):
        for article in articles:
            if not (article.withdrawal_reason or '').strip():
                raise WorkflowError(gettext(
                        'content_review.msg_article_withdrawal_reason',
                        article=article.rec_name))
        super().write(list(articles), {'withdrawn_at': clock.utcnow()})
        for article in articles:
            cls.log_review(
                [article], 'withdraw', comment=article.withdrawal_reason)

    @classmethod
    @ModelView.button
    def rectify(cls, articles):
        """Enter the open findings of published articles in the
        rectification ledger (self-check of published content)."""
        pool = Pool()
        Rectification = pool.get('content.rectification')
        Finding = pool.get('content.finding')
        findings = [f for a in articles for f in a.findings
            if f.state == 'open' and not f.rectification]
        if not findings:
            raise WorkflowError(gettext(
                    'content_review.msg_article_rectify_nothing',
                    articles='、'.join(a.rec_name for a in articles)))
        rectifications = Rectification.create([
                Rectification.values_from_finding(f) for f in findings])
        Finding.write(*[x for f, r in zip(findings, rectifications)
                for x in ([f], {'rectification': r.id})])
        Rectification.register(rectifications)


class ArticleChannel(ModelSQL):
    __name__ = 'content.article-content.channel'

    article = fields.Many2One(
        'content.article', "Article", required=True, ondelete='CASCADE')
    channel = fields.Many2One(
        'content.channel', "Channel", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.channel, Index.Equality()),
                (t.article, Index.Equality())))
