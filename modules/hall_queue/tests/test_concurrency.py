# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Windows calling and citizens booking at the same instant, in real
parallel transactions on PostgreSQL."""
import datetime as dt
import unittest

from trytond import backend
from trytond.modules.hall.tests.tools import run_committed
from trytond.modules.hall_queue.exceptions import AppointmentError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db

from .tools import MONDAY_10, QueueData, at, in_parallel

WINDOWS = 50


@unittest.skipUnless(backend.name == 'postgresql',
    "row locks are tested on PostgreSQL")
class ConcurrencyTestCase(unittest.TestCase):
    "Fifty windows call at once; two citizens take the last place"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['hall_queue'])

        def setup():
            pool = Pool()
            Window = pool.get('hall.window')
            QueueWindow = pool.get('hall.queue.window')
            Slot = pool.get('hall.queue.slot')
            data = QueueData()
            windows = Window.create([{
                        'hall': data.hall.id, 'number': f'W{i:02d}',
                        } for i in range(WINDOWS)])
            QueueWindow.create([{
                        'queue': data.queue_a.id, 'window': w.id,
                        } for w in windows])
            Window.open(windows)
            slot, = Slot.create([{
                        'queue': data.queue_a.id,
                        'date': dt.date(2026, 11, 24),
                        'start_time': dt.time(9, 0),
                        'end_time': dt.time(9, 30),
                        'capacity': 1}])
            return data.queue_a.id, [w.id for w in windows], slot.id
        cls.queue_id, cls.window_ids, cls.slot_id = run_committed(setup)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def test_windows_calling_at_once_get_different_tickets(self):
        def setup():
            pool = Pool()
            Ticket = pool.get('hall.ticket')
            queue = pool.get('hall.queue')(self.queue_id)
            for i in range(WINDOWS + 10):
                Ticket.issue(queue, 'kiosk',
                    priority='priority' if i % 7 == 0 else 'normal')

        def call(window_id):
            Window = Pool(DB_NAME).get('hall.window')
            return run_committed(Window.call_next_ticket, window_id)

        with at(MONDAY_10):
            run_committed(setup)
            results, errors = in_parallel(call, self.window_ids)

        self.assertEqual(errors, [])
        self.assertEqual(len(results), WINDOWS)
        tickets = [r['id'] for r in results.values()]
        self.assertNotIn(None, tickets)
        self.assertEqual(len(set(tickets)), WINDOWS)

        def check():
            pool = Pool()
            Ticket = pool.get('hall.ticket')
            Call = pool.get('hall.ticket.call')
            called = Ticket.search([('state', '=', 'called')])
            self.assertEqual(sorted(t.id for t in called), sorted(tickets))
            self.assertEqual(len({t.window for t in called}), WINDOWS)
            self.assertEqual(Call.search_count([]), WINDOWS)
            # the ten left are the last issued normal ones
            waiting = Ticket.search([('state', '=', 'waiting')])
            self.assertEqual(len(waiting), 10)
            self.assertEqual({t.priority for t in waiting}, {'normal'})
        run_committed(check)

    def test_full_slot_refuses_the_extra_booking(self):
        slot_id = self.slot_id

        def book(mobile):
            Appointment = Pool(DB_NAME).get('hall.appointment')
            try:
                return run_committed(Appointment.create,
                    [{'slot': slot_id, 'mobile': mobile}])[0].id
            except AppointmentError as error:
                return error.message

        with at(MONDAY_10):
            results, errors = in_parallel(
                book, ['13812345678', '13912345678'])

        self.assertEqual(errors, [])
        booked = [r for r in results.values() if isinstance(r, int)]
        refused = [r for r in results.values() if isinstance(r, str)]
        self.assertEqual((len(booked), len(refused)), (1, 1), results)
        self.assertIn("2026-11-24 09:00-09:30", refused[0])

        def check():
            pool = Pool()
            Slot = pool.get('hall.queue.slot')
            Appointment = pool.get('hall.appointment')
            self.assertEqual(Slot(slot_id).booked, 1)
            self.assertEqual(
                [a.id for a in Appointment.search([])], booked)
        run_committed(check)
