# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The health of a deployment, as a database can check it itself.

``hall.health.checks()`` lists each check as a dict: ``key`` (stable, for
the health route and scripts), ``name``, ``state`` (ok, warning, failure),
``message`` (what was found) and ``advice`` (what to do), in the user's
language.  A module adds its own checks by extending ``checks``.  The same
list is answered in three places:

- ``GET /<database>/hall/health`` (hall/health_route.py): the states only,
  no login, no data, for nginx and the monitoring;
- ``scripts/doctor``: with the checks of the deployment outside the
  database (files, connection budget, backups);
- the wizard 系统自检 of the administrator in the web client.
"""
import datetime as dt
import os
import tempfile

from sql import Literal, Null
from sql.aggregate import Count, Max, Min
from sql.conditionals import Coalesce

from trytond import backend, config
from trytond.i18n import gettext
from trytond.model import Model, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateView, Wizard

from .clock import utcnow
from .url_rules import is_public_address

STATES = [
    ('ok', "OK"),
    ('warning', "Warning"),
    ('failure', "Failure"),
    ]
# trytond-cron looks for due tasks every minute: a task still due after
# this long means no scheduler runs
CRON_GRACE = dt.timedelta(minutes=10)
# trytond-worker takes a task within seconds
QUEUE_GRACE = dt.timedelta(minutes=5)
# share of PostgreSQL's max_connections in use above which to warn
CONNECTIONS_WARNING = 0.8


def check(key, state, message, advice='', module='hall'):
    """A check of hall.health.checks, named by the message
    <module>.msg_health_<key>"""
    return {
        'key': key,
        'name': gettext(f'{module}.msg_health_{key}'),
        'state': state,
        'message': message,
        'advice': advice,
        }


class Health(Model):
    "Health of the Deployment"
    __name__ = 'hall.health'

    @classmethod
    def checks(cls):
        "The checks this database can make of itself (see the module)"
        return [
            cls.check_scheduler(),
            cls.check_queue(),
            cls.check_database_role(),
            cls.check_connections(),
            cls.check_filestore(),
            cls.check_calendar(),
            cls.check_public_address(),
            ]

    @classmethod
    def states(cls):
        "{key: state} of the checks, what the health route answers"
        return {c['key']: c['state'] for c in cls.checks()}

    @classmethod
    def check_scheduler(cls):
        pool = Pool()
        cron = pool.get('ir.cron').__table__()
        log = pool.get('ir.cron.log').__table__()
        cursor = Transaction().connection.cursor()
        late_before = utcnow() - CRON_GRACE
        cursor.execute(*cron.select(Count(cron.id),
                where=(cron.active == Literal(True))
                & ((cron.next_call == Null)
                    | (cron.next_call < late_before))))
        late, = cursor.fetchone()
        cursor.execute(*log.select(Max(log.ended)))
        last, = cursor.fetchone()
        if late:
            return check('scheduler', 'failure',
                gettext('hall.msg_health_scheduler_late', count=late,
                    minutes=int(CRON_GRACE.total_seconds() // 60)),
                gettext('hall.msg_health_scheduler_advice'))
        return check('scheduler', 'ok',
            gettext('hall.msg_health_scheduler_ok', last=str(last or '-')))

    @classmethod
    def check_queue(cls):
        if not config.getboolean('queue', 'worker', default=False):
            return check('worker', 'ok',
                gettext('hall.msg_health_worker_inline'))
        queue = Pool().get('ir.queue').__table__()
        cursor = Transaction().connection.cursor()
        now = utcnow()
        waiting = ((queue.dequeued_at == Null)
            & (Coalesce(queue.scheduled_at, queue.enqueued_at) <= now))
        cursor.execute(*queue.select(
                Count(queue.id),
                Min(Coalesce(queue.scheduled_at, queue.enqueued_at)),
                where=waiting))
        count, oldest = cursor.fetchone()
        if isinstance(oldest, str):
            oldest = dt.datetime.fromisoformat(oldest)
        if oldest and oldest < now - QUEUE_GRACE:
            return check('worker', 'failure',
                gettext('hall.msg_health_worker_late', count=count,
                    minutes=int(QUEUE_GRACE.total_seconds() // 60)),
                gettext('hall.msg_health_worker_advice'))
        return check('worker', 'ok',
            gettext('hall.msg_health_worker_ok', count=count))

    @classmethod
    def check_database_role(cls):
        if backend.name != 'postgresql':
            return check('database_role', 'warning',
                gettext('hall.msg_health_database_sqlite'),
                gettext('hall.msg_health_database_sqlite_advice'))
        cursor = Transaction().connection.cursor()
        cursor.execute('SELECT current_user, rolsuper FROM pg_roles '
            'WHERE rolname = current_user')
        user, superuser = cursor.fetchone()
        if superuser:
            return check('database_role', 'failure',
                gettext('hall.msg_health_database_superuser', user=user),
                gettext('hall.msg_health_database_role_advice'))
        cursor.execute("SELECT current_database(), has_database_privilege("
            "'public', current_database(), 'CONNECT')")
        database, public = cursor.fetchone()
        if public:
            return check('database_role', 'warning',
                gettext('hall.msg_health_database_public', database=database),
                gettext('hall.msg_health_database_public_advice',
                    database=database))
        return check('database_role', 'ok',
            gettext('hall.msg_health_database_role_ok', user=user))

    @classmethod
    def check_connections(cls):
        maxconn = config.getint('database', 'maxconn')
        if backend.name != 'postgresql':
            return check('connections', 'ok',
                gettext('hall.msg_health_connections_sqlite'))
        cursor = Transaction().connection.cursor()
        cursor.execute("SELECT current_setting('max_connections')::int, "
            "(SELECT count(*) FROM pg_stat_activity)")
        maximum, used = cursor.fetchone()
        message = gettext('hall.msg_health_connections_used',
            used=used, maximum=maximum, maxconn=maxconn)
        if used > maximum * CONNECTIONS_WARNING:
            return check('connections', 'warning', message,
                gettext('hall.msg_health_connections_advice'))
        return check('connections', 'ok', message)

    @classmethod
    def check_filestore(cls):
        path = os.path.join(
            config.get('database', 'path'), Transaction().database.name)
        try:
            os.makedirs(path, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path, prefix='.health-'):
                pass
        except OSError as error:
            return check('filestore', 'failure',
                gettext('hall.msg_health_filestore_failure',
                    path=path, error=error.strerror or str(error)),
                gettext('hall.msg_health_filestore_advice', path=path))
        return check('filestore', 'ok',
            gettext('hall.msg_health_filestore_ok', path=path))

    @classmethod
    def check_calendar(cls):
        "This year's and, from 1 November, next year's calendar confirmed"
        CalendarYear = Pool().get('hall.calendar.year')
        unconfirmed = CalendarYear.unconfirmed()
        if unconfirmed:
            return check('calendar', 'failure',
                ' '.join(reason for _, reason in unconfirmed),
                gettext('hall.msg_health_calendar_advice'))
        return check('calendar', 'ok', gettext('hall.msg_health_calendar_ok'))


    @classmethod
    def check_public_address(cls):
        "The QR codes printed for citizens point to an address they reach"
        Hall = Pool().get('hall.hall')
        halls = Hall.search([])
        if not halls:
            return check('public_address', 'warning',
                gettext('hall.msg_health_public_address_no_hall'),
                gettext('hall.msg_health_public_address_advice'))
        unreachable = [h for h in halls
            if not is_public_address(h.public_base())]
        if unreachable:
            return check('public_address', 'failure',
                gettext('hall.msg_health_public_address_missing',
                    halls='、'.join('%s（%s）' % (h.rec_name, h.public_base())
                        for h in unreachable)),
                gettext('hall.msg_health_public_address_advice'))
        return check('public_address', 'ok',
            gettext('hall.msg_health_public_address_ok',
                addresses='、'.join(sorted({h.public_base() for h in halls}))))


class HealthCheck(ModelView):
    "Health Check"
    __name__ = 'hall.health.check'

    name = fields.Char("Check", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True)
    message = fields.Text("Finding", readonly=True)
    advice = fields.Text("What to Do", readonly=True)


class HealthResult(ModelView):
    "Health of the Deployment"
    __name__ = 'hall.health.result'

    failures = fields.Integer("Failures", readonly=True)
    warnings = fields.Integer("Warnings", readonly=True)
    checks = fields.One2Many('hall.health.check', None, "Checks",
        readonly=True)


class HealthShow(Wizard):
    "Check the Deployment"
    __name__ = 'hall.health.show'

    start = StateView('hall.health.result',
        'hall.health_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        checks = Pool().get('hall.health').checks()
        return {
            'failures': sum(c['state'] == 'failure' for c in checks),
            'warnings': sum(c['state'] == 'warning' for c in checks),
            'checks': [{k: c[k] for k in ['name', 'state', 'message', 'advice']}
                for c in checks],
            }
