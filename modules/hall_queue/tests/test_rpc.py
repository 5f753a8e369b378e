# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A window clerk's day over plain JSON-RPC, as sao sends it: call the next
ticket, transfer it through the wizard, and what the server refuses: the
workflow's fields of tickets and appointments, as each role that writes
them, and bad input, in Chinese and changing nothing."""
import datetime as dt

from trytond.modules.hall.tests.tools import RPCTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .tools import MONDAY_10, QueueData, at

WINDOW = 'model.hall.window'
TRANSFER = 'wizard.hall.ticket.transfer'
TICKET = 'model.hall.ticket'
APPOINTMENT = 'model.hall.appointment'
SLOT = 'model.hall.queue.slot'
QUEUE = 'model.hall.queue'
# The next day and the day after: the records of the workflow tests, apart
# from Monday's queue that test_call_and_transfer calls
TUESDAY_10 = MONDAY_10 + dt.timedelta(days=1)
WEDNESDAY = dt.date(2026, 11, 25)


class HallQueueRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the queue over JSON-RPC"
    module = 'hall_queue'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Shift = pool.get('hall.roster.shift')
        data = QueueData()
        data.open_windows()
        # 李强 at A01 on Monday; 赵敏 at A02
        Shift.create([{
                    'date': dt.date(2026, 11, 23), 'period': 'full_day',
                    'hall': data.hall.id, 'window': window.id,
                    'employee': employee.id,
                    } for window, employee in [
                    (data.a01, data.li), (data.a02, data.zhao)]])
        with at(MONDAY_10):
            data.issue(), data.issue()
        cls.ids = {
            'a01': data.a01.id,
            'a02': data.a02.id,
            'queue_b': data.queue_b.id,
            }
        cls.ids.update(cls.create_workflow_data(data))
        cls.li = cls.session(data.li_user)
        cls.zhao = cls.session(data.zhao_user)
        cls.manager = cls.session(data.manager)

    @classmethod
    def create_workflow_data(cls, data):
        """Tickets of Tuesday (one waiting, one served to the end at A01)
        and appointments of Wednesday (one booked, one cancelled), through
        the model's own methods"""
        pool = Pool()
        Window = pool.get('hall.window')
        Ticket = pool.get('hall.ticket')
        Slot = pool.get('hall.queue.slot')
        Appointment = pool.get('hall.appointment')
        with at(TUESDAY_10):
            served = data.issue(mobile='13812345678')
        with at(TUESDAY_10 + dt.timedelta(minutes=1)):
            waiting = data.issue(
                id_number='11010519491231002X', mobile='13912345678')
        with at(TUESDAY_10 + dt.timedelta(minutes=5)):
            called = Window.call_next_ticket(data.a01.id)
            assert called['id'] == served.id, called
            Ticket.start([served])
        with at(TUESDAY_10 + dt.timedelta(minutes=15)):
            Ticket.finish([served])
        slot, = Slot.create([{
                    'queue': data.queue_a.id, 'date': WEDNESDAY,
                    'start_time': dt.time(11, 0), 'end_time': dt.time(11, 30),
                    'capacity': 3}])
        with at(MONDAY_10):
            booked, cancelled = Appointment.create([
                    {'slot': slot.id, 'id_number': '11010519491231002X'},
                    {'slot': slot.id, 'mobile': '13812345678'}])
            Appointment.cancel([cancelled])
        assert Ticket(served.id).state == 'done'
        assert Appointment(cancelled.id).state == 'cancelled'
        return {
            'waiting': waiting.id,
            'done': served.id,
            'booked': booked.id,
            'cancelled': cancelled.id,
            'slot': slot.id,
            'queue_a': data.queue_a.id,
            }

    def test_call_and_transfer(self):
        """The clerk calls A001 at A01 and transfers it to queue B through
        the wizard: the new ticket is the first of B that day, whose number
        counter the clerk has no access to"""
        with at(MONDAY_10 + dt.timedelta(minutes=5)):
            called = self.assertRPC(self.li,
                f'{WINDOW}.call_next_ticket', self.ids['a01'])
            self.assertEqual(called['number'], 'A001')
            context = {
                'active_model': 'hall.ticket',
                'active_id': called['id'],
                'active_ids': [called['id']],
                }
            values = {'queue': self.ids['queue_b'], 'reason': "转个体登记"}
            # 赵敏 does not operate A01: she cannot transfer its ticket
            wizard_id, start, _ = self.assertRPC(self.zhao,
                f'{TRANSFER}.create')
            message = self.assertRefused(self.zhao, f'{TRANSFER}.execute',
                wizard_id, {start: values}, 'transfer', context=context)
            self.assertIn('A01', message)
            ticket, = self.read('hall.ticket', [called['id']], ['state'])
            self.assertEqual(ticket['state'], 'called')

            wizard_id, start, _ = self.assertRPC(self.li,
                f'{TRANSFER}.create')
            self.assertRPC(self.li, f'{TRANSFER}.execute',
                wizard_id, {}, start, context=context)
            result = self.assertRPC(self.li, f'{TRANSFER}.execute',
                wizard_id, {start: values}, 'transfer', context=context)
            self.assertRPC(self.li, f'{TRANSFER}.delete', wizard_id)
        new_id, = result['actions'][0][1]['res_id']
        moved, = self.read('hall.ticket', [called['id']], ['state'])
        new, = self.read('hall.ticket', [new_id],
            ['number', 'transferred_from', 'state'])
        self.assertEqual(moved['state'], 'transferred')
        self.assertEqual(
            (new['number'], new['transferred_from'], new['state']),
            ('B001', called['id'], 'waiting'))

    def test_owned_fields_refused(self):
        """Each field the code of tickets and appointments owns is refused
        to each role that writes them (窗口人员, 大厅管理员), in a first and
        a later state; and the slot's count of bookings to the manager"""
        tried = 0
        for session in [self.li, self.manager]:
            for model, records in [
                    ('hall.ticket', ['waiting', 'done']),
                    ('hall.appointment', ['booked', 'cancelled']),
                    ]:
                for record in records:
                    tried += self.assertOwnedRefused(
                        session, model, self.ids[record])
        tried += self.assertOwnedRefused(
            self.manager, 'hall.queue.slot', self.ids['slot'])
        # 2 roles × (2 tickets × 6 + 2 appointments × 11) + the slot's 6
        self.assertGreaterEqual(tried, 70)

    def stored(self):
        "What the bad input must leave as it is"
        ticket_fields = ['state', 'note', 'mobile', 'id_number', 'service',
            'party', 'outcome', 'window', 'started_at', 'finished_at']
        return (
            self.read_all('hall.ticket', ['id']),
            self.read('hall.ticket',
                [self.ids['waiting'], self.ids['done']], ticket_fields),
            self.read_all('hall.appointment', ['id', 'state', 'mobile']),
            self.read('hall.queue.slot', [self.ids['slot']], [
                    'capacity', 'booked', 'date', 'start_time',
                    'end_time']),
            self.read('hall.queue', [self.ids['queue_b']], [
                    'prefix', 'name', 'daily_cap', 'open_time',
                    'close_time']),
            self.read('hall.window', [self.ids['a01'], self.ids['a02']], [
                    'state', 'current_ticket']),
            )

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        waiting, done = self.ids['waiting'], self.ids['done']
        booked, slot = self.ids['booked'], self.ids['slot']
        queue_b = self.ids['queue_b']
        appointment = {'slot': slot, 'mobile': '13712345678'}
        transfer = {
            'active_model': 'hall.ticket',
            'active_id': waiting,
            'active_ids': [waiting],
            }
        bad = [
            # wrong kinds, texts too long
            (self.manager, f'{TICKET}.write', [waiting],
                {'note': "长" * 100000}),
            (self.manager, f'{TICKET}.write', [waiting], {'note': ["列表"]}),
            (self.manager, f'{TICKET}.write', [waiting],
                {'service': 'SC-001'}),
            # ids that do not exist
            (self.manager, f'{TICKET}.write', [waiting],
                {'service': 10 ** 20}),
            (self.manager, f'{TICKET}.write', [waiting], {'party': 999999}),
            (self.manager, f'{TICKET}.start', [999999]),
            (self.li, f'{WINDOW}.call_next_ticket', 10 ** 20),
            (self.li, f'{WINDOW}.call_next_ticket', "A01"),
            # a mobile and an ID number that are none
            (self.manager, f'{TICKET}.write', [waiting],
                {'mobile': '12345'}),
            (self.manager, f'{TICKET}.write', [waiting],
                {'id_number': '110105194912310021'}),
            # a value outside the selection, a field readonly when done
            (self.manager, f'{TICKET}.write', [done],
                {'outcome': 'teleport'}),
            # buttons: an argument more, a state the button does not take
            (self.manager, f'{TICKET}.start', [waiting], '2099-01-01'),
            (self.manager, f'{TICKET}.finish', [waiting]),
            (self.manager, f'{APPOINTMENT}.cancel', [booked], True),
            # appointments: no slot, no identity, a bad mobile, a slot past
            (self.manager, f'{APPOINTMENT}.create',
                [{**appointment, 'slot': 999999}]),
            (self.manager, f'{APPOINTMENT}.create', [{'slot': slot}]),
            (self.manager, f'{APPOINTMENT}.create',
                [{**appointment, 'mobile': "手机号"}]),
            (self.manager, f'{APPOINTMENT}.create', [appointment]),
            (self.manager, f'{APPOINTMENT}.create', ["预约"]),
            (self.li, f'{APPOINTMENT}.write', [booked],
                {'mobile': '13900000000'}),
            # slots: a negative capacity, times out of order, a bad date
            (self.manager, f'{SLOT}.write', [slot], {'capacity': -3}),
            (self.manager, f'{SLOT}.write', [slot],
                {'end_time': dt.time(10, 0)}),
            (self.manager, f'{SLOT}.write', [slot], {'date': "明天"}),
            # queues: a negative cap, two letters, hours out of order
            (self.manager, f'{QUEUE}.write', [queue_b], {'daily_cap': -5}),
            (self.manager, f'{QUEUE}.write', [queue_b], {'prefix': 'BB'}),
            (self.manager, f'{QUEUE}.write', [queue_b],
                {'open_time': dt.time(18, 0)}),
            (self.manager, f'{QUEUE}.write', [queue_b],
                {'daily_cap': 10 ** 30}),
            ]
        before = self.stored()
        self.assertGreaterEqual(len(before[0]), 4)
        refused = 0
        with at(TUESDAY_10 + dt.timedelta(minutes=30)):
            for session, method, *params in bad:
                with self.subTest(method=method, params=params):
                    self.assertRefused(session, method, *params)
                    refused += 1
            # the transfer wizard to a queue that does not exist
            wizard_id, start, _ = self.assertRPC(self.manager,
                f'{TRANSFER}.create')
            for queue in [10 ** 20, 999999, "B"]:
                with self.subTest(transfer=queue):
                    self.assertRefused(self.manager, f'{TRANSFER}.execute',
                        wizard_id, {start: {'queue': queue, 'reason': "转"}},
                        'transfer', context=transfer)
                    refused += 1
            self.assertRPC(self.manager, f'{TRANSFER}.delete', wizard_id)
        self.assertEqual(self.stored(), before)
        self.assertEqual(refused, 30)

    def test_wizard_values_as_sao_sends(self):
        """The values sao sends for a wizard's form (its lists as records,
        the form's id) are accepted: here to leave the form"""
        with at(TUESDAY_10 + dt.timedelta(minutes=30)):
            for wizard, context, values in [
                    ('wizard.hall.window.call_ticket', {
                            'active_model': 'hall.window',
                            'active_id': self.ids['a02'],
                            'active_ids': [self.ids['a02']],
                            }, {
                            'id': -1, 'window': self.ids['a02'],
                            'queues': [
                                {'id': self.ids['queue_a']},
                                {'id': self.ids['queue_b']}],
                            'date': dt.date(2026, 11, 24),
                            'ticket': None, 'reason': None,
                            }),
                    (TRANSFER, {
                            'active_model': 'hall.ticket',
                            'active_id': self.ids['waiting'],
                            'active_ids': [self.ids['waiting']],
                            }, {
                            'id': -1, 'queue': self.ids['queue_b'],
                            'reason': "转个体登记",
                            }),
                    ]:
                with self.subTest(wizard=wizard):
                    wizard_id, start, _ = self.assertRPC(self.manager,
                        f'{wizard}.create')
                    self.assertRPC(self.manager, f'{wizard}.execute',
                        wizard_id, {start: values}, 'end', context=context)
                    self.assertRPC(self.manager, f'{wizard}.delete',
                        wizard_id)
        ticket, = self.read('hall.ticket', [self.ids['waiting']], ['state'])
        self.assertEqual(ticket['state'], 'waiting')
