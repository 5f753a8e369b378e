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

The parts: scripts/bench_queue_db.py (databases, template, tickets in SQL),
bench_queue_server.py (gunicorn, CPU and load), bench_queue_clients.py
(JSON-RPC clients, windows, kiosks, display board) and
bench_queue_phases.py (floor, contention, peak day).
"""
import argparse
import datetime as dt
import json
import os
import signal
import sys
import tempfile
import time
import zoneinfo

from bench_queue_clients import Client
from bench_queue_db import (
    TEMPLATE_CONTENTION_WINDOWS, TEMPLATE_PEAK_WINDOWS, TIMEZONE,
    BenchDatabase, build_database, create_database, end_run,
    make_workday, prepare_template, say, template_ids, warn,
    write_trytond_conf)
from bench_queue_phases import phase_contention, phase_floor, phase_peak
from bench_queue_server import Server, loadavg


# --- main --------------------------------------------------------------------

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


def announce(name, database, quick):
    "Print the first line of a run; return the load of the machine"
    load_start = loadavg()
    started_at = dt.datetime.now(zoneinfo.ZoneInfo(TIMEZONE))
    say(f"{name} benchmark{' (quick)' if quick else ''}: database "
        f"{database.name}, {started_at:%Y-%m-%d %H:%M} "
        f"{TIMEZONE}, load {load_start} "
        f"({os.cpu_count()} CPUs)")
    return load_start


def clean_up_on_signals():
    "SIGTERM, SIGHUP and SIGINT end the run through its clean-up"
    def terminate(signum, frame):
        warn(f"stopped by signal {signum}: cleaning up")
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    # also when started in the background, where SIGINT comes ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)


def begin_run(kind, title, quick):
    """Start a run of the benchmark `kind`: its database bench_<kind>_<pid>,
    today, its work directory, its start time and the machine's load, or
    None when the run could cross midnight"""
    database = BenchDatabase(f'bench_{kind}_{os.getpid()}')
    today = bench_day()
    if today is None:
        return None
    clean_up_on_signals()
    workdir = tempfile.mkdtemp(prefix=f'bench_{kind}_')
    started = time.perf_counter()
    return database, today, workdir, started, announce(title, database, quick)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    run = begin_run('queue', 'queue', args.quick)
    if run is None:
        return 1
    database, today, workdir, wall_started, load_start = run
    server = None
    conn = None
    results = {}
    # Each server thread takes a connection, and a kiosk request a second
    # one for the ticket counter (hall.queue.counter next)
    conf = write_trytond_conf(workdir, maxconn=2 * args.threads + 4)
    contention_windows = max(args.windows, TEMPLATE_CONTENTION_WINDOWS)
    peak_windows = max(args.peak_windows, TEMPLATE_PEAK_WINDOWS)
    try:
        setup_started = time.perf_counter()
        if args.no_cache:
            ids_setup = build_database(database.name, conf, workdir,
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
            create_database(database.name, template)
        conn = database.connect()
        if make_workday(conn, today):
            say(f"  {today} is a public holiday: made a workday for the "
                "bench")
        say(f"  database ready in {time.perf_counter() - setup_started:.1f} s")

        if 'floor' not in args.skip:
            results.update(phase_floor(database,
                    conn, ids_setup, today, args.tickets, args.windows))
        if not {'contention', 'peak'} <= set(args.skip):
            started = time.perf_counter()
            server = Server(database.name, workdir, conf, args.workers,
                args.threads,
                None if args.max_requests < 0 else args.max_requests)
            server.start()
            recycle = ('as configured' if args.max_requests < 0
                else args.max_requests)
            say(f"\n  gunicorn on 127.0.0.1:{server.port}: {args.workers} "
                f"gthread workers × {args.threads} threads, max_requests "
                f"{recycle}, ready in {time.perf_counter() - started:.1f} s")
        if 'contention' not in args.skip:
            results.update(phase_contention(database, conn, server,
                    ids_setup, today, args.tickets, args.windows, args.quick,
                    args.profile))
        if 'contention' not in args.skip and 'peak' not in args.skip:
            # a fresh server: no request of the contention (one its client
            # gave up on) still running, the workers' caches cold again
            say("\n  restarting gunicorn for the peak day")
            server.stop()
            server = Server(database.name, workdir, conf, args.workers,
                args.threads,
                None if args.max_requests < 0 else args.max_requests)
            server.start()
        if 'peak' not in args.skip:
            results.update(phase_peak(database, conn, server, ids_setup,
                    today, args.peak_tickets, args.peak_windows, args.kiosks,
                    args.seed, args.profile))
    finally:
        if server is not None:
            server.stop()
        end_run(database, conn, workdir, args.keep)

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
