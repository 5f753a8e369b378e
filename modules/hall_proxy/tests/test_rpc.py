# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflow of proxy cases and their steps against
plain JSON-RPC calls (hall.model.ServerReadonlyMixin): what sao would not
send is refused, as the proxy agent and the hall manager, and nothing
changes."""
import datetime as dt

from trytond.modules.hall.tests.tools import on
from trytond.modules.hall.tests.tools import RPCTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .test_module import SCAN, ProxyData

D = dt.date
CASE = 'model.hall.proxy.case'
STEP = 'model.hall.proxy.step'
AUTHORIZATION = 'model.hall.proxy.authorization'
CASE_STORED = ['state', 'number', 'name', 'agent', 'kind', 'party',
    'team_members', 'authorized_date', 'started_date', 'completed_date',
    'suspended_date', 'suspension_reason', 'cancel_reason', 'note']
STEP_STORED = ['state', 'case', 'service', 'legal_limit', 'promised_limit',
    'start_date', 'end_date', 'legal_due_date', 'promised_due_date',
    'actual_days', 'application']


class HallProxyRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the proxy cases over JSON-RPC"
    module = 'hall_proxy'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Step = pool.get('hall.proxy.step')
        data = ProxyData()
        # 孙丽's draft case and her case started on 28 September, whose
        # first step (land) is started the next day
        draft = data.case(data.enterprise_b, data.agent_a)
        running = data.case(data.enterprise_a, data.agent_a,
            start_on=D(2026, 9, 28))
        started, planned, _ = running.steps
        with on(D(2026, 9, 29)):
            Step.start([started])
        cls.ids = {
            'draft': draft.id,
            'running': running.id,
            'started': started.id,
            'planned': planned.id,
            'authorization': running.authorizations[0].id,
            'handbook': data.handbook.id,
            'handbook_step': data.handbook.steps[0].id,
            'permit': data.permit.id,
            'enterprise': data.enterprise_a.id,
            'citizen': data.citizen.id,
            'clerk_employee': data.clerk.employee.id,
            'agent_a_employee': data.agent_a.employee.id,
            'company': data.company.id,
            }
        cls.agent = cls.session(data.agent_a)
        cls.other_agent = cls.session(data.agent_b)
        cls.manager = cls.session(data.manager)
        cls.leader = cls.session(data.leader)

    def stored(self):
        "What the tests must not change"
        return (
            self.read('hall.proxy.case',
                [self.ids['draft'], self.ids['running']], CASE_STORED),
            self.read('hall.proxy.step',
                [self.ids['started'], self.ids['planned']], STEP_STORED),
            self.read('hall.proxy.authorization',
                [self.ids['authorization']], [
                    'signed_date', 'valid_until', 'scope', 'case']),
            self.read('hall.proxy.handbook.step',
                [self.ids['handbook_step']], ['expected_days', 'service']),
            self.read('hall.proxy.configuration', [1], [
                    'authorization_max_days']),
            [self.count(m) for m in [
                    'hall.proxy.case', 'hall.proxy.step',
                    'hall.proxy.authorization', 'hall.proxy.log',
                    'hall.proxy.handbook.step']],
            )

    def test_owned_fields_refused(self):
        "Each field the code of a case or a step owns is refused"
        tried = 0
        # the proxy agent and the hall manager write cases and steps
        for session in [self.agent, self.manager]:
            for key in ['draft', 'running']:
                tried += self.assertOwnedRefused(
                    session, 'hall.proxy.case', self.ids[key])
            for key in ['planned', 'started']:
                tried += self.assertOwnedRefused(
                    session, 'hall.proxy.step', self.ids[key])
        self.assertGreaterEqual(tried, 80)

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        draft, running = self.ids['draft'], self.ids['running']
        started, planned = self.ids['started'], self.ids['planned']
        agent, manager = self.agent, self.manager
        case = {
            'company': self.ids['company'],
            'party': self.ids['enterprise'],
            'name': "二期厂房项目",
            'kind': 'full',
            'agent': self.ids['agent_a_employee'],
            }
        authorization = {
            'case': running,
            'signed_date': D(2026, 9, 25),
            'valid_until': D(2026, 12, 31),
            'scope': "代为办理项目审批全部事项",
            'document': SCAN,
            }
        bad = [
            # wrong kinds
            (agent, f'{CASE}.write', [draft], {'name': 12345}),
            (agent, f'{CASE}.write', [draft], {'red_proxy': "是"}),
            (agent, f'{CASE}.write', [draft], {'agent': "孙丽"}),
            (agent, f'{CASE}.create', {'name': "项目"}),
            (agent, f'{CASE}.create', ["项目"]),
            (agent, f'{STEP}.write', [planned], {'legal_limit': "二十"}),
            (agent, f'{AUTHORIZATION}.create',
                [{**authorization, 'signed_date': "昨天"}]),
            # ids that do not exist
            (agent, f'{CASE}.write', [draft], {'agent': 10 ** 20}),
            (agent, f'{CASE}.write', [draft], {'agent': 999999}),
            (agent, f'{CASE}.write', [draft], {'party': -1}),
            (agent, f'{CASE}.write', [draft], {'handbook': 999999}),
            (agent, f'{STEP}.create', [{
                        'case': 10 ** 20, 'service': self.ids['permit'],
                        'legal_limit': 10, 'promised_limit': 5}]),
            (agent, 'model.hall.proxy.log.create', [{
                        'case': 999999, 'note': "已告知材料清单"}]),
            (agent, f'{CASE}.start', [999999]),
            (agent, f'{CASE}.write', [draft],
                {'team_members': [['add', [999999]]]}),
            # outside a selection, a domain, the rules
            (agent, f'{CASE}.write', [draft], {'kind': 'teleport'}),
            (agent, f'{CASE}.write', [draft],
                {'agent': self.ids['clerk_employee']}),
            (manager, f'{CASE}.write', [draft],
                {'agent': self.ids['clerk_employee']}),
            (agent, f'{CASE}.create',
                [{**case, 'party': self.ids['citizen']}]),
            (agent, f'{CASE}.write', [draft], {'name': "长" * 100000}),
            (agent, f'{CASE}.write', [running], {'note': "长" * 100000}),
            # negative counts, limits out of order
            (agent, f'{STEP}.write', [planned], {'legal_limit': -3}),
            (agent, f'{STEP}.write', [planned], {'promised_limit': 99}),
            (agent, f'{STEP}.write', [planned], {'legal_limit': 10 ** 20}),
            (agent, 'model.hall.proxy.handbook.step.write',
                [self.ids['handbook_step']], {'expected_days': -1}),
            (agent, 'model.hall.proxy.handbook.step.write',
                [self.ids['handbook_step']], {'expected_days': 100}),
            (manager, 'model.hall.proxy.configuration.write', [1],
                {'authorization_max_days': 0}),
            (manager, 'model.hall.proxy.configuration.write', [1],
                {'authorization_max_days': 10 ** 20}),
            # dates in the future or out of order
            (agent, f'{AUTHORIZATION}.create', [{**authorization,
                        'signed_date': D(2099, 1, 1),
                        'valid_until': D(2099, 6, 30)}]),
            (agent, f'{AUTHORIZATION}.create', [{**authorization,
                        'valid_until': D(2026, 9, 1)}]),
            (agent, f'{AUTHORIZATION}.create', [{**authorization,
                        'valid_until': D(2031, 12, 31)}]),
            (agent, f'{AUTHORIZATION}.write', [self.ids['authorization']],
                {'valid_until': D(1999, 1, 1)}),
            (agent, f'{STEP}.write', [started],
                {'end_date': D(2026, 9, 1)}),
            # a created case starts in draft, unstamped
            (agent, f'{CASE}.create', [{**case, 'state': 'in_progress'}]),
            (agent, f'{CASE}.create',
                [{**case, 'started_date': D(2026, 9, 1)}]),
            # readonly in the state
            (agent, f'{CASE}.write', [running], {'kind': 'partial'}),
            (agent, f'{CASE}.write', [running],
                {'party': self.ids['citizen']}),
            (agent, f'{STEP}.write', [started],
                {'start_date': D(2026, 9, 1)}),
            # buttons: extra arguments, wrong state, missing reason
            (agent, f'{CASE}.authorize', [draft], '2099-01-01'),
            (agent, f'{STEP}.start', [planned], {'start_date': '2026-09-01'}),
            (agent, f'{CASE}.start', [draft]),
            (agent, f'{STEP}.finish', [planned]),
            (agent, f'{CASE}.complete', [running]),
            (agent, f'{CASE}.suspend', [running]),
            (agent, f'{CASE}.cancel', [running]),
            (agent, f'{CASE}.delete', [running]),
            # another agent's case, the leader reads only
            (self.other_agent, f'{CASE}.write', [running], {'note': "改写"}),
            (self.other_agent, f'{CASE}.cancel', [running]),
            (self.leader, f'{CASE}.write', [running], {'note': "领导批示"}),
            (self.leader, f'{CASE}.suspend', [running]),
            ]
        before = self.stored()
        refused = 0
        for session, method, *params in bad:
            with self.subTest(method=method, params=params):
                self.assertRefused(session, method, *params)
                refused += 1
        self.assertEqual(self.stored(), before)
        self.assertEqual(refused, len(bad))
        self.assertGreaterEqual(refused, 50)

    def test_huge_id_in_many2many(self):
        """A huge id added to a Many2Many is refused in Chinese"""
        draft = self.ids['draft']
        before = self.read('hall.proxy.case', [draft], ['team_members'])
        self.assertRefused(self.agent, f'{CASE}.write', [draft],
            {'team_members': [['add', [10 ** 20]]]})
        self.assertEqual(
            self.read('hall.proxy.case', [draft], ['team_members']), before)
