# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflows of the content office against plain
JSON-RPC calls (content_review.model.ServerReadonlyMixin): what sao would
not send is refused, as the editor, each reviewer and the office manager,
and nothing changes."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .tools import ContentData, RPCTestMixin, as_user

ARTICLE = 'model.content.article'
CHANNEL = 'model.content.channel'
ADJUSTMENT = 'model.content.channel.adjustment'
FINDING = 'model.content.finding'
RECTIFICATION = 'model.content.rectification'
CONFIGURATION = 'model.content.configuration'
LEADER = 'model.content.leader'
WORD = 'model.content.sensitive_word'
D = dt.date


class ContentReviewRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the content office rules over JSON-RPC"
    module = 'content_review'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Article = pool.get('content.article')
        Channel = pool.get('content.channel')
        Adjustment = pool.get('content.channel.adjustment')
        Finding = pool.get('content.finding')
        Rectification = pool.get('content.rectification')
        data = ContentData()

        # an article at each step of the review, from the editor
        draft = data.article("滨江市召开政务公开工作会议。", title="政务公开")
        submitted = data.article(
            "全体干部再接再励，推动高质量发展。攻府工作报告已印发。",
            title="高质量发展")
        first = data.article("滨江市举办营商环境座谈会。", title="营商环境")
        second = data.article("滨江市开展安全生产检查。", title="安全生产")
        published = data.article("滨江市发布秋季防汛通知。", title="防汛通知")
        steps = [submitted, first, second, published]
        with as_user(data.editor):
            Article.submit(Article.browse(steps))
        for user, step, articles in [
                (data.rev1, 'first_review', [first, second, published]),
                (data.rev2, 'second_review', [second, published]),
                (data.rev3, 'final_review', [published]),
                ]:
            with as_user(user):
                getattr(Article, step)(Article.browse(articles))
        published = Article(published.id)
        published.url = 'https://www.example.gov.cn/art/2025/9/15/1.html'
        published.save()
        Article.publish([published])
        # the first reviewer acknowledges the normal finding; the serious
        # one stays open
        normal, = Finding.search([
                ('article', '=', submitted.id), ('severity', '=', 'normal')])
        serious, = Finding.search([
                ('article', '=', submitted.id), ('severity', '=', 'serious')])
        with as_user(data.rev1):
            Finding.write([Finding(normal.id)], {'reason': "引用原文"})
            Finding.accept([Finding(normal.id)])

        # the WeChat account is suspended
        wechat = Channel(data.wechat.id)
        wechat.suspension_reason = "账号升级"
        wechat.save()
        Channel.suspend([wechat])

        # the editor asks to rename both columns; one is submitted
        adjustment_draft, adjustment_submitted = Adjustment.create([{
                    'company': data.company.id, 'column': data.news.id,
                    'kind': 'rename', 'new_name': "滨江要闻",
                    'reason': "栏目名称规范", 'requested_by': data.editor.id,
                    }, {
                    'company': data.company.id, 'column': data.notices.id,
                    'kind': 'rename', 'new_name': "公示公告",
                    'reason': "栏目名称规范", 'requested_by': data.editor.id,
                    }])
        Adjustment.submit([adjustment_submitted])

        # a rectification of the published article, a draft and a
        # registered one
        rectification_draft, rectification_open = Rectification.create([{
                    'company': data.company.id, 'category': 'typo',
                    'source': 'self_check', 'article': published.id,
                    'reported_date': D(2025, 9, 16),
                    'description': "标题错别字", 'responsible': data.editor.id,
                    }, {
                    'company': data.company.id, 'category': 'privacy',
                    'source': 'notice', 'article': published.id,
                    'notice_reference': "滨政办网〔2025〕3号",
                    'reported_date': D(2025, 9, 16),
                    'description': "泄露手机号", 'responsible': data.editor.id,
                    }])
        Rectification.register([rectification_open])

        cls.ids = {
            'draft': draft.id,
            'submitted': submitted.id,
            'first': first.id,
            'second': second.id,
            'published': published.id,
            'news': data.news.id,
            'notices': data.notices.id,
            'wechat': wechat.id,
            'normal': normal.id,
            'serious': serious.id,
            'adjustment_draft': adjustment_draft.id,
            'adjustment_submitted': adjustment_submitted.id,
            'rectification_draft': rectification_draft.id,
            'rectification_open': rectification_open.id,
            'company': data.company.id,
            'editor2': data.editor2.id,
            'office': data.office.id,
            }
        states = {
            'draft': 'draft', 'submitted': 'submitted',
            'first': 'first_reviewed', 'second': 'second_reviewed',
            'published': 'published'}
        for name, state in states.items():
            assert Article(cls.ids[name]).state == state, name
        assert Finding(normal.id).state == 'accepted'
        assert Channel(wechat.id).state == 'suspended'
        assert Rectification(rectification_open.id).state == 'open'
        cls.editor = cls.session(data.editor)
        cls.rev1 = cls.session(data.rev1)
        cls.rev2 = cls.session(data.rev2)
        cls.rev3 = cls.session(data.rev3)
        cls.manager = cls.session(data.manager)

    def stored(self, model, id_, *names):
        record, = self.read(model, [id_], list(names))
        return record

    def test_owned_fields_refused(self):
        "Each field the code of a workflow owns is refused to each writer"
        editor, rev1, rev2, rev3, manager = (
            self.editor, self.rev1, self.rev2, self.rev3, self.manager)
        plan = [
            # the editor's own articles, each reviewer's step, the manager
            ('content.article', editor, ['draft', 'submitted']),
            ('content.article', rev1, ['submitted']),
            ('content.article', rev2, ['first']),
            ('content.article', rev3, ['second']),
            ('content.article', manager, ['draft', 'published']),
            ('content.channel', manager, ['news', 'wechat']),
            ]
        for session in [editor, manager]:
            plan += [
                ('content.channel.adjustment', session,
                    ['adjustment_draft', 'adjustment_submitted']),
                ('content.rectification', session,
                    ['rectification_draft', 'rectification_open']),
                ]
        for session in [editor, rev1, rev2, rev3, manager]:
            plan.append(('content.finding', session, ['serious', 'normal']))
        tried = 0
        for model, session, records in plan:
            for record in records:
                tried += self.assertOwnedRefused(
                    session, model, self.ids[record])
        self.assertGreaterEqual(tried, 400)

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        ids = self.ids
        draft, submitted = ids['draft'], ids['submitted']
        news, wechat = ids['news'], ids['wechat']
        adjustment = ids['adjustment_submitted']
        rectification = ids['rectification_draft']
        registered = ids['rectification_open']
        new_rectification = {
            'company': ids['company'], 'category': 'typo',
            'source': 'self_check', 'article': ids['published'],
            'reported_date': D(2025, 9, 20), 'description': "错别字",
            }
        bad = [
            # wrong kinds
            (self.editor, f'{ARTICLE}.write', [draft], {'title': 12345}),
            (self.editor, f'{ARTICLE}.write', [draft], {'body': ["正文"]}),
            (self.editor, f'{ARTICLE}.write', [draft],
                {'channels': [news]}),
            (self.editor, f'{ARTICLE}.create', {'title': "稿件"}),
            (self.editor, f'{ARTICLE}.create', ["稿件"]),
            (self.manager, f'{CHANNEL}.write', [news],
                {'opened_date': "2025-01-01"}),
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'responsible': "编辑"}),
            (self.manager, f'{CONFIGURATION}.write', [1],
                {'silent_days': "十四"}),
            # records that do not exist
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'responsible': 999999}),
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'responsible': 10 ** 20}),
            (self.manager, f'{CHANNEL}.write', [news],
                {'department': -1}),
            (self.editor, f'{ARTICLE}.write', [draft],
                {'channels': [('add', [999999])]}),
            (self.editor, f'{ARTICLE}.write', [999999], {'title': "无"}),
            (self.editor, f'{ARTICLE}.write', [10 ** 20], {'title': "无"}),
            (self.editor, f'{ARTICLE}.submit', [999999]),
            (self.editor, f'{ARTICLE}.submit', [10 ** 20]),
            (self.editor, f'{ARTICLE}.check', [-1]),
            (self.manager, f'{CHANNEL}.refresh_indicators', [-10 ** 20]),
            (self.manager, f'{RECTIFICATION}.copy', [10 ** 20], {}),
            # values outside the selection or the limits
            (self.manager, f'{RECTIFICATION}.create',
                [{**new_rectification, 'category': 'alien_attack'}]),
            (self.manager, f'{ADJUSTMENT}.write', [ids['adjustment_draft']],
                {'kind': 'explode'}),
            (self.manager, f'{WORD}.create',
                [{'word': "敏感", 'severity': 'fatal'}]),
            (self.manager, f'{CONFIGURATION}.write', [1],
                {'silent_days': -14}),
            (self.manager, f'{CONFIGURATION}.write', [1],
                {'feed_timeout': 10 ** 20}),
            (self.manager, f'{CHANNEL}.write', [news],
                {'feed_url': "不是网址"}),
            # dates out of order or in the future
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'deadline': D(2025, 9, 1)}),
            (self.manager, f'{LEADER}.create', [{
                        'name': "李明", 'title': "副市长",
                        'start_date': D(2025, 1, 1),
                        'end_date': D(2024, 1, 1)}]),
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'reported_date': D(2099, 1, 1), 'deadline': D(2099, 2, 1)}),
            (self.manager, f'{RECTIFICATION}.create', [{
                        **new_rectification,
                        'reported_date': D(2099, 1, 1),
                        'deadline': D(2099, 2, 1)}]),
            (self.manager, f'{CHANNEL}.write', [news],
                {'manual_last_update': D(2099, 1, 1)}),
            # 100,000-character texts and over a million for a body
            (self.editor, f'{ARTICLE}.write', [draft],
                {'title': "题" * 100000}),
            (self.editor, f'{ARTICLE}.write', [draft],
                {'body': "文" * 1000001}),
            (self.manager, f'{RECTIFICATION}.write', [rectification],
                {'description': "述" * 100000}),
            # extra arguments to a button
            (self.editor, f'{ARTICLE}.submit', [draft], 'approved'),
            (self.rev1, f'{ARTICLE}.first_review', [submitted], True),
            (self.manager, f'{CHANNEL}.resume', [wechat], {'force': True}),
            # a step that needs what is missing
            (self.rev1, f'{ARTICLE}.first_review', [submitted]),
            (self.rev1, f'{ARTICLE}.reject', [submitted]),
            (self.rev1, f'{FINDING}.accept', [ids['serious']]),
            (self.manager, f'{CHANNEL}.suspend', [news]),
            (self.manager, f'{ADJUSTMENT}.reject', [adjustment]),
            (self.editor, f'{ADJUSTMENT}.approve', [adjustment]),
            (self.editor, f'{RECTIFICATION}.rectify', [registered]),
            # a step out of its state
            (self.manager, f'{ARTICLE}.publish', [draft]),
            ]
        models = ['content.article', 'content.channel',
            'content.channel.adjustment', 'content.finding',
            'content.rectification', 'content.leader',
            'content.sensitive_word', 'content.article.review']

        def snapshot():
            return ([self.count(m) for m in models],
                self.stored('content.article', draft, 'title', 'body',
                    'channels', 'state', 'write_date'),
                self.stored('content.article', submitted, 'state',
                    'first_reviewer', 'rejected_by', 'write_date'),
                self.stored('content.channel', news, 'opened_date',
                    'department', 'feed_url', 'manual_last_update', 'state',
                    'last_update', 'write_date'),
                self.stored('content.channel', wechat, 'state'),
                self.stored('content.channel.adjustment', adjustment,
                    'state', 'kind'),
                self.stored('content.rectification', rectification,
                    'responsible', 'deadline', 'reported_date',
                    'description', 'write_date'),
                self.stored('content.rectification', registered, 'state'),
                self.stored('content.finding', ids['serious'], 'state'),
                self.stored('content.configuration', 1, 'silent_days',
                    'feed_timeout'))
        before = snapshot()
        refused = 0
        for session, method, *params in bad:
            with self.subTest(method=method, params=str(params)[:80]):
                self.assertRefused(session, method, *params)
                refused += 1
        self.assertEqual(snapshot(), before)
        self.assertEqual(refused, len(bad))
        self.assertGreaterEqual(refused, 44)

