# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Approval items of an enterprise project (审批事项), shared by the green
channel (绿色通道) and the proxy agents (帮办代办).

An enterprise project goes through many approval items: each is a service
of the hall with its legal and promised limits in working days, handled
through an application (办件) of the enterprise.  The items follow their
application: linked when it is received, started when it is accepted (the
due dates are counted from that day in working days of the hall's calendar)
and completed when it is, with the working days it took.  An item handled
outside the hall is started and completed by hand.

- ApprovalItemMixin: the item (fields, workflow, dates, figures);
- ApprovalProjectMixin: the project or case grouping the items (enterprise
  check, numbering, copy and delete, speed-up and promise-kept rates of its
  items).

Their indicators, aggregated in the database, are in approval_kpi.
"""
from trytond.i18n import gettext
from trytond.model import Index, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import approval_rules
from .company import company_today
from .exceptions import (
    ApplicantIdentifierError, ApprovalItemDeleteError, ApprovalItemError,
    ApprovalItemValidationError)
from .model import CodeSearchMixin
from .workflow import strict_transition

ITEM_STATES = [
    ('planned', "Planned"),
    ('in_progress', "In Progress"),
    ('done', "Completed"),
    ('cancelled', "Cancelled"),
    ]
ITEM_OPEN_STATES = ['planned', 'in_progress']

# The unified social credit code (统一社会信用代码) of an enterprise: Tryton
# files it as the "cn_vat" identifier, checked by python-stdnum.
ENTERPRISE_IDENTIFIERS = ('cn_vat',)

_planned = {'readonly': Eval('state') != 'planned'}


def approval_item_models():
    "The models of approval items of the pool"
    return [Model for _, Model in Pool().iterobject()
        if issubclass(Model, ApprovalItemMixin) and Model._approval_parent]


class ApprovalItemMixin(CodeSearchMixin):
    """An approval item of an enterprise project.

    The concrete model sets `_approval_parent` to the name of its Many2One
    to the project (whose `party` is the enterprise and `company` the
    bureau), defines `on_change_with_party` for its parent and may extend
    `_open_parent_domain`.  Its name is searched on the service and the
    project."""
    __slots__ = ()
    _approval_parent = None

    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='RESTRICT',
        states=_planned)
    department = fields.Function(
        fields.Many2One('hall.department', "Department"),
        'on_change_with_department')
    party = fields.Function(
        fields.Many2One('party.party', "Enterprise"),
        'on_change_with_party', searcher='search_party')
    application = fields.Many2One(
        'hall.application', "Application", ondelete='RESTRICT',
        domain=[
            ('applicant', '=', Eval('party', -1)),
            ('service', '=', Eval('service', -1)),
            ],
        states={
            'readonly': ~Eval('state').in_(ITEM_OPEN_STATES),
            },
        help="The application (办件) of the enterprise for this service; "
        "linked when it is received.")
    application_state = fields.Function(
        fields.Selection('get_application_states', "Application State"),
        'on_change_with_application_state')
    legal_limit = fields.Integer(
        "Legal Limit", required=True, states=_planned,
        help="Statutory time limit in working days (法定时限).")
    promised_limit = fields.Integer(
        "Promised Limit", required=True, states=_planned,
        help="Promised time limit in working days (承诺时限).")
    start_date = fields.Date(
        "Start Date", states=_planned,
        help="Day the clock starts: the acceptance of the application, "
        "or the day the item is started when it is handled outside the "
        "hall.")
    legal_due_date = fields.Date("Legal Due Date", readonly=True)
    promised_due_date = fields.Date("Promised Due Date", readonly=True)
    end_date = fields.Date(
        "End Date",
        states={
            'readonly': ((Eval('state') != 'in_progress')
                | Eval('application')),
            },
        help="Day of completion: that of the application, or the day the "
        "item is completed when it is handled outside the hall.")
    actual_days = fields.Integer(
        "Working Days Taken", readonly=True,
        help="Working days from the start to the completion.")
    promise_kept = fields.Function(
        fields.Boolean("Promise Kept"), 'get_promise_kept')
    overdue = fields.Function(
        fields.Boolean(
            "Overdue", help="In progress past the promised due date."),
        'get_overdue', searcher='search_overdue')
    state = fields.Selection(
        ITEM_STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if cls._approval_parent:
            cls._rec_name_search_fields = (
                'service.rec_name', f'{cls._approval_parent}.rec_name')
        t = cls.__table__()
        # the indicators count the items by the period they started in
        cls._sql_indexes.add(
            Index(t, (t.start_date, Index.Range()),
                where=t.state.in_(['in_progress', 'done'])))
        cls._transitions |= {
            ('planned', 'in_progress'),
            ('in_progress', 'done'),
            ('planned', 'cancelled'),
            ('in_progress', 'cancelled'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'planned',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'finish': {
                    'invisible': Eval('state') != 'in_progress',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(ITEM_OPEN_STATES),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'replan': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'planned'

    @fields.depends('service')
    def on_change_with_department(self, name=None):
        return self.service.department if self.service else None

    def on_change_with_party(self, name=None):
        raise NotImplementedError

    @classmethod
    def search_party(cls, name, clause):
        return [(f'{cls._approval_parent}.party', *clause[1:])]

    @classmethod
    def get_application_states(cls):
        pool = Pool()
        Application = pool.get('hall.application')
        return [(None, '')] + Application.fields_get(
            ['state'])['state']['selection']

    @fields.depends('application', '_parent_application.state')
    def on_change_with_application_state(self, name=None):
        return self.application.state if self.application else None

    @fields.depends('service', 'legal_limit', 'promised_limit')
    def on_change_service(self):
        if self.service:
            self.legal_limit = self.service.legal_limit
            self.promised_limit = self.service.promised_limit

    @fields.depends('application', 'service', methods=['on_change_service'])
    def on_change_application(self):
        if self.application and self.application.service != self.service:
            self.service = self.application.service
            self.on_change_service()

    def get_rec_name(self, name):
        parent = getattr(self, self._approval_parent)
        service = self.service.name if self.service else ''
        return f'{parent.rec_name} / {service}' if parent else service

    def get_promise_kept(self, name):
        if self.state == 'done':
            return approval_rules.promise_kept(
                self.actual_days, self.promised_limit)

    @classmethod
    def _today(cls):
        return company_today()

    def get_overdue(self, name):
        return approval_rules.is_overdue(
            self.state, self.promised_due_date, self._today())

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        overdue = [
            ('state', '=', 'in_progress'),
            ('promised_due_date', '<', cls._today()),
            ]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR',
            ('state', '!=', 'in_progress'),
            ('promised_due_date', '=', None),
            ('promised_due_date', '>=', cls._today()),
            ]

    @classmethod
    def validate_fields(cls, items, field_names):
        super().validate_fields(items, field_names)
        if field_names & {'legal_limit', 'promised_limit'}:
            for item in items:
                item.check_limits()
        if field_names & {'start_date', 'end_date'}:
            for item in items:
                item.check_dates()

    def check_limits(self):
        if (self.legal_limit or 0) < 0 or (self.promised_limit or 0) < 0:
            raise ApprovalItemValidationError(gettext(
                    'hall.msg_service_limit_positive'))
        if self.promised_limit > self.legal_limit:
            raise ApprovalItemValidationError(gettext(
                    'hall.msg_approval_item_promised_over_legal',
                    item=self.rec_name,
                    promised=self.promised_limit,
                    legal=self.legal_limit))

    def check_dates(self):
        if (self.start_date and self.end_date
                and self.end_date < self.start_date):
            raise ApprovalItemValidationError(gettext(
                    'hall.msg_approval_item_dates',
                    item=self.rec_name,
                    start=self.start_date,
                    end=self.end_date))

    @classmethod
    def copy(cls, items, default=None):
        default = default.copy() if default is not None else {}
        for field in ['application', 'start_date', 'legal_due_date',
                'promised_due_date', 'end_date', 'actual_days']:
            default.setdefault(field, None)
        return super().copy(items, default=default)

    @classmethod
    def check_modification(cls, mode, items, values=None, external=False):
        super().check_modification(
            mode, items, values=values, external=external)
        if mode == 'delete':
            for item in items:
                if item.state != 'planned':
                    raise ApprovalItemDeleteError(gettext(
                            'hall.msg_approval_item_delete',
                            item=item.rec_name))

    def compute_dates(self):
        """Count the due dates and the working days taken in the hall's
        calendar (public holidays and make-up workdays)."""
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        if self.start_date:
            self.legal_due_date = CalendarDay.add_working_days(
                self.start_date, self.legal_limit or 0)
            self.promised_due_date = CalendarDay.add_working_days(
                self.start_date, self.promised_limit or 0)
        else:
            self.legal_due_date = self.promised_due_date = None
        if self.start_date and self.end_date:
            self.actual_days = CalendarDay.count_working_days(
                self.start_date, self.end_date)
        else:
            self.actual_days = None

    def follow_application(self):
        """Take the dates and the state of the application; return whether
        anything changed."""
        application = self.application
        if not application or self.state not in ITEM_OPEN_STATES:
            return False
        before = (self.state, self.start_date, self.end_date)
        if application.accepted_date:
            self.state = 'in_progress'
            self.start_date = application.accepted_date
            if application.state == 'completed':
                self.state = 'done'
                self.end_date = application.completed_date
        self.compute_dates()
        return before != (self.state, self.start_date, self.end_date)

    @classmethod
    def _open_parent_domain(cls):
        "Domain of the items whose project takes new applications"
        return []

    @classmethod
    def link_applications(cls, applications):
        """Link each received application to the first open item of its
        enterprise for its service that has none yet."""
        with without_check_access():
            linked = []
            for application in applications:
                items = cls.search([
                        ('application', '=', None),
                        ('state', 'in', ITEM_OPEN_STATES),
                        ('service', '=', application.service.id),
                        ('party', '=', application.applicant.id),
                        *cls._open_parent_domain(),
                        ], limit=1)
                if items:
                    item, = items
                    item.application = application
                    linked.append(item)
            cls.save(linked)
        return linked

    @classmethod
    def sync_applications(cls, applications):
        "Follow the acceptance and the completion of the applications"
        with without_check_access():
            items = cls.search([
                    ('application', 'in', [a.id for a in applications]),
                    ('state', 'in', ITEM_OPEN_STATES),
                    ])
            changed = [i for i in items if i.follow_application()]
            cls.save(changed)
        return changed

    @classmethod
    def check_open(cls, items):
        "Hook to refuse the buttons of items whose project forbids them"
        pass

    @classmethod
    @ModelView.button
    @strict_transition('in_progress')
    def start(cls, items):
        cls.check_open(items)
        today = cls._today()
        for item in items:
            application = item.application
            if application and application.accepted_date:
                item.start_date = application.accepted_date
            elif not item.start_date:
                item.start_date = today
            elif item.start_date > today:
                raise ApprovalItemError(gettext(
                        'hall.msg_approval_item_start_future',
                        item=item.rec_name, start=item.start_date))
            item.compute_dates()
        cls.save(items)

    @classmethod
    @ModelView.button
    @strict_transition('done')
    def finish(cls, items):
        cls.check_open(items)
        today = cls._today()
        for item in items:
            application = item.application
            if application:
                if application.state != 'completed':
                    raise ApprovalItemError(gettext(
                            'hall.msg_approval_item_application_open',
                            item=item.rec_name,
                            application=application.rec_name))
                item.start_date = application.accepted_date
                item.end_date = application.completed_date
            elif not item.end_date:
                item.end_date = today
            item.check_dates()
            item.compute_dates()
        cls.save(items)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, items):
        pass

    @classmethod
    @ModelView.button
    @strict_transition('planned')
    def replan(cls, items):
        cls.write(items, {
                'start_date': None,
                'legal_due_date': None,
                'promised_due_date': None,
                'end_date': None,
                'actual_days': None,
                })


class ApprovalProjectMixin(CodeSearchMixin):
    """A project or case of an enterprise grouping approval items.

    The concrete model has `number`, `name`, `party` (the enterprise) and a
    workflow `state` starting in 'draft' (the mixin adds the transitions
    and buttons every project shares: completing one in progress and
    resetting a cancelled one to draft, and the dates started and completed
    and the reason of a cancellation); it sets `_approval_items` to the
    name of its One2Many of items, `_approval_sequence` to its configuration
    model and the field of the sequence that numbers it, and
    `_approval_copy_reset` to the fields a copy starts without (besides the
    number and the mixin's dates), `_approval_number_unique` to the message
    of its number unique by company, and returns from `_delete_error` the error refusing to delete
    it once past draft.  Its name is searched on the number, the name and
    the enterprise."""
    __slots__ = ()
    _approval_items = None
    # (configuration model, field of the sequence)
    _approval_sequence = (None, None)
    _approval_copy_reset = ()
    # the message of the unique number by company
    _approval_number_unique = None
    _rec_name_search_fields = ('number', 'name', 'party.rec_name')

    started_date = fields.Date("Started", readonly=True)
    completed_date = fields.Date("Completed", readonly=True)
    cancel_reason = fields.Text(
        "Cancellation Reason",
        states={
            'readonly': Eval('state').in_(['completed', 'cancelled']),
            'invisible': Eval('state') == 'completed',
            })

    enterprise_code = fields.Function(
        fields.Char("Unified Social Credit Code"), 'get_enterprise_code')
    items_total = fields.Function(
        fields.Integer("Items"), 'get_approval_figures')
    items_done = fields.Function(
        fields.Integer("Items Completed"), 'get_approval_figures')
    actual_days = fields.Function(
        fields.Integer(
            "Working Days Taken",
            help="Working days taken by the completed items."),
        'get_approval_figures')
    legal_days = fields.Function(
        fields.Integer(
            "Legal Working Days",
            help="Legal limits of the completed items."),
        'get_approval_figures')
    speed_up_rate = fields.Function(
        fields.Float(
            "Speed-up Rate", digits=(1, 4),
            help="1 − working days taken ÷ legal working days, over the "
            "completed items (提速率)."),
        'get_approval_figures')
    promise_kept_rate = fields.Function(
        fields.Float(
            "Promise-Kept Rate", digits=(1, 4),
            help="Share of the completed items done within their promised "
            "limit."),
        'get_approval_figures')
    overdue_items = fields.Function(
        fields.Integer(
            "Overdue Items",
            help="Items in progress past their promised due date."),
        'get_approval_figures')

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                cls._approval_number_unique),
            ]
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity(cardinality='high'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._transitions |= {
            ('in_progress', 'completed'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'complete': {
                    'invisible': Eval('state') != 'in_progress',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        if self.number:
            return f'{self.number} {self.name}'
        return self.name

    @classmethod
    def _today(cls):
        return company_today()

    def get_enterprise_code(self, name):
        if self.party:
            for identifier in self.party.identifiers:
                if identifier.type in ENTERPRISE_IDENTIFIERS:
                    return identifier.code

    @classmethod
    def get_approval_figures(cls, records, names):
        today = cls._today()
        keys = {
            'items_total': 'items',
            'items_done': 'done',
            'actual_days': 'actual_days',
            'legal_days': 'legal_days',
            'speed_up_rate': 'speed_up_rate',
            'promise_kept_rate': 'promise_kept_rate',
            'overdue_items': 'overdue',
            }
        result = {name: {} for name in names}
        for record in records:
            figures = approval_rules.summary([
                    (i.state, i.legal_limit, i.promised_limit,
                        i.actual_days, i.promised_due_date)
                    for i in getattr(record, cls._approval_items)], today)
            for name in names:
                result[name][record.id] = figures[keys[name]]
        return result

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if 'party' in field_names:
            for record in records:
                record.check_enterprise()

    def check_enterprise(self):
        "The enterprise needs its unified social credit code"
        if not any(i.type in ENTERPRISE_IDENTIFIERS
                for i in self.party.identifiers):
            raise ApplicantIdentifierError(gettext(
                    'hall.msg_approval_enterprise_identifier',
                    party=self.party.rec_name))

    @classmethod
    def set_number(cls, records):
        "Number the records that have no number yet from the sequence"
        pool = Pool()
        configuration, sequence = cls._approval_sequence
        config = pool.get(configuration)(1)
        for record in records:
            if not record.number:
                record.number = getattr(config, sequence).get()
        cls.save(records)

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        for field in [
                'number', 'started_date', 'completed_date', 'cancel_reason',
                *cls._approval_copy_reset]:
            default.setdefault(field, None)
        return super().copy(records, default=default)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            for record in records:
                if record.state != 'draft':
                    raise record._delete_error()

    def _delete_error(self):
        "The error refusing to delete the record once past draft"
        raise NotImplementedError


class Application(metaclass=PoolMeta):
    "The approval items follow their applications"
    __name__ = 'hall.application'

    @classmethod
    def receive(cls, applications):
        super().receive(applications)
        for Item in approval_item_models():
            Item.link_applications(applications)

    @classmethod
    def accept(cls, applications):
        super().accept(applications)
        cls.sync_approval_items(applications)

    @classmethod
    def complete(cls, applications):
        super().complete(applications)
        cls.sync_approval_items(applications)

    @classmethod
    def sync_approval_items(cls, applications):
        for Item in approval_item_models():
            Item.sync_applications(applications)
