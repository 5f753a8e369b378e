# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from lxml import etree

from trytond.i18n import gettext
from trytond.model.exceptions import AccessError, ValidationError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.modules.content_review.exceptions import (
    AdjustmentError, ArgumentError, ArticleDeleteError,
    ArticleModificationError, ArticleValidationError, ChannelClosureError,
    ChannelValidationError, FeedReadError, FindingError,
    LexiconValidationError, ReadonlyFieldError, RectificationError,
    ReviewError, WorkflowError)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    ContentData, ServerReadonlyTestMixin, TranslatedTestMixin, as_user)

# A valid resident ID number (GB 11643 check digit) and a leader register
ID_NUMBER = '11010519491231002X'
TODAY = dt.date(2025, 9, 15)


def rss(*dates):
    "An RSS 2.0 feed with one item per date"
    items = ''.join(
        f'<item><title>第{i}条</title><link>https://www.example.gov.cn/{i}'
        f'</link><pubDate>{d}</pubDate></item>'
        for i, d in enumerate(dates, 1))
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        '<title>滨江发布</title><link>https://www.example.gov.cn/</link>'
        f'{items}</channel></rss>').encode('utf-8')


@contextmanager
def serving(documents):
    "Serve {path: (content_type, bytes)} on a local HTTP server"
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in documents:
                self.send_error(404)
                return
            content_type, body = documents[self.path]
            self.send_response(200)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{server.server_address[1]}'
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port():
    "A local port nobody listens on"
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def reload(record):
    return record.__class__(record.id)


def rpc(Model, method, *args):
    """Call `method` as the JSON-RPC dispatcher does, with the decorator of
    its RPC entry point (where the server holds the workflow's fields)"""
    return Model.__rpc__[method].decorate(getattr(Model, method))(*args)


class ContentReviewTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Content Review module"
    module = 'content_review'

    def review(self, article, *users):
        "Pass the review steps in order, each by one of users"
        Article = Pool().get('content.article')
        for user, step in zip(users, [
                    'first_review', 'second_review', 'final_review']):
            with as_user(user):
                getattr(Article, step)([Article(article.id)])
        return reload(article)

    @with_transaction()
    def test_default_expressions(self):
        "The common errors of government writing are shipped"
        pool = Pool()
        Expression = pool.get('content.expression')
        expressions = {e.wrong: e.correct for e in Expression.search([])}
        self.assertGreaterEqual(len(expressions), 60)
        self.assertEqual(expressions['中华人民共合国'], "中华人民共和国")
        self.assertEqual(expressions['攻府'], "政府")
        self.assertEqual(expressions['省省委书记'], "省委书记")

    @with_transaction()
    def test_review_workflow(self):
        "Findings block the approval; three reviewers approve; published"
        pool = Pool()
        Article = pool.get('content.article')
        Date = pool.get('ir.date')
        data = ContentData()
        article = data.article(
            f"市长王建国副市长调研政务服务。申请人身份证号{ID_NUMBER}。")
        with patch.object(Date, 'today', return_value=TODAY), \
                as_user(data.editor):
            Article.submit([Article(article.id)])
        article = reload(article)
        self.assertEqual(article.state, 'submitted')
        kinds = {(f.kind, f.severity, f.state) for f in article.findings}
        self.assertIn(('id_number', 'serious', 'open'), kinds)
        self.assertIn(('leader_title', 'serious', 'open'), kinds)
        id_finding, = [f for f in article.findings if f.kind == 'id_number']
        self.assertEqual(id_finding.text, ID_NUMBER)
        self.assertEqual(id_finding.suggestion, '110105********002X')
        self.assertIn('【' + ID_NUMBER + '】', id_finding.excerpt)
        self.assertIn('<b>' + ID_NUMBER + '</b>', article.body_marked)
        self.assertEqual(article.open_serious, 2)

        # approval blocked
        with self.assertRaises(ReviewError):
            with as_user(data.rev1):
                Article.first_review([Article(article.id)])
        self.assertEqual(reload(article).state, 'submitted')

        # the author fixes the text: back to draft, submitted again
        with as_user(data.editor):
            Article.write([Article(article.id)], {
                    'body': "王建国市长调研政务服务。申请人身份证号"
                    "110105********002X。"})
            self.assertEqual(Article(article.id).state, 'draft')
            with patch.object(Date, 'today', return_value=TODAY):
                Article.submit([Article(article.id)])
        article = reload(article)
        self.assertEqual(
            {f.state for f in article.findings}, {'fixed'})
        self.assertEqual(article.open_serious, 0)

        article = self.review(article, data.rev1, data.rev2, data.rev3)
        self.assertEqual(article.state, 'approved')
        self.assertEqual(
            [article.first_reviewer, article.second_reviewer,
                article.final_reviewer],
            [data.rev1, data.rev2, data.rev3])

        with as_user(data.editor):
            with self.assertRaises(WorkflowError):
                Article.publish([Article(article.id)])
            Article.write([Article(article.id)], {
                    'url': 'https://www.example.gov.cn/art/2025/9/15/1.html'})
            Article.publish([Article(article.id)])
        article = reload(article)
        self.assertEqual(article.state, 'published')
        self.assertIsNotNone(article.published_at)
        self.assertEqual(
            [r.action for r in article.reviews],
            ['submit', 'edit', 'submit', 'first', 'second', 'final',
                'publish'])

        # published: content frozen, kept
        with self.assertRaises(ArticleModificationError):
            Article.write([article], {'title': "改标题"})
        with self.assertRaises(ArticleDeleteError):
            Article.delete([article])
        with self.assertRaises(WorkflowError):
            Article.withdraw([article])
        article.withdrawal_reason = "信息有误"
        article.save()
        Article.withdraw([article])
        self.assertEqual(article.state, 'withdrawn')

    @with_transaction()
    def test_author_cannot_approve_own(self):
        "An author who is also a reviewer cannot review their own article"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。",
            author=data.editor_rev)
        with as_user(data.editor_rev):
            Article.submit([Article(article.id)])
            with self.assertRaises(ReviewError) as cm:
                Article.first_review([Article(article.id)])
        self.assertIn("政务动态", cm.exception.message)
        article = reload(article)
        self.assertEqual(article.state, 'submitted')
        self.assertIsNone(article.first_reviewer)
        # and cannot reject it either
        article.rejection_reason = "自己退回"
        article.save()
        with as_user(data.editor_rev):
            with self.assertRaises(ReviewError):
                Article.reject([Article(article.id)])
        self.assertEqual(reload(article).state, 'submitted')

    @with_transaction()
    def test_workflow_fields_over_rpc(self):
        "An editor cannot skip the review with a plain write or create"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            for values in [
                    {'state': 'approved'},
                    {'first_reviewer': data.rev1.id},
                    {'final_reviewed_at': dt.datetime(2025, 9, 1)},
                    {'published_by': data.editor.id},
                    ]:
                with self.subTest(values=values):
                    with self.assertRaises(ReadonlyFieldError):
                        rpc(Article, 'write', [Article(article.id)], values)
            with self.assertRaises(ReadonlyFieldError):
                rpc(Article, 'create', [{
                            'title': "免审", 'body': "正文",
                            'state': 'approved',
                            'channels': [('add', [data.news.id])]}])
            with self.assertRaises(ArgumentError):
                rpc(Article, 'submit', [Article(article.id)], 'approved')
            # what sao sends is accepted
            rpc(Article, 'write', [Article(article.id)],
                {'title': "政务公开工作会议", 'state': 'draft'})
            rpc(Article, 'submit', [Article(article.id)])
            with self.assertRaises((AccessError, AccessButtonError)):
                rpc(Article, 'first_review', [Article(article.id)])
        article = reload(article)
        self.assertEqual(article.state, 'submitted')
        self.assertIsNone(article.first_reviewer)
        self.assertEqual(article.title, "政务公开工作会议")

    @with_transaction()
    def test_one_reviewer_two_steps(self):
        "A reviewer of every step cannot do two steps of one article"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        with as_user(data.rev_all):
            Article.first_review([Article(article.id)])
            with self.assertRaises(ReviewError):
                Article.second_review([Article(article.id)])
        article = reload(article)
        self.assertEqual(article.state, 'first_reviewed')
        self.assertIsNone(article.second_reviewer)
        with as_user(data.rev2):
            Article.second_review([Article(article.id)])
        with as_user(data.rev_all):
            with self.assertRaises(ReviewError):
                Article.final_review([Article(article.id)])
        with as_user(data.rev3):
            Article.final_review([Article(article.id)])
        self.assertEqual(reload(article).state, 'approved')

    @with_transaction()
    def test_may_review_and_next_step(self):
        "Each user sees the articles at their own step and what comes next"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        own = data.article("滨江市开展安全生产检查。", author=data.editor_rev)
        with as_user(data.editor):
            self.assertEqual(Article(article.id).next_step,
                gettext('content_review.msg_article_next_draft'))
            Article.submit([Article(article.id)])
            self.assertEqual(Article(article.id).next_step,
                gettext('content_review.msg_article_next_submitted'))
        with as_user(data.editor_rev):
            Article.submit([Article(own.id)])

        def to_review(user):
            with as_user(user):
                found = Article.search([('may_review', '=', True)])
                others = Article.search([('may_review', '=', False)])
                flags = {a.id: a.may_review for a in found + others}
            self.assertEqual(
                {i for i, flag in flags.items() if flag},
                {a.id for a in found})
            return {a.id for a in found}

        self.assertEqual(to_review(data.rev1), {article.id, own.id})
        # never one's own article, nor a step of another group
        self.assertEqual(to_review(data.editor_rev), {article.id})
        self.assertEqual(to_review(data.rev2), set())
        self.assertEqual(to_review(data.editor), set())

        with as_user(data.rev_all):
            Article.first_review([Article(article.id)])
            self.assertEqual(Article(article.id).next_step,
                gettext('content_review.msg_article_next_first_reviewed'))
        self.assertEqual(to_review(data.rev2), {article.id})
        # who did the first review does not do the second
        self.assertNotIn(article.id, to_review(data.rev_all))

        with as_user(data.rev2):
            rejected = Article(article.id)
            rejected.rejection_reason = "数据需核实"
            rejected.save()
            Article.reject([rejected])
            self.assertEqual(Article(article.id).next_step,
                gettext('content_review.msg_article_next_rejected',
                    user=data.rev2.rec_name))

    @with_transaction()
    def test_buttons_hidden_without_access(self):
        "A button the user may never press is hidden, not greyed"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        for user, hidden, shown in [
                (data.editor, {'first_review', 'reject'}, {'submit'}),
                (data.rev1, {'submit', 'publish'}, {'first_review'}),
                ]:
            with self.subTest(user=user.login), as_user(user):
                arch = Article.fields_view_get(view_type='form')['arch']
                buttons = {
                    b.get('name'): PYSONDecoder(noeval=True).decode(
                        b.get('states'))
                    for b in etree.fromstring(arch).iter('button')}
                for name in hidden:
                    self.assertIs(buttons[name].get('invisible'), True, name)
                for name in shown:
                    self.assertIsNot(
                        buttons[name].get('invisible'), True, name)

    @with_transaction()
    def test_reviewer_step_groups(self):
        "Each step is done by a member of its group only"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        for user in [data.rev2, data.rev3, data.manager, data.editor2]:
            with self.subTest(user=user.login):
                with as_user(user):
                    with self.assertRaises((AccessError, AccessButtonError)):
                        Article.first_review([Article(article.id)])
        # also through the ORM, without the client's checks
        with Transaction().set_user(data.rev2.id):
            with self.assertRaises(ReviewError):
                Article.first_review([Article(article.id)])
        self.assertEqual(reload(article).state, 'submitted')

    @with_transaction()
    def test_reject_needs_reason(self):
        "Rejecting without a reason is refused; with one the author gets it"
        pool = Pool()
        Article = pool.get('content.article')
        Notification = pool.get('res.notification')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        self.review(article, data.rev1)
        with as_user(data.rev2):
            with self.assertRaises(ReviewError):
                Article.reject([Article(article.id)])
            self.assertEqual(Article(article.id).state, 'first_reviewed')
            Article.write([Article(article.id)], {
                    'rejection_reason': "标题不规范"})
            Article.reject([Article(article.id)])
        article = reload(article)
        self.assertEqual(article.state, 'draft')
        self.assertEqual(article.rejected_by, data.rev2)
        self.assertIsNone(article.first_reviewer)
        self.assertEqual(article.reviews[-1].action, 'reject')
        self.assertEqual(article.reviews[-1].comment, "标题不规范")
        Transaction()._store_user_notifications()
        notification, = Notification.search([('user', '=', data.editor.id)])
        self.assertEqual(notification.description, "标题不规范")

    @with_transaction()
    def test_normal_findings_acknowledged(self):
        "一般 findings need an acknowledgement with a reason"
        pool = Pool()
        Article = pool.get('content.article')
        Finding = pool.get('content.finding')
        data = ContentData()
        article = data.article("全体干部再接再励，推动高质量发展。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        finding, = reload(article).findings
        self.assertEqual(
            (finding.kind, finding.severity, finding.suggestion),
            ('expression', 'normal', '再接再厉'))
        with as_user(data.rev1):
            with self.assertRaises(ReviewError):
                Article.first_review([Article(article.id)])
            with self.assertRaises(FindingError):
                Finding.accept([Finding(finding.id)])
            Finding.write([Finding(finding.id)], {'reason': "引用原文"})
            Finding.accept([Finding(finding.id)])
            Article.first_review([Article(article.id)])
        finding = reload(finding)
        self.assertEqual(
            (finding.state, finding.decided_by), ('accepted', data.rev1))
        # the author does not decide on the findings of own article
        article2 = data.article("攻府工作报告", author=data.editor_rev)
        with as_user(data.editor_rev):
            Article.submit([Article(article2.id)])
            serious, = Article(article2.id).findings
            with self.assertRaises(FindingError):
                Finding.mark_false_positive([Finding(serious.id)])
        # a serious finding cannot be accepted as written
        with as_user(data.rev1):
            Finding.write([Finding(serious.id)], {'reason': "无"})
            with self.assertRaises(FindingError):
                Finding.accept([Finding(serious.id)])
        self.assertEqual(reload(serious).state, 'open')

    @with_transaction()
    def test_edit_under_review_back_to_draft(self):
        "Editing a submitted article sends it back to draft"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        article = self.review(article, data.rev1)
        with as_user(data.editor):
            Article.write([Article(article.id)], {'title': "新标题"})
        article = reload(article)
        self.assertEqual(article.state, 'draft')
        self.assertIsNone(article.first_reviewer)
        self.assertEqual(article.reviews[-1].action, 'edit')
        # the rejection reason or the URL are not edits
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        article.rejection_reason = "x"
        article.save()
        self.assertEqual(reload(article).state, 'submitted')

    @with_transaction()
    def test_draft_delete(self):
        "A draft never submitted can be deleted, a submitted one cannot"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        draft = data.article("草稿")
        submitted = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(submitted.id)])
            Article.delete([Article(draft.id)])
            with self.assertRaises(ArticleDeleteError):
                Article.delete([Article(submitted.id)])

    @with_transaction()
    def test_rules_cache(self):
        "The rules are cached until a lexicon changes"
        pool = Pool()
        Word = pool.get('content.sensitive_word')
        Link = pool.get('content.link_domain')
        from trytond.modules.content_review.lexicon import get_rules
        from trytond.modules.content_review.checks import scan
        rules = get_rules()
        self.assertIs(get_rules(), rules)
        self.assertEqual(
            [f.kind for f in scan("这是一个测试敏感词。", rules)], [])
        Word.create([{'word': "测试敏感词", 'severity': 'serious'}])
        rules2 = get_rules()
        self.assertIsNot(rules2, rules)
        self.assertEqual(
            [f.kind for f in scan("这是一个测试敏感词。", rules2)],
            ['sensitive_word'])
        self.assertIs(get_rules(), rules2)
        Link.create([{'domain': 'BAD.example.com', 'list': 'blacklist'}])
        link, = Link.search([])
        self.assertEqual(link.domain, 'bad.example.com')
        self.assertIn('bad.example.com', get_rules().link_blacklist)
        with self.assertRaises(LexiconValidationError):
            Link.create([{'domain': 'not a domain', 'list': 'whitelist'}])

    @with_transaction()
    def test_author_channels(self):
        "An author writes only for the channels they edit"
        data = ContentData()
        with self.assertRaises(ArticleValidationError):
            data.article("通知", channels=[data.notices])
        with self.assertRaises(ArticleValidationError):
            data.article("通知", author=data.editor2)

    @with_transaction()
    def test_submit_needs_channel_and_body(self):
        "An article goes to review with a body and a channel"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("")
        with as_user(data.editor):
            with self.assertRaises(ArticleValidationError):
                Article.submit([Article(article.id)])
            Article.write([Article(article.id)], {
                    'body': "正文", 'channels': [('remove', [data.news.id])]})
            with self.assertRaises(ArticleValidationError):
                Article.submit([Article(article.id)])
        self.assertEqual(reload(article).state, 'draft')

    @with_transaction()
    def test_deregister_with_drafts(self):
        "An account with unpublished articles cannot be closed"
        pool = Pool()
        Article = pool.get('content.article')
        Channel = pool.get('content.channel')
        data = ContentData()
        article = data.article("公众号草稿", channels=[data.wechat])
        account = data.wechat
        account.closure_reason = "机构改革，账号整合"
        account.save()
        with as_user(data.manager):
            with self.assertRaises(ChannelClosureError) as cm:
                Channel.request_closure([Channel(account.id)])
        self.assertIn("滨江发布", cm.exception.message)
        self.assertIn("「政务动态」", cm.exception.message)
        account = reload(account)
        self.assertEqual(account.state, 'active')
        self.assertIsNone(account.closure_requested_date)
        # submitted is not published either
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        with self.assertRaises(ChannelClosureError):
            Channel.request_closure([account])
        # once published, the closure goes on
        article = self.review(article, data.rev1, data.rev2, data.rev3)
        article.url = 'https://mp.weixin.qq.com/s/abc'
        article.save()
        Article.publish([article])
        with as_user(data.manager):
            Channel.request_closure([Channel(account.id)])
            account = Channel(account.id)
            self.assertEqual(account.state, 'deregistering')
            with self.assertRaises(ChannelClosureError):
                Channel.deregister([account])
            Channel.write([account], {
                    'closure_notice_date': dt.date.today()})
            Channel.deregister([Channel(account.id)])
        account = reload(account)
        self.assertEqual(account.state, 'deregistered')
        self.assertIsNotNone(account.deregistered_date)
        # a new article cannot be submitted to it
        draft = data.article("新稿", channels=[data.news])
        with self.assertRaises(ValidationError):
            Article.write([draft], {
                    'channels': [('add', [account.id])]})

    @with_transaction()
    def test_suspend_needs_reason(self):
        "A channel is suspended with a reason and resumed"
        pool = Pool()
        Channel = pool.get('content.channel')
        data = ContentData()
        with self.assertRaises(ChannelClosureError):
            Channel.suspend([data.wechat])
        data.wechat.suspension_reason = "账号升级"
        data.wechat.save()
        Channel.suspend([data.wechat])
        self.assertEqual(data.wechat.state, 'suspended')
        Channel.resume([data.wechat])
        self.assertEqual(data.wechat.state, 'active')

    @with_transaction()
    def test_feed_url_malformed(self):
        "A malformed feed URL is refused and changes nothing"
        pool = Pool()
        Channel = pool.get('content.channel')
        data = ContentData()
        for url in ['htp://www.example.gov.cn/rss', 'www.example.gov.cn',
                'http://', 'http://exa mple.gov.cn/rss']:
            with self.subTest(url=url):
                with self.assertRaises(ChannelValidationError):
                    Channel.write([data.wechat], {'feed_url': url})
        self.assertIsNone(reload(data.wechat).feed_url)

    @with_transaction()
    def test_feed_unreachable(self):
        "An unreachable feed gives a clear message and changes nothing else"
        pool = Pool()
        Channel = pool.get('content.channel')
        Date = pool.get('ir.date')
        data = ContentData()
        url = f'http://127.0.0.1:{closed_port()}/rss.xml'
        with patch.object(Date, 'today', return_value=TODAY):
            Channel.write([data.wechat], {
                    'feed_url': url,
                    'manual_last_update': dt.date(2025, 9, 10)})
            Channel.update_indicators([data.wechat])
            before = reload(data.wechat)
            self.assertEqual(before.last_update, dt.date(2025, 9, 10))
            with self.assertRaises(FeedReadError) as cm:
                Channel.read_feed([Channel(data.wechat.id)])
            self.assertIn(url, cm.exception.message)
            after = reload(data.wechat)
            for name in ['last_update', 'feed_last_update', 'feed_error',
                    'feed_checked_at', 'days_since_update', 'silent']:
                self.assertEqual(
                    getattr(after, name), getattr(before, name), name)
            # the daily cron records the error and goes on
            Channel.monitor()
        after = reload(data.wechat)
        self.assertIn(url, after.feed_error)
        self.assertEqual(after.last_update, dt.date(2025, 9, 10))
        self.assertIsNone(after.feed_last_update)

    @with_transaction()
    def test_feed_rss(self):
        "The last update is read from an RSS feed over HTTP"
        pool = Pool()
        Channel = pool.get('content.channel')
        Date = pool.get('ir.date')
        data = ContentData()
        documents = {
            '/rss.xml': ('application/rss+xml; charset=utf-8', rss(
                    'Mon, 01 Sep 2025 09:30:00 +0800',
                    'Wed, 27 Aug 2025 18:00:00 +0800')),
            '/page.html': ('text/html', b'<html><body>hi</body></html>'),
            }
        with serving(documents) as base, \
                patch.object(Date, 'today', return_value=TODAY):
            Channel.write([data.wechat], {'feed_url': base + '/rss.xml'})
            Channel.read_feed([data.wechat])
            account = reload(data.wechat)
            self.assertEqual(account.feed_last_update, dt.date(2025, 9, 1))
            self.assertEqual(account.feed_items, 2)
            self.assertEqual(account.last_update, dt.date(2025, 9, 1))
            self.assertEqual(account.last_update_source, 'feed')
            self.assertEqual(account.days_since_update, 14)
            self.assertFalse(account.silent)
            self.assertIsNone(account.feed_error)
            # not a feed: refused, the date read before is kept
            Channel.write([account], {'feed_url': base + '/page.html'})
            with self.assertRaises(FeedReadError):
                Channel.read_feed([Channel(account.id)])
            Channel.write([account], {'feed_url': base + '/missing.xml'})
            with self.assertRaises(FeedReadError):
                Channel.read_feed([Channel(account.id)])
        self.assertEqual(
            reload(account).feed_last_update, dt.date(2025, 9, 1))

    @with_transaction()
    def test_monitor_flags(self):
        "The cron flags stale, blank, silent, empty and zombie channels"
        pool = Pool()
        Channel = pool.get('content.channel')
        Article = pool.get('content.article')
        Date = pool.get('ir.date')
        Notification = pool.get('res.notification')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        Article.write([article], {'state': 'published',
                'url': 'https://www.example.gov.cn/1.html',
                'published_at': dt.datetime(2025, 8, 20, 2, 0)})
        silent, zombie = Channel.create([{
                    'company': data.company.id, 'kind': 'account',
                    'name': name, 'platform': 'weibo',
                    'manual_last_update': date,
                    } for name, date in [
                    ("滨江政务微博", dt.date(2025, 8, 30)),
                    ("滨江抖音", dt.date(2025, 5, 1))]])
        with patch.object(Date, 'today', return_value=TODAY):
            Channel.monitor()
        news, notices, wechat = map(
            reload, [data.news, data.notices, data.wechat])
        silent, zombie = reload(silent), reload(zombie)
        self.assertEqual(
            (news.last_update, news.last_update_source),
            (dt.date(2025, 8, 20), 'article'))
        self.assertEqual(news.update_due, dt.date(2025, 9, 3))
        self.assertTrue(news.stale)
        self.assertTrue(notices.blank)
        self.assertFalse(notices.stale)
        self.assertTrue(wechat.empty)
        self.assertFalse(wechat.silent)
        self.assertTrue(silent.silent)
        self.assertFalse(silent.zombie)
        self.assertTrue(zombie.silent)
        self.assertTrue(zombie.zombie)
        site = reload(data.site)
        self.assertEqual(
            (site.columns_past_limit, site.columns_stale,
                site.columns_blank), (1, 1, 1))
        # the homepage was last updated on 20 August
        self.assertTrue(site.homepage_stale)
        self.assertEqual(site.veto_reasons, ('homepage',))

        # an account due within the warning days notifies its owners once
        Channel.write([silent], {'manual_last_update': dt.date(2025, 9, 3)})
        with patch.object(Date, 'today', return_value=TODAY):
            Channel.monitor()
            Channel.monitor()
        silent = reload(silent)
        self.assertEqual(silent.update_due, dt.date(2025, 9, 17))
        self.assertFalse(silent.silent)
        self.assertEqual(silent.notified_due, dt.date(2025, 9, 17))
        Transaction()._store_user_notifications()
        # no owner on this one; the WeChat account has editors
        channel_notifications = [('model', '=', 'content.channel')]
        self.assertEqual(Notification.search(channel_notifications), [])
        Channel.write([data.wechat], {
                'manual_last_update': dt.date(2025, 9, 2)})
        with patch.object(Date, 'today', return_value=TODAY):
            Channel.monitor()
        Transaction()._store_user_notifications()
        users = {n.user for n in Notification.search(channel_notifications)}
        self.assertEqual(users, {data.editor, data.manager})

    @with_transaction()
    def test_site_forecast(self):
        "Five news columns reaching their limit soon forecast the veto"
        pool = Pool()
        Channel = pool.get('content.channel')
        Site = pool.get('content.site')
        Date = pool.get('ir.date')
        Notification = pool.get('res.notification')
        data = ContentData()
        Channel.write([data.news], {
                'manual_last_update': dt.date(2025, 9, 2)})
        Channel.create([{
                    'company': data.company.id, 'kind': 'column',
                    'site': data.site.id, 'name': f"动态{i}",
                    'update_class': 'dynamic',
                    'manual_last_update': dt.date(2025, 9, 2),
                    } for i in range(4)])
        Channel.write([data.notices], {
                'manual_last_update': dt.date(2025, 9, 10)})
        with patch.object(Date, 'today', return_value=TODAY):
            Channel.monitor()
        site = reload(data.site)
        self.assertFalse(site.veto)
        self.assertEqual(site.forecast_date, dt.date(2025, 9, 18))
        self.assertEqual(site.forecast_past_limit, 5)
        self.assertTrue(site.veto_forecast)
        self.assertEqual(site.forecast_reasons, ('past_limit',))
        Transaction()._store_user_notifications()
        notification, = Notification.search([
                ('model', '=', 'content.site')])
        self.assertEqual(notification.user, data.manager)
        with patch.object(Date, 'today', return_value=dt.date(2025, 9, 30)):
            Site.update_indicators([site])
        site = reload(site)
        self.assertTrue(site.veto)
        self.assertEqual(
            set(site.veto_reasons), {'past_limit', 'homepage'})

    @with_transaction()
    def test_rectification_ledger(self):
        "Rectifications are counted by year, month and category"
        pool = Pool()
        Article = pool.get('content.article')
        Rectification = pool.get('content.rectification')
        Yearly = pool.get('content.rectification.yearly')
        Monthly = pool.get('content.rectification.monthly')
        Word = pool.get('content.sensitive_word')
        data = ContentData()
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        article = self.review(article, data.rev1, data.rev2, data.rev3)
        article.url = 'https://www.example.gov.cn/1.html'
        article.save()
        Article.publish([article])
        # self-check of published content after the lexicon grew
        Word.create([{'word': "政务公开工作会议", 'severity': 'normal'}])
        with self.assertRaises(WorkflowError):
            Article.rectify([article])
        Article.check([article])
        Article.rectify([article])
        entry, = Rectification.search([])
        self.assertEqual(
            (entry.state, entry.category, entry.article),
            ('open', 'expression', article))
        self.assertRegex(entry.number, r'^ZG\d{4}-\d{4}$')
        with self.assertRaises(RectificationError):
            Rectification.rectify([entry])
        entry.measures = "已修改原文"
        entry.save()
        with Transaction().set_user(data.editor.id):
            Rectification.rectify([entry])
            with self.assertRaises(RectificationError):
                Rectification.verify([entry])
        with Transaction().set_user(data.manager.id):
            Rectification.verify([entry])
        self.assertEqual(entry.state, 'verified')
        with self.assertRaises(RectificationError):
            Rectification.delete([entry])

        # a notice reports privacy leaks in two articles and a stale column
        other = data.article("其他稿件")
        entries = Rectification.create([{
                    'company': data.company.id, 'category': category,
                    'source': 'notice', 'notice_reference': "滨政办网〔2025〕3号",
                    'reported_date': dt.date(2025, month, 10),
                    'article': a.id if a else None,
                    'channel': data.notices.id if not a else None,
                    'description': "通报问题",
                    } for category, month, a in [
                    ('privacy', 3, article), ('privacy', 3, article),
                    ('privacy', 4, other), ('not_updated', 4, None)]])
        Rectification.register(entries)
        entries[0].measures = entries[2].measures = "已遮挡身份证号"
        Rectification.save(entries)
        Rectification.rectify([entries[0], entries[2]])
        with Transaction().set_context(company=data.company.id):
            yearly = {(y.year, y.category): (
                        y.entries, y.articles, y.rectified,
                        y.rectified_articles)
                for y in Yearly.search([])}
            monthly = {(m.month, m.category): m.entries
                for m in Monthly.search([])}
        self.assertEqual(yearly[(2025, 'privacy')], (3, 2, 2, 2))
        self.assertEqual(yearly[(2025, 'not_updated')], (1, 0, 0, 0))
        self.assertEqual(monthly[(dt.date(2025, 3, 1), 'privacy')], 2)
        self.assertEqual(monthly[(dt.date(2025, 4, 1), 'privacy')], 1)
        with Transaction().set_context(
                company=data.company.id, from_date=dt.date(2025, 4, 1)):
            self.assertEqual(
                {y.category: y.entries for y in Yearly.search([
                            ('year', '=', 2025),
                            ('category', '!=', 'expression'),
                            ])},
                {'privacy': 1, 'not_updated': 1})

    @with_transaction()
    def test_ledger_foreign_company_refused(self):
        """The statistics of the ledger refuse a company the user does not
        belong to, whatever context the request carries"""
        pool = Pool()
        data = ContentData()
        other = create_company(name="另一个单位")
        for model in ['content.rectification.monthly',
                'content.rectification.yearly']:
            Model = pool.get(model)
            with self.subTest(model=model), as_user(data.manager):
                with Transaction().set_context(company=data.company.id):
                    Model.search([])
                with Transaction().set_context(company=other.id):
                    with self.assertRaises(AccessError):
                        Model.search([])
                    with self.assertRaises(AccessError):
                        Model.read([1], ['entries'])

    @with_transaction()
    def test_adjustment(self):
        "Column adjustments are applied once approved by someone else"
        pool = Pool()
        Adjustment = pool.get('content.channel.adjustment')
        Channel = pool.get('content.channel')
        Article = pool.get('content.article')
        data = ContentData()
        article = data.article("要闻稿件")
        Article.submit([article])
        rename, merge = Adjustment.create([{
                    'company': data.company.id, 'column': data.news.id,
                    'kind': 'rename', 'new_name': "滨江要闻",
                    'reason': "栏目名称规范", 'requested_by': data.editor.id,
                    }, {
                    'company': data.company.id, 'column': data.news.id,
                    'kind': 'merge', 'target': data.notices.id,
                    'reason': "栏目整合", 'requested_by': data.manager.id,
                    }])
        Adjustment.submit([rename, merge])
        with Transaction().set_user(data.manager.id):
            Adjustment.approve([rename])
            with self.assertRaises(AdjustmentError):
                Adjustment.approve([merge])
            with self.assertRaises(AdjustmentError):
                Adjustment.reject([Adjustment(merge.id)])
        self.assertEqual(reload(data.news).name, "滨江要闻")
        self.assertEqual(reload(rename).old_name, "政务要闻")
        with Transaction().set_user(data.editor.id):
            Adjustment.approve([merge])
        news = Channel(data.news.id)
        self.assertFalse(news.active)
        self.assertEqual(reload(merge).moved_articles, 1)
        article = reload(article)
        self.assertEqual(list(article.channels), [data.notices])
        self.assertEqual(article.state, 'submitted')
        with self.assertRaises(AdjustmentError):
            Adjustment.delete([merge])

    @with_transaction()
    def test_editor_access(self):
        "An editor sees and edits own articles, in own channels"
        pool = Pool()
        Article = pool.get('content.article')
        Channel = pool.get('content.channel')
        Word = pool.get('content.sensitive_word')
        Rectification = pool.get('content.rectification')
        data = ContentData()
        mine = data.article("我的稿件")
        theirs = data.article("别人的稿件", author=data.editor2,
            channels=[data.notices])
        with as_user(data.editor):
            self.assertEqual(Article.search([]), [mine])
            with self.assertRaises(AccessError):
                Article.read([theirs.id], ['title'])
            with self.assertRaises(AccessError):
                Article.write([Article(theirs.id)], {'title': "改"})
            self.assertEqual(
                set(Channel.search([])), {data.news, data.wechat})
            created, = Article.create([{
                        'title': "新稿", 'body': "正文",
                        'channels': [('add', [data.wechat.id])]}])
            self.assertEqual(created.author, data.editor)
            with self.assertRaises(ArticleValidationError):
                Article.create([{
                            'title': "越权", 'body': "正文",
                            'channels': [('add', [data.notices.id])]}])
            with self.assertRaises(AccessError):
                Article.create([{
                            'title': "冒名", 'body': "正文",
                            'author': data.editor2.id,
                            'channels': [('add', [data.notices.id])]}])
            Article.submit([Article(mine.id)])
            with self.assertRaises((AccessError, AccessButtonError)):
                Article.first_review([Article(mine.id)])
            # the rectifications of own articles only
            with Transaction().set_user(0), \
                    Transaction().set_context(_check_access=False):
                Rectification.create([{
                            'company': data.company.id,
                            'category': 'typo', 'article': a.id,
                            'description': "错别字",
                            } for a in [mine, theirs]])
            self.assertEqual(
                [r.article for r in Rectification.search([])], [mine])
            # lexicons are read, not changed
            self.assertTrue(Word.search([]) == [])
            with self.assertRaises(AccessError):
                Word.create([{'word': "词", 'severity': 'normal'}])
            with self.assertRaises(AccessError):
                Channel.write([Channel(data.news.id)], {'name': "改名"})

    @with_transaction()
    def test_reviewer_access(self):
        "Reviewers see the articles at their step and those they reviewed"
        pool = Pool()
        Article = pool.get('content.article')
        data = ContentData()
        draft = data.article("草稿")
        article = data.article("滨江市召开政务公开工作会议。")
        with as_user(data.editor):
            Article.submit([Article(article.id)])
        with as_user(data.rev1):
            self.assertEqual(Article.search([]), [article])
            with self.assertRaises(AccessError):
                Article.read([draft.id], ['title'])
            with self.assertRaises(AccessError):
                Article.create([{'title': "x", 'body': "y"}])
        with as_user(data.rev2):
            self.assertEqual(Article.search([]), [])
        self.review(article, data.rev1)
        with as_user(data.rev2):
            self.assertEqual(Article.search([]), [article])
        with as_user(data.rev1):
            self.assertEqual(Article.search([]), [article])
            # but cannot write it any more
            with self.assertRaises(AccessError):
                Article.write([Article(article.id)], {
                        'rejection_reason': "晚了"})
        with as_user(data.rev3):
            self.assertEqual(Article.search([]), [])

    @with_transaction()
    def test_manager_access(self):
        "The office manager sees everything, reviews nothing"
        pool = Pool()
        Article = pool.get('content.article')
        Word = pool.get('content.sensitive_word')
        data = ContentData()
        draft = data.article("草稿")
        other = data.article("别人的稿件", author=data.editor2,
            channels=[data.notices])
        with as_user(data.manager):
            self.assertEqual(set(Article.search([])), {draft, other})
            Word.create([{'word': "敏感", 'severity': 'serious'}])
            Article.submit([Article(draft.id)])
            with self.assertRaises(AccessButtonError):
                Article.first_review([Article(draft.id)])


del ModuleTestCase
