# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser test: the hall manager logs into sao and creates a window.

Runs headless Debian chromium through Debian chromedriver (never a
downloaded browser).  Screenshots go to var/screenshots/.
"""
from browser_tools import (
    ACTIVE_TAB, HALL_NAME, Page, menu_row_xpath, needs_chromium)

# Menu path to the list of windows and the record to create
MENU_PATH = ['政务大厅', '窗口']          # hall.menu_hall > hall.menu_window_form
WINDOW_NUMBER = 'Z99'

pytestmark = needs_chromium

SEARCH_DIALOG_ROWS = ("//div[contains(@class, 'modal')"
    " and contains(@class, 'in')]//tr")
SEARCH_DIALOG_OK = '.modal.in .modal-footer button.btn-primary'
BUTTON_NEW = ACTIVE_TAB + ' button#new_'
BUTTON_SAVE = ACTIVE_TAB + ' button#save'
INFOBAR_INFO = ACTIVE_TAB + ' .infobar .alert-info'
FORM_FIELD = ACTIVE_TAB + ' .form [name="{}"]'


def test_manager_creates_window(hall_server, browser, screenshot_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = Page(browser, screenshot_dir)
    page.forget('login.png', 'menu.png', 'window_saved.png', 'failure.png',
        'failure.html', 'failure-console.log')
    with page.reporting('failure'):
        # --- login -------------------------------------------------------
        browser.get(hall_server.url)
        page.log_in(hall_server.database, hall_server.login,
            hall_server.password, shot='login.png')

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

    # the record really is in the database
    session = hall_server.rpc_login()
    windows = hall_server.rpc(
        'model.hall.window.search_read',
        [('number', '=', WINDOW_NUMBER)], 0, None, None,
        ['number', 'hall.rec_name', 'kind'], {}, session=session)
    assert len(windows) == 1, windows
    assert windows[0]['hall.']['rec_name'] == HALL_NAME
    assert windows[0]['kind'] == 'comprehensive'
