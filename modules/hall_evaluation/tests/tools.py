# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Data shared by the tests of hall_evaluation (inside a transaction)"
import datetime as dt
from unittest.mock import patch

from trytond.modules.company.tests import create_company, create_employee
from trytond.pool import Pool
from trytond.transaction import Transaction


class EvaluationData:
    """A hall with two windows, two clerks (李强 at A01, 赵敏 at A02), an
    evaluation supervisor, a leader and a manager"""

    def __init__(self):
        pool = Pool()
        Hall = pool.get('hall.hall')
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        Window = pool.get('hall.window')
        Party = pool.get('party.party')
        Group = pool.get('res.group')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        CalendarDay = pool.get('hall.calendar.day')
        Configuration = pool.get('hall.evaluation.configuration')

        CalendarDay.seed([2025])
        self.company = create_company()
        self.hall, = Hall.create([{
                    'name': "测试大厅", 'company': self.company.id}])
        self.market, self.police = Department.create([
                {'name': "市场监督管理局", 'code': 'SCJG'},
                {'name': "公安局", 'code': 'GA'}])
        self.licence, self.residence = Service.create([{
                    'code': 'SC-001', 'name': "食品经营许可",
                    'department': self.market.id,
                    'legal_limit': 20, 'promised_limit': 5,
                    }, {
                    'code': 'GA-001', 'name': "居住证办理",
                    'department': self.police.id,
                    'legal_limit': 15, 'promised_limit': 0,
                    }])
        self.a01, self.a02 = Window.create([{
                    'hall': self.hall.id, 'number': 'A01',
                    'services': [('add', [self.licence.id])],
                    }, {
                    'hall': self.hall.id, 'number': 'A02',
                    'services': [('add', [self.residence.id])],
                    }])
        self.li = create_employee(self.company, "李强")
        self.zhao = create_employee(self.company, "赵敏")
        self.chen = create_employee(self.company, "陈静")

        def group(module, fs_id):
            return Group(ModelData.get_id(module, fs_id)).id

        def user(login, groups, employee=None):
            return User.create([{
                        'login': login,
                        'name': login,
                        'companies': [('add', [self.company.id])],
                        'company': self.company.id,
                        'employees': (
                            [('add', [employee.id])] if employee else []),
                        'employee': employee.id if employee else None,
                        'groups': [('add', [group(*g) for g in groups])],
                        }])[0]
        clerk = ('hall', 'group_window_clerk')
        self.li_user = user('li', [clerk], self.li)
        self.zhao_user = user('zhao', [clerk], self.zhao)
        self.supervisor = user('chen', [
                ('hall_evaluation', 'group_evaluation_supervisor')],
            self.chen)
        self.leader = user('leader', [('hall', 'group_hall_leader')])
        self.manager = user('manager', [('hall', 'group_hall_manager')])
        config = Configuration(1)
        config.supervisor = self.supervisor
        config.save()

        self.citizen, self.other = Party.create([{
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X',
                                    }])],
                    }, {
                    'name': "王小丽",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '110105199003071239',
                                    }])],
                    }])

    def application(self, window=None, clerk=None, state='accepted',
            applicant=None):
        "An application at `window` taken by `clerk` brought to `state`"
        pool = Pool()
        Application = pool.get('hall.application')
        window = window or self.a01
        clerk = clerk or (self.li if window == self.a01 else self.zhao)
        application, = Application.create([{
                    'company': self.company.id,
                    'hall': self.hall.id,
                    'applicant': (applicant or self.citizen).id,
                    'service': window.services[0].id,
                    'window': window.id,
                    'clerk': clerk.id,
                    }])
        steps = ['received', 'accepted', 'approved', 'completed']
        actions = {
            'received': Application.receive,
            'accepted': Application.accept,
            'approved': Application.approve,
            'completed': Application.complete,
            }
        if state != 'draft':
            for step in steps[:steps.index(state) + 1]:
                actions[step]([application])
        return application

    def rate(self, application, level, reason=None, channel='qr_code',
            **values):
        "Rate `application` through its QR-code link"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        Evaluation = pool.get('hall.evaluation')
        if channel == 'qr_code':
            link = application.rating_link()
            return Link.submit(link.token, {
                    'level': level, 'reason': reason, **values})
        evaluation, = Evaluation.create([{
                    'company': self.company.id,
                    'application': application.id,
                    'channel': channel,
                    'level': level,
                    'reason': reason,
                    **values}])
        return evaluation


def as_user(user):
    "Run as `user` with access rights and record rules checked"
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=user.company.id)


def on(day):
    "Patch today's date"
    Date = Pool().get('ir.date')
    return patch.object(Date, 'today', return_value=day)


def at(moment):
    "Patch the clock of the rating links"
    Link = Pool().get('hall.evaluation.link')
    return patch.object(Link, '_now', return_value=moment)


__all__ = ['EvaluationData', 'as_user', 'on', 'at', 'dt']
