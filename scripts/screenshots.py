#!/usr/bin/env python3
# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Take the screenshots of each role's main screen for docs/.

    scripts/run &                       # the demo, on http://127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py [--url URL] [--database hall]

Logs into the web client as each demo role (headless Debian chromium through
chromedriver), opens the role's main screen from its menu, as a user would,
and saves docs/screenshots/<login>.png at 1366x768, the smallest screen of
the hall's PCs.  Fails on a browser console error.
"""
import argparse
import base64
import json
import os
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD_PREFIX = 'Bjzw#2026!'     # scripts/demo.py
SIZE = (1366, 768)
# (login, menu entry opened, file, what the screenshot shows)
SCREENS = [
    ('manager', '政务大厅 / 窗口', "大厅管理员：窗口"),
    ('clerk01', '政务大厅 / 排队叫号 / 我的今日窗口', "窗口人员：我的今日窗口"),
    ('leader', '政务大厅 / 指标 / 领导驾驶舱', "领导：领导驾驶舱（登录即打开）"),
    ('jidi', '政务大厅 / 证照寄递 / 寄递单', "寄递专员：寄递单"),
    ('lvtong', '政务大厅 / 绿色通道 / 绿色通道项目', "绿色通道专员：项目"),
    ('daiban01', '政务大厅 / 帮办代办 / 代办项目', "代办员：代办项目"),
    ('haoping', '政务大厅 / 好差评与监督检查 / 整改单', "好差评管理员：整改单"),
    ('wzb', '网站与新媒体 / 整改台账', "网站与新媒体管理员：整改台账"),
    ('bianji1', '网站与新媒体 / 稿件', "网站编辑：稿件"),
    ('chushen', '网站与新媒体 / 待审稿件', "初审员：待审稿件"),
    ('huawu01', '12345热线 / 工单', "话务员：工单"),
    ('chengban01', '12345热线 / 本单位工单', "承办人员：本单位工单（到期在前）"),
    ('duban01', '12345热线 / 统计 / 热线指标', "热线督办员：热线指标"),
    ]
BUSY = '.tab-pane.active .fa-spin, .tab-pane.active .loading'


def rpc(url, database, method, params, session=None):
    headers = {'Content-Type': 'application/json'}
    if session:
        token = base64.b64encode(':'.join(map(str, session)).encode())
        headers['Authorization'] = 'Session ' + token.decode()
    request = urllib.request.Request(
        f'{url}{database}/rpc/', headers=headers, data=json.dumps(
            {'id': 1, 'method': method, 'params': params}).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.load(response)
    if data.get('error'):
        raise RuntimeError(f"{method}: {data['error']}")
    return data['result']


def menu_id(url, database, login, password, path):
    "The id of the menu entry named `path` as `login` sees it"
    user_id, key = rpc(url, database, 'common.db.login',
        [login, {'password': password}, 'zh_CN'])[:2]
    session = (login, user_id, key)
    context = rpc(url, database, 'model.res.user.get_preferences',
        [True, {}], session)
    menus = rpc(url, database, 'model.ir.ui.menu.search_read',
        [[], 0, None, None, ['complete_name'], context], session)
    for menu in menus:
        if menu['complete_name'] == path:
            return menu['id']
    raise SystemExit(f"{login} has no menu entry {path}")


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    os.environ['SE_OFFLINE'] = 'true'   # never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in ['--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-dev-shm-usage', '--lang=zh-CN', '--hide-scrollbars',
            '--window-size=%d,%d' % SIZE]:
        options.add_argument(flag)
    options.add_experimental_option(
        'prefs', {'intl.accept_languages': 'zh-CN,zh'})
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(
        service=Service('/usr/bin/chromedriver'), options=options)


def login(driver, wait, url, database, user, password):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    driver.get(url)
    field = wait.until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, '.login-dialog input#database')))
    if not field.get_attribute('readonly'):
        field.clear()
        field.send_keys(database)
    field = driver.find_element(By.CSS_SELECTOR, '.login-dialog input#login')
    field.clear()
    field.send_keys(user)
    driver.find_element(
        By.CSS_SELECTOR, '.login-dialog button[type="submit"]').click()
    wait.until(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, '.ask-dialog input[type="password"]'))
        ).send_keys(password)
    driver.find_element(
        By.CSS_SELECTOR, '.ask-dialog .modal-footer button.btn-primary'
        ).click()
    wait.until(lambda d: d.find_elements(By.XPATH, "//div[@id='menu']//tr"))


def open_menu(driver, wait, id_):
    "Open the menu entry as a click on it does (sao's tree_open keyword)"
    from selenium.webdriver.common.by import By
    driver.execute_script(
        "Sao.Action.exec_keyword('tree_open', "
        "{model: 'ir.ui.menu', id: arguments[0]}, null, false);", id_)
    wait.until(lambda d: d.find_elements(
            By.CSS_SELECTOR, '#tabcontent > .tab-pane.active table thead'))
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, BUSY))
    time.sleep(1)   # the last rows and counters are drawn


def main(argv=None):
    from selenium.webdriver.support.ui import WebDriverWait
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url', default='http://127.0.0.1:8000/')
    parser.add_argument('--database', default='hall')
    parser.add_argument('--output', type=Path,
        default=ROOT / 'docs' / 'screenshots')
    args = parser.parse_args(argv)
    args.output = args.output.resolve()
    args.output.mkdir(parents=True, exist_ok=True)
    errors = []
    for user, path, title in SCREENS:
        password = PASSWORD_PREFIX + user
        id_ = menu_id(args.url, args.database, user, password, path)
        # a browser of its own: leaving sao's page logs errors of its own
        driver = browser()
        try:
            wait = WebDriverWait(driver, 30)
            login(driver, wait, args.url, args.database, user, password)
            open_menu(driver, wait, id_)
            target = args.output / f'{user}.png'
            driver.save_screenshot(str(target))
            print(f"{target}: {title}")
            errors += [f"{user} {path}: {e['message']}"
                for e in driver.get_log('browser')
                if e['level'] == 'SEVERE']
        finally:
            driver.quit()
    if errors:
        print('\n'.join(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
