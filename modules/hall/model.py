# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import copy
import datetime as dt
from decimal import Decimal
from functools import wraps

from lxml import etree

from trytond.i18n import gettext, lazy_gettext
from trytond.model import ModelSingleton, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import _record_eval_pyson
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, PYSONDecoder, PYSONEncoder
from trytond.tools import is_instance_method
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)
from trytond.wizard import StateView

from .exceptions import ArgumentError, ReadonlyFieldError, ValueFieldError
from .table_query import TableQueryOnceMixin

__all__ = ['CodeSearchMixin', 'ServerReadonlyMixin', 'CheckedWizardMixin',
    'NextStepMixin', 'check_records']

TIMESTAMP_FORMAT = PYSONEncoder().encode('%H:%M:%S')
# The module of the messages (content_review has its twin of this mechanism)
MESSAGES = 'hall'


class CodeSearchMixin:
    "Search the record name on several fields (code or name)."
    __slots__ = ()
    _rec_name_search_fields = ('code', 'name')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op] + [
            (field, operator, operand, *extra)
            for field in cls._rec_name_search_fields]


# The length of what a user types where the field sets none: a name, a
# street, a title; a note or a reason
CHAR_SIZE = 255
TEXT_SIZE = 20000


class ContextCompanyMixin(TableQueryOnceMixin):
    """The records of a model computed for the company of the context (the
    statistics and indicators): the server refuses a company the user does
    not belong to, whatever context the request carries; the figures are
    computed once a read-only request"""
    __slots__ = ()

    @classmethod
    def check_context_company(cls):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        company = transaction.context.get('company')
        if (transaction.user and transaction.check_access
                and company is not None
                and company not in User.get_companies()):
            raise AccessError(gettext(f'{MESSAGES}.msg_context_company',
                    **cls.__names__()))

    @classmethod
    def search(cls, domain, *args, **kwargs):
        cls.check_context_company()
        return super().search(domain, *args, **kwargs)

    @classmethod
    def read(cls, ids, fields_names):
        cls.check_context_company()
        return super().read(ids, fields_names)


