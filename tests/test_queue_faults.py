# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Calls that overlap, through the real server, on SQLite and PostgreSQL.

Clerks call the tickets of one queue from several windows at once over
JSON-RPC, and a clerk presses 叫下一号 again while the first call is still
on its way (a lost answer, a double click).  Whatever the backend (the
embedded SQLite default included, which has no row locks), a ticket is
called at one window only, a window never holds two tickets, and a
repeated call-next returns the ticket the window holds.

The server is conftest's ``hall_server`` with hall_queue activated (as
tests/test_browser_queue.py does); this test adds its own queue and
windows.
"""
import datetime as dt
import threading
import zoneinfo
from collections import Counter

import pytest
from trytond.modules.hall_queue.tests.tools import in_parallel

from browser_tools import HALL_NAME, rpc_date, rpc_time
from test_browser_queue import kiosk_issue

PREFIX = 'F'
WINDOWS = 5
TICKETS = 40


class FaultHall:
    "A queue of the test hall served by WINDOWS windows"

    def __init__(self, server):
        self.server = server
        self.session = server.rpc_login()
        hall, = self.rpc('model.hall.hall.search_read',
            [('name', '=', HALL_NAME)], 0, 1, None, ['id'], {})
        self.id = hall['id']
        self.windows = [self.create('hall.window', {
                    'hall': self.id, 'number': f'{PREFIX}{i}'})
            for i in range(1, WINDOWS + 1)]
        self.rpc('model.hall.window.open', self.windows, {})
        self.queue = self.create('hall.queue', {
                'hall': self.id, 'prefix': PREFIX, 'name': '并发测试',
                'open_time': rpc_time(0, 0),
                'close_time': rpc_time(23, 59, 59),
                'weekend': True,
                'windows': [('create', [
                                {'window': w, 'sequence': 1}
                                for w in self.windows])],
                })
        self.url = f'{server.url}{server.database}/hall/{self.id}/'

    def rpc(self, method, *params):
        return self.server.rpc(method, *params, session=self.session)

    def working_today(self):
        "Make today a working day of the calendar, whatever day it is"
        hall, = self.rpc('model.hall.hall.read', [self.id],
            ['company.timezone'], {})
        timezone = (hall.get('company.') or {}).get('timezone') or 'UTC'
        today = dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
        days = self.rpc('model.hall.calendar.day.search',
            [('date', '=', rpc_date(today))], 0, None, None, {})
        if days:
            self.rpc('model.hall.calendar.day.write', days,
                {'kind': 'workday'}, {})
        else:
            self.create('hall.calendar.day', {
                    'date': rpc_date(today), 'kind': 'workday',
                    'name': '并发测试'})
        self.rpc('model.hall.hall.write', [self.id],
            {'weekend_service': True}, {})

    def create(self, model, values):
        record, = self.rpc(f'model.{model}.create', [values], {})
        return record

    def issue(self, count):
        "Take `count` tickets at the kiosk (throttle lifted meanwhile)"
        config, = self.rpc('model.hall.configuration.read', [1],
            ['kiosk_requests_per_minute'], {})
        self.rpc('model.hall.configuration.write', [1],
            {'kiosk_requests_per_minute': 100000}, {})
        try:
            for _ in range(count):
                kiosk_issue(self.url, self.queue)
        finally:
            self.rpc('model.hall.configuration.write', [1],
                {'kiosk_requests_per_minute':
                    config['kiosk_requests_per_minute']}, {})

    def tickets(self):
        return self.rpc('model.hall.ticket.search_read',
            [('queue', '=', self.queue)], 0, None, [('number', 'ASC')],
            ['number', 'state', 'window'], {})

    def calls(self):
        return self.rpc('model.hall.ticket.call.search_read',
            [('ticket.queue', '=', self.queue)], 0, None, None,
            ['ticket', 'window', 'kind'], {})

    def held(self):
        "Window id → the tickets it holds (called or serving)"
        held = {}
        for ticket in self.tickets():
            if ticket['state'] in {'called', 'serving'}:
                held.setdefault(ticket['window'], []).append(
                    ticket['number'])
        return held

    def finish_all(self):
        "Leave every window free for the next test"
        for ticket in self.tickets():
            if ticket['state'] == 'called':
                self.rpc('model.hall.ticket.start', [ticket['id']], {})
                ticket['state'] = 'serving'
            if ticket['state'] == 'serving':
                self.rpc('model.hall.ticket.finish', [ticket['id']], {})


@pytest.fixture(scope='module')
def fault_hall(hall_server):
    hall = FaultHall(hall_server)
    hall.working_today()
    return hall


def test_windows_calling_one_queue_at_once(fault_hall):
    """Five clerks call, start and finish the tickets of one queue as fast
    as they can: each ticket is called once, at one window."""
    hall = fault_hall
    hall.issue(TICKETS)
    served = Counter()
    holding_two = []

    def clerk(window):
        session = hall.server.rpc_login()
        rpc = lambda *a: hall.server.rpc(*a, session=session)  # noqa: E731
        numbers = []
        while True:
            called = rpc('model.hall.window.call_next_ticket', window, {})
            if called is None:
                return numbers
            assert not called['held'], called
            rpc('model.hall.ticket.start', [called['id']], {})
            rpc('model.hall.ticket.finish', [called['id']], {})
            numbers.append(called['number'])
            served[called['number']] += 1

    def watch(_):
        "Meanwhile, no window ever holds two tickets"
        while len(served) < TICKETS and not stop.is_set():
            two = {w: t for w, t in hall.held().items() if len(t) > 1}
            if two:
                holding_two.append(two)

    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(None,))
    watcher.start()
    try:
        results, errors = in_parallel(clerk, hall.windows)
    finally:
        stop.set()
        watcher.join(60)

    assert errors == []
    assert holding_two == []
    numbers = [n for ns in results.values() for n in ns]
    assert len(numbers) == TICKETS
    assert len(set(numbers)) == TICKETS, Counter(numbers).most_common(3)
    tickets = hall.tickets()
    assert {t['state'] for t in tickets} == {'done'}
    calls = Counter(c['ticket'] for c in hall.calls())
    assert set(calls.values()) == {1}, "a ticket was called twice"
    assert len(calls) == TICKETS


def test_call_next_pressed_again(fault_hall):
    """The same window calls twice at once, then once more: one citizen is
    called, and every answer names that citizen's ticket."""
    hall = fault_hall
    hall.finish_all()
    hall.issue(3)
    window = hall.windows[0]
    session = hall.server.rpc_login()

    def call(_):
        return hall.server.rpc(
            'model.hall.window.call_next_ticket', window, {},
            session=session)

    results, errors = in_parallel(call, [1, 2])
    assert errors == []
    numbers = {r['number'] for r in results.values()}
    assert len(numbers) == 1, results
    assert sorted(r['held'] for r in results.values()) in (
        [False, True], [False, False]), results
    again = call(None)
    assert again['held'] and again['number'] in numbers
    assert list(hall.held().get(window, [])) == list(numbers)
    waiting = [t for t in hall.tickets() if t['state'] == 'waiting']
    assert len(waiting) == 2

    # 开始办理 and 办结 pressed twice at once change the ticket once
    ticket = again['id']
    for button in ['start', 'finish']:
        results, errors = in_parallel(
            lambda _: hall.server.rpc(f'model.hall.ticket.{button}',
                [ticket], {}, session=session), [1, 2])
        assert len(results) + len(errors) == 2
        assert results, errors
        for _, error in errors:   # a press refused once it was done
            assert 'UserError' in str(error), error
    done, = [t for t in hall.tickets() if t['id'] == ticket]
    assert done['state'] == 'done'
    calls = [c for c in hall.calls() if c['ticket'] == ticket]
    assert len(calls) == 1
