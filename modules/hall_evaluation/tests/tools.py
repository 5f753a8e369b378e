# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Data shared by the tests of hall_evaluation (inside a transaction)"
from unittest.mock import patch

from trytond.modules.company.tests import create_employee
from trytond.modules.hall.tests.tools import HallData
from trytond.pool import Pool

__all__ = ['EvaluationData', 'PUBLIC_URL', 'at']

PUBLIC_URL = 'https://zwfw.example.gov.cn'


class EvaluationData(HallData):
    """A hall with two windows, two clerks (李强 at A01, 赵敏 at A02), an
    evaluation supervisor, a leader and a manager"""

    def __init__(self):
        Pool().get('hall.calendar.day').seed([2025])
        super().__init__()

    def create_services(self):
        pool = Pool()
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
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
        return self.licence, self.residence

    def create_staff(self):
        Configuration = Pool().get('hall.evaluation.configuration')
        self.li = create_employee(self.company, "李强")
        self.zhao = create_employee(self.company, "赵敏")
        self.chen = create_employee(self.company, "陈静")
        self.li_user = self.user('li', ['group_window_clerk'], self.li)
        self.zhao_user = self.user('zhao', ['group_window_clerk'], self.zhao)
        self.supervisor = self.user('chen', ['group_evaluation_supervisor'],
            self.chen, module='hall_evaluation')
        self.leader = self.user('leader', ['group_hall_leader'])
        self.manager = self.user('manager', ['group_hall_manager'])
        config = Configuration(1)
        config.supervisor = self.supervisor
        config.save()
        self.hall.public_url = PUBLIC_URL
        self.hall.save()

    def create_parties(self):
        Party = Pool().get('party.party')
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
            applicant=None, service=None):
        "An application at `window` taken by `clerk` brought to `state`"
        Application = Pool().get('hall.application')
        window = window or self.a01
        clerk = clerk or (self.li if window == self.a01 else self.zhao)
        application = super().application(window, service=service,
            applicant=(applicant or self.citizen).id, clerk=clerk.id)
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


def at(moment):
    "Patch the clock of the rating links"
    Link = Pool().get('hall.evaluation.link')
    return patch.object(Link, '_now', return_value=moment)
