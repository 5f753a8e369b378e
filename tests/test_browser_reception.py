# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test of reception at the window, clicks counted.

A window clerk logged into sao opens the console (我的今日窗口, then the
form of the window) and, from 叫下一号 to a received application (办件),
serves a citizen the hall knows (found from the ID number typed at the
kiosk) and a citizen it does not know (created in the receive wizard, with
the ID number and mobile of the ticket).  Each run takes at most MAX_CLICKS
clicks and MAX_TYPED typed fields; the counts are printed (pytest -s shows
them).  A typed field counts once (the wizard puts the cursor in the field
to type); opening the console comes before 叫下一号 and is not counted.

The database is tests/conftest.py's ``hall_server`` (shared with the other
browser tests, hall_queue activated); the window R1, its queue, clerk, roster
and the known citizen are entered over JSON-RPC as the administrator, the
tickets are taken at the kiosk's JSON API.  Headless Debian chromium
(tests/browser_tools.py); screenshots go to var/screenshots/reception-*.png.
"""
import datetime as dt
import json
import urllib.request
import zoneinfo

import pytest
from browser_tools import (
    ACTIVE_TAB, ADMIN_PASSWORD, HALL_NAME, Page, console_errors,
    menu_row_xpath, needs_chromium, rpc_date, rpc_time)
from test_browser_queue import Hall as QueueHall

WINDOW_NUMBER = 'R1'
PREFIX = 'R'
CLERK_LOGIN = 'reception_clerk'
CLERK_PASSWORD = 'Clerk-2026!'
KNOWN = ('张建明', '11010519491231002X')
NEW = ('陈晓', '33010619850615002X', '13912345678')
CONSOLE_MENU = ['政务大厅', '排队叫号', '我的今日窗口']
MAX_CLICKS = 6
MAX_TYPED = 3

FORM_BUTTON = ACTIVE_TAB + ' .form button[name="{}"]'
DIALOG = ('//div[contains(@class, "modal") and contains(@class, "in")'
    ' and .//div[contains(@class, "modal-footer")]]')
DIALOG_BUTTON = (DIALOG + '//div[contains(@class, "modal-footer")]'
    '//button[normalize-space(.)="{}"]')
DIALOG_FIELD = '.modal.in .form [name="{}"]'

pytestmark = needs_chromium


@pytest.fixture(scope='module')
def reception_server(hall_server):
    """conftest's shared server, as the administrator (who enters the
    data)"""
    return type(hall_server)(hall_server.url, hall_server.database, 'admin',
        ADMIN_PASSWORD, hall_server.log)


class Hall(QueueHall):
    """The hall of the test: window R1 calling queue R, rostered today to
    the clerk, and a citizen the hall knows"""

    def __init__(self, server):
        self.server = server
        self.session = server.rpc_login()
        hall, = self.rpc('model.hall.hall.search_read',
            [('name', '=', HALL_NAME)], 0, 1, None,
            ['company', 'company.timezone'], {})
        self.id = hall['id']
        company = hall['company']
        timezone = (hall.get('company.') or {}).get('timezone') or 'UTC'
        self.today = dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
        self.working_today()
        department = self.create('hall.department', {
                'name': '市场监督管理局', 'code': 'SCJG-R'})
        self.service = self.create('hall.service', {
                'code': 'SC-R01', 'name': '食品经营许可',
                'department': department,
                'legal_limit': 20, 'promised_limit': 5})
        self.window = self.create('hall.window', {
                'hall': self.id, 'number': WINDOW_NUMBER,
                'services': [('add', [self.service])]})
        self.rpc('model.hall.window.open', [self.window], {})
        self.queue = self.create('hall.queue', {
                'hall': self.id, 'prefix': PREFIX, 'name': '综合受理',
                'open_time': rpc_time(0, 0),
                'close_time': rpc_time(23, 59, 59),
                'weekend': True,
                'services': [('add', [self.service])],
                'windows': [('create', [
                                {'window': self.window, 'sequence': 1}])],
                })
        self.rpc('model.hall.configuration.write', [1],
            {'kiosk_requests_per_minute': 100000}, {})
        self.citizen = self.create('party.party', {
                'name': KNOWN[0],
                'identifiers': [('create', [
                                {'type': 'cn_ric', 'code': KNOWN[1]}])],
                })
        employee = self.create('company.employee', {
                'company': company,
                'party': self.create('party.party', {'name': '李强'}),
                })
        # hall.role_window_clerk, by its name as hall.xml gives it
        role, = self.rpc('model.res.role.search',
            [('name', '=', 'Window Clerk')], 0, 1, None, {'language': 'en'})
        lang, = self.rpc('model.ir.lang.search',
            [('code', '=', 'zh_CN')], 0, 1, None, {})
        self.create('res.user', {
                'login': CLERK_LOGIN, 'name': '李强',
                'password': CLERK_PASSWORD, 'language': lang,
                'company': company, 'companies': [('add', [company])],
                'employees': [('add', [employee])], 'employee': employee,
                'roles': [('create', [{'role': role}])],
                })
        self.create('hall.roster.shift', {
                'date': rpc_date(self.today), 'period': 'full_day',
                'hall': self.id, 'window': self.window,
                'employee': employee})
        self.url = f'{server.url}{server.database}/hall/{self.id}/'

    def kiosk_issue(self, **values):
        "A ticket taken at the kiosk with the ID number (and mobile) typed"
        request = urllib.request.Request(
            self.url + 'kiosk',
            data=json.dumps({'queue': self.queue, **values}).encode(),
            headers={'Content-Type': 'application/json',
                'Accept': 'application/json'},
            method='POST')
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 201
            number = json.load(response)['number']
        ticket, = self.rpc('model.hall.ticket.search',
            [('queue', '=', self.queue), ('number', '=', number),
                ('date', '=', rpc_date(self.today))], 0, 1, None, {})
        return ticket

    def applications(self, ticket):
        return self.rpc('model.hall.application.search_read',
            [('ticket', '=', ticket)], 0, None, None,
            ['state', 'applicant', 'service'], {})

    def ticket_state(self, ticket):
        ticket, = self.rpc('model.hall.ticket.read', [ticket], ['state'], {})
        return ticket['state']

    def parties(self, identifier):
        return self.rpc('model.party.party.search_read',
            [('identifiers.code', '=', identifier)], 0, None, None,
            ['name', 'identifiers'], {})


@pytest.fixture(scope='module')
def hall(reception_server):
    return Hall(reception_server)


class Clerk:
    "The clerk's hands in sao: each click and each typed field is counted"

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.typed = 0

    def click(self, selector, by=None):
        from selenium.common.exceptions import StaleElementReferenceException
        # one click, if sao draws the button again while it is found
        for attempt in range(3):
            try:
                self.page.clickable(selector, by).click()
                break
            except StaleElementReferenceException:
                if attempt == 2:
                    raise
        self.clicks += 1

    def type_here(self, text):
        "Type in the field that has the cursor"
        self.page.driver.switch_to.active_element.send_keys(text)
        self.typed += 1

    def start_counting(self):
        self.clicks = self.typed = 0


def open_console(page):
    """The menu entry 我的今日窗口, then the form of the clerk's window, in a
    new tab"""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    previous = None
    for name in CONSOLE_MENU:
        page.clickable(menu_row_xpath(name, after=previous), By.XPATH).click()
        previous = name
    # the list of the clerk's windows today: their window's row opens its
    # form, where the clerk works
    ActionChains(page.driver).double_click(page.clickable(
            "//div[@id='tabcontent']/div[contains(@class, 'active')]"
            f"//tr[.//div[normalize-space(.)='{WINDOW_NUMBER}']]",
            By.XPATH)).perform()
    page.clickable(FORM_BUTTON.format('call_next'))


def finish_at_console(page):
    """Back from the application's tab to the console's (the first tab),
    where the clerk finishes the ticket (办结, outcome 已办理 proposed)"""
    from selenium.webdriver.common.by import By
    page.clickable('#tablist li:first-child a').click()
    page.clickable(FORM_BUTTON.format('finish_ticket')).click()
    page.clickable(DIALOG_BUTTON.format('办结'), By.XPATH).click()
    # 叫下一号 is read-only while the form shows a ticket in service
    page.clickable(FORM_BUTTON.format('call_next'))


def receive(clerk, hall, ticket, new_applicant=None):
    """From 叫下一号 to the received application of `ticket`, typing the
    name of `new_applicant` in the wizard's form if given"""
    from selenium.webdriver.common.by import By

    page = clerk.page
    clerk.start_counting()
    # each click is done (on the server) before the next one
    clerk.click(FORM_BUTTON.format('call_next'))
    page.wait.until(lambda d: hall.ticket_state(ticket) == 'called',
        f"ticket {ticket} was not called")
    clerk.click(FORM_BUTTON.format('start_ticket'))
    page.wait.until(lambda d: hall.ticket_state(ticket) == 'serving',
        f"ticket {ticket} was not started")
    clerk.click(FORM_BUTTON.format('receive_application'))
    if new_applicant:
        # the form puts the cursor in 姓名, once its values are shown
        name = page.editable(DIALOG_FIELD.format('citizen_name'))
        page.wait.until(
            lambda d: d.switch_to.active_element == name
            and d.find_element(By.CSS_SELECTOR,
                DIALOG_FIELD.format('id_number')).get_attribute('value'),
            "the cursor is not in 姓名")
        clerk.type_here(new_applicant)
        page.shot('reception-new-form.png')
        clerk.click(DIALOG_BUTTON.format('创建并收件'), By.XPATH)
    else:
        page.visible(DIALOG_FIELD.format('applicant'))
        page.shot('reception-known-form.png')
        clerk.click(DIALOG_BUTTON.format('收件'), By.XPATH)
    page.wait.until(lambda d: hall.applications(ticket),
        f"no application received for ticket {ticket}")
    page.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR,
            '.modal.in'), "the wizard did not close")
    # the wizard ends on the application, in the tab of the applications
    # (the console is the first tab)
    page.wait.until(lambda d: d.find_elements(
            By.CSS_SELECTOR, '#tablist li.active:not(:first-child)'),
        "the application did not open")
    application, = hall.applications(ticket)
    return application


