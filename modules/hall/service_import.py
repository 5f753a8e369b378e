# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict

from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import inactive_records
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import service_import_rules
from .exceptions import ServiceImportError
from .model import CheckedWizardMixin, ServerReadonlyMixin
from .table_file import raise_problems

class Service(metaclass=PoolMeta):
    __name__ = 'hall.service'

    @classmethod
    def import_catalogue(cls, data, filename=None, dry_run=False):
        """Create and update the services of the catalogue file `data`
        (bytes of an XLSX or CSV file, see service_import_rules): a service
        whose code is in the file is updated, the others are created.

        Every row is checked first: with any problem, nothing is imported
        and one ServiceImportError lists them all.  With `dry_run` only the
        checks run.  Return the numbers of services created, updated and
        unchanged."""
        catalogue = service_import_rules.read_catalogue(
            data, filename,
            sizes={name: cls._fields[name].size
                for name in ['code', 'name', 'description']},
            departments=cls._catalogue_departments())
        if catalogue.problems:
            cls._raise_catalogue_problems(catalogue.problems)

        existing = {}
        codes = [entry.values['code'] for entry in catalogue.entries]
        # An archived service keeps its code: it is updated, not doubled
        with inactive_records():
            for sub_codes in grouped_slice(codes):
                for service in cls.search([('code', 'in', list(sub_codes))]):
                    existing[service.code] = service
        to_create, to_write, unchanged = [], [], 0
        for entry in catalogue.entries:
            service = existing.get(entry.values['code'])
            if service is None:
                to_create.append(entry.values)
                continue
            changes = {name: value for name, value in entry.values.items()
                if not _same(getattr(service, name), value)}
            if changes:
                to_write.extend([[service], changes])
            else:
                unchanged += 1
        if not dry_run:
            # The constraints of hall.service (code unique, limits) are the
            # last guard: one failing rolls the whole import back
            if to_create:
                cls.create(to_create)
            if to_write:
                cls.write(*to_write)
        return {
            'created': len(to_create),
            'updated': len(to_write) // 2,
            'unchanged': unchanged,
            }

    @classmethod
    def _catalogue_departments(cls):
        "The ids of the active departments by code and by name"
        Department = Pool().get('hall.department')
        by_code, by_name = {}, defaultdict(list)
        for department in Department.search([], order=[('id', 'ASC')]):
            by_code[department.code] = department.id
            by_name[' '.join(department.name.split())].append(department.id)
        return by_code, dict(by_name)

    @classmethod
    def _raise_catalogue_problems(cls, problems):
        raise_problems(problems, ServiceImportError,
            'hall.msg_service_import_rejected', 'hall.msg_service_import')


def _same(current, value):
    "Whether the stored value of a service is the one the file gives"
    current = getattr(current, 'id', current)
    if current in {'', None} and value in {'', None}:
        return True
    return current == value


class ServiceImportStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.service.import.start'

    file = fields.Binary(
        "File", required=True, filename='filename',
        help="The catalogue exported from the government-service platform: "
        "an XLSX workbook (first sheet) or a CSV file, with a header row.")
    filename = fields.Char("File Name")


class ServiceImportResult(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.service.import.result'

    created = fields.Integer("Services Created", readonly=True)
    updated = fields.Integer("Services Updated", readonly=True)
    unchanged = fields.Integer("Services Unchanged", readonly=True)


class ServiceImport(CheckedWizardMixin, Wizard):
    "Import the service catalogue"
    __name__ = 'hall.service.import'

    start = StateView('hall.service.import.start',
        'hall.service_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('hall.service.import.result',
        'hall.service_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        Service = Pool().get('hall.service')
        self.counts = Service.import_catalogue(
            self.start.file, self.start.filename)
        # the session need not keep the file once imported
        self.start.file = None
        return 'result'

    def default_result(self, fields):
        return self.counts
