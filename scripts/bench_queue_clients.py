# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The clients of the queue benchmark (scripts/bench_queue.py): the
statistics of their calls, the display board the windows watch, the
JSON-RPC client, the windows calling, starting and finishing tickets, and
the kiosks issuing them."""
import base64
import collections
import datetime as dt
import http.client
import json
import threading
import time

from bench_queue_db import BENCH_PASSWORD, say, warn

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
# A phase where no request is answered for this long is given up
STALL_SECONDS = 180


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


class Board(threading.Thread):
    """What the clerks see on the display board: the tickets waiting per
    queue today, read in SQL every `period` by the bench (so that watching
    costs the server nothing).  A window calls only when the board shows
    someone waiting in one of its queues that no other window is calling
    already (acquire … release), as a clerk does, instead of asking the
    server again and again.  `empty` is set once nobody waits and
    `ready()` (the kiosks are done)."""

    def __init__(self, database, queues, today, ready=lambda: True,
            period=0.05):
        super().__init__(daemon=True)
        self.database = database
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
            with self.database.connect(autocommit=True) as conn:
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


def login_clients(port, database, logins):
    "A client a login, each logged in with its own session"
    clients = [None] * len(logins)
    errors = []

    def login(i):
        try:
            client = Client(port, database)
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


def kiosk_client(port, database, path, requests, issued, done, barrier,
        stats):
    "Send the kiosk `requests`; append the tickets to `issued`"
    client = Client(port, database)
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


def check_throttle(port, database, path, queue, limit):
    """`limit` + 1 requests from one address: the last must be refused
    (429).  Return (ok, tickets issued)"""
    client = Client(port, database)
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
