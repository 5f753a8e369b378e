#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Benchmark of the queue (hall_queue) against a real server: trytond under
gunicorn (gthread workers, config/gunicorn.conf.py) on PostgreSQL, clients
over JSON-RPC and the public kiosk route.

    scripts/bench queue [--quick] [options]      (--help lists them)

1. A fresh PostgreSQL database bench_queue_<pid> is copied from a template
   database where hall_queue is activated and the bench data set up
   (scripts/bench_queue_setup.py: company in Asia/Shanghai, a hall with 40
   windows calling one queue, a hall with 132 windows and 8 queues, users
   bench001…, one a window, with the hall manager role).  The template is
   built the first time (trytond-admin and the setup, 1–3 minutes) and
   kept as bench_queue_tpl_<hash of the sources>; it is rebuilt when the
   code or data of hall_queue or hall change (--no-cache builds the run's
   database from scratch and keeps no template).  A public holiday falling
   today becomes a make-up workday in the run's database; the halls and
   queues serve on weekends, 00:00–23:59:59, so tickets are issued any day.
2. The floor: N waiting tickets served by W threads, each with its own
   psycopg connection, in raw SQL (select … for update skip locked and
   update to called, update to serving, update to done, one transaction
   each, read committed).
3. gunicorn starts with the production settings (config/gunicorn.conf.py
   and config/trytond-postgresql.conf, with the database path, the web
   root and the connection pool size changed for the bench, and the
   workers not recycled unless --max-requests says so) on a free port; it
   is started again before the peak day.
4. Contention: after a warm-up, the lightest authenticated call is timed
   (the RPC stack alone); then N new waiting tickets, and W windows, each
   a thread with its own user, session and connection, loop call-next
   (model.hall.window.call_next_ticket) → start → finish (model.hall.ticket
   buttons) until no ticket waits; then one window alone serves a few
   tickets (the latency without contention).  The database is checked:
   duplicates (a ticket called by two windows, in the call log, the ticket
   history or the clients' records) and lost tickets (not done) must both
   be 0.
5. Peak day: P tickets issued through the kiosk route (POST
   /<db>/hall/<hall>/kiosk, JSON) by K concurrent clients while the 132
   windows of the second hall serve them, in accelerated time: no service
   time; a window with nobody to call watches the waiting counts (read by
   the bench in SQL, as a clerk watches the display board) instead of
   asking the server again and again.  The server trusts one proxy hop
   (num_proxies = 1, as in production behind nginx), so the clients send
   X-Forwarded-For: each address takes at most 5 tickets, under the
   throttle of 6 a minute, which stays on.  Before the run, one address
   asks 7 times to check that the throttle refuses the 7th.
6. gunicorn is stopped and the database dropped, also on failure or
   Ctrl-C.

The machine's load is printed with each phase: the server's CPU time per
request is the figure least disturbed by other work on the machine.  A
request the client sent again because the server closed the connection
without answering is counted (`resent`): it may have been carried out
twice.  The last output line is one JSON object.
"""
import argparse
import base64
import collections
import configparser
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zoneinfo

import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, '.venv', 'bin')
SETUP = os.path.join(ROOT, 'scripts', 'bench_queue_setup.py')
PRODUCTION_CONF = os.path.join(ROOT, 'config', 'trytond-postgresql.conf')
GUNICORN_CONF = os.path.join(ROOT, 'config', 'gunicorn.conf.py')

PG_URI = os.environ.get(
    'BENCH_PG_URI', 'postgresql://postgres@127.0.0.1:5432/')
TIMEZONE = 'Asia/Shanghai'
MODULE = 'hall_queue'
TEMPLATE_PREFIX = 'bench_queue_tpl_'
# The password of the template's users bench001… (a local database, never
# served beyond the benchmark's own loopback server)
BENCH_PASSWORD = 'bench-queue-password'
# Template sizes (the runs use the first windows of each hall)
TEMPLATE_CONTENTION_WINDOWS = 40
TEMPLATE_PEAK_WINDOWS = 132
# Tickets an address takes at the kiosk in the peak day (the throttle of
# the configuration, 6 a minute by default, must stay above)
KIOSK_TICKETS_PER_ADDRESS = 5
# Share of the kiosk requests choosing a service (else a queue), giving a
# mobile number, giving a resident ID number
KIOSK_BY_SERVICE = 0.5
KIOSK_WITH_MOBILE = 0.3
KIOSK_WITH_ID = 0.2
# Weight of each of the 8 queues of the peak hall at the kiosk
PEAK_QUEUE_WEIGHTS = [20, 15, 15, 10, 10, 10, 10, 10]
# Tickets per window served before the contention is measured, and light
# calls per window measuring the RPC stack alone (full run, quick run)
WARM_UP_TICKETS = (3, 2)
BASELINE_CALLS = (15, 5)
# A phase where no request is answered for this long is given up
STALL_SECONDS = 180
# Tickets served by one window alone, after the contention
SINGLE_WINDOW_TICKETS = (100, 20)
# Share of priority tickets (elderly or disabled) among the seeded ones
PRIORITY_EVERY = 20


def say(*args):
    print(*args, flush=True)


def warn(*args):
    print('bench queue:', *args, file=sys.stderr, flush=True)


# --- statistics --------------------------------------------------------------

def percentile(values, q):
    "Nearest-rank percentile of `values` (q in 0..100), None if empty"
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


class Stats:
    "Latencies (seconds) per operation, and errors, of one thread"

    def __init__(self):
        self.latencies = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.error_samples = []
        self.tickets = []
        self.last_done = None
        self.stalled = False

    def add(self, operation, seconds):
        self.latencies[operation].append(seconds)

    def error(self, operation, exception):
        self.errors[operation] += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(f'{operation}: {exception!s:.300}')

    @classmethod
    def merge(cls, many):
        total = cls()
        for stats in many:
            for operation, values in stats.latencies.items():
                total.latencies[operation].extend(values)
            total.errors.update(stats.errors)
            total.error_samples.extend(stats.error_samples)
            total.tickets.extend(stats.tickets)
            if stats.last_done is not None:
                total.last_done = max(total.last_done or 0, stats.last_done)
        return total

    def calls(self):
        return sum(len(v) for v in self.latencies.values())

    def summary(self, operation):
        values = self.latencies.get(operation, [])
        return {
            'count': len(values),
            'p50_ms': ms(percentile(values, 50)),
            'p99_ms': ms(percentile(values, 99)),
            'max_ms': ms(max(values) if values else None),
            }


def print_operations(stats, operations):
    say(f"    {'operation':<18}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}"
        f"{'max ms':>10}")
    for operation in operations:
        s = stats.summary(operation)
        if not s['count']:
            continue
        say(f"    {operation:<18}{s['count']:>8}{s['p50_ms']:>10}"
            f"{s['p99_ms']:>10}{s['max_ms']:>10}")
    if stats.errors:
        say(f"    errors: {dict(stats.errors)}")
        for sample in stats.error_samples[:5]:
            say(f"      {sample}")


# --- PostgreSQL --------------------------------------------------------------

def pg_connect(dbname='postgres', **kwargs):
    uri = PG_URI.rstrip('/') + '/' + dbname
    return psycopg.connect(uri, **kwargs)


def admin_query(sql, params=None):
    "Rows of a query on the maintenance database"
    with pg_connect(autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def database_exists(name):
    return bool(admin_query(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,)))


def drop_database(name):
    with pg_connect(autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL(
                'DROP DATABASE IF EXISTS {} WITH (FORCE)').format(
                psycopg.sql.Identifier(name)))


def create_database(name, template='template0'):
    with pg_connect(autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL(
                "CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                psycopg.sql.Identifier(name),
                psycopg.sql.Identifier(template)))


def rename_database(old, new):
    with pg_connect(autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL('ALTER DATABASE {} RENAME TO {}').format(
                psycopg.sql.Identifier(old), psycopg.sql.Identifier(new)))


# --- configuration and template ----------------------------------------------

def write_trytond_conf(workdir, maxconn):
    """The production configuration with what a bench on this machine must
    change: the data path, the web root and the connection pool size"""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PRODUCTION_CONF, encoding='utf-8')
    for section in ['database', 'web']:
        if not parser.has_section(section):
            parser.add_section(section)
    parser.set('database', 'uri', PG_URI)
    parser.set('database', 'path', os.path.join(workdir, 'data'))
    parser.set('database', 'maxconn', str(maxconn))
    parser.set('web', 'root', os.path.join(ROOT, 'sao'))
    os.makedirs(os.path.join(workdir, 'data'), exist_ok=True)
    path = os.path.join(workdir, 'trytond.conf')
    with open(path, 'w', encoding='utf-8') as fp:
        parser.write(fp)
    return path


def module_closure(name):
    "The repository's modules `name` depends on (tryton.cfg), itself included"
    seen = []
    todo = [name]
    while todo:
        module = todo.pop()
        cfg = os.path.join(ROOT, 'modules', module, 'tryton.cfg')
        if module in seen or not os.path.exists(cfg):
            continue
        seen.append(module)
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(cfg, encoding='utf-8')
        for key in ['depends', 'extras_depend']:
            todo.extend(parser.get('tryton', key, fallback='').split())
    return sorted(seen)


def sources_hash(contention_windows, peak_windows):
    """Hash of what the template is made of: the code and data of hall_queue
    and of the repository modules it depends on (tryton.cfg, *.py, *.xml;
    not the tests, translations or static files, which the benchmark does
    not depend on), the setup script, trytond's version and the sizes"""
    import trytond
    digest = hashlib.sha1()
    digest.update(f'{trytond.__version__} {contention_windows} '
        f'{peak_windows}'.encode())
    for module in module_closure(MODULE):
        base = os.path.join(ROOT, 'modules', module)
        for directory, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs
                if d not in {'__pycache__', 'tests', 'locale', 'static'})
            for name in sorted(files):
                if not name.endswith(('.py', '.xml', '.cfg')):
                    continue
                path = os.path.join(directory, name)
                digest.update(os.path.relpath(path, ROOT).encode())
                with open(path, 'rb') as fp:
                    digest.update(fp.read())
    with open(SETUP, 'rb') as fp:
        digest.update(fp.read())
    return digest.hexdigest()[:12]


