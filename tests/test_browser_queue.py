# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test of the queue's public pages (hall_queue routes).

The display board of the hall shows a ticket called at a window within 3
seconds, without reloading; the kiosk issues a ticket on a touch.  Headless
Debian chromium as tests/test_browser.py (its ``browser`` fixture and Page
helper).  Screenshots: var/screenshots/queue-display.png and
queue-kiosk.png.

The server and database are conftest's ``hall_server``; hall_queue is
activated on it here, through RPC as the administrator, unless it already
is.  The queue issues tickets all day every day and today is made a
working day in the calendar, so the test passes whatever day it runs.
"""
import datetime as dt
import json
import time
import urllib.request
import zoneinfo

import pytest
from test_browser import (  # noqa: F401 (browser is a fixture)
    CHROMEDRIVER, CHROMIUM, Page, browser)

ADMIN_PASSWORD = 'Admin-2026!'   # as tests/conftest.py and browser_setup.py
HALL_NAME = '测试大厅'             # created by tests/browser_setup.py
PREFIX = 'Q'
WINDOW_NUMBER = 'Q1'
OTHER_WINDOW_NUMBER = 'Q2'
SERVICE_NAME = '食品经营许可'
CALL_DEADLINE = 3.0   # seconds from the call to the board

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian chromium and chromium-driver "
    "(apt-get install chromium chromium-driver fonts-wqy-zenhei)")


def time_(hour, minute, second=0):
    "A time as trytond's JSON-RPC encodes it"
    return {'__class__': 'time', 'hour': hour, 'minute': minute,
        'second': second, 'microsecond': 0}


def date_(day):
    return {'__class__': 'date', 'year': day.year, 'month': day.month,
        'day': day.day}


def activate_hall_queue(server):
    "Activate hall_queue on the server's database if it is not yet"
    admin = server.rpc_login('admin', ADMIN_PASSWORD)
    module, = server.rpc('model.ir.module.search_read',
        [('name', '=', 'hall_queue')], 0, None, None, ['state'], {},
        session=admin)
    if module['state'] == 'activated':
        return
    server.rpc('model.ir.module.activate', [module['id']], {}, session=admin)
    wizard, _, _ = server.rpc(
        'wizard.ir.module.activate_upgrade.create', {}, session=admin)
    server.rpc('wizard.ir.module.activate_upgrade.execute',
        wizard, {}, 'upgrade', {}, session=admin)
    server.rpc('wizard.ir.module.activate_upgrade.delete', wizard, {},
        session=admin)


def kiosk_issue(hall_url, queue):
    "Take a ticket of `queue` through the kiosk's JSON API"
    request = urllib.request.Request(
        hall_url + 'kiosk',
        data=json.dumps({'queue': queue}).encode(),
        headers={'Content-Type': 'application/json',
            'Accept': 'application/json'},
        method='POST')
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 201
        return json.load(response)


class Hall:
    "The hall of the test, set up through RPC as the hall manager"

    def __init__(self, server):
        self.server = server
        self.session = server.rpc_login()
        hall, = self.rpc('model.hall.hall.search_read',
            [('name', '=', HALL_NAME)], 0, 1, None,
            ['company.timezone'], {})
        self.id = hall['id']
        timezone = (hall.get('company.') or {}).get('timezone') or 'UTC'
        self.today = dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
        self.working_today()
        self.window = self.create('hall.window', {
                'hall': self.id, 'number': WINDOW_NUMBER})
        self.other_window = self.create('hall.window', {
                'hall': self.id, 'number': OTHER_WINDOW_NUMBER})
        self.rpc('model.hall.window.open',
            [self.window, self.other_window], {})
        department = self.create('hall.department', {
                'name': '市场监督管理局', 'code': 'SCJG-Q'})
        self.service = self.create('hall.service', {
                'code': 'SC-Q01', 'name': SERVICE_NAME,
                'department': department,
                'legal_limit': 20, 'promised_limit': 5})
        self.queue = self.create('hall.queue', {
                'hall': self.id, 'prefix': PREFIX, 'name': '综合受理',
                'open_time': time_(0, 0), 'close_time': time_(23, 59, 59),
                'weekend': True,
                'services': [('add', [self.service])],
                'windows': [('create', [
                                {'window': self.window, 'sequence': 1},
                                {'window': self.other_window,
                                    'sequence': 1},
                                ])],
                })
        self.url = f'{server.url}{server.database}/hall/{self.id}/'
        # The tests of this database take tickets from one address faster
        # than a citizen does, whatever ran before (hall_queue's route tests
        # test the throttle)
        self.rpc('model.hall.configuration.write', [1],
            {'kiosk_requests_per_minute': 100000}, {})

    def rpc(self, method, *params):
        return self.server.rpc(method, *params, session=self.session)

    def create(self, model, values):
        record, = self.rpc(f'model.{model}.create', [values], {})
        return record

    def working_today(self):
        "Make today a working day (it may be a holiday or a weekend)"
        days = self.rpc('model.hall.calendar.day.search',
            [('date', '=', date_(self.today))], 0, None, None, {})
        if days:
            self.rpc('model.hall.calendar.day.write', days,
                {'kind': 'workday'}, {})
        else:
            self.create('hall.calendar.day', {
                    'date': date_(self.today), 'kind': 'workday',
                    'name': '浏览器测试'})
        self.rpc('model.hall.hall.write', [self.id],
            {'weekend_service': True}, {})

    def kiosk_issue(self):
        return kiosk_issue(self.url, self.queue)

    def call_next(self, window):
        return self.rpc('model.hall.window.call_next_ticket', window, {})

    def tickets(self):
        return self.rpc('model.hall.ticket.search_read',
            [('queue', '=', self.queue)], 0, None, [('number', 'ASC')],
            ['number', 'state', 'channel', 'service'], {})


@pytest.fixture(scope='module')
def queue_hall(hall_server):
    activate_hall_queue(hall_server)
    return Hall(hall_server)


def console_errors(driver):
    return [e['message'] for e in driver.get_log('browser')
        if e['level'] == 'SEVERE' and 'favicon' not in e['message']]


def test_display_board_and_kiosk(queue_hall, browser, screenshot_dir):
    from selenium.webdriver.common.by import By

    hall = queue_hall
    page = Page(browser, screenshot_dir)
    names = ['queue-display.png', 'queue-kiosk.png', 'queue-failure.png',
        'queue-failure.html']
    for name in names:
        (screenshot_dir / name).unlink(missing_ok=True)
    try:
        # --- display board -----------------------------------------------
        browser.set_window_size(1920, 1080)   # a TV screen
        browser.get(hall.url + 'display')
        page.wait.until(
            lambda d: d.find_element(By.ID, 'connection').text == '● 实时',
            "the board did not load its data")
        assert browser.find_element(By.ID, 'hall').text == HALL_NAME
        page.clickable('#voice').click()
        assert page.visible('#voice').get_attribute('aria-pressed') == 'true'
        # a call before: it goes down the list when the next one comes
        hall.kiosk_issue()
        before = hall.call_next(hall.other_window)['number']
        page.wait.until(
            lambda d: before in d.find_element(By.ID, 'latest').text,
            "the first call did not show")
        browser.execute_script("window.queueTestMarker = 'not reloaded';")

        issued = hall.kiosk_issue()
        called = hall.call_next(hall.window)
        called_at = time.monotonic()
        assert called['number'] == issued['number'] == f'{PREFIX}002'

        def shown(driver):
            latest = driver.find_element(By.ID, 'latest')
            return called['number'] in latest.text and latest
        latest = page.wait.until(shown, "the call did not show")
        elapsed = time.monotonic() - called_at
        assert elapsed <= CALL_DEADLINE, f"shown after {elapsed:.1f} s"
        assert latest.text == (
            f"请 {called['number']} 号到 {WINDOW_NUMBER} 号窗口办理")
        assert 'flash' in latest.get_attribute('class')
        assert browser.execute_script(
            "return window.queueTestMarker;") == 'not reloaded'
        window = browser.find_element(
            By.CSS_SELECTOR, f'#windows li[data-window="{WINDOW_NUMBER}"]')
        assert called['number'] in window.text
        assert before in browser.find_element(By.ID, 'calls').text
        page.shot('queue-display.png')
        assert console_errors(browser) == []

        # --- kiosk -----------------------------------------------------------
        browser.get(hall.url + 'kiosk')
        page.clickable(
            f"//button[@name='service' and normalize-space(.)="
            f"'{SERVICE_NAME}']", By.XPATH).click()
        slip = page.visible('#slip')
        number = slip.find_element(By.ID, 'slip-number').text
        assert number == f'{PREFIX}003', number
        assert slip.find_element(By.ID, 'slip-ahead').text == '0'
        # the QR code of the status page, when qrcode is installed
        assert slip.find_element(By.ID, 'slip-qr').is_displayed() == bool(
            issued['qr'])
        page.shot('queue-kiosk.png')
        assert console_errors(browser) == []

        # --- the holder's page, from the link of the slip --------------------
        link = slip.find_element(By.ID, 'slip-link').get_attribute('href')
        browser.get(link)
        assert page.visible('#number').text == number
        assert page.visible('#headline').text == '下一位就是您，请留意叫号'
        assert console_errors(browser) == []
    except Exception:
        page.shot('queue-failure.png')
        (screenshot_dir / 'queue-failure.html').write_text(
            browser.page_source)
        raise

    tickets = hall.tickets()
    assert [(t['number'], t['state'], t['channel']) for t in tickets] == [
        (f'{PREFIX}001', 'called', 'kiosk'),
        (f'{PREFIX}002', 'called', 'kiosk'),
        (f'{PREFIX}003', 'waiting', 'kiosk'),
        ]
    assert tickets[2]['service'] == hall.service