class ServerReadonlyMixin:
    """Hold on the server what the client shows as readonly.

    A request of a user (JSON-RPC create, write, copy, import_data) may not
    set the workflow state, the fields the transitions own (readonly fields
    and those named in `_transition_fields`) nor a field readonly in the
    record's state: only the model's own code (transitions, wizards) sets
    them.  A value equal to the stored one (or to the default, on create)
    is accepted, as clients send unchanged values back.  Buttons take the
    records and nothing else, and only on records the user may write.
    A text a user types has a length (CHAR_SIZE, TEXT_SIZE where the field
    sets none), checked by the ORM.

    Code running in the server (transitions, wizards, cron, proteus scripts
    linked to trytond) is not a request and is not checked: the checks wrap
    the RPC entry points."""
    __slots__ = ()
    _transition_fields = frozenset()
    # button: Boolean field telling whether the user may press it on the
    # record; the views hide it otherwise, while the server answers a press
    # with the button's own refusal, which says why
    _buttons_shown_if = {}

    @classmethod
    def __post_setup__(cls):
        super().__post_setup__()
        for field in cls._fields.values():
            if (isinstance(field, fields.Char)
                    and not isinstance(field, fields.Function)
                    and not field.readonly and field.size is None):
                field.size = (
                    TEXT_SIZE if isinstance(field, fields.Text)
                    else CHAR_SIZE)
        guards = {
            'create': _guard_create,
            'write': _guard_write,
            'copy': _guard_copy,
            'import_data': _guard_import,
            'read': _guard_read,
            'search': _guard_search,
            'search_count': _guard_search,
            'search_read': _guard_search,
            'delete': _guard_delete,
            }
        if callable(getattr(cls, 'table_query', None)):
            # Figures computed by the database are read, never stored
            for name in ['create', 'write', 'delete', 'copy', 'import_data']:
                guards[name] = _guard_figures
        for name in cls._buttons:
            if not is_instance_method(cls, name):
                guards[name] = _guard_button
        for name, guard in guards.items():
            if name not in cls.__rpc__:
                continue
            rpc = copy.copy(cls.__rpc__[name])
            rpc.decorator = _chain(rpc.decorator, guard)
            cls.__rpc__[name] = rpc

    @classmethod
    def fields_get(cls, fields_names=None, level=0):
        definitions = super().fields_get(fields_names, level=level)
        for definition in definitions.values():
            if definition.get('type') == 'timestamp':
                # users read times to the second, not the microsecond
                definition['format'] = TIMESTAMP_FORMAT
        return definitions

    @classmethod
    def parse_view(cls, tree, type, *args, **kwargs):
        arch, fields_ = super().parse_view(tree, type, *args, **kwargs)
        return _hide_buttons(arch, cls._buttons_shown_if), fields_

    @classmethod
    def _owned_fields(cls):
        "The fields only the model's code sets"
        owned = set(cls._transition_fields)
        if issubclass(cls, Workflow):
            owned.add(cls._transition_state)
        for name, field in cls._fields.items():
            if field.readonly and _settable(field):
                owned.add(name)
        return owned

    @classmethod
    def _refuse_create(cls, vlist):
        owned = cls._owned_fields()
        if not isinstance(vlist, (list, tuple)):
            cls._raise_invalid(None)
        defaults = cls.default_get(
            list(cls._fields.keys()), with_rec_name=False)
        for values in vlist:
            cls._refuse_invalid(values)
            for name, value in values.items():
                field = cls._fields.get(name)
                if field is None or not _settable(field):
                    continue
                if name in owned and not _unchanged(
                        field, defaults.get(name), value):
                    cls._raise_owned(name)
            record = _draft(cls, {**defaults, **values})
            for name, value in values.items():
                field = cls._fields.get(name)
                if field is None or not _settable(field):
                    continue
                if (record is not None and _readonly(record, field)
                        and not _unchanged(field, defaults.get(name), value)):
                    cls._raise_owned(name)
                _refuse_children(field, value)

    @classmethod
    def _refuse_write(cls, records, values):
        owned = cls._owned_fields()
        cls._refuse_invalid(values)
        for record in records:
            # The states are those the client shows once the values are
            # typed, as sao evaluates them
            after = None
            for name, value in values.items():
                field = cls._fields.get(name)
                if field is None or not _settable(field):
                    continue
                if _unchanged(field, getattr(record, name, None), value):
                    continue
                if name in owned:
                    cls._raise_owned(name)
                if after is None:
                    after = _draft(cls, values, record.id) or record
                if _readonly(after, field):
                    cls._raise_readonly(record, name)
        for name, value in values.items():
            field = cls._fields.get(name)
            if field is not None:
                _refuse_children(field, value)

    @classmethod
    def _refuse_invalid(cls, values):
        "Refuse values of the wrong kind, as the ORM would fail on them"
        if not isinstance(values, dict):
            cls._raise_invalid(None)
        for name, value in values.items():
            field = cls._fields.get(name)
            if field is None or value is None:
                continue
            if not _valid_value(field, value):
                cls._raise_invalid(name)
            if isinstance(field, fields.Many2One):
                ids = {value}
            elif isinstance(field, (fields.One2Many, fields.Many2Many)):
                # the records a client adds exist
                ids = {i for kind, *rest in value if kind == 'add'
                    for i in rest[0]}
            else:
                continue
            _refuse_absent_targets(cls, name, ids)

    @classmethod
    def _raise_invalid(cls, name):
        if not name:
            # not a list of records' values, nor a record's values
            raise ValueFieldError(gettext(
                    f'{MESSAGES}.msg_values_invalid', **cls.__names__()))
        raise ValueFieldError(gettext(
                f'{MESSAGES}.msg_field_value_invalid',
                **cls.__names__(field=name)))

    @classmethod
    def _raise_owned(cls, name):
        raise ReadonlyFieldError(gettext(f'{MESSAGES}.msg_field_owned',
                **cls.__names__(field=name)))

    @classmethod
    def _raise_readonly(cls, record, name):
        raise ReadonlyFieldError(gettext(
                f'{MESSAGES}.msg_field_readonly_state',
                **cls.__names__(field=name, record=record)))


class NextStepMixin:
    """Tell the user, on the form, what happens next to the record: the
    message `<_next_step_messages>_<state>` with the values of
    `_next_step_values`, shown after each transition."""
    __slots__ = ()
    _next_step_messages = None      # e.g. 'hall.msg_application_next'
    next_step = fields.Function(
        fields.Char(lazy_gettext('hall.msg_next_step')), 'get_next_step')

    def get_next_step(self, name):
        if not self.state:
            return None
        return gettext(f'{self._next_step_messages}_{self.state}',
            **self._next_step_values())

    def _next_step_values(self):
        return {}


