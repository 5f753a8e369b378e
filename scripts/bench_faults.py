#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Faults benchmark of the queue (hall_queue): does every ticket stay
called once, at one window, under faults, retries and the embedded
default?

    scripts/bench faults [--quick] [options]      (--help lists them)

It reuses the parts of scripts/bench_queue.py (template database,
gunicorn with config/gunicorn.conf.py, JSON-RPC client).  On PostgreSQL,
gunicorn with 2 gthread workers serves 40 windows, each a clerk (thread,
user, session and connection of its own) looping call_next_ticket → start
→ finish:

  kill     a gunicorn worker is killed (SIGKILL) mid-run: the recovery
           time, and the requests a second of the replaced worker and of
           the other one (access log with the worker's pid), with the
           connections each holds, until the end of the run;
  abandon  each call-next is first sent on a connection dropped before the
           answer is read (at once or within 30 ms), then sent again at
           once for the same window on the clerk's connection: how often
           a window ends up holding two tickets, or a ticket is called at
           two windows;
  restart  the PostgreSQL cluster restarts mid-run (by default a private
           throwaway cluster of the same binaries, into which the bench
           database is copied, so that nobody else's connections break;
           --cluster shared restarts the machine's cluster 15/main): the
           recovery time, from the restart until every clerk has had an
           answer to a request sent after it.

And on SQLite (the embedded default: the `trytond` server as scripts/run
starts it, on a fresh database file): 5 clerks at 5 windows sharing one
queue for 30 s (--quick 10 s).

The clients never resend a request: one left without answer is an attempt
of unknown outcome, after which the clerk reads its window's current
ticket back.  Duplicates (tickets called at two windows: call log, ticket
history, clients), lost tickets (called but neither done nor waiting at
the end, after the clerks served what their windows held) and windows
holding two tickets at once (call log times against finish times; and
sampled in SQL every 0.25 s during the run) come from the database.  The
last output line is one JSON object.
"""
import argparse
import collections
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg

from bench_faults_clerk import (
    Sampler, check_database, errors_since, recovery, start_clerks, wind_up)
from bench_queue import announce, bench_day, clean_up_on_signals
from bench_queue_clients import percentile
from bench_queue_db import (
    BENCH_PASSWORD, PG_URI, TEMPLATE_CONTENTION_WINDOWS,
    TEMPLATE_PEAK_WINDOWS, BenchDatabase, create_database,
    drop_database, make_workday, prepare_template, say, seed_tickets,
    template_ids, warn, write_trytond_conf)
from bench_queue_server import Server, loadavg

WINDOWS = 40
# (before the fault, after it) in seconds: full run, quick run
KILL_SECONDS = ((15, 60), (8, 30))
ABANDON_SECONDS = (60, 20)
RESTART_SECONDS = ((15, 45), (8, 25))
SQLITE_SECONDS = (30, 10)
# tickets seeded a second of run: more than the windows can serve
TICKETS_PER_SECOND = 60
# pid and time of each request in the access log
ACCESS_FORMAT = '%(p)s %(t)s %(s)s %(M)s "%(r)s"'
ACCESS_LINE = re.compile(r'^<(\d+)> \[([^\]]+)\] (\d+) (\d+)')


def pg_query(conn):
    def query(sql):
        rows = conn.execute(sql).fetchall()
        conn.commit()
        return rows
    return query


def seed(conn, ids_setup, today, count):
    c = ids_setup['contention']
    return seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        count, ids_setup['user'])


def clear_windows(conn, ids_setup, windows):
    """Tickets an earlier scenario left at the windows are finished, and
    those it left waiting expire, so that each scenario starts from free
    windows and serves (and checks) only the tickets it seeded"""
    conn.execute("UPDATE hall_ticket SET state = 'done', "
        "finished_at = now() AT TIME ZONE 'UTC' "
        "WHERE state IN ('called', 'serving') AND \"window\" = ANY(%s)",
        (windows,))
    conn.execute("UPDATE hall_ticket SET state = 'expired' "
        "WHERE state = 'waiting'")
    conn.commit()


def run_scenario(database, port, ids_setup, windows, before, after,
        fault=None, abandon=False, monitor=None):
    """Run the clerks `before` seconds, call `fault()`, run `after` more
    seconds; return (clerks, fault time, fault's result, sampler, seconds)"""
    stop = threading.Event()
    clerks = start_clerks(port, database.name,
        ids_setup['logins'][:len(windows)], BENCH_PASSWORD, windows,
        stop, abandon=abandon)
    sampler = Sampler(lambda: database.connect(
            autocommit=True, connect_timeout=2), windows)
    sampler.start()
    started = time.monotonic()
    info = None
    try:
        stop.wait(before)
        fault_at = time.monotonic()
        if fault:
            info = fault()
        while True:
            left = fault_at + after - time.monotonic()
            if left <= 0:
                break
            if monitor:
                monitor(fault_at)
            stop.wait(min(left, 1))
    finally:
        stop.set()
        for clerk in clerks:
            clerk.join(60)
        elapsed = time.monotonic() - started
        sampler.stop.set()
    wind_up(clerks, sampler)
    return clerks, fault_at, info, sampler, elapsed


def summarize(name, conn, ids, windows, clerks, sampler, elapsed, extra):
    checks = check_database(pg_query(conn), ids, windows, clerks)
    errors = errors_since(clerks)
    attempts = collections.Counter()
    for clerk in clerks:
        attempts.update(clerk.attempts)
    samples = [s for c in clerks for s in c.samples]
    result = {
        'seconds': round(elapsed, 1),
        'attempts': sum(attempts.values()),
        'attempts_by_operation': dict(attempts),
        'errors': sum(errors.values()),
        'errors_by_kind': dict(errors),
        **checks,
        'sampled': sampler.result(),
        **extra,
        }
    say(f"  {result['attempts']} requests in {elapsed:.1f} s, "
        f"{checks['done']} tickets done ({checks['done'] / elapsed:.1f}/s); "
        f"duplicates {checks['duplicates']}, lost {checks['lost']}, "
        f"windows holding two tickets {checks['windows_two_tickets']} "
        f"(sampled: {sampler.result()['windows_seen_holding_two']})")
    say(f"  checks: {checks}")
    say(f"  sampler: {sampler.result()}")
    say(f"  attempts: {dict(attempts)}")
    if errors:
        say(f"  errors by kind: {dict(errors)}")
        for sample in samples[:4]:
            say(f"    {sample}")
    return result


# --- kill: a gunicorn worker killed ------------------------------------------

def connections(port):
    "Established connections to `port`, by the pid of the worker holding it"
    try:
        out = subprocess.run(['ss', '-Htnp', 'state', 'established',
                f'( sport = :{port} )'], capture_output=True, text=True,
            timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    counts = collections.Counter()
    for pid in re.findall(r'pid=(\d+)', out):
        counts[int(pid)] += 1
    return dict(counts)


def access_log(path):
    "(pid, epoch second, status, ms) of each request of the access log"
    rows = []
    with open(path, encoding='utf-8', errors='replace') as fp:
        for line in fp:
            match = ACCESS_LINE.match(line)
            if not match:
                continue
            when = dt.datetime.strptime(
                match.group(2), '%d/%b/%Y:%H:%M:%S %z').timestamp()
            rows.append((int(match.group(1)), when, int(match.group(3)),
                    int(match.group(4))))
    return rows


def scenario_kill(database, conn, server, ids_setup, today, quick):
    before, after = KILL_SECONDS[quick]
    windows = ids_setup['contention']['windows'][:WINDOWS]
    say(f"\n[kill] a gunicorn worker killed (SIGKILL) after {before} s, "
        f"{after} s more; {len(windows)} clerks")
    clear_windows(conn, ids_setup, windows)
    ids = seed(conn, ids_setup, today, TICKETS_PER_SECOND * (before + after))
    ready_before = set(os.listdir(server.ready_dir))
    seen = []

    def fault():
        pids = server.worker_pids()
        victim = pids[0]
        killed_at = time.time()
        os.kill(victim, signal.SIGKILL)
        return {'victim': victim, 'others': pids[1:], 'killed_at': killed_at}

    def monitor(fault_at):
        seen.append((round(time.monotonic() - fault_at), connections(
                    server.port)))
    clerks, fault_at, info, sampler, elapsed = run_scenario(
        database, server.port, ids_setup, windows, before, after, fault,
        monitor=monitor)
    killed_at = info['killed_at']
    new = [f for f in set(os.listdir(server.ready_dir)) - ready_before]
    new_pid = int(new[0].split('.')[1]) if new else None
    ready_s = (round(os.path.getmtime(os.path.join(server.ready_dir, new[0]))
            - killed_at, 2) if new else None)
    # requests a second per worker, in 5 s steps from the kill
    rows = access_log(os.path.join(server.workdir, 'access.log'))
    first_new = min((w for p, w, _, _ in rows if p == new_pid), default=None)
    step = 5
    buckets = collections.defaultdict(collections.Counter)
    times = collections.defaultdict(lambda: collections.defaultdict(list))
    for pid, when, status, duration in rows:
        offset = when - int(killed_at)
        if -before <= offset < after:
            bucket = int(offset // step) * step
            buckets[bucket][pid] += 1
            times[bucket][pid].append(duration)
    others = info['others']
    table = []
    say(f"  worker {info['victim']} killed; worker {new_pid} ready "
        f"{ready_s} s after, first request served "
        f"{None if first_new is None else round(first_new - killed_at)} s "
        "after")
    say(f"    {'s after kill':>12}{'other req/s':>13}{'new req/s':>11}"
        f"{'killed req/s':>14}{'other p50 ms':>14}{'new p50 ms':>12}")
    for start in sorted(buckets):
        counts = buckets[start]
        row = {
            'from_s': start,
            'other_per_s': round(sum(counts[p] for p in others) / step, 1),
            'new_per_s': round(counts.get(new_pid, 0) / step, 1),
            'killed_per_s': round(counts.get(info['victim'], 0) / step, 1),
            'other_p50_ms': percentile(
                [d for p in others for d in times[start][p]], 50),
            'new_p50_ms': percentile(times[start][new_pid], 50),
            }
        table.append(row)
        say(f"    {start:>12}{row['other_per_s']:>13}{row['new_per_s']:>11}"
            f"{row['killed_per_s']:>14}{row['other_p50_ms']!s:>14}"
            f"{row['new_p50_ms']!s:>12}")
    held = [(t, {('new' if p == new_pid else 'other' if p in others
                    else p): n for p, n in c.items()})
        for t, c in seen[::5]]
    say(f"  connections held (s after kill: by worker): {held}")
    # the rate of the new worker against the other one, once ready
    after_ready = [r for r in table if r['from_s'] >= 0]
    within = next((r['from_s'] for r in after_ready
            if r['new_per_s'] >= 0.8 * r['other_per_s'] > 0), None)
    # the steady rate: the last step before the kill
    before_rate = [r['other_per_s'] + r['killed_per_s'] for r in table
        if r['from_s'] == -step]
    after_rate = [r['other_per_s'] + r['new_per_s'] for r in after_ready]
    extra = {
        'recovery_s': recovery(clerks, fault_at),
        'new_worker_ready_s': ready_s,
        'new_worker_first_request_s': (None if first_new is None
            else round(first_new - killed_at)),
        'new_worker_at_80pct_of_other_from_s': within,
        'requests_per_s_before': (round(sum(before_rate)
                / len(before_rate), 1) if before_rate else None),
        'requests_per_s_after': (round(sum(after_rate) / len(after_rate), 1)
            if after_rate else None),
        'new_per_s_after': round(sum(r['new_per_s'] for r in after_ready)
            / max(1, len(after_ready)), 1),
        'other_per_s_after': round(sum(r['other_per_s'] for r in after_ready)
            / max(1, len(after_ready)), 1),
        'per_worker_per_s': table,
        'connections_after_kill': held,
        }
    say(f"  recovery {extra['recovery_s']} s; requests/s before "
        f"{extra['requests_per_s_before']}, "
        f"after {extra['requests_per_s_after']}"
        f" (new worker {extra['new_per_s_after']}, other "
        f"{extra['other_per_s_after']})")
    return summarize('kill', conn, ids, windows, clerks, sampler, elapsed,
        extra)


# --- abandon: call-next dropped and sent again ----------------------------

def scenario_abandon(database, conn, server, ids_setup, today, quick):
    seconds = ABANDON_SECONDS[quick]
    windows = ids_setup['contention']['windows'][:WINDOWS]
    say(f"\n[abandon] each call-next sent first on a connection dropped "
        f"before the answer, then again at once; {len(windows)} clerks, "
        f"{seconds} s")
    clear_windows(conn, ids_setup, windows)
    ids = seed(conn, ids_setup, today, TICKETS_PER_SECOND * seconds)
    clerks, _, _, sampler, elapsed = run_scenario(
        database, server.port, ids_setup, windows, 0, seconds, abandon=True)
    outcomes = collections.Counter()
    for clerk in clerks:
        outcomes.update(clerk.outcomes)
    say(f"  the retries: {dict(outcomes)}")
    return summarize('abandon', conn, ids, windows, clerks, sampler,
        elapsed, {'retry_outcomes': dict(outcomes)})


# --- restart: PostgreSQL restarted -------------------------------------------

def scenario_restart(database, conn, server, ids_setup, today, quick,
        cluster):
    before, after = RESTART_SECONDS[quick]
    windows = ids_setup['contention']['windows'][:WINDOWS]
    say(f"\n[restart] PostgreSQL ({cluster.name}) restarted after {before} "
        f"s, {after} s more; {len(windows)} clerks")
    clear_windows(conn, ids_setup, windows)
    ids = seed(conn, ids_setup, today, TICKETS_PER_SECOND * (before + after))

    def fault():
        started = time.monotonic()
        cluster.restart()
        return {'restart_s': round(time.monotonic() - started, 2)}
    clerks, fault_at, info, sampler, elapsed = run_scenario(
        database, server.port, ids_setup, windows, before, after, fault)
    conn = reconnect(conn, database)
    extra = {
        'restart_s': info['restart_s'],
        'recovery_s': recovery(clerks, fault_at),
        'cluster': cluster.name,
        }
    say(f"  restart took {extra['restart_s']} s; recovery (every clerk "
        f"answered again) {extra['recovery_s']} s after the restart began")
    return summarize('restart', conn, ids, windows, clerks, sampler,
        elapsed, extra), conn


def reconnect(conn, database):
    try:
        conn.close()
    except psycopg.Error:
        pass
    return database.connect()


# --- main --------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(prog='scripts/bench faults',
        description="Faults benchmark of the queue: worker killed, "
        "abandoned requests retried, PostgreSQL restarted (gunicorn), "
        "and clerks on the embedded SQLite server.")
    parser.add_argument('--quick', action='store_true',
        help="shorter scenarios (under 4 minutes once the template "
        "databases exist)")
    parser.add_argument('--skip', action='append', default=[],
        choices=['kill', 'abandon', 'restart', 'sqlite'],
        help="skip a scenario (repeatable)")
    parser.add_argument('--cluster', choices=['private', 'shared'],
        default='private',
        help="the PostgreSQL cluster the restart scenario restarts: a "
        "throwaway private one (default) or the machine's 15/main, whose "
        "other users lose their connections")
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--threads', type=int, default=16)
    parser.add_argument('--template', metavar='DATABASE',
        help="copy this existing template database of bench queue even "
        "if the sources changed since")
    parser.add_argument('--sqlite-database', metavar='FILE',
        help="copy this SQLite database (built by an earlier run, in "
        "var/bench_faults/) even if the sources changed since")
    parser.add_argument('--keep', action='store_true',
        help="keep the databases and the work directory (debugging)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    quick = args.quick
    database = BenchDatabase(f'bench_faults_{os.getpid()}')
    today = bench_day()
    if today is None:
        return 1
    clean_up_on_signals()

    workdir = tempfile.mkdtemp(prefix='bench_faults_')
    shared_uri = PG_URI
    results = {}
    started = time.perf_counter()
    load_start = announce('faults', database, quick)
    pg = [s for s in ['kill', 'abandon', 'restart'] if s not in args.skip]
    server = conn = cluster = None
    created = []
    extra_args = ['--access-logformat', ACCESS_FORMAT]
    try:
        if pg:
            conf = write_trytond_conf(workdir, maxconn=2 * args.threads + 4)
            if args.template:
                template, ids_setup = args.template, template_ids(
                    args.template)
            else:
                template, ids_setup = prepare_template(conf, workdir,
                    TEMPLATE_CONTENTION_WINDOWS, TEMPLATE_PEAK_WINDOWS)
        for name in ['kill', 'abandon']:
            if name not in pg:
                continue
            if server is None:
                create_database(database.name, template)
                created.append((shared_uri, database.name))
                conn = database.connect()
                make_workday(conn, today)
                server = Server(database.name, workdir, conf, args.workers,
                    args.threads, 0, extra_args=extra_args)
                t0 = time.perf_counter()
                server.start()
                say(f"\n  gunicorn on 127.0.0.1:{server.port}: "
                    f"{args.workers} workers × {args.threads} threads, "
                    f"ready in {time.perf_counter() - t0:.1f} s")
            scenario = (scenario_kill if name == 'kill'
                else scenario_abandon)
            results[name] = scenario(
                database, conn, server, ids_setup, today, quick)
        if server is not None:
            server.stop()
            server = None
        if 'restart' in pg:
            if args.cluster == 'private':
                from bench_faults_cluster import PrivateCluster
                cluster = PrivateCluster()
                t0 = time.perf_counter()
                cluster.start()
                cluster.copy_database(shared_uri.rstrip('/') + '/' + template,
                    database.name + '_r')
                say(f"\n  {cluster.name}: started and the database copied "
                    f"in {time.perf_counter() - t0:.1f} s")
            else:
                from bench_faults_cluster import SharedCluster
                cluster = SharedCluster(shared_uri)
                create_database(database.name + '_r', template)
            created.append((cluster.uri, database.name + '_r'))
            database = BenchDatabase(database.name + '_r', cluster.uri)
            if conn is not None:
                conn.close()
            conn = database.connect()
            make_workday(conn, today)
            rdir = os.path.join(workdir, 'restart')
            os.makedirs(rdir)
            rconf = write_trytond_conf(rdir,
                maxconn=2 * args.threads + 4, uri=cluster.uri)
            server = Server(database.name, rdir, rconf, args.workers,
                args.threads, 0, extra_args=extra_args)
            server.start()
            results['restart'], conn = scenario_restart(database, conn,
                server, ids_setup, today, quick, cluster)
            server.stop()
            server = None
        if 'sqlite' not in args.skip:
            import bench_faults_sqlite
            seconds = SQLITE_SECONDS[quick]
            results['sqlite'] = bench_faults_sqlite.run(workdir, today,
                seconds, tickets=200 * seconds, source=args.sqlite_database)
    finally:
        if server is not None:
            server.stop()
        if conn is not None:
            conn.close()
        if not args.keep:
            for uri, name in created:
                if cluster is not None and uri == cluster.uri and \
                        args.cluster == 'private':
                    continue    # dropped with the cluster
                try:
                    drop_database(name, uri)
                except psycopg.Error as exception:
                    warn(f"could not drop {name}: {exception}")
        if cluster is not None:
            if args.keep and args.cluster == 'private':
                warn(f"kept {cluster.name} in {cluster.directory}")
            else:
                cluster.stop()
        if args.keep:
            warn(f"kept the databases {created} and {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    summary = {}
    for name, figures in results.items():
        summary[name] = {k: figures.get(k) for k in ['attempts', 'errors',
                'errors_by_kind', 'duplicates', 'lost', 'windows_two_tickets',
                'recovery_s'] if k in figures}
    results['duplicates'] = sum(r.get('duplicates', 0)
        for r in results.values() if isinstance(r, dict))
    results['lost'] = sum(r.get('lost', 0)
        for r in results.values() if isinstance(r, dict))
    results['windows_two_tickets'] = sum(r.get('windows_two_tickets', 0)
        for r in results.values() if isinstance(r, dict))
    results.update({
            'quick': quick,
            'cluster': args.cluster,
            'workers': args.workers,
            'threads': args.threads,
            'cpus': os.cpu_count(),
            'load_start': load_start,
            'load_end': loadavg(),
            'total_s': round(time.perf_counter() - started, 1),
            })
    say("\nsummary:")
    for name, figures in summary.items():
        say(f"  {name:<8} {figures}")
    say(f"  duplicates {results['duplicates']}, lost {results['lost']}, "
        f"windows holding two tickets {results['windows_two_tickets']}; "
        f"total {results['total_s']} s")
    print(json.dumps(results, ensure_ascii=False, default=str), flush=True)
    return 0 if not (results['duplicates'] or results['lost']
        or results['windows_two_tickets']) else 1


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        warn("interrupted")
        sys.exit(130)
