# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""hall_theme with hall_evaluation and hall_delivery, on the database of
every module (the one tests/test_rpc_access.py and tests/test_views.py
activate, restored from the cache): one rating covers a theme application
and counts in its figures; one free delivery carries the certificates of
all its services, sent when the last is completed."""
import unittest

from trytond.exceptions import UserError
from trytond.modules.hall_delivery.division import import_divisions
from trytond.modules.hall_theme.tests.tools import ThemeData
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

import access_matrix


class ThemeExtrasTestCase(unittest.TestCase):
    "A theme application rated once and delivered once"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(access_matrix.MODULES)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_one_rating(self):
        """The rating of one of its applications rates the theme, all its
        applications count as rated, a second rating is refused"""
        pool = Pool()
        Application = pool.get('hall.application')
        Link = pool.get('hall.evaluation.link')
        Summary = pool.get('hall.theme.figures.summary')
        data = ThemeData()
        application = data.accepted_application()
        children = list(application.children)
        Application.approve(children)
        Application.complete(children)
        first, second = [Link.search([('application', '=', c.id)])[0]
            for c in children[:2]]
        evaluation = Link.submit(first.token, {'level': 'very_satisfied'})
        self.assertEqual(evaluation.theme_application, application)
        self.assertEqual([c.rated for c in Application.browse(children)],
            [True] * 4)
        with self.assertRaises(UserError):
            Link.submit(second.token, {'level': 'satisfied'})
        summary, = Summary.search([])
        self.assertEqual((summary.concluded, summary.rated), (1, 1))
        self.assertEqual(summary.rating_coverage, 1)

    @with_transaction()
    def test_one_delivery(self):
        """Mailed: one delivery of the four applications, ready when the
        last is completed; a rejected one leaves it"""
        pool = Pool()
        Application = pool.get('hall.application')
        Delivery = pool.get('hall.delivery')
        Subdivision = pool.get('country.subdivision')
        data = ThemeData()
        import_divisions(['33'])
        application = data.accepted_application(delivery_method='mail')
        delivery, = application.deliveries
        children = list(application.children)
        self.assertEqual(set(delivery.applications), set(children))
        self.assertEqual({c.delivery_method for c in children}, {'mail'})
        city, = Subdivision.search([('name', '=', "杭州市")])
        district, = Subdivision.search([
                ('name', '=', "西湖区"), ('parent', '=', city.id)])
        Delivery.write([delivery], {
                'province': city.parent.id, 'city': city.id,
                'district': district.id, 'street': "文三路90号",
                'postal_code': '310012', 'mobile': '13812345678'})
        rejected, *others = children
        Application.write(others, {'certificate': "证照"})
        Application.approve(others)
        Application.complete(others[:2])
        self.assertEqual(Delivery(delivery.id).state, 'draft')
        Application.complete(others[2:])
        self.assertEqual(Delivery(delivery.id).state, 'draft')
        Application.write([rejected], {'rejection_reason': "不符合条件"})
        Application.reject([rejected])
        delivery = Delivery(delivery.id)
        self.assertEqual(set(delivery.applications), set(others))
        self.assertEqual(delivery.state, 'ready')
