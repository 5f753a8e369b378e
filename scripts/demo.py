#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Configure a new service-hall database and load the demo data.

    scripts/demo.py --database NAME --config FILE [--no-demo]

Called by scripts/run right after trytond-admin created the database with
the modules activated and zh_CN loaded.  It works through proteus, as a user
of the client would (buttons, wizards), never with SQL:

A. base setup (always): zh_CN as the language of the database and of admin,
   the CNY currency, the company (滨江市政务服务管理局, Asia/Shanghai), the
   module configuration wizard marked done, the working-day calendar of this
   year and the next;
B. demo data (unless --no-demo), deterministic: one hall with its zones,
   departments, services, windows, staff and their logins, this week's roster
   and 200 applications (办件) in every state, received, accepted and decided
   on the working days of the past weeks (the server's clock is set to each
   day while the buttons are clicked), then flagged by the daily timeliness
   cron.  The logins are printed and written to var/demo-logins.txt.
   Free certificate delivery (免费证照寄递, module hall_delivery): the
   divisions of 浙江省 (the addresses are real ones of 杭州市), two couriers
   (EMS, 顺丰), a delivery clerk (jidi); about 40 applicants ask for mail
   delivery at reception, the clerk completes the addresses the same day,
   the certificates are entered at completion; over the last working days
   the clerk packs the pieces, hands them over in batches and imports the
   couriers' tracking files: most signed for, two returned, a few left to
   pack, to hand over or on their way.

