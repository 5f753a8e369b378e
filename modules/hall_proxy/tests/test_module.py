# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, DomainValidationError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.exceptions import (
    ApplicantIdentifierError, WorkflowError)
from trytond.modules.hall.tests.approval_tools import ApprovalData
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin, as_user, on, report_text)
from trytond.modules.hall_proxy.case import authorization_valid
from trytond.modules.hall_proxy.exceptions import (
    AuthorizationError, CaseDeleteError, CaseError, CaseValidationError,
    HandbookValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = dt.date
SCAN = b'%PDF-1.4 signed authorisation'


class ProxyData(ApprovalData):
    "Three proxy agents and the handbook of an industrial project"

    def __init__(self):
        super().__init__()
        pool = Pool()
        Handbook = pool.get('hall.proxy.handbook')
        self.agent_a = self.user(
            'agent_a', 'hall_proxy', 'group_proxy_agent', "孙丽")
        self.agent_b = self.user(
            'agent_b', 'hall_proxy', 'group_proxy_agent', "钱进")
        self.member = self.user(
            'member', 'hall_proxy', 'group_proxy_agent', "郑洁")
        self.handbook, = Handbook.create([{
                    'name': "工业项目全流程代办手册",
                    'steps': [('create', [{
                                    'sequence': 1,
                                    'service': self.land.id,
                                    'expected_days': 5,
                                    'notes': "核对用地红线图",
                                    }, {
                                    'sequence': 2,
                                    'service': self.site.id,
                                    'expected_days': 3,
                                    }, {
                                    'sequence': 3,
                                    'service': self.permit.id,
                                    'expected_days': 4,
                                    }])],
                    }])

    def case(self, party, agent, team=(), kind='full', red_proxy=False,
            handbook=True, signed=D(2026, 9, 25), valid_until=D(2026, 12, 31),
            document=SCAN, start_on=None):
        "A case with its authorisation; started on `start_on`"
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        case, = Case.create([{
                    'company': self.company.id,
                    'party': party.id,
                    'name': f"{party.name}新建厂房项目",
                    'agent': agent.employee.id,
                    'team_members': [('add', [
                                m.employee.id for m in team])],
                    'kind': kind,
                    'red_proxy': red_proxy,
                    'handbook': self.handbook.id if handbook else None,
                    'authorizations': [('create', [{
                                    'signed_date': signed,
                                    'valid_until': valid_until,
                                    'scope': "代为办理项目审批全部事项",
                                    'document': document,
                                    'document_name': "委托书.pdf",
                                    }])] if signed else [],
                    }])
        if start_on:
            with on(start_on):
                Case.authorize([case])
                Case.start([case])
        return case


class HallProxyTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall Proxy module"
    module = 'hall_proxy'

    def test_authorization_valid(self):
        "An authorisation is valid from its signature to its end, scanned"
        for signed, until, scan, today, valid in [
                (D(2026, 9, 1), D(2026, 9, 30), True, D(2026, 9, 30), True),
                (D(2026, 9, 1), D(2026, 9, 30), True, D(2026, 10, 1), False),
                (D(2026, 9, 1), D(2026, 9, 30), True, D(2026, 8, 31), False),
                (D(2026, 9, 1), D(2026, 9, 30), False, D(2026, 9, 2), False),
                ]:
            with self.subTest(today=today, scan=scan):
                self.assertEqual(
                    authorization_valid(signed, until, scan, today), valid)

    @with_transaction()
    def test_party_proxy_cases(self):
        """An enterprise's form lists its proxy cases, to each agent those
        of their own (or team's); the clerk's form has no such page"""
        pool = Pool()
        Party = pool.get('party.party')
        data = ProxyData()
        own = data.case(data.enterprise_a, data.agent_a)
        team = data.case(
            data.enterprise_a, data.agent_b, team=[data.member])
        other = data.case(data.enterprise_b, data.agent_a)
        self.assertEqual(
            set(Party(data.enterprise_a.id).proxy_cases), {own, team})
        self.assertEqual(
            list(Party(data.enterprise_b.id).proxy_cases), [other])
        for user, cases in [
                (data.agent_a, {own.id}),
                (data.member, {team.id}),
                (data.leader, {own.id, team.id}),
                ]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    view = Party.fields_view_get(view_type='form')
                    party, = Party.read(
                        [data.enterprise_a.id], list(view['fields']))
                self.assertEqual(set(party['proxy_cases']), cases)
        set_user, set_context = as_user(data.clerk)
        with set_user, set_context:
            view = Party.fields_view_get(view_type='form')
            self.assertNotIn('proxy_cases', view['fields'])
            Party.read([data.enterprise_a.id], list(view['fields']))

    @with_transaction()
    def test_agent_in_group(self):
        "The agent of a case is a proxy agent"
        data = ProxyData()
        with self.assertRaises(CaseValidationError):
            data.case(data.enterprise_a, data.clerk)
        with self.assertRaises(ApplicantIdentifierError):
            data.case(data.citizen, data.agent_a)

    @with_transaction()
    def test_no_start_without_authorization(self):
        "A case is authorised and started only with a valid authorisation"
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        Authorization = pool.get('hall.proxy.authorization')
        data = ProxyData()
        case = data.case(data.enterprise_a, data.agent_a, signed=None)
        with on(D(2026, 9, 28)):
            with self.assertRaises(AuthorizationError):
                Case.authorize([case])
            self.assertEqual(case.state, 'draft')
            # Without the scan of the signed document
            authorization, = Authorization.create([{
                        'case': case.id,
                        'signed_date': D(2026, 9, 25),
                        'valid_until': D(2026, 12, 31),
                        'scope': "代为办理项目审批全部事项",
                        }])
            self.assertFalse(Case(case.id).authorization_valid)
            with self.assertRaises(AuthorizationError):
                Case.authorize([Case(case.id)])
            authorization.document = SCAN
            authorization.save()
            case = Case(case.id)
            self.assertTrue(case.authorization_valid)
            Case.authorize([case])
        self.assertEqual(case.state, 'authorized')
        self.assertRegex(case.number, r'^DB\d{4}-\d{4}$')
        # The steps of the handbook, with their expected days as promise
        self.assertEqual(
            [(s.service, s.legal_limit, s.promised_limit, s.state)
                for s in case.steps],
            [(data.land, 20, 5, 'planned'), (data.site, 15, 3, 'planned'),
                (data.permit, 10, 4, 'planned')])
        with on(D(2027, 1, 4)):
            with self.assertRaises(AuthorizationError):
                Case.start([case])
        self.assertEqual(case.state, 'authorized')
        with on(D(2026, 9, 29)):
            Case.start([case])
        self.assertEqual(case.state, 'in_progress')

    @with_transaction()
    def test_progress_summary(self):
        """The progress summary gives the agent's phone, marks the steps
        past their promised date and writes a limit of no day 即办"""
        pool = Pool()
        Step = pool.get('hall.proxy.step')
        Summary = pool.get('hall.proxy.case.progress', type='report')
        data = ProxyData()
        agent = data.agent_a.employee.party
        agent.contact_mechanisms = [
            {'type': 'mobile', 'value': '+8613900001111'}]
        agent.save()
        case = data.case(data.enterprise_a, data.agent_a,
            start_on=D(2026, 9, 28))
        land, site, permit = case.steps
        site.promised_limit = 0
        site.save()
        with on(D(2026, 9, 28)):
            Step.start([land])
        set_user, set_context = as_user(data.agent_a)
        with set_user, set_context, on(D(2026, 11, 2)):
            _, content, _, _ = Summary.execute([case.id], {})
        text = report_text(content)
        self.assertIn("请联系代办员孙丽（电话：+86 139 0000 1111）", text)
        self.assertIn(land.state_string + "（已超期）", text)
        self.assertEqual(text.count("（已超期）"), 1)
        self.assertIn("\n即办\n", text)
        self.assertIn("\n5 个工作日\n", text)
        self.assertIn("2026年11月2日", text)

    @with_transaction()
    def test_authorization_dates(self):
        "An authorisation is signed, not in the future, for a bounded time"
        pool = Pool()
        Configuration = pool.get('hall.proxy.configuration')
        data = ProxyData()
        for signed, until in [
                (D(2026, 9, 25), D(2026, 9, 24)),
                (D(1, 1, 1), D(9999, 12, 31)),
                (D(2026, 9, 25), D(2027, 9, 27)),
                ]:
            with self.subTest(signed=signed, until=until), on(D(2026, 9, 28)):
                with self.assertRaises(CaseValidationError):
                    data.case(data.enterprise_a, data.agent_a,
                        signed=signed, valid_until=until)
        with on(D(2026, 9, 28)):
            with self.assertRaises(CaseValidationError) as cm:
                data.case(data.enterprise_a, data.agent_a,
                    signed=D(2026, 9, 29), valid_until=D(2026, 12, 31))
            self.assertIn('2026-09-29', cm.exception.message)
            # a year is accepted; a shorter maximum is then refused
            data.case(data.enterprise_a, data.agent_a,
                signed=D(2026, 9, 25), valid_until=D(2027, 9, 25))
            config = Configuration(1)
            config.authorization_max_days = 90
            config.save()
            with self.assertRaises(CaseValidationError):
                data.case(data.enterprise_a, data.agent_a,
                    signed=D(2026, 9, 25), valid_until=D(2026, 12, 31))
            config.authorization_max_days = 0
            with self.assertRaises(DomainValidationError):
                config.save()

    @with_transaction()
    def test_expired_authorization_blocks(self):
        "An expired authorisation stops the steps until it is renewed"
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        Step = pool.get('hall.proxy.step')
        Authorization = pool.get('hall.proxy.authorization')
        data = ProxyData()
        case = data.case(data.enterprise_a, data.agent_a,
            valid_until=D(2026, 10, 9), start_on=D(2026, 9, 28))
        land, site, permit = case.steps
        with on(D(2026, 10, 9)):
            Step.start([land])
        with on(D(2026, 10, 12)):
            for step, action in [(land, Step.finish), (site, Step.start)]:
                with self.assertRaises(AuthorizationError) as refused:
                    action([step])
                self.assertIn("2026-10-09", refused.exception.message)
            self.assertEqual(
                [s.state for s in Case(case.id).steps],
                ['in_progress', 'planned', 'planned'])
            # The daily cron suspends the case
            suspended = Case.suspend_expired()
            self.assertEqual(suspended, [case])
            case = Case(case.id)
            self.assertEqual(case.state, 'suspended')
            self.assertIn("2026-10-09", case.suspension_reason)
            with self.assertRaises(AuthorizationError):
                Case.resume([case])
            self.assertEqual(case.state, 'suspended')
            # The enterprise signs a new authorisation
            Authorization.create([{
                        'case': case.id,
                        'signed_date': D(2026, 10, 12),
                        'valid_until': D(2027, 3, 31),
                        'scope': "续签：代为办理项目审批全部事项",
                        'document': SCAN,
                        }])
            case = Case(case.id)
            self.assertEqual(case.authorization.valid_until, D(2027, 3, 31))
            Case.resume([case])
            self.assertEqual(case.state, 'in_progress')
            self.assertIsNone(case.suspension_reason)
            Step.finish([land])
        self.assertEqual(Step(land.id).actual_days, 2)

    @with_transaction()
    def test_case_refusals(self):
        "Completion, suspension, cancellation and deletion are checked"
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        Step = pool.get('hall.proxy.step')
        data = ProxyData()
        empty = data.case(data.enterprise_b, data.agent_a, handbook=False)
        with on(D(2026, 9, 28)):
            Case.authorize([empty])
            with self.assertRaises(CaseError):
                Case.start([empty])
        case = data.case(
            data.enterprise_a, data.agent_a, start_on=D(2026, 9, 28))
        with self.assertRaises(CaseDeleteError):
            Case.delete([case])
        with on(D(2026, 9, 29)):
            with self.assertRaises(CaseError):
                Case.complete([case])
            with self.assertRaises(CaseError):
                Case.suspend([case])
            with self.assertRaises(CaseError):
                Case.cancel([case])
            # resumed again (a retried request): it runs, nothing changes
            Case.resume([case])
            self.assertEqual(case.state, 'in_progress')
            with self.assertRaises(WorkflowError):
                Case.authorize([case])
            Step.cancel(list(case.steps))
            Case.complete([case])
        self.assertEqual(case.state, 'completed')
        self.assertEqual(case.completed_date, D(2026, 9, 29))

    @with_transaction()
    def test_handbook_step_days(self):
        "A handbook step cannot expect more days than the legal limit"
        pool = Pool()
        HandbookStep = pool.get('hall.proxy.handbook.step')
        data = ProxyData()
        with self.assertRaises(HandbookValidationError):
            HandbookStep.create([{
                        'handbook': data.handbook.id,
                        'service': data.permit.id,
                        'expected_days': 11}])

    @with_transaction()
    def test_steps_and_indicators(self):
        "Steps over the National Day holiday and the proxy indicators"
        pool = Pool()
        Step = pool.get('hall.proxy.step')
        Case = pool.get('hall.proxy.case')
        KPIAgent = pool.get('hall.proxy.kpi.agent')
        KPIKind = pool.get('hall.proxy.kpi.kind')
        data = ProxyData()
        first = data.case(
            data.enterprise_a, data.agent_a, start_on=D(2026, 9, 28))
        second = data.case(data.enterprise_b, data.agent_b, kind='partial',
            red_proxy=True, handbook=False)
        Step.create([{
                    'case': second.id, 'service': data.permit.id,
                    'legal_limit': 10, 'promised_limit': 5}])
        with on(D(2026, 10, 8)):
            Case.authorize([second])
            Case.start([second])
        # land: 29 September to 12 October = 5 working days, promise 5
        data.application(data.enterprise_a, data.land,
            accepted=D(2026, 9, 29), completed=D(2026, 10, 12))
        # site: 30 September to 9 October = 2 (8 and 9 October), promise 3
        data.application(data.enterprise_a, data.site,
            accepted=D(2026, 9, 30), completed=D(2026, 10, 9))
        # permit of the second: 9 to 16 October = 6 with the make-up
        # Saturday 10 October, promise 5: late
        data.application(data.enterprise_b, data.permit,
            accepted=D(2026, 10, 9), completed=D(2026, 10, 16))
        land, site, permit = Case(first.id).steps
        self.assertEqual(
            (land.state, land.promised_due_date, land.actual_days),
            ('done', D(2026, 10, 12), 5))
        self.assertEqual(
            (site.promised_due_date, site.actual_days),
            (D(2026, 10, 10), 2))
        self.assertEqual(permit.state, 'planned')

        def figures(row):
            return (row.projects, row.enterprises, row.items, row.completed,
                row.total_days, row.legal_days, row.overdue)
        with on(D(2026, 10, 20)), Transaction().set_context(
                company=data.company.id, from_date=D(2026, 9, 1),
                to_date=D(2026, 10, 31)):
            rows = {r.agent: r for r in KPIAgent.search([])}
            a = rows[data.agent_a.employee]
            b = rows[data.agent_b.employee]
            self.assertEqual(figures(a), (1, 1, 2, 2, 7, 35, 0))
            # 1 − 7 ÷ 35
            self.assertAlmostEqual(a.speed_up_rate, 0.8)
            self.assertAlmostEqual(a.promise_kept_rate, 1)
            self.assertAlmostEqual(a.average_days, 3.5)
            self.assertEqual(figures(b), (1, 1, 1, 1, 6, 10, 1))
            self.assertAlmostEqual(b.speed_up_rate, 0.4)
            self.assertAlmostEqual(b.promise_kept_rate, 0)
            full, partial = KPIKind.search([])
            self.assertEqual(
                (full.kind, bool(full.red_proxy)), ('full', False))
            self.assertEqual(
                (partial.kind, bool(partial.red_proxy)), ('partial', True))
            self.assertEqual(figures(partial), figures(b))

    @with_transaction()
    def test_agent_sees_own_and_team_cases(self):
        "An agent sees own cases and the team's; the manager sees all"
        pool = Pool()
        Case = pool.get('hall.proxy.case')
        Step = pool.get('hall.proxy.step')
        LogEntry = pool.get('hall.proxy.log')
        Authorization = pool.get('hall.proxy.authorization')
        Application = pool.get('hall.application')
        data = ProxyData()
        case_a = data.case(data.enterprise_a, data.agent_a,
            team=[data.member], start_on=D(2026, 9, 28))
        case_b = data.case(
            data.enterprise_b, data.agent_b, start_on=D(2026, 9, 28))
        log_a, = LogEntry.create([{
                    'case': case_a.id, 'note': "已向企业一次性告知材料清单"}])
        applied_a = data.application(data.enterprise_a, data.land,
            accepted=D(2026, 9, 29))
        applied_b = data.application(data.enterprise_b, data.land,
            accepted=D(2026, 9, 29))

        set_user, set_context = as_user(data.agent_b)
        with set_user, set_context:
            self.assertEqual(Case.search([]), [case_b])
            for Model, record in [
                    (Case, case_a), (Step, case_a.steps[0]),
                    (LogEntry, log_a),
                    (Authorization, case_a.authorizations[0]),
                    (Application, applied_a)]:
                with self.subTest(model=Model.__name__):
                    with self.assertRaises(AccessError):
                        Model.read([record.id], ['rec_name'])
            with self.assertRaises(AccessError):
                Case.write([Case(case_a.id)], {'note': "改写"})
            with self.assertRaises(AccessError):
                Step.start([Step(case_a.steps[1].id)])
            self.assertEqual(Application.search([]), [applied_b])
            # Agent B opens a case for self
            own, = Case.create([{
                        'party': data.enterprise_a.id, 'name': "二期项目"}])
            self.assertEqual(own.agent, data.agent_b.employee)
        set_user, set_context = as_user(data.member)
        with set_user, set_context:
            self.assertEqual(Case.search([]), [case_a])
            self.assertEqual(LogEntry.search([]), [log_a])
            # The enterprise of case A has also the case of agent B
            self.assertEqual(Application.search([]), [applied_a])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            self.assertEqual(set(Case.search([])), {case_a, case_b, own})
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            self.assertEqual(len(Case.search([])), 3)
            with self.assertRaises(AccessError):
                Case.write([Case(case_a.id)], {'note': "改写"})
            with self.assertRaises(AccessButtonError):
                Case.suspend([Case(case_a.id)])
            pool.get('hall.proxy.kpi.period').search([])
        set_user, set_context = as_user(data.clerk)
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Case.search([])
        set_user, set_context = as_user(data.agent_a)
        with set_user, set_context:
            with self.assertRaises(AccessError):
                pool.get('hall.proxy.kpi.period').search([])

    @with_transaction()
    def test_party_replace_and_erase(self):
        """A merged enterprise keeps its proxy cases; an enterprise is not
        erased while one is open"""
        pool = Pool()
        Party = pool.get('party.party')
        Record = pool.get('hall.proxy.case')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        data = ProxyData()
        enterprise = data.enterprise_b
        duplicate, = Party.copy([enterprise])
        record = data.case(duplicate, data.agent_a)
        session_id, _, _ = Replace.create()
        replace = Replace(session_id)
        replace.ask.source = duplicate
        replace.ask.destination = enterprise
        replace.transition_replace()
        self.assertEqual(
            Record.search([('party', '=', enterprise.id)]), [record])

        Party.write([enterprise], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = enterprise
        with self.assertRaises(UserError):
            erase.transition_erase()
        record.cancel_reason = "企业撤回"
        record.save()
        Record.cancel([record])
        erase.transition_erase()
        self.assertIsNone(Party.read([enterprise.id], ['name'])[0]['name'])


del ModuleTestCase
