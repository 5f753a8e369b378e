# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Tools of the demos (scripts/demo.py and scripts/demo_<module>.py): the
server's simulated clock, the working days of the hall, the generators of
identity numbers and mobiles, and the creation of users."""
import contextlib
import datetime as dt
from unittest.mock import patch
from zoneinfo import ZoneInfo

from proteus import Model
from trytond.modules.hall.working_days_rules import is_working_day
from trytond.pool import Pool

LANGUAGE = 'zh_CN'


# ---------------------------------------------------------------------------
# The server's clock
# ---------------------------------------------------------------------------

def utc_now():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class SimClock:
    """The server's clock while a demo plays the past days: ir.date's today,
    and the utcnow() of the modules' clocks in `clocks` (such as
    trytond.modules.hall.clock), with which they stamp their
    records.  Times are given in the company's time zone and stored in UTC,
    as Tryton does."""

    def __init__(self, database_name, zone, clocks=()):
        self.Date = Pool(database_name).get('ir.date')
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self.clocks = list(clocks)
        self.today = None
        self.now = None
        self._patches = []

    def __enter__(self):
        self._patches = [patch.object(self.Date, 'today',
                side_effect=lambda *a, **k: (
                    self.today or dt.datetime.now(self.zone).date()))]
        self._patches.extend(
            patch.object(clock, 'utcnow',
                side_effect=lambda: self.now or utc_now())
            for clock in self.clocks)
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


@contextlib.contextmanager
def server_today(cfg, day):
    "The server's today is `day` while the buttons are clicked"
    Date = Pool(cfg.database_name).get('ir.date')
    with patch.object(Date, 'today', return_value=day):
        yield


class WorkingDays:
    "The working days of the hall's calendar back from today"

    def __init__(self):
        CalendarDay = Model.get('hall.calendar.day')
        Date = Model.get('ir.date')
        self.today = Date.today({})
        days = CalendarDay.find([])
        self.holidays = frozenset(d.date for d in days if d.kind == 'holiday')
        self.workdays = frozenset(d.date for d in days if d.kind == 'workday')

    def is_working(self, day):
        return is_working_day(day, self.holidays, self.workdays)

    def back(self, count):
        "The working day `count` working days before today (0: the last)"
        day = self.today
        while not self.is_working(day):
            day -= dt.timedelta(days=1)
        while count > 0:
            day -= dt.timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day


# ---------------------------------------------------------------------------
# Identity numbers and mobiles
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
    return (f'+86 {prefix} {rng.randrange(10000):04d} '
        f'{rng.randrange(10000):04d}')


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------

def role_of(cfg, module, xml_id):
    "The role of XML id `xml_id` declared by `module`"
    Role = Model.get('res.role')
    ModelData = Model.get('ir.model.data')
    return Role(ModelData.get_id(module, xml_id, cfg.context))


def demo_language():
    Lang = Model.get('ir.lang')
    lang, = Lang.find([('code', '=', LANGUAGE)])
    return lang


def new_user(company, login, name, password, role, language,
        employee=None, email=True):
    """A user (not saved) of `company` with `role`, logging in as `login`,
    the employee `employee` if any"""
    User = Model.get('res.user')
    Company = Model.get('company.company')
    Employee = Model.get('company.employee')
    user = User(name=name, login=login, language=language)
    if email:
        user.email = f'{login}@bjzw.example.cn'
    user.password = password
    user.companies.append(Company(company.id))
    user.company = Company(company.id)
    if employee is not None:
        user.employees.append(Employee(employee.id))
        user.employee = Employee(employee.id)
    user.roles.new(role=role)
    return user


def create_staff(cfg, company, password_of, staff, module, role):
    "Employees and users with `role`; return the users"
    Party = Model.get('party.party')
    Employee = Model.get('company.employee')
    User = Model.get('res.user')
    lang = demo_language()
    role = role_of(cfg, module, role)
    users = []
    for login, name in staff:
        party = Party(name=name)
        party.save()
        employee = Employee(party=party, company=company)
        employee.save()
        users.append(new_user(company, login, name, password_of(login),
                role, lang, employee=employee))
    User.save(users)
    return users


@contextlib.contextmanager
def as_user(cfg, user):
    "Click as `user`, with the preferences of a login"
    User = Model.get('res.user')
    saved = cfg.user, cfg._context
    cfg.user = user.id
    try:
        cfg._context = User.get_preferences(True, {})
        yield
    finally:
        cfg.user, cfg._context = saved


# ---------------------------------------------------------------------------
# The demos of the modules
# ---------------------------------------------------------------------------

class ModuleDemo:
    """The demo of a module (scripts/demo_<module>.py), loaded by
    scripts/demo.py through the module's load(cfg, company, password_of,
    say), whose run() returns its login lines"""

    def __init__(self, cfg, company, password_of, say):
        self.cfg = cfg
        self.company = company
        self.password_of = password_of
        self.say = say

    def run(self):
        raise NotImplementedError



def find_enterprise(trade):
    "The demo's enterprise whose name holds `trade`"
    Party = Model.get('party.party')
    parties = Party.find([
            ('name', 'like', f'%{trade}%'),
            ('identifiers.type', '=', 'cn_vat'),
            ], limit=1)
    return parties[0] if parties else None


def find_service(name):
    Service = Model.get('hall.service')
    services = Service.find([('name', '=', name)], limit=1)
    return services[0] if services else None


class Window:
    "A window serving the service, and the clerk rostered there last"

    def __init__(self, kinds):
        self.kinds = kinds
        self.cache = {}

    def for_service(self, service):
        HallWindow = Model.get('hall.window')
        Shift = Model.get('hall.roster.shift')
        if service.id not in self.cache:
            windows = []
            for kind in self.kinds:
                windows = HallWindow.find([
                        ('kind', '=', kind),
                        ('services', '=', service.id),
                        ], limit=1)
                if windows:
                    break
            window = windows[0] if windows else None
            clerk = None
            if window:
                shifts = Shift.find([('window', '=', window.id)],
                    order=[('date', 'DESC')], limit=1)
                clerk = shifts[0].employee if shifts else None
            self.cache[service.id] = (window, clerk)
        return self.cache[service.id]


def play_application(cfg, days, windows, party, service, channel,
        accepted=None, completed=None, received=None):
    """An application of `party` received and accepted `accepted` working
    days back (or only received `received` back) and completed `completed`
    back"""
    Application = Model.get('hall.application')
    HallWindow = Model.get('hall.window')
    Employee = Model.get('company.employee')
    window, clerk = windows.for_service(service)
    application = Application(applicant=party, service=service,
        channel=channel)
    if window:
        application.window = HallWindow(window.id)
    if clerk:
        application.clerk = Employee(clerk.id)
    application.save()
    first = accepted if accepted is not None else received
    with server_today(cfg, days.back(first)):
        application.click('receive')
        if accepted is not None:
            application.click('accept')
    if completed is not None:
        with server_today(cfg, days.back(completed)):
            application.click('approve')
            application.click('complete')
    return application