def test_reception_clicks(reception_server, hall, browser, screenshot_dir):
    page = Page(browser, screenshot_dir)
    page.forget('reception-known-form.png', 'reception-known.png',
        'reception-new-form.png', 'reception-new.png',
        'reception-failure.png', 'reception-failure.html',
        'reception-failure-console.log')
    clerk = Clerk(page)
    counts = {}
    try:
        with page.reporting('reception-failure'):
            browser.get(reception_server.url)
            page.log_in(reception_server.database, CLERK_LOGIN,
                CLERK_PASSWORD)

            # --- a citizen the hall knows, from the ID number of the kiosk
            known = hall.kiosk_issue(id_number=KNOWN[1])
            open_console(page)
            application = receive(clerk, hall, known)
            assert application['state'] == 'received', application
            assert application['applicant'] == hall.citizen, application
            assert application['service'] == hall.service, application
            counts['known citizen'] = (clerk.clicks, clerk.typed)
            page.shot('reception-known.png')
            finish_at_console(page)
            assert hall.ticket_state(known) == 'done'

            # --- a citizen the hall does not know, created in the wizard ---
            new = hall.kiosk_issue(id_number=NEW[1], mobile=NEW[2])
            application = receive(clerk, hall, new, new_applicant=NEW[0])
            assert application['state'] == 'received', application
            counts['new citizen'] = (clerk.clicks, clerk.typed)
            page.shot('reception-new.png')
            party, = hall.parties(NEW[1])
            assert party['name'] == NEW[0]
            assert application['applicant'] == party['id']
            assert console_errors(browser) == []
    finally:
        for what, (clicks, typed) in counts.items():
            print(f"reception, {what}: {clicks} clicks, {typed} typed "
                f"fields from 叫下一号 to the received application")

    for what, (clicks, typed) in counts.items():
        assert clicks <= MAX_CLICKS, (what, clicks)
        assert typed <= MAX_TYPED, (what, typed)
    # the known citizen is found: nothing to type
    assert counts['known citizen'][1] == 0, counts
