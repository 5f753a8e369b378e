# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The PostgreSQL side of the queue benchmark (scripts/bench_queue.py): the
databases, the template built once per sources, and the tickets written and
checked in SQL."""
import collections
import configparser
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import zoneinfo

import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, '.venv', 'bin')
SETUP = os.path.join(ROOT, 'scripts', 'bench_queue_setup.py')
PRODUCTION_CONF = os.path.join(ROOT, 'config', 'trytond-postgresql.conf')

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
# Share of priority tickets (elderly or disabled) among the seeded ones
PRIORITY_EVERY = 20


def say(*args):
    print(*args, flush=True)


def warn(*args):
    print('bench queue:', *args, file=sys.stderr, flush=True)


# --- PostgreSQL --------------------------------------------------------------

def pg_connect(dbname='postgres', uri=PG_URI, **kwargs):
    return psycopg.connect(uri.rstrip('/') + '/' + dbname, **kwargs)


class BenchDatabase:
    "The database `name` of a run on the PostgreSQL cluster at `uri`"

    def __init__(self, name, uri=PG_URI):
        self.name = name
        self.uri = uri

    def connect(self, **kwargs):
        return pg_connect(self.name, self.uri, **kwargs)


def admin_query(sql, params=None, uri=PG_URI):
    "Rows of a query on the maintenance database"
    with pg_connect(uri=uri, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def database_exists(name, uri=PG_URI):
    return bool(admin_query(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,), uri))


def drop_database(name, uri=PG_URI):
    with pg_connect(uri=uri, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL(
                'DROP DATABASE IF EXISTS {} WITH (FORCE)').format(
                psycopg.sql.Identifier(name)))


def create_database(name, template='template0', uri=PG_URI):
    with pg_connect(uri=uri, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL(
                "CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                psycopg.sql.Identifier(name),
                psycopg.sql.Identifier(template)))


def rename_database(old, new, uri=PG_URI):
    with pg_connect(uri=uri, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL('ALTER DATABASE {} RENAME TO {}').format(
                psycopg.sql.Identifier(old), psycopg.sql.Identifier(new)))


def end_run(database, conn, workdir, keep=False):
    """Close the run's connection, then drop its database and work
    directory (unless `keep`: they are left for debugging, and named)"""
    if conn is not None:
        conn.close()
    if keep:
        warn(f"kept the database {database.name} and {workdir}")
        return
    try:
        drop_database(database.name, database.uri)
    except psycopg.Error as exception:
        warn(f"could not drop {database.name}: {exception}")
    shutil.rmtree(workdir, ignore_errors=True)


# --- configuration and template ----------------------------------------------

def write_trytond_conf(workdir, maxconn, uri=PG_URI):
    """The production configuration with what a bench on this machine must
    change: the data path, the web root and the connection pool size"""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PRODUCTION_CONF, encoding='utf-8')
    for section in ['database', 'web']:
        if not parser.has_section(section):
            parser.add_section(section)
    parser.set('database', 'uri', uri)
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


def cached_template(name, prefix, build):
    """The template database `name` and the ids its setup returned: kept
    from an earlier run, else built by `build(database name)` (which
    returns the ids); the other templates named `prefix`… are dropped"""
    if database_exists(name):
        ids = template_ids(name)
        if ids:
            say(f"  template database {name} (cached)")
            return name, ids
        drop_database(name)
    for (other,) in admin_query(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (prefix.replace('_', r'\_') + '%',)):
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
        ids = build(building)
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


def prepare_template(conf, workdir, contention_windows, peak_windows):
    """The template database for these sources, built if missing; older
    templates of the benchmark are dropped"""
    return cached_template(
        TEMPLATE_PREFIX + sources_hash(contention_windows, peak_windows),
        TEMPLATE_PREFIX,
        lambda building: build_database(
            building, conf, workdir, contention_windows, peak_windows))


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
    vacuum(conn, ('hall_ticket', 'hall_ticket__history', 'hall_ticket_call'))
    return ids


def vacuum(conn, tables):
    """VACUUM ANALYZE the tables (outside a transaction, on `conn` idle), so
    that each run starts from clean tables"""
    autocommit = conn.autocommit
    conn.autocommit = True
    try:
        for table in tables:
            conn.execute(psycopg.sql.SQL('VACUUM ANALYZE {}').format(
                    psycopg.sql.Identifier(table)))
    finally:
        conn.autocommit = autocommit


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
