# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.exceptions import (
    ApplicantIdentifierError, ApprovalItemDeleteError, ApprovalItemError,
    ApprovalItemValidationError, WorkflowError)
from trytond.modules.hall.tests.approval_tools import USCC_B, ApprovalData
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin, as_user, on,
    without_views)
from trytond.modules.hall_green_channel.exceptions import (
    ContactValidationError, IssueError, ProjectDeleteError, ProjectError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = dt.date

# Views inheriting from hall_queue, used only when it is activated
QUEUE_VIEWS = {'ticket_form.xml', 'ticket_list.xml'}


class GreenData(ApprovalData):
    "Two green-channel officers and a project builder"

    def __init__(self):
        super().__init__()
        self.officer = self.user(
            'officer', 'hall_green_channel', 'group_green_channel_officer',
            "周明")
        self.officer2 = self.user(
            'officer2', 'hall_green_channel', 'group_green_channel_officer',
            "吴芳")

    def project(self, party, officer, services, category='major_investment',
            accepted=D(2026, 9, 28), start=True):
        "A project with an item per service, accepted and started"
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        project, = Project.create([{
                    'company': self.company.id,
                    'party': party.id,
                    'name': f"{party.name}项目",
                    'category': category,
                    'investment': 52000,
                    'officer': officer.employee.id if officer else None,
                    'items': [('create', [{
                                    'sequence': i,
                                    'service': s.id,
                                    'legal_limit': s.legal_limit,
                                    'promised_limit': s.promised_limit,
                                    } for i, s in enumerate(services, 1)])],
                    }])
        if start:
            with on(accepted):
                Project.accept([project])
                Project.start([project])
        return project


class HallGreenChannelTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall Green Channel module"
    module = 'hall_green_channel'

    def test_view(self):
        """Test the views; those extending hall_queue are checked by
        HallGreenChannelQueueTestCase, with hall_queue activated"""
        with without_views(QUEUE_VIEWS):
            super().test_view()

    @with_transaction()
    def test_without_hall_queue(self):
        "Without hall_queue there are no tickets to give priority to"
        pool = Pool()
        Module = pool.get('ir.module')
        View = pool.get('ir.ui.view')
        with self.assertRaises(KeyError):
            pool.get('hall.ticket')
        queue, = Module.search([('name', '=', 'hall_queue')]) or [None]
        self.assertTrue(queue is None or queue.state != 'activated')
        self.assertEqual(View.search([
                    ('module', '=', 'hall_green_channel'),
                    ('model', '=', 'hall.ticket'),
                    ]), [])
        # The green channel works on its own
        data = GreenData()
        project = data.project(data.enterprise_a, data.officer, [data.land])
        self.assertEqual(project.state, 'in_progress')

    @with_transaction()
    def test_party_projects(self):
        """An enterprise's form lists its green-channel projects for the
        officers and the leader; the clerk's form has no such page"""
        pool = Pool()
        Party = pool.get('party.party')
        data = GreenData()
        older = data.project(
            data.enterprise_a, data.officer, [data.land],
            accepted=D(2026, 3, 2))
        newer = data.project(data.enterprise_a, data.officer2, [data.site])
        other = data.project(data.enterprise_b, data.officer, [data.land])
        self.assertEqual(
            list(Party(data.enterprise_a.id).green_channel_projects),
            [newer, older])
        self.assertEqual(
            list(Party(data.enterprise_b.id).green_channel_projects),
            [other])
        for user in [data.officer, data.leader]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    view = Party.fields_view_get(view_type='form')
                    party, = Party.read(
                        [data.enterprise_a.id], list(view['fields']))
                self.assertEqual(
                    list(party['green_channel_projects']),
                    [newer.id, older.id])
        set_user, set_context = as_user(data.clerk)
        with set_user, set_context:
            view = Party.fields_view_get(view_type='form')
            self.assertNotIn('green_channel_projects', view['fields'])
            Party.read([data.enterprise_a.id], list(view['fields']))

    @with_transaction()
    def test_enterprise_needs_code(self):
        "A project is for an enterprise with its unified social credit code"
        data = GreenData()
        with self.assertRaises(ApplicantIdentifierError):
            data.project(data.citizen, data.officer, [data.land])
        project = data.project(data.enterprise_a, data.officer, [data.land])
        self.assertEqual(project.enterprise_code, '91330106215736816D')
        self.assertRegex(project.number, r'^LS\d{4}-\d{4}$')

    @with_transaction()
    def test_items_follow_application(self):
        "An item follows its application over the National Day holiday"
        pool = Pool()
        Item = pool.get('hall.green_channel.item')
        data = GreenData()
        project = data.project(
            data.enterprise_a, data.officer, [data.land])
        item, = project.items
        self.assertEqual(
            (item.legal_limit, item.promised_limit), (20, 5))
        application = data.application(
            data.enterprise_a, data.land, accepted=D(2026, 9, 29))
        item = Item(item.id)
        self.assertEqual(item.application, application)
        self.assertEqual(item.state, 'in_progress')
        self.assertEqual(item.start_date, D(2026, 9, 29))
        # 30 September, then 8, 9, 10 (make-up Saturday) and 12 October
        self.assertEqual(item.promised_due_date, D(2026, 10, 12))
        self.assertEqual(item.legal_due_date, D(2026, 11, 2))
        with on(D(2026, 10, 13)):
            self.assertTrue(Item(item.id).overdue)
            self.assertEqual(
                Item.search([('overdue', '=', True)]), [item])
        with on(D(2026, 10, 12)):
            self.assertFalse(Item(item.id).overdue)
            Application = pool.get('hall.application')
            Application.approve([application])
            Application.complete([application])
        item = Item(item.id)
        self.assertEqual(item.state, 'done')
        self.assertEqual(item.end_date, D(2026, 10, 12))
        self.assertEqual(item.actual_days, 5)
        self.assertTrue(item.promise_kept)

    @with_transaction()
    def test_application_of_closed_project_not_linked(self):
        "Only the items of accepted or started projects take applications"
        pool = Pool()
        Item = pool.get('hall.green_channel.item')
        data = GreenData()
        project = data.project(
            data.enterprise_a, data.officer, [data.land], start=False)
        application = data.application(
            data.enterprise_a, data.land, accepted=D(2026, 9, 29))
        item, = Item.search([('project', '=', project.id)])
        self.assertIsNone(item.application)
        self.assertEqual(item.state, 'planned')
        # An application of another enterprise cannot be linked by hand
        other = data.application(data.enterprise_b, data.land)
        item.application = other
        with self.assertRaises(Exception):
            item.save()
        item.application = application
        item.save()

    @with_transaction()
    def test_speed_up_known_data_set(self):
        "Speed-up and promise-kept rates on a data set spanning a holiday"
        pool = Pool()
        Item = pool.get('hall.green_channel.item')
        Project = pool.get('hall.green_channel.project')
        KPIPeriod = pool.get('hall.green_channel.kpi.period')
        KPICategory = pool.get('hall.green_channel.kpi.category')
        KPIOfficer = pool.get('hall.green_channel.kpi.officer')
        data = GreenData()
        first = data.project(data.enterprise_a, data.officer,
            [data.land, data.site, data.design, data.permit, data.design])
        a, b, c, d, e = first.items
        d.promised_limit = 2
        d.save()
        # a: accepted Tuesday 29 September, completed Monday 12 October:
        # 30 Sep, 8, 9, 10 (make-up workday), 12 Oct = 5 working days
        # (9 weekdays without the holiday); legal 20, promised 5: kept
        data.application(data.enterprise_a, data.land,
            accepted=D(2026, 9, 29), completed=D(2026, 10, 12))
        # b: 29 September to 14 October = 7; legal 15, promised 3: late
        data.application(data.enterprise_a, data.site,
            accepted=D(2026, 9, 29), completed=D(2026, 10, 14))
        # c: handled outside the hall from 30 September to 8 October = 1;
        # legal 10, promised 10: kept
        c.start_date = D(2026, 9, 30)
        c.save()
        with on(D(2026, 9, 30)):
            Item.start([c])
        with on(D(2026, 10, 8)):
            Item.finish([c])
        # d: accepted 29 September, promised 2: due 8 October, still open
        data.application(data.enterprise_a, data.permit,
            accepted=D(2026, 9, 29))
        # e: cancelled, never counts
        Item.cancel([e])

        second = data.project(data.enterprise_b, data.officer2,
            [data.permit], category='major_livelihood',
            accepted=D(2026, 10, 8))
        # f: accepted Friday 9 October, completed Friday 16 October:
        # 10 (make-up Saturday), 12, 13, 14, 15, 16 = 6; legal 10,
        # promised 5: late
        data.application(data.enterprise_b, data.permit,
            accepted=D(2026, 10, 9), completed=D(2026, 10, 16))

        c, = Item.search([('id', '=', c.id)])
        self.assertEqual(c.actual_days, 1)
        with on(D(2026, 10, 20)):
            first = Project(first.id)
            self.assertEqual(
                (first.items_total, first.items_done, first.actual_days,
                    first.legal_days, first.overdue_items),
                (4, 3, 13, 45, 1))
            self.assertAlmostEqual(first.speed_up_rate, 1 - 13 / 45)
            self.assertAlmostEqual(first.promise_kept_rate, 2 / 3)
            second = Project(second.id)
            self.assertAlmostEqual(second.speed_up_rate, 1 - 6 / 10)
            self.assertEqual(second.promise_kept_rate, 0)

            def figures(row):
                return (row.projects, row.enterprises, row.items,
                    row.completed, row.total_days, row.legal_days,
                    row.overdue)

            with Transaction().set_context(company=data.company.id,
                    from_date=D(2026, 9, 1), to_date=D(2026, 10, 31),
                    period='month'):
                october, september = KPIPeriod.search([])
                self.assertEqual(september.period, D(2026, 9, 1))
                self.assertEqual(
                    figures(september), (1, 1, 4, 3, 13, 45, 2))
                self.assertAlmostEqual(september.speed_up_rate, 32 / 45)
                self.assertAlmostEqual(september.promise_kept_rate, 2 / 3)
                self.assertAlmostEqual(september.average_days, 13 / 3)
                self.assertEqual(october.period, D(2026, 10, 1))
                self.assertEqual(figures(october), (1, 1, 1, 1, 6, 10, 1))
                self.assertAlmostEqual(october.speed_up_rate, 0.4)

                investment, livelihood = KPICategory.search([])
                self.assertEqual(
                    (investment.category, livelihood.category),
                    ('major_investment', 'major_livelihood'))
                self.assertEqual(
                    figures(investment), figures(september))

                rows = {r.officer: r for r in KPIOfficer.search([])}
                self.assertEqual(
                    figures(rows[data.officer2.employee]),
                    figures(october))

            with Transaction().set_context(company=data.company.id,
                    from_date=D(2026, 1, 1), to_date=D(2026, 12, 31),
                    period='year'):
                year, = KPIPeriod.search([])
                self.assertEqual(year.period, D(2026, 1, 1))
                self.assertEqual(figures(year), (2, 2, 5, 4, 19, 55, 3))
                # 1 − 19 ÷ 55
                self.assertAlmostEqual(year.speed_up_rate, 36 / 55)
                self.assertAlmostEqual(year.promise_kept_rate, 0.5)

            with Transaction().set_context(company=data.company.id,
                    from_date=D(2026, 10, 1), to_date=D(2026, 10, 31)):
                october, = KPIPeriod.search([])
                self.assertEqual(figures(october), (1, 1, 1, 1, 6, 10, 1))

    @with_transaction()
    def test_project_workflow_refusals(self):
        "Each step of a project needs what it needs; nothing changes"
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Item = pool.get('hall.green_channel.item')
        data = GreenData()
        project = data.project(
            data.enterprise_a, None, [], start=False)
        with self.assertRaises(ProjectError):
            Project.accept([project])
        self.assertEqual(project.state, 'draft')
        project.officer = data.officer.employee
        project.save()
        Project.accept([project])
        with self.assertRaises(ProjectError):
            Project.start([project])
        self.assertEqual(project.state, 'accepted')
        with self.assertRaises(WorkflowError):
            Project.complete([project])
        with self.assertRaises(ProjectDeleteError):
            Project.delete([project])
        Item.create([{
                    'project': project.id, 'service': data.land.id,
                    'legal_limit': 20, 'promised_limit': 5}])
        Project.start([project])
        with self.assertRaises(ProjectError):
            Project.complete([project])
        self.assertEqual(project.state, 'in_progress')
        with self.assertRaises(ProjectError):
            Project.cancel([project])
        project.cancel_reason = "企业调整投资计划"
        project.save()
        Project.cancel([project])
        self.assertEqual(project.state, 'cancelled')
        self.assertIsNone(Project.active_project_of(data.enterprise_a))

    @with_transaction()
    def test_item_refusals(self):
        "Limits, dates, completion and deletion of items are checked"
        pool = Pool()
        Item = pool.get('hall.green_channel.item')
        data = GreenData()
        draft = data.project(
            data.enterprise_a, data.officer, [data.land], start=False)
        item, = draft.items
        with self.assertRaises(ProjectError):
            Item.start([item])
        item.promised_limit = 25
        with self.assertRaises(ApprovalItemValidationError):
            item.save()

        project = data.project(
            data.enterprise_b, data.officer, [data.land, data.site])
        land, site = project.items
        data.application(data.enterprise_b, data.land,
            accepted=D(2026, 9, 29))
        land = Item(land.id)
        with on(D(2026, 10, 9)):
            with self.assertRaises(ApprovalItemError):
                Item.finish([land])
        self.assertEqual(land.state, 'in_progress')
        with self.assertRaises(ApprovalItemDeleteError):
            Item.delete([land])
        with self.assertRaises(WorkflowError):
            Item.finish([site])
        site.start_date = D(2026, 12, 1)
        site.save()
        with on(D(2026, 10, 9)):
            with self.assertRaises(ApprovalItemError):
                Item.start([site])
            site.start_date = D(2026, 10, 8)
            site.save()
            Item.start([site])
        site.end_date = D(2026, 9, 30)
        with self.assertRaises(ApprovalItemValidationError):
            site.save()

    @with_transaction()
    def test_issue_follow_up(self):
        "Unresolved issues past due are flagged and block the completion"
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Meeting = pool.get('hall.green_channel.meeting')
        Issue = pool.get('hall.green_channel.meeting.issue')
        Item = pool.get('hall.green_channel.item')
        data = GreenData()
        project = data.project(data.enterprise_a, data.officer, [data.land])
        meeting, = Meeting.create([{
                    'project': project.id,
                    'date': D(2026, 9, 29),
                    'subject': "用地与规划联审",
                    'departments': [('add', [
                                data.planning.id, data.housing.id])],
                    'issues': [('create', [{
                                    'description': "红线范围与规划条件不一致",
                                    'department': data.planning.id,
                                    'owner': data.officer.employee.id,
                                    'due_date': D(2026, 10, 9),
                                    }])],
                    }])
        issue, = meeting.issues
        with on(D(2026, 10, 9)):
            self.assertFalse(Issue(issue.id).overdue)
        with on(D(2026, 10, 12)):
            self.assertTrue(Issue(issue.id).overdue)
            self.assertEqual(Issue.search([('overdue', '=', True)]), [issue])
            self.assertEqual(Project(project.id).overdue_issues, 1)
            with self.assertRaises(IssueError):
                Issue.resolve([issue])
            self.assertEqual(issue.state, 'open')
            item, = project.items
            item.start_date = D(2026, 9, 30)
            item.save()
            Item.start([item])
            Item.finish([item])
            with self.assertRaises(ProjectError):
                Project.complete([project])
            issue.resolution = "规划局出具调整意见，红线已核定"
            issue.save()
            Issue.resolve([issue])
            issue = Issue(issue.id)
            self.assertEqual(issue.resolved_date, D(2026, 10, 12))
            self.assertFalse(issue.overdue)
            Project.complete([project])
        self.assertEqual(project.state, 'completed')

    @with_transaction()
    def test_contact_phone(self):
        "Contact phones are Chinese numbers, kept with their +86 prefix"
        pool = Pool()
        Contact = pool.get('hall.green_channel.project.contact')
        data = GreenData()
        project = data.project(
            data.enterprise_a, data.officer, [], start=False)
        with self.assertRaises(ContactValidationError):
            Contact.create([{
                        'project': project.id, 'name': "李经理",
                        'phone': '1381234567'}])
        contact, = Contact.create([{
                    'project': project.id, 'name': "李经理",
                    'phone': '13812345678'}])
        self.assertEqual(contact.phone, '+86 138 1234 5678')

    @with_transaction()
    def test_active_project(self):
        "The active project of an enterprise is the accepted or started one"
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Party = pool.get('party.party')
        data = GreenData()
        project = data.project(
            data.enterprise_a, data.officer, [data.land], start=False)
        self.assertIsNone(Party(data.enterprise_a.id).green_channel_project)
        with on(D(2026, 9, 28)):
            Project.accept([project])
        self.assertEqual(
            Party(data.enterprise_a.id).green_channel_project, project)
        self.assertEqual(Project.active_project_of(data.enterprise_a),
            project)
        self.assertIsNone(Project.active_project_of(data.enterprise_b))

    @with_transaction()
    def test_roles(self):
        "Officers run projects; the leader reads; a clerk sees nothing"
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Item = pool.get('hall.green_channel.item')
        Application = pool.get('hall.application')
        KPIPeriod = pool.get('hall.green_channel.kpi.period')
        data = GreenData()
        project = data.project(data.enterprise_a, data.officer, [data.land])
        applied = data.application(data.enterprise_a, data.land,
            accepted=D(2026, 9, 29))
        citizen = data.application(data.citizen, data.land,
            accepted=D(2026, 9, 29))

        set_user, set_context = as_user(data.officer2)
        with set_user, set_context:
            # Any officer of the green channel works on every project
            self.assertEqual(Project.search([]), [project])
            new, = Project.create([{
                        'party': data.enterprise_b.id, 'name': "康养中心",
                        'category': 'major_livelihood'}])
            self.assertEqual(new.officer, data.officer2.employee)
            Project.accept([new])
            Item.create([{'project': new.id, 'service': data.site.id,
                        'legal_limit': 15, 'promised_limit': 3}])
            # The applications of the enterprises of the green channel only
            self.assertEqual(Application.search([]), [applied])
            with self.assertRaises(AccessError):
                Application.read([citizen.id], ['number'])
            with self.assertRaises(AccessError):
                Application.write([Application(applied.id)], {'note': "x"})
            KPIPeriod.search([])

        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            for model, record in [
                    ('hall.green_channel.project', project),
                    ('hall.green_channel.item', project.items[0]),
                    ]:
                Model = pool.get(model)
                self.assertTrue(Model.search([('id', '=', record.id)]))
                with self.assertRaises(AccessError):
                    Model.write([Model(record.id)], {})
                with self.assertRaises(AccessError):
                    Model.create([{}])
                with self.assertRaises(AccessError):
                    Model.delete([Model(record.id)])
            with self.assertRaises(AccessButtonError):
                Project.start([Project(new.id)])
            KPIPeriod.search([])
        self.assertEqual(Project(new.id).state, 'accepted')

        set_user, set_context = as_user(data.clerk)
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Project.search([])
            with self.assertRaises(AccessError):
                KPIPeriod.search([])

    @with_transaction()
    def test_party_replace_and_erase(self):
        """A merged enterprise keeps its projects; an enterprise is not erased
        while one is open"""
        pool = Pool()
        Party = pool.get('party.party')
        Record = pool.get('hall.green_channel.project')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        data = GreenData()
        enterprise = data.enterprise_b
        duplicate, = Party.copy([enterprise])
        record = data.project(duplicate, data.officer, [data.land])
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


def hall_queue_ready():
    "hall_queue defines hall.ticket with the issue_priority hook used here"
    from trytond.modules import get_module_info
    try:
        info = get_module_info('hall_queue')
        from trytond.modules.hall_queue import ticket
    except Exception:
        return False
    return bool(info) and hasattr(
        getattr(ticket, 'Ticket', None), 'issue_priority')


@unittest.skipUnless(hall_queue_ready(), "hall_queue defines no hall.ticket")
class HallGreenChannelQueueTestCase(ModuleTestCase):
    "Test Hall Green Channel with Hall Queue"
    module = 'hall_green_channel'
    extras = ['hall_queue']

    def queue_data(self):
        """The queues of hall_queue's tests with an enterprise in the green
        channel and one outside"""
        from trytond.modules.hall.tests.approval_tools import USCC_A
        from trytond.modules.hall_queue.tests.tools import MONDAY_10, QueueData
        pool = Pool()
        Party = pool.get('party.party')
        Project = pool.get('hall.green_channel.project')
        data = QueueData()
        data.green, data.other = Party.create([{
                    'name': "滨江市智造科技有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat', 'code': USCC_A}])],
                    }, {
                    'name': "滨江市康养置业有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat', 'code': USCC_B}])],
                    }])
        data.project, = Project.create([{
                    'company': data.company.id,
                    'party': data.green.id,
                    'name': "智能制造产业园",
                    'officer': data.wang.id,
                    'items': [('create', [{
                                    'service': data.licence.id,
                                    'legal_limit': 20,
                                    'promised_limit': 5,
                                    }])],
                    }])
        with on(MONDAY_10.date()):
            Project.accept([data.project])
        return data

    @with_transaction()
    def test_green_channel_priority(self):
        """A ticket of an enterprise in the green channel is called after the
        appointments due now, before the elderly and everybody else"""
        from trytond.modules.hall_queue.tests.tools import MONDAY_10, at
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Window = pool.get('hall.window')
        minute = dt.timedelta(minutes=1)
        data = self.queue_data()
        data.open_windows()
        with at(MONDAY_10):
            first = data.issue(party=data.citizen.id)
        with at(MONDAY_10 + minute):
            other = data.issue(party=data.other.id)
        with at(MONDAY_10 + 2 * minute):
            green = data.issue(party=data.green.id)
        with at(MONDAY_10 + 3 * minute):
            anonymous = data.issue(mobile='13812345678')
        with at(MONDAY_10 + 4 * minute):
            elderly = data.issue(priority='priority')
        with at(MONDAY_10 + 5 * minute):
            appointment = data.issue(priority='appointment')

        self.assertEqual(
            [t.priority for t in [first, other, green, anonymous]],
            ['normal', 'normal', 'green_channel', 'normal'])
        self.assertEqual(green.green_channel_project, data.project)
        self.assertIsNone(other.green_channel_project)
        self.assertEqual(appointment.ahead(), 0)
        self.assertEqual(green.ahead(), 1)
        self.assertEqual(elderly.ahead(), 2)
        self.assertEqual(first.ahead(), 3)
        self.assertEqual(
            Ticket.fields_get(['priority'])['priority']['selection'], [
                ('normal', "Normal"),
                ('priority', "Elderly or Disabled"),
                ('appointment', "Appointment"),
                ('green_channel', "Green Channel"),
                ])

        called = []
        with at(MONDAY_10 + 10 * minute):
            for _ in range(6):
                called.append(Window.call_next_ticket(data.a01.id)['number'])
                ticket = Window(data.a01.id).current_ticket
                Ticket.start([ticket])
                Ticket.finish([ticket])
        self.assertEqual(called, [t.number for t in [
                    appointment, green, elderly, first, other, anonymous]])

    @with_transaction()
    def test_green_channel_project_given(self):
        "A ticket issued for a project gets its priority and its enterprise"
        from trytond.modules.hall_queue.tests.tools import MONDAY_10, at
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        data = self.queue_data()
        with at(MONDAY_10):
            ticket = data.issue(green_channel_project=data.project.id)
            # An appointment due now keeps its better place
            appointment = data.issue(
                party=data.green.id, priority='appointment')
        self.assertEqual(ticket.priority, 'green_channel')
        self.assertEqual(ticket.party, data.green)
        self.assertEqual(appointment.priority, 'appointment')
        self.assertEqual(appointment.green_channel_project, data.project)

        # A closed project gives no priority any more
        data.project.cancel_reason = "企业撤回"
        data.project.save()
        Project.cancel([data.project])
        with at(MONDAY_10):
            ticket = data.issue(party=data.green.id)
        self.assertEqual(ticket.priority, 'normal')
        self.assertIsNone(ticket.green_channel_project)

    @with_transaction()
    def test_clerk_sees_priority(self):
        "A clerk's ticket form shows the priority, not the project"
        from trytond.modules.hall_queue.tests.tools import MONDAY_10, at
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        data = self.queue_data()
        with at(MONDAY_10):
            ticket = data.issue(party=data.green.id)
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            fields = Ticket.fields_view_get(view_type='form')['fields']
            self.assertIn('priority', fields)
            self.assertNotIn('green_channel_project', fields)
            self.assertEqual(Ticket(ticket.id).priority, 'green_channel')
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            fields = Ticket.fields_view_get(view_type='form')['fields']
            self.assertIn('green_channel_project', fields)


del ModuleTestCase
