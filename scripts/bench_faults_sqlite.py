# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Part of scripts/bench_faults.py: the embedded default, the `trytond`
server on a SQLite database file, as scripts/run starts it, with clerks
at 5 windows sharing one queue.

The database (hall_queue activated, the bench data of
scripts/bench_queue_setup.py with 5 windows) is built once per sources
into var/bench_faults/ and copied into a temporary directory for each run
(a fresh file)."""
import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import zoneinfo

import bench_queue_db as bq
from bench_faults_clerk import (
    Sampler, check_database, errors_since, start_clerks, wind_up)
from bench_queue_db import say
from bench_queue_server import free_port

WINDOWS = 5
PEAK_WINDOWS = 8        # the setup's second hall, unused here
CACHE = os.path.join(bq.ROOT, 'var', 'bench_faults')
DBNAME = 'faults'


def environment(directory, port=None):
    env = dict(os.environ,
        TRYTOND_DATABASE__PATH=directory,
        TRYTOND_WEB__ROOT=os.path.join(bq.ROOT, 'sao'))
    if port:
        env['TRYTOND_WEB__LISTEN'] = f'127.0.0.1:{port}'
    for name in ['TRYTOND_CONFIG', 'TRYTOND_DATABASE_NAMES',
            'TRYTOND_DATABASE__URI']:
        env.pop(name, None)
    return env


def prepare(workdir):
    """The cached SQLite database for these sources (built if missing):
    (path, ids of the setup)"""
    name = 'sqlite_' + bq.sources_hash(WINDOWS, PEAK_WINDOWS)
    path = os.path.join(CACHE, name + '.sqlite')
    ids_path = os.path.join(CACHE, name + '.json')
    if os.path.exists(path) and os.path.exists(ids_path):
        say(f"  SQLite database {path} (cached)")
        with open(ids_path) as fp:
            return path, json.load(fp)
    os.makedirs(CACHE, exist_ok=True)
    for other in os.listdir(CACHE):
        if other.startswith('sqlite_') and not other.startswith(name):
            os.unlink(os.path.join(CACHE, other))
    build = os.path.join(workdir, 'build')
    os.makedirs(build)
    open(os.path.join(build, name + '.sqlite'), 'w').close()
    passfile = os.path.join(workdir, 'admin-password')
    with open(passfile, 'w') as fp:
        fp.write(secrets.token_urlsafe(16) + '\n')
    env = dict(environment(build), TRYTONPASSFILE=passfile)
    conf = os.path.join(bq.ROOT, 'trytond.conf')
    log = os.path.join(workdir, 'trytond-admin-sqlite.log')
    say(f"  building the SQLite database {name} (first run for these "
        f"sources; log {log}), please wait")
    with open(log, 'w') as out:
        subprocess.run([os.path.join(bq.VENV_BIN, 'trytond-admin'),
                '-c', conf, '-d', name, '--all', '--activate-dependencies',
                '-u', bq.MODULE, '--email', 'admin@example.gov.cn'],
            env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    result = subprocess.run([os.path.join(bq.VENV_BIN, 'python'), bq.SETUP,
            '--config', conf, '--database', name,
            '--contention-windows', str(WINDOWS),
            '--peak-windows', str(PEAK_WINDOWS),
            '--password', bq.BENCH_PASSWORD],
        env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise RuntimeError("the bench setup failed on SQLite")
    ids = json.loads(result.stdout.strip().splitlines()[-1])
    shutil.copy(os.path.join(build, name + '.sqlite'), path + '.part')
    os.replace(path + '.part', path)
    with open(ids_path, 'w') as fp:
        json.dump(ids, fp)
    shutil.rmtree(build, ignore_errors=True)
    return path, ids


def seed(path, queue, hall, prefix, today, count, user):
    "`count` waiting tickets in `queue` today (as bench_queue.seed_tickets)"
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    local_hour = now.replace(tzinfo=dt.timezone.utc).astimezone(
        zoneinfo.ZoneInfo(bq.TIMEZONE)).hour
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE hall_calendar_day SET kind = 'workday' "
            "WHERE date = ? AND kind = 'holiday'", (today.isoformat(),))
        row = conn.execute('SELECT last FROM hall_queue_counter '
            'WHERE queue = ? AND date = ?',
            (queue, today.isoformat())).fetchone()
        first = (row[0] if row else 0) + 1
        rows = []
        for i in range(count):
            sequence = first + i
            priority = ('priority' if sequence % bq.PRIORITY_EVERY == 0
                else 'normal')
            issued = now - dt.timedelta(milliseconds=10 * (count - i))
            rows.append((queue, hall, today.isoformat(), sequence,
                    f'{prefix}{sequence:03d}', secrets.token_urlsafe(24),
                    priority, 2 if priority == 'priority' else 3, 'kiosk',
                    'waiting', issued.isoformat(' '), local_hour, 0, user,
                    now.isoformat(' ')))
        conn.executemany('INSERT INTO hall_ticket (queue, hall, date, '
            'sequence, number, token, priority, priority_rank, channel, '
            'state, issued_at, issued_hour, recall_count, create_uid, '
            'create_date) VALUES (' + ', '.join('?' * 15) + ')', rows)
        last = first + count - 1
        if row:
            conn.execute('UPDATE hall_queue_counter SET last = ? '
                'WHERE queue = ? AND date = ?',
                (last, queue, today.isoformat()))
        else:
            conn.execute('INSERT INTO hall_queue_counter (queue, date, '
                'last, create_uid, create_date) VALUES (?, ?, ?, ?, ?)',
                (queue, today.isoformat(), last, user, now.isoformat(' ')))
        ids = [r[0] for r in conn.execute('SELECT id FROM hall_ticket '
                'WHERE queue = ? AND date = ? AND sequence BETWEEN ? AND ? '
                'ORDER BY id', (queue, today.isoformat(), first, last))]
        names = [r[1] for r in conn.execute('PRAGMA table_info(hall_ticket)')]
        cols = ', '.join(f'"{n}"' for n in names)
        conn.execute(f'INSERT INTO hall_ticket__history ({cols}) '
            f'SELECT {cols} FROM hall_ticket WHERE id BETWEEN ? AND ?',
            (ids[0], ids[-1]))
        conn.commit()
    finally:
        conn.close()
    return ids


def run(workdir, today, seconds, tickets, stall_timeout=60, source=None):
    "The SQLite scenario; return its figures"
    say(f"\n[sqlite] trytond (scripts/run's server) on a fresh SQLite file: "
        f"{WINDOWS} clerks at {WINDOWS} windows sharing one queue, "
        f"{seconds} s")
    if source:
        with open(source[:-len('.sqlite')] + '.json') as fp:
            ids_setup = json.load(fp)
        say(f"  SQLite database {source} (--sqlite-database)")
    else:
        source, ids_setup = prepare(workdir)
    directory = os.path.join(workdir, 'sqlite')
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, DBNAME + '.sqlite')
    shutil.copy(source, path)
    c = ids_setup['contention']
    windows = c['windows'][:WINDOWS]
    ids = seed(path, c['queue'], c['hall'], c['prefix'], today, tickets,
        ids_setup['user'])
    port = free_port()
    log = open(os.path.join(workdir, 'trytond-sqlite.log'), 'w')
    server = subprocess.Popen([os.path.join(bq.VENV_BIN, 'trytond'),
            '-c', os.path.join(bq.ROOT, 'trytond.conf'), '-d', DBNAME],
        env=environment(directory, port), cwd=bq.ROOT, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    stop = threading.Event()
    clerks = []
    sampler = None
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"trytond exited ({server.returncode}): "
                    f"see {log.name}")
            try:
                urllib.request.urlopen(
                    f'http://127.0.0.1:{port}/', timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("trytond (SQLite) not answering")
                time.sleep(0.3)
        clerks = start_clerks(port, DBNAME, ids_setup['logins'][:WINDOWS],
            bq.BENCH_PASSWORD, windows, stop)

        def connect():
            conn = sqlite3.connect(path, timeout=1)
            return conn
        sampler = Sampler(connect, windows, period=0.5)
        sampler.start()
        started = time.monotonic()
        stop.wait(seconds)
        stop.set()
        for clerk in clerks:
            clerk.join(stall_timeout)
        elapsed = time.monotonic() - started
        wind_up(clerks, sampler)
    finally:
        stop.set()
        if sampler is not None:
            sampler.stop.set()
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    conn = sqlite3.connect(path)
    try:
        checks = check_database(lambda sql: conn.execute(sql).fetchall(),
            ids, windows, clerks)
    finally:
        conn.close()
    errors = errors_since(clerks)
    attempts = sum(sum(c.attempts.values()) for c in clerks)
    samples = [s for c in clerks for s in c.samples]
    say(f"  {attempts} requests in {elapsed:.1f} s; {checks['done']} tickets "
        f"done ({checks['done'] / elapsed:.1f}/s); duplicates "
        f"{checks['duplicates']}, lost {checks['lost']}, windows holding "
        f"two tickets {checks['windows_two_tickets']} (sampled: "
        f"{sampler.result()['windows_seen_holding_two']})")
    say(f"  checks: {checks}")
    say(f"  sampler: {sampler.result()}")
    if errors:
        say(f"  errors by kind: {dict(errors)}")
        for sample in samples[:4]:
            say(f"    {sample}")
    return {
        'seconds': round(elapsed, 1),
        'attempts': attempts,
        'errors': sum(errors.values()),
        'errors_by_kind': dict(errors),
        **checks,
        'sampled': sampler.result(),
        }
