# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import copy

from trytond.i18n import gettext, lazy_gettext
from trytond.model import Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.tools import is_instance_method
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateView

from .exceptions import ReadonlyFieldError, ValueFieldError
from .rpc_guard import (
    MESSAGES, _chain, _draft, _guard_button, _guard_copy, _guard_create,
    _guard_delete, _guard_figures, _guard_import, _guard_read, _guard_search,
    _guard_write, _hide_buttons, _readonly, _refuse_absent_targets,
    _refuse_children, _settable, _unchanged, _valid_value, check_records)
from .table_query import TableQueryOnceMixin

__all__ = ['CodeSearchMixin', 'ServerReadonlyMixin', 'CheckedWizardMixin',
    'NextStepMixin', 'check_records']

TIMESTAMP_FORMAT = PYSONEncoder().encode('%H:%M:%S')


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
