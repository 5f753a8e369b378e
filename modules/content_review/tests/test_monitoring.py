# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Tests of the plain functions: feeds, indicators and markup (no database)"
import datetime as dt
import unittest

from trytond.modules.content_review import feed, indicators_rules, markup_rules
from trytond.modules.content_review.checks import scan

CST = dt.timezone(dt.timedelta(hours=8))


class FeedTestCase(unittest.TestCase):

    def test_rss(self):
        data = '''<?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>滨江发布</title>
            <lastBuildDate>Tue, 16 Sep 2025 08:00:00 +0800</lastBuildDate>
            <item><title>一</title>
              <pubDate>Mon, 01 Sep 2025 23:30:00 +0800</pubDate></item>
            <item><title>二</title>
              <pubDate>2025-08-20 10:00:00</pubDate></item>
            <item><title>无日期</title></item>
            </channel></rss>'''.encode('utf-8')
        result = feed.parse(data)
        self.assertEqual((result.kind, result.items), ('rss', 3))
        self.assertEqual(result.last_update(CST), dt.date(2025, 9, 1))
        # the same instant is the 1st of September in UTC too
        self.assertEqual(
            result.last_update(dt.timezone.utc), dt.date(2025, 9, 1))

    def test_atom(self):
        data = b'''<?xml version="1.0"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><title>a</title><updated>2025-09-02T01:00:00Z</updated>
            </entry>
            <entry><title>b</title><published>2025-07-01</published>
            </entry></feed>'''
        result = feed.parse(data)
        self.assertEqual((result.kind, result.items), ('atom', 2))
        self.assertEqual(result.last_update(CST), dt.date(2025, 9, 2))

    def test_sitemap(self):
        data = b'''<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>https://www.example.gov.cn/a</loc>
              <lastmod>2025-06-30</lastmod></url>
            <url><loc>https://www.example.gov.cn/b</loc>
              <lastmod>2025-07-15T09:00:00+08:00</lastmod></url>
            </urlset>'''
        result = feed.parse(data)
        self.assertEqual((result.kind, result.items), ('sitemap', 2))
        self.assertEqual(result.last_update(CST), dt.date(2025, 7, 15))

    def test_empty_feed(self):
        result = feed.parse(b'<rss version="2.0"><channel/></rss>')
        self.assertEqual(result.items, 0)
        self.assertIsNone(result.last_update(CST))

    def test_future_dates_ignored(self):
        result = feed.parse(
            b'<rss><channel><item><pubDate>Fri, 01 Jan 2100 00:00:00 +0000'
            b'</pubDate></item></channel></rss>')
        self.assertIsNone(result.last_update(CST))

    def test_not_a_feed(self):
        for data in [b'<html><body>x</body></html>', b'not xml', b'',
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                b'<rss>&a;</rss>']:
            with self.subTest(data=data):
                with self.assertRaises(feed.FeedError) as cm:
                    feed.parse(data)
                self.assertEqual(cm.exception.reason, 'format')

    def test_check_url(self):
        for url in ['https://www.example.gov.cn/rss.xml',
                'http://127.0.0.1:8080/feed']:
            self.assertEqual(feed.check_url(url), url)
        for url in ['', 'ftp://example.gov.cn/rss', 'www.example.gov.cn',
                'http:///rss', 'http://exa mple.gov.cn', 'http://x:99999/',
                'javascript:alert(1)']:
            with self.subTest(url=url):
                with self.assertRaises(feed.FeedError) as cm:
                    feed.check_url(url)
                self.assertEqual(cm.exception.reason, 'url')

    def test_fetch_malformed_url(self):
        with self.assertRaises(feed.FeedError) as cm:
            feed.fetch('htp://www.example.gov.cn')
        self.assertEqual(cm.exception.reason, 'url')


