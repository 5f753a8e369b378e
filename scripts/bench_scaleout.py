#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Scale-out test: two trytond web nodes (two gunicorn servers on two ports,
each with its own processes and caches) on one PostgreSQL database, as two
machines behind a load balancer would run.

    scripts/bench scaleout [--quick] [options]      (--help lists them)

It checks what a second node must not break, and exits 1 when any fails:

1. Sessions live in the database: a user logged in through node A works
   through node B with the same session; logged out through B, the session
   is refused by A.
2. Caches follow a change made on the other node (trytond's MemoryCache
   with `[cache] clean_timeout = 0`: PostgreSQL LISTEN/NOTIFY, no timed
   clean-up, so a node that missed the notification would never see the
   change).  The window clerk `benchclerk`, not rostered, does not see
   through node B an application received at a window (node B caches the
   windows rostered to the clerk and the record rule built on them); the
   hall manager rosters them at that window through node A; node B shows
   it to them within the notification's delay (measured, and then in
   every one of several requests in a row, so that each worker of B has
   seen it); the shift deleted through A, B hides it again.
   `--clean-timeout N` runs the nodes without LISTEN/NOTIFY: this check
   then fails, as it must.
3. No ticket called twice, none lost: W windows (default 40), every other
   one on node B, call-next → start → finish until T waiting tickets
   (default 4000) are served; the database's call log, the ticket history
   and the clients' records are checked as in `scripts/bench queue`.
4. What the display boards cost: B boards (default 8) poll the hall's
   display.json without pause through both nodes (a board in the hall
   polls once a second).