class TodayMixin:
    """今日: whether the record's date (the field `_today_field`) is today
    in the time zone of the company.  Domains of actions search it instead
    of comparing with PYSON's Date(), which the web client takes from the
    UTC clock: before 08:00 in Beijing that is yesterday."""
    __slots__ = ()
    _today_field = 'date'
    today = fields.Function(
        fields.Boolean(lazy_gettext('hall.msg_today')),
        'get_today', searcher='search_today')

    def get_today(self, name):
        Date = Pool().get('ir.date')
        return getattr(self, self._today_field) == Date.today()

    @classmethod
    def search_today(cls, name, clause):
        Date = Pool().get('ir.date')
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            return [('id', '=', None)]
        wanted = (operator == '=') == bool(value)
        return [(cls._today_field, '=' if wanted else '!=', Date.today())]


class CheckedWizardMixin:
    """A wizard that checks the values a request sends for its forms as
    ServerReadonlyMixin checks a record's (forms inheriting it):
    a value of the wrong kind or naming no record is refused in the user's
    language before the wizard runs.  The lists of a form (x2many fields)
    come from the client as records, not as a record's actions: they are
    left to the wizard."""
    __slots__ = ()

    @classmethod
    def execute(cls, session_id, data, state_name):
        pool = Pool()
        if isinstance(data, dict):
            for name, values in data.items():
                state = cls.states.get(name)
                if not isinstance(state, StateView):
                    continue
                Form = pool.get(state.model_name)
                if not issubclass(Form, ServerReadonlyMixin):
                    continue
                if isinstance(values, dict):
                    values = {k: v for k, v in values.items()
                        if k != 'id' and not isinstance(
                            Form._fields.get(k),
                            (fields.One2Many, fields.Many2Many))}
                with without_check_access():
                    Form._refuse_invalid(values)
        return super().execute(session_id, data, state_name)


def check_records(view, names):
    """Refuse the records chosen in the fields `names` of the form `view` of
    a wizard that do not exist: the lists, which CheckedWizardMixin leaves
    to the wizard"""
    for name in names:
        value = getattr(view, name, None)
        if value is None:
            continue
        ids = {getattr(r, 'id', r) for r in (
                    value if isinstance(value, (list, tuple)) else [value])}
        if not all(map(_valid_id, ids)):
            raise ValueFieldError(gettext(
                    f'{MESSAGES}.msg_field_value_invalid',
                    **view.__names__(field=name)))
        _refuse_absent_targets(view, name, ids)


def _hide_buttons(arch, shown_if):
    """Hide the buttons the user may not press: those trytond marks
    readonly (not in the button's groups, or no write access), which sao
    shows greyed, where a click does nothing and tells nothing, and those
    whose `shown_if` field is false on the record."""
    view = etree.fromstring(arch)
    changed = False
    for button in view.iter('button'):
        states = PYSONDecoder(noeval=True).decode(
            button.get('states') or '{}')
        if states.get('readonly') is True:
            states['invisible'] = True
        elif button.get('name') in shown_if:
            states['invisible'] = (
                Bool(states.get('invisible', False))
                | ~Eval(shown_if[button.get('name')], False))
        else:
            continue
        button.set('states', PYSONEncoder().encode(states))
        changed = True
    if not changed:
        return arch
    return etree.tostring(view, encoding='utf-8').decode('utf-8')


def _settable(field):
    "Whether writing the field changes something"
    if isinstance(field, fields.Function):
        return bool(field.setter)
    return True


# The largest id a database holds (PostgreSQL's integer of 8 bytes)
MAX_ID = 2 ** 63 - 1
X2MANY_ACTIONS = {'create', 'write', 'delete', 'add', 'remove', 'copy'}


def _valid_id(value):
    return (isinstance(value, int) and not isinstance(value, bool)
        and 0 < value <= MAX_ID)


def _valid_value(field, value):
    "Whether value has the kind the field stores"
    if isinstance(field, fields.Function):
        field = field._field
    if isinstance(field, fields.Boolean):
        return isinstance(value, bool)
    if isinstance(field, (fields.Integer,)):
        return (isinstance(value, int) and not isinstance(value, bool)
            and -MAX_ID <= value <= MAX_ID)
    if isinstance(field, (fields.Float, fields.Numeric)):
        return (isinstance(value, (int, float, Decimal))
            and not isinstance(value, bool)
            and abs(value) < 10 ** 15)
    if isinstance(field, fields.Many2One):
        return _valid_id(value)
    if isinstance(field, (fields.One2Many, fields.Many2Many)):
        return isinstance(value, (list, tuple)) and all(
            map(_valid_action, value))
    if isinstance(field, fields.Timestamp) or isinstance(
            field, fields.DateTime):
        return isinstance(value, dt.datetime)
    if isinstance(field, fields.Date):
        return isinstance(value, dt.date) and not isinstance(
            value, dt.datetime)
    if isinstance(field, fields.Time):
        return isinstance(value, dt.time)
    if isinstance(field, fields.Reference):
        return isinstance(value, (str, list, tuple))
    if isinstance(field, fields.Selection):
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if isinstance(field, fields.Char):
        return isinstance(value, str)
    return True


