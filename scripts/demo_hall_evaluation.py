# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the 好差评 ratings (module hall_evaluation), loaded by
scripts/demo.py after the hall: the evaluation supervisor (haoping), the
ratings of about 60% of the completed applications (most 非常满意, two bad
ones with their rectifications, one closed after its follow-up call), a few
ratings given just now through the public QR-code page, the rating devices
of the windows (the address of the first one, with its key, is printed), a
window inspection with a finding, and the monthly window ranking.

No role creates ratings: the past ones are loaded as the database's root
(user 0), as the public pages store them; those of the 12345 hotline and
SMS name the supervisor who entered them.  The citizens' QR-code tokens
are read as root too: no back-office role reads them."""
import datetime as dt
import random
import re
from decimal import Decimal

from proteus import Model, Wizard

from demo_tools import ModuleDemo, demo_language, new_user, role_of

SEED = 2028
SUPERVISOR = ('haoping', "周文静")
# Share of the completed applications rated, and the levels given
RATED_SHARE = 0.6
LEVELS = [('very_satisfied', 84), ('satisfied', 12), ('basic', 4)]
CHANNELS = [('window_device', 55), ('qr_code', 30), ('online', 10),
    ('sms', 3), ('hotline', 2)]
BAD = [
    ('dissatisfied', 'window_device',
        "材料清单没有一次说清楚，来回跑了两趟"),
    ('very_dissatisfied', 'hotline',
        "12345 转办：窗口人员办理时接打私人电话，态度生硬"),
    ]
LIVE = [
    {'level': 'very_satisfied', 'score_efficiency': '5',
        'score_attitude': '5', 'score_professionalism': '5'},
    {'level': 'satisfied', 'reason': "希望增加自助填表引导"},
    ]


def load(cfg, company, password_of, say):
    return EvaluationDemo(cfg, company, password_of, say).run()


def pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class EvaluationDemo(ModuleDemo):

    def __init__(self, cfg, company, password_of, say):
        from trytond.tools import timezone
        super().__init__(cfg, company, password_of, say)
        self.rng = random.Random(SEED)
        self.zone = timezone.get_tzinfo(company.timezone or 'Asia/Shanghai')

    def utc(self, day, time_):
        return dt.datetime.combine(day, time_, tzinfo=self.zone).astimezone(
            dt.timezone.utc).replace(tzinfo=None)

    def run(self):
        Hall = Model.get('hall.hall')
        self.hall = Hall.find([], limit=1)[0]
        lines = [self.create_supervisor()]
        rated, bad = self.rate_history()
        live = self.rate_live()
        devices = self.register_devices()
        rectified = self.follow_up(bad)
        findings = self.inspect()
        ranked = self.rank()
        self.say(f"evaluation: {rated} ratings ({len(bad)} bad, {live} "
            f"given just now on the QR page), {devices} window devices, "
            f"{rectified} rectification closed, an inspection with "
            f"{findings} finding, {ranked} windows ranked")
        return lines

    def create_supervisor(self):
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        Configuration = Model.get('hall.evaluation.configuration')
        login, name = SUPERVISOR
        party = Party(name=name)
        party.save()
        self.employee = Employee(party=party, company=self.company)
        self.employee.save()
        user = new_user(self.company, login, name, self.password_of(login),
            role_of(self.cfg, 'hall_evaluation', 'role_evaluation_supervisor'),
            demo_language(), employee=self.employee, email=False)
        user.save()
        self.supervisor = user
        configuration = Configuration(1)
        configuration.supervisor = user
        configuration.save()
        return (f"{login:<9} / {self.password_of(login):<20} "
            f"好差评管理员 evaluation supervisor ({name})")

    def rate_history(self):
        """Ratings of the applications completed, on the day they were (not
        later than now), stored as root: no role creates ratings"""
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        Application = Model.get('hall.application')
        Evaluation = Model.get('hall.evaluation')
        completed = Application.find([
                ('state', '=', 'completed'),
                ('window', '!=', None),
                ], order=[('completed_date', 'ASC'), ('id', 'ASC')])
        rated = [a for a in completed if self.rng.random() < RATED_SHARE]
        bad_ones = set(self.rng.sample(range(len(rated)), len(BAD)))
        vlist = []
        bad_reasons = iter(BAD)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        for i, application in enumerate(rated):
            minute = self.rng.randrange(0, 50)
            rated_at = min(now, self.utc(
                    application.completed_date, dt.time(15, minute)))
            values = dict(
                company=self.company.id, application=application.id,
                rated_at=rated_at)
            if i in bad_ones:
                level, channel, reason = next(bad_reasons)
                values.update(level=level, channel=channel, reason=reason,
                    rater_phone='13%09d' % self.rng.randrange(10 ** 9))
            else:
                values.update(
                    level=pick(self.rng, LEVELS),
                    channel=pick(self.rng, CHANNELS))
                if self.rng.random() < 0.3:
                    values['score_efficiency'] = self.rng.choice([4, 5, 5])
                    values['score_attitude'] = 5
                    values['score_professionalism'] = self.rng.choice([4, 5])
                values['anonymous'] = self.rng.random() < 0.2
            if values['channel'] in {'hotline', 'sms'}:
                # entered by the supervisor, as her wizard records it
                values.update(entered_by=self.supervisor.id,
                    entered_employee=self.employee.id, entered_at=rated_at)
            vlist.append(values)
        with Transaction().start(self.cfg.database_name, 0,
                context={'company': self.company.id}):
            evaluations = Pool().get('hall.evaluation').create(vlist)
            ids = [e.id for e in evaluations]
        evaluations = [Evaluation(i) for i in ids]
        bad = [e for e in evaluations if e.level in {
                'dissatisfied', 'very_dissatisfied'}]
        return len(evaluations), bad

    def rate_live(self):
        """Citizens scan the QR code of their receipt: the public page (the
        tokens, printed on the receipts, are read as root)"""
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        from trytond.wsgi import app
        from werkzeug.test import Client
        with Transaction().start(self.cfg.database_name, 0, readonly=True):
            Link = Pool().get('hall.evaluation.link')
            tokens = [l.token for l in Link.search([
                        ('state', '=', 'pending'),
                        ('channel', '=', 'qr_code'),
                        ('application.state', 'in', ['accepted', 'approved']),
                        ], order=[('id', 'ASC')], limit=len(LIVE) + 1)]
        client = Client(app)
        given = 0
        for token, form in zip(tokens, LIVE):
            response = client.post(
                f'/{self.cfg.database_name}/hall/rate/{token}',
                data=form)
            if response.status_code != 201:
                text = re.sub(r'<[^>]+>', ' ', response.get_data(True))
                raise RuntimeError(
                    f"rating page answered {response.status_code}: "
                    + ' '.join(text.split())[-300:])
            given += 1
        if len(tokens) > len(LIVE):
            self.say("evaluation: try the rating page at /"
                f"{self.cfg.database_name}/hall/rate/{tokens[-1]}")
        return given

    def register_devices(self):
        """The hall manager (the administrator) registers the rating device
        of each window of the hall; the key is shown once: the address of
        the first device, with its key, is printed"""
        Window = Model.get('hall.window')
        windows = Window.find(
            [('hall', '=', self.hall.id)], order=[('number', 'ASC')])
        for window in windows:
            register = Wizard('hall.evaluation.device.register', [window])
            register.execute('register')
            if window == windows[0]:
                self.say(f"evaluation: the rating device of window "
                    f"{window.number}: open {register.form.url}")
        return len(windows)

    def follow_up(self, bad):
        "The first bad rating is verified, rectified, called back, closed"
        Rectification = Model.get('hall.evaluation.rectification')
        if not bad:
            return 0
        rectification, = Rectification.find([
                ('evaluation', '=', bad[0].id)])
        rectification.verification = (
            "调取窗口录像并询问当事窗口人员，情况属实：未一次性告知补正材料")
        rectification.save()
        rectification.click('verify')
        rectification.measures = (
            "对当事人批评教育；该事项材料清单张贴到窗口并纳入一次性告知书模板")
        rectification.save()
        rectification.click('rectify')
        call = rectification.followups.new()
        call.caller = self.employee
        call.result = "电话回访申请人，告知整改措施，申请人表示满意"
        call.satisfied = True
        rectification.result_to_rater = "已整改：材料清单一次性告知并张贴公示"
        rectification.save()
        rectification.click('close')
        return 1

    def inspect(self):
        "The supervisor inspects six windows; one finding to rectify"
        Window = Model.get('hall.window')
        Inspection = Model.get('hall.inspection')
        windows = Window.find(
            [('hall', '=', self.hall.id)], order=[('number', 'ASC')],
            limit=6)
        inspection = Inspection(hall=self.hall, inspector=self.employee)
        inspection.other_inspectors = "中心督查室 王立新"
        inspection.windows.extend(windows)
        inspection.save()
        inspection.click('fill')
        inspection = Inspection(inspection.id)
        for score in inspection.scores:
            if self.rng.random() < 0.25:
                score.score = Decimal(
                    score.max_score - self.rng.choice([1, 2]))
        finding = inspection.scores[-1]
        finding.score = Decimal(finding.max_score - 6)
        finding.finding = "上午 10 时窗口无人值守约 15 分钟，未放置暂停服务提示牌"
        finding.rectify = True
        inspection.save()
        inspection.click('done')
        return 1

    def rank(self):
        "The monthly ranking of this month and the one before"
        Ranking = Model.get('hall.evaluation.ranking')
        today = dt.datetime.now(self.zone).date()
        for day in [today.replace(day=1) - dt.timedelta(days=1), today]:
            compute = Wizard('hall.evaluation.ranking.compute')
            compute.form.hall = self.hall
            compute.form.month = day
            compute.execute('compute')
        return len(Ranking.find([('month', '=', today.replace(day=1))]))
