# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql.aggregate import Count, Max

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import (
    HallValidationError, RosterConflictError, StandInQualificationError)
from .model import CheckedWizardMixin, ServerReadonlyMixin, TodayMixin
from .roster_rules import (
    FOLLOW_UP_DAYS, follow_up_period, missing_qualifications,
    periods_overlapping, rostered_windows, weekend_shortfalls)
from .window import WINDOW_KINDS

PERIODS = [
    ('morning', "Morning"),
    ('afternoon', "Afternoon"),
    ('full_day', "Full Day"),
    ('extended', "Extended Service"),
    ('weekend', "Weekend Service"),
    ]


class RosterShift(TodayMixin, ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'hall.roster.shift'

    date = fields.Date("Date", required=True)
    period = fields.Selection(PERIODS, "Period", required=True)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='CASCADE')
    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='CASCADE',
        domain=[('hall', '=', Eval('hall', -1))])
    employee = fields.Many2One(
        'company.employee', "Clerk", required=True, ondelete='RESTRICT')
    stand_in = fields.Many2One(
        'company.employee', "Stand-in", ondelete='RESTRICT',
        domain=[('id', '!=', Eval('employee', -1))],
        help="The qualified colleague who takes over the window when the "
        "clerk is absent (同岗替代).")
    note = fields.Char("Note")
    _rostered_windows_cache = Cache(
        'hall.roster.shift.rostered_windows', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'), ('hall', 'ASC'), ('window', 'ASC'),
            ('period', 'ASC'), ('id', 'DESC')]

    @staticmethod
    def default_period():
        return 'full_day'

    @fields.depends('window', 'hall')
    def on_change_window(self):
        if self.window:
            self.hall = self.window.hall

    def get_rec_name(self, name):
        return (f'{self.date} {self.window.rec_name} '
            f'{self.employee.rec_name}')

    @classmethod
    def validate(cls, shifts):
        super().validate(shifts)
        # Two clerks saving at once must not both book the same slot.
        cls.lock()
        for shift in shifts:
            shift.check_period_date()
            shift.check_bookings()
            shift.check_stand_in()

    @classmethod
    def on_modification(cls, mode, shifts, field_names=None):
        super().on_modification(mode, shifts, field_names=field_names)
        cls.clear_rostered_windows()

    @classmethod
    def clear_rostered_windows(cls):
        "Forget the windows the shifts open, and the rules built on them"
        Rule = Pool().get('ir.rule')
        cls._rostered_windows_cache.clear()
        Rule._domain_get_cache.clear()

    @classmethod
    def rostered_windows(cls, employees):
        """Return the windows where `employees` (as clerk or stand-in) have
        a shift today or in the follow-up days before, and the windows they
        are rostered at today; both as sorted lists of ids."""
        pool = Pool()
        Date = pool.get('ir.date')
        Configuration = pool.get('hall.configuration')
        if not employees:
            return [], []
        today = Date.today()
        days = Configuration(1).follow_up_days
        if days is None:
            days = FOLLOW_UP_DAYS
        key = (tuple(sorted(employees)), today, days)
        cached = cls._rostered_windows_cache.get(key)
        if cached is not None:
            return [list(windows) for windows in cached]
        first, last = follow_up_period(today, days)
        shift = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*shift.select(shift.window, Max(shift.date),
                where=(shift.date >= first) & (shift.date <= last)
                & (shift.employee.in_(list(employees))
                    | shift.stand_in.in_(list(employees))),
                group_by=[shift.window]))
        latest = {}
        for window, date in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            latest[window] = date
        result = rostered_windows(latest, today)
        cls._rostered_windows_cache.set(key, result)
        return [list(windows) for windows in result]

    def _period_label(self):
        return dict(self.fields_get(['period'])['period']['selection'])[
            self.period]

    def check_period_date(self):
        CalendarDay = Pool().get('hall.calendar.day')
        working = CalendarDay.is_working_day(self.date)
        if (self.period == 'weekend') == working:
            raise HallValidationError(gettext(
                    'hall.msg_roster_weekend_period',
                    date=self.date, period=self._period_label()))

    def check_bookings(self):
        overlapping = periods_overlapping(self.period)
        same_slot = [
            ('id', '!=', self.id),
            ('date', '=', self.date),
            ('period', 'in', overlapping),
            ]
        others = self.search(same_slot + [
                ('employee', '=', self.employee.id),
                ], limit=1)
        if others:
            other, = others
            raise RosterConflictError(gettext(
                    'hall.msg_roster_employee_double_booked',
                    employee=self.employee.rec_name,
                    date=self.date,
                    period=self._period_label(),
                    window=other.window.rec_name))
        others = self.search(same_slot + [
                ('window', '=', self.window.id),
                ], limit=1)
        if others:
            other, = others
            raise RosterConflictError(gettext(
                    'hall.msg_roster_window_double_booked',
                    window=self.window.rec_name,
                    date=self.date,
                    period=self._period_label(),
                    employee=other.employee.rec_name))

    def check_stand_in(self):
        if not self.stand_in:
            return
        missing = missing_qualifications(
            self.window.services, self.stand_in.hall_services)
        if missing:
            raise StandInQualificationError(gettext(
                    'hall.msg_roster_stand_in_unqualified',
                    stand_in=self.stand_in.rec_name,
                    window=self.window.rec_name,
                    services=', '.join(sorted(
                            s.rec_name for s in missing))))