def build_database(name, conf, workdir, contention_windows, peak_windows):
    "Activate hall_queue in the new database `name` and set up the data"
    create_database(name)
    passfile = os.path.join(workdir, 'admin-password')
    with open(passfile, 'w') as fp:
        fp.write(secrets.token_urlsafe(16) + '\n')
    env = dict(os.environ, TRYTONPASSFILE=passfile)
    env.pop('TRYTOND_CONFIG', None)
    log = os.path.join(workdir, 'trytond-admin.log')
    say(f"  trytond-admin: activating {MODULE} in {name} "
        f"(log {log}), please wait")
    with open(log, 'w') as out:
        subprocess.run([os.path.join(VENV_BIN, 'trytond-admin'),
                '-c', conf, '-d', name, '--all', '--activate-dependencies',
                '-u', MODULE, '--email', 'admin@example.gov.cn'],
            env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    os.unlink(passfile)
    say("  setting up the company, halls, queues, windows and user")
    result = subprocess.run([os.path.join(VENV_BIN, 'python'), SETUP,
            '--config', conf, '--database', name,
            '--contention-windows', str(contention_windows),
            '--peak-windows', str(peak_windows),
            '--password', BENCH_PASSWORD],
        env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise RuntimeError("the bench setup failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def template_ids(name):
    "The ids the setup returned, kept in the template's database comment"
    rows = admin_query(
        'SELECT shobj_description(oid, %s) FROM pg_database '
        'WHERE datname = %s', ('pg_database', name))
    return json.loads(rows[0][0]) if rows and rows[0][0] else None


def prepare_template(conf, workdir, contention_windows, peak_windows):
    """The template database for these sources, built if missing; older
    templates of the benchmark are dropped"""
    name = TEMPLATE_PREFIX + sources_hash(contention_windows, peak_windows)
    if database_exists(name):
        ids = template_ids(name)
        if ids:
            say(f"  template database {name} (cached)")
            return name, ids
        drop_database(name)
    for (other,) in admin_query(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (TEMPLATE_PREFIX.replace('_', r'\_') + '%',)):
        if other != name:
            say(f"  dropping the outdated template {other}")
            try:
                drop_database(other)
            except psycopg.Error as exception:
                warn(f"could not drop {other}: {exception}")
    building = f'{name}_build_{os.getpid()}'
    say(f"  building the template database {name} (first run for these "
        "sources)")
    try:
        ids = build_database(
            building, conf, workdir, contention_windows, peak_windows)
        with pg_connect(autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL(
                    'COMMENT ON DATABASE {} IS {}').format(
                    psycopg.sql.Identifier(building),
                    psycopg.sql.Literal(json.dumps(ids))))
        rename_database(building, name)
    except BaseException:
        drop_database(building)
        raise
    return name, ids


def make_workday(conn, today):
    """A public holiday today becomes a make-up workday (hall.calendar.day),
    so that the queues issue tickets; weekends are covered by the weekend
    service of the halls and queues"""
    cursor = conn.execute(
        "UPDATE hall_calendar_day SET kind = 'workday', "
        "name = 'bench: workday' WHERE date = %s AND kind = 'holiday'",
        (today,))
    conn.commit()
    return cursor.rowcount


# --- tickets in SQL ----------------------------------------------------------

def seed_tickets(conn, queue, hall, prefix, today, count, user):
    """Insert `count` waiting tickets in `queue` today, numbered after the
    queue's counter, one priority ticket in PRIORITY_EVERY; the counter and
    the ticket history follow.  Return their ids."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    local_hour = now.replace(tzinfo=dt.timezone.utc).astimezone(
        zoneinfo.ZoneInfo(TIMEZONE)).hour
    row = conn.execute(
        'SELECT last FROM hall_queue_counter WHERE queue = %s AND date = %s',
        (queue, today)).fetchone()
    first = (row[0] if row else 0) + 1
    rows = []
    for i in range(count):
        sequence = first + i
        priority = 'priority' if sequence % PRIORITY_EVERY == 0 else 'normal'
        rows.append((queue, hall, today, sequence, f'{prefix}{sequence:03d}',
                secrets.token_urlsafe(24), priority,
                2 if priority == 'priority' else 3, 'kiosk', 'waiting',
                now - dt.timedelta(milliseconds=10 * (count - i)),
                local_hour, 0, user, now))
    columns = ('queue, hall, date, sequence, number, token, priority, '
        'priority_rank, channel, state, issued_at, issued_hour, '
        'recall_count, create_uid, create_date')
    with conn.cursor() as cursor:
        with cursor.copy(
                f'COPY hall_ticket ({columns}) FROM STDIN') as copy:
            for values in rows:
                copy.write_row(values)
        last = first + count - 1
        cursor.execute(
            'INSERT INTO hall_queue_counter '
            '(queue, date, last, create_uid, create_date) '
            'VALUES (%s, %s, %s, %s, %s) ON CONFLICT (queue, date) '
            'DO UPDATE SET last = EXCLUDED.last',
            (queue, today, last, user, now))
        cursor.execute(
            'SELECT id FROM hall_ticket WHERE queue = %s AND date = %s '
            'AND sequence BETWEEN %s AND %s ORDER BY id',
            (queue, today, first, last))
        ids = [r[0] for r in cursor]
        # the history the ORM would have written at creation
        names = [r[0] for r in cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'hall_ticket' ORDER BY ordinal_position")]
        if cursor.execute("SELECT to_regclass('hall_ticket__history')"
                ).fetchone()[0]:
            cols = ', '.join(f'"{n}"' for n in names)
            cursor.execute(
                f'INSERT INTO hall_ticket__history ({cols}) '
                f'SELECT {cols} FROM hall_ticket WHERE id = ANY(%s)', (ids,))
    conn.commit()
    vacuum(('hall_ticket', 'hall_ticket__history', 'hall_ticket_call'))
    return ids


def vacuum(tables):
    "VACUUM ANALYZE the tables, so that each run starts from clean tables"
    with pg_connect(DBNAME, autocommit=True) as conn:
        for table in tables:
            conn.execute(psycopg.sql.SQL('VACUUM ANALYZE {}').format(
                    psycopg.sql.Identifier(table)))


def check_tickets(conn, ids, client_tickets):
    """Duplicates: tickets called by more than one window (call log,
    ticket history, clients' records); lost: tickets not done.  Return
    (duplicates, lost, details)."""
    cursor = conn.cursor()
    log = {r[0] for r in cursor.execute(
            "SELECT ticket FROM hall_ticket_call WHERE ticket = ANY(%s) "
            "AND kind = 'call' GROUP BY ticket "
            "HAVING count(*) > 1 OR count(DISTINCT \"window\") > 1", (ids,))}
    history = set()
    if cursor.execute("SELECT to_regclass('hall_ticket__history')"
            ).fetchone()[0]:
        history = {r[0] for r in cursor.execute(
                'SELECT id FROM hall_ticket__history WHERE id = ANY(%s) '
                'AND "window" IS NOT NULL GROUP BY id '
                'HAVING count(DISTINCT "window") > 1', (ids,))}
    counts = collections.Counter(client_tickets)
    clients = {t for t, n in counts.items() if n > 1}
    states = collections.Counter(dict(cursor.execute(
                'SELECT state, count(*) FROM hall_ticket WHERE id = ANY(%s) '
                'GROUP BY state', (ids,)).fetchall()))
    not_done = {r[0] for r in cursor.execute(
            "SELECT id FROM hall_ticket WHERE id = ANY(%s) "
            "AND state != 'done'", (ids,))}
    never_served = set(ids) - set(counts)
    conn.commit()
    duplicates = log | history | clients
    lost = not_done | never_served
    return len(duplicates), len(lost), {
        'states': dict(states),
        'duplicates_call_log': len(log),
        'duplicates_history': len(history),
        'duplicates_clients': len(clients),
        'not_done': len(not_done),
        'never_served': len(never_served),
        }


class Board(threading.Thread):
    """What the clerks see on the display board: the tickets waiting per
    queue today, read in SQL every `period` by the bench (so that watching
    costs the server nothing).  A window calls only when the board shows
    someone waiting in one of its queues that no other window is calling
    already (acquire … release), as a clerk does, instead of asking the
    server again and again.  `empty` is set once nobody waits and
    `ready()` (the kiosks are done)."""

    def __init__(self, queues, today, ready=lambda: True, period=0.05):
        super().__init__(daemon=True)
        self.queues = list(queues)
        self.today = today
        self.ready = ready
        self.period = period
        self.counts = {}
        self.calling = collections.Counter()
        self.condition = threading.Condition()
        self.empty = threading.Event()
        self.stop = threading.Event()

    def run(self):
        try:
            with pg_connect(DBNAME, autocommit=True) as conn:
                while not self.stop.is_set():
                    ready = self.ready()
                    counts = dict(conn.execute(
                            'SELECT queue, count(*) FROM hall_ticket '
                            "WHERE state = 'waiting' AND date = %s "
                            'AND queue = ANY(%s) GROUP BY queue',
                            (self.today, self.queues)).fetchall())
                    with self.condition:
                        self.counts = counts
                        if ready and not any(counts.values()):
                            self.empty.set()
                        self.condition.notify_all()
                    if self.empty.is_set():
                        return
                    time.sleep(self.period)
        finally:
            with self.condition:
                self.stop.set()
                self.condition.notify_all()

    def acquire(self, queues):
        """Wait until someone waits in one of `queues` whom no other window
        is calling: return that queue, or None once nobody waits any more"""
        with self.condition:
            while not (self.empty.is_set() or self.stop.is_set()):
                for queue in queues:
                    if self.counts.get(queue, 0) > self.calling[queue]:
                        self.calling[queue] += 1
                        return queue
                self.condition.wait(1)
            return None

    def release(self, queue, queues, called):
        """The call-next of a window (acquired for `queue`) answered: one
        person fewer waiting if `called`, else nobody in its `queues` (until
        the next look at the board)"""
        with self.condition:
            self.calling[queue] -= 1
            if called:
                self.counts[queue] = max(0, self.counts.get(queue, 0) - 1)
            else:
                for other in queues:
                    self.counts[other] = 0


# --- the floor: raw SQL ------------------------------------------------------

FLOOR_PICK = (
    'SELECT t.id, t.issued_at FROM hall_ticket t '
    "WHERE t.state = 'waiting' AND t.date = %(date)s AND t.queue IN ("
    'SELECT l.queue FROM hall_queue_window l WHERE l."window" = %(window)s) '
    'ORDER BY t.priority_rank, t.issued_at, t.id '
    'LIMIT 1 FOR UPDATE SKIP LOCKED')
FLOOR_CALL = (
    "UPDATE hall_ticket SET state = 'called', \"window\" = %(window)s, "
    'called_at = %(now)s, wait_seconds = %(wait)s, '
    'write_uid = %(user)s, write_date = %(now)s WHERE id = %(id)s')
FLOOR_START = (
    "UPDATE hall_ticket SET state = 'serving', started_at = %(now)s, "
    "write_uid = %(user)s, write_date = %(now)s "
    "WHERE id = %(id)s AND state = 'called'")
FLOOR_FINISH = (
    "UPDATE hall_ticket SET state = 'done', finished_at = %(now)s, "
    "service_seconds = 0, outcome = 'handled', "
    "write_uid = %(user)s, write_date = %(now)s "
    "WHERE id = %(id)s AND state = 'serving'")


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def floor_window(window, queues, today, user, barrier, board, stats,
        finished, release):
    with pg_connect(DBNAME) as conn:
        barrier.wait()
        try:
            _floor_loop(conn, window, queues, today, user, board, stats)
        except psycopg.Error as exception:
            stats.error('floor', exception)
        finally:
            # keep the connection (its backend's CPU time is measured)
            # until every window is done
            finished.wait()
            release.wait()


def _floor_loop(conn, window, queues, today, user, board, stats):
    "Call-next, start, finish in SQL until nobody waits"
    while True:
        queue = board.acquire(queues)
        if queue is None:
            return
        started = time.perf_counter()
        with conn.transaction():
            row = conn.execute(FLOOR_PICK,
                {'date': today, 'window': window}).fetchone()
            if row:
                now = utcnow()
                conn.execute(FLOOR_CALL, {'window': window, 'now': now,
                        'wait': int((now - row[1]).total_seconds()),
                        'user': user, 'id': row[0]})
        board.release(queue, queues, bool(row))
        if not row:
            stats.add('call_next_empty', time.perf_counter() - started)
            continue
        stats.add('call_next', time.perf_counter() - started)
        stats.tickets.append(row[0])
        for operation, sql in [
                ('start', FLOOR_START), ('finish', FLOOR_FINISH)]:
            started = time.perf_counter()
            with conn.transaction():
                conn.execute(sql,
                    {'now': utcnow(), 'user': user, 'id': row[0]})
            stats.add(operation, time.perf_counter() - started)
        stats.last_done = time.perf_counter()


# --- JSON-RPC client ---------------------------------------------------------

class RPCError(Exception):
    pass


class Client:
    """One HTTP/1.1 keep-alive connection to the server.

    When the server closes the connection before answering, post() sends
    the request once more on a new connection (unless `resend` is false:
    then the error goes up) and counts it in `resent` (and in the class's
    `resent_total`).  Such a resend is not known to be harmless: the
    server also closes a connection when its worker dies (killed or
    recycled) while it handles the request, which may have been carried
    out and committed.  Whoever relies on the outcome checks it."""

    resent_total = 0
    _resent_lock = threading.Lock()

    def __init__(self, port, database, forwarded_for=None, timeout=300,
            resend=True):
        self.port = port
        self.database = database
        self.forwarded_for = forwarded_for
        self.connection = http.client.HTTPConnection(
            '127.0.0.1', port, timeout=timeout)
        self.authorization = None
        self.context = {}
        self.resend = resend
        self.resent = 0
        self._id = 0

    def post(self, path, payload, headers=None):
        body = json.dumps(payload).encode()
        headers = {
            'Content-Type': 'application/json',
            'Accept': 'application/json',
            **(headers or {}),
            }
        for attempt in range(2):
            try:
                self.connection.request('POST', path, body, headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError):
                # closed by the server: a keep-alive connection it closed
                # while idle (the request was not read), or a worker that
                # died handling it (the request may have been carried out)
                self.connection.close()
                if attempt or not self.resend:
                    raise
                self.resent += 1
                with Client._resent_lock:
                    Client.resent_total += 1
            except BaseException:
                # timed out or interrupted: start the next request afresh
                self.connection.close()
                raise

    def call(self, method, *params):
        self._id += 1
        headers = {}
        if self.authorization:
            headers['Authorization'] = self.authorization
        status, data = self.post(f'/{self.database}/rpc/', {
                'id': self._id, 'method': method, 'params': list(params)},
            headers)
        if status != 200:
            raise RPCError(f'HTTP {status}: {data[:300]!r}')
        response = json.loads(data)
        if 'error' in response:
            raise RPCError(response['error'])
        return response['result']

    def login(self, login, password):
        user_id, session, _ = self.call(
            'common.db.login', login, {'password': password}, 'en')
        token = base64.b64encode(
            f'{login}:{user_id}:{session}'.encode()).decode()
        self.authorization = f'Session {token}'
        self.context = self.call('model.res.user.get_preferences', True, {})
        return user_id

    def model(self, model, method, *args):
        return self.call(f'model.{model}.{method}', *args, self.context)


def serve_window(client, window, queues, barrier, board, stats, stop):
    """Call-next → start → finish at `window` until nobody waits; when
    nobody waits for it, the window watches the board; after an error the
    window's current ticket is read back from the server"""
    barrier.wait()
    ticket = state = None
    errors_in_row = 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            if ticket is None:
                operation = 'call_next'
                queue = board.acquire(queues)
                if queue is None:
                    return
                started = time.perf_counter()
                result = None
                try:
                    result = client.model(
                        'hall.window', 'call_next_ticket', window)
                finally:
                    board.release(queue, queues, bool(result))
                if result is None:
                    stats.add('call_next_empty',
                        time.perf_counter() - started)
                    continue
                ticket, state = result['id'], 'called'
                stats.tickets.append(ticket)
            elif state == 'called':
                operation = 'start'
                client.model('hall.ticket', 'start', [ticket])
                state = 'serving'
            else:
                operation = 'finish'
                client.model('hall.ticket', 'finish', [ticket])
                ticket = state = None
                stats.last_done = time.perf_counter()
            stats.add(operation, time.perf_counter() - started)
            errors_in_row = 0
        except (RPCError, OSError, http.client.HTTPException) as exception:
            stats.error(operation, exception)
            errors_in_row += 1
            if errors_in_row > 20:
                warn(f"window {window}: giving up after 20 errors in a row")
                return
            time.sleep(0.05 * errors_in_row)
            try:
                current, = client.model('hall.window', 'read', [window],
                    ['current_ticket', 'current_ticket_state'])
            except (RPCError, OSError, http.client.HTTPException):
                continue
            ticket = current['current_ticket']
            state = current['current_ticket_state'] if ticket else None


def login_clients(port, logins):
    "A client a login, each logged in with its own session"
    clients = [None] * len(logins)
    errors = []

    def login(i):
        try:
            client = Client(port, DBNAME)
            client.login(logins[i], BENCH_PASSWORD)
            clients[i] = client
        except Exception as exception:
            errors.append(exception)
    threads = [threading.Thread(target=login, args=(i,))
        for i in range(len(logins))]
    # a few at a time: a login hashes the password
    for i in range(0, len(threads), 8):
        for thread in threads[i:i + 8]:
            thread.start()
        for thread in threads[i:i + 8]:
            thread.join()
    if errors:
        raise RuntimeError(f"login failed: {errors[0]}")
    return clients


def logout_clients(clients):
    for client in clients:
        try:
            client.call('common.db.logout')
        except (RPCError, OSError, http.client.HTTPException):
            pass
        client.connection.close()


def run_windows(clients, windows, queues, board, extra_threads=()):
    """Run one thread per window (its queues in `queues`) and the extra
    threads (the kiosks), all released at once, until the `board` shows
    nobody waiting; return (merged stats, start time, end time)"""
    barrier = threading.Barrier(len(windows) + len(extra_threads) + 1)
    stop = threading.Event()
    stalled = []
    all_stats = []
    threads = []
    for client, window in zip(clients, windows):
        stats = Stats()
        all_stats.append(stats)
        threads.append(threading.Thread(target=serve_window,
                args=(client, window, queues[window], barrier, board, stats,
                    stop),
                daemon=True))
    for target, args in extra_threads:
        stats = Stats()
        all_stats.append(stats)
        threads.append(threading.Thread(target=target,
                args=(*args, barrier, stats), daemon=True))
    for thread in threads:
        thread.start()
    board.start()
    barrier.wait()
    started = time.perf_counter()
    done, last_change = -1, started
    try:
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            # the lists only grow: reading their length from here is safe
            now_done = sum(len(v) for stats in all_stats
                for v in list(stats.latencies.values()))
            if now_done != done:
                done, last_change = now_done, time.perf_counter()
            elif time.perf_counter() - last_change > STALL_SECONDS:
                warn(f"no request answered for {STALL_SECONDS} s: giving "
                    "up the phase (the server is stalled)")
                stalled.append(True)
                break
    finally:
        stop.set()
        with board.condition:
            board.stop.set()
            board.condition.notify_all()
    ended = time.perf_counter()
    merged = Stats.merge(all_stats)
    merged.stalled = bool(stalled)
    return merged, started, ended


# --- kiosk -------------------------------------------------------------------

def resident_id(rnd):
    "A valid resident ID number (Beijing Chaoyang, born 1950–2005)"
    from stdnum.cn import ric
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(20000))
    body = f'110105{birth:%Y%m%d}{rnd.randrange(1000):03d}'
    return body + ric.calc_check_digit(body + '0')


def mobile(rnd):
    return f'1{rnd.choice("3456789")}{rnd.randrange(10 ** 9):09d}'


def kiosk_requests(count, queues, rnd, first_address=0):
    """The kiosk requests of the peak day: (X-Forwarded-For, JSON body),
    KIOSK_TICKETS_PER_ADDRESS per address"""
    requests = []
    for i in range(count):
        queue = rnd.choices(queues, PEAK_QUEUE_WEIGHTS[:len(queues)])[0]
        body = {}
        if queue['services'] and rnd.random() < KIOSK_BY_SERVICE:
            body['service'] = queue['services'][0]
        else:
            body['queue'] = queue['id']
        if rnd.random() < KIOSK_WITH_MOBILE:
            body['mobile'] = mobile(rnd)
        if rnd.random() < KIOSK_WITH_ID:
            body['id_number'] = resident_id(rnd)
        n = first_address + i // KIOSK_TICKETS_PER_ADDRESS
        address = f'10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}'
        requests.append((address, body))
    return requests


def kiosk_client(port, path, requests, issued, done, barrier, stats):
    "Send the kiosk `requests`; append the tickets to `issued`"
    client = Client(port, DBNAME)
    barrier.wait()
    try:
        _kiosk_requests(client, path, requests, issued, stats)
    finally:
        client.connection.close()
        done.append(True)


def _kiosk_requests(client, path, requests, issued, stats):
    for address, body in requests:
        started = time.perf_counter()
        try:
            status, data = client.post(path, body,
                {'X-Forwarded-For': address})
        except (OSError, http.client.HTTPException) as exception:
            stats.error('issue', exception)
            continue
        if status == 201:
            stats.add('issue', time.perf_counter() - started)
            issued.append(json.loads(data))
        else:
            stats.error('issue', f'HTTP {status}: {data[:200]!r}')


def check_throttle(port, path, queue, limit):
    """`limit` + 1 requests from one address: the last must be refused
    (429).  Return (ok, tickets issued)"""
    client = Client(port, DBNAME)
    address = '192.0.2.77'
    statuses = []
    issued = []
    for _ in range(limit + 1):
        status, data = client.post(path, {'queue': queue},
            {'X-Forwarded-For': address})
        statuses.append(status)
        if status == 201:
            issued.append(json.loads(data))
    client.connection.close()
    ok = statuses[:limit] == [201] * limit and statuses[-1] == 429
    return ok, statuses, issued


# --- gunicorn ----------------------------------------------------------------

GUNICORN_WRAPPER = '''\
# Generated by scripts/bench_queue.py: the production settings
# (config/gunicorn.conf.py) plus a hook telling when a worker is ready.
import os
_conf = os.environ['BENCH_GUNICORN_CONF']
with open(_conf) as _fp:
    exec(compile(_fp.read(), _conf, 'exec'))
_conf_post_worker_init = globals().get('post_worker_init')


def post_worker_init(worker):
    if _conf_post_worker_init:
        _conf_post_worker_init(worker)
    hook = os.environ.get('BENCH_SERVER_HOOK')
    if hook:
        # an experiment (--server-hook): patch the loaded models
        with open(hook) as fp:
            exec(compile(fp.read(), hook, 'exec'), {'__name__': 'hook'})
    open(os.path.join(os.environ['BENCH_READY_DIR'],
            'ready.%d' % worker.pid), 'w').close()
'''


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, workdir, conf, workers, threads, max_requests=None,
            hook=None, extra_args=()):
        self.workdir = workdir
        self.extra_args = list(extra_args)
        self.hook = hook
        self.conf = conf
        self.workers = workers
        self.threads = threads
        self.max_requests = max_requests
        self.port = free_port()
        self.ready_dir = os.path.join(workdir, 'ready')
        self.process = None

    def start(self, timeout=240):
        shutil.rmtree(self.ready_dir, ignore_errors=True)
        os.makedirs(self.ready_dir)
        wrapper = os.path.join(self.workdir, 'gunicorn.conf.py')
        with open(wrapper, 'w') as fp:
            fp.write(GUNICORN_WRAPPER)
        env = dict(os.environ,
            TRYTOND_CONFIG=self.conf,
            TRYTOND_DATABASE_NAMES=DBNAME,
            BENCH_GUNICORN_CONF=GUNICORN_CONF,
            BENCH_READY_DIR=self.ready_dir,
            GUNICORN_BIND=f'127.0.0.1:{self.port}',
            GUNICORN_WORKERS=str(self.workers),
            GUNICORN_THREADS=str(self.threads))
        env.pop('TRYTOND_DATABASE__PATH', None)
        if self.hook:
            env['BENCH_SERVER_HOOK'] = os.path.abspath(self.hook)
        args = [os.path.join(VENV_BIN, 'gunicorn'), '-c', wrapper,
            '--access-logfile', os.path.join(self.workdir, 'access.log'),
            '--error-logfile', os.path.join(self.workdir, 'gunicorn.log'),
            # not the shared ~/.gunicorn/gunicorn.ctl of another server
            '--no-control-socket']
        if self.max_requests is not None:
            args += ['--max-requests', str(self.max_requests)]
        args += self.extra_args
        args.append('trytond.application:app')
        self.log = open(os.path.join(self.workdir, 'server.out'), 'w')
        self.process = subprocess.Popen(args, env=env, cwd=ROOT,
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while self.ready_workers() < self.workers:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.process.returncode}): see "
                    f"{os.path.join(self.workdir, 'gunicorn.log')}")
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn workers not ready in time")
            time.sleep(0.2)
        # and answering
        client = Client(self.port, DBNAME)
        status, _ = client.post('/rpc/', {'id': 0,
                'method': 'common.server.version', 'params': []})
        client.connection.close()
        if status != 200:
            raise RuntimeError(f"gunicorn answers HTTP {status}")

    def ready_workers(self):
        return len(os.listdir(self.ready_dir))

    def worker_pids(self):
        try:
            out = subprocess.run(['pgrep', '-P', str(self.process.pid)],
                capture_output=True, text=True).stdout
        except FileNotFoundError:
            return []
        return [int(p) for p in out.split()]

    def cpu(self):
        "CPU seconds of the workers, recycled ones included"
        return cpu_seconds(self.worker_pids()) + cpu_seconds(
            [self.process.pid], children=True)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()    # gunicorn: graceful shutdown
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def cpu_seconds(pids, children=False):
    """User + system CPU seconds of the processes (Linux /proc); with
    `children`, also of their children that exited (recycled workers)"""
    total = 0.0
    tick = os.sysconf('SC_CLK_TCK')
    for pid in pids:
        try:
            with open(f'/proc/{pid}/stat') as fp:
                fields = fp.read().rsplit(')', 1)[1].split()
            # utime, stime, cutime, cstime are fields 14-17 of stat
            total += (int(fields[11]) + int(fields[12])) / tick
            if children:
                total += (int(fields[13]) + int(fields[14])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def client_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def loadavg():
    return '{:.2f} {:.2f} {:.2f}'.format(*os.getloadavg())


def database_backends():
    "The process ids of the PostgreSQL backends serving the bench database"
    return [r[0] for r in admin_query(
            'SELECT pid FROM pg_stat_activity WHERE datname = %s '
            'AND pid != pg_backend_pid()', (DBNAME,))]


class Measure:
    """Around a measured phase: the CPU time of the server (if any), of the
    PostgreSQL backends of the bench database (when PostgreSQL runs on this
    machine) and of the bench's clients, the load, the workers recycled,
    and the py-spy profile if asked"""

    def __init__(self, server, profile, name):
        self.server = server
        self.profile = profile
        self.name = name
        self.recorder = None
        self.outputs = []

    def __enter__(self):
        self.load = loadavg()
        self.cpu_client = client_cpu()
        self.cpu_db = {pid: cpu_seconds([pid])
            for pid in database_backends()}
        if self.server:
            self.ready = self.server.ready_workers()
            self.cpu_server = self.server.cpu()
            if self.profile:
                from bench_queue_profile import Recorder
                self.recorder = Recorder(
                    self.profile, self.server.worker_pids(), self.name)
                self.recorder.start()
        return self

    def __exit__(self, *exc):
        if self.recorder:
            self.outputs = self.recorder.stop()
        self.cpu_client = client_cpu() - self.cpu_client
        # backends started during the phase count from 0; those that ended
        # are missed (the pools keep theirs)
        self.cpu_db = sum(cpu_seconds([pid]) - self.cpu_db.get(pid, 0)
            for pid in database_backends())
        if self.server:
            self.cpu_server = self.server.cpu() - self.cpu_server
            self.restarts = self.server.ready_workers() - self.ready

    def report(self, calls):
        parts = []
        if self.server:
            parts.append(f"server workers {self.cpu_server:.1f} s "
                f"({1000 * self.cpu_server / calls:.1f} ms a request)")
        parts.append(f"PostgreSQL {self.cpu_db:.1f} s "
            f"({1000 * self.cpu_db / calls:.1f} ms a request)")
        parts.append(f"bench clients {self.cpu_client:.1f} s")
        line = f"  load before: {self.load}; CPU: " + ', '.join(parts)
        if self.server:
            line += f"; workers recycled (max_requests): {self.restarts}"
        say(line)
        if self.outputs:
            from bench_queue_profile import summary
            say(f"  profile of the server workers (py-spy, {self.profile}):")
            for line in summary(self.outputs):
                say(line)


# --- phases ------------------------------------------------------------------

def phase_floor(conn, ids_setup, today, tickets, windows):
    c = ids_setup['contention']
    say(f"\n[floor] raw SQL: {tickets} tickets, {windows} windows "
        "(psycopg, one connection each, read committed)")
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, ids_setup['user'])
    board = Board([c['queue']], today)
    barrier = threading.Barrier(windows + 1)
    all_stats = [Stats() for _ in range(windows)]
    finished = threading.Barrier(windows + 1)
    release = threading.Event()
    threads = [threading.Thread(target=floor_window,
            args=(w, [c['queue']], today, ids_setup['user'], barrier, board,
                s, finished, release),
            daemon=True)
        for w, s in zip(c['windows'][:windows], all_stats)]
    for thread in threads:
        thread.start()
    board.start()
    with Measure(None, None, 'floor') as measure:
        barrier.wait()
        started = time.perf_counter()
        finished.wait()
    release.set()
    for thread in threads:
        thread.join()
    board.stop.set()
    stats = Stats.merge(all_stats)
    wall = (stats.last_done or time.perf_counter()) - started
    calls = stats.calls()
    duplicates, lost, details = check_tickets(conn, ids, stats.tickets)
    say(f"  wall {wall:.2f} s, {calls} calls, {calls / wall:.0f} calls/s, "
        f"{len(ids) / wall:.0f} tickets/s; duplicates {duplicates}, "
        f"lost {lost}")
    measure.report(calls)
    print_operations(stats, ['call_next', 'call_next_empty', 'start',
            'finish'])
    return {
        'sql_db_cpu_ms_per_call': round(1000 * measure.cpu_db / calls, 1),
        'sql_calls_per_s': round(calls / wall, 1),
        'sql_tickets_per_s': round(len(ids) / wall, 1),
        'sql_wall_s': round(wall, 2),
        'sql_p50_call_next_ms': stats.summary('call_next')['p50_ms'],
        'sql_p99_call_next_ms': stats.summary('call_next')['p99_ms'],
        'sql_duplicates': duplicates,
        'sql_lost': lost,
        }


