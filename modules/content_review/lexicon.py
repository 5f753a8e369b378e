# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The editable lexicons of the checkers and the rules built from them.

The checkers (checks.scan) take a `Rules` value that holds the lexicons,
the leader register and the link lists and builds its Aho-Corasick automaton
once.  Building it for a large lexicon takes a while, so the Rules are kept
in a trytond Cache, `content_review.rules`, keyed on the date (the leader
register depends on it).  Any create, write or delete of a lexicon entry,
a leader or a link domain clears that cache.

Why a trytond Cache rather than a module-level dict: the Cache is per
database, and its clear is transactional and shared.  The transaction that
changes a lexicon gets a private, empty cache at once (so it scans with its
own changes), other transactions keep the old rules until it commits (a
rollback leaves them valid), and at commit the clear is published to every
other process and worker (a row in ir_cache, or a PostgreSQL NOTIFY when
channels are enabled), which drop their copy on their next transaction.  A
module-level dict keyed on a version counter would need that same
machinery to be correct across workers.
"""
import re

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If

from . import checks
from .checks import NORMAL, SERIOUS
from .exceptions import LexiconValidationError
from .model import ServerReadonlyMixin

SEVERITIES = [
    ('serious', "Serious"),
    ('normal', "Normal"),
    ]
# The severities of the checkers and of the records
SEVERITY_OF = {'serious': SERIOUS, 'normal': NORMAL}
SEVERITY_NAME = {SERIOUS: 'serious', NORMAL: 'normal'}

_rules_cache = Cache('content_review.rules', context=False)

_DOMAIN = re.compile(
    r'^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+'
    r'(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$')


class LexiconMixin:
    "Clear the rules of the checkers whenever an entry changes"
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        _rules_cache.clear()


class SensitiveWord(
        ServerReadonlyMixin, LexiconMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "Sensitive word (敏感词)"
    __name__ = 'content.sensitive_word'

    word = fields.Char("Word", required=True, strip=True)
    severity = fields.Selection(SEVERITIES, "Severity", required=True)
    category = fields.Char("Category")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('word_unique', Unique(t, t.word),
                'content_review.msg_sensitive_word_unique'),
            ]
        cls._order = [('word', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_severity(cls):
        return 'serious'

    def get_rec_name(self, name):
        return self.word

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('word',) + tuple(clause[1:])]


class Expression(
        ServerReadonlyMixin, LexiconMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "Wrong expression and its correct form (错误表述)"
    __name__ = 'content.expression'

    wrong = fields.Char("Wrong Expression", required=True, strip=True)
    correct = fields.Char("Correct Form", required=True, strip=True)
    severity = fields.Selection(SEVERITIES, "Severity", required=True)
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('wrong_unique', Unique(t, t.wrong),
                'content_review.msg_expression_unique'),
            ]
        cls._order = [('wrong', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_severity(cls):
        return 'normal'

    def get_rec_name(self, name):
        return f'{self.wrong} → {self.correct}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('wrong', operator, operand, *extra),
            ('correct', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, expressions, field_names):
        super().validate_fields(expressions, field_names)
        for expression in expressions:
            if expression.wrong == expression.correct:
                raise LexiconValidationError(gettext(
                        'content_review.msg_expression_same',
                        expression=expression.wrong))


class Leader(ServerReadonlyMixin, LexiconMixin, ModelSQL, ModelView):
    "Leader in the register (领导名录)"
    __name__ = 'content.leader'

    name = fields.Char("Name", required=True, strip=True)
    title = fields.Char(
        "Title", required=True, strip=True,
        help="The title as it must be written, e.g. 市长 or 市委书记.")
    organisation = fields.Char("Organisation")
    start_date = fields.Date(
        "Start Date", required=True,
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())],
        help="Leave empty while in office.")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('name', 'ASC'), ('start_date', 'DESC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.name}（{self.title}）'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('title', operator, operand, *extra),
            ]


LINK_LISTS = [
    ('blacklist', "Blacklist"),
    ('whitelist', "Whitelist"),
    ]


class LinkDomain(ServerReadonlyMixin, LexiconMixin, ModelSQL, ModelView):
    "Domain on the link blacklist or whitelist"
    __name__ = 'content.link_domain'

    domain = fields.Char(
        "Domain", required=True, strip=True,
        help="A host name such as www.gov.cn; it covers its sub-domains.")
    list = fields.Selection(LINK_LISTS, "List", required=True)
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('domain_unique', Unique(t, t.domain),
                'content_review.msg_link_domain_unique'),
            ]
        cls._order = [('list', 'ASC'), ('domain', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_list(cls):
        return 'whitelist'

    def get_rec_name(self, name):
        return self.domain

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('domain'):
            values['domain'] = values['domain'].strip().lower().rstrip('.')
        return values

    @classmethod
    def validate_fields(cls, domains, field_names):
        super().validate_fields(domains, field_names)
        for domain in domains:
            if not _DOMAIN.match(domain.domain or ''):
                raise LexiconValidationError(gettext(
                        'content_review.msg_link_domain_invalid',
                        domain=domain.domain))


def get_rules():
    """Return the Rules of the checkers built from the lexicons, cached
    until a lexicon changes (and for the day: leaders' terms end)."""
    pool = Pool()
    Date = pool.get('ir.date')
    today = Date.today()
    key = today.isoformat()
    rules = _rules_cache.get(key)
    if rules is None:
        rules = _rules_cache.set(key, build_rules(today))
    return rules


def build_rules(on_date):
    "Build the Rules of the checkers from the lexicons"
    pool = Pool()
    Word = pool.get('content.sensitive_word')
    Expression = pool.get('content.expression')
    LeaderModel = pool.get('content.leader')
    Link = pool.get('content.link_domain')
    words = Word.search([], order=[('id', 'ASC')])
    expressions = Expression.search([], order=[('id', 'ASC')])
    leaders = LeaderModel.search([], order=[('id', 'ASC')])
    links = Link.search([], order=[('id', 'ASC')])
    return checks.Rules(
        sensitive_words=[
            (w.word, SEVERITY_OF[w.severity]) for w in words],
        expressions=[
            (e.wrong, e.correct, SEVERITY_OF[e.severity])
            for e in expressions],
        leaders=[
            checks.Leader(l.name, l.title, l.start_date, l.end_date)
            for l in leaders],
        link_blacklist=[l.domain for l in links if l.list == 'blacklist'],
        link_whitelist=[l.domain for l in links if l.list == 'whitelist'],
        on_date=on_date)
