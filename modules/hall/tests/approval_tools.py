# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Test data of the approval items (green channel, proxy agents): a hall
with its services, two enterprises and the staff, around the National Day
holiday of 2026 (1 to 7 October off; Sunday 20 September and Saturday
10 October are make-up workdays)."""
from trytond.modules.company.tests import create_company, create_employee
from trytond.pool import Pool

from .tools import on

__all__ = ['ApprovalData']

# Valid unified social credit codes (GB 32100-2015)
USCC_A = '91330106215736816D'
USCC_B = '91330106930364265G'


class ApprovalData:
    "A hall with four services, two enterprises, a clerk and a leader"

    def __init__(self):
        pool = Pool()
        Hall = pool.get('hall.hall')
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        Party = pool.get('party.party')
        CalendarDay = pool.get('hall.calendar.day')

        CalendarDay.seed([2026])
        self.company = create_company()
        self.hall, = Hall.create([{
                    'name': "测试大厅", 'company': self.company.id}])
        self.planning, self.housing = Department.create([
                {'name': "自然资源和规划局", 'code': 'ZRZY'},
                {'name': "住房和城乡建设局", 'code': 'ZJ'},
                ])
        (self.land, self.site, self.design,
            self.permit) = Service.create([{
                    'code': 'ZR-001', 'name': "建设用地规划许可",
                    'department': self.planning.id,
                    'legal_limit': 20, 'promised_limit': 5,
                    }, {
                    'code': 'ZR-002', 'name': "建设工程规划许可",
                    'department': self.planning.id,
                    'legal_limit': 15, 'promised_limit': 3,
                    }, {
                    'code': 'ZJ-001', 'name': "施工图设计文件审查",
                    'department': self.housing.id,
                    'legal_limit': 10, 'promised_limit': 10,
                    }, {
                    'code': 'ZJ-002', 'name': "建筑工程施工许可",
                    'department': self.housing.id,
                    'legal_limit': 10, 'promised_limit': 5,
                    }])
        self.enterprise_a, self.enterprise_b, self.citizen = Party.create([{
                    'name': "滨江市智造科技有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat', 'code': USCC_A}])],
                    }, {
                    'name': "滨江市康养置业有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat', 'code': USCC_B}])],
                    }, {
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X'}])],
                    }])
        self.clerk = self.user('clerk', 'hall', 'group_window_clerk', "王丽")
        self.leader = self.user('leader', 'hall', 'group_hall_leader', "刘洋")
        self.manager = self.user(
            'manager', 'hall', 'group_hall_manager', "陈静")

    def user(self, login, module, group, name):
        "A user of `group`, with an employee named `name`"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        employee = create_employee(self.company, name)
        user, = User.create([{
                    'login': login,
                    'name': name,
                    'companies': [('add', [self.company.id])],
                    'company': self.company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'groups': [('add', [
                                Group(ModelData.get_id(module, group)).id])],
                    }])
        return user

    def application(self, party, service, accepted=None, completed=None):
        """An application of `party` for `service`, received and accepted
        on `accepted` and completed on `completed`"""
        pool = Pool()
        Application = pool.get('hall.application')
        application, = Application.create([{
                    'company': self.company.id,
                    'hall': self.hall.id,
                    'applicant': party.id,
                    'service': service.id,
                    'channel': 'green_channel',
                    }])
        if accepted:
            with on(accepted):
                Application.receive([application])
                Application.accept([application])
        if completed:
            with on(completed):
                Application.approve([application])
                Application.complete([application])
        return Application(application.id)