def measure_baseline(server, clients, windows, count):
    """The cost of the lightest authenticated call (reading the window's
    state): what the RPC stack costs before any queue work"""
    cpu = server.cpu()
    barrier = threading.Barrier(len(clients) + 1)
    all_stats = [Stats() for _ in clients]

    def read(client, window, stats):
        barrier.wait()
        for _ in range(count):
            started = time.perf_counter()
            client.model('hall.window', 'read', [window], ['state'])
            stats.add('read', time.perf_counter() - started)
    threads = [threading.Thread(target=read, args=(c, w, s))
        for c, w, s in zip(clients, windows, all_stats)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = server.cpu() - cpu
    stats = Stats.merge(all_stats)
    calls = stats.calls()
    summary = stats.summary('read')
    say(f"  baseline (model.hall.window.read of one field, {calls} calls): "
        f"{calls / wall:.0f} calls/s, p50 {summary['p50_ms']} ms, p99 "
        f"{summary['p99_ms']} ms, server CPU {1000 * cpu / calls:.1f} ms "
        "a call")
    return {
        'baseline_calls_per_s': round(calls / wall, 1),
        'baseline_p99_ms': summary['p99_ms'],
        'baseline_cpu_ms_per_call': round(1000 * cpu / calls, 1),
        }


def measure_single(conn, client, c, user, today, tickets):
    """One window alone serving `tickets`: the latency of each operation
    when nothing else runs on the server (the windows of a hall call a few
    times a minute, far from the closed loop of the contention)"""
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, user)
    window = c['windows'][0]
    stats, started, ended = run_windows([client], [window],
        {window: [c['queue']]}, Board([c['queue']], today))
    duplicates, lost, _ = check_tickets(conn, ids, stats.tickets)
    summaries = {op: stats.summary(op) for op in ['call_next', 'start',
            'finish']}
    say(f"  one window alone ({len(ids)} tickets): "
        + ', '.join(f"{op} p50 {s['p50_ms']} ms p99 {s['p99_ms']} ms"
            for op, s in summaries.items())
        + f"; duplicates {duplicates}, lost {lost}")
    result = {}
    for op, summary in summaries.items():
        result[f'p50_{op}_1w_ms'] = summary['p50_ms']
        result[f'p99_{op}_1w_ms'] = summary['p99_ms']
    result['single_duplicates'] = duplicates
    result['single_lost'] = lost
    return result


