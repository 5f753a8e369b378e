# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test: the hall manager logs into sao and creates a window.

Runs headless Debian chromium through Debian chromedriver (never a
downloaded browser).  Screenshots go to var/screenshots/.
"""
import os
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

# Menu path to the list of windows and the record to create
MENU_PATH = ['政务大厅', '窗口']          # hall.menu_hall > hall.menu_window_form
HALL_NAME = '测试大厅'                    # created by tests/browser_setup.py
WINDOW_NUMBER = 'Z99'

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian chromium and chromium-driver "
    "(apt-get install chromium chromium-driver fonts-wqy-zenhei)")

# sao 8.0 DOM (sao/dist/tryton-sao.js)
LOGIN_DIALOG = '.login-dialog'
DATABASE_FIELDS = '.login-dialog select#database, .login-dialog input#database'
LOGIN_INPUT = '.login-dialog input#login'
LOGIN_SUBMIT = '.login-dialog button[type="submit"]'
PASSWORD_INPUT = '.ask-dialog input#ask-dialog-entry[type="password"]'
PASSWORD_OK = '.ask-dialog .modal-footer button.btn-primary'
SEARCH_DIALOG_ROWS = "//div[contains(@class, 'modal') and contains(@class, 'in')]//tr"
SEARCH_DIALOG_OK = '.modal.in .modal-footer button.btn-primary'
ACTIVE_TAB = '#tabcontent > .tab-pane.active'
BUTTON_NEW = ACTIVE_TAB + ' button#new_'
BUTTON_SAVE = ACTIVE_TAB + ' button#save'
INFOBAR_INFO = ACTIVE_TAB + ' .infobar .alert-info'
FORM_FIELD = ACTIVE_TAB + ' .form [name="{}"]'


def menu_row_xpath(name, after=None):
    "XPath of the menu row showing `name` (below the row `after`)"
    # the name cell also holds the expander (&nbsp;): match its text widget
    cell = (".//div[contains(@class, 'column-char')"
        f" and normalize-space(.)='{name}']")
    if after is None:
        return f"//div[@id='menu']//tr[{cell}]"
    return (f"{menu_row_xpath(after)}/following-sibling::tr[{cell}][1]")


@pytest.fixture
def browser(chrome_profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # never let Selenium Manager fetch a browser or a driver
    os.environ['SE_OFFLINE'] = 'true'
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f'--user-data-dir={chrome_profile}')
    # --lang alone does not change navigator.language on Linux
    options.add_experimental_option(
        'prefs', {'intl.accept_languages': 'zh-CN,zh'})
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(
        service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    "Small helpers over WebDriverWait"

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


def test_manager_creates_window(hall_server, browser, screenshot_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    page = Page(browser, screenshot_dir)
    for name in ['login.png', 'menu.png', 'window_saved.png', 'failure.png',
            'failure.html', 'failure-console.log']:
        (screenshot_dir / name).unlink(missing_ok=True)
    try:
        # --- login -------------------------------------------------------
        browser.get(hall_server.url)
        page.visible(LOGIN_INPUT)
        # the database field is filled in once sao has listed the databases
        page.wait.until(lambda d: any(
                e.is_displayed()
                for e in d.find_elements(By.CSS_SELECTOR, DATABASE_FIELDS)),
            "no database field")
        for field in browser.find_elements(By.CSS_SELECTOR, DATABASE_FIELDS):
            if not field.is_displayed():
                continue
            if field.tag_name == 'select':
                Select(field).select_by_value(hall_server.database)
            elif field.get_attribute('readonly'):
                assert field.get_attribute('value') == hall_server.database
            else:
                field.clear()
                field.send_keys(hall_server.database)
        login = page.visible(LOGIN_INPUT)
        login.clear()
        login.send_keys(hall_server.login)
        page.shot('login.png')
        page.clickable(LOGIN_SUBMIT).click()

        password = page.visible(PASSWORD_INPUT)
        password.send_keys(hall_server.password)
        page.clickable(PASSWORD_OK).click()

        # --- menu ----------------------------------------------------------
        page.clickable(menu_row_xpath(MENU_PATH[0]), By.XPATH)
        page.shot('menu.png')
        previous = None
        for name in MENU_PATH:
            # a click on a row expands it and opens its action, if any
            page.clickable(
                menu_row_xpath(name, after=previous), By.XPATH).click()
            previous = name

        # --- new window -----------------------------------------------------
        page.clickable(BUTTON_NEW).click()
        # the form is read-only until the defaults of the new record arrive
        hall = page.editable(FORM_FIELD.format('hall'))
        hall.send_keys(HALL_NAME)
        # leaving the field opens the search dialog, filtered on the text
        hall.send_keys(Keys.TAB)
        page.clickable(
            f"{SEARCH_DIALOG_ROWS}[.//div[contains(@class, 'column-char')"
            f" and normalize-space(.)='{HALL_NAME}']]", By.XPATH).click()
        page.clickable(SEARCH_DIALOG_OK).click()
        page.wait.until(
            lambda d: d.find_element(
                By.CSS_SELECTOR, FORM_FIELD.format('hall'))
            .get_attribute('value') == HALL_NAME
            and not d.find_elements(By.CSS_SELECTOR, '.modal.in'),
            "the hall was not selected")
        number = page.editable(FORM_FIELD.format('number'))
        number.send_keys(WINDOW_NUMBER)
        page.clickable(BUTTON_SAVE).click()

        # --- saved ----------------------------------------------------------
        info = page.visible(INFOBAR_INFO)
        assert ('记录保存成功.' in info.text
            or 'Record saved.' in info.text), info.text
        page.shot('window_saved.png')
    except Exception as exception:
        page.shot('failure.png')
        (screenshot_dir / 'failure.html').write_text(browser.page_source)
        errors = [e['message'] for e in browser.get_log('browser')
            if e['level'] == 'SEVERE'
            and 'custom.js' not in e['message']
            and 'custom.css' not in e['message']]
        (screenshot_dir / 'failure-console.log').write_text('\n'.join(errors))
        if errors:
            raise AssertionError(
                f"{exception.__class__.__name__}: {exception}\n"
                "browser console errors:\n" + '\n'.join(errors)
                ) from exception
        raise

    # the record really is in the database
    session = hall_server.rpc_login()
    windows = hall_server.rpc(
        'model.hall.window.search_read',
        [('number', '=', WINDOW_NUMBER)], 0, None, None,
        ['number', 'hall.rec_name', 'kind'], {}, session=session)
    assert len(windows) == 1, windows
    assert windows[0]['hall.']['rec_name'] == HALL_NAME
    assert windows[0]['kind'] == 'comprehensive'
