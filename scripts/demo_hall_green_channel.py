# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the green channel (module hall_green_channel), loaded by
scripts/demo.py after the hall: two green-channel officers (lvtong,
lvtong2) escort four major projects of the demo's enterprises through the
approval items of the hall's services, the applications being received,
accepted and completed on the working days of the past months at the green
channel window (the server's clock is set to each day while the buttons are
clicked):

- a major investment project completed with all its items (speed-up rate
  and dossier), after a joint review meeting whose issue was resolved;
- a major livelihood project in progress, with an item past its promised
  due date and a joint review issue still open past its due date;
- a key investment-attraction project just accepted, whose first
  application was received today and linked to its item;
- a project still in draft.

The clock, working-day and staff helpers come from scripts/demo_tools.py."""
from decimal import Decimal

from proteus import Model

from demo_tools import (
    ModuleDemo, Window, WorkingDays, create_staff, find_enterprise,
    find_service, play_application, server_today)

OFFICERS = [('lvtong', "周立新"), ('lvtong2', "何佳怡")]
ROLE_LABEL = "绿色通道专员 green-channel officer"
CONTACTS = ["李建国", "王海燕", "陈志伟", "刘晓红"]

# (enterprise trade name, project, category, investment in 万元, officer,
#  accepted working days back, completed working days back, location)
PROJECTS = [
    ("光启", "光启智能装备产业园（一期）", 'major_investment', '52000', 0,
        72, 40, "滨江区江南大道以北、滨康路以东地块"),
    ("颐养", "颐养国际康养中心", 'major_livelihood', '18000', 1,
        22, None, "滨江区长河街道江汉路与滨文路交叉口"),
    ("鑫源", "鑫源科创总部大楼", 'key_investment', '8600', 0,
        3, None, "滨江区奥体单元 BJ1203-05 地块"),
    ("恒基", "恒基滨江湾商业综合体", 'major_investment', '36000', 1,
        None, None, "滨江区浦沿街道东信大道南侧"),
    ]
# Items of each project: (stage, service, accepted back, completed back);
# None: not yet.  The promised limit of an item may be shortened for the
# green channel (并联审批、容缺受理).
ITEMS = {
    0: [("立项", "建设项目用地预审与选址意见书核发", 70, 64),
        ("用地", "建设用地规划许可证核发", 62, 57),
        ("规划", "建设工程规划许可证核发", 55, 51),
        ("规划", "建设项目环境影响报告表审批", 55, 47),
        ("施工许可", "建设工程施工许可证核发", 45, 42)],
    1: [("用地", "建设用地规划许可证核发", 20, 15),
        ("规划", "建设工程规划许可证核发", 12, None),
        ("施工许可", "建设工程施工许可证核发", None, None),
        ("竣工验收", "公共场所卫生许可", None, None)],
    2: [("立项", "建设项目用地预审与选址意见书核发", 'received', None),
        ("用地", "建设用地规划许可证核发", None, None),
        ("规划", "建设工程规划许可证核发", None, None)],
    3: [("立项", "建设项目用地预审与选址意见书核发", None, None)],
    }
# Joint review meetings: (project, working days back, subject, departments,
# issues as (description, department, due working days back, resolved back,
# resolution))
MEETINGS = [
    (0, 60, "用地预审与规划条件联审", ['ZRZY', 'STHJ', 'ZJ'], [
            ("项目用地红线与控规道路红线局部重叠", 'ZRZY', 55, 58,
                "规划局出具控规局部调整意见，用地红线已核定"),
            ]),
    (1, 10, "康养中心规划与施工许可并联审查", ['ZRZY', 'ZJ', 'WJ', 'MZ'], [
            ("养老床位配建比例需民政部门出具意见", 'MZ', 6, 4,
                "民政局出具书面意见，配建比例符合要求"),
            ("医疗用房平面布局需卫健部门预审", 'WJ', 3, None, None),
            ]),
    ]
EXTRA_SERVICES = [
    (0, 68, 'on_site', "赴项目现场踏勘，核实用地界址和周边管线"),
    (0, 44, 'extended_hours', "企业赶工期，延时至 19:30 受理施工许可材料"),
    (1, 18, 'appointment', "预约周六上午集中受理规划许可补正材料"),
    (1, 9, 'on_site', "上门指导企业编制消防设计专篇"),
    (2, 2, 'on_site', "上门宣讲绿色通道服务流程，建立项目服务群"),
    ]


def load(cfg, company, password_of, say):
    return GreenChannelDemo(cfg, company, password_of, say).run()


# ---------------------------------------------------------------------------


class GreenChannelDemo(ModuleDemo):

    def run(self):
        self.days = WorkingDays()
        self.windows = Window(['green_channel', 'comprehensive', 'dedicated'])
        self.officers = create_staff(self.cfg, self.company,
            self.password_of, OFFICERS, 'hall_green_channel',
            'role_green_channel_officer')
        projects = self.create_projects()
        self.play(projects)
        self.meet(projects)
        self.serve(projects)
        self.close(projects)
        self.summary(projects)
        return [f"{login:<9} / {self.password_of(login):<20} "
            f"{ROLE_LABEL} ({name})" for login, name in OFFICERS]

    def create_projects(self):
        Project = Model.get('hall.green_channel.project')
        Stage = Model.get('hall.green_channel.stage')
        Employee = Model.get('company.employee')
        stages = {s.name: s for s in Stage.find([])}
        projects = []
        for index, (trade, name, category, investment, officer, accepted,
                _, location) in enumerate(PROJECTS):
            enterprise = find_enterprise(trade)
            if not enterprise:
                self.say(f"green channel: no enterprise {trade}, "
                    f"project {name} skipped")
                continue
            project = Project(party=enterprise, name=name,
                category=category, investment=Decimal(investment),
                location=location)
            project.officer = Employee(self.officers[officer].employee.id)
            contact = project.contacts.new(
                name=CONTACTS[index % len(CONTACTS)], position="项目经理")
            contact.phone = f'+86 139 {5700 + index:04d} {2046 + index:04d}'
            for sequence, (stage, service_name, _, _) in enumerate(
                    ITEMS[index], 1):
                service = find_service(service_name)
                if not service:
                    continue
                item = project.items.new(sequence=sequence)
                item.stage = stages.get(stage)
                item.service = service
                if index == 0 and item.promised_limit > 3:
                    # shortened promise of the green channel (并联审批)
                    item.promised_limit -= 2
            project.save()
            if accepted is not None:
                with server_today(self.cfg, self.days.back(accepted)):
                    project.click('accept')
                    # started once its first applications are accepted
                    if any(isinstance(i[2], int) for i in ITEMS[index]):
                        project.click('start')
            projects.append((index, project))
        return projects

    def play(self, projects):
        "The applications of the items, at the green channel window"
        for index, project in projects:
            for _, service_name, accepted, completed in ITEMS[index]:
                service = find_service(service_name)
                if not service or accepted is None:
                    continue
                if accepted == 'received':
                    play_application(self.cfg, self.days, self.windows,
                        project.party, service, 'green_channel', received=0)
                else:
                    play_application(self.cfg, self.days, self.windows,
                        project.party, service, 'green_channel',
                        accepted=accepted, completed=completed)

    def meet(self, projects):
        Meeting = Model.get('hall.green_channel.meeting')
        Department = Model.get('hall.department')
        Employee = Model.get('company.employee')
        by_index = dict(projects)
        departments = {d.code: d for d in Department.find([])}
        for index, back, subject, codes, issues in MEETINGS:
            if index not in by_index:
                continue
            project = by_index[index]
            meeting = Meeting(project=project, subject=subject,
                date=self.days.back(back))
            meeting.chair = Employee(project.officer.id)
            meeting.departments.extend(
                Department(departments[c].id) for c in codes
                if c in departments)
            for description, code, due, _, _ in issues:
                issue = meeting.issues.new(description=description,
                    due_date=self.days.back(due))
                if code in departments:
                    issue.department = Department(departments[code].id)
                issue.owner = Employee(project.officer.id)
            meeting.minutes = "与会部门对项目审批中的问题逐项会商，明确责任单位和办结期限。"
            meeting.save()
            for issue, (_, _, _, resolved, resolution) in zip(
                    meeting.issues, issues):
                if resolved is not None:
                    issue.resolution = resolution
                    issue.save()
                    with server_today(self.cfg, self.days.back(resolved)):
                        issue.click('resolve')

    def serve(self, projects):
        ExtraService = Model.get('hall.green_channel.extra_service')
        Employee = Model.get('company.employee')
        by_index = dict(projects)
        services = []
        for index, back, kind, description in EXTRA_SERVICES:
            if index in by_index:
                project = by_index[index]
                services.append(ExtraService(project=project,
                        date=self.days.back(back), kind=kind,
                        officer=Employee(project.officer.id),
                        description=description))
        ExtraService.save(services)

    def close(self, projects):
        for index, project in projects:
            completed = PROJECTS[index][6]
            if completed is not None:
                project.reload()
                with server_today(self.cfg, self.days.back(completed)):
                    project.click('complete')

    def summary(self, projects):
        Item = Model.get('hall.green_channel.item')
        Issue = Model.get('hall.green_channel.meeting.issue')
        states = {}
        for _, project in projects:
            project.reload()
            states[project.state] = states.get(project.state, 0) + 1
        done = [p for _, p in projects if p.state == 'completed']
        rate = (f", speed-up {done[0].speed_up_rate:.1%} on "
            f"{done[0].number}" if done and done[0].speed_up_rate is not None
            else '')
        self.say(f"green channel: {len(projects)} projects ("
            + ', '.join(f'{s} {n}' for s, n in sorted(states.items()))
            + f"), {len(Item.find([]))} approval items, "
            f"{len(Item.find([('overdue', '=', True)]))} overdue, "
            f"{len(Issue.find([('overdue', '=', True)]))} joint review "
            f"issue past due{rate}")