def phase_contention(conn, server, ids_setup, today, tickets, windows,
        quick=False, profile=None):
    c = ids_setup['contention']
    say(f"\n[contention] JSON-RPC: {tickets} tickets, {windows} windows "
        f"(gunicorn {server.workers} workers × {server.threads} threads)")
    resent = Client.resent_total
    clients = login_clients(server.port, ids_setup['logins'][:windows])
    # Warm-up, not measured: a worker fills its caches on its first
    # requests (and each of its threads at once, the first time)
    warm = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        WARM_UP_TICKETS[quick] * windows, ids_setup['user'])
    queues = dict.fromkeys(c['windows'], [c['queue']])
    warm_stats, _, _ = run_windows(clients, c['windows'][:windows], queues,
        Board([c['queue']], today))
    warm_duplicates, warm_lost, _ = check_tickets(
        conn, warm, warm_stats.tickets)
    say(f"  warm-up: {len(warm)} tickets served, duplicates "
        f"{warm_duplicates}, lost {warm_lost}")
    baseline = measure_baseline(server, clients, c['windows'][:windows],
        BASELINE_CALLS[quick])
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, ids_setup['user'])
    board = Board([c['queue']], today)
    with Measure(server, profile, 'contention') as measure:
        stats, started, ended = run_windows(
            clients, c['windows'][:windows], queues, board)
    wall = (stats.last_done or ended) - started
    calls = stats.calls()
    duplicates, lost, details = check_tickets(conn, ids, stats.tickets)
    call_next = stats.summary('call_next')
    say(f"  wall {wall:.2f} s, {calls} calls, {calls / wall:.0f} calls/s, "
        f"{len(ids) / wall:.0f} tickets/s; duplicates {duplicates}, "
        f"lost {lost}")
    measure.report(calls)
    say(f"  checks: {details}")
    print_operations(stats, ['call_next', 'call_next_empty', 'start',
            'finish'])
    if stats.stalled:
        # the clients' threads may still wait on their connections
        single = {'single_duplicates': 0, 'single_lost': 0}
    else:
        single = measure_single(conn, clients[0], c, ids_setup['user'],
            today, SINGLE_WINDOW_TICKETS[quick])
        logout_clients(clients)
    return {
        **single,
        'rpc_calls_per_s': round(calls / wall, 1),
        'rpc_tickets_per_s': round(len(ids) / wall, 1),
        'rpc_wall_s': round(wall, 2),
        'p50_call_next_ms': call_next['p50_ms'],
        'p99_call_next_ms': call_next['p99_ms'],
        'p99_start_ms': stats.summary('start')['p99_ms'],
        'p99_finish_ms': stats.summary('finish')['p99_ms'],
        'rpc_errors': sum(stats.errors.values()),
        'rpc_stalled': stats.stalled,
        **baseline,
        'contention_duplicates': (duplicates + warm_duplicates
            + single['single_duplicates']),
        'contention_lost': lost + warm_lost + single['single_lost'],
        # requests sent again after the server closed the connection
        # unanswered (Client.post): each may have been carried out twice
        'contention_resent': Client.resent_total - resent,
        'server_cpu_s': round(measure.cpu_server, 1),
        'server_cpu_ms_per_call': round(1000 * measure.cpu_server / calls, 1),
        'db_cpu_ms_per_call': round(1000 * measure.cpu_db / calls, 1),
        'client_cpu_s': round(measure.cpu_client, 1),
        'worker_restarts': measure.restarts,
        'load_contention': measure.load,
        }


