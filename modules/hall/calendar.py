# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

import holidays
from sql import Literal
from sql.functions import CurrentTimestamp

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import working_days_rules
from .exceptions import CalendarDayConfirmedError
from .model import CheckedWizardMixin, ServerReadonlyMixin

DAY_KINDS = [
    ('holiday', "Public Holiday"),
    ('workday', "Make-up Workday"),
    ]

MAKE_UP_WORKDAY_NAME = "调休上班"
WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六",
    "星期日"]


def national_calendar(years):
    """Return (date, kind, name) of the Chinese public holidays and make-up
    workdays for `years`, from the holidays package."""
    years = set(years)
    china = holidays.China(years=sorted(years), language='zh_CN')
    days = [(day, 'holiday', name) for day, name in sorted(china.items())]
    days += [
        (day, 'workday', MAKE_UP_WORKDAY_NAME)
        for day in sorted(china.weekend_workdays) if day.year in years]
    return sorted(days)


class CalendarDay(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'hall.calendar.day'

    date = fields.Date("Date", required=True)
    kind = fields.Selection(DAY_KINDS, "Kind", required=True)
    name = fields.Char("Name")
    weekday = fields.Function(fields.Char("Weekday"), 'get_weekday')

    _sets_cache = Cache('hall.calendar.day.sets', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.date),
                'hall.msg_calendar_day_date_unique'),
            ]
        cls._order.insert(0, ('date', 'ASC'))

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # Seed this year's and next year's national calendar at install.
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, limit=1))
        if cursor.fetchone():
            return
        this_year = dt.date.today().year
        rows = [
            [day, kind, name, Literal(0), CurrentTimestamp()]
            for day, kind, name in national_calendar(
                [this_year, this_year + 1])]
        if rows:
            cursor.execute(*table.insert(
                    [table.date, table.kind, table.name,
                        table.create_uid, table.create_date],
                    rows))

    @staticmethod
    def default_kind():
        return 'holiday'

    def get_weekday(self, name):
        return WEEKDAYS[self.date.weekday()] if self.date else None

    def get_rec_name(self, name):
        return f'{self.date} {self.name or ""}'.strip()

    @classmethod
    def check_modification(cls, mode, days, values=None, external=False):
        pool = Pool()
        Year = pool.get('hall.calendar.year')
        super().check_modification(
            mode, days, values=values, external=external)
        years = {d.date.year for d in days if d.date}
        if mode == 'write' and isinstance(
                (values or {}).get('date'), dt.date):
            years.add(values['date'].year)
        confirmed = Year.confirmed_years(years)
        if confirmed:
            # What was checked against the notice changes only through the
            # wizard, which confirms the year again
            year, = Year.search([('year', '=', min(confirmed))])
            raise CalendarDayConfirmedError(gettext(
                    'hall.msg_calendar_day_year_confirmed',
                    year=year.year, notice=year.notice,
                    user=year.confirmed_by.rec_name
                    if year.confirmed_by else '',
                    date=year.confirmed_date))

    @classmethod
    def on_modification(cls, mode, days, field_names=None):
        super().on_modification(mode, days, field_names=field_names)
        cls._sets_cache.clear()

    @classmethod
    def day_sets(cls):
        "Return the frozensets of holidays and of make-up workdays."
        cached = cls._sets_cache.get(None)
        if cached is None:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.date, table.kind))
            holidays_, workdays = [], []
            for day, kind in cursor:
                if isinstance(day, str):
                    day = dt.date.fromisoformat(day)
                (holidays_ if kind == 'holiday' else workdays).append(
                    day.isoformat())
            cached = cls._sets_cache.set(None, (holidays_, workdays))
        holidays_, workdays = cached
        return (
            frozenset(map(dt.date.fromisoformat, holidays_)),
            frozenset(map(dt.date.fromisoformat, workdays)))

    @classmethod
    def is_working_day(cls, day):
        return working_days_rules.is_working_day(day, *cls.day_sets())

    @classmethod
    def add_working_days(cls, start, count):
        return working_days_rules.add_working_days(start, count, *cls.day_sets())

    @classmethod
    def count_working_days(cls, start, end):
        return working_days_rules.count_working_days(start, end, *cls.day_sets())

    @classmethod
    def seed(cls, years):
        """Add the national holidays and make-up workdays of `years` that the
        calendar does not hold yet; days already there (maybe edited by the
        hall manager) are kept as they are, and so are the years the manager
        confirmed.  Each year gets its record of hall.calendar.year."""
        Year = Pool().get('hall.calendar.year')
        Year.ensure(years)
        days = national_calendar(
            set(years) - Year.confirmed_years(years))
        if not days:
            return []
        existing = {d.date for d in cls.search([
                    ('date', 'in', [day for day, _, _ in days]),
                    ])}
        return cls.create([
                {'date': day, 'kind': kind, 'name': name}
                for day, kind, name in days if day not in existing])

    @classmethod
    def replace_year(cls, year, days):
        """Make the days (date, kind, name) the whole calendar of `year`,
        keeping the records of the dates that stay"""
        existing = {d.date: d for d in cls.search([
                    ('date', '>=', dt.date(year, 1, 1)),
                    ('date', '<=', dt.date(year, 12, 31)),
                    ])}
        wanted = {date: (kind, name) for date, kind, name in days}
        cls.delete([d for date, d in existing.items() if date not in wanted])
        to_write = []
        for date, (kind, name) in wanted.items():
            day = existing.get(date)
            if day and (day.kind, day.name) != (kind, name):
                to_write.extend(([day], {'kind': kind, 'name': name}))
        if to_write:
            cls.write(*to_write)
        cls.create([{'date': date, 'kind': kind, 'name': name}
                for date, (kind, name) in sorted(wanted.items())
                if date not in existing])

    @classmethod
    def seed_next_years(cls):
        "Cron: make sure this year and the next are in the calendar."
        Date = Pool().get('ir.date')
        year = Date.today().year
        cls.seed([year, year + 1])


class CalendarSeedStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.calendar.seed.start'

    year = fields.Integer(
        "Year", required=True,
        domain=[('year', '>=', 2000), ('year', '<=', 2100)])

    @classmethod
    def default_year(cls):
        Date = Pool().get('ir.date')
        return Date.today().year + 1


class CalendarSeed(CheckedWizardMixin, Wizard):
    "Import the national holidays of a year"
    __name__ = 'hall.calendar.seed'

    start = StateView('hall.calendar.seed.start',
        'hall.calendar_seed_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'seed', 'tryton-ok', default=True),
            ])
    seed = StateTransition()

    def transition_seed(self):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([self.start.year])
        return 'end'
