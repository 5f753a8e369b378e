# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of hall_theme.

- The materials of the demo's catalogue are classified by the types of the
  catalogue as the services are created; the hall sets the three
  exemptions it decides (免带印章, 免纸质签名, 少填免填) on the services
  handled online whose licences are all electronic (免带证照), which have
  the four exemptions then.
- The services the five themes need and the catalogue lacks are added (印章
  刻制, 不动产转移登记, 退休, 注销...), with the data items of their forms.
- The manager publishes five themes (开办企业, 新生儿出生, 二手房转移登记,
  退休, 企业注销) in the hall, months ago.
- Over the last months the comprehensive windows receive theme
  applications, day by day on the server's clock: materials checked once
  (some shown as electronic licences, a few missing then brought), the
  applications of the services accepted at their departments, decided
  within the plan (a few late, a few rejected), some mailed in one
  delivery, most rated once.
- The figures of the themes are printed."""
import datetime as dt
import random
from collections import defaultdict

from proteus import Model

import demo_data as D
from demo_tools import ModuleDemo, WorkingDays, server_today

SEED = 20
# (department code, name, promised limit, max visits, materials, items)
SERVICES = [
    ('GA', "印章刻制备案", 1, 'one', [
            "印章刻制申请表", "营业执照", "法定代表人身份证明",
            "授权委托书"],
        ['enterprise_name', 'uscc', 'legal_representative', 'mobile']),
    ('BDC', "不动产转移登记", 3, 'one', [
            "不动产登记申请书", "不动产权证书", "购房合同或不动产买卖合同",
            "申请人身份证明", "婚姻状况证明", "完税凭证"],
        ['applicant_name', 'id_number', 'property_unit',
            'property_location', 'transaction_price', 'mobile']),
    ('RS', "职工正常退休申请", 10, 'one', [
            "申请人身份证明", "居民户口簿", "职工档案", "近期免冠白底证件照片"],
        ['applicant_name', 'id_number', 'retirement_date', 'insured_number',
            'mobile']),
    ('RS', "基本养老金待遇核定", 5, 'zero', [
            "申请人身份证明", "退休审批表", "本人银行卡"],
        ['applicant_name', 'insured_number', 'bank_account']),
    ('YB', "退休人员医保待遇核定", 5, 'zero', [
            "申请人身份证明", "退休审批表"],
        ['applicant_name', 'insured_number', 'retirement_date']),
    ('GJJ', "住房公积金提取（退休）", 0, 'zero', [
            "申请人身份证明", "本人银行卡", "退休审批表"],
        ['applicant_name', 'id_number', 'bank_account']),
    ('SW', "清税证明开具", 1, 'zero', [
            "清税申报表", "营业执照"],
        ['enterprise_name', 'uscc', 'deregistration_reason']),
    ('RS', "单位社会保险注销登记", 1, 'zero', [
            "社会保险注销登记表", "营业执照", "清税证明"],
        ['enterprise_name', 'uscc', 'deregistration_reason']),
    ('GJJ', "单位住房公积金账户注销", 1, 'zero', [
            "住房公积金单位账户注销申请", "营业执照", "清税证明"],
        ['enterprise_name', 'uscc', 'bank_account']),
    ]
# The data items of the forms of the catalogue's services in the themes
ITEMS = {
    "企业设立登记": ['enterprise_name', 'uscc', 'legal_representative',
        'registered_capital', 'business_scope', 'domicile', 'mobile'],
    "新办纳税人套餐式服务": ['enterprise_name', 'uscc',
        'legal_representative', 'bank_account', 'mobile'],
    "增值税发票领用": ['enterprise_name', 'uscc', 'mobile'],
    "单位参保登记": ['enterprise_name', 'uscc', 'domicile', 'bank_account'],
    "单位住房公积金缴存登记": ['enterprise_name', 'uscc', 'bank_account'],
    "出生登记": ['newborn_name', 'birth_date', 'guardian_name',
        'id_number', 'address'],
    "基本医疗保险参保登记": ['newborn_name', 'birth_date', 'guardian_name',
        'mobile'],
    "社会保障卡申领、补领、换领": ['newborn_name', 'id_number',
        'bank_account', 'address'],
    "生育保险待遇核准": ['applicant_name', 'id_number', 'birth_date',
        'bank_account'],
    "不动产交易契税申报": ['applicant_name', 'id_number',
        'property_location', 'transaction_price'],
    "住房公积金提取（购房）": ['applicant_name', 'id_number',
        'bank_account', 'transaction_price'],
    "企业注销登记": ['enterprise_name', 'uscc', 'legal_representative',
        'deregistration_reason'],
    }
# (code, name, for, max visits, description, [(stage, service)], count)
THEMES = [
    ('YJS-001', "开办企业", 'enterprise', 'one',
        "新开办企业一次申请，营业执照、公章刻制、发票申领、社保登记和公积金"
        "开户一窗受理，一日办结。", [
            (1, "企业设立登记"), (2, "印章刻制备案"),
            (2, "新办纳税人套餐式服务"), (2, "增值税发票领用"),
            (2, "单位参保登记"), (2, "单位住房公积金缴存登记")], 20),
    ('YJS-002', "新生儿出生", 'person', 'one',
        "新生儿出生后，户口登记、医保参保、社保卡申领和生育保险待遇"
        "一次申请，并联办理。", [
            (1, "出生登记"), (2, "基本医疗保险参保登记"),
            (2, "社会保障卡申领、补领、换领"), (2, "生育保险待遇核准")], 24),
    ('YJS-003', "二手房转移登记", 'person', 'one',
        "存量房交易的税费缴纳、不动产转移登记和公积金提取一窗办理。", [
            (1, "不动产交易契税申报"), (2, "不动产转移登记"),
            (3, "住房公积金提取（购房）")], 16),
    ('YJS-004', "退休", 'person', 'one',
        "职工退休审批、养老金核定、医保待遇核定和公积金提取一件事办理。", [
            (1, "职工正常退休申请"), (2, "基本养老金待遇核定"),
            (2, "退休人员医保待遇核定"), (2, "住房公积金提取（退休）")], 10),
    ('YJS-005', "企业注销", 'enterprise', 'one',
        "企业清税、社保和公积金账户注销与注销登记一次申请，并联办理。", [
            (1, "清税证明开具"), (2, "单位社会保险注销登记"),
            (2, "单位住房公积金账户注销"), (3, "企业注销登记")], 10),
    ]
# Working days back over which the theme applications are received
SPAN = 70
PUBLISHED_BACK = 80


class ThemeDemo(ModuleDemo):

    def run(self):
        self.rng = random.Random(SEED)
        self.days = WorkingDays()
        Hall = Model.get('hall.hall')
        self.hall = Hall(Hall.find([], limit=1)[0].id)
        exempt = self.exemptions()
        self.add_services()
        self.add_items()
        themes = self.publish_themes()
        counts = self.receive(themes)
        rated = self.rate()
        self.report(exempt, counts, rated)
        return []

    # -- the catalogue -------------------------------------------------------

    def exemptions(self):
        Service = Model.get('hall.service')
        services = Service.find([
                ('online', '=', True), ('exempt_licence', '=', True)])
        for service in services:
            service.exempt_seal = True
            service.exempt_signature = True
            service.exempt_filling = True
        Service.save(services)
        return len(services)

    def item(self, key):
        ModelData = Model.get('ir.model.data')
        DataItem = Model.get('hall.data.item')
        return DataItem(ModelData.get_id('hall_theme', f'data_item_{key}',
                {}))

    def add_services(self):
        "The services of the themes the catalogue lacks, at their windows"
        Service = Model.get('hall.service')
        Department = Model.get('hall.department')
        HallWindow = Model.get('hall.window')
        for i, (code, name, limit, visits, materials, items) in enumerate(
                SERVICES, 1):
            department, = Department.find([('code', '=', code)])
            service = Service(code=f'{code}-YJS-{i:02d}',
                name=name, department=department, category='public',
                legal_limit=max(limit * 2, 5), promised_limit=limit,
                max_visits=visits, online=True, comprehensive=True)
            for material in materials:
                service.materials.new(name=material)
            for key in items:
                service.data_items.new(item=self.item(key))
            service.save()
            windows = HallWindow.find([
                    ('hall', '=', self.hall.id), ('kind', '=', 'dedicated'),
                    ('department', '=', department.id)], limit=1)
            for window in windows:
                window.services.append(Service(service.id))
                window.save()

    def add_items(self):
        Service = Model.get('hall.service')
        for name, items in ITEMS.items():
            service, = Service.find([('name', '=', name)])
            for key in items:
                service.data_items.new(item=self.item(key))
            service.save()

    # -- the themes ----------------------------------------------------------

    def publish_themes(self):
        Theme = Model.get('hall.theme')
        Service = Model.get('hall.service')
        themes = []
        for code, name, kind, visits, description, steps, count in THEMES:
            theme = Theme(code=code, name=name, kind=kind, max_visits=visits,
                description=description)
            theme.halls.append(Model.get('hall.hall')(self.hall.id))
            for stage, service_name in steps:
                service, = Service.find([('name', '=', service_name)])
                theme.steps.new(service=service, stage=stage)
            theme.save()
            with server_today(self.cfg, self.days.back(PUBLISHED_BACK)):
                theme.click('publish')
            themes.append((theme, count))
        return themes

    # -- the theme applications ----------------------------------------------

    def applicants(self, kind):
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        staff = {e.party.id for e in Employee.find([])}
        identifier = 'cn_ric' if kind == 'person' else 'cn_vat'
        return [p for p in Party.find([
                    ('identifiers.type', '=', identifier)])
            if p.id not in staff]

    def reception(self):
        "The comprehensive windows of the hall and the clerk rostered last"
        HallWindow = Model.get('hall.window')
        Shift = Model.get('hall.roster.shift')
        result = []
        for window in HallWindow.find([
                    ('hall', '=', self.hall.id),
                    ('kind', '=', 'comprehensive')]):
            shifts = Shift.find([('window', '=', window.id)],
                order=[('date', 'DESC')], limit=1)
            if shifts:
                result.append((window, shifts[0].employee))
        return result

    def receive(self, themes):
        """The theme applications of the last months, each received,
        checked, accepted and decided on its days"""
        ThemeApplication = Model.get('hall.theme.application')
        counts = defaultdict(int)
        reception = self.reception()
        plays = []
        for theme, count in themes:
            applicants = self.applicants(theme.kind)
            for _ in range(count):
                back = self.rng.randrange(0, SPAN)
                window, clerk = self.rng.choice(reception)
                application = ThemeApplication(
                    theme=theme, hall=self.hall,
                    applicant=self.rng.choice(applicants),
                    window=window, clerk=clerk,
                    delivery_method=('mail' if self.rng.random() < 0.3
                        else 'pickup'))
                application.save()
                plays.append((back, application))
        # in the order of the days, as the windows received them
        plays.sort(key=lambda p: (-p[0], p[1].id))
        for back, application in plays:
            counts[self.play(application, back)] += 1
        return counts

    def play(self, application, back):
        "Receive, check, accept and decide `application`; its last state"
        Line = Model.get('hall.theme.application.material')
        rng = self.rng
        day = self.days.back(back)
        with server_today(self.cfg, day):
            application.click('receive')
        lines = list(application.materials)
        for line in lines:
            if line.electronic_available and rng.random() < 0.6:
                line.status = 'electronic'
                line.licence_number = '%s-%08d' % (
                    line.type.licence_kind.code if line.type
                    and line.type.licence_kind else 'DZZZ',
                    rng.randrange(10 ** 8))
            else:
                line.status = 'provided'
        missing = rng.random() < 0.2 and back > 2
        if missing:
            line = rng.choice([l for l in lines if l.status == 'provided']
                or lines)
            line.status = 'missing'
            line.problem = rng.choice(["缺原件", "复印件不清晰", "已过有效期",
                    "缺签名"])
        Line.save(lines)
        if missing:
            with server_today(self.cfg, day):
                application.click('request_supplement')
            back = max(back - rng.randint(1, 2), 0)
            day = self.days.back(back)
            line.status = 'provided'
            line.save()
        with server_today(self.cfg, day):
            application.click('accept')
        application.reload()
        if application.delivery_method == 'mail':
            self.address(application)
        self.decide(application, back)
        application.reload()
        return application.state

    def address(self, application):
        """The delivery clerk completes the address of the one delivery of
        the theme's certificates"""
        Subdivision = Model.get('country.subdivision')
        Delivery = Model.get('hall.delivery')
        if not hasattr(self, 'districts'):
            city, = Subdivision.find(
                [('code', '=', f'CN-{D.DELIVERY_CITY_CODE}')])
            self.city = city
            self.districts = [(Subdivision.find([
                            ('code', '=', f'CN-{code}'),
                            ('parent', '=', city.id)])[0], postal_codes)
                for code, _, _, postal_codes, _ in D.DELIVERY_DISTRICTS]
        for delivery in application.deliveries:
            delivery = Delivery(delivery.id)
            district, postal_codes = self.rng.choice(self.districts)
            delivery.province = self.city.parent
            delivery.city = self.city
            delivery.district = district
            delivery.postal_code = self.rng.choice(postal_codes)
            if not delivery.street:
                delivery.street = "解放东路18号"
            if not delivery.mobile:
                delivery.mobile = '13%09d' % self.rng.randrange(10 ** 9)
            delivery.save()

    def decide(self, application, accepted_back):
        """The departments decide the children within their plan (one in
        ten late, one in a hundred rejected), as far as today"""
        Application = Model.get('hall.application')
        rng = self.rng
        plan = {}
        theme = application.theme
        start = 0
        stages = sorted({s.stage for s in theme.steps})
        longest = {st: max(s.service.promised_limit or 0
                for s in theme.steps if s.stage == st) for st in stages}
        for stage in stages:
            plan[stage] = (start, start + longest[stage])
            start += longest[stage]
        for child in application.children:
            step, = [s for s in theme.steps if s.service == child.service]
            first, last = plan[step.stage]
            took = rng.randint(first, max(first, last))
            if rng.random() < 0.1:
                took = last + rng.randint(1, 3)
            back = accepted_back - took
            if back < 0:
                continue
            day = self.days.back(back)
            with server_today(self.cfg, day):
                if rng.random() < 0.01:
                    child.rejection_reason = "申请条件不符合规定"
                    child.save()
                    child.click('reject')
                    continue
                if child.delivery_method == 'mail':
                    child.certificate = (
                        f"{child.service.name}结果文书 {child.number}")
                    child.save()
                child.click('approve')
                child = Application(child.id)
                child.click('complete')

    def rate(self):
        """One rating of the concluded theme applications, most of them,
        on the day they concluded, as the applicants gave them on the QR
        page of one of its applications (stored as root: no role creates
        ratings)"""
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        ThemeApplication = Model.get('hall.theme.application')
        concluded = ThemeApplication.find([('completed_date', '!=', None)])
        vlist = []
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        for application in concluded:
            if self.rng.random() > 0.85:
                continue
            child = application.children[0]
            vlist.append({
                    'company': self.company.id,
                    'application': child.id,
                    'channel': 'qr_code',
                    'level': self.rng.choices(
                        ['very_satisfied', 'satisfied', 'basic'],
                        [70, 25, 5])[0],
                    'rated_at': min(now, dt.datetime.combine(
                            application.completed_date, dt.time(8, 30))),
                    })
        with Transaction().start(self.cfg.database_name, 0,
                context={'company': self.company.id}):
            Pool().get('hall.evaluation').create(vlist)
        return len(vlist)

    def report(self, exempt, counts, rated):
        Material = Model.get('hall.service.material')
        Figures = Model.get('hall.material.figures')
        Summary = Model.get('hall.theme.figures.summary')
        figures, = Figures.find([])
        self.say("theme: %d materials of %d services, %d of a type, "
            "%d unclassified; %d linked to electronic licences (%.2f%%) "
            "of %d kinds; %d services without licences to bring, %d with "
            "the four exemptions (%d set)" % (
                figures.materials, figures.services, figures.classified,
                len(Material.find([('type', '=', None)])),
                figures.electronic_materials,
                100 * (figures.electronic_rate or 0), figures.licence_kinds,
                figures.exempt_licence, figures.four_exemptions, exempt))
        start = self.days.back(SPAN + PUBLISHED_BACK)
        ByTheme = Model.get('hall.theme.figures')
        with self.cfg.set_context(from_date=start, to_date=self.days.today):
            summary, = Summary.find([])
            rows = ByTheme.find([])
        self.say("theme: %d themes published, %d theme applications "
            "(%s), %d rated; %s" % (summary.published, summary.applications,
                ', '.join(f'{s} {n}' for s, n in sorted(counts.items())),
                rated, self.figures_text(summary)))
        for row in rows:
            self.say("theme: %s: %d applications, %s" % (
                    row.theme.name, row.applications,
                    self.figures_text(row)))

    @staticmethod
    def figures_text(figures):
        def percent(value):
            return '-' if value is None else '%.2f%%' % (100 * value)
        return ("completed %d of %d accepted (%s), materials %d for %d "
            "(saved %s), visits %d for %d (saved %s), working days %d for "
            "%d (saved %s), rated %d of %d concluded (%s)" % (
                figures.completed, figures.accepted,
                percent(figures.completion_rate), figures.materials,
                figures.separate_materials,
                percent(figures.materials_saving), figures.visits,
                figures.separate_visits, percent(figures.visits_saving),
                figures.days, figures.separate_days,
                percent(figures.time_saving), figures.rated,
                figures.concluded, percent(figures.rating_coverage)))


def load(cfg, company, password_of, say):
    return ThemeDemo(cfg, company, password_of, say).run()