def phase_peak(conn, server, ids_setup, today, tickets, windows, kiosks,
        seed, profile=None):
    p = ids_setup['peak']
    hall = p['hall']
    path = f'/{DBNAME}/hall/{hall}/kiosk'
    queue_ids = [q['id'] for q in p['queues']]
    say(f"\n[peak day] {tickets} tickets through the kiosk route "
        f"({kiosks} clients), {windows} windows serving, accelerated time")
    limit, = conn.execute(
        'SELECT kiosk_requests_per_minute FROM hall_configuration '
        'ORDER BY id LIMIT 1').fetchone() or (6,)
    conn.commit()
    resent = Client.resent_total
    throttle_ok, statuses, throttle_issued = check_throttle(
        server.port, path, queue_ids[0], limit)
    say(f"  throttle: {limit} requests a minute an address; {limit + 1} "
        f"from one address answered {statuses}: "
        f"{'ok' if throttle_ok else 'NOT REFUSED'}")
    if KIOSK_TICKETS_PER_ADDRESS > limit:
        warn("the kiosk throttle is below the bench's tickets per address")
    clients = login_clients(server.port, ids_setup['logins'][:windows])
    # Warm-up, not measured: each window asks once (nobody waits yet, but
    # for the throttle check's tickets)
    warm_up = []
    for client, window in zip(clients, p['windows'][:windows]):
        result = client.model('hall.window', 'call_next_ticket', window)
        if result:
            client.model('hall.ticket', 'start', [result['id']])
            client.model('hall.ticket', 'finish', [result['id']])
            warm_up.append(result['id'])
    rnd = random.Random(seed)
    requests = kiosk_requests(tickets, p['queues'], rnd)
    issued = []
    done = []
    kiosk_threads = [
        (kiosk_client, (server.port, path, requests[i::kiosks], issued, done))
        for i in range(kiosks)]

    def kiosks_done():
        return len(done) == kiosks

    queues = {w: list(q) for w, q in conn.execute(
            'SELECT "window", array_agg(queue ORDER BY sequence) '
            'FROM hall_queue_window WHERE "window" = ANY(%s) '
            'GROUP BY "window"', (p['windows'][:windows],))}
    conn.commit()
    board = Board(queue_ids, today, ready=kiosks_done)
    with Measure(server, profile, 'peak') as measure:
        stats, started, ended = run_windows(clients, p['windows'][:windows],
            queues, board, kiosk_threads)
    wall = (stats.last_done or ended) - started
    if not stats.stalled:
        logout_clients(clients)
    tokens = [t['token'] for t in issued + throttle_issued]
    ids = [r[0] for r in conn.execute(
            'SELECT id FROM hall_ticket WHERE token = ANY(%s)', (tokens,))]
    numbers = conn.execute(
        'SELECT count(*), count(DISTINCT (queue, number)) FROM hall_ticket '
        'WHERE id = ANY(%s)', (ids,)).fetchone()
    conn.commit()
    duplicates, lost, details = check_tickets(
        conn, ids, stats.tickets + warm_up)
    calls = stats.calls()
    say(f"  wall {wall:.2f} s: {len(issued)} tickets issued, "
        f"{len(stats.tickets)} called, {calls} requests "
        f"({calls / wall:.0f}/s); duplicates {duplicates}, lost {lost}; "
        f"numbers distinct {numbers[1]}/{numbers[0]}")
    measure.report(calls)
    say(f"  checks: {details}")
    print_operations(stats, ['issue', 'call_next', 'call_next_empty',
            'start', 'finish'])
    result = {
        'peak_wall_s': round(wall, 2),
        'peak_tickets': len(issued),
        'peak_requests_per_s': round(calls / wall, 1),
        'peak_duplicates': duplicates,
        'peak_lost': lost + (numbers[0] - numbers[1]),
        'peak_errors': sum(stats.errors.values()),
        'peak_resent': Client.resent_total - resent,
        'peak_stalled': stats.stalled,
        'peak_worker_restarts': measure.restarts,
        'peak_server_cpu_ms_per_request': round(
            1000 * measure.cpu_server / calls, 1),
        'peak_db_cpu_ms_per_request': round(
            1000 * measure.cpu_db / calls, 1),
        'load_peak': measure.load,
        'throttle_ok': throttle_ok,
        }
    for operation in ['issue', 'call_next', 'start', 'finish']:
        s = stats.summary(operation)
        result[f'peak_p99_{operation}_ms'] = s['p99_ms']
        result[f'peak_p50_{operation}_ms'] = s['p50_ms']
    result['peak_p99_ms'] = {op: result[f'peak_p99_{op}_ms']
        for op in ['issue', 'call_next', 'start', 'finish']}
    return result


