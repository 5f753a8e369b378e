# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the browser tests share: headless Debian chromium through Debian
chromedriver (never a downloaded browser), sao 8.0's DOM, the Page helper
and the values of trytond's JSON-RPC.  The ``browser`` fixture is in
tests/conftest.py."""
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path('/usr/bin/chromium')
CHROMEDRIVER = Path('/usr/bin/chromedriver')
CHROME_FLAGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu',
    '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
    '--lang=zh-CN', '--window-size=1400,900',
    ]
TIMEOUT = 30
FIRST_LOAD_TIMEOUT = 3 * TIMEOUT

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian chromium and chromium-driver "
    "(apt-get install chromium chromium-driver fonts-wqy-zenhei)")

ADMIN_PASSWORD = 'Admin-2026!'   # written to TRYTONPASSFILE by conftest.py
HALL_NAME = '测试大厅'             # created by tests/browser_setup.py

# Console messages that are no error of the page: the browser's request of
# a favicon, sao's optional custom files
IGNORED_CONSOLE = ('favicon', 'custom.js', 'custom.css')

# sao 8.0 DOM (sao/dist/tryton-sao.js)
DATABASE_FIELDS = '.login-dialog select#database, .login-dialog input#database'
LOGIN_INPUT = '.login-dialog input#login'
LOGIN_SUBMIT = '.login-dialog button[type="submit"]'
PASSWORD_INPUT = '.ask-dialog input#ask-dialog-entry[type="password"]'
PASSWORD_OK = '.ask-dialog .modal-footer button.btn-primary'
ACTIVE_TAB = '#tabcontent > .tab-pane.active'


def menu_row_xpath(name, after=None):
    "XPath of the menu row showing `name` (below the row `after`)"
    # the name cell also holds the expander (&nbsp;): match its text widget
    cell = (".//div[contains(@class, 'column-char')"
        f" and normalize-space(.)='{name}']")
    if after is None:
        return f"//div[@id='menu']//tr[{cell}]"
    return (f"{menu_row_xpath(after)}/following-sibling::tr[{cell}][1]")


def chrome(profile, *flags):
    """A headless Debian chromium in zh-CN, on Beijing time, with the profile
    directory `profile`"""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # never let Selenium Manager fetch a browser or a driver
    os.environ['SE_OFFLINE'] = 'true'
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROME_FLAGS, *flags, f'--user-data-dir={profile}']:
        options.add_argument(flag)
    # --lang alone does not change navigator.language on Linux
    options.add_experimental_option(
        'prefs', {'intl.accept_languages': 'zh-CN,zh'})
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    # a hall's browsers are on Beijing time, whatever the machine's zone
    service = Service(str(CHROMEDRIVER),
        env={**os.environ, 'TZ': 'Asia/Shanghai'})
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver


def console_errors(driver, ignored=IGNORED_CONSOLE):
    "The errors of the browser's console since the last call"
    return [e['message'] for e in driver.get_log('browser')
        if e['level'] == 'SEVERE'
        and not any(i in e['message'] for i in ignored)]


def rpc_date(day):
    "A date as trytond's JSON-RPC encodes it"
    return {'__class__': 'date', 'year': day.year, 'month': day.month,
        'day': day.day}


def rpc_time(hour, minute, second=0):
    "A time as trytond's JSON-RPC encodes it"
    return {'__class__': 'time', 'hour': hour, 'minute': minute,
        'second': second, 'microsecond': 0}


class Page:
    "Waits, clicks and screenshots over WebDriverWait"

    def __init__(self, driver, screenshots):
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver = driver
        self.screenshots = screenshots
        self.wait = WebDriverWait(driver, TIMEOUT)

    def visible(self, selector, by=None):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        return self.wait.until(EC.visibility_of_element_located(
                (by or By.CSS_SELECTOR, selector)),
            f"not visible: {selector}")

    def text(self, selector):
        return self.visible(selector).text

    def clickable(self, selector, by=None):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        return self.wait.until(EC.element_to_be_clickable(
                (by or By.CSS_SELECTOR, selector)),
            f"not clickable: {selector}")

    def editable(self, selector):
        "The first displayed input of `selector` that accepts typing"
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By

        def check(driver):
            try:
                for element in driver.find_elements(By.CSS_SELECTOR, selector):
                    if (element.is_displayed() and element.is_enabled()
                            and not element.get_attribute('readonly')):
                        return element
            except StaleElementReferenceException:
                pass
            return False
        return self.wait.until(check, f"not editable: {selector}")

    def shot(self, name):
        path = self.screenshots / name
        self.driver.save_screenshot(str(path))
        return path

    def forget(self, *names):
        "Remove the screenshots and pages `names` of a previous run"
        for name in names:
            (self.screenshots / name).unlink(missing_ok=True)

    def log_in(self, database, login, password, shot=None):
        """Fill sao's login dialog, shown, with `database` (selected, typed
        or checked when read-only), `login` and `password`; take the
        screenshot `shot` before the login is sent"""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        from selenium.webdriver.support.ui import WebDriverWait

        # sao's first load and its list of the databases are the slowest
        # requests of a browser session on a busy machine
        first_load = WebDriverWait(self.driver, FIRST_LOAD_TIMEOUT)
        first_load.until(lambda d: any(
                e.is_displayed()
                for e in d.find_elements(By.CSS_SELECTOR, LOGIN_INPUT)),
            f"not visible: {LOGIN_INPUT}")
        # the database field is filled in once sao has listed the databases
        first_load.until(lambda d: any(
                e.is_displayed()
                for e in d.find_elements(By.CSS_SELECTOR, DATABASE_FIELDS)),
            "no database field")
        for field in self.driver.find_elements(
                By.CSS_SELECTOR, DATABASE_FIELDS):
            if not field.is_displayed():
                continue
            if field.tag_name == 'select':
                Select(field).select_by_value(database)
            elif field.get_attribute('readonly'):
                assert field.get_attribute('value') == database
            else:
                field.clear()
                field.send_keys(database)
        entry = self.visible(LOGIN_INPUT)
        entry.clear()
        entry.send_keys(login)
        if shot:
            self.shot(shot)
        self.clickable(LOGIN_SUBMIT).click()
        self.visible(PASSWORD_INPUT).send_keys(password)
        self.clickable(PASSWORD_OK).click()

    @contextmanager
    def reporting(self, name):
        """On failure keep a screenshot (`name`.png), the page (.html) and
        the browser console's errors (-console.log), and tell the errors"""
        try:
            yield
        except Exception as exception:
            self.driver.save_screenshot(str(self.screenshots / f'{name}.png'))
            (self.screenshots / f'{name}.html').write_text(
                self.driver.page_source)
            errors = console_errors(self.driver)
            (self.screenshots / f'{name}-console.log').write_text(
                '\n'.join(errors))
            if errors:
                raise AssertionError(
                    f"{exception.__class__.__name__}: {exception}\n"
                    "browser console errors:\n" + '\n'.join(errors)
                    ) from exception
            raise
