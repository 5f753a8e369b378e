# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures for the cross-module tests.

``hall_server`` (session scope), through ``serve_database``, builds a
throwaway database, activates hall and hall_queue in zh_CN with trytond-admin
(one activation for the hall's, the queue's and the reception's tests),
prepares it with tests/browser_setup.py (proteus, own process) and serves
it, with the web client from sao/, by a ``trytond`` process on a free
127.0.0.1 port.

Backend: SQLite file in a temporary directory, or PostgreSQL when
TRYTOND_DATABASE__URI starts with postgresql (a new database, dropped at the
end; its name starts with $DB_NAME when scripts/test set one, so that the
script's clean-up drops it even if this process is killed).

``evaluation_server`` (module scope) serves a database with
hall_evaluation and hall_queue, ``demo_server`` (module scope) every module
with the demo data; ``browser`` is a headless Debian chromium
(tests/browser_tools.py).

``serve_database(..., demo=True)`` prepares the database with scripts/demo.py
(its demo hall, users and records, made smaller by ``demo_options``) instead
of tests/browser_setup.py; the Server is then logged as the admin and its
``demo_password`` gives the password of a demo login.
"""
import ast
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAO = ROOT / 'sao'
BIN = Path(sys.executable).parent
ADMIN_PASSWORD = 'Admin-2026!'   # same as tests/browser_tools.py
SERVER_START_TIMEOUT = 90


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _clean_env(**extra):
    "Environment for the trytond commands: the -c file is the only config"
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in {'DB_NAME', 'DB_CACHE'}}
    env.update(extra)
    return env


def _pg_connect(uri):
    import psycopg
    uri = urllib.parse.urlparse(uri)
    params = dict(
        host=uri.hostname, port=uri.port,
        user=urllib.parse.unquote(uri.username) if uri.username else None,
        password=urllib.parse.unquote(uri.password) if uri.password else None,
        dbname='postgres', connect_timeout=10)
    return psycopg.connect(
        autocommit=True, **{k: v for k, v in params.items() if v})


def _pg_create(uri, name):
    from psycopg import sql
    with _pg_connect(uri) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' "
                "TEMPLATE template0").format(sql.Identifier(name)))


def _pg_drop(uri, name):
    from psycopg import sql
    with _pg_connect(uri) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            .format(sql.Identifier(name)))


def _run(cmd, log, env, what):
    with open(log, 'a') as fp:
        fp.write(f"\n$ {' '.join(map(str, cmd))}\n")
        fp.flush()
        result = subprocess.run(
            [str(c) for c in cmd], env=env, cwd=ROOT, stdout=fp,
            stderr=subprocess.STDOUT)
    output = Path(log).read_text(errors='replace')
    if result.returncode:
        pytest.fail(
            f"{what} failed (exit {result.returncode}); end of {log}:\n"
            + output[-4000:], pytrace=False)
    return output


def demo_password_prefix():
    "PASSWORD_PREFIX of scripts/demo.py (read, not imported: it needs trytond)"
    tree = ast.parse((ROOT / 'scripts' / 'demo.py').read_text())
    for node in tree.body:
        if (isinstance(node, ast.Assign)
                and [getattr(t, 'id', None) for t in node.targets]
                == ['PASSWORD_PREFIX']):
            return ast.literal_eval(node.value)
    raise LookupError("no PASSWORD_PREFIX in scripts/demo.py")


class Server:
    "What the hall_server fixture yields"

    def __init__(self, url, database, login, password, log):
        self.url = url              # http://127.0.0.1:PORT/
        self.database = database
        self.login = login
        self.password = password
        self.log = log

    def rpc(self, method, *params, session=None):
        "Call a JSON-RPC method on the database (session from rpc_login)"
        answer = self.answer(method, *params, session=session)
        if answer.get('error'):
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer['result']

    def answer(self, method, *params, session=None):
        """The JSON-RPC answer of a call: {'result': ...} or
        {'error': [exception, args]}"""
        headers = {'Content-Type': 'application/json'}
        if session:
            token = base64.b64encode(
                f'{session[0]}:{session[1]}:{session[2]}'.encode()).decode()
            headers['Authorization'] = f'Session {token}'
        request = urllib.request.Request(
            f'{self.url}{self.database}/rpc/',
            data=json.dumps({
                    'id': 1, 'method': method, 'params': list(params),
                    }).encode(),
            headers=headers, method='POST')
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    @staticmethod
    def demo_password(login):
        "The password scripts/demo.py gives the demo login `login`"
        return demo_password_prefix() + login

    def rpc_login(self, login=None, password=None):
        login = login or self.login
        user_id, key, *_ = self.rpc(
            'common.db.login', login,
            {'password': password or self.password}, 'zh_CN')
        return (login, user_id, key)


def all_modules():
    "The modules of the repository (modules/<name>/tryton.cfg)"
    return sorted(path.parent.name
        for path in (ROOT / 'modules').glob('*/tryton.cfg'))


@contextmanager
def serve_database(tmp_path_factory, name, modules, demo=False,
        demo_options=()):
    """Build a throwaway database `name` with `modules` activated in zh_CN,
    prepare it with tests/browser_setup.py (or, with `demo`, with
    scripts/demo.py and its `demo_options`) and serve it with the web client;
    yield the Server (logged as browser_setup's user, or as the admin with
    `demo`), stop and drop at the end."""
    if not (SAO / 'index.html').exists():
        pytest.fail("sao/ is missing: run scripts/bootstrap", pytrace=False)
    tmp = tmp_path_factory.mktemp(f'{name}-server')
    log = tmp / 'server-setup.log'
    uri = os.environ.get('TRYTOND_DATABASE__URI') or 'sqlite://'
    postgresql = uri.startswith('postgresql')
    if postgresql:
        base = os.environ.get('DB_NAME', '')
        if not base or base == ':memory:':
            base = f'test_svc_{int(time.time())}_{os.getpid()}'
        database = f'{base}_{name}'
    else:
        database = name
    port = _free_port()
    url = f'http://127.0.0.1:{port}/'

    conf = tmp / 'trytond.conf'
    lines = ['[database]', f'uri = {uri}', 'language = zh_CN']
    if not postgresql:
        lines.append(f'path = {tmp}')
    lines += [
        '', '[web]', f'listen = 127.0.0.1:{port}', f'root = {SAO}',
        '', '[session]', 'timeout = 3600',
        '', '[password]', 'length = 8',
        '', '[queue]', 'worker = False', '']
    conf.write_text('\n'.join(lines))
    passfile = tmp / 'admin-password'
    passfile.write_text(ADMIN_PASSWORD + '\n')
    env = _clean_env(TRYTONPASSFILE=str(passfile))

    created = False
    process = None
    try:
        if postgresql:
            _pg_create(uri, database)
        else:
            (tmp / f'{database}.sqlite').touch()
        created = True
        _run([BIN / 'trytond-admin', '-c', conf, '-d', database,
                '-u', *modules, '--activate-dependencies', '-l', 'zh_CN',
                '--email', 'admin@example.com'],
            log, env, f"trytond-admin (activating {', '.join(modules)})")
        if demo:
            started = time.monotonic()
            _run([sys.executable, ROOT / 'scripts' / 'demo.py',
                    '--database', database, '--config', conf,
                    '--logins-file', tmp / 'demo-logins.txt',
                    *demo_options],
                # demo.py imports trytond before proteus reads --config:
                # the backend must come from the environment
                log, dict(env, TRYTOND_CONFIG=str(conf)), "scripts/demo.py")
            with open(log, 'a') as fp:
                fp.write(f"scripts/demo.py took "
                    f"{time.monotonic() - started:.1f}s\n")
            login, password = 'admin', ADMIN_PASSWORD
        else:
            output = _run(
                [sys.executable, ROOT / 'tests' / 'browser_setup.py',
                    '--database', database, '--config', conf],
                log, env, "tests/browser_setup.py")
            login_line = [l for l in output.splitlines()
                if l.startswith('LOGIN ')][-1]
            _, login, password = login_line.split(' ', 2)

        server_log = tmp / 'server.log'
        with open(server_log, 'w') as fp:
            process = subprocess.Popen(
                [str(BIN / 'trytond'), '-c', str(conf), '-d', database],
                env=env, cwd=ROOT, stdout=fp, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"trytond exited ({process.returncode}):\n"
                    + server_log.read_text(errors='replace')[-4000:],
                    pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"trytond did not answer on {url} within "
                    f"{SERVER_START_TIMEOUT}s", pytrace=False)
            time.sleep(0.2)

        server = Server(url, database, login, password, server_log)
        server.setup_log = log
        yield server
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if postgresql and created:
            try:
                _pg_drop(uri, database)
            except Exception as exception:  # report, do not mask a failure
                print(f"warning: could not drop {database}: {exception}",
                    file=sys.stderr)


@pytest.fixture(scope='session')
def hall_server(tmp_path_factory):
    with serve_database(tmp_path_factory, 'browser', ['hall_queue']) as server:
        yield server


@pytest.fixture(scope='module')
def evaluation_server(tmp_path_factory):
    """A trytond serving a new database with hall_evaluation and hall_queue
    activated, as the administrator (who enters the data)"""
    with serve_database(tmp_path_factory, 'evaluation',
            ['hall_evaluation', 'hall_queue']) as server:
        yield Server(server.url, server.database, 'admin', ADMIN_PASSWORD,
            server.log)


@pytest.fixture(scope='module')
def demo_server(tmp_path_factory):
    "A trytond serving every module with the demo data"
    start = time.monotonic()
    with serve_database(tmp_path_factory, 'screens', all_modules(),
            demo=True) as server:
        print(f"\ndemo database built in {time.monotonic() - start:.0f}s")
        yield server


@pytest.fixture
def screenshot_dir():
    path = ROOT / 'var' / 'screenshots'
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def chrome_profile(tmp_path):
    path = tmp_path / 'chrome-profile'
    path.mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def browser(chrome_profile):
    "A headless Debian chromium (tests/browser_tools.py)"
    from browser_tools import chrome
    driver = chrome(chrome_profile)
    try:
        yield driver
    finally:
        driver.quit()
