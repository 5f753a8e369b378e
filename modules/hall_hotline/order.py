# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""12345 hotline work orders (工单): registered by the operators, dispatched
to a lead department (and assisting ones) by the dispatchers, signed for
and answered by the departments' liaisons, followed up and closed by the
supervisors; returned, transferred and redone on the way, every step in
the order's log."""
from sql import Null
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.hall import clock
from trytond.modules.hall.model import (
    CodeSearchMixin, NextStepMixin, ServerReadonlyMixin)
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from .caller import CallerMixin
from .configuration import CATEGORIES, URGENCIES
from .deadline import DeadlineMixin
from .escalation import EscalationMixin
from .exceptions import OrderError, OrderValidationError
from .tags import TagMixin

SOURCES = [
    ('call', "12345 Call"),
    ('province', "Provincial Platform"),
    ('web', "Website"),
    ('wechat', "WeChat"),
    ('letter', "Letter"),
    ('hall', "Hall Complaint"),
    ]

STATES = [
    ('draft', "Draft"),
    ('registered', "Registered"),
    ('dispatched', "Dispatched"),
    ('signed', "Signed"),
    ('answered', "Answered"),
    ('reviewed', "Awaiting Follow-up"),
    ('closed', "Closed"),
    ('returned', "Returned"),
    ('cancelled', "Cancelled"),
    ]

SATISFACTION = [
    (None, ""),
    ('very_satisfied', "Very Satisfied"),
    ('satisfied', "Satisfied"),
    ('basic', "Basically Satisfied"),
    ('dissatisfied', "Dissatisfied"),
    ('very_dissatisfied', "Very Dissatisfied"),
    ]
UNSATISFIED = {'dissatisfied', 'very_dissatisfied'}

CONTACT = [
    (None, ""),
    ('reached', "Reached"),
    ('unreached', "Not Reached"),
    ]

# The states from which an order is dispatched, and those in which its
# department works on it
DISPATCHABLE = {'registered', 'returned'}
AT_DEPARTMENT = {'dispatched', 'signed'}

ACTIONS = [
    ('register', "Registered"),
    ('conclude', "Concluded Directly"),
    ('dispatch', "Dispatched"),
    ('transfer', "Transferred"),
    ('sign', "Signed"),
    ('return', "Returned"),
    ('answer', "Answered"),
    ('approve', "Answer Approved"),
    ('reject', "Answer Rejected"),
    ('redo', "Redone"),
    ('close', "Closed"),
    ('escalate', "Escalated"),
    ('sign_overdue', "Signing Overdue"),
    ('answer_overdue', "Answer Overdue"),
    ('cancel', "Cancelled"),
    ]

_draft = {'readonly': Eval('state') != 'draft'}
_registering = {'readonly': ~Eval('state').in_(['draft', 'registered'])}
_efficiency = {
    'invisible': Eval('category') != 'efficiency',
    'readonly': ~Eval('state').in_(['draft', 'registered']),
    }
_follow_up = {
    'readonly': Eval('state') != 'reviewed',
    'invisible': ~Eval('state').in_(['reviewed', 'closed']),
    }


