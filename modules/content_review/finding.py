# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import clock
from .exceptions import FindingError
from .lexicon import SEVERITIES
from .markup_rules import excerpt, plain_text
from .model import ServerReadonlyMixin
from .workflow import strict_transition

KINDS = [
    ('id_number', "Resident ID Number"),
    ('mobile', "Mobile Number"),
    ('bank_card', "Bank Card Number"),
    ('sensitive_word', "Sensitive Word"),
    ('expression', "Wrong Expression"),
    ('leader_title', "Wrong Leader Title"),
    ('leader_name', "Leader Name Near-Miss"),
    ('link_malformed', "Malformed Link"),
    ('link_blacklisted', "Blacklisted Link"),
    ('link_external', "External Link"),
    ]
FIELDS = [
    ('title', "Title"),
    ('body', "Body"),
    ]
STATES = [
    ('open', "Open"),
    ('fixed', "Fixed"),
    ('accepted', "Accepted"),
    ('false_positive', "False Positive"),
    ]


def rectification_category(kind, severity):
    "Return the category of the rectification ledger for a finding"
    if kind in {'id_number', 'mobile', 'bank_card'}:
        return 'privacy'
    if kind.startswith('link_'):
        return 'link'
    if kind == 'expression' and severity != 'serious':
        # the common misspellings of the default list are 一般
        return 'typo'
    return 'expression'


class Finding(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Finding of the automated checks on an article (机检问题)"
    __name__ = 'content.finding'

    article = fields.Many2One(
        'content.article', "Article", required=True, ondelete='CASCADE',
        readonly=True)
    number = fields.Integer("Number", readonly=True)
    field = fields.Selection(FIELDS, "Field", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    start = fields.Integer("Start", required=True, readonly=True)
    end = fields.Integer("End", required=True, readonly=True)
    text = fields.Char("Matched Text", required=True, readonly=True)
    suggestion = fields.Char("Suggestion", readonly=True)
    severity = fields.Selection(
        SEVERITIES, "Severity", required=True, readonly=True)
    excerpt = fields.Function(fields.Char("Context"), 'get_excerpt')
    reason = fields.Text(
        "Reason",
        states={
            'readonly': Eval('state') != 'open',
            },
        help="Why the finding is accepted as it stands or is a false "
        "positive.")
    decided_by = fields.Many2One(
        'res.user', "Decided By", readonly=True, ondelete='RESTRICT')
    decided_at = fields.Timestamp("Decided At", readonly=True)
    fixed_at = fields.Timestamp("Fixed At", readonly=True)
    rectification = fields.Many2One(
        'content.rectification', "Rectification", readonly=True,
        ondelete='SET NULL')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.kind, Index.Equality(cardinality='low'))),
                })
        cls._order = [('article', 'DESC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'accepted'),
            ('open', 'false_positive'),
            ('accepted', 'open'),
            ('false_positive', 'open'),
            }
        cls._buttons.update({
                'accept': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'mark_false_positive': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-clear',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(
                        ['accepted', 'false_positive']),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    def get_rec_name(self, name):
        kind = dict(self.fields_get(['kind'])['kind']['selection'])
        return f'[{self.number}] {kind[self.kind]}「{self.text}」'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('text',) + tuple(clause[1:])]

    def get_excerpt(self, name):
        text = plain_text(getattr(self.article, self.field))
        if text[self.start:self.end] != self.text:
            return self.text
        return excerpt(text, self.start, self.end)

    @classmethod
    def _check_decider(cls, findings):
        user_id = Transaction().user
        for finding in findings:
            if finding.article.author.id == user_id:
                raise FindingError(gettext(
                        'content_review.msg_finding_decide_own',
                        finding=finding.rec_name,
                        article=finding.article.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('accepted')
    def accept(cls, findings):
        "Acknowledge a normal finding: it stays as written, with a reason"
        cls._check_decider(findings)
        for finding in findings:
            if finding.severity == 'serious':
                raise FindingError(gettext(
                        'content_review.msg_finding_accept_serious',
                        finding=finding.rec_name))
            if not (finding.reason or '').strip():
                raise FindingError(gettext(
                        'content_review.msg_finding_reason',
                        finding=finding.rec_name))
        cls._decide(findings)

    @classmethod
    @ModelView.button
    @strict_transition('false_positive')
    def mark_false_positive(cls, findings):
        cls._check_decider(findings)
        cls._decide(findings)

    @classmethod
    def _decide(cls, findings):
        cls.write(list(findings), {
                'decided_by': Transaction().user,
                'decided_at': clock.utcnow(),
                })

    @classmethod
    @ModelView.button
    @strict_transition('open')
    def reopen(cls, findings):
        cls.write(list(findings), {
                'decided_by': None,
                'decided_at': None,
                })

    def get_rectification_category(self):
        return rectification_category(self.kind, self.severity)

