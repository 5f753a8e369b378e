# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test of the queue's public pages (hall_queue routes).

The display board of the hall shows a ticket called at a window within 3
seconds, without reloading; the kiosk issues a ticket on a touch.  Headless
Debian chromium (conftest's ``browser`` fixture, tests/browser_tools.py's
Page).  Screenshots: var/screenshots/queue-display.png and
queue-kiosk.png.

Halls at real size: the board of a 40-window and of a 132-window hall on a
1920x1080 TV shows every window (in pages it turns) without leaving the
screen, the calls always in view (display-40.png, display-132.png); the
kiosk of the larger hall fits a portrait 1080x1920 touch screen with
check-in on its first screen (kiosk-1080x1920.png).  ?voice=1 speaks
without a click only where the browser allows it (the display PC's
--autoplay-policy=no-user-gesture-required), else the button stays.

The server and database are conftest's ``hall_server`` (hall_queue
activated).  The queue issues tickets all day every day and today is made a
working day in the calendar, so the test passes whatever day it runs.
"""
import datetime as dt
import json
import time
import urllib.request
import zoneinfo

import pytest
from browser_tools import (
    HALL_NAME, Page, chrome, console_errors, needs_chromium,
    rpc_date, rpc_time)

PREFIX = 'Q'
WINDOW_NUMBER = 'Q1'
OTHER_WINDOW_NUMBER = 'Q2'
SERVICE_NAME = '食品经营许可'
CALL_DEADLINE = 3.0   # seconds from the call to the board

pytestmark = needs_chromium


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
                'open_time': rpc_time(0, 0),
                'close_time': rpc_time(23, 59, 59),
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
            [('date', '=', rpc_date(self.today))], 0, None, None, {})
        if days:
            self.rpc('model.hall.calendar.day.write', days,
                {'kind': 'workday'}, {})
        else:
            self.create('hall.calendar.day', {
                    'date': rpc_date(self.today), 'kind': 'workday',
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
    return Hall(hall_server)


def test_display_board_and_kiosk(queue_hall, browser, screenshot_dir):
    from selenium.webdriver.common.by import By

    hall = queue_hall
    page = Page(browser, screenshot_dir)
    page.forget('queue-display.png', 'queue-kiosk.png', 'queue-failure.png',
        'queue-failure.html', 'queue-failure-console.log')
    with page.reporting('queue-failure'):
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
        # a queue's services open over the screen
        page.clickable(f'#queue-{PREFIX} .services-menu summary').click()
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

    tickets = hall.tickets()
    assert [(t['number'], t['state'], t['channel']) for t in tickets] == [
        (f'{PREFIX}001', 'called', 'kiosk'),
        (f'{PREFIX}002', 'called', 'kiosk'),
        (f'{PREFIX}003', 'waiting', 'kiosk'),
        ]
    assert tickets[2]['service'] == hall.service


# --- halls at real size ------------------------------------------------------

BIG_SERVICES = 55   # the demo's largest queue (综合收件出件)
QUEUE_NAMES = ['企业开办与经营', '工程建设项目审批', '社会事务', '咨询导办',
    '绿色通道', '综合收件出件', '不动产登记', '公安出入境', '税务综合',
    '社保医保', '公积金', '交通运输']
LETTERS = 'ABCDEFGHJKLM'
PAGE_SECONDS = 2


class BigHall:
    """A hall of `windows` open windows in `len(queues)` zones (A01…),
    a queue per zone called by its windows, some tickets called"""

    def __init__(self, base, name, windows, queues, services=0):
        self.base = base
        company, = base.rpc('model.hall.hall.read', [base.id],
            ['company'], {})
        self.id = base.create('hall.hall', {
                'name': name, 'company': company['company'],
                'weekend_service': True})
        zone_size = -(-windows // len(queues))
        self.numbers = [f'{LETTERS[i // zone_size]}{i % zone_size + 1:02d}'
            for i in range(windows)]
        window_ids = base.rpc('model.hall.window.create', [
                {'hall': self.id, 'number': n} for n in self.numbers], {})
        base.rpc('model.hall.window.open', window_ids, {})
        self.windows = dict(zip(self.numbers, window_ids))
        department = base.create('hall.department', {
                'name': f'{name}综合部门', 'code': f'BIG-{windows}'})
        service_ids = base.rpc('model.hall.service.create', [{
                    'code': f'BIG{windows}-{i:03d}',
                    'name': f'{SERVICE_NAME}（第 {i} 项）',
                    'department': department,
                    'legal_limit': 20, 'promised_limit': 5,
                    } for i in range(1, services + 1)], {})
        self.queues = {}
        for index, queue_name in enumerate(queues):
            letter = LETTERS[index]
            values = {
                'hall': self.id, 'prefix': letter, 'name': queue_name,
                'open_time': rpc_time(0, 0),
                'close_time': rpc_time(23, 59, 59),
                'weekend': True,
                'windows': [('create', [{'window': self.windows[n],
                                    'sequence': 1}
                            for n in self.numbers if n[0] == letter])],
                }
            if letter == 'F' and service_ids:
                values['services'] = [('add', service_ids)]
            self.queues[letter] = base.create('hall.queue', values)
        self.url = f'{base.server.url}{base.server.database}/hall/{self.id}/'

    def call(self, letter, count):
        "Issue `count` tickets of queue `letter`, call them at its windows"
        numbers = [n for n in self.numbers if n[0] == letter][:count]
        for number in numbers:
            kiosk_issue(self.url, self.queues[letter])
            self.base.call_next(self.windows[number])


def viewport(browser, width, height):
    "Size the window so that the page gets width x height pixels"
    browser.set_window_size(width, height)
    inner_width, inner_height = browser.execute_script(
        "return [innerWidth, innerHeight];")
    browser.set_window_size(
        2 * width - inner_width, 2 * height - inner_height)
    assert browser.execute_script("return [innerWidth, innerHeight];") == [
        width, height]


# What the board shows now: the windows' numbers, the page, and what lies
# outside the screen or its panel
BOARD_STATE = """
const inside = (node, box) => {
  const r = node.getBoundingClientRect();
  return r.width > 0 && r.left >= box.left - 1 && r.top >= box.top - 1 &&
    r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
};
const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
const windows = document.getElementById('windows');
const box = windows.getBoundingClientRect();
const tiles = Array.from(windows.children);
const queues = document.getElementById('queues');
const queueBox = queues.getBoundingClientRect();
const calls = [document.getElementById('calls-title'),
  document.getElementById('latest'),
  ...document.querySelectorAll('#calls li')];
