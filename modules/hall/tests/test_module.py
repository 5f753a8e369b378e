# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
import urllib.parse
from types import SimpleNamespace
from unittest.mock import patch

from trytond import backend

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError, RequiredValidationError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.exceptions import (
    ApplicantIdentifierError, ApplicationDeleteError, HallValidationError,
    RosterConflictError, ServiceLimitError, StandInQualificationError,
    WorkflowError)
from trytond.modules.hall.locking import StaleRead
from trytond.modules.hall.tests.tools import (
    HallData, ServerReadonlyTestMixin, TranslatedTestMixin, as_user, on)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, ModuleTestCase, with_transaction)
from trytond.transaction import Transaction


def new_sequence(**values):
    "A sequence of a sequence type of its own"
    pool = Pool()
    Sequence = pool.get('ir.sequence')
    SequenceType = pool.get('ir.sequence.type')
    type_, = SequenceType.create([{'name': "测试"}])
    sequence, = Sequence.create([{
                'name': "测试", 'sequence_type': type_.id, **values}])
    return sequence


class HallTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall module"
    module = 'hall'

    @with_transaction()
    def test_calendar_seeded_at_install(self):
        "This year's and next year's national calendar are seeded"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        year = dt.date.today().year
        days = CalendarDay.search([])
        self.assertEqual({d.date.year for d in days}, {year, year + 1})
        national_days = CalendarDay.search([
                ('date', '=', dt.date(year, 10, 1))])
        self.assertEqual([d.kind for d in national_days], ['holiday'])
        self.assertTrue(
            any(d.kind == 'workday' for d in days),
            "make-up workdays are seeded too")

    @with_transaction()
    def test_calendar_seed_keeps_edits(self):
        "Seeding a year keeps the days the manager edited"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        day, = CalendarDay.search([('date', '=', dt.date(2025, 10, 6))])
        day.name = "中秋节（本地调整）"
        day.save()
        created = CalendarDay.seed([2025])
        self.assertEqual(created, [])
        day, = CalendarDay.search([('date', '=', dt.date(2025, 10, 6))])
        self.assertEqual(day.name, "中秋节（本地调整）")

    @with_transaction()
    def test_calendar_working_days(self):
        "Working days follow the calendar and its edits"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        self.assertEqual(
            CalendarDay.add_working_days(dt.date(2025, 9, 30), 1),
            dt.date(2025, 10, 9))
        self.assertTrue(CalendarDay.is_working_day(dt.date(2025, 9, 28)))
        self.assertFalse(CalendarDay.is_working_day(dt.date(2025, 10, 8)))
        # A local holiday added by the manager is taken into account at once
        CalendarDay.create([{
                    'date': dt.date(2025, 10, 9), 'kind': 'holiday',
                    'name': "地方假日"}])
        self.assertEqual(
            CalendarDay.add_working_days(dt.date(2025, 9, 30), 1),
            dt.date(2025, 10, 10))

    @with_transaction()
    def test_service_promised_over_legal(self):
        "A promised limit over the legal limit is refused"
        data = HallData()
        data.licence.promised_limit = 21
        with self.assertRaises(ServiceLimitError):
            data.licence.save()

    @with_transaction()
    def test_service_negative_limit(self):
        "A negative limit is refused"
        pool = Pool()
        Service = pool.get('hall.service')
        data = HallData()
        with self.assertRaises(UserError):
            Service.create([{
                        'code': 'X', 'name': "X",
                        'department': data.department.id,
                        'legal_limit': -1, 'promised_limit': -1}])

    @with_transaction()
    def test_window_number_unique(self):
        "A window number is unique in its hall"
        pool = Pool()
        Window = pool.get('hall.window')
        Hall = pool.get('hall.hall')
        data = HallData()
        other, = Hall.create([{
                    'name': "分中心", 'company': data.company.id}])
        # The same number in another hall is fine
        Window.create([{'hall': other.id, 'number': 'A01'}])
        # Last: PostgreSQL aborts the transaction on the refused insert
        with self.assertRaises(UserError):
            Window.create([{'hall': data.hall.id, 'number': 'A01'}])

    @with_transaction()
    def test_window_pause_needs_reason(self):
        "A window pauses only with a reason; nothing changes otherwise"
        pool = Pool()
        Window = pool.get('hall.window')
        data = HallData()
        Window.open([data.a01])
        with self.assertRaises(WorkflowError):
            Window.pause([data.a01])
        self.assertEqual(data.a01.state, 'open')
        data.a01.pause_reason = "系统故障"
        data.a01.save()
        Window.pause([data.a01])
        self.assertEqual(data.a01.state, 'paused')
        self.assertIsNotNone(data.a01.state_since)

    @with_transaction()
    def test_dedicated_window_services(self):
        "A dedicated window serves only its department's services"
        pool = Pool()
        Window = pool.get('hall.window')
        Department = pool.get('hall.department')
        data = HallData()
        police, = Department.create([{'name': "公安局", 'code': 'GA'}])
        with self.assertRaises(UserError):
            Window.create([{
                        'hall': data.hall.id, 'number': 'B01',
                        'kind': 'dedicated', 'department': police.id,
                        'services': [('add', [data.licence.id])],
                        }])

    @with_transaction()
    def test_roster_employee_double_booked(self):
        "An employee cannot be on two windows in overlapping periods"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        data = HallData()
        data.roster()
        for period in ['morning', 'afternoon', 'full_day']:
            with self.subTest(period=period):
                with self.assertRaises(RosterConflictError):
                    Shift.create([{
                                'date': dt.date(2025, 9, 22),
                                'period': period, 'hall': data.hall.id,
                                'window': data.a02.id,
                                'employee': data.li.id}])
        # Extended service after closing time does not overlap
        Shift.create([{
                    'date': dt.date(2025, 9, 22), 'period': 'extended',
                    'hall': data.hall.id, 'window': data.a02.id,
                    'employee': data.li.id}])

    @with_transaction()
    def test_today_in_company_time_zone(self):
        "今日 is the company's date: in Beijing at 04:00, UTC is yesterday"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        data = HallData()
        self.assertEqual(data.company.timezone, 'Asia/Shanghai')
        before, today = data.roster()[0], data.roster(dt.date(2025, 9, 23))[0]

        class Clock(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                instant = dt.datetime(2025, 9, 22, 20, tzinfo=dt.timezone.utc)
                return instant.astimezone(tz) if tz else instant

        with Transaction().set_context(company=data.company.id), \
                patch('trytond.ir.date.datetime',
                    SimpleNamespace(datetime=Clock)):
            for clause, found in [
                    (('today', '=', True), [today]),
                    (('today', '!=', False), [today]),
                    (('today', '=', False), [before]),
                    (('today', '!=', True), [before]),
                    ]:
                with self.subTest(clause=clause):
                    shifts = Shift.search([
                            clause, ('window', '=', data.a01.id)])
                    self.assertEqual(shifts, found)
            self.assertTrue(Shift(today.id).today)
            self.assertFalse(Shift(before.id).today)

    @with_transaction()
    def test_roster_window_double_booked(self):
        "A window has one clerk per period"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        data = HallData()
        data.roster()
        with self.assertRaises(RosterConflictError):
            Shift.create([{
                        'date': dt.date(2025, 9, 22), 'period': 'morning',
                        'hall': data.hall.id, 'window': data.a01.id,
                        'employee': data.wang.id}])

    @with_transaction()
    def test_roster_stand_in_qualified(self):
        "A stand-in must be qualified for every service of the window"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        data = HallData()
        shift, _ = data.roster()
        shift.stand_in = data.zhao
        with self.assertRaises(StandInQualificationError):
            shift.save()
        shift.stand_in = data.li
        with self.assertRaises(UserError):
            shift.save()
        shift.stand_in = data.wang
        shift.save()
        self.assertEqual(Shift(shift.id).stand_in, data.wang)

    @with_transaction()
    def test_roster_weekend_period(self):
        "Weekend service is for days off, other periods for working days"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        data = HallData()
        for date, period in [
                (dt.date(2025, 9, 27), 'full_day'),  # Saturday
                (dt.date(2025, 10, 1), 'morning'),  # National Day
                (dt.date(2025, 9, 28), 'weekend'),  # make-up workday
                ]:
            with self.subTest(date=date):
                with self.assertRaises(UserError):
                    Shift.create([{
                                'date': date, 'period': period,
                                'hall': data.hall.id,
                                'window': data.a01.id,
                                'employee': data.li.id}])

    @with_transaction()
    def test_roster_copy(self):
        "Copy a week onto the following weeks, skipping holidays"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        CalendarDay = pool.get('hall.calendar.day')
        RosterCopy = pool.get('hall.roster.copy', type='wizard')
        CalendarDay.seed([2025])
        data = HallData()
        data.roster(dt.date(2025, 9, 23))
        session_id, _, _ = RosterCopy.create()
        copy = RosterCopy(session_id)
        copy.start.hall = data.hall
        copy.start.week = dt.date(2025, 9, 25)
        copy.start.weeks = 2
        copy.transition_copy()
        dates = sorted({s.date for s in Shift.search([])})
        # 30 September is copied, 7 October is in the holiday
        self.assertEqual(dates, [
                dt.date(2025, 9, 23), dt.date(2025, 9, 30)])

    @with_transaction()
    def test_weekend_shortfalls(self):
        "Weekend sessions short of windows per kind are listed"
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        from trytond.modules.hall.roster import weekend_shortfalls_of
        data = HallData()
        saturday = dt.date(2025, 9, 20)
        Shift.create([{
                    'date': saturday, 'period': 'weekend',
                    'hall': data.hall.id, 'window': data.a01.id,
                    'employee': data.li.id}])
        self.assertEqual(
            weekend_shortfalls_of(data.hall, saturday, saturday),
            [(saturday, 'comprehensive', 1)])
        Shift.create([{
                    'date': saturday, 'period': 'weekend',
                    'hall': data.hall.id, 'window': data.a02.id,
                    'employee': data.zhao.id}])
        self.assertEqual(
            weekend_shortfalls_of(data.hall, saturday, saturday), [])

    @with_transaction()
    def test_invalid_resident_id(self):
        "An invalid resident identity card number is refused"
        pool = Pool()
        Party = pool.get('party.party')
        with self.assertRaises(UserError):
            Party.create([{
                        'name': "张三",
                        'identifiers': [('create', [{
                                        'type': 'cn_ric',
                                        'code': '11010519491231002Y',
                                        }])],
                        }])

    @with_transaction()
    def test_applicant_needs_identifier(self):
        "An applicant without an identity number is refused"
        pool = Pool()
        Party = pool.get('party.party')
        data = HallData()
        nobody, = Party.create([{'name': "无名"}])
        with self.assertRaises(ApplicantIdentifierError):
            data.application(applicant=nobody.id)

    @with_transaction()
    def test_enterprise_applicant(self):
        "An enterprise applies with its unified social credit code"
        pool = Pool()
        Party = pool.get('party.party')
        data = HallData()
        enterprise, = Party.create([{
                    'name': "滨江市鲜味餐饮有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat',
                                    'code': '91110108MA01KP2K3E',
                                    }])],
                    }])
        application = data.application(applicant=enterprise.id)
        self.assertEqual(application.applicant_code, '91110108MA01KP2K3E')

    @with_transaction()
    def test_party_applications(self):
        "A party's form lists its applications as applicant, newest first"
        pool = Pool()
        Party = pool.get('party.party')
        data = HallData()
        enterprise, = Party.create([{
                    'name': "滨江市鲜味餐饮有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat',
                                    'code': '91110108MA01KP2K3E',
                                    }])],
                    }])
        first = data.application()
        second = data.application(window=data.a02)
        other = data.application(applicant=enterprise.id)
        self.assertEqual(
            list(Party(data.citizen.id).applications), [second, first])
        self.assertEqual(list(Party(enterprise.id).applications), [other])
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            party, = Party.read([data.citizen.id], ['applications'])
            self.assertEqual(
                list(party['applications']), [second.id, first.id])

    @with_transaction()
    def test_party_form_identifiers_first(self):
        """The party form opens on the identifiers, lists the applications
        and leaves out the language a hall does not choose"""
        pool = Pool()
        Party = pool.get('party.party')
        view = Party.fields_view_get(view_type='form')
        arch = view['arch']
        self.assertLess(
            arch.index('name="identifiers"'), arch.index('id="general"'))
        self.assertEqual(arch.count('name="identifiers"'), 2)  # page, field
        self.assertIn('applications', view['fields'])
        self.assertNotIn('name="lang"', arch)

    @with_transaction()
    def test_identifier_types_of_hall(self):
        """The identifier types are those a hall registers, the resident
        identity card number first; with all types configured they still
        come first"""
        pool = Pool()
        Identifier = pool.get('party.identifier')
        Configuration = pool.get('party.configuration')
        self.assertEqual(
            [t for t, _ in Identifier.get_types()], [None, 'cn_ric', 'cn_vat'])
        Configuration.write([Configuration(1)], {'identifier_types': []})
        types = [t for t, _ in Identifier.get_types()]
        self.assertGreater(len(types), 100)
        self.assertEqual(types[:3], [None, 'cn_ric', 'cn_vat'])

    @with_transaction()
    def test_identifier_without_type_refused(self):
        "An identifier of no type is refused on create and on write"
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        with self.assertRaises(RequiredValidationError):
            Party.create([{
                        'name': "张三",
                        'identifiers': [('create', [{
                                        'code': '11010519491231002X',
                                        }])],
                        }])
        data = HallData()
        ric, = data.citizen.identifiers
        with self.assertRaises(RequiredValidationError):
            Identifier.write([ric], {'type': None})

    @with_transaction()
    def test_application_workflow_refusals(self):
        "Transitions out of order and rejection without reason are refused"
        pool = Pool()
        Application = pool.get('hall.application')
        data = HallData()
        application = data.application()
        self.assertEqual(application.next_step,
            gettext('hall.msg_application_next_draft'))
        Application.receive([application])
        self.assertRegex(application.number, r'^\d{4}-\d{6}$')
        self.assertEqual(Application(application.id).next_step,
            gettext('hall.msg_application_next_received'))
        with self.assertRaises(WorkflowError):
            Application.complete([application])
        with self.assertRaises(WorkflowError):
            Application.approve([application])
        self.assertEqual(application.state, 'received')
        with self.assertRaises(WorkflowError):
            Application.request_supplement([application])
        self.assertEqual(application.state, 'received')
        Application.accept([application])
        with self.assertRaises(WorkflowError):
            Application.reject([application])
        self.assertEqual(application.state, 'accepted')
        self.assertIsNone(application.decision_date)
        application.rejection_reason = "不符合法定条件"
        application.save()
        Application.reject([application])
        self.assertEqual(application.state, 'rejected')
        with self.assertRaises(ApplicationDeleteError):
            Application.delete([application])

    @with_transaction()
    def test_application_due_dates(self):
        "Due dates and time taken are counted in working days"
        pool = Pool()
        Application = pool.get('hall.application')
        Date = pool.get('ir.date')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        data = HallData()
        application = data.application()
        with patch.object(Date, 'today', return_value=dt.date(2025, 9, 30)):
            Application.receive([application])
            Application.accept([application])
        self.assertEqual(application.promised_due_date, dt.date(2025, 10, 14))
        self.assertEqual(application.legal_due_date, dt.date(2025, 11, 4))
        self.assertEqual(
            Application(application.id).next_step,
            gettext('hall.msg_application_next_accepted',
                due_date=Pool().get('ir.lang').get().strftime(
                    dt.date(2025, 10, 14))))
        self.assertFalse(application.due_soon)
        with patch.object(Date, 'today', return_value=dt.date(2025, 10, 13)):
            Application.mark_timeliness()
            application = Application(application.id)
            self.assertEqual(
                (application.due_soon, application.overdue), (True, False))
        with patch.object(Date, 'today', return_value=dt.date(2025, 10, 15)):
            Application.mark_timeliness()
            application = Application(application.id)
            self.assertEqual(
                (application.due_soon, application.overdue), (False, True))
            Application.approve([application])
            Application.complete([application])
        self.assertEqual(application.actual_days, 6)
        self.assertFalse(application.overdue)

    @with_transaction()
    def test_stale_due_soon_cleared(self):
        "A shorter due-soon window clears the flags it no longer covers"
        pool = Pool()
        Application = pool.get('hall.application')
        Configuration = pool.get('hall.configuration')
        Date = pool.get('ir.date')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025])
        data = HallData()
        application = data.application()
        with patch.object(Date, 'today', return_value=dt.date(2025, 10, 10)):
            Application.receive([application])
            Application.accept([application])
            # promised on 16 October, past the default 2-day window
            self.assertFalse(Application(application.id).due_soon)
            config = Configuration(1)
            config.due_soon_days = 5
            config.save()
            Application.mark_timeliness()
            self.assertTrue(Application(application.id).due_soon)
            config.due_soon_days = 1
            config.save()
            Application.mark_timeliness()
            self.assertFalse(Application(application.id).due_soon)

    @with_transaction()
    def test_transition_pressed_again_changes_nothing(self):
        "A transition to the state a record is in leaves it as it is"
        pool = Pool()
        Window = pool.get('hall.window')
        data = HallData()
        Window.open([data.a01])
        write_date = Window(data.a01.id).write_date
        Window.open([Window(data.a01.id)])
        window = Window(data.a01.id)
        self.assertEqual(window.state, 'open')
        self.assertEqual(window.write_date, write_date)
        with self.assertRaises(WorkflowError):
            Window.pause([Window(data.a02.id)])

    @unittest.skipUnless(backend.name == 'sqlite',
        "PostgreSQL refuses the update itself (repeatable read)")
    @with_transaction()
    def test_transition_on_a_stale_read_runs_again(self):
        """On SQLite a transition compares the state it read with the stored
        one, under the writer's lock: changed meanwhile, the request is run
        again (as a serialization failure on PostgreSQL)"""
        pool = Pool()
        Window = pool.get('hall.window')
        data = HallData()
        window = Window(data.a01.id)
        self.assertEqual(window.state, 'closed')
        # another clerk opened it after it was read
        table = Window.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.state], ['open'],
                where=table.id == window.id))
        with self.assertRaises(StaleRead):
            Window.open([window])

    @with_transaction()
    def test_sequence_numbers_taken_once(self):
        "Sequence numbers are incremented where they are read"
        Sequence = Pool().get('ir.sequence')
        sequence = new_sequence(padding=4, number_next=7)
        self.assertEqual(sequence.get(), '0007')
        self.assertEqual(list(sequence.get_many(n=3)),
            ['0008', '0009', '0010'])
        self.assertEqual(Sequence(sequence.id).number_next, 11)

    @with_transaction()
    def test_numbers_restart_each_year(self):
        "Application numbers restart at 1 each year, by the received date"
        pool = Pool()
        Application = pool.get('hall.application')
        data = HallData()

        def received(day):
            application = data.application()
            with on(day):
                Application.receive([application])
            return application.number
        self.assertEqual(
            [received(dt.date(2025, 12, 31)), received(dt.date(2026, 1, 5)),
                received(dt.date(2026, 1, 5)),
                received(dt.date(2025, 12, 31))],
            ['2025-000001', '2026-000001', '2026-000002', '2025-000002'])

    @with_transaction()
    def test_sequence_restarted_goes_on(self):
        """A sequence made to restart each month goes on from its next
        number this month, and restarts at 1 the next"""
        Sequence = Pool().get('ir.sequence')
        sequence = new_sequence(prefix='${date_Y}${date_m}-', padding=3)
        with on(dt.date(2026, 3, 10)):
            self.assertEqual(list(sequence.get_many(n=2)),
                ['202603-001', '202603-002'])
            Sequence.write([sequence], {'reset': 'month'})
            self.assertEqual(sequence.get(), '202603-003')
        with on(dt.date(2026, 4, 1)):
            self.assertEqual(list(sequence.get_many(n=2)),
                ['202604-001', '202604-002'])
        with on(dt.date(2026, 3, 31)):
            self.assertEqual(sequence.get(), '202603-004')

    def test_numbering_period(self):
        "The period of a date in which a sequence counts its numbers"
        from trytond.modules.hall.sequence_rules import numbering_period
        self.assertEqual(
            numbering_period('year', dt.date(2027, 1, 1)), '2027')
        self.assertEqual(
            numbering_period('month', dt.date(2027, 1, 31)), '2027-01')
        with self.assertRaises(ValueError):
            numbering_period(None, dt.date(2027, 1, 1))

    @with_transaction()
    def test_immediate_service(self):
        "A service done on the spot is due the day it is accepted"
        pool = Pool()
        Application = pool.get('hall.application')
        data = HallData()
        application = data.application(window=data.a02)
        Application.receive([application])
        Application.accept([application])
        self.assertEqual(
            application.promised_due_date, application.accepted_date)
        self.assertTrue(application.due_soon)
        self.assertFalse(application.overdue)

    @with_transaction()
    def test_clerk_sees_own_windows(self):
        "A clerk sees the applications of their windows and their own"
        pool = Pool()
        Application = pool.get('hall.application')
        Date = pool.get('ir.date')
        # the shifts of data.roster() are today's
        self.enterContext(
            patch.object(Date, 'today', return_value=dt.date(2025, 9, 22)))
        data = HallData()
        data.roster()
        on_a01 = data.application(window=data.a01)
        on_a02 = data.application(window=data.a02)

        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            self.assertEqual(Application.search([]), [on_a01])
            with self.assertRaises(AccessError):
                Application.read([on_a02.id], ['number'])
            # Li receives a walk-in at the window of Zhao while standing in
            received = data.application(window=data.a02)
            with self.assertRaises(AccessError):
                Application.receive([Application(on_a02.id)])
        set_user, set_context = as_user(data.zhao_user)
        with set_user, set_context:
            self.assertEqual(
                set(Application.search([])), {on_a02, received})
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            # Wang is rostered nowhere: only what Wang created
            self.assertEqual(Application.search([]), [])
            mine = data.application(window=data.a01)
            Application.receive([mine])
            self.assertEqual(Application.search([]), [mine])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            self.assertEqual(
                set(Application.search([])),
                {on_a01, on_a02, received, mine})

    @with_transaction()
    def test_clerk_visibility_bounded_in_time(self):
        """A roster shift opens its window's applications to the clerk for
        the follow-up days after it, its window's buttons on its day only;
        what the clerk received stays theirs"""
        pool = Pool()
        Application = pool.get('hall.application')
        Configuration = pool.get('hall.configuration')
        Shift = pool.get('hall.roster.shift')
        Window = pool.get('hall.window')
        Date = pool.get('ir.date')
        today = dt.date(2026, 3, 2)  # a Monday
        clock = self.enterContext(
            patch.object(Date, 'today', return_value=today))
        data = HallData()
        self.assertEqual(Configuration(1).follow_up_days, 7)
        # Li held A01 a year ago, Zhao A02 five days ago
        data.roster(dt.date(2025, 3, 3))
        Shift.write(Shift.search([('employee', '=', data.zhao.id)]), {
                'date': dt.date(2026, 2, 25)})
        on_a01 = data.application(window=data.a01)
        on_a02 = data.application(window=data.a02)
        received = data.application(window=data.a01, clerk=data.li.id)

        def visible(user):
            set_user, set_context = as_user(user)
            with set_user, set_context:
                return set(Application.search([]))

        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            self.assertEqual(set(Application.search([])), {received})
            with self.assertRaises(AccessError):
                Application.read([on_a01.id], ['number'])
            with self.assertRaises(AccessError):
                Application.write([Application(on_a01.id)], {'note': "跟进"})
            # what Li received stays his to follow up
            Application.write([Application(received.id)], {'note': "跟进"})
            with self.assertRaises(AccessError):
                Window.open([Window(data.a01.id)])
        set_user, set_context = as_user(data.zhao_user)
        with set_user, set_context:
            self.assertEqual(set(Application.search([])), {on_a02})
            Application.write([Application(on_a02.id)], {'note': "补正"})
            # the window's buttons only on the day of the shift
            with self.assertRaises(AccessError):
                Window.open([Window(data.a02.id)])
        self.assertEqual(Application(on_a02.id).note, "补正")
        self.assertEqual(Window(data.a02.id).state, 'closed')

        # Only today's shifts open their window
        config = Configuration(1)
        config.follow_up_days = 0
        config.save()
        self.assertEqual(visible(data.zhao_user), set())
        Shift.create([{
                    'date': today, 'period': 'morning',
                    'hall': data.hall.id, 'window': data.a02.id,
                    'employee': data.zhao.id,
                    }])
        self.assertEqual(visible(data.zhao_user), {on_a02})
        set_user, set_context = as_user(data.zhao_user)
        with set_user, set_context:
            Window.open([Window(data.a02.id)])
        self.assertEqual(Window(data.a02.id).state, 'open')
        # the next day, the shift is yesterday's
        clock.return_value = today + dt.timedelta(days=1)
        self.assertEqual(visible(data.zhao_user), set())
        self.assertEqual(visible(data.li_user), {received})
        # a year of follow-up reaches back to Li's shift
        config.follow_up_days = 90
        config.save()
        self.assertEqual(visible(data.zhao_user), {on_a02})
        self.assertEqual(visible(data.li_user), {received})
        clock.return_value = dt.date(2025, 5, 31)
        self.assertEqual(visible(data.li_user), {on_a01, received})
        self.assertEqual(
            visible(data.manager), {on_a01, on_a02, received})

    @with_transaction()
    def test_follow_up_days_bounded(self):
        "The follow-up days are 0 to 90"
        pool = Pool()
        Configuration = pool.get('hall.configuration')
        config = Configuration(1)
        for days in [-1, 91]:
            config.follow_up_days = days
            with self.assertRaises(HallValidationError):
                config.save()
        for days in [0, 90]:
            config.follow_up_days = days
            config.save()
            self.assertEqual(Configuration(1).follow_up_days, days)

    @with_transaction()
    def test_public_address(self):
        """A hall's public address is a whole web address; its pages are
        reached there, or at the server's address while it has none"""
        pool = Pool()
        Hall = pool.get('hall.hall')
        data = HallData()
        hall = data.hall
        self.assertIsNone(hall.public_address())
        self.assertTrue(hall.page_url('rate/x').endswith(
                '/%s/hall/rate/x' % urllib.parse.quote(DB_NAME)))
        for address in ['zwfw.example.gov.cn', 'ftp://zwfw.example.gov.cn',
                'https://']:
            with self.subTest(address=address):
                with self.assertRaises(HallValidationError) as cm:
                    Hall.write([hall], {'public_url': address})
                self.assertIn(address, cm.exception.message)
        Hall.write([hall], {'public_url': ' https://zwfw.example.gov.cn/ '})
        self.assertEqual(hall.page_url('rate/x'),
            'https://zwfw.example.gov.cn/%s/hall/rate/x'
            % urllib.parse.quote(DB_NAME))

    @with_transaction()
    def test_clerk_cannot_configure(self):
        "A clerk reads services and windows but cannot change them"
        pool = Pool()
        Service = pool.get('hall.service')
        Window = pool.get('hall.window')
        Hall = pool.get('hall.hall')
        Date = pool.get('ir.date')
        self.enterContext(
            patch.object(Date, 'today', return_value=dt.date(2025, 9, 22)))
        data = HallData()
        data.roster()
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            self.assertEqual(len(Service.search([])), 2)
            with self.assertRaises(AccessError):
                Service.write([Service(data.licence.id)], {'legal_limit': 30})
            with self.assertRaises(AccessError):
                Service.create([{
                            'code': 'X', 'name': "X",
                            'department': data.department.id}])
            with self.assertRaises(AccessError):
                Hall.write([Hall(data.hall.id)], {'name': "改名"})
            with self.assertRaises(AccessError):
                Window.write([Window(data.a01.id)], {'number': 'Z9'})
            # Li operates the window rostered to him, not the other one
            Window.open([Window(data.a01.id)])
            with self.assertRaises(AccessError):
                Window.open([Window(data.a02.id)])
        self.assertEqual(Window(data.a01.id).state, 'open')
        self.assertEqual(Window(data.a02.id).state, 'closed')
        self.assertEqual(Service(data.licence.id).legal_limit, 20)

    @with_transaction()
    def test_leader_reads_only(self):
        "The leader reads everything and writes nothing"
        pool = Pool()
        data = HallData()
        shift, _ = data.roster()
        application = data.application()
        records = {
            'hall.hall': data.hall,
            'hall.department': data.department,
            'hall.service': data.licence,
            'hall.window': data.a01,
            'hall.roster.shift': shift,
            'hall.application': application,
            }
        CalendarDay = pool.get('hall.calendar.day')
        records['hall.calendar.day'] = CalendarDay.search([], limit=1)[0]
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            for model, record in records.items():
                with self.subTest(model=model):
                    Model = pool.get(model)
                    self.assertTrue(Model.search([('id', '=', record.id)]))
                    with self.assertRaises(AccessError):
                        Model.write([Model(record.id)], {})
                    with self.assertRaises(AccessError):
                        Model.create([{}])
                    with self.assertRaises(AccessError):
                        Model.delete([Model(record.id)])
            Application = pool.get('hall.application')
            with self.assertRaises(AccessButtonError):
                Application.receive([Application(application.id)])
        self.assertEqual(application.state, 'draft')

    @with_transaction()
    def test_manager_configures(self):
        "The hall manager configures services and windows"
        pool = Pool()
        Service = pool.get('hall.service')
        data = HallData()
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            Service.write([Service(data.licence.id)], {'legal_limit': 30})
        self.assertEqual(Service(data.licence.id).legal_limit, 30)

    def personal_data(self, data):
        "A citizen's mobile and address, and an enterprise with a phone"
        pool = Pool()
        Party = pool.get('party.party')
        Party.write([data.citizen], {
                'contact_mechanisms': [('create', [{
                                'type': 'mobile', 'value': '+8613812345678',
                                }])],
                'addresses': [('create', [{
                                'street': "朝阳路 8 号院 3 单元 501",
                                'city': "北京",
                                }])],
                })
        enterprise, = Party.create([{
                    'name': "滨江市鲜味餐饮有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat',
                                    'code': '91110108MA01KP2K3E',
                                    }])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'phone', 'value': '+861062345678',
                                    }])],
                    }])
        return enterprise

    @with_transaction()
    def test_personal_data_masked_by_role(self):
        """The clerk reads a citizen's data in full; the manager and the
        leader read it masked in forms, names, exports and searches; an
        enterprise's data is public"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        ContactMechanism = pool.get('party.contact_mechanism')
        Address = pool.get('party.address')
        Application = pool.get('hall.application')
        data = HallData()
        enterprise = self.personal_data(data)
        application = data.application(clerk=data.li.id)
        citizen = data.citizen
        ric, = citizen.identifiers
        mobile, = citizen.contact_mechanisms
        address, = citizen.addresses
        uscc, = enterprise.identifiers
        phone, = enterprise.contact_mechanisms

        def seen(user):
            set_user, set_context = as_user(user)
            with set_user, set_context:
                party, = Party.read(
                    [citizen.id], ['name', 'rec_name', 'mobile'])
                identifier, = Identifier.read([ric.id], ['code', 'rec_name'])
                contact, = ContactMechanism.read(
                    [mobile.id], ['value', 'rec_name'])
                street, = Address.read([address.id], ['street', 'city'])
                company, = Party.read([enterprise.id], ['name', 'phone'])
                code, = Identifier.read([uscc.id], ['code'])
                applicant, = Application.read(
                    [application.id], ['applicant.rec_name', 'applicant_code'])
                export = Party.export_data([Party(citizen.id)], [
                        'name', 'identifiers/code',
                        'contact_mechanisms/value'])
                return {
                    'name': party['name'],
                    'rec_name': party['rec_name'],
                    'party_mobile': party['mobile'],
                    'code': identifier['code'],
                    'code_rec_name': identifier['rec_name'],
                    'mobile': contact['value'],
                    'mobile_rec_name': contact['rec_name'],
                    'street': street['street'],
                    'city': street['city'],
                    'applicant': applicant['applicant.']['rec_name'],
                    'applicant_code': applicant['applicant_code'],
                    'export': export,
                    'enterprise': (
                        company['name'], company['phone'], code['code']),
                    }

        enterprise_data = (
            "滨江市鲜味餐饮有限公司", phone.value, '91110108MA01KP2K3E')
        full = seen(data.li_user)
        self.assertEqual(full['name'], "张建明")
        self.assertEqual(full['code'], '11010519491231002X')
        self.assertEqual(full['mobile'], mobile.value)
        self.assertIn('138 1234 5678', mobile.value)
        self.assertEqual(full['applicant_code'], '11010519491231002X')
        self.assertEqual(full['enterprise'], enterprise_data)
        for user in [data.manager, data.leader]:
            with self.subTest(user=user.login):
                masked = seen(user)
                self.assertEqual(masked['name'], "张*明")
                self.assertEqual(masked['rec_name'], "张*明")
                self.assertEqual(masked['party_mobile'], '138****5678')
                self.assertEqual(masked['code'], '110105********002X')
                self.assertEqual(masked['code_rec_name'], '110105********002X')
                self.assertEqual(masked['mobile'], '138****5678')
                self.assertEqual(
                    masked['mobile_rec_name'], "张*明 <138****5678>")
                self.assertEqual(masked['street'], '****')
                self.assertEqual(masked['city'], "北京")
                self.assertEqual(masked['applicant'], "张*明")
                self.assertEqual(
                    masked['applicant_code'], '110105********002X')
                self.assertEqual(masked['export'], [
                        ["张*明", '110105********002X', '138****5678']])
                self.assertEqual(masked['enterprise'], enterprise_data)
        # The staff are no citizens: their names are on what they handle
        Party.write([data.li.party], {
                'identifiers': [('create', [{
                                'type': 'cn_ric',
                                'code': '110105198001010016'}])]})
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            self.assertEqual(
                Party.read([data.li.party.id], ['name'])[0]['name'], "李强")
        # Nothing was written back masked
        self.assertEqual(Identifier(ric.id).code, '11010519491231002X')
        self.assertEqual(Party(citizen.id).name, "张建明")

    @with_transaction()
    def test_personal_data_search_masked(self):
        """A masked role cannot find a citizen by a value it sees masked,
        nor confirm it bit by bit; enterprises are found"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        ContactMechanism = pool.get('party.contact_mechanism')
        data = HallData()
        enterprise = self.personal_data(data)
        data.application(clerk=data.li.id)
        searches = [
            (Party, [('rec_name', 'ilike', '%110105194912%')]),
            (Party, [('rec_name', 'ilike', '张建%')]),
            (Party, [('name', '=', "张建明")]),
            (Party, [('identifiers.code', 'like', '1101051949%')]),
            (Party, [('contact_mechanisms.value', 'like', '%138 1234%')]),
            (Identifier, [('code', '=', '11010519491231002X')]),
            (Identifier, [('rec_name', 'ilike', '110105%')]),
            (ContactMechanism, [('value_compact', 'like', '%1381234%')]),
            (ContactMechanism, [('party.name', '=', "张建明")]),
            (pool.get('hall.application'),
                [('applicant.name', 'like', '张建%')]),
            ]
        for user, found in [
                (data.li_user, True), (data.manager, False),
                (data.leader, False)]:
            set_user, set_context = as_user(user)
            with set_user, set_context:
                for Model, domain in searches:
                    with self.subTest(user=user.login, domain=domain):
                        self.assertEqual(
                            bool(Model.search(domain)), found)
                self.assertEqual(Party.search([
                            ('rec_name', 'ilike', '%鲜味%')]), [enterprise])
                self.assertEqual(Party.search([
                            ('identifiers.code', '=', '91110108MA01KP2K3E'),
                            ]), [enterprise])

    @with_transaction()
    def test_personal_data_order_and_copy(self):
        """A masked role cannot sort citizens by what it sees masked, nor
        copy a citizen (the copy would store the masked values)"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        data = HallData()
        # 王芳 is registered after 张建明 but sorts before him by ID number
        wang, = Party.create([{
                    'name': "王芳",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '110105198001010016',
                                    }])],
                    }])
        parties = [data.citizen.id, wang.id]
        identifiers = [i.id for p in parties for i in Party(p).identifiers]
        searches = [
            (Party, parties, 'name'),
            (Identifier, identifiers, 'code'),
            (Identifier, identifiers, 'party'),
            ]
        for user, sorted_ in [
                (data.li_user, True), (data.manager, False),
                (data.leader, False)]:
            set_user, set_context = as_user(user)
            with set_user, set_context:
                for Model, ids, name in searches:
                    with self.subTest(user=user.login, order=name):
                        orders = {tuple(Model.search(
                                    [('id', 'in', ids)],
                                    order=[(name, direction)]))
                            for direction in ['ASC', 'DESC']}
                        self.assertEqual(len(orders), 2 if sorted_ else 1)
                if not sorted_:
                    with self.assertRaises(AccessError):
                        Party.copy([Party(data.citizen.id)])
                    with self.assertRaises(AccessError):
                        Identifier.copy([Identifier(identifiers[0])])
        self.assertEqual(Party.search_count([('name', '=', "张建明")]), 1)

    @with_transaction()
    def test_party_access_by_role(self):
        """The leader changes no party; the manager registers staff parties
        but does not change the personal data it sees masked"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        ContactMechanism = pool.get('party.contact_mechanism')
        data = HallData()
        self.personal_data(data)
        citizen = data.citizen
        ric, = citizen.identifiers
        mobile, = citizen.contact_mechanisms
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            for Model, record in [
                    (Party, citizen), (Identifier, ric),
                    (ContactMechanism, mobile)]:
                with self.subTest(model=Model.__name__):
                    with self.assertRaises(AccessError):
                        Model.write([Model(record.id)], {})
                    with self.assertRaises(AccessError):
                        Model.delete([Model(record.id)])
            with self.assertRaises(AccessError):
                Party.create([{'name': "新人"}])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            staff, = Party.create([{'name': "孙悦"}])
            Party.write([staff], {'name': "孙悦（综合窗口）"})
            for Model, record, values in [
                    (Party, citizen, {'name': "张*明"}),
                    (Identifier, ric, {'code': '110105198001010016'}),
                    (ContactMechanism, mobile, {'value': '+8613900000000'}),
                    ]:
                with self.subTest(model=Model.__name__):
                    with self.assertRaises(AccessError):
                        Model.write([Model(record.id)], values)
            # nor makes a new citizen of a staff party
            with self.assertRaises(AccessError):
                Party.write([staff], {
                        'identifiers': [('create', [{
                                        'type': 'cn_ric',
                                        'code': '110105198001010016',
                                        }])]})
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            Party.write([Party(citizen.id)], {'name': "张建民"})
            newcomer, = Party.create([{
                        'name': "王芳",
                        'identifiers': [('create', [{
                                        'type': 'cn_ric',
                                        'code': '110105198001010016',
                                        }])],
                        }])
            with self.assertRaises(AccessError):
                Party.delete([newcomer])
        self.assertEqual(Party(citizen.id).name, "张建民")
        self.assertEqual(Identifier(ric.id).code, '11010519491231002X')

    @with_transaction()
    def test_party_replace_and_erase(self):
        """A duplicate citizen is merged into the other with its
        applications; a citizen is erased once no application is open"""
        pool = Pool()
        Party = pool.get('party.party')
        Application = pool.get('hall.application')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        data = HallData()
        duplicate, = Party.create([{
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X',
                                    }])],
                    }])
        application = data.application(
            applicant=duplicate.id, agent=duplicate.id)
        Application.receive([application])

        session_id, _, _ = Replace.create()
        replace = Replace(session_id)
        replace.ask.source = duplicate
        replace.ask.destination = data.citizen
        replace.transition_replace()
        # the wizard updates the tables, not the records read before
        self.assertEqual(Application.search([
                    ('applicant', '=', data.citizen.id),
                    ('agent', '=', data.citizen.id),
                    ]), [application])
        self.assertFalse(Party(duplicate.id).active)

        Party.write([data.citizen], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = data.citizen
        with self.assertRaises(UserError) as cm:
            erase.transition_erase()
        self.assertIn(application.number, cm.exception.message)
        application.withdrawal_reason = "申请人撤回"
        application.save()
        Application.withdraw([application])
        erase.transition_erase()
        Identifier = pool.get('party.identifier')
        [party] = Party.read([data.citizen.id], ['name'])
        self.assertIsNone(party['name'])
        erased = Identifier.search([
                ('party', '=', data.citizen.id), ('active', '=', False)])
        # its own and the duplicate's, moved to it by the replacement
        self.assertEqual(
            [i['code'] for i in Identifier.read(
                    [i.id for i in erased], ['code'])], ['****', '****'])



del ModuleTestCase
