# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The checks of hall.health, its wizard and the health route."""
import datetime as dt
import os
import tempfile
from http import HTTPStatus

from trytond import backend, config
from trytond.modules.hall.clock import utcnow
from trytond.modules.hall.health import CRON_GRACE, QUEUE_GRACE
from trytond.modules.hall.tests.public_tools import (
    CHINESE, fuzz_public_routes)
from trytond.modules.company.tests import create_company
from trytond.modules.hall.tests.tools import commit, unreachable
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, RouteTestCase, with_transaction)
from trytond.transaction import Transaction


def by_key(checks):
    return {c['key']: c for c in checks}


class HallHealthTestCase(RouteTestCase):
    "Test the health of a deployment"
    module = 'hall'

    @classmethod
    def setUpDatabase(cls):
        # as a running trytond-cron leaves them: every task due later
        Cron = Pool().get('ir.cron')
        crons = Cron.search([])
        Cron.write(crons, {'next_call': utcnow() + dt.timedelta(hours=1)})

    def health(self, database=DB_NAME, **kwargs):
        return self.client().get(f'/{database}/hall/health', **kwargs)

    @with_transaction()
    def test_checks_named_in_chinese(self):
        "Each check has a key, a name, a state and a message"
        Health = Pool().get('hall.health')
        with Transaction().set_context(language='zh_CN'):
            checks = Health.checks()
        self.assertEqual([c['key'] for c in checks], ['scheduler', 'worker',
                'database_role', 'connections', 'filestore', 'calendar',
                'public_address'])
        for check in checks:
            self.assertIn(check['state'], {'ok', 'warning', 'failure'})
            self.assertTrue(check['name'] and check['message'], check)
            if check['state'] != 'ok':
                self.assertTrue(check['advice'], check)

    @with_transaction()
    def test_scheduler(self):
        "A task due for longer than the grace means no scheduler runs"
        pool = Pool()
        Cron = pool.get('ir.cron')
        Health = pool.get('hall.health')
        self.assertEqual(Health.check_scheduler()['state'], 'ok')
        cron, = Cron.search([], limit=1)
        cron.next_call = utcnow() - CRON_GRACE / 2
        cron.save()
        self.assertEqual(Health.check_scheduler()['state'], 'ok')
        cron.next_call = utcnow() - CRON_GRACE * 2
        cron.save()
        check = Health.check_scheduler()
        self.assertEqual(check['state'], 'failure')
        self.assertIn('trytond-cron', check['advice'])
        # a task never scheduled is due
        cron.next_call = None
        cron.save()
        self.assertEqual(Health.check_scheduler()['state'], 'failure')
        # an inactive one is not
        cron.active = False
        cron.save()
        self.assertEqual(Health.check_scheduler()['state'], 'ok')

    @with_transaction()
    def test_worker(self):
        "A task waiting longer than the grace means no worker runs"
        pool = Pool()
        Queue = pool.get('ir.queue')
        Health = pool.get('hall.health')
        worker = config.get('queue', 'worker', default='False')
        self.addCleanup(config.set, 'queue', 'worker', worker)
        config.set('queue', 'worker', 'False')
        self.assertEqual(Health.check_queue()['state'], 'ok')

        config.set('queue', 'worker', 'True')
        self.assertEqual(Health.check_queue()['state'], 'ok')
        task, = Queue.create([{'name': 'default', 'data': {}}])
        self.assertEqual(Health.check_queue()['state'], 'ok')
        task.enqueued_at = utcnow() - QUEUE_GRACE * 2
        task.save()
        check = Health.check_queue()
        self.assertEqual(check['state'], 'failure')
        self.assertIn('trytond-worker', check['advice'])
        # taken by a worker
        task.dequeued_at = utcnow()
        task.save()
        self.assertEqual(Health.check_queue()['state'], 'ok')
        # scheduled later: not waiting
        task.dequeued_at = None
        task.scheduled_at = utcnow() + dt.timedelta(hours=1)
        task.save()
        self.assertEqual(Health.check_queue()['state'], 'ok')

    @with_transaction()
    def test_database_role(self):
        "A superuser role fails, SQLite is for the demo only"
        Health = Pool().get('hall.health')
        check = Health.check_database_role()
        if backend.name == 'sqlite':
            self.assertEqual(check['state'], 'warning')
            return
        cursor = Transaction().connection.cursor()
        cursor.execute(
            'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
        superuser, = cursor.fetchone()
        self.assertEqual(check['state'], 'failure' if superuser else 'ok')

    @with_transaction()
    def test_connections(self):
        "The connections in use against PostgreSQL's maximum"
        Health = Pool().get('hall.health')
        check = Health.check_connections()
        self.assertIn(check['state'], {'ok', 'warning'})
        if backend.name == 'postgresql':
            cursor = Transaction().connection.cursor()
            cursor.execute('SHOW max_connections')
            maximum, = cursor.fetchone()
            self.assertIn(str(maximum), check['message'])

    @with_transaction()
    def test_filestore(self):
        "The attachment store of the database must be writable"
        Health = Pool().get('hall.health')
        path = config.get('database', 'path')
        self.addCleanup(config.set, 'database', 'path', path)
        with tempfile.TemporaryDirectory() as directory:
            config.set('database', 'path', directory)
            self.assertEqual(Health.check_filestore()['state'], 'ok')
            self.assertEqual(os.listdir(os.path.join(
                        directory, Transaction().database.name)), [])
            blocker = os.path.join(directory, 'file')
            open(blocker, 'w').close()
            config.set('database', 'path', blocker)
            check = Health.check_filestore()
        self.assertEqual(check['state'], 'failure')
        self.assertIn('install -d', check['advice'])

    @with_transaction()
    def test_calendar(self):
        "This year's calendar unconfirmed fails until the manager confirms"
        pool = Pool()
        Health = pool.get('hall.health')
        CalendarYear = pool.get('hall.calendar.year')
        Date = pool.get('ir.date')
        unconfirmed = CalendarYear.unconfirmed()
        check = Health.check_calendar()
        self.assertEqual(check['state'], 'failure' if unconfirmed else 'ok')
        for year, _ in unconfirmed:
            years = CalendarYear.search([('year', '=', year)])
            if years:
                CalendarYear.write(years, {'confirmed': True})
            else:
                CalendarYear.create([{'year': year, 'confirmed': True}])
        self.assertEqual(CalendarYear.unconfirmed(Date.today()), [])
        self.assertEqual(Health.check_calendar()['state'], 'ok')

    @with_transaction()
    def test_public_address(self):
        """Every hall's QR codes point to an address a citizen's phone opens;
        a hall without one, or with this machine's, is named"""
        pool = Pool()
        Hall = pool.get('hall.hall')
        Health = pool.get('hall.health')
        check = Health.check_public_address()
        self.assertEqual(check['state'], 'warning')
        self.assertTrue(check['advice'])
        company = create_company()
        city, district = Hall.create([{
                    'name': "市民中心", 'company': company.id,
                    'public_url': 'https://zwfw.example.gov.cn',
                    }, {
                    'name': "江北分中心", 'company': company.id,
                    }])
        with Transaction().set_context(language='zh_CN'):
            check = Health.check_public_address()
        self.assertEqual(check['state'], 'failure')
        self.assertIn("江北分中心", check['message'])
        self.assertNotIn("市民中心", check['message'])
        self.assertIn("公众访问地址", check['advice'])
        district.public_url = 'http://127.0.0.1:8000/'
        district.save()
        self.assertIn('127.0.0.1', Health.check_public_address()['message'])
        district.public_url = 'http://10.12.0.8'
        district.save()
        check = Health.check_public_address()
        self.assertEqual(check['state'], 'ok')
        self.assertIn('https://zwfw.example.gov.cn', check['message'])
        self.assertIn('http://10.12.0.8', check['message'])

    @with_transaction()
    def test_wizard(self):
        "The administrator's wizard lists the checks and counts failures"
        pool = Pool()
        Cron = pool.get('ir.cron')
        HealthShow = pool.get('hall.health.show', type='wizard')
        cron, = Cron.search([], limit=1)
        cron.next_call = None
        cron.save()
        session_id, _, _ = HealthShow.create()
        result = HealthShow(session_id).default_start(None)
        self.assertGreaterEqual(result['failures'], 1)
        self.assertEqual(len(result['checks']), 7)
        self.assertIn('failure', {c['state'] for c in result['checks']})

    def test_route(self):
        "The route answers each state, without login and without data"
        response = self.health()
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertEqual(response.mimetype, 'application/json')
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        states = response.json
        self.assertEqual(states['database'], 'ok')
        self.assertEqual(set(states), {'database', 'scheduler', 'worker',
                'database_role', 'connections', 'filestore', 'calendar',
                'public_address'})
        self.assertLessEqual(set(states.values()),
            {'ok', 'warning', 'failure'})

    def test_route_late_scheduler(self):
        "A late scheduler shows, the node still answers 200"
        def late():
            Cron = Pool().get('ir.cron')
            Cron.write(Cron.search([]), {'next_call': None})
        commit(late)
        self.addCleanup(commit, self.setUpDatabase)
        response = self.health()
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertEqual(response.json['scheduler'], 'failure')

    def test_route_outage(self):
        "503 while the database cannot be reached"
        with unreachable():
            response = self.health()
        self.assertEqual(response.status_code, HTTPStatus.SERVICE_UNAVAILABLE)
        self.assertEqual(response.json, {'database': 'unavailable'})
        self.assertNotIn('Traceback', response.text)

    def test_route_unknown_database(self):
        "404 in Chinese for a database that does not exist"
        response = self.health('no_such_database_here')
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)
        self.assertRegex(response.json['message'], CHINESE)

    def test_route_fuzzed(self):
        "Absurd requests are refused in Chinese, never with a 5xx"
        sent = fuzz_public_routes(self, DB_NAME, {'hall': {}})
        self.assertGreaterEqual(sent, 3)