Running it again on a database that already has the demo hall only repeats
the base setup (which changes nothing the second time).
"""
import argparse
import contextlib
import importlib
import csv
import datetime as dt
import io
import os
import random
import re
import sys
import time
import types
from collections import Counter, defaultdict
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

from proteus import Model, Wizard, config as pconfig
from trytond.modules.hall.working_days import is_working_day
from trytond.pool import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_data as D  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGINS_FILE = os.path.join(ROOT, 'var', 'demo-logins.txt')
SEED = 2026
LANGUAGE = 'zh_CN'

# Demo passwords: strong (upper, lower, digit, symbol, 16+ characters) and
# deterministic so that they can be printed and documented.
PASSWORD_PREFIX = 'Bjzw#2026!'

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
    'delivery_clerk': "寄递专员 delivery clerk",
    }

# Free certificate delivery: how many applications ask for it, by what
# became of them: completed (within MAIL_DONE working days, at most),
# rejected or withdrawn, still drafts (submitted online) and the others
# still in progress (received within MAIL_LAUNCH working days).
MAIL_TOTAL = 40
MAIL_COUNTS = {'completed': 24, 'closed': 3, 'draft': 2}
MAIL_DONE = 15
MAIL_LAUNCH = 20
# The couriers come for the packed pieces on these working days back from
# today (one handover batch each), and the share of the enterprises' pieces
# sent with 顺丰 rather than EMS.
PICKUPS = [(6, 'ems', dt.time(16, 0)), (3, 'sf', dt.time(15, 30)),
    (1, 'ems', dt.time(16, 0))]
SF_SHARE = 0.5
# Local time at which the clerks click each button of the applications
ACTION_TIMES = {
    'receive': dt.time(9, 10), 'request_supplement': dt.time(9, 40),
    'accept': dt.time(10, 20), 'approve': dt.time(14, 30),
    'reject': dt.time(15, 0), 'complete': dt.time(15, 40),
    'withdraw': dt.time(11, 0),
    }
# Modules with a demo of their own (scripts/demo_<module>.py), in the order
# they are loaded, after the hall
MODULE_DEMOS = ['hall_queue', 'hall_green_channel', 'hall_proxy',
    'hall_evaluation', 'content_review']

DELIVERY_STATES = ['draft', 'ready', 'packed', 'dispatched', 'delivered',
    'returned', 'lost', 'cancelled']


def say(*args):
    print('demo:', *args, flush=True)


def password_of(login):
    return PASSWORD_PREFIX + login


def refresh_context(cfg):
    "Reload the user preferences into the proteus context (as a login)."
    User = Model.get('res.user')
    cfg._context = User.get_preferences(True, {})


def monday_of(date):
    return date - dt.timedelta(days=date.weekday())


# ---------------------------------------------------------------------------
# Identity numbers
# ---------------------------------------------------------------------------

def ric_check_digit(first17):
    "GB 11643-1999 check character of a resident identity card number."
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return '10X98765432'[total % 11]


def make_ric(rng, areas, birth_date, gender):
    """Return an 18-digit resident ID number (odd sequence digit: male) born
    in one of `areas` that already existed at the birth date."""
    from stdnum.cn import ric
    areas = list(areas)
    while True:
        area = rng.choice(areas)
        seq = rng.randrange(0, 100) * 10 + rng.choice(
            [1, 3, 5, 7, 9] if gender == 'M' else [0, 2, 4, 6, 8])
        first17 = f'{area}{birth_date:%Y%m%d}{seq:03d}'
        number = first17 + ric_check_digit(first17)
        if ric.is_valid(number):
            return number
        areas.remove(area)  # the district did not exist yet


USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'


def org_code_check(code8):
    "GB 11714-1997 check character of an organisation code."
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(code8, weights))
    check = 11 - total % 11
    return {10: 'X', 11: '0'}.get(check, str(check))


def make_uscc(rng, division, kind='91'):
    """Return a unified social credit code (GB 32100-2015) of an enterprise
    (登记管理部门 9 工商, 机构类别 1 企业; '92' 个体工商户) registered in
    `division`."""
    code8 = ''.join(rng.choice('0123456789') for _ in range(8))
    body = kind + division + code8 + org_code_check(code8)
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, weights))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def make_mobile(rng):
    prefix = rng.choice(['133', '135', '136', '137', '138', '139', '150',
            '151', '152', '157', '158', '159', '177', '180', '181', '186',
            '187', '188', '189', '199'])
    return f'+86 {prefix} {rng.randrange(10000):04d} {rng.randrange(10000):04d}'


def ems_waybill(serial):
    "EMS waybill (UPU S10): EA, 8 digits, check digit, CN"
    digits = f'{serial:08d}'
    total = sum(int(c) * w for c, w in zip(digits, [8, 6, 4, 2, 3, 5, 9, 7]))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f'EA{digits}{check}CN'


def sf_waybill(serial):
    "顺丰 waybill: SF and 13 digits"
    return f'SF{serial:013d}'


class SimClock:
    """The server's clock while the demo plays the past working days:
    ir.date's today, and the datetime.now() with which hall_delivery stamps
    the deliveries' state changes and the handover batches (they keep the
    wall clock if the module no longer reads it that way).  Times are given
    in the company's time zone and stored in UTC, as Tryton does."""

    STAMPING = ['trytond.modules.hall_delivery.delivery',
        'trytond.modules.hall_delivery.batch']

    def __init__(self, database_name):
        self.Date = Pool(database_name).get('ir.date')
        self.today = None
        self.now = None
        self.zone = ZoneInfo(D.TIMEZONE)
        self._patches = []

    def __enter__(self):
        clock = self

        class DateTime(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                if clock.now is None or tz is not None:
                    return dt.datetime.now(tz)
                return clock.now
        fake_dt = types.SimpleNamespace(**{
                n: getattr(dt, n) for n in dir(dt) if not n.startswith('__')})
        fake_dt.datetime = DateTime
        self._patches = [patch.object(self.Date, 'today',
                side_effect=lambda *a, **k: clock.today)]
        for name in self.STAMPING:
            module = sys.modules.get(name)
            if module is not None and getattr(module, 'dt', None) is dt:
                self._patches.append(patch.object(module, 'dt', fake_dt))
        for patcher in self._patches:
            patcher.start()
        return self

    def __exit__(self, *exc):
        for patcher in reversed(self._patches):
            patcher.stop()
        self._patches = []

    def utc(self, day, time_):
        "The naive UTC datetime of `time_` on `day` in the company's zone"
        return dt.datetime.combine(day, time_, tzinfo=self.zone).astimezone(
            dt.timezone.utc).replace(tzinfo=None)

    def set(self, day, time_=dt.time(9, 0)):
        "Be `time_` (local) on `day`, never later than the wall clock"
        self.today = day
        self.now = min(self.utc(day, time_), utc_now())


def utc_now():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------------------
# A. Base setup
# ---------------------------------------------------------------------------

def set_database_language(cfg, code):
    """ir.configuration has no RPC (it is not a ModelView), so the database
    language is written through the ORM of the proteus backend."""
    from trytond.transaction import Transaction
    with Transaction().start(cfg.database_name, 0):
        Configuration = cfg.pool.get('ir.configuration')
        configuration = Configuration(1)
        if configuration.language != code:
            Configuration.write([configuration], {'language': code})
            return True
    return False


def setup_base(cfg):
    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    Currency = Model.get('currency.currency')
    Company = Model.get('company.company')
    Party = Model.get('party.party')
    ConfigItem = Model.get('ir.module.config_wizard.item')
    CalendarDay = Model.get('hall.calendar.day')
    Date = Model.get('ir.date')

    lang, = Lang.find([('code', '=', LANGUAGE)])
    if not lang.translatable:
        Lang.click([lang], 'load_translations')
        say(f"loaded the {LANGUAGE} translations")
    if set_database_language(cfg, LANGUAGE):
        say(f"database language set to {LANGUAGE}")

    admin, = User.find([('login', '=', 'admin')])
    if admin.language != lang:
        admin.language = lang
        admin.save()
    refresh_context(cfg)

    currencies = Currency.find([('code', '=', 'CNY')])
    if currencies:
        cny, = currencies
    else:
        cny = Currency(name="人民币", code='CNY', numeric_code='156',
            symbol='¥', rounding=Decimal('0.01'), digits=2)
        cny.save()
        say("created the currency 人民币 (CNY)")

    companies = Company.find([])
    if companies:
        company = companies[0]
    else:
        party = Party(name=D.COMPANY_NAME)
        address, = party.addresses
        address.street = D.HALL['address']
        address.city = D.CITY
        party.save()
        company_config = Wizard('company.company.config')
        company_config.execute('company')
        form = company_config.form
        form.party = party
        form.currency = cny
        form.timezone = D.TIMEZONE
        company_config.execute('add')
        company, = Company.find([])
        say(f"created the company {D.COMPANY_NAME}")
    admin = User(admin.id)
    if company not in admin.companies:
        admin.companies.append(Company(company.id))
    if admin.company != company:
        admin.company = company
    admin.save()
    refresh_context(cfg)

    items = ConfigItem.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    if items:
        ConfigItem.save(items)
        say(f"marked {len(items)} configuration wizard items done")

    year = Date.today(pconfig.get_config().context).year
    for y in [year, year + 1]:
        if not CalendarDay.find([
                    ('date', '>=', dt.date(y, 1, 1)),
                    ('date', '<=', dt.date(y, 12, 31)),
                    ], limit=1):
            seed = Wizard('hall.calendar.seed')
            seed.form.year = y
            seed.execute('seed')
            say(f"imported the public holidays of {y}")
    return company


# ---------------------------------------------------------------------------
# B. Demo data
# ---------------------------------------------------------------------------

class Demo:

    def __init__(self, cfg, company, roster_week=None):
        self.cfg = cfg
        self.company = company
        self.rng = random.Random(SEED)
        Date = Model.get('ir.date')
        self.today = Date.today(pconfig.get_config().context)
        self.roster_week = roster_week or self.today
        self.counts = {}
        # the certificate delivery draws from its own generator so that the
        # rest of the demo stays the same with or without it
        self.mail_rng = random.Random(SEED + 1)
        self.delivery_clerk = None
        self.mail = {}  # application id -> its delivery plan

    # -- organisation ------------------------------------------------------

    def create_hall(self):
        Hall = Model.get('hall.hall')
        Zone = Model.get('hall.zone')
        hall = Hall(name=D.HALL['name'], code=D.HALL['code'],
            company=self.company, address=D.HALL['address'],
            phone=D.HALL['phone'], weekend_service=True,
            weekend_min_windows=2)
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
        Role = Model.get('res.role')
        Lang = Model.get('ir.lang')
        ModelData = Model.get('ir.model.data')
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
        Company = Model.get('company.company')
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

        def role(xml_id):
            return Role(ModelData.get_id('hall', xml_id, {}))
        roles = {
            'manager': role('role_hall_manager'),
            'clerk': role('role_window_clerk'),
            'leader': role('role_hall_leader'),
            }
        lang, = Lang.find([('code', '=', LANGUAGE)])
        self.logins = []  # (login, kind, staff index)
        logins = [('manager', 'manager', 0), ('manager2', 'manager', 1),
            ('leader', 'leader', 2)]
        logins += [(f'clerk{i - 2:02d}', 'clerk', i)
            for i in range(3, len(D.STAFF))]
        users = []
        for login, kind, index in logins:
            employee = employees[index]
            user = User(name=D.STAFF[index][0], login=login,
                email=f'{login}@bjzw.example.cn', language=lang)
            user.password = password_of(login)
            user.companies.append(Company(self.company.id))
            user.company = self.company
            user.employees.append(Employee(employee.id))
            user.employee = employee
            user.roles.new(role=roles[kind])
            users.append(user)
        User.save(users)
        self.users = users
        self.logins = logins
        self.create_delivery_clerk(lang)

    def create_delivery_clerk(self, lang):
        "The delivery clerk (寄递专员) of the issuing windows"
        Party = Model.get('party.party')
        Employee = Model.get('company.employee')
        User = Model.get('res.user')
        Role = Model.get('res.role')
        Company = Model.get('company.company')
        ModelData = Model.get('ir.model.data')
        rng = self.mail_rng
        name, gender = D.DELIVERY_CLERK
        login = D.DELIVERY_CLERK_LOGIN
        party = Party(name=name)
        party.addresses[0].city = D.CITY
        party.identifiers.new(type='cn_ric', code=make_ric(
                rng, D.LOCAL_AREA_CODES, dt.date(1994, 6, 17), gender))
        party.contact_mechanisms.new(type='mobile', value=make_mobile(rng))
        party.save()
        employee = Employee(party=party, company=self.company,
            start_date=dt.date(2021, 3, 1))
        employee.save()
        user = User(name=name, login=login,
            email=f'{login}@bjzw.example.cn', language=lang)
        user.password = password_of(login)
        user.companies.append(Company(self.company.id))
        user.company = self.company
        user.employees.append(Employee(employee.id))
        user.employee = employee
        user.roles.new(role=Role(ModelData.get_id(
                    'hall_delivery', 'role_delivery_clerk', {})))
        user.save()
        self.delivery_clerk = user

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
                        say(f"WARNING: nobody free for {number} on {day}")
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
            say(f"WARNING: hall.application accepts the identifier types "
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
        self.choose_mail(apps, plans, days_of)
        for app, plan in zip(apps, plans):
            if plan['state'] == 'rejected':
                app.rejection_reason = rng.choice(D.REJECTION_REASONS)
            elif plan['state'] == 'withdrawn':
                app.withdrawal_reason = rng.choice(D.WITHDRAWAL_REASONS)
        Application.save([a for a, p in zip(apps, plans)
                if p['state'] in {'rejected', 'withdrawn'}])
        with SimClock(self.cfg.database_name) as clock:
            for index, action in sorted(agenda, key=lambda k: (-k[0], k[1])):
                name, records = order[action], agenda[(index, action)]
                clock.set(back[index], ACTION_TIMES[name])
                if name == 'complete':
                    self.issue_certificates(records, back[index])
                Application.click(records, name)
                self.after_click(name, records, back[index], clock)
        Cron = Model.get('ir.cron')
        timeliness, = Cron.find([
                ('method', '=', 'hall.application|mark_timeliness')])
        timeliness.click('run_once')

    # -- certificate delivery (免费证照寄递) ---------------------------------

    @contextlib.contextmanager
    def as_user(self, user):
        "Click as `user`, with the preferences of a login"
        User = Model.get('res.user')
        cfg = self.cfg
        saved = cfg.user, cfg._context
        cfg.user = user.id
        try:
            cfg._context = User.get_preferences(True, {})
            yield
        finally:
            cfg.user, cfg._context = saved

    def setup_delivery(self):
        """Import the administrative divisions of the demo's province with
        the wizard, as the hall manager would, and contract the couriers."""
        Subdivision = Model.get('country.subdivision')
        Party = Model.get('party.party')
        Courier = Model.get('hall.courier')
        division_import = Wizard('hall.delivery.division.import')
        division_import.form.all_provinces = False
        division_import.form.provinces = [D.DELIVERY_PROVINCE]
        division_import.execute('import_')
        self.counts['subdivisions'] = division_import.form.created
        division_import.execute('end')

        city, = Subdivision.find(
            [('code', '=', f'CN-{D.DELIVERY_CITY_CODE}')])
        assert city.name == D.DELIVERY_CITY_NAME, city.name
        assert city.parent.name == D.DELIVERY_PROVINCE_NAME, city.parent.name
        self.province_id, self.city_id = city.parent.id, city.id
        self.districts = []
        for code, name, weight, postal_codes, streets in (
                D.DELIVERY_DISTRICTS):
            district, = Subdivision.find([
                    ('code', '=', f'CN-{code}'), ('parent', '=', city.id)])
            assert district.name == name, district.name
            self.districts.append({'id': district.id, 'name': name,
                    'weight': weight, 'postal_codes': postal_codes,
                    'streets': streets})

        year = self.today.year
        parties = []
        for info in D.COURIERS:
            party = Party(name=info['party'])
            party.contact_mechanisms.new(type='website',
                value=info['website'])
            parties.append(party)
        Party.save(parties)
        couriers = []
        for info, party in zip(D.COURIERS, parties):
            (sy, sm, sd), (ey, em, ed) = info['contract']
            courier = Courier(party=party, company=self.company,
                service_code=info['service_code'],
                contract_start=dt.date(year + sy, sm, sd),
                contract_end=dt.date(year + ey, em, ed),
                extra_kg_price=Decimal(info['extra_kg']))
            for max_weight, price in info['tiers']:
                courier.price_tiers.new(max_weight=Decimal(max_weight),
                    price=Decimal(price))
            couriers.append(courier)
        Courier.save(couriers)
        self.couriers = {i['key']: c.id for i, c in zip(D.COURIERS, couriers)}
        self.courier_info = {i['key']: i for i in D.COURIERS}

    def choose_mail(self, apps, plans, days_of):
        """While they are still drafts, about 40 applicants of services
        that issue a certificate ask for it to be mailed (those received
        since the service started); the enterprises among them give a
        mobile for the courier."""
        rng = self.mail_rng
        Application = Model.get('hall.application')
        Party = Model.get('party.party')
        Identifier = Model.get('party.identifier')
        ContactMechanism = Model.get('party.contact_mechanism')
        self.service_name = {s.id: s.name for s in self.services}
        groups = defaultdict(list)
        for app, plan in zip(apps, plans):
            if self.service_name[app.service.id] not in D.CERTIFICATES:
                continue
            state, days = plan['state'], days_of.get(app.id)
            if state == 'draft':
                if app.channel == 'online':
                    groups['draft'].append(app)
            elif days['receive'] > MAIL_LAUNCH:
                continue
            elif state == 'completed':
                if days['complete'] <= MAIL_DONE:
                    groups['completed'].append(app)
            elif state in {'rejected', 'withdrawn'}:
                groups['closed'].append(app)
            else:
                groups['open'].append(app)
        chosen = []
        for group, count in MAIL_COUNTS.items():
            chosen += rng.sample(groups[group], min(count, len(groups[group])))
        chosen += rng.sample(groups['open'],
            max(0, min(MAIL_TOTAL - len(chosen), len(groups['open']))))

        parties = self.citizens + self.enterprises
        names = {p.id: p.name for p in parties}
        enterprises = {p.id for p in self.enterprises}
        identifiers = Identifier._proxy.search_read(
            [('party', 'in', [p.id for p in parties])], 0, None, None,
            ['party', 'type', 'code'], self.cfg.context)
        self.ric_of = {i['party']: i['code'] for i in identifiers
            if i['type'] == 'cn_ric'}
        self.uscc_of = {i['party']: i['code'] for i in identifiers
            if i['type'] == self.uscc_type}
        state_of = {app.id: plan['state'] for app, plan in zip(apps, plans)}
        mechanisms, with_mobile = [], set()
        for app in chosen:
            app.delivery_method = 'mail'
            applicant = app.applicant.id
            agent = app.agent.id if app.agent else None
            enterprise = applicant in enterprises
            district = rng.choices(self.districts,
                [d['weight'] for d in self.districts])[0]
            street = None  # where the applicant lives (滨江区)
            if district['streets']:
                street = f"{rng.choice(district['streets'])}"
                if enterprise:
                    street += (f"{rng.randrange(1, 800)}号"
                        f"{rng.choice(['创业大厦', '科技园', '商务中心'])}"
                        f"{rng.randrange(2, 25)}层")
                else:
                    street += (f"{rng.randrange(1, 600)}号"
                        f"{rng.randrange(1, 20)}幢{rng.randrange(1, 4)}单元"
                        f"{rng.randrange(1, 19)}{rng.randrange(1, 5):02d}室")
            if enterprise and applicant not in with_mobile:
                # the mobile of the enterprise's contact for the courier
                with_mobile.add(applicant)
                mechanisms.append(ContactMechanism(
                        party=Party(applicant), type='mobile',
                        value=make_mobile(rng), name=names.get(agent)))
            kg = rng.choices([(0.2, 0.5), (0.5, 1.0), (1.0, 1.5)],
                [70, 25, 5])[0]
            self.mail[app.id] = {
                'state': state_of[app.id],
                'days': days_of.get(app.id),
                'district': district,
                'street': street,
                'postal_code': rng.choice(district['postal_codes']),
                'enterprise': enterprise,
                'name': names[applicant],
                'agent': names.get(agent),
                'courier': ('sf' if enterprise and rng.random() < SF_SHARE
                    else 'ems'),
                'weight': Decimal(f'{rng.uniform(*kg):.2f}'),
                }
        ContactMechanism.save(mechanisms)
        Application.save(chosen)
        self.counts['mail'] = Counter(
            self.mail[a.id]['state'] for a in chosen)

    def certificate(self, template, app, day):
        "The name and number of the certificate issued to `app` on `day`"
        rng = self.mail_rng
        applicant = app.applicant.id
        width = re.search(r'\{n:0(\d+)d\}', template)
        uscc = self.uscc_of.get(applicant)
        if uscc is None and '{uscc}' in template:
            uscc = make_uscc(rng, D.CITY_DIVISION,
                '92' if template.startswith('个体') else '91')
        ric = self.ric_of.get(applicant) or self.ric_of.get(
            app.agent.id if app.agent else None, '')
        return template.format(
            year=day.year, yy=f'{day:%y}', date=day, div=D.CITY_DIVISION,
            n=rng.randrange(1, 10 ** int(width.group(1)) if width else 1000),
            ric=ric, uscc=uscc,
            letter=rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ'),
            kind=rng.randint(1, 7), grade=rng.randint(1, 4))

    def issue_certificates(self, apps, day):
        "Enter the certificate issued before the completion is clicked"
        for app in apps:
            template = D.CERTIFICATES.get(self.service_name[app.service.id])
            if template:
                app.certificate = self.certificate(template, app, day)

    def after_click(self, action, apps, day, clock):
        """The delivery clerk completes the address of the deliveries the
        receptions of the day opened, and cancels those of the applications
        rejected or withdrawn."""
        ids = [a.id for a in apps if a.id in self.mail]
        if not ids:
            return
        Delivery = Model.get('hall.delivery')
        Subdivision = Model.get('country.subdivision')
        if action == 'receive':
            # (the delivery clerk has no access to the applications)
            app_of = {d.id: d.applications[0].id for d in Delivery.find([
                        ('applications', 'in', ids),
                        ('state', '=', 'draft'),
                        ])}
            clock.set(day, dt.time(10, 30))
            with self.as_user(self.delivery_clerk):
                deliveries = [Delivery(i) for i in sorted(app_of)]
                for delivery in deliveries:
                    plan = self.mail[app_of[delivery.id]]
                    delivery.province = Subdivision(self.province_id)
                    delivery.city = Subdivision(self.city_id)
                    delivery.district = Subdivision(plan['district']['id'])
                    if plan['street']:
                        delivery.street = plan['street']
                    delivery.postal_code = plan['postal_code']
                Delivery.save(deliveries)
        elif action in {'reject', 'withdraw'}:
            clock.set(day, dt.time(16, 30))
            with self.as_user(self.delivery_clerk):
                Delivery.click(Delivery.find([
                            ('applications', 'in', ids),
                            ('state', 'in', ['draft', 'ready']),
                            ]), 'cancel')

    def play_deliveries(self):
        """The delivery clerk's last working days: each morning pack what
        was completed before (courier, waybill, weight), hand the packed
        pieces over when a courier comes (one batch each), then import the
        couriers' tracking files: most signed for, two returned (from the
        first batch), two still on their way (from the last one)."""
        Delivery = Model.get('hall.delivery')
        Courier = Model.get('hall.courier')
        rng = self.mail_rng
        back = self.back
        done = {a: p for a, p in self.mail.items()
            if p['state'] == 'completed'}
        if not done:
            return
        pickups = defaultdict(list)
        for index, key, time_ in PICKUPS:
            pickups[index].append((key, time_))
        serial = {'ems': rng.randrange(10 ** 7, 9 * 10 ** 7),
            'sf': rng.randrange(10 ** 11, 9 * 10 ** 11)}
        waybill = {'ems': ems_waybill, 'sf': sf_waybill}
        packed, dispatched = set(), {}  # application ids; -> (day, time)
        batches = []
        # (the delivery clerk has no access to the applications)
        delivery_of = {d.applications[0].id: d.id for d in Delivery.find([
                    ('applications', 'in', list(done)),
                    ('state', '=', 'ready'),
                    ])}
        with self.as_user(self.delivery_clerk), \
                SimClock(self.cfg.database_name) as clock:
            delivery_of = {a: Delivery(i) for a, i in delivery_of.items()}
            first = max(p['days']['complete'] for p in done.values())
            for index in range(first, -1, -1):
                clock.set(back[index], dt.time(9, 30))
                to_pack = sorted(
                    (a for a, p in done.items() if a in delivery_of
                        and a not in packed
                        and p['days']['complete'] > index),
                    key=lambda a: delivery_of[a].id)
                for app_id in to_pack:
                    plan, delivery = done[app_id], delivery_of[app_id]
                    key = plan['courier']
                    delivery.courier = Courier(self.couriers[key])
                    delivery.waybill = waybill[key](serial[key])
                    serial[key] += 1
                    delivery.weight = plan['weight']
                if to_pack:
                    Delivery.click([delivery_of[a] for a in to_pack], 'pack')
                    packed.update(to_pack)
                for key, time_ in pickups.get(index, []):
                    pieces = [a for a in packed if a not in dispatched
                        and done[a]['courier'] == key]
                    if not pieces:
                        continue
                    clock.set(back[index], time_)
                    # the wizard proposes the courier's packed pieces
                    dispatch = Wizard('hall.delivery.dispatch')
                    dispatch.form.courier = Courier(self.couriers[key])
                    ids = {d.id for d in dispatch.form.deliveries}
                    agent = rng.choice(self.courier_info[key]['agents'])
                    dispatch.form.courier_signature = agent
                    dispatch.execute('dispatch')
                    for app_id, delivery in delivery_of.items():
                        if delivery.id in ids:
                            dispatched[app_id] = (back[index], time_, agent)
                    batches.append(key)
            self.counts['batches'] = batches

            # The couriers' tracking files, in local time, up to now
            clock.set(back[0], dt.time(17, 45))
            limit = min(dt.datetime.combine(back[0], dt.time(17, 45)),
                dt.datetime.now(ZoneInfo(D.TIMEZONE)).replace(tzinfo=None))
            order = sorted(dispatched,
                key=lambda a: (dispatched[a][0], delivery_of[a].id))
            ems = [a for a in order if done[a]['courier'] == 'ems']
            returned = [a for a in ems if dispatched[a][0]
                == dispatched[ems[0]][0]][:len(D.DELIVERY_RETURN_REASONS)]
            pending = [a for a in ems if a not in returned
                and dispatched[a][0] == dispatched[ems[-1]][0]][-2:]

            def at(day, hour, minutes=59):
                return dt.datetime.combine(day, dt.time(hour)) + (
                    dt.timedelta(minutes=rng.randint(0, minutes),
                        seconds=rng.randint(0, 59)))
            rows = defaultdict(list)
            for app_id in order:
                plan = done[app_id]
                info = self.courier_info[plan['courier']]
                day, time_, agent = dispatched[app_id]
                number = delivery_of[app_id].waybill
                start = dt.datetime.combine(day, time_)
                next_day = day + dt.timedelta(days=1)
                office = info['office'].format(
                    district=plan['district']['name'])
                events = [
                    (start + dt.timedelta(minutes=rng.randint(15, 45)),
                        "已揽收", f"{info['pickup']}已收件，"
                        f"{info['collector']}：{agent}"),
                    (at(day, 21, 90), "运输中", f"已到达{info['hub']}"),
                    (at(next_day, 7), "派送中",
                        f"{office}正在派送"),
                    ]
                if app_id in returned:
                    reason = D.DELIVERY_RETURN_REASONS[returned.index(app_id)]
                    events += [
                        (at(next_day, 11), "运输中", f"投递未成功：{reason}"),
                        (at(next_day + dt.timedelta(days=1), 14), "退回",
                            reason),
                        ]
                elif app_id in pending:
                    if pending.index(app_id):
                        events.append((at(next_day, 11), "运输中",
                                "收件人电话无人接听，已改约再次投递"))
                else:
                    events.append((at(next_day, 9, 8 * 60), "已签收",
                            self.signer(plan, rng)))
                for time_, status, note in events:
                    if time_ <= limit:
                        rows[plan['courier']].append(
                            (time_, number, status, note))
            applied = 0
            for key, events in rows.items():
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator='\r\n')
                writer.writerow(["运单号", "状态", "时间", "备注"])
                for time_, number, status, note in sorted(events):
                    writer.writerow([number, status,
                            f'{time_:%Y-%m-%d %H:%M:%S}', note])
                tracking = Wizard('hall.delivery.tracking.import')
                tracking.form.courier = Courier(self.couriers[key])
                tracking.form.file = buffer.getvalue().encode('utf-8')
                tracking.form.filename = (
                    f"{self.courier_info[key]['short']}轨迹"
                    f"{back[0]:%Y%m%d}.csv")
                tracking.execute('import_')
                applied += tracking.form.applied
                tracking.execute('end')
            self.counts['tracking events'] = applied

    def signer(self, plan, rng):
        "Who signed for a piece (签收人), as the courier's file says"
        if plan['enterprise']:
            if plan['agent'] and rng.random() < 0.6:
                return f"{plan['agent']}（经办人签收）"
            return rng.choice(["前台代收", "单位收发室代收"])
        chance = rng.random()
        if chance < 0.75:
            return f"{plan['name']}（本人签收）"
        if chance < 0.9:
            return (f"{plan['name'][0]}{rng.choice(['先生', '女士'])}"
                "（家属代收）")
        return "小区快递柜代收"

    # -- report ------------------------------------------------------------

    def write_logins(self, path):
        lines = []
        shown = {'manager', 'manager2', 'leader', 'clerk01', 'clerk02'}
        for login, kind, index in self.logins:
            if login in shown:
                lines.append(f'{login:<9} / {password_of(login):<20} '
                    f'{ROLE_LABELS[kind]} ({D.STAFF[index][0]})')
        if self.delivery_clerk:
            login = self.delivery_clerk.login
            lines.append(f'{login:<9} / {password_of(login):<20} '
                f'{ROLE_LABELS["delivery_clerk"]} ({self.delivery_clerk.name})')
        lines.extend(self.module_lines)
        n_clerks = sum(1 for _, kind, _ in self.logins if kind == 'clerk')
        lines.append(f'clerk01 … clerk{n_clerks:02d}: password '
            f'{PASSWORD_PREFIX}<login>, e.g. {password_of("clerk03")}')
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        return lines

    def summary(self, weekend_lines):
        Application = Model.get('hall.application')
        Window = Model.get('hall.window')
        services = self.services
        windows = Window.find([('hall', '=', self.hall.id)])
        kinds = Counter(w.kind for w in windows)
        comprehensive = sum(1 for s in services if s.comprehensive)
        online = sum(1 for s in services if s.online)
        states = Counter(a.state for a in Application.find([]))
        say(f"hall {self.hall.name}: {len(self.zones)} zones, "
            f"{len(self.departments)} departments")
        say(f"services: {len(services)} "
            f"({comprehensive / len(services):.0%} at comprehensive windows, "
            f"{online / len(services):.0%} online, "
            f"{sum(1 for s in services if s.promised_limit == 0)} 即办件)")
        say(f"windows: {len(windows)} ("
            + ', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))
            + f"; {kinds['comprehensive'] / len(windows):.1%} comprehensive; "
            f"{sum(1 for w in windows if w.state == 'open')} open)")
        extra = 1 if self.delivery_clerk else 0
        say(f"staff: {len(self.employees) + extra} employees, "
            f"{len(self.users) + extra} users")
        say(f"roster {self.week[0]} – {self.week[-1]}: "
            f"{self.counts['shifts']} shifts"
            + (f", holidays without shifts: "
                f"{', '.join(map(str, self.holidays_in_week))}"
                if self.holidays_in_week else ''))
        if weekend_lines:
            for line in weekend_lines:
                say("WARNING weekend shortfall: %s %s %s/%s" % line)
        else:
            say("weekend check: no shortfall this week")
        say(f"applicants: {len(self.citizens)} citizens, "
            f"{len(self.enterprises)} enterprises")
        say("applications: " + ', '.join(
                f'{s} {states.get(s, 0)}' for s, _ in STATE_COUNTS)
            + f" (total {sum(states.values())})")
        self.summary_delivery()

    def summary_delivery(self):
        Delivery = Model.get('hall.delivery')
        deliveries = Delivery.find([])
        states = Counter(d.state for d in deliveries)
        cost = sum((d.cost for d in deliveries if d.batch and d.cost),
            Decimal(0))
        batches = Counter(self.counts.get('batches', []))
        say("deliveries: " + ', '.join(
                f'{s} {states[s]}' for s in DELIVERY_STATES if states[s])
            + f" (total {len(deliveries)}); "
            + ', '.join(f"{self.courier_info[k]['short']} {n}"
                for k, n in batches.items())
            + f" handover batches, postage ¥{cost} paid by the bureau; "
            f"{self.counts.get('subdivisions', 0)} subdivisions of "
            f"{D.DELIVERY_PROVINCE_NAME}")

    def run(self, logins_file):
        steps = [
            ("hall and zones", self.create_hall),
            ("departments", self.create_departments),
            ("services", self.create_services),
            ("windows", self.create_windows),
            ("staff and users", self.create_staff),
            ("roster", self.create_roster),
            ("open windows", self.open_windows),
            ("divisions and couriers", self.setup_delivery),
            ("applicants", self.create_applicants),
            ("applications", self.create_applications),
            ("certificate delivery", self.play_deliveries),
            ]
        for label, step in steps:
            start = time.monotonic()
            step()
            say(f"{label}: {time.monotonic() - start:.1f}s")
        weekend_lines = self.check_weekend()
        self.summary(weekend_lines)
        self.module_lines = self.load_module_demos()
        return self.write_logins(logins_file)

    def load_module_demos(self):
        """The demo of each further activated module: scripts/demo_<module>.py
        with load(cfg, company, password_of, say) returning its login lines"""
        Module = Model.get('ir.module')
        lines = []
        activated = {m.name
            for m in Module.find([('state', '=', 'activated')])}
        for module in MODULE_DEMOS:
            if module not in activated:
                continue
            start = time.monotonic()
            demo = importlib.import_module(f'demo_{module}')
            lines.extend(demo.load(self.cfg, self.company, password_of, say))
            say(f"{module}: {time.monotonic() - start:.1f}s")
        return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', '-d', required=True)
    parser.add_argument('--config', '-c', default=None)
    parser.add_argument('--no-demo', action='store_true',
        help="only the base setup, no demo data")
    parser.add_argument('--roster-week', type=dt.date.fromisoformat,
        metavar='YYYY-MM-DD', help="roster the week of this day instead of "
        "the current week (to try weeks with holidays)")
    parser.add_argument('--logins-file', default=LOGINS_FILE,
        help="where to write the demo logins (default: %(default)s)")
    args = parser.parse_args(argv)

    start = time.monotonic()
    cfg = pconfig.set_trytond(database=args.database,
        config_file=args.config)
    company = setup_base(cfg)
    say(f"base setup done ({time.monotonic() - start:.1f}s)")
    if args.no_demo:
        return 0

    Hall = Model.get('hall.hall')
    if Hall.find(['OR',
                ('name', '=', D.HALL['name']),
                ('code', '=', D.HALL['code']),
                ]):
        say(f"the hall {D.HALL['name']} already exists: "
            "demo data not loaded again")
        return 0
    lines = Demo(cfg, company, args.roster_week).run(args.logins_file)
    say(f"done in {time.monotonic() - start:.1f}s")
    print()
    shown = os.path.abspath(args.logins_file)
    if shown.startswith(ROOT + os.sep):
        shown = os.path.relpath(shown, ROOT)
    print(f"  Demo logins (also in {shown}):")
    print("    admin     / admin                (administrator)")
    for line in lines:
        print('    ' + line)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