def _valid_action(action):
    "Whether action is one of a One2Many or Many2Many value, with valid ids"
    if (not isinstance(action, (list, tuple)) or not action
            or action[0] not in X2MANY_ACTIONS):
        return False
    kind, *rest = action
    if kind == 'create':
        return (len(rest) == 1 and isinstance(rest[0], (list, tuple))
            and all(isinstance(v, dict) for v in rest[0]))
    if kind == 'write':
        pairs = iter(rest)
        return len(rest) % 2 == 0 and all(
            _valid_ids(ids) and isinstance(values, dict)
            for ids, values in zip(pairs, pairs))
    # add, remove, delete and copy: the ids first
    return bool(rest) and _valid_ids(rest[0])


def _valid_ids(ids):
    return isinstance(ids, (list, tuple)) and all(map(_valid_id, ids))


def _chain(decorator, guard):
    if decorator is None:
        return guard
    return lambda func: decorator(guard(func))


def _guarded(func):
    "The class of a bound classmethod, if it checks requests"
    cls = getattr(func, '__self__', None)
    if isinstance(cls, type) and issubclass(cls, ServerReadonlyMixin):
        return cls


def _guard_read(func):
    @wraps(func)
    def wrapper(ids, *args, **kwargs):
        cls = _guarded(func)
        # sao reads the ids it found: an id of another kind or past what
        # the database holds is refused before the database fails on it
        if cls:
            bad = ([ids] if not isinstance(ids, (list, tuple))
                else [i for i in ids if not _valid_id(i)])
            if bad:
                _raise_missing(cls, bad[0])
        return func(ids, *args, **kwargs)
    return wrapper


def _guard_search(func):
    @wraps(func)
    def wrapper(domain, *args, **kwargs):
        cls = _guarded(func)
        # a number past what the database holds (in a condition, the offset
        # or the limit) or conditions nested deeper than a client builds
        # are refused before the database (or the recursion) fails on them
        if cls and not _within_database([domain, *args[:2]]):
            raise ValueFieldError(gettext(
                    f'{MESSAGES}.msg_values_invalid', **cls.__names__()))
        return func(domain, *args, **kwargs)
    return wrapper


# No client nests the conditions of a search deeper
MAX_DEPTH = 32


def _within_database(value):
    """Whether value (a domain, a list) is one a client sends: its integers
    fit the database's, its lists nest at most MAX_DEPTH deep"""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            if not -MAX_ID <= item <= MAX_ID:
                return False
        elif isinstance(item, (list, tuple)):
            if depth >= MAX_DEPTH:
                return False
            stack.extend((i, depth + 1) for i in item)
    return True


def _guard_delete(func):
    @wraps(func)
    def wrapper(records):
        cls = _guarded(func)
        if cls:
            _refuse_missing(cls, records)
        return func(records)
    return wrapper


