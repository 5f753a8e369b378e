# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Browser smoke test: every screen of every demo role opens in sao.

One database with every module and the demo data of scripts/demo.py (built
once by tests/conftest.py's serve_database) is served to headless Debian
chromium.  For each demo role, in one browser session, the test opens each
menu entry the role sees (found over JSON-RPC as that user): a list with
each of its tabs (the action's domains), the form of its first record and
each report the role may print of it, or a wizard's first step; then it
closes the tab.  A menu entry fails, named by role, menu path and step, on
an error written to the browser console (SEVERE), an error, warning or
confirmation dialog (a tab that asks to save a record nobody changed), a
screen still busy after BUSY_TIMEOUT seconds, a menu entry that opens
nothing (a wizard the role may not run) or a tab that does not close.  The
role's test goes on with its next entry and lists all its failures.

On the same database, test_every_report_prints prints every report of the
modules as each role over plain JSON-RPC, and test_reports_in_pdf converts
each to PDF with LibreOffice where it is installed (see their docstrings).

Menus are opened the way sao's own menu opens them
(Sao.Action.exec_keyword('tree_open', ...) on the ir.ui.menu record), tabs
of a list by clicking them, forms by sao's Screen.switch_view.
"""
import base64
import html
import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from browser_tools import (
    LOGIN_INPUT, TIMEOUT, Page, console_errors, needs_chromium)

BUSY_TIMEOUT = 10
# sao leaves the page idle between chained requests for a few milliseconds
# (jQuery runs the callbacks of a request in a timeout): the screen counts as
# ready once idle for this many polls in a row
IDLE_POLLS = 2
IDLE_POLL_MS = 20
# The demo roles (README's role table)
ROLES = ['manager', 'clerk01', 'lvtong', 'daiban01', 'jidi', 'haoping',
    'wzb', 'bianji1', 'chushen', 'fushen', 'zhongshen', 'huawu01',
    'paidan01', 'chengban01', 'duban01', 'leader']
# On PostgreSQL the widest roles only: the views, the menus and the
# documents are the same on both databases (the walk and the prints of every
# role run on SQLite, and the conversion of the documents to PDF); what
# depends on the database is the SQL behind the lists and the documents,
# which the manager's and the leader's (every list, figure and document of
# the hall) run on the demo data
POSTGRESQL = os.environ.get('TRYTOND_DATABASE__URI', '').startswith(
    'postgresql')
WALKED = ['manager', 'leader'] if POSTGRESQL else ROLES
ROOT = Path(__file__).resolve().parent.parent
# Console messages of files the deployment may add to sao
IGNORED_CONSOLE = ['custom.js', 'custom.css']

pytestmark = [
    needs_chromium,
    # Building the demo and walking every role takes about 4 minutes a
    # backend (in one xdist worker, beside the other tests)
    pytest.mark.skipif(
        os.environ.get('BROWSER_SMOKE') == '0',
        reason="BROWSER_SMOKE=0 skips the smoke test of every screen"),
    ]

# Installed once per page: records the wizards sao starts (to end them after
# their first step) and tells whether the page waits for the server
SMOKE_JS = '''
if (!window.smoke) {
    const wizards = [];
    const run = Sao.Wizard.prototype.run;
    Sao.Wizard.prototype.run = function() {
        wizards.push(this);
        return run.apply(this, arguments);
    };
    window.smoke = {
        wizards: wizards,
        busy: function() {
            return (jQuery.active > 0)
                || jQuery('#processing').is(':visible');
        },
        dialogs: function() {
            return jQuery('.modal').filter(function() {
                const modal = jQuery(this).data('bs.modal');
                return modal && modal.isShown;
            }).map(function() {
                return {
                    'class': this.className,
                    'text': jQuery(this).find('.modal-content').text()
                        .replace(/\\s+/g, ' ').trim()};
            }).get();
        },
        tab: function() {
            // the new tab is shown by bootstrap a moment after it is added
            return Sao.Tab.tabs.get_current()
                || Sao.Tab.tabs[Sao.Tab.tabs.length - 1];
        },
    };
}
'''


# Calls back [ready, dialogs] once the page has not waited for the server
# for `polls` polls in a row, or [false, dialogs] after `timeout` ms
WAIT_IDLE_JS = '''
const [timeout, polls, interval, done] = arguments;
const deadline = Date.now() + timeout;
let idle = 0;
(function poll() {
    idle = smoke.busy() ? 0 : idle + 1;
    if (idle >= polls) {
        done([true, smoke.dialogs()]);
    } else if (Date.now() > deadline) {
        done([false, smoke.dialogs()]);
    } else {
        setTimeout(poll, interval);
    }
})();
'''


# Calls back true once fewer than `tabs` tabs are open, false when a dialog
# shows or after `timeout` ms
WAIT_CLOSED_JS = '''
const [tabs, timeout, interval, done] = arguments;
const deadline = Date.now() + timeout;
(function poll() {
    if (Sao.Tab.tabs.length < tabs) {
        done(true);
    } else if (smoke.dialogs().length || Date.now() > deadline) {
        done(false);
    } else {
        setTimeout(poll, interval);
    }
})();
'''


# Calls back true once the last wizard shows its step, false once it ended,
# null after `timeout` ms
WAIT_WIZARD_JS = '''
const [timeout, interval, done] = arguments;
const deadline = Date.now() + timeout;
const wizard = smoke.wizards[smoke.wizards.length - 1];
(function poll() {
    if (wizard.end_state !== null && wizard.state == wizard.end_state) {
        done(false);
    } else if (wizard.screen && wizard.screen.current_record
            && !smoke.busy()) {
        done(true);
    } else if (Date.now() > deadline) {
        done(null);
    } else {
        setTimeout(poll, interval);
    }
})();
'''


# One step of the recovery after a failure: answer the dialogs without
# saving anything (No, Close, OK or Cancel), else end the wizards, else close
# a tab; returns what it did
RECOVER_JS = '''
const answers = ['No', 'Close', 'OK', 'Cancel'].map(
    text => Sao.i18n.gettext(text));
const dialogs = jQuery('.modal').filter(function() {
    const modal = jQuery(this).data('bs.modal');
    return modal && modal.isShown;
}).get().reverse();
for (const dialog of dialogs) {
    const buttons = jQuery(dialog).find('.modal-footer button');
    for (const answer of answers) {
        const button = buttons.filter(
            (i, b) => jQuery(b).text().trim() == answer);
        if (button.length) {
            button.first().click();
            break;
        }
    }
}
if (dialogs.length) {
    return 'dialog';
}
const wizards = smoke.wizards.filter(w => w.state != w.end_state);
for (const wizard of wizards) {
    wizard.state = wizard.end_state;
    wizard.end();
}
if (wizards.length) {
    return 'wizard';
}
if (Sao.Tab.tabs.length) {
    Sao.Tab.tabs[Sao.Tab.tabs.length - 1].close();
    return 'tab';
}
return '';
'''


class ScreenError(AssertionError):
    pass


class Walker:
    "One role's browser session over the screens of its menu"

    def __init__(self, driver, login):
        self.driver = driver
        driver.set_script_timeout(BUSY_TIMEOUT + TIMEOUT)
        self.login = login
        self.where = []

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def fail(self, what):
        raise ScreenError(
            f"role {self.login}: {' > '.join(self.where)}: {what}")

    def console_errors(self):
        return console_errors(self.driver, IGNORED_CONSOLE)

    def check(self, expect_wizard=False):
        """Wait until the page no longer waits for the server, then fail on
        a console error or an unexpected dialog"""
        ready, dialogs = self.driver.execute_async_script(
            WAIT_IDLE_JS, BUSY_TIMEOUT * 1000, IDLE_POLLS, IDLE_POLL_MS)
        errors = self.console_errors()
        if not ready:
            self.fail(f"still busy after {BUSY_TIMEOUT}s"
                + (": console: " + ' | '.join(errors) if errors else ''))
        if errors:
            self.fail("browser console error: " + ' | '.join(errors))
        for dialog in dialogs:
            if expect_wizard and 'wizard-dialog' in dialog['class']:
                continue
            self.fail(f"{dialog['class'].split()[0]}: {dialog['text']}")

    # --- log in ------------------------------------------------------------
    def log_in(self, url=None, database=None, password=None):
        "Log in (again, after a reload, when sao did not keep the session)"
        from selenium.webdriver.common.by import By

        self.where = ['login']
        url, database, password = self.credentials = (
            (url, database, password) if url else self.credentials)
        page = Page(self.driver, None)
        if not self.driver.current_url.startswith(url):
            self.driver.get(url)
        page.wait.until(lambda d: d.execute_script(
                "return Boolean(window.Sao && Sao.main_menu_screen"
                " && Sao.main_menu_screen.group"
                " && Sao.main_menu_screen.group.length)")
            or d.find_elements(By.CSS_SELECTOR, LOGIN_INPUT),
            "neither the menu nor the login dialog showed")
        if not self.driver.find_elements(By.CSS_SELECTOR, LOGIN_INPUT):
            self.js(SMOKE_JS)
            self.check()
            self.close_home_tabs()
            return
        page.log_in(database, self.login, password)
        page.wait.until(lambda d: d.execute_script(
                "return Boolean(Sao.main_menu_screen"
                " && Sao.main_menu_screen.group"
                " && Sao.main_menu_screen.group.length)"),
            f"the menu of {self.login} did not show")
        self.js(SMOKE_JS)
        self.check()
        self.close_home_tabs()

    def close_home_tabs(self):
        """Close the tabs of the actions run at login (a leader's
        dashboard), once they showed without an error: each menu entry
        then opens a tab of its own"""
        while self.js('return Sao.Tab.tabs.length'):
            self.js('smoke.current = smoke.tab()')
            self.close_tab()
        self.js('smoke.current = null')

    # --- menu entries ------------------------------------------------------
    def open_menu(self, menu):
        self.where = [menu['complete_name']]
        kind = menu['action'].split(',')[0]
        tabs = self.js('return Sao.Tab.tabs.length')
        wizards = self.js('return smoke.wizards.length')
        self.js("Sao.Action.exec_keyword('tree_open', "
            "{'model': 'ir.ui.menu', 'id': arguments[0]}, null, false)",
            menu['id'])
        self.check(expect_wizard=True)
        if kind == 'ir.action.act_window':
            if self.js('return Sao.Tab.tabs.length') <= tabs:
                self.fail("no tab opened")
            self.walk_tab()
        elif kind == 'ir.action.wizard':
            if self.js('return smoke.wizards.length') <= wizards:
                self.fail("the wizard did not start (not in the groups of "
                    "its action?)")
            self.end_wizard()
            # a wizard may end by opening a tab
            while self.js('return Sao.Tab.tabs.length') > tabs:
                self.close_tab()

    def recover(self):
        """Close the dialogs, wizards and tabs a failure left, to go on; load
        sao again when that does not leave it idle with no tab"""
        for _ in range(6):
            tabs = self.js('return Sao.Tab.tabs.length')
            done = self.js(RECOVER_JS)
            if done == 'tab':
                # closing may ask first: answered at the next turn
                self.driver.execute_async_script(WAIT_CLOSED_JS,
                    tabs, 2000, IDLE_POLL_MS)
            ready, _ = self.driver.execute_async_script(
                WAIT_IDLE_JS, 2000, IDLE_POLLS, IDLE_POLL_MS)
            if not done:
                break
        if not ready or done:
            self.driver.refresh()
            # sao's synchronous save of the menu state on unload fails
            self.driver.get_log('browser')
            try:
                self.log_in()
            except ScreenError:     # a late answer of the failed screen
                self.js(RECOVER_JS)
        self.driver.get_log('browser')

    def end_wizard(self):
        self.where.append("first step")
        # a wizard whose first state is a view waits on the user: its dialog
        # may show after a pause between its requests
        shown = self.driver.execute_async_script(
            WAIT_WIZARD_JS, BUSY_TIMEOUT * 1000, IDLE_POLL_MS)
        if shown is None:
            self.check(expect_wizard=True)
            self.fail(f"neither shown nor ended within {BUSY_TIMEOUT}s")
        if shown:
            self.js('''
                const wizard = smoke.wizards[smoke.wizards.length - 1];
                wizard.end();''')
        # an ended wizard may still open the tab of its action
        self.check(expect_wizard=False)
        self.where.pop()

    def walk_tab(self):
        # the tab of the menu entry, whichever tab is shown
        model = self.js('''
            smoke.current = smoke.tab();
            const tab = smoke.current;
            return tab.screen ? tab.screen.model_name : null;''')
        if model is None:   # a board
            self.close_tab()
            return
        # the tabs of the action's domains (a list opened on one record or
        # as a form has none)
        domains = self.js('''
            const container = smoke.current.screen.screen_container;
            return container.tab ? container.tab_domain.map(d => d[0]) : [];
            ''')
        form_done = False
        for index, name in enumerate(domains or [None]):
            if name is not None:
                self.where.append(f"tab {name}")
                if index:
                    self.js('''smoke.current.screen.screen_container.tab
                        .find('li > a').eq(arguments[0]).click();''', index)
                    self.check()
            if not form_done:
                form_done = self.open_first_record(
                    back=index < len(domains) - 1)
            if name is not None:
                self.where.pop()
        self.close_tab()

    def open_first_record(self, back):
        "Open the form of the first record of the list, print its reports"
        view, count = self.js('''
            const screen = smoke.current.screen;
            return [screen.current_view.view_type, screen.group.length];''')
        if not count:
            return False
        if view != 'form':
            self.where.append("form of the first record")
            self.js('''
                const screen = smoke.current.screen;
                screen.current_record = screen.group[0];
                screen.switch_view('form');''')
            self.check()
        else:
            self.where.append("form")
        self.print_reports()
        if back and view != 'form':
            self.js("smoke.current.screen.switch_view('tree')")
            self.check()
        self.where.pop()
        return True

    def print_reports(self):
        "Run each report of the record's print menu as sao's print button"
        reports = self.js('''
            const screen = smoke.current.screen;
            const toolbar = screen.model.execute(
                'view_toolbar_get', [], screen.context, false);
            return (toolbar.print || []).map(
                a => [a.id, a.report_name, a.name]);''')
        for action_id, report_name, name in reports:
            self.where.append(f"report {name}")
            self.js('''
                const screen = smoke.current.screen;
                const id = screen.current_record.id;
                window.smoke.report = null;
                Sao.rpc({
                    'method': 'report.' + arguments[1] + '.execute',
                    'params': [[id], {
                        'model': screen.model_name, 'id': id, 'ids': [id],
                        'action_id': arguments[0]}, screen.context],
                }, Sao.Session.current_session, true, false).then(
                function(result) {
                    window.smoke.report = [result[0], Boolean(result[1])];
                }, function(error) {
                    // the error, answered below instead of in a dialog
                    window.smoke.report = ['error', error];
                });''', action_id, report_name)
            self.check()
            result = self.js('return window.smoke.report')
            if result and result[0] == 'error':
                error = result[1] or ['', '']
                # a clean refusal (the record's state does not allow the
                # document) is an answer; any other error is a failure
                if error[0] != 'UserError' or not re.search(
                        '[\u4e00-\u9fff]', str(error[1])):
                    self.fail(f"error: {error}")
            elif not result or not result[1]:
                self.fail(f"no document: {result}")
            self.where.pop()

    def close_tab(self):
        "Close the current tab as its close button does"
        self.where.append("close")
        tabs = self.js('return Sao.Tab.tabs.length')
        self.js("(smoke.current || smoke.tab()).close()")
        # a tab asks before closing when its record was changed
        closed = self.driver.execute_async_script(
            WAIT_CLOSED_JS, tabs, BUSY_TIMEOUT * 1000, IDLE_POLL_MS)
        if closed:
            errors = self.console_errors()
            if errors:
                self.fail("browser console error: " + ' | '.join(errors))
        else:
            self.check()
            self.fail(f"the tab did not close within {BUSY_TIMEOUT}s")
        self.where.pop()


def menu_entries(server, login, password):
    "The ir.ui.menu records with an action that `login` sees, in menu order"
    session = server.rpc_login(login, password)
    context = server.rpc('model.res.user.get_preferences', True, {},
        session=session)
    menus = server.rpc('model.ir.ui.menu.search_read', [], 0, None, None,
        ['complete_name', 'action'], context, session=session)
    return sorted((m for m in menus if m['action']),
        key=lambda m: m['complete_name'])


@pytest.mark.parametrize('login', WALKED)
def test_every_screen_opens(demo_server, browser, login):
    password = demo_server.demo_password(login)
    entries = menu_entries(demo_server, login, password)
    assert entries, f"role {login} has no menu entry"
    walker = Walker(browser, login)
    start = time.monotonic()
    walker.log_in(demo_server.url, demo_server.database, password)
    failures = []
    for menu in entries:
        try:
            walker.open_menu(menu)
        except ScreenError as failure:
            failures.append(str(failure))
            walker.recover()
    print(f"\n{login}: {len(entries)} menu entries in "
        f"{time.monotonic() - start:.1f}s")
    assert not failures, (f"{len(failures)} of the {len(entries)} menu "
        f"entries of {login} failed:\n" + '\n'.join(failures))


# What a printed document must never show (tests/test_browser_screens.py's
# report test): a date in ISO form instead of the official Chinese one, an
# address a citizen's phone cannot open, a citizen's number in full to a
# role that reads it masked on screen
ISO_DATE = re.compile(r'(?<!\d)20\d\d-\d\d-\d\d(?!\d)')
LOOPBACK = re.compile(r'127\.0\.0\.1|localhost')
FULL_MOBILE = re.compile(r'(?<!\d)1[3-9]\d{9}(?!\d)')
# a resident identity number: area, birth date, sequence, check digit (an
# enterprise's unified social credit code is public and does not match)
FULL_ID_NUMBER = re.compile(r'(?<![\dA-Z])\d{6}(?:19|20)\d\d'
    r'(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX](?![\dA-Z])')
CHINESE = re.compile(r'[\u4e00-\u9fff]')
# Records of a report tried as each role until one prints (a record's
# state may not allow it)
REPORT_TRIES = 30


def document_xml(content):
    "The content.xml of an OpenDocument answered over JSON-RPC"
    data = base64.b64decode(content['base64'])
    with zipfile.ZipFile(io.BytesIO(data)) as document:
        return document.read('content.xml').decode('utf-8')


def xml_text(xml):
    return ' '.join(html.unescape(re.sub(r'<[^>]+>', ' ', xml)).split())


def document_text(content):
    "The text of an OpenDocument answered over JSON-RPC"
    return xml_text(document_xml(content))


def document_flaws(text, masked):
    "What `text` shows that it must not"
    flaws = [f"{what}: {match.group(0)}" for pattern, what in [
            (ISO_DATE, "a date not in the Chinese form"),
            (LOOPBACK, "an address a citizen cannot open"),
            ] for match in [pattern.search(text)] if match]
    if masked:
        flaws += [f"{what} in full: {match.group(0)}"
            for pattern, what in [
                (FULL_MOBILE, "a mobile"),
                (FULL_ID_NUMBER, "an identity number"),
                ] for match in [pattern.search(text)] if match]
    return flaws


@pytest.mark.parametrize('login', WALKED)
def test_every_report_prints(demo_server, login):
    """Over plain JSON-RPC, each role prints every report its forms offer
    it (or is refused in Chinese where the record's state does not allow
    it), the documents show no ISO date, no loopback address and, to a role
    that reads citizens masked, no citizen's number in full; a report its
    forms do not offer is refused.  It shares the demo database of the
    smoke test."""
    server = demo_server
    admin = server.rpc_login()
    reports = server.rpc('model.ir.action.report.search_read',
        [('report_name', 'like', 'hall.%')], 0, None, [('id', 'ASC')],
        ['report_name', 'model', 'name'], {}, session=admin)
    assert reports
    session = server.rpc_login(login, server.demo_password(login))
    context = server.rpc('model.res.user.get_preferences', True, {},
        session=session)
    access = server.rpc('model.ir.model.access.get_access',
        sorted({r['model'] for r in reports if r['model']}), context,
        session=session)
    parties = server.rpc('model.party.party.search_read', [], 0, None, None,
        ['rec_name'], context, session=session)
    masked = any('*' in p['rec_name'] for p in parties)
    failures, printed = [], []
    for report in reports:
        model, name = report['model'], report['name']
        method = f"report.{report['report_name']}.execute"
        if not model:
            answer = print_through_wizard(server, session, context, report)
            if 'error' not in answer:
                extension, content, _, _ = answer['result']
                failures.extend(f"{name}: {flaw}" for flaw in document_flaws(
                        document_text(content), masked))
                printed.append(f"{name}: printed")
            elif answer['error'][0] != 'UserError' or not CHINESE.search(
                    ''.join(map(str, answer['error'][1][:1]))):
                failures.append(f"{name}: {answer['error']}")
            else:
                # Not offered to the role: the report is refused too
                data = print_through_wizard(server, admin, context, report,
                    data_only=True)
                if 'error' not in server.answer(
                        method, [], data, context, session=session):
                    failures.append(f"{name}: printed though not offered")
            continue
        offered = access[model]['read'] and report['id'] in {
            a['id'] for a in server.rpc('model.ir.action.keyword.get_keyword',
                'form_print', [model, -1], context, session=session)}
        if not offered:
            ids = server.rpc(f'model.{model}.search', [], 0, 1, None, {},
                session=admin)
            if ids:
                answer = server.answer(method, ids, {
                        'model': model, 'id': ids[0], 'ids': ids,
                        'action_id': report['id']}, context, session=session)
                if 'error' not in answer:
                    failures.append(f"{name}: printed though not offered")
            continue
        ids = server.rpc(f'model.{model}.search', [], 0, REPORT_TRIES, None,
            context, session=session)
        refusals = set()
        for record_id in ids:
            answer = server.answer(method, [record_id], {
                    'model': model, 'id': record_id, 'ids': [record_id],
                    'action_id': report['id']}, context, session=session)
            if 'error' in answer:
                exception, args = answer['error']
                message = args[0] if args else ''
                if exception != 'UserError' or not CHINESE.search(message):
                    failures.append(
                        f"{name} of {model},{record_id}: {answer['error']}")
                refusals.add(re.sub(r'「.*?」', '「…」', message))
                continue
            extension, content, _, _ = answer['result']
            if extension != 'odt':
                failures.append(f"{name}: a {extension}, not an odt")
            failures.extend(f"{name} of {model},{record_id}: {flaw}"
                for flaw in document_flaws(document_text(content), masked))
            printed.append(f"{name}: printed")
            break
        else:
            if ids:
                failures.append(f"{name}: none of {len(ids)} records "
                    f"printed ({'; '.join(sorted(refusals))})")
            printed.append(f"{name}: no record")
    print(f"\n{login} ({'masked' if masked else 'in full'}): "
        + '; '.join(printed))
    assert not failures, '\n'.join(failures)


# What a line break must not cut: a date in a table's column, an
# application, delivery or batch number or a waybill anywhere (LibreOffice
# breaks Chinese running text between any two characters, a date's too,
# whatever joiner is put between them)
DATE = re.compile(r'\d{4}年\d{1,2}月\d{1,2}日')
NUMBER = re.compile(r'(?<![\w-])[A-Z0-9][A-Z0-9-]{6,}(?![\w-])')
# Records printed in one document (page breaks between them, table headers
# repeated on each page)
PDF_RECORDS = 5
needs_libreoffice = pytest.mark.skipif(
    not (shutil.which('soffice') and shutil.which('pdftotext')),
    reason="LibreOffice (soffice) and pdftotext are not installed: "
    "apt-get install libreoffice-writer-nogui poppler-utils (CI leaves "
    "them out for its time budget)")


def printable(server, session, context, report):
    "Up to PDF_RECORDS ids of the report's model it prints"
    model = report['model']
    method = f"report.{report['report_name']}.execute"
    found = []
    for record_id in server.rpc(f'model.{model}.search', [], 0,
            REPORT_TRIES, [('id', 'DESC')], context, session=session):
        answer = server.answer(method, [record_id], {
                'model': model, 'id': record_id, 'ids': [record_id],
                'action_id': report['id']}, context, session=session)
        if 'error' not in answer:
            found.append(record_id)
            if len(found) == PDF_RECORDS:
                break
    return found


def print_through_wizard(server, session, context, report, data_only=False):
    """The answer of printing a report that has no model through its
    wizard (named after it: <report>.print), as sao does from the menu, with
    the defaults of the wizard's form; or the data the wizard gives it"""
    wizard = f"wizard.{report['report_name']}.print"
    answer = server.answer(f'{wizard}.create', context, session=session)
    if 'error' in answer:
        return answer
    session_id, state, _ = answer['result']
    try:
        answer = server.answer(f'{wizard}.execute', session_id, {}, state,
            context, session=session)
        if 'error' in answer:
            return answer
        view = answer['result']['view']
        button, = [b for b in view['buttons'] if b.get('default')]
        # the values of the fields, as sao sends them (not the names of the
        # records the defaults carry)
        values = {k: v for k, v in view['defaults'].items() if '.' not in k}
        answer = server.answer(f'{wizard}.execute', session_id,
            {view['state']: values}, button['state'], context,
            session=session)
        if 'error' in answer:
            return answer
        (action, data), = answer['result']['actions']
        assert action['report_name'] == report['report_name'], action
        if data_only:
            return data
        return server.answer(f"report.{report['report_name']}.execute", [],
            data, context, session=session)
    finally:
        server.answer(f'{wizard}.delete', session_id, context,
            session=session)


def split_tokens(xml, pdf_text):
    """The dates of the tables and the numbers of the document (its
    content.xml) that a line of the PDF does not hold whole as often as the
    document holds them (pdftotext puts spaces between Chinese characters
    and digits)"""
    lines = [re.sub(r'\s+', '', line) for line in pdf_text.splitlines()]
    cells = xml_text(' '.join(re.findall(
                r'<table:table-cell\b[^>]*>.*?</table:table-cell>', xml,
                re.S)))
    text = xml_text(xml)
    expected = Counter(DATE.findall(cells)) + Counter(NUMBER.findall(text))
    return sorted(token for token, count in expected.items()
        if sum(line.count(token) for line in lines) < count)


@needs_libreoffice
@pytest.mark.skipif(POSTGRESQL,
    reason="the documents are converted to PDF on SQLite: the same on both")
def test_reports_in_pdf(demo_server, tmp_path):
    """Each report, printed for several records at once, converts to PDF
    with LibreOffice, and no date, application, delivery or waybill
    number is cut by a line break (pdftotext); its pages are kept as PNG in
    var/screenshots/reports/ to be looked at."""
    server = demo_server
    session = server.rpc_login()
    context = server.rpc('model.res.user.get_preferences', True, {},
        session=session)
    reports = server.rpc('model.ir.action.report.search_read',
        [('report_name', 'like', 'hall.%')], 0, None, [('id', 'ASC')],
        ['report_name', 'model', 'name'], {}, session=session)
    documents = {}
    for report in reports:
        if report['model']:
            ids = printable(server, session, context, report)
            assert ids, f"{report['name']}: no record prints"
            extension, content, _, _ = server.rpc(
                f"report.{report['report_name']}.execute", ids, {
                    'model': report['model'], 'id': ids[0], 'ids': ids,
                    'action_id': report['id']}, context, session=session)
        else:
            answer = print_through_wizard(server, session, context, report)
            assert 'error' not in answer, (report['name'], answer)
            extension, content, _, _ = answer['result']
        name = report['report_name'].replace('.', '_')
        path = tmp_path / f'{name}.{extension}'
        path.write_bytes(base64.b64decode(content['base64']))
        documents[name] = (report['name'], document_xml(content), path)
    subprocess.run(['soffice', '--headless', '--norestore',
            f'-env:UserInstallation=file://{tmp_path}/profile',
            '--convert-to', 'pdf', '--outdir', str(tmp_path),
            *(str(path) for _, _, path in documents.values())],
        check=True, capture_output=True, timeout=300)
    screenshots = ROOT / 'var' / 'screenshots' / 'reports'
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir(parents=True)
    failures = []
    for name, (title, xml, path) in documents.items():
        pdf = path.with_suffix('.pdf')
        pdf_text = subprocess.run(['pdftotext', str(pdf), '-'], check=True,
            capture_output=True, text=True).stdout
        split = split_tokens(xml, pdf_text)
        if split:
            failures.append(f"{title}: cut by a line break: {split}")
        subprocess.run(['pdftoppm', '-png', '-r', '60', str(pdf),
                str(screenshots / name)], check=True)
    assert not failures, '\n'.join(failures)


def test_public_theme_pages(demo_server, browser, screenshot_dir):
    """The public list of the hall's themes (主题服务清单) and each theme's
    guide open in Chromium without a console error, the guide drawn (the
    picture loaded, wider than the page's text); screenshots
    var/screenshots/theme-list.png and theme-guide.png."""
    server = demo_server
    admin = server.rpc_login()
    themes = server.rpc('model.hall.theme.search_read',
        [('state', '=', 'published')], 0, None, [('code', 'ASC')],
        ['name', 'halls'], {}, session=admin)
    assert len(themes) >= 5
    hall = themes[0]['halls'][0]
    base = f'{server.url}{server.database}/hall/{hall}/themes'
    browser.set_window_size(1280, 900)
    browser.get(base)
    text = browser.find_element('tag name', 'body').text
    assert all(t['name'] in text for t in themes), text
    browser.save_screenshot(str(screenshot_dir / 'theme-list.png'))
    assert console_errors(browser) == []
    for theme in themes:
        browser.get(f"{base}/{theme['id']}")
        image = browser.find_element('css selector', '.guide img')
        deadline = time.monotonic() + TIMEOUT
        while not browser.execute_script(
                'return arguments[0].complete', image):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert browser.execute_script(
            'return arguments[0].naturalWidth', image) > 300
        assert theme['name'] in browser.title
        assert console_errors(browser) == [], theme['name']
    browser.save_screenshot(str(screenshot_dir / 'theme-guide.png'))
