# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The test data of the themes: the hall of HallData with the departments
and services of the 新生儿出生 theme (a birth: registration of the
household, medical insurance, social security card, vaccination card), a
department window and its clerk rostered today."""
from trytond.modules.hall.tests.tools import HallData
from trytond.pool import Pool


class ThemeData(HallData):
    """新生儿出生: 出生登记 (公安) and 预防接种证 (卫健) first, side by side;
    then 医保参保登记 (医保) and 社会保障卡申领 (人社) side by side.

    The materials: 出生医学证明 for 出生登记, 医保 and 接种证 (3 services),
    居民户口簿 for 出生登记 and 医保 (2), 居民身份证 as 申请人身份证明 and
    居民身份证 for 出生登记 and 社保卡 (2), 结婚证 for 出生登记, 证件照片 for
    社保卡 and 新生儿入户申请表 for 出生登记: 6 materials once, 10 asked
    in all; limits 1 | 2 then 1 | 5: 7 working days, 9 separately."""

    def __init__(self):
        super().__init__()
        pool = Pool()
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        Window = pool.get('hall.window')
        DataItem = pool.get('hall.data.item')
        Theme = pool.get('hall.theme')
        Date = pool.get('ir.date')
        Shift = pool.get('hall.roster.shift')

        self.police, self.health, self.insurance, self.social = (
            Department.create([
                    {'name': "公安局", 'code': 'GA'},
                    {'name': "卫生健康委员会", 'code': 'WJ'},
                    {'name': "医疗保障局", 'code': 'YB'},
                    {'name': "人力资源和社会保障局", 'code': 'RS'},
                    ]))
        # the module's common items
        self.name_item, self.id_item, self.phone_item, self.bank_item = (
            DataItem.search([('name', '=', n)])[0]
            for n in ["新生儿姓名", "公民身份号码", "联系电话", "银行账号"])

        def service(code, name, department, limit, materials, items):
            return {
                'code': code, 'name': name, 'department': department.id,
                'legal_limit': limit * 2, 'promised_limit': limit,
                'materials': [('create', [{'name': m} for m in materials])],
                'data_items': [('create', [{'item': i.id} for i in items])],
                }
        (self.birth, self.vaccination, self.medical,
            self.card) = Service.create([
                service('GA-101', "出生登记", self.police, 1, [
                        "出生医学证明", "居民户口簿原件及复印件",
                        "申请人身份证明", "结婚证", "新生儿入户申请表"],
                    [self.name_item, self.id_item, self.phone_item]),
                service('WJ-201', "预防接种证办理", self.health, 2,
                    ["出生医学证明"], [self.name_item, self.phone_item]),
                service('YB-301', "城乡居民医保参保登记", self.insurance, 1,
                    ["出生医学证明", "户口簿"],
                    [self.name_item, self.id_item]),
                service('RS-401', "社会保障卡申领", self.social, 5,
                    ["居民身份证", "证件照片"],
                    [self.name_item, self.id_item, self.bank_item]),
                ])
        self.social_window, = Window.create([{
                    'hall': self.hall.id, 'number': 'B01',
                    'kind': 'dedicated', 'department': self.social.id,
                    'services': [('add', [self.card.id])],
                    }])
        self.zhao.hall_services = [self.registration, self.card]
        self.zhao.save()
        today = Date.today()
        working = pool.get('hall.calendar.day').is_working_day(today)
        Shift.create([{
                    'date': today,
                    'period': 'full_day' if working else 'weekend',
                    'hall': self.hall.id, 'window': self.social_window.id,
                    'employee': self.zhao.id,
                    }])
        self.theme, = Theme.create([{
                    'company': self.company.id, 'code': 'YJS-01',
                    'name': "新生儿出生", 'kind': 'person',
                    'halls': [('add', [self.hall.id])],
                    'steps': [('create', [
                                {'service': s.id, 'stage': stage}
                                for s, stage in [
                                    (self.birth, 1), (self.vaccination, 1),
                                    (self.medical, 2), (self.card, 2)]])],
                    }])
        self.parent, = Pool().get('party.party').create([{
                    'name': "李秀英",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '33010619900101123X',
                                    }])],
                    }])

    def theme_application(self, **values):
        ThemeApplication = Pool().get('hall.theme.application')
        application, = ThemeApplication.create([{
                    'company': self.company.id, 'hall': self.hall.id,
                    'theme': self.theme.id, 'applicant': self.parent.id,
                    'window': self.a01.id,
                    **values}])
        return application

    def accepted_application(self, **values):
        """A theme application of the theme, published if need be, received
        with every material provided and accepted"""
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeApplication = pool.get('hall.theme.application')
        Line = pool.get('hall.theme.application.material')
        if self.theme.state != 'published':
            Theme.publish([self.theme])
        application = self.theme_application(**values)
        ThemeApplication.receive([application])
        Line.write(list(application.materials), {'status': 'provided'})
        ThemeApplication.accept([application])
        return ThemeApplication(application.id)
