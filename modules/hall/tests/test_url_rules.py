# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import unittest

from trytond.modules.hall.url_rules import (
    is_public_address, is_web_address, page_url)


class UrlRulesTestCase(unittest.TestCase):

    def test_public_address(self):
        "An address a citizen's phone can open, not this machine's"
        for url, public in [
                ('https://zwfw.example.gov.cn', True),
                ('http://10.12.0.8:8000/', True),
                ('http://[2001:db8::1]/', True),
                ('http://127.0.0.1:8000/', False),
                ('http://127.8.0.1/', False),
                ('http://localhost:8000', False),
                ('http://app.localhost', False),
                ('http://[::1]:8000', False),
                ('http://0.0.0.0:8000', False),
                ('zwfw.example.gov.cn', False),
                ('ftp://zwfw.example.gov.cn', False),
                ('https://zwfw.example.gov.cn:99999', False),
                ('', False), (None, False), ('  ', False)]:
            with self.subTest(url=url):
                self.assertEqual(is_public_address(url), public)

    def test_web_address(self):
        "Any absolute http(s) address, this machine's too"
        for url, web in [
                ('http://127.0.0.1:8000/', True),
                (' https://zwfw.example.gov.cn/ ', True),
                ('https://', False),
                ('zwfw.example.gov.cn', False),
                ('mailto:it@example.gov.cn', False),
                ('http://host:port/', False),
                (None, False)]:
            with self.subTest(url=url):
                self.assertEqual(is_web_address(url), web)

    def test_page_url(self):
        for base in ['https://zwfw.example.gov.cn',
                'https://zwfw.example.gov.cn/ ']:
            with self.subTest(base=base):
                self.assertEqual(
                    page_url(base, 'hall', 'rate/abc'),
                    'https://zwfw.example.gov.cn/hall/hall/rate/abc')
        self.assertEqual(
            page_url('http://10.0.0.8/zw/', '大厅 1', ''),
            'http://10.0.0.8/zw/%E5%A4%A7%E5%8E%85%201/hall/')
