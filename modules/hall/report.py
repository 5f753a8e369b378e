# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The base of every printed document of the hall: its templates write
dates in the official Chinese form, times in the company's time zone and
time limits as a citizen reads them."""
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from . import clock, report_rules
from .company import company_today


def context_company():
    "The company of the context, else the user's"
    pool = Pool()
    Company = pool.get('company.company')
    User = pool.get('res.user')
    company_id = Transaction().context.get('company')
    if company_id is not None and company_id >= 0:
        return Company(company_id)
    return User(Transaction().user).company


class HallReport(Report):
    """A document of the hall.  Its template has, besides Report's context:
    `today` (in the company's time zone), `cn_date`, `cn_month`,
    `cn_datetime` (a stored UTC time, written in the company's time zone),
    `local_date` (the date of a stored UTC time in that time zone),
    `cn_quarter`, `time_limit` (即办 for no working day) and
    `hall_contact` (the address, phone and opening hours of a hall).

    The groups checked are those of the document's own action: a request
    naming the action of another report (maybe of no group) or none prints
    this one's, and a user out of its groups is refused in their language."""

    @classmethod
    def execute(cls, ids, data):
        data = dict(data or {})
        data['action_id'] = cls.own_action(data.get('action_id'))
        return super().execute(ids, data)

    @classmethod
    def own_action(cls, action_id):
        "The id of the action `action_id` if it prints this report, else its"
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        User = pool.get('res.user')
        with without_check_access():
            actions = ActionReport.search(
                [('report_name', '=', cls.__name__)], order=[('id', 'ASC')])
        if not actions:
            raise AccessError(gettext('hall.msg_report_access', report=''))
        action = {a.id: a for a in actions}.get(action_id, actions[0])
        user = Transaction().user
        if user:
            groups = ActionReport.get_groups(cls.__name__, action.id)
            if groups and not groups & set(User.get_groups()):
                raise AccessError(gettext(
                        'hall.msg_report_access', report=action.name))
        return action.id

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        company = context_company()
        timezone = company.timezone if company else None
        context['company'] = company
        context['today'] = company_today(company)
        context['cn_date'] = report_rules.chinese_date
        context['cn_month'] = report_rules.chinese_month
        context['local_date'] = lambda value: (
            clock.to_local(value, timezone).date() if value else None)
        context['cn_datetime'] = lambda value: report_rules.chinese_datetime(
            clock.to_local(value, timezone) if value else None)
        context['cn_quarter'] = report_rules.chinese_quarter
        context['time_limit'] = report_rules.time_limit
        context['hall_contact'] = cls.hall_contact
        return context

    @staticmethod
    def hall_contact(hall):
        "Where, how and when a citizen reaches `hall`, on one line"
        if not hall:
            return ''
        return report_rules.contact_line(hall.address, hall.phone,
            report_rules.opening_hours(
                hall.morning_start, hall.morning_end,
                hall.afternoon_start, hall.afternoon_end))
