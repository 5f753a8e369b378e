# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from unittest.mock import patch

from sql import Column

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin, as_user, make_chinese)
from trytond.modules.hall_queue.exceptions import (
    AppointmentError, ApplicantError, CallError, IssueError,
    WindowOperatorError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import MONDAY_10, QueueData, at

MINUTE = dt.timedelta(minutes=1)


class HallQueueTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall Queue module"
    module = 'hall_queue'

    def count(self, model):
        return Pool().get(model).search_count([])

    @with_transaction()
    def test_numbers_restart_each_day(self):
        "Numbers run A001, A002… per queue and start again the next day"
        data = QueueData()
        with at(MONDAY_10):
            a1, a2 = data.issue(), data.issue()
            b1 = data.issue(data.queue_b)
        with at(MONDAY_10 + dt.timedelta(days=1)):
            tuesday = data.issue()
        self.assertEqual(
            [a1.number, a2.number, b1.number, tuesday.number],
            ['A001', 'A002', 'B001', 'A001'])
        self.assertEqual(tuesday.date, dt.date(2026, 11, 24))
        self.assertNotEqual(a1.token, a2.token)
        self.assertGreaterEqual(len(a1.token), 32)
        self.assertEqual(a1.issued_hour, 10)

    @with_transaction()
    def test_party_tickets(self):
        """A party's form lists its tickets, newest first; through it a
        role that reads ID numbers masked still reads them masked"""
        pool = Pool()
        Party = pool.get('party.party')
        Ticket = pool.get('hall.ticket')
        ModelData = pool.get('ir.model.data')
        data = QueueData()
        with at(MONDAY_10):
            monday = data.issue(
                party=data.citizen.id, id_number='11010519491231002X')
            data.issue(mobile='13912345678')
        with at(MONDAY_10 + dt.timedelta(days=1)):
            tuesday = data.issue(data.queue_b, party=data.citizen.id)
        self.assertEqual(
            list(Party(data.citizen.id).tickets), [tuesday, monday])
        tab = Ticket.fields_view_get(
            ModelData.get_id('hall_queue', 'ticket_view_list_party'))
        user, context = as_user(data.manager)
        with user, context:
            party, = Party.read([data.citizen.id], ['tickets'])
            self.assertEqual(
                list(party['tickets']), [tuesday.id, monday.id])
            rows = Ticket.read(
                list(party['tickets']), list(tab['fields']) + ['id_number'])
        rows = {r['id']: r for r in rows}
        self.assertEqual(rows[tuesday.id]['number'], 'B001')
        self.assertEqual(rows[monday.id]['id_number'], '110105********002X')

    @with_transaction()
    def test_issue_refusals(self):
        "Bad input, a closed queue, out of hours and the cap change nothing"
        pool = Pool()
        Queue = pool.get('hall.queue')
        data = QueueData()
        cases = [
            (MONDAY_10, {'mobile': '1381234567'}, 'mobile'),
            (MONDAY_10, {'id_number': '110105194912310021'}, 'ID'),
            (MONDAY_10, {'service': data.registration.id}, 'service'),
            (MONDAY_10 - dt.timedelta(hours=2), {}, '08:30'),
            (MONDAY_10 + dt.timedelta(hours=8), {}, '17:00'),
            # Saturday 28 November 2026
            (MONDAY_10 + dt.timedelta(days=5), {}, '2026-11-28'),
            ]
        for moment, values, fragment in cases:
            with self.subTest(values=values, moment=moment), at(moment):
                with self.assertRaises(IssueError) as cm:
                    data.issue(**values)
                self.assertIn(fragment, cm.exception.message)
        self.assertEqual(self.count('hall.ticket'), 0)

        data.queue_a.daily_cap = 2
        data.queue_a.save()
        with at(MONDAY_10):
            data.issue(), data.issue()
            with self.assertRaises(IssueError):
                data.issue()
        Queue.write([data.queue_a], {'active': False})
        with at(MONDAY_10), self.assertRaises(IssueError):
            data.issue()
        self.assertEqual(self.count('hall.ticket'), 2)

    @with_transaction()
    def test_call_order(self):
        "Appointments, elderly, then by issue time"
        pool = Pool()
        Window = pool.get('hall.window')
        data = QueueData()
        data.open_windows()
        issued = {}
        for minutes, (name, priority) in enumerate([
                    ('first', 'normal'), ('second', 'normal'),
                    ('elderly', 'priority'), ('appointment', 'appointment')]):
            with at(MONDAY_10 + minutes * MINUTE):
                issued[name] = data.issue(priority=priority).number
        called = []
        with at(MONDAY_10 + 10 * MINUTE):
            for _ in range(4):
                called.append(Window.call_next_ticket(data.a01.id)['number'])
                ticket = Window(data.a01.id).current_ticket
                pool.get('hall.ticket').start([ticket])
                pool.get('hall.ticket').finish([ticket])
            self.assertIsNone(Window.call_next_ticket(data.a01.id))
        self.assertEqual(called, [issued[n] for n in [
                    'appointment', 'elderly', 'first', 'second']])

    @with_transaction()
    def test_window_queue_order(self):
        "A window calls its first queue before its second"
        pool = Pool()
        Window = pool.get('hall.window')
        data = QueueData()
        data.open_windows()
        with at(MONDAY_10):
            data.issue(data.queue_a)
        with at(MONDAY_10 + MINUTE):
            data.issue(data.queue_b)
            self.assertEqual(
                Window.call_next_ticket(data.a02.id)['number'], 'B001')

    @with_transaction()
    def test_busy_and_closed_window(self):
        pool = Pool()
        Window = pool.get('hall.window')
        data = QueueData()
        with at(MONDAY_10):
            data.issue(), data.issue()
            with self.assertRaises(CallError):
                Window.call_next([data.a01])
            data.open_windows(data.a01)
            first = Window.call_next_ticket(data.a01.id)
            self.assertFalse(first['held'])
            # pressed again while A001 is called: the window shows A001, it
            # does not call A002
            Window.call_next([data.a01])
            again = Window.call_next_ticket(data.a01.id)
            self.assertEqual(again, {**first, 'held': True})
            self.assertEqual(data.a01.held_ticket().id, first['id'])
            Ticket = Pool().get('hall.ticket')
            Ticket.start([Ticket(first['id'])])
            with self.assertRaises(CallError):
                Window.call_next([data.a01])
            data.a01.pause_reason = "午休"
            with self.assertRaises(CallError):
                Window.pause([data.a01])

    @with_transaction()
    def test_recall_turns_into_no_show(self):
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        data = QueueData()
        data.open_windows(data.a01)
        with at(MONDAY_10):
            ticket = data.issue()
            Window.call_next([data.a01])
        for minute in [1, 2]:
            with at(MONDAY_10 + minute * MINUTE):
                Window.recall_ticket([Window(data.a01.id)])
                # pressed again at once: the same recall
                Window.recall_ticket([Window(data.a01.id)])
        ticket = Ticket(ticket.id)
        self.assertEqual((ticket.state, ticket.recall_count), ('called', 2))
        with at(MONDAY_10 + 3 * MINUTE):
            Window.recall_ticket([Window(data.a01.id)])
        ticket = Ticket(ticket.id)
        self.assertEqual(ticket.state, 'no_show')
        self.assertEqual([c.kind for c in ticket.calls],
            ['recall', 'recall', 'call'])
        self.assertIsNone(Window(data.a01.id).current_ticket)

    @with_transaction()
    def test_transfer_keeps_place(self):
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        data = QueueData()
        data.open_windows()
        with at(MONDAY_10):
            moved = data.issue()
        with at(MONDAY_10 + MINUTE):
            later = data.issue(data.queue_b)
        with at(MONDAY_10 + 2 * MINUTE):
            Window.call_next([data.a01])
            new, = Ticket.transfer_to(
                [Window(data.a01.id).current_ticket], data.queue_b, "转个体")
        self.assertEqual(Ticket(moved.id).state, 'transferred')
        self.assertEqual(new.number, 'B002')
        self.assertEqual(new.transferred_from, moved)
        self.assertEqual(new.issued_at, moved.issued_at)
        self.assertEqual((new.ahead(), Ticket(later.id).ahead()), (0, 1))
        with at(MONDAY_10 + 3 * MINUTE):
            self.assertEqual(
                Window.call_next_ticket(data.a02.id)['number'], 'B002')
        with self.assertRaises(CallError):
            Ticket.transfer_to([Ticket(later.id)], data.queue_b)

    @with_transaction()
    def test_out_of_order_call_needs_reason(self):
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        data = QueueData()
        data.open_windows(data.a01)
        with at(MONDAY_10):
            data.issue()
            wanted = data.issue()
            window = Window(data.a01.id)
            with self.assertRaises(CallError):
                window.call_out_of_order(wanted, "  ")
            self.assertEqual(Ticket(wanted.id).state, 'waiting')
            window.call_out_of_order(wanted, "材料已补齐回来")
        wanted = Ticket(wanted.id)
        self.assertEqual(
            (wanted.state, wanted.window, wanted.call_reason),
            ('called', data.a01, "材料已补齐回来"))
        self.assertEqual(wanted.calls[0].kind, 'out_of_order')

    @with_transaction()
    def test_serve_and_receive_application(self):
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        data = QueueData()
        data.open_windows(data.a01)
        with at(MONDAY_10):
            ticket = data.issue(id_number='11010519491231002X')
        with at(MONDAY_10 + 7 * MINUTE):
            Window.call_next([data.a01])
        ticket = Ticket(ticket.id)
        with self.assertRaises(CallError):
            ticket.create_application(data.licence, data.citizen)
        with at(MONDAY_10 + 8 * MINUTE):
            Window.start_ticket([data.a01])
            application = Ticket(ticket.id).create_application(
                data.licence, data.citizen)
        with at(MONDAY_10 + 20 * MINUTE):
            Ticket.finish([Ticket(ticket.id)])
        ticket = Ticket(ticket.id)
        self.assertEqual(application.state, 'received')
        self.assertEqual(application.ticket, ticket)
        self.assertEqual(list(ticket.applications), [application])
        self.assertEqual((ticket.wait_seconds, ticket.service_seconds,
                ticket.outcome), (420, 720, 'handled'))
        self.assertEqual(
            (ticket.wait_minutes, ticket.service_minutes), (7.0, 12.0))
        self.assertEqual(ticket.id_number_masked, '110105********002X')

    @with_transaction()
    def test_clerk_operates_windows_rostered_today(self):
        pool = Pool()
        Window = pool.get('hall.window')
        Shift = pool.get('hall.roster.shift')
        data = QueueData()
        data.open_windows()
        Shift.create([{
                    'date': dt.date(2026, 11, 23), 'period': 'full_day',
                    'hall': data.hall.id, 'window': data.a01.id,
                    'employee': data.li.id,
                    }, {
                    'date': dt.date(2026, 11, 24), 'period': 'full_day',
                    'hall': data.hall.id, 'window': data.a02.id,
                    'employee': data.li.id,
                    }])
        with at(MONDAY_10):
            data.issue(), data.issue()
            user, context = as_user(data.li_user)
            with user, context:
                with self.assertRaises(WindowOperatorError):
                    Window.call_next_ticket(data.a02.id)
                self.assertEqual(
                    Window.call_next_ticket(data.a01.id)['number'], 'A001')
                self.assertEqual(
                    Window(data.a01.id).current_ticket.clerk, data.li)
            user, context = as_user(data.zhao_user)
            with user, context:
                with self.assertRaises(WindowOperatorError):
                    Window.call_next_ticket(data.a01.id)
            user, context = as_user(data.manager)
            with user, context:
                self.assertEqual(
                    Window.call_next_ticket(data.a02.id)['number'], 'A002')

    @with_transaction()
    def test_clicks_audited_by_history_and_call_log(self):
        "A clerk's clicks are in the ticket's history, not in ir.model.log"
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        Call = pool.get('hall.ticket.call')
        Log = pool.get('ir.model.log')
        Shift = pool.get('hall.roster.shift')
        data = QueueData()
        data.open_windows()
        Shift.create([{
                    'date': dt.date(2026, 11, 23), 'period': 'full_day',
                    'hall': data.hall.id, 'window': data.a01.id,
                    'employee': data.li.id,
                    }])
        with at(MONDAY_10):
            data.issue()
            user, context = as_user(data.li_user)
            with user, context:
                called = Window.call_next_ticket(data.a01.id)
                ticket = Ticket(called['id'])
                Ticket.start([ticket])
                Ticket.finish([ticket])
        self.assertEqual(Log.search([
                    ('resource', 'like', 'hall.ticket,%'),
                    ]), [])
        [call] = Call.search([('ticket', '=', ticket.id)])
        self.assertEqual((call.clerk, call.window), (data.li, data.a01))
        cursor = Transaction().connection.cursor()
        history = Ticket.__table_history__()
        cursor.execute(*history.select(
                history.state, history.write_uid,
                where=history.id == ticket.id,
                order_by=Column(history, '__id').asc))
        rows = cursor.fetchall()
        self.assertEqual([r[0] for r in rows],
            ['waiting', 'called', 'serving', 'done'])
        self.assertEqual({r[1] for r in rows[1:]}, {data.li_user.id})

    @with_transaction()
    def test_roles_on_tickets(self):
        "The leader reads; nobody deletes a ticket"
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Queue = pool.get('hall.queue')
        data = QueueData()
        with at(MONDAY_10):
            ticket = data.issue()
        for user in [data.leader, data.li_user]:
            with self.subTest(user=user.login):
                set_user, context = as_user(user)
                with set_user, context:
                    self.assertEqual(Ticket.search([]), [ticket])
                    with self.assertRaises(AccessError):
                        Queue.write([data.queue_a], {'name': "x"})
        set_user, context = as_user(data.leader)
        with set_user, context, self.assertRaises(AccessError):
            Ticket.write([ticket], {'note': "x"})
        set_user, context = as_user(data.manager)
        with set_user, context, self.assertRaises(UserError):
            Ticket.delete([ticket])

    @with_transaction()
    def test_expire_unserved(self):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Window = pool.get('hall.window')
        data = QueueData()
        data.open_windows()
        with at(MONDAY_10):
            served = data.issue()
            waiting = data.issue()
            called = data.issue(data.queue_b)
            Window.call_next([data.a01])
            Ticket.start([Window(data.a01.id).current_ticket])
            Window.call_next([data.a02])
        with at(MONDAY_10 + dt.timedelta(hours=2)):
            Ticket.expire_unserved()
            self.assertEqual(Ticket(waiting.id).state, 'waiting')
        with at(MONDAY_10 + dt.timedelta(hours=7, minutes=1)):
            Ticket.expire_unserved()
        self.assertEqual(
            [Ticket(t.id).state for t in [waiting, called, served]],
            ['expired', 'expired', 'serving'])

    @with_transaction()
    def test_appointment(self):
        pool = Pool()
        Slot = pool.get('hall.queue.slot')
        Appointment = pool.get('hall.appointment')
        Window = pool.get('hall.window')
        data = QueueData()
        data.open_windows(data.a01)
        slot, = Slot.create([{
                    'queue': data.queue_a.id, 'date': dt.date(2026, 11, 23),
                    'start_time': dt.time(11, 0), 'end_time': dt.time(11, 30),
                    'capacity': 2}])
        with at(MONDAY_10 - dt.timedelta(days=1)):
            first, second = Appointment.create([
                    {'slot': slot.id, 'id_number': '11010519491231002X'},
                    {'slot': slot.id, 'mobile': '138 1234 5678'}])
            with self.assertRaises(AppointmentError):
                Appointment.create([{'slot': slot.id,
                            'mobile': '13912345678'}])
            with self.assertRaises(AppointmentError):
                Appointment.create([{'slot': slot.id}])
        self.assertEqual(Slot(slot.id).booked, 2)
        self.assertEqual(second.mobile, '13812345678')
        self.assertEqual(len(first.code), 8)
        # 10:00: too late to cancel (2 hours before), too early to check in
        with at(MONDAY_10):
            with self.assertRaises(AppointmentError):
                Appointment.cancel([second])
            with self.assertRaises(AppointmentError):
                first.check_in_now()
            walk_in = data.issue()
        with at(MONDAY_10 + 40 * MINUTE):
            ticket = Appointment(first.id).check_in_now()
            self.assertEqual(
                Window.call_next_ticket(data.a01.id)['number'],
                ticket.number)
        self.assertEqual(ticket.priority, 'appointment')
        self.assertEqual(Appointment(first.id).state, 'checked_in')
        self.assertEqual(walk_in.number, 'A001')
        with at(MONDAY_10 + 76 * MINUTE):
            with self.assertRaises(AppointmentError):
                Appointment(second.id).check_in_now()
            Appointment.mark_missed()
        self.assertEqual(Appointment(second.id).state, 'missed')

    @with_transaction()
    def test_appointment_cancel_frees_place(self):
        pool = Pool()
        Slot = pool.get('hall.queue.slot')
        Appointment = pool.get('hall.appointment')
        data = QueueData()
        slot, = Slot.create([{
                    'queue': data.queue_a.id, 'date': dt.date(2026, 11, 24),
                    'start_time': dt.time(9, 0), 'end_time': dt.time(9, 30),
                    'capacity': 1}])
        with at(MONDAY_10):
            appointment, = Appointment.create([
                    {'slot': slot.id, 'mobile': '13812345678'}])
            Appointment.cancel([appointment])
            Appointment.create([{'slot': slot.id, 'mobile': '13912345678'}])
        self.assertEqual(Slot(slot.id).booked, 1)
        with self.assertRaises(UserError):
            Slot.write([slot], {'capacity': 0})

    @with_transaction()
    def test_ticket_personal_data_by_role(self):
        """The clerk serving a ticket reads its ID number and mobile, every
        other role reads them masked, in forms, exports and searches; no
        back-office role reads the status token; a transfer keeps them"""
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        Shift = pool.get('hall.roster.shift')
        Date = pool.get('ir.date')
        self.enterContext(patch.object(
                Date, 'today', return_value=dt.date(2026, 11, 23)))
        data = QueueData()
        data.open_windows()
        Shift.create([{
                    'date': dt.date(2026, 11, 23), 'period': 'full_day',
                    'hall': data.hall.id, 'window': data.a01.id,
                    'employee': data.li.id,
                    }])
        with at(MONDAY_10):
            served = data.issue(
                id_number='11010519491231002X', mobile='13812345678')
            waiting = data.issue(mobile='13912345678')
            user, context = as_user(data.li_user)
            with user, context:
                Window.call_next_ticket(data.a01.id)
        fields = ['id_number', 'mobile', 'id_number_masked']

        def seen(user, ticket):
            set_user, context = as_user(user)
            with set_user, context:
                row, = Ticket.read([ticket.id], fields)
                export = Ticket.export_data(
                    [Ticket(ticket.id)], ['id_number', 'mobile'])
                found = Ticket.search([('mobile', '=', ticket.mobile)])
                with self.assertRaises(AccessError):
                    Ticket.read([ticket.id], ['token'])
                return (row['id_number'], row['mobile'], export[0],
                    found == [ticket])

        self.assertEqual(seen(data.li_user, served), (
                '11010519491231002X', '13812345678',
                ['11010519491231002X', '13812345678'], True))
        for user in [data.zhao_user, data.manager, data.leader]:
            with self.subTest(user=user.login):
                self.assertEqual(seen(user, served), (
                        '110105********002X', '138****5678',
                        ['110105********002X', '138****5678'], False))
        # Li serves the ticket he called, not the one still waiting
        self.assertEqual(seen(data.li_user, waiting)[1], '139****5678')

        # the manager, who reads them masked, transfers the ticket
        with at(MONDAY_10 + MINUTE), Transaction().set_user(data.manager.id):
            new, = Ticket.transfer_to(
                [Ticket(served.id)], data.queue_b, "转个体")
        new = Ticket(new.id)
        self.assertEqual(
            (new.id_number, new.mobile), ('11010519491231002X', '13812345678'))

    @with_transaction()
    def test_appointment_personal_data(self):
        """The back office reads an appointment's ID number and mobile
        masked and never its booking code; the ticket of its check-in at
        the counter carries them as given"""
        pool = Pool()
        Slot = pool.get('hall.queue.slot')
        Appointment = pool.get('hall.appointment')
        data = QueueData()
        slot, = Slot.create([{
                    'queue': data.queue_a.id, 'date': dt.date(2026, 11, 23),
                    'start_time': dt.time(11, 0), 'end_time': dt.time(11, 30),
                    'capacity': 2}])
        with at(MONDAY_10 - dt.timedelta(days=1)):
            appointment, = Appointment.create([{
                        'slot': slot.id, 'id_number': '11010519491231002X',
                        'mobile': '13812345678'}])
        for user in [data.li_user, data.manager, data.leader]:
            with self.subTest(user=user.login):
                set_user, context = as_user(user)
                with set_user, context:
                    row, = Appointment.read([appointment.id], [
                            'id_number', 'mobile', 'rec_name'])
                    self.assertEqual(
                        (row['id_number'], row['mobile']),
                        ('110105********002X', '138****5678'))
                    self.assertNotIn(appointment.code, row['rec_name'])
                    with self.assertRaises(AccessError):
                        Appointment.read([appointment.id], ['code'])
                    with self.assertRaises(AccessError):
                        Appointment.search(
                            [('code', '=', appointment.code)])
                    self.assertEqual(Appointment.search([
                                ('id_number', '=', '11010519491231002X'),
                                ]), [])
        with at(MONDAY_10 + 40 * MINUTE):
            set_user, context = as_user(data.li_user)
            with set_user, context:
                Appointment.check_in([Appointment(appointment.id)])
        ticket = Appointment(appointment.id).ticket
        self.assertEqual(
            (ticket.id_number, ticket.mobile),
            ('11010519491231002X', '13812345678'))

    @with_transaction()
    def test_party_replace_and_erase(self):
        """Tickets and appointments follow a merged party; erasing a citizen
        clears the ID number and mobile its tickets hold, once none waits"""
        pool = Pool()
        Party = pool.get('party.party')
        Ticket = pool.get('hall.ticket')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        data = QueueData()
        duplicate, = Party.create([{'name': "张建明"}])
        with at(MONDAY_10):
            by_party = data.issue(party=duplicate.id, mobile='13812345678')
            by_number = data.issue(id_number='11010519491231002X')
        session_id, _, _ = Replace.create()
        replace = Replace(session_id)
        replace.ask.source = duplicate
        replace.ask.destination = data.citizen
        replace.transition_replace()
        self.assertEqual(
            Ticket.search([('party', '=', data.citizen.id)]), [by_party])

        Party.write([data.citizen], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = data.citizen
        with self.assertRaises(UserError):
            erase.transition_erase()
        Ticket.cancel([by_party, by_number])
        erase.transition_erase()
        self.assertEqual(
            [(r['id_number'], r['mobile']) for r in sorted(Ticket.read(
                        [by_party.id, by_number.id], ['id_number', 'mobile']),
                    key=lambda r: r['id'])],
            [(None, None), (None, None)])

    @with_transaction()
    def test_statistics(self):
        """Eleven tickets issued at 10:00, called at A01 every 7 minutes from
        10:02 and served 5 minutes each; the last one, called at 11:11, does
        not come; then a pause of 15 minutes."""
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        Day = pool.get('hall.queue.statistics.day')
        ByWindow = pool.get('hall.queue.statistics.window')
        ByHour = pool.get('hall.queue.statistics.hour')
        data = QueueData()
        data.open_windows(data.a01)
        tickets = []
        with at(MONDAY_10):
            for _ in range(11):
                tickets.append(data.issue())
        clock_at = MONDAY_10
        for i in range(10):
            clock_at = MONDAY_10 + (7 * i + 2) * MINUTE
            with at(clock_at):
                Window.call_next([data.a01])
                Window.start_ticket([data.a01])
            with at(clock_at + 5 * MINUTE):
                Ticket.finish([Window(data.a01.id).current_ticket])
        with at(clock_at + 6 * MINUTE):
            Window.call_next([data.a01])
            Ticket.no_show([Window(data.a01.id).current_ticket])
            Window.write([data.a01], {'pause_reason': "培训"})
            Window.pause([data.a01])
        with at(clock_at + 21 * MINUTE):
            Window.open([data.a01])
        with Transaction().set_context(company=data.company.id,
                from_date=dt.date(2026, 11, 23),
                to_date=dt.date(2026, 11, 23)):
            day, = Day.search([])
            window, = ByWindow.search([])
            hour, = ByHour.search([])
        self.assertEqual((day.issued, day.served, day.no_show), (11, 10, 1))
        self.assertEqual(hour.hour, 10)
        # waits 2, 9, 16, … 65 and 71 minutes: the 90th percentile is the
        # 10th of 11 (nearest rank: ceil(0.9 × 11) = 10)
        self.assertAlmostEqual(day.average_wait, (7 * 45 + 2 * 10 + 71) / 11)
        self.assertAlmostEqual(day.p90_wait, 65)
        self.assertAlmostEqual(day.average_service, 5)
        self.assertAlmostEqual(window.idle, 15)

        # the tickets of a hall count for its company only
        other = create_company(name="另一个单位")
        with Transaction().set_context(company=other.id,
                hall=data.hall.id, from_date=dt.date(2026, 11, 23),
                to_date=dt.date(2026, 11, 23)):
            self.assertEqual(Day.search([]), [])

    # --- reception at the window ---------------------------------------------

    def serving(self, data, **values):
        """Li, rostered at A01 today, calls and starts a ticket issued with
        `values`"""
        pool = Pool()
        Window = pool.get('hall.window')
        Shift = pool.get('hall.roster.shift')
        Date = pool.get('ir.date')
        self.enterContext(patch.object(
                Date, 'today', return_value=dt.date(2026, 11, 23)))
        self.enterContext(at(MONDAY_10))
        data.open_windows(data.a01)
        Shift.create([{
                    'date': dt.date(2026, 11, 23), 'period': 'full_day',
                    'hall': data.hall.id, 'window': data.a01.id,
                    'employee': data.li.id,
                    }])
        ticket = data.issue(**values)
        Window.call_next([data.a01])
        Window.start_ticket([data.a01])
        return ticket

    def receive(self, data, user, steps, record=None):
        """Run the receive wizard of window A01 (or of `record`) as `user`:
        its first view, then each (state, values of the view shown) of
        `steps`.  Return the views shown and the actions"""
        Receive = Pool().get('hall.ticket.receive_application', type='wizard')
        record = record or data.a01
        set_user, context = as_user(user)
        views, actions = [], []
        # as the RPC layer runs a wizard: its code checks the access itself
        with set_user, context, Transaction().set_context(
                _check_access=False,
                active_model=record.__name__, active_id=record.id,
                active_ids=[record.id]):
            session_id, start, _ = Receive.create()
            result = Receive.execute(session_id, {}, start)
            for state, values in [(None, None)] + list(steps):
                if state:
                    shown = result['view']
                    defaults = {k: v for k, v in shown['defaults'].items()
                        if '.' not in k}
                    data_ = {shown['state']: {**defaults, **values}}
                    result = Receive.execute(session_id, data_, state)
                if 'view' in result:
                    views.append((result['view']['state'],
                            result['view']['defaults']))
                actions.extend(result.get('actions', []))
        return views, actions

    def received(self):
        Application = Pool().get('hall.application')
        return Application.search([])

    @with_transaction()
    def test_receive_applicant_by_id_number(self):
        "The applicant is found from the ticket's ID number, the service"
        " proposed from its queue: the clerk only confirms"
        data = QueueData()
        ticket = self.serving(data, id_number='11010519491231002X')
        views, actions = self.receive(data, data.li_user, [('receive', {})])
        (state, defaults), = views
        self.assertEqual((state, defaults['applicant'], defaults['service'],
                defaults['services']),
            ('application', data.citizen.id, data.licence.id,
                [data.licence.id]))
        application, = self.received()
        self.assertEqual(
            (application.state, application.applicant, application.service,
                application.ticket),
            ('received', data.citizen, data.licence, ticket))
        self.assertEqual(actions[0][1], {'res_id': [application.id]})
        # the manager, who reads the ticket's ID number masked, is proposed
        # the applicant the server finds with it
        views, _ = self.receive(data, data.manager, [])
        self.assertEqual([(s, d['applicant']) for s, d in views],
            [('application', data.citizen.id)])

    @with_transaction()
    def test_receive_applicant_by_mobile(self):
        "Without ID number, the only party with the ticket's mobile"
        pool = Pool()
        Party = pool.get('party.party')
        data = QueueData()
        Party.write([data.citizen], {'contact_mechanisms': [('create', [{
                            'type': 'mobile', 'value': '+8613812345678'}])]})
        self.serving(data, mobile='138 1234 5678')
        views, _ = self.receive(data, data.li_user, [])
        self.assertEqual(
            [(s, d['applicant']) for s, d in views],
            [('application', data.citizen.id)])

        # a mobile two parties share names nobody
        Party.create([{'name': "张建明之子", 'contact_mechanisms': [
                        ('create', [{
                                    'type': 'phone',
                                    'value': '+86 138 1234 5678'}])]}])
        views, _ = self.receive(data, data.li_user, [])
        (state, defaults), = views
        self.assertEqual((state, defaults['mobile'], defaults['kind']),
            ('new_applicant', '13812345678', 'citizen'))

    @with_transaction()
    def test_receive_new_citizen(self):
        """A citizen the hall does not know is created in the wizard with a
        typed resident ID number and the mobile of the ticket"""
        pool = Pool()
        Party = pool.get('party.party')
        data = QueueData()
        self.serving(
            data, id_number='33010619850615002X', mobile='13912345678')
        views, _ = self.receive(data, data.li_user, [
                ('create_applicant', {'citizen_name': "陈晓"})])
        (state, defaults), = views
        self.assertEqual(
            (state, defaults['id_number'], defaults['mobile'],
                defaults['service']),
            ('new_applicant', '33010619850615002X', '13912345678',
                data.licence.id))
        application, = self.received()
        party = application.applicant
        self.assertEqual(party.name, "陈晓")
        self.assertEqual(
            [(i.type, i.code) for i in party.identifiers],
            [('cn_ric', '33010619850615002X')])
        self.assertEqual(
            [(c.type, c.value_compact) for c in party.contact_mechanisms],
            [('mobile', '+8613912345678')])
        self.assertEqual(application.state, 'received')
        self.assertEqual(Party.search_count([('name', '=', "陈晓")]), 1)

    @with_transaction()
    def test_receive_new_enterprise(self):
        "An enterprise is created with its typed credit code and contact"
        data = QueueData()
        self.serving(data)
        self.receive(data, data.li_user, [
                ('create_applicant', {
                        'kind': 'enterprise',
                        'enterprise_name': "上海某某食品有限公司",
                        'uscc': '91110108 551385082q',
                        'contact_name': "王经理",
                        'phone': '021-62345678',
                        })])
        application, = self.received()
        party = application.applicant
        self.assertEqual(party.name, "上海某某食品有限公司")
        self.assertEqual(
            [(i.type, i.code) for i in party.identifiers],
            [('cn_vat', '91110108551385082Q')])
        self.assertEqual(
            [(c.type, c.name, c.value_compact)
                for c in party.contact_mechanisms],
            [('phone', "王经理", '+862162345678')])
        self.assertEqual(application.applicant_code, '91110108551385082Q')

    @with_transaction()
    def test_receive_invalid_numbers_refused(self):
        """A wrong resident ID number, credit code or mobile is refused in
        Chinese and nothing is created"""
        pool = Pool()
        Party = pool.get('party.party')
        data = QueueData()
        self.serving(data)
        make_chinese()
        parties = Party.search_count([])
        cases = [
            ({'citizen_name': "陈晓", 'id_number': '330106198506150021'},
                "居民身份证号码“330106198506150021”无效"),
            ({'citizen_name': "陈晓", 'id_number': '33010619850615002X',
                    'mobile': '1391234567'},
                "手机号码“1391234567”无效"),
            ({'kind': 'enterprise', 'enterprise_name': "某公司",
                    'uscc': '91110108551385082A'},
                "统一社会信用代码“91110108551385082A”无效"),
            ({'kind': 'enterprise', 'enterprise_name': "某公司",
                    'uscc': '91110108551385082Q', 'contact_name': "王经理"},
                "请填写联系人“王经理”的电话"),
            ({'kind': 'enterprise', 'enterprise_name': "某公司",
                    'uscc': '91110108551385082Q', 'phone': "12345"},
                "电话“12345”无效"),
            ]
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRaises(ApplicantError) as cm:
                    self.receive(data, data.li_user,
                        [('create_applicant', values)])
                self.assertIn(message, cm.exception.message)
        with self.assertRaises(UserError):
            self.receive(data, data.li_user, [('create_applicant', {
                            'kind': 'robot', 'citizen_name': "陈晓",
                            'id_number': '33010619850615002X'})])
        self.assertEqual(Party.search_count([]), parties)
        self.assertEqual(self.received(), [])

    @with_transaction()
    def test_receive_existing_identifier_reused(self):
        "A typed ID number or credit code a party has already names it"
        pool = Pool()
        Party = pool.get('party.party')
        data = QueueData()
        company, = Party.create([{'name': "某某公司", 'identifiers': [
                        ('create', [{
                                    'type': 'cn_vat',
                                    'code': '91110108551385082Q'}])]}])
        self.serving(data, mobile='13912345678')
        parties = Party.search_count([])
        self.receive(data, data.li_user, [
                ('create_applicant', {
                        'citizen_name': "张建明",
                        'id_number': '11010519491231002x'})])
        self.receive(data, data.li_user, [
                ('create_applicant', {
                        'kind': 'enterprise', 'enterprise_name': "改了名",
                        'uscc': '91110108551385082Q'})])
        self.assertEqual(Party.search_count([]), parties)
        self.assertEqual(
            [a.applicant for a in sorted(self.received(), key=lambda a: a.id)],
            [data.citizen, company])

    @with_transaction()
    def test_receive_personal_data_and_roles(self):
        """The manager, who reads the ticket's numbers masked, is shown them
        masked and may not make a citizen of them; a role that does not
        operate the window cannot open the wizard"""
        pool = Pool()
        Party = pool.get('party.party')
        data = QueueData()
        self.serving(
            data, id_number='33010619850615002X', mobile='13912345678')
        parties = Party.search_count([])
        views, _ = self.receive(data, data.manager, [])
        (state, defaults), = views
        self.assertEqual(
            (state, defaults['id_number'], defaults['mobile']),
            ('new_applicant', '330106********002X', '139****5678'))
        for user in [data.leader, data.zhao_user]:
            with self.subTest(user=user.login):
                with self.assertRaises((AccessError, UserError)):
                    self.receive(data, user, [])
        self.assertEqual(Party.search_count([]), parties)
        self.assertEqual(self.received(), [])
        # refused as the generic party form refuses it (the request's
        # transaction is rolled back)
        with self.assertRaises(AccessError):
            self.receive(data, data.manager, [
                    ('create_applicant', {'citizen_name': "陈晓"})])

    @with_transaction()
    def test_receive_needs_party_create_access(self):
        "The wizard creates an applicant with the access rights of the user"
        pool = Pool()
        Access = pool.get('ir.model.access')
        Party = pool.get('party.party')
        ModelData = pool.get('ir.model.data')
        data = QueueData()
        self.serving(data, id_number='33010619850615002X')
        accesses = Access.search([
                ('model', '=', 'party.party'),
                ('group', '=', ModelData.get_id('hall', 'group_window_clerk')),
                ])
        self.assertTrue(accesses)
        with Transaction().set_user(0):
            Access.write(accesses, {'perm_create': False})
        parties = Party.search_count([])
        with self.assertRaises(AccessError):
            self.receive(data, data.li_user, [
                    ('create_applicant', {'citizen_name': "陈晓"})])
        self.assertEqual(Party.search_count([]), parties)

    @with_transaction()
    def test_receive_from_ticket(self):
        """The ticket's own 收件 runs the same wizard; a ticket not in
        service is refused"""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        data = QueueData()
        ticket = self.serving(data, id_number='11010519491231002X')
        waiting = data.issue()
        with self.assertRaises(CallError):
            self.receive(data, data.li_user, [], record=Ticket(waiting.id))
        views, _ = self.receive(data, data.li_user, [('receive', {})],
            record=Ticket(ticket.id))
        self.assertEqual([(s, d['applicant']) for s, d in views],
            [('application', data.citizen.id)])
        application, = self.received()
        self.assertEqual(application.ticket, ticket)

    @with_transaction()
    def test_receive_service_of_queue_only(self):
        "A service outside the ticket's queue is refused"
        data = QueueData()
        self.serving(data, id_number='11010519491231002X')
        with self.assertRaises(ApplicantError):
            self.receive(data, data.li_user, [
                    ('receive', {'service': data.registration.id})])
        self.assertEqual(self.received(), [])


del ModuleTestCase