The database is a copy of the queue benchmark's template (built the first
time, scripts/bench_queue_db.py).  The last output line is one JSON
object.
"""
import argparse
import configparser
import http.client
import json
import os
import sys
import threading
import time

from bench_queue import begin_run
from bench_queue_clients import (
    Board, Client, RPCError, login_clients, logout_clients, percentile,
    print_operations, run_windows)
from bench_queue_db import (
    BENCH_PASSWORD, TEMPLATE_CONTENTION_WINDOWS, TEMPLATE_PEAK_WINDOWS,
    check_tickets, create_database, end_run,
    make_workday, pg_connect, prepare_template, say, seed_tickets, warn,
    write_trytond_conf)
from bench_queue_server import Server, loadavg

# How long a node may take to see a change made on the other one
PROPAGATION_TIMEOUT = 30
# Requests in a row that must all see the change (each may be handled by
# another worker of the node)
CONSECUTIVE = 12
# Connections kept free for psql, pg_dump and the bench's own
RESERVED_CONNECTIONS = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='scripts/bench scaleout',
        description="Two web nodes on one PostgreSQL database: shared "
        "sessions, cache invalidation across nodes, no ticket called twice.")
    parser.add_argument('--quick', action='store_true',
        help="a smaller run (400 tickets, 20 windows)")
    parser.add_argument('--tickets', type=int,
        help="tickets served (default 4000, quick 400)")
    parser.add_argument('--windows', type=int,
        help="windows calling, split across the nodes (default 40, quick "
        "20)")
    parser.add_argument('--workers', type=int, default=1,
        help="gunicorn workers of each node (default 1: the cache check "
        "then reaches every process of node B; with more, it reaches them "
        "through new connections, as the operating system hands them out)")
    parser.add_argument('--threads', type=int, default=16,
        help="gunicorn threads of each worker (default 16)")
    parser.add_argument('--boards', type=int, default=8,
        help="display boards polling at once in the last phase (default 8)")
    parser.add_argument('--max-requests', type=int, default=0,
        help="gunicorn max_requests: 0 (default) never recycles the "
        "workers; -1 keeps config/gunicorn.conf.py's (2000 ± 200)")
    parser.add_argument('--clean-timeout', type=int, default=0,
        help="[cache] clean_timeout of the nodes: 0 (default, production) "
        "invalidates through LISTEN/NOTIFY; N > 0 cleans the caches every "
        "N seconds instead, and a change made on the other node is not "
        "seen before (shows what the cache check catches)")
    parser.add_argument('--keep', action='store_true',
        help="keep the database and the work directory (debugging)")
    args = parser.parse_args(argv)
    for name, (full, small) in {
            'tickets': (4000, 400), 'windows': (40, 20)}.items():
        if getattr(args, name) is None:
            setattr(args, name, small if args.quick else full)
        if getattr(args, name) <= 1:
            parser.error(f"--{name} must be at least 2")
    if args.windows > TEMPLATE_CONTENTION_WINDOWS:
        parser.error(f"--windows is at most {TEMPLATE_CONTENTION_WINDOWS}")
    return args


def set_clean_timeout(conf, seconds):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf, encoding='utf-8')
    parser.set('cache', 'clean_timeout', str(seconds))
    with open(conf, 'w', encoding='utf-8') as fp:
        parser.write(fp)
    say(f"  [cache] clean_timeout = {seconds}: no LISTEN/NOTIFY")


def check_connection_budget(conn, nodes, workers, maxconn):
    "Refuse a run that would exhaust PostgreSQL's connections"
    limit, reserved, used = conn.execute(
        "SELECT current_setting('max_connections')::int, "
        "current_setting('superuser_reserved_connections')::int, "
        "(SELECT count(*) FROM pg_stat_activity)").fetchone()
    conn.commit()
    needed = nodes * workers * maxconn
    available = limit - reserved - used - RESERVED_CONNECTIONS
    if needed > available:
        raise SystemExit(
            f"{nodes} nodes × {workers} workers × maxconn {maxconn} = "
            f"{needed} connections, but PostgreSQL has {available} free "
            f"(max_connections {limit}, {used} in use): lower --workers or "
            "--threads")
    return needed, limit


# --- 1. sessions ---------------------------------------------------------------

def refused(call):
    "Whether `call()` is refused by the server (error or HTTP status)"
    try:
        call()
    except (RPCError, OSError, http.client.HTTPException):
        return True
    return False


def phase_sessions(database, node_a, node_b, login):
    say("\n[sessions] one session, two nodes")
    on_a = Client(node_a.port, database.name)
    user = on_a.login(login, BENCH_PASSWORD)
    name = on_a.call('model.res.user.get_preferences', False, {})['name']
    on_b = Client(node_b.port, database.name)
    on_b.authorization, on_b.context = on_a.authorization, on_a.context
    try:
        works_on_b = on_b.call(
            'model.res.user.get_preferences', False, {})['name'] == name
    except (RPCError, OSError, http.client.HTTPException):
        works_on_b = False
    on_b.call('common.db.logout')
    refused_on_a = refused(
        lambda: on_a.call('model.res.user.get_preferences', False, {}))
    for client in [on_a, on_b]:
        client.connection.close()
    say(f"  {login} (user {user}) logged in through A: its session works "
        f"through B: {works_on_b}; logged out through B, refused by A: "
        f"{refused_on_a}")
    return {
        'session_shared': works_on_b,
        'logout_shared': refused_on_a,
        }


# --- 2. cache invalidation -----------------------------------------------------

def working_day(conn, day):
    row = conn.execute(
        'SELECT kind FROM hall_calendar_day WHERE date = %s',
        (day,)).fetchone()
    conn.commit()
    if row:
        return row[0] == 'workday'
    return day.weekday() < 5


def wait_until(check, timeout=PROPAGATION_TIMEOUT):
    """Seconds until `check()` holds CONSECUTIVE times in a row, and until
    it first held; (None, None) when it does not within `timeout`"""
    started = time.perf_counter()
    first = None
    in_row = 0
    while time.perf_counter() - started < timeout:
        if check():
            if first is None:
                first = time.perf_counter() - started
            in_row += 1
            if in_row >= CONSECUTIVE:
                return first, time.perf_counter() - started
        else:
            in_row = 0
            time.sleep(0.005)
    return None, None


def phase_cache(database, conn, node_a, node_b, ids, today):
    say("\n[cache] a roster change made through node A, seen by node B")
    c = ids['contention']
    window = c['windows'][-1]
    manager = Client(node_a.port, database.name)
    manager.login(ids['logins'][0], BENCH_PASSWORD)
    clerk = Client(node_b.port, database.name)
    clerk.login(ids['clerk']['login'], BENCH_PASSWORD)
    # An application received at the window by someone else: a clerk reads
    # it only while rostered there (the record rule on the windows rostered
    # to them, both cached by every process)
    # (put in the database as the tickets are: its reception is not what
    # is measured)
    application = conn.execute(
        "INSERT INTO hall_application (company, hall, service, applicant, "
        "\"window\", channel, state, create_uid, create_date) "
        "SELECT %(company)s, %(hall)s, s.id, e.party, %(window)s, 'window', "
        "'draft', 0, now() AT TIME ZONE 'UTC' FROM hall_service s, "
        "company_employee e WHERE s.code = 'BC-001' AND e.id = %(employee)s "
        "RETURNING id", {'company': ids['company'], 'hall': c['hall'],
            'window': window, 'employee': ids['clerk']['employee'],
            }).fetchone()[0]
    conn.commit()

    def clerk_reads():
        # a new connection each time: a keep-alive one stays with one worker
        # of the node, and each worker has caches of its own
        clerk.connection.close()
        return clerk.model('hall.application', 'search_count',
            [('id', '=', application)]) == 1

    # Node B learns (and caches) that the clerk has no shift: each of its
    # workers answers a few of these
    before = [clerk_reads() for _ in range(CONSECUTIVE)]
    period = 'full_day' if working_day(conn, today) else 'weekend'
    started = time.perf_counter()
    shift, = manager.model('hall.roster.shift', 'create', [{
                'date': {'__class__': 'date', 'year': today.year,
                    'month': today.month, 'day': today.day},
                'period': period,
                'hall': c['hall'],
                'window': window,
                'employee': ids['clerk']['employee'],
                }])
    written = time.perf_counter() - started
    seen_first, seen_all = wait_until(clerk_reads)
    started = time.perf_counter()
    manager.model('hall.roster.shift', 'delete', [shift])
    deleted = time.perf_counter() - started
    revoked_first, revoked_all = wait_until(lambda: not clerk_reads())
    logout_clients([manager, clerk])

    def ms(seconds):
        return None if seconds is None else round(1000 * seconds, 1)
    result = {
        'cache_refused_before': not any(before),
        'cache_roster_seen_ms': ms(seen_first),
        'cache_roster_seen_all_ms': ms(seen_all),
        'cache_revoke_seen_ms': ms(revoked_first),
        'cache_revoke_seen_all_ms': ms(revoked_all),
        }
    say(f"  before the shift, node B hides the window's application from "
        f"the clerk: {result['cache_refused_before']}")
    say(f"  shift created through A in {1000 * written:.0f} ms; node B shows "
        f"it after {result['cache_roster_seen_ms']} ms, "
        f"{CONSECUTIVE} requests in a row after "
        f"{result['cache_roster_seen_all_ms']} ms")
    say(f"  shift deleted through A in {1000 * deleted:.0f} ms; node B "
        f"hides it after {result['cache_revoke_seen_ms']} ms, "
        f"{CONSECUTIVE} in a row after "
        f"{result['cache_revoke_seen_all_ms']} ms")
    return result


# --- 3. windows on both nodes --------------------------------------------------

def phase_windows(database, conn, node_a, node_b, ids, today, tickets,
        windows):
    c = ids['contention']
    window_ids = c['windows'][:windows]
    logins = ids['logins'][:windows]
    say(f"\n[windows] {tickets} tickets, {windows} windows: "
        f"{len(window_ids[0::2])} through node A, {len(window_ids[1::2])} "
        "through node B")
    clients_a = login_clients(node_a.port, database.name, logins[0::2])
    clients_b = login_clients(node_b.port, database.name, logins[1::2])
    clients = [None] * windows
    clients[0::2], clients[1::2] = clients_a, clients_b
    queues = dict.fromkeys(window_ids, [c['queue']])
    ticket_ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'],
        today, tickets, ids['user'])
    cpu_a, cpu_b = node_a.cpu(), node_b.cpu()
    stats, started, ended = run_windows(clients, window_ids, queues,
        Board(database, [c['queue']], today))
    wall = (stats.last_done or ended) - started
    cpu_a, cpu_b = node_a.cpu() - cpu_a, node_b.cpu() - cpu_b
    duplicates, lost, details = check_tickets(conn, ticket_ids,
        stats.tickets)
    calls = stats.calls()
    served = {'A': 0, 'B': 0}
    for (node, _), count in served_by_node(conn, ticket_ids,
            set(window_ids[0::2])).items():
        served[node] += count
    call_next = stats.summary('call_next')
    say(f"  wall {wall:.2f} s, {calls} calls, {calls / wall:.0f} calls/s, "
        f"{len(ticket_ids) / wall:.0f} tickets/s; served through A "
        f"{served['A']}, through B {served['B']}; duplicates {duplicates}, "
        f"lost {lost}")
    say(f"  server CPU: node A {cpu_a:.1f} s, node B {cpu_b:.1f} s, "
        f"{1000 * (cpu_a + cpu_b) / calls:.1f} ms a call; load {loadavg()}")
    say(f"  checks: {details}")
    print_operations(stats, ['call_next', 'call_next_empty', 'start',
            'finish'])
    logout_clients(clients)
    return {
        'calls_per_s': round(calls / wall, 1),
        'tickets_per_s': round(len(ticket_ids) / wall, 1),
        'wall_s': round(wall, 2),
        'served_a': served['A'],
        'served_b': served['B'],
        'p50_call_next_ms': call_next['p50_ms'],
        'p99_call_next_ms': call_next['p99_ms'],
        'p99_start_ms': stats.summary('start')['p99_ms'],
        'p99_finish_ms': stats.summary('finish')['p99_ms'],
        'server_cpu_ms_per_call': round(1000 * (cpu_a + cpu_b) / calls, 1),
        'rpc_errors': sum(stats.errors.values()),
        'stalled': stats.stalled,
        'duplicates': duplicates,
        'lost': lost,
        }


def served_by_node(conn, ticket_ids, windows_a):
    "Tickets done, by node (A or B) of their window, from the database"
    rows = conn.execute(
        'SELECT "window", count(*) FROM hall_ticket WHERE id = ANY(%s) '
        "AND state = 'done' GROUP BY \"window\"", (ticket_ids,)).fetchall()
    conn.commit()
    result = {}
    for window, count in rows:
        key = ('A' if window in windows_a else 'B', window)
        result[key] = count
    return result


# --- 4. display boards --------------------------------------------------------

def phase_boards(database, node_a, node_b, ids, boards, seconds):
    """`boards` display boards of the 40-window hall polling display.json
    without pause, every other one through node B, for `seconds`: what a
    board costs the nodes (a board in the hall polls once a second)"""
    hall = ids['contention']['hall']
    path = f'/{database.name}/hall/{hall}/display.json'
    say(f"\n[boards] {boards} display boards polling {path} for "
        f"{seconds} s, every other one through node B")
    latencies = [[] for _ in range(boards)]
    errors = [0] * boards
    stop = threading.Event()

    def poll(i, port):
        connection = http.client.HTTPConnection('127.0.0.1', port,
            timeout=60)
        while not stop.is_set():
            started = time.perf_counter()
            try:
                connection.request('GET', path,
                    headers={'Accept': 'application/json'})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
                    continue
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                connection.close()
                continue
            latencies[i].append(time.perf_counter() - started)
        connection.close()
    threads = [threading.Thread(target=poll,
            args=(i, (node_a, node_b)[i % 2].port), daemon=True)
        for i in range(boards)]
    cpu = node_a.cpu() + node_b.cpu()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = node_a.cpu() + node_b.cpu() - cpu
    answered = [x for values in latencies for x in values]
    count = len(answered)
    p50 = percentile(answered, 50)
    p99 = percentile(answered, 99)
    result = {
        'board_requests_per_s': round(count / wall, 1),
        'board_p50_ms': round(1000 * p50, 1) if p50 else None,
        'board_p99_ms': round(1000 * p99, 1) if p99 else None,
        'board_cpu_ms_per_request': round(1000 * cpu / count, 1)
        if count else None,
        'board_errors': sum(errors),
        }
    say(f"  {count} answers, {result['board_requests_per_s']} a second, "
        f"p50 {result['board_p50_ms']} ms, p99 {result['board_p99_ms']} ms, "
        f"server CPU {result['board_cpu_ms_per_request']} ms an answer, "
        f"errors {result['board_errors']}")
    return result


# --- main ----------------------------------------------------------------------

def failures(results):
    "What a second node broke, in words"
    checks = [
        ('session_shared', "a session opened through A does not work "
            "through B"),
        ('logout_shared', "a session closed through B still works through "
            "A"),
        ('cache_refused_before', "node B showed the window's application "
            "to the clerk before any shift"),
        ('cache_roster_seen_ms', "node B never saw the shift made through "
            f"A (within {PROPAGATION_TIMEOUT} s)"),
        ('cache_roster_seen_all_ms', "node B did not consistently see the "
            "shift made through A"),
        ('cache_revoke_seen_all_ms', "node B still showed the application "
            "to the clerk after the shift was deleted through A"),
        ]
    found = [text for key, text in checks if not results.get(key)]
    if results.get('duplicates'):
        found.append(f"{results['duplicates']} tickets called twice")
    if results.get('lost'):
        found.append(f"{results['lost']} tickets lost")
    if results.get('board_errors'):
        found.append(f"{results['board_errors']} display board requests "
            "failed")
    if results.get('stalled'):
        found.append("the windows stalled")
    return found


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    run = begin_run('scaleout', 'scale-out', args.quick)
    if run is None:
        return 1
    database, today, workdir, wall_started, load_start = run
    nodes = []
    conn = None
    results = {}
    maxconn = args.threads + 4
    conf = write_trytond_conf(workdir, maxconn=maxconn)
    if args.clean_timeout:
        set_clean_timeout(conf, args.clean_timeout)
    try:
        with pg_connect() as admin:
            needed, limit = check_connection_budget(
                admin, 2, args.workers, maxconn)
        template, ids = prepare_template(conf, workdir,
            TEMPLATE_CONTENTION_WINDOWS, TEMPLATE_PEAK_WINDOWS)
        if 'clerk' not in ids:
            raise SystemExit(f"the template {template} has no clerk: "
                "drop it to rebuild it")
        create_database(database.name, template)
        conn = database.connect()
        if make_workday(conn, today):
            say(f"  {today} is a public holiday: made a workday")
        for name in 'AB':
            node_dir = os.path.join(workdir, name)
            os.makedirs(node_dir)
            started = time.perf_counter()
            node = Server(database.name, node_dir, conf, args.workers,
                args.threads,
                None if args.max_requests < 0 else args.max_requests)
            node.start()
            nodes.append(node)
            say(f"  node {name}: gunicorn on 127.0.0.1:{node.port}, "
                f"{args.workers} workers × {args.threads} threads, ready "
                f"in {time.perf_counter() - started:.1f} s")
        say(f"  connections at most {needed} of max_connections {limit}")
        node_a, node_b = nodes
        results.update(phase_sessions(database, node_a, node_b,
                ids['logins'][0]))
        results.update(phase_cache(database, conn, node_a, node_b, ids,
                today))
        results.update(phase_windows(database, conn, node_a, node_b, ids,
                today, args.tickets, args.windows))
        results.update(phase_boards(database, node_a, node_b, ids,
                args.boards, 5 if args.quick else 20))
    finally:
        for node in nodes:
            node.stop()
        end_run(database, conn, workdir, args.keep)

    found = failures(results)
    results.update({
            'quick': args.quick,
            'tickets': args.tickets,
            'windows': args.windows,
            'nodes': 2,
            'workers_per_node': args.workers,
            'threads': args.threads,
            'clean_timeout': args.clean_timeout,
            'resent': Client.resent_total,
            'cpus': os.cpu_count(),
            'load_start': load_start,
            'load_end': loadavg(),
            'total_s': round(time.perf_counter() - wall_started, 1),
            'failures': found,
            })
    say("\nsummary:")
    for text in found:
        say(f"  FAILED: {text}")
    if not found:
        say("  sessions shared, caches invalidated across the nodes, "
            f"{args.tickets} tickets through {args.windows} windows on two "
            "nodes: 0 duplicates, 0 lost")
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return 1 if found else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        warn("interrupted")
        sys.exit(130)