# --- main --------------------------------------------------------------------

DBNAME = None


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='scripts/bench queue',
        description="Queue benchmark: call-next contention over JSON-RPC "
        "against the raw-SQL floor, and a peak day through the kiosk "
        "route, on gunicorn and PostgreSQL.")
    parser.add_argument('--quick', action='store_true',
        help="a smaller run, under a minute once the template exists "
        "(200 tickets, 20 windows; peak day 200 tickets, 40 windows)")
    parser.add_argument('--tickets', type=int,
        help="contention (and floor) tickets (default 5000, quick 200)")
    parser.add_argument('--windows', type=int,
        help="contention windows (default 40, quick 20)")
    parser.add_argument('--peak-tickets', type=int,
        help="peak-day tickets (default 10000, quick 200)")
    parser.add_argument('--peak-windows', type=int,
        help="peak-day windows (default 132, quick 40)")
    parser.add_argument('--kiosks', type=int,
        help="concurrent kiosk clients in the peak day (default 16, "
        "quick 8)")
    parser.add_argument('--workers', type=int, default=2,
        help="gunicorn workers (default 2)")
    parser.add_argument('--threads', type=int, default=16,
        help="gunicorn threads per worker (default 16)")
    parser.add_argument('--max-requests', type=int, default=0,
        help="gunicorn max_requests: 0 (default) never recycles the "
        "workers; -1 keeps config/gunicorn.conf.py's (2000 ± 200), under "
        "which a recycled worker of this machine may hang two minutes "
        "before it is killed")
    parser.add_argument('--skip', action='append', default=[],
        choices=['floor', 'contention', 'peak'],
        help="skip a phase (repeatable)")
    parser.add_argument('--no-cache', action='store_true',
        help="build the run's database with trytond-admin instead of "
        "copying the cached template (slow), and keep no template")
    parser.add_argument('--profile', metavar='DIR',
        help="record the server workers with py-spy (pip install py-spy) "
        "during the contention and peak-day phases (collapsed stacks in "
        "DIR) and print where their CPU time goes")
    parser.add_argument('--template', metavar='DATABASE',
        help="copy this existing template database (made by an earlier "
        "run) even if the sources changed since: for repeated "
        "measurements while others edit the module")
    parser.add_argument('--server-hook', metavar='FILE',
        help="a Python file each server worker runs once the database is "
        "loaded, to measure a change (e.g. patch a model) without editing "
        "the module; the run says so")
    parser.add_argument('--keep', action='store_true',
        help="keep the database and the work directory (debugging)")
    parser.add_argument('--seed', type=int, default=20261121,
        help="random seed of the kiosk requests")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        'tickets': (5000, 200),
        'windows': (40, 20),
        'peak_tickets': (10000, 200),
        'peak_windows': (132, 40),
        'kiosks': (16, 8),
        }
    for name, (full, small) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, small if quick else full)
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    return args


