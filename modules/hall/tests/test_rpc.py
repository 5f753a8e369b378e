# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflow of applications against plain JSON-RPC
calls (hall.model.ServerReadonlyMixin): what sao would not send is refused,
as each role, and the record is unchanged."""
import datetime as dt
import threading
import time

from trytond import backend
from trytond.modules.hall.tests.tools import (
    HallData, RPCTestMixin, shared_database)
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase
from trytond.transaction import Transaction

APPLICATION = 'model.hall.application'


class HallRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the hall rules over JSON-RPC"
    module = 'hall'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Application = pool.get('hall.application')
        data = HallData()
        # 王丽 receives and accepts at A01; 李强 receives a draft there
        accepted = data.application(clerk=data.wang.id)
        Application.receive([accepted])
        Application.accept([accepted])
        draft = data.application()
        pool.get('hall.window').open([data.a02])
        cls.ids = {
            'accepted': accepted.id,
            'draft': draft.id,
            'a01': data.a01.id,
            'a02': data.a02.id,
            'citizen': data.citizen.id,
            }
        cls.wang = cls.session(data.wang_user)
        cls.manager = cls.session(data.manager)
        cls.leader = cls.session(data.leader)

    def stored(self, id_, *names):
        names = names or ('state', 'actual_days', 'completed_date',
            'accepted_date', 'number', 'window', 'visits')
        record, = self.read('hall.application', [id_], list(names))
        return record

    def test_state_only_through_transitions(self):
        "Writing the state or the fields a transition stamps is refused"
        accepted = self.ids['accepted']
        before = self.stored(accepted)
        for values in [
                {'state': 'completed', 'actual_days': -5},
                {'state': 'completed'},
                {'actual_days': 3},
                {'completed_date': dt.date(2025, 9, 30)},
                {'accepted_date': dt.date(2099, 1, 1)},
                {'number': 'BJ-0001'},
                {'visits': -5},
                ]:
            for session in [self.wang, self.manager]:
                with self.subTest(values=values, user=session[0]):
                    message = self.assertRefused(session,
                        f'{APPLICATION}.write', [accepted], values)
                    self.assertIn('不能', message)
        self.assertEqual(self.stored(accepted), before)

    def test_owned_fields_refused(self):
        "Each field the application's code owns is refused to each writer"
        tried = 0
        for session in [self.wang, self.manager]:
            for record in [self.ids['accepted'], self.ids['draft']]:
                tried += self.assertOwnedRefused(
                    session, 'hall.application', record)
        # the closed A01 and the open A02
        for session in [self.wang, self.manager]:
            for window in [self.ids['a01'], self.ids['a02']]:
                tried += self.assertOwnedRefused(
                    session, 'hall.window', window)
        self.assertGreater(tried, 90)

    def test_absurd_ids(self):
        """Ids no client sends (past 2**63, negative, of another kind, of no
        record), numbers past the database's in a search and conditions
        nested deeper than a client builds are refused in Chinese in every
        call, before the database fails on them; nothing changes"""
        accepted = self.ids['accepted']
        before = (self.count('hall.application'), self.stored(accepted))
        nested = [('id', '>', 0)]
        for _ in range(200):
            nested = ['OR', nested, ('id', '=', 1)]
        calls = [
            (f'{APPLICATION}.read', [10 ** 20], ['state']),
            (f'{APPLICATION}.read', [-1], ['state']),
            (f'{APPLICATION}.read', ['BJ-0001'], ['state']),
            (f'{APPLICATION}.read', accepted, ['state']),
            (f'{APPLICATION}.delete', [10 ** 20]),
            (f'{APPLICATION}.delete', [987654321]),
            (f'{APPLICATION}.write', [10 ** 20], {}),
            (f'{APPLICATION}.write', [987654321], {'visits': 1}),
            (f'{APPLICATION}.copy', [10 ** 20], {}),
            (f'{APPLICATION}.withdraw', [10 ** 20]),
            ('model.hall.window.open', [-5]),
            (f'{APPLICATION}.search', [('id', '=', 10 ** 20)], 0, None, None),
            (f'{APPLICATION}.search_count', [('visits', '>', -10 ** 20)]),
            (f'{APPLICATION}.search_read', [], 10 ** 20, None, None,
                ['state']),
            (f'{APPLICATION}.search', nested, 0, None, None),
            (f'{APPLICATION}.create', {'visits': 1}),
            ]
        for session in [self.wang, self.manager, self.leader]:
            for method, *params in calls:
                with self.subTest(method=method, params=params):
                    self.assertRefused(session, method, *params)
        self.assertEqual(
            (self.count('hall.application'), self.stored(accepted)), before)

    def test_readonly_in_state(self):
        "A field readonly in the record's state is refused in that state"
        accepted = self.ids['accepted']
        before = self.stored(accepted)
        message = self.assertRefused(self.wang,
            f'{APPLICATION}.write', [accepted], {'window': self.ids['a02']})
        self.assertIn('当前状态下不能修改', message)
        self.assertIn('窗口', message)
        self.assertEqual(self.stored(accepted), before)

    def test_unchanged_values_accepted(self):
        "Values sent back unchanged and editable fields are accepted"
        accepted = self.ids['accepted']
        state, = self.read('hall.application', [accepted], ['state'])
        self.assertRPC(self.wang, f'{APPLICATION}.write', [accepted], {
                'state': state['state'],
                'note': "材料原件已核验",
                })
        self.assertEqual(
            self.stored(accepted, 'note')['note'], "材料原件已核验")

    def test_create_with_state(self):
        "A record is created in its first state with nothing stamped"
        draft, = self.read('hall.application', [self.ids['draft']], [
                'company', 'hall', 'service', 'window'])
        values = {k: draft[k] for k in ['company', 'hall', 'service',
                'window']}
        values['applicant'] = self.ids['citizen']
        before = self.count('hall.application')
        for extra in [{'state': 'completed'}, {'actual_days': 1},
                {'received_date': dt.date(2025, 9, 1)},
                {'rejection_reason': "伪造"}]:
            with self.subTest(extra=extra):
                self.assertRefused(self.manager,
                    f'{APPLICATION}.create', [{**values, **extra}])
        self.assertEqual(self.count('hall.application'), before)
        # the defaults, as sao sends them, are accepted
        self.assertRPC(self.manager, f'{APPLICATION}.create',
            [{**values, 'state': 'draft', 'rejection_reason': None}])

    def test_copy_resets_workflow(self):
        "A copy starts in the first state; a default for a stamp is refused"
        accepted = self.ids['accepted']
        self.assertRefused(self.manager, f'{APPLICATION}.copy',
            [accepted], {'state': 'completed'})
        copy, = self.assertRPC(self.manager, f'{APPLICATION}.copy',
            [accepted], {})
        record = self.stored(copy)
        self.assertEqual(record['state'], 'draft')
        self.assertIsNone(record['accepted_date'])
        self.assertIsNone(record['number'])

    def test_import_refused_for_owned_fields(self):
        "import_data cannot set the workflow's fields"
        self.assertRefused(self.manager, f'{APPLICATION}.import_data',
            ['state', 'note'], [['completed', "x"]])

    def test_button_takes_no_arguments(self):
        "A button accepts the records, nothing more"
        accepted = self.ids['accepted']
        before = self.stored(accepted)
        self.assertRefused(self.wang, f'{APPLICATION}.approve',
            [accepted], '2099-01-01')
        self.assertEqual(self.stored(accepted), before)

    def test_button_needs_write_access(self):
        "The leader may read an application, not press its buttons"
        accepted = self.ids['accepted']
        before = self.stored(accepted)
        self.assertRefused(self.leader, f'{APPLICATION}.approve', [accepted])
        self.assertRefused(self.leader, f'{APPLICATION}.write',
            [accepted], {'note': "领导批示"})
        self.assertEqual(self.stored(accepted), before)

    def test_typed_text_has_a_length(self):
        "A huge name or note is refused in Chinese, without echoing it"
        accepted = self.ids['accepted']
        before = self.stored(accepted, 'note')
        message = self.assertRefused(self.wang, f'{APPLICATION}.write',
            [accepted], {'note': "长" * 100000})
        self.assertIn('太长', message)
        self.assertLess(len(message), 200)
        self.assertEqual(self.stored(accepted, 'note'), before)
        hall, = self.read('hall.application', [accepted], ['hall'])
        message = self.assertRefused(self.manager, 'model.hall.hall.write',
            [hall['hall']], {'name': "大" * 100000})
        self.assertIn('太长', message)

    def test_core_messages_chinese(self):
        "The ORM's own refusals reach the user in Chinese"
        draft, = self.read('hall.application', [self.ids['draft']], [
                'company', 'service'])
        message = self.assertRefused(self.manager, f'{APPLICATION}.create',
            [{'company': draft['company'], 'service': draft['service'],
                    'applicant': self.ids['citizen']}])
        self.assertIn('大厅', message)
        service = draft['service']
        before = self.read('hall.service', [service], ['legal_limit'])
        self.assertRefused(self.manager, 'model.hall.service.write',
            [service], {'legal_limit': -10})
        self.assertEqual(
            self.read('hall.service', [service], ['legal_limit']), before)

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        accepted, draft = self.ids['accepted'], self.ids['draft']
        record, = self.read('hall.application', [draft], [
                'company', 'hall', 'service', 'window'])
        values = {k: record[k] for k in ['company', 'hall', 'service']}
        values['applicant'] = self.ids['citizen']
        service = record['service']
        bad = [
            (self.wang, f'{APPLICATION}.write', [accepted],
                {'note': 12345}),
            (self.wang, f'{APPLICATION}.write', [accepted],
                {'note': ["列表"]}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'window': 10 ** 20}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'window': 999999}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'window': -1}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'window': "A01"}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'channel': 'teleport'}),
            (self.manager, f'{APPLICATION}.write', [draft],
                {'missing_materials': "全部"}),
            (self.manager, f'{APPLICATION}.create',
                [{**values, 'service': 'abc'}]),
            (self.manager, f'{APPLICATION}.create', {'hall': 1}),
            (self.manager, f'{APPLICATION}.create', ["办件"]),
            (self.manager, 'model.hall.service.write', [service],
                {'legal_limit': "十"}),
            (self.manager, 'model.hall.service.write', [service],
                {'legal_limit': 10 ** 30}),
            (self.manager, 'model.hall.service.write', [service],
                {'promised_limit': -3}),
            (self.manager, 'model.hall.service.write', [service],
                {'name': ""}),
            (self.manager, 'model.hall.hall.write', [record['hall']],
                {'name': "厅" * 300}),
            ]
        before = (self.count('hall.application'),
            self.stored(accepted), self.stored(draft),
            self.read('hall.service', [service], [
                    'legal_limit', 'promised_limit', 'name']))
        for session, method, *params in bad:
            with self.subTest(method=method, params=params):
                self.assertRefused(session, method, *params)
        self.assertEqual((self.count('hall.application'),
                self.stored(accepted), self.stored(draft),
                self.read('hall.service', [service], [
                        'legal_limit', 'promised_limit', 'name'])), before)

    def test_numbers_taken_at_once(self):
        """Two clerks numbering at the same moment in a new year take 1 and
        2 (PostgreSQL: the second waits for the first's row, then runs
        again as the server does; SQLite: its single writer)"""
        with shared_database() as database:
            self.number_twice(database)

    def number_twice(self, database):
        both_started = threading.Barrier(2, timeout=30)
        numbers = []

        def clerk():
            pool = Pool(database)
            for attempt in range(5):
                try:
                    with Transaction().start(database, 0, context={
                                'date': dt.date(2031, 1, 2)}) as transaction:
                        Configuration = pool.get('hall.configuration')
                        sequence = Configuration(1).application_sequence
                        if attempt == 0:
                            both_started.wait()
                        number = sequence.get()
                        # hold the period's row while the other asks
                        time.sleep(0.3)
                        transaction.commit()
                    numbers.append(number)
                    return
                except backend.DatabaseOperationalError:
                    continue

        threads = [threading.Thread(target=clerk) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(sorted(numbers), ['2031-000001', '2031-000002'])
