# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflows of the green channel against plain
JSON-RPC calls (hall.model.ServerReadonlyMixin): what sao would not send is
refused, as the officer and the hall manager, and nothing changes."""
import datetime as dt

from trytond.modules.hall.tests.tools import on
from trytond.modules.hall.tests.tools import RPCTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .test_module import GreenData

D = dt.date
PROJECT = 'model.hall.green_channel.project'
ITEM = 'model.hall.green_channel.item'
ISSUE = 'model.hall.green_channel.meeting.issue'
MEETING = 'model.hall.green_channel.meeting'
CONTACT = 'model.hall.green_channel.project.contact'
EXTRA = 'model.hall.green_channel.extra_service'

class HallGreenChannelRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the green channel rules over JSON-RPC"
    module = 'hall_green_channel'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Item = pool.get('hall.green_channel.item')
        Meeting = pool.get('hall.green_channel.meeting')
        Issue = pool.get('hall.green_channel.meeting.issue')
        data = GreenData()
        # A draft project of 康养置业 and the started one of 智造科技, whose
        # land item follows its application, the site item is started by
        # hand and the design item starts in the future
        draft = data.project(
            data.enterprise_b, data.officer, [data.site], start=False)
        started = data.project(data.enterprise_a, data.officer,
            [data.land, data.site, data.design])
        land, site, design = started.items
        data.application(data.enterprise_a, data.land,
            accepted=D(2026, 9, 29))
        site.start_date = D(2026, 9, 30)
        site.save()
        with on(D(2026, 9, 30)):
            Item.start([site])
        design.start_date = D(2099, 1, 4)
        design.save()
        meeting, = Meeting.create([{
                    'project': started.id,
                    'date': D(2026, 9, 29),
                    'subject': "用地与规划联审",
                    'departments': [('add', [
                                data.planning.id, data.housing.id])],
                    'issues': [('create', [{
                                    'description': "红线范围与规划条件不一致",
                                    'department': data.planning.id,
                                    'owner': data.officer.employee.id,
                                    'due_date': D(2026, 10, 9),
                                    }, {
                                    'description': "消防通道宽度不足",
                                    'department': data.housing.id,
                                    'owner': data.officer.employee.id,
                                    'due_date': D(2026, 10, 9),
                                    'resolution': "设计单位已修改总平面图",
                                    }])],
                    }])
        open_issue, resolved = meeting.issues
        with on(D(2026, 10, 8)):
            Issue.resolve([resolved])
        cls.ids = {
            'draft': draft.id,
            'started': started.id,
            'draft_item': draft.items[0].id,
            'land': land.id,
            'site': site.id,
            'design': design.id,
            'meeting': meeting.id,
            'open_issue': open_issue.id,
            'resolved': resolved.id,
            'officer': data.officer.employee.id,
            'planning': data.planning.id,
            'enterprise_b': data.enterprise_b.id,
            'company': data.company.id,
            }
        assert Item(land.id).state == 'in_progress'
        assert Project(started.id).state == 'in_progress'
        cls.officer = cls.session(data.officer)
        cls.manager = cls.session(data.manager)

    def stored(self, model, id_, *names):
        record, = self.read(model, [id_], list(names))
        return record

    def test_owned_fields_refused(self):
        "Each field the code of a workflow owns is refused to each writer"
        tried = 0
        for session in [self.officer, self.manager]:
            for model, records in [
                    ('hall.green_channel.project',
                        ['draft', 'started']),
                    ('hall.green_channel.item',
                        ['draft_item', 'site', 'land']),
                    ('hall.green_channel.meeting.issue',
                        ['open_issue', 'resolved']),
                    ]:
                for record in records:
                    tried += self.assertOwnedRefused(
                        session, model, self.ids[record])
        # the state, the stamps and the dates of the transitions, the
        # create and write stamps of 7 records, as 2 users
        self.assertGreaterEqual(tried, 120)

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        ids = self.ids
        draft, started = ids['draft'], ids['started']
        site, design = ids['site'], ids['design']
        issue, meeting = ids['open_issue'], ids['meeting']
        new_project = {
            'company': ids['company'], 'party': ids['enterprise_b'],
            'name': "康养中心二期", 'category': 'major_livelihood',
            'officer': ids['officer'],
            }
        bad = [
            # wrong kinds
            (self.officer, f'{PROJECT}.write', [draft],
                {'investment': "五亿"}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'name': ["项目"]}),
            (self.officer, f'{ISSUE}.write', [issue],
                {'due_date': "下周五"}),
            (self.manager, f'{ITEM}.write', [design],
                {'legal_limit': "二十"}),
            (self.officer, f'{PROJECT}.create', {'name': "项目"}),
            (self.officer, f'{PROJECT}.create', ["项目"]),
            (self.officer, f'{PROJECT}.create',
                [{**new_project, 'party': "智造科技"}]),
            # records that do not exist
            (self.officer, f'{PROJECT}.write', [draft],
                {'officer': 999999}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'officer': 10 ** 20}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'officer': -1}),
            (self.manager, f'{ISSUE}.write', [issue],
                {'department': 10 ** 20}),
            (self.officer, f'{PROJECT}.write', [999999],
                {'name': "不存在"}),
            (self.officer, f'{PROJECT}.accept', [999999]),
            (self.officer, f'{ITEM}.finish', [-1]),
            (self.manager, f'{ISSUE}.reopen', [0]),
            # values outside the selection or the domain
            (self.officer, f'{PROJECT}.write', [draft],
                {'category': 'space_station'}),
            (self.officer, f'{EXTRA}.create', [{
                        'project': started, 'kind': 'teleport'}]),
            (self.officer, f'{PROJECT}.write', [draft],
                {'investment': -5000}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'investment': 10 ** 20}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'investment': 1.234}),
            # required values missing
            (self.officer, f'{PROJECT}.write', [draft], {'name': ""}),
            (self.officer, f'{PROJECT}.create',
                [{**new_project, 'name': None}]),
            (self.manager, f'{ISSUE}.write', [issue], {'owner': None}),
            # negative limits, promised over legal
            (self.officer, f'{ITEM}.write', [design],
                {'legal_limit': -3}),
            (self.officer, f'{ITEM}.write', [design],
                {'promised_limit': 25}),
            # dates in the future or out of order
            (self.officer, f'{ITEM}.start', [design]),
            (self.officer, f'{ITEM}.write', [site],
                {'end_date': D(2026, 9, 1)}),
            # 100,000-character texts
            (self.officer, f'{PROJECT}.write', [draft],
                {'name': "园" * 100000}),
            (self.officer, f'{PROJECT}.write', [draft],
                {'description': "述" * 100000}),
            (self.manager, f'{MEETING}.write', [meeting],
                {'minutes': "纪" * 100000}),
            # extra arguments to a button
            (self.officer, f'{PROJECT}.accept', [draft], '2099-01-01'),
            (self.manager, f'{ISSUE}.resolve', [issue], {'resolution': "好"}),
            # a button whose step needs what is missing
            (self.officer, f'{ISSUE}.resolve', [issue]),
            (self.officer, f'{PROJECT}.cancel', [started]),
            (self.officer, f'{PROJECT}.complete', [started]),
            (self.officer, f'{PROJECT}.complete', [draft]),
            # a contact's phone is a Chinese number
            (self.officer, f'{CONTACT}.create', [{
                        'project': draft, 'name': "李经理",
                        'phone': '1381234567'}]),
            ]
        models = ['hall.green_channel.project', 'hall.green_channel.item',
            'hall.green_channel.meeting.issue', 'hall.green_channel.meeting',
            'hall.green_channel.project.contact',
            'hall.green_channel.extra_service']

        def snapshot():
            return ([self.count(m) for m in models],
                self.stored('hall.green_channel.project', draft, 'name',
                    'investment', 'officer', 'category', 'description',
                    'state'),
                self.stored('hall.green_channel.project', started, 'state',
                    'cancel_reason', 'completed_date', 'cancelled_date'),
                self.stored('hall.green_channel.item', design, 'state',
                    'legal_limit', 'promised_limit', 'start_date'),
                self.stored('hall.green_channel.item', site, 'state',
                    'end_date', 'actual_days'),
                self.stored('hall.green_channel.meeting.issue', issue,
                    'state', 'due_date', 'department', 'resolved_date'),
                self.stored('hall.green_channel.meeting', meeting,
                    'minutes'))
        before = snapshot()
        refused = 0
        for session, method, *params in bad:
            with self.subTest(method=method, params=str(params)[:80]):
                self.assertRefused(session, method, *params)
                refused += 1
        self.assertEqual(snapshot(), before)
        self.assertEqual(refused, len(bad))
        self.assertGreaterEqual(refused, 37)

    def test_huge_record_ids(self):
        "Ids past what the database holds are refused in Chinese"
        before = self.count('hall.green_channel.project')
        for method, *params in [
                (f'{PROJECT}.write', [10 ** 20], {'name': "不存在"}),
                (f'{PROJECT}.accept', [10 ** 20]),
                (f'{ISSUE}.resolve', [-10 ** 20]),
                ]:
            self.assertRefused(self.officer, method, *params)
        self.assertEqual(self.count('hall.green_channel.project'), before)
