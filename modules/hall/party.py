# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Citizens' personal data: read in full by the roles that need it, masked
for the others, on the server.

A citizen is a party with a resident identity card number (a `cn_ric`
identifier, active or not) who is not a member of the staff (an employee's
party).  Their name, identifiers, contact mechanisms and
addresses reach a user who is in none of the groups of
`Party.personal_data_groups` masked (张*明, 110105********0021, 138****5678):
masked in `read`, so in every form, list, related name (`rec_name`), export
(`export_data` reads the records) and report that the user prints.
Enterprises' codes and phone numbers are public information and stay as
stored.

For those users a request may not confirm a citizen's data bit by bit: a
search condition on a personal field (or on the record name) never matches a
citizen's records, and changing a citizen's personal data is refused.

The server's own code (validation, computed fields, transfers, check-in)
works on the stored values: `unmasked()` reads them, whoever the user."""
import re
from itertools import chain

from trytond import backend
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import is_leaf
from trytond.modules.party.exceptions import EraseError
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .application import OPEN_STATES
from .identity_rules import (
    mask_code, mask_contact, mask_email, mask_name, mask_phone, mask_text)

__all__ = ['unmasked', 'masked_for_user', 'may_read_field',
    'PersonalDataMixin', 'narrow_domain', 'domain_tests',
    'forget_stored_values', 'party_codes', 'is_unmasked',
    'check_erase_open']

# A context key: RPC requests cannot set keys starting with "_"
RAW = '_hall_personal_data_raw'
# Masked and stored values are kept apart in the transaction's record cache
Transaction.cache_keys.add(RAW)


def unmasked():
    "The context in which the server's code reads personal data as stored"
    return Transaction().set_context(**{RAW: True})


def is_unmasked():
    transaction = Transaction()
    return not transaction.user or bool(transaction.context.get(RAW))


def masked_for_user():
    "Whether citizens' personal data reach the current user masked"
    if is_unmasked():
        return False
    return not Pool().get('party.party').sees_personal_data()


def may_read_field(model, field):
    """Whether the field access rules let the current user read `field` of
    `model`, the test of forms and exports, for the reports and names built
    on the server"""
    FieldAccess = Pool().get('ir.model.field.access')
    if is_unmasked():
        return True
    access = FieldAccess.get_access([model])[model]
    return bool(access.get(field, {}).get('read', True))


def forget_stored_values(Model, ids):
    """Drop from the record cache the stored values that a search or a read
    of the records `ids` left there, so that the records read the values
    again (masked) instead"""
    cache = Transaction().get_cache()[Model.__name__]
    for id_ in map(int, ids):
        cache.pop(id_, None)


def citizen_parties_query():
    """SQL query of the ids of the citizens' parties: those with a resident
    ID number, but the staff's (their names are on every record they
    handle)"""
    pool = Pool()
    Identifier = pool.get('party.identifier')
    Employee = pool.get('company.employee')
    identifier = Identifier.__table__()
    employee = Employee.__table__()
    return identifier.select(identifier.party,
        where=(identifier.type == 'cn_ric')
        & ~identifier.party.in_(employee.select(employee.party)))


def _tests(leaf, names, relations):
    """Whether `leaf` tests one of the fields `names` or, through a relation
    of `relations`, the fields of the related records (by a path or by
    their name)"""
    name, _, path = leaf[0].partition('.')
    if name in names:
        return True
    return name in relations and (bool(path) or isinstance(leaf[2], str))


def domain_tests(domain, names, relations=()):
    "Whether a leaf of `domain` tests `names` or `relations` (see _tests)"
    if is_leaf(domain):
        return _tests(domain, names, relations)
    if isinstance(domain, (list, tuple)):
        return any(domain_tests(c, names, relations)
            for c in domain if not isinstance(c, str))
    return False


def narrow_domain(domain, clause, names, relations=()):
    """`domain` with each leaf that tests `names` or `relations` (see
    _tests) also required to meet `clause`"""
    if is_leaf(domain):
        if _tests(domain, names, relations):
            return [domain, clause]
        return domain
    if isinstance(domain, (list, tuple)):
        return [c if isinstance(c, str)
            else narrow_domain(c, clause, names, relations)
            for c in domain]
    return domain


class PersonalDataMixin:
    """Mask, for the users who do not see them, the personal fields of the
    records that belong to citizens."""
    __slots__ = ()
    # The field holding the party, "id" for the party itself
    _personal_party_field = 'party'
    # The field whose value chooses the mask, if any
    _personal_type_field = None

    @classmethod
    def _personal_fields(cls):
        "Field name → function(value, record type) that masks it"
        return {}

    @classmethod
    def _citizen_records(cls, ids):
        "Id → type of the records among `ids` that belong to citizens"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        party = getattr(table, cls._personal_party_field)
        columns = [table.id]
        if cls._personal_type_field:
            columns.append(getattr(table, cls._personal_type_field))
        result = {}
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(*columns,
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    & party.in_(citizen_parties_query())))
            for row in cursor:
                result[row[0]] = row[1] if len(row) > 1 else None
        return result

    @classmethod
    def read(cls, ids, fields_names):
        rows = super().read(ids, fields_names)
        masks = {n: f for n, f in cls._personal_fields().items()
            if n in fields_names}
        if not masks or not rows or not masked_for_user():
            return rows
        citizens = cls._citizen_records([r['id'] for r in rows])
        for row in rows:
            if row['id'] not in citizens:
                continue
            type_ = citizens[row['id']]
            for name, mask in masks.items():
                if row.get(name):
                    row[name] = mask(row[name], type_)
        # the read leaves the stored values in the record cache
        forget_stored_values(cls, citizens)
        return rows

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        masked = masked_for_user()
        if masked and not count:
            # the order of values the user sees masked would tell them
            names = set(cls._personal_fields()) | cls._personal_relations()
            order = [o for o in (order if order is not None else cls._order)
                if o[0].split('.', 1)[0] not in names] or [('id', 'ASC')]
        records = super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)
        # the search leaves the stored values of the records in the cache
        if masked and not count and not query:
            forget_stored_values(cls, records)
        return records

    @classmethod
    def _personal_relations(cls):
        """The relations to records with personal data: conditions on their
        fields never match citizens' records either"""
        if cls._personal_party_field == 'id':
            return set()
        return {cls._personal_party_field}

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        # joined or not from another model (the joins are converted without
        # access check): the server's code searches unmasked()
        if masked_for_user():
            names = set(cls._personal_fields())
            relations = cls._personal_relations()
            if domain_tests(domain, names, relations):
                domain = narrow_domain(domain, (
                        cls._personal_party_field, 'not in',
                        citizen_parties_query()), names, relations)
        return super().search_domain(
            domain, active_test=active_test, tables=tables)

    @classmethod
    def _personal_modification(cls, mode, records, values):
        "Whether the change touches personal data"
        return True

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if (external and mode in {'create', 'write', 'delete'}
                and masked_for_user()
                and cls._personal_modification(mode, records, values)):
            citizens = cls._citizen_records([r.id for r in records])
            if citizens:
                cls._refuse_modification(
                    [r for r in records if r.id in citizens])

    @classmethod
    def copy(cls, records, default=None):
        # a copy would store the values the user sees masked
        if Transaction().check_access and masked_for_user():
            citizens = cls._citizen_records([r.id for r in records])
            if citizens:
                cls._refuse_modification(
                    [r for r in records if r.id in citizens])
        return super().copy(records, default=default)

    @classmethod
    def _refuse_modification(cls, records):
        pool = Pool()
        Party = pool.get('party.party')
        party_ids = {getattr(r, cls._personal_party_field).id
            if cls._personal_party_field != 'id' else r.id for r in records}
        party = Party(min(party_ids))
        raise AccessError(gettext(
                'hall.msg_personal_data_masked_change',
                party=party.rec_name))

    @classmethod
    def _validate(cls, records, field_names=None):
        # the checks compare the values as stored, not as the user sees them
        with unmasked():
            records = cls.browse(records)
            super()._validate(records, field_names=field_names)

    @classmethod
    def _compute_fields(cls, records, field_names=None):
        with unmasked():
            records = cls.browse(records)
            super()._compute_fields(records, field_names=field_names)