class IndicatorsTestCase(unittest.TestCase):
    today = dt.date(2025, 9, 15)

    def test_column_limits(self):
        for update_class, last, stale in [
                ('dynamic', dt.date(2025, 9, 1), False),
                ('dynamic', dt.date(2025, 8, 31), True),
                ('notice', dt.date(2025, 3, 15), False),
                ('notice', dt.date(2025, 3, 14), True),
                ('planning', dt.date(2024, 9, 15), False),
                ('planning', dt.date(2024, 9, 14), True),
                ('static', dt.date(2010, 1, 1), False),
                ]:
            with self.subTest(update_class=update_class, last=last):
                status = indicators_rules.column_status(
                    update_class, last, self.today)
                self.assertEqual(status.stale, stale)
                self.assertFalse(status.blank)

    def test_other_class_configured(self):
        thresholds = indicators_rules.Thresholds(other_days=30)
        status = indicators_rules.column_status(
            'other', dt.date(2025, 8, 15), self.today, thresholds=thresholds)
        self.assertEqual(status.due, dt.date(2025, 9, 14))
        self.assertTrue(status.stale)

    def test_blank_column(self):
        status = indicators_rules.column_status('dynamic', None, self.today)
        self.assertTrue(status.blank)
        self.assertFalse(status.stale)
        self.assertIsNone(status.due)

    def test_accounts(self):
        status = indicators_rules.account_status(dt.date(2025, 9, 1), self.today)
        self.assertEqual(
            (status.days, status.due, status.silent, status.zombie),
            (14, dt.date(2025, 9, 15), False, False))
        status = indicators_rules.account_status(dt.date(2025, 8, 31), self.today)
        self.assertTrue(status.silent)
        ten_days = indicators_rules.Thresholds(silent_days=10)
        status = indicators_rules.account_status(
            dt.date(2025, 9, 4), self.today, thresholds=ten_days)
        self.assertTrue(status.silent)
        status = indicators_rules.account_status(dt.date(2025, 6, 16), self.today)
        self.assertEqual((status.days, status.zombie), (91, True))
        status = indicators_rules.account_status(None, self.today)
        self.assertTrue(status.empty)
        self.assertFalse(status.silent)
        status = indicators_rules.account_status(
            None, self.today, opened=dt.date(2025, 5, 1))
        self.assertTrue(status.empty and status.silent and status.zombie)

    def test_notify_due(self):
        self.assertTrue(indicators_rules.notify_due(
                dt.date(2025, 9, 18), self.today, 3))
        self.assertFalse(indicators_rules.notify_due(
                dt.date(2025, 9, 19), self.today, 3))
        self.assertFalse(indicators_rules.notify_due(
                dt.date(2025, 9, 14), self.today, 3))
        self.assertFalse(indicators_rules.notify_due(None, self.today, 3))

    def test_site_veto(self):
        recent = dt.date(2025, 9, 14)
        old = dt.date(2025, 8, 1)
        columns = [('dynamic', recent)] + [('dynamic', old)] * 4
        status = indicators_rules.site_status(columns, self.today)
        self.assertEqual((status.past_limit, status.stale), (4, 4))
        self.assertFalse(status.veto)
        status = indicators_rules.site_status(
            columns + [('notice', dt.date(2024, 1, 1))], self.today)
        self.assertEqual(status.reasons, ('past_limit',))
        status = indicators_rules.site_status(
            [('dynamic', recent)] + [('other', dt.date(2023, 1, 1))] * 10,
            self.today)
        self.assertEqual(
            (status.past_limit, status.stale, status.reasons),
            (0, 10, ('stale',)))
        status = indicators_rules.site_status(
            [('dynamic', recent)] + [('notice', None)] * 5, self.today)
        self.assertEqual((status.blank, status.reasons), (5, ('blank',)))
        status = indicators_rules.site_status(
            [('static', dt.date(2025, 8, 1))], self.today)
        self.assertEqual(status.reasons, ('homepage',))


class MarkupTestCase(unittest.TestCase):

    def test_plain_text_keeps_offsets(self):
        body = ('<p>联系电话：<b>13812345678</b></p>'
            '<p>详见<a href="http://bad.example.com/x">链接</a>&nbsp;。</p>')
        text = markup_rules.plain_text(body)
        self.assertEqual(len(text), len(body))
        start = body.index('13812345678')
        self.assertEqual(text[start:start + 11], '13812345678')
        self.assertIn('http://bad.example.com/x', text)
        self.assertNotIn('<', text)
        self.assertNotIn('&nbsp;', text)
        kinds = {f.kind for f in scan(text)}
        self.assertIn('mobile', kinds)

    def test_plain_text_of_text(self):
        self.assertEqual(markup_rules.plain_text("a < b"), "a < b")
        self.assertEqual(markup_rules.plain_text(None), '')
        self.assertFalse(markup_rules.is_html("1 < 2 > 0"))
        self.assertTrue(markup_rules.is_html("<div>x</div>"))

    def test_highlight_text(self):
        text = "电话<13812345678>\n第二行"
        start = text.index('138')
        html = markup_rules.highlight(
            text, [(start, start + 11, 1, 'serious', False)])
        self.assertEqual(
            html, '电话&lt;<font color="#c00000"><b>13812345678</b></font>'
            '<font color="#c00000" size="1">[1]</font>&gt;<br/>第二行')

    def test_highlight_html_skips_tags(self):
        body = '<div>错字<a href="http://x.cn">攻府</a></div>'
        inside = body.index('http://x.cn')
        word = body.index('攻府')
        html = markup_rules.highlight(body, [
                (inside, inside + 11, 1, 'normal', False),
                (word, word + 2, 2, 'serious', True),
                ])
        self.assertIn('href="http://x.cn"', html)
        self.assertIn('<font color="#808080"><b>攻府</b></font>', html)

    def test_excerpt(self):
        text = "甲" * 30 + "攻府" + "乙" * 30
        self.assertEqual(
            markup_rules.excerpt(text, 30, 32, width=5),
            "…甲甲甲甲甲【攻府】乙乙乙乙乙…")
        self.assertEqual(markup_rules.excerpt("攻府工作", 0, 2), "【攻府】工作")
