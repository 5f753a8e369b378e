# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rules of the ratings, tested without a database"
import datetime as dt
import unittest

from trytond.modules.hall_evaluation.rating_rules import (
    bulletin_number, composite_score, is_bad, mask_name,
    mask_phone, normalize_mobile, parse_rating, percentage, previous_month,
    quarter_of, quarter_range, rank, to_talk)


class RatingRulesTestCase(unittest.TestCase):

    def test_bulletin_number(self):
        self.assertEqual(bulletin_number('BJ', 2025, 4), "BJ督查〔2025〕4号")
        self.assertEqual(bulletin_number(None, 2026, 1), "督查〔2026〕1号")

    def test_bad_levels(self):
        self.assertTrue(is_bad('dissatisfied'))
        self.assertTrue(is_bad('very_dissatisfied'))
        for level in ['very_satisfied', 'satisfied', 'basic', '', None]:
            with self.subTest(level=level):
                self.assertFalse(is_bad(level))

    def test_mask_name(self):
        for name, masked in [
                ("张建明", "张*明"), ("李强", "李*"), ("欧阳娜娜", "欧**娜"),
                ("王", "*"), ("", ""), (None, ""), (" 赵敏 ", "赵*")]:
            with self.subTest(name=name):
                self.assertEqual(mask_name(name), masked)

    def test_mobile(self):
        for value, mobile in [
                ('13812345678', '13812345678'),
                ('+86 138 1234 5678', '13812345678'),
                ('0086-138-1234-5678', '13812345678'),
                ('12812345678', None), ('1381234567', None), ('', None),
                ('abc', None)]:
            with self.subTest(value=value):
                self.assertEqual(normalize_mobile(value), mobile)
        self.assertEqual(mask_phone('13812345678'), '138****5678')
        self.assertEqual(mask_phone('0571-8888 1234'), '*' * 10 + '1234')
        self.assertEqual(mask_phone(''), '')

    def test_parse_rating(self):
        values, errors = parse_rating({
                'level': 'satisfied', 'score_attitude': '5',
                'phone': '138 1234 5678'})
        self.assertEqual(errors, [])
        self.assertEqual(values['level'], 'satisfied')
        self.assertEqual(values['score_attitude'], 5)
        self.assertIsNone(values['score_efficiency'])
        self.assertEqual(values['rater_phone'], '13812345678')
        self.assertFalse(values['anonymous'])

    def test_parse_rating_refused(self):
        for form, codes in [
                ({}, ['level']),
                ({'level': 'great'}, ['level']),
                ({'level': 'very_dissatisfied'}, ['reason']),
                ({'level': 'dissatisfied', 'reason': '   '}, ['reason']),
                ({'level': 'basic', 'reason': 'x' * 501}, ['reason_length']),
                ({'level': 'basic', 'score_efficiency': '6'}, ['score']),
                ({'level': 'basic', 'score_efficiency': 'a',
                        'score_attitude': '0'}, ['score']),
                ({'level': 'basic', 'phone': '12345'}, ['phone']),
                ]:
            with self.subTest(form=form):
                self.assertEqual(parse_rating(form)[1], codes)

    def test_parse_rating_anonymous(self):
        "An anonymous rating keeps no phone, even a bad one"
        values, errors = parse_rating({
                'level': 'very_dissatisfied', 'reason': "等了两个小时",
                'anonymous': '1', 'phone': 'bad'})
        self.assertEqual(errors, [])
        self.assertTrue(values['anonymous'])
        self.assertIsNone(values['rater_phone'])
        self.assertEqual(values['reason'], "等了两个小时")

    def test_composite_score(self):
        self.assertEqual(composite_score(9.0, 8.0, 0.7), 0.7 * 9 + 0.3 * 8)
        self.assertEqual(composite_score(9.0, None, 0.7), 9.0)
        self.assertEqual(composite_score(None, 8.0, 0.7), 8.0)
        self.assertIsNone(composite_score(None, None, 0.7))

    def test_rank(self):
        self.assertEqual(
            rank({'a': 9.5, 'b': 8.0, 'c': 9.5, 'd': 7.0}),
            {'a': (1, False), 'c': (1, False), 'b': (3, False),
                'd': (4, True)})
        # Ties at the bottom are all last
        self.assertEqual(
            rank({'a': 9.0, 'b': 7.0, 'c': 7.0}),
            {'a': (1, False), 'b': (2, True), 'c': (2, True)})
        # Nobody is last alone or when all are equal
        self.assertEqual(rank({'a': 7.0}), {'a': (1, False)})
        self.assertEqual(
            rank({'a': 7.0, 'b': 7.0}), {'a': (1, False), 'b': (1, False)})
        self.assertEqual(rank({}), {})

    def test_to_talk(self):
        self.assertEqual(to_talk({1, 2}, {2, 3}), {2})
        self.assertEqual(to_talk({1}, set()), set())

    def test_periods(self):
        self.assertEqual(
            previous_month(dt.date(2025, 1, 15)), dt.date(2024, 12, 1))
        self.assertEqual(quarter_of(dt.date(2025, 9, 30)), 3)
        self.assertEqual(quarter_of(dt.date(2025, 10, 1)), 4)
        self.assertEqual(
            quarter_range(2025, 3),
            (dt.date(2025, 7, 1), dt.date(2025, 9, 30)))
        self.assertEqual(
            quarter_range(2024, 1),
            (dt.date(2024, 1, 1), dt.date(2024, 3, 31)))
        self.assertEqual(
            quarter_range(2025, 4),
            (dt.date(2025, 10, 1), dt.date(2025, 12, 31)))
        with self.assertRaises(ValueError):
            quarter_range(2025, 5)

    def test_percentage(self):
        self.assertEqual(percentage(85, 100), 85.0)
        self.assertEqual(percentage(90, 120), 75.0)
        self.assertIsNone(percentage(0, 0))
