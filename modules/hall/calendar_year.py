# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Whether a year's public holidays and make-up workdays were checked by the
hall manager against the State Council's notice, and the wizard that checks
them."""
import datetime as dt
import json

from sql import Literal
from sql.aggregate import Count
from sql.functions import CurrentTimestamp, Extract

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import calendar_year_rules as rules
from .calendar import DAY_KINDS, MAKE_UP_WORKDAY_NAME, WEEKDAYS
from .clock import to_utc
from .company import company_today
from .exceptions import CalendarConfirmError, CalendarConfirmWarning
from .model import CHAR_SIZE, CheckedWizardMixin, ServerReadonlyMixin

# The message of each error of calendar_year_rules.day_errors
DAY_ERROR_MESSAGES = {
    rules.DATE_MISSING: 'hall.msg_calendar_confirm_date_missing',
    rules.DATE_OUTSIDE: 'hall.msg_calendar_confirm_date_outside',
    rules.DATE_TWICE: 'hall.msg_calendar_confirm_date_twice',
    rules.KIND_INVALID: 'hall.msg_calendar_confirm_kind_invalid',
    rules.NAME_INVALID: 'hall.msg_calendar_confirm_name_invalid',
    rules.HOLIDAY_UNNAMED: 'hall.msg_calendar_confirm_holiday_unnamed',
    rules.WORKDAY_WEEKDAY: 'hall.msg_calendar_confirm_workday_weekday',
    rules.STATUTORY_MISSING: 'hall.msg_calendar_confirm_statutory_missing',
    }


class CalendarYear(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'hall.calendar.year'

    year = fields.Integer("Year", required=True, readonly=True)
    confirmed = fields.Boolean(
        "Confirmed", readonly=True,
        help="The hall manager checked the year's public holidays and "
        "make-up workdays against the State Council's notice.")
    notice = fields.Char(
        "Notice", readonly=True,
        help="The title or number of the notice the calendar was checked "
        "against.")
    confirmed_by = fields.Many2One(
        'res.user', "Confirmed by", readonly=True, ondelete='RESTRICT')
    confirmed_date = fields.Date("Confirmed on", readonly=True)
    holiday_count = fields.Function(
        fields.Integer("Public Holidays"), 'get_day_counts')
    workday_count = fields.Function(
        fields.Integer("Make-up Workdays"), 'get_day_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_unique', Unique(t, t.year),
                'hall.msg_calendar_year_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # The years the calendar seeds at install (hall.calendar.day)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        this_year = dt.date.today().year
        years = [this_year, this_year + 1]
        cursor.execute(*table.select(table.year,
                where=table.year.in_(years)))
        existing = {year for year, in cursor}
        rows = [[year, Literal(False), Literal(0), CurrentTimestamp()]
            for year in years if year not in existing]
        if rows:
            cursor.execute(*table.insert(
                    [table.year, table.confirmed,
                        table.create_uid, table.create_date],
                    rows))

    @classmethod
    def default_confirmed(cls):
        return False

    def get_rec_name(self, name):
        return str(self.year)

    @classmethod
    def get_day_counts(cls, years, names):
        "Count the holidays and make-up workdays of the years in the database"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        day = CalendarDay.__table__()
        cursor = Transaction().connection.cursor()
        result = {name: {y.id: 0 for y in years} for name in names}
        id_of_year = {r.year: r.id for r in years}
        column_of_kind = {
            'holiday': 'holiday_count', 'workday': 'workday_count'}
        year_of_day = cls.year.sql_cast(Extract('YEAR', day.date))
        # a record a year: a few dozen years at most
        cursor.execute(*day.select(
                year_of_day, day.kind, Count(day.id),
                where=year_of_day.in_(list(id_of_year)),
                group_by=[year_of_day, day.kind]))
        for year, kind, count in cursor:
            name = column_of_kind.get(kind)
            if name not in result:
                continue
            result[name][id_of_year[int(year)]] = count
        return result

    @classmethod
    def ensure(cls, years):
        "Return the records of `years`, created (unconfirmed) when missing"
        years = sorted({y for y in years if rules.year_valid(y)})
        with without_check_access():
            records = cls.search([('year', 'in', years)])
            existing = {r.year for r in records}
            records += cls.create([
                    {'year': year} for year in years
                    if year not in existing])
        return sorted(records, key=lambda r: r.year)

    @classmethod
    def confirmed_years(cls, years):
        "The years among `years` the manager confirmed"
        with without_check_access():
            return {r.year for r in cls.search([
                        ('year', 'in', list(years)),
                        ('confirmed', '=', True),
                        ])}

    @classmethod
    def unconfirmed(cls, date=None):
        """Return (year, reason) of the years whose calendar is not confirmed
        on `date` (today by default): the year of `date` and, from 1
        November, the next.  A year the calendar has no record of (never
        seeded) is not confirmed."""
        if date is None:
            date = Pool().get('ir.date').today()
        years = rules.years_to_confirm(date)
        confirmed = cls.confirmed_years(years)
        return [(year, cls.unconfirmed_reason(year))
            for year in years if year not in confirmed]

    @classmethod
    def unconfirmed_reason(cls, year):
        return gettext('hall.msg_calendar_year_unconfirmed', year=year)

    @classmethod
    def confirm(cls, year, notice, days):
        """Make the days (date, kind, name) the whole calendar of `year` and
        mark it confirmed by the user against the `notice`"""
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        if not rules.year_valid(year):
            raise CalendarConfirmError(gettext(
                    'hall.msg_calendar_confirm_year_invalid',
                    minimum=rules.YEAR_MIN, maximum=rules.YEAR_MAX))
        if not isinstance(notice, str) or not notice.strip():
            raise CalendarConfirmError(gettext(
                    'hall.msg_calendar_confirm_notice_missing', year=year))
        notice = notice.strip()
        if len(notice) > CHAR_SIZE:
            raise CalendarConfirmError(gettext(
                    'hall.msg_calendar_confirm_notice_long',
                    size=CHAR_SIZE))
        days = list(days)
        errors = rules.day_errors(year, days, CHAR_SIZE)
        if errors:
            error, position, date, name = errors[0]
            raise CalendarConfirmError(gettext(DAY_ERROR_MESSAGES[error],
                    year=year, line=position, date=date, name=name,
                    weekday=WEEKDAYS[date.weekday()] if date else ''))
        holidays, workdays = rules.day_counts(days)
        if not workdays:
            warning_name = f'hall.calendar.year.no_workday.{year}'
            if Warning.check(warning_name):
                raise CalendarConfirmWarning(warning_name, gettext(
                        'hall.msg_calendar_confirm_no_workday',
                        year=year, holidays=holidays))
        record, = cls.ensure([year])
        # Unconfirmed while its days change (hall.calendar.day refuses
        # changes to a confirmed year)
        with without_check_access():
            cls.write([record], {'confirmed': False})
        CalendarDay.replace_year(year, [
                (date, kind, (name or '').strip() or (
                        MAKE_UP_WORKDAY_NAME if kind == 'workday' else None))
                for date, kind, name in days])
        with without_check_access():
            cls.write([record], {
                    'confirmed': True,
                    'notice': notice,
                    'confirmed_by': Transaction().user or None,
                    'confirmed_date': Date.today(),
                    })
        return record

    @classmethod
    def notify_unconfirmed(cls):
        """Cron: tell each hall manager which years are not confirmed on the
        day of the manager's company, once a day for each year (and not
        again while the manager has not read it)"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        ActWindow = pool.get('ir.action.act_window')
        Notification = pool.get('res.notification')
        action = ActWindow(ModelData.get_id(
                'hall', 'act_calendar_year_form')).action
        managers = User.search([
                ('groups', '=', ModelData.get_id(
                        'hall', 'group_hall_manager')),
                ], order=[('id', 'ASC')])
        notifications = []
        years = set()
        for user in managers:
            company = user.company
            today = company_today(company)
            midnight = to_utc(dt.datetime.combine(today, dt.time()),
                company.timezone if company else None)
            for year, _ in cls.unconfirmed(today):
                years.add(year)
                # The list of the years, searching the one to confirm
                action_value = json.dumps({
                        'pyson_search_value': PYSONEncoder().encode(
                            [('year', '=', year)]),
                        })
                if Notification.search([
                            ('user', '=', user.id),
                            ('action', '=', action.id),
                            ('action_value', '=', action_value),
                            ['OR',
                                ('unread', '=', True),
                                ('create_date', '>=', midnight),
                                ],
                            ], limit=1):
                    continue
                language = user.language.code if user.language else None
                with Transaction().set_context(language=language):
                    label = gettext(
                        'hall.msg_calendar_year_unconfirmed_label',
                        year=year)
                    description = cls.unconfirmed_reason(year)
                notifications.append(Notification(
                        user=user,
                        icon='tryton-warning',
                        label=label,
                        description=description,
                        action=action,
                        action_value=action_value))
        # The list the notification opens shows the years to confirm
        cls.ensure(years)
        Notification.save(notifications)
        return notifications


class CalendarConfirmStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.calendar.confirm.start'

    year = fields.Integer(
        "Year", required=True,
        domain=[
            ('year', '>=', rules.YEAR_MIN),
            ('year', '<=', rules.YEAR_MAX),
            ],
        help="The year whose public holidays and make-up workdays to check "
        "against the State Council's notice.")

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year + 1


class CalendarConfirmDays(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.calendar.confirm.days'

    year = fields.Integer("Year", readonly=True)
    notice = fields.Char(
        "Notice", required=True,
        help="The title or number of the State Council's notice, "
        "e.g. 国办发明电〔2026〕7号.")
    lines = fields.One2Many(
        'hall.calendar.confirm.line', None, "Days",
        help="The public holidays and make-up workdays of the year, as the "
        "notice gives them: they replace the year's days in the calendar.")
    holiday_count = fields.Integer("Public Holidays", readonly=True)
    workday_count = fields.Integer("Make-up Workdays", readonly=True)

    @fields.depends('lines')
    def on_change_with_holiday_count(self):
        return rules.day_counts(self._days())[0]

    @fields.depends('lines')
    def on_change_with_workday_count(self):
        return rules.day_counts(self._days())[1]

    def _days(self):
        "The lines as (date, kind, name)"
        return [
            (getattr(line, 'date', None), getattr(line, 'kind', None),
                getattr(line, 'name', None))
            for line in (self.lines or [])]


class CalendarConfirmLine(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.calendar.confirm.line'

    date = fields.Date("Date", required=True)
    weekday = fields.Char("Weekday", readonly=True)
    kind = fields.Selection(DAY_KINDS, "Kind", required=True)
    name = fields.Char("Name")

    @staticmethod
    def default_kind():
        return 'holiday'

    @fields.depends('date')
    def on_change_with_weekday(self):
        if self.date:
            return WEEKDAYS[self.date.weekday()]

    @fields.depends('kind', 'name')
    def on_change_kind(self):
        if self.kind == 'workday' and not self.name:
            self.name = MAKE_UP_WORKDAY_NAME


class CalendarConfirm(CheckedWizardMixin, Wizard):
    "Check the public holidays of a year against the State Council's notice"
    __name__ = 'hall.calendar.confirm'

    start = StateView('hall.calendar.confirm.start',
        'hall.calendar_confirm_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Next", 'days', 'tryton-forward', default=True),
            ])
    days = StateView('hall.calendar.confirm.days',
        'hall.calendar_confirm_days_view_form', [
            Button("Previous", 'start', 'tryton-back'),
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Confirm", 'confirm', 'tryton-ok', default=True),
            ])
    confirm = StateTransition()

    def default_days(self, fields):
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        Year = pool.get('hall.calendar.year')
        year = self.start.year
        if not rules.year_valid(year):
            raise CalendarConfirmError(gettext(
                    'hall.msg_calendar_confirm_year_invalid',
                    minimum=rules.YEAR_MIN, maximum=rules.YEAR_MAX))
        days = CalendarDay.search([
                ('date', '>=', dt.date(year, 1, 1)),
                ('date', '<=', dt.date(year, 12, 31)),
                ], order=[('date', 'ASC')])
        with without_check_access():
            records = Year.search([('year', '=', year)], limit=1)
        holidays, workdays = rules.day_counts(
            [(d.date, d.kind, d.name) for d in days])
        return {
            'year': year,
            'notice': records[0].notice if records else None,
            'lines': [{
                    'date': d.date,
                    'weekday': WEEKDAYS[d.date.weekday()],
                    'kind': d.kind,
                    'name': d.name,
                    } for d in days],
            'holiday_count': holidays,
            'workday_count': workdays,
            }

    def transition_confirm(self):
        Year = Pool().get('hall.calendar.year')
        Year.confirm(self.start.year, self.days.notice,
            self.days._days())
        return 'end'
