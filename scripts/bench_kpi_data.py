# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The data of the indicators' benchmark (scripts/bench_kpi.py): a year of a
large city, on PostgreSQL.

The template database is made in two layers.  The base, once per module
sources, demo and setup scripts: trytond-admin activates every hall module,
scripts/demo.py loads the demo (its records, made through the workflow, are
the models of the generated ones), scripts/bench_kpi_setup.py makes the
demo hall the city's hall with 132 windows and adds four district halls
under it.  The year, once per base, size and day: a copy of the base where
this file writes the year in set-based SQL (generate_series, one INSERT …
SELECT a table): each row a copy of a demo record with its dates, hall,
window, service, state and figures changed.  The rows cover the 365 days to
today."""
import datetime as dt
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import zoneinfo


from bench_queue_db import (
    ROOT, VENV_BIN, cached_template, create_database, drop_database,
    module_closure, pg_connect, say, template_ids)

TEMPLATE_PREFIX = 'bench_kpi_tpl_'
BASE_PREFIX = 'bench_kpi_base_'
MODULES = ['hall_indicators', 'hall_queue', 'hall_evaluation',
    'hall_green_channel', 'hall_proxy', 'hall_delivery']
SETUP = os.path.join(ROOT, 'scripts', 'bench_kpi_setup.py')
DEMO = os.path.join(ROOT, 'scripts', 'demo.py')
DAYS = 365
# A year of a large city (the figures) and a smaller one (--quick)
SIZES = {
    'full': {'applications': 880000, 'tickets': 1150000, 'ratings': 600000,
        'deliveries': 50000, 'items': 8000, 'steps': 8000},
    'quick': {'applications': 88000, 'tickets': 115000, 'ratings': 60000,
        'deliveries': 5000, 'items': 800, 'steps': 800},
    }
# One rating in a thousand is bad (a rectification each), one in ten 满意
BAD_EVERY = 1000
# The password of the template's leader (a local database, never served
# beyond the benchmark's own loopback server)
BENCH_PASSWORD = 'bench-kpi-password'


def _digest(paths, *extra):
    "SHA-1 of the files `paths` (named relative to the checkout) and `extra`"
    import trytond
    digest = hashlib.sha1()
    digest.update(' '.join([trytond.__version__, *extra]).encode())
    for path in paths:
        digest.update(os.path.relpath(path, ROOT).encode())
        with open(path, 'rb') as fp:
            digest.update(fp.read())
    return digest.hexdigest()[:12]


def base_hash():
    """Hash of what the base template is made of: the modules' code and
    data, the demo and setup scripts and trytond's version"""
    paths = [SETUP, DEMO]
    paths += [os.path.join(ROOT, 'scripts', f) for f in sorted(
            os.listdir(os.path.join(ROOT, 'scripts')))
        if f.startswith('demo_') and f.endswith('.py')]
    for module in sorted({m for n in MODULES for m in module_closure(n)}):
        base = os.path.join(ROOT, 'modules', module)
        for directory, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs
                if d not in {'__pycache__', 'tests', 'static'})
            paths += [os.path.join(directory, f) for f in sorted(files)
                if f.endswith(('.py', '.xml', '.cfg', '.po'))]
    return _digest(paths)


def prepare_template(conf, workdir, size, cache=True):
    """The template database of these sources and size (built if missing,
    or anew without `cache`; the outdated ones dropped), the setup's ids
    and the seconds each layer took to build (0 when cached).

    Two layers, each cached on its own: the base (the modules activated,
    the demo and the city's halls: most of the time, and the same for
    both sizes), then the year written over a copy of it."""
    seconds = {'base': 0.0, 'year': 0.0}

    def timed(layer, function):
        def build(building):
            started = time.monotonic()
            result = function(building)
            seconds[layer] = round(time.monotonic() - started, 1)
            return result
        return build

    base = BASE_PREFIX + base_hash()
    # the year ends today: a year layer of another day is built anew
    today = dt.date.today().isoformat()
    name = (TEMPLATE_PREFIX + size + '_' + _digest(
            [os.path.abspath(__file__)], base, today, json.dumps(SIZES[size])))
    if not cache:
        drop_database(name)
        drop_database(base)
    base, _ = cached_template(base, BASE_PREFIX,
        timed('base', lambda building: build_base(building, conf, workdir)))
    name, info = cached_template(name, TEMPLATE_PREFIX + size,
        timed('year', lambda building: build_year(building, base, size)))
    return name, info, seconds