return {
  windows: tiles.map(li => li.dataset.window),
  outside: tiles.filter(li => !inside(li, box) || !inside(li, screen))
    .map(li => li.dataset.window),
  calls_outside: calls.filter(n => !inside(n, screen)).length,
  queues_outside: Array.from(queues.children)
    .filter(li => !inside(li, queueBox) || !inside(li, screen))
    .map(li => li.dataset.prefix),
  latest: document.getElementById('latest').textContent,
  page: document.getElementById('windows-page').hidden ? '' :
    document.getElementById('windows-page').textContent,
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
  screen: [innerWidth, innerHeight],
};
"""


@pytest.fixture(scope='module')
def big_halls(queue_hall):
    "The 40-window hall (6 queues) and the 132-window hall (12 queues)"
    halls = {
        40: BigHall(queue_hall, '四十窗口大厅', 40, QUEUE_NAMES[:6]),
        132: BigHall(queue_hall, '一百三十二窗口大厅', 132, QUEUE_NAMES,
            services=BIG_SERVICES),
        }
    for hall in halls.values():
        hall.call('A', 3)
        hall.call('C', 2)
    return halls


@pytest.mark.parametrize('size', [40, 132])
def test_display_board_real_size(big_halls, browser, screenshot_dir, size):
    """Every window of the hall is shown on a 1920x1080 TV, in pages when
    they do not fit, nothing leaves the screen and the calls stay in view"""
    from selenium.webdriver.common.by import By

    hall = big_halls[size]
    page = Page(browser, screenshot_dir)
    name = f'display-{size}.png'
    page.forget(name)
    viewport(browser, 1920, 1080)
    browser.get(hall.url + f'display?interval={PAGE_SECONDS}')
    page.wait.until(
        lambda d: d.find_element(By.ID, 'connection').text == '● 实时',
        "the board did not load its data")
    first = browser.execute_script(BOARD_STATE)
    page.shot(name)
    # the last ticket called (C, the second window of zone C) is first
    assert first['latest'] == '请 C002 号到 C02 号窗口办理', first
    shown, pages, states = set(), set(), []
    deadline = time.monotonic() + 4 * PAGE_SECONDS * (size // 40 + 1)
    while time.monotonic() < deadline:
        state = browser.execute_script(BOARD_STATE)
        states.append(state)
        shown.update(state['windows'])
        pages.add(state['page'])
        if shown == set(hall.numbers):
            break
        time.sleep(PAGE_SECONDS / 4)
    assert shown == set(hall.numbers), sorted(set(hall.numbers) - shown)
    for state in states:
        assert state['outside'] == [], state
        assert state['calls_outside'] == 0, state
        assert state['queues_outside'] == [], state
        assert state['width'] <= 1920 and state['height'] <= 1080, state
        assert state['screen'] == [1920, 1080]
    if size == 40:
        # 40 windows fit one screen: no pages
        assert pages == {''}, pages
    else:
        assert len(pages) > 1 and all(
            p.startswith('第 ') and p.endswith(' 页') for p in pages), pages
    assert console_errors(browser) == []


# Chromium refuses speech before the user's first click (autoplay policy):
# speak() fires an error 'not-allowed'.  Headless Chromium driven by
# chromedriver does so only now and then, so the refusal is played by this
# stand-in, put before the page's script; the display PC's Chromium, with
# --autoplay-policy=no-user-gesture-required, always lets the page speak.
REFUSE_SPEECH_BEFORE_CLICK = """
const speak = speechSynthesis.speak.bind(speechSynthesis);
speechSynthesis.speak = utterance => {
  if (navigator.userActivation.hasBeenActive) {
    return speak(utterance);
  }
  setTimeout(() => utterance.dispatchEvent(new SpeechSynthesisErrorEvent(
    'error', {utterance: utterance, error: 'not-allowed'})));
};
"""


def voice_state(driver):
    "The voice button's state and text, and whether the hint shows"
    from selenium.webdriver.common.by import By
    Page(driver, None).wait.until(
        lambda d: d.find_element(By.ID, 'connection').text == '● 实时')
    # the refusal comes as an event after speak()
    time.sleep(0.5)
    voice = driver.find_element(By.ID, 'voice')
    return (voice.get_attribute('aria-pressed'), voice.text,
        driver.find_element(By.ID, 'voice-hint').is_displayed())


def test_display_voice_refused(big_halls, browser):
    """?voice=1 where the browser refuses to speak before a click: the
    board says how to allow it and the button switches the voice on"""
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument',
        {'source': REFUSE_SPEECH_BEFORE_CLICK})
    # without ?voice=1 the board does not try
    browser.get(big_halls[40].url + 'display')
    assert voice_state(browser) == ('false', '开启语音播报', False)

    browser.get(big_halls[40].url + 'display?voice=1')
    assert voice_state(browser) == ('false', '开启语音播报', True)
    hint = browser.find_element(By.ID, 'voice-hint').text
    assert '开启语音播报' in hint
    assert 'autoplay-policy=no-user-gesture-required' in hint
    browser.find_element(By.ID, 'voice').click()
    assert voice_state(browser) == ('true', '关闭语音播报', False)
    assert console_errors(browser) == []


def test_display_voice_on_display_pc(big_halls, tmp_path):
    """?voice=1 on the display PC's Chromium (started with
    --autoplay-policy=no-user-gesture-required): the voice is on without a
    click"""
    display_pc = chrome(tmp_path, '--autoplay-policy=no-user-gesture-required')
    try:
        display_pc.get(big_halls[40].url + 'display?voice=1')
        assert voice_state(display_pc) == ('true', '关闭语音播报', False)
    finally:
        display_pc.quit()


def test_kiosk_portrait(big_halls, browser, screenshot_dir):
    """The kiosk of a 12-queue hall fits a portrait 1080x1920 touch screen
    without scrolling, check-in on its first screen; a queue of 55 services
    opens them over the screen, each in reach"""
    from selenium.webdriver.common.by import By

    hall = big_halls[132]
    page = Page(browser, screenshot_dir)
    name = 'kiosk-1080x1920.png'
    page.forget(name)
    viewport(browser, 1080, 1920)
    browser.get(hall.url + 'kiosk')
    page.visible('#check-in-form')
    in_view = """
    const r = arguments[0].getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 &&
      r.bottom <= innerHeight && r.right <= innerWidth;"""
    height = browser.execute_script(
        "return document.documentElement.scrollHeight;")
    page.shot(name)
    assert height <= 1920, f"the kiosk is {height} px tall"
    # check-in: one touch on the first screen
    for selector in ['#check-in-form legend', '#code',
            '#check-in-form button.primary']:
        element = browser.find_element(By.CSS_SELECTOR, selector)
        assert browser.execute_script(in_view, element), selector
    assert browser.find_element(
        By.CSS_SELECTOR, '#check-in-form legend').text == '预约签到'
    cards = browser.find_elements(By.CSS_SELECTOR, '.queue')
    assert len(cards) == len(QUEUE_NAMES)
    for card in cards:
        take = card.find_element(By.CSS_SELECTOR, 'button.take')
        assert browser.execute_script(in_view, take), card.text

    page.clickable('#queue-F .services-menu summary').click()
    services = browser.find_elements(
        By.CSS_SELECTOR, '#queue-F button.service')
    assert len(services) == BIG_SERVICES
    for service in services:
        assert browser.execute_script(in_view, service), service.text
    assert browser.execute_script(
        "return document.documentElement.scrollHeight;") <= 1920
    services[-1].click()
    slip = page.visible('#slip')
    assert slip.find_element(By.ID, 'slip-number').text.startswith('F')
    assert console_errors(browser) == []
