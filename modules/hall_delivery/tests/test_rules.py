# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Delivery rules without a database: addresses, prices, tracking files"
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.hall.identity_rules import (
    is_mobile, mask_mobile, normalize_mobile)
from trytond.modules.hall.table_file_rules import decode
from trytond.modules.hall_delivery.address_rules import is_postal_code
from trytond.modules.hall_delivery.pricing_rules import delivery_cost
from trytond.modules.hall_delivery.tracking_rules import parse


class AddressRulesTestCase(unittest.TestCase):

    def test_mobile(self):
        for value in ['13812345678', '19912345678', '138 1234 5678',
                '138-1234-5678', '+86 138 1234 5678', '008613812345678']:
            with self.subTest(value=value):
                self.assertTrue(is_mobile(value))
        for value in ['12812345678', '1381234567', '138123456789',
                '010-12345678', '', None, '1381234567a']:
            with self.subTest(value=value):
                self.assertFalse(is_mobile(value))
        self.assertEqual(normalize_mobile('+86 138-1234-5678'), '13812345678')

    def test_postal_code(self):
        self.assertTrue(is_postal_code('310012'))
        for value in ['31001', '3100120', '31001a', '', None]:
            with self.subTest(value=value):
                self.assertFalse(is_postal_code(value))

    def test_mask(self):
        self.assertEqual(mask_mobile('13812345678'), '138****5678')
        self.assertEqual(mask_mobile('+86 138 1234 5678'), '138****5678')
        self.assertEqual(mask_mobile('12345'), '*****')


class PricingTestCase(unittest.TestCase):
    tiers = [(Decimal('3'), Decimal('18.00')), (Decimal('1'), Decimal('12'))]

    def test_tiers(self):
        self.assertEqual(delivery_cost(self.tiers, Decimal('0.35')), 12)
        self.assertEqual(delivery_cost(self.tiers, Decimal('1')), 12)
        self.assertEqual(delivery_cost(self.tiers, Decimal('1.01')), 18)
        self.assertEqual(delivery_cost(self.tiers, Decimal('3')), 18)

    def test_over_heaviest_tier(self):
        "Each started kilogram over the heaviest tier is charged"
        self.assertEqual(
            delivery_cost(self.tiers, Decimal('3.2'), Decimal('5')), 23)
        self.assertEqual(
            delivery_cost(self.tiers, Decimal('5'), Decimal('5')), 28)

    def test_no_tier(self):
        self.assertIsNone(delivery_cost([], Decimal('1')))


class TrackingFileTestCase(unittest.TestCase):

    def test_parse(self):
        rows, errors = parse(
            "运单号,状态,时间,备注\n"
            "EA1,运输中,2025-10-09 18:00,杭州中心\n"
            "\n"
            "EA1,已签收,2025/10/10 10:30:05,本人签收\n")
        self.assertEqual(errors, [])
        self.assertEqual([(r.line, r.waybill, r.status) for r in rows], [
                (2, 'EA1', 'in_transit'), (4, 'EA1', 'delivered')])
        self.assertEqual(rows[1].time, dt.datetime(2025, 10, 10, 10, 30, 5))

    def test_english_header_and_order(self):
        rows, errors = parse(
            "note,time,status,waybill\n"
            "x,2025-10-10 10:00,returned,EA2\n")
        self.assertEqual(errors, [])
        self.assertEqual(rows[0].status, 'returned')

    def test_errors_by_line(self):
        rows, errors = parse(
            "waybill,status,time,note\n"
            "EA1,in_transit\n"
            ",delivered,2025-10-10 10:00,x\n"
            "EA1,arrived,2025-10-10 10:00,x\n"
            "EA1,delivered,yesterday,x\n"
            "EA1,delivered,2025-10-10 10:00,x\n")
        self.assertEqual([(e.line, e.code) for e in errors], [
                (2, 'columns'), (3, 'waybill'), (4, 'status'), (5, 'time')])
        self.assertEqual(len(rows), 1)

    def test_header_and_empty(self):
        self.assertEqual(parse("")[1][0].code, 'empty')
        self.assertEqual(parse("a,b,c\n1,2,3\n")[1][0].code, 'header')

    def test_decode(self):
        self.assertEqual(decode('运单号'.encode('utf-8-sig')), '运单号')
        self.assertEqual(decode('运单号'.encode('gbk')), '运单号')
