# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the proxy agents (帮办代办, module hall_proxy), loaded by
scripts/demo.py after the hall: three proxy agents (daiban01..03), two
service handbooks and four cases of the demo's enterprises, each with the
authorisation signed by the enterprise (a one-page PDF):

- an industrial project run end to end and completed;
- a chip factory in progress with a team member, one step past its
  promised due date;
- a restaurant run by a red proxy volunteer, suspended this morning by the
  daily cron because its authorisation expired;
- a second restaurant still in draft, waiting for its authorisation.

The applications of the steps are received, accepted and completed at the
hall's windows on the working days of the past weeks (the server's clock is
set to each day while the buttons are clicked).  The clock, working-day and
staff helpers come from scripts/demo_tools.py."""
import datetime as dt

from proteus import Model

from demo_tools import (
    ModuleDemo, Window, WorkingDays, create_staff, find_enterprise,
    find_service, play_application, server_today)

AGENTS = [('daiban01', "孙丽娟"), ('daiban02', "钱志远"), ('daiban03', "郑雅琴")]
ROLE_LABEL = "代办员 proxy agent"

# (name, [(service, expected working days, notes)])
HANDBOOKS = [
    ("工业项目全流程代办服务手册", [
            ("建设项目用地预审与选址意见书核发", 8,
                "核对项目批准文件、用地红线图和选址论证报告"),
            ("建设用地规划许可证核发", 5, "收齐出让合同和宗地图，预审后再报件"),
            ("建设工程规划许可证核发", 5, "设计方案先行联审，避免二次补正"),
            ("建设工程施工许可证核发", 4, "确认施工图审查合格书和监理合同"),
            ]),
    ("餐饮门店开办代办服务手册", [
            ("企业变更登记", 1, "增加餐饮服务经营范围，同步变更章程"),
            ("食品经营许可证核发", 4, "现场核查前按布局图自查后厨流程"),
            ("单位参保登记", 0, "营业执照领取当日同步办理"),
            ]),
    ]
# (enterprise, project, agent, team, kind, red proxy, handbook, signed back,
#  valid until (working days back, negative: ahead), authorised back,
#  completed back, steps as (accepted back, completed back))
CASES = [
    ("天成", "天成机械精密零部件生产基地", 0, [], 'full', False, 0, 52, -200,
        50, 25, [(48, 42), (40, 36), (35, 31), (28, 26)]),
    ("芯动", "芯动微电子封装测试厂房", 0, [1], 'full', False, 0, 16, -180,
        15, None, [(14, 9), (8, None)]),
    ("味之道", "味之道中央厨房及连锁门店", 1, [], 'partial', True, 1, 22, 1,
        20, None, [(18, 17), (12, 8)]),
    ("一品轩", "一品轩滨江旗舰店", 2, [], 'partial', True, 1, None, None,
        None, None, []),
    ]
LOGS = {
    0: [(50, "与企业签订代办协议，确定全流程代办，编制项目服务手册"),
        (47, "用地预审材料一次性收齐，已预审通过"),
        (30, "规划许可证已领取，同步启动施工许可准备"),
        (25, "全部审批事项办结，证照已送达企业", True),
        (25, "企业反馈满意，建议纳入典型案例", False)],
    1: [(15, "组建推进团队，钱志远协助对接规划部门"),
        (7, "规划许可补正材料已提交，正在审查"),
        (2, "规划许可超过承诺时限，已协调规划局加快出件", False)],
    2: [(20, "红色代办志愿者上门对接，企业委托开办全部事项"),
        (8, "食品经营许可证已领取"),
        (0, "委托书已到期，待企业续签后恢复代办")],
    }


def load(cfg, company, password_of, say):
    return ProxyDemo(cfg, company, password_of, say).run()


def authorisation_pdf(lines):
    "A one-page PDF of the authorisation (ASCII text, Helvetica)"
    text = ['BT', '/F1 14 Tf', '72 760 Td', '18 TL']
    for line in lines:
        line = line.replace('\\', '\\\\').replace('(', '\\(').replace(
            ')', '\\)')
        text.append(f'({line}) Tj T*')
    text.append('ET')
    stream = '\n'.join(text).encode('ascii')
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
        b'/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        b'<< /Length %d >>\nstream\n' % len(stream) + stream
        + b'\nendstream',
        ]
    pdf = b'%PDF-1.4\n'
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(pdf)
    pdf += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    pdf += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    pdf += (b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n'
        % (len(objects) + 1, xref))
    return pdf


class ProxyDemo(ModuleDemo):

    def run(self):
        self.days = WorkingDays()
        self.windows = Window(['comprehensive', 'dedicated'])
        self.agents = create_staff(self.cfg, self.company, self.password_of,
            AGENTS, 'hall_proxy', 'role_proxy_agent')
        self.handbooks = self.create_handbooks()
        cases = self.create_cases()
        self.play(cases)
        self.write_logs(cases)
        self.close(cases)
        self.summary(cases)
        return [f"{login:<9} / {self.password_of(login):<20} "
            f"{ROLE_LABEL} ({name})" for login, name in AGENTS]

    def ahead(self, count):
        "The working day `count` working days after today"
        day = self.days.today
        while count > 0:
            day += dt.timedelta(days=1)
            if self.days.is_working(day):
                count -= 1
        return day

    def day(self, back):
        return self.days.back(back) if back >= 0 else self.ahead(-back)

    def create_handbooks(self):
        Handbook = Model.get('hall.proxy.handbook')
        handbooks = []
        for name, steps in HANDBOOKS:
            handbook = Handbook(name=name)
            for sequence, (service_name, days, notes) in enumerate(steps, 1):
                service = find_service(service_name)
                if service:
                    handbook.steps.new(sequence=sequence, service=service,
                        expected_days=min(days, service.legal_limit),
                        notes=notes)
            handbooks.append(handbook)
        Handbook.save(handbooks)
        return handbooks

    def create_cases(self):
        Case = Model.get('hall.proxy.case')
        Employee = Model.get('company.employee')
        cases = []
        for index, (trade, name, agent, team, kind, red, handbook, signed,
                until, authorised, _, _) in enumerate(CASES):
            enterprise = find_enterprise(trade)
            if not enterprise:
                self.say(f"proxy: no enterprise {trade}, case {name} skipped")
                continue
            case = Case(party=enterprise, name=name, kind=kind,
                red_proxy=red, handbook=self.handbooks[handbook])
            case.agent = Employee(self.agents[agent].employee.id)
            case.team_members.extend(
                Employee(self.agents[m].employee.id) for m in team)
            if signed is not None:
                signed_date = self.day(signed)
                # working days ahead span more calendar days around the
                # Spring Festival: stay within the longest validity allowed
                valid_until = min(self.day(until),
                    signed_date + dt.timedelta(days=365))
                authorization = case.authorizations.new(
                    signed_date=signed_date, valid_until=valid_until)
                authorization.scope = (
                    f"委托代办员代为办理「{name}」所涉审批事项的申报、"
                    "补正、领证等手续")
                code = ''.join(i.code for i in enterprise.identifiers
                    if i.type == 'cn_vat')
                authorization.document = authorisation_pdf([
                        "Power of attorney / authorisation",
                        f"Enterprise USCC: {code}",
                        f"Signed on {authorization.signed_date}, "
                        f"valid until {authorization.valid_until}",
                        "Signed and stamped by the legal representative",
                        ])
                authorization.document_name = f"委托书-{code}.pdf"
            case.save()
            if authorised is not None:
                with server_today(self.cfg, self.days.back(authorised)):
                    case.click('authorize')
                    case.click('start')
            cases.append((index, case))
        return cases

    def play(self, cases):
        "The applications of the steps, in the order of the handbook"
        for index, case in cases:
            case.reload()
            for step, (accepted, completed) in zip(
                    case.steps, CASES[index][11]):
                play_application(self.cfg, self.days, self.windows,
                    case.party, step.service, 'proxy',
                    accepted=accepted, completed=completed)

    def write_logs(self, cases):
        LogEntry = Model.get('hall.proxy.log')
        Employee = Model.get('company.employee')
        entries = []
        for index, case in cases:
            agent = self.agents[CASES[index][2]]
            for back, note, *public in LOGS.get(index, []):
                entries.append(LogEntry(case=case, date=self.days.back(back),
                        author=Employee(agent.employee.id), note=note,
                        public=public[0] if public else True))
        LogEntry.save(entries)

    def close(self, cases):
        Cron = Model.get('ir.cron')
        for index, case in cases:
            completed = CASES[index][10]
            if completed is not None:
                case.reload()
                with server_today(self.cfg, self.days.back(completed)):
                    case.click('complete')
        # This morning's cron suspends the cases whose authorisation expired
        cron, = Cron.find([
                ('method', '=', 'hall.proxy.case|suspend_expired')])
        with server_today(self.cfg, self.days.today):
            cron.click('run_once')

    def summary(self, cases):
        Step = Model.get('hall.proxy.step')
        states = {}
        for _, case in cases:
            case.reload()
            states[case.state] = states.get(case.state, 0) + 1
        self.say(f"proxy: {len(self.handbooks)} handbooks, {len(cases)} cases ("
            + ', '.join(f'{s} {n}' for s, n in sorted(states.items()))
            + f"), {len(Step.find([]))} steps, "
            f"{len(Step.find([('overdue', '=', True)]))} overdue")
