# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The phases of the queue benchmark (scripts/bench_queue.py): the floor in
raw SQL, the call-next contention over JSON-RPC and the peak day through the
kiosk route.  Each takes the run's database (a BenchDatabase) and returns
its figures."""
import datetime as dt
import random
import threading
import time

import psycopg

from bench_queue_clients import (
    KIOSK_TICKETS_PER_ADDRESS, Board, Client, Stats, check_throttle,
    kiosk_client, kiosk_requests, login_clients, logout_clients,
    print_operations, run_windows)
from bench_queue_db import check_tickets, say, seed_tickets, warn
from bench_queue_server import Measure

# Tickets per window served before the contention is measured, and light
# calls per window measuring the RPC stack alone (full run, quick run)
WARM_UP_TICKETS = (3, 2)
BASELINE_CALLS = (15, 5)
# Tickets served by one window alone, after the contention
SINGLE_WINDOW_TICKETS = (100, 20)


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


def floor_window(database, window, queues, today, user, barrier, board,
        stats, finished, release):
    with database.connect() as conn:
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


# --- phases ------------------------------------------------------------------

def phase_floor(database, conn, ids_setup, today, tickets, windows):
    c = ids_setup['contention']
    say(f"\n[floor] raw SQL: {tickets} tickets, {windows} windows "
        "(psycopg, one connection each, read committed)")
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, ids_setup['user'])
    board = Board(database, [c['queue']], today)
    barrier = threading.Barrier(windows + 1)
    all_stats = [Stats() for _ in range(windows)]
    finished = threading.Barrier(windows + 1)
    release = threading.Event()
    threads = [threading.Thread(target=floor_window,
            args=(database, w, [c['queue']], today, ids_setup['user'],
                barrier, board, s, finished, release),
            daemon=True)
        for w, s in zip(c['windows'][:windows], all_stats)]
    for thread in threads:
        thread.start()
    board.start()
    with Measure(database, None, None, 'floor') as measure:
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


def measure_single(database, conn, client, c, user, today, tickets):
    """One window alone serving `tickets`: the latency of each operation
    when nothing else runs on the server (the windows of a hall call a few
    times a minute, far from the closed loop of the contention)"""
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, user)
    window = c['windows'][0]
    stats, started, ended = run_windows([client], [window],
        {window: [c['queue']]}, Board(database, [c['queue']], today))
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


def phase_contention(database, conn, server, ids_setup, today, tickets,
        windows, quick=False, profile=None):
    c = ids_setup['contention']
    say(f"\n[contention] JSON-RPC: {tickets} tickets, {windows} windows "
        f"(gunicorn {server.workers} workers × {server.threads} threads)")
    resent = Client.resent_total
    clients = login_clients(server.port, database.name,
        ids_setup['logins'][:windows])
    # Warm-up, not measured: a worker fills its caches on its first
    # requests (and each of its threads at once, the first time)
    warm = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        WARM_UP_TICKETS[quick] * windows, ids_setup['user'])
    queues = dict.fromkeys(c['windows'], [c['queue']])
    warm_stats, _, _ = run_windows(clients, c['windows'][:windows], queues,
        Board(database, [c['queue']], today))
    warm_duplicates, warm_lost, _ = check_tickets(
        conn, warm, warm_stats.tickets)
    say(f"  warm-up: {len(warm)} tickets served, duplicates "
        f"{warm_duplicates}, lost {warm_lost}")
    baseline = measure_baseline(server, clients, c['windows'][:windows],
        BASELINE_CALLS[quick])
    ids = seed_tickets(conn, c['queue'], c['hall'], c['prefix'], today,
        tickets, ids_setup['user'])
    board = Board(database, [c['queue']], today)
    with Measure(database, server, profile, 'contention') as measure:
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
        single = measure_single(database, conn, clients[0], c,
            ids_setup['user'], today, SINGLE_WINDOW_TICKETS[quick])
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


def phase_peak(database, conn, server, ids_setup, today, tickets, windows,
        kiosks, seed, profile=None):
    p = ids_setup['peak']
    hall = p['hall']
    path = f'/{database.name}/hall/{hall}/kiosk'
    queue_ids = [q['id'] for q in p['queues']]
    say(f"\n[peak day] {tickets} tickets through the kiosk route "
        f"({kiosks} clients), {windows} windows serving, accelerated time")
    limit, = conn.execute(
        'SELECT kiosk_requests_per_minute FROM hall_configuration '
        'ORDER BY id LIMIT 1').fetchone() or (6,)
    conn.commit()
    resent = Client.resent_total
    throttle_ok, statuses, throttle_issued = check_throttle(
        server.port, database.name, path, queue_ids[0], limit)
    say(f"  throttle: {limit} requests a minute an address; {limit + 1} "
        f"from one address answered {statuses}: "
        f"{'ok' if throttle_ok else 'NOT REFUSED'}")
    if KIOSK_TICKETS_PER_ADDRESS > limit:
        warn("the kiosk throttle is below the bench's tickets per address")
    clients = login_clients(server.port, database.name,
        ids_setup['logins'][:windows])
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
        (kiosk_client, (server.port, database.name, path,
                requests[i::kiosks], issued, done))
        for i in range(kiosks)]

    def kiosks_done():
        return len(done) == kiosks

    queues = {w: list(q) for w, q in conn.execute(
            'SELECT "window", array_agg(queue ORDER BY sequence) '
            'FROM hall_queue_window WHERE "window" = ANY(%s) '
            'GROUP BY "window"', (p['windows'][:windows],))}
    conn.commit()
    board = Board(database, queue_ids, today, ready=kiosks_done)
    with Measure(database, server, profile, 'peak') as measure:
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
