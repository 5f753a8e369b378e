# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
from unittest.mock import patch

from trytond import backend

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee)
from trytond.modules.hall.exceptions import (
    ApplicantIdentifierError, ApplicationDeleteError, RosterConflictError,
    ServiceLimitError, StandInQualificationError, WorkflowError)
from trytond.modules.hall.locking import StaleRead
from trytond.modules.hall.tests.tools import TranslatedTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

class HallData:
    "A hall with two windows, three clerks, a leader and a manager"

    def __init__(self):
        pool = Pool()
        Hall = pool.get('hall.hall')
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        Window = pool.get('hall.window')
        Party = pool.get('party.party')
        Group = pool.get('res.group')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')

        self.company = create_company()
        self.hall, = Hall.create([{
                    'name': "测试大厅",
                    'company': self.company.id,
                    }])
        self.department, = Department.create([{
                    'name': "市场监督管理局", 'code': 'SCJG'}])
        self.licence, self.registration = Service.create([{
                    'code': 'SC-001', 'name': "食品经营许可",
                    'department': self.department.id,
                    'legal_limit': 20, 'promised_limit': 5,
                    }, {
                    'code': 'SC-002', 'name': "个体工商户登记",
                    'department': self.department.id,
                    'legal_limit': 15, 'promised_limit': 0,
                    }])
        self.a01, self.a02 = Window.create([{
                    'hall': self.hall.id, 'number': 'A01',
                    'services': [('add', [self.licence.id])],
                    }, {
                    'hall': self.hall.id, 'number': 'A02',
                    'services': [('add', [self.registration.id])],
                    }])
        self.wang = create_employee(self.company, "王丽")
        self.li = create_employee(self.company, "李强")
        self.zhao = create_employee(self.company, "赵敏")
        self.wang.hall_services = [self.licence, self.registration]
        self.li.hall_services = [self.licence]
        self.zhao.hall_services = [self.registration]
        for employee in [self.wang, self.li, self.zhao]:
            employee.save()

        def group(fs_id):
            return Group(ModelData.get_id('hall', fs_id))

        def user(login, groups, employee=None):
            return User.create([{
                        'login': login,
                        'name': login,
                        'companies': [('add', [self.company.id])],
                        'company': self.company.id,
                        'employees': (
                            [('add', [employee.id])] if employee else []),
                        'employee': employee.id if employee else None,
                        'groups': [('add', [group(g).id for g in groups])],
                        }])[0]
        self.wang_user = user('wang', ['group_window_clerk'], self.wang)
        self.li_user = user('li', ['group_window_clerk'], self.li)
        self.zhao_user = user('zhao', ['group_window_clerk'], self.zhao)
        self.leader = user('leader', ['group_hall_leader'])
        self.manager = user('manager', ['group_hall_manager'])

        # Take the roster lock up front, as the RPC layer does on retry.
        pool.get('hall.roster.shift').lock()

        self.citizen, = Party.create([{
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X',
                                    }])],
                    }])

    def roster(self, date=dt.date(2025, 9, 22)):
        Shift = Pool().get('hall.roster.shift')
        return Shift.create([{
                    'date': date, 'period': 'full_day',
                    'hall': self.hall.id, 'window': self.a01.id,
                    'employee': self.li.id,
                    }, {
                    'date': date, 'period': 'full_day',
                    'hall': self.hall.id, 'window': self.a02.id,
                    'employee': self.zhao.id,
                    }])

    def application(self, window=None, service=None, **values):
        Application = Pool().get('hall.application')
        window = window or self.a01
        service = service or window.services[0]
        application, = Application.create([{
                    'company': self.company.id,
                    'hall': self.hall.id,
                    'applicant': self.citizen.id,
                    'service': service.id,
                    'window': window.id,
                    **values,
                    }])
        return application


def as_user(user):
    "Run as `user` with access rights and record rules checked"
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=user.company.id)


class HallTestCase(
        TranslatedTestMixin, CompanyTestMixin, ModuleTestCase):
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
    def test_application_workflow_refusals(self):
        "Transitions out of order and rejection without reason are refused"
        pool = Pool()
        Application = pool.get('hall.application')
        data = HallData()
        application = data.application()
        Application.receive([application])
        self.assertRegex(application.number, r'^\d{4}-\d{6}$')
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
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        SequenceType = pool.get('ir.sequence.type')
        type_, = SequenceType.create([{'name': "测试"}])
        sequence, = Sequence.create([{
                    'name': "测试", 'sequence_type': type_.id,
                    'padding': 4, 'number_next': 7}])
        self.assertEqual(sequence.get(), '0007')
        self.assertEqual(list(sequence.get_many(n=3)),
            ['0008', '0009', '0010'])
        self.assertEqual(Sequence(sequence.id).number_next, 11)

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
    def test_clerk_cannot_configure(self):
        "A clerk reads services and windows but cannot change them"
        pool = Pool()
        Service = pool.get('hall.service')
        Window = pool.get('hall.window')
        Hall = pool.get('hall.hall')
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



del ModuleTestCase