class Order(
        CallerMixin, TagMixin, DeadlineMixin, EscalationMixin,
        CodeSearchMixin, NextStepMixin, ServerReadonlyMixin, Workflow,
        ModelSQL, ModelView):
    "12345 Work Order"
    __name__ = 'hall.hotline.order'
    _history = True
    _rec_name = 'number'
    _rec_name_search_fields = ('number', 'platform_number', 'subject')
    _next_step_messages = 'hall_hotline.msg_order_next'
    _buttons_shown_if = {
        'sign': 'at_my_department',
        'return_': 'at_my_department',
        'answer': 'at_my_department',
        'redo': 'redo_allowed',
        }

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    source = fields.Selection(
        SOURCES, "Source", required=True, states=_draft)
    platform_number = fields.Char(
        "Platform Number", states=_draft,
        help="The number of the order on the provincial platform that "
        "dispatched it.")
    platform_registered_at = fields.Timestamp(
        "Received by the Platform", readonly=True,
        states={'invisible': Eval('source') != 'province'},
        help="When the provincial platform received the order it "
        "dispatched.")
    anonymous = fields.Boolean(
        "Anonymous", states=_registering,
        help="The caller gave no name: no follow-up call is made.")
    caller = fields.Many2One(
        'party.party', "Caller", ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'readonly': _registering['readonly'],
            'invisible': Bool(Eval('anonymous')),
            })
    caller_name = fields.Char(
        "Caller Name", states={
            'readonly': _registering['readonly'],
            'invisible': Bool(Eval('anonymous')),
            })
    caller_phone = fields.Char("Caller Phone", states=_registering)
    category = fields.Selection(
        CATEGORIES, "Category", required=True, states=_registering)
    category_string = category.translated('category')
    urgency = fields.Selection(
        URGENCIES, "Urgency", required=True, states=_registering)
    subject = fields.Char("Subject", required=True, states=_registering)
    content = fields.Text("Content", required=True, states=_registering)
    subdivision = fields.Many2One(
        'country.subdivision', "Division", ondelete='RESTRICT',
        domain=[('country.code', '=', 'CN')], states=_registering,
        help="The administrative division where the matter lies.")
    place = fields.Char("Place", states=_registering)
    application = fields.Many2One(
        'hall.application', "Application", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states=_registering,
        help="The application (办件) the order is about.")
    window = fields.Many2One(
        'hall.window', "Window", ondelete='RESTRICT', states=_efficiency,
        help="The window an efficiency complaint (效能投诉) is about.")
    employee = fields.Many2One(
        'company.employee', "Clerk", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))], states=_efficiency,
        help="The clerk an efficiency complaint is about.")
    repeated = fields.Boolean(
        "Repeated", readonly=True,
        help="The same caller or the same subject as an order registered "
        "within the configured days.")
    subject_key = fields.Char(
        "Subject Key", readonly=True,
        help="The subject without spaces and punctuation, to find the "
        "repeated orders.")
    repeat_of = fields.Many2One(
        'hall.hotline.order', "Repeat of", readonly=True,
        ondelete='SET NULL')
    sensitive = fields.Boolean("Sensitive", readonly=True)
    sensitive_words = fields.Char("Sensitive Words Found", readonly=True)
    lead_department = fields.Many2One(
        'hall.department', "Lead Department", readonly=True,
        ondelete='RESTRICT')
    assisting_departments = fields.Many2Many(
        'hall.hotline.order-assisting-hall.department', 'order',
        'department', "Assisting Departments", readonly=True)
    registered_at = fields.Timestamp("Registered at", readonly=True)
    dispatched_at = fields.Timestamp("Dispatched at", readonly=True)
    sign_deadline = fields.Timestamp("Sign by", readonly=True)
    signed_at = fields.Timestamp("Signed at", readonly=True)
    answer_deadline = fields.Timestamp("Answer by", readonly=True)
    answer_unit = fields.Char("Answer Unit", readonly=True)
    answered_at = fields.Timestamp("Answered at", readonly=True)
    closed_at = fields.Timestamp("Closed at", readonly=True)
    paused_at = fields.Timestamp("Paused since", readonly=True)
    sign_overdue = fields.Boolean("Signing Overdue", readonly=True)
    answer_overdue = fields.Boolean("Answer Overdue", readonly=True)
    reply = fields.Text(
        "Reply", states={
            'readonly': ~Eval('state').in_(['registered', 'signed']),
            },
        help="What the department answers the caller.")
    measures = fields.Text(
        "Measures Taken", states={'readonly': Eval('state') != 'signed'})
    reached = fields.Selection(
        CONTACT, "Caller Reached", sort=False, states=_follow_up)
    satisfaction = fields.Selection(
        SATISFACTION, "Satisfaction", sort=False, states={
            'readonly': (_follow_up['readonly']
                | (Eval('reached') != 'reached')),
            'invisible': _follow_up['invisible'],
            })
    follow_up_note = fields.Text("Follow-up Note", states=_follow_up)
    direct = fields.Boolean(
        "Concluded Directly", readonly=True,
        help="Answered by the operator at registration (直接办结).")
    transfer_count = fields.Integer(
        "Transfers", readonly=True,
        help="Times the order was dispatched to another lead department "
        "(转派).")
    return_count = fields.Integer(
        "Returns", readonly=True,
        help="Times a department returned the order (回退).")
    redo_count = fields.Integer(
        "Redo Orders", readonly=True,
        help="Times the order was redone after an unsatisfied follow-up "
        "(重办).")
    escalated = fields.Boolean("Escalated", readonly=True)
    escalated_at = fields.Timestamp("Escalated at", readonly=True)
    logs = fields.One2Many(
        'hall.hotline.order.log', 'order', "History", readonly=True)
    at_my_department = fields.Function(
        fields.Boolean("At My Department",
            help="Led by a department the user acts for."),
        'get_at_my_department', searcher='search_at_my_department')
    redo_allowed = fields.Function(
        fields.Boolean("Redo Allowed"), 'on_change_with_redo_allowed')
    due_at = fields.Function(
        fields.Timestamp("Due at"), 'get_due_at')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_number_unique', Unique(t, t.company, t.number),
                'hall_hotline.msg_order_number_unique'),
            ('company_platform_number_unique',
                Unique(t, t.company, t.platform_number),
                'hall_hotline.msg_order_platform_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.company, Index.Equality(cardinality='low')),
                    (t.registered_at, Index.Range())),
                Index(t, (t.caller_phone, Index.Equality()),
                    where=t.caller_phone != Null),
                Index(t, (t.subject_key, Index.Equality())),
                Index(t, (t.lead_department, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'registered'),
            ('draft', 'cancelled'),
            ('registered', 'closed'),
            ('registered', 'dispatched'),
            ('returned', 'dispatched'),
            ('dispatched', 'signed'),
            ('dispatched', 'returned'),
            ('signed', 'returned'),
            ('signed', 'answered'),
            ('answered', 'signed'),
            ('answered', 'reviewed'),
            ('reviewed', 'closed'),
            ('reviewed', 'dispatched'),
            }
        state = Eval('state')
        for name, invisible, icon in [
                ('register', state != 'draft', 'tryton-forward'),
                ('cancel', state != 'draft', 'tryton-cancel'),
                ('conclude', state != 'registered', 'tryton-ok'),
                ('dispatch', ~state.in_(list(DISPATCHABLE)),
                    'tryton-forward'),
                ('sign', state != 'dispatched', 'tryton-ok'),
                ('return_', ~state.in_(list(AT_DEPARTMENT)), 'tryton-back'),
                ('answer', state != 'signed', 'tryton-forward'),
                ('approve', state != 'answered', 'tryton-ok'),
                ('reject', state != 'answered', 'tryton-back'),
                ('close', state != 'reviewed', 'tryton-ok'),
                ('redo', state != 'reviewed', 'tryton-refresh'),
                ]:
            cls._buttons[name] = {
                'invisible': invisible, 'icon': icon, 'depends': ['state']}

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_source(cls):
        return 'call'

    @classmethod
    def default_urgency(cls):
        return 'normal'

    @classmethod
    def default_category(cls):
        return 'consultation'

    @classmethod
    def default_anonymous(cls):
        return False

    @classmethod
    def default_repeated(cls):
        return False

    @classmethod
    def default_sensitive(cls):
        return False

    @classmethod
    def default_sign_overdue(cls):
        return False

    @classmethod
    def default_answer_overdue(cls):
        return False

    @classmethod
    def default_direct(cls):
        return False

    @classmethod
    def default_escalated(cls):
        return False

    @classmethod
    def default_transfer_count(cls):
        return 0

    @classmethod
    def default_return_count(cls):
        return 0

    @classmethod
    def default_redo_count(cls):
        return 0

    def get_rec_name(self, name):
        return self.number or str(self.id)

    def get_at_my_department(self, name):
        Liaison = Pool().get('hall.hotline.liaison')
        return bool(self.lead_department
            and self.lead_department.id in Liaison.departments_of())

    @classmethod
    def search_at_my_department(cls, name, clause):
        Liaison = Pool().get('hall.hotline.liaison')
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            return [('id', '=', None)]
        mine = (operator == '=') == bool(value)
        departments = Liaison.departments_of()
        return [('lead_department', 'in' if mine else 'not in', departments)]

    @fields.depends('state', 'satisfaction')
    def on_change_with_redo_allowed(self, name=None):
        return self.state == 'reviewed' and self.satisfaction in UNSATISFIED

    def get_due_at(self, name):
        "What is due next: the signing, then the answer"
        if self.state == 'dispatched':
            return self.sign_deadline
        if self.state == 'signed':
            return self.answer_deadline

    @classmethod
    def order_due_at(cls, tables):
        table, _ = tables[None]
        return [Case(
                (table.state == 'dispatched', table.sign_deadline),
                (table.state == 'signed', table.answer_deadline),
                else_=Null)]

    # -- checks --------------------------------------------------------------

    def check_registrable(self):
        if self.category == 'efficiency' and not (
                self.window or self.employee):
            raise OrderValidationError(gettext(
                    'hall_hotline.msg_order_efficiency_subject',
                    order=self.rec_name))
        if not self.anonymous and not (
                self.caller or self.caller_name or self.caller_phone):
            raise OrderValidationError(gettext(
                    'hall_hotline.msg_order_caller_missing',
                    order=self.rec_name))

    def check_reply(self):
        if not (self.reply or '').strip():
            raise OrderError(gettext(
                    'hall_hotline.msg_order_reply_missing',
                    order=self.rec_name))

    @staticmethod
    def check_reason(reason):
        if not (reason or '').strip():
            raise OrderError(gettext('hall_hotline.msg_order_reason_missing'))

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'delete':
            for order in orders:
                if order.state not in {'draft', 'cancelled'} or (
                        order.state == 'cancelled' and order.registered_at):
                    raise OrderError(gettext(
                            'hall_hotline.msg_order_delete',
                            order=order.rec_name))

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'platform_number', 'platform_registered_at',
                'repeat_of',
                'lead_department', 'registered_at', 'dispatched_at',
                'sign_deadline', 'signed_at', 'answer_deadline',
                'answer_unit', 'answered_at', 'closed_at', 'paused_at',
                'reply', 'measures', 'reached', 'satisfaction',
                'follow_up_note', 'escalated_at', 'sensitive_words',
                'subject_key']:
            default.setdefault(field, None)
        for field in ['repeated', 'sensitive', 'sign_overdue',
                'answer_overdue', 'direct', 'escalated']:
            default.setdefault(field, False)
        for field in ['transfer_count', 'return_count', 'redo_count']:
            default.setdefault(field, 0)
        default.setdefault('assisting_departments', None)
        default.setdefault('logs', None)
        return super().copy(orders, default=default)

    # -- the log -------------------------------------------------------------

    @classmethod
    def record_step(
            cls, orders, action, reason=None, department=None, now=None):
        Log = Pool().get('hall.hotline.order.log')
        now = now or clock.utcnow()
        user = Transaction().user
        with without_check_access():
            Log.create([{
                        'order': o.id,
                        'action': action,
                        'at': now,
                        'user': user or None,
                        'department': (department or o.lead_department
                            or None) and (department or o.lead_department).id,
                        'reason': reason,
                        } for o in orders])

    # -- transitions ---------------------------------------------------------

    @classmethod
    def set_number(cls, orders):
        Configuration = Pool().get('hall.hotline.configuration')
        config = Configuration(1)
        for order in orders:
            if not order.number:
                with Transaction().set_context(
                        date=order.local(order.registered_at).date()):
                    order.number = config.order_sequence.get()

    @classmethod
    @ModelView.button
    @strict_transition('registered')
    def register(cls, orders):
        now = clock.utcnow()
        for order in orders:
            order.check_registrable()
            order.registered_at = now
        cls.set_number(orders)
        cls.save(orders)
        cls.tag(orders)
        cls.record_step(orders, 'register', now=now)

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, orders):
        cls.record_step(orders, 'cancel')

    @classmethod
    @ModelView.button
    @strict_transition('closed')
    def conclude(cls, orders):
        "直接办结: the operator answers a consultation at registration"
        now = clock.utcnow()
        for order in orders:
            order.check_reply()
            order.direct = True
            order.answered_at = order.closed_at = now
        cls.save(orders)
        cls.record_step(orders, 'conclude', now=now)

    @classmethod
    @ModelView.button_action('hall_hotline.wizard_order_dispatch')
    def dispatch(cls, orders):
        pass

    @classmethod
    def dispatch_to(cls, orders, lead, assisting=(), reason=None):
        """Send `orders` to the `lead` department with `assisting` ones; a
        second dispatcher is told the order has gone already"""
        from trytond.modules.hall.locking import hold_rows, current_values
        now = clock.utcnow()
        hold_rows(cls, [o.id for o in orders])
        stored = current_values(cls, [o.id for o in orders], 'state')
        for order in orders:
            if stored.get(order.id) not in DISPATCHABLE:
                raise OrderError(gettext(
                        'hall_hotline.msg_order_dispatched_already',
                        order=order.rec_name,
                        state=dict(cls.fields_get(['state'])['state'][
                                'selection']).get(stored.get(order.id))))
            if lead in assisting:
                raise OrderError(gettext(
                        'hall_hotline.msg_order_lead_assisting',
                        order=order.rec_name, department=lead.rec_name))
        cls._dispatch(orders, lead, assisting, reason, now)

    @classmethod
    @strict_transition('dispatched')
    def _dispatch(cls, orders, lead, assisting, reason, now):
        transfers = []
        for order in orders:
            previous = order.lead_department
            if previous and previous != lead:
                order.transfer_count = (order.transfer_count or 0) + 1
                transfers.append(order)
            order.resume(now)
            order.lead_department = lead
            order.assisting_departments = list(assisting)
            order.dispatched_at = now
            order.signed_at = None
            order.sign_overdue = False
            if order.answer_deadline is None or order.state == 'registered':
                order.set_deadlines(now)
            else:
                # a re-dispatch keeps the answer deadline; the new
                # department has its own time to sign for it
                order.sign_deadline = order.sign_deadline_from(now)
        cls.save(orders)
        for order in orders:
            cls.record_step([order],
                'transfer' if order in transfers else 'dispatch',
                reason=reason, department=lead, now=now)
        cls.escalate_if_due(orders)

    @classmethod
    @ModelView.button
    @strict_transition('signed')
    def sign(cls, orders):
        Pool().get('hall.hotline.liaison').check_acts_for(orders)
        now = clock.utcnow()
        for order in orders:
            order.signed_at = now
            order.sign_overdue = bool(
                order.sign_deadline and now > order.sign_deadline)
        cls.save(orders)
        cls.record_step(orders, 'sign', now=now)

    @classmethod
    @ModelView.button_action('hall_hotline.wizard_order_return')
    def return_(cls, orders):
        pass

    @classmethod
    @strict_transition('returned')
    def send_back(cls, orders, reason):
        "回退: the lead department gives the order back to the dispatchers"
        cls.check_reason(reason)
        Pool().get('hall.hotline.liaison').check_acts_for(orders)
        now = clock.utcnow()
        for order in orders:
            order.return_count = (order.return_count or 0) + 1
        cls.pause(orders, 'returned', now)
        cls.save(orders)
        cls.record_step(orders, 'return', reason=reason, now=now)

    @classmethod
    @ModelView.button
    @strict_transition('answered')
    def answer(cls, orders):
        Pool().get('hall.hotline.liaison').check_acts_for(orders)
        now = clock.utcnow()
        for order in orders:
            order.check_reply()
            order.answered_at = now
            order.answer_overdue = bool(
                order.answer_deadline and now > order.answer_deadline)
        cls.pause(orders, 'answered', now)
        cls.save(orders)
        cls.record_step(orders, 'answer', now=now)

    @classmethod
    @ModelView.button
    @strict_transition('reviewed')
    def approve(cls, orders):
        now = clock.utcnow()
        for order in orders:
            order.resume(now)
        cls.pause(orders, 'reviewed', now)
        cls.save(orders)
        cls.record_step(orders, 'approve', now=now)

    @classmethod
    @ModelView.button_action('hall_hotline.wizard_order_reject')
    def reject(cls, orders):
        pass

    @classmethod
    @strict_transition('signed')
    def send_back_answer(cls, orders, reason):
        "The dispatcher finds the answer wanting: the department answers again"
        cls.check_reason(reason)
        now = clock.utcnow()
        for order in orders:
            order.resume(now)
            order.answered_at = None
        cls.save(orders)
        cls.record_step(orders, 'reject', reason=reason, now=now)

    @classmethod
    def check_follow_up(cls, orders):
        for order in orders:
            if order.anonymous:
                continue
            if not order.reached:
                raise OrderError(gettext(
                        'hall_hotline.msg_order_follow_up_missing',
                        order=order.rec_name))
            if order.reached == 'reached' and not order.satisfaction:
                raise OrderError(gettext(
                        'hall_hotline.msg_order_satisfaction_missing',
                        order=order.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('closed')
    def close(cls, orders):
        cls.check_follow_up(orders)
        now = clock.utcnow()
        for order in orders:
            order.paused_at = None
            order.closed_at = now
        cls.save(orders)
        cls.record_step(orders, 'close', now=now)

    @classmethod
    @ModelView.button
    @strict_transition('dispatched')
    def redo(cls, orders):
        "重办: the caller is not satisfied, the lead department does it again"
        now = clock.utcnow()
        for order in orders:
            if order.satisfaction not in UNSATISFIED:
                raise OrderError(gettext(
                        'hall_hotline.msg_order_redo_satisfied',
                        order=order.rec_name))
            order.redo_count = (order.redo_count or 0) + 1
            order.paused_at = None
            order.dispatched_at = now
            order.signed_at = order.answered_at = None
            order.sign_overdue = order.answer_overdue = False
            order.set_deadlines(now)
        cls.save(orders)
        reasons = {o.id: o.follow_up_note for o in orders}
        for order in orders:
            cls.record_step([order], 'redo', reason=reasons[order.id], now=now)
        # the new round is followed up anew
        cls.write(orders, {
                'reached': None, 'satisfaction': None,
                'follow_up_note': None})
        cls.escalate_if_due(orders)