def run(args, env, log, what):
    say(f"  {what} (log {log}), please wait")
    started = time.monotonic()
    with open(log, 'a') as out:
        result = subprocess.run(args, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    say(f"    {time.monotonic() - started:.0f}s")
    if result.returncode:
        with open(log) as fp:
            sys.stderr.write(fp.read()[-4000:])
        raise RuntimeError(f"{what} failed")


def build_base(name, conf, workdir):
    "The modules activated, the demo loaded and the city's halls set up"
    create_database(name)
    passfile = os.path.join(workdir, 'admin-password')
    with open(passfile, 'w') as fp:
        fp.write(secrets.token_urlsafe(16) + '\n')
    env = dict(os.environ, TRYTONPASSFILE=passfile, TRYTOND_CONFIG=conf)
    log = os.path.join(workdir, 'build.log')
    run([os.path.join(VENV_BIN, 'trytond-admin'), '-c', conf, '-d', name,
            '--all', '--activate-dependencies', '-u', *MODULES, '-l', 'zh_CN',
            '--email', 'admin@example.gov.cn'],
        env, log, f"trytond-admin: activating {', '.join(MODULES)}")
    os.unlink(passfile)
    run([os.path.join(VENV_BIN, 'python'), DEMO, '--database', name,
            '--config', conf,
            '--logins-file', os.path.join(workdir, 'demo-logins.txt')],
        env, log, "scripts/demo.py: the demo records")
    output = os.path.join(workdir, 'setup.json')
    run([os.path.join(VENV_BIN, 'python'), SETUP, '--database', name,
            '--config', conf, '--output', output,
            '--password', BENCH_PASSWORD],
        env, log, "scripts/bench_kpi_setup.py: the halls of the city")
    with open(output) as fp:
        return json.load(fp)


def build_year(name, base, size):
    "A copy of the base template with the year of `size` written in SQL"
    create_database(name, template=base)
    info = template_ids(base)
    today = dt.datetime.now(zoneinfo.ZoneInfo(info['timezone'])).date()
    info['today'] = today.isoformat()
    with pg_connect(name) as conn:
        generate(conn, info, SIZES[size], today)
    with pg_connect(name, autocommit=True) as conn:
        conn.execute('VACUUM ANALYZE')
    return info


def columns(conn, table):
    return [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' "
            "ORDER BY ordinal_position", (table,))]


def copy_rows(conn, table, template, count, overrides):
    """Insert `count` copies of the row `template` of `table`, the
    columns of `overrides` given as SQL expressions of `t` (the template
    row) and `g` (the rank of the copy, 1 to count); return the ids"""
    names = columns(conn, table)
    unknown = set(overrides) - set(names)
    if unknown:
        raise RuntimeError(f"{table} has no {', '.join(sorted(unknown))}")
    # the modulo operator of the expressions is not a placeholder
    values = [overrides.get(n, f't."{n}"').replace('%', '%%')
        for n in names]
    quoted = ', '.join(f'"{n}"' for n in names)
    started = dt.datetime.now()
    ids = conn.execute(
        f'INSERT INTO {table} ({quoted}) '
        f'SELECT {", ".join(values)} '
        f'FROM {table} t, generate_series(1, %s) g WHERE t.id = %s '
        'RETURNING id', (count, template)).fetchall()
    seconds = (dt.datetime.now() - started).total_seconds()
    say(f"    {table}: {count} rows in {seconds:.0f}s")
    return [r[0] for r in ids]


def first(conn, query):
    row = conn.execute(query).fetchone()
    if not row:
        raise RuntimeError(f"no demo record to copy: {query}")
    return row[0]


def array(ids):
    "An SQL array of integers, to be indexed"
    return '(ARRAY[' + ','.join(str(int(i)) for i in ids) + '])'


