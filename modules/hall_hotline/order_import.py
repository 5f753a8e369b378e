# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The import of the work orders the provincial 12345 platform dispatches
to the city: checked line by line before anything is written, and
idempotent on the platform's order number."""
from collections import defaultdict

from trytond.model import ModelView, fields
from trytond.modules.hall import clock
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.table_file import raise_problems
from trytond.modules.hall.table_file_rules import Problem, shown
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import order_import_rules as rules
from .exceptions import OrderImportError

RESULTS = [
    ('created', "Registered"),
    ('known', "Already Imported"),
    ]


def import_platform_orders(company, data, filename=None):
    """Register the orders of the platform's file `data` (bytes) for
    `company`: the rows whose platform number is already known are left as
    they are. With any problem nothing is written and the problems are
    raised line by line. Return the counts and the lines."""
    pool = Pool()
    Order = pool.get('hall.hotline.order')

    timezone = company.timezone
    sizes = {name: Order._fields[name].size for name in [
            'platform_number', 'subject', 'caller_name', 'place']}
    entries, problems = rules.read_orders(
        data, filename, sizes=sizes,
        now=clock.to_local(clock.utcnow(), timezone))
    windows = _windows(company, {e.window for e in entries if e.window})
    for entry in entries:
        if entry.window and len(windows.get(entry.window, [])) != 1:
            problems.append(Problem(entry.row, rules.WINDOW,
                    'window_ambiguous' if windows.get(entry.window)
                    else 'window', {'value': shown(entry.window)}))
    if problems:
        raise_problems(sorted(problems, key=lambda p: p.row or 0),
            OrderImportError, 'hall_hotline.msg_order_import_rejected',
            'hall_hotline.msg_order_import')

    known = {o.platform_number: o for o in Order.search([
                ('company', '=', company.id),
                ('platform_number', 'in',
                    [e.values['platform_number'] for e in entries]),
                ])}
    divisions = _divisions({e.division for e in entries if e.division})
    to_create, lines = [], []
    for entry in entries:
        values = entry.values.copy()
        known_order = known.get(values['platform_number'])
        if known_order:
            lines.append((entry.row, values['platform_number'], known_order,
                    'known'))
            continue
        values['company'] = company.id
        values['source'] = 'province'
        values['platform_registered_at'] = clock.to_utc(
            values['platform_registered_at'], timezone)
        division = divisions.get(entry.division)
        if division:
            values['subdivision'] = division
        elif entry.division:
            # a division the database does not know stays as written
            values['place'] = ' '.join(
                filter(None, [entry.division, values.get('place')]))
        if entry.window:
            values['window'], = windows[entry.window]
        to_create.append((entry, values))
    # The wizard's groups say who may import; the orders are the
    # platform's, registered in the name of the user who imports them
    with without_check_access():
        orders = Order.create([v for _, v in to_create])
        if orders:
            Order.register(orders)
    for (entry, values), order in zip(to_create, orders):
        lines.append((entry.row, values['platform_number'], order,
                'created'))
    lines.sort(key=lambda l: l[0])
    return {
        'created': len(orders),
        'known': sum(1 for l in lines if l[3] == 'known'),
        'lines': [{
                'line': row,
                'platform_number': platform_number,
                'order': order.id,
                'result': result,
                } for row, platform_number, order, result in lines],
        }


def _windows(company, numbers):
    "The ids of the company's windows by number (or name)"
    Window = Pool().get('hall.window')
    found = defaultdict(set)
    if numbers:
        for window in Window.search([
                    ('hall.company', '=', company.id),
                    ['OR',
                        ('number', 'in', list(numbers)),
                        ('name', 'in', list(numbers)),
                        ],
                    ]):
            for key in [window.number, window.name]:
                if key in numbers:
                    found[key].add(window.id)
    return {k: sorted(v) for k, v in found.items()}


def _divisions(texts):
    """The ids of the Chinese subdivisions by the code or the name the file
    gives, when it names one only"""
    Subdivision = Pool().get('country.subdivision')
    codes = {t: rules.division_code(t) for t in texts}
    found = defaultdict(set)
    if texts:
        with Transaction().set_context(language='zh_CN'):
            subdivisions = Subdivision.search([
                    ('country.code', '=', 'CN'),
                    ['OR',
                        ('code', 'in', [c for c in codes.values() if c]),
                        ('name', 'in', list(texts)),
                        ],
                    ])
            for subdivision in subdivisions:
                for text in texts:
                    if subdivision.code == codes[text] or (
                            subdivision.name == text):
                        found[text].add(subdivision.id)
    return {t: ids.pop() for t, ids in found.items() if len(ids) == 1}


class OrderImportStart(ServerReadonlyMixin, ModelView):
    "Import Platform Orders"
    __name__ = 'hall.hotline.order.import.start'

    file = fields.Binary(
        "File", required=True, filename='filename',
        help="The orders exported from the provincial 12345 platform: an "
        "XLSX workbook (first sheet) or a CSV file (UTF-8 or GBK), with a "
        "header row of Chinese column names.")
    filename = fields.Char("File Name")


class OrderImportResult(ServerReadonlyMixin, ModelView):
    "Import Platform Orders"
    __name__ = 'hall.hotline.order.import.result'

    created = fields.Integer("Orders Registered", readonly=True)
    known = fields.Integer("Orders Already Imported", readonly=True)
    lines = fields.One2Many(
        'hall.hotline.order.import.line', None, "Lines", readonly=True)


class OrderImportLine(ModelView):
    "Import Platform Orders Line"
    __name__ = 'hall.hotline.order.import.line'

    line = fields.Integer("Line", readonly=True)
    platform_number = fields.Char("Platform Number", readonly=True)
    order = fields.Many2One('hall.hotline.order', "Order", readonly=True)
    result = fields.Selection(RESULTS, "Result", readonly=True)


class OrderImport(CheckedWizardMixin, Wizard):
    "Import the orders of the provincial platform"
    __name__ = 'hall.hotline.order.import'

    start = StateView('hall.hotline.order.import.start',
        'hall_hotline.order_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('hall.hotline.order.import.result',
        'hall_hotline.order_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        Company = Pool().get('company.company')
        company = Company(Transaction().context['company'])
        self.outcome = import_platform_orders(
            company, self.start.file, self.start.filename)
        # the session need not keep the file once imported
        self.start.file = None
        return 'result'

    def default_result(self, fields):
        return self.outcome
