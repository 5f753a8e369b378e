# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Part of scripts/bench_faults.py: the clerks (one thread, user and
connection a window looping call-next → start → finish over JSON-RPC), the
sampler of the windows holding two tickets, and the checks of the database
after a scenario (PostgreSQL and SQLite alike)."""
import collections
import http.client
import json
import random
import re
import socket
import threading
import time

from bench_queue_clients import Client, RPCError

CURRENT = ('called', 'serving')


def error_kind(exception):
    "A short name of what went wrong, to count errors by kind"
    if isinstance(exception, RPCError):
        error = exception.args[0] if exception.args else ''
        if isinstance(error, str) and error.startswith('HTTP '):
            return error.split(':', 1)[0]
        if isinstance(error, (list, tuple)) and error:
            name = str(error[0])
            detail = error[1] if len(error) > 1 else ''
            if isinstance(detail, (list, tuple)) and detail:
                detail = detail[0]
            # the message without its numbers (window and ticket names)
            detail = re.sub(r'[A-Z]?\d+', '#', str(detail))[:70]
            return f'{name}: {detail}'
        return re.sub(r'\d+', '#', str(error))[:80]
    if isinstance(exception, http.client.RemoteDisconnected):
        return 'disconnected (no answer)'
    if isinstance(exception, ConnectionRefusedError):
        return 'connection refused'
    if isinstance(exception, (ConnectionResetError, BrokenPipeError)):
        return 'connection reset'
    if isinstance(exception, (socket.timeout, TimeoutError)):
        return 'timeout'
    return type(exception).__name__


class Clerk(threading.Thread):
    """A window's clerk: call-next → start → finish until `stop`.

    The client never resends a request (Client(resend=False)): a request
    without answer (connection closed, timed out) or refused is an attempt
    whose outcome is unknown; the clerk then reads its window's current
    ticket back from the server, and the database is checked at the end.
    With `abandon`, each call-next is first sent on a connection dropped
    before the answer is read, then at once sent again on the usual one.
    """

    def __init__(self, port, database, login, password, window, stop,
            abandon=False, timeout=30, seed=0):
        super().__init__(daemon=True)
        self.port = port
        self.database = database
        self.login = login
        self.password = password
        self.window = window
        self.stop = stop
        self.abandon = abandon
        self.timeout = timeout
        self.random = random.Random(seed)
        self.client = None
        self.attempts = collections.Counter()
        self.errors = collections.Counter()
        self.samples = []
        self.successes = []     # (sent, answered) of each answered request
        self.tickets = []       # the tickets call-next returned
        self.outcomes = collections.Counter()   # of the abandoned call-nexts
        self.ticket = self.state = None
        self.ready = threading.Event()
        self.failed = None

    def connect(self):
        client = Client(self.port, self.database, timeout=self.timeout,
            resend=False)
        client.login(self.login, self.password)
        self.client = client

    def run(self):
        try:
            self.connect()
        except Exception as exception:
            self.failed = exception
            return
        finally:
            self.ready.set()
        errors_in_row = 0
        check = False
        while not self.stop.is_set():
            try:
                if check:
                    self.read_back()
                    check = False
                self.step()
                errors_in_row = 0
            except (RPCError, OSError, http.client.HTTPException) as error:
                self.count_error(error)
                errors_in_row += 1
                check = True
                self.stop.wait(min(0.05 * errors_in_row, 1))

    def count_error(self, error):
        kind = error_kind(error)
        self.errors[kind] += 1
        if len(self.samples) < 3:
            self.samples.append(f'{kind}: {error!s:.200}')

    def request(self, operation, model, method, *args):
        self.attempts[operation] += 1
        sent = time.monotonic()
        result = self.client.model(model, method, *args)
        self.successes.append((sent, time.monotonic()))
        return result

    def read_back(self):
        "The window's current ticket, as the server knows it"
        current, = self.request('read', 'hall.window', 'read',
            [self.window], ['current_ticket', 'current_ticket_state'])
        self.ticket = current['current_ticket']
        self.state = current['current_ticket_state'] if self.ticket else None

    def step(self):
        if self.ticket is None:
            if self.abandon:
                self.send_abandoned()
            try:
                result = self.request('call_next', 'hall.window',
                    'call_next_ticket', self.window)
            except RPCError:
                if self.abandon:
                    self.outcomes['retry refused'] += 1
                raise
            if self.abandon:
                self.outcomes['retry held the same ticket'
                    if result and result.get('held')
                    else 'retry called a ticket' if result
                    else 'retry found nobody'] += 1
            if result is None:
                self.stop.wait(0.2)
                return
            self.ticket, self.state = result['id'], 'called'
            self.tickets.append(self.ticket)
        elif self.state == 'called':
            self.request('start', 'hall.ticket', 'start', [self.ticket])
            self.state = 'serving'
        else:
            self.request('finish', 'hall.ticket', 'finish', [self.ticket])
            self.ticket = self.state = None

    def send_abandoned(self):
        """call_next_ticket on a new connection closed before the answer
        (at once, or after waiting up to 30 ms for it)"""
        self.attempts['call_next_abandoned'] += 1
        client = self.client
        client._id += 1
        body = json.dumps({'id': client._id,
                'method': 'model.hall.window.call_next_ticket',
                'params': [self.window, client.context]}).encode()
        head = (f'POST /{self.database}/rpc/ HTTP/1.1\r\n'
            'Host: 127.0.0.1\r\nContent-Type: application/json\r\n'
            f'Authorization: {client.authorization}\r\n'
            f'Content-Length: {len(body)}\r\n\r\n').encode()
        try:
            with socket.create_connection(
                    ('127.0.0.1', self.port), timeout=5) as sock:
                sock.sendall(head + body)
                wait = self.random.choice([0, 0, 0.005, 0.01, 0.03])
                if wait:
                    sock.settimeout(wait)
                    try:
                        if sock.recv(1):
                            self.outcomes['abandoned answered first'] += 1
                    except (socket.timeout, TimeoutError):
                        pass
        except OSError as error:
            self.count_error(error)

    def drain(self):
        """After the run: serve what the window still holds (as the server
        says), so that only what the faults lost stays undone"""
        for _ in range(6):
            try:
                self.read_back()
                if self.ticket is None:
                    return
                if self.state == 'called':
                    self.request('start', 'hall.ticket', 'start',
                        [self.ticket])
                self.request('finish', 'hall.ticket', 'finish', [self.ticket])
            except (RPCError, OSError, http.client.HTTPException) as error:
                self.count_error(error)
                time.sleep(0.2)

    def logout(self):
        if self.client is None:
            return
        try:
            self.client.call('common.db.logout')
        except (RPCError, OSError, http.client.HTTPException):
            pass
        self.client.connection.close()


def start_clerks(port, database, logins, password, windows, stop, **kwargs):
    "Log the clerks in (a few at a time: a login hashes the password)"
    clerks = [Clerk(port, database, login, password, window, stop,
            seed=i, **kwargs)
        for i, (login, window) in enumerate(zip(logins, windows))]
    for i in range(0, len(clerks), 8):
        for clerk in clerks[i:i + 8]:
            clerk.start()
        for clerk in clerks[i:i + 8]:
            clerk.ready.wait(120)
    failed = [c.failed for c in clerks if c.failed]
    if failed:
        stop.set()
        raise RuntimeError(f"login failed: {failed[0]}")
    return clerks


def wind_up(clerks, sampler):
    """Stop the sampler (if not yet), then serve what each clerk's window
    still holds and log the clerk out"""
    sampler.stop.set()
    sampler.join()
    for clerk in clerks:
        clerk.drain()
        clerk.logout()


def recovery(clerks, since):
    """Seconds from `since` until every clerk has had an answer to a
    request sent after it (None if one never had)"""
    worst = 0
    for clerk in clerks:
        after = [done for sent, done in list(clerk.successes)
            if sent >= since]
        if not after:
            return None
        worst = max(worst, min(after) - since)
    return round(worst, 2)


def errors_since(clerks):
    total = collections.Counter()
    for clerk in clerks:
        total.update(clerk.errors)
    return total


class Sampler(threading.Thread):
    """Look in the database every `period` for windows holding more than
    one called or serving ticket.  `query()` returns the rows (window,
    count); it may fail while the database is down (then it is retried)."""

    def __init__(self, connect, windows, period=0.25):
        super().__init__(daemon=True)
        self.connect = connect
        self.windows = list(windows)
        self.period = period
        self.stop = threading.Event()
        self.samples = 0
        self.failed_samples = 0
        self.samples_with_two = 0
        self.windows_with_two = set()

    def run(self):
        sql = ('SELECT "window", count(*) FROM hall_ticket '
            "WHERE state IN ('called', 'serving') AND \"window\" IN ("
            + ', '.join(str(int(w)) for w in self.windows) + ') '
            'GROUP BY "window" HAVING count(*) > 1')
        conn = None
        while not self.stop.wait(self.period):
            try:
                if conn is None:
                    conn = self.connect()
                rows = conn.execute(sql).fetchall()
                try:
                    conn.commit()
                except Exception:
                    pass
            except Exception:
                self.failed_samples += 1
                try:
                    conn is not None and conn.close()
                except Exception:
                    pass
                conn = None
                continue
            self.samples += 1
            if rows:
                self.samples_with_two += 1
                self.windows_with_two.update(r[0] for r in rows)
        if conn is not None:
            conn.close()

    def result(self):
        return {
            'samples': self.samples,
            'samples_failed': self.failed_samples,
            'samples_with_a_window_holding_two': self.samples_with_two,
            'windows_seen_holding_two': len(self.windows_with_two),
            }


def check_database(query, ids, windows, clerks):
    """What the database says of the tickets `ids` (the scenario's) served
    at `windows`; `query(sql)` returns the rows.  Duplicates: tickets
    called at two windows (call log or ticket history) or handed to two
    windows' clerks; lost: tickets called but neither done nor waiting at
    the end (after the clerks served what their windows held);
    windows_two_tickets: windows where two tickets were held at once (the
    call log's call times and the tickets' finish times overlap)."""
    id_list = ', '.join(str(int(i)) for i in ids) or 'NULL'
    window_list = ', '.join(str(int(w)) for w in windows) or 'NULL'
    states = dict(query(
            f'SELECT state, count(*) FROM hall_ticket WHERE id IN ({id_list})'
            ' GROUP BY state'))
    log_windows = {r[0] for r in query(
            'SELECT ticket FROM hall_ticket_call '
            f"WHERE ticket IN ({id_list}) AND kind IN ('call', 'out_of_order')"
            ' GROUP BY ticket HAVING count(DISTINCT "window") > 1')}
    log_twice = {r[0] for r in query(
            'SELECT ticket FROM hall_ticket_call '
            f"WHERE ticket IN ({id_list}) AND kind IN ('call', 'out_of_order')"
            ' GROUP BY ticket HAVING count(*) > 1')}
    history = {r[0] for r in query(
            f'SELECT id FROM hall_ticket__history WHERE id IN ({id_list}) '
            'AND "window" IS NOT NULL GROUP BY id '
            'HAVING count(DISTINCT "window") > 1')}
    by_window = collections.defaultdict(set)
    for clerk in clerks:
        for ticket in clerk.tickets:
            by_window[ticket].add(clerk.window)
    clients = {t for t, w in by_window.items() if len(w) > 1}
    two = query(
        'WITH h AS (SELECT c."window" AS w, c.ticket AS t, '
        'c.called_at AS s, COALESCE(k.finished_at, '
        "'9999-12-31') AS e FROM hall_ticket_call c "
        'JOIN hall_ticket k ON k.id = c.ticket '
        f"WHERE c.ticket IN ({id_list}) AND c.kind IN ('call', 'out_of_order')"
        f' AND c."window" IN ({window_list})) '
        'SELECT count(DISTINCT a.w), count(*) FROM h a JOIN h b '
        'ON a.w = b.w AND a.t < b.t AND a.s < b.e AND b.s < a.e')
    at_end = query(
        'SELECT count(*) FROM (SELECT "window" FROM hall_ticket '
        f"WHERE state IN ('called', 'serving') AND \"window\" IN "
        f'({window_list}) GROUP BY "window" HAVING count(*) > 1) x')
    called = query(
        'SELECT count(DISTINCT ticket) FROM hall_ticket_call '
        f"WHERE ticket IN ({id_list})")[0][0]
    lost = sum(n for s, n in states.items() if s not in ('waiting', 'done'))
    duplicates = log_windows | history | clients
    return {
        'called': called,
        'done': states.get('done', 0),
        'states': states,
        'duplicates': len(duplicates),
        'called_at_two_windows_call_log': len(log_windows),
        'called_at_two_windows_history': len(history),
        'handed_to_two_windows_clients': len(clients),
        'called_twice_call_log': len(log_twice),
        'lost': lost,
        'windows_two_tickets': two[0][0],
        'overlapping_holds': two[0][1],
        'windows_two_tickets_at_end': at_end[0][0],
        }