def generate(conn, info, size, today):
    """The year to `today` in SQL; `info`: the ids of the windows (with
    their halls) and services the setup gave"""
    say("  writing the year in SQL")
    windows, halls = array(info['windows']), array(info['window_halls'])
    services = array(info['services'])
    nw, ns = len(info['windows']), len(info['services'])
    day = f"(DATE '{today.isoformat()}' - (g % {DAYS}))"
    # a window by rank, its hall with it
    window = f'{windows}[1 + g % {nw}]'
    hall = f'{halls}[1 + g % {nw}]'

    template = first(conn, "SELECT id FROM hall_application "
        "WHERE state = 'completed' AND completed_date IS NOT NULL "
        "ORDER BY id LIMIT 1")
    # 98% completed (2 to 8 days), 1% rejected, 1% in progress; 60% online;
    # one in 50 came twice; one in 4 services done on the spot
    state = ("CASE WHEN g % 100 = 0 THEN 'rejected' "
        "WHEN g % 100 = 1 AND g % 365 < 5 THEN 'accepted' "
        "ELSE 'completed' END")
    applications = copy_rows(conn, 'hall_application', template,
        size['applications'], {
            'number': "'K' || g",
            'hall': hall, 'window': window,
            'service': f'{services}[1 + (g * 7) % {ns}]',
            'state': state,
            'channel': "CASE WHEN g % 5 < 3 THEN 'online' ELSE t.channel END",
            'received_date': day,
            'promised_due_date': f'{day} + 10',
            'decision_date': (f"CASE WHEN g % 100 = 1 AND g % 365 < 5 "
                f"THEN NULL ELSE {day} + g % 7 END"),
            'completed_date': (f"CASE WHEN g % 100 IN (0, 1) THEN NULL "
                f"ELSE {day} + g % 7 + 1 END"),
            'actual_days': 'g % 7 + 1',
            'visits': 'CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END',
            })
    # the ratings below take them by rank
    assert applications[-1] - applications[0] + 1 == len(applications)
    # not yet completed on the last days
    conn.execute("UPDATE hall_application SET state = 'approved', "
        "completed_date = NULL WHERE completed_date > %s", (today,))

    template = first(conn, "SELECT id FROM hall_ticket "
        "WHERE state = 'done' AND wait_seconds IS NOT NULL "
        "ORDER BY id LIMIT 1")
    copy_rows(conn, 'hall_ticket', template, size['tickets'], {
            'hall': hall, 'date': day,
            'sequence': '1000000 + g', 'number': "'K' || g",
            'token': "'kpi-' || g",
            'state': "CASE WHEN g % 40 = 0 THEN 'no_show' ELSE 'done' END",
            'wait_seconds': '(g::bigint * 7919) % 2400',
            'service_seconds': '300 + (g::bigint * 104729) % 600',
            'transferred_from': 'NULL',
            'issued_at': f"{day} + TIME '09:00'",
            })

    template = first(conn, "SELECT id FROM hall_evaluation "
        "WHERE validity = 'valid' AND application IS NOT NULL "
        "ORDER BY id LIMIT 1")
    count = min(size['ratings'], len(applications))
    first_application = applications[0]
    level = (f"CASE WHEN g % {BAD_EVERY} = 0 THEN 'dissatisfied' "
        "WHEN g % 10 = 0 THEN 'satisfied' ELSE 'very_satisfied' END")
    ratings = copy_rows(conn, 'hall_evaluation', template, count, {
            'number': "'KPJ' || g", 'hall': hall, 'window': window,
            'application': f'{first_application} + g - 1',
            'link': 'NULL',
            'level': level,
            'reason': (f"CASE WHEN g % {BAD_EVERY} = 0 THEN '等候时间较长' "
                "ELSE NULL END"),
            'rated_date': day,
            'rated_at': f"{day} + TIME '10:00'",
            })
    template = conn.execute("SELECT id FROM hall_evaluation_rectification "
        "ORDER BY id LIMIT 1").fetchone()
    if template:
        bad = ratings[BAD_EVERY - 1::BAD_EVERY]
        copy_rows(conn, 'hall_evaluation_rectification', template[0],
            len(bad), {
                'number': "'KZG' || g",
                'evaluation': f'{array(bad or [0])}[g]',
                'hall': hall, 'state': "'closed'",
                'opened_date': day, 'deadline': f'{day} + 7',
                'rectified_date': f'{day} + 3', 'closed_date': f'{day} + 4',
                })

    template = first(conn, "SELECT id FROM hall_delivery "
        "WHERE dispatched_at IS NOT NULL ORDER BY id LIMIT 1")
    copy_rows(conn, 'hall_delivery', template, size['deliveries'], {
            'number': "'KJD' || g", 'waybill': "'KW' || g",
            'state': ("CASE WHEN g % 50 = 0 THEN 'returned' "
                "ELSE 'delivered' END"),
            'dispatched_at': f"{day} + TIME '02:00'",
            'working_days': 'g % 3 + 1',
            })

    # the approval items of the green channel and the steps of the proxy
    # agents: a project's or a case's, one in ten still in progress
    for table, count in [
            ('hall_green_channel_item', size['items']),
            ('hall_proxy_step', size['steps'])]:
        template = first(conn, f"SELECT id FROM {table} "
            "WHERE state = 'done' ORDER BY id LIMIT 1")
        copy_rows(conn, table, template, count, {
                'service': f'{services}[1 + (g * 7) % {ns}]',
                'state': ("CASE WHEN g % 10 = 0 THEN 'in_progress' "
                    "ELSE 'done' END"),
                'start_date': day,
                'end_date': f"CASE WHEN g % 10 = 0 THEN NULL "
                    f"ELSE {day} + g % 15 + 1 END",
                'actual_days': ("CASE WHEN g % 10 = 0 THEN NULL "
                    "ELSE g % 15 + 1 END"),
                'legal_limit': '20', 'promised_limit': '10',
                'promised_due_date': f'{day} + 14',
                'application': 'NULL',
                })
    conn.commit()