def _guard_figures(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        cls = _guarded(func)
        if cls:
            raise AccessError(gettext(f'{MESSAGES}.msg_figures_readonly',
                    **cls.__names__()))
        return func(*args, **kwargs)
    return wrapper


def _guard_create(func):
    @wraps(func)
    def wrapper(vlist, *args, **kwargs):
        cls = _guarded(func)
        if cls:
            with without_check_access():
                cls._refuse_create(vlist)
        return func(vlist, *args, **kwargs)
    return wrapper


def _guard_write(func):
    @wraps(func)
    def wrapper(*args):
        cls = _guarded(func)
        if cls:
            actions = iter(args)
            with without_check_access():
                for records, values in zip(actions, actions):
                    _refuse_missing(cls, records)
                    cls._refuse_write(records, values)
        return func(*args)
    return wrapper


def _guard_copy(func):
    @wraps(func)
    def wrapper(records, default=None):
        cls = _guarded(func)
        default = dict(default or {})
        if cls:
            _refuse_missing(cls, records)
            owned = cls._owned_fields()
            for name in default.keys() & owned:
                cls._raise_owned(name)
            with without_check_access():
                defaults = cls.default_get(
                    [n for n in owned if n in cls._fields],
                    with_rec_name=False)
            for name in owned:
                if not isinstance(cls._fields[name], (
                            fields.One2Many, fields.Many2Many)):
                    default[name] = defaults.get(name)
        return func(records, default=default)
    return wrapper


def _guard_import(func):
    @wraps(func)
    def wrapper(fields_names, data):
        cls = _guarded(func)
        if cls:
            owned = cls._owned_fields()
            for path in fields_names:
                name = path.split('/')[0].split('.')[0]
                if name in owned:
                    cls._raise_owned(name)
        return func(fields_names, data)
    return wrapper


def _guard_button(func):
    @wraps(func)
    def wrapper(records, *args, **kwargs):
        cls = _guarded(func)
        if cls and (args or kwargs):
            raise ArgumentError(gettext(f'{MESSAGES}.msg_button_arguments'))
        if cls:
            _refuse_missing(cls, records)
        if cls and Transaction().user:
            _check_write_rule(cls, records)
        return func(records)
    return wrapper


def _refuse_absent_targets(Model, name, ids):
    "Refuse the `ids` of the field `name` of Model that name no record"
    Target = Model._fields[name].get_target()
    with inactive_records():
        if ids and Target.search_count(
                [('id', 'in', list(ids))]) != len(ids):
            raise ValueFieldError(gettext(
                    f'{MESSAGES}.msg_field_record_missing',
                    **Model.__names__(field=name)))


def _raise_missing(cls, id_):
    raise AccessError(gettext(f'{MESSAGES}.msg_record_missing',
            **cls.__names__(), id=id_))


def _refuse_missing(cls, records):
    """The records of a request are stored ones: sao sends nothing else
    (not an id past what the database holds, nor a negative one)"""
    ids = [getattr(r, 'id', r) for r in records]
    missing = [i for i in ids if not _valid_id(i)]
    # a singleton's record is made by its first write
    if not missing and ids and not issubclass(cls, ModelSingleton):
        with without_check_access(), inactive_records():
            found = {r.id for r in cls.search(
                        [('id', 'in', ids)], order=[])}
        missing = [i for i in ids if i not in found]
    if missing:
        _raise_missing(cls, missing[0])


def _check_write_rule(cls, records):
    "A button changes the records: the user must be allowed to write them"
    Rule = Pool().get('ir.rule')
    domain = Rule.domain_get(cls.__name__, mode='write')
    ids = [r.id for r in records if r.id is not None and r.id >= 0]
    if not domain or not ids:
        return
    with without_check_access():
        allowed = {r.id for r in cls.search(
                    [('id', 'in', ids), domain], order=[])}
    refused = [r for r in records if r.id in set(ids) - allowed]
    if refused:
        raise AccessError(gettext(f'{MESSAGES}.msg_button_write_rule',
                **cls.__names__(record=refused[0])))


def _draft(cls, values, id_=None):
    "A record with the values, unsaved, to evaluate its states"
    try:
        return cls(id_, **{n: v for n, v in values.items()
                if n in cls._fields
                and not isinstance(cls._fields[n], (
                        fields.One2Many, fields.Many2Many))
                and not (isinstance(cls._fields[n], fields.Function)
                    and not cls._fields[n].setter)})
    except Exception:
        return None


def _readonly(record, field):
    states = field.states or {}
    if 'readonly' not in states:
        return False
    User = Pool().get('res.user')
    with Transaction().set_context(groups=User.get_groups()):
        try:
            return bool(_record_eval_pyson(record, states['readonly']))
        except Exception:
            # A state that can not be evaluated on this record (e.g. on an
            # unsaved one) does not refuse the value
            return False


def _refuse_children(field, value):
    "Check the records created or written through a x2many field"
    if not isinstance(field, (fields.One2Many, fields.Many2Many)):
        return
    Target = field.get_target()
    if not issubclass(Target, ServerReadonlyMixin):
        return
    for action, *rest in value or []:
        if action == 'create':
            Target._refuse_create(rest[0])
        elif action == 'write':
            actions = iter(rest)
            for ids, values in zip(actions, actions):
                Target._refuse_write(Target.browse(ids), values)


def _empty(value):
    # not 0: 0 == False
    return value is None or value is False or (
        isinstance(value, str) and not value)


def _unchanged(field, current, value):
    "Whether the value a client sends is the one the record holds"
    if isinstance(field, (fields.One2Many, fields.Many2Many)):
        return not value
    if isinstance(field, fields.Reference):
        if isinstance(value, (list, tuple)):
            value = '%s,%s' % tuple(value)
        return str(current or '') == str(value or '')
    if isinstance(current, (list, tuple)):
        current = [getattr(c, 'id', c) for c in current]
    current = getattr(current, 'id', current)
    if _empty(current) and _empty(value):
        return True
    if isinstance(current, (int, float, Decimal)) and isinstance(
            value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(current)) == Decimal(str(value))
    if isinstance(current, dt.datetime) and isinstance(value, dt.datetime):
        return current.replace(microsecond=0) == value.replace(microsecond=0)
    return current == value
