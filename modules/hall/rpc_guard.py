# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The guards of every RPC call on the models of ServerReadonlyMixin and
the wizards of CheckedWizardMixin (model.py): arguments of the kinds the
fields store, readonly fields and states, records that exist, buttons
without extra arguments"""
import datetime as dt
from decimal import Decimal
from functools import wraps

from lxml import etree

from trytond.i18n import gettext
from trytond.model import ModelSingleton, fields
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import _record_eval_pyson
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, PYSONDecoder, PYSONEncoder
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from .exceptions import ArgumentError, ValueFieldError

# The module of the messages (content_review has its twin of this mechanism
# in its model.py)
MESSAGES = 'hall'


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
    from .model import ServerReadonlyMixin
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
    from .model import ServerReadonlyMixin
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