def bench_day():
    """Today in the hall's time zone, or None (with a warning) when a run
    started now could cross midnight: the tickets are dated today"""
    local = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    midnight = (local + dt.timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    if (midnight - local).total_seconds() < 600:
        warn(f"it is {local:%H:%M} in {TIMEZONE}: the tickets are dated "
            "today and the run could cross midnight; try again after "
            "00:00")
        return None
    return local.date()


def clean_up_on_signals():
    "SIGTERM, SIGHUP and SIGINT end the run through its clean-up"
    def terminate(signum, frame):
        warn(f"stopped by signal {signum}: cleaning up")
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    # also when started in the background, where SIGINT comes ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv=None):
    global DBNAME
    args = parse_args(argv if argv is not None else sys.argv[1:])
    DBNAME = f'bench_queue_{os.getpid()}'
    today = bench_day()
    if today is None:
        return 1
    clean_up_on_signals()

    workdir = tempfile.mkdtemp(prefix='bench_queue_')
    server = None
    conn = None
    results = {}
    wall_started = time.perf_counter()
    load_start = loadavg()
    started_at = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    say(f"queue benchmark{' (quick)' if args.quick else ''}: database "
        f"{DBNAME}, {started_at:%Y-%m-%d %H:%M} "
        f"{TIMEZONE}, load {load_start} "
        f"({os.cpu_count()} CPUs)")
    # Each server thread takes a connection, and a kiosk request a second
    # one for the ticket counter (hall.queue.counter next)
    conf = write_trytond_conf(workdir, maxconn=2 * args.threads + 4)
    contention_windows = max(args.windows, TEMPLATE_CONTENTION_WINDOWS)
    peak_windows = max(args.peak_windows, TEMPLATE_PEAK_WINDOWS)
    try:
        setup_started = time.perf_counter()
        if args.no_cache:
            ids_setup = build_database(DBNAME, conf, workdir,
                contention_windows, peak_windows)
        else:
            if args.template:
                template, ids_setup = args.template, template_ids(
                    args.template)
                if not ids_setup:
                    raise SystemExit(
                        f"{args.template} is not a template of the bench")
                say(f"  template database {template} (--template)")
            else:
                template, ids_setup = prepare_template(
                    conf, workdir, contention_windows, peak_windows)
            create_database(DBNAME, template)
        conn = pg_connect(DBNAME)
        if make_workday(conn, today):
            say(f"  {today} is a public holiday: made a workday for the "
                "bench")
        say(f"  database ready in {time.perf_counter() - setup_started:.1f} s")

        if 'floor' not in args.skip:
            results.update(phase_floor(
                    conn, ids_setup, today, args.tickets, args.windows))
        if not {'contention', 'peak'} <= set(args.skip):
            started = time.perf_counter()
            server = Server(workdir, conf, args.workers, args.threads,
                None if args.max_requests < 0 else args.max_requests,
                args.server_hook)
            server.start()
            if args.server_hook:
                say(f"\n  EXPERIMENT: the workers ran {args.server_hook}")
            recycle = ('as configured' if args.max_requests < 0
                else args.max_requests)
            say(f"\n  gunicorn on 127.0.0.1:{server.port}: {args.workers} "
                f"gthread workers × {args.threads} threads, max_requests "
                f"{recycle}, ready in {time.perf_counter() - started:.1f} s")
        if 'contention' not in args.skip:
            results.update(phase_contention(conn, server, ids_setup, today,
                    args.tickets, args.windows, args.quick, args.profile))
        if 'contention' not in args.skip and 'peak' not in args.skip:
            # a fresh server: no request of the contention (one its client
            # gave up on) still running, the workers' caches cold again
            say("\n  restarting gunicorn for the peak day")
            server.stop()
            server = Server(workdir, conf, args.workers, args.threads,
                None if args.max_requests < 0 else args.max_requests,
                args.server_hook)
            server.start()
        if 'peak' not in args.skip:
            results.update(phase_peak(conn, server, ids_setup, today,
                    args.peak_tickets, args.peak_windows, args.kiosks,
                    args.seed, args.profile))
    finally:
        if server is not None:
            server.stop()
        if conn is not None:
            conn.close()
        if args.keep:
            warn(f"kept the database {DBNAME} and {workdir}")
        else:
            try:
                drop_database(DBNAME)
            except psycopg.Error as exception:
                warn(f"could not drop {DBNAME}: {exception}")
            shutil.rmtree(workdir, ignore_errors=True)

    results['duplicates'] = (results.get('contention_duplicates', 0)
        + results.get('peak_duplicates', 0))
    results['lost'] = (results.get('contention_lost', 0)
        + results.get('peak_lost', 0))
    results['resent'] = Client.resent_total
    if results.get('rpc_calls_per_s') and results.get('sql_calls_per_s'):
        results['rpc_vs_sql'] = round(
            results['sql_calls_per_s'] / results['rpc_calls_per_s'], 2)
    results.update({
            'quick': args.quick,
            'tickets': args.tickets,
            'windows': args.windows,
            'peak_ticket_target': args.peak_tickets,
            'peak_windows': args.peak_windows,
            'kiosks': args.kiosks,
            'workers': args.workers,
            'threads': args.threads,
            'max_requests': args.max_requests,
            'server_hook': args.server_hook,
            'cpus': os.cpu_count(),
            'load_start': load_start,
            'load_end': loadavg(),
            'total_s': round(time.perf_counter() - wall_started, 1),
            })
    say("\nsummary:")
    if 'rpc_calls_per_s' in results:
        say(f"  RPC {results['rpc_calls_per_s']} calls/s"
            + (f" vs raw SQL {results['sql_calls_per_s']} calls/s: the "
                f"SQL floor is {results['rpc_vs_sql']}× faster "
                "(target: under 4×)" if 'rpc_vs_sql' in results else ''))
        say(f"  call-next p50 {results['p50_call_next_ms']} ms, p99 "
            f"{results['p99_call_next_ms']} ms at {args.windows} windows "
            "(target p99: under 50 ms)")
    if 'peak_wall_s' in results:
        say(f"  peak day: {results['peak_tickets']} tickets in "
            f"{results['peak_wall_s']} s; p99 {results['peak_p99_ms']}")
    say(f"  duplicates {results['duplicates']}, lost {results['lost']}, "
        f"requests resent after a closed connection {results['resent']}; "
        f"total {results['total_s']} s")
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 0 if not (results['duplicates'] or results['lost']) else 1


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        warn("interrupted")
        sys.exit(130)