# The types of the identifiers a hall registers: the resident identity card
# number (居民身份证号码) and the unified social credit code (统一社会信用代码,
# filed by Tryton 8.0 as "cn_vat"); None keeps the empty choice first
HALL_IDENTIFIER_TYPES = [None, 'cn_ric', 'cn_vat']


def _mask_name(value, type_=None):
    # a party without name is named by its code: [123]
    if value.startswith('['):
        return value
    return mask_name(value)


def _mask_phone(value, type_=None):
    return mask_phone(value)


def _mask_email(value, type_=None):
    return mask_email(value)


def _mask_text(value, type_=None):
    return mask_text(value)


def _mask_contact_name(value, type_=None):
    "The name of a contact mechanism: 张*明 <138****5678>"
    match = re.fullmatch(r'(.*) <(.*)>', value, re.DOTALL)
    if not match:
        return mask_contact(type_, value)
    name, contact = match.groups()
    return f'{mask_name(name)} <{mask_contact(type_, contact)}>'


class Party(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.party'
    _personal_party_field = 'id'

    applications = fields.One2Many(
        'hall.application', 'applicant', "Applications", readonly=True,
        order=[('id', 'DESC')],
        help="The applications (办件) of the party as applicant.")

    @classmethod
    def personal_data_groups(cls):
        """The groups (module, XML id) that read citizens' personal data in
        full; the modules whose roles need them extend it."""
        return {
            ('party', 'group_party_admin'),
            ('hall', 'group_window_clerk'),
            }

    @classmethod
    def sees_personal_data(cls):
        "Whether the current user reads citizens' personal data in full"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        groups = set(User.get_groups())
        return any(ModelData.get_id(module, fs_id) in groups
            for module, fs_id in cls.personal_data_groups())

    @classmethod
    def _personal_fields(cls):
        return {
            'name': _mask_name,
            'full_name': _mask_name,
            'rec_name': _mask_name,
            'phone': _mask_phone,
            'mobile': _mask_phone,
            'fax': _mask_phone,
            'email': _mask_email,
            'website': _mask_text,
            }

    @classmethod
    def _personal_relations(cls):
        return super()._personal_relations() | {
            'identifiers', 'contact_mechanisms', 'addresses'}

    @classmethod
    def _personal_modification(cls, mode, records, values):
        if mode != 'write':
            return True
        return bool(values.keys() & {
                'name', 'identifiers', 'contact_mechanisms', 'addresses'})

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        # a party becomes a citizen with a resident ID number added to it
        if (external and mode == 'write' and masked_for_user()
                and _creates_citizen_identifier(values.get('identifiers'))):
            cls._refuse_modification(parties)


def _creates_citizen_identifier(actions):
    for action in actions or []:
        if action[0] == 'create':
            if any(v.get('type') == 'cn_ric' for v in action[1]):
                return True
    return False


class Identifier(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.identifier'
    _personal_type_field = 'type'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # a number of no type is checked by nothing and found by nobody;
        # required by its states, not by a NOT NULL column: erasing a party
        # clears the type of its identifiers
        cls.type.states = {**(cls.type.states or {}), 'required': True}

    @classmethod
    def get_types(cls):
        # the types a hall registers first, before the other countries'
        types = super().get_types()
        return sorted(types, key=lambda t: (
                HALL_IDENTIFIER_TYPES.index(t[0])
                if t[0] in HALL_IDENTIFIER_TYPES
                else len(HALL_IDENTIFIER_TYPES)))

    @classmethod
    def _personal_fields(cls):
        return {
            'code': mask_code,
            'code_compact': mask_code,
            'rec_name': mask_code,
            }

    @classmethod
    def check_modification(cls, mode, identifiers, values=None,
            external=False):
        super().check_modification(
            mode, identifiers, values=values, external=external)
        # a resident ID number makes the party a citizen
        if (external and mode == 'write' and masked_for_user()
                and values.get('type') == 'cn_ric'):
            cls._refuse_modification(identifiers)


class PartyConfiguration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def default_identifier_types(cls):
        # the identifier types a hall registers (an administrator may add
        # others in the party configuration)
        return [t for t in HALL_IDENTIFIER_TYPES if t]


class ContactMechanism(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'
    _personal_type_field = 'type'

    @classmethod
    def _personal_fields(cls):
        masks = {
            name: mask_contact_value for name in [
                'value', 'value_compact', 'email', 'website', 'skype',
                'sip', 'other_value', 'url']}
        masks['rec_name'] = _mask_contact_name
        return masks


def mask_contact_value(value, type_):
    return mask_contact(type_, value)


class Address(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def _personal_fields(cls):
        masks = {
            name: _mask_text for name in [
                'street', 'street_unstructured', 'street_name',
                'building_name', 'building_number', 'unit_number',
                'floor_number', 'room_number', 'post_box', 'private_bag',
                'post_office', 'street_single_line', 'full_address',
                'rec_name']}
        masks.update({
                'party_name': _mask_name,
                'party_full_name': _mask_name,
                'attn': _mask_name,
                })
        return masks


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.application', 'applicant'),
            ('hall.application', 'agent'),
            ('hall.department', 'party'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def transition_erase(self):
        # erase what is stored, whoever may read it
        with unmasked():
            return super().transition_erase()

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.application', [
                ['OR',
                    ('applicant', '=', party.id),
                    ('agent', '=', party.id),
                    ],
                ('state', 'in', OPEN_STATES),
                ])


def check_erase_open(party, model, domain):
    """Refuse to erase `party` while a record of `model` in `domain`, still
    open, needs its data"""
    pool = Pool()
    Model = pool.get(model)
    IrModel = pool.get('ir.model')
    with unmasked():
        records = Model.search(domain, limit=1)
        if records:
            record, = records
            raise EraseError(gettext(
                    'hall.msg_erase_party_open',
                    party=party.rec_name, record=record.rec_name,
                    model=IrModel.get_name(model)))


def party_codes(party_id, type_='cn_ric'):
    """The codes of the identifiers of `type_` of the party, for the records
    that hold a copy of them"""
    Identifier = Pool().get('party.identifier')
    identifier = Identifier.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*identifier.select(identifier.code,
            where=(identifier.party == party_id)
            & (identifier.type == type_)))
    return list(chain.from_iterable(cursor))