def _monday(date):
    return date - dt.timedelta(days=date.weekday())


class RosterCopyStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.roster.copy.start'

    hall = fields.Many2One('hall.hall', "Hall", required=True)
    week = fields.Date(
        "Week", required=True,
        help="Any day of the week to copy; the week runs Monday to Sunday.")
    weeks = fields.Integer(
        "Following Weeks", required=True,
        domain=[('weeks', '>=', 1), ('weeks', '<=', 52)])

    @classmethod
    def default_week(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_weeks(cls):
        return 1

    @classmethod
    def default_hall(cls):
        Hall = Pool().get('hall.hall')
        halls = Hall.search([], limit=2)
        if len(halls) == 1:
            return halls[0].id


class RosterCopy(CheckedWizardMixin, Wizard):
    "Copy a week's roster onto the following weeks"
    __name__ = 'hall.roster.copy'

    start = StateView('hall.roster.copy.start',
        'hall.roster_copy_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Copy", 'copy', 'tryton-ok', default=True),
            ])
    copy = StateTransition()

    def transition_copy(self):
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        CalendarDay = pool.get('hall.calendar.day')
        monday = _monday(self.start.week)
        sources = Shift.search([
                ('hall', '=', self.start.hall.id),
                ('date', '>=', monday),
                ('date', '<=', monday + dt.timedelta(days=6)),
                ])
        if not sources:
            raise HallValidationError(gettext(
                    'hall.msg_roster_copy_empty', week=monday))
        to_create = []
        for weeks in range(1, self.start.weeks + 1):
            offset = dt.timedelta(weeks=weeks)
            for shift in sources:
                date = shift.date + offset
                # A week falling on a holiday or a make-up workday keeps
                # only the sessions that day really has.
                weekend_day = not CalendarDay.is_working_day(date)
                if weekend_day != (shift.period == 'weekend'):
                    continue
                to_create.append({
                        'date': date,
                        'period': shift.period,
                        'hall': shift.hall.id,
                        'window': shift.window.id,
                        'employee': shift.employee.id,
                        'stand_in': (
                            shift.stand_in.id if shift.stand_in else None),
                        'note': shift.note,
                        })
        Shift.create(to_create)
        return 'end'


class WeekendCheckStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.roster.weekend_check.start'

    hall = fields.Many2One('hall.hall', "Hall", required=True)
    from_date = fields.Date(
        "From Date", required=True,
        domain=[If(Eval('to_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date("To Date", required=True)

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today() + dt.timedelta(weeks=4)

    @classmethod
    def default_hall(cls):
        return RosterCopyStart.default_hall()


class WeekendCheckLine(ModelView):
    __name__ = 'hall.roster.weekend_check.line'

    date = fields.Date("Date", readonly=True)
    kind = fields.Selection(WINDOW_KINDS, "Window Kind", readonly=True)
    count = fields.Integer("Windows Rostered", readonly=True)
    required = fields.Integer("Windows Required", readonly=True)


class WeekendCheckResult(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.roster.weekend_check.result'

    hall = fields.Many2One('hall.hall', "Hall", readonly=True)
    lines = fields.One2Many(
        'hall.roster.weekend_check.line', None, "Shortfalls", readonly=True)


class WeekendCheck(CheckedWizardMixin, Wizard):
    "List weekend sessions short of windows"
    __name__ = 'hall.roster.weekend_check'

    start = StateView('hall.roster.weekend_check.start',
        'hall.roster_weekend_check_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Check", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('hall.roster.weekend_check.result',
        'hall.roster_weekend_check_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        hall = self.start.hall
        shortfalls = weekend_shortfalls_of(
            hall, self.start.from_date, self.start.to_date)
        return {
            'hall': hall.id,
            'lines': [{
                    'date': date,
                    'kind': kind,
                    'count': count,
                    'required': hall.weekend_min_windows,
                    } for date, kind, count in shortfalls],
            }


def weekend_shortfalls_of(hall, from_date, to_date):
    """Return (date, kind, count) of the weekend sessions of `hall` between
    the dates where fewer windows of a kind are rostered than required."""
    pool = Pool()
    Shift = pool.get('hall.roster.shift')
    Window = pool.get('hall.window')
    CalendarDay = pool.get('hall.calendar.day')
    if not hall.weekend_service:
        return []
    dates = []
    date = from_date
    while date <= to_date:
        if date.weekday() >= 5 and not CalendarDay.is_working_day(date):
            dates.append(date)
        date += dt.timedelta(days=1)
    kinds = sorted({w.kind for w in Window.search([
                    ('hall', '=', hall.id),
                    ])})
    shift = Shift.__table__()
    window = Window.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*shift.join(window,
            condition=shift.window == window.id
            ).select(shift.date, window.kind, Count(shift.window, distinct=True),
            where=(shift.hall == hall.id)
            & (shift.date >= from_date) & (shift.date <= to_date),
            group_by=[shift.date, window.kind]))
    counts = {}
    for date, kind, count in cursor:
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        counts[(date, kind)] = count
    return weekend_shortfalls(
        dates, kinds, counts, hall.weekend_min_windows or 0)
