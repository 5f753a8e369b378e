# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Demo of the hall (module hall), played by scripts/demo.py first:
deterministic, one hall with its zones, departments, services, windows,
staff and their logins, this week's roster and 200 applications (办件) in
every state, received, accepted and decided on the working days of the past
weeks (the server's clock is set to each day while the buttons are
clicked), then flagged by the daily timeliness cron.

Other demos follow the applications (scripts/demo_hall_delivery.py): they
are given as `extensions`, called before the workflow (before_workflow)
and around each click (before_click, after_click)."""
import datetime as dt
import os
import random
from collections import Counter, defaultdict

from proteus import Model, Wizard, config as pconfig
from trytond.modules.hall.working_days_rules import is_working_day

import demo_data as D
from demo_tools import (
    SimClock, demo_language, make_mobile, make_ric, make_uscc, new_user,
    role_of)

SEED = 2026

# Final states of the 200 applications.
STATE_COUNTS = [
    ('draft', 15),
    ('received', 20),
    ('supplement', 20),
    ('accepted', 35),
    ('approved', 20),
    ('rejected', 15),
    ('completed', 60),
    ('withdrawn', 15),
    ]
# States from which the withdrawn applications were withdrawn.
WITHDRAWN_FROM = ['received'] * 5 + ['supplement'] * 4 + ['accepted'] * 6

ROLE_LABELS = {
    'manager': "大厅管理员 hall manager",
    'clerk': "窗口人员 window clerk",
    'leader': "领导 hall leader",
    }
# The logins shown, the others are given by their pattern
SHOWN_LOGINS = ['manager', 'manager2', 'leader', 'clerk01', 'clerk02']

# Local time at which the clerks click each button of the applications
ACTION_TIMES = {
    'receive': dt.time(9, 10), 'request_supplement': dt.time(9, 40),
    'accept': dt.time(10, 20), 'approve': dt.time(14, 30),
    'reject': dt.time(15, 0), 'complete': dt.time(15, 40),
    'withdraw': dt.time(11, 0),
    }


def monday_of(date):
    return date - dt.timedelta(days=date.weekday())


class HallDemo:

    def __init__(self, cfg, company, password_of, say, roster_week=None,
            extensions=()):
        self.cfg = cfg
        self.company = company
        self.password_of = password_of
        self.say = say
        self.extensions = list(extensions)
        self.rng = random.Random(SEED)
        Date = Model.get('ir.date')
        self.today = Date.today(pconfig.get_config().context)
        self.roster_week = roster_week or self.today
        self.counts = {}

    def login_lines(self):
        lines = []
        for login, kind, index in self.logins:
            if login in SHOWN_LOGINS:
                lines.append(f'{login:<9} / {self.password_of(login):<20} '
                    f'{ROLE_LABELS[kind]} ({D.STAFF[index][0]})')
        return lines

    @property
    def n_clerks(self):
        return sum(1 for _, kind, _ in self.logins if kind == 'clerk')

    # -- organisation ------------------------------------------------------

    def create_hall(self):
        Hall = Model.get('hall.hall')
        Zone = Model.get('hall.zone')
        hall = Hall(name=D.HALL['name'], code=D.HALL['code'],
            company=self.company, address=D.HALL['address'],
            phone=D.HALL['phone'], weekend_service=True,
            weekend_min_windows=2, public_url=os.environ.get(
                'HALL_PUBLIC_URL', D.HALL['public_url']))
        hall.save()
        zones = []
        for sequence, (key, _, name, kind) in enumerate(D.ZONES, 1):
            zones.append(Zone(hall=hall, name=name, kind=kind,
                    sequence=sequence * 10))
        Zone.save(zones)
        self.hall = hall
        self.zones = {z[0]: zone for z, zone in zip(D.ZONES, zones)}

    def create_departments(self):
        Party = Model.get('party.party')
        Department = Model.get('hall.department')
        parties = []
        for code, name, contact, phone in D.DEPARTMENTS:
            party = Party(name=D.CITY + name)
            party.addresses[0].city = D.CITY
            mechanism = party.contact_mechanisms.new(type='phone')
            mechanism.value = '+86 ' + phone.replace('-', ' ')
            parties.append(party)
        Party.save(parties)
        departments = []
        for (code, name, contact, phone), party in zip(
                D.DEPARTMENTS, parties):
            departments.append(Department(code=code, name=name, party=party,
                    contact=contact, phone=phone))
        Department.save(departments)
        self.departments = {d.code: d for d in departments}

    def create_services(self):
        Service = Model.get('hall.service')
        services = []
        self.service_info = {}
        numbers = Counter()
        for (dept, name, category, legal, promised, max_visits, online,
                comprehensive, applicant, zone, sector, weight,
                materials) in D.SERVICES:
            numbers[dept] += 1
            service = Service(
                code=f'{dept}-{numbers[dept]:03d}', name=name,
                department=self.departments[dept], category=category,
                legal_limit=legal, promised_limit=promised,
                max_visits=max_visits, online=online,
                comprehensive=comprehensive)
            for sequence, (mname, form, copies, mandatory) in enumerate(
                    materials, 1):
                service.materials.new(name=mname, form=form, copies=copies,
                    mandatory=mandatory, sequence=sequence)
            services.append(service)
        Service.save(services)
        self.services = services
        for service, row in zip(services, D.SERVICES):
            self.service_info[service.id] = {
                'applicant': row[8], 'zone': row[9], 'sector': row[10],
                'weight': row[11], 'dept': row[0],
                }
        self.service_by_name = {s.name: s for s in services}

    def window_services(self, number, zone, kind, dept):
        if kind == 'comprehensive':
            return [s for s in self.services if s.comprehensive
                and self.service_info[s.id]['zone'] == zone]
        if kind == 'dedicated':
            return [s for s in self.services
                if self.service_info[s.id]['dept'] == dept]
        if kind == 'green_channel':
            return [s for s in self.services
                if (s.comprehensive and self.service_info[s.id]['zone'] == 'B')
                or s.name in D.GREEN_EXTRA]
        if kind == 'collection':
            return [s for s in self.services if s.comprehensive]
        return []

    def create_windows(self):
        Window = Model.get('hall.window')
        Service = Model.get('hall.service')
        windows = []
        for number, zone, kind, name, dept, staffed in D.WINDOWS:
            window = Window(hall=self.hall, zone=self.zones[zone],
                number=number, name=name, kind=kind)
            if dept:
                window.department = self.departments[dept]
            window.services.extend(Service(s.id)
                for s in self.window_services(number, zone, kind, dept))
            windows.append(window)
        Window.save(windows)
        self.windows = {w.number: w for w in windows}
        self.window_service_ids = {
            w.number: {s.id for s in w.services} for w in windows}
        self.staffed = [row[0] for row in D.WINDOWS if row[5]]

    # -- staff -------------------------------------------------------------

    def plan_staff(self):
        """Clerk of each staffed window, stand-in window of each staffed
        window and the qualifications that follow."""
        clerks = list(range(3, len(D.STAFF)))
        assert len(clerks) == len(self.staffed), "one clerk per window"
        self.owner = dict(zip(self.staffed, clerks))  # window -> staff index
        zone_of = {row[0]: row[1] for row in D.WINDOWS}
        kind_of = {row[0]: row[2] for row in D.WINDOWS}
        self.kind_of = kind_of
        self.stand_in_window = {}
        for number in self.staffed:
            if number in D.STAND_IN_WINDOWS:
                self.stand_in_window[number] = D.STAND_IN_WINDOWS[number]
            else:
                same = [n for n in self.staffed
                    if zone_of[n] == zone_of[number]
                    and kind_of[n] == kind_of[number]]
                self.stand_in_window[number] = same[
                    (same.index(number) + 1) % len(same)]
        self.qualified = defaultdict(set)  # staff index -> service ids
        for number in self.staffed:
            self.qualified[self.owner[number]] |= (
                self.window_service_ids[number])
            backer = self.owner[self.stand_in_window[number]]
            self.qualified[backer] |= self.window_service_ids[number]
        self.designated_stand_in = {
            n: self.owner[w] for n, w in self.stand_in_window.items()}

    def create_staff(self):
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        User = Model.get('res.user')
        rng = self.rng
        self.plan_staff()

        parties = []
        for name, gender in D.STAFF:
            party = Party(name=name)
            party.addresses[0].city = D.CITY
            birth = dt.date(rng.randrange(1972, 2001), rng.randrange(1, 13),
                rng.randrange(1, 29))
            party.identifiers.new(type='cn_ric', code=make_ric(
                    rng, D.LOCAL_AREA_CODES, birth, gender))
            party.contact_mechanisms.new(type='mobile',
                value=make_mobile(rng))
            parties.append(party)
        Party.save(parties)

        Service = Model.get('hall.service')
        employees = []
        for index, party in enumerate(parties):
            employee = Employee(party=party, company=self.company,
                start_date=dt.date(rng.randrange(2012, 2024),
                    rng.randrange(1, 13), 1))
            employee.hall_services.extend(
                Service(i) for i in sorted(self.qualified.get(index, ())))
            employees.append(employee)
        Employee.save(employees)
        self.employees = employees

        roles = {
            'manager': role_of(self.cfg, 'hall', 'role_hall_manager'),
            'clerk': role_of(self.cfg, 'hall', 'role_window_clerk'),
            'leader': role_of(self.cfg, 'hall', 'role_hall_leader'),
            }
        lang = demo_language()
        logins = [('manager', 'manager', 0), ('manager2', 'manager', 1),
            ('leader', 'leader', 2)]
        logins += [(f'clerk{i - 2:02d}', 'clerk', i)
            for i in range(3, len(D.STAFF))]
        users = []
        for login, kind, index in logins:
            users.append(new_user(self.company, login, D.STAFF[index][0],
                    self.password_of(login), roles[kind], lang,
                    employee=employees[index]))
        User.save(users)
        self.users = users
        self.logins = logins

    # -- roster ------------------------------------------------------------

    def working_days(self):
        CalendarDay = Model.get('hall.calendar.day')
        monday = monday_of(self.roster_week)
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        holidays, workdays = set(), set()
        for day in CalendarDay.find([
                    ('date', '>=', week[0]), ('date', '<=', week[-1])]):
            (holidays if day.kind == 'holiday' else workdays).add(day.date)

        def working(day):
            if day in workdays:
                return True
            if day in holidays:
                return False
            return day.weekday() < 5
        return week, working

    def create_roster(self):
        Shift = Model.get('hall.roster.shift')
        week, working = self.working_days()
        employees = self.employees
        candidates = {}  # window -> staff indexes qualified for it
        for number in self.windows:
            needed = self.window_service_ids[number]
            candidates[number] = [i for i in range(3, len(D.STAFF))
                if needed <= self.qualified[i]]
        shifts = []
        self.shift_plan = defaultdict(list)  # window -> [(date, emp, stand)]
        weekend_days = Counter()
        self.holidays_in_week = []
        for day in week:
            if working(day):
                for number in self.staffed:
                    emp = self.owner[number]
                    stand = self.designated_stand_in[number]
                    shifts.append(Shift(date=day, period='full_day',
                            hall=self.hall, window=self.windows[number],
                            employee=employees[emp],
                            stand_in=employees[stand]))
                    self.shift_plan[number].append((day, emp, stand))
            elif day.weekday() >= 5:
                # 周末不打烊: two or more windows of each kind, staffed in
                # turn by qualified clerks (scarce windows first).
                busy = set()
                order = sorted(D.WEEKEND_WINDOWS,
                    key=lambda n: (len(candidates[n]), n))
                for number in order:
                    # the window's own clerk, then its stand-in, then
                    # anyone qualified, whoever has had fewest weekend days
                    rank = {self.owner.get(number): 0,
                        self.designated_stand_in.get(number): 1}
                    free = [c for c in candidates[number] if c not in busy]
                    if not free:
                        self.say(f"WARNING: nobody free for {number} on {day}")
                        continue
                    emp = min(free, key=lambda c: (
                            weekend_days[c], rank.get(c, 2), c))
                    busy.add(emp)
                    weekend_days[emp] += 1
                    backers = [c for c in candidates[number] if c != emp]
                    stand = self.designated_stand_in.get(number)
                    if stand not in backers:
                        stand = (
                            [c for c in backers if c not in busy]
                            or backers or [None])[0]
                    shifts.append(Shift(date=day, period='weekend',
                            hall=self.hall, window=self.windows[number],
                            employee=employees[emp],
                            stand_in=(employees[stand]
                                if stand is not None else None),
                            note="周末不打烊"))
                    self.shift_plan[number].append((day, emp, stand))
            else:
                self.holidays_in_week.append(day)
        Shift.save(shifts)
        self.counts['shifts'] = len(shifts)
        self.week = week

    def open_windows(self):
        Window = Model.get('hall.window')
        rostered = [self.windows[n] for n in self.windows
            if self.shift_plan.get(n)]
        Window.click(rostered, 'open')
        self.counts['open windows'] = len(rostered)

    def check_weekend(self):
        check = Wizard('hall.roster.weekend_check')
        check.form.hall = self.hall
        check.form.from_date = self.week[0]
        check.form.to_date = self.week[-1]
        check.execute('result')
        lines = [(l.date, l.kind, l.count, l.required)
            for l in check.form.lines]
        check.execute('end')
        return lines

    # -- applicants --------------------------------------------------------

    def check_identifier_types(self):
        """Tryton 8.0 names the credit code identifier 'cn_vat' (its alias
        of 'cn_uscc'); find which name the party module offers and whether
        the applications accept it as an applicant's identifier."""
        Identifier = Model.get('party.identifier')
        types = {t for t, _ in Identifier.get_types({})}
        self.uscc_type = 'cn_uscc' if 'cn_uscc' in types else 'cn_vat'
        try:
            from trytond.modules.hall.application import (
                APPLICANT_IDENTIFIERS)
        except ImportError:
            APPLICANT_IDENTIFIERS = (self.uscc_type,)
        self.enterprise_applicants = self.uscc_type in APPLICANT_IDENTIFIERS
        if not self.enterprise_applicants:
            self.say(f"WARNING: hall.application accepts the identifier types "
                f"{APPLICANT_IDENTIFIERS} but the party module names the "
                f"unified social credit code {self.uscc_type!r}: "
                "enterprises cannot be applicants, their agents (经办人) "
                "apply in their place")

    def create_applicants(self, n_citizens=130):
        Party = Model.get('party.party')
        rng = self.rng
        self.check_identifier_types()
        names = set(name for name, _ in D.STAFF)
        self.age_of_name = {}
        citizens = []
        while len(citizens) < n_citizens:
            gender = rng.choice('MF')
            name = rng.choice(D.SURNAMES) + rng.choice(
                D.GIVEN_M if gender == 'M' else D.GIVEN_F)
            if name in names:
                continue
            names.add(name)
            age = rng.choice([rng.randrange(18, 35), rng.randrange(25, 60),
                    rng.randrange(60, 85)])
            birth = (dt.date(self.today.year - age, 1, 1)
                + dt.timedelta(days=rng.randrange(365)))
            local = rng.random() < 0.7
            party = Party(name=name)
            self.age_of_name[name] = age
            address = party.addresses[0]
            address.street = (f'{rng.choice(D.STREETS)}'
                f'{rng.randrange(1, 1500)}号{rng.randrange(1, 30)}幢'
                f'{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}室')
            address.city = D.CITY
            party.identifiers.new(type='cn_ric',
                code=make_ric(rng,
                    D.LOCAL_AREA_CODES if local else D.OTHER_AREA_CODES,
                    birth, gender))
            party.contact_mechanisms.new(type='mobile',
                value=make_mobile(rng))
            citizens.append(party)
        enterprises = []
        self.sector_of = {}
        for trade, industry, sector in D.ENTERPRISES:
            party = Party(name=f'{D.CITY}{trade}{industry}有限公司')
            address = party.addresses[0]
            address.street = (f'{rng.choice(D.STREETS)}'
                f'{rng.randrange(1, 3000)}号')
            address.city = D.CITY
            party.identifiers.new(type=self.uscc_type,
                code=make_uscc(rng, D.CITY_DIVISION))
            party.contact_mechanisms.new(type='phone',
                value=f'+86 571 {rng.randrange(8100, 8900)} '
                f'{rng.randrange(10000):04d}')
            enterprises.append(party)
        Party.save(citizens + enterprises)
        for party, (_, _, sector) in zip(enterprises, D.ENTERPRISES):
            self.sector_of[party.id] = sector
        self.age = {p.id: self.age_of_name[p.name] for p in citizens}
        # who comes to the hall for an enterprise (经办人) or as a proxy
        self.working_age = [p for p in citizens
            if 22 <= self.age[p.id] <= 58]
        self.citizens = citizens
        self.enterprises = enterprises

    # -- applications ------------------------------------------------------

    def pick_applicant(self, service):
        rng = self.rng
        info = self.service_info[service.id]
        kind = info['applicant']
        if kind == 'B':
            kind = rng.choice('PE')
        if kind == 'P':
            return rng.choice(self.working_age if rng.random() < 0.7
                else self.citizens), None
        pool = [e for e in self.enterprises
            if info['sector'] is None
            or self.sector_of[e.id] == info['sector']]
        enterprise = rng.choice(pool)
        agent = rng.choice(self.working_age)
        if not self.enterprise_applicants:
            return agent, None
        return enterprise, agent if rng.random() < 0.8 else None

    def pick_clerk(self, number):
        """The clerk rostered at the window today, else on the nearest
        day of the week; sometimes the stand-in (同岗替代)."""
        plan = self.shift_plan.get(number)
        if not plan:
            return self.employees[self.owner[number]]
        day, emp, stand = min(plan,
            key=lambda p: (abs((p[0] - self.today).days), p[0]))
        if stand is not None and self.rng.random() < 0.1:
            emp = stand
        return self.employees[emp]

    def create_applications(self):
        Application = Model.get('hall.application')
        rng = self.rng
        services = self.services
        weights = [self.service_info[s.id]['weight'] for s in services]
        rostered = [n for n in self.windows if self.shift_plan.get(n)]
        states = [s for s, n in STATE_COUNTS for _ in range(n)]
        rng.shuffle(states)
        withdrawn_from = list(WITHDRAWN_FROM)
        rng.shuffle(withdrawn_from)

        apps, plans = [], []
        for state in states:
            service = rng.choices(services, weights)[0]
            applicant, agent = self.pick_applicant(service)
            enterprise = applicant.id in self.sector_of
            channel = rng.choices(
                ['window', 'online', 'self_service', 'proxy',
                    'green_channel', 'mail'],
                [55, 20, 7, 8, 5, 5])[0]
            if state == 'draft' and service.online:
                channel = 'online'  # submitted online, not yet received
            if channel == 'online' and not service.online:
                channel = 'window'
            serving = [n for n in rostered
                if service.id in self.window_service_ids[n]]
            if not serving:
                # a week of holidays: the window's usual clerk
                serving = [n for n in self.staffed
                    if service.id in self.window_service_ids[n]]
            green = [n for n in serving if self.kind_of[n] == 'green_channel']
            if enterprise and green and rng.random() < 0.25:
                channel = 'green_channel'  # a major project (重大项目)
            if channel == 'green_channel' and not (enterprise and green):
                channel = 'window'
            if channel == 'green_channel':
                number = rng.choice(green)
            else:
                desk = [n for n in serving
                    if self.kind_of[n] in {'comprehensive', 'dedicated'}]
                collection = [n for n in serving
                    if self.kind_of[n] == 'collection']
                if collection and (not desk or rng.random() < 0.15):
                    desk = collection
                number = rng.choice(desk or serving)
            if channel == 'proxy' and agent is None:
                agent = rng.choice(
                    [c for c in self.working_age if c != applicant])
            note = rng.choice(D.NOTES)
            if self.age.get(applicant.id, 0) >= 65 and rng.random() < 0.5:
                note = D.NOTE_ELDERLY
            elif (service.name in {"企业设立登记", "新办纳税人套餐式服务",
                        "单位参保登记"} and rng.random() < 0.5):
                note = D.NOTE_ENTERPRISE
            app = Application(company=self.company, hall=self.hall,
                applicant=applicant, agent=agent, service=service,
                window=self.windows[number], channel=channel, note=note)
            if state != 'draft':
                app.clerk = self.pick_clerk(number)
            if state == 'withdrawn':
                via = withdrawn_from.pop()
            else:
                via = state
            supplement = via == 'supplement' or (
                via in {'accepted', 'approved', 'rejected', 'completed'}
                and rng.random() < 0.3)
            if supplement:
                materials = [m for m in service.materials if m.mandatory] or \
                    list(service.materials)
                for material in rng.sample(materials,
                        min(len(materials), rng.choice([1, 1, 2]))):
                    app.missing_materials.new(material=material,
                        name=material.name,
                        problem=rng.choice(D.SUPPLEMENT_PROBLEMS))
            apps.append(app)
            plans.append({'state': state, 'via': via,
                    'supplement': supplement})
        Application.save(apps)

        self.run_workflow(apps, plans)
        self.applications = apps

    # Working days back from today on which an application in each final
    # state was received: open ones recently, decided ones weeks ago.
    RECEIVED_DAYS_BACK = {
        'received': (0, 1),
        'supplement': (1, 6),
        'accepted': (1, 16),
        'approved': (2, 18),
        'rejected': (4, 25),
        'completed': (4, 30),
        'withdrawn': (1, 20),
        }

    def working_days_back(self, count=60):
        "Return the working days up to today, most recent first"
        CalendarDay = Model.get('hall.calendar.day')
        start = self.today - dt.timedelta(days=2 * count)
        days = CalendarDay.find([
                ('date', '>=', start), ('date', '<=', self.today)])
        holidays_ = {d.date for d in days if d.kind == 'holiday'}
        workdays = {d.date for d in days if d.kind == 'workday'}
        back, day = [], self.today
        while len(back) < count:
            if is_working_day(day, holidays_, workdays):
                back.append(day)
            day -= dt.timedelta(days=1)
        return back

    def plan_days(self, plan, service, back):
        """Return {action: index of the working day back} for the
        application: the events follow each other and none is after the
        last working day (index 0). About one in ten is late against its
        promise."""
        rng = self.rng
        limit = service.promised_limit or 0
        late = rng.random() < 0.1
        low, high = self.RECEIVED_DAYS_BACK[plan['state']]
        if plan['state'] == 'accepted':
            # still open: mostly within the promise, a few overdue
            high = limit + 4 if late else max(limit - 1, 0)
            low = limit + 1 if late else 0
        received = rng.randint(low, max(low, high))
        days = {'receive': received}
        if plan['supplement']:
            days['request_supplement'] = received
        if plan['via'] in {'accepted', 'approved', 'rejected', 'completed'}:
            accepted = received - (
                rng.randint(1, 2) if plan['supplement'] else 0)
            days['accept'] = max(accepted, 0)
            if plan['state'] in {'approved', 'rejected', 'completed'}:
                took = (limit + rng.randint(1, 3) if late
                    else rng.randint(0, max(limit - 1, 0)))
                decided = max(days['accept'] - took, 0)
                action = 'reject' if plan['state'] == 'rejected' else (
                    'approve')
                days[action] = decided
                if plan['state'] == 'completed':
                    days['complete'] = decided
        if plan['state'] == 'withdrawn':
            days['withdraw'] = max(
                min(days.values()) - rng.randint(0, 3), 0)
        return days

    def run_workflow(self, apps, plans):
        """Drive the applications through their buttons day by day over the
        past weeks, with the server's clock set to each day, as the
        clerks would have done; then run the daily timeliness cron."""
        rng = self.rng
        Application = Model.get('hall.application')
        back = self.working_days_back()
        order = ['receive', 'request_supplement', 'accept', 'approve',
            'reject', 'complete', 'withdraw']
        agenda = defaultdict(list)
        days_of = {}
        for app, plan in zip(apps, plans):
            if plan['state'] == 'draft':
                continue
            days_of[app.id] = self.plan_days(plan, app.service, back)
            for action, index in days_of[app.id].items():
                agenda[(index, order.index(action))].append(app)
        self.back = back
        for extension in self.extensions:
            extension.before_workflow(self, apps, plans, days_of)
        for app, plan in zip(apps, plans):
            if plan['state'] == 'rejected':
                app.rejection_reason = rng.choice(D.REJECTION_REASONS)
            elif plan['state'] == 'withdrawn':
                app.withdrawal_reason = rng.choice(D.WITHDRAWAL_REASONS)
        Application.save([a for a, p in zip(apps, plans)
                if p['state'] in {'rejected', 'withdrawn'}])
        stamping = [m for e in self.extensions for m in e.STAMPING]
        with SimClock(self.cfg.database_name, D.TIMEZONE, stamping) as clock:
            for index, action in sorted(agenda, key=lambda k: (-k[0], k[1])):
                name, records = order[action], agenda[(index, action)]
                clock.set(back[index], ACTION_TIMES[name])
                for extension in self.extensions:
                    extension.before_click(name, records, back[index])
                Application.click(records, name)
                for extension in self.extensions:
                    extension.after_click(
                        name, records, back[index], clock)
        Cron = Model.get('ir.cron')
        timeliness, = Cron.find([
                ('method', '=', 'hall.application|mark_timeliness')])
        timeliness.click('run_once')

    def summary(self, weekend_lines, extra_staff=0):
        Application = Model.get('hall.application')
        Window = Model.get('hall.window')
        services = self.services
        windows = Window.find([('hall', '=', self.hall.id)])
        kinds = Counter(w.kind for w in windows)
        comprehensive = sum(1 for s in services if s.comprehensive)
        online = sum(1 for s in services if s.online)
        states = Counter(a.state for a in Application.find([]))
        self.say(f"hall {self.hall.name}: {len(self.zones)} zones, "
            f"{len(self.departments)} departments")
        self.say(f"services: {len(services)} "
            f"({comprehensive / len(services):.0%} at comprehensive windows, "
            f"{online / len(services):.0%} online, "
            f"{sum(1 for s in services if s.promised_limit == 0)} 即办件)")
        self.say(f"windows: {len(windows)} ("
            + ', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))
            + f"; {kinds['comprehensive'] / len(windows):.1%} comprehensive; "
            f"{sum(1 for w in windows if w.state == 'open')} open)")
        self.say(f"staff: {len(self.employees) + extra_staff} employees, "
            f"{len(self.users) + extra_staff} users")
        self.say(f"roster {self.week[0]} – {self.week[-1]}: "
            f"{self.counts['shifts']} shifts"
            + (f", holidays without shifts: "
                f"{', '.join(map(str, self.holidays_in_week))}"
                if self.holidays_in_week else ''))
        if weekend_lines:
            for line in weekend_lines:
                self.say("WARNING weekend shortfall: %s %s %s/%s" % line)
        else:
            self.say("weekend check: no shortfall this week")
        self.say(f"applicants: {len(self.citizens)} citizens, "
            f"{len(self.enterprises)} enterprises")
        self.say("applications: " + ', '.join(
                f'{s} {states.get(s, 0)}' for s, _ in STATE_COUNTS)
            + f" (total {sum(states.values())})")
