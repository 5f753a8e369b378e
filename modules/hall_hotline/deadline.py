# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Deadlines of the work orders: to sign for (签收) and to answer, by category
and urgency, in hours or working days of the hall's calendar, paused in the
states the configuration names; the cron flags what is overdue."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields, sequence_ordered
from trytond.modules.hall import clock
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool

from .configuration import CATEGORIES, UNITS, URGENCIES
from .exceptions import DeadlineRuleError
from .hotline_rules import answer_deadline, extend_deadline


class DeadlineRule(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    "The deadlines of the work orders of a category and an urgency"
    __name__ = 'hall.hotline.deadline'

    category = fields.Selection(
        [(None, "")] + CATEGORIES, "Category",
        help="Empty: every category without a rule of its own.")
    urgency = fields.Selection(
        [(None, "")] + URGENCIES, "Urgency",
        help="Empty: every urgency without a rule of its own.")
    sign_hours = fields.Integer(
        "Sign within (hours)", required=True,
        domain=[('sign_hours', '>', 0)],
        help="Hours the department has to sign for (签收) a dispatched "
        "order.")
    answer_unit = fields.Selection(UNITS, "Answer Unit", required=True)
    answer_limit = fields.Integer(
        "Answer within", required=True,
        domain=[('answer_limit', '>', 0)],
        help="Working days or hours, from the dispatch, to answer.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('category_urgency_unique', Unique(t, t.category, t.urgency),
                'hall_hotline.msg_deadline_unique'),
            ]

    @classmethod
    def default_answer_unit(cls):
        return 'days'

    @classmethod
    def default_sign_hours(cls):
        return 24

    @classmethod
    def default_answer_limit(cls):
        return 5

    @classmethod
    def rule_for(cls, category, urgency):
        """The rule of `category` and `urgency`: the most specific one
        (category and urgency, category, urgency, the default)"""
        for domain in [
                [('category', '=', category), ('urgency', '=', urgency)],
                [('category', '=', category), ('urgency', '=', None)],
                [('category', '=', None), ('urgency', '=', urgency)],
                [('category', '=', None), ('urgency', '=', None)],
                ]:
            rules = cls.search(domain, limit=1)
            if rules:
                return rules[0]
        raise DeadlineRuleError(gettext('hall_hotline.msg_deadline_missing',
                category=dict(CATEGORIES).get(category, category or ''),
                urgency=dict(URGENCIES).get(urgency, urgency or '')))


class DeadlineMixin:
    "The deadlines of a work order"
    __slots__ = ()

    @property
    def timezone(self):
        return self.company.timezone if self.company else None

    def local(self, moment):
        return clock.to_local(moment, self.timezone)

    def set_deadlines(self, now):
        "The deadlines of a dispatch at `now` (UTC), by the order's rule"
        pool = Pool()
        Rule = pool.get('hall.hotline.deadline')
        CalendarDay = pool.get('hall.calendar.day')
        rule = Rule.rule_for(self.category, self.urgency)
        holidays, workdays = CalendarDay.day_sets()
        local = self.local(now)
        self.sign_deadline = clock.to_utc(
            local + dt.timedelta(hours=rule.sign_hours), self.timezone)
        self.answer_deadline = clock.to_utc(answer_deadline(
                local, rule.answer_unit, rule.answer_limit,
                holidays, workdays), self.timezone)
        self.answer_unit = rule.answer_unit

    def resume(self, now):
        "Leave a paused state: the answer deadline moves by the pause"
        CalendarDay = Pool().get('hall.calendar.day')
        if not self.paused_at:
            return
        holidays, workdays = CalendarDay.day_sets()
        if self.answer_deadline:
            self.answer_deadline = clock.to_utc(extend_deadline(
                    self.local(self.answer_deadline),
                    self.answer_unit or 'days',
                    self.local(self.paused_at), self.local(now),
                    holidays, workdays), self.timezone)
        self.paused_at = None

    @classmethod
    def pause(cls, orders, state, now):
        "Enter `state`: its time does not count when the configuration says"
        Configuration = Pool().get('hall.hotline.configuration')
        if state in (Configuration(1).paused_states or ()):
            for order in orders:
                order.paused_at = now

    def sign_deadline_from(self, now):
        Rule = Pool().get('hall.hotline.deadline')
        rule = Rule.rule_for(self.category, self.urgency)
        return now + dt.timedelta(hours=rule.sign_hours)

    @classmethod
    def check_deadlines(cls):
        """Cron: flag the orders whose signing or answer is overdue and tell
        their departments' liaisons"""
        now = clock.utcnow()
        unsigned = cls.search([
                ('state', '=', 'dispatched'),
                ('sign_overdue', '=', False),
                ('sign_deadline', '<', now),
                ])
        unanswered = cls.search([
                ('state', 'in', ['dispatched', 'signed']),
                ('answer_overdue', '=', False),
                ('answer_deadline', '<', now),
                ('paused_at', '=', None),
                ])
        if unsigned:
            cls.write(unsigned, {'sign_overdue': True})
            cls.record_step(unsigned, 'sign_overdue', now=now)
            cls.notify(unsigned, 'sign_overdue')
        if unanswered:
            cls.write(unanswered, {'answer_overdue': True})
            cls.record_step(unanswered, 'answer_overdue', now=now)
            cls.notify(unanswered, 'answer_overdue')
        # the orders a lowered limit of the configuration now escalates
        config = Pool().get('hall.hotline.configuration')(1)
        reached = []
        if config.redo_limit:
            reached.append(('redo_count', '>=', config.redo_limit))
        if config.transfer_limit:
            # the lead departments are the transfers and the first one
            reached.append(
                ('transfer_count', '>=', config.transfer_limit - 1))
        if reached:
            cls.escalate_if_due(cls.search([
                        ('state', 'not in', ['draft', 'closed', 'cancelled']),
                        ('escalated', '=', False),
                        ['OR', *reached],
                        ]))
