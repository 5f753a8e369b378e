# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The themes and the theme applications against plain JSON-RPC calls, as
each role: what a role may not do or see is refused in Chinese and nothing
changes."""
from trytond.modules.hall.tests.tools import RPCTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .tools import ThemeData

THEME_APPLICATION = 'model.hall.theme.application'
LINE = 'model.hall.theme.application.material'
STORED = ['state', 'number', 'visits', 'accepted_date', 'promised_due_date',
    'note']


class HallThemeRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the themes' rules over JSON-RPC"
    module = 'hall_theme'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeApplication = pool.get('hall.theme.application')
        Line = pool.get('hall.theme.application.material')
        data = ThemeData()
        Theme.publish([data.theme])
        accepted = data.theme_application()
        received = data.theme_application()
        ThemeApplication.write([accepted, received], {'clerk': data.wang.id})
        ThemeApplication.receive([accepted, received])
        Line.write(list(accepted.materials), {'status': 'provided'})
        ThemeApplication.accept([accepted])
        card, = [c for c in accepted.children if c.service == data.card]
        cls.ids = {
            'company': data.company.id,
            'theme': data.theme.id,
            'accepted': accepted.id,
            'received': received.id,
            'card': card.id,
            'siblings': [c.id for c in accepted.children if c != card],
            'line': received.materials[0].id,
            'birth': data.birth.id,
            'parent': data.parent.id,
            'hall': data.hall.id,
            'window': data.a01.id,
            }
        cls.sessions = {u.login: cls.session(u) for u in [
                data.wang_user, data.zhao_user, data.li_user, data.leader,
                data.manager]}

    def stored(self):
        return (self.read('hall.theme.application',
                [self.ids['accepted'], self.ids['received']], STORED),
            self.read('hall.theme.application.material',
                [self.ids['line']], ['status', 'licence_number']),
            self.count('hall.theme.application'),
            self.count('hall.application'),
            self.read('hall.theme', [self.ids['theme']], ['state', 'name']))

    def test_department_clerk(self):
        """The clerk of the social security window reads the theme
        application of their card application, not its other
        applications, and changes nothing of it"""
        zhao = self.sessions['zhao']
        before = self.stored()
        rows = self.assertRPC(zhao, f'{THEME_APPLICATION}.search_read',
            [], 0, None, None, ['number', 'children', 'theme', 'applicant'])
        self.assertEqual([r['id'] for r in rows], [self.ids['accepted']])
        self.assertEqual(rows[0]['children'], [self.ids['card']])
        self.assertRefused(zhao, 'model.hall.application.read',
            self.ids['siblings'], ['number'])
        self.assertRefused(zhao, f'{THEME_APPLICATION}.write',
            [self.ids['accepted']], {'note': "改"})
        self.assertRefused(zhao, f'{THEME_APPLICATION}.read',
            [self.ids['received']], ['number'])
        self.assertRefused(zhao, f'{LINE}.write', [self.ids['line']],
            {'status': 'missing'})
        self.assertEqual(self.stored(), before)

    def test_roles_refused(self):
        "What a role may not do is refused whatever the call"
        s = self.sessions
        received, accepted = self.ids['received'], self.ids['accepted']
        before = self.stored()
        # the owned fields, for the receiving clerk and the manager
        for login in ['wang', 'manager']:
            self.assertGreaterEqual(self.assertOwnedRefused(s[login],
                    'hall.theme.application', received), 5)
        # a clerk of no window of the theme sees nothing of it
        self.assertEqual(self.assertRPC(s['li'],
                f'{THEME_APPLICATION}.search', []), [])
        self.assertRefused(s['li'], f'{THEME_APPLICATION}.accept',
            [received])
        # the leader reads, nothing more
        self.assertEqual(len(self.assertRPC(s['leader'],
                    f'{THEME_APPLICATION}.search', [])), 2)
        for method, args in [
                ('write', [[received], {'note': "改"}]),
                ('accept', [[received]]),
                ('delete', [[received]]),
                ]:
            self.assertRefused(s['leader'], f'{THEME_APPLICATION}.{method}',
                *args)
        # the lines are the theme's: none added or removed
        for login in ['wang', 'manager']:
            self.assertRefused(s[login], f'{LINE}.create', [{
                        'application': received, 'name': "另加材料",
                        'status': 'provided'}])
            self.assertRefused(s[login], f'{LINE}.delete',
                [self.ids['line']])
        # a button takes no extra argument
        self.assertRefused(s['wang'], f'{THEME_APPLICATION}.accept',
            [received], {'state': 'completed'})
        # a clerk keeps no theme
        self.assertRefused(s['wang'], 'model.hall.theme.write',
            [self.ids['theme']], {'name': "改"})
        self.assertRefused(s['wang'], 'model.hall.theme.draft',
            [self.ids['theme']])
        # a published theme's steps are refused to the manager too
        self.assertRefused(s['manager'], 'model.hall.theme.step.create', [{
                    'theme': self.ids['theme'],
                    'service': self.ids['birth'], 'stage': 3}])
        # the figures are read, never written, and not by the clerks
        self.assertRefused(s['wang'],
            'model.hall.theme.figures.summary.search', [])
        self.assertEqual(len(self.assertRPC(s['leader'],
                    'model.hall.theme.figures.summary.search', [])), 1)
        self.assertEqual(self.stored(), before)
        self.assertEqual(accepted, self.ids['accepted'])

    def test_bad_input(self):
        """An electronic licence without its number, a material that is no
        electronic licence shown as one, an unpublished theme: refused in
        Chinese, nothing changed"""
        s = self.sessions
        before = self.stored()
        self.assertRefused(s['wang'], f'{LINE}.write', [self.ids['line']],
            {'status': 'electronic', 'licence_number': None})
        self.assertRefused(s['wang'], f'{THEME_APPLICATION}.create', [{
                    'company': self.ids['company'],
                    'hall': self.ids['hall'], 'theme': 999999,
                    'applicant': self.ids['parent'],
                    'window': self.ids['window']}])
        self.assertEqual(self.stored(), before)
